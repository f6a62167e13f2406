"""Participation (PN) codes of reviews: what each code means, and the crosswalk between schemes.

Two schemes are in use (product specification 3.3): `current`, the SSDA903 codes PN0 to PN7, and
`recommended`, the 2023 proposal, PN1 to PN8. This module is the one place the dashboard keeps
their meanings and the crosswalk; queries/pn_codes_in_scheme.sql applies the same crosswalk in
SQL, and tests/test_pages_measures.py checks the two agree.
"""
from __future__ import annotations

import polars as pl

SCHEMES = {"recommended": "Recommended codes (2023 proposal)", "current": "Current codes (SSDA903, in use)"}

# Plain descriptions, as a participation worker would say them.
CURRENT = {
    "PN0": "Child was under 4 at the time of the review",
    "PN1": "Attends and speaks for themselves",
    "PN2": "Attends, and an advocate speaks for them",
    "PN3": "Attends and shares their views without words",
    "PN4": "Attends but does not speak, share views or ask an advocate",
    "PN5": "Does not attend, but briefs an advocate to speak for them",
    "PN6": "Does not attend, but shares their views another way",
    "PN7": "Does not attend, and their views are not shared",
}
RECOMMENDED = {
    "PN1": "Attends and gives their views in words",
    "PN2": "Attends and gives their views without words",
    "PN3": "Attends, and an advocate speaks for them",
    "PN4": "Does not attend; an advocate attends and speaks for them",
    "PN5": "Does not attend; gives their views another way (written, recording, an app, a trusted person)",
    "PN6": "Attends, but gives no views and has no advocate",
    "PN7": "Chooses not to take part in any way",
    "PN8": "The chair decided there is a good reason the child cannot take part",
}
MEANINGS = {"current": CURRENT, "recommended": RECOMMENDED}
SHORT = {"recommended": "recommended codes", "current": "current codes (SSDA903)"}

# Current code -> the recommended code(s) it may be. One code: it maps. Two: they cannot be told
# apart, so the review cannot be mapped. None: there is no recommended code for it.
CROSSWALK: dict[str, tuple[str, ...]] = {
    "PN0": (),
    "PN1": ("PN1",),
    "PN2": ("PN3",),
    "PN3": ("PN2",),
    "PN4": ("PN6",),
    "PN5": ("PN4",),
    "PN6": ("PN5",),
    "PN7": ("PN7", "PN8"),
}
WHY_NOT_MAPPED = {
    "PN0": "The recommended scheme has no code for children under 4: every child should have the chance "
           "to take part.",
    "PN7": "Could be recommended PN7 (chose not to take part) or PN8 (the chair decided they could not): "
           "the current code cannot tell them apart.",
}


def to_recommended(code: str) -> str | None:
    """The recommended code of a current code, or None when it cannot be mapped."""
    found = CROSSWALK.get(code, ())
    return found[0] if len(found) == 1 else None


def to_current(code: str) -> str | None:
    """The current code of a recommended code (recommended PN7 and PN8 are both current PN7)."""
    for current, recommended in CROSSWALK.items():
        if code in recommended:
            return current
    return None


def codes(scheme: str) -> list[str]:
    return list(MEANINGS[scheme])


def describe(scheme: str, code: str) -> str:
    return MEANINGS[scheme].get(code, code)


def crosswalk_table() -> pl.DataFrame:
    """The crosswalk from current to recommended codes, one row per current code, in plain words."""
    rows = []
    for current, recommended in CROSSWALK.items():
        rows.append({
            "Current code": current,
            "What it means": CURRENT[current],
            "Recommended code": " or ".join(recommended) if recommended else "none",
            "What that means": " / ".join(RECOMMENDED[r] for r in recommended) if recommended else "",
            "Mapped?": "yes" if len(recommended) == 1 else "no: " + WHY_NOT_MAPPED[current],
        })
    return pl.DataFrame(rows)
