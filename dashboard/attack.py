"""The attacker's linear program: how narrowly can a hidden figure be worked out?

An attacker who reads every published figure also knows that counts are whole numbers and never
negative, that a hidden group which is not marked empty has at least one person in it, that a part
is never more than its total, what the reason shown beside a hidden figure implies ("a count of 1
to 5"), and (for survey answers) the size of each group of respondents. For each hidden figure the
attacker solves two linear programs: the smallest and the largest count consistent with all of it.

A hidden figure is *protected* (dashboard/disclosure.yaml, protection_level) when
- its feasible range is not a single number (it is not worked out exactly),
- for a share, the range does not collapse to 0% or 100% of its group (nobody, or everybody), and
- its range spans at least the protection level (e.g. 3 people), or, where fewer values are
  possible at all, every value the attacker could not rule out before reading anything.

This module holds the solver (one connected group of unknowns at a time, HiGHS through
scipy.optimize.linprog) and two model builders: `model_from_frame` reads gated cells as a reader
sees them (the audit's model, built from the table structure alone, sharing nothing with the
gate) and `model_from_family` reads the gate's own family (used by the gate to check itself).
Integrality enters by rounding each LP bound inward (min up, max down): the LP relaxation is a
slightly weaker attacker than an integer program, never a stronger one.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Hashable, Iterable

import numpy as np

BIG = 10**9          # "no upper bound" for a count nobody has published a total for
EPS = 1e-6


@dataclass
class Target:
    """One protected quantity: a hidden figure's count (or, for a share, the count of its group
    who are NOT counted). `terms`: coefficient per variable; `const`: known part."""

    key: Hashable
    label: str                      # what it counts, for the report
    terms: dict[int, int]
    const: int = 0
    floor: int = 0                  # what the attacker knows before reading anything
    prior: int | None = None        # the width known beforehand (None: unbounded)
    share_of: "Target | None" = None  # for a share: the group total (to test 0%/100%)
    # The width it must keep: the protection level for a sensitive figure (one the primary rules
    # hide); 1 (not worked out exactly) for a figure hidden only for another's sake. None: the level.
    level: int | None = None


@dataclass
class Model:
    lo: list[float] = field(default_factory=list)
    hi: list[float] = field(default_factory=list)
    names: list[Hashable] = field(default_factory=list)
    eq: list[tuple[dict[int, int], int]] = field(default_factory=list)     # sum = rhs
    le: list[tuple[dict[int, int], int]] = field(default_factory=list)     # sum <= rhs
    targets: list[Target] = field(default_factory=list)
    index: dict[Hashable, int] = field(default_factory=dict)

    def var(self, name: Hashable, lo: float = 0, hi: float = BIG) -> int:
        if name in self.index:
            i = self.index[name]
            self.lo[i], self.hi[i] = max(self.lo[i], lo), min(self.hi[i], hi)
            return i
        self.index[name] = len(self.names)
        self.names.append(name)
        self.lo.append(lo)
        self.hi.append(hi)
        return self.index[name]

    def equal(self, terms: dict[int, int], rhs: int) -> None:
        terms = {k: v for k, v in terms.items() if v}
        if terms:
            self.eq.append((terms, rhs))

    def at_most(self, terms: dict[int, int], rhs: int) -> None:
        terms = {k: v for k, v in terms.items() if v}
        if terms:
            self.le.append((terms, rhs))


@dataclass(frozen=True)
class Range:
    key: Hashable
    label: str
    low: int
    high: int
    problem: str          # "" when protected
    tables: tuple = ()    # the figures tied to it (for the report)


class Expr:
    """A quantity: a known number plus variables."""

    __slots__ = ("const", "terms")

    def __init__(self, const: int = 0, terms: dict[int, int] | None = None):
        self.const, self.terms = const, dict(terms or {})

    def __sub__(self, other: "Expr") -> "Expr":
        t = dict(self.terms)
        for k, v in other.terms.items():
            t[k] = t.get(k, 0) - v
        return Expr(self.const - other.const, {k: v for k, v in t.items() if v})

    def __add__(self, other: "Expr") -> "Expr":
        t = dict(self.terms)
        for k, v in other.terms.items():
            t[k] = t.get(k, 0) + v
        return Expr(self.const + other.const, {k: v for k, v in t.items() if v})


def tie(model: Model, total: Expr, parts: Iterable[Expr]) -> None:
    """total = sum(parts), as an equation in the unknowns."""
    e = total
    for p in parts:
        e = e - p
    model.equal(e.terms, -e.const)


# -- solving ----------------------------------------------------------------------------------

def _components(model: Model) -> list[list[int]]:
    parent = list(range(len(model.names)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for terms, _ in (*model.eq, *model.le):
        ks = list(terms)
        for k in ks[1:]:
            a, b = find(ks[0]), find(k)
            if a != b:
                parent[a] = b
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(model.names)):
        groups[find(i)].append(i)
    return list(groups.values())


def solve(model: Model, level: int) -> list[Range]:
    """The attacker's range of every target, with what is wrong with it ("" if protected)."""
    comp_of = {}
    comps = _components(model)
    for ci, comp in enumerate(comps):
        for v in comp:
            comp_of[v] = ci
    eq_by: dict[int, list] = defaultdict(list)
    le_by: dict[int, list] = defaultdict(list)
    for terms, rhs in model.eq:
        eq_by[comp_of[next(iter(terms))]].append((terms, rhs))
    for terms, rhs in model.le:
        le_by[comp_of[next(iter(terms))]].append((terms, rhs))
    targets_by: dict[int, list[Target]] = defaultdict(list)
    out: list[Range] = []
    for t in model.targets:
        if not t.terms:
            out.append(_judge(t, t.const, t.const, (), level if t.level is None else t.level))
            continue
        targets_by[comp_of[next(iter(t.terms))]].append(t)
    for ci, targets in targets_by.items():
        comp = comps[ci]
        local = {v: j for j, v in enumerate(comp)}
        n = len(comp)

        bounds = [(model.lo[v], None if model.hi[v] >= BIG else model.hi[v]) for v in comp]
        solutions: list[np.ndarray] = []
        infeasible = False

        lp = _Lp(eq_by.get(ci, []), le_by.get(ci, []), local, bounds)

        def run(c: np.ndarray):
            nonlocal infeasible
            status, x, fun = lp.minimise(c)
            if status == "infeasible":
                infeasible = True
                return None
            if status == "unbounded":
                return -math.inf
            solutions.append(x)
            return fun

        def vector(t: Target) -> np.ndarray:
            c = np.zeros(n)
            for k, v in t.terms.items():
                c[local[k]] = v
            return c

        def seen(c: np.ndarray) -> tuple[float, float]:
            """The target's spread over the solutions found so far: values the attacker cannot
            rule out. When it is wide enough, no LP is needed for this target."""
            if not solutions:
                return math.inf, -math.inf
            vals = np.stack(solutions[-64:]) @ c
            return float(vals.min()), float(vals.max())

        def exact(c: np.ndarray) -> tuple[float, float]:
            lo = run(c)
            hi = None if lo is None else run(-c)
            if lo is None or hi is None:
                return math.nan, math.nan
            return lo, (math.inf if hi == -math.inf else -hi)

        if len(targets) > 2:   # two cheap extreme solutions first: they often show every spread needed
            run(np.ones(n))
            run(-np.ones(n))
            infeasible = False
        for t in targets:
            c = vector(t)
            slo, shi = seen(c)
            need = level if t.level is None else t.level
            if solutions and math.floor(shi + EPS) - math.ceil(slo - EPS) >= need:
                continue   # protected: solutions already show a spread of the full level
            lo, hi = exact(c)
            if infeasible or math.isnan(lo):
                out.append(Range(t.key, t.label, 0, 0, "the published figures contradict each other"))
                infeasible = False
                continue
            prior = t.prior
            if t.share_of is not None:   # at most the whole group: the largest it could be
                if t.share_of.terms:
                    _, ghi = exact(vector(t.share_of))
                    gmax = ghi + t.share_of.const
                else:
                    gmax = t.share_of.const
                prior = gmax if prior is None else min(prior, gmax)
            names = tuple(model.names[v] for v in comp[:12])
            out.append(_judge(replace(t, prior=None if prior is None or prior == math.inf else int(math.floor(prior + EPS))),
                              lo + t.const, hi + t.const, names, need))
    return out


def _quiet_highs(highspy):
    """A HiGHS instance that prints nothing: its first construction in a process writes a banner
    straight to file descriptor 1, which would corrupt CSV a CLI command writes to stdout."""
    import os
    import sys

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
            h.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return h


class _Lp:
    """One connected group of unknowns as a HiGHS model, built once and re-solved for each
    objective (highspy when installed; scipy's linprog, the same solver, otherwise)."""

    def __init__(self, eq, le, local, bounds):
        self.n = len(local)
        rows = [*eq, *le]
        self.lower = [rhs for _, rhs in eq] + [-math.inf] * len(le)
        self.upper = [rhs for _, rhs in rows]
        self.rows = rows
        self.local, self.bounds = local, bounds
        try:
            import highspy
        except ImportError:   # pragma: no cover - highspy is a dependency
            self.h = None
            return
        h = _quiet_highs(highspy)
        inf = highspy.kHighsInf
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.n, len(rows)
        lp.col_cost_ = np.zeros(self.n)
        lp.col_lower_ = np.array([b[0] for b in bounds], float)
        lp.col_upper_ = np.array([inf if b[1] is None else b[1] for b in bounds], float)
        lp.row_lower_ = np.array([-inf if v == -math.inf else v for v in self.lower], float)
        lp.row_upper_ = np.array(self.upper, float)
        start, index, value = [0], [], []
        for terms, _ in rows:
            for k, v in terms.items():
                index.append(local[k])
                value.append(v)
            start.append(len(index))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = self.n, len(rows)
        lp.a_matrix_.start_ = np.array(start, np.int32)
        lp.a_matrix_.index_ = np.array(index, np.int32)
        lp.a_matrix_.value_ = np.array(value, float)
        h.passModel(lp)
        self.h, self.hs, self.cols = h, highspy, np.arange(self.n, dtype=np.int32)

    def minimise(self, c: np.ndarray) -> tuple[str, np.ndarray | None, float]:
        if self.h is None:
            return self._linprog(c)
        h, hs = self.h, self.hs
        h.changeColsCost(self.n, self.cols, np.asarray(c, float))
        h.run()
        status = h.getModelStatus()
        if status == hs.HighsModelStatus.kOptimal:
            return "optimal", np.array(h.getSolution().col_value), h.getInfo().objective_function_value
        if status == hs.HighsModelStatus.kInfeasible:
            return "infeasible", None, math.nan
        if status in (hs.HighsModelStatus.kUnbounded, hs.HighsModelStatus.kUnboundedOrInfeasible):
            return "unbounded", None, -math.inf
        # HiGHS now and then stops a warm-started re-solve without a verdict: solve afresh.
        return self._linprog(c)

    def _linprog(self, c):
        from scipy.optimize import linprog

        a = np.zeros((len(self.rows), self.n))
        for r, (terms, _) in enumerate(self.rows):
            for k, v in terms.items():
                a[r, self.local[k]] = v
        neq = sum(1 for v in self.lower if v != -math.inf)
        res = linprog(c, A_ub=a[neq:] if neq < len(self.rows) else None, b_ub=self.upper[neq:] or None,
                      A_eq=a[:neq] if neq else None, b_eq=self.upper[:neq] or None, bounds=self.bounds,
                      method="highs")
        if res.status == 2:
            return "infeasible", None, math.nan
        if res.status == 3:
            return "unbounded", None, -math.inf
        if res.status != 0:
            raise RuntimeError(f"the attacker's LP failed: {res.message}")
        return "optimal", res.x, res.fun


def _judge(t: Target, lo: float, hi: float, tables, level: int) -> Range:
    low = math.ceil(lo - EPS)
    high = BIG if hi == math.inf else math.floor(hi + EPS)
    need = level if t.prior is None else min(level, t.prior - t.floor)
    problem = ""
    if low >= high:
        problem = f"worked out exactly: {low}"
    elif high - low < need:
        problem = f"only {low} to {high} possible, narrower than the protection level of {level}"
    return Range(t.key, t.label, low, high, problem, tables or ())


def findings(model: Model, level: int) -> list[Range]:
    return [r for r in solve(model, level) if r.problem]


# -- the audit's model: gated cells as a reader sees them -------------------------------------

ALL, POOL = "all", "pool"     # as dashboard.engine.cells labels them in what it publishes


@dataclass(frozen=True)
class Known:
    """What the attacker is told by the rules themselves (dashboard/disclosure.yaml)."""

    min_base: int = 10
    count_min: int = 1
    count_max: int = 5
    survey_bases_known: bool = True   # a group's size is the same for every question asked of it

    def reason_bounds(self, reason: str) -> dict[str, tuple[int, int]]:
        """What a reason text shown beside a hidden figure says about it."""
        out = {}
        if reason and f"{self.count_min} to {self.count_max}" in reason:
            out["count"] = (self.count_min, self.count_max)
        if reason and f"fewer than {self.min_base}" in reason:
            out["base"] = (0, self.min_base - 1)
        return out


def model_from_frame(rows: Iterable[dict], dims: list[str], shape: str, people: bool, has_age_bands: bool,
                     known: Known | None = None, prefix: Hashable = ()) -> Model:
    """The attacker's model of one family of published cells (one indicator, wave and survey):
    rows with la_code, age_band, breakdown, group, category, numerator, base, status, reason.

    Built from the table structure alone: the groups of a breakdown add up to the whole group, age
    bands to all ages, LAs to the pool, categories to their group's total; a group or category
    with no row has nobody in it."""
    known = known or Known()
    model = Model()
    cells = {}
    for r in rows:
        key = (r["la_code"], r["age_band"], r["breakdown"], r["group"], r["category"] or "")
        cells[key] = r
    dist = shape == "distribution"

    def hidden(k) -> bool:
        return cells[k]["status"] == "c"

    n_expr: dict[tuple, Expr] = {}
    b_expr: dict[tuple, Expr] = {}
    for k, r in cells.items():
        is_total = dist and k[4] == ""
        bounds = known.reason_bounds(r.get("reason") or "") if hidden(k) else {}
        if not hidden(k):
            value = 0 if r["status"] == "z" else int(r["numerator"])
            n_expr[k] = Expr(value)
        elif dist:
            lo, hi = bounds.get("count", (1, BIG))
            n_expr[k] = Expr(0, {model.var((prefix, "N", k), max(1, lo), hi): 1})
        else:
            base_known = not people and known.survey_bases_known
            n_expr[k] = Expr(0, {model.var((prefix, "N", k), 0, int(r["base"]) if base_known else BIG): 1})
        if not dist:
            if not hidden(k) or (not people and known.survey_bases_known):
                b_expr[k] = Expr(0 if r["status"] == "z" else int(r["base"]))
            else:
                blo, bhi = bounds.get("base", (1, BIG))
                b_expr[k] = Expr(0, {model.var((prefix, "B", k), max(1, blo), bhi): 1})
            if hidden(k):
                d = n_expr[k] - b_expr[k]
                model.at_most(d.terms, -d.const)
    if dist:
        for k in cells:
            if k[4]:
                total = (*k[:4], "")
                b_expr[k] = n_expr.get(total, Expr(0))
                if hidden(k) and "base" in known.reason_bounds(cells[k].get("reason") or ""):
                    t = b_expr[k]
                    model.at_most(t.terms, known.min_base - 1 - t.const)

    quantities = [n_expr] + ([b_expr] if not dist and people else [])
    las = sorted({k[0] for k in cells if k[0] != POOL}, key=str)
    bands = sorted({k[1] for k in cells if k[1] != ALL}, key=str)
    by_parent: dict[tuple, list[tuple]] = defaultdict(list)
    for k in cells:
        la, band, bd, grp, cat = k
        if bd:
            by_parent[(la, band, "", ALL, cat)].append(k)          # breakdown groups -> whole group
    for q in quantities:
        for parent, parts in by_parent.items():
            if parent not in cells:
                continue
            for bd in dims:
                group_parts = [p for p in parts if p[2] == bd]
                if group_parts:
                    tie(model, q[parent], [q[p] for p in group_parts])
        for k in cells:
            la, band, bd, grp, cat = k
            if has_age_bands and band == ALL and bands:
                parts = [(la, b, bd, grp, cat) for b in bands if (la, b, bd, grp, cat) in cells]
                if parts:
                    tie(model, q[k], [q[p] for p in parts])
            if la == POOL:
                # The pool is the sum of the LA figures published (dashboard.engine.cells.pool_of_published).
                parts = [(l, band, bd, grp, cat) for l in las
                         if (l, band, bd, grp, cat) in cells and cells[(l, band, bd, grp, cat)]["status"] == "ok"]
                if parts:
                    tie(model, q[k], [q[p] for p in parts])
    if dist:
        for k in cells:
            if k[4] == "":
                cats = [c for c in cells if c[:4] == k[:4] and c[4]]
                if cats:
                    tie(model, n_expr[k], [n_expr[c] for c in cats])

    for k, r in cells.items():
        if not hidden(k):
            continue
        level = None if r.get("sensitive", True) else 1
        if dist:
            is_total = k[4] == ""
            share_of = None if is_total else b_expr[k]
            model.targets.append(Target((prefix, k), "records" if is_total else "records with this answer",
                                        n_expr[k].terms, n_expr[k].const, floor=1, share_of=share_of, level=level))
        else:
            model.targets.append(Target((prefix, k), "counted", n_expr[k].terms, n_expr[k].const,
                                        share_of=b_expr[k], level=level))
            if people:
                rest = b_expr[k] - n_expr[k]
                model.targets.append(Target((prefix, k), "not counted", rest.terms, rest.const, share_of=b_expr[k],
                                            level=level))
    return model


# -- the gate's model: its own family, to check itself -----------------------------------------

def model_from_family(family, known: Known | None = None, sensitive: set | None = None,
                      only: set | None = None) -> Model:
    """The attacker's model of a gated dashboard.disclosure.Family: unknown cells' counts as
    variables, the family's constraints as equations. Survey bases are known; a category's base is
    its group's total (`shows`); other bases of records are unknown when the figure is hidden.
    `sensitive`: the cells the primary rules hide, which must keep the protection level; any other
    hidden cell must only not be worked out exactly (None: every hidden cell is sensitive).
    `only`: judge only these cells (None: every hidden cell)."""
    known = known or Known()
    model = Model()
    viewers_of = {}
    for total, viewers in family.shown_by.items():
        for v in viewers:
            viewers_of.setdefault(v, total)
    n_expr: dict = {}
    for cid, c in family.cells.items():
        unknown = c.status in ("c", "aux")
        if not unknown:
            n_expr[cid] = Expr(0 if c.status == "z" else int(c.numerator))
            continue
        bounds = known.reason_bounds(c.reason) if c.status == "c" else {}
        if c.status == "aux":
            lo, hi = 0, BIG
        elif not c.share or (c.size is not None and cid in viewers_of):
            lo, hi = bounds.get("count", (1, BIG))   # a count, or a category shown because someone gave it
            lo = max(lo, 1)
        elif not c.people:
            lo, hi = 0, int(c.base)
        else:
            lo, hi = 0, BIG
        n_expr[cid] = Expr(0, {model.var(("N", cid), lo, hi): 1})
    b_expr: dict = {}
    own_base = set()
    for cid, c in family.cells.items():
        if not c.share or c.status == "aux":
            continue
        if cid in viewers_of and viewers_of[cid] in n_expr:
            b_expr[cid] = n_expr[viewers_of[cid]]
        elif c.status != "c" or not c.people:
            b_expr[cid] = Expr(0 if c.status == "z" else int(c.base))
            own_base.add(cid)
        else:
            blo, bhi = known.reason_bounds(c.reason).get("base", (1, BIG))
            b_expr[cid] = Expr(0, {model.var(("B", cid), max(1, blo), bhi): 1})
            own_base.add(cid)
        if c.status == "c":
            d = n_expr[cid] - b_expr[cid]
            model.at_most(d.terms, -d.const)
            if cid in viewers_of and "base" in known.reason_bounds(c.reason):
                model.at_most(b_expr[cid].terms, known.min_base - 1 - b_expr[cid].const)
    for total, parts in family.constraints:
        tie(model, n_expr[total], [n_expr[p] for p in parts])
        if total in own_base and all(p in own_base for p in parts):
            tie(model, b_expr[total], [b_expr[p] for p in parts])
    for cid, c in family.cells.items():
        if c.status != "c" or (only is not None and cid not in only):
            continue
        share_of = b_expr.get(cid) if c.share else None
        floor = 0 if c.share and not (c.size is not None and cid in viewers_of) else 1
        level = None if sensitive is None or cid in sensitive else 1
        model.targets.append(Target(cid, "counted", n_expr[cid].terms, n_expr[cid].const, floor=floor,
                                    share_of=share_of, level=level))
        if c.share and c.people and share_of is not None and not (c.size is not None and cid in viewers_of):
            rest = share_of - n_expr[cid]
            model.targets.append(Target(cid, "not counted", rest.terms, rest.const, share_of=share_of, level=level))
    return model
