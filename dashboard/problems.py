"""Problems found in an input file, reported in plain English.

Every problem names the file, the row (the spreadsheet row: the header is row 1), the
column, the value found and what was expected. Loaders collect all problems before they
give up, so a user can fix a file in one go.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

ROW = "__row"  # column added by the readers: the row number a spreadsheet would show


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        found = ""
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            found = f"found '{shown}'" if shown != "" else "found a blank"
        text = ", ".join(where) + ": "
        return text + (f"{found}; expected {self.expected}" if found else self.expected)


@dataclass
class Problems:
    """Keeps the first `keep` problems and counts all of them."""

    keep: int = 500
    items: list[Problem] = field(default_factory=list)
    total: int = 0

    def add(self, file: str, row: int | None, column: str | None, value: object, expected: str) -> None:
        self.total += 1
        if len(self.items) < self.keep:
            self.items.append(Problem(file, row, column, None if value is None else str(value), expected))

    def add_rows(self, file: str, bad: pl.DataFrame, column: str, expected: str, value_column: str | None = None) -> None:
        """Add one problem per row of `bad` (which carries the row number column)."""
        if bad.height == 0:
            return
        value_column = value_column or column
        room = max(self.keep - len(self.items), 0)
        for rec in bad.head(room).select(ROW, value_column).iter_rows():
            value = rec[1]
            self.items.append(Problem(file, rec[0], column, "" if value is None else str(value), expected))
        self.total += bad.height

    def extend(self, other: "Problems") -> None:
        for p in other.items:
            if len(self.items) < self.keep:
                self.items.append(p)
        self.total += other.total

    def __bool__(self) -> bool:
        return self.total > 0

    def render(self, cap: int = 50) -> str:
        ordered = sorted(self.items, key=lambda p: (p.file, p.row if p.row is not None else 0))
        lines = [f"- {p}" for p in ordered[:cap]]
        more = self.total - min(cap, len(self.items))
        if more > 0:
            lines.append(f"... and {more} more problem{'s' if more != 1 else ''} not shown")
        return "\n".join(lines)


class LoadRejected(Exception):
    """The input breaks the contract: nothing was written."""

    def __init__(self, problems: Problems, summary: str = ""):
        self.problems = problems
        self.summary = summary
        super().__init__(summary or f"{problems.total} problem(s)")


class UserError(Exception):
    """A problem the user can fix (bad path, locked database ...): shown without a traceback."""
