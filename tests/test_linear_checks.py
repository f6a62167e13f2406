"""Every check on a cell is linear in its length: 8 times the text may take about 8 times as long,
never 64 times (the name/email/phone check once took 3 s on 10k characters and 128 s on 80k).
Compared by ratio of the best of several timings, so the test does not depend on machine speed."""
from __future__ import annotations

import time

import pytest

from dashboard.loaders.themes import quote_risks

# Texts without spaces that made the old patterns try every start against the rest of the text.
HOSTILE_RUNS = {
    "letters": "a",
    "dots": ".",
    "email-like": "a.",
    "digits with dashes": "1-",
    "digits": "1",
    "at signs and words": "a@",
    "capitalised words": "Ab.",
    "closing brackets": ".)",
    "postcode-like": "A1 ",
}
SHORT, LONG = 10_000, 80_000
# Linear: 8 (measured 7.6 to 8.4 in CPU time); quadratic: 64 (the old check measured 43).
# 20 leaves room for a busy shared machine and still fails a quadratic check.
MAX_RATIO = 20


def best_time(text: str, repeats: int = 5) -> float:
    """The best of a few runs, in CPU time of this process: time spent waiting for a busy
    machine's cores is not the check's."""
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        quote_risks(text)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize("unit", list(HOSTILE_RUNS.values()), ids=list(HOSTILE_RUNS))
def test_quote_check_time_grows_linearly_with_a_run_without_spaces(unit):
    short = (unit * SHORT)[:SHORT]
    long = (unit * LONG)[:LONG]
    for _attempt in range(3):   # measured three times at most: a quadratic check fails every time
        t_short = max(best_time(short), 1e-4)   # below 0.1 ms the clock, not the check, is measured
        t_long = best_time(long)
        if t_long / t_short < MAX_RATIO:
            break

    assert t_long / t_short < MAX_RATIO, (
        f"{LONG:,} characters took {t_long:.4f} s, {SHORT:,} took {t_short:.4f} s: ratio "
        f"{t_long / t_short:.1f} (linear is about 8)")
    assert t_long < 2.0, f"{LONG:,} characters took {t_long:.2f} s"


def test_quote_checks_still_find_what_they_looked_for():
    assert "an email address or @handle" in quote_risks("write to sam.jones@example.org please")
    assert "a phone number" in quote_risks("ring 07700 900123 after school")
    assert "a phone number" in quote_risks("call +44 (0)20 7946 0958")
    assert "a postcode" in quote_risks("we live near CT1 2AB now")
    assert any(r.startswith("a name") for r in quote_risks("My worker Priya listens to me."))
    assert quote_risks("I like my foster home. It is calm!") == []
