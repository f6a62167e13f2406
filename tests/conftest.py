"""Shared test helpers: real DuckDB files in tmp folders, the real DfE files when present."""
from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from dashboard import cli, store

ROOT = Path(__file__).resolve().parent.parent
SHARED_DFE = ROOT.parent / "shared" / "data" / "dfe"
BAD_INPUTS = Path(__file__).resolve().parent / "bad_inputs"
GOOD_INPUTS = Path(__file__).resolve().parent / "good_inputs"

needs_shared_dfe = pytest.mark.skipif(
    not SHARED_DFE.is_dir(),
    reason=f"the real DfE files are not here ({SHARED_DFE} is absent: it sits beside the repository in CI)",
)


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
