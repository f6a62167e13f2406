"""The DfE metrics page's logic: the national framework's outcomes and enablers for the selected
LA against its region, England and the median of its statistical neighbours, year by year, each
beside its Bright Spots domain.

The figures are the DfE's own published statistics (dashboard.ui.data.dfe_all_series). Where the DfE
did not publish the LA's figure, the year is a gap labelled with the DfE's status code (c, x, z,
low, k ...): never 0. Other LAs are never named: neighbours appear only as their median.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import db
from dashboard.catalogue import DfeMetric, Domain
from dashboard.disclosure import OK
from dashboard.reference import la_reference
from dashboard.ui import columns, data
from dashboard.ui.measure_charts import GOOD_DIRECTION, UNIT_AXIS, Line, fmt, trend_figure
from dashboard.ui.selection import Choice

FRAMEWORK = {"outcome": "Outcome", "enabler": "Enabler"}
SHOW = {"both": "Outcomes and enablers", "outcome": "Outcomes only", "enabler": "Enablers only"}
NEIGHBOURS = "Statistical neighbours (median)"
NEIGHBOURS_SUM = "Statistical neighbours (how many of the ten)"


def neighbours_label(metric: DfeMetric) -> str:
    """The DfE sums the neighbours of a count (LAs with an Ofsted judgement) instead of a median."""
    return NEIGHBOURS_SUM if metric.neighbour_aggregate == "sum" else NEIGHBOURS
BETTER_SHORT = {"Higher is better": "higher", "Lower is better": "lower",
                "Neither higher nor lower is better in itself": "no direction"}
# The DfE's own status codes (explore education statistics), in plain words.
DFE_STATUS = {
    "c": "confidential: the DfE did not publish it, to protect privacy",
    "low": "rounds to zero, but is not zero",
    "k": "rounds to zero, but is not zero",
    "u": "low reliability",
    "x": "not available",
    "z": "not applicable",
    ":": "not available (older files)",
    "..": "not available (older files)",
    "~": "rounds to zero (older files)",
    "-": "nil or not applicable (older files)",
    "blank": "the DfE's file left it blank",
}


def metrics(show: str = "both") -> list[DfeMetric]:
    """The catalogue's DfE metrics, in catalogue order (outcomes, enablers or both)."""
    found = [i for i in data.catalogue().indicators if isinstance(i, DfeMetric)]
    return [m for m in found if show == "both" or m.framework == show]


def by_domain(found: list[DfeMetric]) -> list[tuple[Domain, list[DfeMetric]]]:
    """Metrics grouped under their Bright Spots domain, in the framework's order of domains."""
    out = []
    for domain in data.catalogue().domains:
        mine = [m for m in found if m.domain == domain.id]
        if mine:
            out.append((domain, mine))
    return out


@dataclass(frozen=True)
class Area:
    """The metrics drawn together on one view of the page: those beside one Bright Spots domain under
    one heading of the DfE's own dashboard (at most ten, where a domain alone has up to 21)."""
    id: str               # in the address bar: ?dfe_area=home.child-abuse-neglect
    domain: Domain
    heading: str
    metrics: tuple[DfeMetric, ...]

    @property
    def label(self) -> str:
        n = len(self.metrics)
        return f"{self.domain.title}: {self.heading} ({n} measure{'s' if n != 1 else ''})"


def _slug(words: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")


def areas(found: list[DfeMetric]) -> list[Area]:
    """The page's views, in the framework's order of domains, then in the catalogue's order of the
    DfE's headings within each domain."""
    out = []
    for domain, mine in by_domain(found):
        headings = list(dict.fromkeys(m.dfe_heading for m in mine))
        for heading in headings:
            out.append(Area(f"{domain.id}.{_slug(heading)}", domain, heading,
                            tuple(m for m in mine if m.dfe_heading == heading)))
    return out


def region_name(la_code: str) -> str:
    la = la_reference().by_code.get(la_code)
    return la.region_name if la else "Region"


def good_direction(metric: DfeMetric) -> str:
    return GOOD_DIRECTION[metric.polarity]


def status_words(status: str | None) -> str:
    return DFE_STATUS.get(status or "", "not published")


def chart_table(metric: DfeMetric, frame: pl.DataFrame, choice: Choice) -> pl.DataFrame:
    """The table behind one metric's chart: the LA's value only where the DfE published it, its
    status code always, and the comparators."""
    d = metric.decimals
    mine = pl.col("status") == OK
    return frame.sort("year").select(
        pl.col("year").alias("Year"),
        pl.when(mine).then(pl.col("value").round(d)).alias(choice.la_name),
        pl.col("status").alias("Status"),
        pl.when(mine).then(pl.lit(None, pl.String)).otherwise(
            columns.words_for(frame, "status", status_words)).alias("What the status means"),
        pl.col("region_value").round(d).alias(region_name(choice.la_code)),
        pl.col("england_value").round(d).alias("England"),
        pl.col("neighbour_median").round(d).alias(neighbours_label(metric)),
        pl.col("neighbours_used").alias("Neighbours with a figure"),
        (pl.col("note") if "note" in frame.columns else pl.lit(None, pl.String)).alias("Note"),
    )


def chart(metric: DfeMetric, frame: pl.DataFrame, choice: Choice) -> go.Figure:
    """One metric over time: the LA solid, its region, England and its neighbours' median each with
    its own dash and marker; a year the DfE did not publish for the LA is a gap with its code."""
    frame = frame.sort("year")
    years = frame["year"].to_list()
    statuses = frame["status"].to_list()
    la_values = [v if s == OK else None for v, s in zip(frame["value"].to_list(), statuses)]
    lines = [
        Line(choice.la_name, years, la_values, statuses, [status_words(s) if s != OK else None for s in statuses],
             mark_gaps=True),
        Line(region_name(choice.la_code), years, frame["region_value"].to_list()),
        Line("England", years, frame["england_value"].to_list()),
        Line(neighbours_label(metric), years, frame["neighbour_median"].to_list()),
    ]
    fig = trend_figure(lines, y_title=UNIT_AXIS.get(metric.unit, ""), x_title="Year", unit=metric.unit,
                       decimals=metric.decimals, height=330,
                       y_range=(0, 100) if metric.unit == "percent" and _max(frame) > 50 else None)
    fig.update_layout(legend={"font": {"size": 12}}, font={"size": 13})
    return fig


def _max(frame: pl.DataFrame) -> float:
    values = [v for c in ("value", "region_value", "england_value", "neighbour_median")
              for v in frame[c].to_list() if v is not None]
    return max(values) if values else 0


def caption(metric: DfeMetric, frame: pl.DataFrame, choice: Choice) -> str:
    """One sentence on what the chart shows, with the neighbours used and the gaps."""
    last = frame.sort("year").row(-1, named=True)
    used = last["neighbours_used"]
    what = ("how many of its ten statistical neighbours have it" if metric.neighbour_aggregate == "sum"
            else "the median of its statistical neighbours")
    neighbours = (f"{what} ({used} of 10 had a figure in {last['year']})"
                  if used is not None else "(no statistical neighbours are loaded)")
    gaps = frame.filter(pl.col("status") != OK).sort("year")
    gap_words = ""
    if gaps.height:
        gap_words = " Not published for " + choice.la_name + ": " + "; ".join(
            f"{r['year']} ({r['status']}: {status_words(r['status'])})" for r in gaps.iter_rows(named=True)) + "."
    notes = frame.filter(pl.col("note").is_not_null()).sort("year") if "note" in frame.columns else frame.clear()
    note_words = ""
    if notes.height:
        # Why the neighbour median is missing (e.g. the years before a reorganisation, as the DfE hides it).
        note_words = " No neighbours' median: " + "; ".join(
            f"{years} ({note})" for note, years in _years_by_note(notes)) + "."
    return (f"{metric.title} in {choice.la_name} each year (solid line), against {region_name(choice.la_code)}, "
            f"England and {neighbours}.{gap_words}{note_words}")


def _years_by_note(notes: pl.DataFrame) -> list[tuple[str, str]]:
    grouped: dict[str, list[int]] = {}
    for r in notes.iter_rows(named=True):
        grouped.setdefault(r["note"], []).append(r["year"])
    return [(note, ", ".join(str(y) for y in years)) for note, years in grouped.items()]


def source(metric: DfeMetric, frame: pl.DataFrame, files: dict[str, str]) -> str:
    """Where the figures come from: the DfE file, its column and the years."""
    years = sorted(frame["year"].to_list())
    span = f"{years[0]} to {years[-1]}" if years else "no years"
    file = files.get(metric.dataset)
    loaded = f" (file {file})" if file else ""
    return (f"Source: Department for Education, explore education statistics: {metric.dataset}{loaded}, column "
            f"{metric.indicator}; years {span}. On the DfE's dashboard: {metric.dfe_heading}.")


def about(metric: DfeMetric) -> str:
    return f"{FRAMEWORK[metric.framework]} · {metric.dfe_heading} · {good_direction(metric)}"


def latest(frame: pl.DataFrame, wave: int) -> dict | None:
    """The latest year up to the selected one (or the earliest year, when all are later)."""
    if frame.height == 0:
        return None
    upto = frame.filter(pl.col("year") <= wave).sort("year")
    return (upto if upto.height else frame.sort("year")).row(-1, named=True)


def all_series(version: data.Version, found: list[DfeMetric], choice: Choice) -> dict[str, pl.DataFrame]:
    """Each metric's series for the LA: one read of the published figures per published version and
    LA for the whole server (dashboard.ui.data.dfe_all_series)."""
    return data.dfe_all_series(version, tuple(m.id for m in found), choice)


@dataclass(frozen=True)
class Drawn:
    """One metric's chart with everything that goes with it (charts.show): made once per published
    version, LA and metric for the whole server."""
    figure: go.Figure
    table: pl.DataFrame
    caption: str
    source: str


def drawn(version: data.Version, metric: DfeMetric, frame: pl.DataFrame, choice: Choice) -> Drawn:
    """`frame` is all_series(...)[metric.id] for the same version and LA."""
    return _drawn(version, metric.id, choice.la_code, choice.la_name, frame)


@st.cache_resource(show_spinner=False, max_entries=512, hash_funcs={pl.DataFrame: lambda f: None})
def _drawn(version: data.Version, metric_id: str, la_code: str, la_name: str, frame: pl.DataFrame) -> Drawn:
    # The frame is left out of the key (hash_funcs): it is the published series for (version, LA,
    # metric), already in the key. The figure is shared by the sessions that ask; Streamlit copies it
    # (Figure.to_dict) before sending, so nothing changes it. A series is every year of the LA's,
    # whatever the wave, cohort and age band chosen, so those are not in the key either.
    metric = data.catalogue().by_id()[metric_id]
    choice = Choice(la_code, la_name, wave=0, cohort="", age_band="")
    return Drawn(chart(metric, frame, choice), chart_table(metric, frame, choice), caption(metric, frame, choice),
                 source(metric, frame, loaded_files()))


def summary(found: list[DfeMetric], frames: dict[str, pl.DataFrame], choice: Choice) -> pl.DataFrame:
    """One row per metric, grouped by domain: the latest year's figures, with values and status
    codes in separate columns (this is the table's download)."""
    rows = []
    for domain, mine in by_domain(found):
        for m in mine:
            row = latest(frames[m.id], choice.wave)
            if row is not None:
                rows.append(_summary_row(domain, m, row, choice))
    return pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame()


def _summary_row(domain: Domain, m: DfeMetric, row: dict, choice: Choice) -> dict:
    def r(v):
        return None if v is None else round(v, m.decimals)

    return {
        "Bright Spots domain": domain.title, "Framework": FRAMEWORK[m.framework], "Metric": m.title,
        "Year": row["year"], "Unit": UNIT_AXIS.get(m.unit, m.unit),
        choice.la_name: r(row["value"]) if row["status"] == OK else None, "Status": row["status"],
        region_name(choice.la_code): r(row["region_value"]), "England": r(row["england_value"]),
        **({NEIGHBOURS_SUM: r(row["neighbour_median"])} if m.neighbour_aggregate == "sum"
           else {NEIGHBOURS: r(row["neighbour_median"])}),
        "Neighbours with a figure": row["neighbours_used"],
        "Which way is better": good_direction(m),
    }


def summary_display(table: pl.DataFrame, found: list[DfeMetric], choice: Choice) -> pl.DataFrame:
    """The summary as people read it: each figure written with its unit, and the LA's status code
    in its own column (empty where the DfE published the figure)."""
    units = {m.title: (m.unit, m.decimals) for m in found}
    region = region_name(choice.la_code)

    def written(column: str) -> pl.Series:
        # One short row per metric: written in the page's own thread (see dashboard.ui.columns).
        return pl.Series(column, [fmt(v, *units[m]) for m, v in zip(table["Metric"], table[column])],
                         dtype=pl.String)

    return table.select(
        pl.col("Bright Spots domain").alias("Domain"), "Metric", "Framework", "Year", written(choice.la_name),
        pl.when(pl.col("Status") == OK).then(pl.lit("")).otherwise(pl.col("Status")).alias("Status"),
        written(region), written("England"), written(NEIGHBOURS).alias("Neighbours' median"),
        pl.col("Neighbours with a figure").alias("Neighbours used"),
        pl.col("Which way is better").replace(BETTER_SHORT).alias("Better when"))


def legend_words(statuses: set[str]) -> str:
    codes = [c for c in DFE_STATUS if c in statuses]
    if not codes:
        return ""
    return "The DfE's status codes: " + "; ".join(f"**{c}** {DFE_STATUS[c]}" for c in codes) + "."


def loaded_files() -> dict[str, str]:
    """dataset -> the DfE file it was loaded from (names of files, no figures)."""
    frame = db.dfe_datasets()
    return dict(zip(frame["Dataset"].to_list(), frame["File"].to_list())) if frame.height else {}
