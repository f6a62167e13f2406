"""The benchmark's readers whose browsers are elsewhere (benchmarks/protocol_sessions.py) ask a real
`voice-dashboard serve` for pages over Streamlit's own protocol. What they report is only worth having
if they get the page asked for, to the end of its run, and see an error where a browser would."""
from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import running_dashboard
from tests.conftest import ROOT, copy_db, failing_copy

sys.path.insert(0, str(ROOT / "benchmarks"))      # run.py imports its sibling as the benchmark does
protocol = importlib.import_module("protocol_sessions")
_spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

KENT = "?la=E10000016&wave=2025&cohort=children_in_care"
TITLES = {"/themes": "Themes", "/overview": "Overview", "/actions": "You said, we did"}


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("protocol")
    with running_dashboard(copy_db(demo_db, folder), folder / "serve.log") as url:
        yield url


@pytest.fixture(scope="module")
def failing_server(demo_db, tmp_path_factory):
    """The demo with a column of its published figures renamed, so the Overview's lookup fails."""
    folder = tmp_path_factory.mktemp("protocol-failing")
    with running_dashboard(failing_copy(demo_db, folder), folder / "serve.log") as url:
        yield url


def test_every_page_opened_from_its_address_runs_to_its_end_without_error(server):
    async def visits():
        return [await protocol.address_visit(server, path, KENT) for path in bench.page_paths()]

    for path, visit in zip(bench.page_paths(), asyncio.run(visits())):
        assert visit.error is None, (path, visit.error)
        assert visit.messages > 5 and visit.headings, (path, visit)


@pytest.mark.parametrize("path", sorted(TITLES))
def test_the_page_asked_for_is_the_page_run(server, path):
    visit = asyncio.run(protocol.address_visit(server, path, KENT))
    assert TITLES[path] in visit.headings


def test_a_move_in_an_open_session_runs_the_next_page(server):
    async def two_pages():
        session = protocol.Session(server)
        await session.open()
        try:
            return await session.run("/overview", KENT, 60), await session.run("/themes", KENT, 60)
        finally:
            await session.close()

    first, second = asyncio.run(two_pages())
    assert "Overview" in first.headings and "Themes" in second.headings
    assert first.error is None and second.error is None


def test_a_page_that_does_not_exist_is_counted_as_an_error(server):
    visit = asyncio.run(protocol.address_visit(server, "/no_such_page", KENT))
    assert visit.error == "page not found: /no_such_page"


def test_the_dashboards_own_error_message_is_counted_as_an_error(failing_server):
    visit = asyncio.run(protocol.address_visit(failing_server, "/overview", KENT))
    assert visit.error == "error text on the page"


def test_a_page_that_draws_on_the_failing_copy_is_not_counted_as_an_error(failing_server):
    visit = asyncio.run(protocol.address_visit(failing_server, "/themes", KENT))
    assert visit.error is None and "Themes" in visit.headings


def test_a_server_that_is_not_there_is_an_error_not_a_crash():
    visit = asyncio.run(protocol.address_visit("http://127.0.0.1:9", "/overview", KENT, timeout=5))
    assert visit.error and visit.messages == 0


def test_the_benchmarks_readers_with_browsers_elsewhere_are_counted(server, demo_db):
    sels = bench.selections(demo_db, 4)
    result = asyncio.run(bench.bench_sessions(None, server, bench.page_paths(), sels, n=3, seconds=4, proc=None,
                                              in_app=True, drawn=0, reading=0.2))
    assert result["errors"] == 0 and result["health_check_failures"] == 0
    assert result["protocol_visits"] >= 3 and result["visits"] == 0
    assert 0 < result["protocol_p50_seconds"] <= result["protocol_p95_seconds"]


@pytest.mark.slow
def test_twenty_readers_at_once_get_their_pages_without_error_and_health_answers(server, demo_db):
    """Twenty people in a meeting, each on their own laptop: every reader starts on another page (so
    every page is asked for at once by one or two of them) and moves through the pages from the sidebar,
    reading each for about a second. The health check is asked every second throughout."""
    sels = bench.selections(demo_db, 20)
    paths = bench.page_paths()
    result = asyncio.run(bench.bench_sessions(None, server, paths, sels, n=20, seconds=20, proc=None,
                                              in_app=True, drawn=0, reading=1))
    assert result["first_errors"] == [] and result["errors"] == 0
    assert result["health_check_failures"] == 0
    assert result["protocol_visits"] >= 2 * 20     # two pages or more a reader, on average
