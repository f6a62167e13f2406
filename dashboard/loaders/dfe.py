"""DfE published statistics (spec 3.5): explore education statistics (EES) "open data" files,
and the DfE statistical neighbour files, loaded by the same `load dfe` command.

An EES file has the mandatory columns time_period, time_identifier, geographic_level,
country_code and country_name; region_code and region_name when it has Regional rows;
old_la_code, new_la_code and la_name when it has Local authority rows. Every other column is
a filter or an indicator, read by name (column order differs between files):

- an indicator column is one whose non-blank cells are all numbers or suppression symbols;
- a column that is nearly so (at least 90% of its non-blank cells are numbers or symbols, and
  the other cells are not a filter's total label such as "Total") is an indicator with bad
  cells: each bad cell is a problem naming its row and column (a stray "12a" must not turn
  an indicator into a filter without anyone noticing);
- any other column is a filter; its values are kept in the `filters` map of every value;
- a column that is blank on every row loaded is ignored, with a notice.

Every indicator cell becomes one row of dfe_values, with the number in `value` and what the
cell said in `status`:

- a number (thousands separators allowed: 1,234) -> value, status 'ok';
- a suppression symbol c, k, low, u, x, z or the older :, .., ~, - -> status = the symbol
  (lower case), value NULL: never 0 and never a sentinel number;
- a blank cell -> status 'blank', value NULL. A blank is not a symbol the DfE publishes, so it
  is kept apart from them: a reader can tell "the file said nothing" from "the DfE says x".

Rows are kept at the National, Regional and Local authority levels; rows at the other EES
levels (Local authority district, Parliamentary constituency, School ...) are skipped with a
notice. A geographic_level that is not an EES level at all (a typo such as "Local authorty")
is a problem, so rows are never dropped silently.

area_code is the country code (E92000001 for England) for National rows, region_code for
Regional rows and, for Local authority rows, the code the LA has today in the LA reference, so
that Barnsley published as E08000016 in 2013 and E08000038 in 2025 is one series; the codes
as published are kept in old_la_code and new_la_code. An LA that was reorganised away
(Cumbria E10000006, Northamptonshire E10000021) keeps its own code: its series ends, and its
successors have series of their own. Published files list a reorganised LA in later years
(with 'z' cells), so such rows are kept, not rejected. area_name is the reference's name for
LA rows (one name per series), the published name otherwise.

time_period is a 4-digit year (2025) or a 6-digit pair of years (202425: the second pair
must follow the first); `year` is the calendar year the period ends in (2025 for both). A
time_identifier that EES defines as 4-digit (Calendar year, Reporting year, months, weeks) or
6-digit (Academic year, Financial year, Tax year, terms, quarters) must match the period.

The dataset name is the file name without its extension unless --dataset names it. A dataset
already loaded (from a file with other content: identical content is skipped) is a problem
unless --replace, which deletes the old dataset's values and says what it replaced.
"""
from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from dashboard import store
from dashboard.loaders.base import Loader, Prepared
from dashboard.loaders.neighbours import check_neighbours_store, is_neighbour_header, prepare_neighbours
from dashboard.problems import ROW, LoadRejected, Problem, Problems
from dashboard.readers import FORMATS, Table, read_table
from dashboard.reference import la_reference

YEAR_RANGE_SUFFIX = re.compile(r"_(?:\d{4})_to_(?:\d{4})$")


def dataset_name(path: Path) -> str:
    """The name a file is stored under: its stem without a trailing year range, so that next
    year's publication (b1_children_in_need_2013_to_2026.csv) is the same dataset as this
    year's (b1_children_in_need_2013_to_2025.csv) and replaces it with --replace."""
    return YEAR_RANGE_SUFFIX.sub("", path.stem)


MANDATORY = ["time_period", "time_identifier", "geographic_level", "country_code", "country_name"]
REGION_COLUMNS = ["region_code", "region_name"]
LA_COLUMNS = ["old_la_code", "new_la_code", "la_name"]

NATIONAL, REGIONAL, LOCAL_AUTHORITY = "National", "Regional", "Local authority"
KEPT_LEVELS = [NATIONAL, REGIONAL, LOCAL_AUTHORITY]
# The other geographic levels EES defines: rows at these levels are skipped with a notice.
OTHER_LEVELS = ["Local authority district", "RSC region", "Parliamentary constituency",
                "Local skills improvement plan area", "Local enterprise partnership",
                "English devolved area", "Mayoral combined authority", "Opportunity area", "Ward",
                "MAT", "Multi-academy trust", "Sponsor", "School", "Provider", "Institution",
                "Planning area", "Police area", "Police force area", "Health area"]
LEVELS = {lv.lower(): lv for lv in KEPT_LEVELS + OTHER_LEVELS}
# The code and name columns of those other levels: geography, never filters.
OTHER_GEOGRAPHY_COLUMNS = {
    "lad_code", "lad_name", "rsc_region_lead_name", "pcon_code", "pcon_name", "lsip_code", "lsip_name",
    "local_enterprise_partnership_code", "local_enterprise_partnership_name", "english_devolved_area_code",
    "english_devolved_area_name", "mayoral_combined_authority_code", "mayoral_combined_authority_name",
    "opportunity_area_code", "opportunity_area_name", "ward_code", "ward_name", "trust_id", "trust_name",
    "sponsor_id", "sponsor_name", "school_urn", "school_name", "school_laestab", "provider_ukprn",
    "provider_name", "institution_id", "institution_name", "planning_area_code", "planning_area_name",
    "police_area_code", "police_area_name", "police_force_area_code", "police_force_area_name",
    "health_area_code", "health_area_name"}

SYMBOLS = ["c", "k", "low", "u", "x", "z", ":", "..", "~", "-"]
SYMBOLS_TEXT = "c, k, low, u, x, z, :, .., ~, -"
NUMBER = r"^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?)$"
NEARLY_NUMERIC = 0.9
# Non-numeric labels that filters mix with numbers (an "age" filter of 16, 17, 18 and Total).
FILTER_LABELS = {"total", "all", "all ages", "unknown", "not known", "other", "none", "missing",
                 "not applicable", "not recorded", "unclassified"}

FOUR_DIGIT_IDENTIFIERS = {"calendar year", "reporting year", "january", "february", "march", "april",
                          "may", "june", "july", "august", "september", "october", "november", "december",
                          *(f"week {i}" for i in range(1, 54)), *(f"calendar year q{i}" for i in range(1, 5))}
SIX_DIGIT_IDENTIFIERS = {"academic year", "financial year", "tax year", "autumn term", "spring term",
                         "summer term", "autumn and spring term", "part 1 (april to september)",
                         "part 2 (october to march)", *(f"financial year q{i}" for i in range(1, 5)),
                         *(f"academic year q{i}" for i in range(1, 5)), *(f"tax year q{i}" for i in range(1, 5))}
EARLIEST_YEAR = 1990

STAGING = "dfe_values_incoming"  # temporary table: polars cannot hold a MAP, DuckDB builds it
VALUE_COLUMNS = ["dataset", "time_period", "year", "time_identifier", "geographic_level", "area_code",
                 "area_name", "region_code", "old_la_code", "new_la_code", "filters", "indicator",
                 "value", "status"]


def as_number(col: str) -> pl.Expr:
    return pl.col(col).str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False)


def is_number(col: str) -> pl.Expr:
    """A number as published (thousands separators allowed); never inf or nan."""
    return pl.col(col).str.contains(NUMBER) & as_number(col).is_finite()


def is_symbol(col: str) -> pl.Expr:
    return pl.col(col).str.to_lowercase().is_in(SYMBOLS)


def _peek_csv_header(path: Path) -> list[str]:
    """The header row of a CSV file, or [] if it cannot be read (read_table then says why)."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            return [h.strip() for h in next(csv.reader(fh), [])]
    except OSError:
        return []


class DfeLoader(Loader):
    kind = "dfe"
    table = "dfe_values"
    formats = ("csv", "xlsx", "parquet", "ods")  # .ods: the DfE's spreadsheets (dashboard.loaders.dfe_sheets)

    def __init__(self):
        # Names given out in this command: two files may not load under one name.
        self._names: dict[tuple[str, str], str] = {}

    def columns(self) -> list[str]:
        return list(VALUE_COLUMNS)

    # -- reading ----------------------------------------------------------------------
    def prepare(self, path: Path, digest: str, options: dict) -> Prepared:
        path = Path(path)
        why = _not_statistics(path)
        if why:
            return Prepared(path, digest, path.suffix.lstrip(".").lower() or "none",
                            pl.DataFrame(schema={c: pl.String for c in VALUE_COLUMNS}), 0, f"skipped: {why}",
                            None, [f"{path.name}: skipped, {why}"], table=self.table,
                            columns=list(VALUE_COLUMNS), extra={"what": "skipped"})
        if path.suffix.lower() == ".ods":
            from dashboard.loaders.dfe_sheets import ods_as_ees

            table, name = ods_as_ees(path)
            return self._prepare_ees(table, digest, options, default_name=name)
        if FORMATS.get(path.suffix.lower()) == "csv" and path.is_file():
            neighbours = is_neighbour_header(_peek_csv_header(path))
            table = read_table(path, self.formats, sheet=options.get("sheet"), unique_header=not neighbours)
        else:
            table = read_table(path, self.formats, sheet=options.get("sheet"), unique_header=False)
            neighbours = is_neighbour_header(table.columns())
            if not neighbours:
                _reject_duplicate_names(table)
        if not neighbours and is_fingertips_header(table.columns()):
            table = fingertips_as_ees(table)
        if neighbours:
            prepared = prepare_neighbours(table, digest, options)
            self._claim(("model", prepared.extra["model"]), table.name, "statistical neighbour model")
            return prepared
        return self._prepare_ees(table, digest, options)

    def _claim(self, key: tuple[str, str], file: str, what: str) -> None:
        earlier = self._names.get(key)
        if earlier is not None:
            p = Problems()
            p.add(file, None, None, key[1],
                  f"a {what} name not used by another file in the same command ({earlier} is loading as "
                  f"'{key[1]}'); load the files in separate commands, each with its own --dataset NAME")
            raise LoadRejected(p)
        self._names[key] = file

    def _prepare_ees(self, table: Table, digest: str, options: dict, default_name: str | None = None) -> Prepared:
        f = table.name
        problems = Problems()
        notices = list(table.notices)
        dataset = (options.get("dataset") or "").strip() or default_name or dataset_name(table.path)
        present = {c.lower(): c for c in table.columns()}
        missing = [c for c in MANDATORY if c not in present]
        for c in missing:
            problems.add(f, 1, c, None, f"a column named '{c}' in the header row (every explore education "
                         f"statistics file has: {', '.join(MANDATORY)})")
        if problems:
            raise LoadRejected(problems)
        df = table.df.rename({present[c]: c for c in MANDATORY})
        rows_read = df.height

        # Geographic levels: keep three, skip the other EES levels, reject anything else.
        level = pl.col("geographic_level").str.to_lowercase().replace_strict(LEVELS, default=None,
                                                                            return_dtype=pl.String)
        df = df.with_columns(level.alias("__level"))
        expected_level = (f"a geographic level: {', '.join(KEPT_LEVELS)} are loaded; the other explore "
                          "education statistics levels (such as Local authority district or School) are skipped")
        problems.add_rows(f, df.filter(pl.col("geographic_level").is_not_null() & pl.col("__level").is_null()),
                          "geographic_level", expected_level)
        problems.add_rows(f, df.filter(pl.col("geographic_level").is_null()), "geographic_level",
                          f"{expected_level} (this column cannot be blank)")
        skipped = df.filter(pl.col("__level").is_not_null() & ~pl.col("__level").is_in(KEPT_LEVELS))
        if skipped.height:
            counts = skipped.group_by("__level").len().sort("__level")
            notices.append(f"{f}: skipped {skipped.height:,} row(s) at geographic levels this product does not use ("
                           + ", ".join(f"{lv}: {n:,}" for lv, n in counts.iter_rows()) + ")")
        df = df.filter(pl.col("__level").is_in(KEPT_LEVELS)).with_columns(pl.col("__level").alias("geographic_level"))
        df = df.drop("__level")
        df = _skip_unknown_areas(df, present, notices, f)
        levels = set(df["geographic_level"].unique().to_list())
        if df.height == 0 and not problems:
            problems.add(f, None, "geographic_level", None,
                         f"at least one row at the {', '.join(KEPT_LEVELS)} level (this file has none)")
            raise LoadRejected(problems)

        # Columns each level needs.
        needed = (REGION_COLUMNS if REGIONAL in levels else []) + (LA_COLUMNS if LOCAL_AUTHORITY in levels else [])
        for c in needed:
            if c not in present:
                lv = REGIONAL if c in REGION_COLUMNS else LOCAL_AUTHORITY
                problems.add(f, 1, c, None, f"a column named '{c}' in the header row (the file has {lv} rows, "
                             f"which need {', '.join(REGION_COLUMNS if lv == REGIONAL else LA_COLUMNS)})")
        if problems:
            raise LoadRejected(problems)
        geo = [c for c in REGION_COLUMNS + LA_COLUMNS if c in present]
        df = df.rename({present[c]: c for c in geo})
        for c in REGION_COLUMNS + LA_COLUMNS:
            if c not in df.columns:
                df = df.with_columns(pl.lit(None, dtype=pl.String).alias(c))
        known = set(MANDATORY) | set(REGION_COLUMNS) | set(LA_COLUMNS)
        ignored_geo = [present[c] for c in present if c in OTHER_GEOGRAPHY_COLUMNS]
        if ignored_geo:
            notices.append(f"{f}: ignored the geography column(s) of levels not loaded: {', '.join(ignored_geo)}")
        others = [present[c] for c in present if c not in known and c not in OTHER_GEOGRAPHY_COLUMNS]

        df = _durations_as_months(df, others, notices, f)
        filters, indicators, blank_cols = _classify(df, others, problems, f)
        if blank_cols:
            notices.append(f"{f}: ignored column(s) blank on every row loaded: {', '.join(blank_cols)}")
        if not indicators and not problems:
            problems.add(f, 1, None, None,
                         "at least one indicator column: a column whose cells are numbers or suppression symbols "
                         f"({SYMBOLS_TEXT}); every other column was read as a filter ({', '.join(others) or 'none'})")

        # The file's own column names may be anything (even 'year' or 'area_code'): from here on
        # filters and indicators go by internal names, and get their own names back when written.
        alias = {c: f"__col{i}" for i, c in enumerate(filters + indicators)}
        df = df.select([pl.col(ROW), *[pl.col(c) for c in MANDATORY + REGION_COLUMNS + LA_COLUMNS],
                        *[pl.col(c).alias(a) for c, a in alias.items()]])
        df = self._geography(df, problems, f)
        df = _time(df, problems, f)
        _one_identifier_per_period(df, problems, f)
        if not problems:
            _unique(df, {alias[c]: c for c in filters}, problems, f)
        if problems:
            raise LoadRejected(problems)

        frame = _values(df, dataset, {alias[c]: c for c in filters}, {alias[c]: c for c in indicators})
        periods = sorted(df["time_period"].unique().to_list())
        scope = _scope(dataset, df, indicators, periods)
        self._claim(("dataset", dataset), f, "dataset")
        return Prepared(table.path, digest, table.format, frame, rows_read, scope, None, notices,
                        table=STAGING, columns=list(VALUE_COLUMNS),
                        extra={"what": "ees", "dataset": dataset, "filters": filters, "indicators": indicators,
                               "time_periods": periods})

    def _geography(self, df: pl.DataFrame, problems: Problems, f: str) -> pl.DataFrame:
        ref = la_reference()
        lv = pl.col("geographic_level")
        nat, reg, la = lv == NATIONAL, lv == REGIONAL, lv == LOCAL_AUTHORITY
        country_ok = pl.col("country_code").str.contains(r"^[A-Za-z]\d{8}$")
        problems.add_rows(f, df.filter(pl.col("country_code").is_not_null() & ~country_ok), "country_code",
                          "a 9-character ONS country code such as E92000001 (England)")
        for c in ["country_code", "country_name", "time_identifier"]:
            problems.add_rows(f, df.filter(pl.col(c).is_null()), c, "a value (this column cannot be blank)")
        region_ok = pl.col("region_code").str.contains(r"^[Ee]1[23]\d{6}$")
        problems.add_rows(f, df.filter(reg & pl.col("region_code").is_not_null() & ~region_ok), "region_code",
                          "a 9-character ONS region code such as E12000001 (North East) or E13000001 (Inner London)")
        for c in REGION_COLUMNS:
            problems.add_rows(f, df.filter(reg & pl.col(c).is_null()), c,
                              "a value on every Regional row (this column cannot be blank there)")

        df = df.with_columns(ref.canonical_expr("old_la_code").alias("__old"),
                             ref.canonical_expr("new_la_code").alias("__new"))
        la_expected = ("a local authority code known to the LA reference (data/reference/la_codes.csv): "
                       "{what}")
        problems.add_rows(f, df.filter(la & pl.col("new_la_code").is_not_null() & pl.col("__new").is_null()),
                          "new_la_code", la_expected.format(what="9 characters like E08000016"))
        problems.add_rows(f, df.filter(la & pl.col("old_la_code").is_not_null() & pl.col("__old").is_null()),
                          "old_la_code", la_expected.format(what="3 digits like 370"))
        problems.add_rows(f, df.filter(la & pl.col("old_la_code").is_null() & pl.col("new_la_code").is_null()),
                          "new_la_code", "an LA code in new_la_code or old_la_code on every Local authority row")
        clash = df.filter(la & pl.col("__old").is_not_null() & pl.col("__new").is_not_null()
                          & (pl.col("__old") != pl.col("__new")))
        if clash.height:
            pairs = clash.select("old_la_code", "new_la_code", "__old", "__new").unique()
            said = {(o, n): f"old_la_code {o} is {ref.label(co)} but new_la_code {n} is {ref.label(cn)}"
                    for o, n, co, cn in pairs.iter_rows()}
            for row, o, n in clash.select(ROW, "old_la_code", "new_la_code").head(200).iter_rows():
                problems.items.append(Problem(f, row, "new_la_code", f"{o} / {n}",
                                              f"old_la_code and new_la_code to name the same local authority in "
                                              f"the LA reference: {said[(o, n)]}"))
            problems.total += clash.height

        la_code = pl.coalesce(pl.col("__new"), pl.col("__old"))
        names = ref.mapping()
        name_of = {code: ref.name(code) for code in set(names.values())}
        region_of = {la_.la_code: la_.region_code for la_ in ref.by_code.values()}
        return df.with_columns(
            pl.when(nat).then(pl.col("country_code").str.to_uppercase())
            .when(reg).then(pl.col("region_code").str.to_uppercase())
            .otherwise(la_code).alias("area_code"),
            pl.when(nat).then(pl.col("country_name"))
            .when(reg).then(pl.col("region_name"))
            .otherwise(la_code.replace_strict(name_of, default=None, return_dtype=pl.String)).alias("area_name"),
            pl.when(nat).then(None)
            .when(reg).then(pl.col("region_code").str.to_uppercase())
            .otherwise(pl.coalesce(pl.col("region_code").str.to_uppercase(),
                                   la_code.replace_strict(region_of, default=None, return_dtype=pl.String)))
            .alias("region_code"),
            pl.when(la).then(pl.col("old_la_code")).otherwise(None).alias("old_la_code"),
            pl.when(la).then(pl.col("new_la_code").str.to_uppercase()).otherwise(None).alias("new_la_code"),
        ).drop("__old", "__new")

    # -- writing ----------------------------------------------------------------------
    def check_store(self, con: duckdb.DuckDBPyConnection, prepared: Prepared, replace: bool,
                    problems: Problems) -> list[str]:
        if prepared.extra["what"] == "skipped":
            return []
        if prepared.extra["what"] == "neighbours":
            return check_neighbours_store(con, prepared, replace, problems)
        dataset = prepared.extra["dataset"]
        loaded = con.execute(store.sql("dfe_dataset_loaded"), [dataset]).fetchall()
        replaced = []
        for name, load_id, file_name, values in loaded:
            source = f"{values:,} values from load #{load_id} ({file_name})"
            if not replace:
                problems.add(prepared.path.name, None, "dataset", name,
                             f"a dataset that is not loaded yet: '{name}' is already loaded ({source}); "
                             "use --replace to replace it with this file, or --dataset NAME to load it "
                             "under another name")
                continue
            con.execute("DELETE FROM dfe_values WHERE dataset = ?", [name])
            con.execute("DELETE FROM dfe_datasets WHERE dataset = ?", [name])
            replaced.append(f"dataset '{name}': {source}")
        if not problems:
            con.execute(store.sql("create_dfe_values_incoming"))
        return replaced

    def after_insert(self, con: duckdb.DuckDBPyConnection, prepared: Prepared) -> None:
        if prepared.extra["what"] != "ees":
            return
        con.execute(store.sql("insert_dfe_values_incoming"))
        x = prepared.extra
        con.execute(store.sql("record_dfe_dataset"),
                    [x["dataset"], prepared.path.name, x["filters"], x["indicators"], x["time_periods"]])
        con.execute(store.with_identifiers("DROP TABLE {staging}", staging=STAGING))


# OHID Fingertips downloads (hospital admissions ...): one row per area, period, sex, age and
# category, with Value, confidence limits, Count and Denominator. Read by turning them into the EES
# shape: area type -> geographic level, "2023/24" -> 202324 (Financial year), Sex, Age, Category Type
# and Category as filters, the numeric columns as indicators.
FINGERTIPS_HEADER = {"Indicator ID", "Area Code", "Area Name", "Area Type", "Sex", "Age", "Time period", "Value"}
FINGERTIPS_LEVELS = (("England", NATIONAL), ("Regions", REGIONAL), ("Counties & UAs", LOCAL_AUTHORITY),
                     ("Upper tier", LOCAL_AUTHORITY))
FINGERTIPS_FILTERS = ["Sex", "Age", "Category Type", "Category"]
FINGERTIPS_INDICATORS = ["Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Lower CI 99.8 limit",
                         "Upper CI 99.8 limit", "Count", "Denominator"]


def is_fingertips_header(columns: list[str]) -> bool:
    return FINGERTIPS_HEADER <= set(columns)


def fingertips_as_ees(table: Table) -> Table:
    df = table.df
    area_type = pl.col("Area Type")
    level = pl.lit(None, dtype=pl.String)
    for prefix, lv in reversed(FINGERTIPS_LEVELS):
        level = pl.when(area_type.str.starts_with(prefix)).then(pl.lit(lv)).otherwise(level)
    # An area type this product does not use (districts ...) is named as such, and skipped by level.
    level = pl.coalesce(level, area_type)
    period = pl.col("Time period")
    six = period.str.contains(r"^\d{4}/\d{2}$")
    parent = pl.col("Parent Code") if "Parent Code" in df.columns else pl.lit(None, dtype=pl.String)
    is_region_code = parent.str.contains(r"^E1[23]\d{6}$").fill_null(False)
    out = df.select(
        ROW,
        pl.when(six).then(period.str.slice(0, 4) + period.str.slice(5, 2)).otherwise(period).alias("time_period"),
        pl.when(six).then(pl.lit("Financial year")).otherwise(pl.lit("Reporting year")).alias("time_identifier"),
        level.alias("geographic_level"),
        pl.lit("E92000001").alias("country_code"), pl.lit("England").alias("country_name"),
        pl.when(level == REGIONAL).then(pl.col("Area Code"))
        .when((level == LOCAL_AUTHORITY) & is_region_code).then(parent).alias("region_code"),
        pl.when(level == REGIONAL).then(pl.col("Area Name").str.replace(r" region \(statistical\)$", ""))
        .alias("region_name"),
        pl.lit(None, dtype=pl.String).alias("old_la_code"),
        pl.when(level == LOCAL_AUTHORITY).then(pl.col("Area Code")).alias("new_la_code"),
        pl.when(level == LOCAL_AUTHORITY).then(pl.col("Area Name")).alias("la_name"),
        *[pl.col(c).fill_null("").alias(c) for c in FINGERTIPS_FILTERS if c in df.columns],
        *[pl.col(c) for c in FINGERTIPS_INDICATORS if c in df.columns],
    )
    notices = [*table.notices, f"{table.name}: read as an OHID Fingertips file (area type as geographic level, "
               "financial years such as 2023/24 as 202324; Sex, Age and Category as filters)"]
    # Fingertips exports repeat the England rows once per group of areas: identical rows, kept once.
    unique = out.unique([c for c in out.columns if c != ROW], keep="first", maintain_order=True)
    if unique.height < out.height:
        notices.append(f"{table.name}: {out.height - unique.height:,} row(s) repeated an earlier row cell for cell "
                       "and were kept once")
    return Table(table.path, table.format, unique, notices)


DOCUMENTATION = {".md", ".txt", ".rst", ".html", ".pdf", ".docx"}
# The DfE dashboard's own list of its metrics (csc_dashboard_metric_catalogue.csv): metadata the
# catalogue of this product was built from, not statistics.
METRIC_CATALOGUE_HEADER = {"sort_order", "dataset_name", "value_column", "dimensional_filters"}


def _not_statistics(path: Path) -> str | None:
    """Why a file in a folder of DfE downloads is not one to load (None when it may be)."""
    if path.suffix.lower() in DOCUMENTATION and path.name.lower().startswith(("readme", "licence", "license")):
        return "a documentation file, not statistics"
    if path.suffix.lower() == ".csv" and path.is_file() and METRIC_CATALOGUE_HEADER <= set(_peek_csv_header(path)):
        return "the DfE dashboard's metric catalogue (metadata, not statistics)"
    return None


def _reject_duplicate_names(table: Table) -> None:
    # The readers name a repeated column NAME_duplicated_N (as polars does): it is still a repeat.
    lowered = [re.sub(r"_duplicated_\d+$", "", c.lower()) for c in table.columns()]
    dupes = sorted({c for c in lowered if lowered.count(c) > 1})
    if dupes:
        p = Problems()
        p.add(table.name, None, "header", ", ".join(dupes), "each column name to appear once in the header row")
        raise LoadRejected(p)


def _classify(df: pl.DataFrame, columns: list[str], problems: Problems, f: str) -> tuple[list, list, list]:
    """Split the non-geography columns into filters, indicators and blank columns (see the module
    docstring); bad cells of nearly numeric columns become problems."""
    if not columns:
        return [], [], []
    good = {c: (is_number(c) | is_symbol(c)) for c in columns}
    stats = df.select(
        *[pl.col(c).is_not_null().sum().alias(f"{c}\x00n") for c in columns],
        *[(pl.col(c).is_not_null() & good[c]).sum().alias(f"{c}\x00good") for c in columns],
    ).row(0, named=True)
    filters, indicators, blank = [], [], []
    for c in columns:
        n, ok = stats[f"{c}\x00n"], stats[f"{c}\x00good"]
        if n == 0:
            blank.append(c)
            continue
        if ok == n:
            indicators.append(c)
            continue
        bad = df.filter(pl.col(c).is_not_null() & ~good[c])
        labels_only = bool(bad[c].str.to_lowercase().is_in(list(FILTER_LABELS)).all())
        if ok >= NEARLY_NUMERIC * n and not labels_only:
            indicators.append(c)
            problems.add_rows(f, bad, c,
                              f"a number (such as 1234, 1,234 or 12.5), a suppression symbol ({SYMBOLS_TEXT}) or a "
                              f"blank: '{c}' is an indicator column ({ok:,} of its {n:,} cells are numbers or symbols)")
        else:
            filters.append(c)
    return filters, indicators, blank


def _skip_unknown_areas(df: pl.DataFrame, present: dict[str, str], notices: list[str], f: str) -> pl.DataFrame:
    """Rows whose region or LA code is 'z' (not applicable: "Unknown", "Outside of England") are
    no area of England: skipped, with a notice that counts them."""
    lv = pl.col("geographic_level")

    def is_z(c: str) -> pl.Expr:
        return pl.col(present[c]).str.strip_chars().str.to_lowercase() == "z" if c in present else pl.lit(False)

    z = (((lv == LOCAL_AUTHORITY) & (is_z("new_la_code") | is_z("old_la_code") | is_z("region_code")))
         | ((lv == REGIONAL) & is_z("region_code")))
    skipped = df.filter(z.fill_null(False))
    if skipped.height:
        counts = skipped.group_by("geographic_level").len().sort("geographic_level")
        notices.append(f"{f}: skipped {skipped.height:,} row(s) whose area code is 'z' (unknown or outside England: "
                       + ", ".join(f"{lv_}: {n:,}" for lv_, n in counts.iter_rows()) + ")")
    return df.filter(~z.fill_null(False))


def _one_identifier_per_period(df: pl.DataFrame, problems: Problems, f: str) -> None:
    """A time period published under two time_identifiers (2025 as 'Reporting year' and as
    'Calendar year') would leave a metric to pick one of them: refused, naming the rows."""
    first = (df.filter(pl.col("time_identifier").is_not_null()).sort(ROW)
             .group_by("time_period", maintain_order=True)
             .agg(pl.col("time_identifier").first().alias("__ident"), pl.col(ROW).first().alias("__at"),
                  pl.col("time_identifier").n_unique().alias("__n")))
    clash = first.filter(pl.col("__n") > 1)
    if clash.height == 0:
        return
    bad = (df.join(clash, on="time_period")
           .filter(pl.col("time_identifier") != pl.col("__ident")).sort(ROW))
    for row, period, ident, want, at in bad.head(200).select(ROW, "time_period", "time_identifier", "__ident",
                                                              "__at").iter_rows():
        problems.items.append(Problem(f, row, "time_identifier", ident,
                                      f"one time_identifier for each time_period: {period} is '{want}' on row {at}"))
    problems.total += bad.height


DURATION = r"^\d{1,3}:\d{2}$"


def _durations_as_months(df: pl.DataFrame, columns: list[str], notices: list[str], f: str) -> pl.DataFrame:
    """A column of years:months durations ("01:02", as the national adoption timeliness file writes
    them) becomes months (14), as the DfE's dashboard reads it; numbers (the same column's counts,
    on rows of another stage) and suppression symbols stay as they are."""
    for c in columns:
        col = pl.col(c).str.strip_chars()
        stats = df.select(col.str.contains(DURATION).sum().alias("d"),
                          (col.str.contains(DURATION) | is_symbol(c) | is_number(c)).sum().alias("ok"),
                          col.is_not_null().sum().alias("n")).row(0, named=True)
        if stats["d"] == 0 or stats["ok"] != stats["n"]:
            continue
        parts = col.str.split(":")
        months = (parts.list.get(0).cast(pl.Int64) * 12 + parts.list.get(1).cast(pl.Int64)).cast(pl.String)
        df = df.with_columns(pl.when(col.str.contains(DURATION)).then(months).otherwise(pl.col(c)).alias(c))
        notices.append(f"{f}: column '{c}' holds {stats['d']:,} years:months duration(s) (such as 01:02): "
                       "stored as months (14)")
    return df


def _time(df: pl.DataFrame, problems: Problems, f: str) -> pl.DataFrame:
    tp = pl.col("time_period")
    first = tp.str.slice(0, 4).cast(pl.Int32, strict=False)
    second = tp.str.slice(4, 2).cast(pl.Int32, strict=False)
    # [0-9], not \d: the regex engine's \d also matches other scripts' digits (２０２４), which no cast reads.
    four, six = tp.str.contains(r"^[0-9]{4}$"), tp.str.contains(r"^[0-9]{6}$")
    year = pl.when(four).then(first).when(six).then(first + 1).otherwise(None)
    df = df.with_columns(year.alias("year"), tp.is_not_null().alias("__has"))
    latest = date.today().year + 1
    problems.add_rows(f, df.filter(pl.col("__has") & ~four & ~six), "time_period",
                      "a 4-digit year such as 2025 or a 6-digit pair of years such as 202425")
    problems.add_rows(f, df.filter(six & ((first + 1) % 100 != second)), "time_period",
                      "a 6-digit pair of consecutive years such as 202425 (the last two digits are the year after the first four)")
    problems.add_rows(f, df.filter(pl.col("year").is_not_null() & ((pl.col("year") < EARLIEST_YEAR) | (pl.col("year") > latest))),
                      "time_period", f"a period ending between {EARLIEST_YEAR} and {latest}")
    problems.add_rows(f, df.filter(~pl.col("__has")), "time_period", "a time period (this column cannot be blank)")
    ident = pl.col("time_identifier").str.to_lowercase()
    # EES's own list of time identifiers (its data-screener rejects any other): a typo is refused by row.
    problems.add_rows(f, df.filter(pl.col("time_identifier").is_not_null()
                                   & ~ident.is_in(list(FOUR_DIGIT_IDENTIFIERS | SIX_DIGIT_IDENTIFIERS))),
                      "time_identifier", "a time identifier from the EES list, such as Reporting year, "
                      "Financial year, Academic year or Calendar year")
    problems.add_rows(f, df.filter(six & ident.is_in(list(FOUR_DIGIT_IDENTIFIERS))), "time_period",
                      "a 4-digit year such as 2025, as the time_identifier on this row is a single year")
    problems.add_rows(f, df.filter(four & ident.is_in(list(SIX_DIGIT_IDENTIFIERS))), "time_period",
                      "a 6-digit pair of years such as 202425, as the time_identifier on this row spans two years")
    return df.drop("__has").with_columns(pl.col("year").cast(pl.Int32))


def _unique(df: pl.DataFrame, filters: dict[str, str], problems: Problems, f: str) -> None:
    """One row per time period, area and combination of filter values (filters: internal -> file name)."""
    keys = ["time_period", "time_identifier", "geographic_level", "area_code"]
    fkeys = list(filters)
    k = df.select(ROW, *keys, *[pl.col(c).fill_null("") for c in fkeys])
    first = k.group_by(keys + fkeys).agg(pl.col(ROW).min().alias("__first"), pl.len().alias("__n"))
    dup = k.join(first.filter(pl.col("__n") > 1), on=keys + fkeys).filter(pl.col(ROW) != pl.col("__first"))
    if not dup.height:
        return
    dup = dup.sort(ROW).with_columns(
        pl.concat_str([pl.col(c) for c in ["time_period", "area_code", *fkeys]], separator=" / ").alias("__key"))
    shown = ["time_period", "area_code", *filters.values()]
    what = "time_period + area" + (" + filters" if filters else "")
    for row, key, earlier in dup.head(200).select(ROW, "__key", "__first").iter_rows():
        problems.items.append(Problem(f, row, what, key,
                                      f"each time period, area{' and combination of filter values' if filters else ''} "
                                      f"to appear once in the file ({' / '.join(shown)}): it repeats row {earlier}"))
    problems.total += dup.height


def _values(df: pl.DataFrame, dataset: str, filters: dict[str, str], indicators: dict[str, str]) -> pl.DataFrame:
    """One row per indicator cell, with value and status apart (vectorised: one unpivot).
    filters and indicators map the internal column names to the file's."""
    struct_type = pl.List(pl.Struct({"key": pl.String, "value": pl.String}))
    if filters:
        fmap = pl.concat_list([pl.struct(pl.lit(name).alias("key"), pl.col(c).alias("value"))
                               for c, name in filters.items()])
    else:
        fmap = pl.lit(None, dtype=struct_type)  # an empty map in DuckDB
    ids = ["time_period", "year", "time_identifier", "geographic_level", "area_code", "area_name",
           "region_code", "old_la_code", "new_la_code"]
    wide = df.select(*ids, fmap.alias("filters"), *indicators)
    long = wide.unpivot(on=list(indicators), index=ids + ["filters"], variable_name="indicator", value_name="cell")
    long = long.with_columns(pl.col("indicator").replace_strict(indicators, return_dtype=pl.String))
    cell = pl.col("cell")
    number = is_number("cell")
    return long.with_columns(
        pl.lit(dataset).alias("dataset"),
        pl.when(number).then(as_number("cell")).otherwise(None).alias("value"),
        pl.when(cell.is_null()).then(pl.lit("blank")).when(number).then(pl.lit("ok"))
        .otherwise(cell.str.to_lowercase()).alias("status"),
    ).select(VALUE_COLUMNS)


def _scope(dataset: str, df: pl.DataFrame, indicators: list[str], periods: list[str]) -> str:
    counts = dict(df.group_by("geographic_level").agg(pl.col("area_code").n_unique()).iter_rows())
    areas = []
    if NATIONAL in counts:
        areas.append("national")
    if REGIONAL in counts:
        areas.append(f"{counts[REGIONAL]} region(s)")
    if LOCAL_AUTHORITY in counts:
        areas.append(f"{counts[LOCAL_AUTHORITY]} LA(s)")
    span = periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"
    return f"DfE dataset '{dataset}': {len(indicators)} indicator(s), {span}, {', '.join(areas)}"


__all__ = ["DfeLoader", "SYMBOLS", "NUMBER", "is_number", "is_symbol"]
