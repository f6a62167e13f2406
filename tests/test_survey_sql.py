"""The survey loader's DuckDB path (dashboard/loaders/survey_sql.py) against its polars path
(SurveyLoader.prepare): on good and bad CSV files both must find the same problems (file, row,
column, value, expected, in the same order, with the same total), the same notices and, for a good
file, the same rows. The polars path is the reference: its messages are what tests/bad_inputs and
the other loader tests were written against."""
from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from dashboard.loaders import loader_for
from dashboard.loaders.base import check_files
from dashboard.problems import LoadRejected
from tests.conftest import BAD_INPUTS, GOOD_INPUTS

COLUMNS = ["la_code", "survey", "wave", "age_band", "respondent_id", "question_id", "answer", "answer_value",
           "not_answered", "gender", "placement_type", "disability"]


def outcome(path: Path, monkeypatch, polars_path: bool):
    """What check_files makes of a file: ('rejected', problems, total) or ('ok', rows, ...)."""
    if polars_path:
        monkeypatch.setenv("VOICE_SURVEY_POLARS", "1")
    else:
        monkeypatch.delenv("VOICE_SURVEY_POLARS", raising=False)
    loader = loader_for("bright-spots")
    assert loader.streams(path) is (not polars_path)
    try:
        checked = check_files(loader, [path])
    except LoadRejected as exc:
        return ("rejected", [(p.file, p.row, p.column, p.value, p.expected) for p in exc.problems.items],
                exc.problems.total)
    item = checked.prepared[0]
    try:
        if item.staged is not None:
            rows = pl.concat([pl.from_arrow(b) for b in item.staged.batches(100_000)])
        else:
            rows = item.frame.select(COLUMNS)
        rows = sorted(rows.select(COLUMNS).iter_rows(), key=repr)
        return ("ok", rows, item.rows_read, item.layout, item.scope, item.notices, item.row_count, item.file_hash)
    finally:
        item.release()


def same(path: Path, monkeypatch):
    by_polars = outcome(path, monkeypatch, polars_path=True)
    by_duckdb = outcome(path, monkeypatch, polars_path=False)
    assert by_duckdb == by_polars
    return by_duckdb


FILES = sorted(p for p in (BAD_INPUTS / "bright-spots").glob("*.csv")) + sorted(
    (GOOD_INPUTS / "bright-spots").glob("*.csv"))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_files_get_the_same_outcome_both_ways(path, monkeypatch):
    same(path, monkeypatch)


HEADER = "respondent_id,la_code,survey,wave,age_band,question_id,answer,gender,placement_type,disability"
GOOD = [
    "r1,E10000016,YLYC,2024,11-17,life_satisfaction,7,Girl,Foster,No",
    "r1,E10000016,YLYC,2024,11-17,feel_safe_home,All or most of the time,Girl,Foster,No",
]


def write(tmp_path: Path, name: str, lines: list[str], header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def test_values_as_typed_are_cleaned_alike(tmp_path, monkeypatch):
    # Spaces of every kind around cells, case, leading zeros and plus signs, not-answered words,
    # quoted cells with commas and line breaks, a fully blank row, 3-digit LA codes, an ignored column.
    lines = [
        "  r1 ,e10000016, ylyc ,+2024, 11-17 ,LIFE_SATISFACTION, 07 ,\u00a0girl\u00a0, foster care ,no",
        "r1,E10000016,YLYC,2024,11-17,feel_safe_home,\"all or most of the time\",Girl,Foster,No",
        "r2,886,Your Life, Your Care,2024,11-17,life_satisfaction,+5,boy,,",
        ",,,,,,,,,",
        "r3,886,\"ylyc\",2024,11-17,feel_safe_home,\"Don't know\",\"prefer not to say\",kinship,\"yes\"",
        "r4,886,YLYC,2024,11-17,life_satisfaction,,\u2003Other\t,residential,Not stated",
    ]
    lines[2] = "r2,886,\"Your Life, Your Care\",2024,11-17,life_satisfaction,+5,boy,,"
    result = same(write(tmp_path, "typed.csv", lines), monkeypatch)
    assert result[0] == "ok" and result[2] == 5 and result[5] == ["typed.csv: skipped 1 completely blank row(s)"]
    extra = write(tmp_path, "extra.csv", [GOOD[0] + ",a note, with a comma"], header=HEADER + ",comments")
    extra.write_text(HEADER + ",comments\n" + GOOD[0] + ",\"a note, with a comma\nand a line\"\n", encoding="utf-8")
    assert same(extra, monkeypatch)[5] == ["extra.csv: ignored column(s) not in the contract: comments"]


def test_every_kind_of_bad_value_is_reported_alike(tmp_path, monkeypatch):
    lines = [
        "r1,E10000016,YLYC,2024,11-17,life_satisfaction,11,Girl,Foster,No",           # out of range
        "r1,E10000016,YLYC,2024,11-17,feel_safe_home,Always,Girl,Foster,No",           # not in the answer set
        ",E10000016,YLYC,2024,11-17,life_satisfaction,5,Girl,Foster,No",               # blank respondent
        "r2,X99,YLYC,2024,11-17,life_satisfaction,5,Girl,Foster,No",                   # unknown LA
        "r3,,YLYC,2024,11-17,life_satisfaction,5,Girl,Foster,No",                      # blank LA
        "r4,E10000016,YLXX,2024,11-17,life_satisfaction,5,Girl,Foster,No",             # unknown survey
        "r5,E10000016,,2024,11-17,life_satisfaction,5,Girl,Foster,No",                 # blank survey
        "r6,E10000016,YLYC,2024.0,11-17,life_satisfaction,5,Girl,Foster,No",           # wave not a whole number
        "r7,E10000016,YLYC,1999,11-17,life_satisfaction,5,Girl,Foster,No",             # wave too early
        "r8,E10000016,YLYC,,11-17,life_satisfaction,5,Girl,Foster,No",                 # blank wave
        "r9,E10000016,YLYC,2024,12-18,life_satisfaction,5,Girl,Foster,No",             # unknown band
        "r10,E10000016,YLYC,2024,16-25,life_satisfaction,5,Girl,Foster,No",            # band of the other survey
        "r11,E10000016,YLYC,2024,11-17,life_satisfaction,5,Dragon,Moon,Maybe",         # vocabularies
        "r12,E10000016,YLYC,2024,11-17,,5,Girl,Foster,No",                             # blank question
        "r13,E10000016,YLYC,2024,11-17,favourite_colour,5,Girl,Foster,No",             # unknown question
        "r14,E10000016,YLYC,2024,4-7,life_satisfaction,5.0,Girl,Foster,No",            # 5.0; maybe not asked
        "r15,E10000016,YLYC,2024,11-17,life_satisfaction,5,Girl,Foster,No",
        "r15,E10000016,YLYC,2024,11-17,life_satisfaction,6,Girl,Foster,No",           # repeated answer
        "r15,E10000016,YLYC,2024,8-11,feel_safe_home,Sometimes,Boy,Kinship,Yes",      # another profile
        "r16,E10000016,YLYC,99999999999999999999,11-17,life_satisfaction,5,Girl,Foster,No",
        "r17,E10000016,YLYC,2024,11-17,life_satisfaction,-1,Girl,Foster,No",
        "r18,E10000016,YLYC,2024,11-17,life_satisfaction,1_0,Girl,Foster,No",
        "r19,E10000016,YLYC,2024,11-17,life_satisfaction, 5 5,Girl,Foster,No",
    ]
    result = same(write(tmp_path, "bad.csv", lines), monkeypatch)
    assert result[0] == "rejected" and result[2] >= 20


def test_a_ceased_la_after_its_reorganisation_is_reported_alike(tmp_path, monkeypatch):
    from dashboard.reference import la_reference

    ceased = sorted((la for la in la_reference().by_code.values() if la.ceased_year), key=lambda la: la.la_code)
    assert ceased, "the reference has LAs that were reorganised away (Cumbria, Northamptonshire ...)"
    lines = [f"r{i},{la.la_code},YLYC,{max(la.ceased_year + 1, 2010)},11-17,life_satisfaction,5,Girl,Foster,No"
             for i, la in enumerate(ceased)]
    assert same(write(tmp_path, "ceased.csv", lines), monkeypatch)[0] == "rejected"


def test_cells_with_control_characters_or_too_long_are_reported_alike(tmp_path, monkeypatch):
    lines = [GOOD[0].replace("Girl", "Gi\x01rl"), GOOD[1].replace("No", "N\x7fo"),
             "r2,E10000016,YLYC,2024,11-17,life_satisfaction,5,Girl,Foster,\x0bNo"]
    same(write(tmp_path, "control.csv", lines), monkeypatch)
    monkeypatch.setenv("VOICE_MAX_CELL_CHARS", "20")
    same(write(tmp_path, "long.csv", [GOOD[0], GOOD[1] + "," + "x" * 30], header=HEADER + ",comments"), monkeypatch)


def test_more_problems_than_are_kept_keep_the_same_first_ones_and_total(tmp_path, monkeypatch):
    lines = []
    for i in range(700):
        lines.append(f"r{i},E10000016,YLYC,2024,11-17,life_satisfaction,{i % 13},Girl,Foster,No")
        lines.append(f"r{i},E10000016,YLYC,2024,11-17,feel_safe_home,Nope{i % 3},Girl,Foster,No")
        lines.append(f"r{i},X{i % 2},YLYC,2024,11-17,feel_safe_home,Sometimes,Girl,Foster,No")
    result = same(write(tmp_path, "many.csv", lines), monkeypatch)
    assert result[0] == "rejected" and result[2] > 500 and len(result[1]) == 500


def test_wide_files_are_checked_alike(tmp_path, monkeypatch):
    header = "respondent_id,la_code,survey,wave,age_band,Life_Satisfaction,feel_safe_home,gender"
    good = ["w1,E10000016,YLYC,2024,11-17,8,Sometimes,Girl", "w2,E10000016,YLYC,2024,11-17,,Never,Boy"]
    assert same(write(tmp_path, "wide.csv", good, header=header), monkeypatch)[3] == "wide"
    bad = good + ["w3,E10000016,YLYC,2024,11-17,12,Always,Boy", "w4,E10000016,YLYC,2024,11-17,x,Nope,Boy",
                  "w1,E10000016,YLYC,2024,11-17,3,Never,Boy"]
    assert same(write(tmp_path, "wide_bad.csv", bad, header=header), monkeypatch)[0] == "rejected"


def test_files_duckdb_would_number_differently_take_the_polars_path(tmp_path, monkeypatch):
    # An empty line inside the file, a ragged row, a header with quotes, bytes that are not UTF-8.
    same(write(tmp_path, "empty_line.csv", [GOOD[0], "", "r9,X,YLYC,2024,11-17,life_satisfaction,5,Girl,Foster,No"]),
         monkeypatch)
    same(write(tmp_path, "ragged.csv", [GOOD[0], GOOD[1] + ",extra"]), monkeypatch)
    same(write(tmp_path, "quoted_header.csv", GOOD, header=HEADER.replace("answer", '"answer"')), monkeypatch)
    bad = tmp_path / "latin1.csv"
    bad.write_bytes((HEADER + "\n" + GOOD[0].replace("Girl", "Gi\xe9rl") + "\n").encode("latin-1"))
    same(bad, monkeypatch)


def test_white_space_inside_quotes_at_a_cells_edge_is_trimmed_alike(tmp_path, monkeypatch):
    # What readers._maybe_edge_space must notice (else the cells would not be trimmed one by one).
    lines = ['r1,E10000016,YLYC,2024,11-17,life_satisfaction,7," Girl",Foster,No',
             'r1,E10000016,YLYC,2024,11-17,feel_safe_home,Sometimes,"Girl\n","\nFoster",No',
             'r2,E10000016,YLYC,2024,11-17,life_satisfaction,"5\r",Boy,Foster,"No "']
    result = same(write(tmp_path, "quoted.csv", lines), monkeypatch)
    assert result[0] == "ok" and {row[9] for row in result[1]} == {"girl", "boy"}
    last = write(tmp_path, "last.csv", [GOOD[0], GOOD[1] + " "])
    last.write_text(last.read_text(encoding="utf-8").rstrip("\n"), encoding="utf-8")   # ends in a space
    assert same(last, monkeypatch)[0] == "ok"
