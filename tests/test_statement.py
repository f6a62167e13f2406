"""The annual statement (data set 1a): figures from the gated read API, hidden figures never
written, the three file types, the LA's own words and the child-friendly version's plain words."""
from __future__ import annotations

import io
from pathlib import Path

import docx
import duckdb
import polars as pl
import pytest
from pypdf import PdfReader

from dashboard.engine.figures import Selection, indicator_table
from dashboard.statement import compose, facts, output, sidefile
from dashboard.ui import young_inspectors as yi
from tests.conftest import copy_db, run_cli, write_lines

KENT = "E10000016"
YEAR = 2025


def _doc(db: Path, la: str = KENT, year: int = YEAR, child: bool = False):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return output.document(con, la, year, db, child_friendly=child)
    finally:
        con.close()


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def _docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


# -- figures come from the gated table -----------------------------------------------------------
def test_section_a_figures_are_the_gated_tables_figures(demo_db):
    doc = _doc(demo_db)
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        table = indicator_table(con, Selection(KENT, YEAR, indicator_ids=tuple(facts.SECTION_A)))
    finally:
        con.close()
    whole = table.filter((pl.col("breakdown") == "") & (pl.col("group") == "all"))
    section_a = next(b for b in doc.blocks if getattr(b, "caption", "").startswith("Returns 2a and 2c"))
    written = {row[0]: row[1] for row in section_a.rows}
    assert len(written) == whole.height == len(facts.SECTION_A)
    for rec in whole.iter_rows(named=True):
        expected = f"{rec['value']:.0f}% of {rec['base']:,}" if rec["status"] == "ok" else compose.HIDDEN
        assert written[rec["title"]].startswith(expected), (rec["indicator_id"], written[rec["title"]])


def test_a_trend_year_the_gate_hides_is_written_as_not_shown(demo_db):
    # Kent's return 2c in 2024 is hidden by the gate in the demo.
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        gated = facts.trend(con, "return_2c_feedback_sought", KENT, YEAR, facts.default_catalogue())
    finally:
        con.close()
    hidden_years = [p.year for p in gated if p.value is None]
    assert hidden_years, "the demo no longer has a hidden trend year for Kent's return 2c: pick another"
    text = _doc(demo_db).text()
    for y in hidden_years:
        assert f"{y}: {compose.HIDDEN}" in text


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    """One LA with seven voice checks (five yes): every figure about them is hidden."""
    folder = tmp_path_factory.mktemp("small")
    db = folder / "small.duckdb"
    rows = [f"C{i},{KENT},2024-06-{i + 1:02d},voice_heard_assessment,{'yes' if i < 5 else 'no'}" for i in range(7)]
    checks = write_lines(folder / "checks.csv", "child_ref,la_code,date,check,answer", *rows)
    assert run_cli("load", "voice-checks", checks, "--db", db, "--quiet") == 0
    return db


@pytest.mark.parametrize("suffix", [".html", ".pdf", ".docx"])
def test_a_hidden_figure_never_appears_in_any_output(small_db, suffix):
    doc = _doc(small_db)
    data = output.render(doc, suffix)
    text = {".html": lambda d: d.decode("utf-8"), ".pdf": _pdf_text, ".docx": _docx_text}[suffix](data)
    # 5 yes of 7 is 71%: the gate hides it (a base under 10), so neither the share nor the base shows.
    assert "71%" not in text and "of 7" not in text
    assert "not shown" in text


def test_child_friendly_version_shows_no_figure_on_few_answers(small_db):
    text = _doc(small_db, child=True).text()
    assert "in ten" not in text and "times in ten" not in text
    assert yi.digits_found(text.replace(str(YEAR), "")) == []


# -- the three files ------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix,reader", [(".pdf", _pdf_text), (".docx", _docx_text)])
def test_pdf_and_word_open_and_name_the_la(demo_db, suffix, reader):
    data = output.render(_doc(demo_db), suffix)
    text = reader(data)
    assert "Kent" in text
    assert "How we listen and respond" in text


def test_word_file_has_real_headings_and_tables(demo_db):
    d = docx.Document(io.BytesIO(output.render(_doc(demo_db), ".docx")))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.startswith("A. ") for h in headings) and any(h.startswith("B. ") for h in headings)
    assert len(d.tables) >= 3
    assert d.core_properties.title.endswith("Kent, 2025")


def test_child_friendly_pdf_opens_and_names_the_la(demo_db):
    text = _pdf_text(output.render(_doc(demo_db, child=True), ".pdf"))
    assert "How we listen to you: Kent, 2025" in text


def test_the_cli_writes_each_format_whole(demo_db, tmp_path, capsys):
    for suffix in (".html", ".pdf", ".docx"):
        out = tmp_path / f"statement{suffix}"
        assert run_cli("statement", "--db", demo_db, "--la", "886", "--year", YEAR, "--out", out) == 0
        assert out.stat().st_size > 1000
        assert not out.with_name(out.name + ".partial").exists()
    assert "[SYNTHETIC DEMO DATA]" in capsys.readouterr().out


def test_the_cli_refuses_a_child_friendly_word_file_and_an_unknown_type(demo_db, tmp_path, capsys):
    assert run_cli("statement", "--db", demo_db, "--la", KENT, "--year", YEAR, "--out", tmp_path / "c.docx",
                   "--child-friendly") == 2
    assert "HTML or PDF" in capsys.readouterr().err
    assert run_cli("statement", "--db", demo_db, "--la", KENT, "--year", YEAR, "--out", tmp_path / "s.txt") == 2
    assert not list(tmp_path.iterdir())


# -- content ---------------------------------------------------------------------------------------
def test_the_review_of_last_year_lists_every_action_raised_last_year(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        last = con.execute("SELECT we_heard FROM actions WHERE la_code = ? AND raised_on BETWEEN '2023-04-01' AND "
                           "'2024-03-31'", [KENT]).fetchall()
    finally:
        con.close()
    assert last, "the demo has no Kent action in 2024: pick another LA"
    review = next(b for b in _doc(demo_db).blocks if getattr(b, "caption", "").startswith("Actions raised between 1 April 2023"))
    assert sorted(r[0] for r in review.rows) == sorted(w for (w,) in last)


def test_a_first_year_says_the_review_starts_next_year(demo_db):
    assert "This is our first statement" in _doc(demo_db, year=2023).text()


def test_section_b_lists_the_registers_activities(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        names = [n for (n,) in con.execute("SELECT activity FROM voice_activities WHERE la_code = ? AND "
                                           "start_date <= '2025-03-31' AND (end_date IS NULL OR end_date >= '2024-04-01')",
                                           [KENT]).fetchall()]
    finally:
        con.close()
    table = next(b for b in _doc(demo_db).blocks if getattr(b, "caption", "").startswith("The ways Kent listens"))
    assert sorted(r[0] for r in table.rows) == sorted(names)


def test_the_las_own_words_are_kept_with_the_year_and_who_wrote_them(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path)
    sidefile.save_text(db, KENT, YEAR, "introduction", "First draft.", "Participation Lead")
    sidefile.save_text(db, KENT, YEAR, "introduction", "Our promise to listen.", "Director")
    assert "Our promise to listen." in _doc(db).text() and "First draft." not in _doc(db).text()
    assert compose.NOT_WRITTEN in _doc(db, year=YEAR - 1).text()
    kept = sidefile.la_text(db, KENT, YEAR)["introduction"]
    assert (kept.by, kept.value) == ("Director", "Our promise to listen.")
    assert len(sidefile.entries(db)) == 2     # history kept: nothing overwritten


def test_an_entry_without_who_wrote_it_is_refused(tmp_path):
    with pytest.raises(ValueError, match="who"):
        sidefile.save_text(tmp_path / "x.duckdb", KENT, YEAR, "introduction", "Text", "  ")


# -- the child-friendly version -------------------------------------------------------------------
def test_child_friendly_words_read_at_about_age_nine(demo_db):
    """The young inspectors' measure: short sentences and few long words, on everything the product
    writes itself (the LA's recorded actions and text are its own words)."""
    for text in (compose.own_words(), _doc(demo_db, child=True).text(own_only=True)):
        score = yi.readability(text)
        assert score.words_per_sentence <= 12, score
        assert score.long_word_share <= 0.1, score


def test_child_friendly_version_has_no_jargon_and_no_numbers(demo_db):
    text = _doc(demo_db, child=True).text(own_only=True)
    assert yi.jargon_found(text) == []
    assert yi.digits_found(text.replace(str(YEAR), "")) == []
    assert "%" not in _doc(demo_db, child=True).text()


def test_child_friendly_version_puts_you_said_we_did_at_its_heart(demo_db):
    doc = _doc(demo_db, child=True)
    said = [b for b in doc.blocks if b.__class__.__name__ == "SaidDid"]
    assert said and all(b.you_said.startswith("You said:") for b in said)


def test_the_statement_reads_no_childrens_records_outside_the_gate():
    """dashboard/statement and its pages may query only the register and the actions (about services);
    every figure about children comes through indicator_table and views.trend."""
    import re

    from tests.conftest import ROOT
    from tests.test_output_paths_gated import ROW_LEVEL

    files = [*(ROOT / "dashboard" / "statement").glob("*.py"), ROOT / "dashboard" / "ui" / "listening.py",
             ROOT / "dashboard" / "ui" / "statement.py", ROOT / "pages" / "listening.py", ROOT / "pages" / "statement.py"]
    used = re.compile(r'(?:store\.sql|db\.query)\("([a-z_]+)"')
    names = {name for f in files for name in used.findall(f.read_text())}
    assert {"voice_activities_for_la", "actions_for_la"} <= names
    for name in names:
        sql = (ROOT / "queries" / f"{name}.sql").read_text()
        code = "\n".join(line.split("--")[0] for line in sql.splitlines())
        tables = set(re.findall(r"\b(?:FROM|JOIN)\s+([a-z_]+)", code, re.IGNORECASE))
        assert not tables & ROW_LEVEL, f"queries/{name}.sql reads children's records: {tables & ROW_LEVEL}"


@pytest.mark.parametrize("la", [KENT, "E06000001"])
def test_return_2b_shares_are_the_gated_tables_including_hidden_ones(demo_db, la):
    """Hartlepool's 2025 PN codes are hidden in the demo; Kent's are published."""
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        table = indicator_table(con, Selection(la, YEAR, indicator_ids=(facts.PN_CODES,)))
    finally:
        con.close()
    whole = table.filter((pl.col("breakdown") == "") & (pl.col("group") == "all") & (pl.col("category") != ""))
    doc = _doc(demo_db, la=la)
    pn = next(b for b in doc.blocks if getattr(b, "caption", "").startswith("Return 2b"))
    written = {row[0].split(":")[0]: row[1] for row in pn.rows}
    assert len(written) == whole.height > 0
    for rec in whole.iter_rows(named=True):
        expected = f"{rec['value']:.0f}%" if rec["status"] == "ok" else compose.HIDDEN
        assert written[rec["category"]] == expected


def test_the_cli_refuses_a_year_with_nothing_loaded(demo_db, tmp_path, capsys):
    out = tmp_path / "s.html"
    assert run_cli("statement", "--db", demo_db, "--la", KENT, "--year", 2012, "--out", out) == 2
    assert "nothing is loaded for Kent in the year to 31 March 2012" in capsys.readouterr().err
    assert not out.exists()


def test_the_las_words_for_children_appear_in_the_child_friendly_version(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path)
    sidefile.save_text(db, KENT, YEAR, "commitments_child", "We will answer every letter you send.", "Participation Lead")
    doc = _doc(db, child=True)
    assert "We will answer every letter you send." in doc.text()
    assert "We will answer every letter you send." not in doc.text(own_only=True)
    assert compose.CF_PROMISE_DEFAULT not in doc.text()
