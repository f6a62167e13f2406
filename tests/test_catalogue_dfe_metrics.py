"""The DfE dashboard metrics of indicators/dfe_metrics.yaml, checked against the real DfE files.

Every metric must name a real file (its dataset is the file stem less any year range), a value column of that file
and filter values that occur in it; loaded through the real DfE loader, its filters must pick
exactly one row per area and year, and the England figure for the latest year must be the one
read here, independently, from the CSV with the csv module. The real files are loaded once per
module; without ../shared the file checks skip with the reason."""
from __future__ import annotations

import csv
import math
from functools import lru_cache
from pathlib import Path

import duckdb
import pytest
import yaml

from dashboard import paths
from dashboard.catalogue import DfeMetric, load_catalogue
from dashboard.loaders.dfe import dataset_name
from dashboard.loaders.dfe_sheets import DATASETS as ODS_DATASETS
from tests.conftest import SHARED_DFE, needs_shared_dfe, run_cli

YAML_FILE = paths.INDICATORS / "dfe_metrics.yaml"
ENGLAND = "E92000001"
LOCAL_AUTHORITY = "Local authority"

# The ids, read from the YAML itself so that a catalogue that fails to load still lists them.
_ITEMS = (yaml.safe_load(YAML_FILE.read_text(encoding="utf-8")) or {}).get("indicators") or []
METRIC_IDS = [item["id"] for item in _ITEMS]
WITH_COUNTS = [item["id"] for item in _ITEMS if item.get("count_indicator")]
# Metrics of the OpenDocument spreadsheets (read through dashboard.loaders.dfe_sheets, checked against
# the raw files in tests/test_dfe_ods.py): the checks below that read a CSV with the csv module skip them.
ODS_FILES = {"rsx_revenue_outturn": "RSX_LA_Data_2024-25_data_by_LA.ods",
             "ro3_revenue_outturn": "RO3_LA_Data_2024-25_data_by_LA.ods",
             "la_inspection_outcomes": "LA_Inspection_Outcomes_as_at_31_March_2025.ods"}
# Metrics of OHID Fingertips files (Area Code, Time period as 2023/24, Value, Count, Denominator): the
# EES-layout checks below skip them; their own checks follow, and tests/test_dfe_peer.py checks every LA.
FINGERTIPS_FILES = {"region_hospital_admissions_2324"}
CSV_IDS = [item["id"] for item in _ITEMS if item.get("dataset") not in ODS_FILES]
EES_CSV_IDS = [item["id"] for item in _ITEMS if item.get("dataset") not in set(ODS_FILES) | FINGERTIPS_FILES]
FINGERTIPS_IDS = [item["id"] for item in _ITEMS if item.get("dataset") in FINGERTIPS_FILES]


# England, latest year, read by eye from the shared files (and matching the DfE's published
# national figures): catches a metric pointed at the wrong column or row, which a check that
# reads the file through the metric's own mapping could not. A new edition of a file changes them.
HAND_READ = {
    "dfe_repeat_referrals": ("2025", 22.6),
    "dfe_cla_starting_rate": ("2025", 26),
    "dfe_cla_rate_31_march": ("2025", 67),
    "dfe_cla_mid_year_school_moves": ("2024", 8),
    "dfe_repeat_child_protection_plans": ("2025", 24.5),
    "dfe_cla_three_or_more_placements": ("2025", 10),
    "dfe_cla_long_term_stability": ("2025", 69),
    "dfe_care_leavers_eet_17_18": ("2025", 64),
    "dfe_care_leavers_eet_19_21": ("2025", 54),
    "dfe_care_leavers_suitable_accommodation_17_18": ("2025", 91),
    "dfe_care_leavers_suitable_accommodation_19_21": ("2025", 89),
    "dfe_social_worker_turnover": ("2025", 11.8),
    "dfe_social_worker_agency_rate": ("2025", 13.0),
    "dfe_social_worker_vacancy_rate": ("2025", 14.2),
    "dfe_social_worker_caseload": ("2025", 15.2),
    "dfe_cla_three_or_more_social_workers": ("2024", 27),
    # Counts for rates per 10,000 (the rate is computed with the ONS population).
    "dfe_cin_rate": ("2025", 402400),
    "dfe_overall_absence_cin": ("202425", 17.4),
    "dfe_overall_absence_cpp": ("202425", 21.8),
    "dfe_overall_absence_cla": ("202425", 9),
    "dfe_persistent_absence_cin": ("202425", 46),
    "dfe_persistent_absence_cpp": ("202425", 55.4),
    "dfe_persistent_absence_cla": ("202425", 20.3),
    "dfe_severe_absence_cin": ("202425", 11.3),
    "dfe_severe_absence_cpp": ("202425", 15.4),
    "dfe_severe_absence_cla": ("202425", 6.4),
    "dfe_ks2_expected_standard_cin": ("202425", 30),
    "dfe_ks2_expected_standard_cpp": ("202425", 32),
    "dfe_ks2_expected_standard_cla": ("202425", 35),
    "dfe_ks4_attainment8_cin": ("202425", 17.3),
    "dfe_ks4_attainment8_cpp": ("202425", 16.9),
    "dfe_ks4_attainment8_cla": ("202425", 17.3),
    "dfe_cpp_longer_than_2_years": ("2025", 2.3),
    "dfe_assessment_factor_domestic_abuse_child": ("2025", 57930),
    "dfe_assessment_factor_domestic_abuse_parent": ("2025", 162890),
    "dfe_assessment_factor_domestic_abuse_person": ("2025", 25560),
    "dfe_assessment_factor_emotional_abuse": ("2025", 97700),
    "dfe_assessment_factor_faith_linked_abuse": ("2025", 2240),
    "dfe_assessment_factor_neglect": ("2025", 90370),
    "dfe_assessment_factor_physical_abuse_adult_on_child": ("2025", 61410),
    "dfe_assessment_factor_physical_abuse_child_on_child": ("2025", 15270),
    "dfe_assessment_factor_physical_abuse_unknown": ("2025", 0),
    "dfe_assessment_factor_sexual_abuse_adult_on_child": ("2025", 18900),
    "dfe_assessment_factor_sexual_abuse_child_on_child": ("2025", 12590),
    "dfe_assessment_factor_sexual_abuse_unknown": ("2025", 0),
    "dfe_assessment_factor_child_criminal_exploitation": ("2025", 16250),
    "dfe_assessment_factor_child_sexual_exploitation": ("2025", 12400),
    "dfe_assessment_factor_gangs": ("2025", 8860),
    "dfe_assessment_factor_going_missing": ("2025", 16940),
    "dfe_assessment_factor_trafficking": ("2025", 2250),
    "dfe_cla_sdq_average": ("2025", 14.9),
    # Fingertips (per 10,000 children aged 0 to 14, England 2023/24: 72,293 admissions / 9,942,344).
    "dfe_hospital_admissions_injuries": ("202324", 72.71223),
    # The spreadsheets: England's children's social care expenditure (GBP thousand, the ENGLAND row
    # of RSX and RO3, 2024-25) and the number of LAs with each Ofsted leadership judgement (153 in all).
    "dfe_spend_share_childrens_services": ("202425", 16878876.02917),
    "dfe_spend_per_child": ("202425", 16878876.02917),
    "dfe_spend_share_not_cla": ("202425", 16878876.02917),
    "dfe_ofsted_leadership_outstanding": ("2025", 45),
    "dfe_ofsted_leadership_good": ("2025", 60),
    "dfe_ofsted_leadership_requires_improvement": ("2025", 33),
    "dfe_ofsted_leadership_inadequate": ("2025", 15),
}
ANY = "*"  # a filter value that takes any value of its column (a `version` that changes by year)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="module")
def metrics(catalogue) -> dict[str, DfeMetric]:
    return {i.id: i for i in catalogue.indicators if isinstance(i, DfeMetric)}


@pytest.fixture(scope="module")
def real_db(tmp_path_factory, metrics) -> Path:
    db = tmp_path_factory.mktemp("dfe-metrics") / "real.duckdb"
    files = sorted({SHARED_DFE / ODS_FILES[m.dataset] if m.dataset in ODS_FILES else csv_path(m.dataset)
                    for m in metrics.values()})
    assert run_cli("load", "dfe", *files, "--db", db, "--quiet") == 0
    return db


def csv_path(dataset: str) -> Path:
    """The shared file loaded under `dataset` (its stem, less any trailing year range)."""
    matches = sorted(p for p in SHARED_DFE.glob(f"{dataset}*.csv") if dataset_name(p) == dataset)
    return matches[0] if matches else SHARED_DFE / f"{dataset}.csv"


@lru_cache(maxsize=None)
def csv_rows(dataset: str) -> tuple[dict, ...]:
    """The file's rows, read with the csv module (byte-order mark dropped, cells trimmed)."""
    with csv_path(dataset).open(encoding="utf-8-sig", newline="") as fh:
        return tuple({k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh))


def query(db: Path, sql: str, params: list) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def selected(db: Path, m: DfeMetric, indicator: str, filters: dict[str, str], columns: str) -> list[tuple]:
    """The dfe_values rows a metric picks: its dataset and column, every filter value, and no other
    filter (the map holds exactly the metric's keys)."""
    where = ["dataset = ?", "indicator = ?", "cardinality(filters) = ?"]
    params: list = [m.dataset, indicator, len(filters)]
    for key, value in filters.items():
        if value == ANY:
            continue
        where.append("map_extract_value(filters, ?) = ?")
        params += [key, value]
    return query(db, f"SELECT {columns} FROM dfe_values WHERE {' AND '.join(where)}", params)


def decimals_of(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def england_rows(m: DfeMetric, filters: dict[str, str]) -> list[dict]:
    return [r for r in csv_rows(m.dataset)
            if r["geographic_level"] == "National" and all(v == ANY or r[k] == v for k, v in filters.items())]


# -- the catalogue --------------------------------------------------------------------------

def test_the_dfe_metrics_file_lists_metrics():
    assert len(METRIC_IDS) >= 10


def test_metric_ids_are_unique():
    assert len(METRIC_IDS) == len(set(METRIC_IDS))


def test_every_metric_has_a_hand_read_england_value():
    assert sorted(HAND_READ) == sorted(METRIC_IDS)


def test_the_spreadsheet_datasets_are_those_the_loader_names():
    assert set(ODS_FILES) == set(ODS_DATASETS.values())


@pytest.mark.parametrize("metric_id", METRIC_IDS)
def test_metric_loads_as_a_dfe_metric_of_a_known_domain(catalogue, metrics, metric_id):
    assert metric_id in metrics
    assert metric_id.startswith("dfe_")
    assert metrics[metric_id].domain in catalogue.domain_ids()


@pytest.mark.parametrize("metric_id", METRIC_IDS)
def test_count_indicator_and_base_filters_come_together(metrics, metric_id):
    m = metrics[metric_id]
    # The base is either the count column on other rows (base_filters) or another column of the same row.
    assert (m.count_indicator is None) == (m.base_filters is None and m.base_indicator is None)
    assert m.base_filters is None or m.base_indicator is None


# -- the real files ---------------------------------------------------------------------------

@needs_shared_dfe
@pytest.mark.parametrize("metric_id", CSV_IDS)
def test_metric_names_a_real_file_and_its_value_column(metrics, metric_id):
    m = metrics[metric_id]
    assert csv_path(m.dataset).is_file(), f"no file {m.dataset}.csv in {SHARED_DFE}"
    header = csv_rows(m.dataset)[0].keys()
    assert m.indicator in header
    if m.count_indicator:
        assert m.count_indicator in header


@needs_shared_dfe
@pytest.mark.parametrize("metric_id", CSV_IDS)
def test_every_filter_value_occurs_in_its_column_of_the_file(metrics, metric_id):
    m = metrics[metric_id]
    rows = csv_rows(m.dataset)
    for filters in (m.filters, m.base_filters or {}):
        for column, value in filters.items():
            assert column in rows[0], f"{m.dataset} has no column '{column}'"
            assert value == ANY or any(r[column] == value for r in rows), \
                f"'{value}' never occurs in {m.dataset}.{column}"


@needs_shared_dfe
@pytest.mark.parametrize("metric_id", METRIC_IDS)
def test_filters_name_every_filter_column_of_the_file(real_db, metrics, metric_id):
    m = metrics[metric_id]
    [(columns,)] = query(real_db, "SELECT filter_columns FROM dfe_datasets WHERE dataset = ?", [m.dataset])
    assert sorted(m.filters) == sorted(columns)
    if m.base_filters is not None:
        assert sorted(m.base_filters) == sorted(columns)


@needs_shared_dfe
@pytest.mark.parametrize("metric_id", METRIC_IDS)
def test_metric_selects_one_row_per_area_and_year(real_db, metrics, metric_id):
    m = metrics[metric_id]
    counts = selected(real_db, m, m.indicator, m.filters, "area_code, year")
    assert counts, "the filters select nothing"
    per_key: dict[tuple, int] = {}
    for key in counts:
        per_key[key] = per_key.get(key, 0) + 1
    assert max(per_key.values()) == 1, [k for k, n in per_key.items() if n > 1][:5]


@needs_shared_dfe
@pytest.mark.parametrize("metric_id", METRIC_IDS)
def test_latest_year_has_england_and_local_authority_values(real_db, metrics, metric_id):
    m = metrics[metric_id]
    rows = selected(real_db, m, m.indicator, m.filters, "year, geographic_level, area_code, status")
    latest = max(r[0] for r in rows)
    now = [r for r in rows if r[0] == latest]
    assert [r[3] for r in now if r[2] == ENGLAND] == ["ok"]
    assert any(r[1] == LOCAL_AUTHORITY and r[3] == "ok" for r in now)


@needs_shared_dfe
@pytest.mark.parametrize("metric_id", EES_CSV_IDS)
def test_england_latest_value_is_the_one_in_the_csv(real_db, metrics, metric_id):
    m = metrics[metric_id]
    by_hand = england_rows(m, m.filters)
    latest = max(r["time_period"] for r in by_hand)
    [row] = [r for r in by_hand if r["time_period"] == latest]
    loaded = [v for v, area, tp in selected(real_db, m, m.indicator, m.filters, "value, area_code, time_period")
              if area == ENGLAND and tp == latest]
    assert loaded == [float(row[m.indicator])]


@needs_shared_dfe
@pytest.mark.parametrize("metric_id", METRIC_IDS)
def test_england_latest_value_is_the_one_read_by_hand(real_db, metrics, metric_id):
    m = metrics[metric_id]
    year, value = HAND_READ[metric_id]
    rows = selected(real_db, m, m.indicator, m.filters, "time_period, value, area_code")
    latest = max(r[0] for r in rows)
    assert (latest, [r[1] for r in rows if r[0] == latest and r[2] == ENGLAND]) == (year, [value])


@needs_shared_dfe
@pytest.mark.parametrize("metric_id", EES_CSV_IDS)
def test_decimals_are_those_the_dfe_publishes(metrics, metric_id):
    m = metrics[metric_id]
    rows = [r for r in csv_rows(m.dataset) if all(v == ANY or r[k] == v for k, v in m.filters.items())]
    published = {decimals_of(r[m.indicator]) for r in rows if r[m.indicator].replace(".", "", 1).isdigit()}
    assert max(published) == m.decimals


@needs_shared_dfe
@pytest.mark.parametrize("metric_id", WITH_COUNTS)
def test_count_over_base_gives_the_published_england_percentage(real_db, metrics, metric_id):
    m = metrics[metric_id]
    latest = max(r["time_period"] for r in england_rows(m, m.filters))
    [count] = [float(r[m.count_indicator]) for r in england_rows(m, m.filters) if r["time_period"] == latest]
    if m.base_indicator:
        [base] = [float(r[m.base_indicator]) for r in england_rows(m, m.filters) if r["time_period"] == latest]
    else:
        [base] = [float(r[m.count_indicator]) for r in england_rows(m, m.base_filters) if r["time_period"] == latest]
    [published] = [float(r[m.indicator]) for r in england_rows(m, m.filters) if r["time_period"] == latest]
    # The DfE rounds counts to the nearest 10 and percentages to whole numbers: within one point.
    assert math.isclose(100 * count / base, published, abs_tol=1.0)
    base_rows = selected(real_db, m, m.base_indicator or m.count_indicator, m.base_filters or m.filters,
                         "area_code, year")
    assert len(base_rows) == len(set(base_rows))


@needs_shared_dfe
@pytest.mark.parametrize("metric_id", FINGERTIPS_IDS)
def test_fingertips_england_latest_value_is_the_one_in_the_csv(real_db, metrics, metric_id):
    m = metrics[metric_id]
    rows = [r for r in csv_rows(m.dataset) if r["Area Code"] == ENGLAND
            and all(r[k] == v for k, v in m.filters.items())]
    latest = max(r["Time period"] for r in rows)
    published = {r[m.indicator] for r in rows if r["Time period"] == latest}
    loaded = [v for v, area, tp in selected(real_db, m, m.indicator, m.filters, "value, area_code, time_period")
              if area == ENGLAND and tp == latest.replace("/", "")]
    assert loaded == [float(v) for v in published]
    # The value is Count per 10,000 of Denominator; the DfE shows it as a whole number (true_round 0).
    [count] = {r["Count"] for r in rows if r["Time period"] == latest}
    [base] = {r["Denominator"] for r in rows if r["Time period"] == latest}
    assert math.isclose(10000 * float(count) / float(base), loaded[0], abs_tol=1e-4)
    assert m.decimals == 0


@needs_shared_dfe
@pytest.mark.parametrize("metric_id", FINGERTIPS_IDS)
def test_fingertips_la_rows_are_those_of_the_la_file(metrics, metric_id):
    """The DfE reads LA and England rows from la_hospital_admissions_2324.csv and only the regions
    from the region file; the metric reads all from the region file, which has the same rows."""
    m = metrics[metric_id]
    cells = ("Area Code", "Time period", "Value", "Count", "Denominator")

    def rows(dataset: str) -> set[tuple]:
        return {tuple(r[c] for c in cells) for r in csv_rows(dataset) if r["Area Type"] != "Regions (statistical)"
                and all(r[k] == v for k, v in m.filters.items())}

    assert rows(m.dataset) == rows(m.dataset.replace("region_", "la_", 1))
