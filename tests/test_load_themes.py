"""The themes loader (spec 3.7) and its privacy rules for quotes: no consent, not stored; signs of
a name, phone number, email, postcode, school or street, stored but not publishable."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard.loaders.themes import quote_risks
from tests.conftest import GOOD_INPUTS, query, run_cli, write_lines

KENT = GOOD_INPUTS / "themes" / "kent_themes_2024.csv"
HEADER = "record_id,la_code,date,source,cohort,theme,quote,quote_consent"


def write(tmp_path: Path, name: str, *lines: str) -> Path:
    return write_lines(tmp_path / name, HEADER, *lines)


def test_good_file_loads_with_normalised_source_and_cohort(db):
    assert run_cli("load", "themes", KENT, "--db", db, "--quiet") == 0
    assert query(db, "SELECT la_code, record_id, record_date, source, cohort, theme FROM themes ORDER BY record_id") == [
        ("E10000016", "T001", date(2024, 2, 1), "children_in_care_council", "child_in_care", "contact with family"),
        ("E10000016", "T002", date(2024, 2, 1), "children_in_care_council", "child_in_care", "moving home"),
        ("E10000016", "T003", date(2024, 3, 1), "care_leavers_forum", "care_leaver", "money"),
        ("E10000016", "T004", date(2024, 3, 1), "care_leavers_forum", "care_leaver", "housing"),
        ("E10000016", "T005", date(2024, 3, 2), "care_leavers_forum", "care_leaver", "housing"),
    ]


def test_quotes_are_stored_only_with_consent_and_published_only_without_identifying_signs(db):
    run_cli("load", "themes", KENT, "--db", db, "--quiet")
    assert query(db, "SELECT record_id, quote, quote_consent, quote_publishable FROM themes ORDER BY record_id") == [
        ("T001", "I want to see my brother more often.", True, True),
        ("T002", None, False, False),                                          # consent no: dropped
        ("T003", "My worker Sarah helped me with my budget.", True, False),     # a name
        ("T004", None, False, False),                                          # no quote, blank consent
        ("T005", "I'm happy in my flat. It feels like home.", True, True),
    ]


def test_notices_say_how_many_quotes_were_dropped_and_held_back(db, capsys):
    run_cli("load", "themes", KENT, "--db", db, "--quiet")
    out = capsys.readouterr().out
    assert "1 quote not stored, because quote_consent is not yes" in out
    assert "1 quote stored but marked not publishable" in out


def test_a_consented_quote_without_a_quote_is_not_publishable(db, tmp_path):
    path = write(tmp_path, "no_quote.csv", "T1,E10000016,2024-06-01,advocacy,early_help,school run,,yes")
    assert run_cli("load", "themes", path, "--db", db, "--quiet") == 0
    assert query(db, "SELECT quote, quote_consent, quote_publishable FROM themes") == [(None, True, False)]


def test_a_quote_is_not_stored_when_consent_is_no_even_if_it_is_harmless(db, tmp_path):
    path = write(tmp_path, "no.csv", "T1,E10000016,2024-06-01,advocacy,early_help,support,It was good.,No")
    run_cli("load", "themes", path, "--db", db, "--quiet")
    assert query(db, "SELECT quote FROM themes") == [(None,)]


def test_the_column_quote_may_be_left_out(db, tmp_path):
    path = tmp_path / "no_quote_column.csv"
    path.write_text("record_id,la_code,date,source,cohort,theme,quote_consent\n"
                    "T1,E10000016,2024-06-01,Young Inspectors,child_in_care,bedrooms,no\n", encoding="utf-8")
    assert run_cli("load", "themes", path, "--db", db, "--quiet") == 0
    assert query(db, "SELECT source, quote FROM themes") == [("young_inspectors", None)]


@pytest.mark.parametrize("quote", [
    "I want to see my brother more often.",
    "I'm happy in my flat. It feels like home.",
    "Nobody listens! Why would they?",
    '"It was good." That is what I said.',
    "I moved three times in 2023 and 2024.",
])
def test_quotes_without_identifying_signs_are_publishable(quote):
    assert quote_risks(quote) == []


@pytest.mark.parametrize("quote,risk", [
    ("My worker Sarah helped me.", "a name ('Sarah')"),
    ("Ring me on 07700 900123 please", "a phone number"),
    ("Call +44 7700 900 123", "a phone number"),
    ("email me at kid@example.com", "an email address or @handle"),
    ("Follow me @someone", "an email address or @handle"),
    ("I live near ME14 1XX", "a postcode"),
    ("my school is ok", "a school or street ('school')"),
    ("It is at the academy", "a school or street ('academy')"),
    ("we live on a busy road", "a school or street ('road')"),
    ("my nan lives on the close", "a school or street ('close')"),
])
def test_quotes_with_identifying_signs_are_flagged(quote, risk):
    assert risk in quote_risks(quote)


def test_replace_swaps_records_with_the_same_id_and_says_what_it_replaced(db, tmp_path, capsys):
    run_cli("load", "themes", KENT, "--db", db, "--quiet")
    newer = write(tmp_path, "consent_withdrawn.csv",
                  "T001,E10000016,2024-02-01,children_in_care_council,child_in_care,contact with family,"
                  "I want to see my brother more often.,no")
    capsys.readouterr()
    assert run_cli("load", "themes", newer, "--db", db, "--replace", "--quiet") == 0
    assert "replaced 1 theme record from load #1 (kent_themes_2024.csv)" in capsys.readouterr().out
    assert query(db, "SELECT quote, quote_consent FROM themes WHERE record_id = 'T001'") == [(None, False)]
