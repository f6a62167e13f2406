"""Typed figure records (dashboard.engine.records): the same figures as the page's frame, with
their codes checked against the vocabulary."""
from __future__ import annotations

from dataclasses import FrozenInstanceError, fields

import polars as pl
import pytest

from dashboard import store
from dashboard.engine.figures import COLUMNS, Selection, indicator_table
from dashboard.engine.records import Figure, figure_records, indicator_figures
from dashboard.vocabulary import Classification, Status

KENT, WAVE = "E10000016", 2024


@pytest.fixture(scope="module")
def kent_table(demo_db) -> pl.DataFrame:
    con = store.connect(demo_db, read_only=True)
    try:
        yield indicator_table(con, Selection(KENT, WAVE))
    finally:
        con.close()


def test_a_figure_record_has_one_field_per_published_column_in_order():
    assert [f.name for f in fields(Figure)] == COLUMNS


def test_records_are_the_frames_rows_with_the_same_values(kent_table):
    recs = figure_records(kent_table)
    assert len(recs) == kent_table.height
    for rec, row in zip(recs, kent_table.iter_rows(named=True)):
        assert rec.indicator_id == row["indicator_id"] and rec.group == row["group"]
        assert rec.value == row["value"] and rec.status == row["status"]


def test_statuses_and_classifications_arrive_as_enums(kent_table):
    recs = figure_records(kent_table)
    assert all(isinstance(r.status, Status) for r in recs)
    assert {r.status for r in recs} >= {Status.OK, Status.HIDDEN}, "the demo has published and hidden figures"
    classified = [r for r in recs if r.classification is not None]
    assert classified and all(isinstance(r.classification, Classification) for r in classified)


def test_a_hidden_figure_is_not_shown_and_has_no_value(kent_table):
    hidden = [r for r in figure_records(kent_table) if r.status is Status.HIDDEN]
    assert hidden and not any(r.shown for r in hidden)
    assert all(r.value is None for r in hidden)


def test_a_status_code_the_vocabulary_does_not_know_is_an_error(kent_table):
    bad = kent_table.head(1).with_columns(pl.lit("published").alias("status"))
    with pytest.raises(ValueError, match="published"):
        figure_records(bad)


def test_a_record_cannot_be_changed_after_it_is_made(kent_table):
    rec = figure_records(kent_table.head(1))[0]
    with pytest.raises(FrozenInstanceError):
        rec.value = 99.0


def test_indicator_figures_is_the_same_lookup_as_the_pages_table(demo_db, kent_table):
    con = store.connect(demo_db, read_only=True)
    try:
        recs = indicator_figures(con, Selection(KENT, WAVE))
    finally:
        con.close()
    assert recs == figure_records(kent_table)


def test_whole_group_means_no_breakdown_and_all_ages(demo_db):
    con = store.connect(demo_db, read_only=True)
    try:
        recs = indicator_figures(con, Selection(KENT, WAVE, breakdown="service"))
    finally:
        con.close()
    whole = [r for r in recs if r.whole_group]
    assert whole and all(r.breakdown == "" and r.group == "all" and r.age_band == "all" for r in whole)
    assert any(r.breakdown == "service" for r in recs) and not any(r.whole_group for r in recs if r.breakdown)


def test_every_published_figure_of_the_demo_makes_a_record(demo_db):
    # The report and the statement read every figure of an LA through records: one status the
    # vocabulary lacks (the demo's one blank DfE cell did) would stop the report of that LA.
    con = store.connect(demo_db, read_only=True)
    try:
        statuses = [s for (s,) in con.execute("SELECT DISTINCT status FROM published_figures").fetchall()]
    finally:
        con.close()
    assert "blank" in statuses, "the demo has a DfE figure left blank in its file"
    assert {Status(s) for s in statuses} == set(map(Status, statuses))
