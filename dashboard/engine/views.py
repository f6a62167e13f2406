"""Views over published figures for the pages: a trend over waves, a funnel of every LA, a DfE series.

Everything here is a lookup of the published tables (dashboard.publish: computed and gated when
the data was loaded); a hidden figure stays hidden (its value is None and its status says why).
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from dashboard import store
from dashboard.catalogue import DfeMetric
from dashboard.disclosure import HIDDEN, OK
from dashboard.engine.cells import ALL, POOL
from dashboard.engine.stats import binomial_limits



TREND_SCHEMA = {"wave": pl.Int32, "cohort": pl.String, "value": pl.Float64, "ci_low": pl.Float64,
                "ci_high": pl.Float64, "base": pl.Int64, "status": pl.String, "low_base": pl.Boolean,
                "reason": pl.String, "pool_value": pl.Float64}


@dataclass(frozen=True)
class Series:
    """One trend line: a published figure of an LA over the waves. `cohort` None means every cohort
    (record measures and DfE metrics have none)."""

    indicator_id: str
    cohort: str | None = None
    age_band: str = ALL
    breakdown: str = ""
    group: str = ALL
    category: str = ""


def trends(con: duckdb.DuckDBPyConnection, la_code: str, wanted: list[Series]) -> list[pl.DataFrame]:
    """For each series, one row per wave: the LA's published figure (or its status when hidden) and
    the pool's, in one read (queries/published_trends.sql) for all of a page's lines."""
    if not wanted:
        return []
    keys = [{"item": i, "indicator_id": s.indicator_id, "cohort": s.cohort, "age_band": s.age_band,
             "breakdown": s.breakdown, "group": s.group, "category": s.category} for i, s in enumerate(wanted)]
    frame = store.frame(con, store.sql("published_trends"), {"keys": keys, "la_code": la_code})
    parts = frame.partition_by("item", as_dict=True, include_key=False)   # {} when nothing was found
    empty = pl.DataFrame(schema=TREND_SCHEMA)
    return [parts[(i,)].cast(TREND_SCHEMA) if (i,) in parts else empty for i in range(len(wanted))]


def trend(con: duckdb.DuckDBPyConnection, ind, la_code: str, cohort: str | None = None, age_band: str = ALL,
          breakdown: str = "", group: str = ALL, category: str = "") -> pl.DataFrame:
    """One row per wave: the LA's published figure (or its status when hidden) and the pool's."""
    return trends(con, la_code, [Series(ind.id, cohort, age_band, breakdown, group, category)])[0]


def funnel(con: duckdb.DuckDBPyConnection, ind, wave: int, cohort: str | None = None,
           age_band: str = ALL) -> dict:
    """Every LA's published whole-group figure against its base, with 95% and 99.8% limits around
    the pool: the way to compare areas of different sizes without a league table."""
    empty = {"points": pl.DataFrame(schema={"la_code": pl.String, "value": pl.Float64, "base": pl.Int64}),
             "limits": pl.DataFrame(), "pool_value": None, "hidden_las": 0}
    frame = store.frame(con, store.sql("published_funnel"), {
        "indicator_id": ind.id, "wave": wave, "cohort": cohort, "age_band": age_band})
    pool = frame.filter((pl.col("la_code") == POOL) & (pl.col("status") == OK) & pl.col("value").is_not_null())
    if pool.height != 1:
        return empty
    p0 = pool["value"][0] / 100
    las = frame.filter(pl.col("la_code") != POOL)
    points = las.filter(pl.col("status") == OK).select("la_code", "value", pl.col("base").cast(pl.Int64))
    hidden = las.filter(pl.col("status") == HIDDEN).height
    top = max(int(points["base"].max() or 10) * 1.1, 20)
    bases = sorted({int(top * i / 60) for i in range(1, 61)} | {10})
    # Exact binomial limits (the normal approximation is wrong at small bases: n=10, p0=70.8%).
    limits = pl.DataFrame([{
        "base": n,
        **dict(zip(("lower_95", "upper_95"), (100 * v for v in binomial_limits(n, p0, 0.95)))),
        **dict(zip(("lower_998", "upper_998"), (100 * v for v in binomial_limits(n, p0, 0.998)))),
    } for n in bases if n > 0])
    return {"points": points, "limits": limits, "pool_value": 100 * p0, "hidden_las": hidden}


DFE_SERIES_SCHEMA = {"year": pl.Int32, "value": pl.Float64, "status": pl.String, "region_value": pl.Float64,
                     "england_value": pl.Float64, "neighbour_median": pl.Float64, "neighbours_used": pl.Int64,
                     "note": pl.String}


def dfe_series(con: duckdb.DuckDBPyConnection, metric: DfeMetric, la_code: str) -> pl.DataFrame:
    """One row per year: the LA's published value and status, its region, England, and the median
    of its statistical neighbours that have a published value (with how many)."""
    return dfe_series_all(con, [metric], la_code)[metric.id]


def dfe_series_all(con: duckdb.DuckDBPyConnection, metrics: list[DfeMetric], la_code: str) -> dict[str, pl.DataFrame]:
    """dfe_series for every metric of `metrics` at once (one read of the published figures): metric
    id -> its rows by year, empty (with the same columns) for a metric with none."""
    ids = [m.id for m in metrics]
    frame = store.frame(con, store.sql("published_dfe_la"), {"la_code": la_code, "indicator_ids": ids})
    parts = frame.partition_by("indicator_id", as_dict=True, include_key=False) if frame.height else {}
    parts = {key[0]: part.cast(DFE_SERIES_SCHEMA) for key, part in parts.items()}
    return {i: parts.get(i, pl.DataFrame(schema=DFE_SERIES_SCHEMA)) for i in ids}
