"""The benchmark of issue 8, measured in one run; writes benchmarks/results.json and prints a table.

    .venv/bin/python benchmarks/run.py --scale national [--db national.duckdb]   # about 30-60 minutes
    .venv/bin/python benchmarks/run.py --quick                                   # small demo, 5-25 minutes

What it measures (every figure from this run, on this machine; the machine's load is recorded beside them):
- load: one survey file of every LA for one wave (national: about 1.3 million answers) loaded by a child
  process through the real loader: answer rows per second and the child's peak memory (max RSS) for the
  load itself (read, check, write), then the load's publish step timed apart;
- build: the whole demo built by a child process (seconds, max RSS);
- publish: `dashboard.publish.publish(con)` after a one-LA load and after the full load, when it exists;
- pages: a real `voice-dashboard serve` and headless Chromium: server start to health and to the first page
  settled; every page's time from navigation to settled (Streamlit's run finished: the app's script-state
  goes back to notRunning, no skeleton left), first visit after start apart, then p50/p95 over visits with
  varied selections, two ways: each page loaded from its address (the whole app starts in the tab each
  time), and each page reached by a click on its sidebar link in an open dashboard (a new selection
  loaded before each round through the pages); the server's memory;
- sessions: N browser sessions at once working through every page for a fixed time (errors, p95), the
  same two ways one after the other; then N readers as in a meeting, where each reader's browser runs on
  their own laptop: 2 drawn in Chromium here and timed, the others asking for the same pages over
  Streamlit's own websocket protocol (benchmarks/protocol_sessions.py: the server does all its work, only
  the drawing is left out), each reading a page for about --reading-seconds before the next, both ways;
  and once more from the sidebar with nobody reading, the server's ceiling;
- figures: the same indicator table three ways on the same data: (a) the product
  (`dashboard.engine.figures.indicator_table`, every comparator and the disclosure gate), (b) a
  straightforward pandas version over the raw answers, (c) the bare DuckDB aggregate over the raw answers.
Everything listens on 127.0.0.1 only.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PORT = int(os.environ.get("BENCH_PORT", "8601"))
COUNT_RUNS = (ROOT / "tests" / "browser" / "count_runs.js").read_text()
from dashboard.errors import PAGE_ERROR_SELECTOR  # noqa: E402  (a page's caught error counts as an error)
# Settled: a run finished (after `before` runs), nothing left as a skeleton, the main column drawn and
# the script state back to notRunning, all holding for HOLD_MS: a lazily drawn element (a chart whose
# code is still loading) can put a skeleton up again just after a first moment without one. The time
# reported is when that moment began (window.__voiceSince, on the page's clock), not when the hold ended.
HOLD_MS = 150
SETTLED = """before => {
  const ok = window.__voiceRuns > before && !document.querySelector('[data-testid="stSkeleton"]')
    && !!document.querySelector('[data-testid="stMainBlockContainer"]')
    && document.querySelector('[data-test-script-state]')?.getAttribute('data-test-script-state') === 'notRunning';
  const now = performance.now();
  if (!ok) { window.__voiceSince = null; return false; }
  if (window.__voiceSince == null) window.__voiceSince = now;
  return now - window.__voiceSince >= %d;
}""" % HOLD_MS


async def wait_settled(page, before: int, timeout_ms: float, started: float) -> float:
    """Seconds from `started` (time.perf_counter) to the moment the page settled."""
    await page.evaluate("() => { window.__voiceSince = null; }")
    await page.wait_for_function(SETTLED, arg=before, timeout=timeout_ms, polling=50)
    held_ms = await page.evaluate("() => performance.now() - window.__voiceSince")
    return time.perf_counter() - started - held_ms / 1000

LOAD_CHILD = """
import json, resource, sys, time
from pathlib import Path
from dashboard import store
from dashboard.loaders import loader_for, run_load
from dashboard.publish import publish
con = store.connect(Path(sys.argv[1]))
t = time.perf_counter()
res = run_load(con, loader_for("bright-spots"), [Path(p) for p in sys.argv[2:]], publish=False)
seconds = time.perf_counter() - t
load_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
with store.transaction(con):
    publish(con, ["bright-spots"])   # what run_load's own publish step does, timed apart
print(json.dumps({"rows": sum(r.rows for r in res), "seconds": seconds, "load_max_rss_kb": load_rss,
                  "publish_seconds": time.perf_counter() - t}))
"""


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def run_child_rss(cmd: list[str], env: dict | None = None) -> tuple[int, float, float, str]:
    """Run a child to the end; returns (exit code, wall seconds, its peak memory in MB from wait4's max RSS, stdout)."""
    t = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - t
        out.seek(0)
        err.seek(0)
        text, errors = out.read(), err.read()
    if proc.returncode:
        sys.stderr.write(errors[-3000:])
        raise SystemExit(f"child failed: {' '.join(cmd[:4])} ...")
    run_child_rss.cpu_seconds = usage.ru_utime + usage.ru_stime   # the CPU it got: the bound on a busy machine
    return proc.returncode, seconds, usage.ru_maxrss / 1024, text


# -- data -------------------------------------------------------------------------------------------

def build(scale: str, db: Path) -> dict:
    cmd = [sys.executable, "-m", "dashboard", "demo", "--db", str(db)] + (["--scale", "national"] if scale == "national" else [])
    _, seconds, rss, out = run_child_rss(cmd)
    return {"seconds": round(seconds, 1), "cpu_seconds": round(run_child_rss.cpu_seconds, 1), "max_rss_mb": round(rss),
            "summary": out.strip().splitlines()[:3]}


def survey_file(scale: str, folder: Path) -> tuple[Path, int]:
    """One survey file with every LA for one wave, written by the national demo's generator."""
    import numpy as np

    from dashboard.demo import national

    areas = national.national_areas()
    if scale != "national":
        areas = areas[:25]
    frame = national.survey_frame(np.random.default_rng(7), areas, national._model(7, areas), "YLYC", 2024)
    path = folder / "SYNTHETIC_bench_YLYC_2024.csv"
    frame.write_csv(path)
    return path, frame.height


def bench_load(scale: str, folder: Path) -> dict:
    path, rows = survey_file(scale, folder)
    db = folder / "load.duckdb"
    _, wall, rss, out = run_child_rss([sys.executable, "-c", LOAD_CHILD, str(db), str(path)])
    got = json.loads(out.strip().splitlines()[-1])
    return {"file_rows": rows, "file_mb": round(path.stat().st_size / 1e6, 1), "rows_loaded": got["rows"],
            "load_seconds": round(got["seconds"], 2), "rows_per_second": round(got["rows"] / got["seconds"]),
            "load_max_rss_mb": round(got["load_max_rss_kb"] / 1024),
            "publish_seconds": round(got["publish_seconds"], 2),
            "rows_per_second_with_publish": round(got["rows"] / (got["seconds"] + got["publish_seconds"])),
            "child_wall_seconds": round(wall, 1), "child_cpu_seconds": round(run_child_rss.cpu_seconds, 1),
            "max_rss_mb": round(rss), "loadavg_after": round(os.getloadavg()[0], 1)}


def bench_publish(db: Path, folder: Path) -> dict:
    try:
        from dashboard import publish as pub
    except ImportError:
        return {"available": False, "note": "not available (dashboard.publish is not on this branch yet)"}
    import duckdb

    from dashboard.loaders import loader_for, run_load

    out: dict = {"available": True}
    copy = folder / "publish.duckdb"
    shutil.copy(db, copy)
    con = duckdb.connect(str(copy))
    try:
        t = time.perf_counter()
        pub.publish(con)
        out["after_full_load_seconds"] = round(time.perf_counter() - t, 2)
        path, _ = survey_file("one-la", folder)
        # one LA's answers for a new wave, then publish again
        import polars as pl
        one = pl.read_csv(path, infer_schema=False)
        one = one.filter(pl.col("la_code") == one["la_code"][0]).with_columns(pl.lit("2026").alias("wave"))
        one_path = folder / "SYNTHETIC_bench_one_la.csv"
        one.write_csv(one_path)
        run_load(con, loader_for("bright-spots"), [one_path], publish=False)
        t = time.perf_counter()
        pub.publish(con, ["bright-spots"])   # what the load itself runs: only changed families gated
        out["after_one_la_load_seconds"] = round(time.perf_counter() - t, 2)
    finally:
        con.close()
    return out


# -- the same figures three ways --------------------------------------------------------------------

def bench_figures(db: Path, repeat: int) -> dict:
    import duckdb
    import pandas as pd
    import polars as pl

    from dashboard.catalogue import SurveyIndicator, default_catalogue
    from dashboard.engine.figures import Selection, indicator_table

    catalogue = default_catalogue()
    con = duckdb.connect(str(db), read_only=True)
    la, wave = con.execute("SELECT la_code, max(wave) FROM survey_answer_counts GROUP BY la_code "
                           "ORDER BY count(*) DESC, la_code LIMIT 1").fetchone()
    positives = []
    for ind in catalogue.indicators:
        if isinstance(ind, SurveyIndicator):
            answers = (ind.positive if isinstance(ind.positive, list)
                       else [str(n) for n in range(ind.positive.min, ind.positive.max + 1)])
            positives += [(ind.id, ind.question, a) for a in answers]
    pos = pl.DataFrame(positives, schema=["indicator_id", "question_id", "answer"], orient="row")
    sel = Selection(la, wave)

    t = time.perf_counter()
    product = indicator_table(con, sel, catalogue)
    first_a = time.perf_counter() - t
    times_a = []
    for _ in range(repeat):
        t = time.perf_counter()
        indicator_table(con, sel, catalogue)
        times_a.append(time.perf_counter() - t)

    def pandas_version():
        # What an analyst would write: the raw answers of this wave and the one before, the LA's rate per
        # indicator, the rate over every LA, the LA's region, and the LA's previous wave.
        raw = con.execute("SELECT r.la_code, r.wave, r.question_id, r.answer, r.not_answered, l.region_code "
                          "FROM survey_responses r JOIN la_reference l USING (la_code) WHERE r.wave IN (?, ?)",
                          [wave, wave - 1]).df()
        answered = raw[raw["not_answered"].isna()]
        p = pos.to_pandas()
        m = answered.merge(p, on="question_id").assign(hit=lambda d: d["answer_x"] == d["answer_y"])
        per = m.groupby(["indicator_id", "la_code", "wave", "region_code"], as_index=False).agg(
            hits=("hit", "sum"))
        base = answered.merge(p[["indicator_id", "question_id"]].drop_duplicates(), on="question_id").groupby(
            ["indicator_id", "la_code", "wave", "region_code"], as_index=False).size()
        per = per.merge(base, on=["indicator_id", "la_code", "wave", "region_code"])
        per["value"] = per["hits"] * 100 / per["size"]
        now = per[per["wave"] == wave]
        mine = now[now["la_code"] == la].set_index("indicator_id")
        pool = now.groupby("indicator_id")[["hits", "size"]].sum()
        region = now[now["region_code"] == mine["region_code"].iloc[0]].groupby("indicator_id")[["hits", "size"]].sum()
        before = per[(per["wave"] == wave - 1) & (per["la_code"] == la)].set_index("indicator_id")
        return pd.DataFrame({"value": mine["value"], "base": mine["size"],
                             "pool_value": pool["hits"] * 100 / pool["size"],
                             "region_value": region["hits"] * 100 / region["size"],
                             "previous_value": before["value"]}).loc[mine.index]

    t = time.perf_counter()
    pandas_out = pandas_version()
    first_b = time.perf_counter() - t
    times_b = []
    for _ in range(max(1, repeat // 3)):
        t = time.perf_counter()
        pandas_version()
        times_b.append(time.perf_counter() - t)

    con.register("bench_positive", pos.to_arrow())
    raw_sql = """
        SELECT i.indicator_id, r.la_code, count(*) FILTER (WHERE p.answer IS NOT NULL) * 100.0 / count(*) AS value
        FROM survey_responses r
        JOIN (SELECT DISTINCT indicator_id, question_id FROM bench_positive) i USING (question_id)
        LEFT JOIN bench_positive p ON p.indicator_id = i.indicator_id AND p.answer = r.answer
        WHERE r.wave = $wave AND r.not_answered IS NULL
        GROUP BY ALL"""
    times_c = []
    for _ in range(repeat):
        t = time.perf_counter()
        con.execute(raw_sql, {"wave": wave}).fetchall()
        times_c.append(time.perf_counter() - t)
    con.close()
    a, b, c = statistics.median(times_a), statistics.median(times_b), statistics.median(times_c)
    return {"la_code": la, "wave": wave, "product_rows": product.height, "pandas_rows": len(pandas_out),
            "a_product_first_seconds": round(first_a, 3), "a_product_seconds": round(a, 4),
            "b_pandas_first_seconds": round(first_b, 3), "b_pandas_seconds": round(b, 4),
            "c_duckdb_raw_seconds": round(c, 4), "b_over_a": round(b / a, 2), "a_over_c": round(a / c, 2)}


# -- the server and the browser ---------------------------------------------------------------------

def rss_tree_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (from /proc)."""
    total = 0
    for p in tree_pids(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
        except (OSError, StopIteration):
            continue
    return total / 1024


def tree_pids(pid: int) -> set[int]:
    """A process and all its descendants (from /proc)."""
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        found.add(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


class CpuSplit:
    """CPU seconds used while sampling, by the server's process tree, the browsers (Chromium) and
    everything else on the machine: each process's last-seen total, so a renderer that exits
    between samples keeps what it used."""

    def __init__(self, server_pid: int):
        self.server_pid, self.first, self.last = server_pid, {}, {}
        self.sample()
        self.first = dict(self.last)

    def sample(self) -> None:
        server = tree_pids(self.server_pid)
        tick = os.sysconf("SC_CLK_TCK")
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                cmd = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            pid = int(entry.name)
            kind = "server" if pid in server else "browsers" if b"chromium" in cmd else "other"
            self.last[pid] = (kind, (int(fields[11]) + int(fields[12])) / tick)

    def seconds(self) -> dict:
        out = {"server": 0.0, "browsers": 0.0, "other": 0.0}
        for pid, (kind, total) in self.last.items():
            out[kind] += total - self.first.get(pid, (kind, 0.0))[1]
        return {k: round(v, 1) for k, v in out.items()}


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


def page_paths() -> list[str]:
    return sorted("/" if p.stem == "start" else f"/{p.stem}" for p in (ROOT / "pages").glob("*.py"))


def selections(db: Path, n: int) -> list[str]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT DISTINCT la_code, wave, survey FROM survey_answer_counts ORDER BY hash(la_code || wave), 1, 2"
                       ).fetchall()
    con.close()
    out = []
    for i in range(n):
        la, wave, survey = rows[(i * 7919) % len(rows)]
        cohort = "care_leavers" if survey == "YLBC" else "children_in_care"
        out.append(f"?la={la}&wave={wave}&cohort={cohort}")
    return out


async def visit(page, url: str, timeout_ms: float) -> tuple[float, str | None]:
    """Seconds from navigation to settled, and the error seen (None when none)."""
    t = time.perf_counter()
    try:
        await page.goto(url, timeout=timeout_ms)
        seconds = await wait_settled(page, 0, timeout_ms, t)
    except Exception as exc:   # a timeout is an error of this visit, counted, not a crash of the benchmark
        return time.perf_counter() - t, f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    if await page.locator(PAGE_ERROR_SELECTOR).count():
        return seconds, "error text on the page"
    return seconds, None


def la_of(selection: str) -> str:
    """The LA code of a selection's query string (?la=...&wave=...)."""
    return selection.split("la=")[1].split("&")[0]


def nav_link(path: str) -> str:
    """The sidebar link to a page (dashboard.app draws them as st.page_link; the start page's is empty)."""
    return f'a[data-testid="stPageLink-NavLink"][href="{path.lstrip("/")}"]'


async def click_visit(page, path: str, la_code: str, timeout_ms: float) -> tuple[float, str | None]:
    """Seconds from a click on the page's sidebar link to settled (a run finished after the click, no
    skeleton left), and the error seen: how a reader moves between pages once the dashboard is open.
    The selection is carried by the session, so the page must show the LA chosen before."""
    before = await page.evaluate("() => window.__voiceRuns")
    t = time.perf_counter()
    try:
        await page.locator(nav_link(path)).first.click(timeout=timeout_ms)
        seconds = await wait_settled(page, before, timeout_ms, t)
    except Exception as exc:   # counted as this visit's error, as in visit()
        return time.perf_counter() - t, f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    if await page.locator(PAGE_ERROR_SELECTOR).count():
        return seconds, "error text on the page"
    if f"la={la_code}" not in page.url:
        return seconds, f"the page lost the selection ({page.url.split('?')[-1][:80]})"
    return seconds, None


async def bench_pages(db: Path, visits: int, sessions: int, session_seconds: float, folder: Path,
                      reading: float = 5) -> dict:
    from playwright.async_api import async_playwright

    url = f"http://127.0.0.1:{PORT}"
    env = dict(os.environ, STREAMLIT_SERVER_FILE_WATCHER_TYPE="none", STREAMLIT_SERVER_ADDRESS="127.0.0.1")
    log = (folder / "serve.log").open("w")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--db", str(db), "--port", str(PORT)],
                            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    out: dict = {}
    try:
        while not healthy(url):
            if proc.poll() is not None or time.perf_counter() - started > 180:
                raise SystemExit(f"the server did not start:\n{(folder / 'serve.log').read_text()}")
            await asyncio.sleep(0.1)
        out["start_to_health_seconds"] = round(time.perf_counter() - started, 2)
        paths = page_paths()
        sels = selections(db, max(visits, 20))   # the sessions vary their selections even with --visits 0
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            ctx = await browser.new_context(viewport={"width": 1400, "height": 900})
            await ctx.add_init_script(COUNT_RUNS)
            page = await ctx.new_page()
            s, err = await visit(page, url + "/", 180_000)
            out["start_to_first_page_seconds"] = round(time.perf_counter() - started, 2)
            per_page: dict = {}
            for path in paths:     # the first visit of every page after the start
                s, err = await visit(page, url + path + sels[0], 180_000)
                per_page[path] = {"first_seconds": round(s, 2), "errors": [err] if err else [], "times": []}
            for i in range(visits):
                for path in paths:
                    s, err = await visit(page, url + path + sels[i], 60_000)
                    per_page[path]["times"].append(s)
                    if err:
                        per_page[path]["errors"].append(err)
            # The same pages reached as a reader moves through an open dashboard: each round loads
            # the last page with a new selection (not timed), then clicks through every page.
            for rec in per_page.values():
                rec["in_app_times"], rec["in_app_errors"] = [], []
            for i in range(visits):
                await visit(page, url + paths[-1] + sels[i], 60_000)
                for path in paths:
                    s, err = await click_visit(page, path, la_of(sels[i]), 60_000)
                    per_page[path]["in_app_times"].append(s)
                    if err:
                        per_page[path]["in_app_errors"].append(err)
            for path, rec in per_page.items():
                rec["p50_seconds"] = rounded(pct(rec["times"], 0.5))
                rec["p95_seconds"] = rounded(pct(rec["times"], 0.95))
                rec["times_seconds"] = [rounded(x) for x in rec.pop("times")]   # every visit, in order
                rec["visits"] = len(rec["times_seconds"])
                rec["in_app_p50_seconds"] = rounded(pct(rec["in_app_times"], 0.5))
                rec["in_app_p95_seconds"] = rounded(pct(rec["in_app_times"], 0.95))
                rec["in_app_times_seconds"] = [rounded(x) for x in rec.pop("in_app_times")]
                rec["in_app_visits"] = len(rec["in_app_times_seconds"])
            out["pages"] = per_page
            out["server_rss_mb_after_visits"] = round(rss_tree_mb(proc.pid))
            await ctx.close()
            out["sessions"] = await bench_sessions(browser, url, paths, sels, sessions, session_seconds, proc)
            out["sessions_in_app"] = await bench_sessions(browser, url, paths, sels, sessions, session_seconds, proc,
                                                          in_app=True)
            # The same readers as they would be in a meeting: each browser on its own laptop, each reader
            # reading a page before the next. Two are drawn here and timed; the others ask for the same
            # pages over the protocol. Then the same with nobody reading: the server's ceiling.
            remote = dict(drawn=min(2, sessions), reading=reading)
            out["sessions_remote"] = await bench_sessions(browser, url, paths, sels, sessions, session_seconds, proc,
                                                          **remote)
            out["sessions_remote_in_app"] = await bench_sessions(browser, url, paths, sels, sessions, session_seconds,
                                                                 proc, in_app=True, **remote)
            out["sessions_remote_no_reading"] = await bench_sessions(browser, url, paths, sels, sessions,
                                                                     session_seconds, proc, in_app=True,
                                                                     drawn=remote["drawn"])
            out["server_rss_mb_after_sessions"] = round(rss_tree_mb(proc.pid))
            await browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    return out


async def bench_sessions(browser, url: str, paths: list[str], sels: list[str], n: int, seconds: float, proc,
                         in_app: bool = False, drawn: int | None = None, reading: float = 0) -> dict:
    """n sessions at once, each working through every page with its own selections, for `seconds`.
    `drawn` of them are Chromium sessions (all of them when None); the others are readers whose browsers
    run elsewhere, driven over Streamlit's own protocol (benchmarks/protocol_sessions.py), so that this
    machine's 2 cores serve the pages instead of drawing twenty of them. Each reader reads a page for
    `reading` seconds on average before moving on (each reading time drawn between half and one and a
    half times it, and each reader starting within one reading time, so that readers do not click in
    step); 0: the next page at once, which asks more of the server than any room of people could."""
    from protocol_sessions import address_visit, new_tab

    drawn = n if drawn is None else drawn
    times: list[float] = []
    protocol_times: list[float] = []
    errors: list[str] = []
    health_fail = 0
    stop_at = time.perf_counter() + seconds

    async def steps(k: int):
        """Reader k's visits, paced: (page, selection, whether it is reached in the tab already open)."""
        pace = random.Random(k)     # the same readers' pace in every run
        await asyncio.sleep(pace.uniform(0, reading))
        i = k
        while time.perf_counter() < stop_at:
            in_tab = in_app and i > k and i % len(paths) > 0
            yield paths[i % len(paths)], sels[(i // len(paths) + k) % len(sels)], in_tab
            i += 1
            await asyncio.sleep(pace.uniform(0.5, 1.5) * reading)

    async def one(k: int) -> None:
        ctx = await browser.new_context(viewport={"width": 1200, "height": 800})
        await ctx.add_init_script(COUNT_RUNS)
        page = await ctx.new_page()
        async for path, sel, in_tab in steps(k):
            if in_tab:   # in the dashboard already: the reader clicks the next page in the sidebar
                s, err = await click_visit(page, path, la_of(sel), 60_000)
            else:
                s, err = await visit(page, url + path + sel, 60_000)
            times.append(s)
            if err:
                errors.append(f"{path}: {err}")
        await ctx.close()

    async def one_protocol(k: int) -> None:
        session = None
        async for path, sel, in_tab in steps(k):
            if in_tab and session.ws is not None:
                visit = await session.run(path, sel, 60)      # the next page in the same tab
            else:
                if session is not None:
                    await session.close()
                    session = None
                if in_app:          # a new tab opened at this page; the next pages are reached in it
                    session, visit = await new_tab(url, path, sel)
                else:
                    visit = await address_visit(url, path, sel)
            protocol_times.append(visit.seconds)
            if visit.error:
                errors.append(f"{path} (protocol): {visit.error}")
        if session is not None:
            await session.close()

    async def watch() -> None:
        nonlocal health_fail
        while time.perf_counter() < stop_at:
            ok = await asyncio.to_thread(healthy, url)
            health_fail += not ok
            await asyncio.sleep(1)

    cpu = CpuSplit(proc.pid) if proc is not None else None

    async def sample_cpu() -> None:
        while cpu is not None and time.perf_counter() < stop_at:
            await asyncio.to_thread(cpu.sample)
            await asyncio.sleep(0.5)

    started = time.perf_counter()
    await asyncio.gather(*(one(k) for k in range(drawn)), *(one_protocol(k) for k in range(drawn, n)), watch(),
                         sample_cpu())
    if cpu is not None:
        cpu.sample()
    out = {"sessions": n, "drawn_sessions": drawn, "reading_seconds": reading, "seconds": seconds,
           "visits": len(times), "errors": len(errors), "cpu_seconds": cpu.seconds() if cpu else None,
           "wall_seconds": round(time.perf_counter() - started, 1),
           "first_errors": errors[:5], "health_check_failures": health_fail,
           "p50_seconds": round(pct(times, 0.5) or 0, 2), "p95_seconds": round(pct(times, 0.95) or 0, 2)}
    if drawn < n:   # the drawn sessions' figures above are what a reader sees; these are the server's answers
        out.update(protocol_visits=len(protocol_times), protocol_p50_seconds=round(pct(protocol_times, 0.5) or 0, 2),
                   protocol_p95_seconds=round(pct(protocol_times, 0.95) or 0, 2))
    return out


# -- the report -------------------------------------------------------------------------------------

def table(results: dict) -> str:
    st = results["settings"]
    lines = [f"benchmark ({results['mode']}: {st['visits_per_page']} visits per page after the first, "
             f"{st['sessions']} sessions for {st['session_seconds']:.0f} s) on {results['machine']}", ""]
    ld = results.get("load")
    if ld:
        lines.append(f"load: {ld['rows_loaded']:,} answer rows ({ld['file_mb']} MB CSV) in {ld['load_seconds']} s = "
                     f"{ld['rows_per_second']:,} rows/s"
                     + (f" (peak {ld['load_max_rss_mb']:,} MB); then its publish step {ld['publish_seconds']} s "
                        f"({ld['rows_per_second_with_publish']:,} rows/s with it)" if "publish_seconds" in ld else "")
                     + f"; child peak memory {ld['max_rss_mb']:,} MB"
                     + (f"; child CPU {ld['child_cpu_seconds']} s of {ld['child_wall_seconds']} s wall"
                        if "child_cpu_seconds" in ld else ""))
    b = results.get("build", {})
    if b:
        lines.append(f"demo build: {b['note']}" if b.get("note") else
                     f"demo build: {b['seconds']} s, child peak memory {b['max_rss_mb']:,} MB")
    p = results.get("publish")
    if p:
        lines.append("publish: " + (p.get("note") if not p["available"] else
                                f"after full load {p['after_full_load_seconds']} s; after a one-LA load "
                                f"{p['after_one_la_load_seconds']} s"))
    f = results.get("figures")
    if f:
        lines.append(f"figures ({f['la_code']} {f['wave']}): (a) product {f['a_product_seconds']} s (first "
                 f"{f['a_product_first_seconds']} s), (b) pandas {f['b_pandas_seconds']} s, (c) DuckDB raw "
                 f"{f['c_duckdb_raw_seconds']} s; (b)/(a) = {f['b_over_a']}, (a)/(c) = {f['a_over_c']}")
    w = results.get("web")
    if not w:
        return "\n".join(lines)
    lines.append(f"server: start to health {w['start_to_health_seconds']} s, to first page settled "
                 f"{w['start_to_first_page_seconds']} s; memory {w['server_rss_mb_after_visits']} MB after the visits, "
                 f"{w['server_rss_mb_after_sessions']} MB after the sessions")
    lines.append("")
    lines.append(f"{'':<20}{'page loaded from its address':>40}{'reached from the sidebar':>32}")
    lines.append(f"{'page':<20}{'first':>8}{'p50':>8}{'p95':>8}{'visits':>8}{'errors':>8}"
                 f"{'p50':>8}{'p95':>8}{'visits':>8}{'errors':>8}")
    for path, r in w["pages"].items():
        cell = {k: "-" if v is None else v for k, v in r.items()}   # no p50/p95 with --visits 0
        lines.append(f"{path:<20}{cell['first_seconds']:>8}{cell['p50_seconds']:>8}{cell['p95_seconds']:>8}"
                     f"{r['visits']:>8}{len(r['errors']):>8}"
                     + (f"{cell['in_app_p50_seconds']:>8}{cell['in_app_p95_seconds']:>8}{r['in_app_visits']:>8}"
                        f"{len(r['in_app_errors']):>8}" if "in_app_visits" in r else ""))
    lines.append("")
    for key, how in (("sessions", "each page loaded from its address"),
                     ("sessions_in_app", "pages reached from the sidebar, a new selection each round"),
                     ("sessions_remote", "from the address, reading each page; browsers elsewhere but 2"),
                     ("sessions_remote_in_app", "from the sidebar, reading each page; browsers elsewhere but 2"),
                     ("sessions_remote_no_reading", "from the sidebar, no reading; browsers elsewhere but 2")):
        s = w.get(key)
        if s:
            remote = s.get("drawn_sessions", s["sessions"]) < s["sessions"]
            lines.append(f"{s['sessions']} sessions for {s['seconds']} s ({how}): "
                         + (f"average reading {s['reading_seconds']} s; the {s['drawn_sessions']} drawn readers "
                            f"{s['visits']} page visits, p50 {s['p50_seconds']} s, p95 "
                            f"{s['p95_seconds']} s; the others' {s['protocol_visits']} pages answered in p50 "
                            f"{s['protocol_p50_seconds']} s, p95 {s['protocol_p95_seconds']} s; {s['errors']} errors, "
                            if remote else
                            f"{s['visits']} page visits, {s['errors']} errors, p50 {s['p50_seconds']} s, "
                            f"p95 {s['p95_seconds']} s, ")
                         + f"health-check failures {s['health_check_failures']}"
                         + (f"; CPU seconds in {s['wall_seconds']} s on {os.cpu_count()} cores: server "
                            f"{s['cpu_seconds']['server']}, browsers {s['cpu_seconds']['browsers']}, other "
                            f"{s['cpu_seconds']['other']}" if s.get("cpu_seconds") else ""))
    return "\n".join(lines)


def save(results: dict, out: str) -> None:
    """Every step's figures are written as soon as measured: a run stopped part way keeps them."""
    Path(out).write_text(json.dumps(results, indent=2) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "national"], default="national")
    parser.add_argument("--quick", action="store_true", help="small demo, fewer visits and sessions (a few minutes)")
    parser.add_argument("--db", help="use this already-built demo database instead of building one (its build is "
                        "then not measured)")
    parser.add_argument("--out", default=str(HERE / "results.json"))
    parser.add_argument("--visits", type=int, help="visits per page after the first (default 20; --quick 3; 0 for "
                        "the first visits and the sessions only)")
    parser.add_argument("--sessions", type=int, help="browser sessions at once (default 20; --quick 4)")
    parser.add_argument("--session-seconds", type=float, help="how long the sessions work (default 120; --quick 30)")
    parser.add_argument("--reading-seconds", type=float, default=5,
                        help="how long, on average, a reader reads a page before the next in the sessions whose "
                        "browsers are elsewhere (default 5)")
    parser.add_argument("--steps", default="load,build,publish,figures,web",
                        help="which parts to measure, comma-separated (default: all of load,build,publish,figures,web)")
    args = parser.parse_args()
    steps = set(args.steps.split(","))
    scale = "small" if args.quick else args.scale
    visits, sessions, session_seconds, repeat = (3, 4, 30, 5) if args.quick else (20, 20, 120, 10)
    visits = args.visits if args.visits is not None else visits   # 0: only the first visits and the sessions
    sessions = args.sessions or sessions
    session_seconds = args.session_seconds or session_seconds
    results: dict = {"mode": "quick" if args.quick else scale,
                     "settings": {"visits_per_page": visits, "sessions": sessions, "session_seconds": session_seconds,
                                  "reading_seconds": args.reading_seconds},
                     "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                     "machine": f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start"}
    with tempfile.TemporaryDirectory(prefix="voice-bench-") as tmp:
        folder = Path(tmp)
        if "load" in steps:
            print("load ...", file=sys.stderr, flush=True)
            results["load"] = bench_load(scale, folder)
            save(results, args.out)
        if args.db:
            db = Path(args.db)
            results["build"] = {"seconds": None, "max_rss_mb": None, "note": f"not measured: reused {db}"}
        elif steps & {"build", "publish", "figures", "web"}:
            print("build ...", file=sys.stderr, flush=True)
            db = folder / "bench.duckdb"
            results["build"] = build(scale, db)
        save(results, args.out)
        if "publish" in steps:
            print("publish ...", file=sys.stderr, flush=True)
            results["publish"] = bench_publish(db, folder)
            save(results, args.out)
        if "figures" in steps:
            print("figures ...", file=sys.stderr, flush=True)
            results["figures"] = bench_figures(db, repeat)
            save(results, args.out)
        if "web" in steps:
            print("pages and sessions ...", file=sys.stderr, flush=True)
            results["web"] = asyncio.run(bench_pages(db, visits, sessions, session_seconds, folder,
                                                     args.reading_seconds))
    results["machine"] += f", {os.getloadavg()[0]:.1f} at the end"
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
