"""The panel report as an A4 PDF, written with fpdf2 (pure Python: no browser or system library).

The text font is DejaVu Sans, which ships inside matplotlib, so every character of an LA's or a
worker's wording prints. Each page carries the synthetic-data label (when the data is synthetic)
and a footer with the report's title and page number; the PDF has bookmarks for every section.

A tagged PDF (dashboard.report.tagging): the title, section and sub-section headings are H1 to H4,
paragraphs P, lists L > LI > Lbl + LBody (the terms of the glossaries likewise, term as the label),
tables Table > Caption, TR > TH/TD, charts Figure with their caption as alt text; the footer and the
synthetic-data label on each page after the first are artifacts (the first page's label is a P).
"""
from __future__ import annotations

import io
from pathlib import Path

import matplotlib
import polars as pl
from fpdf import FPDF, FontFace
from PIL import Image

from dashboard.report.charts import Chart
from dashboard.report.layout import Layout, Section
from dashboard.report.tagging import TaggedPdf

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
TEXT = (11, 12, 12)
GREY = (61, 61, 61)
ORANGE = (185, 58, 0)
BAND = (255, 244, 236)
HEAD_FILL = (240, 240, 240)
LINE = 4.6            # mm per line of body text


class _Pdf(TaggedPdf):
    def __init__(self, layout: Layout):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.layout = layout
        self.set_margins(15, 20, 15)
        self.set_auto_page_break(True, margin=17)
        self.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.add_font(FONT, "I", FONT_DIR / "DejaVuSans-Oblique.ttf")
        self.add_font(FONT, "BI", FONT_DIR / "DejaVuSans-BoldOblique.ttf")
        self.set_text_color(*TEXT)
        r = layout.report
        self.set_title(layout.heading)
        self.set_author("voice-dashboard")
        self.set_subject(f"Panel report for {r.la_name}, {r.wave}")
        self.set_lang("en-GB")
        self.set_creator("voice-dashboard")

    def header(self) -> None:
        r = self.layout.report
        if not r.synthetic:
            return
        # The PDF's text says the data is synthetic nowhere else: the first page's label is read out,
        # its repeats on later pages are page furniture.
        with self.marked("P") if self.page == 1 else self.artifact("Header"):
            self.set_xy(self.l_margin, 6)
            self.set_font(FONT, "B", 8)
            self.set_fill_color(*BAND)
            self.set_draw_color(*ORANGE)
            self.set_line_width(0.6)
            self.set_text_color(*ORANGE)
            self.cell(self.epw, 7, "SYNTHETIC DEMO DATA: invented for demonstration, not real children. "
                      "Do not quote as evidence.", border=1, fill=True, align="C")
            self.set_text_color(*TEXT)
            self.set_line_width(0.2)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        r = self.layout.report
        with self.artifact("Footer"):
            self.set_y(-12)
            self.set_font(FONT, "", 7.5)
            self.set_text_color(*GREY)
            self.cell(self.epw * 0.75, 5, f"{self.layout.heading}. Made {r.generated.day} {r.generated:%B %Y}.",
                      align="L")
            self.cell(self.epw * 0.25, 5, f"Page {self.page_no()} of {{nb}}", align="R")
            self.set_text_color(*TEXT)

    # -- blocks ----------------------------------------------------------------------------------

    def room(self, height: float) -> None:
        """Start a new page unless `height` mm fit below the current line."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def para(self, text: str, size: float = 9.5, style: str = "", indent: float = 0, after: float = 2,
             role: str = "P") -> None:
        self.set_font(FONT, style, size)
        self.set_x(self.l_margin + indent)
        with self.marked(role):
            self.multi_cell(self.epw - indent, LINE * size / 9.5, text, markdown="**" in text, align="L",
                            new_x="LMARGIN", new_y="NEXT")
        self.ln(after)

    def heading(self, text: str, size: float, level: int | None) -> None:
        self.room(size * 0.6 + 22)
        if level is not None:
            self.start_section(text, level=level, strict=False)
        self.set_font(FONT, "B", size)
        # Bookmark level 0 is the title, the one H1; a heading without a bookmark is a sub-section.
        with self.marked(f"H{level + 1}" if level is not None else "H3"):
            self.multi_cell(self.epw, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def bullets(self, items: list[str]) -> None:
        with self.tag("L"):
            for item in items:
                self.set_font(FONT, "", 9.5)
                self.room(LINE * 2)
                y = self.get_y()
                with self.tag("LI"):
                    self.set_xy(self.l_margin + 1.5, y)
                    with self.marked("Lbl"):
                        self.cell(4, LINE, "•")
                    self.set_xy(self.l_margin + 5.5, y)
                    with self.marked("LBody"):
                        self.multi_cell(self.epw - 5.5, LINE, item, markdown="**" in item, align="L",
                                        new_x="LMARGIN", new_y="NEXT")
                self.ln(0.8)
        self.ln(1.2)

    def chart(self, chart: Chart, number: int, table_number: int) -> None:
        with Image.open(io.BytesIO(chart.png)) as img:
            px_w, px_h = img.size
        w = self.epw
        h = w * px_h / px_w
        page_room = self.page_break_trigger - self.t_margin - 16
        if h > page_room:
            h = page_room
            w = h * px_w / px_h
        self.room(h + 14)
        x = self.l_margin + (self.epw - w) / 2
        self.image(io.BytesIO(chart.png), x=x, y=self.get_y(), w=w, h=h, alt_text=chart.caption,
                   title=f"Figure {number}")
        self.set_y(self.get_y() + h + 1.5)
        self.para(f"Figure {number}. {chart.caption} The same figures are in table {table_number} below.",
                  size=8.5, style="I", after=3)

    def table(self, frame: pl.DataFrame, caption: str, size: float = 7.5) -> None:
        if frame.height == 0:
            return
        self.room(22)
        with self.tag("Table"):
            self.para(caption, size=8.5, style="B", after=1, role="Caption")
            widths = _col_widths(self, frame, size)
            self.set_font(FONT, "", size)
            heading = FontFace(emphasis="BOLD", fill_color=HEAD_FILL)
            with super().table(col_widths=widths, width=self.epw, text_align="LEFT", v_align="TOP",
                               line_height=size * 0.48, headings_style=heading, repeat_headings=1,
                               padding=(0.8, 1.2, 0.8, 1.2), markdown=False) as t:
                header = t.row()
                for c in frame.columns:
                    header.cell(c)
                for values in frame.iter_rows():
                    row = t.row()
                    for v in values:
                        row.cell(v)
        self.ln(4)

    def terms(self, items: list[tuple[str, str]]) -> None:
        # A list with each term as its item's label: PDF has no definition list (HTML's <dl>).
        with self.tag("L"):
            for term, text in items:
                self.room(LINE * 3)
                with self.tag("LI"):
                    self.para(term, size=9.5, style="B", after=0.5, role="Lbl")
                    self.para(text, size=9.5, indent=4, after=2, role="LBody")


def _col_widths(pdf: FPDF, frame: pl.DataFrame, size: float) -> list[float]:
    """Column widths in mm: every column at least as wide as its longest word (so no word breaks),
    and the room left shared out by how much text each column holds."""
    pad = 2.6
    pdf.set_font(FONT, "B", size)
    least = [max(pdf.get_string_width(w) for w in (c.split() or [c])) + pad for c in frame.columns]
    pdf.set_font(FONT, "", size)
    want = []
    for i, c in enumerate(frame.columns):
        values = [v for v in frame[c].to_list() if v]
        words = [w for v in values for w in v.split()]
        if words:
            least[i] = max(least[i], min(max(pdf.get_string_width(w) for w in words) + pad, 38))
        longest = max((pdf.get_string_width(v) + pad for v in values), default=0)
        want.append(max(least[i], min(longest, 70)))
    total_least = sum(least)
    if total_least >= pdf.epw:
        return [w * pdf.epw / total_least for w in least]
    spare = pdf.epw - total_least
    extra = [w - m for w, m in zip(want, least)]
    if sum(extra) <= spare:            # everything fits on one line: share the rest evenly by wish
        return [w * pdf.epw / sum(want) for w in want]
    return [m + spare * e / sum(extra) for m, e in zip(least, extra)]


def render_pdf(layout: Layout) -> bytes:
    pdf = _Pdf(layout)
    pdf.add_page()
    r = layout.report
    pdf.start_section(layout.heading, level=0)
    pdf.set_font(FONT, "B", 17)
    with pdf.marked("H1"):
        pdf.multi_cell(pdf.epw, 8, layout.heading, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for line in layout.intro:
        pdf.para(line, size=9.5, after=1.5)
    pdf.ln(2)
    for i, section in enumerate(layout.sections):
        _section(pdf, section, first=i == 0)
    return bytes(pdf.output())


def _section(pdf: _Pdf, s: Section, first: bool) -> None:
    if s.new_page and not first:
        pdf.add_page()
    pdf.heading(s.title, 14, level=1)
    for block in s.blocks:
        kind = block[0]
        if kind == "p":
            pdf.para(block[1])
        elif kind == "summary":
            pdf.para(block[1], style="B")
        elif kind == "h3":
            pdf.heading(block[1], 11.5, level=2)
        elif kind == "h4":
            pdf.room(LINE * 3)
            pdf.para(block[1], size=9.5, style="B", after=0.5, role="H4")
        elif kind == "list":
            pdf.bullets(block[1])
        elif kind == "chart":
            _, chart, number, table_number = block
            pdf.chart(chart, number, table_number)
        elif kind == "table":
            _, frame, caption, number = block
            pdf.table(frame, f"Table {number}. {caption}")
        elif kind == "legend":
            frame = pl.DataFrame({"Code": [c for c, _ in block[1]], "Meaning": [m for _, m in block[1]]})
            pdf.table(frame, "What the status codes mean", size=8.5)
        elif kind == "dl":
            pdf.terms(block[1])
