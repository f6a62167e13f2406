"""Chart builders shared by the measure pages (DfE metrics, participation, feedback).

Each builder takes figures that have already passed the disclosure gate and draws them so that a
hidden or unpublished figure is a gap that carries its status code ("c", or the DfE's own x, z,
low, k), never a zero. Lines differ by dash and marker as well as colour; bars flagged "low base"
carry a hatch pattern as well as words.
"""
from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl

from dashboard.disclosure import OK, STATUS_LEGEND
from dashboard.ui.charts import DASHES, PALETTE, SYMBOLS, base_layout
from dashboard.ui import widths

UNIT_SUFFIX = {"percent": "%", "rate_per_10000": " per 10,000", "number": "", "months": " months", "score": "",
               "currency": ""}
UNIT_AXIS = {"percent": "Per cent", "rate_per_10000": "Per 10,000 children", "number": "Number", "months": "Months",
             "score": "Score", "currency": "£"}
GOOD_DIRECTION = {"higher_is_better": "Higher is better", "lower_is_better": "Lower is better",
                  "no_polarity": "Neither higher nor lower is better in itself"}
HIDDEN_BAR_TEXT = "c (hidden)"
# Lines leave out the palette's yellow, too pale to see as a thin line on white; a line that
# shares a colour with another still has its own dash and marker.
LINE_COLOURS = [c for c in PALETTE if c.upper() != "#F0E442"]


def fmt(value: float | None, unit: str = "percent", decimals: int = 0) -> str:
    """A published number as words show it: 12%, 34.5 per 10,000."""
    if value is None:
        return ""
    return f"{value:,.{decimals}f}{UNIT_SUFFIX.get(unit, '')}"


def status_words(status: str | None, reason: str | None = None) -> str:
    """What a status code means, with the gate's own reason when it gives one."""
    if status in (None, OK):
        return ""
    meaning = STATUS_LEGEND.get(status, "not published")
    return f"{status}: {reason}" if reason else f"{status}: {meaning}"


def published(status: str | None) -> bool:
    return status == OK


@dataclass
class Line:
    """One line of a trend chart: x (years), y (None where not published), and each point's status."""

    name: str
    x: list[int]
    y: list[float | None]
    status: list[str | None] = field(default_factory=list)
    reason: list[str | None] = field(default_factory=list)
    ci_low: list[float | None] | None = None
    ci_high: list[float | None] | None = None
    mark_gaps: bool = False     # label each unpublished point with its status code above the plot
    short: str | None = None    # the name used in those labels when several lines have gaps in one year


def trend_figure(lines: list[Line], y_title: str, x_title: str = "Year", unit: str = "percent", decimals: int = 0,
                 height: int = 340, y_range: tuple[float, float] | None = None) -> go.Figure:
    """A line per series, each with its own colour, dash and marker; unpublished points are gaps,
    and for series marked so, each gap is labelled with its status code above the plot."""
    fig = go.Figure()
    suffix = UNIT_SUFFIX.get(unit, "")
    years: set[int] = set()
    gaps: dict[int, list[tuple[str, str, str]]] = {}
    for i, line in enumerate(lines):
        colour, dash, symbol = LINE_COLOURS[i % len(LINE_COLOURS)], DASHES[i % len(DASHES)], SYMBOLS[i % len(SYMBOLS)]
        years.update(line.x)
        if line.ci_low is not None and line.ci_high is not None and any(v is not None for v in line.ci_low):
            fig.add_trace(go.Scatter(
                x=line.x + line.x[::-1], y=list(line.ci_high) + list(line.ci_low)[::-1], fill="toself", mode="lines",
                fillcolor=_rgba(colour, 0.15), line={"width": 0}, hoverinfo="skip", showlegend=False,
                name=f"{line.name}: 95% interval"))
        status = line.status or [OK] * len(line.x)
        reason = line.reason or [None] * len(line.x)
        hover = [f"{line.name}, {x}: " + (fmt(y, unit, decimals) if y is not None else status_words(s, r) or "no figure")
                 for x, y, s, r in zip(line.x, line.y, status, reason)]
        fig.add_trace(go.Scatter(
            x=line.x, y=line.y, name=line.name, mode="lines+markers", connectgaps=False,
            line={"color": colour, "dash": dash, "width": 3 if i == 0 else 2},
            marker={"symbol": symbol, "size": 10 if i == 0 else 8, "color": colour},
            hovertext=hover, hoverinfo="text"))
        if line.mark_gaps:
            for x, y, s, r in zip(line.x, line.y, status, reason):
                if y is None:
                    gaps.setdefault(x, []).append((s or "?", line.short or line.name, f"{line.name}: {status_words(s, r)}"))
    label_lines = 0
    for x, found in sorted(gaps.items()):
        # Only the status code(s) above the year: a list of series names there ("c: PN2, PN3, ...")
        # overlaps the next year's at any width. Which series are hidden is in the hover and the table.
        text = "<b>" + ", ".join(sorted({s for s, _, _ in found})) + "</b>"
        label_lines = max(label_lines, text.count("<br>") + 1)
        # Above the plot, so a label never covers a line.
        fig.add_annotation(x=x, y=1.0, xref="x", yref="paper", yanchor="bottom", yshift=4, showarrow=False, text=text,
                           hovertext=f"{x}<br>" + "<br>".join(h for _, _, h in found), align="left",
                           font={"color": "#000000", "size": 13}, bgcolor="#f2f2f2", bordercolor="#777777", borderpad=3)
    base_layout(fig, y_title=y_title, height=height)
    if label_lines:
        fig.update_layout(margin={"t": 20 + 24 * label_lines})
    fig.update_xaxes(title=x_title, tickmode="array", tickvals=sorted(years), tickformat="d")
    fig.update_yaxes(ticksuffix=suffix if unit == "percent" else "", rangemode="tozero")
    if y_range:
        fig.update_yaxes(range=list(y_range))
    fig.update_layout(hovermode="closest", legend={"orientation": "h", "y": -0.25})
    return fig


def bar_figure(labels: list[str], values: list[float | None], statuses: list[str], reasons: list[str | None],
               ci_low: list[float | None] | None = None, ci_high: list[float | None] | None = None,
               low_base: list[bool] | None = None, x_title: str = "Per cent", comparator: tuple[str, float] | None = None,
               unit: str = "percent", decimals: int = 0) -> go.Figure:
    """Horizontal bars, one per group, with 95% intervals; a hidden group keeps its row and says c."""
    n = len(labels)
    low_base = low_base or [False] * n
    shown = [v if v is not None and published(s) else None for v, s in zip(values, statuses)]
    text, hover = [], []
    for label, v, s, r, lb in zip(labels, shown, statuses, reasons, low_base):
        if v is None:
            text.append(HIDDEN_BAR_TEXT if s == "c" else f"{s} (not published)")
            hover.append(f"{label}: {status_words(s, r)}")
        else:
            text.append(fmt(v, unit, decimals) + (" (low base)" if lb else ""))
            hover.append(f"{label}: {fmt(v, unit, decimals)}" + (" - low base: read with care" if lb else ""))
    error = None
    if ci_low is not None and ci_high is not None:
        error = {"type": "data", "symmetric": False, "color": "#444444", "thickness": 1.5,
                 "array": [(h - v) if v is not None and h is not None else None for v, h in zip(shown, ci_high)],
                 "arrayminus": [(v - lo) if v is not None and lo is not None else None for v, lo in zip(shown, ci_low)]}
    # Inside the bar when it fits; otherwise just right of the bar's interval, so the words never sit
    # on the interval line. A hidden group's words start at zero.
    # Never on a hatched (low base) bar: white words on white hatching cannot be read.
    inside = ([v is not None and v >= 25 and not lb for v, lb in zip(shown, low_base)] if unit == "percent"
              else [False] * n)
    fig = go.Figure(go.Bar(
        y=labels, x=[v if v is not None else 0 for v in shown], orientation="h",
        text=[t if i else "" for t, i in zip(text, inside)], textposition="inside", insidetextanchor="start",
        insidetextfont={"color": "#ffffff"}, cliponaxis=False, error_x=error, hovertext=hover, hoverinfo="text",
        name="",
        marker={"color": [PALETTE[0] if v is not None else "#ffffff" for v in shown],
                "line": {"color": PALETTE[0], "width": 1},
                "pattern": {"shape": ["/" if lb else "" for lb in low_base], "fgcolor": "#ffffff"}},
        showlegend=False))
    beside = [i for i in range(n) if not inside[i]]
    if beside:
        ends = []
        for i in beside:
            top = shown[i] if shown[i] is not None else 0
            if shown[i] is not None and ci_high is not None and ci_high[i] is not None:
                top = max(top, ci_high[i])
            ends.append(top)
        fig.add_trace(go.Scatter(
            x=ends, y=[labels[i] for i in beside], mode="text", text=["\u2002" + text[i] for i in beside],
            textposition="middle right", textfont={"color": "#333333"}, hoverinfo="skip", showlegend=False,
            cliponaxis=False))
    if comparator is not None:
        name, value = comparator
        fig.add_vline(x=value, line={"color": PALETTE[5], "dash": "dash", "width": 2})
        fig.add_trace(go.Scatter(x=[value] * n, y=labels, mode="markers", name=name, hoverinfo="text",
                                 hovertext=[f"{name}: {fmt(value, unit, decimals)}"] * n,
                                 marker={"symbol": "line-ns-open", "size": 16, "color": PALETTE[5], "line": {"width": 2}}))
    base_layout(fig, height=max(220, 70 + 48 * n))
    # Words written right of a long bar run past the axis: the right margin keeps room for the
    # longest of them (on a phone "71% (low base)" after a 71% bar was cut off at the edge).
    far = [text[i] for i, top in zip(beside, ends) if top > 50] if beside and unit == "percent" else []
    if far:
        fig.update_layout(margin_r=int(max(widths.text_px("\u2002" + t) for t in far) * 15 / 14) + 12)
    fig.update_xaxes(title=x_title, range=[0, 105] if unit == "percent" else None,
                     ticksuffix="%" if unit == "percent" else "")
    fig.update_yaxes(autorange="reversed", gridcolor="#ffffff")
    return fig


def heatmap_figure(rows: list[str], columns: list[str], cells: dict[tuple[str, str], dict], x_title: str,
                   y_title: str = "", decimals: int = 0, turned: bool = False) -> go.Figure:
    """A grid of percentages: every square says its figure in words, a hidden one says c; a square
    with nothing in it (no records) is blank. `turned` writes the column names upright (long names
    over narrow columns). No colour scale beside it: every square says its figure, and the scale took
    a sixth of a phone's width from the squares."""
    z, text, hover = [], [], []
    for r in rows:
        zr, tr, hr = [], [], []
        for c in columns:
            cell = cells.get((r, c))
            if cell is None:
                zr.append(None), tr.append(""), hr.append(f"{r}, {c}: none")
            elif published(cell["status"]) and cell["value"] is not None:
                zr.append(cell["value"])
                tr.append(fmt(cell["value"], "percent", decimals) + ("*" if cell.get("low_base") else ""))
                hr.append(f"{r}, {c}: {fmt(cell['value'], 'percent', decimals)}"
                          + (" - low base: read with care" if cell.get("low_base") else ""))
            else:
                zr.append(None), tr.append(cell["status"] or "c"), hr.append(f"{r}, {c}: {status_words(cell['status'], cell.get('reason'))}")
        z.append(zr), text.append(tr), hover.append(hr)
    fig = go.Figure(go.Heatmap(
        z=z, x=columns, y=rows, text=text, texttemplate="%{text}", textfont={"size": 15}, hovertext=hover,
        hoverinfo="text", colorscale="Blues", zmin=0, zmax=100, xgap=3, ygap=3, showscale=False))
    names = math.ceil(max((widths.text_px(c) for c in columns), default=0)) if turned else 0
    # Each row is tall enough for its name on short lines (a merged group's name takes four).
    lines = max((_lines(r, 16).count("<br>") + 1 for r in rows), default=1)
    base_layout(fig, height=max(220, 90 + max(44, 16 * lines + 12) * len(rows)) + names)
    fig.update_layout(plot_bgcolor="#f2f2f2")
    # Long row names and titles are written on several short lines: on one line "Independent reviewing
    # officers" took a third of a phone's width, and five columns of figures ran into one another.
    fig.update_xaxes(title=_lines(x_title, 32), side="top", type="category", gridcolor="#f2f2f2",
                     tickangle=-90 if turned else 0, automargin=True)
    fig.update_yaxes(title=_lines(y_title, 32), autorange="reversed", type="category", gridcolor="#f2f2f2",
                     tickvals=rows, ticktext=[_lines(r, 16) for r in rows], automargin=True)
    return fig


def _lines(text: str, width: int) -> str:
    """`text` on lines of at most about `width` characters (Plotly's <br>), broken at spaces."""
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False)) if text else text


def figure_table(frame: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    """The table behind a chart: the named columns renamed for people, values only where published."""
    if "value" in frame.columns and "status" in frame.columns:
        frame = frame.with_columns(pl.when(pl.col("status") == OK).then(pl.col("value")).otherwise(None).alias("value"))
    return frame.select([pl.col(k).alias(v) for k, v in columns.items() if k in frame.columns])


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"
