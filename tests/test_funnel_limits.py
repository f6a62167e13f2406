"""Exact binomial funnel limits (Spiegelhalter 2005): right at small bases, where the normal
approximation is not, and the same as it at large ones; the funnel uses them."""
from __future__ import annotations

import math

import pytest

from dashboard.engine.stats import binomial_limits
from dashboard.ui.domains import _position


def test_small_base_limits_are_the_exact_binomial_ones():
    low, high = binomial_limits(10, 0.708, 0.95)
    assert (round(100 * low, 1), round(100 * high, 1)) == (34.9, 92.1)


@pytest.mark.parametrize("n", [2000, 5000])
def test_at_large_bases_they_agree_with_the_normal_approximation(n):
    p0, z = 0.708, 1.959963984540054
    half = z * math.sqrt(p0 * (1 - p0) / n)
    low, high = binomial_limits(n, p0, 0.95)
    assert low == pytest.approx(p0 - half, abs=0.003) and high == pytest.approx(p0 + half, abs=0.003)


def test_99_8_limits_are_wider_than_95_and_stay_within_0_and_1():
    l95, h95 = binomial_limits(25, 0.95, 0.95)
    l998, h998 = binomial_limits(25, 0.95, 0.998)
    assert 0 <= l998 < l95 < 0.95 < h95 <= h998 <= 1


def test_a_base_of_zero_is_refused():
    with pytest.raises(ValueError, match="base"):
        binomial_limits(0, 0.5, 0.95)


def test_the_funnel_table_places_a_figure_by_the_exact_limits():
    # 40% of 10 at a pool of 70.8%: outside the normal 95% limits (42.6 to 99.0), inside the exact ones.
    assert _position(40.0, 10, 70.8) == "inside the 95% limits"
    assert _position(30.0, 10, 70.8) == "below the 95% limits, inside the 99.8% limits"


def test_the_funnel_draws_the_exact_limits_around_its_pool(demo_db):
    import duckdb

    from dashboard.catalogue import default_catalogue
    from dashboard.engine import views

    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        funnel = views.funnel(con, default_catalogue().by_id()["feel_safe_home"], 2025, "children_in_care")
    finally:
        con.close()
    row = funnel["limits"].filter(funnel["limits"]["base"] == 10).row(0, named=True)
    low, high = binomial_limits(10, funnel["pool_value"] / 100, 0.95)
    assert (row["lower_95"], row["upper_95"]) == pytest.approx((100 * low, 100 * high))
