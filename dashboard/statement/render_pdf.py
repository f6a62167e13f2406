"""A statement Document as an A4 PDF (fpdf2, DejaVu Sans as the panel report uses), tagged with
title, language and bookmarks; large type for the child-friendly version."""
from __future__ import annotations

from fpdf import FPDF, FontFace

from dashboard.report.pdf import BAND, FONT, FONT_DIR, GREY, HEAD_FILL, ORANGE, TEXT
from dashboard.statement.document import Big, Bullets, Document, Heading, Para, SaidDid, Table

BLUE = (0, 114, 178)


class _Pdf(FPDF):
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
    pdf.multi_cell(0, 9 * scale, doc.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for b in doc.blocks:
        if isinstance(b, Heading):
            size = (15 if b.level == 2 else 12) * scale
            if b.level == 2:
                pdf.start_section(b.text)
            pdf.ln(2)
            pdf.set_font(FONT, "B", size)
            pdf.multi_cell(0, size * 0.5, b.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif isinstance(b, Para):
            pdf.set_font(FONT, "I" if b.note else "", body * (0.9 if b.note else 1))
            pdf.multi_cell(0, body * 0.5, b.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif isinstance(b, Bullets):
            pdf.set_font(FONT, "", body)
            for item in b.items:
                pdf.multi_cell(0, body * 0.5, f"•  {item}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif isinstance(b, Table):
            pdf.set_font(FONT, "B", body * 0.9)
            pdf.multi_cell(0, body * 0.45, b.caption, new_x="LMARGIN", new_y="NEXT")
            size = body * (0.7 if len(b.header) > 4 else 0.85)
            pdf.set_font(FONT, "", size)
            with pdf.table(headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL), line_height=size * 0.45,
                           text_align="LEFT") as t:
                t.row(list(b.header))
                for r in b.rows:
                    t.row(list(r))
            pdf.ln(3)
        elif isinstance(b, Big):
            pdf.set_draw_color(*BLUE)
            pdf.set_font(FONT, "B", 14 * scale)
            pdf.multi_cell(0, 7 * scale, b.sentence, border="LT" if b.picture else "LTB", new_x="LMARGIN", new_y="NEXT")
            if b.picture:
                pdf.set_text_color(*BLUE)
                pdf.set_font(FONT, "", 20 * scale)
                pdf.multi_cell(0, 10 * scale, b.picture, border="L", new_x="LMARGIN", new_y="NEXT")
                pdf.set_text_color(*TEXT)
                pdf.set_font(FONT, "", body)
                pdf.multi_cell(0, body * 0.5, b.picture_says or " ", border="LB", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif isinstance(b, SaidDid):
            pdf.set_font(FONT, "B", body)
            pdf.multi_cell(0, body * 0.5, b.you_said, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FONT, "", body)
            pdf.multi_cell(0, body * 0.5, b.we_did, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    return bytes(pdf.output())
