"""Every page in a real browser: it opens, shows its heading and the synthetic banner; screenshots kept."""
from __future__ import annotations

import re

import duckdb
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

# url path -> (heading, screenshot name)
PAGES = {
    "/": ("Voice and well-being dashboard", "start"),
    "/data_and_methods": ("Data and methods", "data_and_methods"),
}


def open_page(page: Page, url: str) -> None:
    """Go to the page and wait until its script has run to the end (see COUNT_RUNS in conftest)."""
    page.goto(url)
    page.wait_for_function("() => window.__voiceRuns > 0")


def fully_drawn(page: Page) -> None:
    """Elements whose code loads lazily (tables) show a skeleton first; a table has drawn once its
    cells exist (glide keeps them for screen readers beside the canvas)."""
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0)
    tables = page.locator('[data-testid="stDataFrame"]')
    for i in range(tables.count()):
        expect(tables.nth(i).locator('[data-testid^="glide-cell-"]').first).to_be_attached()


@pytest.mark.parametrize("path", PAGES)
def test_page_opens_with_its_heading(page, server, path):
    heading, _ = PAGES[path]
    open_page(page, server + path)
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()


@pytest.mark.parametrize("path", PAGES)
def test_page_shows_the_synthetic_data_banner(page, server, path):
    open_page(page, server + path)
    expect(page.get_by_text("SYNTHETIC DEMO DATA.")).to_be_visible()


def test_sidebar_link_goes_to_data_and_methods(page, server):
    open_page(page, server)
    page.get_by_role("link", name="Data and methods").click()
    expect(page.get_by_role("heading", level=1, name="Data and methods")).to_be_visible()
    # the address also carries the selection (?la=...&wave=...): the page is what the path names
    expect(page).to_have_url(re.compile(re.escape(server) + r"/data_and_methods(\?.*)?$"))


def test_start_page_lists_the_local_authority_loaded(page, server):
    open_page(page, server)
    expect(page.locator('[data-testid="stDataFrame"]').nth(1)).to_contain_text("Kent")


def test_data_and_methods_lists_the_file_loaded(page, server, demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        newest = con.execute("SELECT file_name FROM load_log ORDER BY load_id DESC LIMIT 1").fetchall()[0][0]
    finally:
        con.close()
    open_page(page, server + "/data_and_methods")
    expect(page.locator('[data-testid="stDataFrame"]').first).to_contain_text(newest)


def test_empty_database_page_shows_the_commands_to_run(page, empty_server):
    open_page(page, empty_server)
    expect(page.get_by_role("heading", level=1, name="No data loaded yet")).to_be_visible()
    expect(page.get_by_text("voice-dashboard serve --demo")).to_be_visible()
    page.set_viewport_size({"width": 1400, "height": 1100})
    save_screenshot(page, "no_data_yet")


@pytest.mark.parametrize("path", PAGES)
def test_screenshot_of_every_page(page, server, path):
    heading, name = PAGES[path]
    open_page(page, server + path)
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    fully_drawn(page)
    # Streamlit scrolls inside its main area, so a full-page shot needs a window as tall as the page.
    height = page.locator('[data-testid="stMainBlockContainer"]').evaluate("e => e.scrollHeight")
    page.set_viewport_size({"width": 1400, "height": max(900, height + 150)})
    fully_drawn(page)
    save_screenshot(page, name)


def save_screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
