"""Vectorised checks on a table of text cells. Each check adds one problem per bad row
(file, row, column, value found, what was expected) and returns the cleaned column."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from dashboard.problems import ROW, Problem, Problems
from dashboard.readers import Table
from dashboard.reference import la_reference

INT32_MAX = 2_147_483_647


@dataclass
class Checker:
    table: Table
    problems: Problems = field(default_factory=Problems)
    notices: list[str] = field(default_factory=list)

    @property
    def file(self) -> str:
        return self.table.name

    # -- columns -----------------------------------------------------------------------
    def columns(self, required: list[str], optional: list[str] = (), ignore_extra: bool = False) -> pl.DataFrame | None:
        """Match columns by name (case and surrounding spaces ignored). Returns the frame with
        canonical names for the required and present optional columns, or None if any required
        column is missing."""
        present = {c.lower(): c for c in self.table.columns()}
        missing = [c for c in required if c not in present]
        for c in missing:
            self.problems.add(self.file, 1, c, None,
                              f"a column named '{c}' in the header row (required: {', '.join(required)})")
        if missing:
            return None
        wanted = list(required) + [c for c in optional if c in present]
        extra = [present[c] for c in present if c not in wanted]
        if extra and not ignore_extra:
            self.notices.append(f"{self.file}: ignored column(s) not in the contract: {', '.join(extra)}")
        return self.table.df.select([pl.col(ROW)] + [pl.col(present[c]).alias(c) for c in wanted])

    # -- values ------------------------------------------------------------------------
    def not_blank(self, df: pl.DataFrame, cols: list[str]) -> None:
        for c in cols:
            if c in df.columns:
                self.problems.add_rows(self.file, df.filter(pl.col(c).is_null()), c,
                                       "a value (this column cannot be blank)")

    def vocab(self, df: pl.DataFrame, col: str, allowed: dict[str, str], expected: str,
              blank_ok: bool = False) -> pl.DataFrame:
        """Normalise `col` through `allowed` (lower-case text -> canonical)."""
        if col not in df.columns:
            return df
        norm = pl.col(col).str.to_lowercase().replace_strict(allowed, default=None, return_dtype=pl.String)
        df = df.with_columns(norm.alias(f"{col}__ok"))
        bad = df.filter(pl.col(col).is_not_null() & pl.col(f"{col}__ok").is_null())
        self.problems.add_rows(self.file, bad, col, expected)
        if not blank_ok:
            self.problems.add_rows(self.file, df.filter(pl.col(col).is_null()), col,
                                   f"a value (this column cannot be blank): {expected}")
        return df.with_columns(pl.col(f"{col}__ok").alias(col)).drop(f"{col}__ok")

    def integer(self, df: pl.DataFrame, col: str, lo: int | None, hi: int | None, what: str = "a whole number",
                blank_ok: bool = False) -> pl.DataFrame:
        if col not in df.columns:
            return df
        as_int = pl.col(col).str.replace(r"^\+", "").cast(pl.Int64, strict=False)
        df = df.with_columns(as_int.alias(f"{col}__int"))
        v = pl.col(f"{col}__int")
        ok = v.is_not_null()
        if lo is not None:
            ok = ok & (v >= lo)
        if hi is not None:
            ok = ok & (v <= hi)
        # Columns are stored as 32-bit INTEGER: a bigger number is refused here, by row, not in a cast.
        fits = v.is_between(-INT32_MAX, INT32_MAX)
        bounds = _bounds(lo, hi)
        self.problems.add_rows(self.file, df.filter(pl.col(col).is_not_null() & ~ok), col, f"{what}{bounds}")
        self.problems.add_rows(self.file, df.filter(ok & ~fits), col,
                               f"{what}{bounds} that is at most {INT32_MAX:,} (the largest number the database stores here)")
        ok = ok & fits
        if not blank_ok:
            self.problems.add_rows(self.file, df.filter(pl.col(col).is_null()), col,
                                   f"{what}{bounds} (this column cannot be blank)")
        return df.with_columns(pl.when(ok).then(pl.col(f"{col}__int")).otherwise(None).alias(col)).drop(f"{col}__int")

    def dates(self, df: pl.DataFrame, col: str, earliest: date = date(2000, 1, 1), blank_ok: bool = False,
              latest: date | None = None) -> pl.DataFrame:
        """Dates as YYYY-MM-DD (or DD/MM/YYYY, as UK spreadsheets write them); none in the future."""
        if col not in df.columns:
            return df
        latest = latest or date.today()
        parsed = pl.coalesce(pl.col(col).str.to_date("%Y-%m-%d", strict=False),
                             pl.col(col).str.to_date("%d/%m/%Y", strict=False))
        df = df.with_columns(parsed.alias(f"{col}__d"))
        d = pl.col(f"{col}__d")
        self.problems.add_rows(self.file, df.filter(pl.col(col).is_not_null() & d.is_null()), col,
                               "a date written YYYY-MM-DD (or DD/MM/YYYY)")
        self.problems.add_rows(self.file, df.filter(d.is_not_null() & ((d < earliest) | (d > latest))), col,
                               f"a date between {earliest.isoformat()} and {latest.isoformat()}")
        if not blank_ok:
            self.problems.add_rows(self.file, df.filter(pl.col(col).is_null()), col,
                                   "a date (this column cannot be blank)")
        return df.with_columns(d.alias(col)).drop(f"{col}__d")

    def la_codes(self, df: pl.DataFrame, col: str = "la_code") -> pl.DataFrame:
        """Replace codes (9-character or 3-digit, any case) by the code the LA has today."""
        if col not in df.columns:
            return df
        ref = la_reference()
        df = df.with_columns(ref.canonical_expr(col).alias(f"{col}__c"))
        bad = df.filter(pl.col(col).is_not_null() & pl.col(f"{col}__c").is_null())
        self.problems.add_rows(self.file, bad, col,
                               "an English local authority code: 9 characters like E10000016 or 3 digits like 886")
        self.problems.add_rows(self.file, df.filter(pl.col(col).is_null()), col,
                               "an LA code (this column cannot be blank)")
        return df.with_columns(pl.col(f"{col}__c").alias(col)).drop(f"{col}__c")

    def la_existed(self, df: pl.DataFrame, year_col: str, col: str = "la_code") -> None:
        """An LA that was reorganised away cannot have data for a later year."""
        ref = la_reference()
        ceased = {la.la_code: la for la in ref.by_code.values() if la.ceased_year}
        if not ceased or col not in df.columns or year_col not in df.columns:
            return
        rows = df.filter(pl.col(col).is_in(list(ceased)) & pl.col(year_col).is_not_null())
        for la_code, sub in sorted(rows.group_by(col, maintain_order=True), key=lambda group: group[0]):  # by code
            la = ceased[la_code[0]]
            late = sub.filter(pl.col(year_col) > la.ceased_year)
            successors = " or ".join(ref.label(c) for c in la.successor_codes)
            self.problems.add_rows(self.file, late, col,
                                   f"an LA that existed in that year: {la.la_name} ceased on "
                                   f"{la.changed_on.isoformat()} ({la.note}); use {successors}",
                                   value_column=col)

    def unique(self, df: pl.DataFrame, keys: list[str], what: str) -> None:
        """Each key may appear once in the file; later copies are reported with the first row."""
        keyed = df.filter(pl.all_horizontal([pl.col(k).is_not_null() for k in keys]))
        first = keyed.group_by(keys).agg(pl.col(ROW).min().alias("__first"), pl.len().alias("__n"))
        dup = keyed.join(first.filter(pl.col("__n") > 1), on=keys).filter(pl.col(ROW) != pl.col("__first"))
        if dup.height:
            dup = dup.sort(ROW).with_columns(
                pl.concat_str([pl.col(k).cast(pl.String) for k in keys], separator=" / ").alias("__key"))
            for rec in dup.head(max(self.problems.keep - len(self.problems.items), 0)).select(ROW, "__key", "__first").iter_rows():
                self.problems.items.append(Problem(self.file, rec[0], " + ".join(keys), rec[1],
                                                    f"{what} to appear once in the file (it repeats row {rec[2]})"))
            self.problems.total += dup.height


def _bounds(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f" from {lo} to {hi}"
    if lo is not None:
        return f" of at least {lo}"
    if hi is not None:
        return f" of at most {hi}"
    return ""


def lower_map(values) -> dict[str, str]:
    """Vocabulary lookup: accepted lower-case text -> canonical value."""
    return {str(v).lower(): str(v) for v in values}
