"""Disclosure control: the one gate every published figure passes.

Figures come from dashboard.engine as *cells*: a numerator and a base for a group of people
(with the people's kind: survey answers, or records about identifiable people such as reviews).
Cells that add up to other cells are tied by *constraints* (a total and its parts): answer options
to the base, breakdown groups to the whole group, age bands to all ages, PN codes to all reviews,
LAs to the pool. The gate:

1. Primary suppression: hides a cell whose base is under the minimum (status c), a count of 1 to
   5 about identifiable people (c), and a small group where everyone answered the same way (c).
   Bases from the minimum to 29 are published with a low-base flag.
2. Secondary suppression: while any hidden cell could be worked out from published cells by
   adding and subtracting (any linear combination of the constraints), hides one more cell: the
   published member of a constraint through that cell with the smallest base (when every
   constraint through it is already fully hidden, of the nearest constraints along the chain
   that still have a published member). A figure that would show a hidden one (a category shows
   its group's total as its base) is hidden with it.

3. Against the attacker (dashboard.attack, README "the attacker model"): while the attacker's
   linear programme (bounds, whole numbers, group sizes) narrows a sensitive cell (one the primary
   rules hide) below the protection level, or works out any hidden cell exactly, hides one more
   cell beside it; then shows again each extra cell not needed, and in small families searches
   exactly for the least-cost set of extra cells (cheapest first).
4. In larger families: the least-cost set of extra cells as a mixed-integer programme with cuts
   from the attacker's check (dashboard.secondary_milp), within a time and round limit per family;
   the pattern of steps 2 and 3 stands when it runs out or finds nothing cheaper.

Guarantee: no hidden cell is determined by the published cells through the constraints given
(checked exactly, with rational arithmetic), and, in families up to attack_max_cells, no sensitive
cell's range is narrower than the protection level. A cell nobody is in (base 0) is published as
'z'.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from math import gcd
from functools import lru_cache
from pathlib import Path
from typing import Hashable, Iterable

import yaml
from pydantic import BaseModel, ConfigDict

CONFIG = Path(__file__).resolve().parent / "disclosure.yaml"

OK, HIDDEN, EMPTY = "ok", "c", "z"
# An auxiliary quantity: a sum that ties figures of different indicators together (e.g. reviews
# coded current PN0 or PN7). Never published, never a figure: working it out is no disclosure.
AUX = "aux"
# The one reason shown both for a small group where everyone answered alike and for a figure hidden
# so that another cannot be worked out. A reason of its own for the first would tell readers that
# everyone in the group gave the same answer: the very thing hiding it protects.
PROTECTS_OTHERS = "hidden to protect the privacy of the people counted"
STATUS_LEGEND = {
    "ok": "published",
    "c": "hidden to protect children's privacy (too few people, or it would let a hidden figure be worked out)",
    "low": "low base: fewer than 30 people answered, read with care",
    "z": "not applicable: nobody in this group",
    "x": "not available",
    "u": "low reliability",
    "k": "rounds to zero",
}


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    percentage_min_base: int = 10
    people_count_min: int = 1
    people_count_max: int = 5
    low_base_max: int = 29
    uniform_answer_max_base: int = 29
    # The attacker model (README, "Disclosure control: the attacker model"): a hidden figure is
    # protected when the attacker's feasible range for its count spans at least this many people.
    protection_level: int = 3
    # One reason text for every hidden figure: then the reason says nothing about the count.
    one_reason_text: bool = False
    # Rounds of "check against the attacker, hide more" per family at most. A count, not a time
    # limit: the same data must give the same statuses on every machine and in every process.
    attack_max_rounds: int = 200
    # Families of up to this many figures are checked against the attacker and protected from it
    # (disclosure.yaml sets it above every family the product makes).
    attack_max_cells: int = 400
    # Families up to this many figures get a last pass that shows again any figure hidden for
    # another's sake that turns out not to be needed (each try is one attacker's-LP check).
    unhide_max_cells: int = 400
    # The least hiding, found exactly (cheapest sets first) when at most this many published figures
    # could be chosen, within this many checks; otherwise the greedy choice stands.
    exact_max_candidates: int = 0
    exact_max_checks: int = 60
    # Larger families (more candidates than exact_max_candidates): the least-cost hiding as a
    # mixed-integer programme (dashboard.secondary_milp) within this many rounds of cuts per family,
    # each solve within this many branch-and-bound nodes, or else the greedy choice stands. Counts,
    # not seconds, as above: the same data gives the same pattern on every machine. 0 rounds: greedy.
    milp_max_rounds: int = 0
    milp_node_limit: int = 500
    # Cuts from the attacker's LP duals (only the published figures its proof uses); False: the
    # weaker cut over every published figure tied to the failing one.
    milp_dual_cuts: bool = True
    # Publication policy: survey groups published as one group (breakdown -> group -> published
    # group), because each is small almost everywhere and would be hidden on its own.
    groups_published_together: dict[str, dict[str, str]] = {}


@lru_cache(maxsize=4)
def rules(path: Path | None = None) -> Rules:
    data = yaml.safe_load(Path(path or CONFIG).read_text(encoding="utf-8")) or {}
    return Rules(**data)


@dataclass
class Cell:
    """One figure before the gate. `people`: the counts are about identifiable people (records)."""

    id: Hashable
    numerator: int
    base: int
    people: bool = False
    share: bool = True            # a share (numerator of base); False: a plain count (numerator only)
    counts: tuple[int, ...] | None = None  # the counts of people it reveals (default: from the above)
    status: str = OK
    reason: str = ""
    low_base: bool = False
    size: int | None = None       # what hiding it costs (default: the base; a category: its count)

    @property
    def cost(self) -> int:
        return self.base if self.size is None else self.size

    @property
    def hidden(self) -> bool:
        return self.status == HIDDEN

    @property
    def unknown(self) -> bool:
        """Not published: hidden, or an auxiliary quantity that is never a figure of its own."""
        return self.status in (HIDDEN, AUX)


@dataclass
class Family:
    """Cells that can be added and subtracted together, with the constraints that tie them."""

    cells: dict[Hashable, Cell] = field(default_factory=dict)
    constraints: list[tuple[Hashable, tuple[Hashable, ...]]] = field(default_factory=list)  # (total, parts)
    # cell -> cells that show it too: a category is shown with its group's total as its base, so
    # a published category shows the total. A hidden cell hides every cell that would show it.
    shown_by: dict[Hashable, list[Hashable]] = field(default_factory=dict)
    aliases: dict[Hashable, Hashable] = field(default_factory=dict)   # same figure -> its cell
    # cells hidden whatever their own numbers (e.g. a new release whose change since the figure
    # already published fails the primary rules: dashboard.ledger)
    forced: set = field(default_factory=set)
    _through: dict | None = field(default=None, repr=False)

    def add(self, cell: Cell) -> None:
        self.cells[cell.id] = cell

    def tie(self, total: Hashable, parts: Iterable[Hashable]) -> None:
        parts = tuple(p for p in parts if p in self.cells)
        if total in self.cells and parts:
            self.constraints.append((total, parts))
            self._through = None

    def same(self, cid: Hashable, other: Hashable) -> None:
        """`other` is the very same figure as `cid` (e.g. a PN code shown in both schemes): one
        cell for the gate, so both always get the same status."""
        if cid in self.cells and other in self.cells and cid != other:
            self.aliases[other] = cid

    def shows(self, cid: Hashable, others: Iterable[Hashable]) -> None:
        """Publishing any of `others` would show `cid` (e.g. its categories show a group's total)."""
        others = [o for o in others if o in self.cells and o != cid]
        if cid in self.cells and others:
            self.shown_by.setdefault(cid, []).extend(others)

    def through(self, cid: Hashable) -> list[tuple[Hashable, tuple[Hashable, ...]]]:
        """The constraints `cid` takes part in."""
        if self._through is None:
            index: dict[Hashable, list] = defaultdict(list)
            for con in self.constraints:
                for m in (con[0], *con[1]):
                    index[m].append(con)
            self._through = index
        return self._through.get(cid, [])


def primary(cell: Cell, r: Rules) -> None:
    """Primary suppression of one cell, in place."""
    _primary(cell, r)
    if r.one_reason_text and cell.hidden:
        cell.reason = PROTECTS_OTHERS


def _primary(cell: Cell, r: Rules) -> None:
    if cell.status == AUX:
        return
    if cell.base == 0 and cell.numerator == 0:
        cell.status, cell.reason = EMPTY, "nobody in this group"
        return
    if cell.share and cell.base < r.percentage_min_base:
        cell.status, cell.reason = HIDDEN, f"fewer than {r.percentage_min_base} people"
        return
    if cell.people:
        counts = cell.counts
        if counts is None:
            counts = (cell.numerator, cell.base - cell.numerator) if cell.share else (cell.numerator,)
        if any(r.people_count_min <= c <= r.people_count_max for c in counts):
            cell.status, cell.reason = HIDDEN, f"a count of {r.people_count_min} to {r.people_count_max}"
            return
    # Everyone in a small group alike (0% or 100%) tells each person's answer: survey answers and
    # records about people alike (a 10/10 "voice heard at closure" says it of all ten).
    if cell.share and cell.base <= r.uniform_answer_max_base and cell.numerator in (0, cell.base):
        cell.status, cell.reason = HIDDEN, PROTECTS_OTHERS
        return
    cell.low_base = cell.share and cell.base <= r.low_base_max


def determined(family: Family) -> list[Hashable]:
    """Hidden cells whose values follow exactly from published cells through the constraints.

    Each constraint total - sum(parts) = 0 becomes an equation in the hidden cells (published
    cells are known numbers). A hidden cell is determined iff its unit vector lies in the row
    space of that system: after Gauss-Jordan reduction, some row has its only non-zero entry in
    that cell's column. Exact integer arithmetic (fraction-free), one connected group of hidden
    cells at a time."""
    hidden = [cid for cid, c in family.cells.items() if c.unknown]
    if not any(family.cells[cid].hidden for cid in hidden):
        return []
    index = {cid: i for i, cid in enumerate(hidden)}
    parent = list(range(len(hidden)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rows: list[dict[int, int]] = []
    for total, parts in family.constraints:
        row: dict[int, int] = defaultdict(int)
        for cid, coef in [(total, 1), *[(p, -1) for p in parts]]:
            if cid in index:
                row[index[cid]] += coef
        row = {k: v for k, v in row.items() if v}
        if row:
            rows.append(row)
            cols = list(row)
            for c in cols[1:]:
                parent[find(c)] = find(cols[0])
    groups: dict[int, list[dict[int, int]]] = defaultdict(list)
    for row in rows:
        groups[find(next(iter(row)))].append(row)
    out = []
    for group_rows in groups.values():
        out.extend(hidden[col] for col in _unit_rows(group_rows))
    return [cid for cid in out if family.cells[cid].hidden]


def _unit_rows(rows: list[dict[int, int]]) -> list[int]:
    """Columns that some row of the reduced row echelon form of `rows` has as its only entry."""
    pivots: dict[int, dict[int, int]] = {}
    holders: dict[int, set[int]] = defaultdict(set)  # column -> pivot columns whose row uses it
    for row in rows:
        # Pivot rows are zero in every other pivot column, so one pass over the row's pivot
        # columns reduces it fully.
        for col in [c for c in row if c in pivots]:
            f = row.get(col)
            if f:
                row = _combine(row, pivots[col][col], pivots[col], f)
        if not row:
            continue
        col = min(row)
        for pcol in list(holders.get(col, ())):
            prow = pivots[pcol]
            f = prow.get(col)
            if f:
                for k in prow:
                    holders[k].discard(pcol)
                prow = _combine(prow, row[col], row, f)
                pivots[pcol] = prow
                for k in prow:
                    holders[k].add(pcol)
        pivots[col] = row
        for k in row:
            holders[k].add(col)
    return [col for col, prow in pivots.items() if len(prow) == 1]


def _combine(row: dict[int, int], a: int, other: dict[int, int], b: int) -> dict[int, int]:
    """a*row - b*other, divided by the gcd of its entries (integers stay small)."""
    out = {k: a * v for k, v in row.items()}
    for k, v in other.items():
        out[k] = out.get(k, 0) - b * v
    out = {k: v for k, v in out.items() if v}
    g = 0
    for v in out.values():
        g = gcd(g, v)
    if g > 1:
        out = {k: v // g for k, v in out.items()}
    return out


def _exposed_through(family: Family, cid: Hashable) -> int:
    """How many constraints through `cid` have exactly one unknown member, and it hidden."""
    n = 0
    for total, parts in family.through(cid):
        unknown = [m for m in (total, *parts) if family.cells[m].unknown]
        if len(unknown) == 1 and family.cells[unknown[0]].hidden:
            n += 1
    return n


def _hide_smallest(family: Family, constraints: list[tuple[Hashable, tuple[Hashable, ...]]]) -> bool:
    """Hide the published member with the smallest base among `constraints`. False if none."""
    best, best_rank = None, None
    for total, parts in constraints:
        for cid in (total, *parts):
            c = family.cells[cid]
            if c.status != OK:
                continue
            # Prefer parts to totals, then a cell that also protects another exposed constraint
            # (so one extra hidden figure does two jobs), then the smallest base, then a stable order.
            rank = (cid == total, -_exposed_through(family, cid), c.cost, c.numerator, str(cid))
            if best_rank is None or rank < best_rank:
                best, best_rank = c, rank
    if best is None:
        return False
    best.status, best.reason = HIDDEN, PROTECTS_OTHERS
    best.low_base = False
    return True


def _merge_aliases(family: Family) -> dict[Hashable, Hashable]:
    """Replace every alias by the cell it is the same figure as, in the constraints and the
    'shows' relation; take the aliases out of the family. Returns alias -> cell."""
    def root(c):
        while c in family.aliases:
            c = family.aliases[c]
        return c

    merged = {a: root(a) for a in family.aliases}
    if not merged:
        return {}
    constraints = []
    for total, parts in family.constraints:
        t = merged.get(total, total)
        ps = tuple(merged.get(p, p) for p in parts)
        if t in ps or len(set(ps)) != len(ps):
            # A constraint whose members merge into each other is not a plain total and parts
            # any more; the gate's constraints never do this (alias only whole figures).
            raise ValueError(f"aliases collapse the constraint {total} = {parts}")
        constraints.append((t, ps))
    family.constraints = constraints
    shown_by: dict[Hashable, list[Hashable]] = {}
    for k, v in family.shown_by.items():   # an alias's viewers join its cell's viewers
        shown_by.setdefault(merged.get(k, k), []).extend(merged.get(o, o) for o in v)
    family.shown_by = shown_by
    for a in merged:
        family.cells.pop(a, None)
    family._through = None
    return merged


def protect(family: Family, r: Rules | None = None) -> Family:
    """Apply primary then secondary suppression to a family, in place."""
    r = r or rules()
    merged = _merge_aliases(family)
    family.forced = {merged.get(c, c) for c in family.forced}
    aliases = {a: family.cells[c] for a, c in merged.items()}
    _protect(family, r)
    for a, cell in aliases.items():   # the same figure: the same status
        family.cells[a] = replace(cell, id=a)
    return family


def _protect(family: Family, r: Rules) -> Family:
    for cell in family.cells.values():
        primary(cell, r)
    primaries = {cid for cid, c in family.cells.items() if c.hidden}
    for cid in sorted(family.forced, key=str):
        c = family.cells.get(cid)
        if c is not None and c.status == OK:
            c.status, c.reason, c.low_base = HIDDEN, PROTECTS_OTHERS, False
    _secondary(family)
    sensitive = primaries | family.forced
    if len(family.cells) <= r.attack_max_cells:
        _against_the_attacker(family, r, sensitive)
    if len(family.cells) <= r.unhide_max_cells:
        _unhide(family, r, sensitive)
    if len(family.cells) <= r.attack_max_cells:
        if not _least_hiding(family, r, sensitive) and r.milp_max_rounds > 0:
            from dashboard import secondary_milp

            secondary_milp.least_cost(family, r, sensitive)
    return family


def _least_hiding(family: Family, r: Rules, sensitive: set) -> bool:
    """The minimum-cost choice of figures to hide beside the sensitive ones, found exactly when few
    published figures could be chosen (exact_max_candidates) within a budget of checks
    (exact_max_checks); otherwise the greedy choice stands. Sets of published figures are tried
    cheapest first (by what hiding them costs: their bases), each against every rule the gate
    keeps (nothing worked out exactly, every sensitive figure's range at least the protection
    level); the first that passes is the least hiding there is. The greedy choice bounds it.
    False when the family has too many candidates for it (the MILP's turn)."""
    import heapq

    hidden_now = {cid for cid, c in family.cells.items() if c.hidden}
    fixed = {cid for cid in hidden_now if cid in sensitive}
    extra = hidden_now - fixed
    if not extra:
        return True
    greedy_cost = sum(family.cells[c].cost for c in extra)
    # Only published figures tied (through any constraints) to a hidden one are worth hiding.
    reach = set()
    for cid in fixed:
        if cid not in reach:
            reach |= _tied(family, cid)
    candidates = sorted((c for c in reach if family.cells[c].status == OK or c in extra),
                        key=lambda c: (family.cells[c].cost, str(c)))
    if len(candidates) > r.exact_max_candidates:
        return False
    costs = [family.cells[c].cost for c in candidates]
    for c in extra:
        family.cells[c].status = OK
    checks = 0
    heap = [(0, ())]   # subsets of candidates (index tuples) in order of cost: each is generated once
    best = None
    while heap and checks < r.exact_max_checks:
        cost, sub = heapq.heappop(heap)
        if cost >= greedy_cost:
            break
        if sub:
            last = sub[-1]
            if last + 1 < len(candidates):
                heapq.heappush(heap, (cost + costs[last + 1], sub + (last + 1,)))
                heapq.heappush(heap, (cost - costs[last] + costs[last + 1], sub[:-1] + (last + 1,)))
        elif candidates:
            heapq.heappush(heap, (costs[0], (0,)))
        chosen = [candidates[i] for i in sub]
        for c in chosen:
            family.cells[c].status = HIDDEN
        if _plausible(family):
            checks += 1
            if _safe(family, r, sensitive):
                best = chosen
        for c in chosen:
            family.cells[c].status = OK
        if best is not None:
            break
    for c in (best if best is not None else extra):
        cell = family.cells[c]
        cell.status, cell.reason, cell.low_base = HIDDEN, PROTECTS_OTHERS, False
    if best is not None:
        for c in extra - set(best):
            primary(family.cells[c], r)   # shown again: its low-base flag
    return True


def _plausible(family: Family) -> bool:
    """A cheap necessary condition: no constraint has exactly one unknown member that is hidden."""
    for total, parts in family.constraints:
        n, hidden = 0, False
        for m in (total, *parts):
            c = family.cells[m]
            if c.unknown:
                n += 1
                hidden = hidden or c.hidden
                if n > 1:
                    break
        if n == 1 and hidden:
            return False
    return not _shows_a_hidden(family)


def _tied(family: Family, cid: Hashable, unknown_only: bool = False) -> set:
    """Every cell connected to `cid` through the family's constraints and the 'shows' relation.
    `unknown_only`: go only through unknown cells (the only ones whose ranges can change when
    `cid` is shown or hidden)."""
    seen, ring = {cid}, [cid]
    while ring:
        nxt = []
        for c in ring:
            linked = [m for total, parts in family.through(c) for m in (total, *parts)]
            for m in (*linked, *family.shown_by.get(c, ())):
                if m not in seen and (not unknown_only or family.cells[m].unknown):
                    seen.add(m)
                    nxt.append(m)
        ring = nxt
    return seen


def _shows_a_hidden(family: Family) -> bool:
    """Would a published cell show a hidden one (a category shows its group's total)?"""
    return any(family.cells[cid].hidden and any(family.cells[o].status == OK for o in others)
               for cid, others in family.shown_by.items())


def _safe(family: Family, r: Rules, sensitive: set, near: set | None = None) -> bool:
    """Is every hidden cell protected? `near`: only these hidden cells can have changed (the rest
    were protected before and nothing tying them changed), so only they are checked."""
    from dashboard import attack

    if _shows_a_hidden(family):
        return False
    if near is not None and any(c in near for c in determined(family)):
        return False
    if near is None and determined(family):
        return False
    known = attack.Known(r.percentage_min_base, r.people_count_min, r.people_count_max)
    return not attack.findings(attack.model_from_family(family, known, sensitive, only=near), r.protection_level)


def _unhide(family: Family, r: Rules, primaries: set) -> None:
    """Greedy hiding overshoots: try showing again each figure hidden for another's sake, the
    largest first, and keep it shown when everything stays protected."""
    extra = sorted((cid for cid, c in family.cells.items() if c.hidden and cid not in primaries and cid not in family.forced),
                   key=lambda cid: (-family.cells[cid].cost, str(cid)))
    for cid in extra:
        cell = family.cells[cid]
        near = _tied(family, cid, unknown_only=True)
        cell.status, cell.reason = OK, ""
        if _safe(family, r, primaries, near):
            primary(cell, r)   # its low-base flag, as for any published figure
            if cell.status == OK:
                continue
        cell.status, cell.reason, cell.low_base = HIDDEN, PROTECTS_OTHERS, False


def _against_the_attacker(family: Family, r: Rules, sensitive: set) -> None:
    """While the attacker's linear program (dashboard.attack) narrows a hidden count below the
    protection level, pins it, or shows it is 0%/100% of its group, hide one more published figure
    beside it (the smallest, as secondary suppression does) and eliminate again."""
    from dashboard import attack

    if not any(c.hidden for c in family.cells.values()):
        return
    known = attack.Known(r.percentage_min_base, r.people_count_min, r.people_count_max)
    # Hiding more only widens the attacker's ranges (less is known), so a figure found protected
    # stays protected: each round checks only the figures that failed and those newly hidden.
    pending = None
    for _ in range(r.attack_max_rounds):
        before = {cid for cid, c in family.cells.items() if c.hidden}
        bad = attack.findings(attack.model_from_family(family, known, sensitive, only=pending), r.protection_level)
        if not bad:
            return
        done: set = set()
        progressed = False
        for rng in sorted(bad, key=lambda x: str(x.key)):
            cons = family.through(rng.key)
            if any(con in done for con in cons):
                continue   # a figure hidden this round beside another may already protect it
            done.update(cons)
            if _hide_smallest(family, cons) or _hide_smallest(family, _around(family, rng.key)):
                progressed = True
        if not progressed:
            return
        _secondary(family)
        pending = {rng.key for rng in bad} | {cid for cid, c in family.cells.items() if c.hidden and cid not in before}


def _secondary(family: Family) -> None:
    # Fast pass: a constraint with exactly one hidden member gives that member away.
    changed = True
    while changed:
        changed = False
        for cid, others in family.shown_by.items():
            if family.cells[cid].hidden:
                for o in others:
                    if family.cells[o].status == OK:
                        family.cells[o].status, family.cells[o].reason = HIDDEN, PROTECTS_OTHERS
                        family.cells[o].low_base = False
                        changed = True
        for total, parts in family.constraints:
            members = (total, *parts)
            unknown = [m for m in members if family.cells[m].unknown]
            if len(unknown) == 1 and family.cells[unknown[0]].hidden and _hide_smallest(family, [(total, parts)]):
                changed = True
        if not changed:
            # Every hidden cell still worked out gets one more figure hidden beside it, in one
            # round (the fast pass then runs again): far fewer eliminations than one at a time.
            for cid in determined(family):
                if not family.cells[cid].hidden:
                    continue
                if _hide_smallest(family, family.through(cid)) or _hide_smallest(family, _around(family, cid)):
                    changed = True
    return family


def _around(family: Family, cid: Hashable) -> list[tuple[Hashable, tuple[Hashable, ...]]]:
    """The constraints nearest `cid` that have a published member, going out through hidden cells.

    A cell can be worked out through a chain (band 8-11 = all ages - 11-17, where 11-17 = the
    group's total - its other parts) although every constraint through it is fully hidden: then a
    published figure further along the chain must be hidden."""
    seen_cells, seen = {cid}, set()
    ring = [cid]
    while ring:
        found, nxt = [], []
        for c in ring:
            for con in family.through(c):
                if con in seen:
                    continue
                seen.add(con)
                members = (con[0], *con[1])
                if any(family.cells[m].status == OK for m in members):
                    found.append(con)
                for m in members:
                    if m not in seen_cells and family.cells[m].unknown:
                        seen_cells.add(m)
                        nxt.append(m)
        if found:
            return found
        ring = nxt
    return []
