"""The hostile corpus (tests/hostile/make_corpus.py, written once per session into a temporary
folder): every file is either a correct load or exit 1 with a message naming the file, and never
a traceback, a hang, a partial write or a changed file.

Each case loads into a database that already holds the OTHER kinds' good inputs (so "unchanged"
is checked against real data, and nothing in the database is a reason to refuse the file)."""
from __future__ import annotations

import faulthandler
import hashlib
import shutil
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import GOOD_INPUTS, query, run_cli, snapshot
from tests.hostile import make_corpus

CASES = make_corpus.cases()
BY_ID = {c.id: c for c in CASES}
CASE_SECONDS = 30      # bounded time: far above any case (the slowest takes about 2 s here)


def test_corpus_has_at_least_two_hundred_hostile_files():
    assert len(CASES) >= 200, len(CASES)


def test_corpus_covers_every_kind_and_every_family_of_hostile_input():
    assert {c.kind for c in CASES} == set(make_corpus.KINDS)
    tags = {t for c in CASES for t in c.tags}
    for family in ["name", "encoding", "bom", "line-endings", "nul", "control", "huge", "wide", "header", "empty",
                   "structure", "binary", "formula", "zip-bomb", "types", "xlsx", "parquet", "linear", "numbers",
                   "truncated", "injection", "dfe"]:
        assert family in tags, family


def test_corpus_generation_is_deterministic(tmp_path):
    few = [c for c in CASES if c.kind == "dfe" and c.name.endswith((".xlsx", ".parquet"))][:12]
    make_corpus.write(tmp_path / "a", few)
    make_corpus.write(tmp_path / "b", few)
    for c in few:
        assert (tmp_path / "a" / c.kind / c.name).read_bytes() == (tmp_path / "b" / c.kind / c.name).read_bytes(), c.id


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    make_corpus.write(folder, CASES)
    return folder


@pytest.fixture(scope="session")
def baselines(tmp_path_factory) -> dict[str, Path]:
    """Per kind: a database holding every other kind's good inputs."""
    out = {}
    for kind in make_corpus.KINDS:
        db = tmp_path_factory.mktemp(f"hostile-base-{kind}") / "base.duckdb"
        for other in make_corpus.KINDS:
            if other == kind:
                continue
            files = sorted(p for p in (GOOD_INPUTS / other).glob("*") if p.is_file())
            assert run_cli("load", other, *files, "--db", db, "--quiet") == 0, other
        out[kind] = db
    return out


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("case_id", [c.id for c in CASES])
def test_hostile_file_is_a_correct_load_or_a_clear_refusal(case_id, corpus, baselines, tmp_path, capsys):
    case = BY_ID[case_id]
    path = corpus / case.kind / case.name
    db = tmp_path / "case.duckdb"
    shutil.copy(baselines[case.kind], db)
    before_db = snapshot(db)
    before_file = _digest(path)
    capsys.readouterr()

    # A hang is a failure with the stacks of every thread, never a stuck suite.
    faulthandler.dump_traceback_later(CASE_SECONDS * 4, exit=True, file=sys.__stderr__)
    started = time.perf_counter()
    try:
        code = run_cli("load", case.kind, path, "--db", db, "--quiet")
    finally:
        faulthandler.cancel_dump_traceback_later()
    seconds = time.perf_counter() - started

    out, err = capsys.readouterr()
    assert seconds < CASE_SECONDS, f"{case_id} took {seconds:.1f} s"
    assert "Traceback" not in err and "Traceback" not in out
    assert _digest(path) == before_file, "the input file changed"
    if case.expect == "load":
        assert code == 0, f"{case_id} should load, but exit {code}:\n{err}"
        logged = query(db, "SELECT file_name, file_hash FROM load_log ORDER BY load_id DESC LIMIT 1")
        assert logged == [(case.name, before_file)], "the load log must name this file and the hash of its bytes"
    else:
        assert code == 1, f"{case_id} should be refused with exit 1, got {code}:\n{err}"
        assert case.name in err, f"the message does not name the file:\n{err}"
        assert "Nothing was loaded" in err
        if case.says:
            assert case.says in err, f"the message does not say {case.says!r}:\n{err}"
        if case.row is not None:
            assert f"row {case.row}" in err, f"the message does not name row {case.row}:\n{err}"
        if case.column is not None:
            assert f"column '{case.column}'" in err, f"the message does not name column {case.column}:\n{err}"
        assert snapshot(db) == before_db, "a refused load changed the database"
