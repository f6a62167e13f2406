"""What the pages say agrees with the data and with the README: Start counts survey waves (years),
the empty-database page gives the README's advice (stop the dashboard before loading), and
Participation says one thing about reviews that could not be mapped."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = ROOT / "dashboard" / "app.py"
pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


def run_app(monkeypatch, db: Path) -> AppTest:
    monkeypatch.setenv("VOICE_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_start_counts_survey_waves_not_surveys_times_waves(monkeypatch, demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        years, pairs = con.execute("SELECT count(DISTINCT wave), count(DISTINCT (survey, wave)) "
                                   "FROM survey_responses").fetchone()
    finally:
        con.close()
    assert pairs > years          # the demo has both surveys in a wave, so the two counts differ
    metric = {m.label: m.value for m in run_app(monkeypatch, demo_db).metric}
    assert metric["Survey waves"] == str(years)


def test_the_empty_database_page_says_stop_the_dashboard_first_as_the_readme_does(monkeypatch, tmp_path):
    at = run_app(monkeypatch, tmp_path / "none.duckdb")
    advice = " ".join(i.value for i in at.info)
    assert "Stop the dashboard" in advice and "start the dashboard again" in advice
    assert "reload this page" not in advice
    assert "stop the dashboard before loading" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_participation_says_unmapped_reviews_stay_in_the_total_and_never_that_they_are_left_out():
    from dashboard.ui.participation import unmapped_sentence  # noqa: F401  (the sentence the page shows)

    page = (ROOT / "pages" / "participation.py").read_text(encoding="utf-8")
    view = (ROOT / "dashboard" / "ui" / "participation.py").read_text(encoding="utf-8")
    assert "left out of the shares" not in page + view
    assert "shares are of all reviews" in page and "shares above are of all reviews" in view
