"""Figures for an LA and wave: value, interval, comparators, change and classification.

indicator_table() is the one way to get figures out of the store. Every figure in it has passed
the disclosure gate (dashboard.disclosure) as part of its whole family, so a hidden figure is
hidden in every view, download and command.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from dashboard.catalogue import Catalogue, DfeMetric, RecordIndicator, SurveyIndicator, default_catalogue
from dashboard.disclosure import EMPTY, HIDDEN, OK
from dashboard.engine.atoms import atoms_for
from dashboard.engine import linked
from dashboard.engine.cells import ALL, POOL, gate_many
from dashboard.engine.stats import two_proportion_p, wilson
from dashboard.reference import la_reference

BREAKDOWNS = ("gender", "placement_type", "disability", "age_band", "service", "respondent", "stage", "review_type")
# Not-answered counts that are never published: several feedback measures count the same forms, so
# one measure's not-answered count with another's figures could give away a hidden total
# (forms = answered + not answered, for every question alike).
NOT_ANSWERED_UNPUBLISHED = {"feedback"}
MIN_POOL_LAS = 3          # the pool is a comparator only when at least this many LAs are in it
SIGNIFICANCE = 0.05

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


def _classify(ind, ci_low, ci_high, comparator) -> str:
    if comparator is None or ci_low is None or ind.polarity == "no_polarity":
        return ""
    above, below = ci_low > comparator, ci_high < comparator
    if not above and not below:
        return "no clear difference"
    good = above if ind.polarity == "higher_is_better" else below
    return "bright spot" if good else "area to look at"


def _national(ind, survey: str | None, age_band: str, kind: str):
    for c in getattr(ind, "comparators", []):
        if c.kind == kind and c.measures == "same" and (c.survey in (None, survey)) and c.age_band == age_band:
            return c
    return None


_CELLS: dict[tuple, tuple] = {}
_CELLS_MAX = 256


def _db_key(con: duckdb.DuckDBPyConnection) -> tuple:
    """Identifies the database file's content: path, size and modification time."""
    import os

    cur = con.cursor()
    try:
        rows = cur.execute("PRAGMA database_list").fetchall()
    finally:
        cur.close()
    path = next((r[2] for r in rows if r[2]), None)
    if not path or not os.path.exists(path):
        return ("memory", id(con))
    st = os.stat(path)
    return (path, st.st_size, st.st_mtime_ns)


def gated_cells(con: duckdb.DuckDBPyConnection, ind, catalogue: Catalogue | None = None) -> tuple | None:
    """(Atoms, every gated cell of the indicator for every wave), computed once per database
    content and indicator definition. None when the indicator has no data. Indicators that count
    the same people (dashboard.engine.linked) are gated together, in one family."""
    db_key = _db_key(con)
    key = (db_key, ind.id, ind.model_dump_json())
    if key not in _CELLS:
        for m, value in gate_with_linked(con, ind, catalogue):
            if len(_CELLS) >= _CELLS_MAX:
                _CELLS.pop(next(iter(_CELLS)))
            _CELLS[(db_key, m.id, m.model_dump_json())] = value
    return _CELLS[key]


def gate_with_linked(con: duckdb.DuckDBPyConnection, ind, catalogue: Catalogue | None = None) -> list[tuple]:
    """Gate `ind` with the indicators counted from the same people (no cache): a list of
    (indicator, (Atoms, gated cells) or None when it has no data)."""
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
    gated = gate_many([a for _, a in present], link) if present else {}
    return [(m, (a, gated[m.id]) if m.id in gated else None) for m, a in found]


def _gated_rows(con, ind, sel: Selection) -> list[dict]:
    found = gated_cells(con, ind)
    if found is None:
        return []
    atoms, cells = found
    if sel.cohort:
        cells = cells.filter(pl.col("cohort") == sel.cohort)
    waves = sorted(w for w in cells["wave"].unique().to_list() if w <= sel.wave)
    if not waves or waves[-1] != sel.wave:
        return []
    previous_wave = waves[-2] if len(waves) >= 2 else None
    cells = cells.filter(pl.col("wave").is_in(waves[-2:]))
    if sel.breakdown and sel.breakdown != "age_band" and sel.breakdown not in atoms.dims:
        wanted_breakdowns = [""]
    else:
        wanted_breakdowns = ["", sel.breakdown] if sel.breakdown else [""]
    rows = []
    lookup = {}
    for rec in cells.iter_rows(named=True):
        lookup[(rec["la_code"], rec["wave"], rec["survey"], rec["age_band"], rec["breakdown"], rec["group"],
                rec["category"])] = rec
    for rec in cells.iter_rows(named=True):
        if rec["la_code"] != sel.la_code or rec["wave"] != sel.wave:
            continue
        if atoms.shape == "distribution" and rec["category"] == "":
            continue  # the group's total is the base of its categories, not a figure of its own
        shown_breakdown = rec["breakdown"]
        if sel.breakdown == "age_band" and atoms.has_age_bands:
            if rec["breakdown"] == "" and rec["group"] == ALL and rec["age_band"] != ALL:
                shown_breakdown = "age_band"
            elif not (rec["age_band"] == sel.age_band and rec["breakdown"] == ""):
                continue
        else:
            if rec["age_band"] != sel.age_band or rec["breakdown"] not in wanted_breakdowns:
                continue
        key_rest = (rec["survey"], rec["age_band"], rec["breakdown"], rec["group"], rec["category"])
        pool = lookup.get((POOL, rec["wave"]) + key_rest)
        prev = lookup.get((sel.la_code, previous_wave) + key_rest) if previous_wave else None
        rows.append(_figure(ind, rec, pool, prev, cells, shown_breakdown))
    return rows


def _published(rec) -> bool:
    return rec is not None and rec["status"] == OK and rec["base"] > 0


def _figure(ind, rec, pool, prev, cells: pl.DataFrame, shown_breakdown: str) -> dict:
    out = {c: None for c in COLUMNS}
    survey = rec["survey"]
    out.update(indicator_id=ind.id, domain=ind.domain, source=ind.source, title=ind.title,
               la_code=rec["la_code"], la_name=la_reference().name(rec["la_code"]), wave=rec["wave"],
               cohort=rec["cohort"], age_band=rec["age_band"], breakdown=shown_breakdown,
               group=rec["age_band"] if shown_breakdown == "age_band" else rec["group"],
               category=rec["category"], status=rec["status"], reason=rec["reason"] or None,
               low_base=bool(rec["low_base"]), unit=ind.unit, polarity=ind.polarity)
    if out["breakdown"] == "":
        out["group"] = ALL
    if not _published(rec):
        return out
    num, base = rec["numerator"], rec["base"]
    lo, hi = wilson(num, base)
    out.update(value=100 * num / base, numerator=num, base=base, ci_low=100 * lo, ci_high=100 * hi,
               not_answered=rec["not_answered"] if rec.get("na_status") in (OK, EMPTY)
               and ind.source not in NOT_ANSWERED_UNPUBLISHED else None)
    if _published(pool):
        pool_las = cells.filter((pl.col("wave") == rec["wave"]) & (pl.col("la_code") != POOL)
                                & (pl.col("age_band") == rec["age_band"]) & (pl.col("breakdown") == rec["breakdown"])
                                & (pl.col("group") == rec["group"]) & (pl.col("category") == rec["category"])
                                & (pl.col("base") > 0)
                                & (pl.col("survey").is_null() if survey is None else pl.col("survey") == survey)).height
        out.update(pool_value=100 * pool["numerator"] / pool["base"], pool_las=pool_las)
    national = _national(ind, survey, rec["age_band"], "bright_spots_national") if rec["group"] == ALL else None
    general = _national(ind, survey, rec["age_band"], "general_population") if rec["group"] == ALL else None
    if national:
        out.update(national_value=national.value, national_source=national.label)
    if general:
        out["general_population_value"] = general.value
    if rec["category"] == "":
        if out["pool_value"] is not None and out["pool_las"] >= MIN_POOL_LAS:
            out.update(compared_with="all loaded LAs (pool)", comparator_value=out["pool_value"])
        elif national:
            out.update(compared_with=national.label, comparator_value=national.value)
        out["classification"] = _classify(ind, out["ci_low"], out["ci_high"], out["comparator_value"])
    if _published(prev):
        out.update(previous_wave=prev["wave"], previous_value=100 * prev["numerator"] / prev["base"])
        out["change"] = out["value"] - out["previous_value"]
        p = two_proportion_p(num, base, prev["numerator"], prev["base"])
        out.update(change_p=p, change_significant=p is not None and p < SIGNIFICANCE)
    return out


# -- DfE metrics ----------------------------------------------------------------------------------

def _dfe_rows(con, ind: DfeMetric, sel: Selection) -> list[dict]:
    """The LA's latest row of the metric up to the selected wave (see dashboard.engine.dfe)."""
    from dashboard.engine.dfe import cached_dfe_table

    mine = cached_dfe_table(con, ind).filter((pl.col("la_code") == sel.la_code) & (pl.col("wave") <= sel.wave))
    return [mine.row(-1, named=True)] if mine.height else []


def indicator_table(con: duckdb.DuckDBPyConnection, sel: Selection, catalogue: Catalogue | None = None) -> pl.DataFrame:
    """Every gated figure for the selection, one row per figure (see COLUMNS)."""
    catalogue = catalogue or default_catalogue()
    rows: list[dict] = []
    for ind in _pick(catalogue, sel):
        if isinstance(ind, DfeMetric):
            if sel.breakdown is None and sel.age_band == ALL and (sel.cohort in (None, ind.cohort)):
                rows.extend(_dfe_rows(con, ind, sel))
        elif isinstance(ind, (SurveyIndicator, RecordIndicator)):
            if isinstance(ind, RecordIndicator) and sel.age_band != ALL:
                continue
            rows.extend(_gated_rows(con, ind, sel))
    if not rows:
        return pl.DataFrame({c: [] for c in COLUMNS})
    order = {ind.id: i for i, ind in enumerate(catalogue.indicators)}
    rows.sort(key=lambda r: (order[r["indicator_id"]], r["cohort"] or "", r["breakdown"] != "", r["breakdown"],
                             r["group"] != ALL, r["group"] or "", r["category"] or ""))
    return pl.DataFrame(rows, infer_schema_length=None).select(COLUMNS)
