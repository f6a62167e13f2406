"""Views over gated figures for the pages: a trend over waves, a funnel of every LA, a DfE series.

Everything here reads gated cells (dashboard.engine.figures.gated_cells) or published DfE
statistics; a hidden cell stays hidden (its value is None and its status says why).
"""
from __future__ import annotations

import math

import duckdb
import polars as pl

from dashboard import store
from dashboard.catalogue import DfeMetric
from dashboard.disclosure import OK
from dashboard.engine.cells import ALL, POOL
from dashboard.engine.figures import gated_cells
from dashboard.engine.stats import binomial_limits, median, wilson
from dashboard.reference import la_reference

Z95, Z998 = 1.959963984540054, 3.090232306167813


def _value(rec) -> float | None:
    return 100 * rec["numerator"] / rec["base"] if rec["status"] == OK and rec["base"] else None


def trend(con: duckdb.DuckDBPyConnection, ind, la_code: str, cohort: str | None = None, age_band: str = ALL,
          breakdown: str = "", group: str = ALL, category: str = "") -> pl.DataFrame:
    """One row per wave: the LA's figure (or its status when hidden) and the pool's."""
    found = gated_cells(con, ind)
    schema = {"wave": pl.Int32, "cohort": pl.String, "value": pl.Float64, "ci_low": pl.Float64,
              "ci_high": pl.Float64, "base": pl.Int64, "status": pl.String, "low_base": pl.Boolean,
              "reason": pl.String, "pool_value": pl.Float64}
    if found is None:
        return pl.DataFrame(schema=schema)
    _, cells = found
    pick = cells.filter((pl.col("age_band") == age_band) & (pl.col("breakdown") == breakdown)
                        & (pl.col("group") == group) & (pl.col("category") == category))
    if cohort:
        pick = pick.filter(pl.col("cohort") == cohort)
    rows = []
    pools = {(r["wave"], r["cohort"]): r for r in pick.filter(pl.col("la_code") == POOL).iter_rows(named=True)}
    for rec in pick.filter(pl.col("la_code") == la_code).sort("wave").iter_rows(named=True):
        value = _value(rec)
        lo = hi = None
        if value is not None:
            lo, hi = (100 * x for x in wilson(rec["numerator"], rec["base"]))
        pool = pools.get((rec["wave"], rec["cohort"]))
        rows.append({"wave": rec["wave"], "cohort": rec["cohort"], "value": value, "ci_low": lo, "ci_high": hi,
                     "base": rec["base"] if value is not None else None, "status": rec["status"],
                     "low_base": bool(rec["low_base"]), "reason": rec["reason"] or None,
                     "pool_value": _value(pool) if pool else None})
    return pl.DataFrame(rows, schema=schema)


def funnel(con: duckdb.DuckDBPyConnection, ind, wave: int, cohort: str | None = None,
           age_band: str = ALL) -> dict:
    """Every LA's published whole-group figure against its base, with 95% and 99.8% limits around
    the pool: the way to compare areas of different sizes without a league table."""
    found = gated_cells(con, ind)
    empty = {"points": pl.DataFrame(schema={"la_code": pl.String, "value": pl.Float64, "base": pl.Int64}),
             "limits": pl.DataFrame(), "pool_value": None, "hidden_las": 0}
    if found is None:
        return empty
    _, cells = found
    pick = cells.filter((pl.col("wave") == wave) & (pl.col("age_band") == age_band) & (pl.col("breakdown") == "")
                        & (pl.col("group") == ALL) & (pl.col("category") == ""))
    if cohort:
        pick = pick.filter(pl.col("cohort") == cohort)
    pool = pick.filter(pl.col("la_code") == POOL)
    if pool.height != 1 or pool["status"][0] != OK:
        return empty
    p0 = pool["numerator"][0] / pool["base"][0]
    las = pick.filter((pl.col("la_code") != POOL) & (pl.col("base") > 0))
    shown = las.filter(pl.col("status") == OK)
    points = shown.select("la_code", (100 * pl.col("numerator") / pl.col("base")).alias("value"), "base")
    top = max(int(points["base"].max() or 10) * 1.1, 20)
    bases = sorted({int(top * i / 60) for i in range(1, 61)} | {10})
    # Exact binomial limits (the normal approximation is wrong at small bases: n=10, p0=70.8%).
    limits = pl.DataFrame([{
        "base": n,
        **dict(zip(("lower_95", "upper_95"), (100 * v for v in binomial_limits(n, p0, 0.95)))),
        **dict(zip(("lower_998", "upper_998"), (100 * v for v in binomial_limits(n, p0, 0.998)))),
    } for n in bases if n > 0])
    return {"points": points, "limits": limits, "pool_value": 100 * p0, "hidden_las": las.height - shown.height}


def dfe_series(con: duckdb.DuckDBPyConnection, metric: DfeMetric, la_code: str) -> pl.DataFrame:
    """One row per year: the LA's published value and status, its region, England, and the median
    of its statistical neighbours that have a published value (with how many)."""
    params = {
        "dataset": metric.dataset, "indicator": metric.indicator,
        "filter_keys": list(metric.filters), "filter_values": list(metric.filters.values()),
        "count_indicator": metric.count_indicator, "base_indicator": metric.base_indicator,
        "base_keys": list(metric.base_filters or metric.filters),
        "base_values": list((metric.base_filters or metric.filters).values()),
    }
    frame = store.frame(con, store.sql("dfe_metric"), params)
    schema = {"year": pl.Int32, "value": pl.Float64, "status": pl.String, "region_value": pl.Float64,
              "england_value": pl.Float64, "neighbour_median": pl.Float64, "neighbours_used": pl.Int64}
    if frame.height == 0:
        return pl.DataFrame(schema=schema)
    la = la_reference().by_code.get(la_code)
    neighbours = store.frame(con, store.sql("statistical_neighbours_latest"))
    codes = neighbours.filter(pl.col("la_code") == la_code)["neighbour_code"].to_list() if neighbours.height else []
    rows = []
    for year in sorted(frame["year"].unique().to_list()):
        f = frame.filter(pl.col("year") == year)
        mine = f.filter(pl.col("area_code") == la_code)
        if mine.height == 0:
            continue

        def ok(level: str, code: str | None):
            hit = f.filter((pl.col("geographic_level") == level) & (pl.col("area_code") == code) & (pl.col("status") == "ok"))
            return hit["value"][0] if hit.height else None

        values = f.filter(pl.col("area_code").is_in(codes) & (pl.col("status") == "ok"))["value"].to_list()
        rows.append({"year": year, "value": mine["value"][0] if mine["status"][0] == "ok" else None,
                     "status": mine["status"][0], "region_value": ok("Regional", la.region_code if la else None),
                     "england_value": ok("National", "E92000001"), "neighbour_median": median(values),
                     "neighbours_used": len(values) if codes else None})
    return pl.DataFrame(rows, schema=schema)
