"""The DfE loader (spec 3.5): explore education statistics files and statistical neighbour files.

The real DfE files (../shared/data/dfe/) are loaded once per module, in one command, and checked
against counts made independently with the csv module; the synthetic fixtures in
tests/good_inputs/dfe/ test the same behaviours without them."""
from __future__ import annotations

import csv
import io
import math
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboard.loaders.dfe import dataset_name
from tests.conftest import GOOD_INPUTS, SHARED_DFE, needs_shared_dfe, run_cli, snapshot

REAL_EES = [
    "b1_children_in_need_2013_to_2025.csv",
    "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    "d3_cpps_subsequent_plan_2013_to_2025.csv",
    "cla_number_and_rate_per_10k_children.csv",
    "la_cla_placement_stability.csv",
    "la_cla_school_moves.csv",
    "la_cla_swcount.csv",
    "la_care_leavers_activity.csv",
    "la_care_leavers_accommodation_suitability.csv",
    "csww_indicators_2017_to_2025.csv",
]
REAL_NEIGHBOURS = ["sn_model_2025_wide.csv", "New_Statistical_Neighbour_Groupings_April_2021.csv"]

SYNTHETIC = GOOD_INPUTS / "dfe" / "synthetic_cin_2020_to_2024.csv"
SYNTHETIC_SN = GOOD_INPUTS / "dfe" / "sn_model_test_2024_wide.csv"

# Written out here, not imported from the loader, so the counts below are independent of it.
PUBLISHED_SYMBOLS = ("c", "k", "low", "u", "x", "z", ":", "..", "~", "-")
GEOGRAPHY = {"time_period", "time_identifier", "geographic_level", "country_code", "country_name",
             "region_code", "region_name", "old_la_code", "new_la_code", "la_name"}
KEPT = ("National", "Regional", "Local authority")


def query(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def cell_status(text: str) -> str | None:
    """What a cell says, by the csv module and float(): None when it is text."""
    text = text.strip()
    if text == "":
        return "blank"
    if text.lower() in PUBLISHED_SYMBOLS:
        return text.lower()
    try:
        float(text.replace(",", ""))
    except ValueError:
        return None
    return "ok"


def csv_indicator_cells(path: Path) -> tuple[list[str], list[dict]]:
    """The indicator columns of an EES csv and its rows at the kept levels, read with csv."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["geographic_level"] in KEPT]
    columns = [c for c in rows[0] if c not in GEOGRAPHY]
    indicators = [c for c in columns
                  if all(cell_status(r[c]) is not None for r in rows) and any(r[c].strip() for r in rows)]
    return indicators, rows


def csv_status_counts(path: Path) -> Counter:
    indicators, rows = csv_indicator_cells(path)
    return Counter(cell_status(r[c]) for r in rows for c in indicators)


@pytest.fixture(scope="module")
def real_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("dfe-real") / "real.duckdb"
    files = [SHARED_DFE / f for f in REAL_EES + REAL_NEIGHBOURS]
    assert run_cli("load", "dfe", *files, "--db", db, "--quiet") == 0
    return db


@pytest.fixture
def synthetic_db(db) -> Path:
    assert run_cli("load", "dfe", SYNTHETIC, SYNTHETIC_SN, "--db", db, "--quiet") == 0
    return db


# -- the real DfE files ----------------------------------------------------------------

@needs_shared_dfe
@pytest.mark.parametrize("name", REAL_EES)
def test_real_file_loads_one_row_per_indicator_cell(real_db, name):
    indicators, rows = csv_indicator_cells(SHARED_DFE / name)
    dataset = dataset_name(Path(name))
    got = query(real_db, "SELECT count(*) FROM dfe_values WHERE dataset = ?", [dataset])[0][0]
    listed = query(real_db, "SELECT indicator_columns FROM dfe_datasets WHERE dataset = ?", [dataset])
    assert got == len(rows) * len(indicators)
    assert listed and sorted(listed[0][0]) == sorted(indicators)


@needs_shared_dfe
@pytest.mark.parametrize("name", REAL_EES)
def test_real_file_statuses_match_an_independent_count_of_the_csv(real_db, name):
    expected = csv_status_counts(SHARED_DFE / name)
    got = dict(query(real_db, "SELECT status, count(*) FROM dfe_values WHERE dataset = ? GROUP BY status",
                     [dataset_name(Path(name))]))
    assert got == dict(expected)


@needs_shared_dfe
@pytest.mark.parametrize("name", REAL_EES)
def test_real_file_numbers_add_up_to_the_csv_numbers(real_db, name):
    indicators, rows = csv_indicator_cells(SHARED_DFE / name)
    expected = math.fsum(float(r[c].replace(",", "")) for r in rows for c in indicators
                         if cell_status(r[c]) == "ok")
    got = query(real_db, "SELECT fsum(value) FROM dfe_values WHERE dataset = ?", [dataset_name(Path(name))])[0][0]
    assert math.isclose(got, expected, rel_tol=1e-12)


@needs_shared_dfe
def test_no_real_value_is_stored_unless_its_status_is_ok(real_db):
    wrong = query(real_db, "SELECT status, count(*) FROM dfe_values "
                           "WHERE (status <> 'ok') = (value IS NOT NULL) GROUP BY status")
    assert wrong == []


@needs_shared_dfe
def test_barnsley_old_and_new_codes_are_one_series(real_db):
    # The workforce file publishes Barnsley as E08000016 up to 2021 and E08000038 after.
    rows = query(real_db, "SELECT list(DISTINCT year ORDER BY year), list(DISTINCT new_la_code ORDER BY new_la_code) "
                          "FROM dfe_values WHERE dataset = 'csww_indicators' AND old_la_code = '370'")
    codes = query(real_db, "SELECT DISTINCT area_code FROM dfe_values WHERE old_la_code = '370'")
    assert codes == [("E08000038",)]
    assert rows == [(list(range(2017, 2026)), ["E08000016", "E08000038"])]


@needs_shared_dfe
def test_cumbria_keeps_its_own_code_beside_its_successors(real_db):
    rows = query(real_db, "SELECT DISTINCT area_code, area_name FROM dfe_values "
                          "WHERE old_la_code IN ('909', '942', '943') ORDER BY 1")
    assert rows == [("E06000063", "Cumberland"), ("E06000064", "Westmorland and Furness"), ("E10000006", "Cumbria")]


@needs_shared_dfe
def test_northamptonshire_ends_where_its_successors_begin(real_db):
    rows = query(real_db, "SELECT area_code, min(year), max(year) FROM dfe_values "
                          "WHERE dataset = 'b1_children_in_need' "
                          "AND area_code IN ('E10000021', 'E06000061', 'E06000062') GROUP BY 1 ORDER BY 1")
    assert rows == [("E06000061", 2022, 2025), ("E06000062", 2022, 2025), ("E10000021", 2013, 2021)]


@needs_shared_dfe
def test_every_la_in_each_real_neighbour_model_has_ten_different_neighbours(real_db):
    rows = query(real_db, "SELECT model, la_code, count(*), count(DISTINCT neighbour_code), min(rank), max(rank) "
                          "FROM statistical_neighbours GROUP BY ALL")
    assert {m for m, *_ in rows} == {"sn_2021", "sn_2025"}
    assert {tuple(r[2:]) for r in rows} == {(10, 10, 1, 10)}


@needs_shared_dfe
def test_real_neighbour_models_cover_every_la_in_their_files(real_db):
    las = dict(query(real_db, "SELECT model, count(DISTINCT la_code) FROM statistical_neighbours GROUP BY 1"))
    # 2025: 153 LAs; 2021: 152 LAs and the groups kept for 4 retired ones (Old SNs).
    assert las == {"sn_2025": 153, "sn_2021": 156}


@needs_shared_dfe
def test_real_neighbour_codes_are_the_codes_las_have_today(real_db):
    recoded = query(real_db, "SELECT DISTINCT n.la_code FROM statistical_neighbours AS n "
                             "LEFT JOIN la_reference AS r ON r.la_code IN (n.la_code, n.neighbour_code) "
                             "WHERE r.la_code IS NULL OR r.status = 'recoded'")
    barnsley = query(real_db, "SELECT DISTINCT model FROM statistical_neighbours WHERE la_code = 'E08000038' ORDER BY 1")
    assert recoded == []
    assert barnsley == [("sn_2021",), ("sn_2025",)]


@needs_shared_dfe
def test_real_neighbour_closeness_is_trimmed(real_db):
    untrimmed = query(real_db, "SELECT count(*) FROM statistical_neighbours WHERE closeness <> trim(closeness)")
    assert untrimmed == [(0,)]


# -- synthetic fixtures: values, statuses, codes -----------------------------------------

def test_symbols_and_blanks_are_statuses_beside_an_empty_value(synthetic_db):
    rows = query(synthetic_db, "SELECT status, value FROM dfe_values WHERE indicator = 'rate_per_10000' "
                               "AND status <> 'ok' ORDER BY status")
    assert rows == [(s, None) for s in sorted(["c", "k", "low", "u", "x", "z", ":", "..", "~", "-", "blank"])]


def test_synthetic_statuses_match_an_independent_count_of_the_csv(synthetic_db):
    got = dict(query(synthetic_db, "SELECT status, count(*) FROM dfe_values GROUP BY status"))
    assert got == dict(csv_status_counts(SYNTHETIC))


def test_numbers_with_thousands_separators_are_read_as_numbers(synthetic_db):
    rows = query(synthetic_db, "SELECT filters['age_group'], value FROM dfe_values "
                               "WHERE geographic_level = 'National' AND indicator = 'children_count' ORDER BY 1")
    assert rows == [("Total", 12345.0), ("Under 16", 10001.0)]


def test_upper_case_symbol_is_stored_as_the_published_lower_case_status(synthetic_db):
    rows = query(synthetic_db, "SELECT status, value FROM dfe_values WHERE area_code = 'E06000062' "
                               "AND indicator = 'children_count'")
    assert rows == [("c", None)]


def test_filter_values_are_kept_in_the_filters_map(synthetic_db):
    rows = query(synthetic_db, "SELECT DISTINCT filters FROM dfe_values WHERE area_code = 'E08000038' ORDER BY 1")
    assert rows == [({"age_group": "Total"},), ({"age_group": "Under 16"},)]


def test_recoded_la_is_one_series_with_the_published_codes_kept(synthetic_db):
    rows = query(synthetic_db, "SELECT DISTINCT time_period, area_code, area_name, old_la_code, new_la_code "
                               "FROM dfe_values WHERE old_la_code = '370' ORDER BY 1")
    assert rows == [("2020", "E08000038", "Barnsley", "370", "E08000016"),
                    ("2024", "E08000038", "Barnsley", "370", "E08000038")]


def test_national_and_regional_rows_use_country_and_region_codes(synthetic_db):
    rows = query(synthetic_db, "SELECT DISTINCT geographic_level, area_code, area_name, region_code FROM dfe_values "
                               "WHERE geographic_level <> 'Local authority' ORDER BY 2")
    assert rows == [("Regional", "E12000002", "North West", "E12000002"),
                    ("Regional", "E12000003", "Yorkshire and The Humber", "E12000003"),
                    ("National", "E92000001", "England", None)]


def test_rows_at_other_geographic_levels_are_skipped_with_a_notice(db, capsys):
    assert run_cli("load", "dfe", SYNTHETIC, "--db", db, "--quiet") == 0
    out = capsys.readouterr().out
    levels = query(db, "SELECT DISTINCT geographic_level FROM dfe_values ORDER BY 1")
    assert "skipped 1 row(s) at geographic levels this product does not use (Local authority district: 1)" in out
    assert levels == [("Local authority",), ("National",), ("Regional",)]


def test_dataset_is_recorded_with_its_columns_and_periods(synthetic_db):
    rows = query(synthetic_db, "SELECT d.dataset, d.file_name, d.filter_columns, d.indicator_columns, "
                               "list_sort(d.time_periods), l.kind FROM dfe_datasets AS d JOIN load_log AS l USING (load_id)")
    assert rows == [("synthetic_cin", "synthetic_cin_2020_to_2024.csv", ["age_group"],
                     ["children_count", "rate_per_10000"], ["2020", "2022", "2024"], "dfe")]


def ees_file(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


EES_HEADER = "time_period,time_identifier,geographic_level,country_code,country_name"


def test_year_is_the_calendar_year_a_two_year_period_ends_in(db, tmp_path):
    f = ees_file(tmp_path / "academic.csv", EES_HEADER + ",pupils",
                 ["202425,Academic year,National,E92000001,England,100", "2025,Calendar year,National,E92000001,England,90"])
    assert run_cli("load", "dfe", f, "--db", db, "--quiet") == 0
    assert query(db, "SELECT time_period, year FROM dfe_values ORDER BY 1") == [("202425", 2025), ("2025", 2025)]


def test_file_without_filter_columns_gets_empty_filter_maps(db, tmp_path):
    f = ees_file(tmp_path / "plain.csv", EES_HEADER + ",pupils", ["2025,Calendar year,National,E92000001,England,90"])
    assert run_cli("load", "dfe", f, "--db", db, "--quiet") == 0
    assert query(db, "SELECT filters, value, status FROM dfe_values") == [({}, 90.0, "ok")]


def test_number_column_with_a_total_label_is_a_filter(db, tmp_path):
    rows = [f"2025,Calendar year,National,E92000001,England,{age},{10 + i}" for i, age in enumerate(range(0, 19))]
    f = ees_file(tmp_path / "ages.csv", EES_HEADER + ",age,pupils",
                 rows + ["2025,Calendar year,National,E92000001,England,Total,500"])
    assert run_cli("load", "dfe", f, "--db", db, "--quiet") == 0
    assert query(db, "SELECT filter_columns, indicator_columns FROM dfe_datasets") == [(["age"], ["pupils"])]


def test_dataset_option_names_the_dataset(db):
    assert run_cli("load", "dfe", SYNTHETIC, "--dataset", "cin_test", "--db", db, "--quiet") == 0
    assert query(db, "SELECT DISTINCT dataset FROM dfe_values") == [("cin_test",)]


def test_two_files_cannot_load_under_one_dataset_name_in_one_command(db, tmp_path, capsys):
    other = ees_file(tmp_path / "other.csv", EES_HEADER + ",pupils", ["2025,Calendar year,National,E92000001,England,90"])
    before = snapshot(db)
    code = run_cli("load", "dfe", SYNTHETIC, other, "--dataset", "same", "--db", db, "--quiet")
    err = capsys.readouterr().err
    assert code == 1
    assert "other.csv: found 'same'; expected a dataset name not used by another file in the same command" in err
    assert snapshot(db) == before


def test_excel_and_parquet_files_load_the_same_values_as_the_csv(db, tmp_path):
    frame = pl.read_csv(SYNTHETIC, infer_schema=False)
    frame.write_parquet(tmp_path / "as_parquet.parquet")
    frame.write_excel(tmp_path / "as_excel.xlsx")
    assert run_cli("load", "dfe", SYNTHETIC, tmp_path / "as_parquet.parquet", tmp_path / "as_excel.xlsx",
                   "--db", db, "--quiet") == 0
    per = {}
    for dataset in ["synthetic_cin", "as_parquet", "as_excel"]:
        per[dataset] = query(db, "SELECT time_period, area_code, filters, indicator, value, status FROM dfe_values "
                                 "WHERE dataset = ? ORDER BY ALL", [dataset])
    assert len(per["as_parquet"]) == 28
    assert per["as_parquet"] == per["synthetic_cin"] == per["as_excel"]


# -- loading again, replacing ---------------------------------------------------------

def test_loading_the_same_file_again_is_skipped_and_changes_nothing(synthetic_db, capsys):
    before = snapshot(synthetic_db)
    capsys.readouterr()
    assert run_cli("load", "dfe", SYNTHETIC, "--db", synthetic_db, "--quiet") == 0
    assert "already loaded, same content as load #1" in capsys.readouterr().out
    assert snapshot(synthetic_db) == before


def changed_copy(source: Path, folder: Path, old: str, new: str) -> Path:
    folder.mkdir(exist_ok=True)
    target = folder / source.name
    target.write_text(source.read_text(encoding="utf-8-sig").replace(old, new, 1), encoding="utf-8")
    return target


def test_replace_swaps_the_dataset_and_says_what_it_replaced(synthetic_db, tmp_path, capsys):
    newer = changed_copy(SYNTHETIC, tmp_path / "newer", '"12,345"', '"12,346"')
    capsys.readouterr()
    assert run_cli("load", "dfe", newer, "--replace", "--db", synthetic_db, "--quiet") == 0
    out = capsys.readouterr().out
    assert ("replaced dataset 'synthetic_cin': 28 values from load #1 "
            "(synthetic_cin_2020_to_2024.csv)") in out
    assert query(synthetic_db, "SELECT DISTINCT load_id FROM dfe_values") == [(3,)]
    assert query(synthetic_db, "SELECT load_id FROM dfe_datasets") == [(3,)]
    assert query(synthetic_db, "SELECT max(value) FROM dfe_values") == [(12346.0,)]


def test_changed_file_for_a_loaded_dataset_without_replace_changes_nothing(synthetic_db, tmp_path):
    newer = changed_copy(SYNTHETIC, tmp_path / "newer", '"12,345"', '"12,346"')
    before = snapshot(synthetic_db)
    assert run_cli("load", "dfe", newer, "--db", synthetic_db, "--quiet") == 1
    assert snapshot(synthetic_db) == before


def test_replace_swaps_a_neighbour_model(synthetic_db, tmp_path, capsys):
    newer = changed_copy(SYNTHETIC_SN, tmp_path / "newer", "Extremely close", "Very close")
    capsys.readouterr()
    assert run_cli("load", "dfe", newer, "--replace", "--db", synthetic_db, "--quiet") == 0
    out = capsys.readouterr().out
    assert "replaced statistical neighbours 'sn_2024': 11 LAs from load #2 (sn_model_test_2024_wide.csv)" in out
    assert query(synthetic_db, "SELECT count(*), min(load_id) FROM statistical_neighbours") == [(110, 3)]


def test_one_bad_file_rejects_the_whole_command(db, tmp_path):
    bad = ees_file(tmp_path / "bad.csv", EES_HEADER + ",pupils", ["2025,Calendar year,National,E92000001,England,90",
                                                                 "2025,Calendar year,National,E92000001,England,91"])
    before = snapshot(db)
    assert run_cli("load", "dfe", SYNTHETIC, SYNTHETIC_SN, bad, "--db", db, "--quiet") == 1
    assert snapshot(db) == before


# -- neighbours -------------------------------------------------------------------------

def test_synthetic_neighbours_are_ranked_with_trimmed_closeness(synthetic_db):
    rows = query(synthetic_db, "SELECT rank, neighbour_code, closeness FROM statistical_neighbours "
                               "WHERE model = 'sn_2024' AND la_code = 'E08000038' AND rank IN (1, 4, 10) ORDER BY rank")
    assert rows == [(1, "E08000017", "Extremely close"), (4, "E08000032", "Close"), (10, "E06000011", "Not close")]


def layout_2021(path: Path) -> Path:
    """The synthetic neighbours in the 2021 layout: SNk, SNP pairs, a trailing empty column and
    an 'Old SNs:' heading row above a retired LA's group."""
    with SYNTHETIC_SN.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["LA num", "LA Name", "LA number", "GOInd", "GOReg"]
               + [x for k in range(1, 11) for x in (f"SN{k}", "SNP")] + [""])
    for r in rows:
        w.writerow([r[0], r[1], r[0], "4", r[3]] + r[4:] + [""])
    w.writerow([""] * 26)
    w.writerow(["", "Old SNs:"] + [""] * 24)
    w.writerow(["928", "Northamptonshire", "928", "1", "East Midlands"]
               + [x for c in ["370", "371", "372", "373", "380", "381", "382", "383", "384", "810"] for x in (c, "Close")]
               + [""])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_2021_layout_with_repeated_snp_headers_loads(db, tmp_path, capsys):
    f = layout_2021(tmp_path / "Statistical_Neighbour_Groupings_April_2021.csv")
    assert run_cli("load", "dfe", f, "--db", db, "--quiet") == 0
    out = capsys.readouterr().out
    rows = query(db, "SELECT model, count(DISTINCT la_code), count(*), count(closeness) FROM statistical_neighbours GROUP BY 1")
    assert rows == [("sn_2021", 12, 120, 120)]
    assert "skipped 1 row(s) with no LA code and no neighbours (headings: 'Old SNs:')" in out


def test_retired_la_keeps_its_own_neighbour_group(db, tmp_path):
    f = layout_2021(tmp_path / "Statistical_Neighbour_Groupings_April_2021.csv")
    assert run_cli("load", "dfe", f, "--db", db, "--quiet") == 0
    rows = query(db, "SELECT rank, neighbour_code, closeness FROM statistical_neighbours "
                     "WHERE la_code = 'E10000021' AND rank = 1")
    assert rows == [(1, "E08000038", "Close")]


def test_dataset_option_names_a_neighbour_model(db, tmp_path):
    f = tmp_path / "neighbours.csv"
    shutil.copy(SYNTHETIC_SN, f)
    assert run_cli("load", "dfe", f, "--dataset", "sn_test", "--db", db, "--quiet") == 0
    assert query(db, "SELECT DISTINCT model FROM statistical_neighbours") == [("sn_test",)]


def test_2021_layout_from_excel_reads_closeness_for_every_rank(db, tmp_path):
    import xlsxwriter

    source = layout_2021(tmp_path / "groups.csv")
    target = tmp_path / "Statistical_Neighbour_Groupings_April_2021.xlsx"
    with source.open(encoding="utf-8", newline="") as fh, xlsxwriter.Workbook(str(target)) as book:
        sheet = book.add_worksheet()
        for i, row in enumerate(csv.reader(fh)):
            for j, value in enumerate(row):
                if value:
                    sheet.write(i, j, int(value) if value.isdigit() else value)
    assert run_cli("load", "dfe", target, "--db", db, "--quiet") == 0
    rows = query(db, "SELECT count(*), count(closeness) FROM statistical_neighbours")
    assert rows == [(120, 120)]


def test_number_too_large_to_store_is_a_problem_not_infinity(db, tmp_path, capsys):
    rows = [f"2025,Calendar year,National,E92000001,England,age {age},{10 + age}" for age in range(12)]
    rows[5] = "2025,Calendar year,National,E92000001,England,age 5,1e999"
    f = ees_file(tmp_path / "huge.csv", EES_HEADER + ",age_group,pupils", rows)
    assert run_cli("load", "dfe", f, "--db", db, "--quiet") == 1
    assert "huge.csv, row 7, column 'pupils': found '1e999'; expected a number" in capsys.readouterr().err


def test_columns_named_like_the_stored_columns_keep_their_own_values(db, tmp_path):
    f = ees_file(tmp_path / "clash.csv", EES_HEADER + ",year,area_code,value",
                 ["2025,Calendar year,National,E92000001,England,Year 1,North,7",
                  "2025,Calendar year,National,E92000001,England,Year 2,North,8"])
    assert run_cli("load", "dfe", f, "--db", db, "--quiet") == 0
    rows = query(db, "SELECT year, area_code, filters, indicator, value FROM dfe_values ORDER BY value")
    assert rows == [(2025, "E92000001", {"year": "Year 1", "area_code": "North"}, "value", 7.0),
                    (2025, "E92000001", {"year": "Year 2", "area_code": "North"}, "value", 8.0)]


def test_next_years_publication_is_the_same_dataset_as_this_years():
    assert dataset_name(Path("b1_children_in_need_2013_to_2025.csv")) == "b1_children_in_need"
    assert dataset_name(Path("b1_children_in_need_2013_to_2026.csv")) == "b1_children_in_need"
    assert dataset_name(Path("la_cla_swcount.csv")) == "la_cla_swcount"
