"""The selection every page shares: LA, wave, cohort and age band.

Kept in the session while moving between pages, and written to the address bar (?la=...&wave=...)
on every page, so a view can be bookmarked or sent to a colleague and opens the same.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard import db

COHORTS = {"children_in_care": "Children in care (Your Life, Your Care)",
           "care_leavers": "Care leavers (Your Life Beyond Care)"}
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


def _options():
    frame = db.query("selection_options")
    return {r["la_code"]: r for r in frame.iter_rows(named=True)}


def _seed_from_url(options: dict) -> None:
    """First run of a session: take the selection from the address bar when it is valid."""
    if st.session_state.get("_selection_seeded"):
        return
    st.session_state["_selection_seeded"] = True
    qp = st.query_params
    la = qp.get("la")
    if la in options:
        st.session_state[PARAMS["la"]] = la
    wave = qp.get("wave")
    if wave and wave.isdigit():
        st.session_state[PARAMS["wave"]] = int(wave)
    if qp.get("cohort") in COHORTS:
        st.session_state[PARAMS["cohort"]] = qp.get("cohort")
    if qp.get("age") in AGE_BANDS:
        st.session_state[PARAMS["age"]] = qp.get("age")


def _keep_valid(key: str, allowed: list, default) -> None:
    if st.session_state.get(key) not in allowed:
        st.session_state[key] = default


def choose() -> Choice | None:
    """Draw the selection in the sidebar and return it (None when no LA has voice data)."""
    options = _options()
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
