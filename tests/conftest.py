"""Shared test helpers: real DuckDB files in tmp folders, the real DfE files when present."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Iterator

import duckdb
import pytest

from dashboard import cli, store
from dashboard.loaders import loader_for, run_load

ROOT = Path(__file__).resolve().parent.parent
# Beside the repository in CI; SHARED_DFE=/path names it where the checkout sits elsewhere (a worktree).
SHARED_DFE = Path(os.environ.get("SHARED_DFE") or ROOT.parent / "shared" / "data" / "dfe")
BAD_INPUTS = Path(__file__).resolve().parent / "bad_inputs"
GOOD_INPUTS = Path(__file__).resolve().parent / "good_inputs"

needs_shared_dfe = pytest.mark.skipif(
    not SHARED_DFE.is_dir(),
    reason=f"the real DfE files are not here ({SHARED_DFE} is absent: it sits beside the repository in CI)",
)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Iterator[Path]:
    """The synthetic demo (`voice-dashboard demo`, seed 2024), built ONCE per pytest session and shared by
    every test that only reads it (the AppTest pages; the browser tests serve a copy of it). A test that
    writes must write to its own copy (`copy_db`): at the end of the session the file must be unchanged."""
    from dashboard.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path, seed=2024)
    before = file_digest(path)
    yield path
    assert file_digest(path) == before, f"a test wrote to the shared demo database {path}: copy it first (copy_db)"


@pytest.fixture(scope="session")
def kent_survey_db(tmp_path_factory) -> Iterator[Path]:
    """Kent's small survey file (tests/good_inputs/bright-spots/kent_2024_long.csv) loaded as real data, built once
    per session for the tests that only read it; a test that writes copies it first (`copy_db`)."""
    path = tmp_path_factory.mktemp("kent_survey") / "kent.duckdb"
    con = store.connect(path)
    try:
        run_load(con, loader_for("bright-spots"), [GOOD_INPUTS / "bright-spots" / "kent_2024_long.csv"])
    finally:
        con.close()
    before = file_digest(path)
    yield path
    assert file_digest(path) == before, f"a test wrote to the shared Kent survey database {path}: copy it first"


def copy_db(source: Path, folder: Path, name: str | None = None) -> Path:
    """A private copy of a shared database, for a test that writes to it."""
    target = Path(folder) / (name or Path(source).name)
    shutil.copy(source, target)
    return target


def failing_copy(source: Path, folder: Path) -> Path:
    """A copy of the demo with a column of its published figures renamed, so that a page reading
    figures (the Overview) fails and shows the dashboard's error message, while others still draw."""
    target = copy_db(source, folder)
    con = duckdb.connect(str(target))
    try:
        con.execute("ALTER TABLE published_figures RENAME COLUMN sort_key TO sort_key_renamed")
    finally:
        con.close()
    return target


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A fresh, migrated database file."""
    path = tmp_path / "test.duckdb"
    store.connect(path).close()
    return path


def run_cli(*args: str | Path) -> int:
    """Run the CLI in-process (as the console script would) and return its exit code."""
    return cli.main([str(a) for a in args])


def snapshot(db_path: Path) -> dict[str, list[tuple]]:
    """Every table's full content, in a stable order: equal snapshots mean an unchanged database."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        out = {}
        for t in tables:
            rows = con.execute(f'SELECT * FROM "{t}"').fetchall()
            out[t] = sorted(rows, key=repr)
        out["__sequence_load_id"] = con.execute(
            "SELECT last_value FROM duckdb_sequences() WHERE sequence_name = 'load_id_seq'").fetchall()
        return out
    finally:
        con.close()


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def query(db_path: Path, sql: str, params: list | dict | None = None) -> list[tuple]:
    """Rows of a query on a database file, opened read-only for the moment it takes."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def write_lines(path: Path, header: str, *rows: str) -> Path:
    """A small CSV file: the header line and the rows, as written."""
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def fresh_streamlit_caches():
    """AppTests open their own databases: drop (and close) the app's cached connection and data
    around each test. Use with pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")."""
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def open_folded_parts(at) -> None:
    """Open every part of the page drawn only once opened, as a reader clicking each would: a chart's
    "View as table" (dashboard.ui.charts.show) and a page's folded sections (dashboard.ui.url.section).
    Opening one reruns the page, which can draw more of them (closed), so this goes on until all are open."""
    while True:
        closed = [e.key for e in at.expander if (e.key or "").startswith(("table_", "open_"))
                  and not (e.key in at.session_state and at.session_state[e.key])]
        if not closed:
            return
        for key in closed:
            at.session_state[key] = True
        at.run()
