"""panel_report: being built (issue 5)."""
import streamlit as st

st.title("panel_report")
st.info("This page is being built.")
