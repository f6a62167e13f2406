"""The dashboard's shell: page setup, navigation, the synthetic-data banner and the no-data guidance.

Started by `voice-dashboard serve` as `streamlit run dashboard/app.py`, with the database in the
VOICE_DB environment variable. Pages live in pages/ and stay thin: their logic is in dashboard/.
"""
from __future__ import annotations

# Imported whole before any page runs: plotly (through narwhals) looks pandas up in sys.modules, and two
# sessions' first views at once saw it half-imported ("partially initialized module 'pandas'"); an import
# here makes every session's first run wait for the one import (tests/browser/test_concurrency.py).
import pandas  # noqa: F401
import streamlit as st

from dashboard import auth, db, paths, signin
from dashboard.errors import friendly_errors
from dashboard.ui import safe, selection

# An emoji favicon is drawn in the browser; a ":material/...:" one would be fetched from the internet.
st.set_page_config(page_title="Voice and well-being dashboard", page_icon="💬", layout="wide")

PAGES_DIR = paths.ROOT / "pages"


def _page(file: str, title: str, icon: str, **kw) -> st.Page:
    return st.Page(PAGES_DIR / file, title=title, icon=icon, url_path=file.removesuffix(".py"), **kw)


# Sections by audience: each page sits with the people it is for.
SECTIONS = {
    "Start here": [
        _page("start.py", "Start", ":material/home:", default=True),
    ],
    "Senior leaders": [
        _page("overview.py", "Overview", ":material/dashboard:"),
        _page("domains.py", "Well-being domains", ":material/favorite:"),
        _page("dfe_metrics.py", "DfE metrics", ":material/account_balance:"),
        _page("actions.py", "You said, we did", ":material/task_alt:"),
    ],
    "Participation teams": [
        _page("participation.py", "Participation in reviews", ":material/groups:"),
        _page("feedback.py", "Feedback from direct work", ":material/rate_review:"),
        _page("themes.py", "Themes", ":material/forum:"),
        _page("listening.py", "How we listen", ":material/hearing:"),
        _page("statement.py", "Annual statement (1a)", ":material/description:"),
    ],
    "Corporate parenting panel": [
        _page("panel_report.py", "Panel report", ":material/print:"),
    ],
    "Young inspectors": [
        _page("young_inspectors.py", "Young inspectors", ":material/emoji_people:"),
    ],
    "About the data": [
        _page("data_and_methods.py", "Data and methods", ":material/database:"),
    ],
}


BANNER_ALL = ("**SYNTHETIC DEMO DATA.** Everything shown here is invented for demonstration: "
              "no real children, families or workers. Do not quote it as evidence.")


def show_banner(state: db.DbState) -> None:
    if not state.synthetic:
        return
    if state.synthetic_loads == state.loads:
        st.warning(BANNER_ALL, icon=":material/science:")
    else:
        st.warning(f"**SYNTHETIC DEMO DATA** is mixed in: {state.synthetic_loads} of the {state.loads} loads "
                   "are invented for demonstration. See Data and methods for which.", icon=":material/science:")


def show_navigation(sections: dict) -> None:
    """The pages by audience in the sidebar, as plain links (keyboard and screen-reader friendly)."""
    with st.sidebar:
        for section, pages in sections.items():
            st.markdown(f"**{section}**")
            for p in pages:
                st.page_link(p)


def show_setup(state: db.DbState) -> None:
    """The page shown instead of every page while there is nothing to show, saying what to run."""
    if state.status == db.LOCKED:
        st.title("The database is busy")
        st.error(f"The dashboard cannot open {safe.code(state.path)}: {safe.plain(state.detail)}. A load holds the file until "
                 "it finishes; then reload this page.", icon=":material/lock:")
        return
    if state.status == db.UNPUBLISHED:
        st.title("The figures are not ready yet")
        st.info(f"`{state.path}` has data whose figures have not been worked out and checked for privacy yet "
                "(a database made by an older version, or changed outside a load). Stop the dashboard, "
                "run this, then start it again (`voice-dashboard serve` also does it by itself):",
                icon=":material/info:")
        st.code(db.publish_command(state.path), language="bash")
        return
    if state.status == db.MISSING:
        st.title("No database yet")
        st.info(f"There is no database at {safe.code(state.path)}. Stop the dashboard (Ctrl+C where it runs), build the "
                "database with the commands below, then start the dashboard again.", icon=":material/info:")
    elif state.status == db.EMPTY:
        st.title("No data loaded yet")
        st.info(f"The database {safe.code(state.path)} has no loads yet. Stop the dashboard (Ctrl+C where it runs), put "
                "data in it with the commands below, then start the dashboard again.", icon=":material/info:")
    else:
        st.title("The database cannot be read")
        st.error(f"{safe.code(state.path)} cannot be read: {safe.plain(state.detail)}. Build a new one with the commands below, "
                 "or start the dashboard on another file with `voice-dashboard serve --db FILE`.",
                 icon=":material/error:")
    st.markdown("Run these in a terminal, in the folder where voice-dashboard is installed:")
    for what, command in db.setup_commands(state.path):
        st.markdown(what)
        st.code(command, language="bash")


def main() -> None:
    person = signin.person_or_stop()
    # Only the pages of this person's role exist for this session: any other page's address opens
    # the first page they may see. The links are drawn by show_navigation(): Streamlit's own sectioned
    # menu puts each section in a <div> inside its <ul>, which screen readers cannot read as a list.
    sections = auth.visible_sections(SECTIONS, person)
    page = st.navigation(sections, position="hidden")
    state = db.state()
    if not state.ready:
        show_setup(state)
        st.stop()
    show_banner(state)
    show_navigation(sections)
    st.session_state["choice"] = selection.choose(person.may_see_la)
    if person.sees_detail:
        with st.sidebar:
            st.caption(f"Database: {safe.plain(state.path.name)} · {state.loads} load{'s' if state.loads != 1 else ''}")
    with friendly_errors(page.url_path):
        page.run()


with friendly_errors("the dashboard's shell"):
    main()
