"""From atoms to gated cells: every cut the product can publish, tied by the constraints that
make them add up, passed through the disclosure gate as whole families.

A family is one indicator, wave, survey (and category set): all its LAs, the pool of LAs, every
age band, every breakdown group. The gate always sees the whole family, whatever a user asked
for, so a figure has one status whichever page, download or command shows it.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict

import polars as pl

from dashboard import __version__
from dashboard.disclosure import Cell, Family, Rules, primary, protect, rules
from dashboard.engine.atoms import Atoms

POOL = "pool"          # la_code of the pooled cells (all LAs loaded)
ALL = "all"
KEYS = ["la_code", "wave", "survey", "cohort", "age_band", "breakdown", "group", "category"]


def _expand_age_bands(frame: pl.DataFrame, has_age_bands: bool) -> pl.DataFrame:
    if not has_age_bands:
        return frame.with_columns(pl.lit(ALL).alias("age_band"))
    return pl.concat([frame, frame.with_columns(pl.lit(ALL).alias("age_band"))])


def cut(atoms: Atoms, pool: bool = True) -> pl.DataFrame:
    """Every publishable cell (numerator, base, not_answered) of an indicator, with the pool of all
    LAs unless `pool` is False (the gate pools only published figures: gate_many)."""
    frame = _expand_age_bands(atoms.frame, atoms.has_age_bands)
    if pool and atoms.shape == "rate" and atoms.pool:
        # The pool of all LAs is a comparator for rates. Distributions (PN codes, scores) are read
        # within an LA and have none: an all-LA total of every category would tie every LA's
        # small categories to every other's, and hide far more than it shows.
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
    if atoms.has_age_bands:
        # Publication policy: a breakdown (gender, placement, source...) is published across all
        # ages (all years for themes) only; an age band shows its whole group. Crossing the two
        # makes cells of a handful of people, and tables tied two ways that need far more hiding.
        out = out.filter((pl.col("breakdown") == "") | (pl.col("age_band") == ALL))
    return out.with_columns(pl.lit(atoms.indicator_id).alias("indicator_id"))


def _order(value) -> tuple:
    """A sort key for LA codes, bands, groups and categories (a group may be None)."""
    return (value is None, str(value))


NOT_ANSWERED = "~na"   # category of a group's not-answered count (records about people)


def _family_constraints(family: Family, ids: list[tuple], atoms: Atoms, categories: bool = True) -> None:
    """Tie totals to their parts. ids: (indicator_id, la_code, age_band, breakdown, group, category).

    Everything is visited in sorted order, never in set or hash order: the gate then makes the
    same choices in every process (the app and the CLI must hide the same figures)."""
    present = set(ids)
    by_la_cat = defaultdict(list)
    for iid, la, band, bd, grp, cat in ids:
        by_la_cat[(iid, la, cat)].append((band, bd, grp))
    las = sorted({i[1] for i in ids}, key=_order)
    for (iid, la, cat), members in sorted(by_la_cat.items(),
                                          key=lambda kv: (kv[0][0], _order(kv[0][1]), _order(kv[0][2]))):
        bands = sorted({b for b, _, _ in members if b != ALL}, key=_order)
        for band in sorted({b for b, _, _ in members}, key=_order):
            for bd in atoms.dims:  # breakdown groups add up to the whole group
                parts = [(iid, la, band, bd, g, cat) for b, d, g in members if b == band and d == bd]
                family.tie((iid, la, band, "", ALL, cat), parts)
        if atoms.has_age_bands and bands:  # age bands add up to all ages, for the whole group and each group
            family.tie((iid, la, ALL, "", ALL, cat), [(iid, la, b, "", ALL, cat) for b in bands])
            for bd in atoms.dims:
                for grp in sorted({g for b, d, g in members if d == bd}, key=_order):
                    family.tie((iid, la, ALL, bd, grp, cat), [(iid, la, b, bd, grp, cat) for b in bands])
    if categories and atoms.shape == "distribution":  # categories add up to the group's total
        cats = defaultdict(list)
        for iid, la, band, bd, grp, cat in ids:
            if cat:
                cats[(iid, la, band, bd, grp)].append((iid, la, band, bd, grp, cat))
        for (iid, la, band, bd, grp), parts in cats.items():
            family.tie((iid, la, band, bd, grp, ""), parts)
            family.shows((iid, la, band, bd, grp, ""), parts)  # each category is shown with the total as base
    # Each LA is part of the pool.
    for iid, la, band, bd, grp, cat in ids:
        if la == POOL:
            family.tie((iid, POOL, band, bd, grp, cat), [(iid, l, band, bd, grp, cat) for l in las
                                                         if l != POOL and (iid, l, band, bd, grp, cat) in present])


def _earlier(previous: dict[str, pl.DataFrame] | None) -> dict[tuple, list[tuple[int, int]]]:
    """(indicator, wave, survey, la, band, breakdown, group, category) -> earlier published
    (numerator, base) values, from dashboard.ledger.previous_release."""
    out: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for iid, frame in (previous or {}).items():
        for wave, survey, la, band, bd, grp, cat, num, base in frame.select(
                "wave", "survey", "la_code", "age_band", "breakdown", "group", "category", "numerator",
                "base").iter_rows():
            out[(iid, wave, survey, la, band, bd, grp, cat or "")].append((int(num), int(base)))
    return out


def _change_fails(cell: Cell, earlier: list[tuple[int, int]], r: Rules) -> bool:
    """Does the change from any earlier published value to this cell fail the primary rules? The
    change is who arrived or left between releases: a difference of 1 respondent is that child."""
    for num0, base0 in earlier:
        dn, db = cell.numerator - num0, cell.base - base0
        if dn == 0 and db == 0:
            continue
        if cell.share:
            change = Cell("change", abs(dn), abs(db), people=cell.people, share=True,
                          counts=(abs(dn), abs(db - dn)) if cell.people and cell.counts and len(cell.counts) == 2
                          else (abs(dn),) if cell.people else None)
        else:
            change = Cell("change", abs(dn), abs(dn), people=cell.people, share=False, counts=(abs(dn),))
        primary(change, r)
        if change.status != "ok":
            return True
    return False


def family_digest(family: Family, r: Rules) -> str:
    """Everything the gate's choice for a family depends on: its cells and their counts, the ties
    between them, the figures forced hidden by earlier releases, the rules and the tool's version. Equal digests give
    equal statuses (the gate is deterministic), so a family whose digest is unchanged since the last
    publish keeps the statuses it was given then (`GateState`) instead of being gated again."""
    h = hashlib.sha256((__version__ + r.model_dump_json()).encode())
    for cid in sorted(family.cells, key=repr):
        c = family.cells[cid]
        h.update(repr((cid, c.numerator, c.base, c.people, c.share, c.counts, c.size)).encode())
    for part in (family.constraints, sorted(family.shown_by.items(), key=repr),
                 sorted(family.aliases.items(), key=repr), sorted(family.forced, key=repr)):
        h.update(repr(part).encode())
    return h.hexdigest()[:32]


class GateState:
    """The statuses the last publish gave each family, with the family's digest: no counts, only
    what the gate decided (the published tables hold the figures). `kept` rows: indicator_id, wave,
    survey, la_code, age_band, breakdown, group, category, status, reason, low_base, digest."""

    def __init__(self, kept: pl.DataFrame | None = None):
        self.by_family: dict[tuple, dict[tuple, tuple]] = defaultdict(dict)
        if kept is not None:
            for iid, wave, survey, la, band, bd, grp, cat, status, reason, low, digest in kept.iter_rows():
                self.by_family[(wave, survey, la)][(iid, la, band, bd, grp, cat)] = (status, reason, low, digest)
        self.rows: list[tuple] = []      # this publish's statuses, to store for the next one
        self.reused = self.gated = 0

    def reuse(self, key: tuple, family: Family, digest: str) -> bool:
        """Give `family` the statuses stored for it when nothing it depends on has changed."""
        stored = self.by_family.get(key, {})
        found = [stored.get(cid) for cid in family.cells]
        if not found or any(f is None or f[3] != digest for f in found):
            return False
        for cell, (status, reason, low, _) in zip(family.cells.values(), found):
            cell.status, cell.reason, cell.low_base = status, reason or "", bool(low)
        return True

    def keep(self, key: tuple, family: Family, digest: str) -> None:
        wave, survey, _la = key
        self.rows.extend((cid[0], wave, survey, *cid[1:], c.status, c.reason, c.low_base, digest)
                         for cid, c in family.cells.items())

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.rows, orient="row", schema=GATE_STATE_SCHEMA)


GATE_STATE_SCHEMA = {"indicator_id": pl.String, "wave": pl.Int32, "survey": pl.String, "la_code": pl.String,
                     "age_band": pl.String, "breakdown": pl.String, "group": pl.String, "category": pl.String,
                     "status": pl.String, "reason": pl.String, "low_base": pl.Boolean, "digest": pl.String}


def gate_many(members: list[Atoms], link=None, r: Rules | None = None,
              previous: dict[str, pl.DataFrame] | None = None,
              state: GateState | None = None) -> dict[str, pl.DataFrame]:
    """Gate indicators that count the same people as ONE family per wave, survey and LA, so that no
    figure hidden in one can be worked out with figures published in another. `link(family,
    ids_by_indicator)` adds the constraints that tie the indicators together. `previous`
    (dashboard.ledger.previous_release): figures already published in earlier releases; a figure
    whose change since one of them fails the primary rules is hidden (then protected as usual).

    Each LA is a family of its own: nothing published ties one LA's figures to another's. The pool
    of all LAs (a comparator for rates) is the sum of the LA figures that are published (see
    `pool_of_published`), so it says nothing about a hidden one.

    For records about identifiable people, each group's not-answered count is a figure of its own
    (category NOT_ANSWERED), gated like the others; the result says its status in `na_status`.

    `state` (the publish step's GateState): a family unchanged since the last publish keeps its
    statuses, so a load of one LA gates only that LA's families again."""
    r = r or rules()
    # Only these members' earlier figures: the ledger holds every indicator's, and reading all of
    # them for each indicator made publishing grow with indicators x ledger size.
    ids = {a.indicator_id for a in members}
    earlier = _earlier({iid: f for iid, f in (previous or {}).items() if iid in ids})
    cut_frames = {a.indicator_id: cut(a, pool=False).sort(KEYS, nulls_last=True) for a in members}
    parts = {iid: f.partition_by(["wave", "survey", "la_code"], as_dict=True, maintain_order=True)
             for iid, f in cut_frames.items()}
    families = sorted({k for p in parts.values() for k in p},
                      key=lambda k: (k[0], _order(k[1]), _order(k[2])))
    statuses: dict[str, list] = {a.indicator_id: [] for a in members}
    for key in families:
        wave, survey, _la = key
        family = Family()
        ids_by: dict[str, list[tuple]] = {}
        for atoms in members:
            frame = parts[atoms.indicator_id].get(key)
            if frame is None:
                continue
            ids, na_ids = [], []
            for la, band, bd, grp, cat, num, base, na in frame.select(
                    "la_code", "age_band", "breakdown", "group", "category", "numerator", "base",
                    "not_answered").iter_rows():
                cid = (atoms.indicator_id, la, band, bd, grp, cat)
                ids.append(cid)
                is_share = not (atoms.shape == "distribution" and cat == "")
                counts = None
                if atoms.people:
                    counts = ((num,) if cat else (num, base - num)) if is_share else (base,)
                cell = Cell(cid, int(num), int(base), people=atoms.people, share=is_share, counts=counts,
                            size=int(num) if cat else None)
                family.add(cell)
                before = earlier.get((atoms.indicator_id, wave, survey, la, band, bd, grp, cat or ""))
                if before and _change_fails(cell, before, r):
                    family.forced.add(cid)
                if atoms.people and cat == "":
                    na_id = (atoms.indicator_id, la, band, bd, grp, NOT_ANSWERED)
                    na_ids.append(na_id)
                    family.add(Cell(na_id, int(na or 0), int(na or 0), people=True, share=False, counts=(int(na or 0),)))
            _family_constraints(family, ids, atoms)
            if na_ids:
                _family_constraints(family, na_ids, atoms, categories=False)
            ids_by[atoms.indicator_id] = ids
        if link is not None:
            link(family, ids_by)
        digest = family_digest(family, r) if state is not None else ""
        if state is None or not state.reuse(key, family, digest):
            protect(family, r)
            if state is not None:
                state.gated += 1
        else:
            state.reused += 1
        if state is not None:
            state.keep(key, family, digest)
        for cid, c in family.cells.items():
            if cid[0] in statuses:
                statuses[cid[0]].append((wave, survey, *cid[1:], c.status, c.reason, c.low_base))
    out = {}
    schema = {"wave": pl.Int32, "survey": pl.String, "la_code": pl.String, "age_band": pl.String,
              "breakdown": pl.String, "group": pl.String, "category": pl.String,
              "status": pl.String, "reason": pl.String, "low_base": pl.Boolean}
    on = ["wave", "survey", "la_code", "age_band", "breakdown", "group", "category"]
    for atoms in members:
        gated = pl.DataFrame(statuses[atoms.indicator_id], orient="row", schema=schema)
        na = (gated.filter(pl.col("category") == NOT_ANSWERED)
              .select([c for c in on if c != "category"] + [pl.col("status").alias("na_status")]))
        gated = gated.filter(pl.col("category") != NOT_ANSWERED)
        frame = cut_frames[atoms.indicator_id].join(gated, on=on, how="left", nulls_equal=True)
        if atoms.people:
            frame = frame.join(na, on=[c for c in on if c != "category"], how="left", nulls_equal=True)
        else:
            frame = frame.with_columns(pl.col("status").alias("na_status"))
        if atoms.shape == "rate" and atoms.pool:
            frame = pl.concat([frame, pool_of_published(frame, r)], how="diagonal_relaxed")
        out[atoms.indicator_id] = frame
    return out


def pool_of_published(frame: pl.DataFrame, r: Rules) -> pl.DataFrame:
    """The pool of all LAs for each wave, age band and group: the sum of the LA figures that are
    published there, and how many LAs that is (`pool_las`). Every part is a published figure, so
    the pool tells nobody anything the LA figures do not (a pool of every LA would give away a
    hidden LA figure as the pool less the published ones). A not-answered count is pooled only
    when every LA in the pool publishes its own."""
    by = ["wave", "survey", "cohort", "age_band", "breakdown", "group", "category", "indicator_id"]
    shown = frame.filter((pl.col("la_code") != POOL) & (pl.col("status") == "ok"))
    pool = shown.group_by(by, maintain_order=True).agg(
        pl.col("numerator").sum(), pl.col("base").sum(), pl.col("not_answered").sum(),
        pl.col("na_status").is_in(["ok", "z"]).all().alias("na_ok"), pl.len().cast(pl.Int32).alias("pool_las"))
    rows = []   # a group no LA publishes has no pool figure at all
    for num, base, na_ok in pool.select("numerator", "base", "na_ok").iter_rows():
        cell = Cell("pool", int(num), int(base))
        primary(cell, r)
        rows.append((cell.status, cell.reason, cell.low_base, cell.status if na_ok else "c"))
    extra = pl.DataFrame(rows, orient="row", schema={"status": pl.String, "reason": pl.String,
                                                     "low_base": pl.Boolean, "na_status": pl.String})
    return pl.concat([pool.drop("na_ok"), extra], how="horizontal").with_columns(pl.lit(POOL).alias("la_code"))


def gate(atoms: Atoms, r: Rules | None = None) -> pl.DataFrame:
    """The indicator's cells with status, reason and low-base flag, after the disclosure gate."""
    return gate_many([atoms], r=r)[atoms.indicator_id]
