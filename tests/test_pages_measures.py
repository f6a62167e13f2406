"""The DfE metrics, Participation in reviews and Feedback from direct work pages, in Streamlit's
AppTest on the synthetic demo database, and the gated tables and charts behind them."""
from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.publish import publish_all
from dashboard import pn_codes, store
from dashboard.catalogue import default_catalogue
from dashboard.disclosure import OK
from dashboard.engine.cells import ALL
from dashboard.engine.figures import Selection, indicator_table
from dashboard.ui import charts, dfe_metrics, participation
from dashboard.ui import feedback as view_feedback
from dashboard.ui.measure_charts import HIDDEN_BAR_TEXT, bar_figure, heatmap_figure
from tests.conftest import ROOT, open_folded_parts
from tests.static_tables import static_tables

APP = ROOT / "dashboard" / "app.py"
PARTICIPATION, FEEDBACK, DFE = "../pages/participation.py", "../pages/feedback.py", "../pages/dfe_metrics.py"
HARTLEPOOL, KENT, DERBY = "E06000001", "E10000016", "E06000015"
WORKER_REF = re.compile(r"\bW\d{4}\b")   # the demo's worker references look like W3840


@pytest.fixture(scope="module")
def coded_db(demo_db, tmp_path_factory) -> Path:
    """The demo with three of Derby's turnover-rate years as the DfE publishes unpublished cells:
    c (confidential), low and k (rounds to zero), value empty."""
    path = tmp_path_factory.mktemp("coded") / "coded.duckdb"
    shutil.copy(demo_db, path)
    con = duckdb.connect(str(path))
    for year, code in ((2022, "c"), (2023, "low"), (2024, "k")):
        con.execute("UPDATE dfe_values SET value = NULL, status = ? WHERE area_code = ? AND dataset = 'csww_indicators' "
                    "AND indicator = 'turnover_rate_fte' AND year = ?", [code, DERBY, year])
    publish_all(con)   # data changed outside a load: publish again, as `voice-dashboard publish` would
    con.close()
    return path


pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


@pytest.fixture
def downloads(monkeypatch) -> list[bytes]:
    """Every CSV the pages' chart downloads would give, exactly as written."""
    written: list[bytes] = []
    real = charts.to_csv_bytes

    def record(table):
        data = real(table)
        written.append(data)
        return data

    monkeypatch.setattr(charts, "to_csv_bytes", record)
    return written


def open_page(monkeypatch, db: Path, page: str, la: str | None = None, wave: int | None = None) -> AppTest:
    monkeypatch.setenv("VOICE_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    if la:
        at.query_params["la"] = la
    if wave:
        at.query_params["wave"] = str(wave)
    at.run()
    at.switch_page(page).run()
    open_folded_parts(at)    # as a reader opening every folded part: each chart's table, each section
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [a.value for a in [*at.info, *at.warning, *at.error]] + [h.value for h in at.header]
    parts += [m.value for m in at.metric] + [m.label for m in at.metric]
    return "\n".join(parts)


def tables(at: AppTest) -> list:
    """The interactive tables (st.dataframe), in page order."""
    return [d.value for d in at.dataframe]


def chart_specs(at: AppTest) -> list[str]:
    return [c.proto.spec for c in at.get("plotly_chart")]


def everything(at: AppTest, csvs: list[bytes] = ()) -> str:
    """All a user can see or download from the page, as one string."""
    parts = [texts(at), *chart_specs(at)]
    for t in [*tables(at), *static_tables(at)]:
        parts.append(" ".join(map(str, t.columns)))
        parts.append(t.to_csv())
    parts += [c.decode("utf-8") for c in csvs]
    return "\n".join(parts)


def gated(db: Path, la: str, wave: int, ids: tuple[str, ...], breakdown: str | None = None) -> pl.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return indicator_table(con, Selection(la, wave, None, breakdown, ALL, None, ids), default_catalogue())
    finally:
        con.close()


def parse(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


# -- the crosswalk ------------------------------------------------------------------------------

def test_crosswalk_in_python_is_the_one_the_sql_applies():
    con = duckdb.connect()
    rows = [(f"{scheme}-{code}", scheme, code) for scheme in ("current", "recommended") for code in pn_codes.codes(scheme)]
    con.execute("CREATE TABLE reviews (review_id VARCHAR, la_code VARCHAR, review_date DATE, review_type VARCHAR, "
                "pn_code VARCHAR, scheme VARCHAR)")
    con.executemany("INSERT INTO reviews VALUES (?, 'E10000016', DATE '2024-06-01', 'pathway', ?, ?)",
                    [(i, c, s) for i, s, c in rows])
    sql = store.sql("pn_codes_in_scheme").strip().rstrip(";")
    for target, convert in (("recommended", pn_codes.to_recommended), ("current", pn_codes.to_current)):
        got = con.execute(f"SELECT s.code FROM ({sql}) AS s", {"scheme": target}).fetchall()
        from_sql = sorted((str(c) for (c,) in got), key=str)
        from_python = sorted((str(c if s == target else convert(c)) for _, s, c in rows), key=str)
        assert from_sql == from_python, target


def test_crosswalk_table_maps_current_pn7_to_recommended_pn7_or_pn8_as_not_mapped():
    table = pn_codes.crosswalk_table()
    pn7 = table.filter(pl.col("Current code") == "PN7").row(0, named=True)
    assert pn7["Recommended code"] == "PN7 or PN8"
    assert pn7["Mapped?"].startswith("no: ")


def test_crosswalk_table_maps_current_pn0_to_no_recommended_code():
    pn0 = pn_codes.crosswalk_table().filter(pl.col("Current code") == "PN0").row(0, named=True)
    assert pn0["Recommended code"] == "none"


def test_every_code_of_both_schemes_has_a_plain_description():
    assert set(pn_codes.CURRENT) == {f"PN{i}" for i in range(8)}
    assert set(pn_codes.RECOMMENDED) == {f"PN{i}" for i in range(1, 9)}
    assert all(len(d) > 10 for d in [*pn_codes.CURRENT.values(), *pn_codes.RECOMMENDED.values()])


# -- unmapped counts and tables behind the charts --------------------------------------------

def _figs(rows: list[tuple[str, str, str, int | None]]) -> pl.DataFrame:
    """A gated figure table: (group, category, status, count)."""
    return pl.DataFrame([{"wave": 2025, "group": g, "category": c, "status": s, "value": 50.0 if s == OK else None,
                          "numerator": n if s == OK else None, "base": 40 if s == OK else None,
                          "not_answered": None, "low_base": False, "reason": None if s == OK else "a count of 1 to 5"}
                         for g, c, s, n in rows])


def test_unmapped_count_hidden_by_the_gate_shows_c_and_why():
    table = participation.unmapped(_figs([(ALL, "PN1", OK, 20), (ALL, "not mapped", "c", 3)]))
    assert table.row(0, named=True) == {"Review type": "All reviews", "Reviews that could not be mapped": None,
                                        "Status": "c", "Why hidden": "a count of 1 to 5"}


def test_unmapped_count_published_by_the_gate_is_shown():
    table = participation.unmapped(_figs([(ALL, "PN1", OK, 20), (ALL, "not mapped", OK, 6)]))
    assert table["Reviews that could not be mapped"].to_list() == [6]
    assert table["Status"].to_list() == [OK]


def test_no_unmapped_category_means_every_review_mapped():
    table = participation.unmapped(_figs([(ALL, "PN1", OK, 40), ("pathway", "PN1", "c", None)]))
    assert table["Reviews that could not be mapped"].to_list() == [0, 0]


def test_pn_table_has_no_figure_where_the_status_is_c(demo_db):
    figs = gated(demo_db, HARTLEPOOL, 2025, ("return_2b_pn_codes",), "review_type")
    table = participation.pn_table(figs, "recommended")
    hidden = table.filter(pl.col("Status") == "c")
    assert hidden.height > 0
    assert hidden.select("Share of reviews (%)", "Reviews with this code", "Reviews that could be mapped").null_count().row(0) \
        == (hidden.height,) * 3


def test_the_pn_heatmap_has_a_row_per_code_and_an_upright_column_per_review_type(demo_db):
    """Issue 12 at 390 pixels: eight columns of codes beside the review types' long names left each
    square 27 pixels and the figures ran into one another (tests/browser/test_reader_view.py checks
    the drawn chart). Now the codes are the rows, the types the columns, their names upright."""
    figs = gated(demo_db, HARTLEPOOL, 2025, ("return_2b_pn_codes",), "review_type")
    fig = participation.pn_heatmap(figs, "recommended")
    assert list(fig.data[0].y) == pn_codes.codes("recommended")
    assert set(fig.data[0].x) == {participation.group_label(g) for g in figs["group"].unique().to_list()}
    assert fig.layout.xaxis.tickangle == -90
    assert fig.data[0].showscale is False       # every square says its figure: no scale beside it


def test_a_heatmap_writes_long_row_names_and_titles_on_short_lines():
    rows = ["All forms", "Independent reviewing officers"]
    fig = heatmap_figure(rows, ["1", "2", "3", "4", "5"], {}, x_title="Score (1 = not at all, 5 = very well or very much)")
    assert list(fig.layout.yaxis.tickvals) == rows
    assert fig.layout.yaxis.ticktext[0] == "All forms"
    assert fig.layout.yaxis.ticktext[1].count("<br>") >= 1
    assert all(len(line) <= 18 for text in fig.layout.yaxis.ticktext for line in text.split("<br>"))
    assert "<br>" in fig.layout.xaxis.title.text


def test_a_low_base_bars_figure_is_written_past_it_in_dark_words_never_on_its_hatching():
    """Issue 12: white "77% (low base)" was written on a hatched bar, where it cannot be read."""
    fig = bar_figure(["Early help", "Pathway"], [80.0, 77.0], [OK, OK], [None, None],
                     ci_low=[75.0, 60.0], ci_high=[85.0, 90.0], low_base=[False, True])
    bars, beside = fig.data[0], fig.data[1]
    assert list(bars.marker.pattern.shape) == ["", "/"]
    assert list(bars.text) == ["80%", ""]                       # nothing written on the hatched bar
    assert list(beside.y) == ["Pathway"] and beside.text[0].strip() == "77% (low base)"
    assert beside.x[0] == 90.0                                  # past the end of its interval
    assert beside.textfont.color == "#333333"


def test_words_past_a_long_bar_have_room_in_the_right_margin():
    """On a phone "71% (low base)" written after a 71% bar (interval to 90%) ran off the chart's edge."""
    from dashboard.ui import widths

    fig = bar_figure(["Early help", "Front door (MASH) or pre-birth"], [40.0, 71.0], [OK, OK], [None, None],
                     ci_low=[35.0, 50.0], ci_high=[45.0, 90.0], low_base=[False, True])
    assert fig.layout.margin.r >= widths.text_px("71% (low base)") * 15 / 14
    short = bar_figure(["Early help"], [40.0], [OK], [None], ci_low=[35.0], ci_high=[45.0])
    assert short.layout.margin.r == 10                          # nothing past a long bar: no room kept


def test_hidden_bar_keeps_its_row_and_says_c():
    fig = bar_figure(["Early help", "Pathway"], [40.0, None], [OK, "c"], [None, "a count of 1 to 5"])
    assert list(fig.data[0].y) == ["Early help", "Pathway"]
    words = {y: t.strip() for trace in fig.data for y, t in zip(trace.y, trace.text) if t}
    assert words == {"Early help": "40%", "Pathway": HIDDEN_BAR_TEXT}


# -- DfE chart and table ---------------------------------------------------------------------

def _series(statuses: list[str]) -> pl.DataFrame:
    n = len(statuses)
    return pl.DataFrame({"year": list(range(2021, 2021 + n)),
                         "value": [None if s != OK else 12.0 for s in statuses], "status": statuses,
                         "region_value": [14.0] * n, "england_value": [15.0] * n, "neighbour_median": [13.0] * n,
                         "neighbours_used": [9] * n},
                        schema_overrides={"value": pl.Float64})


def _derby():
    from dashboard.ui.selection import Choice
    return Choice(DERBY, "Derby", 2025, "children_in_care", "all")


def test_dfe_chart_table_leaves_the_value_empty_and_keeps_the_dfe_code():
    metric = default_catalogue().by_id()["dfe_social_worker_turnover"]
    table = dfe_metrics.chart_table(metric, _series([OK, "c", "low", "k", "x"]), _derby())
    assert table["Status"].to_list() == [OK, "c", "low", "k", "x"]
    assert table["Derby"].to_list() == [12.0, None, None, None, None]


def test_dfe_chart_labels_each_unpublished_year_with_its_code():
    metric = default_catalogue().by_id()["dfe_social_worker_turnover"]
    fig = dfe_metrics.chart(metric, _series([OK, "c", "low", "k", OK]), _derby())
    labels = {a.x: re.sub(r"<[^>]+>", "", a.text) for a in fig.layout.annotations}
    assert labels == {2022: "c", 2023: "low", 2024: "k"}
    assert list(fig.data[0].y) == [12.0, None, None, None, 12.0]


def test_dfe_chart_lines_differ_by_dash_and_marker_not_only_colour():
    metric = default_catalogue().by_id()["dfe_social_worker_turnover"]
    lines = dfe_metrics.chart(metric, _series([OK, OK]), _derby()).data
    assert [t.name for t in lines] == ["Derby", "East Midlands", "England", "Statistical neighbours (median)"]
    assert lines[0].line.dash == "solid"
    assert len({t.line.dash for t in lines}) == 4
    assert len({t.marker.symbol for t in lines}) == 4


def test_dfe_summary_keeps_the_value_empty_and_the_code_beside_it_for_an_unpublished_year():
    metric = default_catalogue().by_id()["dfe_social_worker_turnover"]
    table = dfe_metrics.summary([metric], {metric.id: _series([OK, "c"])}, _derby())
    row = table.row(0, named=True)
    assert (row["Year"], row["Derby"], row["Status"], row["England"]) == (2022, None, "c", 15.0)
    assert row["Which way is better"] == "Lower is better"


# -- Participation page ------------------------------------------------------------------------

def test_participation_page_shows_its_sections(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, PARTICIPATION, HARTLEPOOL, 2025)
    assert [t.value for t in at.title] == ["Participation in reviews"]
    assert [h.value for h in at.header] == [
        "How children took part in the year ending March 2025", "By type of review, the year ending March 2025",
        "Year by year", "What the codes mean, and how the two schemes match", "Recommended data returns 2a, 2b and 2c"]
    assert len(at.get("plotly_chart")) == 4
    assert participation.GROUPED_WHY in texts(at)   # says what is grouped, and why


def test_participation_page_shows_the_crosswalk(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, PARTICIPATION, HARTLEPOOL, 2025)
    crosswalk = static_tables(at)[0]
    mapping = dict(zip(crosswalk["Current code"], crosswalk["Recommended code"]))
    assert mapping == {"PN0": "none", "PN1": "PN1", "PN2": "PN3", "PN3": "PN2", "PN4": "PN6", "PN5": "PN4",
                       "PN6": "PN5", "PN7": "PN7 or PN8"}


def test_participation_page_says_how_many_reviews_could_not_be_mapped(monkeypatch, demo_db):
    # In the years an LA moves from the current to the recommended codes, some reviews cannot be
    # mapped. The page says how many, as the gate publishes it: a number, or c with the reason.
    found = None
    for la in (KENT, DERBY, HARTLEPOOL, "E10000024"):
        for wave in (2023, 2024, 2025):
            figs = gated(demo_db, la, wave, ("return_2b_pn_codes",))
            hit = figs.filter((pl.col("category") == "not mapped") & (pl.col("group") == ALL))
            if hit.height:
                found = (la, wave, hit.row(0, named=True))
                break
        if found:
            break
    assert found, "no LA in the demo has reviews that cannot be mapped"
    la, wave, row = found
    at = open_page(monkeypatch, demo_db, PARTICIPATION, la, wave)
    start = f"Reviews that could not be mapped to the recommended codes in the year ending March {wave}: "
    if row["status"] == OK:
        assert f"{start}**{int(row['numerator']):,}**" in texts(at)
    else:
        assert f"{start}**c** (hidden to protect children's privacy: {row['reason']})" in texts(at)


def test_changing_the_scheme_changes_the_codes_and_the_unmapped_count(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, PARTICIPATION, KENT, 2025)
    before = tables(at)[0]
    at.radio(key="participation_scheme").set_value("current").run()
    after = tables(at)[0]
    assert "PN8" in set(before["PN code"]) and "PN8" not in set(after["PN code"])
    assert "could not be mapped to the current codes in the year ending March 2025: **0**" in texts(at)


def test_changing_the_local_authority_changes_the_participation_figures(monkeypatch, demo_db):
    hartlepool = tables(open_page(monkeypatch, demo_db, PARTICIPATION, HARTLEPOOL, 2025))[0]
    kent = tables(open_page(monkeypatch, demo_db, PARTICIPATION, KENT, 2025))[0]
    assert not hartlepool.equals(kent)


def test_changing_the_review_type_changes_the_trend(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, PARTICIPATION, KENT, 2025)
    assert set(tables(at)[2]["Review type"]) == {"All reviews"}
    at.selectbox(key="participation_review_type").set_value("pathway").run()
    assert set(tables(at)[2]["Review type"]) == {"Pathway (care leavers)"}


def test_participation_downloads_hold_no_figure_where_the_status_is_c(monkeypatch, demo_db, downloads):
    open_page(monkeypatch, demo_db, PARTICIPATION, HARTLEPOOL, 2025)
    pn = parse(downloads[0])
    assert {"Status", "Share of reviews (%)"} <= set(pn[0])
    hidden = [r for r in pn if r["Status"] == "c"]
    assert hidden and all(r["Share of reviews (%)"] == r["Reviews with this code"] == "" for r in hidden)
    assert all(r["Share of reviews (%)"] != "" for r in pn if r["Status"] == OK)


def test_participation_page_says_so_when_no_reviews_are_loaded(monkeypatch, kent_survey_db):
    at = open_page(monkeypatch, kent_survey_db, PARTICIPATION)
    assert "No reviews are recorded for Kent in the year ending March 2024" in texts(at)
    assert not at.get("plotly_chart")


# -- Feedback page ----------------------------------------------------------------------------

def test_feedback_page_puts_sought_and_discussed_first(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, FEEDBACK, KENT, 2025)
    assert [h.value for h in at.header] == ["Was feedback asked for, and talked about afterwards?",
                                            "Scores, by service and by stage of the work",
                                            "Forms scored 5 on every question"]
    assert at.metric[0].label == "Forms whose answers were talked about afterwards, the year ending March 2025"


def test_feedback_headline_is_the_gated_figure(monkeypatch, demo_db):
    row = gated(demo_db, KENT, 2025, ("feedback_sought_and_discussed",)).row(0, named=True)
    at = open_page(monkeypatch, demo_db, FEEDBACK, KENT, 2025)
    assert at.metric[0].value == f"{row['value']:.0f}%"


def test_feedback_page_states_the_research_caveats(monkeypatch, demo_db):
    words = texts(open_page(monkeypatch, demo_db, FEEDBACK, KENT, 2025))
    assert "Scores on their own mean little" in words
    assert "asked for, and then talked about" in words
    assert "not because they are happy" in words          # all 5s can be compliance
    assert "never be used to rank or compare workers" in words


def test_changing_the_question_changes_the_score_table(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, FEEDBACK, KENT, 2025)
    score = next(t for t in tables(at) if "Score" in t.columns)
    at.radio(key="feedback_question").set_value("feedback_scores_q4").run()
    after = next(t for t in tables(at) if "Score" in t.columns)
    assert set(score["Question"]) == {"Question 1"} and set(after["Question"]) == {"Question 4"}


def test_changing_the_breakdown_changes_the_discussed_groups(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, FEEDBACK, KENT, 2025)
    at.radio(key="feedback_discussed_breakdown").set_value("respondent").run()
    groups = set(tables(at)[1]["Group"])
    assert {"All forms", "Child", "Parent, carer or family network member"} <= groups
    at.radio(key="feedback_discussed_breakdown").set_value("stage").run()
    assert set(tables(at)[1]["Group"]) == {"All forms", "First form", "Second form", "Third form or later"}


def test_scores_are_shown_by_service_and_stage_only(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, FEEDBACK, KENT, 2025)
    score_tables = [t for t in tables(at) if "Score" in t.columns]
    assert [t.columns[2] for t in score_tables] == ["Service", "Stage of the relationship"]
    assert all(set(t["Score"]) <= {"4 or 5", "1 to 3"} for t in score_tables)
    assert view_feedback.SCORES_GROUPED in texts(at)   # says what is grouped, and why


def test_changing_the_local_authority_changes_the_feedback_figures(monkeypatch, demo_db):
    kent = open_page(monkeypatch, demo_db, FEEDBACK, KENT, 2025).metric[0].value
    hartlepool = open_page(monkeypatch, demo_db, FEEDBACK, HARTLEPOOL, 2025).metric[0].value
    assert kent != hartlepool


def test_feedback_page_says_so_when_no_forms_are_loaded(monkeypatch, kent_survey_db):
    at = open_page(monkeypatch, kent_survey_db, FEEDBACK)
    assert "No feedback forms are recorded for Kent in the year ending March 2024" in texts(at)


# -- no worker-level anything, anywhere -----------------------------------------------------------

@pytest.mark.parametrize("page", [FEEDBACK, PARTICIPATION, DFE])
def test_no_worker_reference_in_anything_the_page_shows_or_downloads(monkeypatch, demo_db, downloads, page):
    at = open_page(monkeypatch, demo_db, page, KENT, 2025)
    assert downloads
    shown = everything(at, downloads)
    assert "worker_ref" not in shown.lower()
    assert not WORKER_REF.findall(shown)


# -- DfE metrics page ------------------------------------------------------------------------

def dfe_areas(show: str = "both") -> list[dfe_metrics.Area]:
    return dfe_metrics.areas(dfe_metrics.metrics(show))


def test_dfe_areas_hold_every_metric_once_and_a_handful_each():
    """The page draws one area's charts at a time: every DfE metric is in exactly one area, and no
    area has more than ten (drawing all 59 at once took tens of seconds in a browser)."""
    areas = dfe_areas()
    ids = [m.id for a in areas for m in a.metrics]
    assert sorted(ids) == sorted(i.id for i in default_catalogue().indicators if i.source == "dfe")
    assert len(set(a.id for a in areas)) == len(areas)
    assert max(len(a.metrics) for a in areas) <= 10
    assert all(m.domain == a.domain.id and m.dfe_heading == a.heading for a in areas for m in a.metrics)


def test_dfe_page_draws_only_the_chosen_area_beside_its_domain(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DFE, DERBY, 2025)
    for area in dfe_areas():
        at.selectbox(key="dfe_area").set_value(area.id).run()
        assert not at.exception, [e.message for e in at.exception]
        assert [h.value for h in at.header] == ["Derby at a glance", f"Beside {area.domain.title}"]
        titles = [m.value for m in at.markdown if m.value.startswith("#### ")]
        assert sorted(titles) == sorted(f"#### {m.title}" for m in area.metrics)   # two columns: read column by column
        assert 0 < len(at.get("plotly_chart")) <= len(area.metrics)
        assert at.query_params["dfe_area"] == area.id


def test_every_dfe_chart_has_its_table_and_download(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DFE, DERBY, 2025)
    drawn = 0
    for area in dfe_areas():
        at.selectbox(key="dfe_area").set_value(area.id).run()
        open_folded_parts(at)
        charts_here = len(at.get("plotly_chart"))
        drawn += charts_here
        assert len([e for e in at.expander if e.label == "View as table"]) == charts_here
        assert len(at.dataframe) == charts_here
        assert len([b for b in at.get("download_button")]) == charts_here + 1   # and the summary's
    assert drawn == sum(1 for i in default_catalogue().indicators if i.source == "dfe")


def test_a_charts_table_is_drawn_only_once_its_expander_is_opened(monkeypatch, demo_db):
    monkeypatch.setenv("VOICE_DB", str(demo_db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"la": DERBY, "wave": "2025"})
    at.run()
    at.switch_page(DFE).run()
    folded = [e for e in at.expander if e.label == "View as table"]
    assert folded and all(len(e.dataframe) == 0 for e in folded)     # nothing drawn while folded away
    at.session_state[folded[0].key] = True                             # the reader opens the first one
    at.run()
    tables_now = [e for e in at.expander if e.label == "View as table"]
    assert len(tables_now[0].dataframe) == 1 and all(len(e.dataframe) == 0 for e in tables_now[1:])


def link_warnings(at: AppTest) -> list[str]:
    """The warnings saying a link could not be shown as asked (not the demo's banner)."""
    return [w.value for w in at.warning if w.icon == ":material/link_off:"]


def test_dfe_page_opens_the_area_the_link_asks_for(monkeypatch, demo_db):
    area = dfe_areas()[3]
    monkeypatch.setenv("VOICE_DB", str(demo_db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"la": DERBY, "wave": "2025", "dfe_area": area.id})
    at.run()
    at.switch_page(DFE).run()
    assert not at.exception
    assert at.selectbox(key="dfe_area").value == area.id
    assert [h.value for h in at.header][-1] == f"Beside {area.domain.title}"
    assert not link_warnings(at)


def test_dfe_page_says_when_the_link_asks_for_an_area_it_does_not_have(monkeypatch, demo_db):
    monkeypatch.setenv("VOICE_DB", str(demo_db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"la": DERBY, "wave": "2025", "dfe_area": "no-such-area"})
    at.run()
    at.switch_page(DFE).run()
    assert not at.exception
    refused = link_warnings(at)
    assert len(refused) == 1 and "no-such-area" in refused[0]
    assert at.selectbox(key="dfe_area").value == dfe_areas()[0].id


TURNOVER = "dfe_social_worker_turnover"


def dfe_area_of(metric_id: str) -> str:
    return next(a.id for a in dfe_areas() if any(m.id == metric_id for m in a.metrics))


def every_area_texts(at: AppTest) -> str:
    """The page's words with each area of charts chosen in turn."""
    said = []
    for area in dfe_areas():
        at.selectbox(key="dfe_area").set_value(area.id).run()
        said.append(texts(at))
    return "\n".join(said)


def test_dfe_page_shows_the_dfe_code_for_each_unpublished_year(monkeypatch, coded_db):
    at = open_page(monkeypatch, coded_db, DFE, DERBY, 2025)
    at.selectbox(key="dfe_area").set_value(dfe_area_of(TURNOVER)).run()
    open_folded_parts(at)
    turnover = next(t for t in tables(at) if "Derby" in t.columns and "Status" in t.columns and "Year" in t.columns
                    and t["Year"].tolist() == [2021, 2022, 2023, 2024, 2025] and t["Status"].tolist()[1] == "c")
    assert turnover["Status"].tolist() == ["ok", "c", "low", "k", "ok"]
    assert turnover["Derby"].isna().tolist() == [False, True, True, True, False]
    words = texts(at)
    assert "Not published for Derby: 2022 (c: confidential" in words
    assert "**low** rounds to zero, but is not zero" in words


def test_dfe_page_says_how_many_neighbours_the_median_uses(monkeypatch, demo_db):
    words = every_area_texts(open_page(monkeypatch, demo_db, DFE, DERBY, 2025))
    assert "the median of its statistical neighbours (10 of 10 had a figure in 2025)" in words
    assert "the median of its statistical neighbours (8 of 10 had a figure in 2025)" in words


def test_dfe_summary_gives_direction_of_good_source_and_year(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DFE, DERBY, 2025)
    summary = static_tables(at)[0]
    assert set(summary["Better when"]) == {"higher", "lower", "no direction"}
    assert set(summary["Year"]) == {2025}
    words = every_area_texts(at)
    assert "Enabler · Workforce stability · Lower is better" in words
    assert "Outcome · Family stability · Neither higher nor lower is better in itself" in words
    assert "Source: Department for Education, explore education statistics: csww_indicators" in words


def test_changing_the_local_authority_changes_the_dfe_figures(monkeypatch, demo_db):
    derby = static_tables(open_page(monkeypatch, demo_db, DFE, DERBY, 2025))[0]
    kent = static_tables(open_page(monkeypatch, demo_db, DFE, KENT, 2025))[0]
    assert "Derby" in derby.columns and "Kent" in kent.columns
    assert derby["Derby"].tolist() != kent["Kent"].tolist()


def test_dfe_page_can_show_enablers_only(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DFE, DERBY, 2025)
    at.radio(key="dfe_show").set_value("enabler").run()
    assert set(static_tables(at)[0]["Framework"]) == {"Enabler"}
    enablers = dfe_areas("enabler")
    assert at.selectbox(key="dfe_area").options == [a.label for a in enablers]
    assert {m.framework for a in enablers for m in a.metrics} == {"enabler"}


def test_dfe_page_says_so_when_no_dfe_statistics_are_loaded(monkeypatch, kent_survey_db):
    at = open_page(monkeypatch, kent_survey_db, DFE)
    assert "No DfE statistics for Kent are loaded" in texts(at)
