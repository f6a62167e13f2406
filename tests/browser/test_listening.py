"""The "How we listen" and "Annual statement (1a)" pages in a real browser on the synthetic demo:
the map's flags in words, the statement's drafts, and its downloads (Word, PDF and an accessible
child-friendly HTML). Screenshots in test-artifacts/screenshots/."""
from __future__ import annotations

import io
from typing import Iterator

import docx
import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import COUNT_RUNS, full_page_screenshot
from tests.browser.test_report_and_a11y import axe_violations, readable

pytestmark = pytest.mark.browser

KENT, HARTLEPOOL = "E10000016", "E06000001"


@pytest.fixture
def page(browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    context.set_default_timeout(120_000)
    context.add_init_script(COUNT_RUNS)
    try:
        yield context.new_page()
    finally:
        context.close()


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("() => window.__voiceRuns >= 1")
    expect(page.locator('[data-testid="stSpinner"]')).to_have_count(0)


def download(page: Page, name: str, tmp_path):
    with page.expect_download() as info:
        page.get_by_role("button", name=name).click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    return saved


def test_how_we_listen_page_maps_the_register_with_flags_in_words(page, demo_server):
    # Hartlepool's demo register asks children in care too often and has nothing for early help.
    open_page(page, f"{demo_server}/listening?la={HARTLEPOOL}")
    expect(page.get_by_role("heading", level=1, name="How we listen")).to_be_visible()
    expect(page.get_by_role("heading", name="Who is asked, and by how many routes: Hartlepool")).to_be_visible()
    expect(page.get_by_text("Nobody asks: Families in early help")).to_be_visible()
    expect(page.get_by_text("Asked too often (more than 6 times in a quarter)")).to_be_visible()
    expect(page.get_by_role("heading", name="Where the listening loop breaks (Lundy model)")).to_be_visible()
    expect(page.get_by_text("View as table")).to_be_visible()
    expect(page.get_by_text("Answer the self-assessment for an activity (admin or participation lead)")).to_be_visible()
    full_page_screenshot(page, "how_we_listen_hartlepool")


def test_statement_page_downloads_word_and_pdf_naming_the_la(page, demo_server, tmp_path):
    open_page(page, f"{demo_server}/statement?la={KENT}")
    expect(page.get_by_role("heading", level=1, name="Annual statement: how we listen and respond")).to_be_visible()
    expect(page.get_by_text("How we listen and respond to children and young people: Kent").first).to_be_visible()
    word = download(page, "Download the statement (Word)", tmp_path)
    assert word.suffix == ".docx"
    d = docx.Document(io.BytesIO(word.read_bytes()))
    assert "Kent" in d.core_properties.title
    pdf = download(page, "Download the statement (PDF)", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "Kent" in PdfReader(pdf).pages[0].extract_text()
    full_page_screenshot(page, "statement_kent")


def test_child_friendly_html_download_is_accessible(page, demo_server, tmp_path):
    open_page(page, f"{demo_server}/statement?la={KENT}")
    saved = download(page, "Download the child-friendly version (HTML)", tmp_path)
    assert saved.name.startswith("child_friendly_statement_1a_E10000016_")
    page.goto(saved.as_uri())
    expect(page.get_by_role("heading", level=1)).to_contain_text("How we listen to you: Kent")
    expect(page.get_by_role("heading", name="You said, we did")).to_be_visible()
    expect(page.get_by_role("img").first).to_be_attached()
    violations = axe_violations(page)
    assert not violations, f"axe-core found in the child-friendly statement:\n{readable(violations)}"
