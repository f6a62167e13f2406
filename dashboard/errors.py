"""A friendly error with a reference id in place of any traceback on a page.

The reader sees what happened in plain words and a short reference; the details (exception,
traceback, page) go to the server's log under the same reference, so whoever runs the dashboard
can find them. Streamlit's own error details are off too (client.showErrorDetails = "none").
"""
from __future__ import annotations

import logging
import secrets
from contextlib import contextmanager
from typing import Iterator

import streamlit as st

LOG = logging.getLogger("voice_dashboard.pages")
FRIENDLY = ("**Something went wrong while drawing this page.** Nothing has been changed. Try again, or choose "
            "something else on the left. If it keeps happening, tell whoever runs the dashboard this "
            "reference: **{ref}**.")


def new_reference() -> str:
    """A short id to match what the reader saw with the server's log (8 hex characters)."""
    return secrets.token_hex(4)


@contextmanager
def friendly_errors(where: str) -> Iterator[None]:
    """Run a page's drawing; on any error, log it with a reference and show the friendly message.

    Streamlit's st.stop / st.rerun / st.switch_page are BaseExceptions and pass straight through."""
    try:
        yield
    except Exception:
        ref = new_reference()
        LOG.exception("error %s on %s", ref, where)
        st.error(FRIENDLY.format(ref=ref), icon=":material/error:")
