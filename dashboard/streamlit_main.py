"""`python -m dashboard.streamlit_main run ...`: Streamlit's own command line, with two server-side
changes the dashboard needs.

1. The libraries the pages use are imported first, in the server's main thread. Streamlit runs
   each browser session's script in a thread of its own; if the first sessions after a start all
   import pandas, plotly or matplotlib at once, one thread can see another's half-imported module
   ("partially initialized module 'pandas'").
   The dashboard's own modules and what they read once per process (the indicator catalogue, the
   disclosure rules, the LA reference) are loaded here too, and Plotly's lazily imported chart
   classes: done by each of the first sessions at once, that pure-Python work held the GIL for
   seconds, and the server left its health check unanswered for more than 5 s
   (tests/browser/test_concurrency.py). Here it delays only the start, before the port is open;
   then all of it is set aside from the garbage collector (gc.freeze), which otherwise walks it in
   every full collection. (.streamlit/config.toml also turns off Streamlit's full collection after
   every script run, runner.postScriptGC: 12 sessions' runs each held the GIL for it in turn.)
2. No /_stcore/metrics. Streamlit always serves it (session counts, cache sizes) to anyone who can
   reach the port, and has no option to turn it off: this drops that route unless VOICE_METRICS=on.
   tests/test_serve_security.py checks the answer is 404, so a Streamlit upgrade that moves the
   route fails there rather than quietly exposing it.
"""
from __future__ import annotations

import gc
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


class _NoRuntimeNote:
    def filter(self, record) -> bool:
        return "No runtime found" not in record.getMessage()


def _warm_dashboard() -> None:
    import logging

    # Before the runtime exists, each st.cache_data decorator warns that it checks its settings
    # against an in-memory store; the cache itself is the runtime's, found when first called.
    quiet = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    no_runtime = _NoRuntimeNote()
    quiet.addFilter(no_runtime)
    try:
        _load_dashboard()
    finally:
        quiet.removeFilter(no_runtime)


def _load_dashboard() -> None:
    import importlib
    import pkgutil

    import plotly.graph_objects as go

    import dashboard.report
    import dashboard.ui
    from dashboard.catalogue import default_catalogue
    from dashboard.disclosure import rules
    from dashboard.reference import la_reference

    for package in (dashboard.ui, dashboard.report):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
    default_catalogue()
    rules()
    la_reference()
    # Plotly imports each trace's and layout part's class on first use: the kinds the pages draw.
    go.Figure([go.Scatter(x=[1], y=[1], marker={"symbol": "circle"}, line={"dash": "dash"}, error_x={"array": [1]}),
               go.Bar(x=[1], y=["a"], orientation="h", error_x={"array": [1]}, marker={"pattern": {"shape": "/"}}),
               go.Heatmap(z=[[1]], colorbar={"title": "a"})],
              layout={"title": "a", "legend": {"orientation": "h"}, "xaxis": {"title": "a"}, "yaxis": {"title": "a"},
                      "annotations": [{"text": "a"}], "shapes": [{"type": "line"}], "hoverlabel": {"font_size": 1},
                      "margin": {"t": 1}}).to_json()


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
    _warm_dashboard()
    # Everything loaded so far lives as long as the server: set it aside from the garbage collector,
    # whose full collections (automatic ones) would otherwise walk these ~230,000 objects again each time.
    gc.freeze()
    if os.environ.get("VOICE_METRICS", "off").lower() != "on":
        from streamlit.web.server.starlette import starlette_app

        starlette_app.create_metrics_routes = _metrics_refused
    from streamlit.web.cli import main as streamlit_cli

    return streamlit_cli()


if __name__ == "__main__":
    sys.exit(main())
