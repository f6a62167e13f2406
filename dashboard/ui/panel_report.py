"""The Panel report page's logic: build the report for the selection once per session (with a
progress bar), and its file names. The report itself is dashboard.report (no Streamlit there)."""
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

KEPT = 4     # reports kept per browser session


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
    """The report for the selection, made once per session and database (a progress bar meanwhile)."""
    path = db.db_path()
    key = (str(path), path.stat().st_mtime_ns, choice.la_code, choice.wave, cohort)
    made: dict = st.session_state.setdefault("_panel_reports", {})
    if key not in made:
        bar = st.progress(0.0, text="Preparing the report")

        def progress(message: str, fraction: float) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=message)

        layout = make_layout(db.connection(), choice.la_code, choice.wave, cohort, catalogue=catalogue(),
                             progress=progress)
        progress("Writing the HTML report", 0.92)
        html = render_html(layout)
        progress("Writing the PDF report", 0.95)
        pdf = render_pdf(layout)
        bar.empty()
        while len(made) >= KEPT:
            made.pop(next(iter(made)))
        made[key] = Built(layout, html, pdf)
    return made[key]


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
