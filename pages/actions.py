"""actions: being built (issue 5)."""
import streamlit as st

st.title("actions")
st.info("This page is being built.")
