"""The statement page's logic: the documents (cached per database content and side-file state)
and showing a Document in Streamlit, block by block."""
from __future__ import annotations

import html
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import db
from dashboard.statement import output, sidefile
from dashboard.statement.document import Big, Bullets, Document, Heading, Para, SaidDid, Table
from dashboard.ui import charts

MIME = {".html": "text/html", ".pdf": "application/pdf",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _side_state(db_file: Path) -> tuple:
    p = sidefile.path_for(db_file)
    return (p.stat().st_size, p.stat().st_mtime_ns) if p.exists() else (0, 0)


@st.cache_data(show_spinner="Drafting the statement...", max_entries=32)
def _document(db_file: str, db_mtime: int, side: tuple, la_code: str, year: int, child_friendly: bool) -> Document:
    return output.document(db.connection(Path(db_file)), la_code, year, Path(db_file), child_friendly)


def document(la_code: str, year: int, db_file: Path, child_friendly: bool) -> Document:
    return _document(str(db_file), db_file.stat().st_mtime_ns, _side_state(db_file), la_code, year, child_friendly)


@st.cache_data(show_spinner=False, max_entries=32)
def _rendered(doc_text: str, _doc: Document, suffix: str) -> bytes:
    return output.render(_doc, suffix)


def rendered(doc: Document, suffix: str) -> bytes:
    # Keyed by what the document says (its text and kind), so any change to it makes new files.
    return _rendered(f"{doc.child_friendly}|{doc.text()}", doc, suffix)


def file_name(la_code: str, year: int, suffix: str, child_friendly: bool) -> str:
    return f"{'child_friendly_' if child_friendly else ''}statement_1a_{la_code}_{year}{suffix}"


def show(doc: Document) -> None:
    st.subheader(doc.title)
    for b in doc.blocks:
        if isinstance(b, Heading):
            (st.subheader if b.level == 2 else st.markdown)(b.text if b.level == 2 else f"**{b.text}**")
        elif isinstance(b, Para):
            (st.caption if b.note else st.write)(b.text)
        elif isinstance(b, Bullets):
            st.markdown("\n".join(f"- {i}" for i in b.items))
        elif isinstance(b, Table):
            st.caption(b.caption)
            charts.grid(pl.DataFrame([dict(zip(b.header, r)) for r in b.rows]) if b.rows else pl.DataFrame(),
                        hide_index=True, width="stretch")
        elif isinstance(b, Big):
            st.markdown(f"### {b.sentence}")
            if b.picture:
                st.markdown(f'<div role="img" aria-label="{html.escape(b.picture_says or b.sentence)}" '
                            f'style="font-size:2rem;color:#0072B2">{html.escape(b.picture)}</div>', unsafe_allow_html=True)
            if b.picture_says:
                st.write(b.picture_says)
        elif isinstance(b, SaidDid):
            st.info(f"**{b.you_said}**\n\n{b.we_did}")
