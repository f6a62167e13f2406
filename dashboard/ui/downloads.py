"""Numeric CSV downloads of gated figure tables: every figure as numbers in their own columns
(value, lower, upper, base, status ...), never text such as "90%" or "86 to 94", so a download
opens in a spreadsheet ready to sort and chart. A hidden figure has empty numbers and its status.

Only tables from dashboard.engine (already through the disclosure gate) are passed in, and a
hidden cell's numbers are blanked here again, so nothing the gate hid can reach a download.
"""
from __future__ import annotations

import polars as pl

from dashboard.disclosure import OK

# (column in the CSV, column of the figure table); numbers stay numbers.
NUMERIC_COLUMNS = [
    ("indicator_id", "indicator_id"), ("indicator", "title"), ("source", "source"), ("la_code", "la_code"),
    ("wave", "wave"), ("cohort", "cohort"), ("age_band", "age_band"), ("breakdown", "breakdown"), ("group", "group"),
    ("unit", "unit"), ("value", "value"), ("lower_95", "ci_low"), ("upper_95", "ci_high"), ("base", "base"),
    ("status", "status"), ("why_hidden", "reason"), ("low_base", "low_base"), ("classification", "classification"),
    ("compared_with", "compared_with"), ("comparator_value", "comparator_value"), ("pool_value", "pool_value"),
    ("change_points", "change"), ("previous_wave", "previous_wave"), ("change_clear", "change_significant"),
]
# Numbers that belong to the figure itself: blank whenever the figure is not published.
FIGURE_NUMBERS = ["value", "lower_95", "upper_95", "base", "change_points", "change_clear", "low_base"]


def numeric(figures: pl.DataFrame) -> pl.DataFrame:
    """One row per figure of a gated figure table, with numeric columns."""
    present = [(out, col) for out, col in NUMERIC_COLUMNS if col in figures.columns]
    if figures.height == 0:
        return pl.DataFrame(schema={out: figures.schema[col] for out, col in present})
    frame = figures.select([pl.col(col).alias(out) for out, col in present])
    published = (pl.col("status") == OK) & pl.col("value").is_not_null()
    return frame.with_columns([pl.when(published).then(pl.col(c)).otherwise(None).alias(c)
                               for c in FIGURE_NUMBERS if c in frame.columns])
