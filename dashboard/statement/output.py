"""Writing a statement: build the Document for an LA and year, and render it by file type."""
from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard.problems import UserError
from dashboard.statement import compose, facts
from dashboard.statement.document import Document

FORMATS = {".html": "HTML", ".pdf": "PDF", ".docx": "Word"}
CHILD_FORMATS = {".html", ".pdf"}


def document(con: duckdb.DuckDBPyConnection, la_code: str, year: int, db_path: Path | None,
             child_friendly: bool = False, require_data: bool = False) -> Document:
    """The statement (or its child-friendly version). With `require_data`, an LA and year the
    dashboard knows nothing about is a UserError rather than an empty statement."""
    f = facts.gather(con, la_code, year, db_path)
    if require_data and not f.holds_anything():
        raise UserError(f"nothing is loaded for {f.la_name} in the year to 31 March {year} (no voice checks, "
                        "reviews, feedback forms, survey, register of activities or actions): nothing to write. "
                        "Check what is loaded with 'voice-dashboard loads'")
    return compose.child_friendly(f) if child_friendly else compose.statement(f)


def render(doc: Document, suffix: str) -> bytes:
    suffix = suffix.lower()
    if suffix == ".html":
        from dashboard.statement import render_html
        return render_html.render(doc).encode("utf-8")
    if suffix == ".pdf":
        from dashboard.statement import render_pdf
        return render_pdf.render(doc)
    if suffix == ".docx":
        from dashboard.statement import render_docx
        return render_docx.render(doc)
    raise UserError(f"cannot write a statement as '{suffix or 'no extension'}': end the file name with "
                    f"{', '.join(FORMATS)}")


def check_format(out: Path, child_friendly: bool) -> None:
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise UserError(f"cannot write a statement as '{out.name}': end the file name with {', '.join(FORMATS)}")
    if child_friendly and suffix not in CHILD_FORMATS:
        raise UserError("the child-friendly version is made as HTML or PDF (end the file name with .html or .pdf)")
