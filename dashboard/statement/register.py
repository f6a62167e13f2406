"""The register of the ways an LA listens, read as typed records, and the map built from it:
who is asked, how often (per quarter of the reporting year), by how many routes, and what each
activity's findings led to (actions linked by source or theme, and whether children were told).

The register and the actions are about services, not children: counting them needs no
disclosure control. Nothing here reads a record about a child.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import duckdb
import polars as pl
import yaml

from dashboard import store
from dashboard.loaders.themes import COHORTS

SETTINGS = Path(__file__).resolve().parent / "listening.yaml"
KIND_LABELS = {"survey": "Survey", "group": "Group", "forum": "Forum", "advocacy": "Advocacy",
               "complaints": "Complaints", "feedback_form": "Feedback form", "audit": "Audit or inspection",
               "interview_panel": "Interview panel", "other": "Other"}
COHORT_LABELS = {"child_in_care": "Children in care", "care_leaver": "Care leavers", "child_in_need": "Children in need",
                 "child_protection": "Children on protection plans", "early_help": "Families in early help",
                 "parent_carer": "Parents and carers"}
OFTEN_LABELS = {"once": "once", "weekly": "every week", "fortnightly": "every two weeks", "monthly": "every month",
                "termly": "every school term", "quarterly": "every three months", "twice_yearly": "twice a year",
                "yearly": "once a year", "ongoing": "open all the time"}


@dataclass(frozen=True)
class Activity:
    activity_id: str
    activity: str
    kind: str
    cohorts: tuple[str, ...]
    age_from: int | None
    age_to: int | None
    how_often: str
    owner: str | None
    findings_used: str | None
    hear_back: str | None
    action_source: str | None
    themes: tuple[str, ...]
    start_date: date
    end_date: date | None

    def active_between(self, first: date, last: date) -> bool:
        return self.start_date <= last and (self.end_date is None or self.end_date >= first)

    @property
    def ages(self) -> str:
        return "any age" if self.age_from is None else f"{self.age_from} to {self.age_to}"


@dataclass(frozen=True)
class Settings:
    max_asks_per_quarter: int
    asks_per_quarter: dict[str, int] = field(default_factory=dict)


@lru_cache(maxsize=1)
def settings() -> Settings:
    raw = yaml.safe_load(SETTINGS.read_text(encoding="utf-8"))
    return Settings(int(raw["max_asks_per_quarter"]), {k: int(v) for k, v in raw["asks_per_quarter"].items()})


def activities(con: duckdb.DuckDBPyConnection, la_code: str) -> list[Activity]:
    frame = store.frame(con, store.sql("voice_activities_for_la"), {"la_code": la_code})
    return [Activity(r["activity_id"], r["activity"], r["kind"], tuple(r["cohorts"] or ()), r["age_from"], r["age_to"],
                     r["how_often"], r["owner"], r["findings_used"], r["hear_back"], r["action_source"],
                     tuple(r["themes"] or ()), r["start_date"], r["end_date"]) for r in frame.iter_rows(named=True)]


def has_register(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The LAs that have loaded a register."""
    return store.frame(con, store.sql("voice_activity_las"))["la_code"].to_list()


# -- the reporting year ------------------------------------------------------------------------
def reporting_year(year: int) -> tuple[date, date]:
    """Year 2025 runs from 1 April 2024 to 31 March 2025, as the DfE returns (and the figures) do."""
    return date(year - 1, 4, 1), date(year, 3, 31)


def quarters(year: int) -> list[tuple[str, date, date]]:
    y = year - 1
    return [(f"Apr-Jun {y}", date(y, 4, 1), date(y, 6, 30)), (f"Jul-Sep {y}", date(y, 7, 1), date(y, 9, 30)),
            (f"Oct-Dec {y}", date(y, 10, 1), date(y, 12, 31)), (f"Jan-Mar {year}", date(year, 1, 1), date(year, 3, 31))]


def _quarter_index(d: date) -> int:
    """0..3: the quarter of a reporting year (April first) a date's month falls in."""
    return ((d.month - 4) % 12) // 3


def asks_in_quarter(a: Activity, first: date, last: date, s: Settings | None = None) -> int:
    """How many times activity `a` asks its cohorts in the quarter [first, last]."""
    s = s or settings()
    if not a.active_between(first, last):
        return 0
    if a.how_often in s.asks_per_quarter:
        return s.asks_per_quarter[a.how_often]
    q = _quarter_index(first)
    start_q = _quarter_index(a.start_date)
    if a.how_often == "once":
        return int(first <= a.start_date <= last)
    if a.how_often == "yearly":
        return int(q == start_q)
    if a.how_often == "twice_yearly":
        return int(q in (start_q, (start_q + 2) % 4))
    return 0


# -- the map -----------------------------------------------------------------------------------
def asks_table(acts: list[Activity], year: int, s: Settings | None = None) -> pl.DataFrame:
    """One row per cohort and quarter: how many times it is asked, by which activities, and
    whether that is more than the threshold."""
    s = s or settings()
    rows = []
    for cohort in COHORTS:
        for label, first, last in quarters(year):
            hits = [(a, asks_in_quarter(a, first, last, s)) for a in acts if cohort in a.cohorts]
            hits = [(a, n) for a, n in hits if n]
            total = sum(n for _, n in hits)
            rows.append({"cohort": cohort, "quarter": label, "asks": total,
                         "by": "; ".join(f"{a.activity} ({n})" for a, n in hits),
                         "too_often": total > s.max_asks_per_quarter})
    return pl.DataFrame(rows, schema={"cohort": pl.String, "quarter": pl.String, "asks": pl.Int64, "by": pl.String,
                                      "too_often": pl.Boolean})


def routes_table(acts: list[Activity], year: int) -> pl.DataFrame:
    """One row per cohort: how many activities reach it during the year, how many ask (rather
    than wait to be used), and which they are. A cohort with no route is nobody's."""
    first, last = reporting_year(year)
    rows = []
    for cohort in COHORTS:
        reach = [a for a in acts if cohort in a.cohorts and a.active_between(first, last)]
        rows.append({"cohort": cohort, "routes": len(reach),
                     "asking_routes": sum(1 for a in reach if a.how_often != "ongoing"),
                     "activities": "; ".join(a.activity for a in reach), "nobody_asks": not reach})
    return pl.DataFrame(rows, schema={"cohort": pl.String, "routes": pl.Int64, "asking_routes": pl.Int64,
                                      "activities": pl.String, "nobody_asks": pl.Boolean})


@dataclass(frozen=True)
class Loop:
    """What one activity's findings led to: actions linked by source or theme."""

    activity: Activity
    actions: int
    by_status: dict[str, int]
    told: int                 # actions children were told about
    last_told: date | None

    @property
    def led_to_action(self) -> bool:
        return self.actions > 0


def linked_actions(a: Activity, actions: pl.DataFrame) -> pl.DataFrame:
    """The actions recorded under the activity's actions source or one of its themes."""
    if actions.height == 0 or (not a.action_source and not a.themes):
        return actions.head(0)
    hit = pl.lit(False)
    if a.action_source:
        hit = hit | (pl.col("source") == a.action_source)
    if a.themes:
        hit = hit | pl.col("theme").str.to_lowercase().is_in([t.lower() for t in a.themes])
    return actions.filter(hit)


def loops(acts: list[Activity], actions: pl.DataFrame) -> list[Loop]:
    out = []
    for a in acts:
        mine = linked_actions(a, actions)
        by_status = {s: n for s, n in mine.group_by("status").len().iter_rows()} if mine.height else {}
        told = mine.filter(pl.col("told_children_on").is_not_null()) if mine.height else mine
        out.append(Loop(a, mine.height, by_status, told.height,
                        told["told_children_on"].max() if told.height else None))
    return out


def actions_for(con: duckdb.DuckDBPyConnection, la_code: str) -> pl.DataFrame:
    return store.frame(con, store.sql("actions_for_la"), {"la_code": la_code})
