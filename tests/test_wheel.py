"""The package as a user installs it: `pip install .` (a wheel, not editable), then the CLI from any folder.

The wheel is built from this checkout and installed, without its dependencies, into a fresh venv under a
temporary folder; the dependencies come from this test's own venv through a .pth line (no network, no index).
Every command then runs from a folder outside the repository, so nothing can be read from the checkout.
"""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest

from dashboard.serve import wait_until_healthy
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, COUNT_RUNS, free_port
from tests.conftest import GOOD_INPUTS, ROOT

pytestmark = pytest.mark.slow   # building and installing a wheel takes about half a minute

BUNDLED = ["dashboard/_bundle/queries/survey_indicator.sql", "dashboard/_bundle/indicators/domains.yaml",
           "dashboard/_bundle/data/reference/la_codes.csv", "dashboard/_bundle/.streamlit/config.toml",
           "dashboard/_bundle/pages/overview.py", "dashboard/_bundle/app/app.py", "dashboard/migrations/0001_core.sql"]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(base / "dist")],
                   check=True, capture_output=True, text=True)
    wheel = next((base / "dist").glob("voice_dashboard-*.whl"))
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    "-q", str(wheel)], check=True, capture_output=True, text=True)
    # The dependencies (duckdb, polars, streamlit, ...) from this venv, after the wheel's own site-packages:
    # a plain .pth line adds the folder but runs none of its .pth files, so this checkout's editable
    # install is not seen.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("VOICE_DB", "VOICE_CATALOGUE", "PYTHONPATH")}
    env["VOICE_HOME"] = str(base / "home")
    return {"wheel": wheel, "bin": venv / "bin", "cwd": elsewhere, "env": env, "site": Path(site)}


def run(installed: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(installed["bin"] / "voice-dashboard"), *args], cwd=installed["cwd"],
                          env=installed["env"], capture_output=True, text=True, timeout=300)


def test_wheel_carries_the_sql_yaml_reference_pages_and_streamlit_config(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    assert [f for f in BUNDLED if f not in names] == []


def test_installed_package_reads_its_files_from_the_wheel_not_the_checkout(installed):
    out = subprocess.run([str(installed["bin"] / "python"), "-c",
                          "from dashboard import paths; print(paths.INSTALLED, paths.ROOT, paths.DEMO_DB)"],
                         cwd=installed["cwd"], env=installed["env"], capture_output=True, text=True, check=True)
    flag, root, demo = out.stdout.split()
    assert flag == "True"
    assert Path(root).is_relative_to(installed["site"])
    assert Path(demo) == Path(installed["env"]["VOICE_HOME"]) / "demo.duckdb"


def test_catalogue_check_passes_from_another_folder(installed):
    result = run(installed, "catalogue", "check")
    assert result.returncode == 0, result.stderr


def test_load_then_indicators_from_another_folder(installed):
    db = installed["cwd"] / "kent.duckdb"
    loaded = run(installed, "load", "bright-spots", str(GOOD_INPUTS / "bright-spots" / "kent_2024_long.csv"),
                 "--db", str(db), "--quiet")
    assert loaded.returncode == 0, loaded.stderr
    shown = run(installed, "indicators", "--db", str(db), "--la", "E10000016", "--wave", "2024")
    assert shown.returncode == 0, shown.stderr
    assert "life_satisfaction" in shown.stdout


@pytest.fixture(scope="module")
def installed_server(installed):
    """`voice-dashboard serve` from the installed wheel, run from a folder outside the repository."""
    db = installed["cwd"] / "served.duckdb"
    assert run(installed, "load", "bright-spots", str(GOOD_INPUTS / "bright-spots" / "kent_2024_long.csv"),
               "--db", str(db), "--quiet").returncode == 0
    port = free_port()
    log = installed["cwd"] / "serve.log"
    env = dict(installed["env"], STREAMLIT_SERVER_FILE_WATCHER_TYPE="none")
    with log.open("w") as out:
        proc = subprocess.Popen([str(installed["bin"] / "voice-dashboard"), "serve", "--db", str(db), "--port",
                                 str(port)], cwd=installed["cwd"], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        assert wait_until_healthy(f"http://127.0.0.1:{port}", proc, seconds=90), log.read_text()
        yield f"http://127.0.0.1:{port}", log
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_answers_health_from_another_folder(installed_server):
    url, log = installed_server
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as resp:
        assert resp.status == 200
    assert "Traceback" not in log.read_text()


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent (apt-get install chromium)")
def test_every_page_of_the_installed_app_runs_without_an_error(installed_server):
    """The pages and their links to each other ("../pages/x.py") resolve inside the wheel."""
    from playwright.sync_api import expect, sync_playwright

    url, _ = installed_server
    paths = ["/" if p.stem == "start" else f"/{p.stem}" for p in sorted((ROOT / "pages").glob("*.py"))]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.add_init_script(COUNT_RUNS)   # counts the app's finished script runs
            context.set_default_timeout(60_000)
            page = context.new_page()
            for path in paths:
                page.goto(url + path)
                page.wait_for_function("() => window.__voiceRuns > 0")
                expect(page.locator("h1").first).to_be_visible()
                expect(page.locator('[data-testid="stException"]'), path).to_have_count(0)
        finally:
            browser.close()
