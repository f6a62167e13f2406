"""The figures lookup reads only the breakdown and age band a selection asks for
(queries/published_figures_for_la.sql); dashboard.engine.figures._shape then picks the rows the
selection means. The narrower read must give exactly the table the whole LA's read gave."""
from __future__ import annotations

import duckdb
import polars as pl
import pytest

from dashboard import store
from dashboard.catalogue import default_catalogue
from dashboard.engine.figures import COLUMNS, Selection, _pick, _shape, indicator_table

CATALOGUE = default_catalogue()
# Every published row of one LA for a wave, each DfE metric's latest year up to it: the read before.
WHOLE_READ = store.Sql("""
    SELECT * EXCLUDE (release_id) FROM published_figures
    WHERE la_code = $la_code AND list_contains($indicator_ids, indicator_id)
      AND (wave = $wave OR (source = 'dfe' AND wave < $wave))
    QUALIFY source <> 'dfe' OR wave = max(wave) OVER (PARTITION BY indicator_id)
    ORDER BY sort_key""")


def whole_read(con, sel: Selection) -> pl.DataFrame:
    ids = [i.id for i in _pick(CATALOGUE, sel)]
    frame = store.frame(con, WHOLE_READ, {"la_code": sel.la_code, "wave": sel.wave, "indicator_ids": ids})
    return _shape(frame, sel).select(COLUMNS)


SELECTIONS = [
    Selection("E10000016", 2025, cohort="children_in_care"),
    Selection("E10000016", 2025, cohort="care_leavers"),
    Selection("E10000016", 2025),
    Selection("E10000016", 2025, "home", breakdown="gender", cohort="children_in_care"),
    Selection("E10000016", 2023, "trusting_relationships", breakdown="placement_type", cohort="children_in_care"),
    Selection("E10000016", 2025, breakdown="age_band", cohort="children_in_care"),
    Selection("E10000016", 2025, age_band="8-11", cohort="children_in_care"),
    Selection("E10000016", 2025, "feelings", breakdown="disability", cohort="care_leavers"),
    Selection("E08000024", 2023, cohort="children_in_care"),
    Selection("E10000016", 2025, breakdown="review_type", cohort="children_in_care",
              indicator_ids=("return_2b_pn_codes",)),
    Selection("E10000016", 2025, breakdown="service"),
]


@pytest.mark.parametrize("sel", SELECTIONS,
                         ids=lambda s: f"{s.la_code}-{s.wave}-{s.domain}-{s.breakdown}-{s.age_band}-{s.cohort}")
def test_the_narrower_read_gives_the_table_the_whole_read_gave(demo_db, sel):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        narrow, whole = indicator_table(con, sel, CATALOGUE), whole_read(con, sel)
    finally:
        con.close()
    assert whole.height > 0
    assert narrow.equals(whole)
