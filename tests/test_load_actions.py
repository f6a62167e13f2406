"""The "you said, we did" actions loader (spec 3.6)."""
from __future__ import annotations

from datetime import date
from pathlib import Path


from tests.conftest import GOOD_INPUTS, query, run_cli, write_lines

KENT = GOOD_INPUTS / "actions" / "kent_actions_2024.csv"
HEADER = "action_id,la_code,raised_on,source,indicator_id,theme,we_heard,we_did,status,reason,told_children_on,owner"


def write(tmp_path: Path, name: str, *lines: str, header: str = HEADER) -> Path:
    return write_lines(tmp_path / name, header, *lines)


def test_good_file_loads_with_normalised_codes_and_free_text_as_written(db):
    assert run_cli("load", "actions", KENT, "--db", db, "--quiet") == 0
    assert query(db, "SELECT la_code, action_id, raised_on, source, indicator_id, theme, we_heard, we_did, status, "
                     "reason, told_children_on, owner FROM actions ORDER BY action_id") == [
        ("E10000016", "A001", date(2024, 1, 10), "bright_spots", "like_bedroom", None,
         "Some children do not like their bedrooms", "Decoration budget for every foster home", "done", None,
         date(2024, 4, 1), "Head of fostering"),
        ("E10000016", "A002", date(2024, 2, 1), "children_in_care_council", None, "contact with family",
         "Contact arrangements change without warning", None, "in_progress", None, None, "Service manager"),
        ("E10000016", "A003", date(2024, 3, 5), "complaints", "see_siblings", None,
         "Children want to see brothers and sisters more", None, "not_possible",
         "Siblings live too far apart for weekly visits", date(2024, 3, 20), None),
    ]


def test_optional_columns_may_be_left_out_of_the_file(db, tmp_path):
    path = write(tmp_path, "short.csv", "A1,E10000016,2024-06-01,advocacy,Not enough say in reviews,planned,having a say",
                 header="action_id,la_code,raised_on,source,we_heard,status,theme")
    assert run_cli("load", "actions", path, "--db", db, "--quiet") == 0
    assert query(db, "SELECT theme, indicator_id, we_did, reason, told_children_on, owner FROM actions") == [
        ("having a say", None, None, None, None, None)]


def test_children_may_be_told_on_the_day_the_action_was_raised(db, tmp_path):
    path = write(tmp_path, "same_day.csv",
                 "A1,E10000016,2024-06-01,young_inspectors,trusted_adult,,Ask us first,Asked,done,,2024-06-01,")
    assert run_cli("load", "actions", path, "--db", db, "--quiet") == 0


def test_a_reason_is_not_needed_unless_the_action_was_not_possible(db, tmp_path):
    path = write(tmp_path, "no_reason.csv",
                 "A1,E10000016,2024-06-01,other,,pocket money,Pocket money is late,,planned,,,",
                 "A2,E10000016,2024-06-02,other,,pocket money,Pocket money is late,Paid on time,done,,,")
    assert run_cli("load", "actions", path, "--db", db, "--quiet") == 0


def test_an_indicator_of_the_catalogue_is_matched_ignoring_case(db, tmp_path):
    path = write(tmp_path, "case.csv", "A1,E10000016,2024-06-01,bright_spots, Trusted_Adult ,,Heard,,planned,,,")
    assert run_cli("load", "actions", path, "--db", db, "--quiet") == 0
    assert query(db, "SELECT indicator_id FROM actions") == [("trusted_adult",)]


def test_replace_swaps_actions_with_the_same_id_and_says_what_it_replaced(db, tmp_path, capsys):
    run_cli("load", "actions", KENT, "--db", db, "--quiet")
    newer = write(tmp_path, "update.csv",
                  "A002,E10000016,2024-02-01,children_in_care_council,,contact with family,"
                  "Contact arrangements change without warning,Contact plans agreed with children,done,,2024-07-01,Service manager")
    capsys.readouterr()
    assert run_cli("load", "actions", newer, "--db", db, "--replace", "--quiet") == 0
    assert "replaced 1 action from load #1 (kent_actions_2024.csv)" in capsys.readouterr().out
    assert query(db, "SELECT status, told_children_on FROM actions WHERE action_id = 'A002'") == [("done", date(2024, 7, 1))]


def test_an_action_may_say_whose_views_it_answers_and_an_unknown_group_is_refused(db, tmp_path, capsys):
    """Issue 12: an action on a question both surveys ask (internet access) written for care leavers
    showed on the children in care's page. The optional cohort column says whose it is."""
    header = HEADER + ",cohort"
    good = write(tmp_path, "whose.csv",
                 "A1,E10000016,2024-06-01,bright_spots,internet_access,,No internet,Data bundles,done,,,,Care leavers",
                 "A2,E10000016,2024-06-01,bright_spots,internet_access,,No internet,Wifi in every home,done,,,,",
                 header=header)
    assert run_cli("load", "actions", good, "--db", db, "--quiet") == 0
    assert query(db, "SELECT action_id, cohort FROM actions ORDER BY 1") == [("A1", "care_leavers"), ("A2", None)]
    bad = write(tmp_path, "whose_bad.csv",
                "A3,E10000016,2024-06-01,bright_spots,internet_access,,No internet,Data,done,,,,parents",
                header=header)
    assert run_cli("load", "actions", bad, "--db", db) == 1
    out = capsys.readouterr()
    assert "cohort" in out.out + out.err and "children_in_care, care_leavers" in out.out + out.err


def test_a_file_covering_many_las_prints_a_short_line_and_the_load_log_keeps_every_one(db, tmp_path, capsys):
    """Issue 12: a large load printed every LA and wave it covered on one line (hundreds). The line
    after a load names the first few and how many more; `voice-dashboard loads` keeps them all."""
    import csv

    from tests.conftest import ROOT

    with (ROOT / "data" / "reference" / "la_codes.csv").open(encoding="utf-8") as fh:
        las = [r["new_la_code"] for r in csv.DictReader(fh) if r["status"] == "current"][:40]
    path = write(tmp_path, "many.csv", *(f"A{i},{la},2024-06-01,advocacy,,pocket money,Pocket money is late,,planned,,,"
                                         for i, la in enumerate(las)))
    capsys.readouterr()
    assert run_cli("load", "actions", path, "--db", db) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("loaded many.csv"))
    assert "and 34 more (voice-dashboard loads lists them all)" in line and len(line) < 600, line
    assert run_cli("loads", "--db", db) == 0
    assert capsys.readouterr().out.count(": 1 action dated 2024-06-01 to 2024-06-01") == 40
