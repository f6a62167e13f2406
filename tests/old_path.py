"""The figures path before the publish step (per view: gate, then compute one figure at a time),
kept only as a reference the published tables are compared with (tests/test_publish.py), for survey
and record measures (DfE metrics are checked against the raw files the DfE's way, tests/test_dfe_peer.py).

Copied from dashboard/engine/figures.py as it was before figures were published at load time;
it reads the gate directly, which no page, command or report may do.
"""
from __future__ import annotations

import duckdb
import polars as pl

from dashboard import store
from dashboard.catalogue import Catalogue, RecordIndicator, SurveyIndicator, default_catalogue
from dashboard.disclosure import EMPTY, OK
from dashboard.engine.cells import ALL, POOL
from dashboard.engine.figures import COLUMNS, Selection, _pick, gate_with_linked
from dashboard.engine.stats import two_proportion_p, wilson
from dashboard.reference import la_reference

NOT_ANSWERED_UNPUBLISHED = {"feedback"}
MIN_POOL_LAS = 3
SIGNIFICANCE = 0.05


def _classify(ind, ci_low, ci_high, comparator) -> str:
    if comparator is None or ci_low is None or ind.polarity == "no_polarity":
        return ""
    above, below = ci_low > comparator, ci_high < comparator
    if not above and not below:
        return "no clear difference"
    good = above if ind.polarity == "higher_is_better" else below
    return "bright spot" if good else "area to look at"


def _national(ind, survey, age_band, kind):
    for c in getattr(ind, "comparators", []):
        if c.kind == kind and c.measures == "same" and (c.survey in (None, survey)) and c.age_band == age_band:
            return c
    return None




_CACHE: dict = {}


def gated_cells(con, ind, catalogue=None):
    key = (id(con), ind.id)
    if key not in _CACHE:
        for m, value in gate_with_linked(con, ind, catalogue):
            _CACHE[(id(con), m.id)] = value
    return _CACHE[key]


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
                                & (pl.col("status") == OK)   # the pool counts the published LA figures
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


def old_indicator_table(con: duckdb.DuckDBPyConnection, sel: Selection, catalogue: Catalogue | None = None) -> pl.DataFrame:
    catalogue = catalogue or default_catalogue()
    rows: list[dict] = []
    for ind in _pick(catalogue, sel):
        if isinstance(ind, (SurveyIndicator, RecordIndicator)):
            if isinstance(ind, RecordIndicator) and sel.age_band != ALL:
                continue
            rows.extend(_gated_rows(con, ind, sel))
    if not rows:
        return pl.DataFrame({c: [] for c in COLUMNS})
    order = {ind.id: i for i, ind in enumerate(catalogue.indicators)}
    rows.sort(key=lambda r: (order[r["indicator_id"]], r["cohort"] or "", r["breakdown"] != "", r["breakdown"],
                             r["group"] != ALL, r["group"] or "", r["category"] or ""))
    return pl.DataFrame(rows, infer_schema_length=None).select(COLUMNS)
