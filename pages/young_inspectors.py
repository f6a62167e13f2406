"""young_inspectors: being built (issue 5)."""
import streamlit as st

st.title("young_inspectors")
st.info("This page is being built.")
