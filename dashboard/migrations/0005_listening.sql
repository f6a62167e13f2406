-- The register of the ways an LA listens to children and young people (data set 1a, part B):
-- one row per activity. Activities are about services, not children: no field is about a child.
CREATE TABLE voice_activities (
    load_id         INTEGER NOT NULL,
    la_code         VARCHAR NOT NULL,
    activity_id     VARCHAR NOT NULL,
    activity        VARCHAR NOT NULL,     -- its name, as the LA calls it
    kind            VARCHAR NOT NULL,     -- survey | group | forum | advocacy | complaints | feedback_form | audit | interview_panel | other
    cohorts         VARCHAR[] NOT NULL,   -- spec 3.7 cohorts it asks
    age_from        INTEGER,
    age_to          INTEGER,
    how_often       VARCHAR NOT NULL,     -- once | weekly | fortnightly | monthly | termly | quarterly | twice_yearly | yearly | ongoing
    owner           VARCHAR,
    findings_used   VARCHAR,              -- how findings are used, in words
    hear_back       VARCHAR,              -- how children hear back, in words
    action_source   VARCHAR,              -- the actions' source its findings are recorded under (spec 3.6)
    themes          VARCHAR[],            -- themes (spec 3.7) its findings are recorded under
    start_date      DATE NOT NULL,
    end_date        DATE,
    PRIMARY KEY (la_code, activity_id)
);
