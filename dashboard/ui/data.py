"""Gated figures for the pages, from the app's shared read-only connection.

Every function here returns figures that have passed the disclosure gate (dashboard.engine);
pages never query row-level tables for figures about children.
"""
from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import db
from dashboard.catalogue import default_catalogue
from dashboard.engine import views
from dashboard.engine.figures import Selection, indicator_table
from dashboard.ui.selection import Choice


def catalogue():
    return default_catalogue()


def figures(choice: Choice, domain: str | None = None, breakdown: str | None = None,
            indicator_ids: tuple[str, ...] | None = None, all_cohorts: bool = False) -> pl.DataFrame:
    """The gated figure table for the selection (see dashboard.engine.figures.COLUMNS)."""
    sel = Selection(choice.la_code, choice.wave, domain, breakdown, choice.age_band,
                    None if all_cohorts else choice.cohort, indicator_ids)
    return indicator_table(db.connection(), sel, catalogue())


def trend(indicator_id: str, choice: Choice, breakdown: str = "", group: str = "all", category: str = "") -> pl.DataFrame:
    ind = catalogue().by_id()[indicator_id]
    cohort = choice.cohort if ind.source == "survey" else None
    return views.trend(db.connection(), ind, choice.la_code, cohort, choice.age_band if ind.source == "survey" else "all",
                       breakdown, group, category)


def funnel(indicator_id: str, choice: Choice) -> dict:
    ind = catalogue().by_id()[indicator_id]
    cohort = choice.cohort if ind.source == "survey" else None
    return views.funnel(db.connection(), ind, choice.wave, cohort, choice.age_band if ind.source == "survey" else "all")


def dfe_series(metric_id: str, choice: Choice) -> pl.DataFrame:
    return views.dfe_series(db.connection(), catalogue().by_id()[metric_id], choice.la_code)


Version = tuple[str, int, int, int]


def published_version() -> Version:
    """What the published tables are now: the database file (path, inode, modification time) and
    its newest release. A per-process cache of anything read from them is keyed by it, so a new
    publish (a new release, or a database rebuilt at the same path) is read afresh."""
    path = db.db_path()
    info = path.stat()
    return str(path), info.st_ino, info.st_mtime_ns, int(db.query("published_release_latest").item())


def dfe_all_series(version: Version, metric_ids: tuple[str, ...], choice: Choice) -> dict[str, pl.DataFrame]:
    """Every listed DfE metric's series for the LA (dfe_series for each), read once per published
    version (published_version()) and LA for the whole server."""
    return _dfe_all_series(version, metric_ids, choice.la_code)


@st.cache_resource(show_spinner=False, max_entries=64)
def _dfe_all_series(version: Version, metric_ids: tuple[str, ...], la_code: str) -> dict[str, pl.DataFrame]:
    # The frames are shared by every session that asks: nothing changes them after this (polars
    # operations return new frames).
    by_id = catalogue().by_id()
    return views.dfe_series_all(db.connection(), [by_id[i] for i in metric_ids], la_code)
