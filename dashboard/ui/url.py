"""A page's own choices (breakdown, funnel indicator, quote filters...) kept in the address bar
beside the shared selection, so a link opens the page exactly as it was seen.

Each choice has a URL parameter, declared once in PAGE_PARAMS (the link check in
dashboard.ui.selection reads it, so a link carrying a page's choices is never reported as having
parts the dashboard does not use); its value is taken from the address bar only when it is one of
the widget's options, then written back on every run. A value the page does not offer is never
silently dropped: a warning above the widget says what the link asked for and what is shown
instead, until the reader chooses something (like the shared selection's unknown values).
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
    "said_by": "Themes: the quotes' group (who said them)",
    "quote_themes": "Themes: the quotes' themes",
    "status": "You said, we did: the status filter",
    "source": "You said, we did: the source filter",
    "feedback_by": "Feedback from direct work: the breakdown",
    "question": "Feedback from direct work: the question",
    "scheme": "Participation in reviews: the codes scheme",
    "reviews": "Participation in reviews: the review type",
    "show": "DfE metrics: the part shown (outcomes, enablers or both)",
    "dfe_area": "DfE metrics: the measures drawn as charts (a domain and a heading of the DfE's dashboard)",
    "both": "Panel report: the two groups together (children in care and care leavers; yes or no)",
    "year": "How we listen and Annual statement: the reporting year",
    "activity": "How we listen: the activity self-assessed",
    "search": "Data and methods: the words searched for in the indicators",
}

SEARCH_MAX = 200      # a search typed into the address bar is cut to this many characters
OPTIONS_LISTED = 8    # a refused value's warning lists the page's choices when there are no more than this


def _what(param: str) -> str:
    """What a parameter chooses, in words: 'the breakdown' from 'Well-being domains: the breakdown'."""
    return PAGE_PARAMS[param].split(": ", 1)[-1].split(" (")[0]


def _refuse(key: str, param: str, wanted: str, fallback: Any, offered: str) -> None:
    """Remember that the link's value could not be used, to say so until the reader chooses."""
    from dashboard.ui.selection import shown        # here: selection imports this module

    st.session_state[f"_url_refused_{key}"] = (
        fallback, f"**This link could not be shown exactly as asked.** It asks for {_what(param)} "
                  f"'{shown(wanted)}', which this page does not offer{offered}; showing ")


def _say_refused(key: str, shown_value: str) -> None:
    """The warning for a refused link value, while the widget still shows what was put in its place."""
    refused = st.session_state.get(f"_url_refused_{key}")
    if refused is None:
        return
    fallback, words = refused
    if st.session_state.get(key) != fallback:      # the reader has chosen: the link no longer matters
        del st.session_state[f"_url_refused_{key}"]
        return
    st.warning(words + shown_value + " instead.", icon=":material/link_off:")


def _offered(options: Sequence, label: Callable[[Any], Any]) -> str:
    if not options or len(options) > OPTIONS_LISTED:
        return ""
    return " (it offers " + ", ".join(str(label(o)) for o in options) + ")"


def declared(param: str) -> str:
    if param not in PAGE_PARAMS:
        raise ValueError(f"address parameter {param!r} is not declared in dashboard.ui.url.PAGE_PARAMS")
    return param


def _seed(key: str, param: str, options: Sequence[str], default: Any, many: bool,
          label: Callable[[Any], Any] = str) -> None:
    """First run of this widget in the session, or an invalid value: the address bar wins, then the default.
    A value in the address bar that is not one of the options is remembered, to be reported."""
    valid = [str(o) for o in options]
    current = st.session_state.get(key)
    ok = (current is not None and (all(str(v) in valid for v in current) if many else str(current) in valid))
    wanted = st.query_params.get(param)
    refused = None
    if f"_url_seeded_{key}" not in st.session_state and wanted is not None:
        asked = [v for v in wanted.split(SEP) if v] if many else [wanted]
        picked = [v for v in asked if v in valid] if many else (wanted if wanted in valid else None)
        refused = [v for v in asked if v not in valid]
        if picked is not None and (picked or many):
            by_text = {str(o): o for o in options}
            st.session_state[key] = [by_text[v] for v in picked] if many else by_text[picked]
            ok = True
    st.session_state[f"_url_seeded_{key}"] = True
    if not ok:
        st.session_state[key] = default
    if refused:
        _refuse(key, param, SEP.join(refused), st.session_state[key], _offered(options, label))


def choice(widget: Callable, label: str, options: Sequence, key: str, param: str, default: Any = None, **kw) -> Any:
    """A single-choice widget (st.radio, st.selectbox, or a column's) whose value is in ?param=."""
    declared(param)
    name = kw.get("format_func", str)
    _seed(key, param, options, options[0] if default is None else default, many=False, label=name)
    _say_refused(key, str(name(st.session_state[key])))
    value = widget(label, options, key=key, **kw)
    st.query_params[param] = str(value)
    return value


def choices(widget: Callable, label: str, options: Sequence, key: str, param: str, default: Sequence = (), **kw) -> list:
    """A multi-choice widget (st.multiselect) whose values are in ?param=a,b."""
    declared(param)
    name = kw.get("format_func", str)
    _seed(key, param, options, list(default), many=True, label=name)
    _say_refused(key, ", ".join(str(name(v)) for v in st.session_state[key]) or "none of them")
    values = widget(label, options, key=key, **kw)
    st.query_params[param] = SEP.join(str(v) for v in values)
    return values


ON, OFF = "yes", "no"


def toggle(widget: Callable, label: str, key: str, param: str, default: bool = False, **kw) -> bool:
    """An on/off widget (st.toggle, st.checkbox) whose value is in ?param=yes or ?param=no."""
    declared(param)
    wanted = st.query_params.get(param)
    first = f"_url_seeded_{key}" not in st.session_state
    if first and wanted in (ON, OFF):
        st.session_state[key] = wanted == ON
    st.session_state[f"_url_seeded_{key}"] = True
    if not isinstance(st.session_state.get(key), bool):
        st.session_state[key] = default
    if first and wanted is not None and wanted not in (ON, OFF):
        _refuse(key, param, wanted, st.session_state[key], f" (only {ON} or {OFF})")
    _say_refused(key, ON if st.session_state[key] else OFF)
    value = widget(label, key=key, **kw)
    st.query_params[param] = ON if value else OFF
    return value


def text(widget: Callable, label: str, key: str, param: str, **kw) -> str:
    """A text box (st.text_input) whose words are in ?param= (cut to SEARCH_MAX characters); an empty
    box leaves the parameter out of the address."""
    declared(param)
    if f"_url_seeded_{key}" not in st.session_state and st.query_params.get(param):
        st.session_state[key] = st.query_params.get(param)[:SEARCH_MAX]
    st.session_state[f"_url_seeded_{key}"] = True
    value = widget(label, key=key, **kw)
    if value:
        st.query_params[param] = value[:SEARCH_MAX]
    elif param in st.query_params:
        del st.query_params[param]
    return value


def section(label: str, key: str, params: Sequence[str]):
    """A part of a page folded away until the reader opens it (st.expander drawn lazily: what is inside
    runs and is drawn only while it is open). A link carrying any of the part's own parameters opens
    it, so a link still opens the page exactly as it was seen; closing it takes them out of the address.
    Use: `part = section(...)`, then `with part:` and `if part.open:` around what it holds."""
    for param in params:
        declared(param)
    if f"_url_seeded_{key}" not in st.session_state and any(p in st.query_params for p in params):
        st.session_state[key] = True
    st.session_state[f"_url_seeded_{key}"] = True
    part = st.expander(label, key=key, on_change="rerun")
    if not part.open:
        for param in params:
            if param in st.query_params:
                del st.query_params[param]
    return part
