"""Real-world shapes of DfE files: 2013 LA codes, 'z' areas, two time identifiers for one period,
and the non-statistics files that sit in a folder of DfE downloads."""
from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SHARED_DFE, needs_shared_dfe, run_cli, snapshot

HEADER = ["time_period", "time_identifier", "geographic_level", "country_code", "country_name",
          "region_code", "region_name", "old_la_code", "new_la_code", "la_name", "category", "At31_episodes"]
ENGLAND = ["E92000001", "England"]
NORTH_EAST = ["E12000001", "North East"]


def write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def row(period: str, level: str, region: list[str], old: str, new: str, name: str, value: str,
        ident: str = "Reporting year") -> list[str]:
    return [period, ident, level, *ENGLAND, *region, old, new, name, "Children in Need", value]


def values(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_2013_gateshead_code_joins_todays_gateshead(tmp_path):
    f = write(tmp_path / "b1.csv", [row("2013", "Local authority", NORTH_EAST, "390", "E08000020", "Gateshead", "700"),
                                    row("2025", "Local authority", NORTH_EAST, "390", "E08000037", "Gateshead", "650")])
    assert run_cli("load", "dfe", f, "--db", tmp_path / "x.duckdb", "--quiet") == 0
    assert values(tmp_path / "x.duckdb", "SELECT DISTINCT area_code FROM dfe_values") == [("E08000037",)]


def test_2013_northumberland_code_joins_todays_northumberland(tmp_path):
    f = write(tmp_path / "b1.csv", [row("2013", "Local authority", NORTH_EAST, "929", "E06000048", "Northumberland", "9")])
    assert run_cli("load", "dfe", f, "--db", tmp_path / "x.duckdb", "--quiet") == 0
    assert values(tmp_path / "x.duckdb", "SELECT DISTINCT area_code FROM dfe_values") == [("E06000057",)]


def test_z_areas_are_skipped_with_a_notice_that_counts_them(tmp_path, capsys):
    f = write(tmp_path / "b1.csv", [
        row("2025", "National", ["", ""], "", "", "", "400000"),
        row("2025", "Local authority", ["z", "Unknown"], "z", "z", "Unknown", "30"),
        row("2025", "Local authority", ["z", "Outside of England"], "z", "z", "Outside of England", "12"),
        row("2025", "Local authority", NORTH_EAST, "390", "E08000037", "Gateshead", "650")])
    assert run_cli("load", "dfe", f, "--db", tmp_path / "x.duckdb") == 0
    assert "skipped 2 row(s) whose area code is 'z'" in capsys.readouterr().out
    assert values(tmp_path / "x.duckdb", "SELECT count(*) FROM dfe_values") == [(2,)]


def test_two_time_identifiers_for_one_period_are_refused_naming_file_and_rows(tmp_path, capsys):
    f = write(tmp_path / "b1.csv", [
        row("2025", "National", ["", ""], "", "", "", "400000"),
        row("2025", "Local authority", NORTH_EAST, "390", "E08000037", "Gateshead", "650", ident="Calendar year")])
    db = tmp_path / "x.duckdb"
    assert run_cli("load", "dfe", f, "--db", db) != 0
    out = capsys.readouterr()
    said = out.out + out.err
    assert "b1.csv, row 3, column 'time_identifier'" in said
    assert "2025 is 'Reporting year' on row 2" in said


def test_a_refused_time_identifier_clash_leaves_the_database_unchanged(tmp_path):
    db = tmp_path / "x.duckdb"
    good = write(tmp_path / "good.csv", [row("2024", "National", ["", ""], "", "", "", "1")])
    assert run_cli("load", "dfe", good, "--db", db, "--quiet") == 0
    before = snapshot(db)
    bad = write(tmp_path / "b1.csv", [row("2025", "National", ["", ""], "", "", "", "2"),
                                      row("2025", "Regional", NORTH_EAST, "", "", "", "3", ident="Calendar year")])
    assert run_cli("load", "dfe", bad, "--db", db, "--quiet") != 0
    assert snapshot(db) == before


def test_readme_in_the_folder_is_skipped_with_a_notice(tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text("# DfE files\n")
    f = write(tmp_path / "b1.csv", [row("2025", "National", ["", ""], "", "", "", "400000")])
    assert run_cli("load", "dfe", readme, f, "--db", tmp_path / "x.duckdb") == 0
    assert "README.md: skipped, a documentation file" in capsys.readouterr().out


@needs_shared_dfe
def test_every_file_in_the_shared_folder_loads_in_one_command(tmp_path):
    # The OpenDocument spreadsheets (Ofsted judgements, RSX and RO3 outturn) included: see tests/test_dfe_ods.py.
    files = sorted(SHARED_DFE.iterdir())
    assert any(p.suffix == ".ods" for p in files)
    assert run_cli("load", "dfe", *files, "--db", tmp_path / "all.duckdb", "--quiet") == 0


@needs_shared_dfe
def test_a_fingertips_file_loads_as_financial_years_with_sex_age_and_category_as_filters(tmp_path, capsys):
    db = tmp_path / "ft.duckdb"
    assert run_cli("load", "dfe", SHARED_DFE / "region_hospital_admissions_2324.csv", "--db", db) == 0
    assert "read as an OHID Fingertips file" in capsys.readouterr().out
    with (SHARED_DFE / "region_hospital_admissions_2324.csv").open(encoding="utf-8-sig", newline="") as fh:
        [england] = {r["Value"] for r in csv.DictReader(fh) if r["Area Code"] == "E92000001"
                     and r["Time period"] == "2023/24" and r["Sex"] == "Persons" and not r["Category"]}
    rows = values(db, "SELECT time_identifier, value FROM dfe_values WHERE area_code = 'E92000001' AND "
                      "time_period = '202324' AND indicator = 'Value' AND filters['Sex'] = 'Persons' "
                      "AND filters['Category'] = ''")
    assert rows == [("Financial year", float(england))]
    regions = values(db, "SELECT count(DISTINCT area_code) FROM dfe_values WHERE geographic_level = 'Regional'")
    assert regions == [(9,)]


def test_years_and_months_durations_are_stored_as_months(tmp_path, capsys):
    f = tmp_path / "adoption.csv"
    f.write_text("time_period,time_identifier,geographic_level,country_code,country_name,stage,number\n"
                 "2025,Reporting year,National,E92000001,England,Average time to match,01:02\n"
                 "2025,Reporting year,National,E92000001,England,Children adopted,2150\n"
                 "2024,Reporting year,National,E92000001,England,Average time to match,c\n")
    db = tmp_path / "x.duckdb"
    assert run_cli("load", "dfe", f, "--db", db) == 0
    assert "stored as months (14)" in capsys.readouterr().out
    got = values(db, "SELECT time_period, filters['stage'], value, status FROM dfe_values ORDER BY 1, 2")
    assert got == [("2024", "Average time to match", None, "c"), ("2025", "Average time to match", 14.0, "ok"),
                   ("2025", "Children adopted", 2150.0, "ok")]
