"""The "How we listen" page's logic: the register mapped by cohort and quarter, what each
activity's findings led to, and the Lundy self-assessment beside the evidence.

The register and the actions are about services, not children, so counting them needs no
disclosure control; nothing here reads a record about a child.
"""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.statement import lundy, register
from dashboard.ui import columns
from dashboard.ui.charts import PALETTE, SYMBOLS, base_layout

TOO_OFTEN = "asked too often"
NOBODY = "nobody asks"


def cohort_label(code: str) -> str:
    return register.COHORT_LABELS.get(code, code)


def routes_display(routes: pl.DataFrame) -> pl.DataFrame:
    return routes.select(
        columns.words_for(routes, "cohort", cohort_label).alias("Who"),
        pl.col("routes").alias("Routes"), pl.col("asking_routes").alias("Routes that ask (not only open when used)"),
        pl.when(pl.col("nobody_asks")).then(pl.lit(NOBODY)).otherwise(pl.lit("")).alias("Flag"),
        pl.col("activities").alias("Activities"))


def asks_display(asks: pl.DataFrame) -> pl.DataFrame:
    """Cohort by quarter: times asked, with the flag in words (never colour alone)."""
    shown = asks.with_columns(
        pl.when(pl.col("too_often")).then(pl.col("asks").cast(pl.String) + pl.lit(f" ({TOO_OFTEN})"))
        .otherwise(pl.col("asks").cast(pl.String)).alias("cell"),
        columns.words_for(asks, "cohort", cohort_label).alias("Who"))
    order = shown["quarter"].unique(maintain_order=True).to_list()
    return shown.pivot(on="quarter", index="Who", values="cell").select("Who", *order)


def asks_chart(asks: pl.DataFrame, threshold: int) -> go.Figure:
    fig = go.Figure()
    for i, (cohort, sub) in enumerate(asks.group_by("cohort", maintain_order=True)):
        fig.add_trace(go.Scatter(x=sub["quarter"].to_list(), y=sub["asks"].to_list(), name=cohort_label(cohort[0]),
                                 mode="lines+markers", marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 10},
                                 line={"color": PALETTE[i % len(PALETTE)]},
                                 hovertemplate="%{y} times in %{x}<extra>" + cohort_label(cohort[0]) + "</extra>"))
    fig.add_hline(y=threshold, line_dash="dash", line_color="#b93a00",
                  annotation_text=f"more than {threshold}: asked too often", annotation_position="top left")
    return base_layout(fig, y_title="Times asked in the quarter")


def loops_display(loops: list[register.Loop]) -> pl.DataFrame:
    rows = []
    for l in loops:
        a = l.activity
        statuses = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(l.by_status.items()))
        rows.append({"Activity": a.activity, "Kind": register.KIND_LABELS[a.kind],
                     "Who": ", ".join(cohort_label(c) for c in a.cohorts), "Ages": a.ages,
                     "How often": register.OFTEN_LABELS[a.how_often],
                     "Led to actions": f"yes: {l.actions} ({statuses})" if l.actions else "no action recorded",
                     "Children told": (f"about {l.told} of {l.actions}" + (f", last {l.last_told.isoformat()}" if l.last_told else ""))
                     if l.actions else "",
                     "How children hear back": a.hear_back or "not recorded",
                     "Linked by": "; ".join(filter(None, [a.action_source and f"source {a.action_source}",
                                                          a.themes and f"themes {', '.join(a.themes)}"])) or "nothing: add action_source or themes"})
    return pl.DataFrame(rows)


STATE_WORDS = {"in place": "in place", "partly": "partly", "missing": "missing", "not assessed": "not assessed"}


def lundy_display(loops: list[register.Loop], assessments: dict[str, lundy.Assessment]) -> pl.DataFrame:
    rows = []
    for l in loops:
        a = l.activity
        s = assessments[a.activity_id]
        ev = lundy.evidence(l)
        row = {"Activity": a.activity, "Where the loop breaks": s.summary}
        for e in lundy.elements():
            row[e.title] = STATE_WORDS[s.element_state[e.id]]
        row["Evidence: audience"] = ev["audience"]
        row["Evidence: influence"] = ev["influence"]
        row["Answered by"] = f"{s.answered_by} ({s.answered_at})" if s.answered_by else ""
        rows.append(row)
    return pl.DataFrame(rows)


def breaks_summary(assessments: dict[str, lundy.Assessment]) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in assessments.values():
        out[s.summary] = out.get(s.summary, 0) + 1
    return out
