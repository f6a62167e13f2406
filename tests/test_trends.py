"""A page's trend lines come in one read (dashboard.engine.views.trends): each series as it would
come alone, in the order asked, an empty frame with the columns for a series with no figures."""
from __future__ import annotations

import polars as pl
import pytest

from dashboard import pn_codes, store
from dashboard.catalogue import SurveyIndicator, default_catalogue
from dashboard.engine import views

KENT = "E10000016"


@pytest.fixture(scope="module")
def con(demo_db):
    c = store.connect(demo_db, read_only=True)
    yield c
    c.close()


def survey_series() -> list[views.Series]:
    return [views.Series(i.id, "children_in_care") for i in default_catalogue().indicators
            if isinstance(i, SurveyIndicator)]


def test_one_read_gives_each_series_as_a_read_of_it_alone(con):
    wanted = [*survey_series(), *(views.Series("return_2b_pn_codes", None, "all", "", "all", c) for c in pn_codes.codes("recommended"))]
    together = views.trends(con, KENT, wanted)
    assert len(together) == len(wanted)
    assert sum(t.height for t in together) > len(wanted), "the demo has several waves of most series"
    for s, t in zip(wanted, together):
        assert t.equals(views.trends(con, KENT, [s])[0]), s


def test_the_order_asked_is_the_order_given(con):
    wanted = survey_series()[:4]
    forward, backward = views.trends(con, KENT, wanted), views.trends(con, KENT, wanted[::-1])
    assert all(a.equals(b) for a, b in zip(forward, backward[::-1]))


def test_a_series_is_the_las_published_figures_over_the_waves_with_the_pool(con):
    s = survey_series()[0]
    t = views.trends(con, KENT, [s])[0]
    published = store.frame(con, "SELECT wave, value, status FROM published_figures WHERE indicator_id = $i "
                                 "AND la_code = $la AND cohort = 'children_in_care' AND age_band = 'all' "
                                 "AND breakdown = '' AND \"group\" = 'all' AND category = '' ORDER BY wave",
                            {"i": s.indicator_id, "la": KENT})
    assert t.select("wave", "value", "status").cast({"wave": pl.Int64}).equals(published.cast({"wave": pl.Int64}))
    assert t.filter(pl.col("status") == "ok")["pool_value"].null_count() == 0


def test_a_series_with_no_figures_is_empty_with_the_columns(con):
    got = views.trends(con, KENT, [views.Series("no_such_indicator"), survey_series()[0]])
    assert got[0].height == 0 and got[0].schema == pl.Schema(views.TREND_SCHEMA)
    assert got[1].height > 0
