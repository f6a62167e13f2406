"""The Well-being domains page, as data, charts and wording: every indicator of one Bright Spots
domain with its interval, base, status, comparators and classification; trends over waves;
breakdowns by age band, gender and placement type; a funnel plot of every LA (others unnamed);
and the themes and "you said, we did" actions linked to the domain.

Figures come from dashboard.ui.data (already gated); theme counts from dashboard.engine.themes
(gated there, so a theme's count has the same status here as on the Themes page).
"""
from __future__ import annotations

import math
import textwrap

import plotly.graph_objects as go
import polars as pl
import streamlit as st
from plotly.subplots import make_subplots

from dashboard.catalogue import SURVEY_COHORT, Catalogue, DfeMetric, SurveyIndicator
from dashboard.disclosure import HIDDEN, OK
from dashboard.engine.stats import binomial_limits
from dashboard.ui.charts import HIDDEN_TEXT, PALETTE, SYMBOLS, base_layout
from dashboard.ui.overview import (BRIGHT, LOOK, NO_CLEAR, SOURCE_WORDS, fmt_interval, fmt_value, headline,
                                   ordered_domains, voice)
from dashboard.ui import url
from dashboard.ui.selection import AGE_BANDS, Choice, shown

DOMAIN_PARAM = url.declared("domain")
DOMAIN_KEY = "domain_pick"
DEFAULT_DOMAIN = "good_life"
BREAKDOWNS = {"age_band": "Age band", "gender": "Gender", "placement_type": "Placement type"}
GROUP_WORDS = {"boy": "Boys and young men", "girl": "Girls and young women", "other": "Another gender",
               "not_stated": "Not stated", "foster": "Foster care", "kinship": "Kinship care",
               "residential": "Residential care", "another_or_not_stated": "Another gender or not stated",
               "other_or_not_stated": "Other placement or not stated"}
ANOTHER_LA = "another LA"
CLASS_STYLE = {BRIGHT: (PALETTE[2], "triangle-up"), LOOK: (PALETTE[5], "triangle-down"),
               NO_CLEAR: (PALETTE[0], "circle"), "": ("#000000", "square")}
FUNNEL_HELP = (
    "**How to read a funnel plot.** Each dot is one local authority: across is how many children answered, "
    "up is the figure. Small groups vary more by chance, so the limits (dashed: 95%, dotted: 99.8%) form a "
    "funnel around the figure for all loaded local authorities, wide for small groups and narrow for large ones. "
    "A dot inside the funnel is what chance alone could give. A dot above or below the 99.8% limits is unusual "
    "and worth understanding: it is a question to ask, not a verdict, and the funnel is not a league table. "
    "Other local authorities are not named.")


# -- choosing the domain (kept in the address bar as ?domain=...) --------------------------------------

def choose_domain(catalogue: Catalogue) -> str:
    """The domain radio; its value comes from ?domain= when the page opens (a shared link) and is
    written back to the address bar on every run."""
    domains = ordered_domains(catalogue)
    ids = [d.id for d in domains]
    titles = {d.id: d.title for d in domains}
    wanted = st.query_params.get(DOMAIN_PARAM)
    if DOMAIN_KEY not in st.session_state or st.session_state[DOMAIN_KEY] not in ids:
        # A new session, or back on this page from another one: the address bar wins, then the last choice.
        last = st.session_state.get("_domain_last")
        st.session_state[DOMAIN_KEY] = wanted if wanted in ids else (last if last in ids else DEFAULT_DOMAIN)
        if wanted is not None and wanted not in ids:   # a tampered or old link: say so, never a silent switch
            st.warning(f"The link asks for domain '{shown(wanted)}', which is not one of the domains; showing "
                       f"{titles[st.session_state[DOMAIN_KEY]]} instead.", icon=":material/link_off:")
    domain = st.radio("Domain", ids, key=DOMAIN_KEY, format_func=titles.get, horizontal=True)
    st.session_state["_domain_last"] = domain
    st.query_params[DOMAIN_PARAM] = domain
    return domain


# -- the indicators of the domain ---------------------------------------------------------------------

def status_words(row: dict) -> str:
    if row["status"] == OK:
        return "published: low base, read with care" if row["low_base"] else "published"
    if row["status"] == HIDDEN:
        return f"c: hidden ({row['reason']})" if row.get("reason") else "c: hidden"
    return f"{row['status']}: {row['reason']}" if row.get("reason") else row["status"]


def _change_words(row: dict) -> str:
    if row["change"] is None:
        return ""
    clear = "clear change" if row["change_significant"] else "could be chance"
    return f"{row['change']:+.0f} points since {row['previous_wave']} ({clear})"


def _compared_words(r: dict) -> str:
    """The comparator the classification used, with its figure, then any other published figure for
    the same indicator: one cell, so the table fits the page (it had three columns for these)."""
    uses_pool = r["compared_with"] is not None and r["pool_value"] is not None \
        and r["national_source"] != r["compared_with"]
    said, also = [], []
    if r["compared_with"]:
        said.append(f"{r['compared_with']}: {fmt_value(r['comparator_value'], r['unit'])}"
                    + (f" ({r['pool_las']} LAs)" if uses_pool else ""))
    if r["pool_value"] is not None and not uses_pool:
        also.append(f"all loaded LAs {fmt_value(r['pool_value'])} ({r['pool_las']} LAs: too few to compare with)")
    if r["national_value"] is not None and r["national_source"] != r["compared_with"]:
        also.append(f"{fmt_value(r['national_value'])} ({r['national_source']})")
    if r["general_population_value"] is not None:
        also.append(f"general population {fmt_value(r['general_population_value'])}")
    if also:
        said.append(("also published: " if said else "published: ") + "; ".join(also))
    return "; ".join(said)


def indicator_table(table: pl.DataFrame) -> pl.DataFrame:
    """One row per indicator (whole group): value, interval, base, status, classification, what it is
    compared with (and other published figures), the change and the source. Few enough columns, in
    words that wrap, to be read whole at 1280 pixels wide (tests/browser/test_reader_view.py)."""
    out = []
    for r in voice(headline(table)).iter_rows(named=True):
        shown = r["status"] == OK and r["value"] is not None
        out.append({
            "Indicator": r["title"], "Value": fmt_value(r["value"], r["unit"]) if shown else r["status"],
            "95% interval": fmt_interval(r["ci_low"], r["ci_high"]) if shown else "",
            "Answered (base)": (f"{r['base']:,}" + (" (low base)" if r["low_base"] else "")) if shown else r["status"],
            "Status": status_words(r), "Classification": r["classification"] or "",
            "Compared with": _compared_words(r) if shown else "",
            "Change": _change_words(r) if shown else "",
            "Measured by": SOURCE_WORDS.get(r["source"], r["source"]),
        })
    cols = ["Indicator", "Value", "95% interval", "Answered (base)", "Status", "Classification", "Compared with",
            "Change", "Measured by"]
    return pl.DataFrame(out, schema={c: pl.String for c in cols})


def missing_indicators(table: pl.DataFrame, catalogue: Catalogue, domain: str, choice: Choice) -> list[str]:
    """The domain's voice indicators with no figure here, each with the reason in plain words."""
    present = set(headline(table)["indicator_id"].to_list()) if table.height else set()
    survey = {v: k for k, v in SURVEY_COHORT.items()}.get(choice.cohort)
    out = []
    for ind in catalogue.indicators:
        if ind.domain != domain or isinstance(ind, DfeMetric) or ind.id in present:
            continue
        if getattr(ind, "shape", "rate") == "distribution":
            continue
        if isinstance(ind, SurveyIndicator):
            bands = ind.surveys.get(survey)
            if bands is None:
                why = "not asked in this survey"
            elif choice.age_band != "all" and choice.age_band not in bands:
                why = f"not asked of ages {choice.age_band}"
            else:
                why = "no answers loaded for this local authority and wave"
        elif choice.age_band != "all":
            why = "records have no age bands: choose All ages"
        else:
            why = "no records loaded for this local authority and year"
        out.append(f"{ind.title} ({why})")
    return out


def distributions(catalogue: Catalogue, domain: str) -> list[str]:
    """Indicators of the domain that are spreads across answers (PN codes, feedback scores)."""
    return [i.title for i in catalogue.indicators if i.domain == domain and getattr(i, "shape", "rate") == "distribution"]


def _wrap(text: str, width: int = 45) -> str:
    return "<br>".join(textwrap.wrap(text, width)) or text


def indicator_figure(table: pl.DataFrame) -> go.Figure:
    """Each indicator's figure with its 95% interval and the pool, shaped and coloured by
    classification; a hidden figure is a row that says so."""
    rows = voice(headline(table))
    fig = go.Figure()
    labels = [_wrap(t) for t in rows["title"].to_list()] if rows.height else []
    shown = rows.with_columns(pl.Series("label", labels)) if rows.height else rows
    for cls, name in ((BRIGHT, "Bright spot"), (LOOK, "Area to look at"), (NO_CLEAR, "No clear difference"),
                      ("", "Not compared")):
        colour, symbol = CLASS_STYLE[cls]
        part = shown.filter((pl.col("status") == OK) & (pl.col("classification").fill_null("") == cls)) if rows.height else rows
        if part.height == 0:
            continue
        fig.add_trace(go.Scatter(
            x=part["value"].to_list(), y=part["label"].to_list(), mode="markers", name=name,
            marker={"color": colour, "symbol": symbol, "size": 13},
            error_x={"type": "data", "symmetric": False, "array": (part["ci_high"] - part["value"]).to_list(),
                     "arrayminus": (part["value"] - part["ci_low"]).to_list(), "color": colour, "thickness": 1.5},
            hovertemplate="%{y}<br>%{x:.0f}%<extra>" + name + "</extra>"))
    pooled = shown.filter(pl.col("pool_value").is_not_null()) if rows.height else rows
    if pooled.height:
        fig.add_trace(go.Scatter(x=pooled["pool_value"].to_list(), y=pooled["label"].to_list(), mode="markers",
                                 name="All loaded LAs (pool)",
                                 marker={"symbol": "line-ns", "size": 18, "line": {"width": 3, "color": "#555555"}},
                                 hovertemplate="%{y}<br>pool: %{x:.0f}%<extra></extra>"))
    hidden = shown.filter(pl.col("status") != OK) if rows.height else rows
    if hidden.height:
        fig.add_trace(go.Scatter(x=[50] * hidden.height, y=hidden["label"].to_list(), mode="text",
                                 text=[HIDDEN_TEXT] * hidden.height, name="Hidden (c)", textfont={"color": "#555555"},
                                 hovertemplate="%{y}<br>" + HIDDEN_TEXT + "<extra></extra>"))
    base_layout(fig, height=140 + 48 * max(rows.height, 1))
    fig.update_xaxes(title="% of those answering, with 95% interval", range=[0, 102])
    fig.update_yaxes(autorange="reversed", automargin=True, categoryorder="array", categoryarray=labels)
    return fig


# -- trends -------------------------------------------------------------------------------------------

TREND_COLUMNS = {"Indicator": pl.String, "Wave": pl.Int64, "Value (%)": pl.Float64, "95% interval low": pl.Float64,
                 "95% interval high": pl.Float64, "Answered (base)": pl.Int64, "Status": pl.String,
                 "All loaded LAs (%)": pl.Float64}


def trend_table(trends: list[tuple[str, pl.DataFrame]], wave: int) -> pl.DataFrame:
    """Every indicator's figure in every wave up to the chosen one, hidden waves with their status."""
    out = []
    for title, t in trends:
        for r in t.filter(pl.col("wave") <= wave).iter_rows(named=True):
            out.append({"Indicator": title, "Wave": r["wave"],
                        "Value (%)": None if r["value"] is None else round(r["value"], 1),
                        "95% interval low": None if r["ci_low"] is None else round(r["ci_low"], 1),
                        "95% interval high": None if r["ci_high"] is None else round(r["ci_high"], 1),
                        "Answered (base)": r["base"], "Status": status_words({**r, "change": None}),
                        "All loaded LAs (%)": None if r["pool_value"] is None else round(r["pool_value"], 1)})
    return pl.DataFrame(out, schema=TREND_COLUMNS)


def trend_figure(table: pl.DataFrame, la_name: str, columns: int = 2) -> go.Figure:
    """Small multiples: one panel per indicator, the LA with 95% error bars, the pool dashed, hidden
    waves as gaps marked "hidden (c)"."""
    titles = list(dict.fromkeys(table["Indicator"].to_list()))
    n = max(len(titles), 1)
    rows = math.ceil(n / columns)
    # Two panels a row and titles wrapped short, so neighbouring titles never meet even on a phone.
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=[_wrap(t, 20) for t in titles] or [""],
                        vertical_spacing=min(0.45 / max(rows - 1, 1), 0.16) if rows > 1 else 0.1,
                        horizontal_spacing=0.1)
    for i, title in enumerate(titles):
        r, c = i // columns + 1, i % columns + 1
        t = table.filter(pl.col("Indicator") == title).sort("Wave")
        waves = t["Wave"].to_list()
        value = t["Value (%)"].to_list()
        fig.add_trace(go.Scatter(
            x=waves, y=value, mode="lines+markers", name=la_name, legendgroup="la", showlegend=i == 0,
            connectgaps=False, line={"color": PALETTE[0], "width": 2}, marker={"size": 8, "symbol": SYMBOLS[0]},
            error_y={"type": "data", "symmetric": False,
                     "array": [None if h is None or v is None else h - v for h, v in zip(t["95% interval high"], value)],
                     "arrayminus": [None if lo is None or v is None else v - lo for lo, v in zip(t["95% interval low"], value)],
                     "color": PALETTE[0], "thickness": 1.2},
            hovertemplate="%{x}: %{y:.0f}%<extra>" + la_name + "</extra>"), row=r, col=c)
        fig.add_trace(go.Scatter(
            x=waves, y=t["All loaded LAs (%)"].to_list(), mode="lines", name="All loaded LAs (pool)",
            legendgroup="pool", showlegend=i == 0, connectgaps=False,
            line={"color": "#555555", "dash": "dash", "width": 1.5},
            hovertemplate="%{x}: %{y:.0f}%<extra>pool</extra>"), row=r, col=c)
        for w, v, s in zip(waves, value, t["Status"]):
            if v is None:   # a gap in the line, and why
                fig.add_annotation(x=w, y=50, text="hidden (c)" if s.startswith("c") else s.split(":")[0],
                                   showarrow=False, font={"size": 12, "color": "#555555"}, row=r, col=c)
        fig.update_xaxes(tickvals=waves, row=r, col=c)
        fig.update_yaxes(range=[0, 100], row=r, col=c)
    base_layout(fig, height=max(320, 300 * rows))
    for a in fig.layout.annotations[:len(titles)]:   # the panel titles come first
        a.font = {"size": 13}
    fig.update_layout(legend={"orientation": "h", "y": 1.02 + 0.1 / rows, "yanchor": "bottom"},
                      margin={"t": 70})
    return fig


# -- breakdowns ---------------------------------------------------------------------------------------

def group_words(breakdown: str, group: str) -> str:
    if breakdown == "age_band":
        return f"Ages {group}" if group in AGE_BANDS else group
    return GROUP_WORDS.get(group, group.replace("_", " ").capitalize())


def breakdown_table(table: pl.DataFrame, breakdown: str) -> pl.DataFrame:
    """Each indicator's figure for each group of the breakdown; hidden groups show c and why."""
    cols = {"Indicator": pl.String, "Group": pl.String, "Value (%)": pl.String, "95% interval": pl.String,
            "Answered (base)": pl.String, "Status": pl.String}
    if table.height == 0:
        return pl.DataFrame(schema=cols)
    rows = voice(table).filter((pl.col("breakdown") == breakdown) & (pl.col("category") == ""))
    out = []
    for r in rows.iter_rows(named=True):
        shown = r["status"] == OK and r["value"] is not None
        out.append({"Indicator": r["title"], "Group": group_words(breakdown, r["group"]),
                    "Value (%)": f"{r['value']:.0f}" if shown else r["status"],
                    "95% interval": fmt_interval(r["ci_low"], r["ci_high"]) if shown else "",
                    "Answered (base)": (f"{r['base']:,}" + (" (low base)" if r["low_base"] else "")) if shown else r["status"],
                    "Status": status_words(r)})
    return pl.DataFrame(out, schema=cols)


def breakdown_figure(table: pl.DataFrame, breakdown: str) -> go.Figure:
    """Groups side by side for each indicator, with 95% intervals; a hidden group shows 'c' at the
    left edge instead of a dot."""
    rows = voice(table).filter((pl.col("breakdown") == breakdown) & (pl.col("category") == "")) if table.height else table
    fig = go.Figure()
    labels = list(dict.fromkeys(_wrap(t, 40) for t in rows["title"].to_list())) if rows.height else []
    groups = list(dict.fromkeys(rows["group"].to_list())) if rows.height else []
    for i, g in enumerate(groups):
        part = rows.filter(pl.col("group") == g)
        name = group_words(breakdown, g)
        colour, symbol = PALETTE[i % len(PALETTE)], SYMBOLS[i % len(SYMBOLS)]
        ok = part.filter(pl.col("status") == OK)
        y = [_wrap(t, 40) for t in ok["title"].to_list()]
        fig.add_trace(go.Scatter(
            x=ok["value"].to_list(), y=y, mode="markers", name=name, orientation="h", legendgroup=name,
            marker={"color": colour, "symbol": symbol, "size": 11},
            error_x={"type": "data", "symmetric": False, "array": (ok["ci_high"] - ok["value"]).to_list(),
                     "arrayminus": (ok["value"] - ok["ci_low"]).to_list(), "color": colour, "thickness": 1.2},
            hovertemplate="%{y}<br>" + name + ": %{x:.0f}%<extra></extra>"))
        hid = part.filter(pl.col("status") != OK)
        if hid.height:
            fig.add_trace(go.Scatter(
                x=[0.5] * hid.height, y=[_wrap(t, 40) for t in hid["title"].to_list()], mode="text", orientation="h",
                text=["<b>c</b>"] * hid.height, textposition="middle right", textfont={"color": colour, "size": 15},
                name=f"{name} (hidden: c)", legendgroup=name, showlegend=ok.height == 0,
                hovertemplate="%{y}<br>" + name + ": " + HIDDEN_TEXT + "<extra></extra>"))
    base_layout(fig, height=160 + 30 * max(len(labels), 1) * max(len(groups), 1) // 2 + 20 * len(labels))
    fig.update_layout(scattermode="group", scattergap=0.3)
    fig.update_xaxes(title="% of those answering, with 95% interval ('c': hidden to protect privacy)", range=[0, 102])
    fig.update_yaxes(autorange="reversed", automargin=True, categoryorder="array", categoryarray=labels)
    return fig


# -- funnel -------------------------------------------------------------------------------------------

def _position(value: float, base: int, p0: float) -> str:
    """Where a figure sits against the same exact binomial limits the funnel chart draws."""
    low95, high95 = (100 * v for v in binomial_limits(base, p0 / 100, 0.95))
    if low95 <= value <= high95:
        return "inside the 95% limits"
    side = "above" if value > p0 else "below"
    low998, high998 = (100 * v for v in binomial_limits(base, p0 / 100, 0.998))
    if low998 <= value <= high998:
        return f"{side} the 95% limits, inside the 99.8% limits"
    return f"{side} the 99.8% limits"


def funnel_table(funnel: dict, la_code: str, la_name: str) -> pl.DataFrame:
    """Every LA with a published figure, in order of size; only the chosen LA is named."""
    cols = {"Local authority": pl.String, "Value (%)": pl.Float64, "Answered (base)": pl.Int64,
            "Where it sits": pl.String}
    points = funnel["points"]
    if points.height == 0 or funnel["pool_value"] is None:
        return pl.DataFrame(schema=cols)
    out = []
    for r in points.sort(["base", "value"]).iter_rows(named=True):
        out.append({"Local authority": la_name if r["la_code"] == la_code else ANOTHER_LA,
                    "Value (%)": round(r["value"], 1), "Answered (base)": r["base"],
                    "Where it sits": _position(r["value"], r["base"], funnel["pool_value"])})
    return pl.DataFrame(out, schema=cols)


def _funnel_range(funnel: dict, table: pl.DataFrame) -> list[float]:
    """Room for every dot and the 99.8% limits at the smallest base shown, within 0 to 100."""
    limits = funnel["limits"]
    values = table["Value (%)"].to_list()
    if not values or limits.height == 0:
        return [0, 100]
    at = limits.filter(pl.col("base") >= min(table["Answered (base)"].to_list())).head(1)
    lows = values + (at["lower_998"].to_list() if at.height else [])
    highs = values + (at["upper_998"].to_list() if at.height else [])
    return [max(0.0, min(lows) - 5), min(100.0, max(highs) + 5) + 3]


def funnel_figure(funnel: dict, table: pl.DataFrame, la_name: str, title: str) -> go.Figure:
    fig = go.Figure()
    limits = funnel["limits"]
    if limits.height:
        for col, name, dash in (("upper_998", "99.8% limits", "dot"), ("lower_998", None, "dot"),
                                ("upper_95", "95% limits", "dash"), ("lower_95", None, "dash")):
            fig.add_trace(go.Scatter(x=limits["base"].to_list(), y=limits[col].to_list(), mode="lines",
                                     name=name or "", showlegend=name is not None, legendgroup=dash,
                                     line={"color": "#555555", "dash": dash, "width": 1.5}, hoverinfo="skip"))
        fig.add_hline(y=funnel["pool_value"], line={"color": "#555555", "width": 1},
                      annotation_text=f"all loaded LAs: {funnel['pool_value']:.0f}%", annotation_position="bottom right")
    others = table.filter(pl.col("Local authority") == ANOTHER_LA)
    mine = table.filter(pl.col("Local authority") != ANOTHER_LA)
    if others.height:
        fig.add_trace(go.Scatter(x=others["Answered (base)"].to_list(), y=others["Value (%)"].to_list(),
                                 mode="markers", name="Other LAs (not named)",
                                 marker={"color": PALETTE[4], "size": 10, "symbol": "circle",
                                         "line": {"color": "#333333", "width": 1}},
                                 hovertemplate=ANOTHER_LA + ": %{y:.0f}% of %{x} answering<extra></extra>"))
    if mine.height:
        fig.add_trace(go.Scatter(x=mine["Answered (base)"].to_list(), y=mine["Value (%)"].to_list(),
                                 mode="markers+text", name=la_name, text=[la_name], textposition="top center",
                                 textfont={"size": 15, "color": "#000000"},
                                 marker={"color": PALETTE[1], "size": 16, "symbol": "diamond",
                                         "line": {"color": "#000000", "width": 1.5}},
                                 hovertemplate=la_name + ": %{y:.0f}% of %{x} answering<extra></extra>"))
    base_layout(fig, height=460)
    fig.update_xaxes(title="Number answering (base)", rangemode="tozero")
    fig.update_yaxes(title=f"% {title[:1].lower() + title[1:]}" if len(title) < 50 else "% of those answering",
                     range=_funnel_range(funnel, table))
    return fig


# -- themes and actions linked to the domain ---------------------------------------------------------

def theme_actions(actions: pl.DataFrame, indicator_ids: list[str]) -> pl.DataFrame:
    """Actions that answer one of these indicators and name a theme too."""
    if actions.height == 0:
        return actions
    return actions.filter(pl.col("indicator_id").is_in(indicator_ids) & pl.col("theme").is_not_null())


def linked_themes(linked: pl.DataFrame, counts: pl.DataFrame, titles: dict[str, str]) -> pl.DataFrame:
    """Themes named by actions that answer this domain's indicators (see theme_actions), with how
    many records of each theme the LA holds. `counts` is the gated whole-group count per theme
    (dashboard.engine.themes.theme_counts): a hidden count stays 'c'."""
    cols = {"Theme": pl.String, "Linked to": pl.String, "Records of this theme": pl.String}
    if linked.height == 0:
        return pl.DataFrame(schema=cols)
    shown = {}
    for r in counts.filter(pl.col("theme") != "").iter_rows(named=True) if counts.height else []:
        shown[r["theme"].strip().lower()] = f"{r['records']:,}" if r["status"] == OK else r["status"]
    out = []
    for theme, ids in (linked.with_columns(pl.col("theme").str.strip_chars())
                       .group_by("theme", maintain_order=True).agg(pl.col("indicator_id").unique(maintain_order=True))
                       .iter_rows()):
        out.append({"Theme": theme, "Linked to": "; ".join(titles.get(i, i) for i in ids),
                    "Records of this theme": shown.get(theme.lower(), "none recorded")})
    return pl.DataFrame(out, schema=cols)


def domain_actions(actions: pl.DataFrame, indicator_ids: list[str], titles: dict[str, str]) -> pl.DataFrame:
    """The "you said, we did" actions that answer this domain's indicators."""
    cols = {"Indicator": pl.String, "We heard": pl.String, "We did": pl.String, "Status": pl.String,
            "Children told on": pl.String}
    if actions.height == 0:
        return pl.DataFrame(schema=cols)
    rows = actions.filter(pl.col("indicator_id").is_in(indicator_ids))
    return pl.DataFrame([{
        "Indicator": titles.get(r["indicator_id"], r["indicator_id"]), "We heard": r["we_heard"],
        "We did": r["we_did"] or "", "Status": r["status"].replace("_", " ") + (f": {r['reason']}" if r["reason"] else ""),
        "Children told on": str(r["told_children_on"]) if r["told_children_on"] else "not yet",
    } for r in rows.iter_rows(named=True)], schema=cols)
