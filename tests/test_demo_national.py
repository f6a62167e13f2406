"""The national demo's parts (the whole build is measured by benchmarks/run.py, not built in the suite)."""
from __future__ import annotations

import numpy as np
import polars as pl

from dashboard.demo import national
from dashboard.loaders import loader_for, run_load
from dashboard.reference import la_reference
from tests.conftest import run_cli


def test_national_areas_are_every_english_la_of_today_without_joint_services():
    areas = national.national_areas()
    current = {la.la_code for la in la_reference().current()
               if la.la_code[:3] in national.LA_TYPES and "/" not in la.la_code}
    assert {a.code for a in areas} == current
    assert len(areas) == len(current) > 140


def test_survey_frame_has_about_400_respondents_per_la_and_wave_across_both_surveys():
    areas = national.national_areas()[:4]
    model = national._model(1, areas)
    people = 0
    for survey in ("YLYC", "YLBC"):
        frame = national.survey_frame(np.random.default_rng(1), areas, model, survey, 2024)
        people += frame.select(pl.struct("la_code", "respondent_id").n_unique()).item()
    assert 0.85 * 410 * 4 <= people <= 1.15 * 410 * 4


def test_a_national_survey_file_loads_through_the_real_loader(tmp_path, db):
    import duckdb

    areas = national.national_areas()[:3]
    frame = national.survey_frame(np.random.default_rng(2), areas, national._model(2, areas), "YLBC", 2021)
    path = tmp_path / "SYNTHETIC_national.csv"
    frame.write_csv(path)
    con = duckdb.connect(str(db))
    try:
        [result] = run_load(con, loader_for("bright-spots"), [path], synthetic=True)
        assert result.rows == frame.height
        assert con.execute("SELECT count(DISTINCT la_code) FROM survey_responses").fetchone()[0] == 3
    finally:
        con.close()


def test_national_scale_without_db_is_refused_in_plain_words(capsys):
    assert run_cli("demo", "--scale", "national") == 2
    assert "--db PATH" in capsys.readouterr().err


def test_a_subset_of_las_is_spread_over_the_codes_and_keeps_each_las_figures():
    every = national.national_areas()
    some = national.national_areas(las=10)
    assert len({a.code for a in some}) == 10
    by_code = {a.code: a for a in every}
    assert all(by_code[a.code] == a for a in some)           # the same invented size and rates as in the whole
    assert {a.code[:3] for a in some} == {a.code[:3] for a in every}   # every type of LA, not the first ten codes


def test_las_below_one_is_refused_in_plain_words(tmp_path, capsys):
    assert run_cli("demo", "--scale", "national", "--las", "0", "--db", tmp_path / "n.duckdb") == 2
    assert "--las must be at least 1" in capsys.readouterr().err
    assert not (tmp_path / "n.duckdb").exists()


def test_las_without_national_scale_is_refused(tmp_path, capsys):
    assert run_cli("demo", "--las", "5", "--db", tmp_path / "d.duckdb") == 2
    assert "--scale national only" in capsys.readouterr().err
    assert not (tmp_path / "d.duckdb").exists()
