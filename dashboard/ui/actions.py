"""The "You said, we did" page's logic: each action beside the finding it answers (its current
classification, from the gated figure table), whether children were told, and the areas to look
at that have no action yet.

Actions are about services, not children: their counts need no disclosure control, and no
field about a child is ever read. Figures about children come only from dashboard.ui.data
(already gated).
"""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard.catalogue import Catalogue
from dashboard.report import findings
from dashboard.ui.charts import PALETTE, base_layout
from dashboard.vocabulary import (ACTION_SOURCE_LABELS, ACTION_STATUS_LABELS, CLASSIFICATION_LABELS,
                                  FIGURE_SOURCE_LABELS, POPULATION_LABELS)

STATUS_LABELS = ACTION_STATUS_LABELS
SOURCE_LABELS = ACTION_SOURCE_LABELS
CLASS_LABELS = CLASSIFICATION_LABELS
COHORT_LABELS = POPULATION_LABELS
FIGURE_SOURCES = FIGURE_SOURCE_LABELS
NOT_TOLD = "Not yet told"
COLUMNS = ["Status", "Children told", "Finding", "Finding now", "We heard", "We did", "Why not possible", "Raised",
           "Source", "Owner"]

def keep_valid(key: str, allowed: list) -> None:
    """The source filter starts with every source, and drops any the LA does not have."""
    if key not in st.session_state:
        st.session_state[key] = list(allowed)
    else:
        st.session_state[key] = [s for s in st.session_state[key] if s in allowed]


def source_label(code: str) -> str:
    return SOURCE_LABELS.get(code, code.replace("_", " ").capitalize())


def whole_group(figures: pl.DataFrame) -> pl.DataFrame:
    """The whole-group figure of each indicator (and cohort): no breakdown, no answer category."""
    if figures.height == 0:
        return figures
    return figures.filter((pl.col("breakdown") == "") & (pl.col("category").fill_null("") == "")
                          & (pl.col("group") == "all"))


def _finding_words(rec: dict) -> str:
    if rec["status"] != "ok" or rec["value"] is None:
        return f"Hidden ({rec['status']})" if rec["status"] == "c" else f"Not available ({rec['status']})"
    label = CLASS_LABELS.get(rec["classification"] or "")
    return label or "Shown, not compared"


def findings_now(figures: pl.DataFrame) -> dict[str, str]:
    """indicator_id -> its current finding in words ('Area to look at'; for a question asked in
    both surveys, one per cohort: 'children in care: Bright spot; care leavers: No clear difference')."""
    out: dict[str, list[tuple[str, str]]] = {}
    for rec in whole_group(figures).sort(["indicator_id", "cohort"]).iter_rows(named=True):
        out.setdefault(rec["indicator_id"], []).append((rec["cohort"], _finding_words(rec)))
    return {ind: parts[0][1] if len(parts) == 1 else
            "; ".join(f"{COHORT_LABELS.get(c, c).capitalize()}: {w[:1].lower()}{w[1:]}" for c, w in parts)
            for ind, parts in out.items()}


def filter_actions(actions: pl.DataFrame, statuses: list[str], sources: list[str]) -> pl.DataFrame:
    return actions.filter(pl.col("status").is_in(statuses) & pl.col("source").is_in(sources))


def actions_table(actions: pl.DataFrame, findings: dict[str, str], catalogue: Catalogue, wave: int) -> pl.DataFrame:
    """The actions as shown (and downloaded): the finding each answers, its classification now,
    the status in words and whether children were told."""
    titles = {i.id: i.title for i in catalogue.indicators}
    rows = []
    for a in actions.iter_rows(named=True):
        finding = []
        if a["indicator_id"]:
            whose = a.get("cohort")        # an action for one group only says whose finding it answers
            finding.append(titles.get(a["indicator_id"], a["indicator_id"])
                           + (f" ({COHORT_LABELS.get(whose, whose)})" if whose else ""))
        if a["theme"]:
            finding.append(f"Theme: {a['theme']}")
        if a["indicator_id"]:
            now = findings.get(a["indicator_id"], f"No figure for {wave}")
        else:
            now = "A theme (see Themes)"
        rows.append({
            "Raised": a["raised_on"].isoformat() if a["raised_on"] else None,
            "Source": source_label(a["source"]),
            "Finding": " · ".join(finding),
            "Finding now": now,
            "We heard": a["we_heard"],
            "We did": a["we_did"] or "",
            "Status": STATUS_LABELS.get(a["status"], a["status"]),
            "Why not possible": a["reason"] or "",
            "Children told": a["told_children_on"].isoformat() if a["told_children_on"] else NOT_TOLD,
            "Owner": a["owner"] or "",
        })
    return pl.DataFrame(rows, schema={c: pl.String for c in COLUMNS})


def status_counts(actions: pl.DataFrame) -> pl.DataFrame:
    """Actions by status, and of those how many children have been told about."""
    rows = []
    for code, label in STATUS_LABELS.items():
        these = actions.filter(pl.col("status") == code)
        told = these.filter(pl.col("told_children_on").is_not_null()).height
        rows.append({"Status": label, "Children told": told, NOT_TOLD: these.height - told, "Actions": these.height})
    return pl.DataFrame(rows, schema={"Status": pl.String, "Children told": pl.Int64, NOT_TOLD: pl.Int64,
                                      "Actions": pl.Int64})


def status_chart(counts: pl.DataFrame) -> go.Figure:
    """Bars of actions by status, split into told and not yet told (hatched, so colour is not the only cue)."""
    statuses = counts["Status"].to_list()[::-1]
    fig = go.Figure()
    fig.add_bar(y=statuses, x=counts["Children told"].to_list()[::-1], orientation="h", name="Children told",
                marker_color=PALETTE[2], hovertemplate="%{y}: %{x} told<extra></extra>",
                text=[str(v) if v else "" for v in counts["Children told"].to_list()[::-1]], textposition="inside")
    fig.add_bar(y=statuses, x=counts[NOT_TOLD].to_list()[::-1], orientation="h", name=NOT_TOLD,
                marker={"color": PALETTE[1], "pattern": {"shape": "/", "bgcolor": PALETTE[1], "fgcolor": "#222222",
                                                "solidity": 0.25}},
                hovertemplate="%{y}: %{x} not yet told<extra></extra>",
                # The count of a hatched bar goes just past its end, on white: dark words on dark hatching
                # (or white ones on light hatching) could not be read. It is the last bar of the stack,
                # so outside is past the whole bar.
                text=[str(v) if v else "" for v in counts[NOT_TOLD].to_list()[::-1]], textposition="outside",
                outsidetextfont={"color": "#0b0c0c"}, cliponaxis=False)
    base_layout(fig, height=300)
    fig.update_layout(barmode="stack")
    most = int(counts["Actions"].max() or 0)
    fig.update_xaxes(title="Actions", range=[0, most * 1.08 + 0.4], dtick=1 if most <= 10 else None)
    fig.update_yaxes(gridcolor="rgba(0,0,0,0)")
    return fig


def _figure_text(value: float | None, unit: str) -> str | None:
    if value is None:
        return None
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "rate_per_10000":
        return f"{value:.1f} per 10,000"
    return f"{value:.1f}"


def no_action_yet(figures: pl.DataFrame, actions: pl.DataFrame, cohort: str | None = None) -> pl.DataFrame:
    """The areas to look at (dashboard.report.findings: the same ones the Overview and the panel
    report count) that no action of the LA answers yet."""
    schema = {"Finding": pl.String, "Whose": pl.String, "Figure": pl.String, "95% interval": pl.String,
              "Compared with": pl.String, "Comparator": pl.String, "From": pl.String}
    areas = findings.areas_to_look_at(figures, cohort)
    if areas.height == 0:
        return pl.DataFrame(schema=schema)
    areas = areas.filter(~pl.col("indicator_id").is_in(sorted(findings.acted_on(actions, cohort))))
    rows = []
    for r in areas.sort(["domain", "title", "cohort"]).iter_rows(named=True):
        lo, hi = _figure_text(r["ci_low"], r["unit"]), _figure_text(r["ci_high"], r["unit"])
        rows.append({"Finding": r["title"], "Whose": COHORT_LABELS.get(r["cohort"], r["cohort"]),
                     "Figure": _figure_text(r["value"], r["unit"]),
                     "95% interval": f"{lo} to {hi}" if lo and hi else None,
                     "Compared with": r["compared_with"], "Comparator": _figure_text(r["comparator_value"], r["unit"]),
                     "From": FIGURE_SOURCES.get(r["source"], r["source"])})
    return pl.DataFrame(rows, schema=schema)
