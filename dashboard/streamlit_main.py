"""`python -m dashboard.streamlit_main run ...`: Streamlit's own command line, with two server-side
changes the dashboard needs.

1. The libraries the pages use are imported first, in the server's main thread. Streamlit runs
   each browser session's script in a thread of its own; if the first sessions after a start all
   import pandas, plotly or matplotlib at once, one thread can see another's half-imported module
   ("partially initialized module 'pandas'").
2. No /_stcore/metrics. Streamlit always serves it (session counts, cache sizes) to anyone who can
   reach the port, and has no option to turn it off: this drops that route unless VOICE_METRICS=on.
   tests/test_serve_security.py checks the answer is 404, so a Streamlit upgrade that moves the
   route fails there rather than quietly exposing it.
"""
from __future__ import annotations

import os
import sys


def _import_page_libraries() -> None:
    import duckdb  # noqa: F401
    import matplotlib

    matplotlib.use("Agg")   # the reports draw charts off-screen, from many threads
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import plotly.express  # noqa: F401
    import plotly.graph_objects  # noqa: F401
    import polars  # noqa: F401
    import pyarrow  # noqa: F401


def _metrics_refused(runtime, base_url):
    """The metrics route answering 404 Not Found (removing it would let the page's HTML answer instead)."""
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from streamlit.web.server.starlette import starlette_routes

    async def refused(request):
        return PlainTextResponse("Not Found", status_code=404)

    return [Route(starlette_routes._with_base(starlette_routes.ROUTE_METRICS, base_url), refused,
                  methods=["GET", "OPTIONS", "HEAD"])]


def main() -> int:
    _import_page_libraries()
    if os.environ.get("VOICE_METRICS", "off").lower() != "on":
        from streamlit.web.server.starlette import starlette_app

        starlette_app.create_metrics_routes = _metrics_refused
    from streamlit.web.cli import main as streamlit_cli

    return streamlit_cli()


if __name__ == "__main__":
    sys.exit(main())
