"""Data and methods: where every figure comes from (the load history) and how loads work."""
import streamlit as st

from dashboard import db

st.title("Data and methods")

st.header("Load history")
st.markdown("Every file loaded into this database, newest first. A file is loaded whole or not at all; "
            "loading the same file again changes nothing.")
st.dataframe(db.load_history(), hide_index=True, column_config={
    "SHA-256 of the file": st.column_config.TextColumn(
        width="small", help="Fingerprint of the file's bytes: the same file always gives the same one."),
})
st.caption(f"Database file: {db.db_path()}. `voice-dashboard loads` prints the same list with full fingerprints.")

st.header("Disclosure control")
st.markdown(
    "- A percentage or mean from fewer than 10 answers is not shown.\n"
    "- A count of 1 to 5 people is not shown.\n"
    "- Figures from 10 to 29 answers are flagged: low base, read with care.\n"
    "- Where a hidden figure could be worked out from the figures shown, more figures are hidden "
    "until it cannot.\n"
    "- The same rules apply to tables, charts, downloads and reports.")
