"""How wide a table needs to be to show every column whole, estimated from what is in it.

A wide table scrolls sideways inside its frame where the page is narrower than it (the page itself
never does); a line above it says so (dashboard.ui.charts.scroll_hint) exactly where the main column
is narrower than the width worked out here. The width is measured, not guessed: each column's text
(its name and its values) is measured in the font Streamlit draws it in, Source Sans, read from the
font file Streamlit ships, at the size it uses (14 pixels), and the column is sized the way the
browser sizes it:

- a grid (st.dataframe, drawn by Glide Data Grid) sizes each column to its name and to the values of
  its first rows (the first ten, or the first nine and the last), ignoring a value at least twice as
  wide as the average of those, plus 8 pixels of padding each side, between 50 and 500 pixels; a
  column given a width ("small", "medium", "large" or pixels) is that wide;
- a static table (dashboard.ui.html_table, drawn as st.table draws one) wraps each value and each column
  name at its spaces (up to 25rem wide), so its narrowest is the widest word of each column, plus the
  cells' padding.
"""
from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Any, Mapping

import polars as pl

FONT_PX = 14                      # Streamlit's fontSizes.sm, used by both kinds of table
GRID_PADDING = 8                  # Glide's cellHorizontalPadding (spacing.sm), each side
GRID_MIN, GRID_MAX_AUTO = 50, 500  # Glide's minColumnWidth and maxColumnAutoWidth in Streamlit
GRID_SAMPLED = 10                 # rows Glide measures a column on
GRID_BORDER = 2                   # the grid's frame, one pixel each side
NAMED_WIDTHS = {"small": 75, "medium": 200, "large": 400}   # st.column_config widths
TABLE_CELL_MAX = 25 * 16          # Streamlit's tableColumnMaxWidth (25rem): a value wraps inside it
# Padding before a static table's cells, by border (st.table's `border`, which html_table draws): (column name, value) in the
# first column, then in the others: spacing.sm (8) before a name, spacing.xs (6) before a value,
# spacing.lg (16) before every column but the first where only horizontal lines or none are drawn.
# After each cell spacing.xs (6), and with every line drawn a line of 1 pixel after each column but
# the last and around the whole table.
TABLE_BEFORE = {True: ((8, 6), (8, 6)), "horizontal": ((8, 6), (16, 16)), False: ((0, 0), (16, 16))}
TABLE_AFTER = 6
TABLE_LINE = {True: 1, "horizontal": 0, False: 0}


@functools.lru_cache(maxsize=2)
def _font(weight: int):
    """Streamlit's own Source Sans (a variable font) at `weight`, or None where it cannot be read."""
    import streamlit
    from PIL import ImageFont

    media = Path(streamlit.__file__).parent / "static" / "static" / "media"
    found = sorted(media.glob("SourceSansVF-Upright*.woff2"))
    if not found:
        return None
    font = ImageFont.truetype(str(found[0]), FONT_PX)
    try:
        font.set_variation_by_axes([weight])
    except (OSError, AttributeError):   # FreeType without variable fonts: the default instance
        pass
    return font


# Kept per text: a page measures the same names and labels on every visit (about 0.1 s of FreeType
# calls on the Overview), and a width never changes.
@functools.lru_cache(maxsize=65536)
def text_px(text: str, bold: bool = False) -> float:
    """The width of `text` in pixels, on one line, in Streamlit's body font at 14 pixels."""
    font = _font(600 if bold else 400)
    if font is None:                    # no font file: Source Sans averages about 0.5 em a character
        return len(text) * FONT_PX * 0.5
    return float(font.getlength(text))


def shown(value: Any) -> str:
    """A value as a table shows it: nothing for a missing one, a float without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _sampled(column: pl.Series) -> list[str]:
    if column.len() <= GRID_SAMPLED:
        return [shown(v) for v in column.to_list()]
    return [shown(v) for v in [*column.head(GRID_SAMPLED - 1).to_list(), column[-1]]]


def grid_column_px(name: str, column: pl.Series, width: Any = None) -> int:
    """The width Glide gives a grid column: `width` when set, otherwise its name and first values'."""
    if isinstance(width, int):
        return width
    if width in NAMED_WIDTHS:
        return NAMED_WIDTHS[width]
    cells = [text_px(v) + 2 * GRID_PADDING for v in _sampled(column)]
    if len(cells) > 5:                  # Glide ignores a value at least twice the average width
        mean = sum(cells) / len(cells)
        cells = [c for c in cells if c < 2 * mean]
    widest = max([*cells, text_px(name) + 2 * GRID_PADDING])
    return max(GRID_MIN, min(GRID_MAX_AUTO, math.ceil(widest)))


def _configured_width(config: Mapping[str, Any] | None, name: str) -> Any:
    spec = (config or {}).get(name)       # st.column_config.*Column(...) is a dict
    return spec.get("width") if isinstance(spec, Mapping) else None


def grid_px(frame: pl.DataFrame, column_config: Mapping[str, Any] | None = None,
            column_order: list[str] | None = None) -> int:
    """The width a grid (st.dataframe) needs to show every column whole."""
    names = column_order or frame.columns
    return GRID_BORDER + sum(grid_column_px(n, frame.get_column(n), _configured_width(column_config, n)) for n in names)


def _longest_word_px(text: str) -> float:
    words = text.split()
    return max((min(text_px(w), TABLE_CELL_MAX) for w in words), default=0.0)


def table_px(frame: pl.DataFrame, border: bool | str = True) -> int:
    """The narrowest a static table (html_table, drawn with `border`) can be: the widest word of each
    column's name and values, plus the cells' padding and lines."""
    line = TABLE_LINE[border]
    total = 2.0 * line
    for i, name in enumerate(frame.columns):
        name_before, value_before = TABLE_BEFORE[border][0 if i == 0 else 1]
        values = {shown(v) for v in frame.get_column(name).to_list()}
        last = i == len(frame.columns) - 1
        total += (max(_longest_word_px(name) + name_before, *(_longest_word_px(v) + value_before for v in values))
                  + (0 if last and border is False else TABLE_AFTER) + (0 if last else line))
    return math.ceil(total)


GRID_LINE_PX = 20                 # a line of 14-pixel text in a grid's cell
GRID_ROW_PX = 35                  # a grid's row of one line (2.1875rem)
GRID_WRAPS_OVER = 64              # a grid wraps a cell's text only in rows taller than 4rem


def wrapped_rows_px(column: pl.Series, column_px: int) -> int:
    """The height of a grid's rows that shows every value of `column`, wrapped at its spaces in a
    column `column_px` wide: one line's row where every value fits on one line, otherwise a row
    tall enough to wrap (over 4rem) with the lines of the longest value."""
    room = column_px - 2 * GRID_PADDING
    lines = 1
    for value in column.to_list():
        words, line, count = shown(value).split(), 0.0, 1
        for word in words:
            w = text_px(word)
            if line and line + text_px(" ") + w > room:
                count, line = count + 1, w
            else:
                line += (text_px(" ") if line else 0) + w
        lines = max(lines, count)
    if lines == 1:
        return GRID_ROW_PX
    return max(GRID_WRAPS_OVER + 1, lines * GRID_LINE_PX + 2 * 3 + 4)
