"""Data and methods: where every figure comes from, what each indicator is, how figures are made and
kept private, and what we do for accessibility."""
import streamlit as st

from dashboard import db, signin
from dashboard.report import methods
from dashboard.ui import charts, safe, url
from dashboard.ui.data import catalogue, load_history

st.title("Data and methods")
st.markdown("Where the figures come from, what each one measures, how they are worked out and how children's "
            "privacy is protected.")

st.header("Sources")
st.markdown("\n".join(f"- {source}" for source in methods.SOURCES))

# Load history (file names, fingerprints, the database file) is data-quality detail: admin only.
if signin.current().sees_detail:
    st.header("Load history")
    st.markdown("Every file loaded into this database, newest first. A file is loaded whole or not at all; "
                "loading the same file again changes nothing. A count of 1 to 5 records about people reads **c**.")
    charts.grid(load_history(), hide_index=True, column_config={
        "SHA-256 of the file": st.column_config.TextColumn(
            width="small", help="Fingerprint of the file's bytes: the same file always gives the same one."),
    })
    st.caption(f"Database file: {safe.code(db.db_path())}. `voice-dashboard loads` prints the same list with full fingerprints.")

st.header("The indicators")
st.markdown("Every indicator the dashboard can show: its domain of the Bright Spots Well-being Framework, where "
            "it comes from, which way is better, its unit, and what it is compared with (with sources).")
table = methods.catalogue_table(catalogue())
words = url.text(st.text_input, "Search the indicators", key="catalogue_search", param="search",
                 placeholder="for example: bedroom, DfE, care leavers",
                 help="Shows the indicators whose text contains every word typed.")
shown = methods.search(table, words)
st.caption(f"{shown.height} of {table.height} indicators" + (f" match '{safe.plain(words)}'." if words.strip() else "."))
charts.grid(shown, hide_index=True, width="stretch")

st.header("Keeping children's information private")
st.markdown("\n".join(f"- {rule}" for rule in methods.disclosure_rules()))
st.markdown("What the status codes mean:\n\n"
            + "\n".join(f"- **{code}**: {meaning}" for code, meaning in methods.status_legend()))
st.caption("The numbers above are read from the dashboard's disclosure settings (dashboard/disclosure.yaml); "
           "`voice-dashboard disclosure-audit` checks every figure against them.")

st.header("How the figures are worked out")
for topic, text in methods.how_figures_are_computed():
    st.markdown(f"**{topic}.** {text}")

st.header("Accessibility")
st.markdown("What we do:\n\n" + "\n".join(f"- {line}" for line in methods.ACCESSIBILITY_WHAT_WE_DO))
st.markdown("What we know is not yet right:\n\n" + "\n".join(f"- {line}" for line in methods.ACCESSIBILITY_LIMITS))
