"""The register of the ways an LA listens (input kind voice-activities, data set 1a part B)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.conftest import GOOD_INPUTS, query, run_cli, write_lines

KENT = GOOD_INPUTS / "voice-activities" / "kent_register.csv"
HEADER = ("activity_id,la_code,activity,kind,cohorts,age_range,how_often,owner,findings_used,hear_back,"
          "action_source,themes,start_date,end_date")


def write(tmp_path: Path, name: str, *lines: str, header: str = HEADER) -> Path:
    return write_lines(tmp_path / name, header, *lines)


def test_good_register_loads_with_codes_normalised_and_lists_split(db):
    assert run_cli("load", "voice-activities", KENT, "--db", db, "--quiet") == 0
    assert query(db, "SELECT la_code, activity_id, kind, cohorts, age_from, age_to, how_often, action_source, themes, "
                     "start_date, end_date FROM voice_activities ORDER BY activity_id") == [
        ("E10000016", "V01", "survey", ["child_in_care", "care_leaver"], 4, 25, "yearly", "bright_spots", None,
         date(2023, 1, 15), None),
        ("E10000016", "V02", "group", ["child_in_care"], 11, 17, "monthly", "children_in_care_council",
         ["contact with family", "having a say"], date(2022, 9, 1), None),
        ("E10000016", "V03", "feedback_form", ["child_in_need", "child_protection", "parent_carer"], None, None,
         "ongoing", "feedback", None, date(2023, 4, 1), None),
        ("E10000016", "V04", "interview_panel", ["care_leaver"], 16, 25, "twice_yearly", None, None,
         date(2024, 3, 1), date(2024, 12, 31)),
    ]


def test_free_text_is_kept_as_written(db):
    run_cli("load", "voice-activities", KENT, "--db", db, "--quiet")
    assert query(db, "SELECT hear_back FROM voice_activities WHERE activity_id = 'V01'") == [
        ('A "you said, we did" poster and a letter to every child',)]


def test_optional_columns_may_be_left_out(db, tmp_path):
    path = write(tmp_path, "short.csv", "S1,E10000016,Care leavers forum,forum,care_leaver,monthly,2024-01-01",
                 header="activity_id,la_code,activity,kind,cohorts,how_often,start_date")
    assert run_cli("load", "voice-activities", path, "--db", db, "--quiet") == 0
    assert query(db, "SELECT age_from, age_to, owner, themes, end_date FROM voice_activities") == [
        (None, None, None, None, None)]


def test_a_cohort_given_twice_is_kept_once(db, tmp_path):
    path = write(tmp_path, "twice.csv", "S1,E10000016,Forum,forum,care_leaver; Care leavers ;,,monthly,,,,,,2024-01-01,")
    assert run_cli("load", "voice-activities", path, "--db", db, "--quiet") == 0
    assert query(db, "SELECT cohorts FROM voice_activities") == [(["care_leaver"],)]


def test_an_activity_may_be_planned_to_start_within_the_year(db, tmp_path):
    start = date.today().replace(day=1)
    path = write(tmp_path, "planned.csv", f"S1,E10000016,Forum,forum,care_leaver,,monthly,,,,,,{start.isoformat()},")
    assert run_cli("load", "voice-activities", path, "--db", db, "--quiet") == 0


def test_replace_swaps_the_activity_and_says_what_it_replaced(db, tmp_path, capsys):
    run_cli("load", "voice-activities", KENT, "--db", db, "--quiet")
    newer = write(tmp_path, "update.csv", "V02,E10000016,Children in Care Council,group,child_in_care,11-17,"
                  "fortnightly,,,,children_in_care_council,,2022-09-01,")
    capsys.readouterr()
    assert run_cli("load", "voice-activities", newer, "--db", db, "--replace", "--quiet") == 0
    assert "replaced 1 activity from load #1 (kent_register.csv)" in capsys.readouterr().out
    assert query(db, "SELECT how_often FROM voice_activities WHERE activity_id = 'V02'") == [("fortnightly",)]
    assert query(db, "SELECT count(*) FROM voice_activities") == [(4,)]
