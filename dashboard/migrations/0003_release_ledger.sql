-- The release ledger: every figure the publish step has gated, with its release. A new release
-- (a replaced wave, an LA joining, a new wave) is gated with what was already published, so that
-- subtracting two releases shows nothing the rules protect (dashboard/ledger.py).
CREATE TABLE release_ledger (
    release_id   VARCHAR NOT NULL,
    indicator_id VARCHAR NOT NULL,
    wave         INTEGER NOT NULL,
    survey       VARCHAR,              -- NULL for records
    la_code      VARCHAR NOT NULL,
    age_band     VARCHAR NOT NULL,
    breakdown    VARCHAR NOT NULL,
    "group"      VARCHAR,
    category     VARCHAR NOT NULL,
    numerator    BIGINT NOT NULL,
    base         BIGINT NOT NULL,
    status       VARCHAR NOT NULL,     -- ok | c | z: only 'ok' figures were shown
    released_at  TIMESTAMP NOT NULL
);
CREATE INDEX release_ledger_indicator ON release_ledger (indicator_id, wave);
