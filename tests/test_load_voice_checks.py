"""The voice-checks loader (spec 3.4): returns 2a and 2c, one row per child, date and check."""
from __future__ import annotations

from datetime import date
from pathlib import Path


from tests.conftest import GOOD_INPUTS, query, run_cli, write_lines

KENT = GOOD_INPUTS / "voice-checks" / "kent_checks_2024.csv"
HEADER = "child_ref,la_code,date,check,answer"


def write(tmp_path: Path, name: str, *rows: str) -> Path:
    return write_lines(tmp_path / name, HEADER, *rows)


def test_good_file_loads_with_normalised_checks_and_answers(db):
    assert run_cli("load", "voice-checks", KENT, "--db", db, "--quiet") == 0
    assert query(db, "SELECT la_code, child_ref, check_date, check_type, answer FROM voice_checks ORDER BY ALL") == [
        ("E10000016", "C1001", date(2024, 2, 1), "feedback_sought", "yes"),
        ("E10000016", "C1001", date(2024, 2, 1), "voice_heard_assessment", "yes"),
        ("E10000016", "C1001", date(2024, 5, 1), "feedback_sought", "no"),
        ("E10000016", "C1002", date(2024, 2, 8), "voice_heard_closure", "not_appropriate"),
        ("E10000016", "C1003", date(2024, 3, 12), "feedback_sought", "not_appropriate"),
    ]


def test_same_check_of_the_same_child_on_another_date_is_a_new_record(db, tmp_path):
    run_cli("load", "voice-checks", KENT, "--db", db, "--quiet")
    later = write(tmp_path, "later.csv", "C1001,E10000016,2024-08-01,feedback_sought,yes")
    assert run_cli("load", "voice-checks", later, "--db", db, "--quiet") == 0
    assert query(db, "SELECT count(*) FROM voice_checks WHERE child_ref = 'C1001' AND check_type = 'feedback_sought'") == [(3,)]


def test_clash_is_found_whichever_way_the_key_is_written(db, tmp_path, capsys):
    run_cli("load", "voice-checks", KENT, "--db", db, "--quiet")
    again = write(tmp_path, "again.csv", "C1001,886,01/02/2024,Voice Heard Assessment,no")
    capsys.readouterr()
    assert run_cli("load", "voice-checks", again, "--db", db, "--quiet") == 1
    assert "found 'E10000016 / C1001 / 2024-02-01 / voice_heard_assessment'" in capsys.readouterr().err


def test_replace_swaps_the_answer_of_the_same_check_and_says_what_it_replaced(db, tmp_path, capsys):
    run_cli("load", "voice-checks", KENT, "--db", db, "--quiet")
    newer = write(tmp_path, "corrected.csv", "C1001,E10000016,2024-05-01,feedback_sought,yes")
    capsys.readouterr()
    assert run_cli("load", "voice-checks", newer, "--db", db, "--replace", "--quiet") == 0
    assert "replaced 1 voice check from load #1 (kent_checks_2024.csv)" in capsys.readouterr().out
    assert query(db, "SELECT answer, load_id FROM voice_checks WHERE check_date = DATE '2024-05-01'") == [("yes", 2)]
    assert query(db, "SELECT count(*) FROM voice_checks") == [(5,)]
