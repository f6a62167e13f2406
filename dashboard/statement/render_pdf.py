"""A statement Document as an A4 PDF (fpdf2, DejaVu Sans as the panel report uses); large type for
the child-friendly version. A tagged PDF: title, language and bookmarks, and a structure tree (H1,
H2, H3, P, L > LI > LBody, Table with its Caption > TR > TH/TD, Figure for a picture in dots with
its description as alt text); the synthetic-data band and the footer on each page are artifacts."""
from __future__ import annotations

from fpdf import FontFace

from dashboard.report.pdf import BAND, FONT, FONT_DIR, GREY, HEAD_FILL, ORANGE, TEXT
from dashboard.report.tagging import TaggedPdf
from dashboard.statement.document import Big, Bullets, Document, Heading, Para, SaidDid, Table

BLUE = (0, 114, 178)


class _Pdf(TaggedPdf):
    def __init__(self, doc: Document):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc = doc
        self.set_margins(15, 20, 15)
        self.set_auto_page_break(True, margin=17)
        for style, file in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf"), ("I", "DejaVuSans-Oblique.ttf"),
                            ("BI", "DejaVuSans-BoldOblique.ttf")):
            self.add_font(FONT, style, FONT_DIR / file)
        self.set_text_color(*TEXT)
        self.set_title(doc.title)
        self.set_author(doc.la_name)
        self.set_subject(f"Data set 1a statement, {doc.la_name}, {doc.year}")
        self.set_lang("en-GB")
        self.set_creator("voice-dashboard")

    def header(self) -> None:
        if not self.doc.synthetic:
            return
        # An artifact: the statement's first paragraph says the same once, for a screen reader.
        with self.artifact("Header"):
            self.set_xy(self.l_margin, 6)
            self.set_font(FONT, "B", 8)
            self.set_fill_color(*BAND)
            self.set_draw_color(*ORANGE)
            self.set_text_color(*ORANGE)
            self.cell(self.epw, 7, "SYNTHETIC DEMO DATA: invented for demonstration, not real children.", border=1,
                      fill=True, align="C")
            self.set_text_color(*TEXT)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        with self.artifact("Footer"):
            self.set_y(-12)
            self.set_font(FONT, "", 7.5)
            self.set_text_color(*GREY)
            self.cell(self.epw, 5, f"{self.doc.title}. Page {self.page_no()} of {{nb}}", align="C")
            self.set_text_color(*TEXT)


def render(doc: Document) -> bytes:
    pdf = _Pdf(doc)
    pdf.add_page()
    scale = 1.35 if doc.child_friendly else 1.0
    body = 10 * scale
    pdf.set_font(FONT, "B", 18 * scale)
    with pdf.marked("H1"):
        pdf.multi_cell(0, 9 * scale, doc.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for b in doc.blocks:
        if isinstance(b, Heading):
            size = (15 if b.level == 2 else 12) * scale
            if b.level == 2:
                pdf.start_section(b.text)
            pdf.ln(2)
            pdf.set_font(FONT, "B", size)
            with pdf.marked(f"H{b.level}"):
                pdf.multi_cell(0, size * 0.5, b.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif isinstance(b, Para):
            pdf.set_font(FONT, "I" if b.note else "", body * (0.9 if b.note else 1))
            with pdf.marked("P"):
                pdf.multi_cell(0, body * 0.5, b.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif isinstance(b, Bullets):
            pdf.set_font(FONT, "", body)
            with pdf.tag("L"):
                for item in b.items:
                    # The bullet is drawn in the same line as the words (as before tagging), so it is
                    # part of the item's body rather than a separate label.
                    with pdf.tag("LI"), pdf.marked("LBody"):
                        pdf.multi_cell(0, body * 0.5, f"•  {item}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif isinstance(b, Table):
            with pdf.tag("Table"):
                pdf.set_font(FONT, "B", body * 0.9)
                with pdf.marked("Caption"):
                    pdf.multi_cell(0, body * 0.45, b.caption, new_x="LMARGIN", new_y="NEXT")
                size = body * (0.7 if len(b.header) > 4 else 0.85)
                pdf.set_font(FONT, "", size)
                with pdf.table(headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL),
                               line_height=size * 0.45, text_align="LEFT") as t:
                    t.row(list(b.header))
                    for r in b.rows:
                        t.row(list(r))
            pdf.ln(3)
        elif isinstance(b, Big):
            pdf.set_draw_color(*BLUE)
            pdf.set_font(FONT, "B", 14 * scale)
            with pdf.marked("P"):
                pdf.multi_cell(0, 7 * scale, b.sentence, border="LT" if b.picture else "LTB", new_x="LMARGIN",
                               new_y="NEXT")
            if b.picture:
                pdf.set_text_color(*BLUE)
                pdf.set_font(FONT, "", 20 * scale)
                # The dots are a picture: read out as its description, as the HTML's role="img" is.
                with pdf.marked("Figure", alt=b.picture_says or b.sentence):
                    pdf.multi_cell(0, 10 * scale, b.picture, border="L", new_x="LMARGIN", new_y="NEXT")
                pdf.set_text_color(*TEXT)
                pdf.set_font(FONT, "", body)
                with pdf.marked("P") if b.picture_says else pdf.artifact():    # no words: only the box's edge
                    pdf.multi_cell(0, body * 0.5, b.picture_says or " ", border="LB", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif isinstance(b, SaidDid):
            pdf.set_font(FONT, "B", body)
            with pdf.marked("P"):
                pdf.multi_cell(0, body * 0.5, b.you_said, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FONT, "", body)
            with pdf.marked("P"):
                pdf.multi_cell(0, body * 0.5, b.we_did, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    return bytes(pdf.output())
