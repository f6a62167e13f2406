"""Cost of the gate's extra hiding against the exhaustive optimum, on small two-way tables.

    .venv/bin/python benchmarks/disclosure_optimum.py [N_TABLES]

Each table: 2 age bands x 3 genders of survey answers, with its margins (11 figures: whole group,
each band, each gender, each band-gender cell), random small and large groups. The optimum is found
by trying every set of extra figures to hide (cost: the people in the figures hidden) against the
protection rule (README, "the attacker model"): the attacker's linear program and the exact
determinacy test. The gate finds the least hiding itself when a family is small enough
(exact_max_candidates in disclosure.yaml); run with a second argument `greedy` to measure the
greedy choice alone, or `milp` to measure the mixed-integer programme alone (no exact search).
"""
from __future__ import annotations

import random
import sys
import time
from itertools import combinations

from dashboard import attack
from dashboard.disclosure import HIDDEN, OK, Cell, Family, determined, primary, protect, rules

BANDS, GENDERS = ["8-11", "11-17"], ["boy", "girl", "other"]


def table(rnd: random.Random, bands: list[str] = BANDS, genders: list[str] = GENDERS) -> Family:
    """A two-way table with its margins (larger ones than the default for the MILP's tests)."""
    BANDS, GENDERS = bands, genders
    inner = {}
    for b in BANDS:
        for g in GENDERS:
            n = rnd.choice([rnd.randint(1, 9), rnd.randint(10, 40), rnd.randint(10, 29)])
            inner[(b, g)] = (rnd.choice([0, n, rnd.randint(0, n)]), n)
    fam = Family()
    for (b, g), (y, n) in inner.items():
        fam.add(Cell((b, g), y, n))
    for b in BANDS:
        fam.add(Cell((b, "all"), sum(inner[(b, g)][0] for g in GENDERS), sum(inner[(b, g)][1] for g in GENDERS)))
        fam.tie((b, "all"), [(b, g) for g in GENDERS])
    for g in GENDERS:
        fam.add(Cell(("all", g), sum(inner[(b, g)][0] for b in BANDS), sum(inner[(b, g)][1] for b in BANDS)))
        fam.tie(("all", g), [(b, g) for b in BANDS])
    fam.add(Cell(("all", "all"), sum(v[0] for v in inner.values()), sum(v[1] for v in inner.values())))
    fam.tie(("all", "all"), [(b, "all") for b in BANDS])
    fam.tie(("all", "all"), [("all", g) for g in GENDERS])
    return fam


def safe(fam: Family, r, sensitive: set) -> bool:
    """The protection rule: nothing hidden is worked out exactly, and each figure the primary rules
    hide (`sensitive`) keeps a range of the protection level."""
    known = attack.Known(r.percentage_min_base, r.people_count_min, r.people_count_max)
    return not determined(fam) and not attack.findings(attack.model_from_family(fam, known, sensitive),
                                                       r.protection_level)


def optimum(fam: Family, r) -> int:
    for c in fam.cells.values():
        primary(c, r)
    free = [cid for cid, c in fam.cells.items() if c.status == OK]
    sensitive = {cid for cid, c in fam.cells.items() if c.hidden}
    for k in range(len(free) + 1):
        best = None
        for extra in combinations(free, k):
            cost = sum(fam.cells[c].cost for c in extra)
            if best is not None and cost >= best:
                continue
            for c in extra:
                fam.cells[c].status = HIDDEN
            if safe(fam, r, sensitive):
                best = cost
            for c in extra:
                fam.cells[c].status = OK
        if best is not None:
            # a larger set can still be cheaper: keep looking while one could beat it
            cheapest_larger = sorted(fam.cells[c].cost for c in free)
            rest = [sum(cheapest_larger[:j]) for j in range(k + 1, len(free) + 1)]
            if not rest or min(rest) >= best:
                return best
            for j in range(k + 1, len(free) + 1):
                for extra in combinations(free, j):
                    cost = sum(fam.cells[c].cost for c in extra)
                    if cost >= best:
                        continue
                    for c in extra:
                        fam.cells[c].status = HIDDEN
                    if safe(fam, r, sensitive):
                        best = cost
                    for c in extra:
                        fam.cells[c].status = OK
            return best
    raise AssertionError("hiding everything is always safe")


def gate_cost(fam: Family, r) -> int:
    primary_hidden = set()
    for cid, c in fam.cells.items():
        tmp = Cell(cid, c.numerator, c.base)
        primary(tmp, r)
        if tmp.hidden:
            primary_hidden.add(cid)
    protect(fam, r)
    return sum(c.cost for cid, c in fam.cells.items() if c.hidden and cid not in primary_hidden)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    r = rules()
    mode = sys.argv[2] if len(sys.argv) > 2 else "gate"
    if mode == "greedy":
        r = r.model_copy(update={"exact_max_candidates": 0, "milp_max_rounds": 0})
    elif mode == "milp":
        r = r.model_copy(update={"exact_max_candidates": 0})
    seconds = 0.0
    rnd = random.Random(2026)
    total_gate = total_opt = worse = 0
    for _ in range(n):
        seed = rnd.random()
        started = time.perf_counter()
        g = gate_cost(table(random.Random(seed)), r)
        seconds += time.perf_counter() - started
        o = optimum(table(random.Random(seed)), r)
        total_gate += g
        total_opt += o
        worse += g > o
    print(f"{mode}: {n} tables gated in {seconds:.2f} s; {mode}'s extra hiding costs {total_gate} people, the optimum {total_opt} "
          f"({100 * (total_gate - total_opt) / max(total_opt, 1):+.1f}%); gate above the optimum on {worse} tables")


if __name__ == "__main__":
    main()
