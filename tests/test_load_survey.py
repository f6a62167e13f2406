"""The Bright Spots survey loader on good files: long and wide layouts, CSV, Excel and Parquet,
normalisation, counting at load, provenance, idempotency and --replace."""
from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.conftest import GOOD_INPUTS, run_cli, snapshot

KENT = GOOD_INPUTS / "bright-spots" / "kent_2024_long.csv"

LONG_ROWS = [
    # respondent_id, la_code, survey, wave, age_band, question_id, answer, gender, placement_type
    ("a1", "E06000018", "YLYC", "2025", "11-17", "life_satisfaction", "8", "girl", "foster"),
    ("a1", "E06000018", "YLYC", "2025", "11-17", "feel_safe_home", "All or most of the time", "girl", "foster"),
    ("a2", "E06000018", "YLYC", "2025", "11-17", "life_satisfaction", "3", "boy", "residential"),
    ("a2", "E06000018", "YLYC", "2025", "11-17", "feel_safe_home", "Prefer not to say", "boy", "residential"),
    ("a3", "E06000018", "YLYC", "2025", "11-17", "life_satisfaction", "", "girl", "kinship"),
    ("a3", "E06000018", "YLYC", "2025", "11-17", "feel_safe_home", "sometimes", "girl", "kinship"),
]
HEADER = ["respondent_id", "la_code", "survey", "wave", "age_band", "question_id", "answer", "gender", "placement_type"]


def long_frame() -> pl.DataFrame:
    return pl.DataFrame(LONG_ROWS, schema=HEADER, orient="row")


def wide_frame() -> pl.DataFrame:
    long = long_frame()
    return long.pivot(on="question_id", index=[c for c in HEADER if c not in ("question_id", "answer")],
                      values="answer").with_columns(pl.all().replace("", None))


def counts(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT la_code, survey, wave, age_band, question_id, gender, placement_type, disability, "
            "answer, answer_value, not_answered, n FROM survey_answer_counts ORDER BY ALL").fetchall()
    finally:
        con.close()


def query(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture
def long_csv(tmp_path) -> Path:
    path = tmp_path / "nottingham_2025_long.csv"
    long_frame().write_csv(path)
    return path


def test_long_csv_loads_every_answer_with_canonical_wording(db, long_csv):
    assert run_cli("load", "bright-spots", long_csv, "--db", db) == 0
    rows = query(db, "SELECT respondent_id, question_id, answer, answer_value, not_answered FROM survey_responses ORDER BY 1, 2")
    assert rows == [
        ("a1", "feel_safe_home", "All or most of the time", None, None),
        ("a1", "life_satisfaction", "8", 8, None),
        ("a2", "feel_safe_home", None, None, "prefer_not_to_say"),
        ("a2", "life_satisfaction", "3", 3, None),
        ("a3", "feel_safe_home", "Sometimes", None, None),
        ("a3", "life_satisfaction", None, None, "blank"),
    ]


def test_answers_are_counted_once_at_load_by_every_dimension(db, long_csv):
    run_cli("load", "bright-spots", long_csv, "--db", db)
    got = query(db, "SELECT question_id, gender, placement_type, coalesce(answer, not_answered), n "
                    "FROM survey_answer_counts ORDER BY ALL")
    assert got == [
        ("feel_safe_home", "boy", "residential", "prefer_not_to_say", 1),
        ("feel_safe_home", "girl", "foster", "All or most of the time", 1),
        ("feel_safe_home", "girl", "kinship", "Sometimes", 1),
        ("life_satisfaction", "boy", "residential", "3", 1),
        ("life_satisfaction", "girl", "foster", "8", 1),
        ("life_satisfaction", "girl", "kinship", "blank", 1),
    ]
    assert query(db, "SELECT sum(n) FROM survey_answer_counts") == query(db, "SELECT count(*) FROM survey_responses")


def test_wide_layout_gives_the_same_counts_as_long(tmp_path, long_csv):
    wide = tmp_path / "nottingham_2025_wide.csv"
    wide_frame().write_csv(wide)
    db_long, db_wide = tmp_path / "long.duckdb", tmp_path / "wide.duckdb"
    assert run_cli("load", "bright-spots", long_csv, "--db", db_long) == 0
    assert run_cli("load", "bright-spots", wide, "--db", db_wide) == 0
    assert counts(db_long) == counts(db_wide)
    assert query(db_wide, "SELECT layout FROM load_log") == [("wide",)]


def test_excel_file_loads_like_its_csv(tmp_path, long_csv):
    xlsx = tmp_path / "nottingham_2025.xlsx"
    frame = long_frame().with_columns(pl.col("wave").cast(pl.Int64))  # Excel holds numbers as numbers
    frame.write_excel(xlsx)
    db_csv, db_xlsx = tmp_path / "csv.duckdb", tmp_path / "xlsx.duckdb"
    assert run_cli("load", "bright-spots", long_csv, "--db", db_csv) == 0
    assert run_cli("load", "bright-spots", xlsx, "--db", db_xlsx) == 0
    assert counts(db_csv) == counts(db_xlsx)


def test_parquet_file_loads_like_its_csv(tmp_path, long_csv):
    pq = tmp_path / "nottingham_2025.parquet"
    long_frame().with_columns(pl.col("wave").cast(pl.Int32)).write_parquet(pq)
    db_csv, db_pq = tmp_path / "csv.duckdb", tmp_path / "pq.duckdb"
    assert run_cli("load", "bright-spots", long_csv, "--db", db_csv) == 0
    assert run_cli("load", "bright-spots", pq, "--db", db_pq) == 0
    assert counts(db_csv) == counts(db_pq)


def test_old_three_digit_code_is_stored_as_the_nine_character_code(db, tmp_path):
    path = tmp_path / "old_code.csv"
    long_frame().with_columns(pl.lit("892").alias("la_code")).write_csv(path)  # 892 = Nottingham
    assert run_cli("load", "bright-spots", path, "--db", db) == 0
    assert query(db, "SELECT DISTINCT la_code FROM survey_responses") == [("E06000018",)]


def test_codes_and_wording_are_matched_ignoring_case_and_spaces(db, tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text(" Respondent_ID , LA_Code ,Survey,Wave,Age_Band,Question_ID,Answer\n"
                    "z1, e06000018 , ylbc ,2025,16-25, NOT_LONELY ,  hardly ever  \n", encoding="utf-8")
    assert run_cli("load", "bright-spots", path, "--db", db) == 0
    assert query(db, "SELECT la_code, survey, question_id, answer, gender FROM survey_responses") == [
        ("E06000018", "YLBC", "not_lonely", "Hardly ever or never", "not_stated")]


def test_file_with_byte_order_mark_loads(db, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeff".encode() + KENT.read_bytes())
    assert run_cli("load", "bright-spots", path, "--db", db) == 0
    assert query(db, "SELECT count(*) FROM survey_responses") == [(5,)]


def test_extra_columns_are_ignored_with_a_notice(db, tmp_path, capsys):
    path = tmp_path / "extra.csv"
    long_frame().with_columns(pl.lit("x").alias("school_name")).write_csv(path)
    assert run_cli("load", "bright-spots", path, "--db", db) == 0
    assert "ignored column(s) not in the contract: school_name" in capsys.readouterr().out
    assert "school_name" not in [r[0] for r in query(db, "SELECT column_name FROM information_schema.columns")]


def test_loading_the_same_file_twice_is_reported_and_not_duplicated(db, capsys):
    assert run_cli("load", "bright-spots", KENT, "--db", db) == 0
    before = snapshot(db)
    capsys.readouterr()
    assert run_cli("load", "bright-spots", KENT, "--db", db) == 0
    assert "already loaded, same content as load #1" in capsys.readouterr().out
    assert snapshot(db) == before


def test_the_same_content_under_another_name_is_recognised(db, tmp_path, capsys):
    copy = tmp_path / "renamed.csv"
    copy.write_bytes(KENT.read_bytes())
    run_cli("load", "bright-spots", KENT, "--db", db)
    capsys.readouterr()
    run_cli("load", "bright-spots", copy, "--db", db)
    assert "renamed.csv: already loaded" in capsys.readouterr().out
    assert query(db, "SELECT count(*) FROM load_log") == [(1,)]


def test_replace_swaps_a_loaded_wave_and_says_what_it_replaced(db, tmp_path, capsys):
    run_cli("load", "bright-spots", KENT, "--db", db)
    newer = tmp_path / "kent_2024_corrected.csv"
    newer.write_text("respondent_id,la_code,survey,wave,age_band,question_id,answer\n"
                     "k9,E10000016,YLYC,2024,8-10,feel_safe_home,Sometimes\n", encoding="utf-8")
    capsys.readouterr()
    assert run_cli("load", "bright-spots", newer, "--db", db, "--replace") == 0
    out = capsys.readouterr().out
    assert "replaced Kent (E10000016) YLYC 2024: 4 answers from load #1 (kent_2024_long.csv)" in out
    # The YLYC wave is the new file's; the YLBC wave of the first file is untouched.
    assert query(db, "SELECT survey, respondent_id FROM survey_responses ORDER BY ALL") == [("YLBC", "r3"), ("YLYC", "k9")]
    assert query(db, "SELECT survey, sum(n) FROM survey_answer_counts GROUP BY ALL ORDER BY ALL") == [("YLBC", 1), ("YLYC", 1)]
    assert query(db, "SELECT replaced FROM load_log WHERE load_id = 2")[0][0].startswith("Kent (E10000016) YLYC 2024")


def test_every_load_is_logged_with_its_provenance(db, capsys):
    from dashboard import __version__
    from tests.conftest import file_digest

    run_cli("load", "bright-spots", KENT, "--db", db)
    (load_id, kind, name, digest, rows, version), = query(
        db, "SELECT load_id, kind, file_name, file_hash, rows_loaded, tool_version FROM load_log")
    assert (load_id, kind, name, digest, rows, version) == (1, "bright-spots", KENT.name, file_digest(KENT), 5, __version__)
    capsys.readouterr()
    assert run_cli("loads", "--db", db) == 0
    listing = capsys.readouterr().out
    assert KENT.name in listing and file_digest(KENT) in listing


def test_load_reports_rows_per_second(db, capsys):
    run_cli("load", "bright-spots", KENT, "--db", db)
    assert "rows per second" in capsys.readouterr().out


def test_voice_db_environment_variable_names_the_database(tmp_path, monkeypatch):
    target = tmp_path / "from_env.duckdb"
    monkeypatch.setenv("VOICE_DB", str(target))
    assert run_cli("load", "bright-spots", KENT) == 0
    assert query(target, "SELECT count(*) FROM survey_responses") == [(5,)]


def test_loads_on_a_missing_database_says_how_to_start(tmp_path, capsys):
    assert run_cli("loads", "--db", tmp_path / "nothing.duckdb") == 2
    err = capsys.readouterr().err
    assert "voice-dashboard demo" in err and "Traceback" not in err
