"""The panel report (dashboard.report): built from gated figures only, with captions and tables,
as HTML and as a PDF; the `voice-dashboard report` command; the methods wording shared with the
Data and methods page.

The fixture: Kent (38 of 40 satisfied with life, a bright spot against the pool's 96 of 120; 4 of only 7 feeling safe at home, a group too
small to show), Medway and Bexley for the pool, Kent's "you said, we did" actions and feedback forms.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from html import unescape
from pathlib import Path

import duckdb
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from dashboard import store
from dashboard.catalogue import default_catalogue
from dashboard.disclosure import Rules
from dashboard.loaders import loader_for, run_load
from dashboard.report import build_report, make_layout, methods
from dashboard.disclosure import PROTECTS_OTHERS
from tests import pdf_tags
from tests.conftest import GOOD_INPUTS, ROOT, run_cli

HEADER = ["respondent_id", "la_code", "survey", "wave", "age_band", "question_id", "answer"]
MADE = datetime(2025, 6, 2, 9, 30)
ACTION_HEADER = ["action_id", "la_code", "raised_on", "source", "indicator_id", "theme", "we_heard", "we_did",
                 "status", "reason", "told_children_on", "owner"]
MARKUP = "<b>bold</b> & <script>alert(1)</script>"


def survey_rows(la: str, question: str, positive: int, negative: int, prefix: str, answers=("7", "2")) -> list:
    values = [answers[0]] * positive + [answers[1]] * negative
    return [[f"{prefix}{i}", la, "YLYC", 2025, "11-17", question, a] for i, a in enumerate(values)]


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def build_db(folder: Path, synthetic: bool) -> Path:
    path = folder / "report.duckdb"
    frequency = ("All or most of the time", "Hardly ever or never")
    survey = write_csv(folder / "survey.csv", HEADER,
                       survey_rows("E10000016", "life_satisfaction", 38, 2, "k")
                       + survey_rows("E10000016", "feel_safe_home", 4, 3, "k", frequency)
                       + survey_rows("E06000035", "life_satisfaction", 10, 20, "m")
                       + survey_rows("E06000035", "feel_safe_home", 20, 5, "m", frequency)
                       + survey_rows("E09000004", "life_satisfaction", 48, 2, "b")
                       + survey_rows("E09000004", "feel_safe_home", 40, 10, "b", frequency))
    actions = write_csv(folder / "actions.csv", ACTION_HEADER, [
        ["R1", "E10000016", "2025-02-01", "bright_spots", "like_bedroom", "", "Some bedrooms feel bare",
         "Decoration budget for every foster home", "done", "", "2025-03-01", "Head of fostering"],
        ["R2", "E10000016", "2025-02-02", "complaints", "", "contact", MARKUP, "", "planned", "", "", ""],
    ])
    con = store.connect(path)
    try:
        run_load(con, loader_for("bright-spots"), [survey], synthetic=synthetic)
        run_load(con, loader_for("actions"), [actions], synthetic=synthetic)
        run_load(con, loader_for("feedback"), [GOOD_INPUTS / "feedback" / "kent_forms_2024.csv"], synthetic=synthetic)
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def real_db(tmp_path_factory) -> Path:
    return build_db(tmp_path_factory.mktemp("report_real"), synthetic=False)


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory) -> Path:
    return build_db(tmp_path_factory.mktemp("report_synthetic"), synthetic=True)


def report_of(db: Path, la: str = "E10000016", wave: int = 2025, cohort: str | None = None) -> tuple[str, bytes]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return build_report(con, la, wave, cohort, generated=MADE)
    finally:
        con.close()


@pytest.fixture(scope="module")
def kent(real_db) -> tuple[str, bytes]:
    return report_of(real_db)


@pytest.fixture(scope="module")
def kent_synthetic(synthetic_db) -> tuple[str, bytes]:
    return report_of(synthetic_db)


def without_svg(html: str) -> str:
    return re.sub(r"<svg.*?</svg>", "", html, flags=re.S)


def svg_texts(html: str) -> list[str]:
    return [t for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S) for t in re.findall(r">([^<>]+)</text>", svg)]


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


# -- gated data only ---------------------------------------------------------------------------------

def test_the_small_groups_figure_appears_nowhere_in_the_html(kent):
    html, _ = kent
    text = without_svg(html)
    assert "57%" not in text and "57.1" not in text
    assert not [t for t in svg_texts(html) if "57" in t]


def test_the_small_groups_figure_appears_nowhere_in_the_pdf(kent):
    _, pdf = kent
    assert "57%" not in "\n".join(pdf_pages(pdf))


def test_the_small_group_reads_c_with_the_reason(kent):
    html, _ = kent
    row = re.search(r"<tr><th scope=\"row\">Feel safe where you live</th>(.*?)</tr>", html).group(1)
    # One reason text for every hidden figure (a reason such as "fewer than 10 people" bounds the count).
    assert "<td>c</td>" in row and f"hidden: {PROTECTS_OTHERS}" in row


def test_a_bright_spot_is_a_headline_with_its_value_range_and_comparison(kent):
    html, _ = kent
    assert ("Satisfied with life as a whole (children in care): 95% (95% interval 83% to 99%), compared with 80% for "
            "all loaded LAs (pool).") in html


# -- captions and tables --------------------------------------------------------------------------

def test_every_chart_has_a_caption_and_a_table_that_exists(kent):
    html, _ = kent
    figures = re.findall(r"<figure.*?</figure>", html, flags=re.S)
    assert figures
    for fig in figures:
        caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", fig).group(1)
        number = re.search(r"table (\d+) below", caption).group(1)
        assert f'<table id="table-{number}">' in html


def test_charts_are_labelled_images_for_screen_readers(kent):
    html, _ = kent
    for fig in re.findall(r"<figure.*?</figure>", html, flags=re.S):
        label = re.search(r'<svg role="img" aria-labelledby="([^"]+)"', fig).group(1)
        assert f'<figcaption id="{label}">' in fig


def test_html_tables_have_captions_and_column_headers(kent):
    html, _ = kent
    tables = re.findall(r"<table.*?</table>", html, flags=re.S)
    assert len(tables) >= 4
    assert all("<caption>" in t and '<th scope="col">' in t for t in tables)


def test_text_from_the_data_is_escaped(kent):
    html, _ = kent
    assert "<script>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;" in html


def test_you_said_we_did_shows_what_was_done_and_its_status(kent):
    html, _ = kent
    row = re.search(r"<tr><th scope=\"row\">2025-02-01</th>(.*?)</tr>", html).group(1)
    assert "Decoration budget for every foster home" in row and "<td>Done</td>" in row


def test_disclosure_rules_and_status_legend_are_in_the_report(kent):
    html, _ = kent
    assert "fewer than 10 people is not shown" in html
    assert "What the status codes mean" in html and "low base: fewer than 30 people answered" in html


def test_report_says_when_it_was_made_and_where_the_data_came_from(kent):
    html, _ = kent
    assert "Made on 2 June 2025 at 09:30" in html
    assert "Data loaded, by kind" in html and "Bright Spots surveys" in html


# -- the PDF ----------------------------------------------------------------------------------------

def test_pdf_is_a_pdf_naming_the_la(kent):
    _, pdf = kent
    assert pdf.startswith(b"%PDF")
    assert "Corporate parenting panel report: Kent, 2025" in pdf_pages(pdf)[0]


def test_what_the_methods_say_about_pdf_tagging_is_what_the_pdf_holds(kent):
    """The accessibility statement says the PDF is tagged, and nothing says it is only partly tagged."""
    from dashboard.report.methods import ACCESSIBILITY_LIMITS, ACCESSIBILITY_WHAT_WE_DO

    pdf = pdf_tags.read(kent[1])
    assert pdf.root is not None and {"H1", "H2", "P", "L", "Table", "TH", "TD", "Figure"} <= {e.role for e in pdf.root.walk()}
    assert any("tagged PDF" in line for line in ACCESSIBILITY_WHAT_WE_DO)
    assert not any("partly tagged" in line for line in ACCESSIBILITY_WHAT_WE_DO + ACCESSIBILITY_LIMITS)


def test_pdf_pages_are_a4(kent):
    _, pdf = kent
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(io.BytesIO(pdf)).pages}
    assert sizes == {(595, 842)}


def test_pdf_says_synthetic_on_every_page_when_the_data_is(kent_synthetic):
    _, pdf = kent_synthetic
    pages = pdf_pages(pdf)
    assert len(pages) > 1 and all("SYNTHETIC DEMO DATA" in p for p in pages)


def test_html_says_synthetic_when_the_data_is(kent_synthetic):
    html, _ = kent_synthetic
    assert '<p class="synthetic" role="note"><strong>SYNTHETIC DEMO DATA.' in html


def test_real_data_is_not_labelled_synthetic(kent):
    html, pdf = kent
    assert "SYNTHETIC" not in html and not any("SYNTHETIC" in p for p in pdf_pages(pdf))


def test_pdf_is_marked_as_tagged_in_british_english(kent):
    catalog = PdfReader(io.BytesIO(kent[1])).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "en-GB" and "/StructTreeRoot" in catalog


def test_pdf_headings_are_the_html_reports_headings_at_the_same_levels(kent):
    html_text, pdf_bytes = kent
    pdf = pdf_tags.read(pdf_bytes)
    title = re.search(r"<h1>(.*?)</h1>", html_text).group(1)
    assert [pdf_tags.words(h.text) for h in pdf.root.all("H1")] == [unescape(title)]
    sections = re.findall(r'<section [^>]*>\n<h2>(.*?)</h2>', html_text)
    assert [pdf_tags.words(h.text) for h in pdf.root.all("H2")] == [unescape(t) for t in sections]
    for level in (3, 4):
        expected = [unescape(t) for t in re.findall(rf"<h{level}>(.*?)</h{level}>", html_text)]
        assert expected and [pdf_tags.words(h.text) for h in pdf.root.all(f"H{level}")] == expected


def test_pdf_tables_have_their_caption_and_a_row_of_column_headings(kent):
    html_text, pdf_bytes = kent
    tables = pdf_tags.read(pdf_bytes).root.all("Table")
    captions = [unescape(c) for c in re.findall(r"<caption>(.*?)</caption>", html_text)]
    assert len(tables) == len(captions) > 1
    for table, caption in zip(tables, captions):
        first, heading, *rows = table.kids
        assert first.role == "Caption" and pdf_tags.words(first.text) == caption
        assert heading.role == "TR" and {c.role for c in heading.kids} == {"TH"}
        assert rows and all(r.role == "TR" and {c.role for c in r.kids} == {"TD"} for r in rows)


def test_pdf_charts_are_figures_whose_alt_text_is_their_caption(kent):
    html_text, pdf_bytes = kent
    figures = pdf_tags.read(pdf_bytes).root.all("Figure")
    captions = re.findall(r'<figcaption id="figure-\d+">Figure \d+\. (.*?) The same figures', html_text)
    assert len(figures) == len(captions) > 0
    assert [str(f.obj["/Alt"]) for f in figures] == [unescape(c) for c in captions]


def test_pdf_charts_are_read_where_they_are_drawn_with_their_caption_next(kent):
    """In reading order each chart comes in its section, followed by its visible caption."""
    root = pdf_tags.read(kent[1]).root
    order = list(root.walk())
    figures = root.all("Figure")
    assert figures
    for n, figure in enumerate(figures, start=1):
        after = order[order.index(figure) + 1]
        assert after.role == "P" and pdf_tags.words(after.text).startswith(f"Figure {n}. {figure.obj['/Alt']}")
        assert any(e.role == "H2" for e in order[:order.index(figure)])


def test_pdf_lists_are_lists_of_labelled_items(kent):
    lists = pdf_tags.read(kent[1]).root.all("L")
    assert lists
    for items in lists:
        assert all(li.role == "LI" and [k.role for k in li.kids] == ["Lbl", "LBody"] for li in items.kids)


def test_every_text_on_every_pdf_page_is_tagged_content_or_an_artifact(kent_synthetic):
    pdf = pdf_tags.read(kent_synthetic[1])
    assert len(pdf.untagged_text) > 1
    assert pdf.untagged_text == [[] for _ in pdf.untagged_text]


def test_each_mcid_in_the_pdf_belongs_to_exactly_one_element_through_the_parent_tree(kent_synthetic):
    pdf = pdf_tags.read(kent_synthetic[1])
    assert pdf.root is not None and any(m is not None for seqs in pdf.sequences for _, m in seqs)
    assert pdf_tags.parent_tree_problems(pdf) == []


def test_the_synthetic_label_is_read_once_then_it_and_the_footer_are_artifacts(kent_synthetic):
    pdf = pdf_tags.read(kent_synthetic[1])
    first = pdf.root.kids[0]
    assert first.role == "P" and pdf_tags.words(first.text).startswith("SYNTHETIC DEMO DATA: invented")
    assert "SYNTHETIC" not in pdf.artifact_text[0]
    for i, text in enumerate(pdf.artifact_text):
        assert f"Page {i + 1} of {len(pdf.artifact_text)}" in text
        assert i == 0 or "SYNTHETIC DEMO DATA: invented for demonstration" in text


# -- choices -----------------------------------------------------------------------------------------

def test_care_leavers_report_has_no_children_in_care_survey_figures(real_db):
    con = duckdb.connect(str(real_db), read_only=True)
    try:
        layout = make_layout(con, "E10000016", 2025, "care_leavers", generated=MADE)
    finally:
        con.close()
    whos = {f.who for d in layout.report.domains for f in d.figures}
    assert "children in care" not in whos


def test_unknown_cohort_is_refused(real_db):
    con = duckdb.connect(str(real_db), read_only=True)
    try:
        with pytest.raises(ValueError, match="cohort must be one of"):
            make_layout(con, "E10000016", 2025, "everyone")
    finally:
        con.close()


def test_a_wave_without_a_survey_says_so(real_db):
    html, _ = report_of(real_db, wave=2024)
    assert "There is no Bright Spots survey for Kent in 2024" in html


# -- the command ------------------------------------------------------------------------------------

def test_cli_writes_the_pdf(real_db, tmp_path):
    out = tmp_path / "kent.pdf"
    assert run_cli("report", "--db", real_db, "--la", "886", "--wave", "2025", "--out", out, "--quiet") == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_cli_writes_the_html(real_db, tmp_path):
    out = tmp_path / "kent.html"
    assert run_cli("report", "--db", real_db, "--la", "E10000016", "--wave", "2025", "--out", out, "--quiet") == 0
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_cli_refuses_another_file_type_and_writes_nothing(real_db, tmp_path, capsys):
    out = tmp_path / "kent.docx"
    assert run_cli("report", "--db", real_db, "--la", "886", "--wave", "2025", "--out", out) == 2
    assert "must end in .html or .pdf" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_cli_says_when_there_is_nothing_to_report(real_db, tmp_path, capsys):
    out = tmp_path / "leeds.pdf"
    assert run_cli("report", "--db", real_db, "--la", "E08000035", "--wave", "2025", "--out", out, "--quiet") == 1
    assert "nothing to report" in capsys.readouterr().err and not out.exists()


# -- the methods wording ----------------------------------------------------------------------------

def test_disclosure_rules_take_their_numbers_from_the_settings():
    text = " ".join(methods.disclosure_rules(Rules(percentage_min_base=15, people_count_min=1, people_count_max=9,
                                                   low_base_max=39, uniform_answer_max_base=19)))
    assert "fewer than 15 people" in text and "1 to 9 records" in text
    assert "from 15 to 39 people" in text and "a group of 19 or fewer" in text


def test_catalogue_table_lists_every_indicator_with_its_comparator_sources():
    catalogue = default_catalogue()
    table = methods.catalogue_table(catalogue)
    assert table["ID"].to_list() == [i.id for i in catalogue.indicators]
    row = table.filter(table["ID"] == "life_satisfaction").row(0, named=True)
    assert "What Makes Life Good? (2020)" in row["Compared with"] and row["Polarity"] == "higher is better"


def test_catalogue_search_needs_every_word():
    table = methods.catalogue_table(default_catalogue())
    found = methods.search(table, "bedroom SURVEY")
    assert found["ID"].to_list() == ["like_bedroom"]


def test_load_history_shows_a_small_count_of_forms_as_c(real_db):
    con = duckdb.connect(str(real_db), read_only=True)
    try:
        history = methods.load_history(con)
    finally:
        con.close()
    forms = history.filter(history["Data"] == "Feedback forms").row(0, named=True)
    assert forms["Rows in file"] == "c"
    survey = history.filter(history["Data"] == "Bright Spots surveys").row(0, named=True)
    assert survey["Rows in file"] == "202"


# -- the pages (AppTest) -----------------------------------------------------------------------------

APP = ROOT / "dashboard" / "app.py"


def open_page(monkeypatch, db: Path, page: str, la: str = "E10000016") -> AppTest:
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    monkeypatch.setenv("VOICE_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page(page).run()
    at.sidebar.selectbox(key="sel_la").set_value(la).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_panel_report_page_offers_the_pdf_and_html(monkeypatch, real_db):
    at = open_page(monkeypatch, real_db, "../pages/panel_report.py")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download the report as PDF (for printing)", "Download the report as HTML (for reading on screen)",
                      "Download the panel brief as PDF"]
    shown = "\n".join(m.value for m in at.main.markdown)
    assert "**The report:** Kent, 2025" in shown
    assert "Satisfied with life as a whole (children in care): 95%" in shown


def _publish_kent_again(db_file: Path, folder: Path, satisfied: int, not_satisfied: int) -> None:
    """A real load of a new Kent 2025 survey file into `db_file` (a load publishes in its own
    transaction), after the app has let go of the file as it must for any writer. (Twice as many
    answers as before: a replacement close in size can be hidden, its difference being too few people.)"""
    from dashboard import db as app_db

    app_db.release()
    survey = write_csv(folder / "kent_again.csv", HEADER,
                       survey_rows("E10000016", "life_satisfaction", satisfied, not_satisfied, "again"))
    assert run_cli("load", "bright-spots", survey, "--replace", "--db", db_file) == 0


def test_panel_report_page_shows_the_new_figures_after_a_new_publish(monkeypatch, tmp_path):
    # The page keeps each report per publish and selection: a new publish must not show the old one.
    # Kent's 38 of 40 is a bright spot; the new file's 60 of 80 (75%) is no clear difference.
    db_file = build_db(tmp_path, synthetic=False)
    at = open_page(monkeypatch, db_file, "../pages/panel_report.py")
    before = "\n".join(m.value for m in at.main.markdown)
    assert "Satisfied with life as a whole (children in care): 95%" in before
    assert "**1 bright spots and 0 areas to look at**" in before
    _publish_kent_again(db_file, tmp_path, 60, 20)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    after = "\n".join(m.value for m in at.main.markdown)
    assert "Satisfied with life as a whole (children in care): 95%" not in after
    assert "**0 bright spots and 0 areas to look at**" in after


def test_cached_page_figures_follow_a_new_publish(monkeypatch, tmp_path):
    import streamlit as st

    from dashboard.ui import data
    from dashboard.ui.selection import Choice

    st.cache_data.clear()
    st.cache_resource.clear()
    db_file = build_db(tmp_path, synthetic=False)
    monkeypatch.setenv("VOICE_DB", str(db_file))
    kent = Choice("E10000016", "Kent", 2025, "children_in_care", "all")

    def satisfied() -> float:
        t = data.figures(kent, indicator_ids=("life_satisfaction",))
        w = t.filter((t["group"] == "all") & (t["breakdown"] == ""))
        return w["value"].to_list()

    assert satisfied() == [95.0]
    _publish_kent_again(db_file, tmp_path, 60, 20)
    assert satisfied() == [75.0]
    st.cache_resource.clear()


def test_panel_report_files_are_made_when_asked_and_kept_for_the_publish(monkeypatch, real_db):
    # The page hands these to its download buttons; they run when a button is pressed.
    import streamlit as st

    from dashboard.ui.panel_report import report_for
    from dashboard.ui.selection import Choice

    st.cache_resource.clear()
    monkeypatch.setenv("VOICE_DB", str(real_db))
    shown = report_for(Choice("E10000016", "Kent", 2025, "children_in_care", "all"), "children_in_care")
    pdf, html, brief = shown.pdf(), shown.html(), shown.brief()
    assert pdf.startswith(b"%PDF") and brief.startswith(b"%PDF") and brief != pdf
    assert "Corporate parenting panel report: Kent, 2025" in html
    assert shown.file_name("pdf") == "panel_report_kent_2025_children_in_care.pdf"
    assert shown.pdf() is pdf      # kept: a second download does not draw the charts again
    st.cache_resource.clear()


def test_data_and_methods_search_narrows_the_indicator_table(monkeypatch, real_db):
    at = open_page(monkeypatch, real_db, "../pages/data_and_methods.py")
    at.text_input[0].input("bedroom").run()
    assert at.dataframe[1].value["ID"].to_list() == ["like_bedroom"]
