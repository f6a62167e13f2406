"""Streamlit's own command line, with the dashboard's one server-side change: no /_stcore/metrics.

Streamlit always serves /_stcore/metrics (session counts, cache sizes) to anyone who can reach the
port, and has no option to turn it off. `voice-dashboard serve` starts Streamlit through this module,
which drops that route unless VOICE_METRICS=on. tests/test_serve_security.py checks the answer is 404,
so a Streamlit upgrade that moves the route fails there rather than quietly exposing it.
"""
from __future__ import annotations

import os
import sys


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
    if os.environ.get("VOICE_METRICS", "off").lower() != "on":
        from streamlit.web.server.starlette import starlette_app

        starlette_app.create_metrics_routes = _metrics_refused
    from streamlit.web.cli import main as streamlit_cli

    return streamlit_cli()


if __name__ == "__main__":
    sys.exit(main())
