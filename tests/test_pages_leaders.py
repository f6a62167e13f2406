"""The senior leaders' Overview and Well-being domains pages, in Streamlit's AppTest on the synthetic
demo database, and their data shaping (dashboard.ui.overview, dashboard.ui.domains) checked against
the engine and the database directly."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.publish import publish_all
from dashboard.catalogue import default_catalogue
from dashboard.engine.figures import Selection, indicator_table
from dashboard.exports import to_csv_bytes
from dashboard.reference import la_reference
from dashboard.ui import domains as dm
from dashboard.ui import overview as ov
from tests.conftest import ROOT, open_folded_parts
from tests.static_tables import static_tables

APP = ROOT / "dashboard" / "app.py"
OVERVIEW, DOMAINS = "../pages/overview.py", "../pages/domains.py"
KENT, HARTLEPOOL, BARNET = "E10000016", "E06000001", "E09000003"
CATALOGUE = default_catalogue()


pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


def open_page(monkeypatch, db: Path, page: str, **params) -> AppTest:
    monkeypatch.setenv("VOICE_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(page).run()
    open_folded_parts(at)    # as a reader opening every folded part: each chart's table, each section
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [a.value for a in [*at.info, *at.warning, *at.error]]
    return "\n".join(parts)


def frames(at: AppTest) -> list:
    """Every table on the page (dataframes and static tables) as pandas frames."""
    return [d.value for d in at.dataframe] + static_tables(at)


def frame_with(at: AppTest, column: str):
    found = [f for f in frames(at) if column in f.columns]
    assert found, f"no table with a column {column!r}"
    return found[0]


def engine_table(db: Path, la: str, wave: int, domain: str | None = None, cohort: str = "children_in_care"):
    con = duckdb.connect(str(db), read_only=True)
    try:
        t = indicator_table(con, Selection(la, wave, domain), CATALOGUE)
    finally:
        con.close()
    return t.filter((pl.col("source") != "survey") | (pl.col("cohort") == cohort))


def other_la_names(la_code: str) -> list[str]:
    demo = [KENT, HARTLEPOOL, BARNET, "E09000012", "E08000025", "E06000052", "E08000003", "E08000035",
            "E10000024", "E06000015", "E10000020", "E06000023"]
    return [la_reference().name(c) for c in demo if c != la_code]


# -- Overview -------------------------------------------------------------------------------------------

def test_overview_opens_with_two_tiles_per_domain_good_life_first(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, OVERVIEW, la=KENT, wave="2025")
    assert [t.value for t in at.title] == ["Overview"]
    tiles = [m.label for m in at.metric][:12]
    assert tiles == ["Bright spots", "Areas to look at"] * 6
    headings = [m.value.removeprefix("#### ") for m in at.markdown if m.value.startswith("#### ")]
    assert headings == ["A good life", "Home", "Trusting relationships", "Rights in and leaving care",
                        "Opportunities", "Feelings"]


def test_overview_tiles_count_the_engines_classifications_per_domain(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, OVERVIEW, la=KENT, wave="2025")
    t = engine_table(demo_db, KENT, 2025)
    # DfE metrics count too: one definition of a finding (dashboard.report.findings) on every page.
    whole = t.filter((pl.col("breakdown") == "") & (pl.col("category") == "") & (pl.col("status") == "ok"))
    expected = []
    for d in ["good_life", "home", "trusting_relationships", "rights_in_and_leaving_care", "opportunities", "feelings"]:
        mine = whole.filter(pl.col("domain") == d)
        expected += [str(mine.filter(pl.col("classification") == "bright spot").height),
                     str(mine.filter(pl.col("classification") == "area to look at").height)]
    assert [m.value for m in at.metric][:12] == expected
    assert sum(int(v) for v in expected) > 0


def test_overview_lists_each_area_to_look_at_by_name_with_its_comparator(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, OVERVIEW, la=KENT, wave="2025")
    t = engine_table(demo_db, KENT, 2025)
    looks = t.filter((pl.col("classification") == "area to look at") & (pl.col("breakdown") == ""))
    assert looks.height > 0
    text = texts(at)
    for title, compared in looks.select("title", "compared_with").iter_rows():
        assert f"**{title}**" in text
        assert f"against {compared}" in text


def test_overview_changes_when_the_local_authority_changes(monkeypatch, demo_db):
    kent = open_page(monkeypatch, demo_db, OVERVIEW, la=KENT, wave="2025")
    hartlepool = open_page(monkeypatch, demo_db, OVERVIEW, la=HARTLEPOOL, wave="2025")
    assert "**Kent, 2025**" in texts(kent) and "**Hartlepool, 2025**" in texts(hartlepool)
    assert [m.value for m in kent.metric] != [m.value for m in hartlepool.metric]


def test_overview_changes_when_the_wave_changes(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, OVERVIEW, la=KENT, wave="2025")
    before = [m.value for m in at.metric]
    at.selectbox(key="sel_wave").set_value(2023).run()
    assert not at.exception
    assert "**Kent, 2023**" in texts(at)
    assert [m.value for m in at.metric] != before


def test_overview_counts_actions_and_those_reported_back_from_the_actions_table(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, OVERVIEW, la=KENT, wave="2025")
    con = duckdb.connect(str(demo_db), read_only=True)
    total, told = con.execute("SELECT count(*), count(told_children_on) FROM actions WHERE la_code = ?",
                              [KENT]).fetchall()[0]
    con.close()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Actions on record"] == str(total)
    assert metrics["Actions reported back to children"] == f"{told} of {total}"
    assert metrics["Areas to look at with an action"].endswith(f" of {sum(int(m.value) for m in at.metric[1:12:2])}")


def test_overview_for_an_la_with_no_actions_says_none_are_linked(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, OVERVIEW, la=BARNET, wave="2025")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Actions on record"] == "0"
    assert metrics["Areas to look at with an action"].startswith("0 of ")


def test_overview_shows_dfe_metrics_with_england_region_and_neighbours(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, OVERVIEW, la=KENT, wave="2025")
    dfe = frame_with(at, "DfE metric")
    assert {"Kent", "England", "Region", "Statistical neighbours (median)", "Better when",
            "Against England"} <= set(dfe.columns)
    dfe_domains = [d.id for d in CATALOGUE.domains
                   if any(i.source == "dfe" and i.domain == d.id for i in CATALOGUE.indicators)]
    first_metrics = {i.title for i in CATALOGUE.indicators if i.source == "dfe" and i.domain == dfe_domains[0]}
    assert set(dfe["DfE metric"]) <= first_metrics       # the first DfE table is the first domain's with any
    assert dfe["England"].str.len().min() > 0


def test_overview_shows_the_biggest_changes_with_their_intervals(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, OVERVIEW, la=KENT, wave="2025")
    changes = frame_with(at, "Change (percentage points)")
    assert len(changes) > 0
    assert (changes["Now: 95% interval"].str.contains(" to ")).all()
    assert (changes["Previous wave"] == 2023).all()


def test_overview_never_names_another_local_authority(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, OVERVIEW, la=KENT, wave="2025")
    shown = texts(at) + "\n".join(f.to_csv() for f in frames(at))
    for name in other_la_names(KENT):
        assert name not in shown


# -- Well-being domains --------------------------------------------------------------------------------

def test_domains_opens_on_a_good_life_and_puts_it_in_the_address_bar(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DOMAINS, la=KENT, wave="2025")
    assert [t.value for t in at.title] == ["Well-being domains"]
    assert [h.value for h in at.header] == ["A good life"]
    assert at.query_params["domain"] == "good_life"


def test_domains_opens_on_the_domain_in_the_address_bar(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DOMAINS, la=KENT, wave="2025", domain="home")
    assert [h.value for h in at.header] == ["Home"]


def test_domains_table_has_every_indicator_of_the_chosen_domain_with_interval_base_and_status(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DOMAINS, la=KENT, wave="2025")
    at.radio(key="domain_pick").set_value("feelings").run()
    assert at.query_params["domain"] == "feelings"
    table = frame_with(at, "Classification")
    expected = engine_table(demo_db, KENT, 2025, "feelings").filter(
        (pl.col("source") != "dfe") & (pl.col("breakdown") == "") & (pl.col("category") == ""))
    assert list(table["Indicator"]) == expected["title"].to_list()
    assert {"Value", "95% interval", "Answered (base)", "Status", "Classification", "Compared with", "Change",
            "Measured by"} <= set(table.columns)
    # The comparator used, with its figure, then other published figures, in one column (so the table fits).
    for row, (_, shown) in zip(expected.iter_rows(named=True), table.iterrows()):
        if row["compared_with"] and row["value"] is not None:
            assert shown["Compared with"].startswith(f"{row['compared_with']}: "), shown["Compared with"]
        if row["national_value"] is not None and row["national_source"] != row["compared_with"]:
            assert f"({row['national_source']})" in shown["Compared with"]


def test_domains_content_changes_with_the_local_authority(monkeypatch, demo_db):
    kent = frame_with(open_page(monkeypatch, demo_db, DOMAINS, la=KENT, wave="2025", domain="home"), "Classification")
    other = frame_with(open_page(monkeypatch, demo_db, DOMAINS, la=HARTLEPOOL, wave="2025", domain="home"),
                       "Classification")
    assert list(kent["Value"]) != list(other["Value"])


def test_domains_content_changes_with_the_wave(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DOMAINS, la=KENT, wave="2025", domain="home")
    before = list(frame_with(at, "Classification")["Value"])
    at.selectbox(key="sel_wave").set_value(2023).run()
    assert list(frame_with(at, "Classification")["Value"]) != before


def test_domains_funnel_table_names_no_other_local_authority(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DOMAINS, la=KENT, wave="2025", domain="home")
    funnel = frame_with(at, "Where it sits")
    assert set(funnel["Local authority"]) == {"Kent", dm.ANOTHER_LA}
    assert (funnel["Local authority"] == "Kent").sum() == 1
    # LAs whose figure is hidden are not plotted (a high share in a small LA pins its small groups).
    assert len(funnel) >= 5


def test_domains_hidden_group_shows_c_with_the_reason(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DOMAINS, la=KENT, wave="2025", domain="good_life")
    at.radio(key="domain_breakdown").set_value("gender").run()
    groups = frame_with(at, "Group")
    hidden = groups[groups["Value (%)"] == "c"]
    assert len(hidden) > 0
    assert hidden["Status"].str.startswith("c: hidden").all()
    # The small group, and any group hidden so that it cannot be worked out or narrowed.
    assert "Another gender or not stated" in set(hidden["Group"])


def test_domains_gender_breakdown_publishes_small_genders_together(monkeypatch, demo_db):
    """disclosure.yaml's groups_published_together: "other" and "not stated" are one group."""
    at = open_page(monkeypatch, demo_db, DOMAINS, la=KENT, wave="2025", domain="good_life")
    at.radio(key="domain_breakdown").set_value("gender").run()
    assert set(frame_with(at, "Group")["Group"]) == {
        "Girls and young women", "Boys and young men", "Another gender or not stated"}


def test_domains_trend_shows_a_hidden_wave_as_c(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DOMAINS, la=KENT, wave="2025", domain="rights_in_and_leaving_care")
    trends = frame_with(at, "95% interval low")
    row = trends[(trends["Indicator"].str.startswith("Return 2c")) & (trends["Wave"] == 2024)]
    assert len(row) == 1
    assert row["Value (%)"].isna().all() and row["Status"].str.startswith("c").all()


def test_domains_with_no_figures_for_the_selection_says_so(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DOMAINS, la=KENT, wave="2024", domain="good_life")
    assert any("There are no survey or record figures in A good life" in i.value for i in at.info)


def test_domains_says_when_no_action_links_a_theme_to_the_domain(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, DOMAINS, la=KENT, wave="2025", domain="home")
    assert any("No \"you said, we did\" action links a theme" in i.value for i in at.info)


def test_domains_shows_linked_themes_with_gated_counts(monkeypatch, demo_db, tmp_path):
    db = tmp_path / "themed.duckdb"
    shutil.copy(demo_db, db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE actions SET theme = 'contact with family' WHERE la_code = ? AND indicator_id = 'see_siblings'",
                [KENT])
    # Every theme of Kent's in the demo has dozens of records: keep three of this one, a count too small to show.
    con.execute("DELETE FROM themes WHERE la_code = $la AND theme = 'contact with family' AND record_id NOT IN "
                "(SELECT record_id FROM themes WHERE la_code = $la AND theme = 'contact with family' "
                "ORDER BY record_id LIMIT 3)", {"la": KENT})
    small = con.execute("SELECT count(*) FROM themes WHERE la_code = ? AND theme = 'contact with family'",
                        [KENT]).fetchall()[0][0]
    publish_all(con)   # data changed outside a load: publish again, as `voice-dashboard publish` would
    con.close()
    assert 1 <= small <= 5
    at = open_page(monkeypatch, db, DOMAINS, la=KENT, wave="2025", domain="trusting_relationships")
    themes = frame_with(at, "Records of this theme")
    assert themes.to_dict("records") == [{"Theme": "contact with family", "Linked to": "See brother(s) / sister(s) "
                                          "as often as want", "Records of this theme": "c"}]


# -- the shaping, directly -----------------------------------------------------------------------------

def test_funnel_table_csv_and_chart_carry_no_other_la_name_or_code(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    from dashboard.engine import views
    funnel = views.funnel(con, CATALOGUE.by_id()["feel_safe_home"], 2025, "children_in_care")
    con.close()
    table = dm.funnel_table(funnel, KENT, "Kent")
    out = to_csv_bytes(table).decode() + dm.funnel_figure(funnel, table, "Kent", "Feel safe").to_json()
    others = [c for c in funnel["points"]["la_code"].to_list() if c != KENT]
    assert others
    for code in others:
        assert code not in out and la_reference().name(code) not in out


def test_linked_themes_come_from_actions_naming_an_indicator_of_the_domain_and_a_theme():
    actions = pl.DataFrame({"indicator_id": ["feel_safe_home", "like_school", None],
                            "theme": ["Feeling safe", "Hobbies and clubs", "Loneliness"]})
    counts = pl.DataFrame({"theme": ["", "feeling safe", "loneliness"], "records": [None, None, 30],
                           "status": ["c", "c", "ok"]})
    linked = dm.theme_actions(actions, ["feel_safe_home", "feel_settled"])
    got = dm.linked_themes(linked, counts, {"feel_safe_home": "Feel safe"})
    assert got.to_dicts() == [{"Theme": "Feeling safe", "Linked to": "Feel safe", "Records of this theme": "c"}]


def test_changes_put_clear_changes_first_and_split_by_polarity():
    def row(i, change, sig, polarity="higher_is_better"):
        return {"indicator_id": i, "title": i, "domain": "home", "source": "survey", "breakdown": "", "group": "all",
                "category": "", "status": "ok", "value": 50.0, "change": change, "change_significant": sig,
                "polarity": polarity, "change_p": 0.01 if sig else 0.5}
    table = pl.DataFrame([row("big", 20.0, False), row("clear", 5.0, True), row("down", -3.0, False),
                          row("lower_good", -8.0, False, "lower_is_better"), row("none", 9.0, True, "no_polarity")])
    improved, worsened = ov.changes(table, CATALOGUE)
    assert improved["indicator_id"].to_list() == ["clear", "big", "lower_good"]
    assert worsened["indicator_id"].to_list() == ["down"]
