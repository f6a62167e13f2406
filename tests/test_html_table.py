"""The static tables drawn as plain HTML (dashboard.ui.html_table) in place of st.table."""
from __future__ import annotations

import io

import pandas as pd
import polars as pl
import pytest

from dashboard.ui import widths
from dashboard.ui.html_table import table_html


def read_back(markup: str) -> pd.DataFrame:
    return pd.read_html(io.StringIO(markup), flavor="lxml")[0]


def test_every_column_name_and_value_reads_back_from_the_table():
    frame = pl.DataFrame({"Indicator": ["Feel safe", "Trust carers"], "Year": [2025, 2024], "Kent": ["72%", None]})
    back = read_back(table_html(frame))
    assert list(back.columns) == ["Indicator", "Year", "Kent"]
    assert back["Indicator"].tolist() == ["Feel safe", "Trust carers"]
    assert back["Year"].tolist() == [2025, 2024]
    assert back["Kent"].iloc[0] == "72%" and pd.isna(back["Kent"].iloc[1])


@pytest.mark.parametrize("text", ["<b>bold</b>", "a & b", "*not emphasis* and _not_ either", "1 < 2 > 0", '"quoted"',
                                  "<script>alert(1)</script>"])
def test_a_value_is_shown_as_the_text_it_is_never_as_markup(text):
    markup = table_html(pl.DataFrame({f"Said {text}": [text]}))
    assert "<b>bold" not in markup and "<script>" not in markup
    back = read_back(markup)
    assert back.columns[0] == f"Said {text}"
    assert back.iloc[0, 0] == text


@pytest.mark.parametrize("value", [1.5, 2.0, 0.123456, -3.25, 1234.5678, float("nan"), None])
def test_a_float_is_written_as_the_width_estimate_writes_it(value):
    markup = table_html(pl.DataFrame({"x": [value]}, schema={"x": pl.Float64}))
    expected = widths.shown(value)
    assert f'<div class="vd-cell">{expected}</div>' in markup


def test_numbers_are_aligned_right_and_words_left():
    markup = table_html(pl.DataFrame({"Name": ["Kent"], "Count": [12], "Share": [0.5]}))
    assert markup.count('<td class="vd-num">') == 2
    assert "<td><div class=\"vd-cell\">Kent</div></td>" in markup


@pytest.mark.parametrize("border,mode", [(True, "all"), ("horizontal", "horizontal"), (False, "none")])
def test_the_border_is_drawn_as_asked(border, mode):
    assert f'class="vd-table vd-table-{mode}"' in table_html(pl.DataFrame({"a": ["x"]}), border)


def test_the_padding_is_the_one_the_width_estimate_counts():
    # widths.table_px adds 8 px before the first column name, 16 before the others where only horizontal
    # lines are drawn, and 6 after each cell: the style must draw exactly that
    style = table_html(pl.DataFrame({"a": ["x"]}), "horizontal")
    assert ".vd-table th:first-child { padding-left: 8px; }" in style
    assert ".vd-table-horizontal th:not(:first-child) { padding-left: 16px; }" in style
    assert "padding: 4px 6px;" in style


def test_the_scrolling_box_is_a_labelled_region_a_keyboard_can_reach():
    markup = table_html(pl.DataFrame({"a": ["x"]}), label='Kent at a "glance"')
    assert 'role="region" tabindex="0" aria-label="Table: Kent at a &quot;glance&quot;"' in markup


def test_without_a_label_the_region_is_named_by_its_first_columns():
    markup = table_html(pl.DataFrame({"Indicator": ["x"], "Value": ["y"], "Interval": ["z"], "More": ["w"]}))
    assert 'aria-label="Table: Indicator, Value, Interval…"' in markup


def test_a_table_without_rows_still_has_its_column_names():
    back = read_back(table_html(pl.DataFrame({"Indicator": [], "Value": []}, schema={"Indicator": pl.String,
                                                                                      "Value": pl.Float64})))
    assert list(back.columns) == ["Indicator", "Value"] and len(back) == 0
