"""Synthetic DfE statistics in the explore education statistics CSV layout (spec 3.5), and a
statistical neighbour file in the DfE's 2025 wide layout.

One file per real publication that a DfE metric of the catalogue (indicators/dfe_metrics.yaml)
reads, stored under the metric's dataset name: each copies the real file's column names and
order, filter columns and filter values (see ../shared/data/dfe), so every metric can be
computed on the demo exactly as on the real files. They cover the demo LAs, their neighbours,
their regions and England for 2021 to 2025, and hold the symbols the real files use in place
of numbers: c (confidential), low and k (rounds to zero), x (not available), z (not
applicable). The numbers are invented; a percentage is always computed from the published
count and total beside it, so the two agree.
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


# metric -> (national level in 2021, yearly drift, spread between LAs, an area's year-to-year noise)
METRICS = {
    "cla_rate": (67.0, 0.5, 22.0, 2.8), "sw3": (26.0, 0.4, 8.0, 2.7), "moves3": (10.0, 0.1, 2.5, 1.5),
    "same_carer": (70.0, -0.3, 6.0, 2.0), "eet_17": (65.0, 0.6, 7.0, 2.5), "eet_19": (55.0, 0.5, 7.0, 2.5),
    "cin_rate": (321.0, 2.0, 70.0, 9.0), "rereferral": (22.0, 0.15, 4.5, 1.5),
    "cpp_start": (52.0, -0.3, 14.0, 3.0), "cpp_repeat": (23.0, 0.35, 4.5, 1.8), "mid_moves": (8.5, -0.2, 2.5, 1.2),
    "suitable_17": (89.0, 0.3, 4.0, 1.2), "suitable_19": (87.0, 0.3, 4.5, 1.2),
    "sw_per_10k": (28.0, 0.4, 5.0, 0.8), "turnover": (16.0, -1.0, 3.5, 1.5), "agency": (17.5, -1.1, 6.5, 1.8),
    "vacancy": (19.5, -1.3, 5.5, 2.0), "caseload": (16.5, -0.3, 2.2, 0.7),
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
                         {m: rng.gauss(0, spread / 3) for m, (_, _, spread, _) in METRICS.items()}))
    for la in las:
        if la.la_code in focus:
            children = focus[la.la_code].children
        else:
            mean, sd, low = TYPE_CHILDREN[la.la_code[:3]]
            children = max(low // 3, round(rng.gauss(mean, sd)))
        shift = {m: rng.gauss(0, spread) for m, (_, _, spread, _) in METRICS.items()}
        if la.la_code in focus:
            shift["cla_rate"] = focus[la.la_code].cla_rate - METRICS["cla_rate"][0]
        out.append(Place("Local authority", la.region_code, la.region_name, la, children, shift))
    for p in out:
        for year in YEARS:
            n = round(p.children * _value(rng, p, "cla_rate", year, 20, 220) / 10_000)
            p.cla[year] = n if p.level == "Local authority" else round(n, -1)
    return out


def _value(rng: random.Random, place: Place, metric: str, year: int, lo: float, hi: float) -> float:
    base, drift, _, yearly = METRICS[metric]
    noise = 0.0 if place.level == "National" else rng.gauss(0, yearly if place.level == "Local authority" else yearly / 3)
    return min(hi, max(lo, base + drift * (year - YEARS[0]) + place.shift[metric] + noise))


def _pct(part: float, whole: float, digits: int = 0, tiny: str = "low") -> str:
    """`part` as a percentage of `whole`, rounded as published; a share that rounds to zero is
    `tiny` (the file's own symbol for it: low, or k in some files)."""
    if whole == 0:
        return "z"
    p = 100 * part / whole
    if 0 < p < 0.5:
        return tiny
    return str(round(p, digits) if digits else round(p))


def _size(n: float, place: Place) -> int:
    """A count as published: national and regional counts are rounded to the nearest 10."""
    return round(n) if place.level == "Local authority" else int(round(n, -1))


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


def _leavers(p: Place, year: int, share: float) -> int:
    """Care leavers of one age group: the same cohort in the activity and accommodation files."""
    return round(p.cla[year] * share)


def _not_known(rng: random.Random, p: Place, total: int, share: float) -> int:
    """Care leavers whose situation is not known: often none or one or two in an LA."""
    if p.level != "Local authority":
        return round(total * share)
    return int(weighted(rng, [("0", 0.3), ("1", 0.25), ("2", 0.1), (str(round(total * rng.uniform(0.01, 2 * share))), 0.35)]))


def care_leavers_activity(rng: random.Random, pls: list[Place], path: Path) -> Path:
    """Care leavers' activity by age. As in the real file, 'In training or employment' was
    split from 2023 (z: not applicable before or after), and counts of 1 to 5 are suppressed
    except 'information not known', whose tiny shares are published as 'low'."""
    cols = HEAD + NAME_FIRST + ["care_leaver_age", "breakdown", "care_leaver_count", "care_leaver_percent"]
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            for age, metric, share in [("17 to 18 years", "eet_17", 0.22), ("19 to 21 years", "eet_19", 0.45)]:
                total = _leavers(p, year, share)
                eet = round(total * _value(rng, p, metric, year, 30, 90) / 100)
                unknown = min(_not_known(rng, p, total, 0.04), total - eet)
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
    cols = HEAD + CODE_FIRST + ["category", "Anypoint_episodes", "Anypoint_child", "Started_episodes", "Started_child",
                                "Ended_episodes", "Ended_child", "At31_episodes", "awaiting_assessment"]
    names = cols[len(HEAD) + len(CODE_FIRST) + 1:]
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            if _not_available(rng, p):
                w.add(p, year, CODE_FIRST, category="Children in Need", **{c: "x" for c in names})
                continue
            at31 = _size(p.children * _value(rng, p, "cin_rate", year, 150, 700) / 10_000, p)
            anypoint, started, ended = (_size(at31 * f, p) for f in (rng.uniform(1.8, 1.95), rng.uniform(0.92, 1.05),
                                                                      rng.uniform(0.84, 0.93)))
            awaiting = _size(at31 * rng.uniform(0.005, 0.06), p)
            w.add(p, year, CODE_FIRST, category="Children in Need", Anypoint_episodes=str(anypoint),
                  Anypoint_child=str(_size(anypoint * 0.93, p)), Started_episodes=str(started),
                  Started_child=str(_size(started * 0.936, p)), Ended_episodes=str(ended),
                  Ended_child=str(_size(ended * 0.944, p)), At31_episodes=str(at31),
                  awaiting_assessment=_count(awaiting, p))
    return w.write(path)


def _count_and_percent(n: float, whole: float, place: Place, digits: int = 0) -> tuple[str, str]:
    """A count and its percentage of `whole`; both suppressed when the count is."""
    count = _count(_size(n, place), place)
    return count, "c" if count == "c" else _pct(int(count), whole, digits)


def referrals(rng: random.Random, pls: list[Place], path: Path) -> Path:
    cols = HEAD + CODE_FIRST + ["category", "referral_count", "rereferral_count", "rereferral_percent",
                                "no_further_action_count", "no_further_action_percent", "not_in_need_count",
                                "not_in_need_percent", "referral_child_count", "rereferral_child_count",
                                "rereferral_child_percent"]
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            n = _size(p.children * rng.uniform(430, 620) / 10_000, p)
            children = _size(n * rng.uniform(0.86, 0.9), p)
            again = _value(rng, p, "rereferral", year, 6, 40) / 100
            cells = {}
            for name, part, whole in [("rereferral", n * again, n), ("no_further_action", n * rng.uniform(0.005, 0.12), n),
                                      ("not_in_need", n * rng.uniform(0.2, 0.4), n),
                                      ("rereferral_child", children * again * 0.93, children)]:
                cells[f"{name}_count"], cells[f"{name}_percent"] = _count_and_percent(part, whole, p, 1)
            w.add(p, year, CODE_FIRST, category="Referrals and Re-referrals", referral_count=str(n),
                  referral_child_count=str(children), **cells)
    return w.write(path)


def repeat_protection_plans(rng: random.Random, pls: list[Place], path: Path) -> Path:
    """Child protection plans starting in the year, and those that were a second or later plan."""
    cols = HEAD + CODE_FIRST + ["category", "CPP_start", "CPP_subsequent", "CPP_subsequent_percent"]
    category = "Child Protection Plans which are a second or subsequent plan"
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            if _not_available(rng, p):
                w.add(p, year, CODE_FIRST, category=category, CPP_start="x", CPP_subsequent="x", CPP_subsequent_percent="x")
                continue
            started = _size(p.children * _value(rng, p, "cpp_start", year, 15, 140) / 10_000, p)
            count, percent = _count_and_percent(started * _value(rng, p, "cpp_repeat", year, 5, 45) / 100, started, p, 1)
            w.add(p, year, CODE_FIRST, category=category, CPP_start=_count(started, p), CPP_subsequent=count,
                  CPP_subsequent_percent=percent)
    return w.write(path)


def school_moves(rng: random.Random, pls: list[Place], path: Path) -> Path:
    """School moves of school-age children looked after: in the year (CLA on 31 March) and over
    two years (CLA 2 years on 31 March), any moves and mid-year moves, as in the real file."""
    cols = HEAD + NAME_FIRST + ["cla_group", "move_measure", "school_stability", "number", "percentage"]
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            pupils = _size(p.cla[year] * rng.uniform(0.55, 0.62), p)
            two_years = _size(pupils * rng.uniform(0.78, 0.86), p)
            mid = _value(rng, p, "mid_moves", year, 2, 25)
            extra = rng.uniform(1.5, 3.5)
            groups = [("CLA 2 years on 31 March", two_years, "during the previous 2 years", 1.9, 1.45),
                      ("CLA on 31 March", pupils, "during the year", 1.0, 1.0)]
            missing = _not_available(rng, p)
            for group, total, period, any_factor, mid_factor in groups:
                for measure, label, share in [("Any moves", f"With one or more moves {period}", (mid + extra) * any_factor),
                                              ("Mid-year moves", f"With one or more mid-year moves {period}", mid * mid_factor)]:
                    count, percent = _count_and_percent(total * min(share, 60) / 100, total, p)
                    for stability, number, percent in [("Total children", str(total), "100" if total else "z"),
                                                       (label, count, percent)]:
                        if missing:
                            number = percent = "x"
                        w.add(p, year, NAME_FIRST, cla_group=group, move_measure=measure, school_stability=stability,
                              number=number, percentage=percent)
    return w.write(path)


def care_leavers_accommodation(rng: random.Random, pls: list[Place], path: Path) -> Path:
    """Care leavers' accommodation by age: suitable, unsuitable, no information and the total.
    As in the real file, counts of 1 to 5 are suppressed except 'No information', whose tiny
    shares are published as 'k'."""
    cols = HEAD + NAME_FIRST + ["care_leaver_age", "breakdown", "care_leaver_count", "care_leaver_percent"]
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            for age, metric, share in [("17 to 18 years", "suitable_17", 0.22), ("19 to 21 years", "suitable_19", 0.45)]:
                total = _leavers(p, year, share)
                suitable = round(total * _value(rng, p, metric, year, 55, 99) / 100)
                unknown = min(_not_known(rng, p, total, 0.04), total - suitable)
                for label, n in [("Accommodation considered suitable", suitable),
                                 ("Accommodation considered unsuitable", total - suitable - unknown),
                                 ("No information", unknown), ("Suitability total", total)]:
                    if label == "No information":
                        count, percent = str(n), _pct(n, total, tiny="k")
                    else:
                        count = _count(n, p)
                        percent = "c" if count == "c" else _pct(n, total)
                    w.add(p, year, NAME_FIRST, care_leaver_age=age, breakdown=label, care_leaver_count=count,
                          care_leaver_percent=percent)
    return w.write(path)


CSWW_COLUMNS = ["inpost_fte", "inpost_headcount", "starters_fte", "starters_headcount", "leavers_fte",
                "leavers_headcount", "turnover_rate_fte", "turnover_rate_headcount", "agency_fte", "agency_headcount",
                "agency_rate_fte", "agency_rate_headcount", "agency_cover_fte", "agency_cover_rate_fte", "vacancy_fte",
                "vacancy_rate_fte", "vacancy_agency_cover_rate_fte", "case_holders_fte", "cases", "caseload_fte",
                "working_days_lost_fte", "absence_rate_fte"]


def _rate(part: float, whole: float) -> str:
    """A workforce rate to one decimal place; z where there is nothing to divide by."""
    return "z" if whole == 0 else _pct(part, whole, 1)


def one(x: float) -> float:
    """Full-time equivalents are published to one decimal place."""
    return round(x, 1)


def _fte(x: float) -> str:
    """A full-time equivalent as published: a fraction of one worker that rounds to zero is 'low'."""
    return "low" if 0 < x < 0.5 else str(x)


def workforce(rng: random.Random, pls: list[Place], path: Path) -> Path:
    """Children and family social workers on 30 September: one row per area and year, no filter
    columns. Every rate is computed from the full-time equivalents beside it, as the DfE does:
    turnover = leavers / in post, agency = agency / (agency + in post), vacancy = vacancies /
    (vacancies + in post), caseload = cases / case holders. Now and then an LA had no agency
    workers (agency cover rate z) or a fraction of one (low)."""
    cols = HEAD + CODE_FIRST + CSWW_COLUMNS
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            if _not_available(rng, p):
                w.add(p, year, CODE_FIRST, **{c: "x" for c in CSWW_COLUMNS})
                continue
            inpost = one(p.children * _value(rng, p, "sw_per_10k", year, 12, 60) / 10_000)
            inpost_hc = round(inpost * rng.uniform(1.04, 1.08))
            leavers = one(inpost * _value(rng, p, "turnover", year, 4, 35) / 100)
            leavers_hc = round(leavers * rng.uniform(1.04, 1.09))
            starters = one(leavers * rng.uniform(0.9, 1.4))
            odd = rng.random() if p.level == "Local authority" else 1.0
            if odd < 0.025:
                agency = 0.0
            elif odd < 0.04:
                agency = rng.choice([0.2, 0.4])
            else:
                r = _value(rng, p, "agency", year, 1, 50)
                agency = one(inpost * r / (100 - r))
            agency_hc = max(1, round(agency * rng.uniform(1.0, 1.04))) if agency else 0
            cover = one(agency * rng.uniform(0.6, 0.95))
            v = _value(rng, p, "vacancy", year, 2, 45)
            vacancy = one(inpost * v / (100 - v))
            holders = one(inpost * rng.uniform(0.55, 0.66))
            cases = round(holders * _value(rng, p, "caseload", year, 8, 30))
            days_lost = one(inpost * rng.uniform(6, 12))
            w.add(p, year, CODE_FIRST, inpost_fte=str(inpost), inpost_headcount=str(inpost_hc),
                  starters_fte=str(starters), starters_headcount=str(round(starters * rng.uniform(1.03, 1.08))),
                  leavers_fte=str(leavers), leavers_headcount=str(leavers_hc),
                  turnover_rate_fte=_rate(leavers, inpost), turnover_rate_headcount=_rate(leavers_hc, inpost_hc),
                  agency_fte=_fte(agency), agency_headcount=str(agency_hc),
                  agency_rate_fte=_rate(agency, agency + inpost), agency_rate_headcount=_rate(agency_hc, agency_hc + inpost_hc),
                  agency_cover_fte=_fte(cover), agency_cover_rate_fte=_rate(cover, agency),
                  vacancy_fte=str(vacancy), vacancy_rate_fte=_rate(vacancy, vacancy + inpost),
                  vacancy_agency_cover_rate_fte=_rate(cover, vacancy), case_holders_fte=str(holders), cases=str(cases),
                  caseload_fte="z" if holders == 0 else str(round(cases / holders, 1)),
                  working_days_lost_fte=str(days_lost), absence_rate_fte=_rate(days_lost, inpost * 253))
    return w.write(path)


def population(rng: random.Random, pls: list[Place], path: Path) -> Path:
    """ONS mid-year estimates of children 0 to 17 in the EES layout: the denominator of the rates
    per 10,000 the DfE computes (a 31 March figure over the estimate of the June before, so the
    first year's rates are 'z': no estimate for the year before it)."""
    cols = HEAD + ["old_la_code", "new_la_code", "la_name", "age_group", "population_estimate"]
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            w.add(p, year, CODE_FIRST, age_group="Children aged 0 to 17 years",
                  population_estimate=str(round(p.children * (1 + 0.003 * (year - YEARS[0])))))
    return w.write(path)


SOCIAL_CARE_GROUPS = {"CINO at 31 March": 1.0, "CPPO at 31 March": 1.25, "CLA 12 months at 31 March": 0.55}


def _academic(year: int) -> dict[str, str]:
    return {"time_period": f"{year - 1}{year % 100:02d}", "time_identifier": "Academic year"}


def absence(rng: random.Random, pls: list[Place], path: Path) -> Path:
    """Absence of children in need, on a plan and looked after (outcomes for children in need)."""
    cols = HEAD + NAME_FIRST + ["absence_terms", "social_care_group", "phase_type_grouping", "t_pupils",
                                "t_sess_possible", "t_sess_overall", "pt_overall", "t_pupils_pa_10_exact",
                                "pt_pupils_pa_10_exact", "t_pupils_pa_50_exact", "pt_pupils_pa_50_exact"]
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            for group, level in SOCIAL_CARE_GROUPS.items():
                pupils = _size(p.children * 0.008 * level, p)
                possible = pupils * 320
                overall = possible * min(0.4, max(0.02, rng.gauss(0.16 * level, 0.02)))
                pa10 = _size(pupils * min(0.9, max(0.05, rng.gauss(0.44 * level, 0.05))), p)
                pa50 = _size(pupils * min(0.4, max(0.0, rng.gauss(0.10 * level, 0.02))), p)
                pa10c, pa10p = _count_and_percent(pa10, pupils, p, 1)
                pa50c, pa50p = _count_and_percent(pa50, pupils, p, 1)
                w.add(p, year, NAME_FIRST, **_academic(year), absence_terms="six half terms",
                      social_care_group=group, phase_type_grouping="Total", t_pupils=str(pupils),
                      t_sess_possible=str(possible), t_sess_overall=str(round(overall)),
                      pt_overall=_pct(overall, possible, 1), t_pupils_pa_10_exact=pa10c, pt_pupils_pa_10_exact=pa10p,
                      t_pupils_pa_50_exact=pa50c, pt_pupils_pa_50_exact=pa50p)
    return w.write(path)


def key_stage_2(rng: random.Random, pls: list[Place], path: Path) -> Path:
    cols = HEAD + NAME_FIRST + ["social_care_group", "version", "t_rwm_eligible_pupils",
                                "t_rwm_met_expected_standard", "pt_rwm_met_expected_standard"]
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            for group, level in SOCIAL_CARE_GROUPS.items():
                eligible = _size(p.children * 0.0015 * level + 20, p)
                met = _size(eligible * min(0.8, max(0.05, rng.gauss(0.33 / level ** 0.3, 0.06))), p)
                count, pct = _count_and_percent(met, eligible, p)
                w.add(p, year, NAME_FIRST, **_academic(year), social_care_group=group,
                      version="Revised" if year == YEARS[-1] else "Final", t_rwm_eligible_pupils=str(eligible),
                      t_rwm_met_expected_standard=count, pt_rwm_met_expected_standard=pct)
    return w.write(path)


def key_stage_4(rng: random.Random, pls: list[Place], path: Path) -> Path:
    cols = HEAD + NAME_FIRST + ["social_care_group", "version", "t_pupils", "avg_att8"]
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            for group, level in SOCIAL_CARE_GROUPS.items():
                pupils = _size(p.children * 0.0009 * level + 5, p)
                score = "c" if pupils < 6 else str(round(min(60.0, max(5.0, rng.gauss(17.5, 2.5))), 1))
                w.add(p, year, NAME_FIRST, **_academic(year), social_care_group=group,
                      version="Revised" if year == YEARS[-1] else "Final", t_pupils=str(pupils), avg_att8=score)
    return w.write(path)


def plans_by_duration(rng: random.Random, pls: list[Place], path: Path) -> Path:
    cols = HEAD + CODE_FIRST + ["category", "CPP_At31", "2_years_or_more", "2_years_or_more_percent"]
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            plans = _size(p.children * rng.uniform(0.003, 0.006), p)
            long, pct = _count_and_percent(plans * max(0.0, rng.gauss(0.025, 0.01)), plans, p, 1)
            w.add(p, year, CODE_FIRST, category="Child Protection Plans by length of time", CPP_At31=str(plans),
                  **{"2_years_or_more": long, "2_years_or_more_percent": pct})
    return w.write(path)


ASSESSMENT_FACTORS = {  # column -> episodes with the factor per 10,000 children, nationally (the real file's order)
    "Domestic_Abuse_child": 48, "Domestic_Abuse_parent": 134, "Domestic_Abuse_person": 21, "Going_missing": 14,
    "Child_sexual_exploitation": 10, "Trafficking": 2, "Gangs": 7, "Neglect": 74, "Emotional_Abuse": 80,
    "Physical_Abuse_unknown": 3, "Physical_Abuse_child_on_child": 13, "Physical_Abuse_adult_on_child": 50,
    "Sexual_Abuse_unknown": 3, "Sexual_Abuse_child_on_child": 10, "Sexual_Abuse_adult_on_child": 16,
    "Faith_linked_abuse": 2, "Child_criminal_exploitation": 13,
}


def assessment_factors(rng: random.Random, pls: list[Place], path: Path) -> Path:
    cols = HEAD + CODE_FIRST + ["category", *ASSESSMENT_FACTORS]
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            cells = {c: _count(_size(p.children * rate * rng.uniform(0.6, 1.4) / 10_000, p), p)
                     for c, rate in ASSESSMENT_FACTORS.items()}
            w.add(p, year, CODE_FIRST, category="Factors identified at the end of assessment", **cells)
    return w.write(path)


def sdq(rng: random.Random, pls: list[Place], path: Path) -> Path:
    """Average SDQ score of children looked after aged 5 to 16 (convictions and health outcomes file)."""
    cols = HEAD + NAME_FIRST + ["characteristic", "breakdown", "children_count", "children_percent"]
    w = Writer(rng, cols)
    for year in YEARS:
        for p in pls:
            w.add(p, year, NAME_FIRST, characteristic="Ages 5 to 16 years with SDQ score",
                  breakdown="SDQ average score", children_count=str(round(min(40.0, max(5.0, rng.gauss(14.9, 1.2))), 1)),
                  children_percent="z")
    return w.write(path)


RSX_CSC, RSX_TOTAL = ("Children Social Care - Total Expenditure (C3 = C1 + C2)",
                      "Total Service Expenditure - Total Expenditure (C3 = C1 + C2)")
RO3_CSC, RO3_CLA = ("TOTAL CHILDREN SOCIAL CARE - Total Expenditure (C3 = C1 + C2)",
                    "Children's social care - Children Looked After - Total Expenditure (C3 = C1 + C2)")
JUDGEMENT_COUNTS = {"outstanding_count": 0.29, "good_count": 0.39, "requires_improvement_count": 0.22,
                    "inadequate_count": 0.10}


def _spend(p: Place, rng: random.Random) -> float:
    """Children's social care spending in GBP thousand: about GBP 1,400 a child, as in England."""
    return round(p.children * rng.uniform(0.9, 2.2), 2)


def outturn_rsx(rng: random.Random, pls: list[Place], path: Path) -> Path:
    """MHCLG revenue outturn RSX in the EES shape `load dfe` gives the .ods (a real file holds one
    financial year; the demo has one file for all its years, 2020-21 to 2024-25)."""
    w = Writer(rng, HEAD + CODE_FIRST + [RSX_CSC, RSX_TOTAL])
    for year in YEARS:
        for p in pls:
            csc = _spend(p, rng)
            bad = _not_available(rng, p)
            w.add(p, year, CODE_FIRST, time_period=f"{year - 1}{year % 100:02d}", time_identifier="Financial year",
                  **{RSX_CSC: "x" if bad else str(csc),
                     RSX_TOTAL: "x" if bad else str(round(csc / rng.uniform(0.06, 0.14), 2))})
    return w.write(path)


def outturn_ro3(rng: random.Random, pls: list[Place], path: Path) -> Path:
    """MHCLG revenue outturn RO3 (children's social care and its children looked after part)."""
    w = Writer(rng, HEAD + CODE_FIRST + [RO3_CSC, RO3_CLA])
    for year in YEARS:
        for p in pls:
            csc = _spend(p, rng)
            w.add(p, year, CODE_FIRST, time_period=f"{year - 1}{year % 100:02d}", time_identifier="Financial year",
                  **{RO3_CSC: str(csc), RO3_CLA: str(round(csc * rng.uniform(0.4, 0.68), 2))})
    return w.write(path)


def inspections(rng: random.Random, pls: list[Place], path: Path) -> Path:
    """Ofsted's leadership judgements: an LA counts 1 in its judgement's column; regions and England
    count their LAs (invented here)."""
    w = Writer(rng, HEAD + CODE_FIRST + list(JUDGEMENT_COUNTS))
    for year in YEARS:   # a real file is as at one date; the demo has a judgement a year
        for p in pls:
            if p.level == "Local authority":
                pick = weighted(rng, list(JUDGEMENT_COUNTS.items()))
                cells = {c: "1" if c == pick else "0" for c in JUDGEMENT_COUNTS}
            else:
                n = 153 if p.level == "National" else rng.randint(8, 20)
                cells = {c: str(round(n * share)) for c, share in JUDGEMENT_COUNTS.items()}
            w.add(p, year, CODE_FIRST, **cells)
    return w.write(path)


FINGERTIPS_COLUMNS = ["Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name",
                      "Area Type", "Sex", "Age", "Category Type", "Category", "Time period", "Value", "Count",
                      "Denominator"]
INJURIES = "Hospital admissions caused by unintentional and deliberate injuries in children (aged 0 to 14 years)"


def hospital_admissions(rng: random.Random, pls: list[Place], path: Path) -> Path:
    """Admissions for injuries to children aged 0 to 14 per 10,000, in the OHID Fingertips layout of
    region_hospital_admissions_2324.csv (financial years 2020/21 to 2024/25 as 2021 to 2025): England,
    the regions (London whole: Fingertips has no Inner and Outer London, the DfE computes them from
    the boroughs) and the LAs, each Value 10,000 x Count / Denominator, now and then blank."""
    ref = la_reference()
    england = ("", "", ENGLAND[0], ENGLAND[1], "England")
    rows = []
    for p in pls:
        if p.level == "Regional" and not p.region_code.startswith("E12"):
            continue
        if p.level == "National":
            parent_code, parent_name, code, name, kind = england
        elif p.level == "Regional":
            parent_code, parent_name = ENGLAND
            code, name, kind = p.region_code, f"{p.region_name} region (statistical)", "Regions (statistical)"
        else:
            region = LONDON[0] if p.region_code.startswith("E13") else p.region_code
            parent_code, parent_name = region, f"{LONDON[1] if region == LONDON[0] else ref.regions[region]} region (statistical)"
            code, name, kind = p.la.la_code, p.la.la_name, "Counties & UAs (from Apr 2023)"
        shift = 0.0 if p.level == "National" else rng.gauss(0, 18 if p.level == "Local authority" else 8)
        children = round(p.children * 0.83)
        for year in YEARS:
            rate = max(25.0, 84.0 - 3.0 * (year - YEARS[0]) + shift + rng.gauss(0, 6 if p.level == "Local authority" else 1))
            count = round(children * rate / 10_000 / 5) * 5          # Fingertips rounds LA counts to 5
            blank = p.level == "Local authority" and rng.random() < 0.01
            rows.append({"Indicator ID": "90284", "Indicator Name": INJURIES, "Parent Code": parent_code,
                         "Parent Name": parent_name, "Area Code": code, "Area Name": name, "Area Type": kind,
                         "Sex": "Persons", "Age": "<15 yrs", "Category Type": "", "Category": "",
                         "Time period": f"{year - 1}/{year % 100:02d}",
                         "Value": "" if blank else f"{10_000 * count / children:.5f}",
                         "Count": "" if blank else str(count), "Denominator": "" if blank else str(children)})
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=FINGERTIPS_COLUMNS, lineterminator="\n")
        out.writeheader()
        out.writerows(rows)
    return path


# dataset name (the real file's stem less its year range, as the catalogue's metrics name it) -> writer
DATASETS = {
    "cla_number_and_rate_per_10k_children": cla_rates,
    "la_cla_swcount": swcount,
    "la_cla_placement_stability": placement_stability,
    "la_cla_school_moves": school_moves,
    "la_care_leavers_activity": care_leavers_activity,
    "la_care_leavers_accommodation_suitability": care_leavers_accommodation,
    "b1_children_in_need": children_in_need,
    "c1_children_in_need_referrals_and_rereferrals": referrals,
    "d3_cpps_subsequent_plan": repeat_protection_plans,
    "csww_indicators": workforce,
    "ons_mid-year_population_estimates": population,
    "absence_la": absence,
    "ks2_la": key_stage_2,
    "ks4_la": key_stage_4,
    "d5_cpps_at31march_by_duration": plans_by_duration,
    "c3_factors_identified_at_end_of_assessment": assessment_factors,
    "la_conviction_health_outcome_cla": sdq,
    # The spreadsheets (.ods) `load dfe` reads, under the names it gives them (dashboard.loaders.dfe_sheets).
    "rsx_revenue_outturn": outturn_rsx,
    "ro3_revenue_outturn": outturn_ro3,
    "la_inspection_outcomes": inspections,
    # OHID Fingertips (not EES): the region file's layout, under the name the real file loads as.
    "region_hospital_admissions_2324": hospital_admissions,
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
