"""What counts as a finding: ONE definition of "bright spot" and "area to look at", used by the
Overview, "You said, we did" and the panel report, so the three always give the same count.

A finding is an indicator's whole-group figure (no breakdown group, no answer category, all ages
unless an age band is asked for), published (passed the disclosure gate), classified against its
comparator: Bright Spots survey figures of the chosen cohort (both surveys when the cohort is None),
record measures (voice checks, reviews, feedback) and DfE metrics alike.
"""
from __future__ import annotations

import polars as pl

from dashboard.disclosure import OK
from dashboard.engine.cells import ALL
from dashboard.vocabulary import Classification

BRIGHT, LOOK, NO_CLEAR = (Classification.BRIGHT_SPOT, Classification.AREA_TO_LOOK_AT,
                          Classification.NO_CLEAR_DIFFERENCE)


def headline(table: pl.DataFrame, cohort: str | None, age_band: str = ALL) -> pl.DataFrame:
    """Each indicator's whole-group figure for the cohort (None: both) and age band; record and DfE
    measures have their own populations and are always included."""
    if table.height == 0:
        return table
    rows = table.filter((pl.col("breakdown") == "") & (pl.col("group") == ALL)
                        & (pl.col("category").fill_null("") == "")
                        & ((pl.col("source") != "survey") | (pl.col("age_band") == age_band)))
    if cohort:
        rows = rows.filter((pl.col("source") != "survey") | (pl.col("cohort") == cohort))
    return rows


def with_reading(table: pl.DataFrame, reading: Classification, cohort: str | None, age_band: str = ALL) -> pl.DataFrame:
    rows = headline(table, cohort, age_band)
    if rows.height == 0:
        return rows
    return rows.filter((pl.col("status") == OK) & pl.col("value").is_not_null() & (pl.col("classification") == str(reading)))


def areas_to_look_at(table: pl.DataFrame, cohort: str | None, age_band: str = ALL) -> pl.DataFrame:
    return with_reading(table, LOOK, cohort, age_band)


def bright_spots(table: pl.DataFrame, cohort: str | None, age_band: str = ALL) -> pl.DataFrame:
    return with_reading(table, BRIGHT, cohort, age_band)


def for_cohort(actions: pl.DataFrame, cohort: str | None) -> pl.DataFrame:
    """The actions that may answer this group's findings: those for everyone (no cohort) and the
    group's own (an action for care leavers does not answer children in care's finding, even on a
    question both are asked)."""
    if cohort is None or actions.height == 0 or "cohort" not in actions.columns:
        return actions
    return actions.filter(pl.col("cohort").is_null() | (pl.col("cohort") == cohort))


def acted_on(actions: pl.DataFrame, cohort: str | None = None) -> set[str]:
    """Indicators that at least one of the LA's actions answers (an action links to a finding
    through its indicator), counting only actions for everyone or for `cohort` when one is given."""
    actions = for_cohort(actions, cohort)
    if actions.height == 0:
        return set()
    return {i.lower() for i in actions["indicator_id"].drop_nulls().to_list()}
