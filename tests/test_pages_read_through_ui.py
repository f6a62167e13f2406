"""Pages describe the screen and read everything through dashboard.ui (issue 8): none imports the
engine or runs a query or opens the database connection itself."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PAGES = sorted((ROOT / "pages").glob("*.py"))


def imports(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names]
    return found


def db_calls(tree: ast.AST) -> list[str]:
    return [f"db.{n.func.attr}" for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name)
            and n.func.value.id == "db" and n.func.attr in ("query", "connection")]


def test_there_are_pages_to_check():
    assert len(PAGES) >= 13


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_a_page_never_imports_the_engine(page: Path):
    tree = ast.parse(page.read_text(encoding="utf-8"))
    assert [m for m in imports(tree) if m.startswith("dashboard.engine")] == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_a_page_never_runs_a_query_or_opens_the_connection_itself(page: Path):
    assert db_calls(ast.parse(page.read_text(encoding="utf-8"))) == []


def test_the_check_finds_an_engine_import_and_a_query():
    tree = ast.parse("from dashboard.engine import themes\nfrom dashboard import db\nx = db.query('q')\n"
                     "c = db.connection()\n")
    assert [m for m in imports(tree) if m.startswith("dashboard.engine")] == ["dashboard.engine"]
    assert db_calls(tree) == ["db.query", "db.connection"]
