"""Words for a column's codes, for the pages, without calling Python once per row inside polars.

polars runs an element-wise Python callback of an expression on its own worker threads, which must
take the interpreter lock: with many browser sessions at once, page threads waiting in polars and
polars threads waiting for the lock froze the server. Here the callback runs once per distinct
value, in the page's own thread, and polars only replaces values.
"""
from __future__ import annotations

from typing import Callable

import polars as pl


def words_for(frame: pl.DataFrame, column: str, fn: Callable[[object], str]) -> pl.Expr:
    """`fn` of each distinct value of `column` (a handful of codes), as a vectorised replace."""
    values = [v for v in frame.get_column(column).unique().to_list() if v is not None]
    return pl.col(column).replace_strict({v: fn(v) for v in values}, default=None, return_dtype=pl.String)


def status_code(status: pl.Expr = pl.col("status"), low_base: pl.Expr = pl.col("low_base")) -> pl.Expr:
    """The code shown in tables: 'c' hidden, 'low' published on a low base, '' published."""
    return (pl.when(status == "ok").then(pl.when(low_base).then(pl.lit("low")).otherwise(pl.lit("")))
            .otherwise(status))
