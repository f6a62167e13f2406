"""What people write in the app for data set 1a: Lundy self-assessment answers and the LA's own
text for each year's statement (introduction, commitments).

Why a side file and not the database: the app opens DuckDB read-only (many readers, one writer
process at a time; a writing app would lock out every load). These few, hand-written entries go to
an append-only JSON-lines file beside the database (`<db>.1a.jsonl`): every entry keeps who wrote
it and when, the latest entry for a key wins, and nothing is ever overwritten, so the history is
the file. Back it up with the database.
"""
from __future__ import annotations

import fcntl
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

TEXT_FIELDS = {"introduction": "Introduction", "commitments": "Our commitments for the coming year",
               "monitoring": "How we check that practice listens (section A)",
               "child_friendly_intro": "A few words for children and young people (child-friendly version)",
               "commitments_child": "Our promises, in words for children (child-friendly version)"}


@dataclass(frozen=True)
class Entry:
    kind: str          # lundy | text
    la_code: str
    key: str           # lundy: activity_id/question_id; text: year/field
    value: str
    note: str
    by: str
    at: str            # ISO time, UTC


def path_for(db: Path) -> Path:
    db = Path(db)
    return db.with_name(db.name + ".1a.jsonl")


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def append(db: Path, kind: str, la_code: str, key: str, value: str, by: str, note: str = "") -> Entry:
    if not by.strip():
        raise ValueError("say who is writing this (a name or role): every entry keeps who and when")
    entry = Entry(kind, la_code, key, value, note, by.strip(), _now())
    target = path_for(db)
    with target.open("a", encoding="utf-8") as fh:
        # One writer at a time, so two people saving at once cannot interleave their lines.
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            fh.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
    return entry


def entries(db: Path) -> list[Entry]:
    target = path_for(db)
    if not target.is_file():
        return []
    out = []
    for line in target.read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.append(Entry(**json.loads(line)))
    return out


def latest(db: Path, kind: str, la_code: str) -> dict[str, Entry]:
    """key -> the latest entry of this kind for the LA."""
    found: dict[str, Entry] = {}
    for e in entries(db):
        if e.kind == kind and e.la_code == la_code:
            found[e.key] = e
    return found


def lundy_answers(db: Path, la_code: str) -> dict[str, dict[str, Entry]]:
    """activity_id -> question_id -> latest answer."""
    out: dict[str, dict[str, Entry]] = {}
    for key, e in latest(db, "lundy", la_code).items():
        activity, question = key.split("/", 1)
        out.setdefault(activity, {})[question] = e
    return out


def save_lundy(db: Path, la_code: str, activity_id: str, question_id: str, answer: str, by: str) -> Entry:
    return append(db, "lundy", la_code, f"{activity_id}/{question_id}", answer, by)


def la_text(db: Path, la_code: str, year: int) -> dict[str, Entry]:
    """field -> the latest text the LA wrote for that year's statement."""
    return {k.split("/", 1)[1]: e for k, e in latest(db, "text", la_code).items() if k.startswith(f"{year}/")}


def save_text(db: Path, la_code: str, year: int, field: str, text: str, by: str) -> Entry:
    if field not in TEXT_FIELDS:
        raise ValueError(f"unknown statement text '{field}': one of {', '.join(TEXT_FIELDS)}")
    return append(db, "text", la_code, f"{year}/{field}", text, by)
