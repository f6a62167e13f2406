"""participation: being built (issue 5)."""
import streamlit as st

st.title("participation")
st.info("This page is being built.")
