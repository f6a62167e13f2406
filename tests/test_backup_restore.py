"""Backup and recovery: `backup` and `restore`, the integrity check every command runs when it opens
the database, the `demo --force` guard, and `serve` restarting at once on the same port."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard import serve
from dashboard.loaders import loader_for, run_load
from dashboard import store
from dashboard.problems import UserError
from tests.conftest import GOOD_INPUTS, ROOT, file_digest, query, run_cli, snapshot


@pytest.fixture
def loaded_db(tmp_path) -> Path:
    """A database holding real (non-synthetic) loads of two kinds."""
    db = tmp_path / "voice.duckdb"
    assert run_cli("load", "themes", GOOD_INPUTS / "themes" / "kent_themes_2024.csv", "--db", db, "--quiet") == 0
    assert run_cli("load", "feedback", GOOD_INPUTS / "feedback" / "kent_forms_2024.csv", "--db", db, "--quiet") == 0
    return db


def hold_open(db: Path, read_only: bool = True) -> subprocess.Popen:
    """Another program (as the dashboard does) with the database open until its stdin closes."""
    proc = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == '1'); "
         "print('open', flush=True); sys.stdin.read()", str(db), "1" if read_only else "0"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "open"
    return proc


def release(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    proc.wait(timeout=30)


# -- backup ----------------------------------------------------------------------------------------
def test_backup_holds_every_table_exactly(loaded_db, tmp_path):
    out = tmp_path / "backup.duckdb"
    assert run_cli("backup", "--db", loaded_db, "--out", out) == 0
    assert snapshot(out) == snapshot(loaded_db)


def test_backup_works_while_the_dashboard_has_the_database_open(loaded_db, tmp_path):
    before = file_digest(loaded_db)
    dashboard = hold_open(loaded_db, read_only=True)
    try:
        assert run_cli("backup", "--db", loaded_db, "--out", tmp_path / "b.duckdb") == 0
    finally:
        release(dashboard)
    assert snapshot(tmp_path / "b.duckdb") == snapshot(loaded_db)
    assert file_digest(loaded_db) == before, "a backup must not change the database"


def test_backup_never_overwrites_a_file(loaded_db, tmp_path, capsys):
    out = tmp_path / "b.duckdb"
    out.write_bytes(b"precious")
    assert run_cli("backup", "--db", loaded_db, "--out", out) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_bytes() == b"precious"


def test_backup_of_a_damaged_database_writes_nothing_and_says_so(loaded_db, tmp_path, capsys):
    data = loaded_db.read_bytes()
    loaded_db.write_bytes(data[: len(data) // 2])
    out = tmp_path / "b.duckdb"
    assert run_cli("backup", "--db", loaded_db, "--out", out) == 2
    assert "is damaged" in capsys.readouterr().err
    assert not out.exists()
    assert not list(tmp_path.glob(".b.duckdb.partial*"))


# -- restore ---------------------------------------------------------------------------------------
def test_restore_brings_back_the_backup_and_keeps_the_old_file_aside(loaded_db, tmp_path, capsys):
    bak = tmp_path / "b.duckdb"
    assert run_cli("backup", "--db", loaded_db, "--out", bak) == 0
    expected = snapshot(loaded_db)
    assert run_cli("load", "participation", GOOD_INPUTS / "participation" / "kent_reviews_2024.csv",
                   "--db", loaded_db, "--quiet") == 0
    after_load = file_digest(loaded_db)
    capsys.readouterr()

    assert run_cli("restore", bak, "--db", loaded_db) == 0

    assert snapshot(loaded_db) == expected
    kept = list(tmp_path.glob("voice.duckdb.before-restore-*"))
    assert len(kept) == 1 and file_digest(kept[0]) == after_load
    assert str(kept[0]) in capsys.readouterr().out


def test_loads_after_a_restore_continue_the_load_numbers(loaded_db, tmp_path):
    bak = tmp_path / "b.duckdb"
    assert run_cli("backup", "--db", loaded_db, "--out", bak) == 0
    target = tmp_path / "restored.duckdb"
    assert run_cli("restore", bak, "--db", target) == 0
    assert run_cli("load", "participation", GOOD_INPUTS / "participation" / "kent_reviews_2024.csv",
                   "--db", target, "--quiet") == 0
    assert [r[0] for r in query(target, "SELECT load_id FROM load_log ORDER BY load_id")] == [1, 2, 3]


def test_restore_refuses_a_database_the_dashboard_has_open(loaded_db, tmp_path, capsys):
    bak = tmp_path / "b.duckdb"
    assert run_cli("backup", "--db", loaded_db, "--out", bak) == 0
    before = file_digest(loaded_db)
    dashboard = hold_open(loaded_db, read_only=True)
    try:
        code = run_cli("restore", bak, "--db", loaded_db)
    finally:
        release(dashboard)
    assert code == 2
    assert "is open in another program" in capsys.readouterr().err
    assert file_digest(loaded_db) == before
    assert not list(tmp_path.glob("*before-restore*"))


def test_restore_refuses_a_damaged_backup_and_leaves_the_database_alone(loaded_db, tmp_path, capsys):
    bak = tmp_path / "b.duckdb"
    assert run_cli("backup", "--db", loaded_db, "--out", bak) == 0
    data = bak.read_bytes()
    bak.write_bytes(data[: len(data) // 3])
    before = file_digest(loaded_db)

    assert run_cli("restore", bak, "--db", loaded_db) == 2

    assert "is damaged" in capsys.readouterr().err
    assert file_digest(loaded_db) == before


def test_restore_replaces_a_damaged_database(loaded_db, tmp_path):
    bak = tmp_path / "b.duckdb"
    assert run_cli("backup", "--db", loaded_db, "--out", bak) == 0
    expected = snapshot(bak)
    loaded_db.write_bytes(loaded_db.read_bytes()[:5000])
    assert run_cli("restore", bak, "--db", loaded_db) == 0
    assert snapshot(loaded_db) == expected


# -- integrity check when a command opens the database ---------------------------------------------
@pytest.mark.parametrize("damage,says", [
    (lambda data: data[: len(data) // 2], "it was cut short"),
    (lambda data: b"", "the file is empty"),
    (lambda data: b"not a database at all\n" * 50, "not a DuckDB database"),
], ids=["truncated", "empty", "garbage"])
@pytest.mark.parametrize("command", [
    ["loads"],
    ["indicators", "--la", "886", "--wave", "2024"],
    ["load", "participation", str(GOOD_INPUTS / "participation" / "kent_reviews_2024.csv")],
    ["serve", "--port", "8631"],
    ["disclosure-audit"],
], ids=lambda c: c[0])
def test_a_damaged_database_is_described_in_plain_words_with_how_to_restore(loaded_db, damage, says, command, capsys):
    loaded_db.write_bytes(damage(loaded_db.read_bytes()))
    damaged_bytes = loaded_db.read_bytes()
    capsys.readouterr()

    code = run_cli(*command, "--db", loaded_db)

    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert f"the database {loaded_db} is damaged" in err and says in err
    assert "voice-dashboard restore" in err
    assert loaded_db.read_bytes() == damaged_bytes, "the damaged file must be left as it was (for recovery)"


def _reads_every_value(db: Path) -> bool:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables "
                                    "WHERE table_schema = 'main' AND table_type = 'BASE TABLE'").fetchall():
            cols = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                              "WHERE table_schema = 'main' AND table_name = ?", [table]).fetchall()]
            con.execute(f'SELECT count(*), {", ".join(f"min(hash({c!r}))".replace(chr(39), chr(34)) for c in cols)} '
                        f'FROM "{table}"').fetchall()
        return True
    except duckdb.Error:
        return False
    finally:
        con.close()


def damage_a_data_block(db: Path) -> None:
    """Overwrite part of one block of table data in place (the size stays the same, the file
    opens, its catalogue and load log read): what a failing disk or a bad copy can do."""
    import duckdb

    data = db.read_bytes()
    block, first = 256 * 1024, 3 * 4096
    for loc in range(first + block, len(data) - block + 1, block):
        damaged = bytearray(data)
        damaged[loc + 100: loc + 164] = b"\xff" * 64
        db.write_bytes(bytes(damaged))
        try:
            store.connect(db, read_only=True).close()
        except (UserError, duckdb.Error):
            continue
        if not _reads_every_value(db):
            return
    raise AssertionError("no block of table data found to damage")


def test_serve_refuses_a_database_with_a_damaged_block_in_plain_words(loaded_db):
    """A block damaged in place passed the quick check, so the dashboard started and every page
    said only 'Something went wrong' (the log: 'Corrupt database file: computed checksum ...')."""
    damage_a_data_block(loaded_db)
    damaged_bytes = loaded_db.read_bytes()
    with pytest.raises(UserError, match=r"is damaged: part of it cannot be read.*voice-dashboard restore"):
        serve.check_database(loaded_db)
    assert loaded_db.read_bytes() == damaged_bytes


def test_restore_refuses_a_backup_with_a_damaged_block(loaded_db, tmp_path, capsys):
    bak = tmp_path / "b.duckdb"
    assert run_cli("backup", "--db", loaded_db, "--out", bak) == 0
    damage_a_data_block(bak)
    before = file_digest(loaded_db)
    capsys.readouterr()
    assert run_cli("restore", bak, "--db", loaded_db) == 2
    err = capsys.readouterr().err
    assert "is damaged: part of it cannot be read" in err and "Traceback" not in err
    assert file_digest(loaded_db) == before
    assert not list(tmp_path.glob("*before-restore*"))


def test_backup_of_a_database_with_a_damaged_block_writes_nothing_and_says_so(loaded_db, tmp_path, capsys):
    damage_a_data_block(loaded_db)
    capsys.readouterr()
    out = tmp_path / "b.duckdb"
    assert run_cli("backup", "--db", loaded_db, "--out", out) == 2
    err = capsys.readouterr().err
    assert "is damaged" in err and "Traceback" not in err
    assert not out.exists()
    assert not list(tmp_path.glob(".b.duckdb.partial*"))


# -- demo --force -----------------------------------------------------------------------------------
def test_demo_force_refuses_a_database_with_real_loads(loaded_db, capsys):
    before = file_digest(loaded_db)
    assert run_cli("demo", "--force", "--db", loaded_db) == 2
    err = capsys.readouterr().err
    assert "holds 2 loads of real (non-demo) data" in err and "did nothing" in err
    assert file_digest(loaded_db) == before


def test_demo_force_refuses_a_duckdb_file_that_is_not_a_dashboard_database(tmp_path, capsys):
    import duckdb

    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).execute("CREATE TABLE precious (x INTEGER)").close()
    before = file_digest(other)
    assert run_cli("demo", "--force", "--db", other) == 2
    assert file_digest(other) == before


def test_a_database_of_demo_loads_only_counts_no_real_loads(tmp_path):
    from dashboard.backup import real_loads

    db = tmp_path / "demo.duckdb"
    con = store.connect(db)
    try:
        run_load(con, loader_for("themes"), [GOOD_INPUTS / "themes" / "kent_themes_2024.csv"], synthetic=True)
    finally:
        con.close()
    assert real_loads(db) == 0


# -- serve restarts at once on the same port --------------------------------------------------------
def _time_wait_on(port: int) -> None:
    """Leave a server-side connection on `port` in TIME_WAIT: the server closes first, as a
    stopped dashboard does with its browsers' connections."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port))
        server.listen()
        client = socket.create_connection(("127.0.0.1", port))
        conn, _ = server.accept()
        conn.close()            # the server side closes first: its end goes to TIME_WAIT
        client.recv(1)
        client.close()


def test_port_check_accepts_a_port_whose_old_connections_are_in_time_wait():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _time_wait_on(port)
    states = subprocess.run(["ss", "-tan", f"( sport = :{port} )"], capture_output=True, text=True).stdout
    assert "TIME-WAIT" in states, states          # the situation that made restarts fail
    serve.check_port("127.0.0.1", port)           # no error: nothing listens there


def test_port_check_still_refuses_a_port_someone_listens_on():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(Exception, match="already in use"):
            serve.check_port("127.0.0.1", busy.getsockname()[1])


@pytest.mark.slow
def test_serve_starts_again_at_once_on_the_same_port_after_stopping(loaded_db):
    port = 8632
    url = f"http://127.0.0.1:{port}"

    def start() -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--db", str(loaded_db), "--port", str(port)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)

    first = start()
    try:
        assert serve.wait_until_healthy(url, first, seconds=120)
        browser = socket.create_connection(("127.0.0.1", port))   # an open connection when it stops
        browser.sendall(b"GET /_stcore/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        browser.recv(1024)
    finally:
        first.terminate()
        first.communicate(timeout=60)
    browser.close()
    stopped = time.monotonic()
    second = start()
    try:
        assert serve.wait_until_healthy(url, second, seconds=120), second.stdout.read() if second.poll() is not None else ""
        assert time.monotonic() - stopped < 120
    finally:
        second.terminate()
        out = second.communicate(timeout=60)[0]
    assert "already in use" not in out
