"""What goes in the panel report, gathered from gated tables only.

Figures about children come from dashboard.engine.figures.indicator_table (every figure has passed
the disclosure gate), read as typed records (dashboard.engine.records); DfE figures from dashboard.engine.views.dfe_series (published statistics,
their symbols kept); "you said, we did" actions are what the local authority did, not counts of
people; the load history is summarised by kind (files and dates: no row counts, since a total over
files could reveal a small file's count). Nothing here reads a row-level table about children.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable

import duckdb
import polars as pl

from dashboard import publishable, store
from dashboard.catalogue import Catalogue, DfeMetric, RecordIndicator, SurveyIndicator, default_catalogue
from dashboard.disclosure import OK
from dashboard.engine import records, themes, views
from dashboard.engine.cells import ALL
from dashboard.engine.figures import Selection, indicator_table
from dashboard.reference import la_reference
from dashboard.report import findings
from dashboard.report.methods import KIND_NAMES, SOURCE_NAMES
from dashboard.vocabulary import ACTION_STATUS_LABELS, CLASSIFICATION_LABELS, COHORT_LABELS, Classification, Status

COHORTS = COHORT_LABELS
QUOTE_COHORT = {"children_in_care": "child_in_care", "care_leavers": "care_leaver"}    # the themes file's codes
WHO = {"voice_checks": "voice checks", "participation": "reviews", "feedback": "feedback forms",
       "local_measure": "records"}
STATUS_WORDS = ACTION_STATUS_LABELS
READING_WORDS = CLASSIFICATION_LABELS
DFE_YEARS = 6            # years of each DfE series shown, up to the report's wave

Progress = Callable[[str, float], None]


@dataclass
class Figure:
    """One whole-group figure (all ages, no breakdown) as the report shows it."""

    indicator_id: str
    domain: str
    title: str
    source: str
    who: str
    unit: str
    decimals: int
    year: int
    value: float | None
    ci_low: float | None
    ci_high: float | None
    status: Status
    reason: str | None
    low_base: bool
    compared_with: str | None
    comparator: float | None
    reading: Classification | None
    change: float | None
    change_clear: bool
    previous_year: int | None

    @property
    def shown(self) -> bool:
        return self.status == OK and self.value is not None

    @property
    def label(self) -> str:
        return self.title if self.source == "dfe" else f"{self.title} ({self.who})"

    def fmt(self, v: float | None) -> str:
        return fmt_value(v, self.unit, self.decimals)

    @property
    def figure_text(self) -> str:
        return self.fmt(self.value) if self.shown else self.status

    @property
    def range_text(self) -> str:
        if not self.shown or self.ci_low is None:
            return ""
        return f"{self.fmt(self.ci_low)} to {self.fmt(self.ci_high)}"

    @property
    def compared_text(self) -> str:
        if not self.shown or self.comparator is None:
            return ""
        return f"{self.compared_with}: {self.fmt(self.comparator)}"

    @property
    def change_text(self) -> str:
        if not self.shown or self.change is None:
            return ""
        size = round(abs(self.change), self.decimals)
        if size == 0:
            return f"no change since {self.previous_year}"
        unit = (" point" + ("s" if size != 1 else "")) if self.unit == "percent" else ""
        word = "clear change" if self.change_clear else "could be chance"
        return (f"{'up' if self.change > 0 else 'down'} {size:.{self.decimals}f}{unit} since {self.previous_year} "
                f"({word})")

    @property
    def note(self) -> str:
        if self.status != OK:
            return f"hidden: {self.reason}" if self.status is Status.HIDDEN and self.reason else _status_note(self.status)
        return "low base: read with care" if self.low_base else ""

    def headline(self) -> str:
        """One plain sentence for the headline lists."""
        text = f"{self.label}: {self.figure_text}"
        if self.range_text:
            text += f" (95% interval {self.range_text})"
        if self.comparator is not None:
            text += f", compared with {self.fmt(self.comparator)} for {self.compared_with}"
        if self.source == "dfe":
            text += f" (DfE, {self.year})"
        if self.low_base:
            text += "; low base, read with care"
        return text + "."


@dataclass
class DfeMeasure:
    """A DfE metric beside a domain: its latest figure (from the gated table) and its series."""

    figure: Figure
    series: pl.DataFrame          # year, value, status, region_value, england_value, neighbour_median, neighbours_used


@dataclass
class Action:
    raised_on: date
    source: str
    linked_to: str
    domain: str | None
    we_heard: str
    we_did: str
    status: str
    reason: str
    told_children_on: date | None

    @property
    def status_text(self) -> str:
        word = STATUS_WORDS.get(self.status, self.status)
        return f"{word}: {self.reason}" if self.reason else word


@dataclass
class DomainSection:
    id: str
    title: str
    description: str
    figures: list[Figure] = field(default_factory=list)        # survey and record shares, with intervals
    dfe: list[DfeMeasure] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    def all_figures(self) -> list[Figure]:
        return self.figures + [m.figure for m in self.dfe]

    def with_reading(self, reading: Classification) -> list[Figure]:
        return [f for f in self.all_figures() if f.reading == reading]

    def summary(self) -> str:
        figs = self.all_figures()
        if not figs:
            return "No figures for this domain in this wave."
        bright = len(self.with_reading(Classification.BRIGHT_SPOT))
        look = len(self.with_reading(Classification.AREA_TO_LOOK_AT))
        same = len(self.with_reading(Classification.NO_CLEAR_DIFFERENCE))
        hidden = sum(1 for f in figs if f.status is Status.HIDDEN)
        parts = [f"{bright} bright spot{'s' if bright != 1 else ''}",
                 f"{look} area{'s' if look != 1 else ''} to look at",
                 f"{same} with no clear difference"]
        if hidden:
            parts.append(f"{hidden} hidden to protect privacy")
        other = len(figs) - bright - look - same - hidden
        if other:
            parts.append(f"{other} without a comparison")
        return f"{len(figs)} figure{'s' if len(figs) != 1 else ''}: " + ", ".join(parts) + "."


@dataclass
class Source:
    data: str
    files: int
    last_loaded: str
    synthetic: bool


@dataclass
class Report:
    la_code: str
    la_name: str
    wave: int
    cohort: str | None
    generated: datetime
    synthetic_loads: int
    loads: int
    survey_in_wave: bool
    domains: list[DomainSection]
    other_actions: list[Action]
    sources: list[Source]
    dfe_files: list[tuple[str, str, str]]        # (dataset, file, periods)
    # Consented, publishable words of the report's children and young people (themes whose counts,
    # for that group, are published): for the panel brief. Never who said them or when.
    quotes: list[str] = field(default_factory=list)

    @property
    def synthetic(self) -> bool:
        return self.synthetic_loads > 0

    @property
    def synthetic_text(self) -> str:
        if not self.synthetic:
            return ""
        if self.synthetic_loads == self.loads:
            return ("SYNTHETIC DEMO DATA. Everything in this report is invented for demonstration: no real "
                    "children, families or workers. Do not quote it as evidence.")
        return (f"SYNTHETIC DEMO DATA is mixed in: {self.synthetic_loads} of the {self.loads} files loaded are "
                "invented for demonstration. Check the data sources before quoting any figure.")

    @property
    def who_text(self) -> str:
        if self.cohort is None:
            return "children in care and care leavers"
        return COHORTS.get(self.cohort, self.cohort)

    @property
    def title(self) -> str:
        return f"Corporate parenting panel report: {self.la_name}, {self.wave}"

    @property
    def actions(self) -> list[Action]:
        return [a for d in self.domains for a in d.actions] + self.other_actions

    def figure_count(self) -> int:
        return sum(len(d.all_figures()) for d in self.domains)

    def reading_count(self, reading: str) -> int:
        """How many bright spots or areas to look at (dashboard.report.findings: the Overview's count)."""
        return sum(len(d.with_reading(reading)) for d in self.domains)


# -- formatting ------------------------------------------------------------------------------------

def fmt_value(v: float | None, unit: str, decimals: int = 0) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if unit == "percent":
        return f"{v:.{decimals}f}%"
    if unit == "rate_per_10000":
        return f"{v:,.{decimals}f} per 10,000"
    if unit == "currency":
        return f"£{v:,.{decimals}f}"
    if unit == "months":
        return f"{v:,.{decimals}f} months"
    return f"{v:,.{decimals}f}"


def _status_note(status: str) -> str:
    from dashboard.disclosure import STATUS_LEGEND

    return STATUS_LEGEND.get(status, "")


# -- gathering -------------------------------------------------------------------------------------

def _figure(rec: records.Figure, ind) -> Figure:
    source = rec.source
    if source == "survey":
        who, decimals = COHORTS.get(rec.cohort, rec.cohort), 0
    elif source == "dfe":
        who, decimals = "DfE", ind.decimals
    else:
        who, decimals = WHO.get(source, source), 0
    return Figure(
        indicator_id=rec.indicator_id, domain=rec.domain, title=rec.title, source=source, who=who,
        unit=rec.unit, decimals=decimals, year=rec.wave, value=rec.value, ci_low=rec.ci_low,
        ci_high=rec.ci_high, status=rec.status, reason=rec.reason, low_base=rec.low_base,
        compared_with=rec.compared_with, comparator=rec.comparator_value,
        reading=rec.classification, change=rec.change,
        change_clear=rec.change_significant, previous_year=rec.previous_wave)


def _headline_rows(table: pl.DataFrame, cohort: str | None) -> pl.DataFrame:
    """Whole-group figures (all ages) for the report's cohort(s): the findings every page counts."""
    return findings.headline(table, cohort)


def _actions(con: duckdb.DuckDBPyConnection, la_code: str, catalogue: Catalogue, cohort: str | None = None) -> list[Action]:
    """The LA's actions for everyone and for the report's group (cohort None: both groups): a care
    leavers' report does not list what was done for children in care only."""
    by_id = catalogue.by_id()
    out = []
    rows = publishable.hold_back_actions(store.frame(con, store.sql("actions_for_la"), {"la_code": la_code}))
    rows = findings.for_cohort(rows, cohort)
    for r in rows.iter_rows(named=True):
        ind = by_id.get((r["indicator_id"] or "").lower())
        if ind is not None:
            linked, domain = ind.title, ind.domain
        else:
            linked, domain = (r["theme"] or r["indicator_id"] or ""), None
        out.append(Action(raised_on=r["raised_on"], source=(r["source"] or "").replace("_", " "), linked_to=linked,
                          domain=domain, we_heard=r["we_heard"] or "", we_did=r["we_did"] or "",
                          status=r["status"], reason=r["reason"] or "", told_children_on=r["told_children_on"]))
    return out


def _sources(con: duckdb.DuckDBPyConnection) -> list[Source]:
    out = []
    for r in store.frame(con, store.sql("report_sources")).iter_rows(named=True):
        out.append(Source(data=KIND_NAMES.get(r["kind"], r["kind"]), files=r["files"], last_loaded=r["last_loaded"],
                          synthetic=bool(r["synthetic_files"])))
    return out


def gather(con: duckdb.DuckDBPyConnection, la_code: str, wave: int, cohort: str | None = None,
           catalogue: Catalogue | None = None, generated: datetime | None = None,
           progress: Progress | None = None) -> Report:
    """Everything the report shows, for one LA and wave (cohort None: children in care and care leavers)."""
    say = progress or (lambda message, fraction: None)
    catalogue = catalogue or default_catalogue()
    by_id = catalogue.by_id()
    say("Working out the figures (the first time takes a few seconds)", 0.05)
    table = indicator_table(con, Selection(la_code, wave), catalogue)
    rows = _headline_rows(table, cohort)

    say("Reading the DfE statistics", 0.45)
    domains = [DomainSection(d.id, d.title, d.description) for d in catalogue.domains]
    by_domain = {d.id: d for d in domains}
    for rec in records.figure_records(rows):
        ind = by_id[rec.indicator_id]
        section = by_domain.get(rec.domain)
        if section is None:
            continue
        if isinstance(ind, DfeMetric):
            # Every DfE metric is a figure of the report (and counts as a finding, as on every page);
            # only the headline ones are drawn over time: the DfE page has every series.
            # (Only the headline series are read: one query each, and the others would be dropped.)
            series = (views.dfe_series(con, ind, la_code).filter(pl.col("year") <= wave).tail(DFE_YEARS)
                      if ind.headline else pl.DataFrame(schema=views.DFE_SERIES_SCHEMA))
            section.dfe.append(DfeMeasure(_figure(rec, ind), series))
        elif isinstance(ind, SurveyIndicator) or (isinstance(ind, RecordIndicator) and ind.shape == "rate"):
            if ind.unit == "percent":
                section.figures.append(_figure(rec, ind))

    say("Reading the 'you said, we did' actions", 0.55)
    other_actions = []
    for action in _actions(con, la_code, catalogue, cohort):
        if action.domain in by_domain:
            by_domain[action.domain].actions.append(action)
        else:
            other_actions.append(action)

    synthetic_loads, loads = store.frame(con, store.sql("synthetic_loads")).row(0)
    survey_waves = store.frame(con, store.sql("report_survey_waves"), {"la_code": la_code})["wave"].to_list()
    dfe_files = [(r["dataset"], r["file_name"], ", ".join(str(p) for p in r["time_periods"]))
                 for r in store.frame(con, store.sql("dfe_datasets_loaded")).iter_rows(named=True)]
    said = []
    for group in ([QUOTE_COHORT[cohort]] if cohort else list(QUOTE_COHORT.values())):
        for words in themes.quotes(con, la_code, ALL, per_theme=1, cohort=group).values():
            said += [w for w in words if w not in said]
    return Report(
        quotes=said,
        la_code=la_code, la_name=la_reference().name(la_code), wave=wave, cohort=cohort,
        generated=generated or datetime.now().replace(microsecond=0), synthetic_loads=synthetic_loads, loads=loads,
        survey_in_wave=wave in survey_waves, domains=domains, other_actions=other_actions,
        sources=_sources(con), dfe_files=dfe_files)


__all__ = ["Action", "DfeMeasure", "DomainSection", "Figure", "Report", "Source", "SOURCE_NAMES", "fmt_value",
           "gather"]
