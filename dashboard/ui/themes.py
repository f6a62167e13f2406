"""The Themes page's logic: labels, the tables and charts of gated theme counts, quotes as text.

Every number here comes from dashboard.engine.themes (already through the disclosure gate); a
hidden count arrives without its number and is drawn as a marked gap ("c") with its reason.
"""
from __future__ import annotations

import re
import textwrap

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard.engine.cells import ALL
from dashboard.ui import columns
from dashboard.engine.themes import QUARTER, SAID_BY, SOURCE, period_label, quarter_label
from dashboard.ui import safe
from dashboard.ui.charts import HIDDEN_TEXT, PALETTE, base_layout
from dashboard.loaders.themes import COHORTS

# Each breakdown: (its name in the chooser and as a table column, the page's heading for it).
BREAKDOWNS = {SOURCE: "Where it was heard", SAID_BY: "Who said it", QUARTER: "Quarter"}
EVERYONE = "everyone"
# The quote filter's choices: everyone, or one group of the themes file (its cohort codes).
QUOTE_COHORTS = [EVERYONE, *COHORTS]


def said_by_label(code: str) -> str:
    return "Everyone" if code == EVERYONE else SAID_BY_LABELS.get(code, code)


HEADINGS = {SOURCE: "Where each theme was heard", SAID_BY: "Who raised each theme", QUARTER: "When: by quarter"}
SAID_BY_LABELS = {
    "child_in_care": "Children in care",
    "care_leaver": "Care leavers",
    "child_in_need": "Children in need",
    "child_protection": "Children with a child protection plan",
    "early_help": "Children and families in early help",
    "parent_carer": "Parents and carers",
}
HIDDEN_COLOUR = "#9e9e9e"
ZERO_TEXT = "0"


def keep_valid(key: str, allowed: list, default) -> None:
    """A page's own widget keeps its value across reruns, unless the new LA does not offer it."""
    if st.session_state.get(key) not in allowed:
        st.session_state[key] = default


def period_name(period: str) -> str:
    return "All years loaded" if period == ALL else f"Reporting year {int(period) - 1}-{str(period)[-2:]} " \
                                                   f"({period_label(period)})"


def nice(text: str) -> str:
    """'children_in_care_council' -> 'Children in care council'; 'contact with family' -> 'Contact with family'."""
    text = text.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def group_label(breakdown: str, group: str) -> str:
    if breakdown == SAID_BY:
        return SAID_BY_LABELS.get(group, nice(group))
    if breakdown == SOURCE:
        return nice(group)
    if breakdown == QUARTER:
        return quarter_label(group)
    return "All records"


def theme_order(counts: pl.DataFrame) -> list[str]:
    """Published themes by count (largest first), then hidden ones by name."""
    themes = counts.filter(pl.col("theme") != "")
    shown = themes.filter(pl.col("records").is_not_null()).sort(["records", "theme"], descending=[True, False])
    hidden = themes.filter(pl.col("records").is_null()).sort("theme")
    return list(dict.fromkeys([*shown["theme"].to_list(), *hidden["theme"].to_list()]))


def total_records(counts: pl.DataFrame) -> tuple[int | None, str]:
    """The whole group's number of records for the period, and its status."""
    row = counts.filter((pl.col("group") == ALL) & (pl.col("theme") == ""))
    if row.height == 0:
        return None, "z"
    return row["records"][0], row["status"][0]


def overview_table(counts: pl.DataFrame) -> pl.DataFrame:
    """One row per theme (whole group), in chart order: what the chart and its CSV show."""
    order = {t: i for i, t in enumerate(theme_order(counts))}
    themes = counts.filter((pl.col("group") == ALL) & (pl.col("theme") != ""))
    return (themes.with_columns(pl.col("theme").replace_strict(order, default=len(order)).alias("__order"))
            .sort("__order")
            .select(columns.words_for(themes, "theme", nice).alias("Theme"),
                    pl.col("records").alias("Records"),
                    pl.col("share").round(0).cast(pl.Int64, strict=False).alias("% of records"),
                    columns.status_code().alias("Status"),
                    pl.col("reason").alias("Why hidden")))


def overview_chart(table: pl.DataFrame) -> go.Figure:
    """Horizontal bars of published theme counts; each hidden count marked 'c' at zero."""
    themes = [safe.chart_text(t) for t in table["Theme"].to_list()[::-1]]   # largest at the top
    records = table["Records"].to_list()[::-1]
    fig = go.Figure()
    shown = [(t, r) for t, r in zip(themes, records) if r is not None]
    hidden = [t for t, r in zip(themes, records) if r is None]
    fig.add_bar(y=[t for t, _ in shown], x=[r for _, r in shown], orientation="h", name="Records",
                marker_color=PALETTE[0], text=[str(r) for _, r in shown], textposition="outside",
                hovertemplate="%{y}: %{x} records<extra></extra>")
    if hidden:
        fig.add_scatter(y=hidden, x=[0] * len(hidden), mode="markers+text", name=HIDDEN_TEXT[:1].upper() + HIDDEN_TEXT[1:],
                        cliponaxis=False,
                        marker={"symbol": "circle-open", "size": 11, "color": HIDDEN_COLOUR, "line": {"width": 2}},
                        text=["c (hidden)"] * len(hidden), textposition="middle right",
                        textfont={"color": "#555555"}, hovertemplate="%{y}: " + HIDDEN_TEXT + "<extra></extra>")
    base_layout(fig, height=max(260, 36 * len(themes) + 110))
    fig.update_yaxes(categoryorder="array", categoryarray=themes, gridcolor="rgba(0,0,0,0)")
    fig.update_xaxes(title="Records", rangemode="tozero")
    top = max([r for _, r in shown], default=5)
    fig.update_xaxes(range=[0, top * 1.25 + 1])
    fig.update_layout(showlegend=bool(hidden))
    return fig


def breakdown_table(counts: pl.DataFrame, breakdown: str) -> pl.DataFrame:
    """One row per group and theme (and each group's total), for the chart's table and CSV."""
    heading = BREAKDOWNS[breakdown]
    order = {t: i for i, t in enumerate(theme_order(counts))}
    rows = counts.with_columns(
        pl.col("theme").replace_strict(order, default=-1).alias("__order"))
    return (rows.sort(["group", "__order"])
            .select(columns.words_for(rows, "group", lambda g: group_label(breakdown, g)).alias(heading),
                    pl.when(pl.col("theme") == "").then(pl.lit("All themes"))
                    .otherwise(columns.words_for(rows, "theme", nice)).alias("Theme"),
                    pl.col("records").alias("Records"),
                    pl.col("share").round(0).cast(pl.Int64, strict=False).alias("% of records"),
                    columns.status_code().alias("Status"),
                    pl.col("reason").alias("Why hidden")))


def breakdown_chart(counts: pl.DataFrame, breakdown: str, themes: list[str]) -> go.Figure:
    """A grid of themes (rows) by group (columns): the count in each published cell, 'c' in grey
    where hidden, 0 where nobody raised the theme in that group."""
    groups = sorted(counts.filter(pl.col("group") != ALL)["group"].unique().to_list())
    # Column names that cannot collide: a few columns get their words stacked, more are turned.
    turned = len(groups) > 4
    cols = [group_label(breakdown, g) if turned else "<br>".join(textwrap.wrap(group_label(breakdown, g), 11))
            for g in groups]
    cell = {(r["group"], r["theme"]): r for r in counts.iter_rows(named=True)}
    z, text, hidden_z, total_z = [], [], [], []
    rows = [*themes[::-1], ""]      # each group's total on top
    for theme in rows:
        zr, tr, hr, totr = [], [], [], []
        for g in groups:
            rec = cell.get((g, theme))
            value = None if rec is None else rec["records"]
            hidden = rec is not None and value is None
            tr.append("c" if hidden else ZERO_TEXT if rec is None else str(value))
            hr.append(1 if hidden else None)
            # totals get a plain background, so the colour scale is the themes' own
            zr.append(None if hidden or theme == "" else (value or 0))
            totr.append(1 if theme == "" and not hidden else None)
        z.append(zr), text.append(tr), hidden_z.append(hr), total_z.append(totr)
    labels = [safe.chart_text(nice(t)) if t else "All themes" for t in rows]
    fig = go.Figure()
    common = {"x": cols, "y": labels, "texttemplate": "%{text}", "textfont": {"size": 15},
              "showscale": False, "xgap": 2, "ygap": 2}

    def own(layer: list[list]) -> list[list[str]]:
        # Each layer writes only its own squares' words: all three wrote every square, one over another.
        return [[t if v is not None else "" for t, v in zip(tr, vr)] for tr, vr in zip(text, layer)]

    top = max([v for row in z for v in row if v is not None], default=0)
    fig.add_heatmap(z=z, text=own(z), colorscale=[[0, "#f7fbff"], [1, "#6baed6"]], zmin=0, zmax=max(top, 1),
                    name="Records", hovertemplate="%{y}, %{x}: %{text} records<extra></extra>", **common)
    fig.add_heatmap(z=total_z, text=own(total_z), colorscale=[[0, "#fff7e0"], [1, "#fff7e0"]], name="All themes",
                    hovertemplate="%{y}, %{x}: %{text} records<extra></extra>", **common)
    fig.add_heatmap(z=hidden_z, text=own(hidden_z), colorscale=[[0, "#d9d9d9"], [1, "#d9d9d9"]], name="Hidden (c)",
                    hovertemplate="%{y}, %{x}: " + HIDDEN_TEXT + "<extra></extra>", **common)
    base_layout(fig, height=max(280, 34 * len(rows) + 140))
    # Turned upright, not slanted: a slanted name reaches past the grid and squeezes it on a phone.
    fig.update_xaxes(side="top", tickangle=-90 if turned else 0, tickfont={"size": 13}, automargin=True,
                     gridcolor="rgba(0,0,0,0)")
    fig.update_yaxes(gridcolor="rgba(0,0,0,0)")
    return fig


def breakdown_caption(la_name: str, period: str, breakdown: str) -> str:
    what = {SOURCE: "where it was heard", SAID_BY: "who said it", QUARTER: "quarter"}[breakdown]
    return (f"Theme records in {la_name}, {period_label(period)}, by {what}: each square is a count; "
            "grey squares marked c are hidden to protect privacy, 0 means nobody raised that theme there.")




def md_escape(text: str) -> str:
    """Text from a file shown exactly as written: no markdown, HTML or link, on one line."""
    return safe.plain(text)


def quote_markdown(quote: str) -> str:
    """A quote as a markdown block quote, shown exactly as written."""
    return "> " + md_escape(quote)
