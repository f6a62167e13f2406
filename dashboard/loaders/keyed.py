"""What the record-level loaders have in common (feedback forms, reviews, voice checks,
actions, themes: spec 3.2, 3.3, 3.4, 3.6, 3.7).

Each of these files holds one row per record, identified by a key (the LA code and the file's
own id, or for voice checks the LA, child, date and check). A KeyedLoader reads a CSV, lets
the subclass validate and normalise its columns, reports repeated keys inside the file, and,
in ONE place for all five kinds, compares the keys with what is already loaded: a key that is
already in the store is a problem unless --replace is given, in which case the loaded rows with
those keys are deleted (in the load's transaction) and check_store says what was replaced.
"""
from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import duckdb
import polars as pl

from dashboard import store
from dashboard.loaders.base import Loader, Prepared
from dashboard.problems import ROW, LoadRejected, Problems
from dashboard.readers import read_table
from dashboard.reference import la_reference
from dashboard.validate import Checker


YES_NO = {"yes": "yes", "y": "yes", "no": "no", "n": "no"}


def codes(values, aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Vocabulary lookup for snake_case codes: lower-case text -> canonical code. 'Child in need'
    and 'child-in-need' are read as child_in_need (case and separators are not meaningful)."""
    table: dict[str, str] = {}
    for v in values:
        v = str(v)
        for variant in (v, v.replace("_", " "), v.replace("_", "-")):
            table[variant.lower()] = v
    for alias, target in (aliases or {}).items():
        table[alias.lower()] = target
    return table


def snake_case(col: str) -> pl.Expr:
    """Free text as a lower snake_case code: 'Children in Care Council' -> children_in_care_council."""
    return (pl.col(col).str.to_lowercase().str.replace_all(r"[^\p{L}\p{N}]+", "_")
            .str.strip_chars("_").replace("", None))


def check_references(check: Checker, df: pl.DataFrame, cols: list[str]) -> None:
    """Pseudonymous references (worker_ref, family_ref, child_ref) must not look like names or
    contact details: two words separated by a space, an @, or a phone-number-like run of digits."""
    advice = "references, never names or contact details, are expected (use the case system's reference, such as W104 or FAM-2231)"
    for c in cols:
        if c not in df.columns:
            continue
        v = pl.col(c)
        present = v.is_not_null()
        name_like = present & v.str.contains(r"\p{L}+\s+\p{L}+")
        email_like = present & v.str.contains("@")
        phone_like = (present & v.str.contains(r"^\+?[\d\s().-]+$")
                      & (v.str.count_matches(r"\d") >= 10))
        check.problems.add_rows(check.file, df.filter(name_like), c,
                                f"a pseudonymous reference, but this looks like a name (words separated by a space): {advice}")
        check.problems.add_rows(check.file, df.filter(email_like & ~name_like), c,
                                f"a pseudonymous reference, but this looks like an email address (it has an @): {advice}")
        check.problems.add_rows(check.file, df.filter(phone_like), c,
                                f"a pseudonymous reference, but this looks like a phone number (10 or more digits): {advice}")


def la_existed_on(check: Checker, df: pl.DataFrame, date_col: str, col: str = "la_code") -> None:
    """A record dated on or after an LA's reorganisation cannot belong to the old LA. The day
    matters here (Cumbria ended on 2023-04-01, not at the end of 2023), so this compares dates
    where Checker.la_existed compares years."""
    if col not in df.columns or date_col not in df.columns:
        return
    ref = la_reference()
    # Show the code as the file wrote it (it may be the 3-digit code), not the canonical one.
    raw_name = next(c for c in check.table.columns() if c.lower() == col)
    raw = check.table.df.select(ROW, pl.col(raw_name).alias("__raw_code"))
    for la in ref.by_code.values():
        if la.status != "reorganised" or la.changed_on is None:
            continue
        late = df.filter((pl.col(col) == la.la_code) & (pl.col(date_col) >= la.changed_on))
        if late.height:
            successors = " or ".join(ref.label(c) for c in la.successor_codes)
            check.problems.add_rows(check.file, late.join(raw, on=ROW), col,
                                    f"an LA that existed on the {date_col}: {la.la_name} ceased on "
                                    f"{la.changed_on.isoformat()} ({la.note}); use {successors}",
                                    value_column="__raw_code")


def _sql(name: str, table: str, key: list[str]) -> str:
    """queries/NAME.sql with the table and key column names filled in. Those names come from the
    loader classes (checked to be plain identifiers), never from input; values are always
    passed as parameters or registered frames."""
    return store.with_identifiers(store.sql(name), table=table, key=list(key))


class KeyedLoader(Loader):
    """A CSV of records with a key. Subclasses set the class constants and `validate`."""

    formats = ("csv",)
    required: ClassVar[list[str]]            # file columns that must be in the header
    optional: ClassVar[list[str]] = []       # file columns that may be absent (read as blank)
    key: ClassVar[list[str]]                 # file columns identifying a record
    renames: ClassVar[dict[str, str]] = {}   # file column -> table column
    date_column: ClassVar[str]               # the file's date column (scope and LA checks)
    table_columns: ClassVar[list[str]]       # table columns written (besides load_id)
    noun: ClassVar[tuple[str, str]]          # ("form", "forms")

    def columns(self) -> list[str]:
        return list(self.table_columns)

    def validate(self, check: Checker, df: pl.DataFrame) -> pl.DataFrame:
        """Check and normalise the file's columns (named as in the file); return the frame."""
        raise NotImplementedError

    def header_problems(self, check: Checker) -> None:
        """Whole-file problems with the header beyond missing required columns."""

    def table_key(self) -> list[str]:
        return [self.renames.get(c, c) for c in self.key]

    def key_label(self) -> str:
        return " + ".join(self.key)

    def count(self, n: int) -> str:
        return f"{n:,} {self.noun[0] if n == 1 else self.noun[1]}"

    # -- reading ----------------------------------------------------------------------
    def prepare(self, path: Path, digest: str, options: dict) -> Prepared:
        self._last_load_before_command = None  # run_load prepares every file before writing any
        table = read_table(path, self.formats)
        check = Checker(table)
        check.notices.extend(table.notices)
        df = check.columns(self.required, self.optional)
        self.header_problems(check)
        if df is None or check.problems:
            raise LoadRejected(check.problems)
        for c in self.optional:
            if c not in df.columns:
                df = df.with_columns(pl.lit(None, dtype=pl.String).alias(c))
        df = check.la_codes(df)
        df = self.validate(check, df)
        la_existed_on(check, df, self.date_column)
        check.unique(df, self.key, f"each {self.noun[0]} ({self.key_label()})")
        if check.problems:
            raise LoadRejected(check.problems)
        df = df.rename({k: v for k, v in self.renames.items() if k in df.columns})
        return Prepared(path, digest, table.format, df, table.df.height, self.scope(df), notices=check.notices)

    def scope(self, df: pl.DataFrame) -> str:
        """What the file covers, in words: per LA, how many records and their dates."""
        ref = la_reference()
        d = self.renames.get(self.date_column, self.date_column)
        per_la = (df.group_by("la_code").agg(pl.len().alias("n"), pl.col(d).min().alias("first"),
                                             pl.col(d).max().alias("last")).sort("la_code"))
        return "; ".join(f"{ref.label(la)}: {self.count(n)} dated {first.isoformat()} to {last.isoformat()}"
                         for la, n, first, last in per_la.iter_rows())

    # -- writing ----------------------------------------------------------------------
    def check_store(self, con: duckdb.DuckDBPyConnection, prepared: Prepared, replace: bool,
                    problems: Problems) -> list[str]:
        """Keys already loaded: problems (one per row of the file), or with --replace the loaded
        rows are deleted and what they were is returned in words, one line per earlier load."""
        key = self.table_key()
        if getattr(self, "_last_load_before_command", None) is None:
            self._last_load_before_command = con.execute(store.sql("last_load_id")).fetchall()[0][0]
        incoming = prepared.frame.select([ROW, *key])
        con.register("incoming_keys", incoming.to_arrow())
        try:
            clashes = con.execute(_sql("keys_already_loaded", self.table, key)).fetchall()
            # A key in two files of one command is a mistake whichever file should win.
            same_command = [c for c in clashes if c[1] > self._last_load_before_command]
            if clashes and replace and not same_command:
                con.execute(_sql("delete_keys_already_loaded", self.table, key))
        finally:
            con.unregister("incoming_keys")
        if not clashes:
            return []
        by_load: dict[tuple[int, str], int] = {}
        for _row, load_id, file_name in clashes:
            by_load[(load_id, file_name)] = by_load.get((load_id, file_name), 0) + 1
        if replace and not same_command:
            return [f"{self.count(n)} from load #{load_id} ({file_name})" for (load_id, file_name), n in sorted(by_load.items())]
        shown = dict(incoming.select(
            ROW, pl.concat_str([pl.col(k).cast(pl.String) for k in key], separator=" / ")).iter_rows())
        a = "an" if self.noun[0][0] in "aeiou" else "a"
        for row, load_id, file_name in (same_command or clashes):
            if load_id > self._last_load_before_command:
                expected = (f"{a} {self.noun[0]} given in only one of the files loaded together: "
                            f"{file_name}, earlier in this same command, has it too")
            else:
                expected = (f"{a} {self.noun[0]} that is not loaded yet: this one is already loaded "
                            f"(load #{load_id}, {file_name}); use --replace to replace the loaded "
                            f"{self.noun[1]} with this file's")
            problems.add(prepared.path.name, row, self.key_label(), shown[row], expected)
        return []
