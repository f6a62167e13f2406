"""The report's charts, drawn with matplotlib (no browser needed): SVG for the HTML, PNG for the PDF.

Only gated figures reach here (dashboard.report.content). A hidden figure is drawn as a gap with
"c" beside it, never as a point. Colours are Okabe-Ito (as dashboard.ui.charts) and every series
also has its own marker shape or dash, so colour is never the only cue.
"""
from __future__ import annotations

import io
import math
import re
import textwrap
import threading

import matplotlib
from matplotlib.figure import Figure as MplFigure
from matplotlib.lines import Line2D

from dashboard.report.content import DfeMeasure, DomainSection, Figure, STATUS_WORDS, Action

# Okabe-Ito colours with at least 3:1 contrast on white (WCAG 1.4.11 for graphics).
BLUE, VERMILLION, GREEN, PURPLE, BLACK = "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000"
GREY = "#505050"
WHO_STYLE = {  # who -> (colour, marker)
    "children in care": (BLUE, "o"),
    "care leavers": (VERMILLION, "s"),
}
OTHER_STYLE = (GREEN, "D")
RECORDS = "records (reviews, voice checks, feedback forms)"
WIDTH_IN = 7.1          # fits A4 portrait's text width at full size
PNG_DPI = 200
RC = {"font.family": "DejaVu Sans", "font.size": 9, "svg.fonttype": "none", "svg.hashsalt": "voice-dashboard",
      "axes.edgecolor": "#444444", "axes.labelcolor": BLACK, "xtick.color": "#333333", "ytick.color": "#333333",
      "text.color": BLACK}


class Chart:
    """One drawn chart. The SVG (for the HTML) and the PNG (for the PDF) are each written from the
    figure the first time they are asked for: the Panel report page shows neither, and each format
    needs only its own, so a page visit or one download does not pay for both."""

    def __init__(self, fig: MplFigure, key: str, caption: str) -> None:
        w, h = fig.get_size_inches()
        self.key, self.caption = key, caption
        self.width_in, self.height_in = float(w), float(h)
        self._fig = fig
        self._lock = threading.Lock()    # one figure is not safe to save from two threads at once
        self._svg: str | None = None
        self._png: bytes | None = None

    @property
    def svg(self) -> str:
        with self._lock:
            if self._svg is None:
                buf = io.StringIO()
                with matplotlib.rc_context(RC):   # svg.fonttype and svg.hashsalt are read when saving
                    self._fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
                self._svg = _tidy_svg(buf.getvalue())
            return self._svg

    @property
    def png(self) -> bytes:
        with self._lock:
            if self._png is None:
                buf = io.BytesIO()
                with matplotlib.rc_context(RC):
                    self._fig.savefig(buf, format="png", dpi=PNG_DPI, bbox_inches="tight", metadata={"Software": None})
                self._png = buf.getvalue()
            return self._png


def _render(fig: MplFigure, key: str, caption: str) -> Chart:
    return Chart(fig, key, caption)


def _tidy_svg(svg: str) -> str:
    """Inline-ready SVG: no XML prolog or doctype, scalable to the page width."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1', svg, count=1)
    return svg


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _style(f: Figure) -> tuple[str, str]:
    return WHO_STYLE.get(f.who, OTHER_STYLE)


def figures_chart(section: DomainSection, la_name: str, wave: int) -> Chart | None:
    """Each figure of the domain with its 95% interval and what it is compared with."""
    figs = section.figures
    if not figs:
        return None
    with matplotlib.rc_context(RC):
        n = len(figs)
        labels = [_wrap(f.label + (" (low base)" if f.low_base and f.shown else ""), 58) for f in figs]
        lines = max(label.count("\n") + 1 for label in labels)
        row_in = 0.16 + 0.11 * lines
        height = 0.95 + row_in * n
        fig = MplFigure(figsize=(WIDTH_IN, height))
        fig.subplots_adjust(top=1 - 0.1 / height, bottom=0.85 / height)
        ax = fig.add_subplot()
        ys = list(range(n))[::-1]
        for y, f in zip(ys, figs):
            if not f.shown:
                ax.text(1, y, f"{f.status}: hidden to protect privacy" if f.status == "c" else
                        f"{f.status}: no figure", va="center", ha="left", color=GREY, style="italic", fontsize=8)
                continue
            colour, marker = _style(f)
            if f.ci_low is not None:
                ax.plot([f.ci_low, f.ci_high], [y, y], color=colour, linewidth=2, solid_capstyle="butt")
            ax.plot([f.value], [y], marker=marker, markersize=7, color=colour,
                    markerfacecolor="white" if f.low_base else colour, markeredgewidth=1.6, linestyle="none")
            if f.comparator is not None:
                ax.plot([f.comparator], [y], marker="|", markersize=13, markeredgewidth=2.2, color=BLACK,
                        linestyle="none")
        ax.set_yticks(ys, labels, fontsize=8)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xlim(0, 100)
        ax.set_xticks(range(0, 101, 20), [f"{x}%" for x in range(0, 101, 20)])
        ax.grid(axis="x", color="#dddddd", linewidth=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        handles = []
        for who in dict.fromkeys(f.who if f.who in WHO_STYLE else RECORDS for f in figs if f.shown):
            colour, marker = WHO_STYLE.get(who, OTHER_STYLE)
            handles.append(Line2D([], [], color=colour, marker=marker, linewidth=2, label=f"{who}: figure and 95% interval"))
        if any(f.shown and f.comparator is not None for f in figs):
            handles.append(Line2D([], [], color=BLACK, marker="|", markersize=11, markeredgewidth=2, linestyle="none",
                                  label="compared with"))
        if any(f.shown and f.low_base for f in figs):
            handles.append(Line2D([], [], color=GREY, marker="o", markerfacecolor="white", linestyle="none",
                                  label="hollow: low base"))
        if handles:
            ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.35, -0.3 / (height - 0.95)),
                      ncol=min(len(handles), 2), frameon=False, fontsize=8)
        caption = (f"{section.title}: {la_name}'s figures for {wave}, each a point with its 95% interval as a line, "
                   "and a black tick for what it is compared with.")
        return _render(fig, f"figures_{section.id}", caption)


def dfe_chart(section: DomainSection, la_name: str) -> Chart | None:
    """Small multiples: each DfE measure of the domain over the years, the LA against England."""
    measures = [m for m in section.dfe if m.series.height]
    if not measures:
        return None
    with matplotlib.rc_context(RC):
        cols = 2 if len(measures) > 1 else 1
        rows = math.ceil(len(measures) / cols)
        fig = MplFigure(figsize=(WIDTH_IN, 0.5 + 2.35 * rows))
        axes = fig.subplots(rows, cols, squeeze=False)
        years_all = set()
        for i, m in enumerate(measures):
            ax = axes[i // cols][i % cols]
            _dfe_panel(ax, m)
            years_all |= set(m.series["year"].to_list())
        for j in range(len(measures), rows * cols):
            axes[j // cols][j % cols].set_visible(False)
        handles = [Line2D([], [], color=BLUE, marker="o", linewidth=2, label=la_name),
                   Line2D([], [], color=BLACK, marker="s", linestyle="--", linewidth=1.5, label="England"),
                   Line2D([], [], color=VERMILLION, marker="^", linestyle=":", linewidth=1.5,
                          label="statistical neighbours' median")]
        fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=8,
                   bbox_to_anchor=(0.5, -0.01))
        fig.tight_layout(rect=(0, 0.06, 1, 1), h_pad=1.6)
        y0, y1 = min(years_all), max(years_all)
        caption = (f"{section.title}: {la_name}'s DfE measures from {y0} to {y1}, each against England and "
                   "the median of its statistical neighbours, with any year the DfE did not publish marked.")
        return _render(fig, f"dfe_{section.id}", caption)


def _dfe_panel(ax, m: DfeMeasure) -> None:
    s = m.series
    years = s["year"].to_list()
    la = [v if st == "ok" else None for v, st in zip(s["value"].to_list(), s["status"].to_list())]

    def line(values, **kw):
        ax.plot(years, [math.nan if v is None else v for v in values], **kw)

    line(s["england_value"].to_list(), color=BLACK, marker="s", markersize=4, linestyle="--", linewidth=1.3)
    line(s["neighbour_median"].to_list(), color=VERMILLION, marker="^", markersize=4, linestyle=":", linewidth=1.3)
    line(la, color=BLUE, marker="o", markersize=5, linewidth=2)
    for year, v, status in zip(years, la, s["status"].to_list()):
        if v is None:
            ax.annotate(status, (year, 0), xycoords=("data", "axes fraction"), xytext=(0, 4),
                        textcoords="offset points", ha="center", color=GREY, fontsize=8, style="italic")
    unit = {"percent": "%", "rate_per_10000": "per 10,000 children"}.get(m.figure.unit, "")
    ax.set_title(_wrap(m.figure.title, 44), fontsize=8.5, loc="left")
    if unit:
        ax.set_ylabel(unit, fontsize=8)
    ax.set_xticks(years, [str(y) for y in years], fontsize=7.5)
    ax.tick_params(axis="y", labelsize=7.5)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if len(years) == 1:
        ax.set_xlim(years[0] - 1, years[0] + 1)
    # The value axis starts at zero, so a change of a point or two is not drawn as a cliff.
    ax.set_ylim(bottom=0, top=_axis_top(m))


def _axis_top(m: DfeMeasure) -> float:
    """Headroom above the largest value shown (100 at most for a percentage)."""
    s = m.series
    values = [v for c in ("value", "england_value", "neighbour_median") for v in s[c].to_list()
              if v is not None and not math.isnan(v)]
    top = max(values) * 1.12 if values else 1.0
    return min(top, 100.0) if m.figure.unit == "percent" else max(top, 1.0)


def actions_chart(actions: list[Action], la_name: str) -> Chart | None:
    """How many actions are at each status."""
    if not actions:
        return None
    order = list(STATUS_WORDS)
    counts = [sum(1 for a in actions if a.status == s) for s in order]
    with matplotlib.rc_context(RC):
        fig = MplFigure(figsize=(WIDTH_IN, 1.9))
        ax = fig.add_subplot()
        ys = list(range(len(order)))[::-1]
        ax.barh(ys, counts, color=BLUE, height=0.6)
        for y, c in zip(ys, counts):
            ax.text(c, y, f" {c}", va="center", ha="left", fontsize=9)
        ax.set_yticks(ys, [STATUS_WORDS[s] for s in order])
        ax.set_xlim(0, max(counts) * 1.15 + 1)
        ax.set_xlabel("actions")
        ax.grid(axis="x", color="#dddddd", linewidth=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        caption = (f"How many of {la_name}'s {len(actions)} 'you said, we did' actions are planned, in progress, "
                   "done or not possible.")
        return _render(fig, "actions", caption)
