"""The report's tables, as text cells: the table alternative of every chart, and the lists.

Every cell is text already formatted for reading (a hidden figure reads "c" with the reason beside
it), so the HTML and PDF show exactly the same thing.
"""
from __future__ import annotations

import polars as pl

from dashboard.report.content import STATUS_WORDS, Action, DfeMeasure, Figure, Report, fmt_value
from dashboard.vocabulary import CLASSIFICATION_LABELS

READING = CLASSIFICATION_LABELS


def _frame(rows: list[dict], columns: list[str]) -> pl.DataFrame:
    return pl.DataFrame([{c: ("" if r.get(c) is None else str(r.get(c))) for c in columns} for r in rows],
                        schema={c: pl.String for c in columns})


FIGURE_COLUMNS = ["Measure", "Who", "Figure", "95% interval", "Compared with", "Reading", "Change", "Note"]


def figures_table(figures: list[Figure]) -> pl.DataFrame:
    return _frame([{
        "Measure": f.title, "Who": f.who, "Figure": f.figure_text, "95% interval": f.range_text,
        "Compared with": f.compared_text, "Reading": READING.get(f.reading, ""), "Change": f.change_text,
        "Note": f.note,
    } for f in figures], FIGURE_COLUMNS)


def dfe_table(measures: list[DfeMeasure], la_name: str) -> pl.DataFrame:
    """Every year of every DfE series shown (the DfE chart's table alternative): per measure, a row for
    the LA, its region, England and the median of its statistical neighbours; a column per year."""
    years = sorted({y for m in measures for y in m.series["year"].to_list()})
    columns = ["Measure", "Area"] + [str(y) for y in years]
    rows = []
    for m in measures:
        f = m.figure
        by_year = {s["year"]: s for s in m.series.iter_rows(named=True)}
        unit = " (per 10,000 children)" if f.unit == "rate_per_10000" and "10,000" not in f.title else ""
        lines = [(la_name, "value"), ("Region", "region_value"), ("England", "england_value"),
                 ("Statistical neighbours' median", "neighbour_median")]
        for i, (area, column) in enumerate(lines):
            row = {"Measure": f.title + unit if i == 0 else "", "Area": area}
            for y in years:
                s = by_year.get(y)
                if s is None:
                    continue
                if column == "value" and s["status"] != "ok":
                    row[str(y)] = s["status"]
                else:
                    row[str(y)] = f.fmt(s[column]).replace(" per 10,000", "")
            rows.append(row)
    return _frame(rows, columns)


ACTION_COLUMNS = ["Raised", "You said", "We did", "Status", "Children told", "Linked to", "Heard through"]


def actions_table(actions: list[Action]) -> pl.DataFrame:
    return _frame([{
        "Raised": a.raised_on.isoformat() if a.raised_on else "", "You said": a.we_heard,
        "We did": a.we_did or "(not yet)", "Status": a.status_text,
        "Children told": a.told_children_on.isoformat() if a.told_children_on else "not yet",
        "Linked to": a.linked_to, "Heard through": a.source,
    } for a in actions], ACTION_COLUMNS)


def status_counts(actions: list[Action]) -> pl.DataFrame:
    """Actions by status, in the order of the work (counts of actions, not of people)."""
    counts = {s: 0 for s in STATUS_WORDS}
    for a in actions:
        counts[a.status] = counts.get(a.status, 0) + 1
    return _frame([{"Status": STATUS_WORDS.get(s, s), "Actions": n} for s, n in counts.items()],
                  ["Status", "Actions"])


def sources_table(report: Report) -> pl.DataFrame:
    return _frame([{"Data": s.data, "Files loaded": s.files, "Last loaded": s.last_loaded,
                    "Synthetic": "yes" if s.synthetic else "no"} for s in report.sources],
                  ["Data", "Files loaded", "Last loaded", "Synthetic"])


def dfe_files_table(report: Report) -> pl.DataFrame:
    return _frame([{"Dataset": d, "File": f, "Years": p} for d, f, p in report.dfe_files],
                  ["Dataset", "File", "Years"])


__all__ = ["actions_table", "dfe_files_table", "dfe_table", "figures_table", "fmt_value", "sources_table",
           "status_counts"]
