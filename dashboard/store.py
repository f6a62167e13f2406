"""The DuckDB store: opening it, migrating it, and running the SQL files in queries/."""
from __future__ import annotations

import contextvars
import csv
import functools
import os
import re
import warnings
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb

from dashboard import paths
from dashboard.problems import UserError

_MIGRATION = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


def migrations() -> list[tuple[int, str, Path]]:
    found = []
    for f in sorted(paths.MIGRATIONS.glob("*.sql")):
        m = _MIGRATION.match(f.name)
        if m:
            found.append((int(m.group(1)), m.group(2), f))
    return found


# DuckDB's own cap on a connection that writes (loads, publish, demo builds), in MB: by default
# DuckDB takes up to 80% of the machine's memory for its cache and the sorts and joins of a
# publish, which kept the national build and publish over issue 8's 1.5 GB. Under the cap DuckDB
# spills to a folder beside the database (`<db>.tmp`) instead. VOICE_DB_MEMORY_MB changes it.
DEFAULT_WRITE_MEMORY_MB = 512


def write_memory_limit_mb() -> int:
    raw = os.environ.get("VOICE_DB_MEMORY_MB", "").strip()
    if not raw:
        return DEFAULT_WRITE_MEMORY_MB
    if not raw.isdigit() or not 64 <= int(raw) <= 1_048_576:
        raise UserError(f"VOICE_DB_MEMORY_MB must be a whole number of megabytes from 64 up (got {raw!r}); "
                        f"leave it unset for the default of {DEFAULT_WRITE_MEMORY_MB}")
    return int(raw)


BUSY_FOR_LOAD = "is open in another program (is the dashboard running?); stop it, or use another --db, and try again"


def connect(db: Path, read_only: bool = False, busy: str = BUSY_FOR_LOAD) -> duckdb.DuckDBPyConnection:
    """Open the database, creating and migrating it when opened for writing. `busy` says, in the
    caller's words, what to do when another program holds the file."""
    db = Path(db)
    if read_only and not db.exists():
        raise UserError(f"no database at {db}: build the demo with 'voice-dashboard demo --db {db}' "
                        f"or load files with 'voice-dashboard load KIND FILE --db {db}'")
    if not read_only:
        db.parent.mkdir(parents=True, exist_ok=True)
    from dashboard.backup import check_integrity, open_error

    limit = None if read_only else f"{write_memory_limit_mb()}MB"
    try:
        con = duckdb.connect(str(db), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise UserError(f"the database {db} {busy}") from None
        raise open_error(db, exc) from None
    except duckdb.Error as exc:
        raise open_error(db, exc) from None
    try:
        # Every command that opens the database first checks it is whole (plain words and how
        # to restore, never a traceback from deep inside a page or a load).
        check_integrity(con, db)
        if not read_only:
            # SET rather than connect(config=): the same file opened again in this process with
            # another config would be refused by DuckDB.
            con.execute("SET memory_limit = $limit", {"limit": limit})
            migrate(con)
    except BaseException:
        con.close()
        raise
    return con


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    con.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)")
    return {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations not yet applied, each in its own transaction, in order."""
    done = applied_versions(con)
    applied = []
    for version, name, file in migrations():
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(file.read_text(encoding="utf-8"))
            if version == 1:
                seed_la_reference(con)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                        [version, name, datetime.now(timezone.utc).replace(tzinfo=None)])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def seed_la_reference(con: duckdb.DuckDBPyConnection) -> None:
    with (paths.REFERENCE / "la_codes.csv").open(encoding="utf-8", newline="") as fh:
        rows = [
            (r["new_la_code"], r["old_la_code"], r["la_name"], r["region_code"], r["region_name"], r["status"],
             [c for c in r["successor_codes"].split(";") if c] or None, r["changed_on"] or None, r["note"] or None)
            for r in csv.DictReader(fh)
        ]
    con.executemany("INSERT INTO la_reference VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def sql(name: str) -> Sql:
    """The text of queries/NAME.sql."""
    path = paths.QUERIES / f"{name}.sql"
    return _sql_text(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=512)
def _sql_text(path: Path, mtime_ns: int) -> Sql:
    # Read once per version of the file: every page's run reads several (the stat stays, so an
    # edited file is read again).
    return Sql(path.read_text(encoding="utf-8"))


def sql_body(name: str) -> Sql:
    """queries/NAME.sql as one statement to build on: without the white space around it or its
    closing semicolon (so that it can sit inside a WITH or a sub-query)."""
    return Sql(sql(name).strip().rstrip(";").rstrip())


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    else:
        con.execute("COMMIT")


# A DuckDB cursor is a connection of its own: it does not see the open transaction of the
# connection it came from. The publish step reads what its load has just written, before the
# COMMIT, so while it runs queries go to the connection itself (see same_transaction()).
_SAME_TRANSACTION: contextvars.ContextVar[bool] = contextvars.ContextVar("same_transaction", default=False)


@contextmanager
def same_transaction() -> Iterator[None]:
    """Inside this block, frame() queries the connection itself rather than a new cursor, so it
    sees the caller's uncommitted writes (one thread only: the writer's)."""
    token = _SAME_TRANSACTION.set(True)
    try:
        yield
    finally:
        _SAME_TRANSACTION.reset(token)


def frame(con: duckdb.DuckDBPyConnection, sql_text: str, params: dict | list | None = None):
    """Run a query on its own cursor (on the connection itself inside same_transaction()) and
    return a polars DataFrame."""
    import polars as pl

    if _SAME_TRANSACTION.get():
        with warnings.catch_warnings():   # DuckDB notes the extra copy of the rows; the result is small
            warnings.simplefilter("ignore", UserWarning)
            return pl.from_arrow(con.execute(sql_text, params or None).to_arrow_table())
    cur = con.cursor()
    try:
        return cur.sql(sql_text, params=params or None).pl()
    finally:
        cur.close()


class Sql(str):
    """SQL text made only from this code base's own text: a literal written in the code (wrapped as
    Sql("...") where it is written), a file in queries/ (sql()), quoted identifiers
    (with_identifiers()) and other Sql put together by compose() and join(). Values never become
    Sql: they go in as named parameters. compose() and join() refuse a plain str, so text from
    anywhere else (a user's input, an f-string) cannot reach a statement through them."""

    __slots__ = ()


_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_SEPARATORS = {", ", " AND ", " OR ", " ", "\n", " UNION ALL "}


def identifier(name: str) -> str:
    """A table or column name for SQL text, quoted. Only names written in this code base get here
    (never a user's input); anything that is not a plain lower-case name is refused."""
    if not _IDENT.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return quote_identifier(name)


def quote_identifier(name: str) -> Sql:
    """Any name as one quoted SQL identifier: a double quote inside is doubled, so the name cannot
    end the quoting early whatever it holds (spaces, quotes, semicolons)."""
    if not isinstance(name, str) or not name or "\x00" in name:
        raise ValueError(f"not a usable SQL identifier: {name!r}")
    return Sql('"' + name.replace('"', '""') + '"')


def with_identifiers(template: str, **names: str | list[str]) -> Sql:
    """Fill {placeholders} in SQL text with quoted identifiers (a list becomes a comma list).
    Values always go in as named parameters; this is only for table and column names."""
    filled = {k: ", ".join(identifier(n) for n in v) if isinstance(v, (list, tuple)) else identifier(v)
              for k, v in names.items()}
    return Sql(template.format(**filled))


def _only_sql(what: str, part: object) -> Sql:
    if not isinstance(part, Sql):
        raise TypeError(f"{what} must be store.Sql (a literal, a queries/ file, with_identifiers, compose or "
                        f"join), not {type(part).__name__}: values go in as named parameters")
    return part


def compose(template: str, **parts: Sql) -> Sql:
    """Fill {placeholders} in a SQL template written in the code with other Sql; a plain str (or
    anything else) as a part is refused with a TypeError."""
    return Sql(template.format(**{k: _only_sql(f"part {k!r}", v) for k, v in parts.items()}))


def join(sep: str, parts) -> Sql:
    """Sql parts joined by one of a few fixed separators (comma, AND, OR, space, new line, UNION ALL)."""
    if sep not in _SEPARATORS:
        raise ValueError(f"not a SQL separator this module joins with: {sep!r}")
    return Sql(sep.join(_only_sql("each part", p) for p in parts))


def prefix_parameters(text: Sql, prefix: str) -> Sql:
    """The same Sql with each named parameter $name renamed $PREFIXname (so that several checks'
    parameters can share one statement)."""
    _only_sql("the text", text)
    if not _IDENT.match(prefix):
        raise ValueError(f"not a plain parameter prefix: {prefix!r}")
    return Sql(_PARAM.sub(lambda m: f"${prefix}{m.group(1)}", text))
