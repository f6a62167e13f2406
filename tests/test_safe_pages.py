"""Safe pages: tampered links get a message (never a traceback or a silent switch), data text is
shown as text (never markdown, HTML or a link), action text that may name someone is held back,
and an error on a page shows a reference id, not its details."""
from __future__ import annotations

import logging
import re
import tomllib
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from dashboard import publishable
from dashboard.loaders import loader_for, run_load
from dashboard import store
from dashboard.ui import safe, selection
from tests.conftest import GOOD_INPUTS, ROOT, copy_db

APP = ROOT / "dashboard" / "app.py"
KENT = "E10000016"
INJECTION = "![x](http://127.0.0.1:8999/beacon.png) [click here to sign in](http://127.0.0.1:8999/login)"
# A browser-like markdown renderer (CommonMark, HTML on, bare URLs linked as GitHub's markdown does).
MD = MarkdownIt("commonmark", {"html": True, "linkify": True}).enable(["linkify", "strikethrough", "table"])

pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


def rendered(markdown: str) -> str:
    return MD.render(markdown)


def load(db: Path, kind: str, files: list[Path]) -> None:
    con = store.connect(db)
    try:
        run_load(con, loader_for(kind), files)
    finally:
        con.close()


def write_csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    """Kent's survey, themes whose name and quote carry markdown/HTML injection (enough records to be
    shown), and actions: one plain, one whose free text names someone."""
    tmp = tmp_path_factory.mktemp("hostile")
    db = tmp / "hostile.duckdb"
    load(db, "bright-spots", [GOOD_INPUTS / "bright-spots" / "kent_2024_long.csv"])
    rows = []
    for i in range(8):
        quote = f'"{INJECTION}"' if i == 0 else ""
        rows.append(f'TH{i:03d},{KENT},2024-05-{i + 1:02d},children_in_care_council,child_in_care,'
                    f'"<a href=""http://evil.example"">having a say</a> :red[loud]",{quote},{"yes" if quote else ""}')
    for i in range(8, 15):
        rows.append(f"TH{i:03d},{KENT},2024-05-{i + 1:02d},children_in_care_council,child_in_care,moving home,,")
    load(db, "themes", [write_csv(tmp / "themes.csv", "record_id,la_code,date,source,cohort,theme,quote,quote_consent",
                                  rows)])
    load(db, "actions", [write_csv(tmp / "actions.csv",
                                   "action_id,la_code,raised_on,source,indicator_id,theme,we_heard,we_did,status,reason,"
                                   "told_children_on,owner",
                                   [f"A1,{KENT},2024-01-10,bright_spots,like_bedroom,,some children do not like their "
                                    "bedrooms,a decoration budget for every foster home,done,,2024-04-01,Head of fostering",
                                    f"A2,{KENT},2024-02-10,feedback,,moving home,ask Jordan Smith about his move,"
                                    "we phoned his carer on 07700 900123,done,,2024-04-01,Service manager"])])
    return db


def open_app(monkeypatch, db: Path, page: str | None = None, **params: str) -> AppTest:
    monkeypatch.setenv("VOICE_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def warnings(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)


# -- every URL parameter checked -------------------------------------------------------------------

OPTIONS = {KENT: {"la_name": "Kent"}}


def test_a_three_digit_la_code_is_named_as_not_a_code():
    wanted, problems = selection.url_problems({"la": "886"}, OPTIONS)
    assert wanted == {} and "not a local authority code" in problems[0]


def test_an_unknown_la_code_is_named_as_having_no_data():
    wanted, problems = selection.url_problems({"la": "E99999999"}, OPTIONS)
    assert wanted == {} and "E99999999, which has no data here" in problems[0]


@pytest.mark.parametrize("wave", ["²", "1" * 5000, "2024.0", "-2024", " 2024", "٢٠٢٤"])
def test_a_wave_that_is_not_four_ascii_digits_is_refused(wave):
    wanted, problems = selection.url_problems({"wave": wave}, OPTIONS)
    assert wanted == {} and "is not a year" in problems[0]


def test_a_long_value_is_quoted_back_cut_short():
    _, problems = selection.url_problems({"wave": "9" * 5000}, OPTIONS)
    assert len(problems[0]) < 200


def test_an_age_band_of_the_other_cohort_is_refused():
    wanted, problems = selection.url_problems({"cohort": "care_leavers", "age": "4-7"}, OPTIONS)
    assert wanted == {"cohort": "care_leavers"} and "does not go with care leavers" in problems[0]


def test_an_unknown_parameter_is_named_as_ignored():
    _, problems = selection.url_problems({"foo": "1"}, OPTIONS)
    assert problems == ["The link has parts this dashboard does not use, so they were ignored: 'foo'."]


def test_a_valid_link_has_no_problems():
    wanted, problems = selection.url_problems({"la": KENT, "wave": "2024", "cohort": "care_leavers",
                                               "age": "16-25", "domain": "relationships"}, OPTIONS)
    assert problems == [] and wanted == {"la": KENT, "wave": 2024, "cohort": "care_leavers", "age": "16-25"}


@pytest.mark.parametrize("params,said", [
    ({"wave": "²"}, "is not a year"),
    ({"wave": "7" * 5000}, "is not a year"),
    ({"la": "886"}, "not a local authority code"),
    ({"la": "E99999999"}, "which has no data here"),
    ({"wave": "1999"}, "which Kent has no data for"),
])
def test_a_tampered_link_shows_a_message_on_the_page(monkeypatch, kent_survey_db, params, said):
    at = open_app(monkeypatch, kent_survey_db, **params)
    assert "could not be shown exactly as asked" in warnings(at)
    assert said in warnings(at)
    assert "Showing Kent, 2024 instead" in warnings(at)


def test_the_link_message_stays_while_the_page_shows_what_the_link_led_to(monkeypatch, kent_survey_db):
    at = open_app(monkeypatch, kent_survey_db, wave="²")
    at.sidebar.radio(key="sel_cohort").set_value("care_leavers").run()
    at.sidebar.radio(key="sel_cohort").set_value("children_in_care").run()
    assert "could not be shown" in warnings(at)      # same LA and wave: still what the link led to
    # (the wave chooser has one wave for Kent, so a new LA or wave cannot be picked here)


def test_a_valid_link_shows_no_message(monkeypatch, kent_survey_db):
    at = open_app(monkeypatch, kent_survey_db, la=KENT, wave="2024", cohort="children_in_care", age="all")
    assert "could not be shown" not in warnings(at)


# -- no error details in the browser --------------------------------------------------------------

def test_streamlit_is_configured_to_show_no_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def test_an_error_on_a_page_shows_a_reference_and_logs_the_details(monkeypatch, hostile_db, caplog):
    from dashboard.engine import themes

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail /srv/private/path")

    monkeypatch.setattr(themes, "periods", broken)
    caplog.set_level(logging.ERROR, logger="voice_dashboard.pages")
    at = open_app(monkeypatch, hostile_db, "../pages/themes.py")
    shown = "\n".join(e.value for e in at.error)
    ref = re.search(r"reference: \*\*([0-9a-f]{8})\*\*", shown)
    assert ref, shown
    assert "/srv/private/path" not in shown and "RuntimeError" not in shown
    logged = [r for r in caplog.records if ref.group(1) in r.getMessage()]
    assert logged and "secret detail /srv/private/path" in str(logged[0].exc_info[1])


def test_a_database_damaged_while_the_dashboard_runs_is_named_as_such_with_a_reference(monkeypatch, hostile_db, caplog):
    """A block that fails its checksum once the dashboard runs (serve read every value at start)
    is not a fault of the page: the reader is told the data cannot be read and to pass the
    reference on, and the log says how to restore."""
    import duckdb

    from dashboard.engine import themes

    def unreadable(*args, **kwargs):
        raise duckdb.Error("Corrupt database file: computed checksum 1 does not match stored checksum 2 "
                           "in block at location 8138752")

    monkeypatch.setattr(themes, "periods", unreadable)
    caplog.set_level(logging.ERROR, logger="voice_dashboard.pages")
    at = open_app(monkeypatch, hostile_db, "../pages/themes.py")
    shown = "\n".join(e.value for e in at.error)
    ref = re.search(r"reference: \*\*([0-9a-f]{8})\*\*", shown)
    assert ref and "The database cannot be read: part of it is damaged" in shown, shown
    assert "checksum" not in shown and "8138752" not in shown
    logged = [r.getMessage() for r in caplog.records if ref.group(1) in r.getMessage()]
    assert logged and "voice-dashboard restore" in logged[0]


# -- data text is text ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", [INJECTION, "<img src=x onerror=alert(1)>", "www.evil.example", "a@evil.example",
                                  "# heading", "1. list", "- item", ":red[loud] :material/warning:", "&lt;b&gt;",
                                  "`code` ~~strike~~ $x^2$ | a | b |"])
def test_plain_text_renders_as_one_paragraph_without_links_images_or_tags(text):
    html = rendered(safe.plain(text))
    assert html.startswith("<p>") and html.count("<p>") == 1
    for tag in ("<a ", "<img", "<h1", "<ol", "<ul", "<code", "<del", "<table", "<b>"):
        assert tag not in html, (text, html)


def test_an_injected_quote_renders_literally_on_the_themes_page(monkeypatch, hostile_db):
    at = open_app(monkeypatch, hostile_db, "../pages/themes.py")
    quotes = [m.value for m in at.markdown if "beacon" in m.value]
    assert len(quotes) == 1
    html = rendered(quotes[0])
    assert "<img" not in html and "<a " not in html
    assert "![x](http://127.0.0.1:8999/beacon.png)" in html.replace("&quot;", '"').replace(safe.JOINER, "")


def test_a_theme_name_with_html_renders_as_text_on_the_page(monkeypatch, hostile_db):
    at = open_app(monkeypatch, hostile_db, "../pages/themes.py")
    names = [m.value for m in at.markdown if "having a say" in m.value]
    assert names
    for name in names:
        html = rendered(name)
        assert "<a " not in html and "&lt;a href" in html


def test_a_theme_name_with_html_is_escaped_in_the_chart(monkeypatch, hostile_db):
    at = open_app(monkeypatch, hostile_db, "../pages/themes.py")
    charts = [c for c in at.get("plotly_chart")]
    spec = "\n".join(c.proto.spec for c in charts)
    assert "having a say" in spec and "<a href" not in spec and "&lt;a href" in spec


# -- action text checked for names ----------------------------------------------------------------

def test_action_text_with_a_name_is_held_back():
    assert publishable.shown_text("ask Jordan Smith about his move") == publishable.HELD_BACK


def test_action_text_with_a_phone_number_is_held_back():
    assert publishable.shown_text("we phoned his carer on 07700 900123") == publishable.HELD_BACK


def test_very_long_action_text_is_held_back_without_a_check():
    assert publishable.shown_text("x" * (publishable.MAX_CHECKED + 1)) == publishable.HELD_BACK


def test_plain_action_text_is_shown():
    assert publishable.shown_text("a decoration budget for every foster home") == "a decoration budget for every foster home"


def test_the_actions_page_shows_held_back_in_place_of_a_name(monkeypatch, hostile_db):
    at = open_app(monkeypatch, hostile_db, "../pages/actions.py")
    table = next(d.value for d in at.dataframe if "We heard" in d.value.columns)
    assert "Jordan" not in table.to_csv() and "07700" not in table.to_csv()
    held = table[table["We heard"] == publishable.HELD_BACK]
    assert len(held) == 1 and held["We did"].iloc[0] == publishable.HELD_BACK
    assert "a decoration budget for every foster home" in table["We did"].to_list()


def test_the_panel_report_holds_back_action_text_with_a_name(hostile_db):
    import duckdb

    from dashboard.report.content import _actions
    from dashboard.catalogue import default_catalogue

    con = duckdb.connect(str(hostile_db), read_only=True)
    try:
        actions = _actions(con, KENT, default_catalogue())
    finally:
        con.close()
    assert {a.we_heard for a in actions} == {publishable.HELD_BACK, "some children do not like their bedrooms"}


def test_an_unknown_domain_in_the_link_shows_a_message(monkeypatch, kent_survey_db):
    monkeypatch.setenv("VOICE_DB", str(kent_survey_db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.query_params["domain"] = "<b>nope</b>"
    at.switch_page("../pages/domains.py").run()
    assert not at.exception
    said = warnings(at)
    assert "The link asks for domain '\\<b\\>nope\\</b\\>', which is not one of the domains" in said
