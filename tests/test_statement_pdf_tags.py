"""The statement's PDF is a tagged PDF: a screen reader finds its headings, paragraphs, lists and
tables in a structure tree tied to every piece of text on its pages, and skips the page furniture.
Read back with pypdf from the PDFs the real renderer makes of the demo (Kent, 2025) and of small
hand-made statements that run over pages."""
from __future__ import annotations

import duckdb
import pytest

from dashboard.statement import output, render_pdf
from dashboard.statement.document import Big, Bullets, Document, Heading, Para, Table
from tests.pdf_tags import Tagged, parent_tree_problems, read, words

KENT = "E10000016"
YEAR = 2025


def _doc(db, child: bool) -> Document:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return output.document(con, KENT, YEAR, db, child_friendly=child)
    finally:
        con.close()


@pytest.fixture(scope="module")
def statement(demo_db) -> tuple[Document, Tagged]:
    doc = _doc(demo_db, child=False)
    return doc, read(render_pdf.render(doc))


@pytest.fixture(scope="module")
def child(demo_db) -> tuple[Document, Tagged]:
    doc = _doc(demo_db, child=True)
    return doc, read(render_pdf.render(doc))


def _blocks(doc: Document, kind: type) -> list:
    return [b for b in doc.blocks if isinstance(b, kind)]


# -- the catalog ------------------------------------------------------------------------------------
@pytest.mark.parametrize("version", ["statement", "child"])
def test_the_pdf_says_it_is_tagged_in_british_english(version, request):
    _, pdf = request.getfixturevalue(version)
    catalog = pdf.reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in catalog and pdf.root is not None and pdf.root.role == "Document"


# -- what the tree holds ----------------------------------------------------------------------------
@pytest.mark.parametrize("version", ["statement", "child"])
def test_the_title_is_the_one_h1_and_each_heading_is_an_h2_or_h3_with_its_words(version, request):
    doc, pdf = request.getfixturevalue(version)
    assert [words(h.text) for h in pdf.root.all("H1")] == [doc.title]
    for level in (2, 3):
        expected = [h.text for h in _blocks(doc, Heading) if h.level == level]
        assert expected, f"the {version} has no level {level} heading any more: test another"
        assert [words(h.text) for h in pdf.root.all(f"H{level}")] == expected


def test_each_paragraph_is_a_p_with_its_words(statement):
    doc, pdf = statement
    paragraphs = [words(p.text) for p in pdf.root.all("P")]
    assert paragraphs == [p.text for p in _blocks(doc, Para)]


def test_each_list_is_an_l_of_items_each_with_a_body(child):
    doc, pdf = child
    lists = pdf.root.all("L")
    assert len(lists) == len(_blocks(doc, Bullets)) > 0
    for block, element in zip(_blocks(doc, Bullets), lists):
        assert [k.role for k in element.kids] == ["LI"] * len(block.items)
        bodies = [words(li.kids[0].text) for li in element.kids if [k.role for k in li.kids] == ["LBody"]]
        assert bodies == [f"• {item}" for item in block.items]


def test_each_table_is_a_table_with_its_caption_a_heading_row_and_a_row_per_line(statement):
    doc, pdf = statement
    tables = pdf.root.all("Table")
    assert len(tables) == len(_blocks(doc, Table)) >= 3
    for block, element in zip(_blocks(doc, Table), tables):
        caption, *rows = element.kids
        assert caption.role == "Caption" and words(caption.text) == block.caption
        assert [r.role for r in rows] == ["TR"] * (1 + len(block.rows))
        assert [c.role for c in rows[0].kids] == ["TH"] * len(block.header)
        assert [_letters(c.text) for c in rows[0].kids] == [_letters(h) for h in block.header]
        assert all(c.obj["/A"]["/Scope"] == "/Column" for c in rows[0].kids)
        for row, line in zip(rows[1:], block.rows):
            assert [c.role for c in row.kids] == ["TD"] * len(line)
            assert [_letters(c.text) for c in row.kids] == [_letters(v) for v in line]


def _letters(text: str) -> str:
    # A narrow column breaks a long word inside it ("Lundy self-assessme / nt"): compare the letters.
    return "".join(text.split())


def test_a_picture_in_dots_is_a_figure_read_as_its_description(child):
    doc, pdf = child
    figures = pdf.root.all("Figure")
    pictures = [b for b in _blocks(doc, Big) if b.picture]
    assert len(figures) == len(pictures) > 0
    for block, figure in zip(pictures, figures):
        assert words(figure.text) == block.picture
        assert figure.obj["/Alt"] == (block.picture_says or block.sentence)


# -- every word on a page belongs somewhere -------------------------------------------------------
@pytest.mark.parametrize("version", ["statement", "child"])
def test_every_text_on_every_page_is_tagged_content_or_an_artifact(version, request):
    _, pdf = request.getfixturevalue(version)
    assert len(pdf.untagged_text) > 1
    assert pdf.untagged_text == [[] for _ in pdf.untagged_text]


@pytest.mark.parametrize("version", ["statement", "child"])
def test_each_mcid_on_a_page_belongs_to_exactly_one_element_through_the_parent_tree(version, request):
    _, pdf = request.getfixturevalue(version)
    assert pdf.root is not None and any(m is not None for seqs in pdf.sequences for _, m in seqs)
    assert parent_tree_problems(pdf) == []


def test_the_synthetic_band_and_the_footer_are_artifacts_on_every_page(statement):
    doc, pdf = statement
    assert doc.synthetic
    for i, text in enumerate(pdf.artifact_text):
        assert "SYNTHETIC DEMO DATA: invented for demonstration" in text
        assert f"Page {i + 1} of {len(pdf.artifact_text)}" in text
    tagged = " ".join(words(e.text) for e in pdf.root.walk() if e.mcids)
    assert "invented for demonstration, not real children" not in tagged and "Page 1 of" not in tagged


# -- across page breaks -----------------------------------------------------------------------------
def _hand_made(*blocks) -> Tagged:
    doc = Document("Test statement", "Testshire", YEAR, child_friendly=False, synthetic=True)
    return read(render_pdf.render(doc.add(*blocks)))


def test_a_paragraph_running_over_a_page_stays_one_paragraph():
    text = " ".join(f"Sentence {i} about listening to children." for i in range(400))
    pdf = _hand_made(Para(text))
    (p,) = pdf.root.all("P")
    assert len({page for page, _ in p.mcids}) == len(pdf.reader.pages) > 1
    assert words(p.text) == text
    assert parent_tree_problems(pdf) == []      # its later pages' content is reached by /MCR references


def test_a_table_running_over_a_page_keeps_one_heading_row_the_repeat_is_an_artifact():
    rows = tuple((f"Activity {i}", "monthly") for i in range(120))
    pdf = _hand_made(Heading("Activities"), Table(("Activity", "How often"), rows, "The activities"))
    (table,) = pdf.root.all("Table")
    assert len(pdf.reader.pages) > 1
    assert [words(c.text) for c in table.all("TH")] == ["Activity", "How often"]
    assert [words(r.kids[0].text) for r in table.all("TR")[1:]] == [r[0] for r in rows]
    assert "How often" not in pdf.artifact_text[0]
    assert all("How often" in text for text in pdf.artifact_text[1:])
