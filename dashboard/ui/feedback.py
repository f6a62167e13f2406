"""The Feedback from direct work page's logic: whether feedback was sought and discussed (first),
then score distributions by service and stage, and the share of all-5s forms, with the research's
caveats. Nothing here knows about workers: the figures are by service, respondent and stage only.
"""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.disclosure import OK
from dashboard.engine.cells import ALL
from dashboard.ui import data
from dashboard.ui.measure_charts import Line, bar_figure, fmt, heatmap_figure, trend_figure
from dashboard.ui.selection import Choice
from dashboard.vocabulary import PUBLISHED_TOGETHER_LABELS, RESPONDENT_LABELS, SERVICE_LABELS

DISCUSSED = "feedback_sought_and_discussed"
ALL_FIVES = "feedback_all_fives"
QUESTIONS = {
    "feedback_scores_q1": ("Question 1", "I understand why my worker is involved (a: why they are worried; "
                                         "b: why they are working with us)"),
    "feedback_scores_q2": ("Question 2", "I felt listened to and understood"),
    "feedback_scores_q3": ("Question 3", "I understand the plans (a: to keep me safe; b: for helping my family)"),
    "feedback_scores_q4": ("Question 4", "I am wanting and helping to make things better"),
}
# Scores are published in two bands (categories_published_together in the catalogue): 4 or 5, and 1 to 3.
SCORES = ["4-5", "1-3"]
SCORE_LABELS = {"4-5": "4 or 5", "1-3": "1 to 3"}
SCORES_GROUPED = (
    "Scores are published in two bands: **4 or 5** (well or very well, much or very much) and **1 to 3**. "
    "Five separate scores split each service's forms into groups of a handful, and more than half of them had "
    "to be hidden to protect the people who filled them in. The front door (MASH) and pre-birth teams are shown "
    "together, and family network members with parents and carers, for the same reason: on their own they "
    "were too small to show in most local authorities.")
SERVICES = {**SERVICE_LABELS, **PUBLISHED_TOGETHER_LABELS["service"]}
RESPONDENTS = {**RESPONDENT_LABELS, **PUBLISHED_TOGETHER_LABELS["respondent"]}
STAGES = {"first form": "First form", "second form": "Second form", "third form or later": "Third form or later"}
BREAKDOWNS = {"service": "Service", "respondent": "Who filled in the form", "stage": "Stage of the relationship"}
GROUP_LABELS = {"service": SERVICES, "respondent": RESPONDENTS, "stage": STAGES}
ALL_FORMS = "All forms"

CAVEATS = (
    "**How to read this page**\n\n"
    "- **Was feedback asked for, and then talked about?** That is what matters most, so it comes first. "
    "Asking is not enough: the answers should be talked about with the person afterwards.\n"
    "- **Scores on their own mean little.** A score only makes sense with what was happening for that family "
    "at the time. Read scores beside what people said and what was done.\n"
    "- **A 5 on every question is not always good news.** People may give top marks because they feel they "
    "should, not because they are happy with the help. Treat a high share as a reason to look closer.\n"
    "- **Scores are shown by service and by stage of the work only.** They are never shown for single workers, "
    "and must never be used to rank or compare workers.")
ALL_FIVES_CAVEAT = (
    "A high share of forms with 5 on every question can mean people are going along with the form rather than "
    "saying what they think. It is a prompt to look closer, not a sign that all is well, so it has no good or bad "
    "direction.")


def year_words(wave: int) -> str:
    return f"the year ending March {wave}"


def group_label(breakdown: str, group: str) -> str:
    if group == ALL or not breakdown:
        return ALL_FORMS
    return GROUP_LABELS.get(breakdown, {}).get(group, group.replace("_", " "))


def _ordered(frame: pl.DataFrame, breakdown: str) -> list[str]:
    present = [g for g in frame["group"].unique().to_list() if g != ALL]
    order = list(GROUP_LABELS.get(breakdown, {}))
    return [ALL] * (ALL in frame["group"].to_list()) + sorted(present, key=lambda g: (order.index(g) if g in order else 99, g))


def _rate_rows(figs: pl.DataFrame, breakdown: str) -> pl.DataFrame:
    """One row per group of a gated rate (whole group first), ready for a chart and its table."""
    if figs.height == 0:
        return pl.DataFrame()
    order = {g: i for i, g in enumerate(_ordered(figs, breakdown))}
    rows = []
    for r in figs.iter_rows(named=True):
        ok = r["status"] == OK
        rows.append({
            "Year ending March": r["wave"], "Group": group_label(breakdown, r["group"]),
            "Per cent": round(r["value"], 1) if ok else None,
            "95% interval from": round(r["ci_low"], 1) if ok else None,
            "95% interval to": round(r["ci_high"], 1) if ok else None,
            "Forms (base)": r["base"] if ok else None, "Low base": bool(r["low_base"]) if ok else None,
            "Status": r["status"], "Why hidden": None if ok else r["reason"], "_o": order.get(r["group"], 99),
        })
    return pl.DataFrame(rows).sort("_o").drop("_o")


def _rate_bars(table: pl.DataFrame, comparator: tuple[str, float] | None = None) -> go.Figure:
    return bar_figure(table["Group"].to_list(), table["Per cent"].to_list(), table["Status"].to_list(),
                      table["Why hidden"].to_list(), table["95% interval from"].to_list(),
                      table["95% interval to"].to_list(), [bool(x) for x in table["Low base"].to_list()],
                      comparator=comparator)


def headline(choice: Choice) -> dict | None:
    """The sought-and-discussed rate for the whole LA in the selected year (gated), or None."""
    figs = data.figures(choice, indicator_ids=(DISCUSSED,))
    whole = figs.filter(pl.col("group") == ALL)
    return whole.row(0, named=True) if whole.height else None


def headline_words(row: dict) -> tuple[str, str]:
    """(the figure, the sentence under it) for the headline."""
    if row["status"] != OK:
        return "c", f"Hidden to protect privacy: {row['reason'] or 'too few forms'}."
    words = (f"Of {row['base']:,} forms where it is known, this share had their answers talked about with the "
             f"person afterwards (95% interval {fmt(row['ci_low'])} to {fmt(row['ci_high'])}).")
    if row["low_base"]:
        words += " Low base: read with care."
    return fmt(row["value"]), words


def discussed_trend(choice: Choice) -> tuple[pl.DataFrame, go.Figure]:
    t = data.trend(DISCUSSED, choice)
    if t.height == 0:
        return pl.DataFrame(), go.Figure()
    ok = pl.col("status") == OK
    table = t.select(
        pl.col("wave").alias("Year ending March"), pl.when(ok).then(pl.col("value").round(1)).alias("Per cent"),
        pl.when(ok).then(pl.col("ci_low").round(1)).alias("95% interval from"),
        pl.when(ok).then(pl.col("ci_high").round(1)).alias("95% interval to"),
        pl.when(ok).then(pl.col("base")).alias("Forms (base)"), pl.when(ok).then(pl.col("low_base")).alias("Low base"),
        pl.col("status").alias("Status"), pl.col("reason").alias("Why hidden"),
        pl.col("pool_value").round(1).alias("All local authorities loaded (per cent)"))
    lines = [Line(choice.la_name, t["wave"].to_list(), t["value"].to_list(), t["status"].to_list(), t["reason"].to_list(),
                  t["ci_low"].to_list(), t["ci_high"].to_list(), mark_gaps=True),
             Line("All local authorities loaded", t["wave"].to_list(), t["pool_value"].to_list())]
    return table, trend_figure(lines, y_title="Per cent", x_title="Year ending March", y_range=(0, 100))


def discussed_breakdown(choice: Choice, breakdown: str) -> tuple[pl.DataFrame, go.Figure]:
    figs = data.figures(choice, breakdown=breakdown, indicator_ids=(DISCUSSED,))
    table = _rate_rows(figs, breakdown)
    if table.height == 0:
        return table, go.Figure()
    return table, _rate_bars(table)


def scores(choice: Choice, indicator_id: str, breakdown: str) -> tuple[pl.DataFrame, go.Figure]:
    """Share of forms scoring 4 or 5, and 1 to 3, on one question, for all forms and each group."""
    figs = data.figures(choice, breakdown=breakdown, indicator_ids=(indicator_id,))
    if figs.height == 0:
        return pl.DataFrame(), go.Figure()
    groups = _ordered(figs, breakdown)
    order = {g: i for i, g in enumerate(groups)}
    rows = []
    for r in figs.iter_rows(named=True):
        ok = r["status"] == OK
        rows.append({
            "Year ending March": r["wave"], "Question": QUESTIONS[indicator_id][0],
            BREAKDOWNS[breakdown]: group_label(breakdown, r["group"]),
            "Score": SCORE_LABELS.get(r["category"], r["category"]),
            "Share of forms (%)": round(r["value"], 1) if ok else None,
            "Forms with this score": r["numerator"] if ok else None, "Forms answering": r["base"] if ok else None,
            "Low base": bool(r["low_base"]) if ok else None, "Status": r["status"],
            "Why hidden": None if ok else r["reason"], "_o": order.get(r["group"], 99),
        })
    table = pl.DataFrame(rows).sort("_o", "Score", descending=[False, True]).drop("_o")
    cells = {(group_label(breakdown, r["group"]), SCORE_LABELS.get(r["category"], r["category"])): r
             for r in figs.iter_rows(named=True)}
    fig = heatmap_figure([group_label(breakdown, g) for g in groups], [SCORE_LABELS[s] for s in SCORES], cells,
                         x_title="Score (1 = not at all, 5 = very well or very much), in two bands")
    return table, fig


def all_fives(choice: Choice, breakdown: str) -> tuple[pl.DataFrame, go.Figure]:
    figs = data.figures(choice, breakdown=breakdown, indicator_ids=(ALL_FIVES,))
    table = _rate_rows(figs, breakdown)
    if table.height == 0:
        return table, go.Figure()
    return table, _rate_bars(table)
