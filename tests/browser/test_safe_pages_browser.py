"""Safe pages in Chromium: an injected theme quote renders as the text it is (no image fetched, no link),
action text that may name someone is held back, a tampered link gets a message and no traceback, and
local single-user mode says so. Against a real `voice-dashboard serve` on a crafted database."""
from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import expect

from dashboard import audit_log, store
from dashboard.loaders import loader_for, run_load
from dashboard.publishable import HELD_BACK
from dashboard.serve import wait_until_healthy
from dashboard.ui.safe import JOINER
from tests.browser.conftest import voice_dashboard_command
from tests.conftest import GOOD_INPUTS, ROOT

PORTS = range(8643, 8650)   # this engineer's range; the first free one (a stopped server's port may still be held)
KENT = "E10000016"
INJECTION = "![x](http://127.0.0.1:8999/beacon.png) [click here to sign in](http://127.0.0.1:8999/login)"


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _load(db: Path, kind: str, csv: Path) -> None:
    con = store.connect(db)
    try:
        run_load(con, loader_for(kind), [csv])
    finally:
        con.close()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("hostile_browser")
    db = folder / "hostile.duckdb"
    _load(db, "bright-spots", GOOD_INPUTS / "bright-spots" / "kent_2024_long.csv")
    rows = [f'TH{i:03d},{KENT},2024-05-{i + 1:02d},children_in_care_council,child_in_care,having a say,'
            + (f'"{INJECTION}",yes' if i == 0 else ",") for i in range(8)]
    rows += [f"TH{i:03d},{KENT},2024-05-{i + 1:02d},children_in_care_council,child_in_care,moving home,,"
             for i in range(8, 15)]   # a second theme, so neither count is the total (which would be hidden)
    themes = folder / "themes.csv"
    themes.write_text("record_id,la_code,date,source,cohort,theme,quote,quote_consent\n" + "\n".join(rows) + "\n",
                      encoding="utf-8")
    _load(db, "themes", themes)
    actions = folder / "actions.csv"
    actions.write_text("action_id,la_code,raised_on,source,indicator_id,theme,we_heard,we_did,status,reason,"
                       "told_children_on,owner\n"
                       f"A1,{KENT},2024-02-10,feedback,,having a say,ask Jordan Smith about his move,"
                       "we listened,done,,2024-04-01,Service manager\n", encoding="utf-8")
    _load(db, "actions", actions)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOICE_", "STREAMLIT_"))}
    env["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] = "none"
    port = next((p for p in PORTS if _free(p)), None) or pytest.skip("no free port in 8643-8649")
    url = f"http://localhost:{port}"
    log = folder / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([*voice_dashboard_command(), "serve", "--db", str(db), "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    try:
        if not wait_until_healthy(url, proc, seconds=90):
            pytest.fail(f"the dashboard did not answer:\n{log.read_text()}")
        yield url, db
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


def open_page(page, url: str) -> None:
    """Go to the page and wait until Streamlit's run has finished (not a fixed time)."""
    page.goto(url)
    page.wait_for_function("() => window.__voiceRuns > 0", timeout=60_000)


@pytest.fixture(scope="module")
def hostile_server(hostile_site) -> str:
    return hostile_site[0]


def test_an_injected_quote_is_shown_as_text_with_no_image_or_link(page, hostile_server):
    beacons = []
    page.on("request", lambda r: beacons.append(r.url) if ":8999" in r.url else None)
    open_page(page, f"{hostile_server}/themes")
    main = page.get_by_test_id("stMain")
    quote = main.locator("blockquote", has_text="click here to sign in")
    expect(quote).to_be_visible()
    assert quote.inner_text().replace(JOINER, "") == INJECTION    # what the reader sees: the text as written
    expect(main.locator("img[src*='beacon']")).to_have_count(0)
    expect(main.locator("a[href*='8999']")).to_have_count(0)
    assert beacons == []


def test_action_text_naming_someone_is_held_back_on_the_young_inspectors_page(page, hostile_server):
    open_page(page, f"{hostile_server}/young_inspectors")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text(HELD_BACK).first).to_be_visible()
    expect(main.get_by_text("Jordan")).to_have_count(0)


@pytest.mark.parametrize("query,said", [("wave=%C2%B2", "is not a year"), ("wave=" + "7" * 5000, "is not a year"),
                                        ("la=886", "not a local authority code")])
def test_a_tampered_link_shows_a_message_and_no_traceback(page, hostile_server, query, said):
    open_page(page, f"{hostile_server}/overview?{query}")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("This link could not be shown exactly as asked")).to_be_visible()
    expect(main.get_by_text(said)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Traceback")).to_have_count(0)


def test_local_single_user_mode_is_marked(page, hostile_server):
    open_page(page, hostile_server)
    expect(page.get_by_text("Local single-user mode.")).to_be_visible()


def test_a_download_is_written_to_the_audit_log(page, hostile_site):
    url, db = hostile_site
    open_page(page, f"{url}/themes")
    with page.expect_download() as download:
        page.get_by_test_id("stMain").get_by_role("button", name="Download CSV of this chart").first.click()
    name = download.value.suggested_filename
    assert name.startswith(f"themes_{KENT}")
    page.wait_for_function("() => window.__voiceRuns > 1", timeout=60_000)   # the click's run records it
    assert ("local", "admin", "download", name) in [(e.who, e.role, e.event, e.what) for e in audit_log.entries(db)]
