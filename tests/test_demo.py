"""The synthetic demo database: what it must hold, that one seed gives one data set, and that it
never overwrites a database or leaves a half-built one behind.

The demo is built once per module (and once more, over an existing file with --force, for the
determinism tests); the other tests only read it."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboard.catalogue import default_catalogue
from dashboard.demo import build_demo, write_files
from dashboard.demo.heard import THEMES
from dashboard.demo.places import FOCUS, NEIGHBOURS_2025
from dashboard.loaders.dfe import dataset_name
from dashboard.loaders.themes import quote_risks
from dashboard.reference import la_reference
from tests.conftest import SHARED_DFE, needs_shared_dfe, run_cli

SEED = 11
DFE_METRICS = [i for i in default_catalogue().indicators if i.source == "dfe"]
INTERVAL_METRICS = [m for m in DFE_METRICS if m.count_indicator]
LOCAL_QUESTION = "local_felt_listened_at_review"
DATA_TABLES = ["survey_responses", "survey_answer_counts", "feedback_forms", "reviews", "voice_checks",
               "actions", "themes", "dfe_datasets", "dfe_values", "statistical_neighbours"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    return db, build_demo(db, seed=SEED)


@pytest.fixture(scope="module")
def demo(built):
    con = duckdb.connect(str(built[0]), read_only=True)
    yield lambda sql, params=None: con.execute(sql, params or []).fetchall()
    con.close()


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list:
    """The input files the demo writes for SEED, without loading them."""
    return write_files(SEED, tmp_path_factory.mktemp("files"))


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    """The same seed built again, over a file that is already there (--force)."""
    db = tmp_path_factory.mktemp("again") / "demo.duckdb"
    db.write_bytes(b"an older file that --force must replace")
    build_demo(db, seed=SEED, force=True)
    return db


def positive_shares(q, by: str) -> dict[str, float]:
    """Share of answers counted positive by the catalogue, over every survey question, by a group column."""
    rows = q(f"SELECT question_id, answer, answer_value, {by}, sum(n) FROM survey_answer_counts "
             "WHERE not_answered IS NULL GROUP BY ALL")
    questions = default_catalogue().questions()
    pos: dict[str, int] = {}
    tot: dict[str, int] = {}
    for qid, answer, value, group, n in rows:
        p = questions[qid].positive
        good = p.min <= value <= p.max if value is not None else answer in p
        pos[group] = pos.get(group, 0) + n * good
        tot[group] = tot.get(group, 0) + n
    return {g: pos[g] / tot[g] for g in tot}


# -- places --------------------------------------------------------------------------------------
def test_demo_covers_at_least_twelve_real_las_of_several_types_and_regions(demo):
    codes = [r[0] for r in demo("SELECT DISTINCT la_code FROM survey_responses ORDER BY 1")]
    ref = la_reference()
    assert len(codes) >= 12
    assert all(ref.by_code[c].status == "current" for c in codes)
    assert {c[:3] for c in codes} == {"E06", "E08", "E09", "E10"}
    assert len({ref.by_code[c].region_code for c in codes}) >= 9


def test_each_demo_la_has_its_ten_neighbours_loaded(demo):
    rows = demo("SELECT la_code, count(*) FROM statistical_neighbours WHERE model = 'sn_2025' GROUP BY 1")
    ref = la_reference()
    assert {la: n for la, n in rows} == {ref.canonical(old): 10 for old in FOCUS}


@needs_shared_dfe
def test_hard_coded_neighbours_are_the_dfe_2025_model():
    real = pl.read_csv(SHARED_DFE / "sn_model_2025_wide.csv", infer_schema=False)
    real = real.rename({real.columns[0]: real.columns[0].lstrip("\ufeff")})
    for row in real.filter(pl.col("old_la_code").is_in(list(NEIGHBOURS_2025))).iter_rows(named=True):
        assert NEIGHBOURS_2025[row["old_la_code"]] == [(row[f"SN_{i}"], row[f"SN_{i}P"]) for i in range(1, 11)]
    assert real.filter(pl.col("old_la_code").is_in(list(NEIGHBOURS_2025))).height == len(NEIGHBOURS_2025)


# -- surveys -------------------------------------------------------------------------------------
def test_both_surveys_have_at_least_three_waves(demo):
    waves = dict(demo("SELECT survey, count(DISTINCT wave) FROM survey_responses GROUP BY 1"))
    assert waves["YLYC"] >= 3 and waves["YLBC"] >= 3


def test_every_age_band_is_surveyed(demo):
    bands = {r[0] for r in demo("SELECT DISTINCT age_band FROM survey_responses")}
    assert bands == {"4-7", "8-10", "8-11", "11-17", "16-25"}


def test_only_questions_the_catalogue_asks_of_each_band_appear(demo):
    asked = {(q, s, b) for q, ind in default_catalogue().questions().items()
             for s, bands in ind.surveys.items() for b in bands}
    found = set(demo("SELECT DISTINCT question_id, survey, age_band FROM survey_responses"))
    assert found <= asked


def test_one_la_wave_comes_from_the_wide_layout(demo):
    layouts = dict(demo("SELECT layout, count(*) FROM load_log WHERE kind = 'bright-spots' GROUP BY 1"))
    assert layouts.get("wide") == 1 and layouts.get("long", 0) > 1


def test_respondent_numbers_run_from_tens_to_a_few_hundred(demo):
    sizes = [r[0] for r in demo("SELECT count(DISTINCT respondent_id) FROM survey_responses "
                                "GROUP BY la_code, survey, wave")]
    assert min(sizes) >= 10 and max(sizes) <= 500
    assert min(sizes) < 60 and max(sizes) > 200


def test_some_groups_are_small_enough_to_need_suppression(demo):
    small = demo("SELECT la_code, wave, count(DISTINCT respondent_id) AS n FROM survey_responses "
                 "WHERE placement_type = 'residential' AND age_band = '4-7' GROUP BY ALL")
    assert small and all(n < 10 for *_, n in small)


def test_not_answered_is_a_small_but_real_share(demo):
    ((share,),) = demo("SELECT avg(CASE WHEN not_answered IS NULL THEN 0 ELSE 1 END) FROM survey_responses")
    kinds = {r[0] for r in demo("SELECT DISTINCT not_answered FROM survey_responses WHERE not_answered IS NOT NULL")}
    assert 0.01 < share < 0.1
    assert kinds == {"blank", "dont_know", "prefer_not_to_say"}


def test_girls_report_lower_well_being_than_boys_on_average(demo):
    shares = positive_shares(demo, "gender")
    assert shares["girl"] < shares["boy"]


def test_children_in_residential_care_report_lower_well_being_than_in_foster_or_kinship_care(demo):
    shares = positive_shares(demo, "placement_type")
    assert shares["residential"] < shares["foster"] and shares["residential"] < shares["kinship"]


def test_rates_differ_between_las_and_waves(demo):
    rates = demo("""SELECT la_code, wave, sum(n) FILTER (WHERE answer_value >= 5) / sum(n)
                    FROM survey_answer_counts WHERE question_id = 'life_satisfaction' AND not_answered IS NULL
                    GROUP BY ALL""")
    by_la = {}
    for la, wave, rate in rates:
        by_la.setdefault(la, []).append(rate)
    assert max(rates, key=lambda r: r[2])[2] - min(rates, key=lambda r: r[2])[2] > 0.1
    assert any(max(v) - min(v) > 0.03 for v in by_la.values())


def test_the_local_question_is_answered(demo):
    ((answers, positive),) = demo("SELECT count(*), count(*) FILTER (WHERE answer = 'Yes') FROM survey_responses "
                                  "WHERE question_id = ?", [LOCAL_QUESTION])
    assert answers > 500 and 0.3 < positive / answers < 0.95


def test_the_local_question_is_asked_by_some_las_in_some_waves_only(demo):
    asking = set(demo("SELECT DISTINCT la_code, wave FROM survey_responses WHERE question_id = ?", [LOCAL_QUESTION]))
    surveyed = set(demo("SELECT DISTINCT la_code, wave FROM survey_responses WHERE survey = 'YLYC'"))
    assert asking < surveyed
    assert 1 < len({la for la, _ in asking}) < len({la for la, _ in surveyed})
    assert len({wave for _, wave in asking}) > 1


# -- records -------------------------------------------------------------------------------------
def test_feedback_forms_cover_every_service_and_later_meetings(demo):
    services = {r[0] for r in demo("SELECT DISTINCT service FROM feedback_forms")}
    ((most,),) = demo("SELECT max(meeting_number) FROM feedback_forms")
    assert len(services) == 9
    assert most >= 4


def test_some_feedback_forms_are_all_fives(demo):
    ((n,),) = demo("SELECT count(*) FROM feedback_forms WHERE q1 = 5 AND q2 = 5 AND q3 = 5 AND q4 = 5")
    assert n > 0


def test_feedback_discussed_takes_all_three_answers(demo):
    assert {r[0] for r in demo("SELECT DISTINCT discussed FROM feedback_forms")} == {"yes", "no", "unknown"}


def test_feedback_references_are_pseudonymous(demo):
    refs = demo("SELECT worker_ref, family_ref FROM feedback_forms")
    assert all(re.fullmatch(r"W\d{4}", w) and re.fullmatch(r"F\d{5}", f) for w, f in refs)


def test_reviews_use_the_current_scheme_before_the_recommended_one_in_each_la(demo):
    rows = demo("""SELECT la_code, max(review_date) FILTER (WHERE scheme = 'current'),
                          min(review_date) FILTER (WHERE scheme = 'recommended') FROM reviews GROUP BY 1""")
    assert rows and all(last_current < first_recommended for _, last_current, first_recommended in rows)


def test_reviews_hold_pn0_only_in_the_current_scheme(demo):
    schemes = {r[0] for r in demo("SELECT DISTINCT scheme FROM reviews WHERE pn_code = 'PN0'")}
    assert schemes == {"current"}


def test_voice_checks_include_all_three_checks(demo):
    checks = {r[0] for r in demo("SELECT DISTINCT check_type FROM voice_checks")}
    assert checks == {"voice_heard_assessment", "voice_heard_closure", "feedback_sought"}


def test_actions_link_to_indicators_and_themes_with_every_status(demo):
    statuses = {r[0] for r in demo("SELECT DISTINCT status FROM actions")}
    ((by_indicator, by_theme, told),) = demo(
        "SELECT count(indicator_id), count(theme), count(told_children_on) FROM actions")
    assert statuses == {"planned", "in_progress", "done", "not_possible"}
    assert by_indicator > 0 and by_theme > 0 and told > 0


def test_some_las_have_no_action_yet(demo):
    with_actions = {r[0] for r in demo("SELECT DISTINCT la_code FROM actions")}
    surveyed = {r[0] for r in demo("SELECT DISTINCT la_code FROM survey_responses")}
    assert surveyed - with_actions


def test_themes_hold_publishable_quotes(demo):
    ((publishable,),) = demo("SELECT count(*) FROM themes WHERE quote_publishable AND quote_consent")
    assert publishable > 0


def test_theme_file_also_holds_quotes_given_without_consent(files):
    themes = next(b for b in files if b.kind == "themes")
    df = pl.read_csv(themes.files[0], infer_schema=False)
    assert df.filter(pl.col("quote").is_not_null() & (pl.col("quote_consent") == "no")).height > 0


def test_consented_demo_quotes_carry_no_names_or_places():
    quotes = [q for _, _, qs in THEMES.values() for q in qs]
    assert [q for q in quotes if quote_risks(q)] == []


# -- DfE -----------------------------------------------------------------------------------------
def test_dfe_statistics_cover_england_regions_las_and_neighbours_for_five_years(demo):
    levels = dict(demo("SELECT geographic_level, count(DISTINCT area_code) FROM dfe_values GROUP BY 1"))
    years = [r[0] for r in demo("SELECT DISTINCT year FROM dfe_values ORDER BY 1")]
    areas = {r[0] for r in demo("SELECT DISTINCT area_code FROM dfe_values")}
    ref = la_reference()
    wanted = {ref.canonical(old) for old in FOCUS} | {ref.canonical(c) for nbs in NEIGHBOURS_2025.values() for c, _ in nbs}
    assert levels["National"] == 1 and levels["Regional"] >= 9
    assert years == [2021, 2022, 2023, 2024, 2025]
    assert wanted <= areas
    assert {ref.by_code[ref.canonical(old)].region_code for old in FOCUS} <= areas


def test_dfe_statistics_keep_suppression_symbols(demo):
    statuses = {r[0] for r in demo("SELECT DISTINCT status FROM dfe_values")}
    ((numbers_in_symbols,),) = demo("SELECT count(*) FROM dfe_values WHERE status <> 'ok' AND value IS NOT NULL")
    assert {"c", "x", "z", "low"} <= statuses
    assert numbers_in_symbols == 0


def test_dfe_datasets_include_every_dataset_a_catalogue_metric_reads(demo):
    datasets = {r[0] for r in demo("SELECT dataset FROM dfe_datasets")}
    assert {m.dataset for m in DFE_METRICS} <= datasets


# Datasets the loader makes from the OpenDocument spreadsheets (no CSV to compare columns with): the
# demo writes them in the EES shape the loader gives them (tests/test_dfe_ods.py checks that shape).
ODS_DATASETS = {"rsx_revenue_outturn", "ro3_revenue_outturn", "la_inspection_outcomes"}


def _real_file(dataset: str) -> Path:
    """The shared real DfE file stored under `dataset` (its stem less any year range)."""
    (path,) = [f for f in SHARED_DFE.glob("*.csv") if dataset_name(f) == dataset]
    return path


def _columns(path: Path) -> list[str]:
    return [c.lstrip("\ufeff") for c in pl.read_csv(path, n_rows=1, infer_schema=False).columns]


@needs_shared_dfe
def test_dfe_files_use_the_real_files_column_names(files):
    dfe_files = {b.options["dataset"]: b.files[0] for b in files if "dataset" in b.options}
    assert {m.dataset for m in DFE_METRICS} <= set(dfe_files)
    dfe_files = {name: path for name, path in dfe_files.items() if name not in ODS_DATASETS}
    for name, path in dfe_files.items():
        # Every column the demo writes is the real file's, in the real file's order (the demo leaves
        # out indicator columns no metric of the catalogue reads).
        ours, theirs = _columns(path), _columns(_real_file(name))
        assert ours == [c for c in theirs if c in ours], name
        assert theirs[:10] == ours[:10], name


@needs_shared_dfe
def test_dfe_files_use_the_real_files_filter_values(files):
    for b in files:
        if "dataset" not in b.options or b.options["dataset"] in ODS_DATASETS:
            continue
        ours = pl.read_csv(b.files[0], infer_schema=False)
        theirs = pl.read_csv(_real_file(b.options["dataset"]), infer_schema=False)
        ours.columns = _columns(b.files[0])
        theirs.columns = _columns(_real_file(b.options["dataset"]))
        theirs = theirs.select(ours.columns)
        # Fingertips' "Time period" (2024/25) is its time column, not a filter: the demo's years may run on.
        filters = [c for c in ours.columns[10:] if c != "Time period"
                   and not ours[c].str.contains(r"^(?:[0-9.]+|[a-z]|low)$").all()]
        assert set(ours.select(filters).unique().rows()) <= set(theirs.select(filters).unique().rows()), b.files[0].name


def _cells(q, dataset: str, indicator: str, filters: dict[str, str]) -> dict[tuple[str, int], list[tuple]]:
    """(area_code, year) -> the (value, status) of each row of `dataset` whose filters map is exactly `filters`."""
    sql = ("SELECT area_code, year, value, status FROM dfe_values WHERE dataset = ? AND indicator = ? "
           "AND cardinality(filters) = ?")
    params: list = [dataset, indicator, len(filters)]
    for column, value in filters.items():
        if value == "*":  # any value of that filter (a `version` that changes with the year)
            continue
        sql += " AND filters[?] = ?"
        params += [column, value]
    out: dict[tuple[str, int], list[tuple]] = {}
    for area, year, value, status in q(sql, params):
        out.setdefault((area, year), []).append((value, status))
    return out


def _base(metric) -> tuple[str, dict[str, str]]:
    """The indicator and filters of an interval metric's base (the total its count is a share of)."""
    return metric.base_indicator or metric.count_indicator, metric.base_filters or metric.filters


FOCUS_CODES = [la_reference().canonical(old) for old in FOCUS]


@pytest.fixture(scope="module")
def latest(demo) -> dict[tuple[str, str], int]:
    """(dataset, area_code) -> the latest year of that dataset for that area."""
    rows = demo("SELECT dataset, area_code, max(year) FROM dfe_values GROUP BY ALL")
    return {(d, a): y for d, a, y in rows}


@pytest.mark.parametrize("metric", DFE_METRICS, ids=lambda m: m.id)
def test_every_dfe_metric_has_one_row_for_each_demo_la_in_its_latest_year(demo, latest, metric):
    cells = _cells(demo, metric.dataset, metric.indicator, metric.filters)
    found = {la: len(cells.get((la, latest.get((metric.dataset, la))), [])) for la in FOCUS_CODES}
    assert found == {la: 1 for la in FOCUS_CODES}


@pytest.mark.parametrize("metric", DFE_METRICS, ids=lambda m: m.id)
def test_every_dfe_metric_has_a_published_england_figure_in_every_year(demo, metric):
    cells = _cells(demo, metric.dataset, metric.indicator, metric.filters)
    statuses = [[status for _, status in cells.get(("E92000001", year), [])] for year in range(2021, 2026)]
    assert statuses == [["ok"]] * 5


@pytest.mark.parametrize("metric", INTERVAL_METRICS, ids=lambda m: m.id)
def test_every_dfe_interval_has_its_count_and_base_for_each_demo_la(demo, latest, metric):
    counts = _cells(demo, metric.dataset, metric.count_indicator, metric.filters)
    bases = _cells(demo, metric.dataset, *_base(metric))
    found = {la: (len(counts.get((la, latest[(metric.dataset, la)]), [])), len(bases.get((la, latest[(metric.dataset, la)]), [])))
             for la in FOCUS_CODES}
    assert found == {la: (1, 1) for la in FOCUS_CODES}


@pytest.mark.parametrize("metric", [m for m in INTERVAL_METRICS if m.unit == "percent"], ids=lambda m: m.id)
def test_every_published_dfe_percentage_agrees_with_its_count_and_base(demo, metric):
    shares = _cells(demo, metric.dataset, metric.indicator, metric.filters)
    counts = _cells(demo, metric.dataset, metric.count_indicator, metric.filters)
    bases = _cells(demo, metric.dataset, *_base(metric))
    checked = 0
    for key, [(share, status)] in shares.items():
        [(n, n_status)], [(whole, whole_status)] = counts[key], bases[key]
        if status == n_status == whole_status == "ok":
            assert share == pytest.approx(100 * n / whole, abs=0.5 * 10 ** -metric.decimals + 1e-9), key
            checked += 1
    assert checked > 300


@pytest.mark.parametrize("metric", DFE_METRICS, ids=lambda m: m.id)
def test_every_dfe_metric_differs_between_las_and_between_years(demo, metric):
    cells = _cells(demo, metric.dataset, metric.indicator, metric.filters)
    ok = {key: value for key, [(value, status)] in cells.items() if status == "ok" and key[0] in FOCUS_CODES}
    in_2025 = {value for (_, year), value in ok.items() if year == 2025}
    changing = {la for la in FOCUS_CODES if len({v for (a, _), v in ok.items() if a == la}) > 1}
    # An LA's Ofsted judgement count is 0 or 1 (the neighbours, regions and England sum them), and
    # a rare judgement (inadequate) stays 0 for most LAs over five years.
    counted = metric.neighbour_aggregate == "sum"
    assert len(in_2025) >= (2 if counted else 4)
    assert len(changing) >= (2 if counted else 9)


def test_workforce_rates_agree_with_the_full_time_equivalents(demo):
    rows = demo("""SELECT area_code, year, map_from_entries(list((indicator, value))) FROM dfe_values
                   WHERE dataset = 'csww_indicators' AND status = 'ok' GROUP BY ALL""")
    checked = 0
    for _, _, v in rows:
        if {"turnover_rate_fte", "agency_rate_fte", "vacancy_rate_fte", "caseload_fte", "agency_fte"} <= set(v):
            assert v["turnover_rate_fte"] == pytest.approx(100 * v["leavers_fte"] / v["inpost_fte"], abs=0.05 + 1e-9)
            assert v["agency_rate_fte"] == pytest.approx(100 * v["agency_fte"] / (v["agency_fte"] + v["inpost_fte"]), abs=0.05 + 1e-9)
            assert v["vacancy_rate_fte"] == pytest.approx(100 * v["vacancy_fte"] / (v["vacancy_fte"] + v["inpost_fte"]), abs=0.05 + 1e-9)
            assert v["caseload_fte"] == pytest.approx(v["cases"] / v["case_holders_fte"], abs=0.05 + 1e-9)
            checked += 1
    assert checked > 300


def test_workforce_has_one_row_per_area_and_year_without_filters(demo):
    rows = demo("""SELECT count(*), count(DISTINCT (area_code, year)), max(cardinality(filters)) FROM dfe_values
                   WHERE dataset = 'csww_indicators' AND indicator = 'caseload_fte'""")
    ((n, keys, most_filters),) = rows
    assert n == keys and most_filters == 0


# -- labelled synthetic --------------------------------------------------------------------------
def test_every_load_is_marked_synthetic(demo):
    ((loads, synthetic),) = demo("SELECT count(*), count(*) FILTER (WHERE synthetic) FROM load_log")
    assert loads > 0 and synthetic == loads


def test_every_loaded_file_is_named_synthetic(demo):
    names = [r[0] for r in demo("SELECT file_name FROM load_log")]
    assert all(n.startswith("SYNTHETIC_") for n in names)


def test_every_kind_of_input_is_loaded(demo):
    kinds = {r[0] for r in demo("SELECT DISTINCT kind FROM load_log")}
    assert kinds == {"bright-spots", "feedback", "participation", "voice-checks", "actions", "themes", "dfe",
                     "voice-activities"}


def test_summary_says_synthetic_and_counts_rows(built, demo):
    ((answers,),) = demo("SELECT count(*) FROM survey_responses")
    assert "SYNTHETIC" in built[1]
    assert f"{answers:,}" in built[1]


# -- determinism and safety ----------------------------------------------------------------------
def _tables(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in DATA_TABLES}
        out["load_log"] = con.execute("SELECT * EXCLUDE (loaded_at, seconds) FROM load_log ORDER BY load_id").fetchall()
        return out
    finally:
        con.close()


def test_same_seed_builds_identical_data(built, rebuilt):
    assert _tables(built[0]) == _tables(rebuilt)


def test_force_replaces_an_existing_file(rebuilt):
    con = duckdb.connect(str(rebuilt), read_only=True)
    try:
        ((n,),) = con.execute("SELECT count(*) FROM survey_responses").fetchall()
    finally:
        con.close()
    assert n > 0
    assert not list(rebuilt.parent.glob(".*building*"))


def test_another_seed_gives_other_data(files, tmp_path):
    one = files
    two = write_files(SEED + 1, tmp_path / "two")
    contents = lambda batches: [f.read_bytes() for b in batches for f in b.files]  # noqa: E731
    assert [f.name for b in one for f in b.files] == [f.name for b in two for f in b.files]
    assert contents(one) != contents(two)


def test_an_existing_database_is_left_alone(tmp_path):
    db = tmp_path / "mine.duckdb"
    db.write_bytes(b"someone's real data")
    message = build_demo(db, seed=SEED)
    assert "already exists" in message and "--force" in message
    assert db.read_bytes() == b"someone's real data"


def test_cli_demo_refuses_to_overwrite_and_exits_cleanly(tmp_path, capsys):
    db = tmp_path / "mine.duckdb"
    db.write_bytes(b"someone's real data")
    code = run_cli("demo", "--db", db)
    assert code == 0
    assert "already exists" in capsys.readouterr().out
    assert db.read_bytes() == b"someone's real data"


def test_a_failed_build_leaves_nothing_at_the_target(tmp_path, monkeypatch):
    import dashboard.demo as demo_module

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(demo_module, "run_load", broken)
    db = tmp_path / "demo.duckdb"
    with pytest.raises(OSError):
        build_demo(db, seed=SEED)
    assert list(tmp_path.iterdir()) == []
