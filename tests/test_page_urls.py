"""Every page choice is in the address bar: a link with ?by=..., ?funnel=..., ?said_by=... opens the
page with that choice, the choice is written back when changed, and an unknown value is ignored.
Also: the domain download is numeric, and quotes can be filtered by theme and by who said them."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, open_folded_parts

APP = ROOT / "dashboard" / "app.py"
KENT = "E10000016"
DOMAINS, THEMES, ACTIONS = "../pages/domains.py", "../pages/themes.py", "../pages/actions.py"
pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


def open_page(monkeypatch, db: Path, page: str, open_folded: bool = True, **params) -> AppTest:
    monkeypatch.setenv("VOICE_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    for k, v in {"la": KENT, "wave": "2025", **params}.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(page).run()
    if open_folded:
        open_folded_parts(at)    # as a reader opening every folded part: each chart's table, each section
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_breakdown_and_funnel_choice_come_from_the_link(monkeypatch, demo_db):
    """The link opens the folded sections its choices are in, with those choices."""
    at = open_page(monkeypatch, demo_db, DOMAINS, open_folded=False, domain="home", by="placement_type",
                   funnel="feel_settled")
    assert at.radio(key="domain_breakdown").value == "placement_type"
    assert at.selectbox(key="funnel_indicator").value == "feel_settled"


def test_domains_breakdowns_and_funnel_are_folded_away_until_opened(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DOMAINS, open_folded=False, domain="home")
    assert not [r for r in at.radio if r.key == "domain_breakdown"]
    assert not [s for s in at.selectbox if s.key == "funnel_indicator"]
    drawn = len(at.get("plotly_chart"))
    at.session_state["open_breakdowns"] = True          # the reader opens the breakdowns
    at.run()
    assert at.radio(key="domain_breakdown").value == "age_band"
    assert len(at.get("plotly_chart")) == drawn + 1
    assert not [s for s in at.selectbox if s.key == "funnel_indicator"]


def test_a_link_opens_only_the_section_its_choice_is_in(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DOMAINS, open_folded=False, domain="home", funnel="feel_settled")
    assert at.selectbox(key="funnel_indicator").value == "feel_settled"
    assert not [r for r in at.radio if r.key == "domain_breakdown"]


def test_closing_a_section_takes_its_choice_out_of_the_address_bar(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DOMAINS, open_folded=False, domain="home", by="gender")
    assert "by" in at.query_params
    at.session_state["open_breakdowns"] = False          # the reader folds the breakdowns away
    at.run()
    assert "by" not in at.query_params
    assert not [r for r in at.radio if r.key == "domain_breakdown"]


def test_a_changed_choice_is_written_to_the_address_bar(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DOMAINS, domain="home")
    at.radio(key="domain_breakdown").set_value("gender").run()
    assert at.query_params["by"] == ["gender"] or at.query_params["by"] == "gender"


def test_an_unknown_choice_in_the_link_is_not_used_and_the_page_says_so(monkeypatch, demo_db):
    """Issue 12: a link whose page choice had a value the page does not offer was silently ignored.
    The page now says what the link asked for and what it shows instead, until the reader chooses."""
    at = open_page(monkeypatch, demo_db, DOMAINS, domain="home", by="shoe_size", funnel="nothing")
    assert at.radio(key="domain_breakdown").value == "age_band"          # the first choice
    assert at.selectbox(key="funnel_indicator").value != "nothing"
    said = link_warnings(at)
    assert "the breakdown 'shoe\\_size'" in said or "the breakdown 'shoe_size'" in said, said
    assert "showing Age band instead" in said, said
    assert "funnel plot's indicator 'nothing'" in said, said
    at.radio(key="domain_breakdown").set_value("gender").run()          # the reader chooses: the link no longer matters
    assert "shoe" not in link_warnings(at) and "funnel plot's indicator 'nothing'" in link_warnings(at)


def test_an_unknown_value_among_several_is_said_and_the_known_ones_kept(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, ACTIONS, status="done,lost")
    assert at.multiselect(key="actions_status").value == ["done"]
    assert "the status filter 'lost'" in link_warnings(at)


def test_quotes_filter_by_who_said_them_and_by_theme(monkeypatch, demo_db):
    everyone = open_page(monkeypatch, demo_db, THEMES)
    leavers = open_page(monkeypatch, demo_db, THEMES, said_by="care_leaver")
    assert leavers.selectbox(key="quotes_cohort").value == "care_leaver"
    quotes = lambda at: [m.value for m in at.markdown if m.value.startswith("> ")]      # noqa: E731
    assert quotes(leavers) and set(quotes(leavers)) < set(quotes(everyone))
    one = "money and housing"          # a care leavers' theme of the demo
    themed = open_page(monkeypatch, demo_db, THEMES, said_by="care_leaver", quote_themes=one)
    assert themed.multiselect(key="quotes_themes").value == [one]
    assert 0 < len(quotes(themed)) < len(quotes(leavers))


def test_the_actions_filters_come_from_the_link(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, ACTIONS, status="done,in_progress")
    assert at.multiselect(key="actions_status").value == ["done", "in_progress"]


def test_the_domain_download_is_numeric_with_hidden_figures_blank(demo_db):
    import duckdb

    from dashboard.catalogue import default_catalogue
    from dashboard.engine.figures import Selection, indicator_table
    from dashboard.exports import to_csv_bytes
    from dashboard.ui import downloads
    from dashboard.ui import overview as ov

    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        table = indicator_table(con, Selection(KENT, 2025, "home", "gender"), default_catalogue())
    finally:
        con.close()
    frame = pd.read_csv(io.BytesIO(to_csv_bytes(downloads.numeric(ov.voice(table)))))
    assert {"value", "lower_95", "upper_95", "base", "status"} <= set(frame.columns)
    for col in ("value", "lower_95", "upper_95", "base"):
        assert pd.api.types.is_numeric_dtype(frame[col]), col
    hidden = frame[frame["status"] != "ok"]
    assert len(hidden) > 0 and hidden[["value", "lower_95", "upper_95", "base"]].isna().all().all()
    assert not frame.astype(str).apply(lambda c: c.str.contains("%| points|[0-9] to [0-9]", regex=True)).any().any()


# -- a link with page choices is not reported as "could not be shown" --------------------------------

def link_warnings(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning if "could not be shown" in w.value)


def test_a_domains_link_with_its_choices_shows_no_link_warning(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DOMAINS, domain="home", by="gender", funnel="feel_settled")
    assert link_warnings(at) == ""
    assert at.radio(key="domain_breakdown").value == "gender"
    assert at.selectbox(key="funnel_indicator").value == "feel_settled"


def test_a_themes_link_with_its_choices_shows_no_link_warning(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, THEMES, period="all", themes_by="said_by", said_by="care_leaver")
    assert link_warnings(at) == ""
    assert at.selectbox(key="themes_period").value == "all"
    assert at.radio(key="themes_breakdown").value == "said_by"
    assert at.selectbox(key="quotes_cohort").value == "care_leaver"


def test_every_page_choice_in_the_pages_is_a_known_link_part():
    """A page's ?param= is declared once (url.PAGE_PARAMS), so the link check knows it: a param used
    in pages/ but not declared would be reported as 'ignored' on every link that carries it."""
    import re

    from dashboard.ui import selection, url

    used = {m for page in (ROOT / "pages").glob("*.py")
            for m in re.findall(r"""param=["']([a-z_]+)["']""", page.read_text(encoding="utf-8"))}
    assert used and used <= set(url.PAGE_PARAMS), used - set(url.PAGE_PARAMS)
    _, problems = selection.url_problems({p: "x" for p in url.PAGE_PARAMS}, {})
    assert problems == []


# -- the DfE page's "Show" and the panel report's groups are in the address bar too ---------------------

DFE, PANEL = "../pages/dfe_metrics.py", "../pages/panel_report.py"


def query_param(at: AppTest, name: str) -> str:
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def test_the_dfe_show_choice_comes_from_the_link_and_goes_back_to_it(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DFE, show="enabler")
    assert link_warnings(at) == ""
    assert at.radio(key="dfe_show").value == "enabler"
    at.radio(key="dfe_show").set_value("outcome").run()
    assert query_param(at, "show") == "outcome"


def test_the_panel_report_groups_come_from_the_link_and_go_back_to_it(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, PANEL, both="yes")
    assert link_warnings(at) == ""
    assert at.toggle(key="report_both").value is True
    assert any("children in care and care leavers, all ages" in m.value for m in at.markdown)
    at.toggle(key="report_both").set_value(False).run()
    assert query_param(at, "both") == "no"


def test_an_unknown_toggle_value_in_the_link_is_not_used_and_the_page_says_so(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, PANEL, both="maybe")
    assert at.toggle(key="report_both").value is False
    assert "'maybe', which this page does not offer (only yes or no); showing no instead" in link_warnings(at)


@pytest.mark.parametrize("page,key", [("../pages/listening.py", "listening_year"), ("../pages/statement.py", "statement_year")])
def test_the_reporting_year_comes_from_the_link_and_goes_back_to_it(monkeypatch, demo_db, page, key):
    at = open_page(monkeypatch, demo_db, page, year="2024")
    assert link_warnings(at) == ""
    assert at.selectbox(key=key).value == 2024
    at.selectbox(key=key).set_value(2025).run()
    assert query_param(at, "year") == "2025"


# -- the catalogue search and the self-assessment's activity are in the address bar too ----------------

METHODS, LISTENING = "../pages/data_and_methods.py", "../pages/listening.py"


def test_the_catalogue_search_comes_from_the_link_and_goes_back_to_it(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, METHODS, search="bedroom")
    assert link_warnings(at) == ""
    assert at.text_input(key="catalogue_search").value == "bedroom"
    assert any("match 'bedroom'" in c.value for c in at.caption)
    at.text_input(key="catalogue_search").set_value("care leavers").run()
    assert query_param(at, "search") == "care leavers"
    at.text_input(key="catalogue_search").set_value("").run()
    assert "search" not in at.query_params


def test_the_self_assessments_activity_comes_from_the_link_and_goes_back_to_it(monkeypatch, demo_db):
    import duckdb

    from dashboard.statement import register

    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        first, last = register.reporting_year(2025)
        activities = [a.activity_id for a in register.activities(con, KENT) if a.active_between(first, last)]
    finally:
        con.close()
    assert len(activities) >= 2
    other = activities[1]
    at = open_page(monkeypatch, demo_db, LISTENING, year="2025", activity=other)
    assert link_warnings(at) == ""
    assert at.selectbox(key="lundy_activity").value == other
    at.selectbox(key="lundy_activity").set_value(activities[0]).run()
    assert query_param(at, "activity") == activities[0]
