"""The DfE's method on named cases from the real files: rounding half up, the classification against
England's own counts, the neighbour median hidden (with the reason) before a reorganisation, the
London sub-region, and the page's caption saying why a median is missing."""
from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboard.catalogue import DfeMetric, load_catalogue
from dashboard.engine.dfe import dfe_table, true_round_value
from tests.conftest import SHARED_DFE, needs_shared_dfe, run_cli

METRICS = {m.id: m for m in load_catalogue().indicators if isinstance(m, DfeMetric)}
KENT, CUMBERLAND, CAMDEN = "E10000016", "E06000063", "E09000007"


@pytest.mark.parametrize("x, digits, shown", [(52.5, 0, 53.0), (24.45, 1, 24.5), (0.15, 1, 0.2), (2.675, 2, 2.68),
                                              (-1.5, 0, -2.0), (10.4, 0, 10.0)])
def test_true_round_rounds_halves_up_whatever_the_float(x, digits, shown):
    assert true_round_value(x, digits) == shown


@pytest.fixture(scope="module")
def real_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("dfe-method") / "real.duckdb"
    files = [SHARED_DFE / "la_cla_placement_stability.csv", SHARED_DFE / "sn_model_2025_wide.csv"]
    assert run_cli("load", "dfe", *files, "--db", db, "--quiet") == 0
    return db


@pytest.fixture(scope="module")
def placements(real_db) -> pl.DataFrame:
    con = duckdb.connect(str(real_db), read_only=True)
    try:
        return dfe_table(con, METRICS["dfe_cla_three_or_more_placements"])
    finally:
        con.close()


def one(table: pl.DataFrame, la: str, year: int) -> dict:
    [row] = table.filter((pl.col("la_code") == la) & (pl.col("wave") == year)).rows(named=True)
    return row


@needs_shared_dfe
def test_kent_is_compared_with_englands_own_counts_not_its_rounded_percentage(placements):
    row = one(placements, KENT, 2025)
    assert (row["numerator"], row["base"]) == (221, 1896)
    assert row["england_value"] == 10.0                       # shown as the DfE shows it
    assert row["comparator_value"] == pytest.approx(10.395, abs=0.001)  # England's counts
    assert row["classification"] == "no clear difference"    # 10.3-13.2 holds 10.40


@needs_shared_dfe
def test_cumberland_has_no_neighbour_median_before_2024_and_says_why(placements):
    early, later = one(placements, CUMBERLAND, 2023), one(placements, CUMBERLAND, 2024)
    assert early["neighbour_median"] is None and "Cumberland was created in April 2023" in early["note"]
    assert later["neighbour_median"] is not None and later["note"] is None


@needs_shared_dfe
def test_a_london_borough_is_set_against_its_london_sub_region(placements, real_db):
    con = duckdb.connect(str(real_db), read_only=True)
    try:
        [(inner,)] = con.execute("SELECT value FROM dfe_values WHERE area_code = 'E13000001' AND year = 2025 AND "
                                 "indicator = 'children_percent' AND filters['cla_group'] = 'CLA on 31 March' AND "
                                 "filters['placement_stability'] = 'With 3 or more placements during the year'").fetchall()
    finally:
        con.close()
    assert one(placements, CAMDEN, 2025)["region_value"] == true_round_value(inner, 0)


def test_the_page_caption_says_why_a_neighbour_median_is_missing():
    from dashboard.ui import dfe_metrics as view
    from dashboard.ui.selection import Choice

    frame = pl.DataFrame({"year": [2023, 2024], "value": [10.0, 11.0], "status": ["ok", "ok"],
                          "region_value": [9.0, 9.0], "england_value": [10.0, 10.0],
                          "neighbour_median": [None, 10.0], "neighbours_used": [None, 10],
                          "note": ["Cumberland was created in April 2023 (from Cumbria)", None]})
    choice = Choice(CUMBERLAND, "Cumberland", 2024, "children_in_care", "all")
    words = view.caption(METRICS["dfe_cla_three_or_more_placements"], frame, choice)
    assert "No neighbours' median: 2023 (Cumberland was created in April 2023" in words


@needs_shared_dfe
def test_interval_and_change_test_are_the_engine_statistics_over_columns(placements):
    from dashboard.engine.stats import two_proportion_p, wilson

    now, before = one(placements, KENT, 2025), one(placements, KENT, 2024)
    lo, hi = wilson(now["numerator"], now["base"])
    assert (now["ci_low"], now["ci_high"]) == (pytest.approx(100 * lo), pytest.approx(100 * hi))
    assert now["previous_wave"] == 2024 and now["previous_value"] == before["value"]
    assert now["change_p"] == pytest.approx(two_proportion_p(now["numerator"], now["base"],
                                                             before["numerator"], before["base"]))


@needs_shared_dfe
def test_a_blank_in_the_dfes_file_is_said_to_be_no_figure_not_a_symbol_the_dfe_publishes(tmp_path):
    # City of London's hospital admissions are blank in Fingertips (counted with Hackney's).
    db = tmp_path / "hospital.duckdb"
    assert run_cli("load", "dfe", SHARED_DFE / "region_hospital_admissions_2324.csv",
                   SHARED_DFE / "sn_model_2025_wide.csv", "--db", db, "--quiet") == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        table = dfe_table(con, METRICS["dfe_hospital_admissions_injuries"])
    finally:
        con.close()
    city = table.filter(pl.col("la_code") == "E09000001")
    assert city.height > 0 and city["value"].is_null().all()
    assert set(city["reason"]) == {"no figure in the DfE's file for this year"}
