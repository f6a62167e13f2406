"""The Themes, "You said, we did" and Young inspectors pages in a real browser, on the synthetic demo:
hidden theme counts marked c, the action loop with children not yet told, the young inspectors' big
tiles (named for screen readers) and no serious accessibility problem in the page's own content.
Screenshots in test-artifacts/screenshots/."""
from __future__ import annotations

from typing import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import COUNT_RUNS, full_page_screenshot

pytestmark = pytest.mark.browser

KENT, HACKNEY = "E10000016", "E09000012"


@pytest.fixture
def page(browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(60_000)
    context.add_init_script(COUNT_RUNS)
    try:
        yield context.new_page()
    finally:
        context.close()


def open_page(page: Page, url: str, runs: int = 1) -> None:
    page.goto(url)
    page.wait_for_function(f"() => window.__voiceRuns >= {runs}")
    expect(page.locator('[data-testid="stSpinner"]')).to_have_count(0)


def screenshot(page: Page, name: str) -> None:
    full_page_screenshot(page, name)


def test_themes_page_marks_hidden_counts_and_quotes_only_published_themes(page, demo_server):
    # Hackney, not Kent: every theme of Kent's in the demo has dozens of records, so none is hidden there.
    open_page(page, f"{demo_server}/themes?la={HACKNEY}")
    expect(page.get_by_role("heading", level=1, name="Themes")).to_be_visible()
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    expect(chart.get_by_text("c (hidden)").first).to_be_attached()
    expect(page.get_by_text("I said what I wanted at my review and it happened.")).to_be_visible()
    screenshot(page, "themes_hackney")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.locator('[data-testid="stRadio"]').filter(has_text="Break the themes down by").get_by_text("Who said it").click()
    expect(page.get_by_role("heading", level=2, name="Who raised each theme")).to_be_visible()


def test_actions_page_shows_the_loop_and_what_children_have_not_been_told(page, demo_server):
    open_page(page, f"{demo_server}/actions?la={KENT}")
    expect(page.get_by_role("heading", level=1, name="You said, we did")).to_be_visible()
    expect(page.get_by_text("Children have not yet been told about")).to_be_visible()
    # the chart's own table is drawn only when its "View as table" is opened: the first grid is the actions'
    cells = page.locator('[data-testid="stDataFrame"]').first.locator('[data-testid^="glide-cell-"]')
    expect(cells.first).to_be_attached()
    assert "Not yet told" in cells.all_text_contents()
    expect(page.get_by_role("heading", level=2, name="Areas to look at with no action yet")).to_be_visible()
    screenshot(page, "actions_kent")


def test_young_inspectors_page_shows_big_named_tiles_and_changes_with_whose_views(page, demo_server):
    open_page(page, f"{demo_server}/young_inspectors?la={KENT}")
    expect(page.get_by_role("heading", level=1, name="What young people told us")).to_be_visible()
    expect(page.get_by_role("img", name="That is about nine in ten.").first).to_be_visible()
    expect(page.get_by_text("You said:").first).to_be_visible()
    screenshot(page, "young_inspectors_kent")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.get_by_text("Care leavers (Your Life Beyond Care)").click()
    expect(page.get_by_text("young people who have left care in Kent")).to_be_visible()


def test_young_inspectors_content_has_no_serious_accessibility_problem(page, demo_server):
    from axe_playwright_python.sync_playwright import Axe

    open_page(page, f"{demo_server}/young_inspectors?la={KENT}")
    expect(page.get_by_role("heading", level=1, name="What young people told us")).to_be_visible()
    results = Axe().run(page, context='[data-testid="stMainBlockContainer"]')
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
