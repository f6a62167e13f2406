"""Vectorised statistics over polars columns, for the publish step (every figure at once).

The same formulas as dashboard.engine.stats (which works on one figure): Wilson score intervals,
the pooled two-proportion z-test and the interval-against-comparator classification.
"""
from __future__ import annotations

import math

import polars as pl

from dashboard.engine.stats import Z95

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


def two_proportion_p(n1: pl.Expr, b1: pl.Expr, n2: pl.Expr, b2: pl.Expr) -> pl.Expr:
    """Two-sided p of the pooled two-proportion z-test (null where a base is missing or not
    positive; 1.0 where both proportions are 0% or 100%)."""
    n1, b1, n2, b2 = (e.cast(pl.Float64) for e in (n1, b1, n2, b2))
    pooled = (n1 + n2) / (b1 + b2)
    se = (pooled * (1 - pooled) * (1 / b1 + 1 / b2)).sqrt()
    z = ((n1 / b1 - n2 / b2) / se).abs()
    # erfc(z / sqrt 2); polars has no erfc. Runs in the publish step only, never for a page.
    p = z.map_elements(lambda v: math.erfc(v / math.sqrt(2)), return_dtype=pl.Float64)
    valid = (b1 > 0) & (b2 > 0)
    return pl.when(~valid).then(None).when(se == 0).then(1.0).otherwise(p)


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
