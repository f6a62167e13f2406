"""A page's error is caught and shown as a friendly message with a reference (dashboard.errors), not as
Streamlit's exception box. The benchmark and the concurrency test looked only for the exception box, so
a page that failed counted as a page quickly drawn: a benchmark run with the code changed under its
server gave Overview a median of 0.2 s. Both now look for dashboard.errors.PAGE_ERROR_SELECTOR; this
checks, in a real server and browser, that it finds the friendly message where the old check did not."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard.errors import PAGE_ERROR_SELECTOR
from tests.browser.conftest import running_dashboard
from tests.conftest import failing_copy

KENT = "E10000016"


@pytest.fixture(scope="module")
def failing_server(demo_db, tmp_path_factory):
    """The demo with a column of its published figures renamed, so the Overview's lookup fails."""
    folder = tmp_path_factory.mktemp("failing")
    with running_dashboard(failing_copy(demo_db, folder), folder / "serve.log") as url:
        yield url


def test_a_page_error_shown_as_a_friendly_message_is_found_by_the_error_selector(page, failing_server):
    page.goto(f"{failing_server}/overview?la={KENT}")
    page.wait_for_function("() => window.__voiceRuns > 0")
    expect(page.get_by_text("Something went wrong while drawing this page")).to_be_visible()
    expect(page.locator(PAGE_ERROR_SELECTOR)).to_have_count(1)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)   # what was looked for before


def test_a_page_that_draws_has_nothing_the_error_selector_finds(page, failing_server):
    page.goto(f"{failing_server}/themes?la={KENT}")     # reads no published figure: it draws
    page.wait_for_function("() => window.__voiceRuns > 0")
    expect(page.get_by_role("heading", level=1, name="Themes")).to_be_visible()
    expect(page.locator(PAGE_ERROR_SELECTOR)).to_have_count(0)
