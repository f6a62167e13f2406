"""The dashboard's database: one cached read-only DuckDB connection, and what the app's shell reads.

The app opens the file read-only and keeps it open (st.cache_resource), so many browser sessions
share one connection; every query runs on its own cursor, which DuckDB makes safe across threads.
While the app holds the file, a loader (a read-write process) cannot open it: that is how DuckDB
works, and the loader says so. When the database has no loads yet the app lets go of the file at
once, so that the commands it suggests can write to it.

The shell shows only what is loaded (kinds, local authorities by name, survey waves, DfE datasets,
files): never a figure about children. Those figures come with disclosure control.
"""
from __future__ import annotations

import functools
import shlex
import stat
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from dashboard import paths, publishable, store
from dashboard.loaders import KINDS

# kind -> (name shown, what it holds)
KIND_LABELS: dict[str, tuple[str, str]] = {
    "bright-spots": ("Bright Spots surveys", "what children in care and care leavers say about their lives"),
    "feedback": ("Feedback forms", "how direct work felt to children and families"),
    "participation": ("Participation in reviews", "how children took part in their reviews (PN codes)"),
    "voice-checks": ("Voice checks", "checks that each child's voice was heard and their feedback sought"),
    "dfe": ("DfE statistics", "published children's social care statistics for every local authority"),
    "actions": ("You said, we did", "what was done about what children and families said"),
    "themes": ("Themes", "what children and families said, grouped by theme"),
    "voice-activities": ("Ways we listen", "the register of every way the LA asks children what they think"),
}

SURVEY_NAMES = {
    "YLYC": "Your Life, Your Care (children in care)",
    "YLBC": "Your Life Beyond Care (care leavers)",
}

READY, MISSING, EMPTY, LOCKED, UNREADABLE, UNPUBLISHED = "ready", "missing", "empty", "locked", "unreadable", "unpublished"


@dataclass(frozen=True)
class DbState:
    """Whether the app can show the database, and if not, why."""

    path: Path
    status: str            # ready | missing | empty | locked | unreadable | unpublished
    detail: str = ""
    loads: int = 0
    synthetic_loads: int = 0

    @property
    def ready(self) -> bool:
        return self.status == READY

    @property
    def synthetic(self) -> bool:
        return self.synthetic_loads > 0


def db_path() -> Path:
    """The database the app shows: $VOICE_DB (set by `voice-dashboard serve`), else data/voice.duckdb."""
    return paths.resolve_db(None).resolve()


def _close(con: duckdb.DuckDBPyConnection) -> None:
    con.close()


@st.cache_resource(show_spinner=False, max_entries=4, on_release=_close)
def _connection(path: str, inode: int, mtime_ns: int) -> duckdb.DuckDBPyConnection:
    # inode and mtime are part of the key so a database rebuilt at the same path is reopened.
    return duckdb.connect(path, read_only=True)


def connection(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The shared read-only connection to the database (opened on first use)."""
    path = Path(path) if path else db_path()
    info = path.stat()
    return _connection(str(path), info.st_ino, info.st_mtime_ns)


def data_version(path: Path | None = None) -> tuple:
    """What the published figures are, as a cache key: the file (path, inode, modification time)
    and its newest release. Anything kept from published data under this key is dropped when the
    database is rebuilt, written or published again."""
    path = Path(path) if path else db_path()
    info = path.stat()
    return (str(path), info.st_ino, info.st_mtime_ns, _newest_release(str(path), info.st_ino, info.st_mtime_ns))


@functools.lru_cache(maxsize=8)
def _newest_release(path: str, inode: int, mtime_ns: int) -> int | None:
    # Read once per state of the file: any write (a load, a publish) changes its modification time.
    return query("latest_release", path=Path(path))["release_id"][0]


def release() -> None:
    """Close the shared connection so that other programs can write to the file."""
    _connection.clear()


def query(name: str, params: list | dict | None = None, path: Path | None = None) -> pl.DataFrame:
    """Run queries/NAME.sql on its own cursor of the shared connection."""
    cur = connection(path).cursor()
    try:
        # Free text that may name someone is held back here, so no page can show it by mistake.
        return publishable.screen(name, cur.sql(store.sql(name), params=params or None).pl())
    finally:
        cur.close()


# Ready states by file (path, inode, modification time): every page's run asks, and reading the two
# small tables again took a tenth of the server's CPU under 19 sessions at once. Any write (a load, a
# publish) or a new file changes the key; while the app holds the file open no other program can
# write to it. Only READY is kept: every other state is read afresh, as it can change at any moment.
_ready: dict[tuple, DbState] = {}


def state(path: Path | None = None) -> DbState:
    """Open the database (if it is there and free) and say whether it has anything to show."""
    path = Path(path) if path else db_path()
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):   # as path.is_file() would say
        return DbState(path, MISSING)
    if not stat.S_ISREG(info.st_mode):     # a folder: what path.is_file() said, without a second stat
        return DbState(path, MISSING)
    key = (str(path), info.st_ino, info.st_mtime_ns)
    known = _ready.get(key)
    if known is not None:
        return known
    found = _read_state(path)
    if found.ready:
        if len(_ready) >= 8:
            _ready.clear()
        _ready[key] = found
    return found


def _read_state(path: Path) -> DbState:
    try:
        counts = query("synthetic_loads", path=path)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            return DbState(path, LOCKED, "another program is writing to it (probably a load)")
        return DbState(path, UNREADABLE, _first_line(exc))
    except duckdb.CatalogException:
        release()
        return DbState(path, UNREADABLE, "it has no load log, so it was not made by voice-dashboard")
    except duckdb.Error as exc:
        release()
        return DbState(path, UNREADABLE, _first_line(exc))
    except FileNotFoundError:   # removed since the check above
        return DbState(path, MISSING)
    synthetic_loads, loads = counts.row(0)
    if loads == 0:
        release()   # let the suggested commands write to it
        return DbState(path, EMPTY)
    # Pages read only published figures: they must include the newest load. (`serve` publishes
    # first; a database made by an older version, or changed outside a load, may not be.)
    try:
        newest, published, releases = query("published_state", path=path).row(0)
    except duckdb.CatalogException:
        newest, published, releases = 1, None, 0
    if not releases or newest != published:
        release()   # let `voice-dashboard publish` write to it
        return DbState(path, UNPUBLISHED, "its figures have not been published since the newest load",
                       loads=loads, synthetic_loads=synthetic_loads)
    return DbState(path, READY, loads=loads, synthetic_loads=synthetic_loads)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def publish_command(path: Path) -> str:
    return f"voice-dashboard publish --db {shlex.quote(str(path))}"


def setup_commands(path: Path) -> list[tuple[str, str]]:
    """What to run to put data in the database at `path`: (what it does, the command)."""
    db = shlex.quote(str(path))
    return [
        ("See the dashboard with synthetic demonstration data (builds it first if needed):",
         "voice-dashboard serve --demo"),
        ("Or build the synthetic demo into this database file:",
         f"voice-dashboard demo --db {db}"),
        ("Or load your own files into it (one command per kind; repeat for more files):",
         f"voice-dashboard load bright-spots survey.csv --db {db}\n"
         f"voice-dashboard load dfe published_statistics.csv --db {db}"),
        ("Next time, start the dashboard on it with:",
         f"voice-dashboard serve --db {db}"),
    ]


def kinds_of_data() -> pl.DataFrame:
    """Every kind of input the dashboard knows, with how many files are loaded of each."""
    loaded = {r["kind"]: r for r in query("loads_by_kind").iter_rows(named=True)}
    rows = []
    for kind in KINDS:
        name, what = KIND_LABELS.get(kind, (kind, ""))
        got = loaded.get(kind)
        rows.append({
            "Data": name,
            "What it holds": what,
            "Files loaded": got["files"] if got else 0,
            "Last loaded (UTC)": got["last_loaded"] if got else "not loaded",
            "KIND to load it": kind,
        })
    return pl.DataFrame(rows)


# Short column names for the LA table: which kinds of voice data each LA has (DfE covers every LA).
VOICE_KIND_COLUMNS = {
    "bright-spots": "Surveys",
    "feedback": "Feedback forms",
    "participation": "Reviews",
    "voice-checks": "Voice checks",
    "actions": "Actions",
    "themes": "Themes",
}


def local_authorities() -> pl.DataFrame:
    """One row per LA with voice data, one tick column per kind of voice data."""
    df = query("local_authorities_loaded")
    return df.select(
        pl.col("la_name").alias("Local authority"),
        pl.col("la_code").alias("Code"),
        pl.col("region_name").alias("Region"),
        *[pl.when(pl.col("kinds").list.contains(kind)).then(pl.lit("✓")).otherwise(pl.lit("")).alias(label)
          for kind, label in VOICE_KIND_COLUMNS.items()],
    )


def survey_waves() -> pl.DataFrame:
    df = query("survey_waves_available")
    return df.select(
        pl.col("survey").replace(SURVEY_NAMES).alias("Survey"),
        pl.col("wave").alias("Wave"),
        pl.col("local_authorities").list.len().alias("Local authorities"),
        pl.col("local_authorities").list.join("; ").alias("Which"),
    )


def dfe_datasets() -> pl.DataFrame:
    df = query("dfe_datasets_loaded")
    return df.select(
        pl.col("dataset").alias("Dataset"),
        pl.col("time_periods").list.join(", ").alias("Time periods"),
        pl.col("indicator_columns").alias("Indicator columns"),
        pl.col("loaded_at").alias("Loaded (UTC)"),
        pl.col("file_name").alias("File"),
    )


def load_history() -> pl.DataFrame:
    df = query("load_history")
    synthetic = query("synthetic_load_ids")["load_id"].to_list()
    return df.select(
        pl.col("load_id").alias("Load"),
        pl.col("loaded_at").alias("Loaded (UTC)"),
        pl.col("kind").replace(_kind_names()).alias("Data"),
        pl.col("file_name").alias("File"),
        pl.col("rows_loaded").alias("Rows in file"),
        pl.when(pl.col("load_id").is_in(synthetic)).then(pl.lit("✓")).otherwise(pl.lit("")).alias("Synthetic"),
        pl.col("scope").alias("Covers"),
        pl.col("replaced").fill_null("").alias("Replaced"),
        pl.col("tool_version").alias("Version"),
        pl.col("file_hash").alias("SHA-256 of the file"),
    )


def _kind_names() -> dict[str, str]:
    return {k: v[0] for k, v in KIND_LABELS.items()}
