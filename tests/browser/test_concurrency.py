"""Many readers at once (issue 8): a panel opening the dashboard together must not freeze it.

A fresh server (its own, so the first views of every page happen at the same time, as in a meeting) on a
copy of the demo; SESSIONS browser sessions at once, each opening PAGES_PER_SESSION pages so that together they open every
page several times; no page shows
an error and the server answers its health check throughout. Loopback only; bounded in time.
"""
from __future__ import annotations

import asyncio
import threading
import time
import urllib.request

import pytest

from dashboard.errors import PAGE_ERROR_SELECTOR
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, COUNT_RUNS, running_dashboard
from tests.conftest import ROOT, copy_db

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SESSIONS = 12
PAGES_PER_SESSION = 4               # 12 sessions x 4 pages: every page opened by four or five sessions at once
VISIT_TIMEOUT_MS = 180_000          # one page on a cold server under the load of 12 sessions
SETTLED = ("() => window.__voiceRuns > 0 && !document.querySelector('[data-testid=\"stSkeleton\"]')"
           " && !!document.querySelector('[data-testid=\"stMainBlockContainer\"]')"
           " && document.querySelector('[data-test-script-state]')?.getAttribute('data-test-script-state') === 'notRunning'")
PAGES = sorted("/" if p.stem == "start" else f"/{p.stem}" for p in (ROOT / "pages").glob("*.py"))
SELECTIONS = ["?la=E10000016&wave=2025&cohort=children_in_care", "?la=E08000003&wave=2023&cohort=care_leavers",
              "?la=E09000012&wave=2025&cohort=care_leavers", "?la=E06000001&wave=2021&cohort=children_in_care"]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as resp:
            return resp.status == 200
    except OSError:
        return False


async def _sessions(url: str, result: dict) -> None:
    """Fills `result` as it goes, so that a run stopped by the time bound still says how far it got."""
    from playwright.async_api import async_playwright

    visits: list[tuple[str, float]] = result.setdefault("visits", [])
    errors: list[str] = result.setdefault("errors", [])
    health = result.setdefault("health", {"checks": 0, "failures": 0})
    done = asyncio.Event()

    async def one(browser, k: int) -> None:
        ctx = await browser.new_context(viewport={"width": 1200, "height": 800})
        await ctx.add_init_script(COUNT_RUNS)
        page = await ctx.new_page()
        try:
            for i in range(PAGES_PER_SESSION):
                path = PAGES[(PAGES_PER_SESSION * k + i) % len(PAGES)]
                started = time.perf_counter()
                try:
                    await page.goto(url + path + SELECTIONS[k % len(SELECTIONS)], timeout=VISIT_TIMEOUT_MS)
                    await page.wait_for_function(SETTLED, timeout=VISIT_TIMEOUT_MS, polling=100)
                except Exception as exc:      # noted per visit so that one slow page does not hide the others
                    errors.append(f"session {k} {path}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
                    continue
                visits.append((path, time.perf_counter() - started))
                if await page.locator(PAGE_ERROR_SELECTOR).count():
                    errors.append(f"session {k} {path}: error text: "
                                  + (await page.locator(PAGE_ERROR_SELECTOR).first.inner_text())[:300])
        finally:
            await ctx.close()

    async def watch() -> None:
        while not done.is_set():
            ok = await asyncio.to_thread(_healthy, url)
            health["checks"] += 1
            health["failures"] += not ok
            await asyncio.sleep(0.5)

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        watcher = asyncio.create_task(watch())
        try:
            await asyncio.gather(*(one(browser, k) for k in range(SESSIONS)))
        finally:
            done.set()
            await watcher
            await browser.close()


def test_twelve_sessions_at_once_open_every_page_without_error_and_health_answers(demo_db, tmp_path):
    with running_dashboard(copy_db(demo_db, tmp_path), tmp_path / "serve.log") as url:
        result: dict = {}
        # Playwright's async API in a thread of its own: the package's sync Playwright may be running here.
        worker = threading.Thread(target=lambda: asyncio.run(_sessions(url, result)), daemon=True)
        worker.start()
        worker.join(timeout=900)
        assert not worker.is_alive(), (f"the sessions did not finish within 15 minutes: {len(result.get('visits', []))} "
                                       f"of {SESSIONS * PAGES_PER_SESSION} visits done; errors {result.get('errors')}; "
                                       f"health {result.get('health')}")
        assert result["errors"] == [], "\n".join(e[:400] for e in result["errors"])
        assert {path for path, _ in result["visits"]} == set(PAGES)
        assert len(result["visits"]) == SESSIONS * PAGES_PER_SESSION
        assert result["health"]["checks"] > 0 and result["health"]["failures"] == 0, result["health"]
        assert _healthy(url)
