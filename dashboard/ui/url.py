"""A page's own choices (breakdown, funnel indicator, quote filters...) kept in the address bar
beside the shared selection, so a link opens the page exactly as it was seen.

Each choice has a URL parameter, declared once in PAGE_PARAMS (the link check in
dashboard.ui.selection reads it, so a link carrying a page's choices is never reported as having
parts the dashboard does not use); its value is taken from the address bar only when it is one of
the widget's options (anything else is ignored), then written back on every run.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import streamlit as st

SEP = ","

# Every page's own address parameter and the page that reads it. A widget may only use a parameter
# declared here (choice() and choices() check), so the link check and the pages cannot disagree.
PAGE_PARAMS = {
    "domain": "Well-being domains: the domain",
    "by": "Well-being domains: the breakdown",
    "funnel": "Well-being domains: the funnel plot's indicator",
    "period": "Themes: the period",
    "themes_by": "Themes: the breakdown",
    "said_by": "Themes: whose quotes",
    "quote_themes": "Themes: the quotes' themes",
    "status": "You said, we did: the status filter",
    "source": "You said, we did: the source filter",
    "feedback_by": "Feedback from direct work: the breakdown",
    "question": "Feedback from direct work: the question",
    "scheme": "Participation in reviews: the codes scheme",
    "reviews": "Participation in reviews: the review type",
    "show": "DfE metrics: outcomes, enablers or both",
    "both": "Panel report: children in care and care leavers together (yes or no)",
    "year": "How we listen and Annual statement: the reporting year",
}


def declared(param: str) -> str:
    if param not in PAGE_PARAMS:
        raise ValueError(f"address parameter {param!r} is not declared in dashboard.ui.url.PAGE_PARAMS")
    return param


def _seed(key: str, param: str, options: Sequence[str], default: Any, many: bool) -> None:
    """First run of this widget in the session, or an invalid value: the address bar wins, then the default."""
    valid = [str(o) for o in options]
    current = st.session_state.get(key)
    ok = (current is not None and (all(str(v) in valid for v in current) if many else str(current) in valid))
    wanted = st.query_params.get(param)
    if f"_url_seeded_{key}" not in st.session_state and wanted is not None:
        picked = [v for v in wanted.split(SEP) if v in valid] if many else (wanted if wanted in valid else None)
        if picked is not None and (picked or many):
            by_text = {str(o): o for o in options}
            st.session_state[key] = [by_text[v] for v in picked] if many else by_text[picked]
            ok = True
    st.session_state[f"_url_seeded_{key}"] = True
    if not ok:
        st.session_state[key] = default


def choice(widget: Callable, label: str, options: Sequence, key: str, param: str, default: Any = None, **kw) -> Any:
    """A single-choice widget (st.radio, st.selectbox, or a column's) whose value is in ?param=."""
    declared(param)
    _seed(key, param, options, options[0] if default is None else default, many=False)
    value = widget(label, options, key=key, **kw)
    st.query_params[param] = str(value)
    return value


def choices(widget: Callable, label: str, options: Sequence, key: str, param: str, default: Sequence = (), **kw) -> list:
    """A multi-choice widget (st.multiselect) whose values are in ?param=a,b."""
    declared(param)
    _seed(key, param, options, list(default), many=True)
    values = widget(label, options, key=key, **kw)
    st.query_params[param] = SEP.join(str(v) for v in values)
    return values


ON, OFF = "yes", "no"


def toggle(widget: Callable, label: str, key: str, param: str, default: bool = False, **kw) -> bool:
    """An on/off widget (st.toggle, st.checkbox) whose value is in ?param=yes or ?param=no."""
    declared(param)
    if f"_url_seeded_{key}" not in st.session_state and st.query_params.get(param) in (ON, OFF):
        st.session_state[key] = st.query_params.get(param) == ON
    st.session_state[f"_url_seeded_{key}"] = True
    if not isinstance(st.session_state.get(key), bool):
        st.session_state[key] = default
    value = widget(label, key=key, **kw)
    st.query_params[param] = ON if value else OFF
    return value
