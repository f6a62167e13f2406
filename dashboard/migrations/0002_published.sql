-- Published figures: computed and passed through the disclosure gate once, when data changes
-- (after every load, in the load's own transaction), then read by every page, command and report
-- as plain lookups. Nothing in these tables skipped the gate; a hidden figure has no number here.

CREATE TABLE published_release (
    release_id      INTEGER PRIMARY KEY,
    published_at    TIMESTAMP NOT NULL,
    last_load_id    INTEGER,              -- the newest load the release includes (NULL: none)
    seconds         DOUBLE NOT NULL,      -- how long computing and gating took
    figures         BIGINT NOT NULL,
    hidden          BIGINT NOT NULL,
    tool_version    VARCHAR NOT NULL,
    fingerprint     VARCHAR NOT NULL      -- catalogue, disclosure rules and tool version used
);

-- One row per figure the product can show: every indicator, LA (and the pool of all LAs, la_code
-- 'pool'), wave or year, cohort, age band, breakdown group and category.
CREATE TABLE published_figures (
    release_id      INTEGER NOT NULL,
    sort_key        INTEGER NOT NULL,     -- the indicator's place in the catalogue
    indicator_id    VARCHAR NOT NULL,
    domain          VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    title           VARCHAR NOT NULL,
    la_code         VARCHAR NOT NULL,
    la_name         VARCHAR,
    wave            INTEGER NOT NULL,
    survey          VARCHAR,
    cohort          VARCHAR,
    age_band        VARCHAR NOT NULL,
    breakdown       VARCHAR NOT NULL,
    "group"         VARCHAR,
    category        VARCHAR NOT NULL,
    value           DOUBLE,
    status          VARCHAR NOT NULL,
    numerator       BIGINT,
    base            BIGINT,
    not_answered    BIGINT,
    ci_low          DOUBLE,
    ci_high         DOUBLE,
    low_base        BOOLEAN NOT NULL,
    classification  VARCHAR,
    compared_with   VARCHAR,
    comparator_value DOUBLE,
    pool_value      DOUBLE,
    pool_las        INTEGER,
    national_value  DOUBLE,
    national_source VARCHAR,
    general_population_value DOUBLE,
    england_value   DOUBLE,
    region_value    DOUBLE,
    neighbour_median DOUBLE,
    neighbours_used INTEGER,
    previous_wave   INTEGER,
    previous_value  DOUBLE,
    change          DOUBLE,
    change_p        DOUBLE,
    change_significant BOOLEAN,
    unit            VARCHAR,
    polarity        VARCHAR,
    reason          VARCHAR,
    note            VARCHAR               -- e.g. why a DfE comparator is not shown that year
);

-- Theme counts of every LA, period (a reporting year or 'all') and breakdown, after the gate.
CREATE TABLE published_themes (
    release_id      INTEGER NOT NULL,
    la_code         VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,
    breakdown       VARCHAR NOT NULL,
    "group"         VARCHAR,
    theme           VARCHAR NOT NULL,     -- '' for the group's total
    records         BIGINT,
    group_records   BIGINT,
    share           DOUBLE,
    status          VARCHAR NOT NULL,
    reason          VARCHAR,
    low_base        BOOLEAN NOT NULL
);
