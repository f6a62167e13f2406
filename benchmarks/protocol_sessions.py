"""Readers who are not drawn: Streamlit sessions driven over its own websocket protocol.

A reader's browser runs on their own laptop; the dashboard's server only answers it. Twenty Chromiums
on this 2-core machine measure the Chromiums (they took 86-89% of the CPU while the server took 4-6%).
This client asks for pages exactly as the browser does (the same `BackMsg` protobuf on the same
`/_stcore/stream` websocket: a new session for a page opened from its address, a rerun of the open
session for a sidebar click) and reads every message the server sends until the run has finished, so
the server does all of its work for the page: the script runs, every figure is looked up, every chart
is built and serialised and sent. Only the drawing is left out.

A visit's time is from the request sent to `script_finished` received. A visit is an error when the
run ends any other way, Streamlit sends an exception element, or the page shows the dashboard's own
error message (dashboard.errors).
"""
from __future__ import annotations

import asyncio
import dataclasses
import time
from dataclasses import dataclass

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dashboard.errors import ERROR_LEADS
EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
DONE = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY


@dataclass(frozen=True)
class Visit:
    seconds: float
    error: str | None
    messages: int
    bytes: int
    headings: tuple[str, ...] = ()     # the page's titles and headers, to tell which page was run


def page_name(path: str) -> str:
    """A page's name in the protocol: its address without the slash ("" for the start page)."""
    return path.strip("/")


def element_error(msg: ForwardMsg) -> str | None:
    """The error a delta puts on the page, if it is one."""
    if not msg.HasField("delta") or not msg.delta.HasField("new_element"):
        return None
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        return f"exception: {element.exception.type}: {element.exception.message[:100]}"
    if kind == "alert" and any(lead in element.alert.body for lead in ERROR_LEADS):
        return "error text on the page"
    return None


class Session:
    """One reader's session: one websocket, as one browser tab holds."""

    def __init__(self, url: str):
        self.ws_url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.ws = None

    async def open(self) -> None:
        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                           compression=None, open_timeout=60)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def run(self, path: str, query: str, timeout: float) -> Visit:
        """Ask for a page with a selection (`?la=...`) and read until its run has finished."""
        back = BackMsg()
        back.rerun_script.query_string = query.lstrip("?")
        back.rerun_script.page_name = page_name(path)
        started = time.perf_counter()
        messages = size = 0
        error = None
        headings: list[str] = []
        try:
            await self.ws.send(back.SerializeToString())
            async with asyncio.timeout(timeout):
                while True:
                    data = await self.ws.recv()
                    messages += 1
                    size += len(data)
                    msg = ForwardMsg()
                    msg.ParseFromString(data)
                    error = error or element_error(msg)
                    if msg.HasField("delta") and msg.delta.new_element.WhichOneof("type") == "heading":
                        headings.append(msg.delta.new_element.heading.body)
                    if msg.HasField("page_not_found"):
                        error = error or f"page not found: {path}"
                    if msg.HasField("script_finished"):
                        if msg.script_finished == EARLY_FOR_RERUN:
                            continue        # the app asked for another run: the reader waits for it
                        if msg.script_finished != DONE:
                            error = error or f"run ended with status {msg.script_finished}"
                        break
        except (TimeoutError, websockets.ConnectionClosed, OSError) as exc:
            error = f"{type(exc).__name__}: {str(exc)[:100]}"
        return Visit(time.perf_counter() - started, error, messages, size, tuple(headings))


async def new_tab(url: str, path: str, query: str, timeout: float = 60) -> tuple[Session, Visit]:
    """A page opened in a new tab (a new session), timed from the opening; the session stays open for
    the next pages (closed already when it could not be opened)."""
    session = Session(url)
    started = time.perf_counter()
    try:
        await session.open()
    except (TimeoutError, websockets.InvalidHandshake, OSError) as exc:
        return session, Visit(time.perf_counter() - started, f"{type(exc).__name__}: {str(exc)[:100]}", 0, 0)
    visit = await session.run(path, query, timeout)
    return session, dataclasses.replace(visit, seconds=time.perf_counter() - started)


async def address_visit(url: str, path: str, query: str, timeout: float = 60) -> Visit:
    """A page opened from the address bar: a new session, as a new tab or a reload makes."""
    session, visit = await new_tab(url, path, query, timeout)
    await session.close()
    return visit
