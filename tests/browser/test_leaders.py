"""The senior leaders' pages in a real browser, on the synthetic demo: a shared address
(?la=...&wave=...&domain=...) opens the same view for a colleague, on the Overview and on the
Well-being domains page; screenshots of both kept in test-artifacts/screenshots/."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import COUNT_RUNS, full_page_screenshot

pytestmark = pytest.mark.browser

KENT = "E10000016"


def run_finished(page: Page, runs: int = 1) -> None:
    page.wait_for_function(f"() => window.__voiceRuns >= {runs}", timeout=60_000)
    expect(page.locator('[data-testid="stSpinner"]')).to_have_count(0)


def fresh_page(browser) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(30_000)
    context.add_init_script(COUNT_RUNS)
    return context.new_page()


def screenshot(page: Page, name: str) -> None:
    full_page_screenshot(page, name)


def test_a_shared_domains_address_opens_the_same_view(browser, demo_server):
    wide = {"width": 1400, "height": 1400}
    sender = fresh_page(browser)
    sender.set_viewport_size(wide)
    sender.goto(f"{demo_server}/domains?la={KENT}&wave=2023")
    run_finished(sender)
    expect(sender.get_by_role("heading", level=2, name="A good life")).to_be_visible()
    sender.locator('[data-testid="stRadio"]').filter(has_text="Domain").get_by_text("Feelings").click()
    expect(sender.get_by_role("heading", level=2, name="Feelings")).to_be_visible()
    sender.wait_for_function("() => location.search.includes('domain=feelings')")
    shared = sender.url
    assert f"la={KENT}" in shared and "wave=2023" in shared
    summary = sender.get_by_text("Kent, 2023", exact=True)
    expect(summary).to_be_visible()
    indicators = '[data-testid="vd-table"]'       # the domain's indicator table: the first table on the page
    expect(sender.locator(indicators).first).to_contain_text("Classification")

    colleague = fresh_page(browser)
    colleague.set_viewport_size(wide)
    colleague.goto(shared)
    run_finished(colleague)
    expect(colleague.get_by_role("heading", level=2, name="Feelings")).to_be_visible()
    expect(colleague.get_by_text("Kent, 2023", exact=True)).to_be_visible()
    expect(colleague.get_by_role("combobox", name="Local authority")).to_have_value("Kent")
    mine, theirs = sender.locator(indicators).first, colleague.locator(indicators).first
    expect(theirs).to_contain_text("Classification")
    assert theirs.inner_text() == mine.inner_text()
    screenshot(colleague, "domains_feelings_kent_2023")
    sender.context.close()
    colleague.context.close()


def test_a_shared_overview_address_opens_the_same_view_and_links_to_its_domain(browser, demo_server):
    page = fresh_page(browser)
    page.goto(f"{demo_server}/overview?la={KENT}&wave=2023&domain=home")
    run_finished(page)
    expect(page.get_by_role("heading", level=1, name="Overview")).to_be_visible()
    expect(page.get_by_text("Kent, 2023", exact=True)).to_be_visible()
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(15)
    screenshot(page, "overview_kent_2023")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.get_by_role("link", name="Open Home").click()
    expect(page.get_by_role("heading", level=1, name="Well-being domains")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Home")).to_be_visible()
    expect(page.get_by_text("Kent, 2023", exact=True)).to_be_visible()
    page.wait_for_function("() => location.search.includes('domain=home') && location.search.includes('wave=2023')")
    page.context.close()
