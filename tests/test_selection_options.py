"""The sidebar's choice of LA and wave is read once per data version, not on every page run: a load
after a visit changes the version, so the next visit offers what the load added."""
from __future__ import annotations

import pytest

from dashboard import db, store
from dashboard.loaders import loader_for, run_load
from dashboard.ui import selection
from tests.conftest import copy_db

pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")
BEDFORD = "E06000055"   # in the demo with DfE statistics only


def test_an_la_with_its_first_voice_data_loaded_after_a_visit_is_offered_with_it(monkeypatch, demo_db, tmp_path):
    path = copy_db(demo_db, tmp_path)
    monkeypatch.setenv("VOICE_DB", str(path))
    before = selection._options()
    assert before[BEDFORD]["has_voice"] is False
    checks = tmp_path / "bedford_checks_2024.csv"
    checks.write_text("child_ref,la_code,date,check,answer\n"
                      + "".join(f"C{i},{BEDFORD},2024-02-01,voice_heard_assessment,yes\n" for i in range(20)))
    db.release()      # the app lets go of the file, as it must for a load to write
    con = store.connect(path)
    try:
        run_load(con, loader_for("voice-checks"), [checks])
    finally:
        con.close()
    after = selection._options()
    assert after[BEDFORD]["has_voice"] is True
    assert 2024 in after[BEDFORD]["waves"]


def test_the_options_are_read_once_per_data_version(monkeypatch, demo_db):
    monkeypatch.setenv("VOICE_DB", str(demo_db))
    reads = []
    real = db.query
    monkeypatch.setattr(db, "query", lambda name, *a, **k: (reads.append(name), real(name, *a, **k))[1])
    first, second = selection._options(), selection._options()
    assert first == second
    assert reads.count("selection_options") == 1
