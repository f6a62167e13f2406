"""The release ledger: every figure the publish step gated, release by release.

An attacker keeps every release. Subtracting a figure shown before from the same figure shown
now gives the answers of the people who arrived (or left) in between: one more respondent after a
`--replace` load, and the difference is that child's answer. So a new release is gated with what
was already published (`dashboard.engine.cells.gate_many(..., previous=previous_release(...))`):
a figure whose change since an earlier published value fails the primary rules (fewer than 10
people changed, a change of 1 to 5 records, everyone who changed answered alike) is hidden in the
new release, and secondary suppression then protects it as any other hidden figure.

The publish step calls, inside its load transaction:
    previous = ledger.previous_release(con, indicator_ids)
    gated = gate_many(members, link, previous=previous)
    ledger.record_release(con, release_id, gated)
"""
from __future__ import annotations

from datetime import datetime, timezone

import polars as pl

from dashboard import store

COLUMNS = ["indicator_id", "wave", "survey", "la_code", "age_band", "breakdown", "group", "category",
           "numerator", "base", "status"]


def previous_release(con, indicator_ids: list[str]) -> dict[str, pl.DataFrame]:
    """indicator id -> every distinct figure already published for it (any release): columns wave,
    survey, la_code, age_band, breakdown, group, category, numerator, base."""
    ids = sorted(set(indicator_ids))
    frame = store.frame(con, store.sql("previous_release"), {"indicator_ids": ids})
    out = {}
    for iid in ids:
        out[iid] = frame.filter(pl.col("indicator_id") == iid).drop("indicator_id")
    return out


def record_release(con, release_id: str, gated: dict[str, pl.DataFrame],
                   released_at: datetime | None = None) -> int:
    """Write every gated cell of every indicator in `gated` (gate_many's result) to the ledger
    under `release_id`. Runs in the caller's transaction. Returns the number of cells written."""
    released_at = released_at or datetime.now(timezone.utc).replace(tzinfo=None)
    frames = []
    for iid, frame in sorted(gated.items()):
        frames.append(frame.with_columns(pl.lit(iid).alias("indicator_id"))
                      .select([pl.col(c) for c in COLUMNS])
                      .with_columns(pl.col("wave").cast(pl.Int32), pl.col("numerator").cast(pl.Int64),
                                    pl.col("base").cast(pl.Int64), pl.col("category").fill_null("")))
    if not frames:
        return 0
    incoming = pl.concat(frames)
    con.register("release_incoming", incoming.to_arrow())
    try:
        con.execute(store.sql("record_release"), {"release_id": release_id, "released_at": released_at})
    finally:
        con.unregister("release_incoming")
    return incoming.height
