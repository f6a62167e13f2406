"""themes: being built (issue 5)."""
import streamlit as st

st.title("themes")
st.info("This page is being built.")
