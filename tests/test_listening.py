"""The "How we listen" map (asks per quarter, routes, what findings led to), the Lundy
self-assessment, and the two new pages in AppTest."""
from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.statement import lundy, register, sidefile
from dashboard.statement.register import Activity, Settings
from tests.conftest import ROOT, copy_db

APP = ROOT / "dashboard" / "app.py"
KENT = "E10000016"
S = Settings(max_asks_per_quarter=3, asks_per_quarter={"monthly": 3, "quarterly": 1, "ongoing": 0})


def act(aid="A1", kind="survey", cohorts=("child_in_care",), often="monthly", start=date(2020, 1, 1), end=None,
        source=None, themes=()) -> Activity:
    return Activity(aid, f"Activity {aid}", kind, tuple(cohorts), None, None, often, None, None, None, source,
                    tuple(themes), start, end)


def test_a_yearly_activity_asks_once_in_the_quarter_of_its_start_month():
    a = act(often="yearly", start=date(2019, 11, 15))
    assert [register.asks_in_quarter(a, f, l, S) for _, f, l in register.quarters(2025)] == [0, 0, 1, 0]


def test_a_twice_yearly_activity_asks_in_its_start_quarter_and_two_later():
    a = act(often="twice_yearly", start=date(2019, 5, 1))
    assert [register.asks_in_quarter(a, f, l, S) for _, f, l in register.quarters(2025)] == [1, 0, 1, 0]


def test_an_activity_asks_only_while_it_runs():
    a = act(often="monthly", start=date(2024, 8, 1), end=date(2024, 12, 31))
    assert [register.asks_in_quarter(a, f, l, S) for _, f, l in register.quarters(2025)] == [0, 3, 3, 0]


def test_a_cohort_asked_more_than_the_threshold_in_a_quarter_is_flagged():
    acts = [act("A1", often="monthly"), act("A2", often="quarterly"), act("A3", cohorts=("care_leaver",))]
    asks = register.asks_table(acts, 2025, S)
    flagged = asks.filter(pl.col("too_often"))
    assert set(flagged["cohort"]) == {"child_in_care"} and flagged.height == 4
    assert flagged["asks"].to_list() == [4, 4, 4, 4]
    assert not asks.filter(pl.col("cohort") == "care_leaver")["too_often"].any()


def test_routes_that_are_always_open_count_as_routes_but_not_as_asking():
    acts = [act("A1", kind="advocacy", often="ongoing", cohorts=("child_protection",))]
    routes = register.routes_table(acts, 2025)
    row = routes.filter(pl.col("cohort") == "child_protection").row(0, named=True)
    assert (row["routes"], row["asking_routes"], row["nobody_asks"]) == (1, 0, False)
    assert register.asks_table(acts, 2025, S)["asks"].sum() == 0


def test_cohorts_with_no_activity_in_the_year_are_nobodys():
    acts = [act("A1", cohorts=("child_in_care",)), act("A2", cohorts=("early_help",), end=date(2023, 1, 1))]
    nobody = register.routes_table(acts, 2025).filter(pl.col("nobody_asks"))["cohort"].to_list()
    assert "early_help" in nobody and "child_in_care" not in nobody


def test_actions_link_to_an_activity_by_source_or_theme():
    actions = pl.DataFrame({"source": ["children_in_care_council", "complaints", "other"],
                            "theme": [None, "Contact with family", None], "status": ["done", "in_progress", "done"],
                            "told_children_on": [date(2024, 5, 1), None, None]})
    a = act(source="children_in_care_council", themes=("contact with family",))
    (loop,) = register.loops([a], actions)
    assert (loop.actions, loop.by_status, loop.told, loop.last_told) == (2, {"done": 1, "in_progress": 1}, 1, date(2024, 5, 1))
    (unlinked,) = register.loops([act()], actions)
    assert not unlinked.led_to_action


def _answers(**given: str) -> dict[str, sidefile.Entry]:
    return {q: sidefile.Entry("lundy", KENT, f"A1/{q}", v, "", "lead", "2025-01-01T00:00:00+00:00")
            for q, v in given.items()}


def test_the_loop_breaks_at_audience_when_views_are_gathered_but_nobody_hears_them():
    s = lundy.assess("A1", _answers(space_safe="yes", space_inclusive="yes", voice_informed="yes", voice_choice="yes",
                                    audience_decision_maker="no", audience_on_time="no",
                                    influence_action="no", influence_told="no"))
    assert (s.breaks_at, s.summary) == ("audience", "views gathered, no audience")


def test_the_loop_breaks_at_influence_when_there_is_an_audience_but_nothing_changes():
    s = lundy.assess("A1", _answers(**{q: "yes" for q in lundy.question_ids()} | {"influence_action": "partly"}))
    assert (s.breaks_at, s.element_state["influence"], s.summary) == ("influence", "partly", "audience, no influence")


def test_an_activity_with_no_answers_is_not_assessed_and_all_yes_is_a_complete_loop():
    assert lundy.assess("A1", {}).summary == "not assessed yet"
    assert lundy.assess("A1", _answers(**{q: "yes" for q in lundy.question_ids()})).summary == "the loop is complete"


def test_the_latest_lundy_answer_wins_and_keeps_who_gave_it(tmp_path):
    db = tmp_path / "x.duckdb"
    sidefile.save_lundy(db, KENT, "A1", "space_safe", "no", "Officer")
    sidefile.save_lundy(db, KENT, "A1", "space_safe", "yes", "Participation Lead")
    got = sidefile.lundy_answers(db, KENT)["A1"]["space_safe"]
    assert (got.value, got.by) == ("yes", "Participation Lead")


# -- the pages --------------------------------------------------------------------------------------
pytestmark_pages = pytest.mark.usefixtures("fresh_streamlit_caches")


def _open(monkeypatch, db, page: str) -> AppTest:
    monkeypatch.setenv("VOICE_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["sel_la"] = KENT
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytestmark_pages
def test_how_we_listen_page_shows_the_map_and_saves_lundy_answers(monkeypatch, demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path)
    at = _open(monkeypatch, db, "../pages/listening.py")
    assert [h.value for h in at.header][:2] == ["Who is asked, and by how many routes: Kent", "How often each group is asked"]
    at.selectbox(key="listening_year").set_value(2025).run()
    for e in lundy.elements():
        for q in e.questions:
            at.radio(key=f"lundy_LISTEN-886-01_{q.id}").set_value("no" if e.id in ("audience", "influence") else "yes")
    at.text_input(key="lundy_who").set_value("Participation Lead")
    at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    saved = sidefile.lundy_answers(db, KENT)["LISTEN-886-01"]
    assert len(saved) == len(lundy.question_ids()) and {e.by for e in saved.values()} == {"Participation Lead"}
    assert any("views gathered, no audience" in m.value for m in at.markdown)


@pytestmark_pages
def test_statement_page_drafts_both_versions_with_downloads(monkeypatch, demo_db):
    at = _open(monkeypatch, demo_db, "../pages/statement.py")
    at.selectbox(key="statement_year").set_value(2025).run()
    assert not at.exception
    subheaders = [s.value for s in at.subheader]
    assert "How we listen and respond to children and young people: Kent, 2025" in subheaders
    assert "How we listen to you: Kent, 2025" in subheaders


def test_the_demo_has_synthetic_lundy_answers_showing_where_loops_break(demo_db):
    import duckdb

    from dashboard.demo.activities import ANSWERED_BY

    answers = sidefile.lundy_answers(demo_db, KENT)
    assert answers and {e.by for a in answers.values() for e in a.values()} == {ANSWERED_BY}
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        ids = {a.activity_id for a in register.activities(con, KENT)}
    finally:
        con.close()
    assert set(answers) <= ids, "the demo's answers name activities its register does not have"
    summaries = {lundy.assess(i, answers.get(i, {})).summary for i in ids}
    assert {"views gathered, no audience", "audience, no influence"} & summaries
