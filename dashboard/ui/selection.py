"""The selection every page shares: LA, wave, cohort and age band.

Kept in the session while moving between pages, and written to the address bar (?la=...&wave=...)
on every page, so a view can be bookmarked or sent to a colleague and opens the same.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import streamlit as st

from dashboard import db
from dashboard.ui.safe import plain
from dashboard.ui.url import PAGE_PARAMS
from dashboard.vocabulary import COHORT_SURVEY_LABELS

COHORTS = COHORT_SURVEY_LABELS
AGE_BANDS = {"all": "All ages", "4-7": "4 to 7", "8-10": "8 to 10", "8-11": "8 to 11", "11-17": "11 to 17",
             "16-25": "16 to 25"}
COHORT_BANDS = {"children_in_care": ["all", "4-7", "8-10", "8-11", "11-17"], "care_leavers": ["all", "16-25"]}
PARAMS = {"la": "sel_la", "wave": "sel_wave", "cohort": "sel_cohort", "age": "sel_age"}


@dataclass(frozen=True)
class Choice:
    la_code: str
    la_name: str
    wave: int
    cohort: str
    age_band: str
    has_voice: bool = True    # False: the LA has DfE statistics alone (no survey or records loaded yet)

    @property
    def label(self) -> str:
        return f"{self.la_name}, {self.wave}"


def _options(may_see_la: Callable[[str], bool] | None = None) -> dict:
    """The LAs with data that this person may choose (others stay unnamed in comparators)."""
    return {code: r for code, r in _all_options(db.data_version()).items() if may_see_la is None or may_see_la(code)}


@st.cache_data(max_entries=4, show_spinner=False)
def _all_options(version: tuple) -> dict:
    # Every page draws this choice on every run: read once per data version (a load or publish
    # changes it), not on each visit (60-130 ms on the national database).
    return {r["la_code"]: r for r in db.query("selection_options").iter_rows(named=True)}


# What a link may carry: each parameter's own shape, checked before anything else reads it, so a
# tampered address (?wave=², a 5,000-digit wave, a 3-digit LA code) gets a message, never a traceback.
_LA_CODE = re.compile(r"E[0-9]{8}")
_WAVE = re.compile(r"[0-9]{4}")
# Parameters the pages own (their choices: dashboard.ui.url.PAGE_PARAMS) or Streamlit itself reads.
OTHER_PARAMS = {*PAGE_PARAMS, "embed", "embed_options"}
SHOWN_MAX = 40   # a tampered value is quoted back cut to this length


def shown(value: str) -> str:
    """A value from the address bar, quoted back safely: cut short, markdown and HTML escaped."""
    value = str(value)
    return plain(value if len(value) <= SHOWN_MAX else value[:SHOWN_MAX] + "…")


def url_problems(qp: dict[str, str], options: dict) -> tuple[dict, list[str]]:
    """The selection a link asks for, and a plain message for each part that cannot be honoured.

    Pure (no Streamlit calls), so every tampered shape is tested directly."""
    wanted, problems = {}, []
    la = qp.get("la")
    if la is not None:
        if not _LA_CODE.fullmatch(la):
            problems.append(f"The link asks for local authority '{shown(la)}', which is not a local authority "
                            "code (a code is E followed by 8 digits, such as E10000016).")
        elif la not in options:
            problems.append(f"The link asks for local authority {shown(la)}, which has no data here "
                            "(or which you have not been given access to).")
        else:
            wanted["la"] = la
    wave = qp.get("wave")
    if wave is not None:
        if not _WAVE.fullmatch(wave):
            problems.append(f"The link asks for wave '{shown(wave)}', which is not a year (4 digits, such as 2024).")
        else:
            wanted["wave"] = int(wave)
    cohort = qp.get("cohort")
    if cohort is not None:
        if cohort in COHORTS:
            wanted["cohort"] = cohort
        else:
            problems.append(f"The link asks for '{shown(cohort)}' views, which is not one of: "
                            f"{', '.join(COHORTS)}.")
    age = qp.get("age")
    if age is not None:
        if age not in AGE_BANDS:
            problems.append(f"The link asks for age band '{shown(age)}', which is not one of: "
                            f"{', '.join(AGE_BANDS)}.")
        elif age not in COHORT_BANDS[wanted.get("cohort", "children_in_care")]:
            problems.append(f"The link asks for age band {shown(age)}, which does not go with "
                            f"{COHORTS[wanted.get('cohort', 'children_in_care')].split(' (')[0].lower()}.")
        else:
            wanted["age"] = age
    unknown = sorted(k for k in qp if k not in PARAMS and k not in OTHER_PARAMS)
    if unknown:
        problems.append("The link has parts this dashboard does not use, so they were ignored: "
                        + ", ".join(f"'{shown(k)}'" for k in unknown[:5]) + ("…" if len(unknown) > 5 else "") + ".")
    return wanted, problems


def _query_params() -> dict[str, str]:
    qp = st.query_params
    return {k: qp.get(k) for k in qp.keys()}


def _seed_from_url(options: dict) -> None:
    """First run of a session: take the selection from the address bar, saying what could not be used."""
    if st.session_state.get("_selection_seeded"):
        return
    st.session_state["_selection_seeded"] = True
    wanted, problems = url_problems(_query_params(), options)
    for param, value in wanted.items():
        st.session_state[PARAMS[param]] = value
    st.session_state["_url_wanted"] = wanted
    st.session_state["_url_problems"] = problems


def _show_url_problems(la: str, wave: int, options: dict) -> None:
    """Say, on the page, when the link's selection could not be shown as asked (never a silent switch)."""
    problems = list(st.session_state.get("_url_problems", []))
    wanted = st.session_state.get("_url_wanted", {})
    # Said until the reader chooses something else: then the link no longer matters.
    first = st.session_state.setdefault("_url_first_shown", (la, wave))
    if first != (la, wave):
        return
    if "wave" in wanted and wanted["wave"] != wave and wanted.get("la", la) == la:
        problems.append(f"The link asks for wave {wanted['wave']}, which {options[la]['la_name']} has no data for.")
    if problems:
        st.warning("**This link could not be shown exactly as asked.** Showing "
                   f"{options[la]['la_name']}, {wave} instead.\n\n" + "\n\n".join(f"- {p}" for p in problems),
                   icon=":material/link_off:")


def _keep_valid(key: str, allowed: list, default) -> None:
    if st.session_state.get(key) not in allowed:
        st.session_state[key] = default


def choose(may_see_la: Callable[[str], bool] | None = None) -> Choice | None:
    """Draw the selection in the sidebar and return it (None when no LA this person may see has voice data)."""
    options = _options(may_see_la)
    if not options:
        return None
    _seed_from_url(options)
    codes = list(options)
    _keep_valid(PARAMS["la"], codes, codes[0])
    with st.sidebar:
        st.subheader("Showing")
        la = st.selectbox("Local authority", codes, key=PARAMS["la"],
                          format_func=lambda c: options[c]["la_name"]
                          + ("" if options[c].get("has_voice", True) else " (DfE statistics only)"))
        waves = list(reversed(options[la]["waves"]))
        survey_waves = set(options[la]["survey_waves"] or [])
        _keep_valid(PARAMS["wave"], waves, max(survey_waves) if survey_waves else waves[0])
        wave = st.selectbox("Wave (survey year, or reporting year ending March)", waves, key=PARAMS["wave"],
                            format_func=lambda w: f"{w}" + ("" if w in survey_waves else " (no survey)"))
        _keep_valid(PARAMS["cohort"], list(COHORTS), "children_in_care")
        cohort = st.radio("Whose views", list(COHORTS), key=PARAMS["cohort"], format_func=COHORTS.get)
        bands = COHORT_BANDS[cohort]
        _keep_valid(PARAMS["age"], bands, "all")
        age = st.selectbox("Age band", bands, key=PARAMS["age"], format_func=AGE_BANDS.get)
    _show_url_problems(la, int(wave), options)
    st.query_params.update({"la": la, "wave": str(wave), "cohort": cohort, "age": age})
    return Choice(la, options[la]["la_name"], int(wave), cohort, age, bool(options[la].get("has_voice", True)))


NO_SURVEY_YET = ("No survey is loaded yet for {la}: what is shown here is the DfE's published statistics alone. "
                 "To add what children and young people say, load the Bright Spots survey export with "
                 "`voice-dashboard load bright-spots FILE` (or the record-level returns: see Start).")


def no_survey_note(choice: Choice) -> None:
    """Says plainly, on a page that can work without voice data, that none is loaded for the LA."""
    if not choice.has_voice:
        st.info(NO_SURVEY_YET.format(la=choice.la_name), icon=":material/info:")


def current(nothing_to_show: str, icon: str | None = None) -> Choice:
    """The selection the app chose for this run (app.py). When no LA has voice data, the page says
    `nothing_to_show` and stops."""
    choice = st.session_state.get("choice")
    if choice is None:
        st.info(nothing_to_show, icon=icon)
        st.stop()
    return choice
