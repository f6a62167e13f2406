"""Browser tests: a real `voice-dashboard serve` on the synthetic demo, driven by Debian Chromium.

Two servers at most, each started once for all the browser tests (and stopped after the last of them, as
are Chromium and Playwright: package-scoped fixtures): `demo_server` (also called `server`) on a copy of the
session's `demo_db` (tests/conftest.py: the demo is built once for all tests) for every test that reads the
demo, and `empty_server` on a database with nothing loaded, for the test that needs that.

Playwright's own browser download cannot run here, so the tests use the system Chromium
(`apt-get install chromium`, which .ci/run does) and skip with a reason when it is absent.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from dashboard import store
from dashboard.serve import wait_until_healthy
from tests.conftest import ROOT, copy_db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
HERE = Path(__file__).resolve().parent

# COUNT_RUNS (count_runs.js) counts finished script runs from the server's messages, so a test can
# wait for the run its action caused. Streamlit reports a run finished before the browser has drawn
# everything it sent; on a busy two-core machine drawing can take longer than Playwright's default
# 5 s. Expectations still wait for a condition, just longer, never for a fixed time.
try:
    from playwright.sync_api import expect as _expect

    _expect.set_options(timeout=30_000)
except ImportError:   # the browser tests are skipped with their reason when Playwright is absent
    pass

COUNT_RUNS = (HERE / "count_runs.js").read_text()   # finished runs, as the server reports them


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is absent: install Debian's Chromium with 'apt-get install -y "
                                   "chromium' (.ci/run does) to run the browser tests")
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(skip)


def free_port() -> int:
    """A free port: any the system gives, or the first free one of VOICE_TEST_PORTS ("8710-8739") on a
    machine shared with others, where each user keeps to a range."""
    wanted = os.environ.get("VOICE_TEST_PORTS", "")
    first, _, last = wanted.partition("-")
    candidates = range(int(first), int(last or first) + 1) if first else [0]
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port in VOICE_TEST_PORTS={wanted}")


def voice_dashboard_command() -> list[str]:
    """The installed console script, as a user runs it (falling back to the module beside this Python)."""
    script = Path(sys.executable).parent / "voice-dashboard"
    if script.exists():
        return [str(script)]
    found = shutil.which("voice-dashboard")
    return [found] if found else [sys.executable, "-m", "dashboard"]


@contextmanager
def running_dashboard(db: Path, log: Path) -> Iterator[str]:
    """A real `voice-dashboard serve --db DB --port PORT`; yields its URL, and stops it afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, STREAMLIT_SERVER_FILE_WATCHER_TYPE="none")
    with log.open("w") as out:
        proc = subprocess.Popen([*voice_dashboard_command(), "serve", "--db", str(db), "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    try:
        if not wait_until_healthy(url, proc, seconds=90):
            pytest.fail(f"the dashboard did not answer at {url}/_stcore/health:\n{log.read_text()}")
        yield url
    finally:
        proc.terminate()     # serve passes this on to Streamlit and waits for it
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


@pytest.fixture(scope="package")
def demo_server(demo_db, tmp_path_factory) -> Iterator[str]:
    """The dashboard on the full synthetic demo (12 LAs, three survey waves, records, themes, actions, DfE), started
    once for every browser test. It serves its own copy of the demo, so the AppTest files can read theirs meanwhile.
    Tests only read through it: nothing a browser does writes to the database."""
    folder = tmp_path_factory.mktemp("demo_server")
    with running_dashboard(copy_db(demo_db, folder), folder / "serve.log") as url:
        yield url


@pytest.fixture(scope="package")
def server(demo_server) -> str:
    """The dashboard on the synthetic demo (the same server as demo_server)."""
    return demo_server


@pytest.fixture(scope="package")
def empty_server(tmp_path_factory) -> Iterator[str]:
    """The dashboard on a database with nothing loaded."""
    folder = tmp_path_factory.mktemp("empty")
    store.connect(folder / "empty.duckdb").close()
    with running_dashboard(folder / "empty.duckdb", folder / "serve.log") as url:
        yield url


@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(30_000)
    context.add_init_script(COUNT_RUNS)
    try:
        yield context.new_page()
    finally:
        context.close()


def full_page_screenshot(page, name: str, timeout_ms: float | None = None, width: int = 1400) -> Path:
    """The whole page as a PNG in test-artifacts/screenshots/, once tables and charts have drawn:
    the window is made as tall as Streamlit's scrolling main area so nothing is cut off."""
    from playwright.sync_api import expect

    wait = {"timeout": timeout_ms} if timeout_ms else {}
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, **wait)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    for i in range(charts.count()):
        expect(charts.nth(i).locator(".main-svg").first).to_be_attached(**wait)
    height = page.locator('[data-testid="stMainBlockContainer"]').evaluate("e => e.scrollHeight")
    page.set_viewport_size({"width": width, "height": max(900, height + 150)})
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, **wait)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    return shot
