"""Secondary suppression as a minimum-cost cell-suppression problem (a mixed-integer programme).

One binary y_i per published figure i tied to a hidden one (y_i = 1: hide it); the figures the
primary rules hide (and those forced hidden by earlier releases) are hidden whatever the choice.
Minimise sum cost_i * y_i (cost: what hiding the figure costs, `Cell.cost`, the gate's own).

The protection rule (README, "the attacker model") is not written out as constraints up front; it
is added as it is found broken (constraint generation, as combinatorial Benders cuts):

1. The master MILP (scipy.optimize.milp, HiGHS) starts with the cheap necessary conditions: no
   total-and-parts constraint has exactly one hidden member, and a figure that would show a hidden
   one (a category shows its group's total) is hidden with it.
2. Its cheapest pattern is checked with the gate's own full check (`determined`, then the
   attacker's linear programme, dashboard.attack): the same check every published pattern passes.
3. For each hidden figure the check fails (a sensitive figure's range under the protection level,
   or any hidden figure worked out exactly), the attacker worked it out from the equations of the
   unknowns tied to it, whose constants are the published figures on the edge of that group (its
   *boundary*). Whatever else is hidden or shown, while every boundary figure stays published that
   group's equations can only gain constants (showing a hidden figure fixes it to its value), so
   the range can only narrow. Hence the cut: sum of y over the boundary >= 1 (or, when the failing
   figure is itself an extra, >= y of that figure: showing it again also mends it). The boundary
   is a subset of all published figures, so this is stronger than the no-good cut
   "hide something not hidden now".
4. Repeat until the master's pattern passes, or its cost reaches the greedy pattern's (then the
   greedy one is already least), or the round limit is hit, or a solve reaches its node limit:
   then the greedy pattern stands (or a cheaper repair of the master's last pattern). A pattern is
   only ever kept after it has passed the full check. The limits are counts, not seconds, so the
   same data gives the same pattern on every machine, however busy.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Hashable

import numpy as np

from dashboard import attack
from dashboard.disclosure import (AUX, HIDDEN, OK, PROTECTS_OTHERS, Family, Rules, _shows_a_hidden, _tied,
                                  determined, primary)


@dataclass
class Outcome:
    """What the MILP did for one family (for tests and benchmarks)."""

    used: str            # "milp": its pattern kept; "greedy": the greedy pattern is as cheap;
                         # "fallback": round or node limit hit, or the master had no answer, and
                         # the greedy pattern kept; "repaired": then the greedy steps started from
                         # the master's last pattern gave a cheaper one that passes the full check
    rounds: int = 0
    cuts: int = 0
    greedy_cost: int = 0
    cost: int = 0
    seconds: float = 0.0
    why: str = ""        # for a fall-back: "rounds", "nodes" or "solver"


LAST: list[Outcome] = []   # the outcomes of this process's families, most recent last (bounded)


def _failures(family: Family, r: Rules, sensitive: set) -> tuple[list[Hashable], "attack.Model"]:
    """Hidden figures the full protection rule finds unprotected (the gate's `_safe`, all of it),
    and the attacker's model they were found with."""
    known = attack.Known(r.percentage_min_base, r.people_count_min, r.people_count_max)
    model = attack.model_from_family(family, known, sensitive)
    bad = set(determined(family))
    bad |= {rng.key for rng in attack.findings(model, r.protection_level)}
    return sorted(bad, key=str), model


def _boundary(family: Family, cid: Hashable) -> set:
    """The published figures whose values enter the equations of the unknowns tied to `cid`."""
    out = set()
    for u in _tied(family, cid, unknown_only=True):
        for total, parts in family.through(u):
            for m in (total, *parts):
                if family.cells[m].status == OK:
                    out.add(m)
        for v in family.shown_by.get(u, ()):
            if family.cells[v].status == OK:
                out.add(v)
    return out


class _Certificates:
    """The attacker's bounds on a hidden figure with their proofs: the LP's duals say which
    equations the smallest and largest value rest on; the published figures in those equations
    are the only ones whose hiding can widen that range (the dual solution stays feasible, with
    the same bound, for any new unknown outside those equations)."""

    def __init__(self, family: Family, model: "attack.Model"):
        self.family, self.model = family, model
        self.n = len(model.names)
        self.lp = None
        if self.n:
            bounds = [(model.lo[v], None if model.hi[v] >= attack.BIG else model.hi[v]) for v in range(self.n)]
            self.lp = attack._Lp(model.eq, model.le, {v: v for v in range(self.n)}, bounds)
        # each equation's unknowns -> the family constraints it may have come from
        self.rows_of: dict[frozenset, list] = {}
        for con in family.constraints:
            for kind in ("N", "B"):
                key = frozenset(model.index[(kind, m)] for m in (con[0], *con[1]) if (kind, m) in model.index)
                if key:
                    self.rows_of.setdefault(key, []).append(con)
        self.viewed: dict = {}   # as the attacker's model reads it: a viewer's first total
        for total, vs in family.shown_by.items():
            for v in vs:
                self.viewed.setdefault(v, total)

    def support(self, cid: Hashable) -> set | None:
        """Published figures in the equations proving every bound of `cid`'s targets; None when a
        proof cannot be read (then the caller uses the weaker boundary cut)."""
        if self.lp is None or self.lp.h is None:
            return None
        out: set = set()
        key = ("N", cid)
        if key not in self.model.index:
            return None
        terms = [{self.model.index[key]: 1}]
        if ("B", cid) in self.model.index:   # records: the count not counted, too
            terms.append({self.model.index[("B", cid)]: 1, self.model.index[key]: -1})
        neq = len(self.model.eq)
        for t in terms:
            for sign in (1, -1):
                c = np.zeros(self.n)
                for k, v in t.items():
                    c[k] = sign * v
                status, _, _ = self.lp.minimise(c)
                if status == "unbounded":
                    continue
                if status != "optimal" or self.lp.h.getModelStatus() != self.lp.hs.HighsModelStatus.kOptimal:
                    return None   # (solved afresh by linprog: HiGHS holds no duals for this one)
                duals = np.asarray(self.lp.h.getSolution().row_dual)
                if len(duals) != neq + len(self.model.le):
                    return None
                for i in np.flatnonzero(np.abs(duals) > 1e-9):
                    if i < neq:
                        cons = self.rows_of.get(frozenset(self.model.eq[i][0]))
                        if cons is None:
                            return None
                        for total, parts in cons:
                            out |= {m for m in (total, *parts) if self.family.cells[m].status == OK}
                    else:   # n <= base: a category's base is its group's total, published or not
                        for k in self.model.le[i - neq][0]:
                            name = self.model.names[k]
                            total = self.viewed.get(name[1])
                            if total is not None and self.family.cells[total].status == OK:
                                out.add(total)
        return out


def least_cost(family: Family, r: Rules, sensitive: set) -> Outcome:
    """Replace the greedy extra hiding of `family` (already protected) by the least-cost hiding the
    MILP finds, when it finds one cheaper within the limits; otherwise leave the greedy one."""
    from scipy.optimize import LinearConstraint, milp

    started = time.perf_counter()
    hidden_now = {cid for cid, c in family.cells.items() if c.hidden}
    fixed = {cid for cid in hidden_now if cid in sensitive}
    extra = hidden_now - fixed
    greedy_cost = sum(family.cells[c].cost for c in extra)
    out = Outcome("greedy", greedy_cost=greedy_cost, cost=greedy_cost)
    if not extra:
        return _done(out, started)
    reach: set = set()
    for cid in sorted(fixed, key=str):
        if cid not in reach:
            reach |= _tied(family, cid)
    cand = sorted((c for c in reach if family.cells[c].status == OK or c in extra),
                  key=lambda c: (family.cells[c].cost, str(c)))
    col = {c: i for i, c in enumerate(cand)}
    cost = np.array([family.cells[c].cost for c in cand], float)
    rows: dict[tuple, tuple[dict[int, float], float]] = {}   # a cut, once: sum coef*y >= lb

    def add(terms: dict[int, float], lb: float) -> None:
        key = (tuple(sorted(terms.items())), lb)
        if key not in rows:
            rows[key] = (terms, lb)

    def unknown_always(m) -> bool:
        return m in fixed or family.cells[m].status == AUX

    # Necessary conditions: no constraint with exactly one hidden member; a viewer hidden with it.
    for total, parts in family.constraints:
        members = (total, *parts)
        for m in members:
            if m not in fixed and m not in col:
                continue
            if family.cells[m].status not in (OK, HIDDEN):
                continue
            others = [o for o in members if o != m]
            if any(unknown_always(o) for o in others):
                continue
            terms = {col[o]: 1.0 for o in others if o in col}
            if m in fixed:
                if not terms:
                    return _done(Outcome("fallback", greedy_cost=greedy_cost, cost=greedy_cost), started)
                add(terms, 1.0)
            else:
                terms[col[m]] = terms.get(col[m], 0.0) - 1.0
                add(terms, 0.0)
    for cid, viewers in family.shown_by.items():
        for v in viewers:
            if v not in col:
                continue
            if cid in fixed:
                add({col[v]: 1.0}, 1.0)
            elif cid in col:
                add({col[v]: 1.0, col[cid]: -1.0}, 0.0)

    for c in extra:   # from here on the family holds the candidate pattern
        family.cells[c].status = OK
    best = None
    rounds = 0
    why = "rounds"
    last: list = []   # the master's last pattern (not yet protected): the repair's start
    while rounds < r.milp_max_rounds:
        rounds += 1
        a, lb = _matrix(list(rows.values()), len(cand))
        with _quiet_stdout():
            res = milp(cost, constraints=[LinearConstraint(a, lb, np.inf)] if len(lb) else None,
                       integrality=np.ones(len(cand)), bounds=(0, 1), options={"node_limit": r.milp_node_limit, "disp": False})
        if res.status != 0 or res.x is None:
            # HiGHS stops at the node limit with status 1, or (a limit of 0) "limit reached" in status 4
            why = "nodes" if res.status == 1 or "limit reached" in (res.message or "") else "solver"
            break
        chosen = [cand[i] for i in np.flatnonzero(res.x > 0.5)]
        chosen_cost = sum(family.cells[c].cost for c in chosen)
        if chosen_cost >= greedy_cost:   # the least there is costs no less than the greedy choice
            out = Outcome("greedy", rounds, len(rows), greedy_cost, greedy_cost)
            best = "greedy"
            break
        for c in chosen:
            family.cells[c].status = HIDDEN
        last = chosen
        if _shows_a_hidden(family):   # cannot happen: the master hides a figure's viewers with it
            why = "solver"
            break
        bad, model = _failures(family, r, sensitive)
        if not bad:
            best = chosen
            out = Outcome("milp", rounds, len(rows), greedy_cost, chosen_cost)
            break
        before = len(rows)
        proofs = _Certificates(family, model) if r.milp_dual_cuts else None
        for t in bad:
            support = proofs.support(t) if proofs is not None else None
            if support is None:
                support = _boundary(family, t)
            terms = {col[b]: 1.0 for b in support if b in col}
            if t in col:
                terms[col[t]] = terms.get(col[t], 0.0) - 1.0
                add(terms, 0.0)
            elif terms:
                add(terms, 1.0)
        if len(rows) == before:   # no new cut: the no-good cut (hide something not hidden now)
            add({col[c]: 1.0 for c in cand if family.cells[c].status == OK}, 1.0)
        for c in chosen:
            family.cells[c].status = OK
    if best is None:
        out = Outcome("fallback", rounds, len(rows), greedy_cost, greedy_cost, why=why)
        repaired = _repair(family, r, sensitive, fixed, last, cand) if last else None
        if repaired is not None and sum(family.cells[c].cost for c in repaired) < greedy_cost:
            best = repaired
            out = Outcome("repaired", rounds, len(rows), greedy_cost,
                          sum(family.cells[c].cost for c in repaired), why=why)
    keep = extra if best in (None, "greedy") else set(best)
    for c in cand:
        cell = family.cells[c]
        if c in keep:
            cell.status, cell.reason, cell.low_base = HIDDEN, PROTECTS_OTHERS, False
        else:
            cell.status, cell.reason = OK, ""
            primary(cell, r)   # its low-base flag, as for any published figure
    return _done(out, started)


def _repair(family: Family, r: Rules, sensitive: set, fixed: set, start: list, cand: list) -> list | None:
    """The fast heuristic from the master's last pattern: the gate's own greedy steps (hide beside
    each failure, then show again what is not needed) started from it instead of from nothing.
    Its pattern if that passes the full check, else None. Leaves the family's candidates shown."""
    from dashboard.disclosure import _against_the_attacker, _safe, _secondary, _unhide

    for c in start:
        family.cells[c].status, family.cells[c].reason, family.cells[c].low_base = HIDDEN, PROTECTS_OTHERS, False
    _secondary(family)
    _against_the_attacker(family, r, sensitive)
    _unhide(family, r, sensitive)
    chosen = [c for c in cand if family.cells[c].hidden]
    ok = not any(family.cells[c].hidden for c in family.cells if c not in fixed and c not in set(cand)) \
        and _safe(family, r, sensitive)
    for c in cand:
        family.cells[c].status = OK
    return chosen if ok else None


class _quiet_stdout:
    """HiGHS's MIP solver can write a line straight to file descriptor 1 whatever its options
    (seen: "HighsMipSolverData::transformNewIntegerFeasibleSolution"); a CLI command's stdout
    must hold only what the command writes."""

    def __enter__(self):
        import os
        import sys

        sys.stdout.flush()
        self.saved = os.dup(1)
        self.null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(self.null, 1)

    def __exit__(self, *exc):
        import os

        os.dup2(self.saved, 1)
        os.close(self.saved)
        os.close(self.null)
        return False


def _matrix(rows: list[tuple[dict[int, float], float]], n: int):
    from scipy.sparse import csr_array

    r, c, v = [], [], []
    for i, (terms, _) in enumerate(rows):
        for j, x in terms.items():
            r.append(i)
            c.append(j)
            v.append(x)
    return csr_array((v, (r, c)), shape=(len(rows), n)), np.array([lb for _, lb in rows], float)


def _done(out: Outcome, started: float) -> Outcome:
    out.seconds = time.perf_counter() - started
    LAST.append(out)
    del LAST[:-100000]
    return out
