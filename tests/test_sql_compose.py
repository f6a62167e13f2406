"""store's SQL composition: statements are put together only from Sql (literals, queries/ files,
quoted identifiers), never from plain strings, f-strings or .format."""
import ast
from pathlib import Path

import duckdb
import pytest

from dashboard import store
from dashboard.store import Sql, compose, join

ROOT = Path(__file__).resolve().parent.parent


def test_compose_refuses_a_plain_string_part():
    with pytest.raises(TypeError, match="store.Sql"):
        compose("SELECT * FROM t WHERE {cond}", cond="1 = 1; DROP TABLE t")


def test_compose_refuses_a_number_part():
    with pytest.raises(TypeError):
        compose("SELECT {n}", n=1)


def test_compose_fills_sql_parts():
    assert compose("SELECT {a} FROM {t}", a=Sql("x"), t=store.identifier("tab")) == 'SELECT x FROM "tab"'
    assert isinstance(compose("SELECT 1"), Sql)


def test_join_refuses_a_plain_string_part():
    with pytest.raises(TypeError):
        join(", ", [Sql("a"), "b"])


def test_join_refuses_an_unusual_separator():
    with pytest.raises(ValueError):
        join("; DROP TABLE t; ", [Sql("a"), Sql("b")])


def test_join_gives_sql():
    joined = join(" AND ", [Sql("a IS NULL"), Sql("b IS NULL")])
    assert joined == "a IS NULL AND b IS NULL" and isinstance(joined, Sql)


def test_quote_identifier_doubles_a_quote_and_keeps_spaces():
    assert store.quote_identifier('my "odd" column') == '"my ""odd"" column"'


def test_a_quoted_odd_name_reaches_duckdb_as_one_name():
    name = 'a "b"; DROP TABLE t; --'
    con = duckdb.connect(":memory:")
    con.execute(compose("CREATE TABLE t ({c} INTEGER)", c=store.quote_identifier(name)))
    con.execute(compose("INSERT INTO t ({c}) VALUES (7)", c=store.quote_identifier(name)))
    assert con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 't'").fetchall() == [(name,)]
    assert con.execute(compose("SELECT {c} FROM t", c=store.quote_identifier(name))).fetchall() == [(7,)]


def test_with_identifiers_still_refuses_a_name_not_written_in_the_code():
    with pytest.raises(ValueError):
        store.with_identifiers("SELECT {c} FROM t", c="x; DROP TABLE t")


def test_with_identifiers_gives_sql_that_compose_takes():
    part = store.with_identifiers("{c} IS NULL", c="answer")
    assert isinstance(part, Sql)
    assert compose("WHERE {p}", p=part) == 'WHERE "answer" IS NULL'


def test_prefix_parameters_renames_each_parameter():
    assert store.prefix_parameters(Sql("a = $x AND b IN $xs"), "p1_") == "a = $p1_x AND b IN $p1_xs"
    with pytest.raises(TypeError):
        store.prefix_parameters("a = $x", "p1_")


def _built_sql(tree: ast.AST, path: Path) -> list[str]:
    """Calls that hand SQL text made by an f-string, + / %, .format or .join to a statement, or that
    wrap anything but a literal in Sql (outside store.py, which builds Sql from Sql only)."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        arg = node.args[0]
        if name == "Sql" and path.name != "store.py" and not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            found.append(f"{path}:{node.lineno}: Sql() of something other than a literal")
        if name in {"execute", "executemany", "sql", "compose", "with_identifiers"}:
            made = (isinstance(arg, ast.JoinedStr)
                    or (isinstance(arg, ast.BinOp) and isinstance(arg.op, (ast.Add, ast.Mod)))
                    or (isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute)
                        and arg.func.attr in {"format", "join"}))
            if made:
                found.append(f"{path}:{node.lineno}: {name}() of text built in Python")
    return found


def test_the_scan_finds_sql_built_with_an_f_string():
    tree = ast.parse('con.execute(f"SELECT {x} FROM t")\nstore.Sql(name)\ncon.execute("SELECT " + cols)')
    assert len(_built_sql(tree, Path("example.py"))) == 3


def test_no_statement_in_the_dashboard_is_built_in_python():
    found = [hit for f in sorted((ROOT / "dashboard").rglob("*.py"))
             for hit in _built_sql(ast.parse(f.read_text(encoding="utf-8")), f.relative_to(ROOT))]
    assert found == []
