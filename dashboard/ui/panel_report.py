"""The Panel report page's logic: the report for the selection, kept once per publish for the whole
server, and its files made only when someone downloads them. The report itself is dashboard.report
(no Streamlit there).

What the page shows needs only the gathered figures (dashboard.report.content.gather, well under a
second). Drawing the charts and writing the PDF take tens of seconds at national scale, so they are
done when a download is asked for (once per publish and selection: every later download, by anyone,
is the kept file), never on a visit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import streamlit as st

from dashboard import db
from dashboard.report.content import Report, gather
from dashboard.report.html import render_html
from dashboard.report.layout import Layout, lay_out
from dashboard.report.pdf import render_pdf
from dashboard.ui.data import catalogue
from dashboard.ui.selection import Choice

KEPT = 64    # reports' figures kept by the server (each well under 1 MB)
KEPT_FILES = 16    # reports' drawn charts and files kept (each a few hundred KB to a few MB)


@dataclass(frozen=True)
class Key:
    """One report: the published data it comes from and the selection."""

    version: tuple
    la_code: str
    wave: int
    cohort: str | None


@dataclass(frozen=True)
class Shown:
    """The report for the page, and how to make its files when someone downloads them."""

    key: Key
    report: Report

    def file_name(self, suffix: str) -> str:
        r = self.report
        la = re.sub(r"[^a-z0-9]+", "_", r.la_name.lower()).strip("_")
        who = "" if r.cohort is None else f"_{r.cohort}"
        return f"panel_report_{la}_{r.wave}{who}.{suffix}"

    def pdf(self) -> bytes:
        return _pdf(self.key)

    def html(self) -> str:
        return _html(self.key)

    def brief(self) -> bytes:
        return _brief(self.key)


def report_for(choice: Choice, cohort: str | None) -> Shown:
    """The report for the selection, gathered once per publish, LA, wave and cohort for the whole
    server (every session reads the same one), from the published figures."""
    key = Key(db.data_version(), choice.la_code, choice.wave, cohort)
    return Shown(key, _gathered(key))


# Keyed by the data version (file and newest release): a new publish means new figures. Streamlit
# computes a key once even when several sessions ask at the same moment.
@st.cache_resource(max_entries=KEPT, show_spinner="Gathering the report's figures")
def _gathered(key: Key) -> Report:
    return gather(db.connection(), key.la_code, key.wave, key.cohort, catalogue=catalogue())


@st.cache_resource(max_entries=KEPT_FILES, show_spinner=False)
def _layout(key: Key) -> Layout:
    # The charts are drawn here; each format writes its own picture of them when first asked.
    return lay_out(_gathered(key))


@st.cache_resource(max_entries=KEPT_FILES, show_spinner=False)
def _pdf(key: Key) -> bytes:
    return render_pdf(_layout(key))


@st.cache_resource(max_entries=KEPT_FILES, show_spinner=False)
def _html(key: Key) -> str:
    return render_html(_layout(key))


@st.cache_resource(max_entries=KEPT_FILES, show_spinner=False)
def _brief(key: Key) -> bytes:
    from dashboard.report.brief import lay_out_brief

    return render_pdf(lay_out_brief(_gathered(key)))
