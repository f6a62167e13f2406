"""The limits on input files are configurable in the environment, and a wrong setting is a plain error."""
from __future__ import annotations

import pytest

from tests.conftest import GOOD_INPUTS, run_cli
from tests.hostile import make_corpus

THEMES = GOOD_INPUTS / "themes" / "kent_themes_2024.csv"


def test_cell_limit_is_configurable(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VOICE_MAX_CELL_CHARS", "20")
    assert run_cli("load", "themes", THEMES, "--db", tmp_path / "v.duckdb", "--quiet") == 1
    err = capsys.readouterr().err
    assert "a cell of at most 20 characters" in err
    assert "column 'quote'" in err and "VOICE_MAX_CELL_CHARS" in err


def test_file_size_limit_is_configurable(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VOICE_MAX_FILE_MB", "0.0001")
    assert run_cli("load", "themes", THEMES, "--db", tmp_path / "v.duckdb", "--quiet") == 1
    err = capsys.readouterr().err
    assert "kent_themes_2024.csv" in err and "a file of at most 0.0001 MB" in err
    assert not (tmp_path / "v.duckdb").exists()


def test_column_limit_is_configurable(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VOICE_MAX_COLUMNS", "5")
    assert run_cli("load", "themes", THEMES, "--db", tmp_path / "v.duckdb", "--quiet") == 1
    assert "at most 5 columns (this file has 8" in capsys.readouterr().err


def test_unzipped_xlsx_limit_is_configurable(tmp_path, monkeypatch, capsys):
    case = next(c for c in make_corpus.cases() if c.id == "bright-spots/good.xlsx")
    path = tmp_path / "survey.xlsx"
    path.write_bytes(case.content())
    assert run_cli("load", "bright-spots", path, "--db", tmp_path / "a.duckdb", "--quiet") == 0
    monkeypatch.setenv("VOICE_MAX_XLSX_MB", "0.001")
    assert run_cli("load", "bright-spots", path, "--db", tmp_path / "b.duckdb", "--quiet") == 1
    assert "at most 0.001 MB once unzipped" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["lots", "-3", "0"])
def test_a_wrong_limit_setting_is_a_usage_error_in_plain_words(value, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VOICE_MAX_CELL_CHARS", value)
    assert run_cli("load", "themes", THEMES, "--db", tmp_path / "v.duckdb", "--quiet") == 2
    err = capsys.readouterr().err
    assert "VOICE_MAX_CELL_CHARS" in err and "Traceback" not in err
