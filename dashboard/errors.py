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

DAMAGED = ("**The database cannot be read: part of it is damaged.** Nothing has been changed. Tell whoever "
           "runs the dashboard this reference: **{ref}**. They can stop the dashboard and restore the latest "
           "backup.")

# The bold first sentence of each message above, taken from the message itself so that a reworded
# message is still recognised: how the browser tests and the benchmark's readers know a page's error.
ERROR_LEADS = tuple(message.split("**")[1] for message in (FRIENDLY, DAMAGED))

# What a browser test or the benchmark counts as an error on a page: Streamlit's own exception box, or
# one of the messages above (a page's error is caught and shown as one of them, not as an exception).
PAGE_ERROR_SELECTOR = ", ".join(['[data-testid="stException"]'] + [
    f'[data-testid="stAlert"]:has-text("{lead}")' for lead in ERROR_LEADS])


def _damaged(exc: BaseException) -> bool:
    """A block of the database that fails its checksum (or cannot be read from disk)."""
    import duckdb

    return isinstance(exc, duckdb.Error) and "Corrupt database file" in str(exc)


def new_reference() -> str:
    """A short id to match what the reader saw with the server's log (8 hex characters)."""
    return secrets.token_hex(4)


@contextmanager
def friendly_errors(where: str) -> Iterator[None]:
    """Run a page's drawing; on any error, log it with a reference and show the friendly message.

    Streamlit's st.stop / st.rerun / st.switch_page are BaseExceptions and pass straight through."""
    try:
        yield
    except Exception as exc:
        ref = new_reference()
        if _damaged(exc):
            from dashboard import db

            LOG.exception("error %s on %s: the database %s is damaged; stop the dashboard and restore the "
                          "latest backup with 'voice-dashboard restore BACKUP_FILE --db %s' (see 'Backup and "
                          "restore' in the README)", ref, where, db.db_path(), db.db_path())
            st.error(DAMAGED.format(ref=ref), icon=":material/error:")
            return
        LOG.exception("error %s on %s", ref, where)
        st.error(FRIENDLY.format(ref=ref), icon=":material/error:")
