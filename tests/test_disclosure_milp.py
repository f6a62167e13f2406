"""Secondary suppression as a mixed-integer programme (dashboard/secondary_milp.py): against the
exhaustive optimum on small tables, against the greedy choice on larger ones, and its fall-back
when its node or round limit is hit. Every pattern is judged by the protection rule itself (the attacker's
linear programme and the exact determinacy test, benchmarks/disclosure_optimum.safe)."""
from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from dashboard import secondary_milp
from dashboard.disclosure import Cell, primary, protect, rules

_spec = importlib.util.spec_from_file_location(
    "disclosure_optimum", Path(__file__).resolve().parents[1] / "benchmarks" / "disclosure_optimum.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

R = rules()
MILP = R.model_copy(update={"exact_max_candidates": 0})            # the MILP on every family
GREEDY = R.model_copy(update={"exact_max_candidates": 0, "milp_max_rounds": 0})
# 4 age bands x 5 groups with margins: 30 figures, more candidates than the exact search takes.
BIG = (["4-7", "8-11", "11-14", "14-17"], ["boy", "girl", "other", "foster", "kinship"])


def _sensitive(fam) -> set:
    out = set()
    for cid, c in fam.cells.items():
        tmp = Cell(cid, c.numerator, c.base)
        primary(tmp, R)
        if tmp.hidden:
            out.add(cid)
    return out


def _hidden_cost(fam, sensitive) -> int:
    return sum(c.cost for cid, c in fam.cells.items() if c.hidden and cid not in sensitive)


def _gated(seed: int, r, dims=None):
    fam = bench.table(random.Random(seed), *(dims or ()))
    sensitive = _sensitive(fam)
    protect(fam, r)
    return fam, sensitive


def test_the_milp_is_on_in_the_product_rules():
    assert R.milp_max_rounds > 0 and R.milp_node_limit > 0


@pytest.mark.parametrize("seed", range(12))
def test_the_milp_alone_finds_the_exhaustive_optimum_on_small_tables(seed):
    before = len(secondary_milp.LAST)
    fam, sensitive = _gated(seed, MILP)
    best = bench.optimum(bench.table(random.Random(seed)), R)
    cost = _hidden_cost(fam, sensitive)
    assert bench.safe(fam, R, sensitive)
    assert cost <= 1.1 * best, f"MILP hides {cost} people, the optimum {best}"
    assert cost == best, f"MILP hides {cost} people, the optimum {best}"
    if cost:   # something beside the primary figures had to be hidden: the MILP chose it
        assert [o.used for o in secondary_milp.LAST[before:]] in (["milp"], ["greedy"])


def test_on_larger_tables_the_milp_never_hides_more_than_greedy_and_somewhere_less():
    fewer = 0
    used = []
    for seed in range(12):
        before = len(secondary_milp.LAST)
        milp_fam, sensitive = _gated(seed, MILP, BIG)
        greedy_fam, _ = _gated(seed, GREEDY, BIG)
        used += [o.used for o in secondary_milp.LAST[before:]]
        assert bench.safe(milp_fam, R, sensitive), f"seed {seed}: the MILP's pattern is not safe"
        assert bench.safe(greedy_fam, R, sensitive)
        m, g = _hidden_cost(milp_fam, sensitive), _hidden_cost(greedy_fam, sensitive)
        assert m <= g, f"seed {seed}: MILP hides {m} people, greedy {g}"
        fewer += m < g
    assert fewer, "the MILP never beat the greedy choice: the comparison could not fail"
    assert "fallback" not in used


def test_the_product_gate_uses_the_milp_on_a_family_too_large_for_the_exact_search():
    before = len(secondary_milp.LAST)
    for seed in range(6):
        _gated(seed, R, BIG)
    assert secondary_milp.LAST[before:], "the exact search took every family: the MILP never ran"


def test_when_the_node_limit_is_hit_the_greedy_pattern_stands_and_is_safe():
    tiny = MILP.model_copy(update={"milp_node_limit": 0})
    compared = 0
    for seed in range(12):
        before = len(secondary_milp.LAST)
        fam, sensitive = _gated(seed, tiny, BIG)
        outcomes = secondary_milp.LAST[before:]
        greedy_fam, _ = _gated(seed, GREEDY, BIG)
        assert bench.safe(fam, R, sensitive)
        if outcomes:   # there was extra hiding to improve on
            assert [(o.used, o.why) for o in outcomes] == [("fallback", "nodes")]
            assert {cid: c.status for cid, c in fam.cells.items()} == \
                {cid: c.status for cid, c in greedy_fam.cells.items()}
            compared += 1
    assert compared


def test_a_round_limit_falls_back_to_a_safe_pattern_no_dearer_than_greedy():
    one_round = MILP.model_copy(update={"milp_max_rounds": 1})
    seen = set()
    for seed in range(12):
        before = len(secondary_milp.LAST)
        fam, sensitive = _gated(seed, one_round, BIG)
        greedy_fam, _ = _gated(seed, GREEDY, BIG)
        assert bench.safe(fam, R, sensitive)
        assert _hidden_cost(fam, sensitive) <= _hidden_cost(greedy_fam, sensitive)
        outcomes = secondary_milp.LAST[before:]
        seen |= {o.used for o in outcomes}
        for o in outcomes:
            if o.used == "fallback":   # the greedy pattern, unchanged
                assert {cid: c.status for cid, c in fam.cells.items()} == \
                    {cid: c.status for cid, c in greedy_fam.cells.items()}
            if o.used in ("fallback", "repaired"):
                assert o.why == "rounds"
    assert seen & {"fallback", "repaired"}


def test_without_the_duals_the_weaker_cuts_still_give_safe_patterns_no_dearer_than_greedy():
    boundary_cuts = MILP.model_copy(update={"milp_dual_cuts": False})
    for seed in (3, 7, 9, 11):   # the tables where the MILP beats greedy
        fam, sensitive = _gated(seed, boundary_cuts, BIG)
        greedy_fam, _ = _gated(seed, GREEDY, BIG)
        assert bench.safe(fam, R, sensitive)
        assert _hidden_cost(fam, sensitive) <= _hidden_cost(greedy_fam, sensitive)
