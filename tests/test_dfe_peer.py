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

import pytest

from dashboard.catalogue import DfeMetric, load_catalogue
from dashboard.reference import la_reference
from tests.conftest import SHARED_DFE, needs_shared_dfe, run_cli
from tests.dfe_compare import differences, product_rows

LA_YEAR = lambda r: (r["la_code"], r["wave"])  # noqa: E731

# The spreadsheet metrics (.ods: spending, Ofsted) have their own peer test, tests/test_dfe_ods.py.
ODS_DATASETS = {"rsx_revenue_outturn", "ro3_revenue_outturn", "la_inspection_outcomes"}
# The OHID Fingertips file (hospital admissions) has its own check below, read the way the DfE reads it.
FINGERTIPS_DATASETS = {"region_hospital_admissions_2324"}
METRICS = [m for m in load_catalogue().indicators
           if isinstance(m, DfeMetric) and m.dataset not in ODS_DATASETS | FINGERTIPS_DATASETS]
HOSPITAL = next(m for m in load_catalogue().indicators if isinstance(m, DfeMetric) and m.dataset in FINGERTIPS_DATASETS)
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
    got = product_rows(real_db, metric, LA_YEAR)
    want = expected(metric)
    assert set(got) == set(want)
    wrong = differences(got, want)
    assert not wrong, f"{len(wrong)} figure(s) differ, first: {wrong[:5]}"
    COMPARED[metric.id] = len(want)
    print(f"{metric.id}: {len(want)} LA-years agree")


# -- Hospital admissions caused by injuries (0 to 14): the DfE's read_a_and_e_data, written out again --
# LA and England rows from la_hospital_admissions_2324.csv, regions from region_hospital_admissions_2324.csv
# (Parent Code E92000001), Category blank and Sex Persons; Fingertips' back-cast rows of reorganised LAs
# dropped (time periods such as "2021/22" compared as text, as in the R); Inner and Outer London as
# 10,000 x the boroughs' summed Count over their summed Denominator (boroughs with a Denominator);
# old LA codes from the latest year of csww_indicators (codes such as "940 / 941" split); the median
# of the ten neighbours' unrounded Values, then true_round to a whole number.
DFE_DROPPED = {"North Northamptonshire": "2022", "West Northamptonshire": "2022", "Cumberland": "2023",
               "Westmorland and Furness": "2023", "Dorset": "2019", "Bournemouth, Christchurch and Poole": "2019",
               "Buckinghamshire UA": "2020"}
INNER_LONDON = {"Westminster", "Tower Hamlets", "Camden", "Hackney", "Kensington and Chelsea", "Southwark", "Lewisham",
                "Islington", "Wandsworth", "Hammersmith and Fulham", "Haringey", "Lambeth", "Newham", "City of London"}
OUTER_LONDON = {"Bexley", "Greenwich", "Harrow", "Brent", "Waltham Forest", "Ealing", "Richmond upon Thames",
                "Hillingdon", "Kingston upon Thames", "Hounslow", "Bromley", "Barnet", "Croydon", "Enfield", "Merton",
                "Sutton", "Barking and Dagenham", "Redbridge", "Havering"}


def fingertips_rows(name: str) -> list[dict]:
    with (SHARED_DFE / name).open(encoding="utf-8-sig", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["Category"] == "" and r["Sex"] == "Persons"]


def dfe_hospital_admissions() -> dict[tuple[str, int], dict]:
    las = [r for r in fingertips_rows("la_hospital_admissions_2324.csv") if r["Area Type"] != "England"
           and not (r["Area Name"] in DFE_DROPPED and r["Time period"] < DFE_DROPPED[r["Area Name"]])]
    england = {r["Time period"]: number(r["Value"]) for r in fingertips_rows("la_hospital_admissions_2324.csv")
               if r["Area Type"] == "England"}
    region_names = {"Yorkshire and the Humber": "Yorkshire and The Humber"}
    regions = {}
    for r in fingertips_rows("region_hospital_admissions_2324.csv"):
        if r["Parent Code"] == "E92000001":
            name = r["Area Name"].removesuffix(" region (statistical)")
            regions[(region_names.get(name, name), r["Time period"])] = number(r["Value"])
    for london, boroughs in (("Inner London", INNER_LONDON), ("Outer London", OUTER_LONDON)):
        for tp in {r["Time period"] for r in las}:
            rows = [r for r in las if r["Area Name"] in boroughs and r["Time period"] == tp
                    and number(r["Denominator"]) is not None]
            count = sum(number(r["Count"]) for r in rows if number(r["Count"]) is not None)
            base = sum(number(r["Denominator"]) for r in rows)
            regions[(london, tp)] = count / (base / 10000) if base else None
    # The DfE's old LA codes (matched on the code the file publishes) and its LA-to-region table (by
    # LA name; EES region names, so Inner and Outer London): the latest year of the workforce file.
    old_code, region_of = {}, {}
    workforce = [r for r in rows_of("csww_indicators") if r["geographic_level"] == "Local authority"]
    latest = max(r["time_period"] for r in workforce)
    for r in workforce:
        if r["time_period"] == latest:
            for old, new, name in zip(*(r[c].split(" / ") for c in ("old_la_code", "new_la_code", "la_name"))):
                old_code[new] = old
                region_of[name] = r["region_name"]
    la_names = {"Bristol": "Bristol, City of", "Herefordshire": "Herefordshire, County of",
                "Kingston upon Hull": "Kingston upon Hull, City of"}
    value = {(old_code.get(r["Area Code"]), r["Time period"]): number(r["Value"]) for r in las}
    ref = la_reference()
    out = {}
    for r in las:
        tp, name = r["Time period"], r["Area Name"].removesuffix(" UA")
        old = old_code.get(r["Area Code"])
        median = None
        hide = HIDDEN_SN.get(name)
        if old and not (hide and (tp < hide[1] if hide[0] == "<" else tp <= hide[1])):
            values = [value.get((n, tp)) for n in neighbours().get(old, [])]
            values = [v for v in values if v is not None]
            median = statistics.median(values) if values else None
        out[(ref.canonical(r["Area Code"]), int(tp[:4]) + 1)] = {
            "value": dfe_round(number(r["Value"]), 0),
            "region_value": dfe_round(regions.get((region_of.get(la_names.get(name, name)), tp)), 0),
            "england_value": dfe_round(england.get(tp), 0),
            "neighbour_median": dfe_round(median, 0),
        }
    return out


@pytest.fixture(scope="module")
def fingertips_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("dfe-peer-fingertips") / "real.duckdb"
    assert run_cli("load", "dfe", SHARED_DFE / "la_hospital_admissions_2324.csv",
                   SHARED_DFE / "region_hospital_admissions_2324.csv", SHARED_DFE / "sn_model_2025_wide.csv",
                   "--db", db, "--quiet") == 0
    return db


@needs_shared_dfe
def test_hospital_admissions_match_the_dfe_method_for_every_la_and_year(fingertips_db):
    got = product_rows(fingertips_db, HOSPITAL, LA_YEAR)
    want = dfe_hospital_admissions()
    assert set(got) == set(want)
    wrong = differences(got, want)
    assert not wrong, f"{len(wrong)} figure(s) differ, first: {wrong[:5]}"
    # Every London borough is set against Inner or Outer London, and both are computed every year.
    london = [r for r in got.values() if r["la_code"].startswith("E09") and r["value"] is not None]
    assert london and all(r["region_value"] is not None for r in london)
    print(f"{HOSPITAL.id}: {len(want)} LA-years agree")
