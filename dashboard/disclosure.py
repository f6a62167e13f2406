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
   published member of a constraint through that cell with the smallest base.

Guarantee: no hidden cell is determined by the published cells through the constraints given
(checked exactly, with rational arithmetic). Limits: the constraints are the tables the product
publishes; bounds (a hidden count must lie between 0 and a published total) can narrow a hidden
figure to a range without pinning it. A cell nobody is in (base 0) is published as 'z'.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Hashable, Iterable

import yaml
from pydantic import BaseModel, ConfigDict

CONFIG = Path(__file__).resolve().parent / "disclosure.yaml"

OK, HIDDEN, EMPTY = "ok", "c", "z"
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

    @property
    def hidden(self) -> bool:
        return self.status == HIDDEN


@dataclass
class Family:
    """Cells that can be added and subtracted together, with the constraints that tie them."""

    cells: dict[Hashable, Cell] = field(default_factory=dict)
    constraints: list[tuple[Hashable, tuple[Hashable, ...]]] = field(default_factory=list)  # (total, parts)

    def add(self, cell: Cell) -> None:
        self.cells[cell.id] = cell

    def tie(self, total: Hashable, parts: Iterable[Hashable]) -> None:
        parts = tuple(p for p in parts if p in self.cells)
        if total in self.cells and parts:
            self.constraints.append((total, parts))


def primary(cell: Cell, r: Rules) -> None:
    """Primary suppression of one cell, in place."""
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
    if cell.share and not cell.people and cell.base <= r.uniform_answer_max_base and cell.numerator in (0, cell.base):
        cell.status, cell.reason = HIDDEN, "everyone in a small group answered the same way"
        return
    cell.low_base = cell.share and cell.base <= r.low_base_max


def determined(family: Family) -> list[Hashable]:
    """Hidden cells whose values follow exactly from published cells through the constraints.

    Each constraint total - sum(parts) = 0 becomes an equation in the hidden cells (published
    cells are known numbers). A hidden cell is determined iff its unit vector lies in the row
    space of that system: after reduction, some row has its only non-zero entry in that cell's
    column. Exact rational arithmetic; no tolerance."""
    hidden = [cid for cid, c in family.cells.items() if c.hidden]
    if not hidden:
        return []
    index = {cid: i for i, cid in enumerate(hidden)}
    rows: list[dict[int, Fraction]] = []
    for total, parts in family.constraints:
        row: dict[int, Fraction] = defaultdict(Fraction)
        for cid, coef in [(total, 1), *[(p, -1) for p in parts]]:
            if cid in index:
                row[index[cid]] += coef
        row = {k: v for k, v in row.items() if v != 0}
        if row:
            rows.append(row)
    # Gauss-Jordan elimination on sparse rows.
    pivots: dict[int, dict[int, Fraction]] = {}
    for row in rows:
        row = dict(row)
        for col, prow in pivots.items():
            if col in row:
                f = row[col]
                for k, v in prow.items():
                    row[k] = row.get(k, Fraction(0)) - f * v
                row = {k: v for k, v in row.items() if v != 0}
        if not row:
            continue
        col = min(row)
        lead = row[col]
        row = {k: v / lead for k, v in row.items()}
        for pcol, prow in list(pivots.items()):
            if col in prow:
                f = prow[col]
                new = dict(prow)
                for k, v in row.items():
                    new[k] = new.get(k, Fraction(0)) - f * v
                pivots[pcol] = {k: v for k, v in new.items() if v != 0}
        pivots[col] = row
    return [hidden[col] for col, prow in pivots.items() if len(prow) == 1]


def _exposed_through(family: Family, cid: Hashable) -> int:
    """How many constraints through `cid` have exactly one hidden member."""
    n = 0
    for total, parts in family.constraints:
        members = (total, *parts)
        if cid in members and sum(family.cells[m].hidden for m in members) == 1:
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
            rank = (cid == total, -_exposed_through(family, cid), c.base, c.numerator, str(cid))
            if best_rank is None or rank < best_rank:
                best, best_rank = c, rank
    if best is None:
        return False
    best.status, best.reason = HIDDEN, "hidden so that another hidden figure cannot be worked out"
    best.low_base = False
    return True


def protect(family: Family, r: Rules | None = None) -> Family:
    """Apply primary then secondary suppression to a family, in place."""
    r = r or rules()
    for cell in family.cells.values():
        primary(cell, r)
    # Fast pass: a constraint with exactly one hidden member gives that member away.
    changed = True
    while changed:
        changed = False
        for total, parts in family.constraints:
            members = (total, *parts)
            hidden = [m for m in members if family.cells[m].hidden]
            if len(hidden) == 1 and _hide_smallest(family, [(total, parts)]):
                changed = True
        if not changed:
            for cid in determined(family):
                through = [(t, p) for t, p in family.constraints if cid == t or cid in p]
                if _hide_smallest(family, through):
                    changed = True
                    break
    return family
