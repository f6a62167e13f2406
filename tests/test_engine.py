"""The indicator engine against hand computations on small synthetic fixtures.

Expected numbers below were worked out by hand (Wilson 95% interval, z = 1.96:
centre = (p + z²/2n) / (1 + z²/n), half-width = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n)).
"""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

HEADER = ["respondent_id", "la_code", "survey", "wave", "age_band", "question_id", "answer", "gender"]


def survey_rows(la: str, wave: int, positive: int, negative: int, prefix: str, dont_know: int = 0,
                genders: list[str] | None = None) -> list[list]:
    """life_satisfaction answers: `positive` answer 7, `negative` answer 2, `dont_know` Don't know."""
    answers = ["7"] * positive + ["2"] * negative + ["Don't know"] * dont_know
    genders = genders or ["girl"] * len(answers)
    return [[f"{prefix}{i}", la, "YLYC", wave, "11-17", "life_satisfaction", a, g]
            for i, (a, g) in enumerate(zip(answers, genders))]


def write(path: Path, rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


@pytest.fixture(scope="module")
def three_las(tmp_path_factory) -> Path:
    """Kent 15/20 (+2 don't know; 12 girls with 8 positive, 8 boys with 7 positive), Medway 18/30,
    Bexley 48/50 in 2025 and 30/50 in 2023. Pool 2025: 81/100."""
    tmp = tmp_path_factory.mktemp("engine")
    db = tmp / "engine.duckdb"
    kent_genders = ["girl"] * 8 + ["boy"] * 7 + ["girl"] * 4 + ["boy"] * 1 + ["girl", "girl"]
    files = [
        write(tmp / "kent.csv", survey_rows("E10000016", 2025, 15, 5, "k", dont_know=2, genders=kent_genders)),
        write(tmp / "medway.csv", survey_rows("E06000035", 2025, 18, 12, "m")),
        write(tmp / "bexley.csv", survey_rows("E09000004", 2025, 48, 2, "b")),
        write(tmp / "bexley_2023.csv", survey_rows("E09000004", 2023, 30, 20, "b")),
    ]
    assert run_cli("load", "bright-spots", *files, "--db", db, "--quiet") == 0
    return db


def figures(db: Path, la: str, wave: int, *extra: str) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "dashboard", "indicators", "--db", str(db), "--la", la,
                          "--wave", str(wave), "--format", "json", *extra],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout)


def one(rows: list[dict], **match) -> dict:
    hits = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(hits) == 1, f"{len(hits)} rows match {match}"
    return hits[0]


def test_value_interval_and_not_answered_match_hand_computation(three_las):
    kent = one(figures(three_las, "E10000016", 2025), indicator_id="life_satisfaction", group="all")
    assert (kent["value"], kent["numerator"], kent["base"], kent["not_answered"]) == (75.0, 15, 20, 2)
    assert kent["ci_low"] == pytest.approx(53.1, abs=0.05)
    assert kent["ci_high"] == pytest.approx(88.8, abs=0.05)
    assert kent["status"] == "ok" and kent["low_base"] is True
    assert (kent["age_band"], kent["breakdown"], kent["group"], kent["cohort"]) == ("all", "", "all", "children_in_care")


def test_pool_is_all_loaded_las_for_the_wave(three_las):
    kent = one(figures(three_las, "E10000016", 2025), indicator_id="life_satisfaction")
    assert kent["pool_value"] == 81.0 and kent["pool_las"] == 3


def test_interval_entirely_above_the_pool_is_a_bright_spot(three_las):
    bexley = one(figures(three_las, "E09000004", 2025), indicator_id="life_satisfaction")
    assert bexley["ci_low"] == pytest.approx(86.5, abs=0.05) and bexley["ci_high"] == pytest.approx(98.9, abs=0.05)
    assert bexley["classification"] == "bright spot"
    assert bexley["compared_with"] == "all loaded LAs (pool)"


def test_interval_entirely_below_the_pool_is_an_area_to_look_at(three_las):
    medway = one(figures(three_las, "E06000035", 2025), indicator_id="life_satisfaction")
    assert medway["ci_low"] == pytest.approx(42.3, abs=0.05) and medway["ci_high"] == pytest.approx(75.4, abs=0.05)
    assert medway["classification"] == "area to look at"


def test_interval_that_contains_the_pool_is_no_clear_difference(three_las):
    # Kent's 75% is below the pool's 81%, but its interval (53.1 to 88.8) contains it.
    kent = one(figures(three_las, "E10000016", 2025), indicator_id="life_satisfaction")
    assert kent["classification"] == "no clear difference"


def test_change_since_the_previous_wave_with_its_significance(three_las):
    bexley = one(figures(three_las, "E09000004", 2025), indicator_id="life_satisfaction")
    assert bexley["previous_wave"] == 2023 and bexley["previous_value"] == 60.0
    assert bexley["change"] == 36.0
    # pooled p = 78/100, se = sqrt(.78 x .22 x (1/50 + 1/50)) = 0.08285, z = 4.345, two-sided p = 0.0000139
    assert bexley["change_p"] == pytest.approx(0.0000, abs=0.0001)
    assert bexley["change_significant"] is True


def test_a_small_group_is_hidden_and_so_is_the_group_that_would_give_it_away(three_las):
    rows = figures(three_las, "E10000016", 2025, "--breakdown", "gender")
    boys = one(rows, indicator_id="life_satisfaction", breakdown="gender", group="boy")
    girls = one(rows, indicator_id="life_satisfaction", breakdown="gender", group="girl")
    assert boys["status"] == "c" and boys["value"] is None and boys["base"] is None
    assert girls["status"] == "c", "girls = all - boys would reveal the boys' figure"
    assert one(rows, indicator_id="life_satisfaction", breakdown="", group="all")["status"] == "ok"


def test_breakdown_output_keeps_the_whole_group_row(three_las):
    rows = [r for r in figures(three_las, "E10000016", 2025, "--breakdown", "gender")
            if r["indicator_id"] == "life_satisfaction"]
    assert {(r["breakdown"], r["group"]) for r in rows} == {("", "all"), ("gender", "boy"), ("gender", "girl")}


def test_published_comparator_comes_from_the_catalogue(three_las, tmp_path):
    # Care leavers' life satisfaction: What Makes Life Good? (2020), 74% (26% low).
    rows = survey_rows("E10000016", 2025, 40, 10, "c")
    for r in rows:
        r[2], r[4] = "YLBC", "16-25"
    db = tmp_path / "cl.duckdb"
    assert run_cli("load", "bright-spots", write(tmp_path / "cl.csv", rows), "--db", db, "--quiet") == 0
    cl = one(figures(db, "E10000016", 2025), indicator_id="life_satisfaction", cohort="care_leavers")
    assert cl["national_value"] == 74 and cl["general_population_value"] == 97
    # Only one LA is loaded, so the comparison is with the published figure, not the pool.
    assert cl["compared_with"].startswith("Care leavers, What Makes Life Good?")


# -- DfE metrics: England, region and the statistical-neighbour median ----------------------------

KENT_NEIGHBOURS = ["855", "925", "850", "908", "935", "919", "860", "881", "865", "830"]
EES_HEADER = ["time_period", "time_identifier", "geographic_level", "country_code", "country_name",
              "region_code", "region_name", "old_la_code", "la_name", "new_la_code", "cla_group",
              "sw_stability", "number", "percentage"]


@pytest.fixture(scope="module")
def dfe_db(tmp_path_factory) -> Path:
    from dashboard.reference import la_reference

    tmp = tmp_path_factory.mktemp("dfe")
    ref = la_reference()
    rows = []

    def area(level, region=("", ""), la=None, share=None, total=None):
        for sw, number, pct in (("Total children", total, 100 if total is not None else None),
                                ("3 or more social workers during the year", share, None)):
            if sw.startswith("3") and share is not None:
                number, pct = share[0], share[1]
            code = ref.by_code[ref.canonical(la)] if la else None
            rows.append(["2025", "Reporting year", level, "E92000001", "England", *region,
                         code.old_la_code if code else "", code.la_name if code else "", code.la_code if code else "",
                         "CLA on 31 March", sw, number if number is not None else "c", pct if pct is not None else "c"])

    area("National", total=80000, share=(20000, 25))
    area("Regional", ("E12000008", "South East"), total=11000, share=(2860, 26))
    area("Local authority", ("E12000008", "South East"), "886", total=2000, share=(400, 20))
    # Ten neighbours: three suppressed, seven published with values 10, 20, 30, 40, 50, 60, 70.
    for i, code in enumerate(KENT_NEIGHBOURS):
        la = ref.by_code[ref.canonical(code)]
        region = (la.region_code, la.region_name)
        if i < 3:
            area("Local authority", region, code, total=100, share=None)
        else:
            value = 10 * (i - 2)
            area("Local authority", region, code, total=100, share=(value, value))
    ees = tmp / "la_cla_swcount.csv"
    with ees.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(EES_HEADER)
        w.writerows(rows)
    sn = tmp / "sn_model_2025_wide.csv"
    with sn.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["old_la_code", "la_name", "region_ind", "region_name"]
                   + [x for i in range(1, 11) for x in (f"SN_{i}", f"SN_{i}P")])
        w.writerow(["886", "Kent", "8", "South East"] + [x for c in KENT_NEIGHBOURS for x in (c, "Close")])
    db = tmp / "dfe.duckdb"
    assert run_cli("load", "dfe", ees, sn, "--db", db, "--quiet") == 0
    return db


def test_dfe_metric_has_england_region_and_neighbour_median(dfe_db):
    row = one(figures(dfe_db, "886", 2025), indicator_id="dfe_cla_three_or_more_social_workers")
    assert (row["value"], row["england_value"], row["region_value"]) == (20.0, 25.0, 26.0)


def test_neighbour_median_skips_suppressed_neighbours_and_says_how_many_it_used(dfe_db):
    row = one(figures(dfe_db, "886", 2025), indicator_id="dfe_cla_three_or_more_social_workers")
    assert row["neighbours_used"] == 7
    assert row["neighbour_median"] == 40.0  # median of 10, 20, ..., 70


def test_dfe_interval_from_published_counts_classifies_against_england(dfe_db):
    row = one(figures(dfe_db, "886", 2025), indicator_id="dfe_cla_three_or_more_social_workers")
    assert (row["numerator"], row["base"]) == (400, 2000)
    # 400/2000: Wilson 95% interval 18.3% to 21.8%, entirely below England's 25%; fewer is better.
    assert row["ci_low"] == pytest.approx(18.3, abs=0.05) and row["ci_high"] == pytest.approx(21.8, abs=0.05)
    assert row["classification"] == "bright spot"


# -- a local indicator, added with YAML only -----------------------------------------------------

def test_a_local_indicator_needs_only_yaml(tmp_path):
    catalogue = tmp_path / "catalogue"
    shutil.copytree(ROOT / "indicators", catalogue)
    (catalogue / "local" / "our_survey.yaml").write_text("""
indicators:
  - id: local_knows_how_to_complain
    source: survey
    domain: rights_in_and_leaving_care
    title: "Knows how to make a complaint"
    child_friendly: "Know how to complain if something is wrong"
    answer_type: yes_no
    positive: ["Yes"]
    surveys: {YLYC: ["11-17"]}
    kind: voice
    polarity: higher_is_better
    unit: percent
    frequency: biennial
    sql: survey_indicator
""", encoding="utf-8")
    answers = ["Yes"] * 9 + ["No"] * 3
    path = tmp_path / "local.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows([[f"r{i}", "E10000016", "YLYC", 2025, "11-17", "local_knows_how_to_complain", a, "girl"]
                     for i, a in enumerate(answers)])
    env = {"VOICE_CATALOGUE": str(catalogue), "PATH": "/usr/bin:/bin"}
    db = tmp_path / "local.duckdb"
    run = lambda *a: subprocess.run([sys.executable, "-m", "dashboard", *a], capture_output=True, text=True,  # noqa: E731
                                    cwd=ROOT, env=env)
    assert run("catalogue", "check", str(catalogue)).returncode == 0
    assert run("load", "bright-spots", str(path), "--db", str(db)).returncode == 0
    out = run("indicators", "--db", str(db), "--la", "E10000016", "--wave", "2025", "--format", "json")
    row = one(json.loads(out.stdout), indicator_id="local_knows_how_to_complain")
    assert (row["value"], row["base"], row["domain"]) == (75.0, 12, "rights_in_and_leaving_care")


def test_small_genders_are_published_as_one_group_that_counts_both(tmp_path):
    """disclosure.yaml, groups_published_together: "other" (5 answers) and "prefer not to say" (7)
    would each be hidden; published as one group of 12 they are shown, and never apart."""
    genders = (["girl"] * 6 + ["boy"] * 6 + ["other"] * 3 + ["prefer not to say"] * 3
               + ["girl"] * 4 + ["boy"] * 4 + ["other"] * 2 + ["prefer not to say"] * 4)
    db = tmp_path / "together.duckdb"
    file = write(tmp_path / "medway.csv", survey_rows("E06000035", 2025, 18, 14, "m", genders=genders))
    assert run_cli("load", "bright-spots", file, "--db", db, "--quiet") == 0
    rows = [r for r in figures(db, "E06000035", 2025, "--breakdown", "gender")
            if r["indicator_id"] == "life_satisfaction"]
    assert {r["group"] for r in rows} == {"all", "girl", "boy", "another_or_not_stated"}
    together = one(rows, group="another_or_not_stated")
    assert (together["status"], together["numerator"], together["base"]) == ("ok", 6, 12)
