"""An LA with DfE statistics alone (a new LA's natural first step): the DfE page, the Overview and the
panel report work for it and say plainly that no survey is loaded yet, and how to add one."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.demo.dfe import write_dfe_files, write_neighbours
from dashboard.demo.places import focus_areas
from tests.conftest import ROOT, run_cli, open_folded_parts
from tests.static_tables import static_tables

APP = ROOT / "dashboard" / "app.py"
pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


@pytest.fixture(scope="module")
def dfe_only_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dfe-only")
    areas = focus_areas()
    files = write_dfe_files(random.Random(11), areas, folder)
    db = folder / "dfe_only.duckdb"
    for name, path in files.items():
        assert run_cli("load", "dfe", path, "--dataset", name, "--db", db, "--quiet") == 0
    assert run_cli("load", "dfe", write_neighbours(areas, folder), "--db", db, "--quiet") == 0
    return db


def open_page(monkeypatch, db: Path, page: str) -> AppTest:
    monkeypatch.setenv("VOICE_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.run()
    at.switch_page(page).run()
    open_folded_parts(at)    # as a reader opening every folded part: each chart's table, each section
    assert not at.exception, [e.message for e in at.exception]
    return at


def said(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [i.value for i in at.info] + [c.value for c in at.caption])


@pytest.mark.parametrize("page", ["../pages/dfe_metrics.py", "../pages/overview.py", "../pages/panel_report.py"])
def test_page_says_no_survey_is_loaded_yet_and_how_to_add_one(monkeypatch, dfe_only_db, page):
    text = said(open_page(monkeypatch, dfe_only_db, page))
    assert "No survey is loaded yet for" in text
    assert "voice-dashboard load bright-spots FILE" in text
    assert "No local authority has voice data" not in text


def test_dfe_page_shows_the_las_dfe_figures(monkeypatch, dfe_only_db):
    at = open_page(monkeypatch, dfe_only_db, "../pages/dfe_metrics.py")
    assert static_tables(at), "no summary table of DfE figures"
    assert "at a glance" in " ".join(h.value for h in at.header)
