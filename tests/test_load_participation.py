"""The participation loader (spec 3.3): one PN code per review in the current or recommended scheme."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import GOOD_INPUTS, query, run_cli, write_lines

KENT = GOOD_INPUTS / "participation" / "kent_reviews_2024.csv"
HEADER = "review_id,la_code,child_ref,review_date,review_type,pn_code,scheme"


def write(tmp_path: Path, name: str, *rows: str) -> Path:
    return write_lines(tmp_path / name, HEADER, *rows)


def test_good_file_loads_with_normalised_codes_and_dates(db):
    assert run_cli("load", "participation", KENT, "--db", db, "--quiet") == 0
    assert query(db, "SELECT la_code, review_id, child_ref, review_date, review_type, pn_code, scheme "
                     "FROM reviews ORDER BY review_id") == [
        ("E10000016", "R001", "C1001", date(2024, 2, 1), "child_looked_after", "PN1", "current"),
        ("E10000016", "R002", "C1002", date(2024, 2, 8), "child_looked_after", "PN0", "current"),
        ("E10000016", "R003", "C1003", date(2024, 3, 12), "pathway", "PN5", "current"),
        ("E10000016", "R004", "C1001", date(2024, 8, 1), "child_looked_after", "PN8", "recommended"),
        ("E10000016", "R005", "C1004", date(2024, 9, 14), "child_protection", "PN3", "recommended"),
    ]


@pytest.mark.parametrize("written", ["PN1", "pn1", "Pn1", "PN 1", "PN-1", "1"])
def test_pn_code_spellings_are_read_as_pn_and_digit(db, tmp_path, written):
    path = write(tmp_path, "one.csv", f"R1,E10000016,C1,2024-06-01,pathway,{written},current")
    assert run_cli("load", "participation", path, "--db", db, "--quiet") == 0
    assert query(db, "SELECT pn_code FROM reviews") == [("PN1",)]


@pytest.mark.parametrize("written", ["PN10", "P1", "PN1a", "01"])
def test_pn_codes_that_are_not_pn_and_one_digit_are_refused(db, tmp_path, capsys, written):
    path = write(tmp_path, "one.csv", f"R1,E10000016,C1,2024-06-01,pathway,{written},current")
    assert run_cli("load", "participation", path, "--db", db, "--quiet") == 1
    assert "a participation code written like PN1" in capsys.readouterr().err


def test_pn0_is_accepted_in_the_current_scheme(db, tmp_path):
    path = write(tmp_path, "under4.csv", "R1,E10000016,C1,2024-06-01,child_looked_after,PN0,current")
    assert run_cli("load", "participation", path, "--db", db, "--quiet") == 0


def test_pn8_is_accepted_in_the_recommended_scheme(db, tmp_path):
    path = write(tmp_path, "chair.csv", "R1,E10000016,C1,2024-06-01,child_looked_after,PN8,recommended")
    assert run_cli("load", "participation", path, "--db", db, "--quiet") == 0


def test_both_schemes_may_appear_in_one_file(db):
    run_cli("load", "participation", KENT, "--db", db, "--quiet")
    assert query(db, "SELECT scheme, count(*) FROM reviews GROUP BY 1 ORDER BY 1") == [("current", 3), ("recommended", 2)]


def test_replace_swaps_reviews_with_the_same_id_and_says_what_it_replaced(db, tmp_path, capsys):
    run_cli("load", "participation", KENT, "--db", db, "--quiet")
    newer = write(tmp_path, "kent_reviews_corrected.csv", "R002,E10000016,C1002,2024-02-08,child_looked_after,PN2,current")
    capsys.readouterr()
    assert run_cli("load", "participation", newer, "--db", db, "--replace", "--quiet") == 0
    assert "replaced 1 review from load #1 (kent_reviews_2024.csv)" in capsys.readouterr().out
    assert query(db, "SELECT review_id, pn_code, load_id FROM reviews WHERE review_id IN ('R001', 'R002') ORDER BY 1") == [
        ("R001", "PN1", 1), ("R002", "PN2", 2)]
