"""The Participation in reviews page's logic: PN codes by review type and year in either scheme,
the reviews that could not be mapped, and the recommended data returns 2a, 2b and 2c over time.

Every figure comes from dashboard.ui.data (gated). The one count read here that the figure
table does not gate on its own, the reviews that could not be mapped, is hidden when it is 1 to 5
(the disclosure rules for counts of people) or when every figure of its group is hidden.
"""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard import pn_codes
from dashboard.disclosure import HIDDEN, OK, rules
from dashboard.engine.cells import ALL
from dashboard.engine.linked import NOT_MAPPED
from dashboard.ui import columns, data
from dashboard.ui.measure_charts import Line, heatmap_figure, trend_figure
from dashboard.ui.selection import Choice
from dashboard.vocabulary import REVIEW_TYPE_LABELS

INDICATORS = {"recommended": "return_2b_pn_codes", "current": "return_2b_pn_codes_current_scheme"}
# By type of review the codes are published in three groups (the catalogue's return_2b_pn_groups).
GROUPS_INDICATOR = "return_2b_pn_groups"
PN_GROUPS = {
    "attended_gave_views": "Attended and gave their views (PN1 to PN3)",
    "views_without_attending": "Gave their views without attending (PN4, PN5)",
    "no_views_given": "No views given (PN6 to PN8, or could not be mapped)",
}
GROUPED_WHY = (
    "Each PN code is published for all reviews together. By type of review, the codes are published in three "
    "groups (recommended codes): attended and gave their views (PN1 to PN3), gave their views without attending "
    "(PN4, PN5), and no views given (PN6 to PN8, and reviews that could not be mapped: current PN0, a child under "
    "4, and current PN7). Code by code, many types of review had only 1 to 5 reviews with a code, and two figures "
    "in three had to be hidden to protect the children; in three groups nearly three in four can be shown.")
REVIEW_TYPES = REVIEW_TYPE_LABELS
ALL_REVIEWS = "All reviews"
# The recommended data returns, as lines on one chart: indicator -> (legend name, short name)
RETURNS = {
    "return_2a_voice_heard_assessment": ("2a: voice heard and responded to in the assessment", "2a assessment"),
    "return_2a_voice_heard_closure": ("2a: voice heard and responded to at closure", "2a closure"),
    "participation_views_conveyed": ("2b: reviews where the child's views were given", "2b"),
    "return_2c_feedback_sought": ("2c: feedback sought, discussed and recorded (last 3 months)", "2c"),
}
NOT_MAPPED_WHY = {
    "recommended": "current PN0 (a child under 4) has no recommended code, and current PN7 could be recommended "
                   "PN7 or PN8",
    "current": "every recommended code has a current code, so normally none",
}


def year_words(wave: int) -> str:
    return f"the year ending March {wave}"


def group_label(group: str) -> str:
    return ALL_REVIEWS if group == ALL else REVIEW_TYPES.get(group, group.replace("_", " "))


def pn_figures(choice: Choice, scheme: str) -> pl.DataFrame:
    """The gated PN code figures of the selected year, for all reviews (codes are not published by
    review type: see group_figures)."""
    return data.figures(choice, breakdown="review_type", indicator_ids=(INDICATORS[scheme],))


def group_figures(choice: Choice) -> pl.DataFrame:
    """The gated figures of the three groups of codes: all reviews, and each review type."""
    return data.figures(choice, breakdown="review_type", indicator_ids=(GROUPS_INDICATOR,))


def group_table(figs: pl.DataFrame) -> pl.DataFrame:
    """The table behind the chart of the three groups by review type."""
    return _review_table(figs, list(PN_GROUPS),
                         lambda c: {"How the child took part": PN_GROUPS.get(c, c)},
                         "Reviews", "All reviews of the type")


def _review_table(figs: pl.DataFrame, categories: list[str], words, count: str, base: str) -> pl.DataFrame:
    """One row per review type and category the gate returned, ordered by both: `words(category)`
    gives the category's own columns; a hidden figure keeps its row with its status and reason."""
    order = {c: i for i, c in enumerate(categories)}
    groups = {g: i for i, g in enumerate(_groups(figs))}
    rows = []
    for r in figs.iter_rows(named=True):
        ok = r["status"] == OK
        rows.append({
            "Year ending March": r["wave"], "Review type": group_label(r["group"]), **words(r["category"]),
            "Share of reviews (%)": round(r["value"], 1) if ok and r["value"] is not None else None,
            count: r["numerator"] if ok else None, base: r["base"] if ok else None,
            "Low base": bool(r["low_base"]) if ok else None,
            "Status": r["status"], "Why hidden": r["reason"] if not ok else None,
            "_g": groups.get(r["group"], 99), "_c": order.get(r["category"], 99),
        })
    if not rows:
        return pl.DataFrame()
    return pl.DataFrame(rows).sort("_g", "_c").drop("_g", "_c")


def group_heatmap(figs: pl.DataFrame) -> go.Figure:
    short = {"attended_gave_views": "Attended, gave views", "views_without_attending": "Views given, not attending",
             "no_views_given": "No views given"}
    # As the PN code chart: a row for each group, a column for each type of review, names upright (three
    # long group names across a phone ran into one another).
    cells = {(short.get(r["category"], r["category"]), group_label(r["group"])): r for r in figs.iter_rows(named=True)}
    columns = [group_label(g) for g in _groups(figs)]
    return heatmap_figure(list(short.values()), columns, cells, x_title="",
                          y_title="How the child took part (recommended codes)", turned=True)


def _groups(figs: pl.DataFrame) -> list[str]:
    present = set(figs["group"].to_list())
    return [g for g in [ALL, *REVIEW_TYPES] if g in present] + sorted(present - {ALL, *REVIEW_TYPES})


def pn_table(figs: pl.DataFrame, scheme: str) -> pl.DataFrame:
    """The table behind the PN code chart: one row per review type and code the gate returned."""
    return _review_table(figs, pn_codes.codes(scheme),
                         lambda c: {"PN code": c, "What it means": pn_codes.describe(scheme, c)},
                         "Reviews with this code", "Reviews that could be mapped")


def pn_heatmap(figs: pl.DataFrame, scheme: str) -> go.Figure:
    """A row for each PN code and a column for each type of review (names upright): eight columns of
    codes beside the types' long names left each square 27 pixels on a phone, and the figures ran
    into one another."""
    cells = {(r["category"], group_label(r["group"])): r for r in figs.iter_rows(named=True)}
    columns = [group_label(g) for g in _groups(figs)]
    return heatmap_figure(pn_codes.codes(scheme), columns, cells, x_title="",
                          y_title=f"PN code, {pn_codes.SHORT[scheme]}", turned=True)


def unmapped(figs: pl.DataFrame) -> pl.DataFrame:
    """Reviews that could not be mapped into the scheme, per group: the gated 'not mapped'
    category of the distribution (hidden as c like any other figure; 0 when every review mapped)."""
    rows = []
    for group in _groups(figs):
        hit = figs.filter((pl.col("group") == group) & (pl.col("category") == NOT_MAPPED))
        if hit.height == 0:
            rows.append({"Review type": group_label(group), "Reviews that could not be mapped": 0, "Status": OK,
                         "Why hidden": None})
        elif hit["status"][0] == OK:
            rows.append({"Review type": group_label(group), "Reviews that could not be mapped": int(hit["numerator"][0]),
                         "Status": OK, "Why hidden": None})
        else:
            rows.append({"Review type": group_label(group), "Reviews that could not be mapped": None,
                         "Status": hit["status"][0], "Why hidden": hit["reason"][0]})
    return pl.DataFrame(rows, schema={"Review type": pl.String, "Reviews that could not be mapped": pl.Int64,
                                      "Status": pl.String, "Why hidden": pl.String})


def unmapped_sentence(table: pl.DataFrame, scheme: str, wave: int) -> str:
    """One sentence on the reviews of all types that could not be mapped."""
    whole = table.filter(pl.col("Review type") == ALL_REVIEWS)
    target = "recommended" if scheme == "recommended" else "current"
    why = NOT_MAPPED_WHY[scheme]
    if whole.height == 0:
        return f"No reviews are recorded for {year_words(wave)}."
    n = whole["Reviews that could not be mapped"][0]
    if whole["Status"][0] != OK:
        count = f"**c** (hidden to protect children's privacy: {whole['Why hidden'][0] or 'a small number'})"
    else:
        count = f"**{n:,}**"
    return (f"Reviews that could not be mapped to the {target} codes in {year_words(wave)}: {count}. "
            f"Why: {why}. They are counted in the total, so the shares above are of all reviews.")


def pn_trend(choice: Choice, scheme: str, review_type: str = ALL) -> tuple[pl.DataFrame, go.Figure]:
    """The share of reviews with each code, year by year, for all reviews; for one review type, the
    three groups of codes (codes are published by review type only in groups)."""
    if review_type == ALL:
        ind, breakdown, group, categories = INDICATORS[scheme], "", ALL, pn_codes.codes(scheme)
        describe = lambda c: pn_codes.describe(scheme, c)  # noqa: E731
    else:
        ind, breakdown, group, categories = GROUPS_INDICATOR, "review_type", review_type, list(PN_GROUPS)
        describe = lambda c: PN_GROUPS.get(c, c)  # noqa: E731
    lines, frames = [], []
    read = data.trends(choice, [data.series(ind, choice, breakdown, group, code) for code in categories])
    for code, t in zip(categories, read):
        if t.height == 0:
            continue
        t = t.with_columns(pl.lit(code).alias("code"))
        frames.append(t)
        lines.append(Line(code if review_type == ALL else describe(code), t["wave"].to_list(), t["value"].to_list(), t["status"].to_list(),
                          t["reason"].to_list(), mark_gaps=True))
    if not frames:
        return pl.DataFrame(), go.Figure()
    frame = pl.concat(frames, how="diagonal_relaxed")
    table = frame.select(
        pl.col("wave").alias("Year ending March"), pl.lit(group_label(group)).alias("Review type"),
        pl.col("code").alias("PN code" if review_type == ALL else "Group of codes"),
        columns.words_for(frame, "code", describe).alias("What it means"),
        pl.when(pl.col("status") == OK).then(pl.col("value").round(1)).alias("Share of reviews (%)"),
        pl.when(pl.col("status") == OK).then(pl.col("base")).alias("Reviews that could be mapped"),
        pl.col("status").alias("Status"), pl.col("reason").alias("Why hidden"),
    ).sort("Year ending March")
    fig = trend_figure(lines, y_title="Share of reviews", x_title="Year ending March", y_range=(0, 100))
    return table, fig


def returns_trend(choice: Choice) -> tuple[pl.DataFrame, go.Figure]:
    """Returns 2a, 2b and 2c, year by year, on one chart."""
    lines, frames = [], []
    read = data.trends(choice, [data.series(ind, choice) for ind in RETURNS])
    for (name, short), t in zip(RETURNS.values(), read):
        if t.height == 0:
            continue
        frames.append(t.with_columns(pl.lit(name).alias("measure")))
        lines.append(Line(name, t["wave"].to_list(), t["value"].to_list(), t["status"].to_list(), t["reason"].to_list(),
                          mark_gaps=True, short=short))
    if not frames:
        return pl.DataFrame(), go.Figure()
    frame = pl.concat(frames, how="diagonal_relaxed")
    ok = pl.col("status") == OK
    table = frame.select(
        pl.col("measure").alias("Return"), pl.col("wave").alias("Year ending March"),
        pl.when(ok).then(pl.col("value").round(1)).alias("Per cent"),
        pl.when(ok).then(pl.col("ci_low").round(1)).alias("95% interval from"),
        pl.when(ok).then(pl.col("ci_high").round(1)).alias("95% interval to"),
        pl.when(ok).then(pl.col("base")).alias("Base"),
        pl.when(ok).then(pl.col("low_base")).alias("Low base"),
        pl.col("status").alias("Status"), pl.col("reason").alias("Why hidden"),
    )
    fig = trend_figure(lines, y_title="Per cent", x_title="Year ending March", y_range=(0, 100), height=400)
    return table, fig
