-- Staging for one DfE file's values inside the load transaction: the filters arrive as a list
-- of (key, value) pairs, because polars cannot hold a MAP; insert_dfe_values_incoming builds it.
CREATE OR REPLACE TEMPORARY TABLE dfe_values_incoming (
    load_id          INTEGER NOT NULL,
    dataset          VARCHAR NOT NULL,
    time_period      VARCHAR NOT NULL,
    year             INTEGER NOT NULL,
    time_identifier  VARCHAR NOT NULL,
    geographic_level VARCHAR NOT NULL,
    area_code        VARCHAR NOT NULL,
    area_name        VARCHAR NOT NULL,
    region_code      VARCHAR,
    old_la_code      VARCHAR,
    new_la_code      VARCHAR,
    filters          STRUCT(key VARCHAR, value VARCHAR)[],
    indicator        VARCHAR NOT NULL,
    value            DOUBLE,
    status           VARCHAR NOT NULL
);
