"""The audit log of sign-ins and downloads (who, when, what), in its own SQLite file.

The dashboard opens its DuckDB database read-only (loads must be able to write it when the
dashboard is stopped, and many sessions read it), so the log cannot live there. It lives in an
append-only SQLite file beside it, VOICE.duckdb.audit.sqlite, whose schema is the migration
dashboard/migrations/audit/0004_audit_log.sql. SQLite lets many sessions of the one server append
safely. Nothing about a child is ever written: who (an email), their role, the event and what.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from dashboard import paths

SCHEMA = paths.MIGRATIONS / "audit" / "0004_audit_log.sql"
EVENTS = ("sign_in", "sign_out", "download", "refused")


@dataclass(frozen=True)
class Entry:
    at: str
    who: str
    role: str | None
    event: str
    what: str | None


def log_path(database: Path) -> Path:
    return Path(f"{database}.audit.sqlite")


def _open(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, timeout=10, isolation_level=None)
    con.executescript(SCHEMA.read_text(encoding="utf-8"))
    return con


def record(database: Path, who: str, role: str | None, event: str, what: str | None = None) -> None:
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    con = _open(log_path(database))
    try:
        con.execute("INSERT INTO audit_log (at, who, role, event, what) VALUES (?, ?, ?, ?, ?)",
                    (datetime.now(timezone.utc).isoformat(timespec="seconds"), who, role, event, what))
    finally:
        con.close()


def entries(database: Path) -> list[Entry]:
    path = log_path(database)
    if not path.exists():
        return []
    con = _open(path)
    try:
        return [Entry(*r) for r in con.execute("SELECT at, who, role, event, what FROM audit_log ORDER BY rowid")]
    finally:
        con.close()
