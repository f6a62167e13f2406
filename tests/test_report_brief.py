"""The panel brief: 2 to 4 A4 pages (bright spots and areas to look at with the Overview's count,
what changed, the DfE context, what was done and what children were told, two or three consented
quotes of the report's children and young people), then the full report as an appendix; from the
CLI with --brief."""
from __future__ import annotations

import io

import duckdb
import pytest
from pypdf import PdfReader

from dashboard.report import findings
from dashboard.report.brief import QUOTES, brief_sections, lay_out_brief
from dashboard.report.content import gather
from dashboard.report.pdf import render_pdf
from tests.conftest import run_cli
from tests.test_report import MADE, build_db

KENT = "E10000016"


@pytest.fixture(scope="module")
def demo_report(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        return gather(con, KENT, 2025, None, generated=MADE)
    finally:
        con.close()


@pytest.fixture(scope="module")
def brief_only(demo_report) -> bytes:
    return render_pdf(lay_out_brief(demo_report, appendix=False))


def pdf_text(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def test_the_brief_is_two_to_four_a4_pages(brief_only):
    pages = PdfReader(io.BytesIO(brief_only)).pages
    assert 2 <= len(pages) <= 4
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages} == {(595, 842)}


def test_the_brief_has_each_part_a_councillor_needs(demo_report):
    titles = [s.title for s in brief_sections(demo_report)]
    assert titles == ["In brief", "What changed since the last survey", "The DfE statistics beside them",
                      "What was done, and what children were told", "In their own words"]


def test_the_brief_counts_what_the_overview_counts(demo_report, brief_only):
    look, bright = demo_report.reading_count(findings.LOOK), demo_report.reading_count(findings.BRIGHT)
    assert look > 0 and bright > 0
    assert f"{bright} bright spots and {look} areas to look" in " ".join(pdf_text(brief_only)).replace("\n", " ")


def test_the_quotes_are_two_or_three_consented_words_of_children_and_young_people(demo_db, demo_report, brief_only):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        allowed = {r[0] for r in con.execute(
            "SELECT quote FROM themes WHERE la_code = ? AND quote_publishable AND cohort IN ('child_in_care', "
            "'care_leaver')", [KENT]).fetchall()}
        parents = {r[0] for r in con.execute(
            "SELECT quote FROM themes WHERE cohort IN ('parent_carer', 'early_help')").fetchall()} - allowed
    finally:
        con.close()
    words = next(s for s in brief_sections(demo_report) if s.title == "In their own words")
    quoted = [q.strip("“”") for q in next(b[1] for b in words.blocks if b[0] == "list")]
    assert 2 <= len(quoted) <= QUOTES
    assert set(quoted) <= allowed and not set(quoted) & parents


def test_the_full_report_follows_as_an_appendix(demo_report):
    layout = lay_out_brief(demo_report)
    titles = [s.title for s in layout.sections]
    assert titles[5].startswith("Appendix: the full report.") and layout.sections[5].new_page
    assert "How to read this report" in titles and layout.heading.startswith("Corporate parenting panel brief")


def test_cli_writes_the_brief(tmp_path):
    db = build_db(tmp_path, synthetic=False)
    out = tmp_path / "brief.pdf"
    assert run_cli("report", "--db", db, "--la", KENT, "--wave", "2025", "--brief", "--out", out, "--quiet") == 0
    text = pdf_text(out.read_bytes())
    assert "Corporate parenting panel brief: Kent, 2025" in text[0]
    assert any("Appendix: the full report." in t for t in text)


def test_a_groups_report_lists_only_the_actions_for_that_group_or_for_everyone(demo_db):
    """Issue 12: the care leavers' brief listed 'We kept the same worker for children in stable homes'
    (an action for children in care on a question both surveys ask) under what was done for them."""
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        leavers = gather(con, "E10000016", 2025, "care_leavers", generated=MADE)
        both = gather(con, "E10000016", 2025, None, generated=MADE)
    finally:
        con.close()
    did = lambda report: " ".join(a.we_did for a in report.actions)     # noqa: E731
    assert "children in stable homes" in did(both)                     # the demo has it, for children in care
    assert "children in stable homes" not in did(leavers)
    assert "Every care leaver is offered" in did(leavers) or "care leavers" in did(leavers)
