"""Time the data lookups each page makes (issue 8's "page data lookups p95 under 20 ms").

    .venv/bin/python benchmarks/page_lookups.py --db /path/to/published.duckdb [--selections 20] [--cached] [--out FILE]

For each page, the same engine calls the page's script makes (dashboard.engine / dashboard.report /
queries/*.sql, on a read-only connection, without Streamlit's caches, so every call is a real
lookup), over varied LA/wave/cohort selections taken from the database. Prints, per lookup, the
p50/p95/max in milliseconds and, per page, the p50/p95 of all its lookups together; writes the
same as JSON with --out. --cached also times the Overview, Domains and Data and methods lookups as
the pages make them (dashboard.ui.data, whose results are kept per data version) on a second visit
of each selection: what a warm page pays. The database is only opened for reading.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import duckdb  # noqa: E402

from dashboard import store  # noqa: E402
from dashboard.catalogue import default_catalogue  # noqa: E402
from dashboard.engine import themes, views  # noqa: E402
from dashboard.engine.figures import Selection, indicator_table  # noqa: E402
from dashboard.report import methods  # noqa: E402
from dashboard.report.content import gather  # noqa: E402
from dashboard.ui import overview as ov  # noqa: E402
from dashboard.ui.selection import Choice  # noqa: E402

COHORT_OF = {"YLYC": "children_in_care", "YLBC": "care_leavers"}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def selections(con: duckdb.DuckDBPyConnection, n: int) -> list[tuple[str, int, str]]:
    """n (la_code, wave, cohort) selections spread over the LAs and waves that have a survey."""
    rows = store.frame(con, "SELECT DISTINCT la_code, wave, survey FROM survey_answer_counts "
                            "ORDER BY hash(la_code || wave), 1, 2").rows()
    return [(la, wave, COHORT_OF.get(survey, "children_in_care"))
            for la, wave, survey in (rows[(i * 7919) % len(rows)] for i in range(n))]


def series(indicator_id: str, la: str, wave: int, cohort: str) -> views.Series:
    """The line a page draws for an indicator: dashboard.ui.data.series, for the page's selection."""
    from dashboard.ui import data

    return data.series(indicator_id, Choice(la, la, wave, cohort, "all"))


class Timer:
    def __init__(self) -> None:
        self.by_lookup: dict[str, list[float]] = {}

    def __call__(self, name: str, fn: Callable, *args, **kwargs):
        t = time.perf_counter()
        out = fn(*args, **kwargs)
        self.by_lookup.setdefault(name, []).append(time.perf_counter() - t)
        return out


def overview(t: Timer, con, cat, la: str, wave: int, cohort: str) -> None:
    table = t("figures", indicator_table, con, Selection(la, wave, cohort=cohort), cat)
    t("actions_for_la", store.frame, con, store.sql("actions_for_la"), {"la_code": la})
    improved, worsened = ov.changes(table, cat)
    changed = [row["indicator_id"] for row in [*improved.iter_rows(named=True), *worsened.iter_rows(named=True)]]
    if changed:
        t("trends (one read)", views.trends, con, la, [series(i, la, wave, cohort) for i in changed])


def domains(t: Timer, con, cat, la: str, wave: int, cohort: str) -> None:
    domain = cat.domains[(wave + len(la)) % len(cat.domains)].id
    table = t("figures (domain)", indicator_table, con, Selection(la, wave, domain, cohort=cohort), cat)
    by_id = cat.by_id()
    rate_ids = ov.voice(ov.headline(table))["indicator_id"].to_list() if table.height else []
    if rate_ids:
        t("trends (one read)", views.trends, con, la, [series(i, la, wave, cohort) for i in rate_ids])
    t("figures (breakdown)", indicator_table, con, Selection(la, wave, domain, "gender", cohort=cohort), cat)
    if rate_ids:
        t("funnel", views.funnel, con, by_id[rate_ids[0]], wave, cohort if by_id[rate_ids[0]].source == "survey" else None)
    t("actions_for_la", store.frame, con, store.sql("actions_for_la"), {"la_code": la})


def panel_report(t: Timer, con, cat, la: str, wave: int, cohort: str) -> None:
    t("gather (the page's figures)", gather, con, la, wave, cohort, catalogue=cat)


def data_and_methods(t: Timer, con, cat, la: str, wave: int, cohort: str) -> None:
    t("load history", methods.load_history, con)
    t("catalogue table", methods.catalogue_table, cat)


def participation(t: Timer, con, cat, la: str, wave: int, cohort: str) -> None:
    t("figures (review type)", indicator_table, con,
      Selection(la, wave, breakdown="review_type", cohort=cohort, indicator_ids=("return_2b_pn_codes",)), cat)


def themes_page(t: Timer, con, cat, la: str, wave: int, cohort: str) -> None:
    t("theme periods", themes.periods, con, la)
    t("theme counts", themes.theme_counts, con, la, themes.ALL)
    t("quotes", themes.quotes, con, la, themes.ALL)


# The same lookups as the pages make them, through dashboard.ui.data's caches (kept per data
# version), timed on a second visit of each selection: what a warm page pays.
def cached_overview(t: Timer, con, cat, la: str, wave: int, cohort: str) -> None:
    from dashboard.ui import data

    choice = Choice(la, la, wave, cohort, "all")
    table = t("figures", data.figures, choice)
    improved, worsened = ov.changes(table, cat)
    changed = [row["indicator_id"] for row in [*improved.iter_rows(named=True), *worsened.iter_rows(named=True)]]
    if changed:
        t("trends (one read)", data.trends, choice, [data.series(i, choice) for i in changed])


def cached_domains(t: Timer, con, cat, la: str, wave: int, cohort: str) -> None:
    from dashboard.ui import data

    choice = Choice(la, la, wave, cohort, "all")
    domain = cat.domains[(wave + len(la)) % len(cat.domains)].id
    table = t("figures (domain)", data.figures, choice, domain)
    rate_ids = ov.voice(ov.headline(table))["indicator_id"].to_list() if table.height else []
    if rate_ids:
        t("trends (one read)", data.trends, choice, [data.series(i, choice) for i in rate_ids])
    t("figures (breakdown)", data.figures, choice, domain, breakdown="gender")
    if rate_ids:
        t("funnel", data.funnel, rate_ids[0], choice)


def cached_data_and_methods(t: Timer, con, cat, la: str, wave: int, cohort: str) -> None:
    from dashboard.ui import data

    t("load history", data.load_history)


CACHED = {"overview": cached_overview, "domains": cached_domains, "data_and_methods": cached_data_and_methods}


PAGES = {"overview": overview, "domains": domains, "panel_report": panel_report,
         "data_and_methods": data_and_methods, "participation": participation, "themes": themes_page}


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a published database (opened read-only)")
    parser.add_argument("--selections", type=int, default=20, help="varied LA/wave/cohort selections (default 20)")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated, default: all of " + ",".join(PAGES))
    parser.add_argument("--cached", action="store_true",
                        help="also time the warm lookups through the pages' caches (dashboard.ui.data)")
    parser.add_argument("--out", help="write the results as JSON here")
    args = parser.parse_args()
    if not Path(args.db).is_file():
        print(f"no database at {args.db}", file=sys.stderr)
        return 2
    unknown = set(args.pages.split(",")) - set(PAGES)
    if unknown:
        print(f"unknown page(s): {', '.join(sorted(unknown))}; choose from {', '.join(PAGES)}", file=sys.stderr)
        return 2
    con = duckdb.connect(args.db, read_only=True)
    cat = default_catalogue()
    sels = selections(con, args.selections)
    results: dict = {"db": str(args.db), "selections": len(sels),
                     "load_average_at_start": round(os.getloadavg()[0], 1), "pages": {}}
    for name in args.pages.split(","):
        t = Timer()
        PAGES[name](t, con, cat, *sels[0])      # the first call (imports, DuckDB's caches) is not counted
        t.by_lookup.clear()
        for sel in sels:
            PAGES[name](t, con, cat, *sel)
        every = [s for times in t.by_lookup.values() for s in times]
        results["pages"][name] = {
            "lookups": len(every), "p50_ms": ms(pct(every, 0.5)), "p95_ms": ms(pct(every, 0.95)),
            "by_lookup": {k: {"calls": len(v), "p50_ms": ms(pct(v, 0.5)), "p95_ms": ms(pct(v, 0.95)),
                              "max_ms": ms(max(v))} for k, v in t.by_lookup.items()}}
    if args.cached:
        os.environ["VOICE_DB"] = str(Path(args.db).resolve())
        results["cached"] = {}
        for name, page in CACHED.items():
            t = Timer()
            for sel in sels:
                page(t, con, cat, *sel)       # the first visit of the selection fills the caches
            t.by_lookup.clear()
            for sel in sels:
                page(t, con, cat, *sel)
            every = [s for times in t.by_lookup.values() for s in times]
            results["cached"][name] = {"lookups": len(every), "p50_ms": ms(pct(every, 0.5)),
                                       "p95_ms": ms(pct(every, 0.95)), "max_ms": ms(max(every))}
    results["load_average_at_end"] = round(os.getloadavg()[0], 1)
    con.close()
    print(f"{'page / lookup':44} {'calls':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, rec in results["pages"].items():
        print(f"{name:44} {rec['lookups']:>6} {rec['p50_ms']:>8} {rec['p95_ms']:>8}")
        for k, v in rec["by_lookup"].items():
            print(f"  {k:42} {v['calls']:>6} {v['p50_ms']:>8} {v['p95_ms']:>8} {v['max_ms']:>8}")
    for name, rec in results.get("cached", {}).items():
        print(f"{name + ' (warm, through the caches)':44} {rec['lookups']:>6} {rec['p50_ms']:>8} {rec['p95_ms']:>8} "
              f"{rec['max_ms']:>8}")
    print(f"load average {results['load_average_at_start']} at start, {results['load_average_at_end']} at the end")
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
