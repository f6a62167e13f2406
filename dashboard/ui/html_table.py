"""A static table as plain HTML, drawn the way st.table draws one (same font, padding, lines and
wrapping), without its cost: st.table renders every cell through Streamlit's markdown renderer, which
on the national database was most of the browser's work on the DfE metrics page (measured in headless
Chromium, a page with a 59-row, 8-column table: st.table 0.20 to 0.26 s more than the page without it, this
table no measurable difference). Cells are text, escaped, never markdown: a value with `*` or `_` in
it is shown as it is.

The padding is dashboard.ui.widths' (TABLE_BEFORE, TABLE_AFTER, TABLE_LINE), so the width that module
works out for a table is the width this table needs."""
from __future__ import annotations

import html

import polars as pl

from dashboard.ui import widths

LINE = "#e8e5e2"                  # st.table's lines (Streamlit's borderColorLight in the light theme)
HEAD = "rgba(11, 12, 12, 0.7)"    # column names at 70% of the theme's text colour (#0b0c0c), 7.5:1 on white
BORDERS = {True: "all", "horizontal": "horizontal", False: "none"}


def _style() -> str:
    (name_first, value_first), (name_other, value_other) = widths.TABLE_BEFORE[True]
    _, (h_name, h_value) = widths.TABLE_BEFORE["horizontal"]
    (n_name_first, n_value_first), (n_name, n_value) = widths.TABLE_BEFORE[False]
    after = widths.TABLE_AFTER
    return f"""<style>
.vd-table {{ max-width: 100%; overflow-x: auto; font-size: {widths.FONT_PX}px; line-height: 1.5; }}
.vd-table table {{ border-collapse: separate; border-spacing: 0; min-width: 100%; margin: 0; font-size: inherit;
  color: inherit; }}
.vd-table th, .vd-table td {{ vertical-align: middle; text-align: left; padding: 4px {after}px;
  border: 0; border-bottom: 1px solid {LINE}; font-weight: 400; background: transparent; }}
.vd-table th {{ color: {HEAD}; padding-left: {name_other}px; }}
.vd-table td {{ padding-left: {value_other}px; }}
.vd-table th:first-child {{ padding-left: {name_first}px; }}
.vd-table td:first-child {{ padding-left: {value_first}px; }}
.vd-table td.vd-num {{ text-align: right; }}
.vd-table tbody tr:last-child td {{ border-bottom: 0; }}
.vd-table .vd-cell {{ max-width: {widths.TABLE_CELL_MAX}px; }}
.vd-table-all {{ border: {widths.TABLE_LINE[True]}px solid {LINE}; border-radius: 8px; }}
.vd-table-all th:not(:last-child), .vd-table-all td:not(:last-child) {{ border-right: 1px solid {LINE}; }}
.vd-table-horizontal th:not(:first-child) {{ padding-left: {h_name}px; }}
.vd-table-horizontal td:not(:first-child) {{ padding-left: {h_value}px; }}
.vd-table-none th, .vd-table-none td {{ border-bottom: 0; }}
.vd-table-none th:not(:first-child) {{ padding-left: {n_name}px; }}
.vd-table-none td:not(:first-child) {{ padding-left: {n_value}px; }}
.vd-table-none th:first-child {{ padding-left: {n_name_first}px; }}
.vd-table-none td:first-child {{ padding-left: {n_value_first}px; }}
.vd-table-none th:last-child, .vd-table-none td:last-child {{ padding-right: 0; }}
</style>"""


STYLE = _style()


def _escaped(expr: pl.Expr) -> pl.Expr:
    return (expr.str.replace_all("&", "&amp;", literal=True).str.replace_all("<", "&lt;", literal=True)
            .str.replace_all(">", "&gt;", literal=True).str.replace_all('"', "&quot;", literal=True))


def _text(name: str, dtype: pl.DataType) -> pl.Expr:
    """A column's values as dashboard.ui.widths.shown writes them (the width was worked out from
    those): nothing for a missing value, floats to 4 places without trailing zeros."""
    col = pl.col(name)
    if dtype.is_float():
        col = pl.when(col.is_nan()).then(None).otherwise(col.round(4))
        text = col.cast(pl.String).str.replace(r"\.0$", "")
    else:
        text = col.cast(pl.String)
    return text.fill_null("")


def _cell(tag: str, text: pl.Expr, attributes: str = "") -> pl.Expr:
    # The inner box caps a long value's width, so it wraps at its spaces as st.table's cells do.
    return pl.concat_str([pl.lit(f'<{tag}{attributes}><div class="vd-cell">'), _escaped(text), pl.lit(f"</div></{tag}>")])


def table_html(frame: pl.DataFrame, border: bool | str = True, label: str | None = None) -> str:
    """The frame as an HTML table: column names as column headers, every value as
    dashboard.ui.widths.shown writes it, numbers to the right. Built column by column in polars (no
    Python per row). The scrolling box is a labelled region a keyboard can reach, as it may scroll
    sideways."""
    mode = BORDERS[border]
    names = pl.DataFrame({"name": frame.columns})
    head = names.select(_cell("th", pl.col("name"), ' scope="col"'))
    rows = frame.select(pl.concat_str([pl.lit("<tr>"),
                                       *(_cell("td", _text(c, t), ' class="vd-num"' if t.is_numeric() else "")
                                         for c, t in frame.schema.items()),
                                       pl.lit("</tr>")])).to_series().to_list() if frame.width else []
    name = html.escape(label or ", ".join(frame.columns[:3]) + ("…" if frame.width > 3 else ""), quote=True)
    return (f'{STYLE}<div class="vd-table vd-table-{mode}" data-testid="vd-table" role="region" tabindex="0" '
            f'aria-label="Table: {name}"><table><thead><tr>{"".join(head.to_series().to_list())}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')
