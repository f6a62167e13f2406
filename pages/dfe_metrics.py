"""dfe_metrics: being built (issue 5)."""
import streamlit as st

st.title("dfe_metrics")
st.info("This page is being built.")
