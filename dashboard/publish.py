"""Publish once, read many: every figure the product can show, computed and gated when data
changes, stored in the published tables, and read by every page, command and report as lookups.

`publish(con)` runs inside the caller's transaction (a load calls it just before its COMMIT), so
a reader never sees figures from a half-applied load, and a load that fails leaves the published
tables exactly as they were. It computes, for every indicator of the catalogue:
- survey and record measures: every LA and the pool of all LAs, every wave, cohort, age band,
  breakdown group and category, each through the disclosure gate as part of its whole family
  (dashboard.engine.figures.gate_with_linked), with interval, comparators, change and
  classification;
- DfE metrics: every LA and year with region, England and neighbour median
  (dashboard.engine.dfe.dfe_table);
- theme counts of every LA, period and breakdown (dashboard.engine.themes.gate).
Nothing ungated is stored: a hidden figure keeps its status and reason and has no number.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable, Iterable

import duckdb
import polars as pl

from dashboard import __version__, ledger, store
from dashboard.catalogue import Catalogue, DfeMetric, default_catalogue
from dashboard.disclosure import EMPTY, OK, rules
from dashboard.engine import columns as vec
from dashboard.engine.cells import ALL, POOL
from dashboard.engine.dfe import dfe_table

if TYPE_CHECKING:
    from dashboard.engine.cells import GateState

# Which figures a load of each kind can change (catalogue sources, plus the theme counts).
THEMES = "themes"
RECORD_SOURCES = {"voice_checks", "participation", "feedback", "local_measure"}
KIND_SOURCES: dict[str, set[str]] = {
    "bright-spots": {"survey"},
    "dfe": {"dfe"},
    "themes": {THEMES},
    "actions": set(),
    "voice-activities": set(),     # the register of ways the LA listens: no figures
    "feedback": RECORD_SOURCES,
    "participation": RECORD_SOURCES,
    "voice-checks": RECORD_SOURCES,
}
ALL_SOURCES = {"survey", "dfe", THEMES} | RECORD_SOURCES
# Not-answered counts that are never published: several feedback measures count the same forms, so
# one measure's not-answered count with another's figures could give away a hidden total.
NOT_ANSWERED_UNPUBLISHED = {"feedback"}
MIN_POOL_LAS = 3          # the pool is a comparator only when at least this many LAs are in it
SIGNIFICANCE = 0.05
LOCATION = ["wave", "survey", "age_band", "breakdown", "group", "category"]


@dataclass(frozen=True)
class Release:
    release_id: int
    figures: int
    hidden: int
    seconds: float
    sources: tuple[str, ...]
    families_gated: int = 0      # families of figures gated in this release
    families_kept: int = 0       # families unchanged since the last publish, statuses kept

    def describe(self) -> str:
        kept = f"; {self.families_kept:,} unchanged families kept their statuses" if self.families_kept else ""
        return (f"published {self.figures:,} figures ({self.hidden:,} hidden) "
                f"in {self.seconds:.1f} s as release {self.release_id}{kept}")


def fingerprint(catalogue: Catalogue) -> str:
    """What the published figures depend on besides the data: the catalogue, the disclosure rules
    and the tool's version. A change means the figures must be published again."""
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(rules().model_dump_json().encode())
    for ind in catalogue.indicators:
        h.update(ind.model_dump_json().encode())
    return h.hexdigest()[:16]


def sources_for(kinds: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for kind in kinds:
        out |= KIND_SOURCES.get(kind, ALL_SOURCES)
    return out


def _la_names() -> pl.DataFrame:
    from dashboard.reference import la_reference

    ref = la_reference()
    return pl.DataFrame({"la_code": list(ref.by_code), "la_name": [la.la_name for la in ref.by_code.values()]},
                        schema={"la_code": pl.String, "la_name": pl.String})


def _comparators(ind, cells: pl.DataFrame) -> pl.DataFrame:
    """The catalogue's published comparators by survey and age band (whole-group figures only)."""
    rows = []
    for survey, band in cells.select("survey", "age_band").unique().iter_rows():
        row = {"survey": survey, "age_band": band}
        for kind, prefix in (("bright_spots_national", "national"), ("general_population", "general")):
            found = next((c for c in getattr(ind, "comparators", [])
                          if c.kind == kind and c.measures == "same" and c.survey in (None, survey)
                          and c.age_band == band), None)
            row[f"{prefix}_value"] = found.value if found else None
            row[f"{prefix}_source"] = found.label if found else None
        rows.append(row)
    return pl.DataFrame(rows, schema={"survey": pl.String, "age_band": pl.String, "national_value": pl.Float64,
                                      "national_source": pl.String, "general_value": pl.Float64,
                                      "general_source": pl.String})


def figures_of(ind, atoms, cells: pl.DataFrame, sort_key: int, names: pl.DataFrame) -> pl.DataFrame:
    """Every figure of one survey or record indicator from its gated cells, vectorised."""
    f = cells if "pool_las" in cells.columns else cells.with_columns(pl.lit(None, pl.Int32).alias("pool_las"))
    if atoms.shape == "distribution":
        f = f.filter(pl.col("category") != "")   # a group's total is the base of its categories
    published = (pl.col("status") == OK) & (pl.col("base") > 0)
    f = f.with_columns(published.alias("published"),
                       (100 * pl.col("numerator") / pl.col("base")).alias("raw_value"))
    las = f.filter(pl.col("la_code") != POOL)
    # The pool (dashboard.engine.cells.pool_of_published): the LAs whose figure is published.
    pool = (f.filter((pl.col("la_code") == POOL) & pl.col("published"))
            .select(*LOCATION, pl.col("raw_value").alias("pool_value"), pl.col("pool_las").cast(pl.Int32)))
    # The previous wave of the same survey (or record measure) with any figure.
    waves = f.select("survey", "wave").unique().sort("survey", "wave", nulls_last=True)
    waves = waves.with_columns(pl.col("wave").shift(1).over("survey").alias("previous_wave"))
    prev = (las.filter(pl.col("published"))
            .select("la_code", pl.col("wave").alias("previous_wave"), *[c for c in LOCATION if c != "wave"],
                    pl.col("numerator").alias("prev_numerator"), pl.col("base").alias("prev_base"),
                    pl.col("raw_value").alias("prev_value")))
    f = (f.drop("pool_las").join(pool, on=LOCATION, how="left", nulls_equal=True)
         .join(waves, on=["survey", "wave"], how="left", nulls_equal=True)
         .join(prev, on=["la_code", "previous_wave", *[c for c in LOCATION if c != "wave"]], how="left",
               nulls_equal=True)
         .join(_comparators(ind, f), on=["survey", "age_band"], how="left", nulls_equal=True)
         .join(names, on="la_code", how="left"))
    lo, hi = vec.wilson(pl.col("numerator"), pl.col("base"))
    f = f.with_columns(lo.alias("ci_low"), hi.alias("ci_high"))
    f = f.with_columns(vec.two_proportion_p(pl.col("numerator"), pl.col("base"), pl.col("prev_numerator"),
                                            pl.col("prev_base")).alias("change_p"))
    pub = pl.col("published")
    whole = pl.col("group") == ALL
    has_pool = pub & pl.col("pool_value").is_not_null()
    national = pub & whole & pl.col("national_value").is_not_null()
    use_pool = has_pool & (pl.col("pool_las") >= MIN_POOL_LAS)
    comparator = (pl.when(use_pool).then(pl.col("pool_value")).when(national).then(pl.col("national_value")))
    compared_with = (pl.when(use_pool).then(pl.lit("all loaded LAs (pool)"))
                     .when(national).then(pl.col("national_source")))
    has_prev = pub & pl.col("prev_value").is_not_null()
    na_shown = pl.col("na_status").is_in([OK, EMPTY]) & pl.lit(ind.source not in NOT_ANSWERED_UNPUBLISHED)
    headline = pl.col("category") == ""
    out = f.select(
        pl.lit(sort_key).alias("sort_key"), pl.lit(ind.id).alias("indicator_id"), pl.lit(ind.domain).alias("domain"),
        pl.lit(ind.source).alias("source"), pl.lit(ind.title).alias("title"), "la_code", "la_name", "wave",
        "survey", "cohort", "age_band", "breakdown", pl.when(pl.col("breakdown") == "").then(pl.lit(ALL))
        .otherwise(pl.col("group")).alias("group"), "category",
        pl.when(pub).then(pl.col("raw_value")).alias("value"), "status",
        pl.when(pub).then(pl.col("numerator")).alias("numerator"), pl.when(pub).then(pl.col("base")).alias("base"),
        pl.when(pub & na_shown).then(pl.col("not_answered")).alias("not_answered"),
        pl.when(pub).then(pl.col("ci_low")).alias("ci_low"), pl.when(pub).then(pl.col("ci_high")).alias("ci_high"),
        pl.col("low_base").fill_null(False),
        pl.when(pub & headline).then(vec.classify(pl.lit(ind.polarity), pl.col("ci_low"), pl.col("ci_high"),
                                                  comparator)).alias("classification"),
        pl.when(headline).then(compared_with).alias("compared_with"),
        pl.when(headline).then(comparator).alias("comparator_value"),
        pl.when(has_pool).then(pl.col("pool_value")).alias("pool_value"),
        pl.when(has_pool).then(pl.col("pool_las")).alias("pool_las"),
        pl.when(pub & whole).then(pl.col("national_value")).alias("national_value"),
        pl.when(pub & whole & pl.col("national_value").is_not_null()).then(pl.col("national_source"))
        .alias("national_source"),
        pl.when(pub & whole).then(pl.col("general_value")).alias("general_population_value"),
        pl.lit(None, pl.Float64).alias("england_value"), pl.lit(None, pl.Float64).alias("region_value"),
        pl.lit(None, pl.Float64).alias("neighbour_median"), pl.lit(None, pl.Int64).alias("neighbours_used"),
        pl.when(has_prev).then(pl.col("previous_wave")).alias("previous_wave"),
        pl.when(has_prev).then(pl.col("prev_value")).alias("previous_value"),
        pl.when(has_prev).then(pl.col("raw_value") - pl.col("prev_value")).alias("change"),
        pl.when(has_prev).then(pl.col("change_p")).alias("change_p"),
        pl.when(has_prev & pl.col("change_p").is_not_null()).then(pl.col("change_p") < SIGNIFICANCE)
        .alias("change_significant"),
        pl.lit(ind.unit).alias("unit"), pl.lit(ind.polarity).alias("polarity"),
        pl.col("reason").replace("", None).alias("reason"), pl.lit(None, pl.String).alias("note"),
    )
    return out


class _Staging:
    """Where a release's figures go as each indicator (or linked group) is computed: a temporary
    table shaped like published_figures. Holding the whole release in polars (870,000 figures at
    national scale, with their copies for the concatenation and the sort) was most of the
    publish's peak memory; moved into published_figures in LA order at the end (move)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, release_id: int):
        self.con, self.release_id = con, release_id
        self.figures = self.hidden = 0
        con.execute(store.sql("publish_staging_create"))

    def add(self, frame: pl.DataFrame) -> None:
        from dashboard.engine.figures import COLUMNS

        _insert(self.con, "publish_staging", frame.select(*COLUMNS, "survey", "note", "sort_key"), self.release_id)
        self.figures += frame.height
        self.hidden += frame.filter(pl.col("status") == "c").height

    def move(self) -> None:
        # On failure nothing is moved: the caller's ROLLBACK takes the temporary table away too.
        if self.figures:
            self.con.execute(store.sql("publish_staging_move"))
        self.con.execute("DROP TABLE publish_staging")


def _survey_and_record(con, catalogue: Catalogue, sources: set[str], release_id: int,
                       progress, reuse: bool, staging: _Staging) -> tuple[int, int]:
    """Gate every survey and record indicator of `sources` with what earlier releases published
    (the release ledger), record what this release publishes, and stage its figures. With
    `reuse`, families unchanged since the last publish keep their statuses (GateState).
    Returns (families gated, families kept).

    One indicator (or linked group) at a time: its earlier releases, stored statuses, gated cells
    and figures are read, used, written and let go before the next, so memory is that of the
    largest indicator, not of every figure of the release (dashboard.engine.cells.gate_many gates
    each group on its own, with only its members' earlier releases and statuses)."""
    from dashboard.engine.cells import GateState
    from dashboard.engine.figures import gate_with_linked

    names = _la_names()
    order = {ind.id: i for i, ind in enumerate(catalogue.indicators)}
    wanted = {ind.id for ind in catalogue.indicators if not isinstance(ind, DfeMetric) and ind.source in sources}
    done: set[str] = set()
    gated = kept = 0
    for ind in catalogue.indicators:
        if isinstance(ind, DfeMetric) or ind.source not in sources or ind.id in done:
            continue
        ids = sorted(wanted & _members(ind, catalogue))
        previous = ledger.previous_release(con, ids)
        state = GateState(store.frame(con, store.sql("gate_state"), {"indicator_ids": ids}) if reuse else None)
        released = {}
        for member, found in gate_with_linked(con, ind, catalogue, previous=previous, state=state):
            done.add(member.id)
            if found is None or member.source not in sources:
                continue
            atoms, cells = found
            staging.add(figures_of(member, atoms, cells, order.get(member.id, len(order)), names))
            released[member.id] = cells.filter(pl.col("status") == OK)   # what this release shows
        ledger.record_release(con, str(release_id), released)
        con.execute("DELETE FROM gate_state WHERE list_contains($ids, indicator_id)", {"ids": ids})
        _insert(con, "gate_state", state.frame(), None)
        gated, kept = gated + state.gated, kept + state.reused
        progress(f"gated {ind.id}")
    return gated, kept


def _members(ind, catalogue: Catalogue) -> set[str]:
    """The ids gate_with_linked gates together with `ind` (itself and its linked group)."""
    from dashboard.engine import linked

    group = linked.group_of(ind)
    if group is None:
        return {ind.id}
    return {ind.id} | {i.id for i in catalogue.indicators if linked.group_of(i) == group}


def _dfe(con, catalogue: Catalogue, staging: _Staging) -> None:
    order = {ind.id: i for i, ind in enumerate(catalogue.indicators)}
    for metric in catalogue.indicators:
        if isinstance(metric, DfeMetric):
            t = dfe_table(con, metric)
            if t.height:
                staging.add(t.with_columns(pl.lit(order[metric.id]).alias("sort_key"),
                                           pl.lit(None, pl.String).alias("survey")))


def _themes(con) -> pl.DataFrame | None:
    from dashboard.engine import themes

    atoms = themes.theme_atoms(con)
    if atoms.frame.height == 0:
        return None
    cells = themes.gate(atoms)
    shown = pl.col("status") == OK
    return cells.select(
        "la_code", pl.col("age_band").alias("period"), "breakdown", "group", pl.col("category").alias("theme"),
        pl.when(shown).then(pl.col("numerator")).alias("records"),
        # a theme shows its group's total as base only when the theme is published
        pl.when(shown).then(pl.col("base")).alias("group_records"),
        pl.when(shown & (pl.col("category") != "")).then(100 * pl.col("numerator") / pl.col("base")).alias("share"),
        "status", pl.col("reason").replace("", None).alias("reason"), pl.col("low_base").fill_null(False),
    )


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, release_id: int | None) -> None:
    cols = [c[0] for c in con.execute(store.with_identifiers("DESCRIBE {t}", t=table)).fetchall()]
    if release_id is not None:
        frame = frame.with_columns(pl.lit(release_id, pl.Int32).alias("release_id"))
    data = frame.select(cols).to_arrow()
    con.register("publish_incoming", data)
    try:
        con.execute(store.with_identifiers("INSERT INTO {t} SELECT * FROM publish_incoming", t=table))
    finally:
        con.unregister("publish_incoming")


def publish(con: duckdb.DuckDBPyConnection, kinds: Iterable[str] | None = None,
            catalogue: Catalogue | None = None, progress: Callable[[str], None] | None = None,
            reuse: bool | None = None) -> Release:
    """Compute and gate the figures that loads of `kinds` can change (every figure when None) and
    replace them in the published tables. Call it inside the transaction that changed the data.
    `reuse` (default: for a load's kinds, not for everything): families of figures unchanged since
    the last publish keep their statuses instead of being gated again."""
    with store.same_transaction():
        return _publish(con, kinds, catalogue, progress, kinds is not None if reuse is None else reuse)


def _publish(con, kinds, catalogue, progress, reuse: bool) -> Release:
    started = time.perf_counter()
    catalogue = catalogue or default_catalogue()
    progress = progress or (lambda msg: None)
    sources = ALL_SOURCES if kinds is None else sources_for(kinds)
    release_id = con.execute("SELECT coalesce(max(release_id), 0) + 1 FROM published_release").fetchone()[0]
    gated = kept = 0
    staging = _Staging(con, release_id)
    if sources & (RECORD_SOURCES | {"survey"}):
        # A load re-gates only the families it changed; publishing everything gates all afresh.
        gated, kept = _survey_and_record(con, catalogue, sources, release_id, progress, reuse, staging)
    if "dfe" in sources:
        _dfe(con, catalogue, staging)
    ids = [ind.id for ind in catalogue.indicators if ind.source in sources]
    # Figures of indicators no longer in the catalogue go too when everything is published again.
    if kinds is None:
        con.execute("DELETE FROM published_figures")
    else:
        con.execute("DELETE FROM published_figures WHERE list_contains($ids, indicator_id)", {"ids": ids})
    staging.move()
    figures, hidden = staging.figures, staging.hidden
    if THEMES in sources:
        con.execute("DELETE FROM published_themes")
        themes = _themes(con)
        if themes is not None:
            _insert(con, "published_themes", themes, release_id)
            figures += themes.height
            hidden += themes.filter(pl.col("status") == "c").height
    seconds = time.perf_counter() - started
    last_load = con.execute("SELECT max(load_id) FROM load_log").fetchone()[0]
    con.execute("INSERT INTO published_release VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [release_id, datetime.now(timezone.utc).replace(tzinfo=None), last_load, seconds, figures, hidden,
                 __version__, fingerprint(catalogue)])
    return Release(release_id, figures, hidden, seconds, tuple(sorted(sources)), gated, kept)


def is_current(con: duckdb.DuckDBPyConnection, catalogue: Catalogue | None = None) -> bool:
    """True when the published figures include every load and match today's catalogue and rules."""
    catalogue = catalogue or default_catalogue()
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "published_release" not in tables:
        return False
    last = con.execute("SELECT last_load_id, fingerprint FROM published_release "
                       "ORDER BY release_id DESC LIMIT 1").fetchall()
    newest = con.execute("SELECT max(load_id) FROM load_log").fetchone()[0]
    if not last:
        return newest is None
    return last[0][0] == newest and last[0][1] == fingerprint(catalogue)


def publish_all(con: duckdb.DuckDBPyConnection, progress: Callable[[str], None] | None = None) -> Release:
    """Publish every figure again, in one transaction (after a catalogue or rules change, or for a
    database made before figures were published at load time)."""
    with store.transaction(con):
        return publish(con, None, progress=progress)
