"""Synthetic DfE statistics in the explore education statistics CSV layout (spec 3.5), and a
statistical neighbour file in the DfE's 2025 wide layout.

The files copy the real publications' column names and orders (see ../shared/data/dfe), cover
the demo LAs, their neighbours, their regions and England for 2021 to 2025, and hold the
symbols the real files use in place of numbers: c (confidential), low (rounds to zero),
x (not available), z (not applicable). The numbers are invented.
"""
from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.demo.records import weighted
from dashboard.demo.places import ENGLAND, LONDON, NEIGHBOURS_2025, SN_REGION, Area, neighbour_las
from dashboard.reference import LocalAuthority, la_reference

YEARS = (2021, 2022, 2023, 2024, 2025)
HEAD = ["time_period", "time_identifier", "geographic_level", "country_code", "country_name",
        "region_code", "region_name"]
# LA columns after the region: two orders, as in the real files.
NAME_FIRST = ["old_la_code", "la_name", "new_la_code"]
CODE_FIRST = ["old_la_code", "new_la_code", "la_name"]
ENGLAND_CHILDREN = 12_180_000


@dataclass
class Place:
    level: str               # National | Regional | Local authority
    region_code: str
    region_name: str
    la: LocalAuthority | None
    children: int
    shift: dict[str, float]  # metric -> how far this place sits from the national level
    cla: dict[int, int] = field(default_factory=dict)   # year -> children looked after on 31 March

    def geo(self, order: list[str]) -> dict[str, str]:
        la = self.la
        row = {"geographic_level": self.level, "country_code": ENGLAND[0], "country_name": ENGLAND[1],
               "region_code": self.region_code, "region_name": self.region_name,
               "old_la_code": la.old_la_code if la else "", "la_name": la.la_name if la else "",
               "new_la_code": la.la_code if la else ""}
        return {k: row[k] for k in ["geographic_level", "country_code", "country_name", "region_code", "region_name", *order]}


# metric -> (national level in 2021, yearly drift, spread between LAs)
METRICS = {
    "cla_rate": (67.0, 0.5, 22.0), "sw3": (26.0, 0.4, 8.0), "moves3": (10.0, 0.1, 2.5),
    "same_carer": (70.0, -0.3, 6.0), "eet_17": (65.0, 0.6, 7.0), "eet_19": (55.0, 0.5, 7.0),
    "cin_rate": (321.0, 2.0, 70.0), "rereferral": (22.0, 0.15, 4.5),
}
TYPE_CHILDREN = {"E10": (180_000, 60_000, 90_000), "E08": (75_000, 30_000, 30_000),
                 "E06": (55_000, 25_000, 15_000), "E09": (60_000, 15_000, 35_000)}


def places(rng: random.Random, areas: list[Area]) -> list[Place]:
    """England, every region the demo touches, the demo LAs and their neighbours."""
    ref = la_reference()
    focus = {a.code: a for a in areas}
    las = [a.la for a in areas] + [la for la in neighbour_las() if la.la_code not in focus]
    out = [Place("National", "", "", None, ENGLAND_CHILDREN, {m: 0.0 for m in METRICS})]
    regions = sorted({la.region_code for la in las} | {LONDON[0]})
    for code in regions:
        name = LONDON[1] if code == LONDON[0] else ref.regions[code]
        out.append(Place("Regional", code, name, None, round(rng.uniform(0.9, 1.9) * 1_000_000),
                         {m: rng.gauss(0, spread / 3) for m, (_, _, spread) in METRICS.items()}))
    for la in las:
        if la.la_code in focus:
            children = focus[la.la_code].children
        else:
            mean, sd, low = TYPE_CHILDREN[la.la_code[:3]]
            children = max(low // 3, round(rng.gauss(mean, sd)))
        shift = {m: rng.gauss(0, spread) for m, (_, _, spread) in METRICS.items()}
        if la.la_code in focus:
            shift["cla_rate"] = focus[la.la_code].cla_rate - METRICS["cla_rate"][0]
        out.append(Place("Local authority", la.region_code, la.region_name, la, children, shift))
    for p in out:
        for year in YEARS:
            n = round(p.children * _value(rng, p, "cla_rate", year, 20, 220) / 10_000)
            p.cla[year] = n if p.level == "Local authority" else round(n, -1)
    return out


def _value(rng: random.Random, place: Place, metric: str, year: int, lo: float, hi: float) -> float:
    base, drift, spread = METRICS[metric]
    noise = rng.gauss(0, spread / 8) if place.level != "National" else 0.0
    return min(hi, max(lo, base + drift * (year - YEARS[0]) + place.shift[metric] + noise))


def _pct(part: int, whole: int, digits: int = 0) -> str:
    if whole == 0:
        return "z"
    p = 100 * part / whole
    if 0 < p < 0.5:
        return "low"
    return str(round(p, digits) if digits else round(p))


class Writer:
    """Rows for one dataset, with the real file's columns, and the odd suppressed cell."""

    def __init__(self, rng: random.Random, columns: list[str]):
        self.rng = rng
        self.columns = columns
        self.rows: list[dict[str, str]] = []

    def add(self, place: Place, year: int, order: list[str], **cells: str) -> None:
        row = {"time_period": str(year), "time_identifier": "Reporting year", **place.geo(order), **cells}
        self.rows.append(row)

    def write(self, path: Path) -> Path:
        with path.open("w", encoding="utf-8-sig", newline="") as fh:   # the real files often start with a BOM
            out = csv.DictWriter(fh, fieldnames=self.columns, lineterminator="\n")
            out.writeheader()
            for row in self.rows:
                out.writerow({c: row.get(c, "") for c in self.columns})
        return path


def _count(n: int, place: Place) -> str:
    """Small LA counts are suppressed as confidential."""
    return "c" if place.level == "Local authority" and 1 <= n <= 5 else str(n)


def _not_available(rng: random.Random, place: Place) -> bool:
    """Now and then an LA did not return data for a year (x: not available)."""
    return place.level == "Local authority" and rng.random() < 0.012


def cla_rates(rng: random.Random, pls: list[Place], path: Path) -> Path:
    cols = HEAD + NAME_FIRST + ["population_type", "population_estimate", "children_count", "rate_per_10000"]
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            pop = p.children
            on31 = p.cla[year]
            for ptype, n in [("Children looked after on 31 March each year", on31),
                             ("Children starting to be looked after each year", round(on31 * rng.uniform(0.33, 0.45))),
                             ("Children ceasing to be looked after each year", round(on31 * rng.uniform(0.35, 0.45)))]:
                if p.level != "Local authority":
                    n = round(n, -1)
                w.add(p, year, NAME_FIRST, population_type=ptype, population_estimate=str(pop),
                      children_count=_count(n, p), rate_per_10000=str(round(10_000 * n / pop)))
    return w.write(path)


def swcount(rng: random.Random, pls: list[Place], path: Path) -> Path:
    cols = HEAD + NAME_FIRST + ["cla_group", "sw_stability", "number", "percentage"]
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            total = p.cla[year]
            sw3 = round(total * _value(rng, p, "sw3", year, 5, 70) / 100)
            if _not_available(rng, p):
                for label in ("Total children", "3 or more social workers during the year"):
                    w.add(p, year, NAME_FIRST, cla_group="CLA on 31 March", sw_stability=label, number="x", percentage="x")
                continue
            w.add(p, year, NAME_FIRST, cla_group="CLA on 31 March", sw_stability="Total children",
                  number=str(total), percentage="100")
            c = _count(sw3, p)
            w.add(p, year, NAME_FIRST, cla_group="CLA on 31 March", sw_stability="3 or more social workers during the year",
                  number=c, percentage="c" if c == "c" else _pct(sw3, total))
    return w.write(path)


def placement_stability(rng: random.Random, pls: list[Place], path: Path) -> Path:
    cols = HEAD + NAME_FIRST + ["cla_group", "placement_stability", "children_count", "children_percent"]
    long_term = "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years"
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            total = p.cla[year]
            moves = round(total * _value(rng, p, "moves3", year, 3, 20) / 100)
            cohort = round(total * rng.uniform(0.32, 0.4))
            same = round(cohort * _value(rng, p, "same_carer", year, 45, 90) / 100)
            for group, label, n, whole in [("CLA on 31 March", "With 3 or more placements during the year", moves, total),
                                           ("CLA on 31 March", "Total children", total, total),
                                           (long_term, "Living with the same carer for at least 2 years", same, cohort),
                                           (long_term, "Total children", cohort, cohort)]:
                c = _count(n, p)
                w.add(p, year, NAME_FIRST, cla_group=group, placement_stability=label, children_count=c,
                      children_percent="c" if c == "c" else _pct(n, whole))
    return w.write(path)


def care_leavers_activity(rng: random.Random, pls: list[Place], path: Path) -> Path:
    """Care leavers' activity by age. As in the real file, 'In training or employment' was
    split from 2023 (z: not applicable before or after), and counts of 1 to 5 are suppressed
    except 'information not known', whose tiny shares are published as 'low'."""
    cols = HEAD + NAME_FIRST + ["care_leaver_age", "breakdown", "care_leaver_count", "care_leaver_percent"]
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            cla = p.cla[year]
            for age, metric, share in [("17 to 18 years", "eet_17", 0.22), ("19 to 21 years", "eet_19", 0.45)]:
                total = round(cla * share)
                eet = round(total * _value(rng, p, metric, year, 30, 90) / 100)
                if p.level == "Local authority":
                    unknown = int(weighted(rng, [("0", 0.3), ("1", 0.25), ("2", 0.1), (str(round(total * rng.uniform(0.01, 0.08))), 0.35)]))
                else:
                    unknown = round(total * 0.04)
                unknown = min(unknown, total - eet)
                neet = total - eet - unknown
                working = round(eet * rng.uniform(0.25, 0.35))
                apprentices = round(eet * rng.uniform(0.04, 0.08))
                for label, n in [("Total", total), ("Total in education, employment or training", eet),
                                 ("Total not in education, employment or training", neet),
                                 ("Total information not known", unknown),
                                 ("In training or employment", working if year < 2023 else None),
                                 ("In an apprenticeship", apprentices if year >= 2023 else None)]:
                    if n is None:
                        count = percent = "z"
                    elif label == "Total information not known":
                        count, percent = str(n), _pct(n, total)
                    else:
                        count = _count(n, p)
                        percent = "c" if count == "c" else _pct(n, total)
                    w.add(p, year, NAME_FIRST, care_leaver_age=age, breakdown=label, care_leaver_count=count,
                          care_leaver_percent=percent)
    return w.write(path)


def children_in_need(rng: random.Random, pls: list[Place], path: Path) -> Path:
    cols = HEAD + CODE_FIRST + ["category", "Anypoint_episodes", "Started_episodes", "At31_episodes", "At31_episodes_rate"]
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            if _not_available(rng, p):
                w.add(p, year, CODE_FIRST, category="Children in Need", Anypoint_episodes="x", Started_episodes="x",
                      At31_episodes="x", At31_episodes_rate="x")
                continue
            rate = _value(rng, p, "cin_rate", year, 150, 700)
            at31 = round(p.children * rate / 10_000)
            w.add(p, year, CODE_FIRST, category="Children in Need", Anypoint_episodes=str(round(at31 * 1.85)),
                  Started_episodes=str(round(at31 * 0.98)), At31_episodes=str(at31),
                  At31_episodes_rate=str(round(10_000 * at31 / p.children, 1)))
    return w.write(path)


def referrals(rng: random.Random, pls: list[Place], path: Path) -> Path:
    cols = HEAD + CODE_FIRST + ["category", "referral_count", "rereferral_count", "rereferral_percent"]
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            n = round(p.children * rng.uniform(430, 620) / 10_000)
            re = round(n * _value(rng, p, "rereferral", year, 6, 40) / 100)
            w.add(p, year, CODE_FIRST, category="Referrals and Re-referrals", referral_count=str(n),
                  rereferral_count=str(re), rereferral_percent=_pct(re, n, 1))
    return w.write(path)


# file stem (the real publication's) -> writer
DATASETS = {
    "cla_number_and_rate_per_10k_children": cla_rates,
    "la_cla_swcount": swcount,
    "la_cla_placement_stability": placement_stability,
    "la_care_leavers_activity": care_leavers_activity,
    "b1_children_in_need": children_in_need,
    "c1_children_in_need_referrals_and_rereferrals": referrals,
}


def write_dfe_files(rng: random.Random, areas: list[Area], folder: Path) -> dict[str, Path]:
    """The synthetic statistics, by dataset name (the real file's stem)."""
    pls = places(rng, areas)
    return {name: make(rng, pls, folder / f"SYNTHETIC_{name}.csv") for name, make in DATASETS.items()}


def write_neighbours(areas: list[Area], folder: Path) -> Path:
    """The demo LAs' real 2025 statistical neighbours, in the DfE's wide layout."""
    path = folder / "SYNTHETIC_sn_model_2025_wide.csv"
    cols = ["old_la_code", "la_name", "region_ind", "region_name"]
    for i in range(1, 11):
        cols += [f"SN_{i}", f"SN_{i}P"]
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(cols)
        for a in areas:
            ind, region = SN_REGION[a.la.region_code]
            row = [a.old, a.name, ind, region]
            for code, closeness in NEIGHBOURS_2025[a.old]:
                row += [code, closeness]
            out.writerow(row)
    return path
