"""Everything the statement says, gathered from what the product holds, as typed records.

Every figure about children comes from the gated read API (dashboard.engine.records, typed records
of dashboard.engine.figures.indicator_table, and dashboard.engine.views.trend): a figure the gate
hides arrives with no value and is written as "not shown". Actions and the register are about services, not children, and are read directly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from dashboard import store
from dashboard.catalogue import Catalogue, default_catalogue
from dashboard.engine import views
from dashboard.engine import records
from dashboard.engine.figures import Selection
from dashboard.reference import la_reference
from dashboard.statement import lundy, register, sidefile
from dashboard.vocabulary import Classification, Status

SECTION_A = ["return_2a_voice_heard_assessment", "return_2a_voice_heard_closure", "return_2c_feedback_sought",
             "feedback_sought_and_discussed"]
PN_CODES = "return_2b_pn_codes"
SURVEY_LOOKBACK = 3       # the latest Bright Spots wave up to this many years before the statement's year


@dataclass(frozen=True)
class Figure:
    """One published figure (value None when the gate hid it, with why)."""

    indicator_id: str
    title: str
    child_friendly: str
    value: float | None
    base: int | None
    low_base: bool
    status: Status
    reason: str | None
    classification: Classification | None = None
    previous_value: float | None = None
    change_significant: bool = False
    category: str = ""
    cohort: str = ""


@dataclass(frozen=True)
class Point:
    year: int
    value: float | None
    status: Status


@dataclass
class Facts:
    la_code: str
    la_name: str
    year: int
    first_day: date
    last_day: date
    synthetic: bool
    section_a: list[tuple[Figure, list[Point]]]
    pn_codes: list[Figure]
    survey_wave: int | None
    survey: list[Figure]
    activities: list[register.Activity]
    loops: list[register.Loop]
    assessments: dict[str, lundy.Assessment]
    actions_this_year: pl.DataFrame
    actions_last_year: pl.DataFrame
    earlier_actions: bool              # any action raised before this year: this is not the first statement
    la_text: dict[str, str] = field(default_factory=dict)

    def holds_anything(self) -> bool:
        """Whether anything is known for the LA and year: a figure, an activity or an action."""
        return bool(self.section_a or self.pn_codes
                    or self.survey or self.activities or self.actions_this_year.height or self.actions_last_year.height)


def _figure(rec: records.Figure, catalogue: Catalogue) -> Figure:
    ind = catalogue.by_id()[rec.indicator_id]
    shown = rec.shown
    return Figure(rec.indicator_id, ind.title, getattr(ind, "child_friendly", "") or ind.title,
                  rec.value if shown else None, rec.base if shown else None, rec.low_base and shown,
                  rec.status, rec.reason, rec.classification,
                  rec.previous_value if shown else None, rec.change_significant and shown,
                  rec.category or "", rec.cohort or "")


def _whole_group_records(con: duckdb.DuckDBPyConnection, sel: Selection, catalogue: Catalogue) -> list[records.Figure]:
    return [f for f in records.indicator_figures(con, sel, catalogue) if f.whole_group]


def figures(con: duckdb.DuckDBPyConnection, la_code: str, year: int, ids: list[str],
            catalogue: Catalogue) -> list[Figure]:
    recs = _whole_group_records(con, Selection(la_code, year, indicator_ids=tuple(ids)), catalogue)
    order = {i: n for n, i in enumerate(ids)}
    recs.sort(key=lambda r: (order.get(r.indicator_id, 99), r.category or ""))
    return [_figure(r, catalogue) for r in recs]


def trend(con: duckdb.DuckDBPyConnection, indicator_id: str, la_code: str, year: int,
          catalogue: Catalogue) -> list[Point]:
    frame = views.trend(con, catalogue.by_id()[indicator_id], la_code)
    return [Point(r["wave"], r["value"], Status(r["status"])) for r in frame.iter_rows(named=True) if r["wave"] <= year]


def survey_findings(con: duckdb.DuckDBPyConnection, la_code: str, year: int,
                    catalogue: Catalogue) -> tuple[int | None, list[Figure]]:
    """The latest Bright Spots wave up to the statement's year, whole-group figures only."""
    ids = tuple(i.id for i in catalogue.survey_indicators())
    for wave in range(year, year - SURVEY_LOOKBACK - 1, -1):
        recs = [f for f in _whole_group_records(con, Selection(la_code, wave, indicator_ids=ids), catalogue)
                if f.source == "survey"]
        if any(f.status is Status.OK for f in recs):
            return wave, [_figure(r, catalogue) for r in recs]
    return None, []


def _actions_between(actions: pl.DataFrame, first: date, last: date) -> pl.DataFrame:
    if actions.height == 0:
        return actions
    return actions.filter(pl.col("raised_on").is_between(first, last))


def _synthetic(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(store.frame(con, store.sql("synthetic_loads"))["synthetic_loads"][0])


def gather(con: duckdb.DuckDBPyConnection, la_code: str, year: int, db_path: Path | None = None,
           catalogue: Catalogue | None = None) -> Facts:
    catalogue = catalogue or default_catalogue()
    first, last = register.reporting_year(year)
    section_a = [(f, trend(con, f.indicator_id, la_code, year, catalogue))
                 for f in figures(con, la_code, year, SECTION_A, catalogue)]
    pn = [f for f in figures(con, la_code, year, [PN_CODES], catalogue) if f.category]
    wave, survey = survey_findings(con, la_code, year, catalogue)
    acts = [a for a in register.activities(con, la_code) if a.active_between(first, last)]
    actions = register.actions_for(con, la_code)
    loops = register.loops(acts, actions)
    answers = sidefile.lundy_answers(db_path, la_code) if db_path else {}
    assessments = {a.activity_id: lundy.assess(a.activity_id, answers.get(a.activity_id, {})) for a in acts}
    prev_first, prev_last = register.reporting_year(year - 1)
    text = {k: e.value for k, e in (sidefile.la_text(db_path, la_code, year) if db_path else {}).items()}
    earlier = actions.height > 0 and actions.filter(pl.col("raised_on") < first).height > 0
    return Facts(la_code, la_reference().name(la_code), year, first, last, _synthetic(con), section_a, pn, wave,
                 survey, acts, loops, assessments, _actions_between(actions, first, last),
                 _actions_between(actions, prev_first, prev_last), earlier, text)
