"""feedback: being built (issue 5)."""
import streamlit as st

st.title("feedback")
st.info("This page is being built.")
