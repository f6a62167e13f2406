"""The load pipeline every kind of input goes through.

read -> validate (all problems collected) -> one transaction: check against what is loaded,
replace if asked, insert, count, log -> commit. Any problem or crash before the commit leaves
the database exactly as it was; the user's files are only read.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, ClassVar

import duckdb
import polars as pl
from tqdm import tqdm

from dashboard import __version__, store
from dashboard.problems import LoadRejected, Problems
from dashboard.readers import pinned, read_input

CHUNK_ROWS = 200_000
PROGRESS_FROM_ROWS = 200_000


@dataclass
class Prepared:
    """A validated file, ready to write."""

    path: Path
    file_hash: str
    file_format: str
    frame: pl.DataFrame | None     # rows to insert, named as the target table's columns (None when staged)
    rows_read: int
    scope: str                     # what the file covers, in words
    layout: str | None = None
    notices: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    table: str | None = None       # target table when a loader writes to more than one
    columns: list[str] | None = None
    staged: object | None = None   # survey_sql.StagedRows: rows checked in DuckDB, streamed in batches

    @property
    def row_count(self) -> int:
        return self.staged.rows if self.staged is not None else self.frame.height

    def release(self) -> None:
        """Remove the staged rows' temporary folder (nothing to do for a frame)."""
        if self.staged is not None:
            self.staged.close()


@dataclass
class LoadResult:
    file_name: str
    status: str                    # loaded | skipped
    load_id: int | None = None
    rows: int = 0
    scope: str = ""
    replaced: list[str] = field(default_factory=list)
    message: str = ""


class Loader:
    """One kind of input. Subclasses say how to read, validate and write it."""

    kind: ClassVar[str]
    table: ClassVar[str]                  # target table
    formats: ClassVar[tuple[str, ...]] = ("csv",)

    def prepare(self, path: Path, digest: str, options: dict) -> Prepared:
        """Read and validate; raise LoadRejected with every problem found."""
        raise NotImplementedError

    def check_store(self, con: duckdb.DuckDBPyConnection, prepared: Prepared, replace: bool,
                    problems: Problems) -> list[str]:
        """Compare with what is loaded. Adds problems for clashes (when not replacing); when
        replacing, deletes what the file supersedes and returns what it replaced, in words."""
        return []

    def after_insert(self, con: duckdb.DuckDBPyConnection, prepared: Prepared) -> None:
        """Derived tables (e.g. survey answer counts) for the scope just written."""

    def columns(self) -> list[str]:
        raise NotImplementedError

    def streams(self, path: Path) -> bool:
        """Whether prepare_stream (copy, hash and check without holding the file) reads this file."""
        return False

    def prepare_stream(self, path: Path, options: dict) -> Prepared:
        raise NotImplementedError


def _insert(con: duckdb.DuckDBPyConnection, loader: Loader, prepared: Prepared, load_id: int,
            progress: Callable[[str], None]) -> None:
    cols = prepared.columns or loader.columns()
    table = prepared.table or loader.table
    n = prepared.row_count
    if prepared.staged is not None:
        insert = store.with_identifiers("INSERT INTO {table} ({all}) SELECT $load_id, {cols} FROM incoming_chunk",
                                        table=table, all=["load_id", *cols], cols=cols)
        chunks = ((batch, {"load_id": load_id}) for batch in prepared.staged.batches(CHUNK_ROWS))
    else:
        frame = prepared.frame.select(cols).with_columns(pl.lit(load_id, dtype=pl.Int32).alias("load_id"))
        insert = store.with_identifiers("INSERT INTO {table} ({cols}) SELECT {cols} FROM incoming_chunk",
                                        table=table, cols=["load_id", *cols])
        chunks = ((frame.slice(start, CHUNK_ROWS).to_arrow(), None) for start in range(0, n, CHUNK_ROWS))
    long_load = n >= PROGRESS_FROM_ROWS
    interactive = sys.stderr.isatty()
    # A bar for people at a terminal; plain lines for logs and for programs that watch the load.
    bar = tqdm(total=n, unit=" rows", desc=f"writing {prepared.path.name}", file=sys.stderr,
               disable=not (long_load and interactive), leave=False)
    try:
        written = 0
        for chunk, params in chunks:
            con.register("incoming_chunk", chunk)
            con.execute(insert, params)
            con.unregister("incoming_chunk")
            bar.update(chunk.num_rows)
            written += chunk.num_rows
            if long_load and not interactive:
                progress(f"written {written:,} of {n:,} rows of {prepared.path.name}")
    finally:
        bar.close()


@dataclass
class Checked:
    """Files read and validated before the database is opened for writing (see check_files)."""

    prepared: list[Prepared]
    repeats: list[LoadResult] = field(default_factory=list)   # same bytes as another file of the command


def check_files(loader: Loader, files: list[Path], options: dict | None = None,
                progress: Callable[[str], None] | None = None) -> Checked:
    """Read every file once (exactly as named: no pattern is expanded), hash the bytes read and
    validate those very bytes. Raises LoadRejected with every problem; touches no database, so a
    slow or hostile file never holds the write lock."""
    options = options or {}
    progress = progress or (lambda msg: None)
    problems = Problems()
    prepared: list[Prepared] = []
    seen: dict[str, str] = {}
    repeats: list[LoadResult] = []
    for path in files:
        path = Path(path)
        if loader.streams(path):
            # Copied, hashed and checked in one pass by the loader (never whole in memory).
            progress(f"reading and checking {path.name}")
            try:
                streamed = loader.prepare_stream(path, options)
            except LoadRejected as exc:
                problems.extend(exc.problems)
                continue
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:
                problems.add(path.name, None, None, None, _unforeseen(loader, exc))
                continue
            if streamed.file_hash in seen:
                streamed.release()
                repeats.append(LoadResult(path.name, "skipped", message=(
                    f"{path.name}: already loaded, same content as {seen[streamed.file_hash]} in this same command; "
                    "nothing to do")))
                continue
            seen[streamed.file_hash] = path.name
            prepared.append(streamed)
            continue
        try:
            item = read_input(path)
        except LoadRejected as exc:
            problems.extend(exc.problems)
            continue
        if item.digest in seen:     # the same bytes twice in one command: loaded once
            repeats.append(LoadResult(path.name, "skipped", message=(
                f"{path.name}: already loaded, same content as {seen[item.digest]} in this same command; "
                "nothing to do")))
            continue
        seen[item.digest] = path.name
        progress(f"reading and checking {path.name}")
        try:
            with pinned(item):
                prepared.append(loader.prepare(path, item.digest, options))
        except LoadRejected as exc:
            problems.extend(exc.problems)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:
            # The last line of defence: a file no check foresaw is refused by name, never a
            # traceback (BaseException: a panic in polars' Rust code arrives as PanicException).
            problems.add(path.name, None, None, None, _unforeseen(loader, exc))
    if problems:
        for item in prepared:
            item.release()
        raise LoadRejected(problems)
    return Checked(prepared, repeats)


def _unforeseen(loader: Loader, exc: BaseException) -> str:
    return (f"a file the {loader.kind} loader can read (it failed with {type(exc).__name__}: "
            f"{str(exc).splitlines()[0][:200] if str(exc) else ''}; please report this)")


def run_load(con: duckdb.DuckDBPyConnection, loader: Loader, files: list[Path], replace: bool = False,
             options: dict | None = None, progress: Callable[[str], None] | None = None,
             synthetic: bool = False, checked: Checked | None = None, publish: bool = True) -> list[LoadResult]:
    """Load `files` as one transaction. Raises LoadRejected (nothing written) on any problem.
    `checked` (from check_files, run before the database was opened) skips reading again.

    With `publish` (the default), the figures the load can change are computed, gated and stored
    in the published tables (dashboard.publish) in the same transaction, so readers never see
    figures of a half-applied load. The demo, which loads many batches, publishes once at the end."""
    progress = progress or (lambda msg: None)
    checked = checked or check_files(loader, files, options, progress)
    try:
        return _write(con, loader, checked, replace, progress, synthetic, publish)
    finally:
        for item in checked.prepared:   # staged rows' temporary folders
            item.release()


def _write(con: duckdb.DuckDBPyConnection, loader: Loader, checked: Checked, replace: bool,
           progress: Callable[[str], None], synthetic: bool, publish: bool) -> list[LoadResult]:
    results: list[LoadResult] = list(checked.repeats)
    problems = Problems()
    prepared: list[Prepared] = []
    for item in checked.prepared:
        earlier = con.execute(
            "SELECT load_id, file_name, loaded_at FROM load_log WHERE kind = ? AND file_hash = ? ORDER BY load_id LIMIT 1",
            [loader.kind, item.file_hash]).fetchall()
        if earlier:
            load_id, name, at = earlier[0]
            results.append(LoadResult(item.path.name, "skipped", message=(
                f"{item.path.name}: already loaded, same content as load #{load_id} ({name}, {at:%Y-%m-%d %H:%M}); "
                "nothing to do")))
            continue
        prepared.append(item)
    if not prepared:
        return results

    # Streamed rows are written under the same memory cap as their staging (restored for the
    # publish step): the database's cache would otherwise keep every block the load writes.
    capped = any(item.staged is not None for item in prepared)
    limit = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0] if capped else None
    con.execute("BEGIN TRANSACTION")
    try:
        if capped:
            from dashboard.loaders.survey_sql import memory_limit_mb

            con.execute("SET memory_limit = $limit", {"limit": f"{memory_limit_mb()}MB"})
        for item in prepared:
            started = time.perf_counter()
            replaced = loader.check_store(con, item, replace, problems)
            if problems:
                continue
            load_id = con.execute("SELECT nextval('load_id_seq')").fetchall()[0][0]
            _insert(con, loader, item, load_id, progress)
            loader.after_insert(con, item)
            seconds = time.perf_counter() - started
            con.execute(
                "INSERT INTO load_log (load_id, kind, file_name, file_hash, file_format, layout, rows_read, "
                "rows_loaded, scope, replaced, loaded_at, seconds, tool_version, synthetic) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [load_id, loader.kind, item.path.name, item.file_hash, item.file_format, item.layout,
                 item.rows_read, item.row_count, item.scope, "; ".join(replaced) or None,
                 datetime.now(timezone.utc).replace(tzinfo=None), seconds, __version__, synthetic])
            results.append(LoadResult(item.path.name, "loaded", load_id, item.row_count, item.scope, replaced,
                                      message="\n".join(item.notices)))
        if problems:
            raise LoadRejected(problems)
        if capped:
            con.execute("SET memory_limit = $limit", {"limit": limit})
        if publish and any(r.status == "loaded" for r in results):
            from dashboard.publish import publish as publish_figures

            progress("publishing the figures this load changes (computed and gated once, read by every page)")
            progress(publish_figures(con, [loader.kind]).describe())
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        if capped:
            con.execute("SET memory_limit = $limit", {"limit": limit})
    return results
