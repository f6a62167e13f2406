"""Vectorised statistics over polars columns, for the publish step (every figure at once).

The same formulas as dashboard.engine.stats (which works on one figure): Wilson score intervals,
the pooled two-proportion z-test and the interval-against-comparator classification.
"""
from __future__ import annotations

import math

import numpy as np
import polars as pl

from dashboard.engine.stats import Z95

_erfc = np.vectorize(math.erfc, otypes=[float])


def wilson(num: pl.Expr, base: pl.Expr, z: float = Z95) -> tuple[pl.Expr, pl.Expr]:
    """95% Wilson score interval, in percent (null where the base is not positive)."""
    n = base.cast(pl.Float64)
    p = num.cast(pl.Float64) / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * (p * (1 - p) / n + z * z / (4 * n * n)).sqrt() / denom
    ok = base > 0
    lo = pl.when(ok).then(100 * pl.max_horizontal(pl.lit(0.0), centre - half))
    hi = pl.when(ok).then(100 * pl.min_horizontal(pl.lit(1.0), centre + half))
    return lo, hi


def two_proportion_p(frame: pl.DataFrame, n1: str, b1: str, n2: str, b2: str) -> pl.Series:
    """Two-sided p of the pooled two-proportion z-test, row by row (null where it cannot be
    computed; 1.0 where both proportions are 0% or 100%)."""
    a1, c1 = frame[n1].cast(pl.Float64).to_numpy(), frame[b1].cast(pl.Float64).to_numpy()
    a2, c2 = frame[n2].cast(pl.Float64).to_numpy(), frame[b2].cast(pl.Float64).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        valid = (c1 > 0) & (c2 > 0)
        pooled = (a1 + a2) / (c1 + c2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / c1 + 1 / c2))
        z = np.where(se > 0, (a1 / c1 - a2 / c2) / np.where(se > 0, se, 1), 0.0)
        p = np.where(se > 0, _erfc(np.abs(np.nan_to_num(z)) / math.sqrt(2)), 1.0)
    return pl.Series(np.where(valid, p, np.nan)).fill_nan(None)


def classify(polarity: pl.Expr, lo: pl.Expr, hi: pl.Expr, comparator: pl.Expr) -> pl.Expr:
    """'bright spot' when the whole interval is on the good side of the comparator, 'area to look
    at' when wholly on the other side, 'no clear difference' when it holds the comparator; ''
    when there is no interval, no comparator or no polarity."""
    above, below = lo > comparator, hi < comparator
    good = pl.when(polarity == "higher_is_better").then(above).otherwise(below)
    return (pl.when(comparator.is_null() | lo.is_null() | (polarity == "no_polarity")).then(pl.lit(""))
            .when(~above & ~below).then(pl.lit("no clear difference"))
            .when(good).then(pl.lit("bright spot"))
            .otherwise(pl.lit("area to look at")))
