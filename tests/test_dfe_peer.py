"""Peer check: every DfE metric, LA and year of the product against an independent computation.

For each DfE metric of the catalogue this test reads the raw shared file with the csv module and
computes, the way the DfE's own dashboard (CSC_outcomes_and_enablers) does, each LA's value,
its region's value (the Regional row named on the LA's own row), England's value, and the median
of its ten statistical neighbours (sn_model_2025_wide.csv, matched by old LA code, suppressed
values dropped, not shown for North/West Northamptonshire before 2022 and Cumberland/Westmorland
and Furness up to 2023), all rounded with the DfE's true_round. Rates per 10,000 divide the count
by the ONS estimate of the year before and round before the median, as the DfE does. It then
requires the product's dfe_table to hold exactly those figures for every LA row of the file.

Nothing here calls the product's computation: only the loader (to build the database) and the LA
reference (to name each LA by its code today).
"""
from __future__ import annotations

import csv
import math
import statistics
from functools import lru_cache
from pathlib import Path

import duckdb
import pytest

from dashboard.catalogue import DfeMetric, load_catalogue
from dashboard.reference import la_reference
from tests.conftest import SHARED_DFE, needs_shared_dfe, run_cli

# The spreadsheet metrics (.ods: spending, Ofsted) have their own peer test, tests/test_dfe_ods.py.
ODS_DATASETS = {"rsx_revenue_outturn", "ro3_revenue_outturn", "la_inspection_outcomes"}
METRICS = [m for m in load_catalogue().indicators if isinstance(m, DfeMetric) and m.dataset not in ODS_DATASETS]
EPS = math.sqrt(2.220446049250313e-16)
HIDDEN_SN = {"North Northamptonshire": ("<", "2022"), "West Northamptonshire": ("<", "2022"),
             "Cumberland": ("<=", "2023"), "Westmorland and Furness": ("<=", "2023")}
COMPARED: dict[str, int] = {}


def dfe_round(x: float | None, digits: int) -> float | None:
    """The DfE's true_round, written out again: add a half and a hair, truncate."""
    if x is None:
        return None
    sign = 1 if x >= 0 else -1
    return sign * math.trunc(abs(x) * 10 ** digits + 0.5 + EPS) / 10 ** digits


def number(cell: str) -> float | None:
    try:
        return float(cell.replace(",", ""))
    except ValueError:
        return None


def year_of(period: str) -> int:
    return int(period[:4]) + (1 if len(period) == 6 else 0)


def file_for(dataset: str) -> Path:
    for p in sorted(SHARED_DFE.glob(f"{dataset}*.csv")):
        stem = p.stem
        if stem == dataset or (stem.startswith(dataset + "_") and stem[len(dataset) + 1:].replace("_to_", "").isdigit()):
            return p
    raise FileNotFoundError(dataset)


@lru_cache(maxsize=None)
def rows_of(dataset: str) -> tuple[dict, ...]:
    with file_for(dataset).open(encoding="utf-8-sig", newline="") as fh:
        return tuple({k.strip(): (v or "").strip() for k, v in r.items()} for r in csv.DictReader(fh))


@lru_cache(maxsize=1)
def neighbours() -> dict[str, list[str]]:
    """old LA code -> its ten neighbours' old LA codes (2025 model)."""
    with (SHARED_DFE / "sn_model_2025_wide.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {r["old_la_code"].strip(): [r[f"SN_{i}"].strip() for i in range(1, 11)] for r in csv.DictReader(fh)}


def picked(m: DfeMetric) -> list[dict]:
    return [r for r in rows_of(m.dataset) if all(v == "*" or r.get(k) == v for k, v in m.filters.items())]


def raw_values(m: DfeMetric) -> dict[tuple, float | None]:
    """(level, key, time_period) -> the metric's value before display rounding (None when suppressed).
    key is the old LA code for LAs, the region code for regions, '' for England."""
    population: dict[tuple, float] = {}
    if m.per_10000_of:
        p = m.per_10000_of
        for r in rows_of(p.dataset):
            if all(r.get(k) == v for k, v in p.filters.items()):
                n = number(r[p.indicator])
                if n is not None:
                    population[(r["geographic_level"], key_of(r), str(int(r["time_period"]) + p.year_offset))] = n
    out = {}
    for r in picked(m):
        k = (r["geographic_level"], key_of(r), r["time_period"])
        v = number(r[m.indicator])
        if m.per_10000_of:
            pop = population.get(k)
            v = dfe_round(10000 * v / pop, m.decimals) if v is not None and pop else None
        if r["time_period"] in m.hidden_periods or (m.first_year and year_of(r["time_period"]) < m.first_year):
            v = None
        out[k] = v
    return out


def key_of(r: dict) -> str:
    level = r["geographic_level"]
    return r["old_la_code"] if level == "Local authority" else r["region_code"] if level == "Regional" else ""


def expected(m: DfeMetric) -> dict[tuple[str, int], dict]:
    """(today's LA code, year) -> value, region_value, england_value, neighbour_median."""
    raw = raw_values(m)
    ref = la_reference()
    out = {}
    for r in picked(m):
        if r["geographic_level"] != "Local authority":
            continue
        tp = r["time_period"]
        if m.first_year and year_of(tp) < m.first_year:
            continue
        old = r["old_la_code"]
        sn = neighbours().get(old)
        median = None
        hide = HIDDEN_SN.get(r["la_name"])
        hidden = hide and (tp < hide[1] if hide[0] == "<" else tp <= hide[1])
        if sn and not hidden:
            values = [raw.get(("Local authority", n, tp)) for n in sn]
            values = [v for v in values if v is not None]
            median = statistics.median(values) if values else None
        code = ref.canonical(r["new_la_code"]) or ref.canonical(old)
        out[(code, year_of(tp))] = {
            "value": dfe_round(raw[("Local authority", old, tp)], m.decimals),
            "region_value": dfe_round(raw.get(("Regional", r["region_code"], tp)), m.decimals),
            "england_value": dfe_round(raw.get(("National", "", tp)), m.decimals),
            "neighbour_median": dfe_round(median, m.decimals),
        }
    return out


@pytest.fixture(scope="module")
def real_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("dfe-peer") / "real.duckdb"
    datasets = {m.dataset for m in METRICS} | {m.per_10000_of.dataset for m in METRICS if m.per_10000_of}
    files = sorted({file_for(d) for d in datasets})
    assert run_cli("load", "dfe", *files, SHARED_DFE / "sn_model_2025_wide.csv", "--db", db, "--quiet") == 0
    return db


@needs_shared_dfe
@pytest.mark.parametrize("metric", METRICS, ids=lambda m: m.id)
def test_every_la_and_year_matches_the_dfe_method(real_db, metric):
    from dashboard.engine.dfe import dfe_table

    con = duckdb.connect(str(real_db), read_only=True)
    try:
        table = dfe_table(con, metric)
    finally:
        con.close()
    got = {(r["la_code"], r["wave"]): r for r in table.iter_rows(named=True)}
    want = expected(metric)
    assert set(got) == set(want)
    fields = ("value", "region_value", "england_value", "neighbour_median")
    wrong = [(key, f, got[key][f], w[f]) for key, w in want.items() for f in fields
             if (got[key][f] is None) != (w[f] is None)
             or (w[f] is not None and not math.isclose(got[key][f], w[f], abs_tol=1e-9))]
    assert not wrong, f"{len(wrong)} figure(s) differ, first: {wrong[:5]}"
    COMPARED[metric.id] = len(want)
    print(f"{metric.id}: {len(want)} LA-years agree")
