"""Accessible charts: every chart has a one-sentence caption, a "view as table" alternative and a
CSV download of exactly what it shows, in a colour-blind-safe palette, with hidden figures marked
as gaps that say why. Only gated tables (from dashboard.engine) are ever passed in."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard.disclosure import STATUS_LEGEND
from dashboard.exports import to_csv_bytes
from dashboard.signin import audited_download
from dashboard.ui import html_table, widths

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# Shapes as well as colours, so colour is never the only cue.
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross", "triangle-down"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
HIDDEN_TEXT = "hidden (c) to protect privacy"


def base_layout(fig: go.Figure, title: str | None = None, y_title: str | None = None, height: int = 380) -> go.Figure:
    fig.update_layout(
        title=title, height=height, margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 10},
        font={"size": 15}, legend={"orientation": "h", "y": -0.2}, plot_bgcolor="white",
        colorway=PALETTE, hoverlabel={"font_size": 14},
    )
    fig.update_yaxes(title=y_title, gridcolor="#dddddd", zeroline=False)
    fig.update_xaxes(gridcolor="#eeeeee")
    return fig


def show(fig: go.Figure, table: pl.DataFrame, caption: str, key: str, filename: str,
         csv: pl.DataFrame | None = None) -> None:
    """The chart, its caption, its table and its download, always together. `csv` is the numeric
    form of the same figures (dashboard.ui.downloads.numeric) when the table shows text."""
    st.plotly_chart(fig, key=f"chart_{key}", config={"displaylogo": False}, alt=caption)
    st.caption(caption)
    # The grid is drawn only while its expander is open: folded away, it still cost the browser about
    # 0.1 s a page to draw (Domains, national data), for a table most readers never open.
    tables = st.expander("View as table", key=f"table_{key}", on_change="rerun")
    with tables:
        if tables.open:
            grid(table, hide_index=True)
    st.download_button("Download CSV of this chart", to_csv_bytes(table if csv is None else csv),
                       file_name=f"{filename}.csv", mime="text/csv", key=f"download_{key}",
                       **audited_download(f"{filename}.csv"))


def legend(statuses: set[str] | None = None) -> None:
    """What the status codes mean, wherever figures appear."""
    codes = [c for c in ("c", "low", "z", "x", "u", "k") if statuses is None or c in statuses]
    if codes:
        st.caption("Status codes: " + "; ".join(f"**{c}** {STATUS_LEGEND[c]}" for c in codes) + ".")


# A wide table scrolls sideways inside its frame on a narrow screen (the page itself never does).
# Nothing on screen said so, so a reader on a phone missed the last columns: this line says it
# wherever the page's main column is narrower than the table needs. How wide it needs to be is worked
# out from the table's own columns (dashboard.ui.widths: each column's name and values measured in
# Streamlit's font); a CSS container query on the main column's width (or the expander's it is in)
# decides, since the server cannot know the screen's width, so the line is hidden where the table fits.
SCROLL_HINT = "Scroll the table sideways to see every column."
# Each width has its own class: the style rules of every line on a page apply to the whole page.
_SCROLL_HINT_HTML = """<style>
.vd-scroll-hint-box {{ container-type: inline-size; }}
.vd-scroll-hint {{ margin: 0; font-size: 0.875rem; color: #505a5f; }}
@container (min-width: {min_px}px) {{ .vd-scroll-hint-{min_px} {{ display: none; }} }}
</style><div class="vd-scroll-hint-box"><p class="vd-scroll-hint vd-scroll-hint-{min_px}" data-testid="vd-scroll-hint"
data-min-px="{min_px}"><span aria-hidden="true">&#8596;</span> {hint}</p></div>"""


def scroll_hint(min_px: int) -> None:
    """The line saying a table scrolls sideways, shown where the main column is under `min_px` pixels
    (the width the table below it needs)."""
    st.html(_SCROLL_HINT_HTML.format(min_px=int(min_px), hint=SCROLL_HINT))


def grid(frame: pl.DataFrame, **kw) -> None:
    """A grid (st.dataframe, same arguments) with the line above it saying to scroll it sideways
    wherever the page is narrower than its columns need."""
    scroll_hint(widths.grid_px(frame, kw.get("column_config"), kw.get("column_order")))
    st.dataframe(frame, **kw)


def wide_table(frame: pl.DataFrame, border: bool | str = True, label: str | None = None) -> None:
    """A static table (dashboard.ui.html_table: st.table's look without its per-cell markdown) with the
    line above it saying to scroll it sideways wherever the page is narrower than its columns' names
    and longest words need. `border` as st.table's: True, "horizontal" or False; `label` names the
    table for a screen reader (by default its first column names)."""
    scroll_hint(widths.table_px(frame, border))
    st.html(html_table.table_html(frame, border, label))
