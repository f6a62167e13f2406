"""The corporate parenting panel report: one LA and wave, as HTML and as an A4 PDF.

Built from gated tables only (see dashboard.report.content) and usable without Streamlit:

    html, pdf = build_report(con, "E10000016", 2025)            # children in care and care leavers
    html, pdf = build_report(con, "E10000016", 2025, "care_leavers")

The parts: content (what the report says, from the engine), charts (matplotlib: SVG and PNG),
tables (the text tables, including every chart's table alternative), layout (the sections and
blocks both formats share), html and pdf (the two renderings), methods (the plain-words rules
and methods, shared with the Data and methods page).
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

import duckdb

from dashboard.catalogue import Catalogue

COHORTS = ("children_in_care", "care_leavers")


def make_layout(con: duckdb.DuckDBPyConnection, la_code: str, wave: int, cohort: str | None = None, *,
                catalogue: Catalogue | None = None, generated: datetime | None = None,
                progress: Callable[[str, float], None] | None = None):
    """Gather the figures and draw the charts: the report ready to be written as HTML or PDF."""
    from dashboard.report.content import gather
    from dashboard.report.layout import lay_out

    if cohort is not None and cohort not in COHORTS:
        raise ValueError(f"cohort must be one of {', '.join(COHORTS)} or None (both), not {cohort!r}")
    report = gather(con, la_code, wave, cohort, catalogue=catalogue, generated=generated, progress=progress)
    return lay_out(report, progress)


def make_brief_layout(con: duckdb.DuckDBPyConnection, la_code: str, wave: int, cohort: str | None = None, *,
                      catalogue: Catalogue | None = None, generated: datetime | None = None,
                      progress: Callable[[str, float], None] | None = None, appendix: bool = True):
    """The panel brief (2 to 4 pages), with the full report as its appendix unless appendix=False."""
    from dashboard.report.brief import lay_out_brief
    from dashboard.report.content import gather

    if cohort is not None and cohort not in COHORTS:
        raise ValueError(f"cohort must be one of {', '.join(COHORTS)} or None (both), not {cohort!r}")
    report = gather(con, la_code, wave, cohort, catalogue=catalogue, generated=generated, progress=progress)
    return lay_out_brief(report, progress, appendix=appendix)


def build_report(con: duckdb.DuckDBPyConnection, la_code: str, wave: int, cohort: str | None = None, *,
                 catalogue: Catalogue | None = None, generated: datetime | None = None,
                 progress: Callable[[str, float], None] | None = None) -> tuple[str, bytes]:
    """(HTML text, PDF bytes) of the panel report for one LA (9-character code) and wave.
    `cohort`: children_in_care or care_leavers for one survey's figures only; None for both.
    `progress(message, fraction)` is told what is happening."""
    from dashboard.report.html import render_html
    from dashboard.report.pdf import render_pdf

    say = progress or (lambda message, fraction: None)
    layout = make_layout(con, la_code, wave, cohort, catalogue=catalogue, generated=generated, progress=progress)
    say("Writing the HTML report", 0.92)
    html = render_html(layout)
    say("Writing the PDF report", 0.95)
    pdf = render_pdf(layout)
    say("Done", 1.0)
    return html, pdf


__all__ = ["COHORTS", "build_report", "make_brief_layout", "make_layout"]
