"""Building blocks for the Streamlit pages: the shared selection, gated data and accessible charts."""
