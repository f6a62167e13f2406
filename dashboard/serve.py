"""`voice-dashboard serve`: start the dashboard (Streamlit, headless) on one database.

The database goes to the app in the VOICE_DB environment variable. Streamlit listens on this
computer only (127.0.0.1) unless STREAMLIT_SERVER_ADDRESS says otherwise: the dashboard is about
children, so showing it to the network is a choice to make on purpose.
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
import webbrowser
from pathlib import Path

from dashboard import auth, paths, store
from dashboard.problems import UserError

APP = paths.APP
DEMO_SEED = 2024
HEALTH_WAIT_SECONDS = 60


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def database_for(args: argparse.Namespace) -> Path:
    """The database to serve; with --demo, the demo database, built first if it is missing."""
    if args.demo:
        db = Path(args.db) if args.db else paths.DEMO_DB
        if not db.exists():
            from dashboard.demo import build_demo

            _say(f"building the synthetic demo database at {db} (once; later starts reuse it)")
            summary = build_demo(db, seed=DEMO_SEED, progress=_say, force=False)
            if summary:
                _say(str(summary))
        return db
    db = paths.resolve_db(args.db)
    if not db.exists():
        raise UserError(
            f"no database at {db}. To see the dashboard with synthetic demo data run "
            f"'voice-dashboard serve --demo'; to use your own data, load files first with "
            f"'voice-dashboard load KIND FILE --db {db}', then run 'voice-dashboard serve --db {db}'")
    return db


def check_database(db: Path) -> None:
    """Fail early, in plain words, if the app could not read the database."""
    con = store.connect(db, read_only=True, busy="is being written by another program (probably a load); "
                                                 "wait for it to finish, then start the dashboard again")
    try:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        from dashboard.backup import check_every_value

        check_every_value(con, db)     # before any page reads a damaged block
    finally:
        con.close()
    if "load_log" not in tables:
        raise UserError(f"{db} is not a voice-dashboard database (it has no load log); "
                        "build one with 'voice-dashboard demo' or 'voice-dashboard load KIND FILE --db FILE'")
    # A database made by an older version: bring its tables up to date once, before the pages
    # read it through read-only connections (which never migrate).
    con = store.connect(db, read_only=True)
    try:
        applied = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    finally:
        con.close()
    if {version for version, _, _ in store.migrations()} - applied:
        store.connect(db).close()


def ensure_published(db: Path) -> None:
    """Publish the figures first if the database has loads that are not yet published, or was
    published with another catalogue, disclosure rules or version (pages only read published
    figures, so they must be current before the dashboard opens)."""
    from dashboard import publish

    con = store.connect(db, read_only=True)
    try:
        current = publish.is_current(con)
    finally:
        con.close()
    if current:
        return
    _say(f"publishing the figures of {db} (once: computed and gated now, then read by every page)")
    con = store.connect(db)
    try:
        _say(publish.publish_all(con, progress=None).describe())
    finally:
        con.close()


def check_port(address: str, port: int) -> None:
    if not 1 <= port <= 65535:
        raise UserError(f"--port {port} is not a port number (1 to 65535)")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # SO_REUSEADDR, as the server itself binds: connections of a server just stopped linger
        # in TIME_WAIT for up to a minute, and must not make a restart fail; only a program
        # listening on the port makes it busy.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((address if address not in ("", "0.0.0.0") else "", port))
        except OSError:
            raise UserError(f"port {port} is already in use (is the dashboard already running?); "
                            "stop that program or choose another with --port") from None


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def allowed_hosts(address: str, extra: str = "") -> list[str]:
    """Host names a browser may use to reach the dashboard (Streamlit refuses a WebSocket from any other:
    DNS rebinding). The loopback names, the address it listens on, and VOICE_ALLOWED_HOSTS (comma separated)."""
    hosts = ["localhost", "127.0.0.1"]
    for h in [address, *extra.split(",")]:
        h = h.strip()
        if h and h not in ("0.0.0.0", "::") and h not in hosts:
            hosts.append(h)
    return hosts


def streamlit_command(port: int, hosts: list[str] | None = None, secrets: Path | None = None) -> list[str]:
    # Streamlit's command line, with the pages' libraries imported before any session starts and
    # no metrics route (dashboard/streamlit_main.py).
    command = [sys.executable, "-m", "dashboard.streamlit_main", "run", str(APP),
               "--server.headless", "true",
               "--server.port", str(port),
               "--browser.gatherUsageStats", "false",
               "--client.toolbarMode", "viewer",    # no "Deploy" or developer menu for the dashboard's readers
               "--client.showErrorDetails", "none",  # a page error shows a reference id, never a traceback
               "--server.enableCORS", "true", "--server.enableXsrfProtection", "true",
               # No full collection after every run: it holds the GIL, and with many sessions health
               # checks waited behind them (.streamlit/config.toml says more; a flag so a wheel has it too).
               "--runner.postScriptGC", "false"]
    for host in hosts or allowed_hosts("127.0.0.1"):
        command += ["--server.allowedHosts", host]
    if secrets is not None:
        command += ["--secrets.files", str(secrets)]
    return command


def sign_in_setup(args: argparse.Namespace, address: str) -> tuple[Path | None, Path | None]:
    """The secrets file (with sign-in's [auth] section) and the roles file, checked before starting.

    Without sign-in the dashboard is local single-user mode, which must not be shown to a network."""
    secrets = getattr(args, "secrets", None) or os.environ.get("VOICE_SECRETS")
    roles = auth.roles_path(getattr(args, "roles", None))
    if secrets:
        secrets = Path(secrets)
        try:
            config = tomllib.loads(secrets.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise UserError(f"secrets file {secrets} cannot be read: {str(exc).splitlines()[0]}") from None
        if "auth" not in config:
            raise UserError(f"secrets file {secrets} has no [auth] section, so sign-in cannot be set up "
                            "(README: Sign-in and roles)")
        if roles is None:
            raise UserError("sign-in is set up but there is no roles file: give it with --roles FILE or VOICE_ROLES")
        auth.read_roles(roles)
        return secrets, roles
    if address not in LOOPBACK:
        raise UserError(f"without sign-in the dashboard runs in local single-user mode and listens on 127.0.0.1 "
                        f"only, not {address}: set up sign-in (--secrets FILE --roles FILE) to show it to a network")
    if roles is not None:
        auth.read_roles(roles)   # a roles file without sign-in is ignored, but a broken one is still reported
    return None, roles


def wait_until_healthy(url: str, proc: subprocess.Popen, seconds: float = HEALTH_WAIT_SECONDS) -> bool:
    """Poll Streamlit's health endpoint until it answers, the server exits, or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.25)
    return False


def serve(args: argparse.Namespace) -> int:
    db = database_for(args).resolve()
    check_database(db)
    ensure_published(db)
    env = dict(os.environ, VOICE_DB=str(db))
    env.setdefault("STREAMLIT_SERVER_ADDRESS", "127.0.0.1")
    address = env["STREAMLIT_SERVER_ADDRESS"]
    secrets, roles = sign_in_setup(args, address)
    if roles is not None:
        env["VOICE_ROLES"] = str(roles.resolve())
    check_port(address, args.port)
    host = "localhost" if address in ("127.0.0.1", "localhost", "", "0.0.0.0") else address
    url = f"http://{host}:{args.port}"

    print(f"voice-dashboard: serving {db}", flush=True)
    print(f"voice-dashboard: open {url} in a browser (Ctrl+C stops the dashboard)", flush=True)
    if secrets is None:
        print("voice-dashboard: local single-user mode (no sign-in): only this computer can open it", flush=True)
    command = streamlit_command(args.port, allowed_hosts(address, env.get("VOICE_ALLOWED_HOSTS", "")),
                                secrets.resolve() if secrets else None)
    proc = subprocess.Popen(command, env=env, cwd=paths.ROOT)

    def stop(signum, frame):  # SIGTERM to us stops Streamlit too, never leaving it running alone
        if proc.poll() is None:
            proc.terminate()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if args.open:
            if wait_until_healthy(url, proc):
                webbrowser.open(url)
            else:
                _say("the dashboard did not answer in time, so no browser was opened")
        return proc.wait()
    except KeyboardInterrupt:
        # Ctrl+C reaches Streamlit too (same terminal); give it a moment to stop cleanly.
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait(timeout=10)
        _say("voice-dashboard: stopped")
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
