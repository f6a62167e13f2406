"""Writing gated figure tables out: CSV and JSON for the CLI, and downloads in the app.

Only tables that came from the engine (already through the disclosure gate) are written.
Text cells that a spreadsheet would run as a formula are neutralised.
"""
from __future__ import annotations

import csv
import json
import math
from typing import IO

import polars as pl

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ROUND = {"value": 1, "ci_low": 1, "ci_high": 1, "comparator_value": 1, "pool_value": 1, "national_value": 1,
         "general_population_value": 1, "england_value": 1, "region_value": 1, "neighbour_median": 1,
         "previous_value": 1, "change": 1, "change_p": 4}


def safe_text(value: object) -> object:
    """A text cell starting like a formula gets a leading apostrophe, so spreadsheets show it as text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _tidy(value: object, column: str) -> object:
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if column in ROUND:
            return round(value, ROUND[column])
    return safe_text(value)


def records(table: pl.DataFrame) -> list[dict]:
    return [{k: _tidy(v, k) for k, v in row.items()} for row in table.iter_rows(named=True)]


def write_table(table: pl.DataFrame, out: IO[str], fmt: str = "csv") -> None:
    rows = records(table)
    if fmt == "json":
        json.dump(rows, out, indent=1, default=str)
        out.write("\n")
        return
    writer = csv.DictWriter(out, fieldnames=table.columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})


def to_csv_bytes(table: pl.DataFrame) -> bytes:
    import io

    buf = io.StringIO()
    write_table(table, buf, "csv")
    return buf.getvalue().encode("utf-8")
