"""Property-based tests of the disclosure gate: random data sets through the real gate.

Each example is a small random indicator (survey answers by LA, wave, age band and respondent group,
or records about people as yes/no rates or as answer distributions), with small and large counts
mixed so that primary suppression, secondary suppression and empty groups all happen. The gate must
leave no published figure under the thresholds and no hidden figure that the published ones pin
down (checked by the audit's own rank test, which shares no code with the gate), and give every
figure one status whatever selection of the data it is asked about.

1,220 generated data sets in all (see EXAMPLES); the 1,000 of the first property also pass the
attacker's linear program (dashboard/attack.py) with nothing found.
"""
from __future__ import annotations

import random
from itertools import product

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import audit
from dashboard.disclosure import Cell, Family, determined
from dashboard.engine import cells as engine_cells
from dashboard.engine.atoms import Atoms
from dashboard.disclosure import rules
from dashboard.engine.cells import gate as _gate

# The gate exactly as the product runs it (disclosure.yaml): the attacker's check and the least-
# hiding search are on for every family the product makes.
REFINED = rules()


def gate(atoms, r=None):
    return _gate(atoms, r or REFINED)

EXAMPLES = {"audit": 1000, "cross_check": 100, "selection": 60, "grid": 60}
LAS = ["E06000001", "E06000015", "E08000025", "E10000016"]
SURVEY_BANDS = {"YLYC": ["4-7", "8-11", "11-17"], "YLBC": ["16-25"]}
LEVELS = {
    "gender": ["boy", "girl", "other", None],
    "placement_type": ["foster", "kinship", "residential", None],
    "disability": ["yes", "no"],
    "service": ["early_help", "child_protection", "iro"],
    "stage": ["first form", "second form", "third form or later"],
    "review_type": ["child_looked_after", "pathway", "child_in_need"],
}
COHORT = {"YLYC": "children_in_care", "YLBC": "care_leavers"}
CATEGORIES = ["1", "2", "3", "4", "5"]
SETTINGS = dict(deadline=None, derandomize=False, suppress_health_check=[HealthCheck.too_slow])


def _count(draw) -> int:
    """Small counts (the interesting ones), middling and large, in about equal measure."""
    return draw(st.one_of(st.integers(0, 6), st.integers(7, 40), st.integers(41, 120)))


@st.composite
def survey_atoms(draw) -> Atoms:
    surveys = draw(st.lists(st.sampled_from(list(SURVEY_BANDS)), min_size=1, max_size=2, unique=True))
    las = draw(st.lists(st.sampled_from(LAS), min_size=1, max_size=3, unique=True))
    waves = draw(st.lists(st.sampled_from([2023, 2025]), min_size=1, max_size=2, unique=True))
    bands = {s: draw(st.lists(st.sampled_from(SURVEY_BANDS[s]), min_size=1, max_size=2, unique=True))
             for s in surveys}
    dims = {d: draw(st.lists(st.sampled_from(LEVELS[d]), min_size=1, max_size=3, unique=True))
            for d in ("gender", "placement_type", "disability")}
    rows = []
    for la, wave, survey in product(las, waves, surveys):
        for band in bands[survey]:
            n_groups = draw(st.integers(1, 5))
            seen = set()
            for _ in range(n_groups):
                combo = tuple(draw(st.sampled_from(dims[d])) for d in dims)
                if combo in seen:
                    continue
                seen.add(combo)
                answered = _count(draw)
                positive = draw(st.sampled_from([0, answered, draw(st.integers(0, answered))]))
                rows.append({"la_code": la, "survey": survey, "wave": wave, "age_band": band,
                             **dict(zip(dims, combo)), "positive": positive, "answered": answered,
                             "not_answered": draw(st.integers(0, 3)), "cohort": COHORT[survey]})
    frame = pl.DataFrame(rows, schema={"la_code": pl.String, "survey": pl.String, "wave": pl.Int32,
                                       "age_band": pl.String, "gender": pl.String, "placement_type": pl.String,
                                       "disability": pl.String, "positive": pl.Int64, "answered": pl.Int64,
                                       "not_answered": pl.Int64, "cohort": pl.String})
    return Atoms("generated_survey", frame, ["gender", "placement_type", "disability"], "rate", False, True)


@st.composite
def record_atoms(draw) -> Atoms:
    shape = draw(st.sampled_from(["rate", "distribution"]))
    dims = draw(st.sampled_from([["review_type"], ["service", "stage"], ["stage"]]))
    las = draw(st.lists(st.sampled_from(LAS), min_size=1, max_size=3, unique=True))
    waves = draw(st.lists(st.sampled_from([2024, 2025]), min_size=1, max_size=2, unique=True))
    levels = {d: draw(st.lists(st.sampled_from(LEVELS[d]), min_size=1, max_size=3, unique=True)) for d in dims}
    cats = draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=4, unique=True))
    rows = []
    for la in las:
        for wave in waves:
            seen = set()
            for _ in range(draw(st.integers(1, 4))):
                combo = tuple(draw(st.sampled_from(levels[d])) for d in dims)
                if combo in seen:
                    continue
                seen.add(combo)
                key = {"la_code": la, "wave": wave, **dict(zip(dims, combo))}
                if shape == "rate":
                    answered = _count(draw)
                    positive = draw(st.sampled_from([0, answered, draw(st.integers(0, answered))]))
                    rows.append({**key, "positive": positive, "answered": answered,
                                 "not_answered": draw(st.integers(0, 2))})
                else:
                    # A distribution's atoms are count(*) of records: never 0.
                    for cat in draw(st.lists(st.sampled_from(cats), min_size=1, max_size=len(cats), unique=True)):
                        rows.append({**key, "category": cat, "n": max(1, _count(draw))})
                    if draw(st.booleans()):
                        rows.append({**key, "category": None, "n": draw(st.integers(1, 3))})
    measures = ({"positive": pl.Int64, "answered": pl.Int64, "not_answered": pl.Int64} if shape == "rate"
                else {"category": pl.String, "n": pl.Int64})
    frame = pl.DataFrame(rows, schema={"la_code": pl.String, "wave": pl.Int32, **{d: pl.String for d in dims},
                                       **measures})
    frame = frame.with_columns(pl.lit("families").alias("cohort"), pl.lit(None, dtype=pl.String).alias("survey"))
    return Atoms("generated_records", frame, dims, shape, True, False)


any_atoms = st.one_of(survey_atoms(), record_atoms())


def _statuses(gated: pl.DataFrame) -> dict[tuple, str]:
    keys = ["wave", "survey", "la_code", "age_band", "breakdown", "group", "category"]
    return {tuple(r[:7]): r[7] for r in gated.select(*keys, "status").rows()}


def _gate_family(frame: pl.DataFrame, atoms: Atoms) -> Family:
    """The gate's own model of one family (its constraints), with the statuses in `frame`."""
    family = Family()
    ids = []
    for la, band, bd, grp, cat, num, base, status in frame.select(
            "la_code", "age_band", "breakdown", "group", "category", "numerator", "base", "status").rows():
        cid = (atoms.indicator_id, la, band, bd, grp, cat)
        ids.append(cid)
        family.add(Cell(cid, num, base, status=status))
    engine_cells._family_constraints(family, ids, atoms)
    return family


# -- properties --------------------------------------------------------------------------------

@settings(max_examples=EXAMPLES["audit"], **SETTINGS)
@given(any_atoms)
def test_gated_random_data_has_no_published_small_figure_and_no_recoverable_hidden_one(atoms):
    report = audit.audit_all([atoms], gate_fn=gate)   # the gate with the attacker's refinement on
    assert report.ok, report.summary()


@settings(max_examples=EXAMPLES["cross_check"], **SETTINGS)
@given(any_atoms, st.randoms(use_true_random=False))
def test_audit_rank_test_and_gate_determined_agree_on_random_hidden_sets(atoms, rnd):
    """Two independent answers to 'which hidden figures can be worked out': the gate's elimination
    over its constraints, and the audit's rank test over the unknown cross-classified counts."""
    cells = engine_cells.cut(atoms, pool=False).sort(engine_cells.KEYS, nulls_last=True)  # same draws on replay
    p = rnd.choice([0.2, 0.5, 0.8])
    status = [("z" if base == 0 and rnd.random() < 0.5 else "c" if rnd.random() < p else "ok")
              for base in cells["base"].to_list()]
    cells = cells.with_columns(pl.Series("status", status))
    if atoms.shape == "distribution":  # a category shows its total: a hidden total hides its categories
        hidden_totals = cells.filter((pl.col("category") == "") & (pl.col("status") == "c")).select(
            "wave", "la_code", "age_band", "breakdown", "group").with_columns(pl.lit(True).alias("_hide"))
        cells = (cells.join(hidden_totals, on=["wave", "la_code", "age_band", "breakdown", "group"], how="left",
                            nulls_equal=True)
                 .with_columns(pl.when(pl.col("_hide") & (pl.col("category") != "")).then(pl.lit("c"))
                               .otherwise(pl.col("status")).alias("status")).drop("_hide"))
    for _, family_frame in cells.group_by(["wave", "survey"]):
        by_gate = {c[1:] for c in determined(_gate_family(family_frame, atoms))}
        by_audit = set(audit.recoverable(family_frame, atoms))
        assert by_gate == by_audit


@settings(max_examples=EXAMPLES["selection"], **SETTINGS)
@given(any_atoms, st.randoms(use_true_random=False))
def test_a_figure_has_one_status_whichever_selection_asks_for_it(atoms, rnd: random.Random):
    """The app gates only the waves a view shows, one cohort, atoms in whatever order the database
    returns them: none of that may change a figure's status."""
    whole = _statuses(gate(atoms))
    rows = atoms.frame.rows(named=True)
    rnd.shuffle(rows)
    shuffled = Atoms(atoms.indicator_id, pl.DataFrame(rows, schema=atoms.frame.schema), atoms.dims, atoms.shape,
                     atoms.people, atoms.has_age_bands)
    assert _statuses(gate(shuffled)) == whole
    for wave in atoms.frame["wave"].unique().to_list():
        one_wave = Atoms(atoms.indicator_id, atoms.frame.filter(pl.col("wave") == wave), atoms.dims, atoms.shape,
                         atoms.people, atoms.has_age_bands)
        part = _statuses(gate(one_wave))
        assert part == {k: v for k, v in whole.items() if k[0] == wave}
    for cohort in atoms.frame["cohort"].unique().to_list():
        one_cohort = Atoms(atoms.indicator_id, atoms.frame.filter(pl.col("cohort") == cohort), atoms.dims,
                           atoms.shape, atoms.people, atoms.has_age_bands)
        surveys = set(one_cohort.frame["survey"].to_list())
        assert _statuses(gate(one_cohort)) == {k: v for k, v in whole.items() if k[1] in surveys}


@settings(max_examples=EXAMPLES["grid"], **SETTINGS)
@given(any_atoms, st.randoms(use_true_random=False))
def test_audit_margin_basis_gives_the_same_answer_as_the_full_grid(atoms, rnd):
    """The audit's compact representation (block total, levels, level x category) against one
    coordinate per cross-classified combination, on random hidden sets."""
    cells = engine_cells.cut(atoms, pool=False).sort(engine_cells.KEYS, nulls_last=True)  # same draws on replay
    cells = cells.with_columns(pl.Series("status", [rnd.choice(["c", "ok"]) for _ in range(cells.height)]))
    for _, family_frame in cells.group_by(["wave", "survey"]):
        assert (sorted(audit.recoverable(family_frame, atoms, mode="margins"), key=str)
                == sorted(audit.recoverable(family_frame, atoms, mode="grid"), key=str))
