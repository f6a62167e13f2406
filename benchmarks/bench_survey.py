"""Benchmark: loading survey answers, and computing a figure from counts made at load versus
scanning the row-level answers. Prints ratios measured in the same run.

    .venv/bin/python benchmarks/bench_survey.py [--answers 2000000] [--repeat 5]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import polars as pl

from dashboard import store
from dashboard.loaders import loader_for, run_load

QUESTIONS = ["feel_safe_home", "trust_carers", "good_friend", "trusted_adult", "know_worker",
             "trust_worker", "feel_settled", "fun_hobbies", "like_school", "reason_for_care_explained"]
ANSWERS = {"frequency": ["All or most of the time", "Sometimes", "Hardly ever or never", "Don't know"],
           "yes_no": ["Yes", "No", "Don't know"]}
TYPES = {"good_friend": "yes_no", "trusted_adult": "yes_no", "know_worker": "yes_no",
         "reason_for_care_explained": "yes_no"}
LAS = ["E10000016", "E08000025", "E06000018", "E09000022", "E10000030", "E08000035", "E06000023", "E10000007"]

FIGURE_FROM_COUNTS = """
SELECT la_code, coalesce(sum(n) FILTER (WHERE answer = 'All or most of the time'), 0) * 100.0
       / sum(n) FILTER (WHERE not_answered IS NULL) AS value
FROM survey_answer_counts
WHERE question_id = $q AND survey = 'YLYC' AND wave = 2023
GROUP BY la_code
"""
FIGURE_FROM_ROWS = """
SELECT la_code, count(*) FILTER (WHERE answer = 'All or most of the time') * 100.0
       / count(*) FILTER (WHERE not_answered IS NULL) AS value
FROM survey_responses
WHERE question_id = $q AND survey = 'YLYC' AND wave = 2023
GROUP BY la_code
"""


def make_file(path: Path, answers: int, seed: int = 1) -> None:
    respondents = answers // len(QUESTIONS)
    idx = pl.int_range(0, respondents * len(QUESTIONS), eager=True)
    q = pl.Series(QUESTIONS * respondents)
    frame = pl.DataFrame({
        "respondent_id": (idx // len(QUESTIONS)).cast(pl.String),
        "la_code": (idx // len(QUESTIONS) % len(LAS)).replace_strict(dict(enumerate(LAS))),
        "survey": "YLYC", "wave": "2023", "age_band": "11-17", "question_id": q,
        "gender": (idx // len(QUESTIONS) % 3).replace_strict({0: "girl", 1: "boy", 2: "other"}),
        "placement_type": (idx // len(QUESTIONS) % 4).replace_strict({0: "foster", 1: "kinship", 2: "residential", 3: "other"}),
    })
    # Deterministic but varied answers, by a hash of the row.
    h = idx.hash(seed) % 1000
    freq, yn = ANSWERS["frequency"], ANSWERS["yes_no"]
    frame = frame.with_columns(
        pl.when(q.replace_strict(TYPES, default="frequency") == "yes_no")
        .then(pl.Series(h % len(yn)).replace_strict(dict(enumerate(yn))))
        .otherwise(pl.Series(h % len(freq)).replace_strict(dict(enumerate(freq)))).alias("answer"))
    frame.write_csv(path)


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--answers", type=int, default=2_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "survey.csv"
        make_file(path, args.answers)
        db = Path(tmp) / "bench.duckdb"
        con = store.connect(db)
        t = time.perf_counter()
        results = run_load(con, loader_for("bright-spots"), [path])
        load_s = time.perf_counter() - t
        rows = results[0].rows
        print(f"load: {rows:,} answers in {load_s:.2f} s = {rows / load_s:,.0f} answers per second")
        q = {"q": "feel_safe_home"}
        cur = con.cursor()
        counts_s = timed(lambda: cur.execute(FIGURE_FROM_COUNTS, q).fetchall(), args.repeat)
        rows_s = timed(lambda: cur.execute(FIGURE_FROM_ROWS, q).fetchall(), args.repeat)
        same = [(la, round(v, 9)) for la, v in sorted(cur.execute(FIGURE_FROM_COUNTS, q).fetchall())]
        assert same == [(la, round(v, 9)) for la, v in sorted(cur.execute(FIGURE_FROM_ROWS, q).fetchall())]
        n_counts = cur.execute("SELECT count(*) FROM survey_answer_counts").fetchall()[0][0]
        print(f"figure for every LA from the counts ({n_counts:,} rows): {counts_s * 1000:.1f} ms (median of {args.repeat})")
        print(f"same figure scanning the answers ({rows:,} rows): {rows_s * 1000:.1f} ms")
        print(f"ratio scan / counts: {rows_s / counts_s:.1f}x")
        con.close()


if __name__ == "__main__":
    main()
