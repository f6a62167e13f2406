"""Published figures as typed records, for code that reads figures one by one (the report, the
statement, the CLI): a frozen `Figure` whose status and classification are enums.

Pages keep the polars frame (engine.figures.indicator_table) and never loop over rows; the records
are built from that same frame, so a page, the report and the CLI see the same figures. Building a
record checks the codes: a status or classification the vocabulary does not know is an error here,
not a figure that silently reads as published.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import duckdb
import polars as pl

from dashboard.catalogue import Catalogue
from dashboard.engine.figures import COLUMNS, Selection, indicator_table
from dashboard.vocabulary import Classification, Status


@dataclass(frozen=True, slots=True)
class Figure:
    """One published figure (engine.figures.COLUMNS, one field each). `value` and the numbers
    about it are None unless `status` is Status.OK; `reason` says why a figure is not shown."""

    indicator_id: str
    domain: str
    source: str
    title: str
    la_code: str
    la_name: str | None
    wave: int
    cohort: str | None
    age_band: str
    breakdown: str
    group: str
    category: str | None
    value: float | None
    status: Status
    numerator: float | None
    base: float | None
    not_answered: float | None
    ci_low: float | None
    ci_high: float | None
    low_base: bool
    classification: Classification | None
    compared_with: str | None
    comparator_value: float | None
    pool_value: float | None
    pool_las: int | None
    national_value: float | None
    national_source: str | None
    general_population_value: float | None
    england_value: float | None
    region_value: float | None
    neighbour_median: float | None
    neighbours_used: int | None
    previous_wave: int | None
    previous_value: float | None
    change: float | None
    change_p: float | None
    change_significant: bool
    unit: str
    polarity: str | None
    reason: str | None

    @property
    def shown(self) -> bool:
        """Published with a value (every other status shows its code or a note instead)."""
        return self.status is Status.OK and self.value is not None

    @property
    def whole_group(self) -> bool:
        """The figure for everyone at all ages, not a breakdown group's."""
        return self.breakdown == "" and self.group == "all" and self.age_band == "all"


# One field per published column, in the same order (a test holds them together).
FIELDS = tuple(f.name for f in fields(Figure))


def figure_records(frame: pl.DataFrame) -> list[Figure]:
    """The rows of an indicator_table frame as Figures (ValueError on a code the vocabulary lacks)."""
    if frame.height == 0:
        return []
    out = []
    for row in frame.select(COLUMNS).iter_rows():
        rec = dict(zip(FIELDS, row))
        rec["status"] = Status(rec["status"])
        rec["classification"] = Classification(rec["classification"]) if rec["classification"] else None
        rec["low_base"] = bool(rec["low_base"])
        rec["change_significant"] = bool(rec["change_significant"])
        out.append(Figure(**rec))
    return out


def indicator_figures(con: duckdb.DuckDBPyConnection, sel: Selection,
                      catalogue: Catalogue | None = None) -> list[Figure]:
    """indicator_table for `sel` as typed records: the same lookup, the same selection rules."""
    return figure_records(indicator_table(con, sel, catalogue))
