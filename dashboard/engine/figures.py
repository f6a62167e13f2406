"""Figures for an LA and wave: value, interval, comparators, change and classification.

indicator_table() is the one way to get figures out of the store: a lookup of the published
figures, which dashboard.publish computed and passed through the disclosure gate (as whole
families) when the data was loaded. A hidden figure is hidden in every view, download and command.
gate_with_linked() is the gate's entry for the publish step and the audit, never for a page.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from dashboard import store
from dashboard.catalogue import SURVEY_COHORT, Catalogue, default_catalogue
from dashboard.engine.atoms import atoms_for
from dashboard.engine import linked
from dashboard.engine.cells import ALL, gate_many

BREAKDOWNS = ("gender", "placement_type", "disability", "age_band", "service", "respondent", "stage", "review_type")

COLUMNS = [
    "indicator_id", "domain", "source", "title", "la_code", "la_name", "wave", "cohort", "age_band",
    "breakdown", "group", "category", "value", "status", "numerator", "base", "not_answered",
    "ci_low", "ci_high", "low_base", "classification", "compared_with", "comparator_value",
    "pool_value", "pool_las", "national_value", "national_source", "general_population_value",
    "england_value", "region_value", "neighbour_median", "neighbours_used",
    "previous_wave", "previous_value", "change", "change_p", "change_significant",
    "unit", "polarity", "reason",
]


@dataclass
class Selection:
    """Which figures a view means, the same for every page, command and report.

    `cohort` is whose views: the survey figures of that cohort only (children_in_care: "Your Life,
    Your Care"; care_leavers: "Your Life Beyond Care"). Record measures and DfE metrics are about
    populations of their own (reviews, forms, the DfE's cohorts) and are always included. Another
    population's name (e.g. families_receiving_direct_work) selects only the figures about it.
    None: both surveys. `age_band` other than 'all' selects survey figures of that band only."""
    la_code: str
    wave: int
    domain: str | None = None
    breakdown: str | None = None
    age_band: str = ALL
    cohort: str | None = None
    indicator_ids: tuple[str, ...] | None = None


def _pick(catalogue: Catalogue, sel: Selection) -> list:
    out = []
    for ind in catalogue.indicators:
        if sel.domain and ind.domain != sel.domain:
            continue
        if sel.indicator_ids and ind.id not in sel.indicator_ids:
            continue
        out.append(ind)
    return out


def gate_with_linked(con: duckdb.DuckDBPyConnection, ind, catalogue: Catalogue | None = None,
                     previous: dict[str, pl.DataFrame] | None = None, state=None) -> list[tuple]:
    """Gate `ind` with the indicators counted from the same people (no cache): a list of
    (indicator, (Atoms, gated cells) or None when it has no data). `previous`: the figures earlier
    releases published (dashboard.ledger.previous_release), gated with these so that two
    releases subtracted reveal nothing protected. `state` (cells.GateState): reuse the statuses
    of families unchanged since the last publish."""
    group = linked.group_of(ind)
    if group is None:
        members = [ind]
    else:
        catalogue = catalogue or default_catalogue()
        members = [i for i in catalogue.indicators if linked.group_of(i) == group]
        if ind.id not in {m.id for m in members}:
            members.append(ind)
    found = [(m, atoms_for(con, m)) for m in members]
    present = [(m, a) for m, a in found if a is not None and a.frame.height]
    if group is not None:
        # Linked indicators have no pool: a pooled rate shows the sum of every LA's totals, which
        # would tie each LA's hidden totals to the others' (distributions have no pool either).
        for _, a in present:
            a.pool = False
    link = linked.review_links([m for m, _ in present]) if group == "reviews" and present else None
    gated = gate_many([a for _, a in present], link, previous=previous, state=state) if present else {}
    return [(m, (a, gated[m.id]) if m.id in gated else None) for m, a in found]


def _shape(frame: pl.DataFrame, sel: Selection) -> pl.DataFrame:
    """Which published rows the selection means (see Selection): the age band and breakdown asked
    for (the 'age_band' breakdown shows each band's whole-group figure as a group), survey figures
    of the cohort if given; DfE metrics only for the whole group at all ages, record measures only
    at all ages."""
    dfe, survey = pl.col("source") == "dfe", pl.col("source") == "survey"
    record = ~dfe & ~survey
    whole = (pl.col("age_band") == sel.age_band) & (pl.col("breakdown") == "")
    if sel.breakdown == "age_band":
        as_band = survey & (pl.col("breakdown") == "") & (pl.col("group") == ALL) & (pl.col("age_band") != ALL)
        keep_voice = (survey & (as_band | whole)) | (record & whole)
    else:
        as_band = pl.lit(False)
        keep_voice = (~dfe & (pl.col("age_band") == sel.age_band)
                      & pl.col("breakdown").is_in(["", sel.breakdown] if sel.breakdown else [""]))
    keep_dfe = dfe & pl.lit(sel.breakdown is None and sel.age_band == ALL)
    if sel.cohort in SURVEY_COHORT.values():
        keep_voice = keep_voice & (~survey | (pl.col("cohort") == sel.cohort))
    elif sel.cohort:   # another population (a record measure's or a DfE metric's): only its figures
        keep_voice = keep_voice & (pl.col("cohort") == sel.cohort)
        keep_dfe = keep_dfe & (pl.col("cohort") == sel.cohort)
    if sel.age_band != ALL:
        keep_voice = keep_voice & ~record
    out = frame.filter(keep_voice | keep_dfe).with_columns(
        pl.when(as_band).then(pl.lit("age_band")).otherwise(pl.col("breakdown")).alias("breakdown"),
        pl.when(as_band).then(pl.col("age_band")).otherwise(pl.col("group")).alias("group"))
    return out.sort(["sort_key", pl.col("cohort").fill_null(""), pl.col("breakdown") != "", "breakdown",
                     pl.col("group") != ALL, pl.col("group").fill_null(""), pl.col("category").fill_null("")])


def indicator_table(con: duckdb.DuckDBPyConnection, sel: Selection, catalogue: Catalogue | None = None) -> pl.DataFrame:
    """Every published figure for the selection, one row per figure (see COLUMNS): a lookup of
    the figures computed and gated when the data was loaded (dashboard.publish)."""
    catalogue = catalogue or default_catalogue()
    ids = [ind.id for ind in _pick(catalogue, sel)]
    frame = store.frame(con, store.sql("published_figures_for_la"),
                        {"la_code": sel.la_code, "wave": sel.wave, "indicator_ids": ids,
                         "breakdown": sel.breakdown or "", "age_band": sel.age_band})
    if frame.height == 0:
        return pl.DataFrame({c: [] for c in COLUMNS})
    return _shape(frame, sel).select(COLUMNS)
