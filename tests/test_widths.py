"""The width a table needs is worked out from its own columns (dashboard.ui.widths), the way the browser
sizes them; tests/browser/test_reader_view.py checks in Chromium that the line saying a table scrolls
sideways shows exactly where it does."""
from __future__ import annotations

import polars as pl
import pytest

from dashboard.ui import widths


def test_text_is_measured_in_streamlits_own_font():
    assert widths._font(400) is not None, "Streamlit's Source Sans font file was not found"
    narrow, wide = widths.text_px("iiiiiiiiii"), widths.text_px("WWWWWWWWWW")
    assert 0 < narrow < wide / 2       # a proportional font, not a count of characters
    assert widths.text_px("Local authority", bold=True) > widths.text_px("Local authority")


def test_a_grid_column_is_as_wide_as_its_name_or_its_values_between_50_and_500_pixels():
    short = pl.DataFrame({"a": ["x"]})
    assert widths.grid_px(short) == widths.GRID_BORDER + widths.GRID_MIN
    long_name = pl.DataFrame({"Local authority with voice data": ["x"]})
    assert widths.grid_px(long_name) > widths.grid_px(pl.DataFrame({"LA": ["x"]}))
    values = pl.DataFrame({"LA": ["Barking and Dagenham"]})
    assert widths.grid_px(values) == widths.GRID_BORDER + round(widths.text_px("Barking and Dagenham") + 16 + 0.4999)
    essay = pl.DataFrame({"said": ["word " * 200]})
    assert widths.grid_px(essay) == widths.GRID_BORDER + widths.GRID_MAX_AUTO


def test_a_grid_sizes_a_column_on_its_first_rows_and_ignores_one_twice_as_wide_as_the_rest():
    rows = ["Kent"] * 20
    hidden = pl.DataFrame({"LA": [*rows[:12], "Barking and Dagenham, a long name", *rows[13:]]})
    assert widths.grid_px(hidden) == widths.grid_px(pl.DataFrame({"LA": rows})), "row 13 is not measured"
    last = pl.DataFrame({"LA": [*rows[:-1], "Kent County"]})      # under twice the others' average
    assert widths.grid_px(last) > widths.grid_px(pl.DataFrame({"LA": rows})), "the last row is measured"
    outlier = pl.DataFrame({"LA": ["Kent"] * 7 + ["Barking and Dagenham and more words"]})
    assert widths.grid_px(outlier) == widths.grid_px(pl.DataFrame({"LA": ["Kent"] * 8}))


@pytest.mark.parametrize("width,px", [("small", 75), ("medium", 200), ("large", 400), (123, 123)])
def test_a_grid_column_given_a_width_is_that_wide(width, px):
    import streamlit as st

    frame = pl.DataFrame({"a": ["x" * 300], "b": ["y"]})
    config = {"a": st.column_config.TextColumn(width=width)}
    assert widths.grid_px(frame, config) == widths.GRID_BORDER + px + widths.grid_px(frame.select("b")) - widths.GRID_BORDER
    assert widths.grid_px(frame, config, column_order=["a"]) == widths.GRID_BORDER + px


def test_a_static_table_wraps_its_values_and_column_names_at_spaces():
    sentence = pl.DataFrame({"Said": ["we want to see our brothers and sisters more often"]})
    word = pl.DataFrame({"Said": ["brothers"]})
    assert widths.table_px(sentence) == widths.table_px(word)   # "brothers" is its widest word
    header = pl.DataFrame({"Compared with all local authorities": ["yes"]})
    assert widths.table_px(header) == widths.table_px(pl.DataFrame({"authorities": ["yes"]}))
    assert widths.table_px(header) < widths.text_px("Compared with all local authorities")
    two = pl.DataFrame({"a": ["brothers"], "b": ["brothers"]})
    assert widths.table_px(two) > 2 * widths.text_px("brothers")


def test_a_static_table_with_every_line_drawn_is_narrower_than_one_with_only_horizontal_lines():
    # more padding before each column but the first where only horizontal lines are drawn (16 against 8)
    three = pl.DataFrame({"a": ["x"], "b": ["y"], "c": ["z"]})
    assert widths.table_px(three, "horizontal") > widths.table_px(three, True) > widths.table_px(three, False)


def test_rows_are_tall_enough_to_wrap_the_longest_value_in_its_column():
    short = pl.Series(["Kent", "Hackney"])
    assert widths.wrapped_rows_px(short, 400) == widths.GRID_ROW_PX          # one line: an ordinary row
    title = "Persistent absentees (overall absence 10% or more) for children looked after 12 months at 31 March"
    assert widths.text_px(title) > 400 - 16                                   # too long for one line of 400 pixels
    tall = widths.wrapped_rows_px(pl.Series(["Kent", title]), 400)
    assert tall > widths.GRID_WRAPS_OVER                                      # the grid wraps text in such rows
    assert tall >= 2 * widths.GRID_LINE_PX
    assert widths.wrapped_rows_px(pl.Series([title * 3]), 400) > tall        # more lines, taller rows
