"""How the figures are made, in plain words: shared by the Data and methods page and the panel report.

The disclosure rules are worded from the numbers in dashboard/disclosure.yaml (never typed in
here), the methods from the engine's own constants, so the words change when the rules do.
"""
from __future__ import annotations

import duckdb
import polars as pl

from dashboard import store
from dashboard.audit import Thresholds, published_row_count, published_scope
from dashboard.catalogue import Catalogue, DfeMetric, RecordIndicator, SurveyIndicator
from dashboard.disclosure import STATUS_LEGEND, Rules, rules
from dashboard.publish import MIN_POOL_LAS, SIGNIFICANCE

KIND_NAMES = {
    "bright-spots": "Bright Spots surveys",
    "feedback": "Feedback forms",
    "participation": "Participation in reviews",
    "voice-checks": "Voice checks",
    "dfe": "DfE statistics",
    "actions": "You said, we did",
    "themes": "Themes",
}
SOURCE_NAMES = {
    "survey": "Bright Spots survey",
    "dfe": "DfE statistics",
    "voice_checks": "Voice checks",
    "participation": "Reviews (PN codes)",
    "feedback": "Feedback forms",
    "local_measure": "Local measure",
}
POLARITY_NAMES = {"higher_is_better": "higher is better", "lower_is_better": "lower is better",
                  "no_polarity": "neither higher nor lower is better"}
UNIT_NAMES = {"percent": "%", "rate_per_10000": "per 10,000 children", "number": "number", "months": "months",
              "score": "score", "currency": "£"}
# The order status codes are explained in.
STATUS_ORDER = ("c", "low", "z", "x", "u", "k")


def disclosure_rules(r: Rules | None = None) -> list[str]:
    """The suppression rules, one plain sentence each, from disclosure.yaml."""
    r = r or rules()
    return [
        f"A percentage or average worked out from fewer than {r.percentage_min_base} people is not shown: "
        "it reads **c**.",
        f"A count of {r.people_count_min} to {r.people_count_max} records about people (reviews, voice checks, "
        "feedback forms, themes) is not shown: it reads **c**.",
        f"Figures from {r.percentage_min_base} to {r.low_base_max} people are shown with a **low base** flag: "
        "read them with care, they can move a lot by chance.",
        f"When everyone in a group of {r.uniform_answer_max_base} or fewer gave the same answer, the figure is "
        "hidden, because it would tell you how each person answered.",
        "Where a hidden figure could be worked out from the figures that are shown (a total minus its parts, "
        "a whole group minus a smaller group), more figures are hidden until it cannot.",
        "The same rules apply everywhere: tables, charts, downloads, the command line and printed reports.",
    ]


def status_legend(codes: tuple[str, ...] = STATUS_ORDER) -> list[tuple[str, str]]:
    """(code, what it means) for the status codes a reader can meet."""
    return [(c, STATUS_LEGEND[c]) for c in codes]


def how_figures_are_computed() -> list[tuple[str, str]]:
    """(topic, plain explanation) for the figure engine's rules."""
    return [
        ("The figure",
         "A survey figure is the share of the children or young people who answered the question whose answer "
         "counts towards the indicator. Answers of \"don't know\", \"prefer not to say\" and blanks are left "
         "out of the count and reported on their own. Review, voice-check and feedback figures are shares of "
         "the records in the reporting year (April to March)."),
        ("The 95% interval (uncertainty)",
         "Each figure has a 95% confidence interval (the Wilson interval): the range the true figure is likely "
         "to lie in, given how many people answered. Fewer people answering means a wider interval."),
        ("What a figure is compared with",
         f"The pool: all local authorities loaded into this dashboard for the same wave, counted together, when "
         f"there are at least {MIN_POOL_LAS} of them. Otherwise a published national Bright Spots figure, "
         "named beside the figure. DfE measures are compared with England. Other local authorities are never "
         "named or ranked."),
        ("Bright spot, area to look at",
         "A bright spot is a figure whose whole 95% interval is on the better side of what it is compared with; an "
         "area to look at has its whole interval on the worse side. When the interval includes the comparison there "
         "is no clear difference. These are prompts for learning and questions, not scores."),
        ("Change since the last wave",
         f"The change from the previous wave is tested with a two-proportion test; it is called clear when the "
         f"chance of seeing it with no real change is under {SIGNIFICANCE:.0%}."),
        ("DfE statistics",
         "DfE figures are as published by the Department for Education (explore education statistics), with "
         "their own symbols kept (for example c, x, z). The 95% interval is worked out from the published counts "
         "where the DfE publishes them; the neighbours' figure is the median of the local authority's "
         "statistical neighbours that have a published value."),
    ]


ACCESSIBILITY_WHAT_WE_DO = [
    "Every chart has a one-sentence caption that says what it shows, and a table with the same figures "
    "(\"View as table\").",
    "Every chart can be downloaded as a CSV file of exactly what it shows.",
    "Colours come from the Okabe-Ito palette, which people with the common kinds of colour blindness can tell "
    "apart; lines and points also differ by shape and dash, so colour is never the only clue.",
    "Hidden figures are shown as gaps or \"c\" with the reason, never silently left out.",
    "The pages can be used with a keyboard alone: Tab moves between links, choices and buttons, Enter or Space "
    "chooses. Text is dark enough on its background to meet WCAG 2.2 AA.",
    "Every page is checked by the automated tests with axe-core, and none may have a serious or critical "
    "accessibility problem.",
    "The panel report comes as an HTML file (readable by screen readers, with real headings, captions and "
    "tables) and as a tagged PDF for printing on A4: its headings, paragraphs, lists and tables (with their "
    "captions and column headings) are in the PDF's structure, each chart is a figure whose text alternative is "
    "its caption, and the label and footer repeated on every page are marked as decoration, so a screen reader "
    "can move through it by heading and read its tables as tables. The annual statement's PDF is tagged the same "
    "way.",
]
ACCESSIBILITY_LIMITS = [
    "The interactive charts are drawn by Plotly: screen readers cannot read the points themselves, so use each "
    "chart's table instead.",
    "The tagged PDFs have not been checked with a PDF/UA validator or with every screen reader, and a long "
    "word in a narrow column of the statement's widest tables can be broken across two lines. The HTML versions "
    "have the same content and are the better choice for a screen reader.",
    "Some controls come from Streamlit, the framework the dashboard is built on, and follow its own keyboard "
    "behaviour (for example, the drop-down lists need Enter to open).",
]


SOURCES = [
    "**Bright Spots surveys**: \"Your Life, Your Care\" (children in care) and \"Your Life Beyond Care\" (care "
    "leavers), and the Bright Spots Well-being Framework (2023), by Coram Voice and the Rees Centre, University of "
    "Oxford. The local authority's survey returns, loaded as files.",
    "**DfE statistics**: Department for Education, explore education statistics (children looked after, children "
    "in need, the social work workforce), Open Government Licence v3.0, with the DfE's statistical neighbours.",
    "**The local authority's own records**: feedback forms after direct work, participation codes recorded at "
    "reviews, voice checks, \"you said, we did\" actions and themes from participation work.",
    "**Published comparisons** (for example 10,000 Voices and What Makes Life Good?): named with their sources in "
    "the indicator table below.",
]


# -- load history ----------------------------------------------------------------------------------

def load_history(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every load, newest first, with counts of records about people shown as 'c' when they are 1 to 5."""
    df = store.frame(con, store.sql("load_history"))
    synthetic = set(store.frame(con, store.sql("synthetic_load_ids"))["load_id"].to_list())
    t = Thresholds.read()
    rows = []
    for r in df.iter_rows(named=True):
        rows.append({
            "Load": r["load_id"],
            "Loaded (UTC)": r["loaded_at"],
            "Data": KIND_NAMES.get(r["kind"], r["kind"]),
            "File": r["file_name"],
            "Rows in file": published_row_count(r["kind"], r["rows_loaded"], thresholds=t),
            "Synthetic": "✓" if r["load_id"] in synthetic else "",
            "Covers": published_scope(r["kind"], r["scope"], thresholds=t),
            "Replaced": r["replaced"] or "",
            "Version": r["tool_version"],
            "SHA-256 of the file": r["file_hash"],
        })
    schema = {"Load": pl.Int64, "Loaded (UTC)": pl.String, "Data": pl.String, "File": pl.String,
              "Rows in file": pl.String, "Synthetic": pl.String, "Covers": pl.String, "Replaced": pl.String,
              "Version": pl.String, "SHA-256 of the file": pl.String}
    return pl.DataFrame(rows, schema=schema)


# -- the catalogue ---------------------------------------------------------------------------------

def _comparators(ind) -> str:
    if isinstance(ind, DfeMetric):
        return "England, the region and the median of the statistical neighbours (DfE, same file)"
    parts = [f"{c.label}: {c.value:g}{'%' if ind.unit == 'percent' else ''} ({c.source})"
             + (" (context only)" if c.measures == "context" else "") for c in ind.comparators]
    if isinstance(ind, (SurveyIndicator, RecordIndicator)):
        parts.insert(0, "All loaded local authorities (the pool)")
    return "; ".join(parts)


def _where_from(ind) -> str:
    if isinstance(ind, SurveyIndicator):
        surveys = "; ".join(f"{s} {', '.join(bands)}" for s, bands in ind.surveys.items())
        return f"question {ind.question} ({surveys})"
    if isinstance(ind, DfeMetric):
        return f"{ind.dfe_dataset_name}: file {ind.dataset}, column {ind.indicator}"
    return f"{SOURCE_NAMES.get(ind.source, ind.source)} records"


def catalogue_table(catalogue: Catalogue) -> pl.DataFrame:
    """Every indicator: id, domain, title, source, polarity, unit and comparators with their sources."""
    domains = {d.id: d.title for d in catalogue.domains}
    rows = [{
        "ID": ind.id,
        "Domain": domains.get(ind.domain, ind.domain),
        "Title": ind.title,
        "Source": SOURCE_NAMES.get(ind.source, ind.source),
        "Where it comes from": _where_from(ind),
        "Polarity": POLARITY_NAMES[ind.polarity],
        "Unit": UNIT_NAMES.get(ind.unit, ind.unit),
        "Compared with": _comparators(ind),
    } for ind in catalogue.indicators]
    return pl.DataFrame(rows, schema={k: pl.String for k in (
        "ID", "Domain", "Title", "Source", "Where it comes from", "Polarity", "Unit", "Compared with")})


def search(table: pl.DataFrame, text: str) -> pl.DataFrame:
    """Rows where any column contains every word of `text` (ignoring case)."""
    words = [w for w in text.lower().split() if w]
    if not words:
        return table
    row_text = pl.concat_str([pl.col(c).fill_null("") for c in table.columns], separator=" ").str.to_lowercase()
    return table.filter(pl.all_horizontal([row_text.str.contains(w, literal=True) for w in words]))
