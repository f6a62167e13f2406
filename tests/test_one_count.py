"""One count of bright spots and areas to look at: the Overview, "You said, we did" and the panel
report all use dashboard.report.findings, so on the demo they give the same numbers (DfE metrics
included), for every LA, cohort and reading."""
from __future__ import annotations

import duckdb
import polars as pl
import pytest

from dashboard import store
from dashboard.catalogue import default_catalogue
from dashboard.engine.figures import Selection, indicator_table
from dashboard.report import findings
from dashboard.report.content import gather
from dashboard.ui import actions as act
from dashboard.ui import overview as ov

KENT, BARNET = "E10000016", "E09000003"


@pytest.fixture(scope="module")
def con(demo_db):
    c = duckdb.connect(str(demo_db), read_only=True)
    yield c
    c.close()


@pytest.mark.parametrize("la", [KENT, BARNET])
@pytest.mark.parametrize("cohort", ["children_in_care", "care_leavers"])
def test_overview_you_said_we_did_and_the_report_count_the_same_areas(con, la, cohort):
    catalogue = default_catalogue()
    table = indicator_table(con, Selection(la, 2025), catalogue)
    # The Overview's table: the chosen cohort's survey figures (dashboard.ui.data.figures).
    overview = ov.summarise(table.filter((pl.col("source") != "survey") | (pl.col("cohort") == cohort)),
                            catalogue, cohort)
    actions = store.frame(con, store.sql("actions_for_la"), {"la_code": la})
    loop = ov.action_loop(overview, actions, cohort)
    report = gather(con, la, 2025, cohort, catalogue)
    areas = findings.areas_to_look_at(table, cohort)
    gaps = act.no_action_yet(table, actions, cohort)
    assert loop.findings == areas.height == report.reading_count(findings.LOOK)
    assert loop.findings - loop.with_action == gaps.height
    assert sum(len(s.bright) for s in overview) == findings.bright_spots(table, cohort).height \
        == report.reading_count(findings.BRIGHT)


def test_dfe_metrics_are_counted_as_findings(con):
    table = indicator_table(con, Selection(KENT, 2025), default_catalogue())
    found = pl.concat([findings.areas_to_look_at(table, None), findings.bright_spots(table, None)])
    assert "dfe" in set(found["source"].to_list())


def test_a_hidden_or_broken_down_figure_is_never_a_finding(con):
    table = indicator_table(con, Selection(KENT, 2025), default_catalogue())
    rows = findings.headline(table, None)
    assert (rows["breakdown"] == "").all() and (rows["group"] == "all").all()
    assert (findings.areas_to_look_at(table, None)["status"] == "ok").all()


def test_an_action_for_another_group_does_not_answer_this_groups_area():
    """An action for care leavers on a question both surveys ask does not make children in care's
    area 'with an action' (the Overview, You said we did and the report share findings.acted_on)."""
    actions = pl.DataFrame({"indicator_id": ["internet_access", "see_mum"], "cohort": ["care_leavers", None]})
    assert findings.acted_on(actions, "children_in_care") == {"see_mum"}
    assert findings.acted_on(actions, "care_leavers") == {"internet_access", "see_mum"}
    assert findings.acted_on(actions) == {"internet_access", "see_mum"}
