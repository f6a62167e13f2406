"""Files are read exactly as named: a name holding [ ] * ? is a name, never a pattern; the SHA-256
in the load log is of the bytes that were loaded; what is not a regular file is refused."""
from __future__ import annotations

import hashlib
import os
import signal
from pathlib import Path

import pytest

from tests.conftest import GOOD_INPUTS, query, run_cli, snapshot

THEMES = (GOOD_INPUTS / "themes" / "kent_themes_2024.csv").read_text(encoding="utf-8")
HEADER, *ROWS = THEMES.splitlines()


def themes_file(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def loaded(db: Path) -> list[tuple]:
    return query(db, "SELECT file_name, file_hash, rows_loaded FROM load_log ORDER BY load_id")


def test_brackets_in_a_name_load_that_file_not_the_one_the_pattern_matches(tmp_path, capsys):
    named = themes_file(tmp_path / "survey[1].csv", ROWS[:2])
    themes_file(tmp_path / "survey1.csv", ROWS[:3])        # what the pattern survey[1].csv would match
    db = tmp_path / "v.duckdb"

    assert run_cli("load", "themes", named, "--db", db, "--quiet") == 0

    assert loaded(db) == [("survey[1].csv", hashlib.sha256(named.read_bytes()).hexdigest(), 2)]


def test_a_star_in_a_name_loads_one_file_not_every_match(tmp_path):
    named = themes_file(tmp_path / "report*.csv", ROWS[:1])
    themes_file(tmp_path / "report_a.csv", ROWS[1:2])
    themes_file(tmp_path / "report_b.csv", ROWS[2:3])
    db = tmp_path / "v.duckdb"

    assert run_cli("load", "themes", named, "--db", db, "--quiet") == 0

    assert loaded(db) == [("report*.csv", hashlib.sha256(named.read_bytes()).hexdigest(), 1)]


def test_a_name_with_spaces_and_brackets_is_read_not_refused_as_a_bad_pattern(tmp_path):
    named = themes_file(tmp_path / "kent [final].csv", ROWS[:2])
    db = tmp_path / "v.duckdb"

    assert run_cli("load", "themes", named, "--db", db, "--quiet") == 0

    assert loaded(db)[0][0] == "kent [final].csv"


def test_a_question_mark_in_a_name_that_matches_nothing_else_is_still_read(tmp_path):
    named = themes_file(tmp_path / "what?.csv", ROWS[:2])
    themes_file(tmp_path / "whatX.csv", ROWS[:3])
    db = tmp_path / "v.duckdb"

    assert run_cli("load", "themes", named, "--db", db, "--quiet") == 0

    assert loaded(db) == [("what?.csv", hashlib.sha256(named.read_bytes()).hexdigest(), 2)]


def test_a_pattern_that_only_matches_other_files_is_a_missing_file(tmp_path, capsys):
    themes_file(tmp_path / "survey1.csv", ROWS[:2])
    db = tmp_path / "v.duckdb"
    capsys.readouterr()

    assert run_cli("load", "themes", tmp_path / "survey[1].csv", "--db", db, "--quiet") == 1

    err = capsys.readouterr().err
    assert "survey[1].csv" in err and "a file that exists" in err
    assert not db.exists(), "a refused load must not even create the database"


def _refused_as_not_regular(path: Path, tmp_path: Path, capsys, kind: str) -> None:
    db = tmp_path / "v.duckdb"
    run_cli("load", "themes", themes_file(tmp_path / "ok.csv", ROWS[:1]), "--db", db, "--quiet")
    before = snapshot(db)
    capsys.readouterr()

    code = run_cli("load", "themes", path, "--db", db, "--quiet")

    err = capsys.readouterr().err
    assert code == 1
    assert "not a regular file" in err and kind in err and path.name in err
    assert "Traceback" not in err
    assert snapshot(db) == before


def test_a_folder_is_refused_as_not_a_regular_file(tmp_path, capsys):
    folder = tmp_path / "themes.csv"
    folder.mkdir()
    _refused_as_not_regular(folder, tmp_path, capsys, "a folder")


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path, capsys):
    fifo = tmp_path / "themes.csv"
    os.mkfifo(fifo)

    def hung(signum, frame):
        raise AssertionError("the load waited on the FIFO (opening it for reading blocks until a writer comes)")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    try:
        _refused_as_not_regular(fifo, tmp_path, capsys, "named pipe")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_device_is_refused_as_not_a_regular_file(tmp_path, capsys):
    _refused_as_not_regular(Path("/dev/zero"), tmp_path, capsys, "a device")


def test_the_hash_logged_is_of_the_bytes_parsed_even_if_the_file_changes_after_reading(tmp_path, monkeypatch):
    """The bytes are read once: a file rewritten between hashing and parsing cannot make the log lie."""
    from dashboard.loaders.themes import ThemesLoader

    named = themes_file(tmp_path / "t.csv", ROWS[:2])
    first_bytes = named.read_bytes()
    real_prepare = ThemesLoader.prepare

    def prepare_after_swap(self, path, digest, options):
        themes_file(named, ROWS[:4])   # another program rewrites the file mid-load
        return real_prepare(self, path, digest, options)

    monkeypatch.setattr(ThemesLoader, "prepare", prepare_after_swap)
    db = tmp_path / "v.duckdb"

    assert run_cli("load", "themes", named, "--db", db, "--quiet") == 0

    assert loaded(db) == [("t.csv", hashlib.sha256(first_bytes).hexdigest(), 2)]


def test_files_are_checked_before_the_database_is_opened_for_writing(tmp_path, monkeypatch):
    """While a file is being read and checked, another program can still write the database: the
    load takes DuckDB's write lock only once every file has passed."""
    import subprocess
    import sys

    from dashboard import store
    from dashboard.loaders.themes import ThemesLoader

    db = tmp_path / "v.duckdb"
    store.connect(db).close()
    named = themes_file(tmp_path / "t.csv", ROWS[:2])
    real_prepare = ThemesLoader.prepare
    others_could_write = []

    def prepare_and_try_the_lock(self, path, digest, options):
        probe = subprocess.run([sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1]).close()", str(db)],
                               capture_output=True, text=True)
        others_could_write.append(probe.returncode == 0)
        return real_prepare(self, path, digest, options)

    monkeypatch.setattr(ThemesLoader, "prepare", prepare_and_try_the_lock)

    assert run_cli("load", "themes", named, "--db", db, "--quiet") == 0

    assert others_could_write == [True]
