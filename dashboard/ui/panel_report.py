"""The Panel report page's logic: build the report for the selection once for the whole server,
and its file names. The report itself is dashboard.report (no Streamlit there)."""
from __future__ import annotations

import re
from dataclasses import dataclass

import streamlit as st

from dashboard import db
from dashboard.report import make_layout
from dashboard.report.html import render_html
from dashboard.report.layout import Layout
from dashboard.report.pdf import render_pdf
from dashboard.ui.data import catalogue
from dashboard.ui.selection import Choice

KEPT = 16    # reports kept by the server (each a few hundred KB)


@dataclass(frozen=True)
class Built:
    layout: Layout
    html: str
    pdf: bytes

    def file_name(self, suffix: str) -> str:
        r = self.layout.report
        la = re.sub(r"[^a-z0-9]+", "_", r.la_name.lower()).strip("_")
        who = "" if r.cohort is None else f"_{r.cohort}"
        return f"panel_report_{la}_{r.wave}{who}.{suffix}"


def report_for(choice: Choice, cohort: str | None) -> Built:
    """The report for the selection, made once per database content, LA, wave and cohort for the
    whole server (every session reads the same one), from the published figures."""
    path = db.db_path()
    return _build(str(path), path.stat().st_mtime_ns, choice.la_code, choice.wave, cohort)


@st.cache_resource(max_entries=KEPT, show_spinner="Preparing the report (once for everyone who opens it)")
def _build(path: str, mtime_ns: int, la_code: str, wave: int, cohort: str | None) -> Built:
    # Keyed by the file's modification time as well: a new load means new figures. Streamlit
    # computes a key once even when several sessions ask at the same moment.
    layout = make_layout(db.connection(), la_code, wave, cohort, catalogue=catalogue())
    return Built(layout, render_html(layout), render_pdf(layout))


def brief_for(built: Built) -> bytes:
    """The panel brief as PDF (the full report as its appendix), made from the report already
    gathered for the page, once per session."""
    from dashboard.report.brief import lay_out_brief

    made: dict = st.session_state.setdefault("_panel_briefs", {})
    key = id(built)
    if key not in made:
        with st.spinner("Writing the panel brief"):
            made.clear()
            made[key] = render_pdf(lay_out_brief(built.layout.report))
    return made[key]
