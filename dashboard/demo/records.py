"""Synthetic record-level files: feedback forms (spec 3.2), reviews with PN codes (3.3) and
voice checks (3.4). Every reference is pseudonymous and invented (W0123, F04567, C123456)."""
from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from dashboard.demo.places import Area

FEEDBACK_COLUMNS = ["form_id", "la_code", "date", "service", "worker_ref", "family_ref", "respondent",
                    "meeting_number", "q1_variant", "q1", "q2", "q3_variant", "q3", "q4", "discussed"]
REVIEW_COLUMNS = ["review_id", "la_code", "child_ref", "review_date", "review_type", "pn_code", "scheme"]
CHECK_COLUMNS = ["child_ref", "la_code", "date", "check", "answer"]

LAST_DAY = date(2025, 9, 30)      # nothing in the demo is dated later

# service -> (share of forms, mean score at a first meeting, who answers, question wording)
SERVICES = {
    "early_help": (0.25, 4.2, [("parent_carer", 0.6), ("child", 0.22), ("young_person", 0.13), ("network_member", 0.05)], "b"),
    "child_in_need": (0.18, 3.8, [("parent_carer", 0.55), ("child", 0.25), ("young_person", 0.15), ("network_member", 0.05)], "a"),
    "child_protection": (0.14, 3.3, [("parent_carer", 0.7), ("child", 0.14), ("young_person", 0.1), ("network_member", 0.06)], "a"),
    "child_in_care": (0.16, 3.9, [("child", 0.45), ("young_person", 0.4), ("parent_carer", 0.1), ("network_member", 0.05)], "a"),
    "care_leaver": (0.08, 3.8, [("young_person", 1.0)], "b"),
    "disabled_children": (0.07, 4.1, [("parent_carer", 0.8), ("child", 0.15), ("network_member", 0.05)], "b"),
    "mash": (0.03, 3.4, [("parent_carer", 0.9), ("network_member", 0.1)], "a"),
    "iro": (0.06, 4.0, [("child", 0.4), ("young_person", 0.45), ("parent_carer", 0.15)], "a"),
    "pre_birth": (0.03, 3.5, [("parent_carer", 0.9), ("network_member", 0.1)], "a"),
}

# Review PN codes, (weight) by scheme and age. Current: SSDA903; recommended: the 2023 proposal.
CURRENT_PN = {"young": [("PN1", 0.28), ("PN2", 0.05), ("PN3", 0.12), ("PN4", 0.06), ("PN5", 0.09), ("PN6", 0.28), ("PN7", 0.12)],
              "older": [("PN1", 0.45), ("PN2", 0.05), ("PN3", 0.04), ("PN4", 0.06), ("PN5", 0.1), ("PN6", 0.2), ("PN7", 0.1)]}
RECOMMENDED_PN = {"baby": [("PN2", 0.25), ("PN5", 0.55), ("PN8", 0.2)],
                  "young": [("PN1", 0.32), ("PN2", 0.12), ("PN3", 0.05), ("PN4", 0.08), ("PN5", 0.28), ("PN6", 0.05), ("PN7", 0.05), ("PN8", 0.05)],
                  "older": [("PN1", 0.46), ("PN2", 0.05), ("PN3", 0.05), ("PN4", 0.1), ("PN5", 0.2), ("PN6", 0.05), ("PN7", 0.06), ("PN8", 0.03)]}
# The date each LA moved its reviews to the recommended scheme (by position in the area list).
SWITCH = [date(2023, 4, 1), date(2024, 4, 1), date(2025, 4, 1)]


def weighted(rng: random.Random, options: list[tuple[str, float]]) -> str:
    x = rng.random() * sum(w for _, w in options)
    for value, w in options:
        x -= w
        if x <= 0:
            return value
    return options[-1][0]


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _write(path: Path, columns: list[str], rows: list[tuple]) -> Path:
    pl.DataFrame(rows, schema={c: pl.String for c in columns}, orient="row").write_csv(path)
    return path


def _refs(rng: random.Random, letter: str, digits: int, n: int) -> list[str]:
    """n distinct pseudonymous references such as W0123 or F04567."""
    picked = rng.sample(range(1, 10 ** digits), n)
    return [f"{letter}{v:0{digits}d}" for v in picked]


# -- feedback forms ----------------------------------------------------------------------------
def _score(rng: random.Random, mean: float) -> str:
    if rng.random() < 0.03:
        return ""   # question left out
    return str(min(5, max(1, round(rng.gauss(mean, 0.85)))))


def feedback_rows(rng: random.Random, area: Area, la_index: int) -> list[tuple]:
    started = date(2024, 1, 8) + timedelta(days=30 * (la_index % 8))     # LAs adopted the form at different times
    la_mood = rng.gauss(0, 0.25)
    discussed_yes = rng.uniform(0.45, 0.82)
    unknown = rng.uniform(0.04, 0.18)
    n_workers = max(8, area.cla // 40)
    workers = _refs(rng, "W", 4, n_workers)
    worker_service = {w: weighted(rng, [(s, v[0]) for s, v in SERVICES.items()]) for w in workers}
    families = iter(_refs(rng, "F", 5, 4000))
    relationships = max(40, round(area.cla * 0.22))
    rows = []
    for _ in range(relationships):
        worker = rng.choice(workers)
        service = worker_service[worker]
        _, mean, who, variant = SERVICES[service]
        family = next(families)
        respondent = weighted(rng, who)
        when = _day(rng, started, LAST_DAY - timedelta(days=20))
        meeting = 1
        relation = rng.gauss(0, 0.4)
        while when <= LAST_DAY:
            all_fives = rng.random() < (0.2 if service in ("child_protection", "mash") and meeting == 1 else 0.1)
            m = mean + la_mood + relation + 0.15 * (meeting - 1)
            scores = ["5"] * 4 if all_fives else [_score(rng, m), _score(rng, m + 0.2), _score(rng, m - 0.15),
                                                  _score(rng, m - 0.05)]
            p_yes = min(0.95, discussed_yes + 0.04 * (meeting - 1))
            discussed = weighted(rng, [("yes", p_yes), ("unknown", unknown), ("no", max(0.02, 1 - p_yes - unknown))])
            v1 = variant if scores[0] else ""
            v3 = variant if scores[2] else ""
            rows.append((when.isoformat(), area.code, service, worker, family, respondent, str(meeting),
                         v1, scores[0], scores[1], v3, scores[2], scores[3], discussed))
            if rng.random() < 0.38:        # the relationship (or the feedback) ends here
                break
            meeting += 1
            when += timedelta(days=rng.randint(14, 56))
    rows.sort()
    return [(f"FF{area.old}-{i:05d}", r[1], r[0], *r[2:]) for i, r in enumerate(rows, 1)]


def write_feedback(rng: random.Random, areas: list[Area], folder: Path) -> list[Path]:
    return [_write(folder / f"SYNTHETIC_feedback_forms_{a.old}.csv", FEEDBACK_COLUMNS, feedback_rows(rng, a, i))
            for i, a in enumerate(areas)]


# -- reviews (participation) ------------------------------------------------------------------
def _review_type(rng: random.Random, age: int) -> tuple[str, int]:
    """A review type for a child of this age, and the months between its reviews."""
    if age >= 16 and rng.random() < 0.5:
        return "pathway", 6
    kind = weighted(rng, [("child_looked_after", 0.5), ("child_protection", 0.2), ("child_in_need", 0.18),
                          ("early_help", 0.12)])
    return kind, {"child_looked_after": 6, "child_protection": 6, "child_in_need": 4, "early_help": 3}[kind]


def review_rows(rng: random.Random, area: Area, la_index: int) -> list[tuple]:
    switch = SWITCH[la_index % len(SWITCH)]
    engage = rng.gauss(0, 0.35)             # how well this LA involves children in their reviews
    children = _refs(rng, "C", 6, max(60, round(area.cla * 0.5)))
    rows = []
    for child in children:
        born = _day(rng, date(2004, 1, 1), date(2024, 6, 30))
        first = max(born + timedelta(days=60), _day(rng, date(2020, 10, 1), date(2025, 6, 30)))
        age = (first - born).days // 365
        kind, months = _review_type(rng, age)
        when = first
        for _ in range(rng.randint(1, 8)):
            if when > LAST_DAY or when < date(2021, 4, 1):
                when += timedelta(days=30 * months)
                continue
            age = (when - born).days // 365
            if when < switch:
                scheme = "current"
                options = [("PN0", 1.0)] if age < 4 else CURRENT_PN["young" if age < 11 else "older"]
            else:
                scheme = "recommended"
                options = RECOMMENDED_PN["baby" if age < 4 else "young" if age < 11 else "older"]
            options = [(c, w * (1 + engage) if c == "PN1" else w) for c, w in options]
            rows.append((when.isoformat(), child, kind, weighted(rng, options), scheme))
            when += timedelta(days=30 * months + rng.randint(-10, 10))
    rows.sort()
    return [(f"RV{area.old}-{i:06d}", area.code, r[1], r[0], r[2], r[3], r[4]) for i, r in enumerate(rows, 1)]


def write_reviews(rng: random.Random, areas: list[Area], folder: Path) -> list[Path]:
    return [_write(folder / f"SYNTHETIC_reviews_{a.old}.csv", REVIEW_COLUMNS, review_rows(rng, a, i))
            for i, a in enumerate(areas)]


# -- voice checks ------------------------------------------------------------------------------
def check_rows(rng: random.Random, area: Area) -> list[tuple]:
    heard = rng.uniform(0.62, 0.92)
    sought = rng.uniform(0.45, 0.85)
    children = _refs(rng, "C", 6, max(50, round(area.cla * 0.25)))
    rows = []
    for child in children:
        baby = rng.random() < 0.08
        opened = _day(rng, date(2024, 1, 1), date(2025, 6, 30))
        assessed = opened + timedelta(days=rng.randint(10, 45))
        if assessed <= LAST_DAY:
            rows.append((child, assessed, "voice_heard_assessment", heard, baby))
        when = opened + timedelta(days=90)
        while when <= LAST_DAY and rng.random() < 0.85:
            rows.append((child, when, "feedback_sought", sought, baby))
            when += timedelta(days=91)
        closed = opened + timedelta(days=rng.randint(60, 600))
        if closed <= LAST_DAY and rng.random() < 0.6:
            rows.append((child, closed, "voice_heard_closure", heard + 0.03, baby))
    out = []
    for child, when, check, p, baby in sorted(rows):
        answer = ("not_appropriate" if rng.random() < (0.5 if check != "voice_heard_closure" and baby else 0.03)
                  else "yes" if rng.random() < p else "no")
        out.append((child, area.code, when.isoformat(), check, answer))
    return out


def write_voice_checks(rng: random.Random, areas: list[Area], folder: Path) -> list[Path]:
    return [_write(folder / f"SYNTHETIC_voice_checks_{a.old}.csv", CHECK_COLUMNS, check_rows(rng, a))
            for a in areas]
