"""Free text about actions, checked for names like quotes are before any page or report shows it.

"You said, we did" text is written by staff, but it often retells what a child said, so it can carry
a name, a phone number, an email, a postcode, a school or a street. The same cautious check that
decides whether a quote is publishable (dashboard.loaders.themes.quote_risks) decides here: text
with any sign of one is held back, and the reader sees that it was, never the text.
"""
from __future__ import annotations

import polars as pl

from dashboard.loaders.themes import quote_risks

HELD_BACK = "(held back: this text may name someone, so it is not shown)"
# The action columns written in free text (the rest are codes, dates and ids).
ACTION_TEXT_COLUMNS = ("we_heard", "we_did", "reason")
# Longer text is held back unchecked: an action is a sentence or two, and the check runs on every view,
# so a huge cell must not slow a page down (or be shown without a check).
MAX_CHECKED = 2000


def publishable(text: str | None) -> bool:
    if text is None:
        return True
    return len(str(text)) <= MAX_CHECKED and not quote_risks(str(text))


def shown_text(text: str | None) -> str | None:
    """The text itself when it shows no sign of a name (or is blank), else the held-back note."""
    return text if publishable(text) else HELD_BACK


def hold_back_actions(actions: pl.DataFrame) -> pl.DataFrame:
    """Actions with every free-text column that may name someone replaced by HELD_BACK."""
    present = [c for c in ACTION_TEXT_COLUMNS if c in actions.columns]
    if not present or actions.height == 0:
        return actions
    # Each distinct text is checked once, here in the caller's thread, and polars only replaces values:
    # a Python callback inside polars' own threads froze the server with many sessions at once.
    replaced = []
    for c in present:
        texts = [t for t in actions.get_column(c).unique().to_list() if t is not None]
        replaced.append(pl.col(c).replace_strict({t: shown_text(t) for t in texts}, default=None,
                                                 return_dtype=pl.String))
    return actions.with_columns(replaced)


# Queries (queries/NAME.sql) whose results carry free text, and how each is screened.
SCREENS = {"actions_for_la": hold_back_actions}


def screen(query_name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """A query's result as it may be shown: free text that may name someone held back."""
    fix = SCREENS.get(query_name)
    return fix(frame) if fix else frame
