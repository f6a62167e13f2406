"""A load is one transaction: an error anywhere, or a killed process, leaves the database as it was."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from dashboard import store
from dashboard.loaders import loader_for, run_load
from dashboard.problems import LoadRejected
from tests.conftest import GOOD_INPUTS, run_cli, snapshot

KENT = GOOD_INPUTS / "bright-spots" / "kent_2024_long.csv"
QUESTIONS = ["feel_safe_home", "trust_carers", "good_friend", "trusted_adult", "know_worker"]  # asked of 4-17


def big_survey(path: Path, respondents: int, la_code: str = "E08000025", bad_last_answer: bool = False) -> int:
    """A valid long-layout file with respondents x 5 answers (Birmingham, YLYC 2023, ages 8-10)."""
    n = respondents * len(QUESTIONS)
    ids = pl.int_range(0, n, eager=True)
    answers = {"feel_safe_home": "Sometimes", "trust_carers": "All or most of the time", "good_friend": "Yes",
               "trusted_adult": "No", "know_worker": "Yes"}
    frame = pl.DataFrame({
        "respondent_id": (ids // len(QUESTIONS)).cast(pl.String).str.pad_start(8, "0"),
        "la_code": la_code, "survey": "YLYC", "wave": "2023", "age_band": "8-10",
        "question_id": pl.Series([QUESTIONS[i % len(QUESTIONS)] for i in range(len(QUESTIONS))] * respondents),
    })
    frame = frame.with_columns(pl.col("question_id").replace_strict(answers).alias("answer"))
    if bad_last_answer:
        frame = frame.with_columns(pl.when(pl.int_range(0, n) == n - 1).then(pl.lit("Perhaps"))
                                   .otherwise(pl.col("answer")).alias("answer"))
    frame.write_csv(path)
    return n


@pytest.fixture
def loaded_db(db) -> Path:
    assert run_cli("load", "bright-spots", KENT, "--db", db, "--quiet") == 0
    return db


def test_an_error_on_the_last_row_of_a_large_file_leaves_no_trace(loaded_db, tmp_path, capsys):
    path = tmp_path / "birmingham_2023.csv"
    n = big_survey(path, 60_000, bad_last_answer=True)
    before = snapshot(loaded_db)
    assert run_cli("load", "bright-spots", path, "--db", loaded_db, "--quiet") == 1
    assert f"row {n + 1}, column 'answer': found 'Perhaps'" in capsys.readouterr().err
    assert snapshot(loaded_db) == before


def test_a_bad_second_file_stops_the_first_file_of_the_same_command(loaded_db, tmp_path):
    good = tmp_path / "birmingham_2023.csv"
    big_survey(good, 10)
    bad = tmp_path / "bad.csv"
    bad.write_text("respondent_id,la_code,survey,wave,age_band,question_id,answer\n"
                   "x1,E08000025,YLYC,2021,8-10,feel_safe_home,Never ever\n", encoding="utf-8")
    before = snapshot(loaded_db)
    assert run_cli("load", "bright-spots", good, bad, "--db", loaded_db, "--quiet") == 1
    assert snapshot(loaded_db) == before


def test_a_clash_found_inside_the_transaction_rolls_back_earlier_files(loaded_db, tmp_path):
    # The first file is new; the second clashes with a loaded wave: neither may stay.
    good = tmp_path / "birmingham_2023.csv"
    big_survey(good, 10)
    clash = tmp_path / "kent_again.csv"
    clash.write_text("respondent_id,la_code,survey,wave,age_band,question_id,answer\n"
                     "k5,E10000016,YLYC,2024,8-10,feel_safe_home,Sometimes\n", encoding="utf-8")
    before = snapshot(loaded_db)
    assert run_cli("load", "bright-spots", good, clash, "--db", loaded_db, "--quiet") == 1
    assert snapshot(loaded_db) == before


def test_a_failure_while_writing_rolls_back_everything(loaded_db, tmp_path):
    path = tmp_path / "birmingham_2023.csv"
    big_survey(path, 100)
    loader = loader_for("bright-spots")

    def fail_after_rows_are_written(con, prepared):
        raise OSError("disk full (simulated after the rows were inserted)")

    loader.after_insert = fail_after_rows_are_written
    before = snapshot(loaded_db)
    con = store.connect(loaded_db)
    with pytest.raises(OSError):
        run_load(con, loader, [path])
    con.close()
    assert snapshot(loaded_db) == before


def test_run_load_raises_with_every_problem_before_writing(loaded_db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("respondent_id,la_code,survey,wave,age_band,question_id,answer\n"
                   "x1,E08000025,YLYC,2021,8-10,feel_safe_home,Never ever\n"
                   "x2,E08000025,YLYC,2021,8-10,good_friend,Maybe\n", encoding="utf-8")
    con = store.connect(loaded_db)
    with pytest.raises(LoadRejected) as info:
        run_load(con, loader_for("bright-spots"), [bad])
    con.close()
    assert info.value.problems.total == 2


@pytest.mark.slow
def test_a_process_killed_mid_load_leaves_the_previous_state(loaded_db, tmp_path):
    path = tmp_path / "birmingham_2023_big.csv"
    big_survey(path, 300_000)  # 1.5 million answers: written in several chunks
    before = snapshot(loaded_db)
    # A killed load leaves its staging folder behind: keep it in this test's own folder, not in /tmp.
    staging = tmp_path / "staging"
    staging.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "load", "bright-spots", str(path), "--db", str(loaded_db)],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env={**os.environ, "VOICE_LOAD_TMP": str(staging)})
    killed = False
    for line in proc.stderr:  # the loader reports each chunk it has written inside the transaction
        if line.startswith("written "):
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
            break
    proc.wait(timeout=120)
    assert killed, "the load finished before it could be killed"
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(loaded_db) == before
    # And the database is still usable for the next load.
    small = tmp_path / "birmingham_small.csv"
    big_survey(small, 3)
    assert run_cli("load", "bright-spots", small, "--db", loaded_db, "--quiet") == 0
