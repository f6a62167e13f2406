-- 0004 The audit log: who signed in, and who downloaded what, when. Never children's data: only
-- the person's email, their role, the event and what it was about (a file name offered for
-- download, the page). Applied by dashboard/audit_log.py to its own SQLite file beside the
-- database (VOICE.duckdb -> VOICE.duckdb.audit.sqlite), because the dashboard holds the DuckDB
-- file read-only; it is kept out of dashboard/migrations/ itself so that it is not applied there.
CREATE TABLE IF NOT EXISTS audit_log (
    at      TEXT NOT NULL,     -- UTC, ISO 8601
    who     TEXT NOT NULL,     -- the signed-in email, or 'local' in local single-user mode
    role    TEXT,
    event   TEXT NOT NULL,     -- sign_in, sign_out, download, refused
    what    TEXT               -- the file offered for download, or why access was refused
);
