"""The panel report's DfE charts start their value axis at zero, so a change of a point or two
(8% to 11%) is not drawn as a cliff."""
from __future__ import annotations

import polars as pl
from matplotlib.figure import Figure as MplFigure

from dashboard.report.charts import _dfe_panel
from dashboard.report.content import DfeMeasure, Figure


def measure(values: list[float], unit: str = "percent") -> DfeMeasure:
    fig = Figure(indicator_id="m", domain="home", title="A DfE measure", source="dfe", who="DfE", unit=unit,
                 decimals=1, year=2025, value=values[-1], ci_low=None, ci_high=None, status="ok", reason=None,
                 low_base=False, compared_with="England", comparator=9.0, reading="", change=None,
                 change_clear=False, previous_year=None)
    n = len(values)
    series = pl.DataFrame({"year": list(range(2025 - n + 1, 2026)), "value": values, "status": ["ok"] * n,
                           "region_value": [None] * n, "england_value": [9.5] * n, "neighbour_median": [10.0] * n,
                           "neighbours_used": [10] * n}, schema_overrides={"region_value": pl.Float64})
    return DfeMeasure(fig, series)


def test_a_dfe_panel_starts_its_value_axis_at_zero():
    ax = MplFigure().subplots()
    _dfe_panel(ax, measure([8.0, 9.5, 11.0]))
    low, high = ax.get_ylim()
    assert low == 0 and 11.0 < high <= 100


def test_a_percentage_axis_never_goes_past_100():
    ax = MplFigure().subplots()
    _dfe_panel(ax, measure([96.0, 98.0, 99.0]))
    assert ax.get_ylim() == (0, 100)
