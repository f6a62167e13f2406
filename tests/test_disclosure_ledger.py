"""The release ledger (dashboard/ledger.py, migration 0003): releases are recorded, and a new
release is gated with what earlier ones published, so subtracting two releases reveals nothing."""
from __future__ import annotations

from pathlib import Path

import polars as pl

from dashboard import ledger, store
from dashboard.engine.atoms import Atoms
from dashboard.engine.cells import gate_many

KEYS = ["wave", "survey", "la_code", "age_band", "breakdown", "group", "category"]
LAS = ["E10000016", "E06000035"]


def survey(extra: int = 0) -> Atoms:
    """Two LAs, two bands, genders and placements; `extra` more girls in one group answer yes."""
    rows = []
    for li, la in enumerate(LAS):
        for band in ("8-11", "11-17"):
            for gi, (gender, placement) in enumerate([("boy", "foster"), ("girl", "foster"), ("girl", "kinship"),
                                                       ("boy", "residential")]):
                n = 12 + 7 * gi + 5 * li
                rows.append({"la_code": la, "survey": "YLYC", "wave": 2025, "age_band": band, "gender": gender,
                             "placement_type": placement, "disability": "no", "positive": n // 2, "answered": n,
                             "not_answered": 1, "cohort": "children_in_care"})
    rows[1]["positive"] += (extra + 1) // 2   # half of them (one, of one) say yes
    rows[1]["answered"] += extra
    return Atoms("feel_safe", pl.DataFrame(rows), ["gender", "placement_type", "disability"], "rate", False, True)


def published(gated: pl.DataFrame) -> dict[tuple, tuple[int, int]]:
    return {tuple(r[:7]): (r[7], r[8]) for r in
            gated.filter(pl.col("status") == "ok").select(*KEYS, "numerator", "base").rows()}


def revealed(first: dict, second: dict) -> list[tuple]:
    """Figures shown in both releases whose difference is a group of fewer than 10 people."""
    return [k for k in first.keys() & second.keys()
            if 0 < abs(second[k][1] - first[k][1]) < 10 or (second[k][1] == first[k][1] and second[k] != first[k])]


def test_a_release_is_recorded_and_read_back_as_what_was_published(db: Path):
    gated = gate_many([survey()])
    con = store.connect(db)
    try:
        n = ledger.record_release(con, "r1", gated)
        back = ledger.previous_release(con, ["feel_safe", "other"])
    finally:
        con.close()
    assert n == gated["feel_safe"].height
    assert back["other"].height == 0
    assert set(back["feel_safe"].select(*KEYS, "numerator", "base").rows()) == \
        {(*k, *v) for k, v in published(gated["feel_safe"]).items()}


def test_subtracting_two_releases_without_the_ledger_gives_one_childs_answer():
    # What the gate did before the ledger: the replaced wave gated alone.
    first, second = gate_many([survey()]), gate_many([survey(extra=1)])
    assert revealed(published(first["feel_safe"]), published(second["feel_safe"]))


def test_subtracting_two_releases_reveals_nothing_when_the_second_is_gated_with_the_ledger(db: Path):
    con = store.connect(db)
    try:
        first = gate_many([survey()])
        ledger.record_release(con, "r1", first)
        second = gate_many([survey(extra=1)], previous=ledger.previous_release(con, ["feel_safe"]))
        ledger.record_release(con, "r2", second)
        every = ledger.previous_release(con, ["feel_safe"])["feel_safe"]
    finally:
        con.close()
    assert revealed(published(first["feel_safe"]), published(second["feel_safe"])) == []
    # Still a useful release: the figures the new child is not in are shown as before.
    assert published(second["feel_safe"])
    # Across every release in the ledger, no figure is shown with two values a few people apart.
    values = every.group_by(KEYS).agg(pl.col("base").min().alias("lo"), pl.col("base").max().alias("hi"))
    assert values.filter((pl.col("hi") - pl.col("lo")).is_between(1, 9)).height == 0


def test_a_change_of_ten_or_more_people_is_published_again():
    first = gate_many([survey()])
    second = gate_many([survey(extra=10)], previous={"feel_safe": first["feel_safe"].filter(pl.col("status") == "ok")})
    changed = {k for k, v in published(second["feel_safe"]).items()
               if k in published(first["feel_safe"]) and published(first["feel_safe"])[k] != v}
    assert changed
