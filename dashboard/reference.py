"""The reference table of English local authorities: codes old and new, names, regions,
and the reorganisations that retired some of them (data/reference/la_codes.csv)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import polars as pl

from dashboard import paths


@dataclass(frozen=True)
class LocalAuthority:
    la_code: str
    old_la_code: str
    la_name: str
    region_code: str
    region_name: str
    status: str  # current | recoded | reorganised
    successor_codes: tuple[str, ...]
    changed_on: date | None
    note: str

    @property
    def ceased_year(self) -> int | None:
        return self.changed_on.year if self.status == "reorganised" and self.changed_on else None


class LaReference:
    def __init__(self, las: list[LocalAuthority]):
        self.by_code = {la.la_code: la for la in las}
        # A 3-digit code can name an area before and after a recoding: the current code wins.
        self._canonical: dict[str, str] = {}
        for la in sorted(las, key=lambda la: la.status != "current"):
            target = la.la_code
            if la.status == "recoded":
                target = la.successor_codes[0]
            self._canonical.setdefault(la.old_la_code, target)
            self._canonical[la.la_code] = target
        self.regions = {la.region_code: la.region_name for la in las}

    def canonical(self, code: str | None) -> str | None:
        """The 9-character code an area is known by today (None if unknown)."""
        if code is None:
            return None
        return self._canonical.get(code.strip().upper())

    def mapping(self) -> dict[str, str]:
        return dict(self._canonical)

    def name(self, code: str) -> str:
        la = self.by_code.get(code)
        return la.la_name if la else code

    def label(self, code: str) -> str:
        return f"{self.name(code)} ({code})"

    def current(self) -> list[LocalAuthority]:
        return [la for la in self.by_code.values() if la.status == "current"]

    def canonical_expr(self, column: str) -> pl.Expr:
        """Polars expression: the canonical code of `column`, null where unknown."""
        return pl.col(column).str.to_uppercase().replace_strict(self._canonical, default=None,
                                                                 return_dtype=pl.String)


@lru_cache(maxsize=1)
def la_reference() -> LaReference:
    las = []
    with (paths.REFERENCE / "la_codes.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            las.append(LocalAuthority(
                la_code=r["new_la_code"], old_la_code=r["old_la_code"], la_name=r["la_name"],
                region_code=r["region_code"], region_name=r["region_name"], status=r["status"],
                successor_codes=tuple(c for c in r["successor_codes"].split(";") if c),
                changed_on=date.fromisoformat(r["changed_on"]) if r["changed_on"] else None,
                note=r["note"],
            ))
    return LaReference(las)
