"""From atoms to gated cells: every cut the product can publish, tied by the constraints that
make them add up, passed through the disclosure gate as whole families.

A family is one indicator, wave, survey (and category set): all its LAs, the pool of LAs, every
age band, every breakdown group. The gate always sees the whole family, whatever a user asked
for, so a figure has one status whichever page, download or command shows it.
"""
from __future__ import annotations

from collections import defaultdict

import polars as pl

from dashboard.disclosure import Cell, Family, Rules, protect, rules
from dashboard.engine.atoms import Atoms

POOL = "pool"          # la_code of the pooled cells (all LAs loaded)
ALL = "all"
KEYS = ["la_code", "wave", "survey", "cohort", "age_band", "breakdown", "group", "category"]


def _expand_age_bands(frame: pl.DataFrame, has_age_bands: bool) -> pl.DataFrame:
    if not has_age_bands:
        return frame.with_columns(pl.lit(ALL).alias("age_band"))
    return pl.concat([frame, frame.with_columns(pl.lit(ALL).alias("age_band"))])


def cut(atoms: Atoms) -> pl.DataFrame:
    """Every publishable cell (numerator, base, not_answered) of an indicator, pool included."""
    frame = _expand_age_bands(atoms.frame, atoms.has_age_bands)
    frame = pl.concat([frame, frame.with_columns(pl.lit(POOL).alias("la_code"))])
    keys = ["la_code", "wave", "survey", "cohort", "age_band"]
    parts = []
    for breakdown in ["", *atoms.dims]:
        group = pl.col(breakdown).cast(pl.String) if breakdown else pl.lit(ALL)
        f = frame.with_columns(group.alias("group"), pl.lit(breakdown).alias("breakdown"))
        by = [*keys, "breakdown", "group"]
        if atoms.shape == "rate":
            parts.append(f.group_by(by).agg(pl.col("positive").sum().alias("numerator"),
                                            pl.col("answered").sum().alias("base"),
                                            pl.col("not_answered").sum().alias("not_answered"))
                         .with_columns(pl.lit("").alias("category")))
        else:
            totals = f.group_by(by).agg(pl.col("n").filter(pl.col("category").is_not_null()).sum().alias("base"),
                                        pl.col("n").filter(pl.col("category").is_null()).sum().alias("not_answered"))
            per_cat = (f.filter(pl.col("category").is_not_null())
                       .group_by([*by, "category"]).agg(pl.col("n").sum().alias("numerator")))
            cats = per_cat.join(totals, on=by, nulls_equal=True)
            parts.append(pl.concat([
                totals.with_columns(pl.col("base").alias("numerator"), pl.lit("").alias("category")),
                cats,
            ], how="diagonal_relaxed"))
    out = pl.concat(parts, how="diagonal_relaxed").select(KEYS + ["numerator", "base", "not_answered"])
    return out.with_columns(pl.lit(atoms.indicator_id).alias("indicator_id"))


def _order(value) -> tuple:
    """A sort key for LA codes, bands, groups and categories (a group may be None)."""
    return (value is None, str(value))


def _family_constraints(family: Family, ids: list[tuple], atoms: Atoms) -> None:
    """Tie totals to their parts. ids: (la_code, age_band, breakdown, group, category).

    Everything is visited in sorted order, never in set or hash order: the gate then makes the
    same choices in every process (the app and the CLI must hide the same figures)."""
    present = set(ids)
    by_la_cat = defaultdict(list)
    for la, band, bd, grp, cat in ids:
        by_la_cat[(la, cat)].append((band, bd, grp))
    las = sorted({i[0] for i in ids}, key=_order)
    for (la, cat), members in sorted(by_la_cat.items(), key=lambda kv: (_order(kv[0][0]), _order(kv[0][1]))):
        bands = sorted({b for b, _, _ in members if b != ALL}, key=_order)
        for band in sorted({b for b, _, _ in members}, key=_order):
            for bd in atoms.dims:  # breakdown groups add up to the whole group
                parts = [(la, band, bd, g, cat) for b, d, g in members if b == band and d == bd]
                family.tie((la, band, "", ALL, cat), parts)
        if atoms.has_age_bands and bands:  # age bands add up to all ages, for the whole group and each group
            family.tie((la, ALL, "", ALL, cat), [(la, b, "", ALL, cat) for b in bands])
            for bd in atoms.dims:
                for grp in sorted({g for b, d, g in members if d == bd}, key=_order):
                    family.tie((la, ALL, bd, grp, cat), [(la, b, bd, grp, cat) for b in bands])
    if atoms.shape == "distribution":  # categories add up to the group's total
        cats = defaultdict(list)
        for la, band, bd, grp, cat in ids:
            if cat:
                cats[(la, band, bd, grp)].append((la, band, bd, grp, cat))
        for (la, band, bd, grp), parts in cats.items():
            family.tie((la, band, bd, grp, ""), parts)
            family.shows((la, band, bd, grp, ""), parts)  # each category is shown with the total as base
    # Each LA is part of the pool.
    for la, band, bd, grp, cat in ids:
        if la == POOL:
            family.tie((POOL, band, bd, grp, cat), [(l, band, bd, grp, cat) for l in las
                                                    if l != POOL and (l, band, bd, grp, cat) in present])


def gate(atoms: Atoms, r: Rules | None = None) -> pl.DataFrame:
    """The indicator's cells with status, reason and low-base flag, after the disclosure gate."""
    r = r or rules()
    cells = cut(atoms)
    statuses = []
    # Cells in one fixed order, whatever order the database returned the atoms in: the gate's
    # choices then never depend on it, so every call hides the same figures.
    cells = cells.sort(KEYS, nulls_last=True)
    for (wave, survey), fam_frame in cells.group_by(["wave", "survey"], maintain_order=True):
        family = Family()
        ids = []
        for la, band, bd, grp, cat, num, base in fam_frame.select(
                "la_code", "age_band", "breakdown", "group", "category", "numerator", "base").iter_rows():
            cid = (la, band, bd, grp, cat)
            ids.append(cid)
            is_share = not (atoms.shape == "distribution" and cat == "")
            counts = None
            if atoms.people:
                counts = ((num,) if cat else (num, base - num)) if is_share else (base,)
            family.add(Cell(cid, int(num), int(base), people=atoms.people, share=is_share, counts=counts))
        _family_constraints(family, ids, atoms)
        protect(family, r)
        for cid, c in family.cells.items():
            statuses.append((wave, survey, *cid, c.status, c.reason, c.low_base))
    gated = pl.DataFrame(statuses, orient="row", schema={
        "wave": pl.Int32, "survey": pl.String, "la_code": pl.String, "age_band": pl.String,
        "breakdown": pl.String, "group": pl.String, "category": pl.String,
        "status": pl.String, "reason": pl.String, "low_base": pl.Boolean})
    return cells.join(gated, on=["wave", "survey", "la_code", "age_band", "breakdown", "group", "category"],
                      how="left", nulls_equal=True)
