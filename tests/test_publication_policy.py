"""The publication policy for record measures (README, "What is published"): feedback scores in two
bands, PN codes for all reviews together and by type of review in three groups, small services and
respondents published together. Checked against the raw records, the gate's ties and the audit."""
from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboard import audit, store
from dashboard.catalogue import default_catalogue
from dashboard.disclosure import Cell, Family, rules
from dashboard.engine import cells as engine_cells
from dashboard.engine.cells import ALL
from dashboard.engine.figures import Selection, indicator_table
from dashboard.engine.linked import review_links
from tests.conftest import run_cli

GROUPS = "return_2b_pn_groups"
CODES = ("return_2b_pn_codes", "return_2b_pn_codes_current_scheme")
SCORES = ("feedback_scores_q1", "feedback_scores_q2", "feedback_scores_q3", "feedback_scores_q4")
LAS = ("E10000016", "E06000001", "E08000025")


def published(db: Path, la: str, wave: int, ids: tuple[str, ...], breakdown: str | None = None) -> pl.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return indicator_table(con, Selection(la, wave, None, breakdown, ALL, None, ids), default_catalogue())
    finally:
        con.close()


def test_every_pn_code_is_published_for_all_reviews_together_only(demo_db):
    for la in LAS:
        figs = published(demo_db, la, 2025, CODES, "review_type")
        assert figs.height and set(figs["group"]) == {ALL}


def test_by_review_type_the_codes_are_published_in_their_three_groups_each_the_sum_of_its_codes(demo_db):
    mapping = default_catalogue().by_id()[GROUPS].categories_published_together
    compared = 0
    for la in LAS:
        for wave in (2024, 2025):
            groups = published(demo_db, la, wave, (GROUPS,), "review_type")
            codes = published(demo_db, la, wave, ("return_2b_pn_codes",))
            assert set(groups["category"]) <= set(mapping.values())
            assert len(set(groups["group"]) - {ALL}) >= 3   # the review types
            # Same reviews, same figure: where a group and all its codes are published, they agree.
            for cat, n in groups.filter((pl.col("group") == ALL) & (pl.col("status") == "ok")).select(
                    "category", "numerator").rows():
                parts = codes.filter(pl.col("category").replace(mapping) == cat)
                if parts.height and (parts["status"] == "ok").all():
                    assert parts["numerator"].sum() == n
                    compared += 1
    assert compared


def test_the_views_given_rate_is_the_first_two_groups_added_up(demo_db):
    compared = 0
    for la in LAS:
        rate = published(demo_db, la, 2025, ("participation_views_conveyed",))
        groups = published(demo_db, la, 2025, (GROUPS,)).filter(pl.col("group") == ALL)
        given = groups.filter(pl.col("category").is_in(["attended_gave_views", "views_without_attending"]))
        if rate["status"][0] == "ok" and given.height == 2 and (given["status"] == "ok").all():
            assert rate["numerator"][0] == given["numerator"].sum()
            assert rate["base"][0] == given["base"][0]
            compared += 1
    assert compared


def test_feedback_scores_are_published_in_two_bands_counted_from_the_forms(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        raw = pl.DataFrame(con.execute(
            "SELECT la_code, year(form_date) + CASE WHEN month(form_date) >= 4 THEN 1 ELSE 0 END AS wave, "
            "count(*) FILTER (WHERE q2 >= 4) AS high, count(*) FILTER (WHERE q2 <= 3) AS other "
            "FROM feedback_forms GROUP BY ALL").fetchall(), schema=["la_code", "wave", "high", "other"], orient="row")
    finally:
        con.close()
    compared = 0
    for la in LAS:
        for q in SCORES:
            figs = published(demo_db, la, 2025, (q,), "service")
            assert set(figs["category"]) <= {"4-5", "1-3"}
            assert not {"mash", "pre_birth"} & set(figs["group"])
        whole = published(demo_db, la, 2025, ("feedback_scores_q2",)).filter(pl.col("status") == "ok")
        counts = raw.filter((pl.col("la_code") == la) & (pl.col("wave") == 2025)).row(0, named=True)
        for cat, n in whole.select("category", "numerator").rows():
            assert n == counts["high" if cat == "4-5" else "other"]
            compared += 1
    assert compared


def test_small_services_and_respondents_are_published_together_and_still_counted(demo_db):
    together = rules().groups_published_together
    assert together["service"]["mash"] == together["service"]["pre_birth"]
    seen = set()
    for la in LAS:
        figs = published(demo_db, la, 2025, ("feedback_sought_and_discussed",), "respondent")
        seen |= set(figs["group"])
        assert "network_member" not in set(figs["group"])
        groups = figs.filter(pl.col("group") != ALL)
        whole = figs.filter(pl.col("group") == ALL)
        if (groups["status"] == "ok").all() and whole["status"][0] == "ok":
            assert groups["base"].sum() == whole["base"][0]   # nobody dropped by the merge
    assert "parent_carer_or_network" in seen


def test_a_rate_made_of_whole_groups_is_tied_to_them_by_review_type():
    """If the views-given rate were published by review type beside the groups, the gate must know
    it is the first two groups added up (the per-code distribution is not there to tie it)."""
    by_id = default_catalogue().by_id()
    rate = by_id["participation_views_conveyed"]
    rate = rate.model_copy(update={"params": {**rate.params, "breakdowns": ["review_type"]}})
    inds = [by_id["return_2b_pn_codes"], by_id[GROUPS], rate]
    family = Family()
    ids = {}
    for ind, cats in ((by_id[GROUPS], ["", "attended_gave_views", "views_without_attending", "no_views_given"]),
                      (rate, [""])):
        ids[ind.id] = [(ind.id, "L", ALL, "review_type", "pathway", c) for c in cats]
        for cid in ids[ind.id]:
            family.add(Cell(cid, 10, 30, people=True))
    review_links(inds)(family, ids)
    tied = {(total, frozenset(parts)) for total, parts in family.constraints}
    cell = lambda iid, c: (iid, "L", ALL, "review_type", "pathway", c)  # noqa: E731
    assert (cell(rate.id, ""), frozenset({cell(GROUPS, "attended_gave_views"),
                                          cell(GROUPS, "views_without_attending")})) in tied


def _two_review_types(db: Path) -> Path:
    path = db.parent / "reviews.csv"
    counts = {"child_looked_after": {"PN1": 30, "PN2": 8, "PN4": 12, "PN5": 20, "PN6": 9, "PN7": 11},
              "child_in_need": {"PN1": 25, "PN3": 9, "PN4": 10, "PN5": 14, "PN6": 12, "PN8": 13}}
    with path.open("w", encoding="utf-8") as fh:
        fh.write("review_id,la_code,child_ref,review_date,review_type,pn_code,scheme\n")
        i = 0
        for review_type, codes in counts.items():
            for code, n in codes.items():
                for _ in range(n):
                    i += 1
                    fh.write(f"R{i},E10000016,C{i},2024-06-{(i % 28) + 1:02d},{review_type},{code},recommended\n")
    assert run_cli("load", "participation", path, "--db", db, "--quiet") == 0
    return db


def _publish_all_but(hidden: set[tuple[str, str]], indicator: str = GROUPS, breakdown: str = "review_type"):
    """A gate that publishes every figure except those (group, category) of `indicator` in `hidden`."""
    def gate(atoms):
        cells = engine_cells.cut(atoms, pool=False)
        hide = ((pl.lit(atoms.indicator_id == indicator)) & (pl.col("breakdown") == breakdown)
                & pl.concat_str("group", pl.lit("|"), "category").is_in([f"{g}|{c}" for g, c in hidden]))
        return cells.with_columns(pl.when(hide).then(pl.lit("c")).otherwise(pl.lit("ok")).alias("status"))
    return gate


@pytest.mark.parametrize("hidden, recoverable", [
    ({("child_in_need", "no_views_given")}, True),   # the type's total less its other two groups
    ({("child_in_need", "no_views_given"), ("child_in_need", "attended_gave_views"),
      ("child_looked_after", "no_views_given"), ("child_looked_after", "attended_gave_views")}, False),
])
def test_the_audit_reads_the_groups_of_codes_as_the_reviews_in_them(db, hidden, recoverable):
    con = store.connect(_two_review_types(db), read_only=True)
    try:
        report = audit.AuditReport()
        audit.audit_pn_links(con, default_catalogue(), report, _publish_all_but(hidden))
    finally:
        con.close()
    found = [f for f in report.findings if f.where.startswith(GROUPS)]
    assert bool(found) == recoverable, report.summary()


@pytest.mark.parametrize("hidden, recoverable", [
    ({(ALL, "PN3")}, True),                  # all reviews less the other codes
    ({(ALL, "PN3"), (ALL, "PN6")}, False),   # two hidden codes of one table: only their sum is known
])
def test_the_audit_models_the_reviews_when_no_figure_is_published_by_review_type(db, hidden, recoverable):
    """Codes for all reviews only: the audit still knows the reviews it is counting (it once took the
    review types from figures published by review type, and with none had nothing to count)."""
    catalogue = default_catalogue()
    catalogue = catalogue.model_copy(update={"indicators": [
        i for i in catalogue.indicators if i.id == "return_2b_pn_codes"]})
    con = store.connect(_two_review_types(db), read_only=True)
    try:
        report = audit.AuditReport()
        audit.audit_pn_links(con, catalogue, report, _publish_all_but(hidden, "return_2b_pn_codes", ""))
    finally:
        con.close()
    found = [f for f in report.findings if f.where.startswith("return_2b_pn_codes")]
    assert bool(found) == recoverable, report.summary()
