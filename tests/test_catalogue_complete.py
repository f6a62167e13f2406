"""Every catalogue indicator is documented and computes on the demo data."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard.catalogue import DfeMetric, default_catalogue
from dashboard.demo import build_demo
from dashboard.engine.figures import Selection, indicator_table

CATALOGUE = default_catalogue()
INDICATORS = [pytest.param(ind, id=ind.id) for ind in CATALOGUE.indicators]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(db, seed=2024, progress=lambda m: None, force=True)
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def latest_wave(con, ind) -> tuple[str, int] | None:
    """An LA and a wave or year that has data for the indicator."""
    if isinstance(ind, DfeMetric):
        rows = con.execute("SELECT area_code, max(year) FROM dfe_values WHERE dataset = ? AND indicator = ? "
                           "AND geographic_level = 'Local authority' AND status = 'ok' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1",
                           [ind.dataset, ind.indicator]).fetchall()
    elif ind.source == "survey":
        # The latest wave, in its LA with the most answers: a small LA's care leavers can have
        # every figure hidden (a whole group whose two small parts it would pin down).
        rows = con.execute("SELECT la_code, wave FROM survey_answer_counts WHERE question_id = ? "
                           "GROUP BY ALL ORDER BY wave DESC, sum(n) DESC, la_code LIMIT 1", [ind.question]).fetchall()
    else:
        table = {"voice_checks": ("voice_checks", "check_date"), "participation": ("reviews", "review_date"),
                 "feedback": ("feedback_forms", "form_date")}[ind.source]
        # The LA and reporting year with the most records (a year in progress may hide everything).
        rows = con.execute(f"SELECT la_code, year({table[1]}) + CASE WHEN month({table[1]}) >= 4 THEN 1 ELSE 0 END AS wave "
                           f"FROM {table[0]} GROUP BY ALL ORDER BY count(*) DESC, 1, 2 LIMIT 1").fetchall()
    return rows[0] if rows else None


@pytest.mark.parametrize("ind", INDICATORS)
def test_indicator_is_documented(ind):
    assert ind.title.strip() and ind.child_friendly.strip()
    assert ind.domain in CATALOGUE.domain_ids()
    if ind.local or ind.source != "survey":
        assert (ind.description or "").strip(), "local and non-survey indicators explain themselves in `description`"


@pytest.mark.parametrize("ind", INDICATORS)
def test_indicator_computes_on_the_demo_data(ind, demo):
    found = latest_wave(demo, ind)
    assert found, f"no demo data for {ind.id}"
    la, wave = found
    table = indicator_table(demo, Selection(la, int(wave), indicator_ids=(ind.id,)), CATALOGUE)
    assert table.height >= 1
    published = table.filter(table["status"] == "ok")
    assert published.height >= 1, f"{ind.id}: every figure hidden for {la} {wave}"
    value = published["value"][0]
    assert value is not None and (0 <= value <= 100 if ind.unit == "percent" else value >= 0)


def test_every_domain_has_survey_and_dfe_or_record_indicators():
    for domain in CATALOGUE.domain_ids():
        sources = {i.source for i in CATALOGUE.indicators if i.domain == domain}
        assert "survey" in sources, domain
