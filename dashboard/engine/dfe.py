"""DfE children's social care metrics for every LA and year, computed the DfE's way.

The DfE's own dashboard (the R Shiny app CSC_outcomes_and_enablers) is the reference:

- every figure shown is rounded half up (its `true_round`: add a half and a hair, truncate),
  not half to even: 52.5 shows as 53 and 24.45 as 24.5;
- the statistical-neighbour median is the median over the LA's ten neighbours of their values
  in the same file and year, suppressed values dropped (R's median(na.rm = TRUE)), and it is not
  shown for LAs in the years before a reorganisation settled (NEIGHBOUR_MEDIAN_HIDDEN); where the
  DfE sums the neighbours instead (Ofsted judgement counts: neighbour_aggregate: sum) it is their
  sum, in the same column;
- shares and figures per head the file does not publish (ratio_to, per_10000_of, per_head_of) are
  computed on every row, LA, region and England alike, and rounded before any median;
- the region is the one on the LA's own row of the file (Inner or Outer London for London
  boroughs where the file says so), and its value the file's own Regional row; where the DfE
  computes a region from its LAs' counts instead (regions_from_las: Inner and Outer London from
  the boroughs of a Fingertips file that has London only), its LAs are set against that figure;
- an LA's rows before the period the DfE first shows it (la_first_period) are dropped, from its
  own figures and from its neighbours' medians alike; where the DfE matches a file's LAs to its
  neighbour model by the current LA code only (neighbours_by_current_code_only), an LA the file
  publishes under a retired code has no neighbour median and is nobody's neighbour;
- "against England" compares the LA's interval with England's figure from England's own counts
  in the same file where the file has them, not with England's rounded percentage.

dfe_table() computes all of it for every LA and year at once (one query, then frame operations),
so it can be stored when files are loaded and looked up by the pages.
"""
from __future__ import annotations

import math
import warnings

import duckdb
import polars as pl

from dashboard import store
from dashboard.catalogue import DfeMetric
from dashboard.engine import columns as vec

ENGLAND = "E92000001"
SIGNIFICANCE = 0.05
# sqrt(.Machine$double.eps) in R: true_round adds it so that 0.15 (stored as 0.1499999...) rounds up.
_NUDGE = math.sqrt(2.220446049250313e-16)

# The DfE drops the neighbour median of these LAs where time_period (compared as text, as the DfE
# does) is before / up to the given period: the years before the LA existed in its present form.
NEIGHBOUR_MEDIAN_HIDDEN = [
    # (LA code, the DfE's comparison, period, why)
    ("E06000061", "<", "2022", "North Northamptonshire was created in April 2021 (from Northamptonshire): "
                               "the DfE shows its neighbour median from 2022"),
    ("E06000062", "<", "2022", "West Northamptonshire was created in April 2021 (from Northamptonshire): "
                               "the DfE shows its neighbour median from 2022"),
    ("E06000063", "<=", "2023", "Cumberland was created in April 2023 (from Cumbria): "
                                "the DfE shows its neighbour median after 2023"),
    ("E06000064", "<=", "2023", "Westmorland and Furness was created in April 2023 (from Cumbria): "
                                "the DfE shows its neighbour median after 2023"),
]

NOTE_NOT_IN_MODEL = "not in the loaded statistical neighbour model: no neighbour median"
NOTE_NO_NEIGHBOUR_VALUES = "none of the ten statistical neighbours has a published value this year"
NOTE_RETIRED_CODE = ("the file publishes this LA under its code before a recoding, which the DfE does not match "
                     "to its statistical neighbours: no neighbour median, as on the DfE's dashboard")


def true_round(expr: pl.Expr, digits: int) -> pl.Expr:
    """The DfE's true_round: halves away from zero, whatever the float says."""
    scale = 10.0 ** digits
    # The last .round only tidies the float of the division (284 / 10 may come out as 28.400000000000002).
    return (expr.sign() * ((expr.abs() * scale + 0.5 + _NUDGE).floor() / scale)).round(digits)


def true_round_value(x: float | None, digits: int) -> float | None:
    """true_round for one number (None stays None)."""
    if x is None:
        return None
    sign = (x > 0) - (x < 0)
    return sign * math.floor(abs(x) * 10 ** digits + 0.5 + _NUDGE) / 10 ** digits


def metric_values(con: duckdb.DuckDBPyConnection, metric: DfeMetric) -> pl.DataFrame:
    """Every area's and year's published value of the metric, with the count and base behind it."""
    base_filters = metric.base_filters or metric.filters
    params = {
        "dataset": metric.dataset, "indicator": metric.indicator,
        "filter_keys": list(metric.filters), "filter_values": list(metric.filters.values()),
        "count_indicator": metric.count_indicator, "base_indicator": metric.base_indicator,
        "base_keys": list(base_filters), "base_values": list(base_filters.values()),
    }
    return store.frame(con, store.sql("dfe_metric"), params)


def _ratio(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame, metric: DfeMetric) -> pl.DataFrame:
    """multiplier x (value - subtract) / denominator from the columns of the same row (LA, region or
    England), rounded as the DfE rounds it before it takes any median. The first cell that is not a
    number gives its symbol (x stays x); a denominator of 0 gives 'z'."""
    r = metric.ratio_to

    def column(indicator: str, name: str) -> pl.DataFrame:
        return _column(con, metric, indicator, name)

    keys = ["geographic_level", "area_code", "time_period"]
    frame = frame.join(column(r.denominator, "_den"), on=keys, how="left")
    minus = pl.lit(0.0)
    status = pl.when(pl.col("status") != "ok").then(pl.col("status"))
    if r.subtract:
        frame = frame.join(column(r.subtract, "_sub"), on=keys, how="left")
        minus = pl.col("_sub")
        status = status.when(pl.col("_sub_status") != "ok").then(pl.col("_sub_status"))
    status = (status.when(pl.col("_den_status").is_null()).then(pl.lit("z"))
              .when(pl.col("_den_status") != "ok").then(pl.col("_den_status"))
              .when(pl.col("_den") == 0).then(pl.lit("z")).otherwise(pl.lit("ok")))
    frame = frame.with_columns(status.alias("status"))
    ok = pl.col("status") == "ok"
    return frame.with_columns(
        pl.when(ok).then(true_round(r.multiplier * (pl.col("value") - minus) / pl.col("_den"), metric.decimals))
        .alias("value"),
        pl.lit(None, dtype=pl.Float64).alias("count_value"), pl.lit(None, dtype=pl.Float64).alias("base_value"),
    ).drop([c for c in ("_den", "_den_status", "_sub", "_sub_status") if c in frame.columns])


def _per_population(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame, metric: DfeMetric, pop,
                    multiplier: float) -> pl.DataFrame:
    """The count in `value` times `multiplier` per head of the population (per 10,000 children, or
    spend per child), rounded as the DfE rounds it before it takes any median. A suppressed count
    keeps its symbol; a missing population gives 'z'."""
    params = {"dataset": pop.dataset, "indicator": pop.indicator,
              "filter_keys": list(pop.filters), "filter_values": list(pop.filters.values()),
              "count_indicator": None, "base_indicator": None, "base_keys": [], "base_values": []}
    population = (store.frame(con, store.sql("dfe_metric"), params)
                  .filter(pl.col("status") == "ok")
                  .select("geographic_level", "area_code", (pl.col("year") + pop.year_offset).alias("year"),
                          pl.col("value").alias("_population"))
                  .unique(["geographic_level", "area_code", "year"], keep="first"))
    frame = frame.join(population, on=["geographic_level", "area_code", "year"], how="left")
    has = (pl.col("status") == "ok") & pl.col("_population").is_not_null() & (pl.col("_population") > 0)
    return frame.with_columns(
        pl.when(has).then(true_round(multiplier * pl.col("value") / pl.col("_population"), metric.decimals))
        .alias("value"),
        pl.when(pl.col("_population").is_null()).then(pl.lit("z")).otherwise(pl.col("status")).alias("status"),
        pl.lit(None, dtype=pl.Float64).alias("count_value"), pl.lit(None, dtype=pl.Float64).alias("base_value"),
    ).drop("_population")


def _column(con: duckdb.DuckDBPyConnection, metric: DfeMetric, indicator: str, name: str) -> pl.DataFrame:
    """Another value column of the metric's dataset on the metric's rows: `name` and `{name}_status`."""
    params = {"dataset": metric.dataset, "indicator": indicator,
              "filter_keys": list(metric.filters), "filter_values": list(metric.filters.values()),
              "count_indicator": None, "base_indicator": None, "base_keys": [], "base_values": []}
    return (store.frame(con, store.sql("dfe_metric"), params)
            .select("geographic_level", "area_code", "time_period", pl.col("value").alias(name),
                    pl.col("status").alias(f"{name}_status"))
            .unique(["geographic_level", "area_code", "time_period"], keep="first"))


def _drop_before_first_period(frame: pl.DataFrame, first: dict[str, str]) -> pl.DataFrame:
    """An LA's rows before the first period the DfE shows for it (time_period compared as text)."""
    early = pl.lit(False)
    for code, period in first.items():
        early = early | ((pl.col("area_code") == code) & (pl.col("time_period") < period))
    return frame.filter(~((pl.col("geographic_level") == "Local authority") & early))


def _regions_from_las(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame, metric: DfeMetric) -> pl.DataFrame:
    """Each region of regions_from_las as multiplier x sum(count) / sum(base) over its LAs that have a
    base (an LA's missing count adds nothing), unrounded like a file's own value; its LAs' region_code
    becomes that region. A region none of whose LAs has a base is 'x'."""
    from dashboard.reference import la_reference

    spec = metric.regions_from_las
    ref = la_reference()
    wanted = set(spec.regions)
    member = {code: la.region_code for code, la in ref.by_code.items() if la.region_code in wanted}
    is_la = pl.col("geographic_level") == "Local authority"
    sub = pl.col("area_code").replace_strict(member, default=None, return_dtype=pl.String)
    frame = frame.with_columns(pl.when(is_la & sub.is_not_null()).then(sub).otherwise(pl.col("region_code"))
                               .alias("region_code"))
    keys = ["geographic_level", "area_code", "time_period"]
    las = (frame.filter(is_la & pl.col("region_code").is_in(list(wanted)))
           .select(*keys, "year", "region_code")
           .join(_column(con, metric, spec.count, "_count"), on=keys, how="left")
           .join(_column(con, metric, spec.base, "_base"), on=keys, how="left"))
    has_base = (pl.col("_base_status") == "ok") & pl.col("_base").is_not_null()
    has_count = has_base & (pl.col("_count_status") == "ok") & pl.col("_count").is_not_null()
    summed = (las.group_by("region_code", "time_period", "year")
              .agg(pl.when(has_count).then(pl.col("_count")).sum().alias("_count"),
                   pl.when(has_base).then(pl.col("_base")).sum().alias("_base")))
    some = pl.col("_base") > 0
    regions = summed.select(
        pl.col("region_code").alias("area_code"),
        pl.lit("Regional").alias("geographic_level"),
        pl.col("region_code").replace_strict(ref.regions, default=None, return_dtype=pl.String).alias("area_name"),
        "region_code", "year", "time_period",
        pl.when(some).then(spec.multiplier * pl.col("_count") / pl.col("_base")).alias("value"),
        pl.when(some).then(pl.lit("ok")).otherwise(pl.lit("x")).alias("status"),
        pl.lit(None, dtype=pl.Float64).alias("count_value"), pl.lit(None, dtype=pl.Float64).alias("base_value"),
        pl.lit(None, dtype=pl.String).alias("published_code"),
    )
    kept = frame.filter(~((pl.col("geographic_level") == "Regional") & pl.col("area_code").is_in(list(wanted))))
    return pl.concat([kept, regions.select([pl.col(c).cast(kept.schema[c]) for c in kept.columns])])


def _neighbours(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    frame = store.frame(con, store.sql("statistical_neighbours_latest"))
    if frame.height == 0:
        return pl.DataFrame(schema={"la_code": pl.String, "neighbour_code": pl.String})
    return frame.select("la_code", "neighbour_code")


def _hidden_expr() -> tuple[pl.Expr, pl.Expr]:
    """(is the neighbour median hidden, why) for each row, by LA code and time_period."""
    hidden = pl.lit(False)
    why = pl.lit(None, dtype=pl.String)
    for code, op, period, reason in reversed(NEIGHBOUR_MEDIAN_HIDDEN):
        tp = pl.col("time_period")
        cond = (pl.col("la_code") == code) & ((tp < period) if op == "<" else (tp <= period))
        hidden = hidden | cond
        why = pl.when(cond).then(pl.lit(reason)).otherwise(why)
    return hidden, why


def dfe_table(con: duckdb.DuckDBPyConnection, metric: DfeMetric) -> pl.DataFrame:
    """One row per (LA, year) that the metric's file has a row for, with the columns of
    dashboard.engine.figures.COLUMNS plus `note` (why the neighbour median is missing, or null)."""
    from dashboard.engine.figures import COLUMNS
    from dashboard.reference import la_reference

    frame = metric_values(con, metric)
    schema = _schema(COLUMNS)
    if metric.first_year is not None:
        frame = frame.filter(pl.col("year") >= metric.first_year)
    if metric.la_first_period:
        frame = _drop_before_first_period(frame, metric.la_first_period)
    if frame.height == 0:
        return pl.DataFrame(schema=schema)
    d = metric.decimals
    if metric.regions_from_las is not None:
        frame = _regions_from_las(con, frame, metric)
    if metric.ratio_to is not None:
        frame = _ratio(con, frame, metric)
    if metric.per_10000_of is not None:
        frame = _per_population(con, frame, metric, metric.per_10000_of, 10000)
    if metric.per_head_of is not None:
        frame = _per_population(con, frame, metric, metric.per_head_of, metric.per_head_of.multiplier)
    if metric.hidden_periods:
        hide = pl.col("time_period").is_in(metric.hidden_periods)
        frame = frame.with_columns(pl.when(hide).then(pl.lit("x")).otherwise(pl.col("status")).alias("status"),
                                   *[pl.when(hide).then(None).otherwise(pl.col(c)).alias(c)
                                     for c in ("value", "count_value", "base_value")])
    ok = pl.col("status") == "ok"
    frame = frame.with_columns(
        pl.when(ok).then(pl.col("value")).alias("value"),
        pl.col("count_value").round(0).cast(pl.Int64, strict=False).alias("num"),
        pl.col("base_value").round(0).cast(pl.Int64, strict=False).alias("den"),
    ).with_columns(
        (pl.col("num").is_not_null() & pl.col("den").is_not_null() & (pl.col("den") > 0)
         & (pl.col("num") >= 0) & (pl.col("num") <= pl.col("den"))).alias("has_counts"))

    # England: the published figure (shown), and the one from England's own counts (compared with).
    england = (frame.filter(pl.col("geographic_level") == "National")
               .filter(pl.col("area_code") == ENGLAND)
               .select("year",
                       pl.when(ok).then(pl.col("value")).alias("england_published"),
                       pl.when(pl.col("has_counts")).then(100 * pl.col("num") / pl.col("den"))
                       .otherwise(pl.when(ok).then(pl.col("value"))).alias("england_exact"))
               .unique("year", keep="first"))
    regions = (frame.filter((pl.col("geographic_level") == "Regional") & ok)
               .select("year", pl.col("area_code").alias("region_code"), pl.col("value").alias("region_raw"))
               .unique(["year", "region_code"], keep="first"))
    las = (frame.filter(pl.col("geographic_level") == "Local authority")
           .rename({"area_code": "la_code"})
           .unique(["la_code", "year"], keep="first"))
    retired = pl.lit(False)
    if metric.neighbours_by_current_code_only:
        codes = [code for code, la in la_reference().by_code.items() if la.status == "recoded"]
        retired = pl.col("published_code").is_in(codes).fill_null(False)
    las = las.with_columns(retired.alias("_retired_code"))

    # Statistical neighbours: the median of the neighbours' published values in the same year.
    nb = _neighbours(con)
    in_model = set(nb["la_code"].to_list())
    published = las.filter(ok & ~pl.col("_retired_code")).select(pl.col("la_code").alias("neighbour_code"), "year",
                                      pl.col("value").alias("nb_value"))
    medians = (nb.join(las.select("la_code", "year"), on="la_code")
               .join(published, on=["neighbour_code", "year"], how="left")
               .group_by("la_code", "year")
               .agg((pl.col("nb_value").sum() if metric.neighbour_aggregate == "sum"
                     else pl.col("nb_value").median()).alias("nb_median"),
                    pl.col("nb_value").is_not_null().sum().cast(pl.Int64).alias("neighbours_used")))

    t = (las.join(england, on="year", how="left")
         .join(regions, on=["year", "region_code"], how="left")
         .join(medians, on=["la_code", "year"], how="left"))
    hidden, why = _hidden_expr()
    hidden = hidden | pl.col("_retired_code")
    why = pl.when(pl.col("_retired_code")).then(pl.lit(NOTE_RETIRED_CODE)).otherwise(why)
    t = t.with_columns(hidden.alias("nb_hidden"), why.alias("nb_why"),
                       pl.col("la_code").is_in(list(in_model)).alias("in_model"))
    hidden_period = pl.col("time_period").is_in(metric.hidden_periods)
    t = t.with_columns(
        pl.when(hidden_period).then(pl.lit(metric.hidden_reason or "the DfE does not show this year"))
        .when(~pl.col("in_model")).then(pl.lit(NOTE_NOT_IN_MODEL))
        .when(pl.col("nb_hidden")).then(pl.col("nb_why"))
        .when(pl.col("neighbours_used") == 0).then(pl.lit(NOTE_NO_NEIGHBOUR_VALUES))
        .otherwise(None).alias("note"),
        pl.when(pl.col("in_model") & ~pl.col("nb_hidden")).then(true_round(pl.col("nb_median"), d))
        .alias("neighbour_median"),
        pl.when(pl.col("in_model") & ~pl.col("nb_hidden")).then(pl.col("neighbours_used"))
        .alias("neighbours_used"),
    )

    # Interval from the counts, classification against England's exact figure.
    lo, hi = vec.wilson(pl.col("num"), pl.col("den"))
    counted = ok & pl.col("has_counts")
    t = t.with_columns(pl.when(counted).then(lo).alias("ci_low"), pl.when(counted).then(hi).alias("ci_high"),
                       pl.when(counted).then(pl.col("num")).alias("numerator"),
                       pl.when(counted).then(pl.col("den")).alias("base"))
    compare = pl.col("ci_low").is_not_null() & pl.col("england_exact").is_not_null()
    above, below = pl.col("ci_low") > pl.col("england_exact"), pl.col("ci_high") < pl.col("england_exact")
    good = above if metric.polarity == "higher_is_better" else below
    bad = below if metric.polarity == "higher_is_better" else above
    if metric.polarity == "no_polarity":
        classification = pl.when(compare).then(pl.lit("")).otherwise(None)
    else:
        classification = (pl.when(~compare).then(None)
                          .when(good).then(pl.lit("bright spot"))
                          .when(bad).then(pl.lit("area to look at"))
                          .otherwise(pl.lit("no clear difference")))
    t = t.with_columns(classification.alias("classification"),
                       pl.when(compare).then(pl.lit("England")).alias("compared_with"),
                       pl.when(compare).then(pl.col("england_exact")).alias("comparator_value"))

    # The previous year with a published value, and the change since it.
    prev = (t.filter(ok).select("la_code", pl.col("year").alias("previous_wave"),
                                pl.col("value").alias("_prev_value"),
                                pl.when(counted).then(pl.col("num")).alias("_prev_num"),
                                pl.when(counted).then(pl.col("den")).alias("_prev_den"))
            .with_columns(pl.col("previous_wave").alias("_key")).sort("_key"))
    with warnings.catch_warnings():  # polars cannot check sortedness within `by` groups: sorted above
        warnings.simplefilter("ignore", UserWarning)
        t = (t.with_columns(pl.col("year").alias("_key")).sort("_key")
             .join_asof(prev, on="_key", by="la_code", strategy="backward", allow_exact_matches=False))
    t = t.with_columns(
        pl.when(ok).then(pl.col("previous_wave")).alias("previous_wave"),
        pl.when(ok).then(true_round(pl.col("_prev_value"), d)).alias("previous_value"))
    with_p = counted & pl.col("previous_wave").is_not_null() & pl.col("_prev_num").is_not_null()
    p = vec.two_proportion_p(pl.col("num"), pl.col("den"), pl.col("_prev_num"), pl.col("_prev_den"))
    t = t.with_columns(pl.when(with_p).then(p).alias("change_p"))

    ref = la_reference()
    names = {code: ref.name(code) for code in t["la_code"].unique().to_list()}
    t = t.with_columns(
        true_round(pl.col("value"), d).alias("value"),
        true_round(pl.col("region_raw"), d).alias("region_value"),
        true_round(pl.col("england_published"), d).alias("england_value"),
    ).with_columns(
        (pl.col("value") - pl.col("previous_value")).alias("change"),
        pl.when(pl.col("change_p").is_not_null()).then(pl.col("change_p") < SIGNIFICANCE)
        .alias("change_significant"),
        pl.col("la_code").replace_strict(names, return_dtype=pl.String).alias("la_name"),
        pl.col("year").cast(pl.Int64).alias("wave"),
    )
    consts = {
        "indicator_id": metric.id, "domain": metric.domain, "source": "dfe", "title": metric.title,
        "cohort": metric.cohort, "age_band": "all", "breakdown": "", "group": "all", "category": "",
        "low_base": False, "unit": metric.unit, "polarity": metric.polarity,
    }
    t = t.with_columns([pl.lit(v).alias(k) for k, v in consts.items()])
    # A blank cell is no symbol the DfE uses (dashboard.loaders.dfe): say the file has no figure.
    t = t.with_columns(pl.when(~ok & (pl.col("status") == "blank")).then(pl.lit("no figure in the DfE's file for this year"))
                       .when(~ok).then(pl.lit("the DfE publishes '") + pl.col("status") + pl.lit("' for this year"))
                       .alias("reason"))
    out = t.select([pl.col(c).cast(schema[c]) if c in t.columns else pl.lit(None, dtype=schema[c]).alias(c)
                    for c in schema])
    return out.sort("la_code", "wave")


def _schema(columns: list[str]) -> dict[str, pl.DataType]:
    types = {
        "value": pl.Float64, "numerator": pl.Int64, "base": pl.Int64, "not_answered": pl.Int64,
        "ci_low": pl.Float64, "ci_high": pl.Float64, "low_base": pl.Boolean, "comparator_value": pl.Float64,
        "pool_value": pl.Float64, "pool_las": pl.Int64, "national_value": pl.Float64,
        "general_population_value": pl.Float64, "england_value": pl.Float64, "region_value": pl.Float64,
        "neighbour_median": pl.Float64, "neighbours_used": pl.Int64, "wave": pl.Int64, "previous_wave": pl.Int64,
        "previous_value": pl.Float64, "change": pl.Float64, "change_p": pl.Float64, "change_significant": pl.Boolean,
    }
    schema = {c: types.get(c, pl.String) for c in columns}
    schema["note"] = pl.String
    return schema
