"""The gate's extra hiding against the exhaustive minimum-cost choice, on small two-way tables
(2 age bands x 3 genders with margins) where every set of extra figures can be tried."""
from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from dashboard.disclosure import rules

_spec = importlib.util.spec_from_file_location(
    "disclosure_optimum", Path(__file__).resolve().parents[1] / "benchmarks" / "disclosure_optimum.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

R = rules()
SEEDS = list(range(12))


@pytest.mark.parametrize("seed", SEEDS)
def test_the_gate_hides_no_more_than_ten_percent_above_the_exhaustive_optimum(seed):
    gate = bench.gate_cost(bench.table(random.Random(seed)), R)
    best = bench.optimum(bench.table(random.Random(seed)), R)
    assert gate <= 1.1 * best, f"gate hides {gate} people, the optimum {best}"


def test_the_greedy_choice_alone_is_above_the_optimum_somewhere_so_the_comparison_can_fail():
    greedy = R.model_copy(update={"exact_max_candidates": 0, "milp_max_rounds": 0})
    above = [s for s in range(40)
             if bench.gate_cost(bench.table(random.Random(s)), greedy) > bench.optimum(bench.table(random.Random(s)), R)]
    assert above
