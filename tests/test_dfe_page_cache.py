"""The DfE page reads every metric of an LA at once and keeps it per published version: the one read
gives what a read per metric gives, and a new publish is a new version (so it is read afresh)."""
from __future__ import annotations

import polars as pl
import pytest

from dashboard import db, store
from dashboard.catalogue import DfeMetric, default_catalogue
from dashboard.engine import views
from dashboard.publish import publish_all
from dashboard.ui import data
from tests.conftest import copy_db

DERBY = "E06000015"
pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


def dfe_metrics() -> list[DfeMetric]:
    return [i for i in default_catalogue().indicators if isinstance(i, DfeMetric)]


def test_one_read_for_every_metric_gives_each_metrics_own_series(demo_db):
    con = store.connect(demo_db, read_only=True)
    try:
        together = views.dfe_series_all(con, dfe_metrics(), DERBY)
        assert list(together) == [m.id for m in dfe_metrics()]
        assert sum(f.height for f in together.values()) > 0
        for m in dfe_metrics():
            assert together[m.id].equals(views.dfe_series(con, m, DERBY)), m.id
    finally:
        con.close()


def test_an_la_without_dfe_figures_gets_empty_series_with_the_columns(demo_db):
    con = store.connect(demo_db, read_only=True)
    try:
        together = views.dfe_series_all(con, dfe_metrics(), "E99999999")
    finally:
        con.close()
    assert all(f.height == 0 and f.schema == pl.Schema(views.DFE_SERIES_SCHEMA) for f in together.values())


def test_a_new_publish_is_a_new_published_version(monkeypatch, demo_db, tmp_path):
    path = copy_db(demo_db, tmp_path)
    monkeypatch.setenv("VOICE_DB", str(path))
    before = data.published_version()
    db.release()      # the app lets go of the file, as it must for a publish to write
    con = store.connect(path)
    try:
        publish_all(con)
    finally:
        con.close()
    after = data.published_version()
    assert after[3] == before[3] + 1
    assert after != before
