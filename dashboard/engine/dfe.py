"""DfE metrics for every LA and year at once: the published value and status, the LA's region,
England and the median of its statistical neighbours, the interval where the file gives a count
and a total, the change since the last published year and the classification against England.

The publish step (dashboard.publish) stores this table; pages read it as lookups.
"""
from __future__ import annotations

import polars as pl

from dashboard import store
from dashboard.catalogue import DfeMetric
from dashboard.engine import columns as vec
from dashboard.reference import la_reference

LA_LEVEL, REGION_LEVEL, NATIONAL_LEVEL = "Local authority", "Regional", "National"
ENGLAND = "E92000001"


def metric_params(metric: DfeMetric) -> dict:
    base_filters = metric.base_filters or metric.filters
    return {
        "dataset": metric.dataset, "indicator": metric.indicator,
        "filter_keys": list(metric.filters), "filter_values": list(metric.filters.values()),
        "count_indicator": metric.count_indicator, "base_indicator": metric.base_indicator,
        "base_keys": list(base_filters), "base_values": list(base_filters.values()),
    }


def _la_frame() -> pl.DataFrame:
    ref = la_reference()
    return pl.DataFrame([{"la_code": la.la_code, "la_name": la.la_name, "la_region": la.region_code}
                         for la in ref.by_code.values()],
                        schema={"la_code": pl.String, "la_name": pl.String, "la_region": pl.String})


def dfe_table(con, metric: DfeMetric) -> pl.DataFrame:
    """One row per (LA, year) of the metric with the columns of dashboard.engine.figures.COLUMNS
    plus `note`."""
    from dashboard.engine.figures import COLUMNS

    frame = store.frame(con, store.sql("dfe_metric"), metric_params(metric))
    if frame.height == 0:
        return pl.DataFrame(schema={**{c: pl.Null for c in COLUMNS}, "note": pl.String})
    ok = pl.col("status") == "ok"
    region = (frame.filter((pl.col("geographic_level") == REGION_LEVEL) & ok)
              .group_by("area_code", "year").agg(pl.col("value").first().alias("region_value"))
              .rename({"area_code": "la_region"}))
    england = (frame.filter((pl.col("geographic_level") == NATIONAL_LEVEL) & (pl.col("area_code") == ENGLAND) & ok)
               .group_by("year").agg(pl.col("value").first().alias("england_value")))
    las = (frame.filter(pl.col("geographic_level") == LA_LEVEL)
           .unique(["area_code", "year"], keep="first", maintain_order=True)
           .rename({"area_code": "la_code"})
           .join(_la_frame(), on="la_code", how="left"))
    neighbours = store.frame(con, store.sql("statistical_neighbours_latest"))
    has_neighbours = set(neighbours["la_code"].to_list()) if neighbours.height else set()
    if neighbours.height:
        values = las.filter(ok).select(pl.col("la_code").alias("neighbour_code"), "year", "value")
        medians = (neighbours.select("la_code", "neighbour_code").join(values, on="neighbour_code")
                   .group_by("la_code", "year")
                   .agg(pl.col("value").median().alias("neighbour_median"),
                        pl.len().cast(pl.Int64).alias("neighbours_used")))
        las = las.join(medians, on=["la_code", "year"], how="left")
    else:
        las = las.with_columns(pl.lit(None, pl.Float64).alias("neighbour_median"),
                               pl.lit(None, pl.Int64).alias("neighbours_used"))
    las = (las.join(region, on=["la_region", "year"], how="left").join(england, on="year", how="left")
           .with_columns(pl.when(pl.col("la_code").is_in(list(has_neighbours)))
                         .then(pl.col("neighbours_used").fill_null(0)).alias("neighbours_used")))
    # The interval: a count and a total from the same file, whole and consistent.
    num = pl.col("count_value").round(0).cast(pl.Int64)
    base = pl.col("base_value").round(0).cast(pl.Int64)
    usable = ok & num.is_not_null() & base.is_not_null() & (base > 0) & (num >= 0) & (num <= base)
    las = las.with_columns(pl.when(usable).then(num).alias("numerator"), pl.when(usable).then(base).alias("base"))
    lo, hi = vec.wilson(pl.col("numerator"), pl.col("base"))
    las = las.with_columns(lo.alias("ci_low"), hi.alias("ci_high"),
                           pl.when(ok).then(pl.col("value")).alias("value"))
    # The change since the LA's last year with a published value.
    las = las.sort("la_code", "year").with_columns(
        pl.when(ok).then(pl.col(c)).shift(1).forward_fill().over("la_code").alias(f"prev_{c}")
        for c in ("year", "value", "numerator", "base"))
    las = las.with_columns(vec.two_proportion_p(las, "numerator", "base", "prev_numerator", "prev_base")
                           .alias("change_p"))
    compared = pl.col("ci_low").is_not_null() & pl.col("england_value").is_not_null()
    out = las.select(
        pl.lit(metric.id).alias("indicator_id"), pl.lit(metric.domain).alias("domain"),
        pl.lit("dfe").alias("source"), pl.lit(metric.title).alias("title"), "la_code", "la_name",
        pl.col("year").cast(pl.Int32).alias("wave"), pl.lit(metric.cohort).alias("cohort"),
        pl.lit("all").alias("age_band"), pl.lit("").alias("breakdown"), pl.lit("all").alias("group"),
        pl.lit("").alias("category"), "value", "status", "numerator", "base",
        pl.lit(None, pl.Int64).alias("not_answered"), "ci_low", "ci_high", pl.lit(False).alias("low_base"),
        pl.when(compared).then(vec.classify(pl.lit(metric.polarity), pl.col("ci_low"), pl.col("ci_high"),
                                            pl.col("england_value"))).alias("classification"),
        pl.when(compared).then(pl.lit("England")).alias("compared_with"),
        pl.when(compared).then(pl.col("england_value")).alias("comparator_value"),
        pl.lit(None, pl.Float64).alias("pool_value"), pl.lit(None, pl.Int64).alias("pool_las"),
        pl.lit(None, pl.Float64).alias("national_value"), pl.lit(None, pl.String).alias("national_source"),
        pl.lit(None, pl.Float64).alias("general_population_value"),
        "england_value", "region_value", "neighbour_median", "neighbours_used",
        pl.when(ok & pl.col("prev_value").is_not_null()).then(pl.col("prev_year")).cast(pl.Int32).alias("previous_wave"),
        pl.when(ok).then(pl.col("prev_value")).alias("previous_value"),
        pl.when(ok).then(pl.col("value") - pl.col("prev_value")).alias("change"),
        "change_p",
        pl.when(pl.col("change_p").is_not_null()).then(pl.col("change_p") < 0.05).alias("change_significant"),
        pl.lit(metric.unit).alias("unit"), pl.lit(metric.polarity).alias("polarity"),
        pl.lit(None, pl.String).alias("reason"), pl.lit(None, pl.String).alias("note"),
    )
    return out
