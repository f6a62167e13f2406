"""What a reader sees, in Chromium at 1280 and 390 pixels wide, on the demo: the page never runs
off the side, no chart's labels (annotations, column and row names) overlap one another, and the
young inspectors' sentences read right. Screenshots of each page at both widths in
test-artifacts/screenshots/ (reader_<page>_<width>.png)."""
from __future__ import annotations

from typing import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import COUNT_RUNS, SCREENSHOTS, full_page_screenshot

pytestmark = pytest.mark.browser

KENT, HACKNEY = "E10000016", "E09000012"
WIDTHS = [1280, 390]
WAIT_MS = 180_000        # a Streamlit run on a busy shared machine can take a while
PAGES = {
    "young_inspectors": f"young_inspectors?la={KENT}",
    "themes_said_by": f"themes?la={HACKNEY}&themes_by=said_by",
    "themes_quarter": f"themes?la={HACKNEY}&themes_by=quarter",
    "participation": f"participation?la={KENT}",
    "feedback": f"feedback?la={KENT}",
    "domains": f"domains?la={KENT}&domain=home&by=gender&funnel=feel_safe_home",   # its folded sections open
    "actions": f"actions?la={KENT}",
    "overview": f"overview?la={KENT}&wave=2025",
    "dfe_metrics": f"dfe_metrics?la={KENT}&wave=2025&dfe_area=home.child-abuse-neglect",
    "listening": f"listening?la={KENT}",
    "themes_source": f"themes?la={HACKNEY}&themes_by=source",
}

# Bounding boxes of every chart's text that must not collide: annotations, the figures written in a
# heatmap's squares, and the tick labels of each axis (checked axis by axis, within one chart).
OVERLAPS = """() => {
  // Each text's own box, turned as it is drawn (a turned column name is a turned box), in screen
  // pixels; two boxes collide when no edge of either separates them (separating axis test).
  const corners = e => {
    const b = e.getBBox(), m = e.getScreenCTM();
    return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
      .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
  };
  const apart = (p, q) => [p, q].some(poly => poly.some((a, i) => {
    const b = poly[(i + 1) % 4], nx = a[1] - b[1], ny = b[0] - a[0];
    const span = pts => pts.map(([x, y]) => x * nx + y * ny);
    const s1 = span(p), s2 = span(q);
    return Math.max(...s1) <= Math.min(...s2) + 1 || Math.max(...s2) <= Math.min(...s1) + 1;
  }));
  const found = [];
  document.querySelectorAll('[data-testid="stPlotlyChart"]').forEach((chart, c) => {
    const groups = [[...chart.querySelectorAll('.annotation-text, .annotation text')],
                    [...chart.querySelectorAll('.heatmap-label text')]];   // the figure written in each square
    chart.querySelectorAll('.xaxislayer-above, .yaxislayer-above').forEach(g => groups.push([...g.querySelectorAll('text')]));
    groups.forEach(els => {
      const boxes = els.filter(e => e.textContent.trim() && e.getBBox().width > 0).map(e => [e.textContent, corners(e)]);
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++)
        if (!apart(boxes[i][1], boxes[j][1])) found.push(`chart ${c}: "${boxes[i][0]}" over "${boxes[j][0]}"`);
    });
  });
  return found;
}"""


# A heatmap whose columns are too narrow for their names has some names left out by Plotly (the PN
# codes read "PN1 PN3 PN5 PN7" on a phone): each column with a figure in it must have its name.
UNNAMED_COLUMNS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].flatMap((chart, c) => {
  const labels = [...chart.querySelectorAll('.heatmap-label text')].filter(t => t.textContent.trim());
  if (!labels.length) return [];
  const centres = labels.map(t => { const b = t.getBoundingClientRect(); return b.x + b.width / 2; }).sort((a, b) => a - b);
  const columns = centres.filter((x, i) => i === 0 || x - centres[i - 1] > 4).length;   // one per column
  const names = chart.querySelectorAll('.xtick text').length;
  return names < columns ? [`chart ${c}: ${names} column names for ${columns} columns`] : [];
})"""


@pytest.fixture
def page(browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(90_000)
    context.add_init_script(COUNT_RUNS)
    try:
        yield context.new_page()
    finally:
        context.close()


def open_at(page: Page, url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    page.wait_for_function("() => window.__voiceRuns >= 1")
    expect(page.locator('[data-testid="stSpinner"]')).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=WAIT_MS)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_fits_and_its_chart_labels_never_overlap(page, demo_server, name, width):
    open_at(page, f"{demo_server}/{PAGES[name]}", width)
    full_page_screenshot(page, f"reader_{name}_{width}", timeout_ms=WAIT_MS, width=width)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{name} runs {overflow}px off the side at {width}px"
    assert page.evaluate(OVERLAPS) == []
    assert page.evaluate(UNNAMED_COLUMNS) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_young_inspectors_sentences_read_right_in_the_browser(page, demo_server, width):
    open_at(page, f"{demo_server}/young_inspectors?la={KENT}&cohort=care_leavers", width)
    text = page.locator('[data-testid="stMainBlockContainer"]').inner_text()
    assert "young people who have left care in Kent" in text
    for wrong in (" them trust", "how them look", "know why they are in care", "did not feel very worried"):
        assert wrong not in text
    assert "The family worker made things calmer at home." not in text
    # an action written for children in care, on a question both groups are asked, is not theirs
    assert "children in stable homes" not in text


@pytest.mark.parametrize("width", WIDTHS)
def test_the_children_in_care_page_shows_no_action_written_for_care_leavers(page, demo_server, width):
    open_at(page, f"{demo_server}/young_inspectors?la={KENT}&cohort=children_in_care", width)
    text = page.locator('[data-testid="stMainBlockContainer"]').inner_text()
    assert "You said:" in text
    assert "Every care leaver is offered" not in text


# The scrolling element of a table (Streamlit wraps its <table> in a box that scrolls sideways).
SIDEWAYS = """t => { const s = [t, ...t.querySelectorAll('*')].find(e => getComputedStyle(e).overflowX === 'auto'
                                                                  || getComputedStyle(e).overflowX === 'scroll');
                  return s ? [s.scrollWidth, s.clientWidth] : [t.scrollWidth, t.clientWidth]; }"""


@pytest.mark.parametrize("width", WIDTHS)
def test_the_domain_indicator_table_shows_every_column_whole(page, demo_server, width):
    """The indicator table was a grid cut off at the right at 1280 pixels ("Compared wi..."): now every
    column is in view at 1280 with no sideways scrolling, and at 390 the last column can be scrolled to
    and is then whole inside the table and the window; no column name is cut short at either width."""
    open_at(page, f"{demo_server}/domains?la={KENT}&wave=2025&domain=good_life", width)
    table = page.locator('[data-testid="vd-table"]').filter(has_text="Classification").first
    expect(table).to_be_visible()
    headers = table.locator("th")
    expect(headers.first).to_have_text("Indicator")
    expect(headers.last).to_have_text("Measured by")
    for cut in headers.evaluate_all("hs => hs.filter(h => h.scrollWidth > h.clientWidth + 1).map(h => h.textContent)"):
        raise AssertionError(f"the column name {cut!r} is cut short at {width}px")
    scroll_width, client_width = table.evaluate(SIDEWAYS)
    if width >= 1280:
        assert scroll_width <= client_width + 1, f"the table scrolls sideways at {width}px ({scroll_width} > {client_width})"
    headers.last.scroll_into_view_if_needed()
    last, box = headers.last.bounding_box(), table.bounding_box()
    assert last and box
    assert box["x"] - 1 <= last["x"] and last["x"] + last["width"] <= box["x"] + box["width"] + 1, (last, box)
    assert 0 <= last["x"] and last["x"] + last["width"] <= width, (last, width)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"reader_domain_table_{width}.png"))


# Every table and grid on the page (its scrolling box) with the line above it, if it has one.
TABLES_AND_HINTS = """sideways => [...document.querySelectorAll(
        '[data-testid="vd-table"], [data-testid="stDataFrame"]')].filter(t => t.offsetParent !== null).map(t => {
    const s = t.matches('[data-testid="stDataFrame"]') ? t.querySelector('.dvn-scroller') : null;
    const [scroll, client] = s ? [s.scrollWidth, s.clientWidth] : eval(sideways)(t);
    const box = t.closest('[data-testid="stElementContainer"]');
    let before = box.previousElementSibling;
    while (before && !before.matches('[data-testid="stElementContainer"]')) before = before.previousElementSibling;
    const hint = before && before.querySelector('[data-testid="vd-scroll-hint"]');
    return {table: (t.innerText || t.getAttribute('aria-label') || '').slice(0, 60), scrolls: scroll > client + 1,
            hint: hint ? getComputedStyle(hint).display !== 'none' && hint.offsetParent !== null : null,
            needs: hint ? +hint.dataset.minPx : null, has: Math.round(before ? before.getBoundingClientRect().width : 0)};
})"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", [f"domains?la={KENT}&wave=2025&domain=good_life", f"overview?la={KENT}&wave=2025",
                                  f"dfe_metrics?la={KENT}&wave=2025", f"actions?la={KENT}&wave=2025",
                                  f"data_and_methods?la={KENT}", f"?la={KENT}", f"listening?la={KENT}",
                                  f"participation?la={KENT}", f"statement?la={KENT}", f"feedback?la={KENT}"])
def test_every_table_says_it_scrolls_sideways_exactly_where_it_does(page, demo_server, width, path):
    """At 390 pixels the domain's indicator table scrolled sideways inside its frame with nothing on
    screen to say so (issue 12); so, at 1280 too, did the actions' grid (five of its ten columns out
    of sight), the catalogue's, How we listen's three grids, Participation's grid of unmapped reviews
    and the statement's tables. Now every table and grid on these pages, those in expanders opened
    too, has a line just above it, "Scroll the table sideways to see every column.", shown exactly
    where the table is wider than its frame and hidden where it fits: the width it needs is worked
    out from its own columns (dashboard.ui.widths), and here the browser says whether it scrolls."""
    from dashboard.ui.charts import SCROLL_HINT

    open_at(page, f"{demo_server}/{path}", width)
    closed = page.locator('[data-testid="stExpander"] details:not([open]) > summary')
    while closed.count():
        # A chart's "View as table" draws its grid in the run its opening starts: wait for that run.
        lazy = closed.first.locator('xpath=ancestor::*[contains(@class, "st-key-table_")]').count() > 0
        before = page.evaluate("() => window.__voiceRuns")
        closed.first.click()
        if lazy:
            page.wait_for_function("n => window.__voiceRuns > n", arg=before)
    expect(page.locator('[data-testid="stExpander"] details:not([open])')).to_have_count(0)
    grids = page.locator('[data-testid="stDataFrame"] >> visible=true')
    for i in range(grids.count()):      # a grid's scroller exists once it is drawn
        expect(grids.nth(i).locator(".dvn-scroller")).to_be_attached()
    tables = page.evaluate(TABLES_AND_HINTS, SIDEWAYS)
    assert tables, f"no table on {path}"
    unsaid = [t for t in tables if t["hint"] is None]
    assert not unsaid, f"tables with no line above them at {width}px: {unsaid}"
    wrong = [t for t in tables if t["hint"] != t["scrolls"]]
    assert not wrong, f"the line is shown where the table fits or hidden where it scrolls at {width}px: {wrong}"
    shown = page.locator('[data-testid="vd-scroll-hint"] >> visible=true')
    for i in range(shown.count()):
        expect(shown.nth(i)).to_contain_text(SCROLL_HINT)
    if any(t["scrolls"] for t in tables):
        shown.first.scroll_into_view_if_needed()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"reader_scroll_hint_{path.split('?')[0] or 'start'}_{width}.png"))
    if width <= 390:     # no page's tables all fit a phone: the check above has lines shown to check
        assert any(t["scrolls"] for t in tables)


# -- charts are drawn whether or not they have been scrolled to ------------------------------------

DRAWN = "g.trace, .hm, image"       # plotly's drawn traces (lines, markers, bars) and heatmap images


@pytest.mark.parametrize("name,path", [("dfe_metrics", f"dfe_metrics?la={KENT}&wave=2025&dfe_area=home.child-abuse-neglect"),
                                       ("domains", f"domains?la={KENT}&wave=2025&domain=home&by=gender"
                                                   "&funnel=feel_safe_home")])
def test_every_chart_is_drawn_before_it_is_scrolled_to_and_in_a_full_page_screenshot(page, demo_server, name, path):
    """Issue 12 saw charts 'drawn only once scrolled to'. Streamlit (1.67) draws every st.plotly_chart
    as soon as the run reaches the browser, in view or not (it has no lazy drawing: its PlotlyChart
    waits only for its container's width). So: with the window at 900 pixels and nothing scrolled,
    every chart far below the fold already has its traces; and in a full-page screenshot every
    chart's box has ink in it (a blank chart would be white)."""
    from PIL import Image

    open_at(page, f"{demo_server}/{path}", 1280)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    count = charts.count()
    assert count >= 3
    below = [i for i in range(count) if charts.nth(i).evaluate("c => c.getBoundingClientRect().top") > 900]
    assert below, "no chart below the fold to check"
    for i in range(count):
        expect(charts.nth(i).locator(DRAWN).first).to_be_attached()
    assert page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop") == 0   # never scrolled
    shot = Image.open(full_page_screenshot(page, f"charts_drawn_{name}", timeout_ms=WAIT_MS, width=1280)).convert("L")
    for i in range(count):
        box = charts.nth(i).bounding_box()
        crop = shot.crop((int(box["x"]), int(box["y"]), int(box["x"] + box["width"]), int(box["y"] + box["height"])))
        ink = sum(crop.histogram()[:200]) / max(1, crop.width * crop.height)
        assert ink > 0.005, f"chart {i} of {count} is blank in the full-page screenshot ({ink:.2%} ink)"
