"""The dashboard's static tables (dashboard.ui.html_table, drawn with st.html) read back from a page
run by AppTest as pandas frames, as AppTest's `at.table` gives st.table's: the column names, and each
column's values with pandas' types (a column of years reads back as integers)."""
from __future__ import annotations

import io

import pandas as pd
from streamlit.testing.v1 import AppTest

MARK = 'data-testid="vd-table"'


def static_tables(at: AppTest) -> list[pd.DataFrame]:
    """Every static table on the page, in page order (st.table's first, should a page draw one)."""
    drawn = [pd.read_html(io.StringIO(h.value), flavor="lxml")[0] for h in at.get("html") if MARK in h.value]
    return [t.value for t in at.table] + drawn
