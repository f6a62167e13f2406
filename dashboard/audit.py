"""Disclosure audit: checks, after the fact and independently of the gate, every figure the product
can publish for the loaded data.

For every catalogue indicator that the product computes (survey and record indicators; DfE figures
are already published by the DfE), every wave, every LA and the pool, every age band, every
breakdown group and category, the audit takes the gated cells (dashboard.engine.cells.gate), and
the theme counts of every LA (dashboard.engine.themes.gate), and:

(a) re-checks every PUBLISHED cell against the primary rules, reading the numbers from
    dashboard/disclosure.yaml itself (not through dashboard.disclosure): a share on too small a
    base; a count of 1 to 5 about identifiable people; everyone in a small survey group giving
    the same answer; a low base shown without its flag; a cell marked 'z' that has people in it;
    and, for HIDDEN cells, a reason that only uniform answers get (it would tell readers that
    everyone in the group answered alike);
(b) looks for HIDDEN cells that can be worked out from the published ones. It does not reuse the
    gate's constraints or its elimination. It models what someone reading every published figure
    knows: the unknowns are the counts of every combination of the groups (each gender by each
    placement type by each disability... by each answer category) in every LA and age band, since
    only one breakdown at a time is ever published; each published figure is a known sum of
    those unknowns (a published share gives its numerator and its base; a published category gives
    its count and its group's total). A hidden figure can be worked out exactly when its own sum
    lies in the span of the published sums: rank(published) == rank(published + hidden), computed
    modulo a large prime. Indicators counted from the same reviews (PN codes in either scheme, the
    rates built on them) are also modelled together, with their published not-answered counts;
(c) looks at the load history (load_log), which shows rows per file and what each file covers:
    for files about identifiable people a count of 1 to 5 there is a finding.

It also counts how many figures are hidden, overall and by source. `voice-dashboard
disclosure-audit --db PATH` prints the summary and exits 1 when anything is found.
Limits: bounds (a hidden count lies between 0 and a published total) are not modelled, nor are
links between other indicators that count the same people (the four feedback score questions,
all-fives and sought-and-discussed of the same forms; the voice-check rates). Published 'not answered'
counts of 1 to 5 records are noted in the summary, not counted as findings (the rules do not
cover that column yet).
"""
from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Callable, Hashable, Iterable

import polars as pl
import yaml

from dashboard.disclosure import CONFIG
from dashboard.engine.atoms import Atoms
from dashboard.engine.cells import ALL, POOL

PRIME = 2_147_483_647          # 2**31 - 1: products of two residues fit in a signed 64-bit integer
CATEGORY = "\x00category"      # the answer category, as one more way of dividing a group
# Kinds of input whose rows are records about identifiable people, for the load history: the
# specification's list (reviews, voice checks, feedback forms, themes). "You said, we did" actions
# are what an LA did, not people: add "actions" here to treat their counts as counts of people.
PEOPLE_KINDS = ("feedback", "participation", "voice-checks", "themes")
# How each kind's scope text names its records: "Kent (E10000016): 13 theme records dated ..."
SCOPE_COUNT = re.compile(r"(?<![\w.,])(\d[\d,]*) (forms?|reviews?|voice checks?|actions?|theme records?)\b")
NOT_ANSWERED_NOTE = ("published record figures come with a 'not answered' count of 1 to 5 records (the "
                     "rules gate numerators and bases, not this column)")
FAMILY_KEYS = ["wave", "survey"]
CELL_KEYS = ["la_code", "age_band", "breakdown", "group", "category"]


# -- the rules, read from the YAML file itself ---------------------------------------------------

@dataclass(frozen=True)
class Thresholds:
    min_base: int
    count_min: int
    count_max: int
    low_base_max: int
    uniform_max_base: int
    protection_level: int = 3

    @classmethod
    def read(cls, path: Path | None = None) -> "Thresholds":
        data = yaml.safe_load(Path(path or CONFIG).read_text(encoding="utf-8")) or {}
        return cls(int(data.get("percentage_min_base", 10)), int(data.get("people_count_min", 1)),
                   int(data.get("people_count_max", 5)), int(data.get("low_base_max", 29)),
                   int(data.get("uniform_answer_max_base", 29)), int(data.get("protection_level", 3)))

    def small_count(self, n: int) -> bool:
        return self.count_min <= n <= self.count_max


def published_row_count(kind: str, n: int, path: Path | None = None, thresholds: Thresholds | None = None) -> str:
    """How a count of rows of one kind may be shown (load history): 'c' for 1 to 5 records about
    identifiable people, else the number with thousands separators. A caller showing many rows
    passes `thresholds` read once (reading the rules file per row cost seconds for 500 loads)."""
    if kind in PEOPLE_KINDS and (thresholds or Thresholds.read(path)).small_count(int(n)):
        return "c"
    return f"{int(n):,}"


def published_scope(kind: str, text: str | None, path: Path | None = None,
                    thresholds: Thresholds | None = None) -> str | None:
    """A load's 'covers' text with every count of 1 to 5 records about people shown as 'c'."""
    if text is None or kind not in PEOPLE_KINDS:
        return text
    t = thresholds or Thresholds.read(path)

    def mask(m: re.Match) -> str:
        return f"c {m.group(2)}" if t.small_count(int(m.group(1).replace(",", ""))) else m.group(0)

    return SCOPE_COUNT.sub(mask, text)


# -- findings and the report --------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    check: str            # primary | recoverable | low-base flag | status | load history
    where: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.where}: {self.detail}"


@dataclass
class AuditReport:
    findings: list[Finding] = field(default_factory=list)
    # Not findings (the rules do not cover them yet), printed for a person to judge.
    notes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    figures: dict[str, int] = field(default_factory=lambda: defaultdict(int))   # source -> cells with people
    hidden: dict[str, int] = field(default_factory=lambda: defaultdict(int))    # source -> of which hidden
    empty: dict[str, int] = field(default_factory=lambda: defaultdict(int))     # source -> 'z' cells
    # why each hidden cell was hidden (classified here, from the rules file) -> reason shown -> an example
    reasons: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    indicators: int = 0
    families: int = 0
    loads_checked: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.findings

    def share_hidden(self, source: str | None = None) -> float:
        figures = self.figures.get(source, 0) if source else sum(self.figures.values())
        hidden = self.hidden.get(source, 0) if source else sum(self.hidden.values())
        return hidden / figures if figures else 0.0

    def summary(self, cap: int = 50) -> str:
        total, hidden = sum(self.figures.values()), sum(self.hidden.values())
        lines = [f"Disclosure audit: {self.indicators} indicators, {self.families} families of figures, "
                 f"{total:,} figures with people in them ({sum(self.empty.values()):,} more are empty groups, "
                 f"shown as z), {self.loads_checked} loads in the load history; {self.seconds:.1f} s.",
                 f"Hidden: {hidden:,} of {total:,} figures ({100 * self.share_hidden():.1f}%)."]
        for source in sorted(self.figures):
            lines.append(f"  {source}: {self.hidden.get(source, 0):,} of {self.figures[source]:,} hidden "
                         f"({100 * self.share_hidden(source):.1f}%)")
        for what, examples in self.notes.items():
            lines.append(f"Note: {len(examples):,} {what}, e.g. {examples[0]}")
        if self.ok:
            lines.append("No findings: every published figure passes the rules, no hidden figure can be "
                         "worked out from the published ones, and the load history shows no small counts.")
        else:
            n = len(self.findings)
            lines.append(f"{n} finding{'s' if n != 1 else ''}:")
            lines.extend(f"- {f}" for f in self.findings[:cap])
            if n > cap:
                lines.append(f"... and {n - cap} more")
        return "\n".join(lines)


def _where(indicator_id: str, wave, survey, key: tuple) -> str:
    la, band, breakdown, group, category = key
    parts = [indicator_id, f"wave {wave}"]
    if survey:
        parts.append(str(survey))
    parts.append("pool of all LAs" if la == POOL else f"LA {la}")
    parts.append("all ages" if band == ALL else f"age {band}")
    parts.append(f"{breakdown} = {group}" if breakdown else "whole group")
    if category:
        parts.append(f"answer {category}")
    return ", ".join(parts)


# -- (a) primary rules on published cells -------------------------------------------------------

def primary_findings(cell: dict, atoms: Atoms, t: Thresholds) -> list[str]:
    """What is wrong with one gated cell under the primary rules (empty: nothing)."""
    num, base, status = int(cell["numerator"]), int(cell["base"]), cell["status"]
    is_total = atoms.shape == "distribution" and cell["category"] == ""
    out = []
    if status == "z":
        if num or base:
            out.append(f"shown as z (nobody in the group) but {base} people are in it")
        return out
    if status != "ok":
        return out
    if not is_total and base < t.min_base:
        out.append(f"a share on a base of {base}, under the minimum of {t.min_base}")
    if atoms.people:
        if is_total:
            counts = {"records in the group": base}
        elif atoms.shape == "distribution":
            counts = {"records with this answer": num}
        else:
            counts = {"records counted": num, "records not counted": base - num}
        for what, n in counts.items():
            if t.small_count(n):
                out.append(f"{n} {what}: a count of {t.count_min} to {t.count_max} about identifiable people")
    # Everyone in a small group alike (0% or 100%): survey answers and records about people alike.
    if not is_total and base <= t.uniform_max_base and num in (0, base) and base > 0:
        out.append(f"all {base} in a small group gave the same answer ({100 * num // base}%)")
    if not is_total and t.min_base <= base <= t.low_base_max and not cell["low_base"]:
        out.append(f"a base of {base} shown without the low-base flag")
    return out


def hidden_because(cell: dict, atoms: Atoms, t: Thresholds) -> str:
    """Why a hidden cell is hidden, by the rules file: base | count | uniform | secondary."""
    num, base = int(cell["numerator"]), int(cell["base"])
    is_total = atoms.shape == "distribution" and cell["category"] == ""
    if not is_total and base < t.min_base:
        return "base"
    if atoms.people:
        counts = (base,) if is_total else (num,) if atoms.shape == "distribution" else (num, base - num)
        if any(t.small_count(n) for n in counts):
            return "count"
    if not is_total and base <= t.uniform_max_base and num in (0, base):
        return "uniform"
    return "secondary"


def reason_findings(report: AuditReport) -> list[Finding]:
    """A reason shown only where everyone in a small group answered alike tells readers so. (With no
    figure hidden for another's sake at all there is nothing to compare with: no finding.)"""
    out = []
    secondary = report.reasons.get("secondary", {})
    for reason, where in report.reasons.get("uniform", {}).items():
        if secondary and reason not in secondary:
            out.append(Finding("reason", where, f"hidden with the reason '{reason}', which no figure hidden for "
                                                "another figure's sake shares: it tells readers that everyone "
                                                "in the group gave the same answer"))
    return out


# -- (b) hidden cells that can be worked out ----------------------------------------------------

def _order(value) -> tuple:
    return (value is None, str(value))


class _Space:
    """The unknowns of one family: for every block (LA, age band), the count in every combination of
    the levels of its breakdowns (and answer categories). Levels are those that have a cell in the
    block: a group with no cell is known to be empty there.

    Sums over combinations are written either on the full grid ("grid": one coordinate per
    combination) or, equivalently and far smaller, in the basis of sums the figures can take
    ("margins": the block total, each non-reference level of a breakdown, and for distributions
    each breakdown level with each category): every published or hidden figure is a sum of a
    one-breakdown condition and at most one category condition, so the two give the same ranks."""

    def __init__(self, cells: list[tuple], dims: list[str], has_age_bands: bool, distribution: bool,
                 mode: str = "margins"):
        self.dims = list(dims) + ([CATEGORY] if distribution else [])
        self.has_age_bands, self.distribution, self.mode = has_age_bands, distribution, mode
        self.levels: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        self.pairs: dict[tuple, set] = defaultdict(set)   # block -> {(breakdown, group, category)} shown
        self.las: set = set()
        self.bands: dict = defaultdict(set)
        at_all: dict = defaultdict(set)   # groups shown across all ages only (the publication policy)
        for la, band, bd, grp, cat in cells:
            if la != POOL and has_age_bands and band == ALL and bd:
                at_all[la].add((bd, grp, cat))
            if la == POOL or (has_age_bands and band == ALL):
                continue
            block = (la, band)
            self.las.add(la)
            self.bands[la].add(band)
            lv = self.levels[block]
            if bd and grp not in lv[bd]:
                lv[bd].append(grp)
            if distribution and cat and bd == "" and cat not in lv[CATEGORY]:
                lv[CATEGORY].append(cat)
            if distribution and cat and bd:
                self.pairs[block].add((bd, grp, cat))
        # A group shown only across all ages may have people in any age band of its LA.
        for (la, band), lv in self.levels.items():
            for bd, grp, cat in sorted(at_all.get(la, ()), key=str):
                if grp not in lv[bd]:
                    lv[bd].append(grp)
                if distribution and cat:
                    self.pairs[(la, band)].add((bd, grp, cat))
        for lv in self.levels.values():
            for d in lv:
                lv[d].sort(key=_order)
        self.columns: dict[Hashable, int] = {}

    def _col(self, key: Hashable) -> int:
        if key not in self.columns:
            self.columns[key] = len(self.columns)
        return self.columns[key]

    def blocks(self, la, band) -> list[tuple]:
        las = sorted(self.las, key=_order) if la == POOL else [la]
        out = []
        for l in las:
            bands = sorted(self.bands[l], key=_order) if (self.has_age_bands and band == ALL) else [band]
            out.extend((l, b) for b in bands if (l, b) in self.levels)
        return out

    def vector(self, la, band, conditions: list[tuple[str, object]]) -> dict[int, int]:
        """The sum of the unknowns in (la, band) meeting every (dimension, level) condition."""
        vec: dict[int, int] = defaultdict(int)
        for block in self.blocks(la, band):
            lv = self.levels[block]
            if self.distribution and not lv.get(CATEGORY):
                continue   # nobody in the block gave an answer: its totals are known to be 0
            if any(level not in lv.get(d, ()) for d, level in conditions):
                continue   # that group has no one in this block
            if self.mode == "grid":
                self._grid(vec, block, lv, conditions)
            else:
                self._margins(vec, block, lv, conditions)
        return {k: v for k, v in vec.items() if v}

    def absent_pairs(self) -> list[tuple]:
        """(la, band, breakdown, group, category) for every group and category of a block that has no
        cell: nobody in the group gave that answer, and a reader knows it (the table has no row)."""
        out = []
        for block, lv in self.levels.items():
            if not self.distribution:
                continue
            for d in self.dims[:-1]:
                for g in lv.get(d, ()):
                    for c in lv.get(CATEGORY, ()):
                        if (d, g, c) not in self.pairs[block]:
                            out.append((*block, d, g, c))
        return out

    def _grid(self, vec, block, lv, conditions) -> None:
        want = dict(conditions)
        dims = [d for d in self.dims if lv.get(d)]
        for combo in product(*(lv[d] for d in dims)):
            point = dict(zip(dims, combo))
            if self.distribution and any((d, point[d], point[CATEGORY]) not in self.pairs[block]
                                         for d in dims if d != CATEGORY):
                continue   # a combination with a group and answer that nobody gave: known to be 0
            if all(point.get(d) == level for d, level in want.items()):
                vec[self._col((block, combo))] += 1

    def _margins(self, vec, block, lv, conditions) -> None:
        # Each condition "dimension d is level g" as a sum of basis terms: a non-reference level is
        # its own term; the reference level (first) is the total less the other levels.
        expansion: dict[tuple, int] = {(): 1}
        for d, level in conditions:
            ref = lv[d][0]
            factor = ({((d, level),): 1} if level != ref else
                      {(): 1, **{((d, other),): -1 for other in lv[d][1:]}})
            new: dict[tuple, int] = defaultdict(int)
            for t1, c1 in expansion.items():
                for t2, c2 in factor.items():
                    new[tuple(sorted(t1 + t2, key=str))] += c1 * c2
            expansion = new
        for term, coef in expansion.items():
            if coef:
                vec[self._col((block, term))] += coef


def _span_tests(published: list[dict[int, int]], hidden: list[dict[int, int]], width: int) -> list[bool]:
    """For each hidden vector: is it in the span of the published vectors? Rank test modulo PRIME:
    reduce the published rows to echelon form, then reduce each hidden row by it; a hidden row
    that reduces to zero adds nothing to the rank (rank(P) == rank(P + h))."""
    import numpy as np

    if not hidden:
        return []
    if not published or width == 0:
        return [not h for h in hidden]

    def dense(rows: list[dict[int, int]]):
        m = np.zeros((len(rows), width), dtype=np.int64)
        for i, row in enumerate(rows):
            for j, v in row.items():
                m[i, j] = v % PRIME
        return m

    m = dense(published)
    pivots: list[tuple[int, np.ndarray]] = []
    r = 0
    for col in range(width):
        if r == m.shape[0]:
            break
        nz = np.nonzero(m[r:, col])[0]
        if nz.size == 0:
            continue
        i = r + int(nz[0])
        if i != r:
            m[[r, i]] = m[[i, r]]
        inv = pow(int(m[r, col]), PRIME - 2, PRIME)
        m[r] = (m[r] * inv) % PRIME
        below = m[r + 1:, col].copy()
        rows = np.nonzero(below)[0]
        if rows.size:
            m[r + 1 + rows] = (m[r + 1 + rows] - np.outer(below[rows], m[r]) % PRIME) % PRIME
        pivots.append((col, m[r].copy()))
        r += 1
    h = dense(hidden)
    for col, row in pivots:
        f = h[:, col].copy()
        rows = np.nonzero(f)[0]
        if rows.size:
            h[rows] = (h[rows] - np.outer(f[rows], row) % PRIME) % PRIME
    return [not h[i].any() for i in range(len(hidden))]


def recoverable(family: pl.DataFrame, atoms: Atoms, mode: str = "margins") -> list[tuple]:
    """Hidden cells (la, age_band, breakdown, group, category) of one family (one wave and survey of
    `atoms`, gated) that the published cells pin down exactly."""
    distribution = atoms.shape == "distribution"
    rows = family.select(*CELL_KEYS, "status").rows()
    space = _Space([r[:5] for r in rows], atoms.dims, atoms.has_age_bands, distribution, mode)

    def conditions(bd, grp, cat, total: bool) -> list[tuple[str, object]]:
        conds = [(bd, grp)] if bd else []
        if distribution and cat and not total:
            conds.append((CATEGORY, cat))
        return conds

    published, hidden, hidden_keys = [], [], []
    for la, band, bd, grp, cat, status in rows:
        if la == POOL:
            continue   # the sum of published LA figures (pool_findings checks it): adds nothing
        own = space.vector(la, band, conditions(bd, grp, cat, False))
        if status == "c":
            hidden.append(own)
            hidden_keys.append((la, band, bd, grp, cat))
            continue
        published.append(own)          # 'ok' and 'z' (known to be nobody) are both known
        if distribution and cat:       # a category is shown with its group's total as base
            published.append(space.vector(la, band, conditions(bd, grp, cat, True)))
    for la, band, bd, grp, cat in space.absent_pairs():   # known to be nobody
        published.append(space.vector(la, band, [(bd, grp), (CATEGORY, cat)]))
    found = _span_tests(published, hidden, len(space.columns))
    return [k for k, hit in zip(hidden_keys, found) if hit]


# -- the audit ----------------------------------------------------------------------------------

def audit_atoms(atoms: Atoms, report: AuditReport, source: str = "", t: Thresholds | None = None,
                gate_fn: Callable[[Atoms], pl.DataFrame] | None = None) -> pl.DataFrame:
    """Gate one indicator's atoms and audit every cell; adds to `report`. Returns the gated cells."""
    from dashboard.engine import cells as engine_cells

    t = t or Thresholds.read()
    gated = (gate_fn or engine_cells.gate)(atoms)
    source = source or ("records" if atoms.people else "survey")
    report.indicators += 1
    for cell in gated.iter_rows(named=True):
        key = tuple(cell[k] for k in CELL_KEYS)
        status = cell["status"]
        if status not in ("ok", "c", "z"):
            report.findings.append(Finding("status", _where(atoms.indicator_id, cell["wave"], cell["survey"], key),
                                           f"unknown status {status!r}"))
            continue
        if status == "z":
            report.empty[source] += 1
        else:
            report.figures[source] += 1
            report.hidden[source] += status == "c"
        if status == "c":
            report.reasons[hidden_because(cell, atoms, t)].setdefault(
                cell["reason"] or "", _where(atoms.indicator_id, cell["wave"], cell["survey"], key))
        # A group's not-answered count of records about people is published when its own gate
        # says so (na_status); then it must not be a small count.
        na_published = cell.get("na_status", status) in ("ok", "z") and status == "ok"
        if (na_published and atoms.people and cell["not_answered"] is not None
                and t.small_count(int(cell["not_answered"]))):
            report.findings.append(Finding(
                "primary", _where(atoms.indicator_id, cell["wave"], cell["survey"], key),
                f"published not-answered count {cell['not_answered']}: a count of {t.count_min} to {t.count_max}"))
        for problem in primary_findings(cell, atoms, t):
            check = "low-base flag" if "low-base flag" in problem else "primary"
            report.findings.append(Finding(check, _where(atoms.indicator_id, cell["wave"], cell["survey"], key),
                                           problem))
    report.findings.extend(pool_findings(gated, atoms))
    for (wave, survey), family in gated.group_by(FAMILY_KEYS, maintain_order=True):
        report.families += 1
        exact = set(recoverable(family, atoms))
        for key in exact:
            report.findings.append(Finding(
                "recoverable", _where(atoms.indicator_id, wave, survey, key),
                "hidden, but it can be worked out exactly from the published figures"))
        for rng in attack_family(family, atoms, t):
            if rng.key[1] in exact:
                continue
            report.findings.append(Finding(
                "attack", _where(atoms.indicator_id, wave, survey, rng.key[1]),
                f"hidden, but the attacker's linear program narrows its count ({rng.label}): {rng.problem}; "
                f"tied to {_tables(atoms.indicator_id, rng.tables)}"))
    return gated


def pool_findings(gated: pl.DataFrame, atoms: Atoms) -> list[Finding]:
    """The pool of all LAs must be exactly the sum of the LA figures published for the same wave,
    age band and group (then it tells nobody anything about a hidden one); a pool that counts a
    hidden LA figure would give it away as the pool less the published ones."""
    by = ["wave", "survey", "age_band", "breakdown", "group", "category"]
    pool = gated.filter((pl.col("la_code") == POOL) & (pl.col("status") != "c"))
    if pool.height == 0:
        return []
    shown = (gated.filter((pl.col("la_code") != POOL) & (pl.col("status") == "ok"))
             .group_by(by).agg(pl.col("numerator").sum().alias("n_shown"), pl.col("base").sum().alias("b_shown")))
    joined = pool.join(shown, on=by, how="left", nulls_equal=True).filter(
        (pl.col("numerator") != pl.col("n_shown").fill_null(0)) | (pl.col("base") != pl.col("b_shown").fill_null(0)))
    return [Finding("pool", _where(atoms.indicator_id, w, s, (POOL, band, bd, grp, cat)),
                    f"the pool shows {n}/{b} but the published LA figures add up to {ns or 0}/{bs or 0}: it "
                    "counts a hidden figure")
            for w, s, band, bd, grp, cat, n, b, ns, bs in joined.select(
                *by, "numerator", "base", "n_shown", "b_shown").iter_rows()]


def attack_family(family: pl.DataFrame, atoms: Atoms, t: Thresholds) -> list:
    """The attacker's LP (dashboard.attack) over one family of gated cells: every hidden count whose
    feasible range is narrower than the protection level, worked out exactly, or 0%/100%."""
    from dashboard import attack

    known = attack.Known(t.min_base, t.count_min, t.count_max)
    rows = family.select(*CELL_KEYS, "numerator", "base", "status", "reason", "low_base").to_dicts()
    for row in rows:   # a figure the primary rules hide must keep the protection level; others only not be exact
        row["sensitive"] = row["status"] == "c" and hidden_because(row, atoms, t) != "secondary"
    model = attack.model_from_frame(rows, atoms.dims, atoms.shape, atoms.people, atoms.has_age_bands, known)
    seen, out = set(), []
    for rng in attack.findings(model, t.protection_level):
        if rng.key not in seen:
            seen.add(rng.key)
            out.append(rng)
    return out


def _tables(indicator_id: str, names: tuple) -> str:
    keys = sorted({n[2] for n in names if len(n) == 3}, key=str)[:6]
    return "; ".join(" / ".join(str(x) for x in k if x) for k in keys) or indicator_id


def audit_load_log(con, report: AuditReport, t: Thresholds | None = None) -> None:
    """Counts of 1 to 5 records about people in the load history (rows per file, and the per-LA
    counts in what each file covers)."""
    t = t or Thresholds.read()
    rows = con.execute("SELECT load_id, kind, file_name, rows_loaded, scope FROM load_log ORDER BY load_id").fetchall()
    for load_id, kind, file_name, n, scope in rows:
        report.loads_checked += 1
        if kind not in PEOPLE_KINDS:
            continue
        where = f"load #{load_id} ({kind}, {file_name})"
        if t.small_count(int(n)):
            report.findings.append(Finding("load history", where,
                                           f"{n} rows loaded: a count of {t.count_min} to {t.count_max} records "
                                           "about identifiable people (show it with published_row_count)"))
        for m in SCOPE_COUNT.finditer(scope or ""):
            if t.small_count(int(m.group(1).replace(",", ""))):
                report.findings.append(Finding("load history", where,
                                               f"what it covers says '{m.group(0)}': a count of {t.count_min} to "
                                               f"{t.count_max} about identifiable people (show it with published_scope)"))


def audit_database(con, catalogue=None, rules_path: Path | None = None,
                   gate_fn: Callable[[Atoms], pl.DataFrame] | None = None,
                   progress: Callable[[str], None] | None = None) -> AuditReport:
    """Audit every figure the app and CLI can publish from the database behind `con`."""
    from dashboard.catalogue import default_catalogue
    from dashboard.engine.atoms import atoms_for

    started = time.perf_counter()
    catalogue = catalogue or default_catalogue()
    t = Thresholds.read(rules_path)
    report = AuditReport()
    from dashboard.engine.figures import gate_with_linked

    done: dict[str, tuple | None] = {}
    for ind in catalogue.indicators:
        if gate_fn is None:
            # Exactly what the product publishes: indicators counted from the same people are
            # gated together there (dashboard.engine.linked). Computed afresh, never from a cache.
            if ind.id not in done:
                done.update({m.id: v for m, v in gate_with_linked(con, ind, catalogue)})
            found = done[ind.id]
            if found is None:
                continue
            atoms, gated = found
            use = lambda _atoms, g=gated: g  # noqa: E731
        else:
            atoms = atoms_for(con, ind)
            if atoms is None or atoms.frame.height == 0:
                continue
            use = gate_fn
        if progress:
            progress(f"auditing {ind.id}")
        audit_atoms(atoms, report, ind.source, t, use)
    audit_pn_links(con, catalogue, report, gate_fn)
    _audit_themes(con, report, t)
    report.findings.extend(reason_findings(report))
    audit_load_log(con, report, t)
    report.seconds = time.perf_counter() - started
    return report


# -- (b, across indicators) figures of different indicators counted from the same reviews -------

PN_SQL = ("pn_code_distribution", "participation_rate")   # both read queries/pn_codes_in_scheme.sql
NOT_MAPPED = "not mapped"   # queries/pn_code_distribution.sql: the category of reviews that cannot be mapped


def pn_crosswalk() -> dict[str, dict[tuple[str, str], str | None]]:
    """scheme shown -> (scheme recorded, code recorded) -> code shown (None: cannot be mapped), for
    every code a participation file can hold, worked out by the project's own SQL."""
    import duckdb

    from dashboard import store
    from dashboard.loaders.participation import SCHEMES

    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE reviews (la_code VARCHAR, review_date DATE, review_type VARCHAR, "
                    "scheme VARCHAR, pn_code VARCHAR)")
        con.executemany("INSERT INTO reviews VALUES ('x', DATE '2024-01-01', 'x', ?, ?)",
                        [(scheme, code) for scheme, codes in SCHEMES.items() for code in codes])
        out = {}
        for shown in SCHEMES:
            mapped = store.frame(con, store.sql("pn_codes_in_scheme"), {"scheme": shown})
            out[shown] = {(scheme, code): to for scheme, code, to in
                          mapped.select("recorded_scheme", "recorded_code", "code").iter_rows()}
        return out
    finally:
        con.close()


def _shown_as(ind, code: str | None) -> str:
    """The category a review coded `code` (None: cannot be mapped) is published in by `ind`: its
    code, or the group of codes it publishes together (categories_published_together)."""
    code = code or NOT_MAPPED
    return ind.categories_published_together.get(code, code)


def audit_pn_links(con, catalogue, report: AuditReport, gate_fn=None) -> None:
    """PN-code figures of every scheme and the rates built on them count the same reviews: a figure
    hidden in one can be worked out with figures published in another (recommended PN3 from the
    'views given' rate less the other codes; a code hidden in one scheme but shown in the other).
    One model per wave: the unknowns are the reviews of each LA and review type by the scheme and
    code they were recorded in; every figure of every such indicator is a sum of them."""
    from dashboard.engine import cells as engine_cells
    from dashboard.engine.atoms import atoms_for

    inds = [i for i in catalogue.indicators if getattr(i, "sql", None) in PN_SQL]
    if not inds:
        return
    walk = pn_crosswalk()
    pairs = sorted(next(iter(walk.values())))
    per_wave: dict[int, list[tuple]] = defaultdict(list)   # wave -> (indicator, atoms, gated row)
    found_atoms = []
    for ind in inds:
        atoms = atoms_for(con, ind)
        if atoms is None or atoms.frame.height == 0 or atoms.dims not in ([], ["review_type"]):
            return   # a shape this model does not know: say nothing rather than something wrong
        found_atoms.append((ind, atoms))
    if gate_fn is not None:
        gated_by = {ind.id: gate_fn(atoms) for ind, atoms in found_atoms}
    else:
        # The engine gates the indicators counted from the same reviews together.
        from dashboard.engine.linked import review_links

        for _, atoms in found_atoms:
            atoms.pool = False   # as the engine does for linked indicators
        gated_by = engine_cells.gate_many([a for _, a in found_atoms], review_links([i for i, _ in found_atoms]))
    for ind, atoms in found_atoms:
        for cell in gated_by[ind.id].iter_rows(named=True):
            per_wave[cell["wave"]].append((ind, atoms, cell))
    already = {(f.where) for f in report.findings if f.check == "recoverable"}
    # The unknowns are per LA and review type, whether or not any figure is published by review type
    # (then the review types come from the records: more unknowns than needed, never fewer).
    types_by_wave: dict[int, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for _, atoms in found_atoms:
        if "review_type" in atoms.frame.columns:
            for wave, la, rt in atoms.frame.select("wave", "la_code", "review_type").unique().iter_rows():
                types_by_wave[wave][la].add(rt)
    for wave, items in sorted(per_wave.items()):
        blocks: dict[str, set] = defaultdict(set)   # la -> review types with reviews
        for la, rts in types_by_wave[wave].items():
            blocks[la] |= rts
        for ind, atoms, cell in items:
            if cell["la_code"] != POOL and cell["breakdown"] == "review_type":
                blocks[cell["la_code"]].add(cell["group"])
        columns: dict[tuple, int] = {}

        def vec(la, bd, grp, chosen: set) -> dict[int, int]:
            v: dict[int, int] = {}
            for l in (sorted(blocks, key=_order) if la == POOL else [la]):
                for rt in ([grp] if bd else sorted(blocks.get(l, ()), key=_order)):
                    if rt not in blocks.get(l, ()):
                        continue
                    for pair in chosen:
                        v[columns.setdefault((l, rt, pair), len(columns))] = 1
            return v

        published, hidden, hidden_where = [], [], []
        shown_cells: dict[str, set] = defaultdict(set)
        for ind, atoms, cell in items:
            scheme = walk[str(ind.params.get("scheme", "recommended"))]
            every = set(pairs)   # every scheme's total is all reviews; unmapped ones are 'not mapped'
            la, bd, grp, cat, status = cell["la_code"], cell["breakdown"], cell["group"], cell["category"], cell["status"]
            if atoms.shape == "distribution":
                shown_cells[ind.id].add((la, bd, grp, cat))
                own = {p for p in pairs if _shown_as(ind, scheme[p]) == cat} if cat else every
                extra = [every] if cat else []
            else:
                codes = set(ind.params.get("codes", []))
                own = {p for p in pairs if scheme[p] in codes}
                extra = [every]
            if status == "c":
                hidden.append(vec(la, bd, grp, own))
                hidden_where.append(_where(ind.id, wave, None, (la, cell["age_band"], bd, grp, cat)))
            elif status == "ok":
                published.extend(vec(la, bd, grp, chosen) for chosen in [own, *extra])
            else:   # z: nobody
                published.append(vec(la, bd, grp, own))
        # A code with no row for an LA and review type: nobody had it, and a reader knows.
        # For all reviews, and for each review type where the distribution is published by review
        # type (one published for all review types together says nothing of the codes within each).
        for ind in inds:
            if ind.shape != "distribution":
                continue
            scheme = walk[str(ind.params.get("scheme", "recommended"))]
            by_type = "review_type" in ind.params.get("breakdowns", [])
            for la, rts in blocks.items():
                if (la, "", ALL, "") not in shown_cells[ind.id]:
                    continue   # no figure of this indicator for the LA: nothing to read
                for bd, grp in [("", ALL), *((("review_type", rt) for rt in sorted(rts, key=_order)) if by_type else ())]:
                    for shown in sorted({_shown_as(ind, c) for c in scheme.values()}):
                        if (la, bd, grp, shown) not in shown_cells[ind.id]:
                            published.append(vec(la, bd, grp,
                                                 {p for p in pairs if _shown_as(ind, scheme[p]) == shown}))
        found = _span_tests(published, hidden, len(columns))
        for where, hit in zip(hidden_where, found):
            if hit and where not in already:
                report.findings.append(Finding(
                    "recoverable", where, "hidden, but it can be worked out exactly from figures published for "
                                          "the indicators counted from the same reviews (codes in either scheme, "
                                          "rates built on them, not-answered counts)"))


def _audit_themes(con, report: AuditReport, t: Thresholds) -> None:
    """Theme counts (the Themes page): their own gate, one family per LA and no pool."""
    from dashboard.engine import themes

    atoms = themes.theme_atoms(con)
    if atoms.frame.height:
        audit_atoms(atoms, report, "themes", t, themes.gate)


def audit_all(atoms_list: Iterable[Atoms], t: Thresholds | None = None,
              gate_fn: Callable[[Atoms], pl.DataFrame] | None = None) -> AuditReport:
    """Audit indicators given as atoms (no database): used by the property tests."""
    started = time.perf_counter()
    report = AuditReport()
    for atoms in atoms_list:
        audit_atoms(atoms, report, "", t, gate_fn)
    report.findings.extend(reason_findings(report))
    report.seconds = time.perf_counter() - started
    return report
