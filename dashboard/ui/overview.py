"""The senior leaders' overview, as data and wording: per Bright Spots domain the bright spots and
areas to look at, the biggest changes since the last wave, the DfE headline metrics beside their
domain, and whether findings have an action that children were told about.

Everything here shapes tables that came from dashboard.ui.data (already through the disclosure
gate) or the actions table (about services, not children). Nothing ranks local authorities.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl

from dashboard.catalogue import Catalogue, Domain
from dashboard.engine.cells import ALL
from dashboard.report import findings
from dashboard.report.findings import BRIGHT, LOOK, NO_CLEAR
from dashboard.ui.charts import PALETTE, base_layout
HIGHER, LOWER = "higher_is_better", "lower_is_better"
SOURCE_WORDS = {"survey": "Bright Spots survey", "voice_checks": "voice checks", "participation": "reviews",
                "feedback": "feedback forms", "local_measure": "local measure", "dfe": "DfE statistics"}
CLASSIFICATION_HELP = (
    "A **bright spot** is a figure whose whole 95% interval is on the better side of its comparator; an "
    "**area to look at** is one whose whole interval is on the worse side. Anything else shows no clear "
    "difference. The comparator is the pool of all loaded local authorities when at least three have a "
    "figure, otherwise the published Bright Spots national figure.")


def ordered_domains(catalogue: Catalogue) -> list[Domain]:
    """The overarching domain (a good life) first, then the five in catalogue order."""
    return sorted(catalogue.domains, key=lambda d: not d.overarching)


def headline(table: pl.DataFrame) -> pl.DataFrame:
    """Whole-group figures: one per indicator (no breakdown group, no answer category)."""
    if table.height == 0:
        return table
    return table.filter((pl.col("breakdown") == "") & (pl.col("group") == ALL) & (pl.col("category") == ""))


def voice(table: pl.DataFrame) -> pl.DataFrame:
    """Figures from what children and families said or from records about them (not DfE statistics)."""
    return table.filter(pl.col("source") != "dfe") if table.height else table


def fmt_value(value: float | None, unit: str = "percent", decimals: int = 0) -> str:
    if value is None:
        return ""
    number = f"{value:,.{decimals}f}"
    return {"percent": f"{number}%", "rate_per_10000": f"{number} per 10,000", "months": f"{number} months",
            "currency": f"£{number}"}.get(unit, number)


def fmt_interval(low: float | None, high: float | None, decimals: int = 0) -> str:
    if low is None or high is None:
        return ""
    return f"{low:.{decimals}f} to {high:.{decimals}f}"


def comparator_words(row: dict) -> str:
    if not row.get("compared_with"):
        return "no comparator"
    return f"{row['compared_with']}: {fmt_value(row['comparator_value'], row['unit'])}"


@dataclass
class DomainSummary:
    domain: Domain
    bright: list[dict] = field(default_factory=list)
    look: list[dict] = field(default_factory=list)
    no_clear: int = 0
    not_compared: int = 0      # published, but no comparator or no better direction
    hidden: int = 0            # hidden by disclosure control (c) or not published
    dfe: list[dict] = field(default_factory=list)

    @property
    def figures(self) -> int:
        return len(self.bright) + len(self.look) + self.no_clear + self.not_compared + self.hidden


def summarise(table: pl.DataFrame, catalogue: Catalogue, cohort: str | None = None,
              age_band: str = ALL) -> list[DomainSummary]:
    """Per domain: bright spots and areas to look at as dashboard.report.findings defines them (survey
    figures of the cohort, record measures and DfE metrics, the same count as "You said, we did" and
    the panel report), counts of the rest, and the domain's DfE headline metrics."""
    out = {d.id: DomainSummary(d) for d in ordered_domains(catalogue)}
    rows = findings.headline(table, cohort, age_band)
    for row in rows.iter_rows(named=True):
        s = out.get(row["domain"])
        if s is None:
            continue
        if row["source"] == "dfe":
            s.dfe.append(row)
        if row["status"] != "ok" or row["value"] is None:
            if row["source"] != "dfe":      # a DfE symbol (x, z, ..) is the publisher's, shown in its table
                s.hidden += 1
        elif row["classification"] == BRIGHT:
            s.bright.append(row)
        elif row["classification"] == LOOK:
            s.look.append(row)
        elif row["source"] == "dfe":
            continue
        elif row["classification"] == NO_CLEAR:
            s.no_clear += 1
        else:
            s.not_compared += 1
    return list(out.values())


def finding_line(row: dict) -> str:
    """One bright spot or area to look at, as a markdown list item that names its comparator."""
    where = "" if row["source"] == "survey" else f" ({SOURCE_WORDS.get(row['source'], row['source'])})"
    low_base = " · low base: read with care" if row.get("low_base") else ""
    return (f"- **{row['title']}**{where}: {fmt_value(row['value'], row['unit'])} "
            f"(95% interval {fmt_interval(row['ci_low'], row['ci_high'])}), against "
            f"{comparator_words(row)}{low_base}")


def comparators_used(summaries: list[DomainSummary]) -> list[str]:
    seen: dict[str, int] = {}
    for s in summaries:
        for row in s.bright + s.look:
            seen[row["compared_with"]] = seen.get(row["compared_with"], 0) + 1
    return [f"{name} ({n} figure{'s' if n != 1 else ''})" for name, n in seen.items()]


# -- DfE headline metrics ---------------------------------------------------------------------------

def _direction(diff: float | None, polarity: str, same_words: str = "same") -> str:
    if diff is None:
        return ""
    if abs(diff) < 1e-9:
        return same_words
    way = "higher" if diff > 0 else "lower"
    if polarity == HIGHER:
        return f"▲ {way}: better" if diff > 0 else f"▼ {way}: worse"
    if polarity == LOWER:
        return f"▲ {way}: worse" if diff > 0 else f"▼ {way}: better"
    return f"{'▲' if diff > 0 else '▼'} {way} (context only)"


BETTER_WHEN = {HIGHER: "higher", LOWER: "lower", "no_polarity": "neither (context only)"}
DFE_HELP = ("DfE statistics are published for every local authority. \"Against England\" says which way this local "
            "authority differs and whether that is better or worse; where the DfE publishes the counts behind a "
            "percentage the difference is tested (a clear difference or not), otherwise only its direction is shown.")


def dfe_table(rows: list[dict], la_name: str, catalogue: Catalogue) -> pl.DataFrame:
    """The DfE headline metrics of one domain: the LA, England, its region and the median of its
    statistical neighbours, which way is better, and how the LA compares with England and last year."""
    decimals = {i.id: i.decimals for i in catalogue.indicators}
    summed = {i.id for i in catalogue.indicators if getattr(i, "neighbour_aggregate", "median") == "sum"}
    out = []
    for r in rows:
        d = decimals.get(r["indicator_id"], 0)
        v = r["value"]
        shown = fmt_value(v, r["unit"], d) if v is not None else r["status"]
        if r["classification"] == NO_CLEAR:
            against = "about the same (no clear difference)"
        else:
            against = _direction(None if v is None or r["england_value"] is None else v - r["england_value"],
                                 r["polarity"])
            if against and r["classification"] in (BRIGHT, LOOK):
                against += " (a clear difference)"
        change = ""
        if r["change"] is not None:
            change = f"{_direction(r['change'], r['polarity'], 'no change')} since {r['previous_wave']}"
        neighbours = fmt_value(r["neighbour_median"], r["unit"], d)
        if neighbours and r["indicator_id"] in summed:
            # The DfE counts these (LAs with an Ofsted judgement): how many of the ten, not a median.
            neighbours = f"{neighbours} of the ten (a count, not a median)"
        elif neighbours and r["neighbours_used"] is not None:
            neighbours += f" (of {r['neighbours_used']})"
        out.append({
            "DfE metric": r["title"], "Year": str(r["wave"]), la_name: shown,
            "England": fmt_value(r["england_value"], r["unit"], d), "Region": fmt_value(r["region_value"], r["unit"], d),
            "Statistical neighbours (median)": neighbours, "Better when": BETTER_WHEN.get(r["polarity"], ""),
            "Against England": against, "Since last year": change,
        })
    return pl.DataFrame(out, schema={c: pl.String for c in [
        "DfE metric", "Year", la_name, "England", "Region", "Statistical neighbours (median)", "Better when",
        "Against England", "Since last year"]})


# -- changes since the last wave --------------------------------------------------------------------

def changes(table: pl.DataFrame, catalogue: Catalogue, n: int = 5) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The biggest changes since the last wave among the voice figures with a better direction:
    (improved, worsened), clear (significant) changes first, then by size."""
    rows = voice(headline(table))
    if rows.height == 0:
        return rows, rows
    titles = {d.id: d.title for d in catalogue.domains}
    rows = rows.filter(pl.col("change").is_not_null() & pl.col("polarity").is_in([HIGHER, LOWER])
                       & (pl.col("status") == "ok"))
    rows = rows.with_columns(
        pl.when(pl.col("polarity") == HIGHER).then(pl.col("change") > 0).otherwise(pl.col("change") < 0).alias("better"),
        pl.col("change_significant").fill_null(False).alias("clear"),
        pl.col("domain").replace_strict(titles, default=pl.col("domain")).alias("domain_title"),
    ).filter(pl.col("change") != 0)
    order = dict(by=["clear", pl.col("change").abs()], descending=[True, True])
    return rows.filter(pl.col("better")).sort(**order).head(n), rows.filter(~pl.col("better")).sort(**order).head(n)


def change_line(row: dict) -> str:
    """One change as a markdown list item: from, to, and whether it is clear or could be chance."""
    clear = "a clear change" if row["clear"] else "could be chance"
    return (f"- **{row['title']}**: {row['previous_value']:.0f}% in {row['previous_wave']} to {row['value']:.0f}% "
            f"(95% interval {fmt_interval(row['ci_low'], row['ci_high'])}), {row['change']:+.0f} points, {clear}")


def change_table(rows: pl.DataFrame, previous_intervals: dict[str, tuple] | None = None) -> pl.DataFrame:
    """The changes as shown and downloaded: both waves with their 95% intervals and whether the
    change is clear (a two-proportion test at the 5% level) or could be chance."""
    previous_intervals = previous_intervals or {}
    out = []
    for r in rows.iter_rows(named=True):
        prev_ci = previous_intervals.get(r["indicator_id"], (None, None))
        p = r["change_p"]
        clear = ("yes" if r["clear"] else "no: could be chance") + (f" (p = {p:.3f})" if p is not None else "")
        out.append({
            "Indicator": r["title"], "Domain": r["domain_title"], "Measured by": SOURCE_WORDS.get(r["source"], r["source"]),
            "Previous wave": r["previous_wave"], "Then (%)": round(r["previous_value"], 1),
            "Then: 95% interval": fmt_interval(*prev_ci), "Now (%)": round(r["value"], 1),
            "Now: 95% interval": fmt_interval(r["ci_low"], r["ci_high"]),
            "Change (percentage points)": round(r["change"], 1), "Clear change?": clear,
        })
    return pl.DataFrame(out, schema={"Indicator": pl.String, "Domain": pl.String, "Measured by": pl.String,
                                     "Previous wave": pl.Int64, "Then (%)": pl.Float64, "Then: 95% interval": pl.String,
                                     "Now (%)": pl.Float64, "Now: 95% interval": pl.String,
                                     "Change (percentage points)": pl.Float64, "Clear change?": pl.String})


def change_figure(improved: pl.DataFrame, worsened: pl.DataFrame, wave: int) -> go.Figure:
    """Each change as a line from the previous figure to this wave's, with this wave's 95% interval;
    improvements and worsenings in different colours and shapes."""
    fig = go.Figure()
    for rows, name, colour, symbol in ((improved, "Improved", PALETTE[2], "triangle-up"),
                                       (worsened, "Worsened", PALETTE[5], "triangle-down")):
        if rows.height == 0:
            continue
        labels = [f"{t}{' (clear)' if c else ''}" for t, c in zip(rows["title"], rows["clear"])]
        xs, ys = [], []
        for label, a, b in zip(labels, rows["previous_value"], rows["value"]):
            xs += [a, b, None]
            ys += [label, label, None]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": colour, "width": 2},
                                 showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=rows["previous_value"].to_list(), y=labels, mode="markers", name="Previous wave",
                                 legendgroup="previous", showlegend=name == "Improved" or improved.height == 0,
                                 marker={"color": "white", "size": 10, "line": {"color": "#555555", "width": 2}},
                                 hovertemplate="%{y}<br>previous wave: %{x:.0f}%<extra></extra>"))
        fig.add_trace(go.Scatter(
            x=rows["value"].to_list(), y=labels, mode="markers", name=f"{name} ({wave})",
            marker={"color": colour, "symbol": symbol, "size": 13},
            error_x={"type": "data", "symmetric": False, "array": (rows["ci_high"] - rows["value"]).to_list(),
                     "arrayminus": (rows["value"] - rows["ci_low"]).to_list(), "color": colour, "thickness": 1.5},
            hovertemplate="%{y}<br>" + str(wave) + ": %{x:.0f}%<extra></extra>"))
    base_layout(fig, y_title=None, height=120 + 45 * (improved.height + worsened.height))
    fig.update_xaxes(title="% of those answering (with this wave's 95% interval)", range=[0, 101])
    fig.update_yaxes(autorange="reversed", automargin=True)
    return fig


# -- "you said, we did" -----------------------------------------------------------------------------

@dataclass
class ActionLoop:
    findings: int                 # areas to look at
    with_action: int              # ... that have at least one action
    without_action: list[str]     # titles of the areas to look at with no action
    actions: int                  # actions on record for the LA
    told: int                     # ... reported back to children (told_children_on set)
    linked_actions: int           # actions that answer one of the areas to look at
    linked_told: int


def action_loop(summaries: list[DomainSummary], actions: pl.DataFrame, cohort: str | None = None) -> ActionLoop:
    looks = [row for s in summaries for row in s.look]
    acted = findings.acted_on(actions, cohort)
    ids = {r["indicator_id"] for r in looks}
    linked = actions.filter(pl.col("indicator_id").is_in(list(ids))) if actions.height else actions
    told = (lambda f: f.filter(pl.col("told_children_on").is_not_null()).height if f.height else 0)
    return ActionLoop(
        findings=len(looks), with_action=sum(1 for r in looks if r["indicator_id"] in acted),
        without_action=sorted({r["title"] for r in looks if r["indicator_id"] not in acted}),
        actions=actions.height, told=told(actions), linked_actions=linked.height, linked_told=told(linked))
