"""The dashboard shell in Streamlit's AppTest: every page, on small databases built by the real loaders."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.publish import publish_all
from dashboard import store
from dashboard.loaders import loader_for, run_load
from tests.conftest import GOOD_INPUTS, ROOT, copy_db, open_folded_parts

APP = ROOT / "dashboard" / "app.py"
KENT = GOOD_INPUTS / "bright-spots" / "kent_2024_long.csv"
# page file (relative to dashboard/app.py, as AppTest wants it) -> its heading
PAGES = {
    "../pages/start.py": "Voice and well-being dashboard",
    "../pages/data_and_methods.py": "Data and methods",
}


pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


def build(path: Path, files: list[Path], synthetic: bool = False) -> Path:
    con = store.connect(path)
    try:
        run_load(con, loader_for("bright-spots"), files, synthetic=synthetic)
    finally:
        con.close()
    return path


def open_page(monkeypatch, db: Path, page: str | None = None) -> AppTest:
    monkeypatch.setenv("VOICE_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    if page:
        at.switch_page(page).run()
    open_folded_parts(at)    # as a reader opening every folded part: each chart's table, each section
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Everything written on the page as markdown, alerts and code, as one string."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [c.value for c in at.code]
    parts += [a.value for a in [*at.info, *at.warning, *at.error]]
    return "\n".join(parts)


@pytest.fixture
def real_db(kent_survey_db, tmp_path: Path) -> Path:
    """Kent's survey file loaded as real data: this test's own copy of the session's database."""
    return copy_db(kent_survey_db, tmp_path, "real.duckdb")


@pytest.fixture
def synthetic_db(tmp_path: Path) -> Path:
    return build(tmp_path / "demo.duckdb", [KENT], synthetic=True)


@pytest.mark.parametrize("page,heading", PAGES.items())
def test_each_page_shows_its_heading(monkeypatch, real_db, page, heading):
    at = open_page(monkeypatch, real_db, page)
    assert [t.value for t in at.title] == [heading]


def test_start_page_lists_the_local_authority_by_name(monkeypatch, real_db):
    at = open_page(monkeypatch, real_db)
    las = at.dataframe[1].value
    assert las.to_dict("records") == [{
        "Local authority": "Kent", "Code": "E10000016", "Region": "South East", "Surveys": "✓",
        "Feedback forms": "", "Reviews": "", "Voice checks": "", "Actions": "", "Themes": ""}]


def test_start_page_lists_each_survey_wave_with_its_local_authorities(monkeypatch, real_db):
    at = open_page(monkeypatch, real_db)
    waves = at.dataframe[2].value
    assert sorted(waves["Survey"]) == ["Your Life Beyond Care (care leavers)", "Your Life, Your Care (children in care)"]
    assert set(waves["Wave"]) == {2024}
    assert set(waves["Which"]) == {"Kent"}
    assert set(waves["Local authorities"]) == {1}


def test_start_page_lists_every_kind_with_files_loaded(monkeypatch, real_db):
    at = open_page(monkeypatch, real_db)
    kinds = at.dataframe[0].value.set_index("Data")
    assert kinds.loc["Bright Spots surveys", "Files loaded"] == 1
    assert kinds.loc["Feedback forms", "Files loaded"] == 0
    assert kinds.loc["Feedback forms", "Last loaded (UTC)"] == "not loaded"
    assert kinds.loc["Feedback forms", "KIND to load it"] == "feedback"


def test_start_page_shows_no_figure_about_children(monkeypatch, real_db):
    """Until disclosure control exists, the shell shows what is loaded, never counts of answers."""
    at = open_page(monkeypatch, real_db)
    columns = {c for df in at.dataframe for c in df.value.columns}
    assert not {c for c in columns if any(w in c.lower() for w in ("answer", "respondent", "children", "%"))}
    assert [m.label for m in at.metric] == ["Files loaded", "Local authorities with voice data", "Survey waves",
                                            "DfE datasets"]


def test_start_page_lists_dfe_datasets_with_their_periods(monkeypatch, real_db):
    con = duckdb.connect(str(real_db))
    con.execute("INSERT INTO load_log (load_id, kind, file_name, file_hash, file_format, rows_read, rows_loaded, "
                "scope, loaded_at, seconds, tool_version) VALUES (nextval('load_id_seq'), 'dfe', 'cla.csv', 'abc', "
                "'csv', 10, 10, 'cla', ?, 0.1, '0.1.0')", [datetime(2025, 1, 2, 3, 4)])
    con.execute("INSERT INTO dfe_datasets SELECT 'cla', max(load_id), 'cla.csv', ['la_name'], ['number', 'rate'], "
                "['2024', '2023'] FROM load_log")
    publish_all(con)   # data changed outside a load: publish again, as `voice-dashboard publish` would
    con.close()
    at = open_page(monkeypatch, real_db)
    dfe = at.dataframe[3].value
    assert dfe.to_dict("records") == [{"Dataset": "cla", "Time periods": "2023, 2024", "Indicator columns": 2,
                                       "Loaded (UTC)": "2025-01-02 03:04", "File": "cla.csv"}]


def test_data_and_methods_lists_each_load_with_its_file_and_rows(monkeypatch, real_db):
    at = open_page(monkeypatch, real_db, "../pages/data_and_methods.py")
    history = at.dataframe[0].value
    assert history[["Load", "Data", "File", "Rows in file"]].to_dict("records") == [
        {"Load": 1, "Data": "Bright Spots surveys", "File": "kent_2024_long.csv", "Rows in file": "5"}]


@pytest.mark.parametrize("page", PAGES)
def test_synthetic_banner_shows_on_every_page(monkeypatch, synthetic_db, page):
    at = open_page(monkeypatch, synthetic_db, page)
    assert any("SYNTHETIC DEMO DATA" in w.value for w in at.warning)


@pytest.mark.parametrize("page", PAGES)
def test_no_synthetic_banner_for_real_data(monkeypatch, real_db, page):
    at = open_page(monkeypatch, real_db, page)
    assert not any("SYNTHETIC" in w.value for w in at.warning)


def test_mixed_data_banner_counts_synthetic_loads_and_history_marks_them(monkeypatch, synthetic_db, tmp_path):
    extra = tmp_path / "westminster_2024.csv"
    extra.write_text("respondent_id,la_code,survey,wave,age_band,question_id,answer\n"
                     "w1,E09000033,YLYC,2024,11-17,life_satisfaction,8\n", encoding="utf-8")
    build(synthetic_db, [extra])
    at = open_page(monkeypatch, synthetic_db, "../pages/data_and_methods.py")
    history = at.dataframe[0].value
    assert history[["File", "Synthetic"]].to_dict("records") == [
        {"File": "westminster_2024.csv", "Synthetic": ""}, {"File": "kent_2024_long.csv", "Synthetic": "✓"}]
    assert [w.value for w in at.warning if "SYNTHETIC" in w.value] == [
        "**SYNTHETIC DEMO DATA** is mixed in: 1 of the 2 loads are invented for demonstration. "
        "See Data and methods for which."]


@pytest.mark.parametrize("page", PAGES)
def test_empty_database_shows_the_commands_to_build_the_demo_or_load_files(monkeypatch, db, page):
    at = open_page(monkeypatch, db, page)
    assert [t.value for t in at.title] == ["No data loaded yet"]
    commands = "\n".join(c.value for c in at.code)
    assert "voice-dashboard serve --demo" in commands
    assert f"voice-dashboard demo --db {db}" in commands
    assert f"voice-dashboard load bright-spots survey.csv --db {db}" in commands
    assert not at.dataframe


def test_empty_database_is_let_go_so_the_suggested_load_can_write(monkeypatch, db):
    open_page(monkeypatch, db)
    build(db, [KENT])      # would fail with a lock error if the app still held the file
    st.cache_resource.clear()
    at = open_page(monkeypatch, db)
    assert [t.value for t in at.title] == ["Voice and well-being dashboard"]


def test_missing_database_shows_the_commands(monkeypatch, tmp_path):
    missing = tmp_path / "nowhere.duckdb"
    at = open_page(monkeypatch, missing)
    assert [t.value for t in at.title] == ["No database yet"]
    assert f"voice-dashboard demo --db {missing}" in "\n".join(c.value for c in at.code)
    assert not missing.exists()


def test_a_database_path_under_a_file_is_shown_as_missing(monkeypatch, tmp_path):
    (tmp_path / "notes.txt").write_text("not a folder")
    at = open_page(monkeypatch, tmp_path / "notes.txt" / "voice.duckdb")
    assert [t.value for t in at.title] == ["No database yet"]


def test_database_locked_by_a_load_says_it_is_busy(monkeypatch, db):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('open', flush=True); "
         "sys.stdin.read()", str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        at = open_page(monkeypatch, db)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert [t.value for t in at.title] == ["The database is busy"]
    assert "reload this page" in texts(at)


def test_a_duckdb_file_that_is_not_a_dashboard_database_is_named_unreadable(monkeypatch, tmp_path):
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).execute("CREATE TABLE t (x INTEGER)").close()
    at = open_page(monkeypatch, other)
    assert [t.value for t in at.title] == ["The database cannot be read"]
    assert "not made by voice-dashboard" in texts(at)


def test_a_ready_database_is_not_read_again_on_every_page_run(monkeypatch, real_db):
    from dashboard import db

    reads = []
    monkeypatch.setattr(db, "_read_state", lambda path, read=db._read_state: reads.append(path) or read(path))
    assert db.state(real_db).ready and db.state(real_db).ready
    assert reads == [real_db]


def test_a_ready_database_written_since_is_read_again(monkeypatch, real_db):
    from dashboard import db

    assert db.state(real_db).ready
    db.release()      # as the app does for a load: a writer needs the file
    con = store.connect(real_db)
    try:
        run_load(con, loader_for("actions"), sorted((GOOD_INPUTS / "actions").iterdir()), publish=False)
    finally:
        con.close()
    assert db.state(real_db).status == db.UNPUBLISHED
