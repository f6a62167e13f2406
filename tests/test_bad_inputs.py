"""The corpus of bad inputs: each must be rejected whole, with a message that names the file,
row and column, a non-zero exit, an unchanged database and an unchanged file.

Layout: tests/bad_inputs/<kind>/<file> with tests/bad_inputs/<kind>/expected.yaml:

    some_file.csv:
      row: 3            # optional: the row the message must name
      column: answer    # optional: the column the message must name
      says: "a whole number from 0 to 10"   # text the message must contain

Before each bad file, every file in tests/good_inputs/<kind>/ is loaded, so "unchanged" is
checked against a database that holds data (and clashes with loaded data can be tested).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import BAD_INPUTS, GOOD_INPUTS, file_digest, run_cli, snapshot


def _cases():
    for expected in sorted(BAD_INPUTS.glob("*/expected.yaml")):
        kind = expected.parent.name
        for name, spec in (yaml.safe_load(expected.read_text(encoding="utf-8")) or {}).items():
            yield pytest.param(kind, name, spec, id=f"{kind}/{name}")


CASES = list(_cases())


def test_corpus_has_at_least_thirty_bad_inputs():
    assert len(CASES) >= 30, f"only {len(CASES)} bad inputs in {BAD_INPUTS}"


def test_every_bad_file_has_an_expectation_and_every_expectation_a_file():
    files = {(p.parent.name, p.name) for p in BAD_INPUTS.glob("*/*") if p.name != "expected.yaml"}
    expected = {(c.values[0], c.values[1]) for c in CASES}
    assert files == expected


@pytest.fixture(scope="module")
def baselines(tmp_path_factory) -> dict[str, Path]:
    """One database per kind holding that kind's good inputs, built once and copied per case."""
    out = {}
    for kind_dir in sorted(BAD_INPUTS.iterdir()):
        if not kind_dir.is_dir():
            continue
        db = tmp_path_factory.mktemp(f"baseline-{kind_dir.name}") / "base.duckdb"
        good = sorted(p for p in (GOOD_INPUTS / kind_dir.name).glob("*") if p.is_file()) if (GOOD_INPUTS / kind_dir.name).is_dir() else []
        if good:
            assert run_cli("load", kind_dir.name, *good, "--db", db, "--quiet") == 0
        else:
            assert run_cli("loads", "--db", db) in (0, 2)
            from dashboard import store
            store.connect(db).close()
        out[kind_dir.name] = db
    return out


@pytest.mark.parametrize("kind,name,spec", CASES)
def test_bad_input_is_rejected_clearly_and_changes_nothing(kind, name, spec, baselines, tmp_path, capsys):
    db = tmp_path / "case.duckdb"
    shutil.copy(baselines[kind], db)
    bad = BAD_INPUTS / kind / name
    before_db = snapshot(db)
    before_file = file_digest(bad)
    capsys.readouterr()

    code = run_cli("load", kind, bad, "--db", db, "--quiet")

    err = capsys.readouterr().err
    assert code != 0, f"{name} was accepted"
    assert "Traceback" not in err
    assert name in err, f"message does not name the file:\n{err}"
    if "row" in spec:
        assert f"row {spec['row']}" in err, f"message does not name row {spec['row']}:\n{err}"
    if "column" in spec:
        assert f"column '{spec['column']}'" in err, f"message does not name column {spec['column']}:\n{err}"
    assert spec["says"] in err, f"message does not say {spec['says']!r}:\n{err}"
    assert snapshot(db) == before_db, "the database changed"
    assert file_digest(bad) == before_file, "the input file changed"
