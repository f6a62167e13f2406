"""The disclosure audit (dashboard/audit.py, `voice-dashboard disclosure-audit`): it passes on the
demo database, says how much is hidden, and fails with a clear finding when the gate is broken."""
from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from dashboard.engine.figures import Selection, indicator_table
from dashboard import audit, disclosure, store
from dashboard.catalogue import default_catalogue
from dashboard.demo import build_demo
from dashboard.disclosure import Cell, Family, determined
from dashboard.engine import cells as engine_cells
from dashboard.engine.atoms import atoms_for
from tests.conftest import GOOD_INPUTS, run_cli

# A survey rate, a record rate with breakdowns and a record distribution: the three kinds of family.
SAMPLE = ("feel_safe_home", "feedback_sought_and_discussed", "return_2b_pn_codes")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("audit_demo") / "demo.duckdb"
    build_demo(db, force=True)
    return db


@pytest.fixture(scope="module")
def demo_report(demo_db) -> audit.AuditReport:
    con = store.connect(demo_db, read_only=True)
    try:
        return audit.audit_database(con)
    finally:
        con.close()


@pytest.fixture(scope="module")
def survey_db(tmp_path_factory) -> Path:
    """Three LAs' answers to one question, with small groups: nothing to find."""
    tmp = tmp_path_factory.mktemp("audit_survey")
    path, db = tmp / "survey.csv", tmp / "survey.duckdb"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("respondent_id,la_code,survey,wave,age_band,question_id,answer,gender\n")
        i = 0
        for la, groups in {"E10000016": [("girl", "7", 20), ("boy", "3", 12), ("other", "8", 2)],
                           "E06000035": [("girl", "6", 15), ("boy", "8", 15)],
                           "E09000004": [("girl", "2", 9), ("boy", "9", 30)]}.items():
            for gender, answer, n in groups:
                for _ in range(n):
                    i += 1
                    fh.write(f"r{i},{la},YLYC,2025,11-17,life_satisfaction,{answer},{gender}\n")
    assert run_cli("load", "bright-spots", path, "--db", db, "--quiet") == 0
    return db


def _sample_catalogue():
    cat = default_catalogue()
    return cat.model_copy(update={"indicators": [i for i in cat.indicators if i.id in SAMPLE]})


def _primary_only(family: Family, r=None) -> Family:
    r = r or disclosure.rules()
    for cell in family.cells.values():
        disclosure.primary(cell, r)
    return family


def _publish_everything(family: Family, r=None) -> Family:
    for cell in family.cells.values():
        cell.status = disclosure.EMPTY if cell.base == 0 else disclosure.OK
    return family


def _audit_sample(demo_db: Path) -> audit.AuditReport:
    con = store.connect(demo_db, read_only=True)
    try:
        return audit.audit_database(con, catalogue=_sample_catalogue())
    finally:
        con.close()


ACROSS = "the indicators counted from the same reviews"







def test_the_audit_finds_nothing_within_each_indicator_on_the_demo_database(demo_report):
    within = [f for f in demo_report.findings if ACROSS not in f.detail]
    assert not within, "\n".join(map(str, within))
    computed = [i for i in default_catalogue().indicators if i.source != "dfe"]
    assert demo_report.indicators == len(computed) + 1, "every survey and record indicator, and the themes"
    assert demo_report.families > 200


def test_the_audit_reports_the_share_of_figures_hidden_overall_and_by_source(demo_report):
    assert set(demo_report.figures) == {"survey", "feedback", "participation", "voice_checks", "themes"}
    assert 0.2 < demo_report.share_hidden() < 0.8
    summary = demo_report.summary()
    hidden, total = sum(demo_report.hidden.values()), sum(demo_report.figures.values())
    assert f"Hidden: {hidden:,} of {total:,} figures ({100 * hidden / total:.1f}%)" in summary
    for source in demo_report.figures:
        assert f"  {source}: {demo_report.hidden[source]:,} of {demo_report.figures[source]:,} hidden" in summary


def test_the_audit_finds_nothing_on_the_demo_database(demo_report):
    assert demo_report.ok, demo_report.summary()


def test_cli_disclosure_audit_passes_on_the_demo_database(demo_db, capsys):
    assert run_cli("disclosure-audit", "--db", demo_db) == 0
    out = capsys.readouterr().out
    assert "No findings" in out and "Hidden:" in out


def test_the_audit_fails_with_a_recoverable_finding_when_secondary_suppression_is_skipped(demo_db, monkeypatch):
    monkeypatch.setattr(engine_cells, "protect", _primary_only)
    report = _audit_sample(demo_db)
    assert not report.ok
    recoverable = [f for f in report.findings if f.check == "recoverable"]
    # Exactly recoverable figures, and (the attacker's linear program) figures narrowed to a range.
    assert recoverable and {f.check for f in report.findings} <= {"recoverable", "attack"}
    assert "can be worked out exactly from the published figures" in str(recoverable[0])
    assert {f.where.split(",")[0] for f in recoverable} == set(SAMPLE)


def test_the_audit_fails_with_primary_findings_when_the_gate_publishes_everything(demo_db, monkeypatch):
    monkeypatch.setattr(engine_cells, "protect", _publish_everything)
    report = _audit_sample(demo_db)
    details = [f.detail for f in report.findings if f.check == "primary"]
    assert any("under the minimum of 10" in d for d in details)
    assert any("a count of 1 to 5 about identifiable people" in d for d in details)
    assert any("in a small group gave the same answer" in d for d in details)
    assert any(f.check == "low-base flag" for f in report.findings)


def test_the_audit_fails_when_a_uniform_answer_is_hidden_with_a_reason_of_its_own(demo_db, monkeypatch):
    real_protect = engine_cells.protect

    def telling_protect(family: Family, r=None) -> Family:
        real_protect(family, r)
        for c in family.cells.values():
            if c.hidden and not c.people and c.share and 10 <= c.base <= 29 and c.numerator in (0, c.base):
                c.reason = "everyone in this group answered the same way"
        return family

    monkeypatch.setattr(engine_cells, "protect", telling_protect)
    report = _audit_sample(demo_db)
    reasons = [f for f in report.findings if f.check == "reason"]
    assert reasons and {f.check for f in report.findings} <= {"reason", "attack"}
    assert "tells readers that everyone in the group gave the same answer" in str(reasons[0])


def test_cli_disclosure_audit_exits_one_and_names_the_finding_when_the_gate_is_broken(demo_db, monkeypatch, capsys):
    monkeypatch.setattr(engine_cells, "protect", _primary_only)
    assert run_cli("disclosure-audit", "--db", demo_db, "--max-findings", "3") == 1
    out = capsys.readouterr().out
    assert "[recoverable] " in out and "hidden, but it can be worked out exactly" in out
    assert "... and " in out and " more" in out


def test_a_load_of_one_to_five_records_about_people_is_a_load_history_finding(db):
    assert run_cli("load", "participation", GOOD_INPUTS / "participation" / "kent_reviews_2024.csv",
                   "--db", db, "--quiet") == 0
    con = store.connect(db, read_only=True)
    try:
        report = audit.audit_database(con)
    finally:
        con.close()
    rows = [f for f in report.findings if f.check == "load history"]
    assert any("rows loaded" in f.detail and "kent_reviews_2024.csv" in f.where for f in rows), report.summary()
    assert any("what it covers says" in f.detail for f in rows)


def test_cli_disclosure_audit_prints_the_summary_and_passes_on_a_clean_database(survey_db, capsys):
    assert run_cli("disclosure-audit", "--db", survey_db) == 0
    out = capsys.readouterr().out
    assert "No findings" in out and "Hidden:" in out and "survey:" in out


def _reviews_with_a_small_code(db: Path) -> Path:
    """Recommended PN3 (3 reviews) among 103 reviews; 'views given' (PN1 to PN5) would be 93 of 103,
    and 93 less PN1, PN2, PN4 and PN5 is 3."""
    counts = {"PN1": 30, "PN2": 20, "PN3": 3, "PN4": 15, "PN5": 25, "PN6": 10}
    path = db.parent / "reviews.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("review_id,la_code,child_ref,review_date,review_type,pn_code,scheme\n")
        i = 0
        for code, n in counts.items():
            for _ in range(n):
                i += 1
                fh.write(f"R{i},E10000016,C{i},2024-06-{(i % 28) + 1:02d},child_looked_after,{code},recommended\n")
    assert run_cli("load", "participation", path, "--db", db, "--quiet") == 0
    return db


def test_a_pn_code_given_away_by_the_views_given_rate_is_a_finding_when_indicators_are_gated_alone(db):
    con = store.connect(_reviews_with_a_small_code(db), read_only=True)
    try:
        report = audit.audit_database(con, gate_fn=engine_cells.gate)   # each indicator on its own
    finally:
        con.close()
    across = [f for f in report.findings if ACROSS in f.detail]
    assert any(f.where.startswith("return_2b_pn_codes, wave 2025, LA E10000016") and "answer PN3" in f.where
               for f in across), report.summary()


def test_the_engine_gates_the_review_indicators_together_so_nothing_is_given_away(db):
    con = store.connect(_reviews_with_a_small_code(db), read_only=True)
    try:
        report = audit.audit_database(con)
        table = indicator_table(con, Selection("E10000016", 2025, indicator_ids=(
            "return_2b_pn_codes", "participation_views_conveyed")))
    finally:
        con.close()
    assert report.ok, report.summary()
    pn3 = table.filter((pl.col("category") == "PN3") & (pl.col("group") == "all"))
    assert pn3["status"].to_list() == ["c"]


def test_gate_and_audit_agree_on_which_hidden_demo_figures_can_be_worked_out(demo_db):
    """Cross-check of the two recoverability checks on real families with primary suppression only
    (many recoverable cells): the gate's elimination over its constraints, the audit's rank test."""
    con = store.connect(demo_db, read_only=True)
    try:
        sample = [atoms_for(con, ind) for ind in _sample_catalogue().indicators]
    finally:
        con.close()
    compared = found = 0
    for atoms in sample:
        cells = engine_cells.cut(atoms, pool=False)   # the pool pools published figures only: no tie
        statuses = []
        for num, base, cat in cells.select("numerator", "base", "category").rows():
            total = atoms.shape == "distribution" and cat == ""
            c = Cell(None, num, base, people=atoms.people, share=not total,
                     counts=((base,) if total else (num,) if cat else (num, base - num)) if atoms.people else None)
            disclosure.primary(c, disclosure.rules())
            statuses.append(c.status)
        cells = cells.with_columns(pl.Series("status", statuses))
        for _, fam in cells.group_by(["wave", "survey"]):
            family = Family()
            ids = []
            for la, band, bd, grp, cat, num, base, status in fam.select(
                    "la_code", "age_band", "breakdown", "group", "category", "numerator", "base", "status").rows():
                ids.append((atoms.indicator_id, la, band, bd, grp, cat))
                family.add(Cell(ids[-1], num, base, status=status))
            engine_cells._family_constraints(family, ids, atoms)
            by_gate, by_audit = {c[1:] for c in determined(family)}, set(audit.recoverable(fam, atoms))
            assert by_gate == by_audit
            compared += 1
            found += len(by_gate)
    assert compared >= 10 and found > 20
