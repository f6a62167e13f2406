"""The Themes, "You said, we did" and Young inspectors pages: their logic (gated theme counts, the
action-finding loop, the plain-language wording rules) and the pages themselves in AppTest."""
from __future__ import annotations

import html
import random
import re
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import audit, store
from dashboard.catalogue import default_catalogue
from dashboard.engine import themes
from dashboard.engine.atoms import Atoms
from dashboard.engine.cells import ALL
from dashboard.engine.figures import COLUMNS as FIGURE_COLUMNS
from dashboard.exports import to_csv_bytes
from dashboard.loaders import loader_for, run_load
from dashboard.loaders.actions import SOURCES, STATUSES
from dashboard.ui import actions as act
from dashboard.ui import themes as theme_view
from dashboard.ui import young_inspectors as yi
from dashboard.disclosure import PROTECTS_OTHERS
from tests.conftest import GOOD_INPUTS, ROOT, open_folded_parts

APP = ROOT / "dashboard" / "app.py"
THEMES_PAGE, ACTIONS_PAGE, YI_PAGE = "../pages/themes.py", "../pages/actions.py", "../pages/young_inspectors.py"
KENT, BARNET = "E10000016", "E09000003"

# A published theme with its quote, and a hidden one (3 records) whose quote must never show. The
# fourth theme (2 records) keeps the two hidden themes from being worked out from the total.
SHOWN_QUOTE = "We want more say in our plans."
HIDDEN_QUOTE = "Nobody listens to us at reviews."


def _theme_rows() -> list[str]:
    rows, n = [], 0
    for theme, count, quote in [("having a say", 8, SHOWN_QUOTE), ("moving home", 7, ""),
                                ("reviews", 3, HIDDEN_QUOTE), ("pocket money", 2, "")]:
        for i in range(count):
            n += 1
            q = quote if i == 0 else ""
            rows.append(f"TH{n:03d},{KENT},2024-05-{n:02d},children_in_care_council,child_in_care,{theme},{q},"
                        f"{'yes' if q else ''}")
    return rows


pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


def load(path: Path, kind: str, files: list[Path]) -> None:
    con = store.connect(path)
    try:
        run_load(con, loader_for(kind), files)
    finally:
        con.close()


@pytest.fixture(scope="module")
def themes_db(tmp_path_factory) -> Path:
    """Kent's survey answers (so Kent can be chosen) and the crafted theme records above; read only."""
    tmp_path = tmp_path_factory.mktemp("themes")
    db = tmp_path / "themes.duckdb"
    load(db, "bright-spots", [GOOD_INPUTS / "bright-spots" / "kent_2024_long.csv"])
    csv = tmp_path / "kent_themes.csv"
    csv.write_text("record_id,la_code,date,source,cohort,theme,quote,quote_consent\n" + "\n".join(_theme_rows()) + "\n",
                   encoding="utf-8")
    load(db, "themes", [csv])
    return db


def open_page(monkeypatch, db: Path, page: str, la: str | None = None, cohort: str | None = None) -> AppTest:
    monkeypatch.setenv("VOICE_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    if la:
        at.session_state["sel_la"] = la
    if cohort:
        at.session_state["sel_cohort"] = cohort
    at.run()
    at.switch_page(page).run()
    open_folded_parts(at)    # as a reader opening every folded part: each chart's table, each section
    assert not at.exception, [e.message for e in at.exception]
    return at


def page_text(at: AppTest) -> str:
    """Everything the page writes in the main area, as plain text (tags of st.html removed); the
    shell's synthetic-data banner is the app's, not the page's."""
    main = at.main
    parts = [t.value for t in at.title] + [h.value for h in main.header] + [h.value for h in main.subheader]
    parts += [m.value for m in main.markdown] + [c.value for c in main.caption]
    parts += [a.value for a in [*main.info, *main.warning, *main.success] if "SYNTHETIC DEMO DATA" not in a.value]
    parts += [html.unescape(re.sub(r"<[^>]+>", " ", h.value)) for h in main.html]
    parts += [e.proto.label for e in main.expander]
    return "\n".join(parts)


def figure(**values) -> dict:
    row = {c: None for c in FIGURE_COLUMNS}
    row.update(source="survey", breakdown="", group="all", category="", status="ok", low_base=False,
               unit="percent", polarity="higher_is_better", wave=2025, la_code=KENT, age_band="all")
    row.update(values)
    return row


def figures_frame(rows: list[dict]) -> pl.DataFrame:
    schema = {c: pl.String for c in FIGURE_COLUMNS}
    schema.update({c: pl.Float64 for c in ("value", "ci_low", "ci_high", "comparator_value")})
    schema.update({"base": pl.Int64, "numerator": pl.Int64, "low_base": pl.Boolean, "wave": pl.Int64})
    return pl.DataFrame([{c: r.get(c) for c in FIGURE_COLUMNS} for r in rows],
                        schema={c: schema[c] for c in FIGURE_COLUMNS})


def theme_atoms(rows: list[tuple]) -> Atoms:
    """Atoms from (la, reporting year, quarter, source, said_by, theme, n) rows."""
    frame = pl.DataFrame(rows, orient="row", schema=["la_code", "year", "q", "source", "said_by", "category", "n"])
    frame = frame.select(
        "la_code", pl.lit(0, dtype=pl.Int32).alias("wave"), pl.lit(None, dtype=pl.String).alias("survey"),
        pl.lit("themes").alias("cohort"), pl.col("year").cast(pl.String).alias("age_band"), "source", "said_by",
        (pl.col("year").cast(pl.String) + " Q" + pl.col("q").cast(pl.String)).alias("quarter"), "category",
        pl.col("n").cast(pl.Int64))
    return Atoms("themes", frame, list(themes.DIMS), "distribution", True, True)


def status_of(gated: pl.DataFrame, band: str, category: str, breakdown: str = "", group: str = ALL) -> str:
    hit = gated.filter((pl.col("age_band") == band) & (pl.col("breakdown") == breakdown)
                       & (pl.col("group") == group) & (pl.col("category") == category))
    assert hit.height == 1, (band, category, breakdown, group)
    return hit["status"][0]


# -- the theme gate ---------------------------------------------------------------------------------

def test_theme_count_of_one_to_five_is_hidden_and_a_second_hidden_so_the_total_cannot_give_it_away():
    gated = themes.gate(theme_atoms([(KENT, 2025, 1, "s", "child_in_care", "a", 8),
                                     (KENT, 2025, 1, "s", "child_in_care", "b", 3),
                                     (KENT, 2025, 1, "s", "child_in_care", "c", 7)]))
    assert status_of(gated, "2025", "b") == "c"
    assert status_of(gated, "2025", "") == "ok"
    assert [status_of(gated, "2025", t) for t in ("a", "c")].count("c") == 1


def test_a_hidden_year_cannot_be_worked_out_from_all_years_less_the_other_year():
    gated = themes.gate(theme_atoms([(KENT, 2024, 1, "s", "child_in_care", "a", 3),
                                     (KENT, 2025, 1, "s", "child_in_care", "a", 10),
                                     (KENT, 2025, 1, "s", "child_in_care", "b", 12)]))
    assert status_of(gated, "2024", "a") == "c"
    assert "c" in (status_of(gated, ALL, "a"), status_of(gated, "2025", "a"))


def test_a_hidden_quarter_cannot_be_worked_out_from_its_year_less_the_other_quarters():
    gated = themes.gate(theme_atoms([(KENT, 2025, 1, "s", "child_in_care", "a", 9),
                                     (KENT, 2025, 2, "s", "child_in_care", "a", 3),
                                     (KENT, 2025, 1, "s", "child_in_care", "b", 20)]))
    # Breakdowns are published for all years together only (the publication policy).
    assert status_of(gated, "all", "a", "quarter", "2025 Q2") == "c"
    assert "c" in (status_of(gated, "all", "a", "quarter", "2025 Q1"), status_of(gated, "all", "a"))


def test_theme_breakdowns_are_published_for_all_years_together_only():
    gated = themes.gate(theme_atoms([(KENT, 2025, 1, "s", "child_in_care", "a", 30),
                                     (KENT, 2024, 2, "s", "child_in_care", "a", 30)]))
    by_year = gated.filter((pl.col("age_band") != "all") & (pl.col("breakdown") != ""))
    assert by_year.height == 0
    assert status_of(gated, "all", "a", "quarter", "2025 Q1") == "ok"
    assert status_of(gated, "2025", "a") == "ok"


def test_each_local_authority_is_gated_on_its_own_and_no_pool_is_made():
    # Kent has a second theme, so its 12 records of "a" are not all of its records (100% of a small
    # group is hidden for records too).
    gated = themes.gate(theme_atoms([(KENT, 2025, 1, "s", "x", "a", 12), (KENT, 2025, 1, "s", "x", "b", 20),
                                     (BARNET, 2025, 1, "s", "x", "a", 2)]))
    assert set(gated["la_code"].unique()) == {KENT, BARNET}
    assert status_of(gated.filter(pl.col("la_code") == KENT), "2025", "a") == "ok"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_hidden_theme_count_can_be_worked_out_by_the_independent_audit(seed):
    rng = random.Random(seed)
    rows = {}
    for _ in range(rng.randint(40, 160)):
        key = (rng.choice([KENT, BARNET]), rng.choice([2024, 2025]), rng.randint(1, 4), rng.choice("pqr"),
               rng.choice(["child_in_care", "care_leaver"]), rng.choice("abcdef"))
        rows[key] = rows.get(key, 0) + 1
    atoms = theme_atoms([(*k, n) for k, n in rows.items()])
    report = audit.AuditReport()
    audit.audit_atoms(atoms, report, gate_fn=themes.gate)
    # Neither worked out exactly nor narrowed below the protection level by the attacker's programme.
    assert report.findings == []
    assert report.hidden["records"] > 0


def test_quarter_and_period_labels_name_the_months_and_years_covered():
    assert themes.quarter_label("2025 Q1") == "Apr-Jun 2024"
    assert themes.quarter_label("2025 Q4") == "Jan-Mar 2025"
    assert themes.period_label("2025") == "April 2024 to March 2025"


def test_quotes_are_given_only_for_themes_whose_count_is_published(themes_db):
    con = duckdb.connect(str(themes_db), read_only=True)
    try:
        assert themes.published_themes(con, KENT) == ["having a say", "moving home"]
        assert themes.quotes(con, KENT) == {"having a say": [SHOWN_QUOTE]}
    finally:
        con.close()


def test_breakdown_chart_marks_hidden_cells_c_and_empty_ones_0():
    counts = pl.DataFrame([
        {"group": "s1", "theme": "", "records": 12}, {"group": "s1", "theme": "a", "records": None},
        {"group": "s1", "theme": "b", "records": None}, {"group": "s2", "theme": "", "records": None},
        {"group": "s2", "theme": "b", "records": None}], schema={"group": pl.String, "theme": pl.String,
                                                                  "records": pl.Int64})
    fig = theme_view.breakdown_chart(counts, themes.SOURCE, ["a", "b"])
    counts_layer, totals_layer, hidden_layer = fig.data
    # rows bottom to top: b, a, All themes; columns s1, s2
    layers = [[list(r) for r in layer.text] for layer in fig.data]
    written = [[[layer[i][j] for layer in layers if layer[i][j]] for j in range(2)] for i in range(3)]
    # each square's words are written once, by one layer (three written over each other before)
    assert written == [[["c"], ["c"]], [["c"], ["0"]], [["12"], ["c"]]]
    assert [list(r) for r in hidden_layer.z] == [[1, 1], [1, None], [None, 1]]
    assert [list(r) for r in hidden_layer.text] == [["c", "c"], ["c", ""], ["", "c"]]
    assert counts_layer.zmax >= 1     # an all-zero grid is still drawn pale, not in the top colour


def test_quote_markdown_shows_the_words_as_written():
    assert theme_view.quote_markdown("I said *this* [x](y) $5") == r"> I said \*this\* \[x\](y) \$5"


# -- you said, we did -----------------------------------------------------------------------------

ACTIONS = pl.DataFrame([
    {"action_id": "A1", "raised_on": date(2024, 5, 1), "source": "bright_spots", "indicator_id": "see_dad",
     "theme": None, "we_heard": "=HYPERLINK(\"x\")", "we_did": "Weekend family time", "status": "done",
     "reason": None, "told_children_on": date(2024, 9, 1), "owner": "Head of service"},
    {"action_id": "A2", "raised_on": date(2024, 6, 1), "source": "complaints", "indicator_id": None,
     "theme": "food", "we_heard": "Food is cold", "we_did": None, "status": "not_possible",
     "reason": "The kitchen is shared", "told_children_on": None, "owner": None},
])


def test_labels_cover_every_status_and_source_the_loader_accepts():
    assert set(act.STATUS_LABELS) == set(STATUSES)
    assert set(act.SOURCE_LABELS) == set(SOURCES)


def test_findings_now_names_each_survey_when_a_question_is_in_both():
    figs = figures_frame([figure(indicator_id="see_dad", cohort="children_in_care", value=50.0,
                                 classification="area to look at"),
                          figure(indicator_id="trust_worker", cohort="children_in_care", value=80.0,
                                 classification="bright spot"),
                          figure(indicator_id="trust_worker", cohort="care_leavers", value=70.0,
                                 classification="no clear difference")])
    assert act.findings_now(figs) == {
        "see_dad": "Area to look at",
        "trust_worker": "Care leavers: no clear difference; Children in care: bright spot"}


def test_a_hidden_finding_reads_hidden():
    figs = figures_frame([figure(indicator_id="see_dad", cohort="children_in_care", status="c")])
    assert act.findings_now(figs) == {"see_dad": "Hidden (c)"}


def test_actions_table_links_each_action_to_its_finding_and_flags_children_not_yet_told():
    table = act.actions_table(ACTIONS, {"see_dad": "Area to look at"}, default_catalogue(), 2025)
    first, second = table.to_dicts()
    assert first["Finding"] == default_catalogue().by_id()["see_dad"].title
    assert first["Finding now"] == "Area to look at"
    assert first["Status"] == "Done" and first["Children told"] == "2024-09-01"
    assert second["Finding"] == "Theme: food"
    assert second["Status"] == "Not possible" and second["Why not possible"] == "The kitchen is shared"
    assert second["Children told"] == act.NOT_TOLD


def test_a_finding_with_no_figure_this_wave_says_so():
    table = act.actions_table(ACTIONS, {}, default_catalogue(), 2021)
    assert table["Finding now"][0] == "No figure for 2021"


def test_actions_csv_neutralises_spreadsheet_formulas():
    table = act.actions_table(ACTIONS, {}, default_catalogue(), 2025)
    assert "'=HYPERLINK" in to_csv_bytes(table).decode("utf-8")


def test_status_counts_split_told_and_not_yet_told():
    counts = {r["Status"]: r for r in act.status_counts(ACTIONS).to_dicts()}
    assert (counts["Done"]["Children told"], counts["Done"][act.NOT_TOLD]) == (1, 0)
    assert (counts["Not possible"]["Children told"], counts["Not possible"][act.NOT_TOLD]) == (0, 1)
    assert counts["Planned"]["Actions"] == 0


def test_areas_to_look_at_with_no_action_leave_out_those_an_action_answers():
    figs = figures_frame([
        figure(indicator_id="see_dad", title="See dad", domain="trusting_relationships", cohort="children_in_care",
               value=50.0, classification="area to look at"),
        figure(indicator_id="see_mum", title="See mum", domain="trusting_relationships", cohort="children_in_care",
               value=40.0, ci_low=35.0, ci_high=45.0, classification="area to look at", comparator_value=55.0,
               compared_with="all loaded LAs (pool)"),
        figure(indicator_id="like_school", title="Like school", domain="opportunities", cohort="children_in_care",
               value=90.0, classification="bright spot"),
        figure(indicator_id="see_sibs", title="See siblings", domain="trusting_relationships", breakdown="gender",
               group="girl", cohort="children_in_care", value=30.0, classification="area to look at"),
    ])
    gaps = act.no_action_yet(figs, ACTIONS)
    assert gaps["Finding"].to_list() == ["See mum"]
    assert gaps.row(0, named=True)["95% interval"] == "35.0% to 45.0%"


# -- young inspectors' wording --------------------------------------------------------------------

@pytest.mark.parametrize("value,words", [(97, "Nearly all"), (95, "Nearly all"), (81, "Most"), (60, "Over half of"),
                                         (50, "About half of"), (30, "Less than half of"), (20, "Some"),
                                         (8, "A few"), (2, "Hardly any")])
def test_amount_words(value, words):
    assert yi.amount_words(value) == words


@pytest.mark.parametrize("value,text", [(81, "That is about eight in ten."), (46, "That is about five in ten."),
                                        (14.9, "That is about one in ten."), (96, None), (3, None)])
def test_in_ten_words_are_words_not_digits(value, text):
    assert yi.in_ten_words(value) == text


def test_dots_show_about_how_many_in_ten():
    assert yi.dots(76) == "●●●●●●●●○○"


# Sentences for every indicator and cohort: tests/test_plain_words.py.


def test_tiles_leave_out_hidden_and_small_groups_and_say_which():
    figs = figures_frame([
        figure(indicator_id="feel_safe_home", domain="home", cohort="children_in_care", value=81.0, base=120,
               classification="bright spot"),
        figure(indicator_id="like_bedroom", domain="home", cohort="children_in_care", value=70.0, base=25,
               low_base=True),
        figure(indicator_id="see_dad", domain="trusting_relationships", cohort="children_in_care", status="c"),
        figure(indicator_id="see_mum", domain="trusting_relationships", cohort="children_in_care", value=40.0, base=60,
               breakdown="gender", group="girl"),
    ])
    tiles, not_shown = yi.tiles(figs, default_catalogue())
    assert [(t.indicator_id, t.section) for t in tiles] == [("feel_safe_home", yi.GOING_WELL)]
    by_id = default_catalogue().by_id()
    assert not_shown == [by_id["like_bedroom"].child_friendly, by_id["see_dad"].child_friendly]


def test_readability_counts_sentences_and_long_words():
    score = yi.readability("We did it. Everybody understood everything immediately!")
    assert (score.sentences, score.words) == (2, 7)
    assert score.long_word_share == pytest.approx(4 / 7)


def test_jargon_and_numbers_are_found_but_years_are_allowed():
    assert yi.jargon_found("The LA cohort had a significant 45% rise") == ["LA", "cohort", "significant", "%"]
    assert yi.digits_found("In 2025, 7 of 30 said so") == ["7", "30"]
    assert yi.jargon_found("La la land") == []


def test_age_bands_are_written_in_words():
    assert yi.age_words("8-11") == "aged eight to eleven"
    assert yi.age_words("16-25") == "aged sixteen to twenty-five"


def test_changes_show_done_then_in_progress_and_never_planned():
    actions = pl.DataFrame([
        {"raised_on": date(2024, 1, 1), "status": "in_progress", "we_heard": "A", "we_did": "", },
        {"raised_on": date(2024, 2, 1), "status": "planned", "we_heard": "B", "we_did": ""},
        {"raised_on": date(2023, 1, 1), "status": "done", "we_heard": "C", "we_did": "Did C"},
    ])
    assert yi.changes(actions) == [("You said: C", "We did: Did C"), ("You said: A", "We are working on it.")]


# -- the pages in AppTest ---------------------------------------------------------------------------

def test_themes_page_shows_published_counts_and_c_for_a_hidden_one(monkeypatch, themes_db):
    at = open_page(monkeypatch, themes_db, THEMES_PAGE)
    assert [t.value for t in at.title] == ["Themes"]
    table = {r["Theme"]: r for r in at.main.dataframe[0].value.to_dict("records")}
    assert table["Having a say"]["Records"] == 8
    assert table["Reviews"]["Status"] == "c"
    assert table["Reviews"]["Records"] != table["Reviews"]["Records"]   # NaN: no number at all
    # One reason text for every hidden figure: "a count of 1 to 5" would tell readers it is at most 5.
    assert table["Reviews"]["Why hidden"] == PROTECTS_OTHERS


def test_themes_page_shows_the_quote_of_a_published_theme_and_never_of_a_hidden_one(monkeypatch, themes_db):
    text = page_text(open_page(monkeypatch, themes_db, THEMES_PAGE))
    assert SHOWN_QUOTE.rstrip(".") in text
    assert HIDDEN_QUOTE.rstrip(".") not in text


def test_themes_page_never_shows_a_record_id_or_date(monkeypatch, themes_db):
    at = open_page(monkeypatch, themes_db, THEMES_PAGE)
    shown = page_text(at) + "".join(df.value.to_csv() for df in at.main.dataframe)
    assert "TH0" not in shown and "2024-05" not in shown


def test_themes_breakdown_choice_changes_the_table(monkeypatch, themes_db):
    at = open_page(monkeypatch, themes_db, THEMES_PAGE)
    assert "Where it was heard" in at.main.dataframe[1].value.columns
    at.radio(key="themes_breakdown").set_value(themes.SAID_BY).run()
    open_folded_parts(at)
    assert "Who said it" in at.main.dataframe[1].value.columns
    assert set(at.main.dataframe[1].value["Who said it"]) == {"Children in care"}


def test_themes_page_says_when_an_la_has_no_themes(monkeypatch, kent_survey_db):
    at = open_page(monkeypatch, kent_survey_db, THEMES_PAGE)
    assert any("No themes are loaded for Kent" in i.value for i in at.main.info)
    assert not at.main.dataframe


def test_themes_page_on_the_demo_marks_hidden_counts(monkeypatch, demo_db):
    # Hartlepool is the smallest demo LA: some of its theme counts are small enough to hide.
    at = open_page(monkeypatch, demo_db, THEMES_PAGE, la="E06000001")
    table = at.main.dataframe[0].value
    assert "c" in set(table["Status"])
    assert table[table["Status"] == "c"]["Records"].isna().all()


def test_themes_page_changes_with_the_period_and_the_la(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, THEMES_PAGE, la=KENT)
    all_years = at.main.metric[0].value
    at.selectbox(key="themes_period").set_value("2025").run()
    assert at.main.metric[0].value != all_years
    assert "April 2024 to March 2025" in page_text(at)
    at.selectbox(key="sel_la").set_value("E08000025").run()
    assert [h.value for h in at.main.header][0] == "What was raised in Birmingham"


def test_actions_page_lists_each_action_with_its_finding_and_whether_children_were_told(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, ACTIONS_PAGE, la=KENT)
    assert [t.value for t in at.title] == ["You said, we did"]
    table = at.main.dataframe[1].value
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        n, not_told = con.execute("SELECT count(*), count(*) FILTER (WHERE told_children_on IS NULL) FROM actions "
                                  "WHERE la_code = ?", [KENT]).fetchall()[0]
    finally:
        con.close()
    assert len(table) == n
    assert (table["Children told"] == act.NOT_TOLD).sum() == not_told
    assert {"Finding", "Finding now", "We heard", "We did", "Status"} <= set(table.columns)


def test_actions_status_filter_changes_the_table(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, ACTIONS_PAGE, la=KENT)
    before = len(at.main.dataframe[1].value)
    at.multiselect(key="actions_status").set_value(["done"]).run()
    after = at.main.dataframe[1].value
    assert 0 < len(after) < before
    assert set(after["Status"]) == {"Done"}


def test_actions_page_lists_areas_to_look_at_that_have_no_action(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, ACTIONS_PAGE, la=BARNET)   # the demo LA with no action yet
    assert any("No actions are recorded for Barnet" in i.value for i in at.main.info)
    gaps = at.main.dataframe[0].value
    assert len(gaps) > 0
    assert [h.value for h in at.main.header][-1] == "Areas to look at with no action yet"


def test_choosing_another_la_changes_the_actions(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, ACTIONS_PAGE, la=KENT)
    kent = at.main.dataframe[1].value["We heard"].tolist()
    at.selectbox(key="sel_la").set_value("E08000025").run()
    assert [h.value for h in at.main.header][0] == "Actions in Birmingham"
    assert at.main.dataframe[1].value["We heard"].tolist() != kent


def _peoples_own_words(db: Path, la: str) -> list[str]:
    """The LA's and young people's own words shown on the page (actions and quotes): not ours to reword."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT we_heard, we_did FROM actions WHERE la_code = ? UNION ALL "
                           "SELECT quote, NULL FROM themes WHERE la_code = ? AND quote_publishable", [la, la]).fetchall()
    finally:
        con.close()
    return sorted({" ".join(str(v).split()) for r in rows for v in r if v}, key=len, reverse=True)


def _own_text(at: AppTest, db: Path, la: str) -> str:
    text = page_text(at)
    for words in _peoples_own_words(db, la):
        text = text.replace(words, " ")
    return text


@pytest.mark.parametrize("cohort", ["children_in_care", "care_leavers"])
def test_young_inspectors_page_has_no_jargon_and_no_numbers_but_years(monkeypatch, demo_db, cohort):
    at = open_page(monkeypatch, demo_db, YI_PAGE, la=KENT, cohort=cohort)
    text = _own_text(at, demo_db, KENT)
    assert "young people" in text
    assert yi.jargon_found(text) == []
    assert yi.digits_found(text) == []


def test_young_inspectors_page_is_easy_to_read(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, YI_PAGE, la=KENT)
    score = yi.readability(_own_text(at, demo_db, KENT))
    assert score.words_per_sentence <= 12
    assert score.long_word_share <= 0.1


def test_young_inspectors_page_shows_big_tiles_quotes_and_what_changed(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, YI_PAGE, la=KENT)
    headers = [h.value for h in at.main.header]
    assert {yi.HEADINGS[yi.GOING_WELL], yi.QUOTES_HEADING, yi.CHANGES_HEADING} <= set(headers)
    tiles = [h.value for h in at.main.html if "role=\"img\"" in h.value]
    assert len(tiles) > 10
    assert any("You said:" in h.value and "We did:" in h.value for h in at.main.html)


def test_young_inspectors_page_changes_with_whose_views(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, YI_PAGE, la=KENT)
    in_care = [m.value for m in at.main.markdown][0]
    at.radio(key="sel_cohort").set_value("care_leavers").run()
    assert [m.value for m in at.main.markdown][0] != in_care
    assert "young people who have left care" in [m.value for m in at.main.markdown][0]


def _shown_quotes(at: AppTest) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", h.value)).strip("“”")
            for h in at.main.html if h.value.startswith("<blockquote")]


def _said_by(db: Path, la: str, cohort: str) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT quote FROM themes WHERE la_code = ? AND cohort = ? AND quote_publishable",
                           [la, cohort]).fetchall()
    finally:
        con.close()
    return {" ".join(r[0].split()) for r in rows}


@pytest.mark.parametrize("cohort", ["children_in_care", "care_leavers"])
def test_young_inspectors_quotes_are_the_cohorts_own_words(monkeypatch, demo_db, cohort):
    """Never a parent's words (or another group's) under "things young people said"."""
    at = open_page(monkeypatch, demo_db, YI_PAGE, la=KENT, cohort=cohort)
    shown = _shown_quotes(at)
    assert shown, "the demo has quotes for both cohorts"
    assert set(shown) <= _said_by(demo_db, KENT, yi.THEMES_COHORT[cohort])
    assert "The family worker made things calmer at home." not in shown
    # nor words written in another group's voice (a care leaver's flat on the children's page)
    from dashboard.demo.heard import THEMES
    others = {q for who, _, quotes in THEMES.values() if who != yi.THEMES_COHORT[cohort] for q in quotes}
    assert not set(shown) & others


def test_young_inspectors_actions_are_those_answering_the_cohort():
    catalogue = default_catalogue()
    actions = pl.DataFrame({"action_id": ["A", "B", "C", "D"], "indicator_id": ["see_mum", "coping_financially", None, None],
                            "theme": [None, None, "loneliness", "help for parents"]})
    in_care = yi.cohort_actions(actions, "children_in_care", catalogue, {"contact with family"})
    leavers = yi.cohort_actions(actions, "care_leavers", catalogue, {"loneliness"})
    assert in_care["action_id"].to_list() == ["A"]
    assert leavers["action_id"].to_list() == ["B", "C"]


def test_an_action_for_one_group_is_not_shown_to_the_other_on_a_question_both_are_asked():
    """Issue 12: 'Every care leaver is offered a data bundle' (internet access, asked in both surveys)
    was under 'You said, we did' on the children in care's page."""
    catalogue = default_catalogue()
    actions = pl.DataFrame({"action_id": ["A", "B", "C"], "indicator_id": ["internet_access"] * 3,
                            "theme": [None, None, None], "cohort": ["care_leavers", "children_in_care", None]})
    assert yi.cohort_actions(actions, "children_in_care", catalogue, set())["action_id"].to_list() == ["B", "C"]
    assert yi.cohort_actions(actions, "care_leavers", catalogue, set())["action_id"].to_list() == ["A", "C"]


def test_a_hatched_bars_count_is_written_past_its_end_never_on_the_hatching():
    """Issue 12: a number on a hatched bar ('not yet told') was drawn on the hatching, where it cannot be
    read. The hatched bar is the last of the stack and its count is outside it, in dark text on white."""
    from dashboard.ui import actions as act

    counts = pl.DataFrame({"Status": ["Done", "Planned"], "Children told": [4, 0], act.NOT_TOLD: [0, 2],
                           "Actions": [4, 2]})
    fig = act.status_chart(counts)
    told, not_told = fig.data
    assert not_told.marker.pattern.shape == "/"
    assert not_told.textposition == "outside" and not_told.outsidetextfont.color == "#0b0c0c"
    assert told.marker.pattern.shape in (None, "")           # the plain bar keeps its count inside
    assert fig.layout.xaxis.range[1] > 4                     # room past the longest bar for its count
