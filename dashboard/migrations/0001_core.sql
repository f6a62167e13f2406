-- Core tables: the LA reference, the provenance log and every loaded input.
-- Values and their status codes live in separate columns; nothing missing is stored as a number.

CREATE TABLE la_reference (
    la_code         VARCHAR PRIMARY KEY,  -- 9-character ONS code
    old_la_code     VARCHAR NOT NULL,     -- 3-digit DfE code
    la_name         VARCHAR NOT NULL,
    region_code     VARCHAR NOT NULL,
    region_name     VARCHAR NOT NULL,
    status          VARCHAR NOT NULL,     -- current | recoded | reorganised
    successor_codes VARCHAR[],            -- for recoded/reorganised areas
    changed_on      DATE,
    note            VARCHAR
);

-- One row per successful load. Failed attempts are never written anywhere.
CREATE SEQUENCE load_id_seq START 1;
CREATE TABLE load_log (
    load_id         INTEGER PRIMARY KEY DEFAULT nextval('load_id_seq'),
    kind            VARCHAR NOT NULL,
    file_name       VARCHAR NOT NULL,
    file_hash       VARCHAR NOT NULL,     -- sha256 of the file's bytes
    file_format     VARCHAR NOT NULL,
    layout          VARCHAR,              -- long | wide for surveys
    rows_read       BIGINT NOT NULL,
    rows_loaded     BIGINT NOT NULL,
    scope           VARCHAR NOT NULL,     -- what the load covers, in words
    replaced        VARCHAR,              -- what a --replace load replaced, in words
    loaded_at       TIMESTAMP NOT NULL,
    seconds         DOUBLE NOT NULL,
    tool_version    VARCHAR NOT NULL,
    synthetic       BOOLEAN NOT NULL DEFAULT FALSE
);

-- 3.1 Bright Spots survey answers, one row per respondent per question (row level: loaders only).
CREATE TABLE survey_responses (
    load_id         INTEGER NOT NULL,
    la_code         VARCHAR NOT NULL,
    survey          VARCHAR NOT NULL,     -- YLYC | YLBC
    wave            INTEGER NOT NULL,
    age_band        VARCHAR NOT NULL,
    respondent_id   VARCHAR NOT NULL,
    question_id     VARCHAR NOT NULL,
    answer          VARCHAR,              -- canonical answer text; NULL when not answered
    answer_value    INTEGER,              -- for scale and count questions
    not_answered    VARCHAR,              -- blank | dont_know | prefer_not_to_say; NULL when answered
    gender          VARCHAR NOT NULL,     -- girl | boy | other | not_stated
    placement_type  VARCHAR NOT NULL,     -- foster | kinship | residential | other | not_stated
    disability      VARCHAR NOT NULL      -- yes | no | not_stated
);

-- Counted once at load: every survey figure is computed from these counts.
CREATE TABLE survey_answer_counts (
    la_code         VARCHAR NOT NULL,
    survey          VARCHAR NOT NULL,
    wave            INTEGER NOT NULL,
    age_band        VARCHAR NOT NULL,
    question_id     VARCHAR NOT NULL,
    gender          VARCHAR NOT NULL,
    placement_type  VARCHAR NOT NULL,
    disability      VARCHAR NOT NULL,
    answer          VARCHAR,
    answer_value    INTEGER,
    not_answered    VARCHAR,
    n               BIGINT NOT NULL
);

-- 3.2 Feedback forms after direct work.
CREATE TABLE feedback_forms (
    load_id         INTEGER NOT NULL,
    la_code         VARCHAR NOT NULL,
    form_id         VARCHAR NOT NULL,
    form_date       DATE NOT NULL,
    service         VARCHAR NOT NULL,
    worker_ref      VARCHAR NOT NULL,
    family_ref      VARCHAR NOT NULL,
    respondent      VARCHAR NOT NULL,
    meeting_number  INTEGER NOT NULL,
    q1_variant      VARCHAR,
    q1              INTEGER,
    q2              INTEGER,
    q3_variant      VARCHAR,
    q3              INTEGER,
    q4              INTEGER,
    discussed       VARCHAR NOT NULL,     -- yes | no | unknown
    PRIMARY KEY (la_code, form_id)
);

-- 3.3 Participation in reviews.
CREATE TABLE reviews (
    load_id         INTEGER NOT NULL,
    la_code         VARCHAR NOT NULL,
    review_id       VARCHAR NOT NULL,
    child_ref       VARCHAR NOT NULL,
    review_date     DATE NOT NULL,
    review_type     VARCHAR NOT NULL,
    pn_code         VARCHAR NOT NULL,
    scheme          VARCHAR NOT NULL,     -- current | recommended
    PRIMARY KEY (la_code, review_id)
);

-- 3.4 Voice checks (data returns 2a and 2c).
CREATE TABLE voice_checks (
    load_id         INTEGER NOT NULL,
    la_code         VARCHAR NOT NULL,
    child_ref       VARCHAR NOT NULL,
    check_date      DATE NOT NULL,
    check_type      VARCHAR NOT NULL,
    answer          VARCHAR NOT NULL,     -- yes | no | not_appropriate
    PRIMARY KEY (la_code, child_ref, check_date, check_type)
);

-- 3.6 "You said, we did" actions.
CREATE TABLE actions (
    load_id         INTEGER NOT NULL,
    la_code         VARCHAR NOT NULL,
    action_id       VARCHAR NOT NULL,
    raised_on       DATE NOT NULL,
    source          VARCHAR NOT NULL,
    indicator_id    VARCHAR,
    theme           VARCHAR,
    we_heard        VARCHAR NOT NULL,
    we_did          VARCHAR,
    status          VARCHAR NOT NULL,
    reason          VARCHAR,
    told_children_on DATE,
    owner           VARCHAR,
    PRIMARY KEY (la_code, action_id)
);

-- 3.7 Themes from what children and families said.
CREATE TABLE themes (
    load_id         INTEGER NOT NULL,
    la_code         VARCHAR NOT NULL,
    record_id       VARCHAR NOT NULL,
    record_date     DATE NOT NULL,
    source          VARCHAR NOT NULL,
    cohort          VARCHAR NOT NULL,
    theme           VARCHAR NOT NULL,
    quote           VARCHAR,
    quote_consent   BOOLEAN NOT NULL,
    quote_publishable BOOLEAN NOT NULL,   -- consented and no name, phone, email, school or street seen
    PRIMARY KEY (la_code, record_id)
);

-- 3.5 DfE published statistics, one row per cell of an indicator column.
CREATE TABLE dfe_datasets (
    dataset         VARCHAR PRIMARY KEY,  -- file stem unless --dataset says otherwise
    load_id         INTEGER NOT NULL,
    file_name       VARCHAR NOT NULL,
    filter_columns  VARCHAR[] NOT NULL,
    indicator_columns VARCHAR[] NOT NULL,
    time_periods    VARCHAR[] NOT NULL
);

CREATE TABLE dfe_values (
    load_id         INTEGER NOT NULL,
    dataset         VARCHAR NOT NULL,
    time_period     VARCHAR NOT NULL,     -- as published: 2025, 202425 ...
    year            INTEGER NOT NULL,     -- the year the period ends in
    time_identifier VARCHAR NOT NULL,
    geographic_level VARCHAR NOT NULL,    -- National | Regional | Local authority
    area_code       VARCHAR NOT NULL,     -- E92000001, region code, or the LA's code today
    area_name       VARCHAR NOT NULL,
    region_code     VARCHAR,
    old_la_code     VARCHAR,              -- as published
    new_la_code     VARCHAR,              -- as published
    filters         MAP(VARCHAR, VARCHAR) NOT NULL,
    indicator       VARCHAR NOT NULL,
    value           DOUBLE,               -- NULL whenever status is not 'ok'
    status          VARCHAR NOT NULL      -- ok | c | k | low | u | x | z | : | .. | ~ | - | blank
);

-- Statistical neighbours: ten per LA, from the DfE neighbour files.
CREATE TABLE statistical_neighbours (
    load_id         INTEGER NOT NULL,
    model           VARCHAR NOT NULL,     -- e.g. sn_2025, sn_2021
    la_code         VARCHAR NOT NULL,
    rank            INTEGER NOT NULL,     -- 1 = closest
    neighbour_code  VARCHAR NOT NULL,
    closeness       VARCHAR,
    PRIMARY KEY (model, la_code, rank)
);
