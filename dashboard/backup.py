"""Keeping the database safe: the integrity check every command runs when it opens the file,
`voice-dashboard backup` and `voice-dashboard restore`, and the guard that stops `demo --force`
from replacing real data.

A backup is a complete DuckDB file, copied table by table through a READ-ONLY attachment of the
database (COPY FROM DATABASE), so it can be taken while the dashboard has the database open, and
it is written beside its final name and renamed only once it has been checked: a backup file
that exists is a whole one. A restore never overwrites a database another program has open, and
keeps the old file aside until the restored one has been opened and checked.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from dashboard.problems import UserError

HEADER_BYTES = 3 * 4096            # DuckDB's file header and its two database headers
RESTORE_HINT = ("restore the latest backup with 'voice-dashboard restore BACKUP_FILE --db {db}' "
                "(see 'Backup and restore' in the README), or rebuild it by loading the files again")


def damaged(db: Path, what: str) -> UserError:
    return UserError(f"the database {db} is damaged: {what}. Nothing was changed. To recover, "
                     + RESTORE_HINT.format(db=db))


def check_integrity(con: duckdb.DuckDBPyConnection, db: Path) -> None:
    """Quick checks, cheap enough for every start: the file holds every block its header lists
    (a truncated copy does not), and the catalogue and load log can be read."""
    try:
        # Used blocks only: DuckDB cuts free blocks off the end of the file when it closes it.
        size = con.execute("SELECT block_size, used_blocks FROM pragma_database_size() "
                           "WHERE database_name = current_database()").fetchall()
        # Blocks still in the write-ahead log are counted but not yet in the file: the size says
        # nothing until DuckDB has checkpointed them, so it is only compared without a log.
        if size and not Path(str(db) + ".wal").exists():
            block_size, used_blocks = size[0]
            expected = HEADER_BYTES + int(block_size) * int(used_blocks)
            actual = Path(db).stat().st_size
            if actual < expected:
                raise damaged(db, f"the file is {actual:,} bytes but should be at least {expected:,} "
                                  "(it was cut short: a copy or download that did not finish, or a full disk)")
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()]
        if "load_log" in tables:
            con.execute("SELECT count(*), max(load_id) FROM load_log").fetchall()
    except UserError:
        raise
    except duckdb.Error as exc:
        raise damaged(db, f"reading it failed ({str(exc).splitlines()[0][:200]})") from None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def check_every_value(con: duckdb.DuckDBPyConnection, db: Path) -> None:
    """The slow check: read every value of every table, so DuckDB verifies the checksum of every
    block of data. A block damaged in place (a failing disk, a copy gone wrong) leaves the file
    its full size and its catalogue readable, which the quick check cannot see. Run by `serve`
    before the dashboard starts and on every backup and restore (under a second for the demo's
    17 MB)."""
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
            "AND table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
        for t in tables:
            # The name comes from the file's own catalogue (any file: this runs before it is known to
            # be a dashboard database), so it goes in as a value: query_table reads it as a name only.
            # COLUMNS(*) reads every value of every column.
            con.execute("SELECT count(*), min(hash(COLUMNS(*))) FROM query_table($name)",
                        {"name": _quoted(t)}).fetchall()
    except duckdb.Error as exc:
        raise damaged(db, f"part of it cannot be read ({str(exc).splitlines()[0][:200]})") from None


def open_error(db: Path, exc: duckdb.Error) -> UserError:
    """Plain words for a file DuckDB would not open (the lock case is handled by the caller)."""
    text = str(exc).splitlines()[0]
    if "not a valid DuckDB database file" in text:
        size = Path(db).stat().st_size if Path(db).exists() else 0
        what = ("the file is empty" if size == 0 else
                "the file is not a DuckDB database (wrong file, or its first bytes were overwritten)")
        return damaged(db, what)
    if "version" in text.lower() and "storage" in text.lower():
        return UserError(f"the database {db} was written by another version of DuckDB ({text[:200]}): "
                         "open it with the voice-dashboard version that wrote it, or restore a backup")
    return damaged(db, f"DuckDB could not open it ({text[:200]})")


# -- backup -----------------------------------------------------------------------------------
def _counts(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, int]:
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? AND table_schema = 'main' "
        "AND table_type = 'BASE TABLE' ORDER BY 1", [catalog]).fetchall()]
    from dashboard import store

    out = {}
    for t in tables:
        # Names from the database's own catalogue, checked to be plain identifiers by store.
        out[t] = con.execute(store.with_identifiers("SELECT count(*) FROM {cat}.main.{t}", cat=catalog, t=t)
                             ).fetchall()[0][0]
    return out


@dataclass
class BackupResult:
    path: Path
    tables: int
    rows: int
    bytes: int


def backup(db: Path, out: Path) -> BackupResult:
    db, out = Path(db), Path(out)
    if not db.exists():
        raise UserError(f"no database at {db}: nothing to back up")
    if out.exists():
        raise UserError(f"--out {out} already exists: choose a new file name (a backup never overwrites a file)")
    if not out.parent.is_dir():
        raise UserError(f"--out {out}: the folder {out.parent} does not exist")
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    _remove_db(partial)
    con = duckdb.connect()   # in memory: the database itself is only ever attached read-only
    try:
        try:
            con.execute("ATTACH ? AS src (READ_ONLY)", [str(db)])
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise UserError(f"the database {db} is being written by another program (probably a load); "
                                "wait for it to finish and back up again") from None
            raise open_error(db, exc) from None
        except duckdb.Error as exc:
            raise open_error(db, exc) from None
        source_counts = _counts(con, "src")
        con.execute("ATTACH ? AS bak", [str(partial)])
        try:
            con.execute("COPY FROM DATABASE src TO bak")
        except duckdb.Error as exc:
            raise damaged(db, f"a table could not be read while copying ({str(exc).splitlines()[0][:200]})") from None
        copied = _counts(con, "bak")
        con.execute("DETACH bak")
    except BaseException:
        con.close()
        _remove_db(partial)
        raise
    con.close()
    if copied != source_counts:
        _remove_db(partial)
        raise UserError(f"the backup of {db} did not match it (rows per table differ); nothing was written. Try again")
    verify(partial, expect=source_counts)
    with open(partial, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(partial, out)
    return BackupResult(out, len(copied), sum(copied.values()), out.stat().st_size)


def verify(path: Path, expect: dict[str, int] | None = None) -> dict[str, int]:
    """Open a backup or restored file read-only and check it is a whole voice-dashboard database."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise open_error(path, exc) from None
    try:
        check_integrity(con, path)
        check_every_value(con, path)
        counts = _counts(con, con.execute("SELECT current_database()").fetchall()[0][0])
    finally:
        con.close()
    if "load_log" not in counts or "schema_migrations" not in counts:
        raise UserError(f"{path} is not a voice-dashboard database (it has no load log)")
    if expect is not None and counts != expect:
        raise UserError(f"{path} does not hold what was copied into it (rows per table differ)")
    return counts


# -- restore ----------------------------------------------------------------------------------
@dataclass
class RestoreResult:
    db: Path
    kept_aside: Path | None
    tables: int
    rows: int


def _remove_db(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def _refuse_if_open(db: Path) -> None:
    """DuckDB's own file lock says whether another program (the dashboard, a load) has it open."""
    try:
        duckdb.connect(str(db)).close()
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise UserError(f"the database {db} is open in another program (is the dashboard running?); "
                            "stop it, then restore again: a restore never replaces a database in use") from None
    except duckdb.Error:
        pass   # a damaged file is exactly what a restore replaces


def restore(backup_file: Path, db: Path) -> RestoreResult:
    backup_file, db = Path(backup_file), Path(db)
    if not backup_file.is_file():
        raise UserError(f"no backup file at {backup_file}")
    counts = verify(backup_file)
    if db.exists():
        _refuse_if_open(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    incoming = db.with_name(f".{db.name}.restoring-{os.getpid()}")
    _remove_db(incoming)
    shutil.copyfile(backup_file, incoming)
    try:
        verify(incoming, expect=counts)
        with open(incoming, "rb+") as fh:
            os.fsync(fh.fileno())
    except BaseException:
        _remove_db(incoming)
        raise
    kept = None
    if db.exists():
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        kept = db.with_name(f"{db.name}.before-restore-{stamp}")
        os.replace(db, kept)
        wal = db.with_name(db.name + ".wal")
        if wal.exists():
            os.replace(wal, kept.with_name(kept.name + ".wal"))
    try:
        os.replace(incoming, db)
        verify(db, expect=counts)
    except BaseException:
        # Put the old database back exactly as it was.
        _remove_db(db)
        if kept is not None:
            os.replace(kept, db)
            if kept.with_name(kept.name + ".wal").exists():
                os.replace(kept.with_name(kept.name + ".wal"), db.with_name(db.name + ".wal"))
        raise
    return RestoreResult(db, kept, len(counts), sum(counts.values()))


# -- demo --force -----------------------------------------------------------------------------
def real_loads(db: Path) -> int:
    """How many loads in `db` are not the synthetic demo's (a file that is not a voice-dashboard
    database counts as real: it is somebody's)."""
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise UserError(f"the database {db} is open in another program (is the dashboard running?); "
                            "stop it before rebuilding the demo there") from None
        raise open_error(db, exc) from None
    except duckdb.Error as exc:
        raise open_error(db, exc) from None
    try:
        has_log = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
                              "AND table_name = 'load_log'").fetchall()[0][0]
        if not has_log:
            tables = con.execute("SELECT count(*) FROM information_schema.tables").fetchall()[0][0]
            return 1 if tables else 0
        return con.execute("SELECT count(*) FROM load_log WHERE NOT synthetic").fetchall()[0][0]
    finally:
        con.close()
