"""The attacker's linear program (dashboard/attack.py) and the audit that runs it: crafted attacks
that today's gate let through are found, and the gate now blocks them."""
from __future__ import annotations

import polars as pl

from dashboard import attack, audit
from dashboard.engine.atoms import Atoms
from dashboard.disclosure import rules
from dashboard.engine.cells import gate as _gate

# The gate exactly as the product runs it (disclosure.yaml): the attacker's check and the least-
# hiding search are on for every family the product makes.
REFINED = rules()


def gate(atoms, r=None):
    return _gate(atoms, r or REFINED)

LA = "E10000016"


def survey(groups: list[tuple[str, int, int]]) -> Atoms:
    """One LA, one band, one gender breakdown: (gender, positive, answered)."""
    rows = [{"la_code": LA, "survey": "YLYC", "wave": 2025, "age_band": "11-17", "gender": g,
             "placement_type": "foster", "disability": "no", "positive": p, "answered": n,
             "not_answered": 0, "cohort": "children_in_care"} for g, p, n in groups]
    return Atoms("crafted_survey", pl.DataFrame(rows), ["gender", "placement_type", "disability"], "rate", False, True,
                 pool=False)


def records(rows: list[tuple[str, int, int]]) -> Atoms:
    """Record rate by stage: (stage, positive, answered)."""
    frame = pl.DataFrame([{"la_code": LA, "wave": 2025, "stage": s, "positive": p, "answered": n, "not_answered": 0}
                          for s, p, n in rows]).with_columns(
        pl.lit("families").alias("cohort"), pl.lit(None, dtype=pl.String).alias("survey"))
    return Atoms("crafted_records", frame, ["stage"], "rate", True, False, pool=False)


def old_gate(atoms: Atoms) -> pl.DataFrame:
    """What the gate published before this issue, written out as the published table."""
    return gate(atoms)


def frozen(atoms: Atoms, published: dict[tuple, str]) -> pl.DataFrame:
    """The gate's cells with the given statuses (key: (age_band, breakdown, group)); others 'ok'."""
    g = gate(atoms)
    status = [published.get((b, bd, grp), "ok") for b, bd, grp in g.select("age_band", "breakdown", "group").rows()]
    return g.with_columns(pl.Series("status", status), pl.lit("hidden").alias("reason"))


def findings(atoms: Atoms, gated: pl.DataFrame) -> list[audit.Finding]:
    report = audit.audit_all([atoms], gate_fn=lambda _a: gated)
    return [f for f in report.findings if f.check in ("attack", "recoverable", "primary")]


PIN = [("boy", 14, 18), ("girl", 23, 23), ("other", 3, 3)]   # whole 40/44


def test_subtraction_pins_two_hidden_groups_to_100_percent_and_the_audit_finds_both():
    # As today's gate published it: whole and boys shown, girls (23/23) and other (3 people) hidden.
    atoms = survey(PIN)
    hidden = {(b, "gender", g): "c" for b in ("11-17", "all") for g in ("girl", "other")}
    hidden |= {(b, bd, grp): "c" for b in ("11-17", "all") for bd in ("placement_type", "disability")
               for grp in ("foster", "no")}
    found = findings(atoms, frozen(atoms, hidden))
    where = " ".join(f.where for f in found)
    assert "gender = girl" in where and "gender = other" in where
    assert any("worked out exactly: 23" in f.detail for f in found)


def test_the_gate_now_protects_the_pinned_groups():
    atoms = survey(PIN)
    assert findings(atoms, gate(atoms)) == []


def test_a_record_rate_of_ten_out_of_ten_published_is_a_primary_finding():
    atoms = records([("first form", 10, 10), ("second form", 20, 30)])
    published = frozen(atoms, {})
    found = findings(atoms, published)
    assert any("same answer (100%)" in f.detail and "first form" in f.where for f in found)


def test_the_gate_hides_a_record_rate_where_everyone_is_counted():
    atoms = records([("first form", 10, 10), ("second form", 20, 30)])
    g = gate(atoms).filter(pl.col("group") == "first form")
    assert set(g["status"]) == {"c"}
    assert findings(atoms, gate(atoms)) == []


def test_a_reason_text_that_says_a_count_of_one_to_five_bounds_a_hidden_count():
    rows = [dict(la_code=LA, age_band="all", breakdown="", group="all", category=c, numerator=n, base=8,
                 status="ok" if c == "" else "c", reason="a count of 1 to 5") for c, n in [("", 8), ("a", 4), ("b", 4)]]
    # Two answers of 8 records: alone each could be 1 to 7; with the reason each is 3 to 5.
    plain = attack.findings(attack.model_from_frame([{**r, "reason": ""} for r in rows], [], "distribution", True, False), 3)
    told = attack.findings(attack.model_from_frame(rows, [], "distribution", True, False), 3)
    assert plain == []
    assert {r.key[1][4] for r in told} == {"a", "b"}
    assert all((r.low, r.high) == (3, 5) for r in told)


def test_a_hidden_range_of_the_full_protection_level_is_not_a_finding():
    rows = [dict(la_code=LA, age_band="all", breakdown="", group="all", category="", numerator=20, base=40,
                 status="ok", reason="")]
    rows += [dict(la_code=LA, age_band="all", breakdown="gender", group=g, category="", numerator=n, base=b,
                  status="c", reason="") for g, n, b in [("boy", 10, 20), ("girl", 10, 20)]]
    assert attack.findings(attack.model_from_frame(rows, ["gender"], "rate", False, False), 3) == []


# -- generated attacks --------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def pin_tables(draw) -> Atoms:
    """Tables built to tempt subtraction pins: groups where everyone answered alike (0% or 100%)
    beside small groups, and one large group published, in one or two age bands."""
    rows = []
    for band in draw(st.lists(st.sampled_from(["8-11", "11-17"]), min_size=1, max_size=2, unique=True)):
        for gender in draw(st.lists(st.sampled_from(["boy", "girl", "other"]), min_size=2, max_size=3, unique=True)):
            n = draw(st.one_of(st.integers(1, 9), st.integers(10, 29), st.integers(30, 60)))
            p = draw(st.sampled_from([0, n, draw(st.integers(0, n))]))
            rows.append({"la_code": LA, "survey": "YLYC", "wave": 2025, "age_band": band, "gender": gender,
                         "placement_type": "foster", "disability": "no", "positive": p, "answered": n,
                         "not_answered": 0, "cohort": "children_in_care"})
    return Atoms("tempting", pl.DataFrame(rows), ["gender", "placement_type", "disability"], "rate", False, True,
                 pool=False)


@st.composite
def uniform_records(draw) -> Atoms:
    """Record rates where whole stages are 0% or 100%, between 10 and 29 records."""
    stages = draw(st.lists(st.sampled_from(["first form", "second form", "third form or later"]), min_size=1,
                           max_size=3, unique=True))
    rows = []
    for s in stages:
        n = draw(st.integers(6, 40))
        rows.append((s, draw(st.sampled_from([0, n, draw(st.integers(0, n))])), n))
    return records(rows)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(pin_tables(), uniform_records()))
def test_the_attacker_finds_nothing_on_tables_built_to_tempt_pins(atoms):
    assert findings(atoms, gate(atoms)) == []
