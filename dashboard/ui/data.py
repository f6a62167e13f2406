"""Gated figures for the pages, from the app's shared read-only connection.

Every function here returns figures that have passed the disclosure gate (dashboard.engine);
pages never query row-level tables for figures about children.
"""
from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import db
from dashboard.catalogue import default_catalogue
from dashboard.engine import cells, themes, views
from dashboard.engine.figures import Selection, indicator_table
from dashboard.statement import register
from dashboard.ui.selection import Choice


def catalogue():
    return default_catalogue()


# Every lookup below is kept per data version (dashboard.db.data_version: the file and its newest
# release) and its arguments, for the whole server: published figures change only with a publish,
# so a page visit after the first for a selection reads memory, not DuckDB. A new publish gives a
# new version and so fresh lookups. st.cache_data hands each caller its own copy.
KEPT = 2048


def figures(choice: Choice, domain: str | None = None, breakdown: str | None = None,
            indicator_ids: tuple[str, ...] | None = None, all_cohorts: bool = False) -> pl.DataFrame:
    """The gated figure table for the selection (see dashboard.engine.figures.COLUMNS)."""
    sel = Selection(choice.la_code, choice.wave, domain, breakdown, choice.age_band,
                    None if all_cohorts else choice.cohort, indicator_ids)
    return _figures(db.data_version(), sel)


@st.cache_data(max_entries=KEPT, show_spinner=False)
def _figures(version: tuple, sel: Selection) -> pl.DataFrame:
    return indicator_table(db.connection(), sel, catalogue())


def series(indicator_id: str, choice: Choice, breakdown: str = "", group: str = "all",
           category: str = "") -> views.Series:
    """The trend line a page means for an indicator: a survey figure is the chosen cohort's and age
    band's; a record measure or DfE metric is everyone's."""
    survey = catalogue().by_id()[indicator_id].source == "survey"
    return views.Series(indicator_id, choice.cohort if survey else None, choice.age_band if survey else "all",
                        breakdown, group, category)


def trends(choice: Choice, wanted: list[views.Series]) -> list[pl.DataFrame]:
    """Each series over the waves for the chosen LA, read together (one query for a page's lines)."""
    return _trends(db.data_version(), choice.la_code, tuple(wanted))


def trend(indicator_id: str, choice: Choice, breakdown: str = "", group: str = "all", category: str = "") -> pl.DataFrame:
    return trends(choice, [series(indicator_id, choice, breakdown, group, category)])[0]


@st.cache_data(max_entries=KEPT, show_spinner=False)
def _trends(version: tuple, la_code: str, wanted: tuple[views.Series, ...]) -> list[pl.DataFrame]:
    return views.trends(db.connection(), la_code, list(wanted))


def funnel(indicator_id: str, choice: Choice) -> dict:
    ind = catalogue().by_id()[indicator_id]
    cohort = choice.cohort if ind.source == "survey" else None
    return _funnel(db.data_version(), indicator_id, choice.wave, cohort,
                   choice.age_band if ind.source == "survey" else "all")


@st.cache_data(max_entries=KEPT, show_spinner=False)
def _funnel(version: tuple, indicator_id: str, wave: int, cohort: str | None, age_band: str) -> dict:
    return views.funnel(db.connection(), catalogue().by_id()[indicator_id], wave, cohort, age_band)


def load_history() -> pl.DataFrame:
    """Every load, newest first (dashboard.report.methods.load_history), kept per data version."""
    return _load_history(db.data_version())


@st.cache_data(max_entries=4, show_spinner=False)
def _load_history(version: tuple) -> pl.DataFrame:
    from dashboard.report import methods

    return methods.load_history(db.connection())


def actions_for_la(la_code: str) -> pl.DataFrame:
    """The LA's "you said, we did" actions (queries/actions_for_la.sql, screened as db.query does),
    kept per data version: they change only with a load."""
    return _actions_for_la(db.data_version(), la_code)


@st.cache_data(max_entries=256, show_spinner=False)
def _actions_for_la(version: tuple, la_code: str) -> pl.DataFrame:
    return db.query("actions_for_la", {"la_code": la_code})


Version = tuple


def published_version() -> Version:
    """What the published tables are now (db.data_version: the file and its newest release)."""
    return db.data_version()


def dfe_all_series(version: Version, metric_ids: tuple[str, ...], choice: Choice) -> dict[str, pl.DataFrame]:
    """Every listed DfE metric's series for the LA (views.dfe_series for each), read once per published
    version (published_version()) and LA for the whole server."""
    return _dfe_all_series(version, metric_ids, choice.la_code)


@st.cache_resource(show_spinner=False, max_entries=64)
def _dfe_all_series(version: Version, metric_ids: tuple[str, ...], la_code: str) -> dict[str, pl.DataFrame]:
    # The frames are shared by every session that asks: nothing changes them after this (polars
    # operations return new frames).
    by_id = catalogue().by_id()
    return views.dfe_series_all(db.connection(), [by_id[i] for i in metric_ids], la_code)


# -- themes, quotes and the register of ways an LA listens: published lookups, for the pages -------

ALL = cells.ALL   # the code of "every group" / "every year" / "every age" (dashboard.engine.cells)


def theme_periods(la_code: str) -> themes.ThemePeriods:
    """The reporting years with published theme counts for the LA, newest first."""
    return themes.periods(db.connection(), la_code)


def theme_counts(la_code: str, period: str = ALL, breakdown: str = "") -> pl.DataFrame:
    """The LA's published theme counts for a period and breakdown (dashboard.engine.themes.theme_counts)."""
    return themes.theme_counts(db.connection(), la_code, period, breakdown)


def theme_quotes(la_code: str, period: str = ALL, per_theme: int = 3, cohort: str | None = None) -> dict[str, list[str]]:
    """Consented quotes of themes whose count is published (dashboard.engine.themes.quotes)."""
    return themes.quotes(db.connection(), la_code, period, per_theme=per_theme, cohort=cohort)


def themes_raised_by_cohort(la_code: str, cohort: str | None) -> set[str]:
    """The themes a cohort raised in the LA (queries/themes_raised_by_cohort.sql)."""
    return set(db.query("themes_raised_by_cohort", {"la_code": la_code, "cohort": cohort})["theme"].to_list())


def voice_activities(la_code: str) -> list[register.Activity]:
    """The LA's register of the ways it listens (dashboard.statement.register.activities)."""
    return register.activities(db.connection(), la_code)


def period_label(period: str) -> str:
    return themes.period_label(period)
