"""Publish once, read many: figures are computed and gated when data changes, stored, and read
by every surface as lookups (dashboard/publish.py)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dashboard import publish, store
from dashboard.engine.figures import Selection, indicator_table
from dashboard.loaders import loader_for, run_load
from dashboard.problems import LoadRejected
from tests.conftest import GOOD_INPUTS, ROOT, copy_db, query, run_cli, snapshot, write_lines
from tests.old_path import old_indicator_table

KENT, HACKNEY = "E10000016", "E09000012"
SURVEY_HEADER = "respondent_id,la_code,survey,wave,age_band,question_id,answer,gender"


def voice(table):
    """Survey and record figures (the old path's DfE rows were replaced by the DfE's own method)."""
    return table.filter(table["source"] != "dfe")


@pytest.mark.parametrize("la", [KENT, HACKNEY])
@pytest.mark.parametrize("breakdown", [None, "gender", "age_band", "service", "review_type"])
def test_published_figures_equal_the_per_view_path_on_the_demo(demo_db, la, breakdown):
    # The one-off comparison kept as a test: every figure the old per-view path (gate, then compute
    # one figure at a time) gives for a selection, the publish step stored, digit for digit.
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        for wave in (2023, 2025):
            sel = Selection(la, wave, breakdown=breakdown)
            new, old = voice(indicator_table(con, sel)), old_indicator_table(con, sel)
            assert new.height > 0
            assert_frame_equal(new, old, check_dtypes=False, rel_tol=1e-9, abs_tol=1e-9)
    finally:
        con.close()


def test_published_figures_equal_the_per_view_path_for_one_age_band_and_cohort(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        sel = Selection(KENT, 2025, breakdown="placement_type", age_band="11-17", cohort="children_in_care")
        new, old = voice(indicator_table(con, sel)), old_indicator_table(con, sel)
        assert new.height > 0 and set(new["age_band"].to_list()) == {"11-17"}
        assert_frame_equal(new, old, check_dtypes=False, rel_tol=1e-9, abs_tol=1e-9)
    finally:
        con.close()


def test_demo_is_published_and_current(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        assert publish.is_current(con)
        figures, hidden = con.execute("SELECT count(*), count(*) FILTER (status = 'c') FROM published_figures").fetchone()
    finally:
        con.close()
    assert figures > 10_000 and 0 < hidden < figures


def test_published_figures_are_stored_in_la_order(demo_db):
    """Each indicator's figures are staged as computed, then moved in LA order: a page's lookup of
    one LA reads only that LA's blocks (DuckDB's per-block min and max)."""
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        stored = [r[0] for r in con.execute("SELECT la_code FROM published_figures").fetchall()]
    finally:
        con.close()
    assert len(set(stored)) > 2
    runs = [code for i, code in enumerate(stored) if i == 0 or stored[i - 1] != code]
    assert len(runs) == len(set(runs))        # each LA's figures together
    assert [c for c in runs if c is not None] == sorted(c for c in runs if c is not None)


def test_no_hidden_published_figure_carries_a_number(demo_db):
    rows = query(demo_db, "SELECT count(*) FROM published_figures WHERE status <> 'ok' AND (value IS NOT NULL "
                          "OR numerator IS NOT NULL OR base IS NOT NULL OR not_answered IS NOT NULL "
                          "OR ci_low IS NOT NULL OR pool_value IS NOT NULL OR change IS NOT NULL) AND source <> 'dfe'")
    themes = query(demo_db, "SELECT count(*) FROM published_themes WHERE status <> 'ok' AND "
                            "(records IS NOT NULL OR group_records IS NOT NULL OR share IS NOT NULL)")
    assert rows == [(0,)] and themes == [(0,)]


def test_a_load_publishes_its_figures_in_the_same_transaction(tmp_path):
    db = tmp_path / "kent.duckdb"
    con = store.connect(db)
    try:
        run_load(con, loader_for("bright-spots"), [GOOD_INPUTS / "bright-spots" / "kent_2024_long.csv"])
        assert publish.is_current(con)
        releases = con.execute("SELECT count(*) FROM published_release").fetchone()[0]
        assert releases == 1
        assert indicator_table(con, Selection(KENT, 2024)).height > 0
    finally:
        con.close()


def test_a_rejected_load_leaves_the_published_figures_exactly_as_they_were(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path)
    before = snapshot(db)
    bad = write_lines(tmp_path / "bad.csv", SURVEY_HEADER, f"r1,{KENT},YLYC,2026,11-17,feel_safe_home,Perhaps,girl")
    assert run_cli("load", "bright-spots", bad, "--db", db) == 1
    assert snapshot(db) == before


def test_a_publish_that_fails_rolls_the_whole_load_back(demo_db, tmp_path, monkeypatch):
    db = copy_db(demo_db, tmp_path)
    before = snapshot(db)

    def broken(*args, **kwargs):
        raise RuntimeError("publish failed part-way")

    monkeypatch.setattr(publish, "figures_of", broken)
    good = write_lines(tmp_path / "more.csv", SURVEY_HEADER,
                       *[f"n{i},{KENT},YLYC,2026,11-17,feel_safe_home,Sometimes,girl" for i in range(12)])
    con = store.connect(db)
    try:
        with pytest.raises(RuntimeError, match="publish failed"):
            run_load(con, loader_for("bright-spots"), [good])
    finally:
        con.close()
    assert snapshot(db) == before


def test_a_new_wave_is_readable_right_after_its_load(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path)
    rows = [f"n{i},{KENT},YLYC,2026,11-17,feel_safe_home,{'All or most of the time' if i % 4 else 'Sometimes'},{'girl' if i % 2 else 'boy'}"
            for i in range(40)]
    good = write_lines(tmp_path / "kent_2026.csv", SURVEY_HEADER, *rows)
    assert run_cli("load", "bright-spots", good, "--db", db) == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        t = indicator_table(con, Selection(KENT, 2026, indicator_ids=("feel_safe_home",)))
    finally:
        con.close()
    whole = t.filter((t["group"] == "all"))
    assert whole["base"].to_list() == [40] and whole["numerator"].to_list() == [30]
    assert whole["previous_wave"].to_list() == [2025]


def test_a_dfe_load_republishes_only_dfe_metrics(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path)
    survey_before = query(db, "SELECT max(release_id) FROM published_figures WHERE source = 'survey'")
    con = store.connect(db)
    try:
        with store.transaction(con):
            release = publish.publish(con, ["dfe"])
    finally:
        con.close()
    assert release.sources == ("dfe",)
    assert query(db, "SELECT max(release_id) FROM published_figures WHERE source = 'survey'") == survey_before
    assert query(db, "SELECT DISTINCT release_id FROM published_figures WHERE source = 'dfe'") == [(release.release_id,)]


def test_a_catalogue_change_makes_the_published_figures_out_of_date(demo_db):
    from dashboard.catalogue import default_catalogue

    catalogue = default_catalogue()
    changed = catalogue.model_copy(update={"indicators": catalogue.indicators[1:]})
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        assert publish.is_current(con, catalogue)
        assert not publish.is_current(con, changed)
    finally:
        con.close()


def test_publish_command_publishes_an_unpublished_database(tmp_path):
    db = tmp_path / "kent.duckdb"
    con = store.connect(db)
    try:
        run_load(con, loader_for("bright-spots"), [GOOD_INPUTS / "bright-spots" / "kent_2024_long.csv"],
                 publish=False)
        assert not publish.is_current(con)
    finally:
        con.close()
    assert run_cli("publish", "--db", db, "--quiet") == 0
    assert query(db, "SELECT count(*) > 0 FROM published_figures") == [(True,)]


# Surfaces read published figures only: none of them may reach the gate or the raw counts.
SURFACES = [*sorted((ROOT / "dashboard" / "ui").glob("*.py")), *sorted((ROOT / "dashboard" / "report").glob("*.py")),
            *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "dashboard" / "statement").glob("*.py")),
            ROOT / "dashboard" / "cli.py", ROOT / "dashboard" / "app.py"]
GATE_PARTS = {"gate_with_linked", "gate_many", "gate", "protect", "atoms_for", "all_atoms", "survey_atoms",
              "record_atoms", "theme_atoms", "cut"}
GATE_MODULES = {"dashboard.engine.atoms", "dashboard.engine.cells", "dashboard.disclosure"}


@pytest.mark.parametrize("path", SURFACES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_surface_reaches_the_gate_or_raw_counts(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    reached = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if alias.name in GATE_PARTS or (node.module in GATE_MODULES and alias.name not in
                                                {"ALL", "POOL", "OK", "HIDDEN", "EMPTY", "STATUS_LEGEND",
                                                 "PROTECTS_OTHERS", "rules", "Rules", "KEYS"}):
                    reached.append(f"{node.module}.{alias.name}")
        if isinstance(node, ast.Attribute) and node.attr in {"gate_with_linked", "gate_many", "theme_atoms"}:
            reached.append(node.attr)
    assert not reached, f"{path.name} reaches the gate or raw counts directly: {reached}"


def test_cohort_selects_survey_figures_of_that_cohort_and_keeps_record_and_dfe_measures(demo_db):
    # One meaning of "cohort" for the pages, the CLI and the report (they used to disagree).
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        both = indicator_table(con, Selection(KENT, 2025))
        leavers = indicator_table(con, Selection(KENT, 2025, cohort="care_leavers"))
    finally:
        con.close()
    survey = leavers.filter(leavers["source"] == "survey")
    assert survey.height > 0 and set(survey["cohort"].to_list()) == {"care_leavers"}
    others = both.filter(both["source"] != "survey")
    assert sorted(leavers.filter(leavers["source"] != "survey")["indicator_id"].to_list()) == \
        sorted(others["indicator_id"].to_list())
    assert {"dfe", "participation", "feedback"} <= set(others["source"].to_list())


def test_the_app_asks_for_publish_when_the_figures_miss_the_newest_load(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    db = tmp_path / "kent.duckdb"
    con = store.connect(db)
    try:
        run_load(con, loader_for("bright-spots"), [GOOD_INPUTS / "bright-spots" / "kent_2024_long.csv"],
                 publish=False)
    finally:
        con.close()
    monkeypatch.setenv("VOICE_DB", str(db))
    import streamlit as st

    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60).run()
    assert [t.value for t in at.title] == ["The figures are not ready yet"]
    assert any(f"voice-dashboard publish --db {db}" in c.value for c in at.code)
    st.cache_resource.clear()


def test_every_kind_of_load_says_which_figures_it_can_change():
    from dashboard.loaders import KINDS

    assert set(KINDS) == set(publish.KIND_SOURCES)


REQUEST_PATH = [*[p for p in SURFACES if p.name != "cli.py"], ROOT / "dashboard" / "publishable.py",
                ROOT / "dashboard" / "db.py"]


@pytest.mark.parametrize("path", REQUEST_PATH,
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_python_callback_per_row_in_the_request_path(path: Path):
    # polars runs map_elements on its worker threads, which then wait for the interpreter lock while
    # page threads wait in polars: with many sessions the server froze (issue 8).
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"map_elements|\.apply\(|iterrows\(", text), f"{path.name} calls Python per row in polars"


def test_a_replaced_wave_with_one_more_respondent_does_not_give_that_childs_answer_away(demo_db, tmp_path):
    # The attack of issue 9: load a wave, load it again with --replace after one more child answered,
    # subtract the two releases. The release ledger makes the second release hide what changed.
    db = copy_db(demo_db, tmp_path)
    rows = [f"n{i},{KENT},YLYC,2026,11-17,feel_safe_home,{'All or most of the time' if i % 4 else 'Sometimes'},"
            f"{'girl' if i % 2 else 'boy'}" for i in range(40)]
    first = write_lines(tmp_path / "kent_2026.csv", SURVEY_HEADER, *rows)
    again = write_lines(tmp_path / "kent_2026_again.csv", SURVEY_HEADER, *rows,
                        f"n40,{KENT},YLYC,2026,11-17,feel_safe_home,Sometimes,girl")
    assert run_cli("load", "bright-spots", first, "--db", db) == 0
    shown = query(db, "SELECT numerator, base FROM published_figures WHERE indicator_id = 'feel_safe_home' "
                      "AND la_code = ? AND wave = 2026 AND age_band = 'all' AND breakdown = '' AND status = 'ok'", [KENT])
    assert shown == [(30, 40)]
    assert run_cli("load", "bright-spots", again, "--db", db, "--replace") == 0
    now = query(db, "SELECT status, numerator, base FROM published_figures WHERE indicator_id = 'feel_safe_home' "
                    "AND la_code = ? AND wave = 2026 AND age_band = 'all' AND breakdown = ''", [KENT])
    assert now == [("c", None, None)]
    ledger = query(db, "SELECT count(DISTINCT release_id) FROM release_ledger WHERE indicator_id = 'feel_safe_home'")
    assert ledger[0][0] >= 2


def _published(con) -> pl.DataFrame:
    return (store.frame(con, "SELECT * EXCLUDE (release_id) FROM published_figures", {})
            .sort("la_code", "indicator_id", "wave", "survey", "age_band", "breakdown", "group", "category",
                  nulls_last=True))


def test_a_load_gates_again_only_the_families_it_changed_and_publishes_what_gating_everything_would(
        demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path)
    rows = [f"n{i},{KENT},YLYC,2026,11-17,feel_safe_home,{'All or most of the time' if i % 4 else 'Sometimes'},"
            f"{'girl' if i % 3 else 'boy'}" for i in range(40)]
    kent = write_lines(tmp_path / "kent_2026.csv", SURVEY_HEADER, *rows)
    con = store.connect(db)
    try:
        run_load(con, loader_for("bright-spots"), [kent], publish=False)
        with store.transaction(con):
            release = publish.publish(con, ["bright-spots"])
        after_load = _published(con)
        with store.transaction(con):
            afresh = publish.publish(con, ["bright-spots"], reuse=False)
        after_afresh = _published(con)
    finally:
        con.close()
    # One question of one LA and wave: one family of one indicator; every other family kept.
    assert (release.families_gated, afresh.families_kept) == (1, 0)
    assert release.families_kept > 100 and afresh.families_gated == release.families_gated + release.families_kept
    assert_frame_equal(after_load, after_afresh)


def test_a_family_is_gated_again_when_the_rules_change():
    from dashboard.disclosure import Cell, Family, rules
    from dashboard.engine.cells import family_digest

    fam = Family()
    fam.add(Cell("all", 30, 40))
    assert family_digest(fam, rules()) != family_digest(fam, rules().model_copy(update={"protection_level": 4}))
