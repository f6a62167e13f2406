"""Every output path hides a known tiny group: 3 boys in residential care in Kent who all gave an
unusually low answer, and 3 pre-birth feedback forms in Kent that all scored 1.

Output paths covered here: the CLI `indicators` (CSV and JSON, every breakdown, age band and cohort),
downloads (dashboard.exports.to_csv_bytes of indicator_table), the disclosure audit of the
database, and a structural check that the app and the report count nothing about children outside
the engine. The panel report's own test (tests/test_report.py) checks a tiny group never shows in
its HTML, chart text or PDF; the browser tests check downloaded CSVs carry no hidden figure.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from dashboard import store
from dashboard.audit import audit_database
from dashboard.disclosure import PROTECTS_OTHERS, rules
from dashboard.engine.figures import BREAKDOWNS, Selection, indicator_table
from dashboard.exports import to_csv_bytes
from tests.conftest import run_cli

KENT, MEDWAY, BEXLEY = "E10000016", "E06000035", "E09000004"
WAVE = 2025
SURVEY_HEADER = ["respondent_id", "la_code", "survey", "wave", "age_band", "question_id", "answer", "gender",
                 "placement_type", "disability"]
FORM_HEADER = ["form_id", "la_code", "date", "service", "worker_ref", "family_ref", "respondent", "meeting_number",
               "q1_variant", "q1", "q2", "q3_variant", "q3", "q4", "discussed"]
# The numbers on every figure; a hidden figure must show none of them.
FIGURE_NUMBERS = ["value", "numerator", "base", "not_answered", "ci_low", "ci_high", "classification",
                  "comparator_value", "pool_value", "previous_value", "change", "change_p"]


def _respondents(la: str, wave: int, groups: list[tuple[int, str, str, str, str]]) -> list[list]:
    """groups: (how many, gender, placement, disability, answer to life_satisfaction)."""
    rows, i = [], 0
    for n, gender, placement, disability, answer in groups:
        for _ in range(n):
            i += 1
            rows.append([f"{la}-{wave}-{i}", la, "YLYC", wave, "11-17", "life_satisfaction", answer, gender,
                         placement, disability])
    return rows


def _forms(la: str, groups: list[tuple[int, str, int]]) -> list[list]:
    """groups: (how many, service, score on every question); forms dated in reporting year 2025."""
    rows, i = [], 0
    for n, service, score in groups:
        for _ in range(n):
            i += 1
            rows.append([f"F{i:03d}", la, f"2024-{(i % 9) + 4:02d}-15", service, f"W{i % 4}", f"FAM-{i:03d}",
                         "parent_carer", (i % 3) + 1, "a", score, score, "a", score, score, "yes"])
    return rows


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def tiny_group_db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("tiny_group")
    db = tmp / "tiny.duckdb"
    survey = (
        _respondents(KENT, WAVE, [(3, "boy", "residential", "no", "1"),          # the tiny group: all answer 1
                                  (20, "boy", "foster", "no", "8"), (6, "boy", "foster", "yes", "3"),
                                  (25, "girl", "foster", "no", "7"), (5, "girl", "foster", "yes", "2"),
                                  (12, "girl", "kinship", "no", "6"), (4, "boy", "kinship", "no", "3")])
        + _respondents(KENT, 2023, [(30, "girl", "foster", "no", "7"), (20, "boy", "foster", "no", "4")])
        + _respondents(MEDWAY, WAVE, [(18, "girl", "foster", "no", "9"), (14, "boy", "foster", "no", "4"),
                                      (2, "girl", "residential", "yes", "6")])
        + _respondents(BEXLEY, WAVE, [(22, "girl", "kinship", "no", "8"), (21, "boy", "foster", "no", "5")])
    )
    forms = _forms(KENT, [(3, "pre_birth", 1), (25, "child_in_need", 5), (15, "child_protection", 4),
                          (12, "early_help", 3)])
    files = [_write(tmp / "survey.csv", SURVEY_HEADER, survey)]
    assert run_cli("load", "bright-spots", *files, "--db", db, "--quiet") == 0
    assert run_cli("load", "feedback", _write(tmp / "forms.csv", FORM_HEADER, forms), "--db", db, "--quiet") == 0
    return db


def _is_tiny_group(row: dict) -> bool:
    return (row["la_code"] == KENT and str(row["wave"]) == str(WAVE)
            and ((row["breakdown"] == "placement_type" and row["group"] == "residential")
                 or (row["breakdown"] == "service" and row["group"] == PRE_BIRTH_AS)))


# The 3 pre-birth forms are published in the group that holds pre-birth (disclosure.yaml,
# groups_published_together); with no MASH forms here it is those 3 forms alone.
PRE_BIRTH_AS = rules().groups_published_together.get("service", {}).get("pre_birth", "pre_birth")


def _blank(value) -> bool:
    return value is None or value == ""


def assert_tiny_groups_hidden(rows: list[dict], where: str) -> None:
    """The tiny groups' rows are hidden with no numbers; no hidden row anywhere carries a number; and
    no breakdown shows its whole group and every other group (which would give the tiny one away)."""
    for row in rows:
        if _is_tiny_group(row):
            assert row["status"] == "c", f"{where}: the tiny group is shown: {row}"
        if row["status"] in ("c", "z"):
            shown = {k: row[k] for k in FIGURE_NUMBERS if not _blank(row.get(k))}
            assert not shown, f"{where}: a hidden figure shows numbers {shown}: {row}"
    by_table: dict[tuple, list[dict]] = {}
    for row in rows:
        if row["la_code"] == KENT and row["source"] != "dfe":
            key = (row["indicator_id"], str(row["wave"]), row["age_band"], row["category"])
            by_table.setdefault(key, []).append(row)
    for key, table in by_table.items():
        whole = [r for r in table if r["breakdown"] == ""]
        for breakdown in ("placement_type", "service"):
            parts = [r for r in table if r["breakdown"] == breakdown]
            if parts and whole and whole[0]["status"] == "ok":
                hidden = [r for r in parts if r["status"] == "c"]
                assert len(hidden) != 1, f"{where}: {key} by {breakdown}: the whole group less the other " \
                                         f"groups gives away {hidden[0]['group']}"


def _cli_rows(capsys, db: Path, fmt: str, *extra: str) -> list[dict]:
    capsys.readouterr()
    assert run_cli("indicators", "--db", db, "--la", KENT, "--wave", WAVE, "--format", fmt, *extra) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        return json.loads(out)
    return list(csv.DictReader(io.StringIO(out)))


SELECTIONS = [[], *[["--breakdown", b] for b in BREAKDOWNS], ["--age-band", "11-17"],
              ["--breakdown", "placement_type", "--age-band", "11-17"], ["--cohort", "children_in_care"],
              ["--breakdown", "service", "--cohort", "families_receiving_direct_work"]]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_cli_indicators_hides_the_tiny_groups_in_every_breakdown(tiny_group_db, capsys, fmt):
    seen_tiny = 0
    for extra in SELECTIONS:
        rows = _cli_rows(capsys, tiny_group_db, fmt, *extra)
        assert_tiny_groups_hidden(rows, f"indicators --format {fmt} {' '.join(extra)}")
        seen_tiny += sum(_is_tiny_group(r) for r in rows)
    assert seen_tiny >= 2, "the tiny groups' rows should be listed (hidden), so the test looked at them"


def test_a_small_group_where_everyone_answered_alike_is_hidden_without_saying_so(tiny_group_db, capsys):
    """Kent's 11 disabled respondents all gave a low answer: hidden, with the reason also given to
    figures hidden for another's sake, so the reason does not tell readers they answered alike."""
    for fmt in ("csv", "json"):
        rows = _cli_rows(capsys, tiny_group_db, fmt, "--breakdown", "disability")
        disabled = [r for r in rows if r["indicator_id"] == "life_satisfaction" and r["group"] == "yes"]
        assert len(disabled) == 1 and disabled[0]["status"] == "c"
        assert disabled[0]["reason"] == PROTECTS_OTHERS
        assert not any(w in (r["reason"] or "") for r in rows for w in ("same", "alike", "everyone"))


def test_the_tiny_groups_whole_group_figures_are_published(tiny_group_db, capsys):
    """The test would pass trivially if everything were hidden: Kent's whole group is shown."""
    rows = _cli_rows(capsys, tiny_group_db, "json")
    kent = [r for r in rows if r["indicator_id"] == "life_satisfaction" and r["group"] == "all"]
    assert kent and kent[0]["status"] == "ok" and kent[0]["base"] == 75


def test_downloaded_csv_of_the_indicator_table_hides_the_tiny_groups(tiny_group_db):
    con = store.connect(tiny_group_db, read_only=True)
    try:
        for breakdown in ("placement_type", "service", "gender", None):
            table = indicator_table(con, Selection(KENT, WAVE, breakdown=breakdown))
            rows = list(csv.DictReader(io.StringIO(to_csv_bytes(table).decode("utf-8"))))
            assert rows
            assert_tiny_groups_hidden(rows, f"download by {breakdown}")
    finally:
        con.close()


def test_the_disclosure_audit_passes_on_the_tiny_group_database(tiny_group_db):
    con = store.connect(tiny_group_db, read_only=True)
    try:
        report = audit_database(con)
    finally:
        con.close()
    assert report.ok, report.summary()
    assert report.hidden["survey"] > 0 and report.hidden["feedback"] > 0



# -- Structure: the app and the report get figures about children only from the gate ------------

import re as _re  # noqa: E402

from tests.conftest import ROOT  # noqa: E402

ROW_LEVEL = {"survey_responses", "survey_answer_counts", "feedback_forms", "reviews", "voice_checks", "themes"}
COUNTING = _re.compile(r"\b(count|sum|avg|mean)\s*\(", _re.IGNORECASE)


def _queries_used_by_app_and_report() -> dict[str, str]:
    """Every queries/NAME.sql named in the pages, the app's modules and the report."""
    names = set()
    for folder in ("pages", "dashboard/ui", "dashboard/report"):
        for f in (ROOT / folder).rglob("*.py"):
            names |= set(_re.findall(r'"([a-z_]+)"', f.read_text(encoding="utf-8")))
    names |= set(_re.findall(r'"([a-z_]+)"', (ROOT / "dashboard" / "db.py").read_text(encoding="utf-8")))
    return {n: (ROOT / "queries" / f"{n}.sql").read_text(encoding="utf-8")
            for n in sorted(names) if (ROOT / "queries" / f"{n}.sql").is_file()
            and n not in {i for i in _indicator_ids()}}


def _indicator_ids() -> set[str]:
    from dashboard.catalogue import default_catalogue

    return {i.id for i in default_catalogue().indicators}


def test_the_app_and_the_report_never_count_row_level_records_themselves():
    """A query the app or the report runs may read a table of children's answers or records only
    to say which LAs and waves are present (DISTINCT): any count or sum of people must come through
    the engine, and so through the gate."""
    used = _queries_used_by_app_and_report()
    assert "selection_options" in used and "load_history" in used   # the scan finds the app's queries
    for name, sql in used.items():
        code = "\n".join(line.split("--")[0] for line in sql.splitlines())
        tables = set(_re.findall(r"\b(?:FROM|JOIN)\s+([a-z_]+)", code, _re.IGNORECASE))
        if tables & ROW_LEVEL:
            assert not COUNTING.search(code), f"queries/{name}.sql counts row-level records outside the gate"
            assert "DISTINCT" in code.upper(), f"queries/{name}.sql reads row-level records for more than presence"
