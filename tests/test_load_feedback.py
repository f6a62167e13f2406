"""The feedback-form loader (spec 3.2) on good files: normalised values, pseudonymous references,
and the 'keys already loaded' rules shared by every record-level loader (--replace)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import GOOD_INPUTS, query, run_cli, snapshot, write_lines

KENT = GOOD_INPUTS / "feedback" / "kent_forms_2024.csv"
HEADER = ("form_id,la_code,date,service,worker_ref,family_ref,respondent,meeting_number,"
          "q1_variant,q1,q2,q3_variant,q3,q4,discussed")


def write(tmp_path: Path, name: str, *rows: str) -> Path:
    return write_lines(tmp_path / name, HEADER, *rows)


def test_good_file_loads_with_normalised_codes_dates_and_scores(db):
    assert run_cli("load", "feedback", KENT, "--db", db, "--quiet") == 0
    rows = query(db, "SELECT la_code, form_id, form_date, service, worker_ref, family_ref, respondent, "
                     "meeting_number, q1_variant, q1, q2, q3_variant, q3, q4, discussed FROM feedback_forms ORDER BY form_id")
    assert rows == [
        ("E10000016", "F001", date(2024, 3, 4), "child_in_need", "W104", "FAM-2231", "child", 1, "a", 4, 5, "a", 3, 4, "yes"),
        ("E10000016", "F002", date(2024, 3, 5), "child_in_need", "W104", "FAM-2231", "parent_carer", 1, "a", 3, 4, "a", 2, 3, "no"),
        ("E10000016", "F003", date(2024, 4, 15), "early_help", "W210", "FAM-0042", "young_person", 2, "b", 5, 5, "b", 5, 5, "unknown"),
        ("E10000016", "F004", date(2024, 5, 20), "early_help", "W210", "FAM-0042", "young_person", 3, None, None, 4, None, None, None, "yes"),
    ]


def test_extra_column_is_ignored_with_a_notice(db, capsys):
    run_cli("load", "feedback", KENT, "--db", db, "--quiet")
    assert "ignored column(s) not in the contract: team" in capsys.readouterr().out


def test_load_log_says_which_la_how_many_forms_and_which_dates(db):
    run_cli("load", "feedback", KENT, "--db", db, "--quiet")
    assert query(db, "SELECT scope FROM load_log") == [("Kent (E10000016): 4 forms dated 2024-03-04 to 2024-05-20",)]


def test_variant_may_be_blank_when_its_question_is_not_answered(db, tmp_path):
    path = write(tmp_path, "q2_only.csv", "F1,E10000016,2024-03-04,mash,W1,FAM-1,parent_carer,1,,,3,,,,no")
    assert run_cli("load", "feedback", path, "--db", db, "--quiet") == 0
    assert query(db, "SELECT q1_variant, q1, q2, q3_variant, q3 FROM feedback_forms") == [(None, None, 3, None, None)]


@pytest.mark.parametrize("ref", ["W 104", "123456", "FAM-0042", "worker_17", "O'Neill"])
def test_references_that_do_not_look_like_names_or_contacts_are_accepted(db, tmp_path, ref):
    path = write(tmp_path, "refs.csv", f"F1,E10000016,2024-03-04,iro,{ref},FAM-1,child,1,a,4,4,a,4,4,yes")
    assert run_cli("load", "feedback", path, "--db", db, "--quiet") == 0


@pytest.mark.parametrize("ref,says", [
    ("Jane Smith", "looks like a name"),
    ("jane.smith@example.org", "looks like an email address"),
    ("+44 7700 900123", "looks like a phone number"),
    ("01632 960 001", "looks like a phone number"),
])
def test_references_that_look_like_names_or_contacts_are_refused(db, tmp_path, capsys, ref, says):
    path = write(tmp_path, "refs.csv", f"F1,E10000016,2024-03-04,iro,W1,{ref},child,1,a,4,4,a,4,4,yes")
    assert run_cli("load", "feedback", path, "--db", db, "--quiet") == 1
    err = capsys.readouterr().err
    assert "column 'family_ref'" in err and says in err and "references, never names" in err


def test_every_problem_in_a_file_is_reported_in_one_go(db, tmp_path, capsys):
    path = write(tmp_path, "many.csv",
                 "F1,E10000016,2024-03-04,youth_justice,W1,FAM-1,child,0,a,9,4,a,4,4,perhaps")
    assert run_cli("load", "feedback", path, "--db", db, "--quiet") == 1
    err = capsys.readouterr().err
    assert "4 problems found" in err
    for column in ("service", "meeting_number", "q1", "discussed"):
        assert f"column '{column}'" in err


def test_replace_swaps_the_forms_with_the_same_keys_and_says_what_it_replaced(db, tmp_path, capsys):
    run_cli("load", "feedback", KENT, "--db", db, "--quiet")
    newer = write(tmp_path, "kent_forms_corrected.csv",
                  "F003,E10000016,2024-04-15,early_help,W210,FAM-0042,young_person,2,b,4,4,b,4,4,yes",
                  "F004,886,2024-05-20,early_help,W210,FAM-0042,young_person,3,b,2,4,b,3,3,yes",
                  "F005,E10000016,2024-06-01,early_help,W210,FAM-0042,young_person,4,b,5,5,b,5,5,yes")
    capsys.readouterr()
    assert run_cli("load", "feedback", newer, "--db", db, "--replace", "--quiet") == 0
    assert "replaced 2 forms from load #1 (kent_forms_2024.csv)" in capsys.readouterr().out
    assert query(db, "SELECT form_id, load_id, q1 FROM feedback_forms ORDER BY form_id") == [
        ("F001", 1, 4), ("F002", 1, 3), ("F003", 2, 4), ("F004", 2, 2), ("F005", 2, 5)]
    assert query(db, "SELECT replaced FROM load_log WHERE load_id = 2") == [("2 forms from load #1 (kent_forms_2024.csv)",)]


def test_replace_names_each_earlier_load_it_replaced_from(db, tmp_path, capsys):
    first = write(tmp_path, "first.csv", "F1,E10000016,2024-03-04,iro,W1,FAM-1,child,1,a,4,4,a,4,4,yes")
    second = write(tmp_path, "second.csv", "F2,E10000016,2024-03-05,iro,W1,FAM-1,child,2,a,4,4,a,4,4,yes")
    both = write(tmp_path, "both.csv", "F1,E10000016,2024-03-04,iro,W1,FAM-1,child,1,a,5,5,a,5,5,yes",
                 "F2,E10000016,2024-03-05,iro,W1,FAM-1,child,2,a,5,5,a,5,5,yes")
    run_cli("load", "feedback", first, second, "--db", db, "--quiet")
    capsys.readouterr()
    assert run_cli("load", "feedback", both, "--db", db, "--replace", "--quiet") == 0
    out = capsys.readouterr().out
    assert "replaced 1 form from load #1 (first.csv)" in out
    assert "replaced 1 form from load #2 (second.csv)" in out


def test_same_form_id_in_another_la_is_not_a_clash(db, tmp_path):
    run_cli("load", "feedback", KENT, "--db", db, "--quiet")
    essex = write(tmp_path, "essex.csv", "F001,E10000012,2024-03-04,iro,W1,FAM-1,child,1,a,4,4,a,4,4,yes")
    assert run_cli("load", "feedback", essex, "--db", db, "--quiet") == 0
    assert query(db, "SELECT la_code FROM feedback_forms WHERE form_id = 'F001' ORDER BY 1") == [("E10000012",), ("E10000016",)]


def test_rejected_replacement_keeps_the_loaded_forms(db, tmp_path):
    run_cli("load", "feedback", KENT, "--db", db, "--quiet")
    before = snapshot(db)
    bad = write(tmp_path, "bad_replacement.csv",
                "F003,E10000016,2024-04-15,early_help,W210,FAM-0042,young_person,2,b,4,4,b,4,4,yes",
                "F004,E10000016,2024-05-20,early_help,W210,FAM-0042,young_person,3,b,7,4,b,3,3,yes")
    assert run_cli("load", "feedback", bad, "--db", db, "--replace", "--quiet") == 1
    assert snapshot(db) == before


def test_a_form_in_two_files_of_one_command_is_refused_even_with_replace(db, tmp_path, capsys):
    first = write(tmp_path, "first.csv", "F1,E10000016,2024-03-04,iro,W1,FAM-1,child,1,a,4,4,a,4,4,yes")
    second = write(tmp_path, "second.csv", "F1,E10000016,2024-03-04,iro,W1,FAM-1,child,1,a,5,5,a,5,5,yes")
    before = snapshot(db)
    assert run_cli("load", "feedback", first, second, "--db", db, "--replace", "--quiet") == 1
    err = capsys.readouterr().err
    assert "second.csv, row 2, column 'la_code + form_id'" in err
    assert "first.csv, earlier in this same command, has it too" in err
    assert snapshot(db) == before
