"""A connection that writes is capped in memory (VOICE_DB_MEMORY_MB); DuckDB's default is 80% of the machine."""
from __future__ import annotations

import pytest

from dashboard import store
from dashboard.problems import UserError


def test_a_writing_connection_has_the_default_cap(tmp_path, monkeypatch):
    monkeypatch.delenv("VOICE_DB_MEMORY_MB", raising=False)
    con = store.connect(tmp_path / "a.duckdb")
    try:
        shown = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    finally:
        con.close()
    assert shown == "488.2 MiB"        # DuckDB shows 512 MB (decimal) in MiB


def test_the_cap_follows_voice_db_memory_mb(tmp_path, monkeypatch):
    monkeypatch.setenv("VOICE_DB_MEMORY_MB", "1000")
    con = store.connect(tmp_path / "a.duckdb")
    try:
        shown = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    finally:
        con.close()
    assert shown == "953.6 MiB"


@pytest.mark.parametrize("bad", ["lots", "-5", "10", "1.5"])
def test_a_bad_cap_is_refused_in_plain_words_and_nothing_is_created(tmp_path, monkeypatch, bad):
    monkeypatch.setenv("VOICE_DB_MEMORY_MB", bad)
    with pytest.raises(UserError, match="VOICE_DB_MEMORY_MB must be a whole number"):
        store.connect(tmp_path / "a.duckdb")
    assert not (tmp_path / "a.duckdb").exists()
