"""`voice-dashboard serve`: plain errors before anything starts, the demo contract, and a real start and stop."""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import types
import urllib.request
from pathlib import Path

import duckdb
import pytest

from dashboard import serve
from tests.conftest import ROOT, run_cli


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_without_a_database_says_how_to_get_one(tmp_path, capsys):
    missing = tmp_path / "none.duckdb"
    assert run_cli("serve", "--db", missing) == 2
    err = capsys.readouterr().err
    assert f"no database at {missing}" in err
    assert "voice-dashboard serve --demo" in err
    assert f"voice-dashboard load KIND FILE --db {missing}" in err
    assert "Traceback" not in err
    assert not missing.exists()


def test_serve_refuses_a_port_already_in_use(db, capsys):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert run_cli("serve", "--db", db, "--port", port) == 2
    assert f"port {port} is already in use" in capsys.readouterr().err


def test_serve_refuses_a_duckdb_file_that_is_not_a_dashboard_database(tmp_path, capsys):
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).execute("CREATE TABLE t (x INTEGER)").close()
    assert run_cli("serve", "--db", other, "--port", free_port()) == 2
    assert "is not a voice-dashboard database" in capsys.readouterr().err


def test_serve_refuses_a_database_being_written(db, capsys):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('open', flush=True); "
         "sys.stdin.read()", str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        code = run_cli("serve", "--db", db, "--port", free_port())
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert code == 2
    assert "is being written by another program" in capsys.readouterr().err


@pytest.fixture
def fake_demo(monkeypatch):
    """Stands in for dashboard.demo (tested on its own) and records how serve calls it."""
    calls = []

    def build_demo(path, seed, progress, force):
        calls.append({"path": Path(path), "seed": seed, "force": force})
        Path(path).write_bytes(b"")
        return "built"

    monkeypatch.setitem(sys.modules, "dashboard.demo", types.SimpleNamespace(build_demo=build_demo))
    return calls


def test_serve_demo_builds_a_missing_demo_once_with_the_fixed_seed(tmp_path, fake_demo):
    demo = tmp_path / "demo.duckdb"
    args = argparse.Namespace(demo=True, db=str(demo))
    assert serve.database_for(args) == demo
    assert fake_demo == [{"path": demo, "seed": 2024, "force": False}]


def test_serve_demo_reuses_an_existing_demo(tmp_path, fake_demo):
    demo = tmp_path / "demo.duckdb"
    demo.write_bytes(b"")
    assert serve.database_for(argparse.Namespace(demo=True, db=str(demo))) == demo
    assert fake_demo == []


def test_streamlit_runs_headless_on_the_port_without_usage_statistics():
    command = serve.streamlit_command(8600)
    assert command[:5] == [sys.executable, "-m", "dashboard.streamlit_main", "run", str(ROOT / "dashboard" / "app.py")]
    pairs = dict(zip(command[5::2], command[6::2]))
    assert pairs["--server.headless"] == "true"
    assert pairs["--server.port"] == "8600"
    assert pairs["--browser.gatherUsageStats"] == "false"


def test_streamlit_skips_its_full_garbage_collection_after_each_run_even_outside_the_repository():
    # Set by flag, not only in .streamlit/config.toml, which Streamlit reads from the working folder.
    pairs = dict(zip(serve.streamlit_command(8600)[5::2], serve.streamlit_command(8600)[6::2]))
    assert pairs["--runner.postScriptGC"] == "false"


@pytest.mark.slow
def test_serve_answers_on_localhost_and_stopping_it_stops_streamlit(db):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    try:
        assert serve.wait_until_healthy(url, proc, seconds=90), proc.stdout.read() if proc.poll() is not None else ""
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    assert f"open http://localhost:{port} in a browser" in output
    with pytest.raises(OSError):   # Streamlit went with it: nothing answers on the port any more
        urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)


def test_serve_brings_a_database_from_an_older_version_up_to_date_before_the_pages_read_it(db):
    """The pages read through read-only connections, which never migrate: a database made before
    migration 0007 (actions' cohort) would fail on the You said, we did pages. serve's check
    applies the missing migrations first."""
    import duckdb

    from dashboard import serve, store

    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE actions DROP COLUMN cohort")
    con.execute("DELETE FROM schema_migrations WHERE version = 7")
    con.close()
    serve.check_database(db)
    con = store.connect(db, read_only=True)
    try:
        assert 7 in {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
        assert "cohort" in {r[0] for r in con.execute("DESCRIBE actions").fetchall()}
    finally:
        con.close()
