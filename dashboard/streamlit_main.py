"""`python -m dashboard.streamlit_main run ...`: Streamlit's own command line, with the libraries
the pages use imported first, in the server's main thread.

Streamlit runs each browser session's script in a thread of its own. If the first sessions after
a start all import pandas, plotly or matplotlib at once, one thread can see another's half-imported
module ("partially initialized module 'pandas'"). Importing them before the server starts means
no page ever imports a heavy library while serving.
"""
from __future__ import annotations

import sys

import duckdb  # noqa: F401
import matplotlib

matplotlib.use("Agg")   # the report draws charts off-screen, from many threads

import matplotlib.pyplot  # noqa: E402,F401
import numpy  # noqa: E402,F401
import pandas  # noqa: E402,F401
import plotly.express  # noqa: E402,F401
import plotly.graph_objects  # noqa: E402,F401
import polars  # noqa: E402,F401
import pyarrow  # noqa: E402,F401
from streamlit.web import cli as streamlit_cli  # noqa: E402


if __name__ == "__main__":
    sys.exit(streamlit_cli.main())
