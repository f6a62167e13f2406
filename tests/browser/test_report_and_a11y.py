"""Accessibility in a real browser: axe-core checks EVERY page of the app (served by the real
`voice-dashboard serve` on the synthetic demo) for serious or critical violations; the sidebar works
from the keyboard; the Panel report's PDF download is a PDF naming the LA. Screenshots are kept in
test-artifacts/screenshots/.

axe-core is the copy shipped inside the axe-playwright-python package (a PyPI dependency of the
tests): nothing is downloaded while the tests run.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import COUNT_RUNS, full_page_screenshot
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

AXE_JS = Path(str(files("axe_playwright_python") / "axe.min.js"))
FAILING = ("serious", "critical")
KENT = "la=E10000016&wave=2025"
# url path -> page file (pages/<file>.py): every page of the app, as dashboard/app.py lists them.
PAGES = {
    "": "start",
    "overview": "overview",
    "domains": "domains",
    "dfe_metrics": "dfe_metrics",
    "actions": "actions",
    "participation": "participation",
    "feedback": "feedback",
    "themes": "themes",
    "listening": "listening",
    "statement": "statement",
    "panel_report": "panel_report",
    "young_inspectors": "young_inspectors",
    "data_and_methods": "data_and_methods",
}


@pytest.fixture
def page(browser) -> Iterator[Page]:
    """A fresh page; long timeouts, as a page's first figures on a cold server take a while."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    context.set_default_timeout(90_000)
    context.add_init_script(COUNT_RUNS)
    try:
        yield context.new_page()
    finally:
        context.close()


def settle(page: Page, url: str) -> None:
    """Open the page and wait until its script has finished and everything visible has drawn."""
    page.goto(url)
    page.wait_for_function("() => window.__voiceRuns > 0")
    expect(page.locator('[data-testid="stSpinner"]')).to_have_count(0, timeout=90_000)
    expect(page.locator('[data-testid="stSkeleton"]:visible')).to_have_count(0, timeout=90_000)
    charts = page.locator(".js-plotly-plot")
    for i in range(charts.count()):
        expect(charts.nth(i).locator(".main-svg").first).to_be_attached()


# A page's folded sections, opened by their choices in the link, so what they hold is checked too.
FOLDED_OPEN = {"domains": "&by=gender&funnel=feel_safe_home"}


def axe_violations(page: Page) -> list[dict]:
    """axe-core's violations on the page as it is now, serious and critical only."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in FAILING]


def readable(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['impact']} {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    at {' > '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.append("       " + node["failureSummary"].replace("\n", " | ")[:300])
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def screenshot(page: Page, name: str) -> None:
    full_page_screenshot(page, name)


def test_the_check_catches_a_known_violation(page):
    page.set_content('<html lang="en"><head><title>t</title></head><body><main><img src="x.png"></main></body></html>')
    assert [v["id"] for v in axe_violations(page)] == ["image-alt"]


def test_every_page_of_the_app_is_checked():
    assert set(PAGES.values()) == {p.stem for p in (ROOT / "pages").glob("*.py")}


@pytest.mark.parametrize("path", PAGES, ids=list(PAGES.values()))
def test_page_has_no_serious_or_critical_accessibility_violations(page, demo_server, path):
    settle(page, f"{demo_server}/{path}?{KENT}{FOLDED_OPEN.get(path, '')}")
    violations = axe_violations(page)
    screenshot(page, f"a11y_{PAGES[path]}")
    assert not violations, f"axe-core found on /{path}:\n{readable(violations)}"


def test_sidebar_pages_can_be_reached_with_the_keyboard(page, demo_server):
    settle(page, f"{demo_server}/?{KENT}")
    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('href') || ''").endswith("data_and_methods"):
            break
    else:
        pytest.fail("Tab never reached the 'Data and methods' link in the sidebar")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Data and methods")).to_be_visible()


def test_panel_report_pdf_download_is_a_pdf_naming_the_la(page, demo_server, tmp_path):
    settle(page, f"{demo_server}/panel_report?{KENT}")
    expect(page.get_by_text("The report: Kent, 2025")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the report as PDF (for printing)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    # The report follows the sidebar's "whose views" (children in care by default).
    assert saved.name == "panel_report_kent_2025_children_in_care.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    first_page = PdfReader(saved).pages[0].extract_text()
    assert "Corporate parenting panel report: Kent, 2025" in first_page
    screenshot(page, "panel_report")


def test_panel_report_html_download_has_no_serious_accessibility_violations(page, demo_server, tmp_path):
    settle(page, f"{demo_server}/panel_report?{KENT}")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the report as HTML (for reading on screen)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "panel_report_kent_2025_children_in_care.html"
    page.goto(saved.as_uri())
    expect(page.get_by_role("heading", level=1, name="Corporate parenting panel report: Kent, 2025")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, f"axe-core found in the HTML report:\n{readable(violations)}"
