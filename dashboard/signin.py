"""Sign-in on the page: who the reader is (Streamlit's st.login / st.user), the banner of local
single-user mode, sign-out, and the audit of sign-ins and downloads. The rules are in dashboard/auth.py."""
from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from dashboard import audit_log, auth, db
from dashboard.problems import UserError
from dashboard.ui.safe import plain

LOG = logging.getLogger("voice_dashboard.signin")
PERSON_KEY = "_person"
LOCAL_BANNER = ("**Local single-user mode.** Sign-in is not set up, so this dashboard opens only on this "
                "computer and shows everything to whoever is using it. Set up sign-in before sharing it.")


def configured() -> bool:
    """Sign-in is on when Streamlit's secrets have an [auth] section."""
    try:
        return "auth" in st.secrets
    except Exception:     # no secrets file at all: Streamlit raises rather than answering no
        return False


@st.cache_data(show_spinner=False, ttl=60)
def _people(path: str, mtime_ns: int) -> dict[str, auth.Person]:
    return auth.read_roles(Path(path))


def _record(event: str, what: str | None = None, person: auth.Person | None = None,
            who: str | None = None) -> None:
    person = person or st.session_state.get(PERSON_KEY)
    try:
        audit_log.record(db.db_path(), who or (person.email if person else "unknown"),
                         person.role if person else None, event, what)
    except Exception:    # the page still works if the log cannot be written; the server log says why
        LOG.exception("could not write the audit log (%s, %s)", event, what)


def _once(event: str, person: auth.Person | None = None, who: str | None = None, what: str | None = None) -> None:
    key = f"_audited_{event}"
    if not st.session_state.get(key):
        st.session_state[key] = True
        _record(event, what, person, who)


def _sign_out() -> None:
    _record("sign_out")
    st.session_state.pop(PERSON_KEY, None)
    st.logout()


def person_or_stop() -> auth.Person:
    """The person reading, for this run. Shows the sign-in page, or the no-access page, and stops when
    there is nobody to show the dashboard to."""
    if not configured():
        st.session_state[PERSON_KEY] = auth.LOCAL_PERSON
        st.info(LOCAL_BANNER, icon=":material/computer:")
        return auth.LOCAL_PERSON
    if not st.user.is_logged_in:
        st.title("Sign in")
        st.markdown("This dashboard shows what children and young people have told us, so you need to sign in "
                    "with your work account to see it.")
        if st.button("Sign in", type="primary", key="sign_in"):
            st.login()
        st.stop()
    email = str(st.user.get("email") or "")
    path = auth.roles_path()
    try:
        if path is None:
            raise UserError("sign-in is set up but there is no roles file (VOICE_ROLES or serve --roles)")
        person = auth.find(_people(str(path), path.stat().st_mtime_ns), email)
    except (UserError, OSError) as exc:
        LOG.error("roles file: %s", exc)
        st.error("The dashboard's list of who may see what cannot be read, so nobody can be let in. "
                 "Tell whoever runs the dashboard.", icon=":material/lock:")
        st.stop()
    if person is None:
        _once("refused", who=email or "no email", what="not in the roles file")
        st.title("You do not have access yet")
        st.markdown(f"You are signed in as {plain(email)}, but you have not been given access to this "
                    "dashboard. Ask whoever runs it to add you.")
        st.button("Sign out", key="sign_out", on_click=_sign_out)
        st.stop()
    st.session_state[PERSON_KEY] = person
    _once("sign_in", person)
    with st.sidebar:
        st.caption(f"Signed in as {plain(email)} ({person.role.replace('_', ' ')})")
        st.button("Sign out", key="sign_out", on_click=_sign_out)
    return person


def current() -> auth.Person:
    """The person of this run (set by the app before any page runs)."""
    # Fails closed: a run that somehow skipped the app's sign-in sees the least (no LA, one page).
    return st.session_state.get(PERSON_KEY) or auth.Person("unknown", "young_inspector", frozenset())


def signed_in_as(person: auth.Person) -> str:
    """Who made a change, in words, for what the app keeps with it: the signed-in account and role
    ('' in local single-user mode, where the person types their name)."""
    return "" if person.email == auth.LOCAL_EMAIL else f"{person.email} ({person.role.replace('_', ' ')})"


def audited_download(file_name: str) -> dict:
    """Keyword arguments for st.download_button that put the download in the audit log."""
    return {"on_click": _record, "args": ("download", file_name)}
