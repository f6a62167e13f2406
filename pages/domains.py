"""domains: being built (issue 5)."""
import streamlit as st

st.title("domains")
st.info("This page is being built.")
