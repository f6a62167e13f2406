-- What the disclosure gate decided for each family of figures at the last publish, with a digest
-- of everything that decision depends on (dashboard.engine.cells.GateState). A load gates again only
-- the families whose digest changed (in practice the LAs it loaded); the others keep these statuses.
-- No counts are kept here: the published tables hold the figures.
CREATE TABLE gate_state (
    indicator_id VARCHAR NOT NULL,
    wave         INTEGER NOT NULL,
    survey       VARCHAR,              -- NULL for records
    la_code      VARCHAR NOT NULL,
    age_band     VARCHAR NOT NULL,
    breakdown    VARCHAR NOT NULL,
    "group"      VARCHAR,
    category     VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,
    reason       VARCHAR,
    low_base     BOOLEAN NOT NULL,
    digest       VARCHAR NOT NULL
);
CREATE INDEX gate_state_indicator ON gate_state (indicator_id);
