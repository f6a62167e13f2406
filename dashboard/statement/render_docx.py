"""A statement Document as a Word file (python-docx): councils edit and publish in Word. Real
headings (so the navigation pane and screen readers see the structure) and real tables with a
header row."""
from __future__ import annotations

import io

from docx import Document as Word
from docx.shared import Pt, RGBColor

from dashboard.statement.document import Big, Bullets, Document, Heading, Para, SaidDid, Table


def render(doc: Document) -> bytes:
    w = Word()
    props = w.core_properties
    props.title, props.author, props.language = doc.title, doc.la_name, "en-GB"
    props.subject = f"Data set 1a statement, {doc.la_name}, {doc.year}"
    w.styles["Normal"].font.size = Pt(14 if doc.child_friendly else 11)
    w.add_heading(doc.title, level=1)
    for b in doc.blocks:
        if isinstance(b, Heading):
            w.add_heading(b.text, level=b.level)
        elif isinstance(b, Para):
            p = w.add_paragraph()
            run = p.add_run(b.text)
            run.italic = b.note
            if doc.synthetic and b.text.upper().startswith("SYNTHETIC"):
                run.bold = True
                run.font.color.rgb = RGBColor(0xB9, 0x3A, 0x00)
        elif isinstance(b, Bullets):
            for item in b.items:
                w.add_paragraph(item, style="List Bullet")
        elif isinstance(b, Table):
            w.add_paragraph(b.caption, style="Caption")
            t = w.add_table(rows=1, cols=len(b.header))
            t.style = "Table Grid"
            for cell, text in zip(t.rows[0].cells, b.header):
                cell.text = ""
                cell.paragraphs[0].add_run(text).bold = True
            for r in b.rows:
                for cell, text in zip(t.add_row().cells, r):
                    cell.text = text
        elif isinstance(b, Big):
            p = w.add_paragraph()
            p.add_run(b.sentence).bold = True
            p.runs[0].font.size = Pt(20)
            if b.picture:
                dots = w.add_paragraph().add_run(b.picture)
                dots.font.size = Pt(26)
                dots.font.color.rgb = RGBColor(0x00, 0x72, 0xB2)
            if b.picture_says:
                w.add_paragraph(b.picture_says)
        elif isinstance(b, SaidDid):
            p = w.add_paragraph()
            p.add_run(b.you_said).bold = True
            w.add_paragraph(b.we_did)
    out = io.BytesIO()
    w.save(out)
    return out.getvalue()
