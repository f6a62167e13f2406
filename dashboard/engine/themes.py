"""Theme counts (spec 3.7) through the disclosure gate: how many records of what children and
families said fall under each theme, by source, by who said it and over time.

Theme records are about identifiable people, so every count is gated like a record indicator:
the counts are Atoms (a distribution: category = theme, people=True) and the cells are cut,
tied and protected with the engine's own machinery (dashboard.engine.cells.cut and its
constraints, dashboard.disclosure.protect): a count of 1 to 5 is hidden, and further counts are
hidden until no hidden one can be worked out from the totals and the other parts.

Time: a reporting year (ending 31 March) is kept where cells keeps an age band, so that the
years add up to "all years loaded" (cells.ALL) inside ONE family and the gate sees that sum;
quarters are a breakdown whose levels name their year ("2025 Q1" is April to June 2024), so
the quarters of a year add up to that year. One family per LA and no pool of LAs: no figure
across LAs is ever published from themes, so the LAs are not tied to each other.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from dashboard import store
from dashboard.disclosure import OK, Cell, Family, Rules, protect, rules
from dashboard.engine.atoms import Atoms
from dashboard.engine.cells import ALL, KEYS, _family_constraints, cut

INDICATOR_ID = "themes"
SOURCE, SAID_BY, QUARTER = "source", "said_by", "quarter"
DIMS = [SOURCE, SAID_BY, QUARTER]
WAVE = 0           # every period of an LA is in one family (the gate's families are per wave)
QUARTER_MONTHS = {1: ("April", "June"), 2: ("July", "September"), 3: ("October", "December"),
                  4: ("January", "March")}


def quarter_level(reporting_year: int, quarter: int) -> str:
    """The breakdown level of a quarter: its reporting year and number, '2025 Q1'."""
    return f"{reporting_year} Q{quarter}"


def quarter_label(level: str) -> str:
    """'2025 Q1' -> 'Apr-Jun 2024' (the calendar months and year it covers)."""
    year, q = level.split(" Q")
    first, last = QUARTER_MONTHS[int(q)]
    calendar_year = int(year) - 1 if int(q) < 4 else int(year)
    return f"{first[:3]}-{last[:3]} {calendar_year}"


def period_label(period: str) -> str:
    """'2025' -> 'April 2024 to March 2025'; ALL -> 'all years loaded'."""
    if period == ALL:
        return "all years loaded"
    year = int(period)
    return f"April {year - 1} to March {year}"


def theme_atoms(con: duckdb.DuckDBPyConnection, la_code: str | None = None) -> Atoms:
    """The raw theme counts (never shown): one row per LA, reporting year, quarter, source, who
    said it and theme."""
    raw = store.frame(con, store.sql("theme_counts"), {"la_code": la_code})
    frame = raw.select(
        "la_code",
        pl.lit(WAVE, dtype=pl.Int32).alias("wave"),
        pl.lit(None, dtype=pl.String).alias("survey"),
        pl.lit(INDICATOR_ID).alias("cohort"),
        pl.col("reporting_year").cast(pl.String).alias("age_band"),
        pl.col("source").cast(pl.String),
        pl.col("said_by").cast(pl.String),
        pl.concat_str(pl.col("reporting_year").cast(pl.String), pl.lit(" Q"), pl.col("quarter").cast(pl.String))
        .alias(QUARTER),
        pl.col("theme").alias("category"),
        pl.col("n").cast(pl.Int64),
    )
    return Atoms(INDICATOR_ID, frame, list(DIMS), "distribution", people=True, has_age_bands=True)


def gate(atoms: Atoms, r: Rules | None = None) -> pl.DataFrame:
    """Every publishable theme cell of every LA in `atoms`, with status, reason and low-base flag.

    The same cells and constraints as dashboard.engine.cells.gate, one family per LA, no pool.
    Columns as cells.gate: la_code, wave, survey, cohort, age_band (the period: a reporting year
    or ALL), breakdown, group, category (the theme; '' for the group's total), numerator, base
    (the group's total), not_answered, indicator_id, status, reason, low_base."""
    r = r or rules()
    cells = cut(atoms).filter(pl.col("la_code") != "pool").sort(KEYS, nulls_last=True)
    statuses = []
    for (la,), fam_frame in cells.group_by(["la_code"], maintain_order=True):
        family = Family()
        ids = []
        for band, bd, grp, cat, num, base in fam_frame.select(
                "age_band", "breakdown", "group", "category", "numerator", "base").iter_rows():
            cid = (INDICATOR_ID, la, band, bd, grp, cat)
            ids.append(cid)
            # As cells.gate: a theme's count is shown with its group's total as base (a share); the
            # total itself is a plain count.
            family.add(Cell(cid, int(num), int(base), people=True, share=cat != "",
                            counts=(int(num),) if cat else (int(base),), size=int(num) if cat else None))
        _family_constraints(family, ids, atoms)
        protect(family, r)
        for cid, c in family.cells.items():
            statuses.append((*cid[1:], c.status, c.reason, c.low_base))
    gated = pl.DataFrame(statuses, orient="row", schema={
        "la_code": pl.String, "age_band": pl.String, "breakdown": pl.String, "group": pl.String,
        "category": pl.String, "status": pl.String, "reason": pl.String, "low_base": pl.Boolean})
    return cells.join(gated, on=["la_code", "age_band", "breakdown", "group", "category"], how="left",
                      nulls_equal=True)


@dataclass(frozen=True)
class ThemePeriods:
    years: list[int]            # reporting years with theme records, newest first

    @property
    def options(self) -> list[str]:
        return [ALL, *[str(y) for y in self.years]]


def periods(con: duckdb.DuckDBPyConnection, la_code: str) -> ThemePeriods:
    found = store.frame(con, store.sql("published_theme_periods"), {"la_code": la_code})
    return ThemePeriods(sorted((int(p) for p in found["period"].to_list()), reverse=True) if found.height else [])


COUNT_SCHEMA = {"period": pl.String, "breakdown": pl.String, "group": pl.String, "theme": pl.String,
                "records": pl.Int64, "group_records": pl.Int64, "share": pl.Float64, "status": pl.String,
                "reason": pl.String, "low_base": pl.Boolean}


def theme_counts(con: duckdb.DuckDBPyConnection, la_code: str, period: str = ALL,
                 breakdown: str = "") -> pl.DataFrame:
    """Published theme counts of an LA for a period (ALL or a reporting year as text) and a
    breakdown ('' for the whole, or one of DIMS). One row per group and theme, plus each group's
    total (theme ''). A hidden figure has no number: records, group_records and share are null
    and status 'c' says so, with the reason. `share` is the theme's % of the group's records."""
    found = store.frame(con, store.sql("published_theme_counts"),
                        {"la_code": la_code, "period": period, "breakdown": breakdown})
    return found.cast(COUNT_SCHEMA) if found.height else pl.DataFrame(schema=COUNT_SCHEMA)


def published_themes(con: duckdb.DuckDBPyConnection, la_code: str, period: str = ALL) -> list[str]:
    """Themes whose whole-group count is published for the period: only these may show quotes."""
    counts = theme_counts(con, la_code, period)
    return sorted(counts.filter((pl.col("theme") != "") & (pl.col("status") == OK))["theme"].to_list())


def quotes(con: duckdb.DuckDBPyConnection, la_code: str, period: str = ALL, per_theme: int = 3,
           cohort: str | None = None) -> dict[str, list[str]]:
    """Consented, publishable quotes for each theme whose count is published (at most `per_theme`
    each): only the words, never who said them or when. `cohort` keeps only what that cohort said
    (the themes file's cohort code, e.g. child_in_care), so a page about children never shows a
    parent's words. With a cohort, a theme shows that cohort's quotes only when the cohort's own
    count of it is published: a quote would otherwise show a hidden count is at least one."""
    allowed = set(published_themes(con, la_code, period))
    if cohort is not None and allowed:
        by = theme_counts(con, la_code, period, SAID_BY)
        allowed &= set(by.filter((pl.col("group") == cohort) & (pl.col("theme") != "")
                                 & (pl.col("status") == OK))["theme"].to_list())
    if not allowed:
        return {}
    rows = store.frame(con, store.sql("theme_quotes"),
                       {"la_code": la_code, "reporting_year": None if period == ALL else int(period),
                        "cohort": cohort})
    out: dict[str, list[str]] = {}
    for theme, quote in rows.iter_rows():
        if theme in allowed and len(out.setdefault(theme, [])) < per_theme:
            out[theme].append(quote)
    return {t: q for t, q in out.items() if q}
