-- Tilannekuva database schema (DuckDB). Core names are a stable contract:
-- links, tests and users' own SQL rely on them.

CREATE TABLE regions (
    code        VARCHAR PRIMARY KEY,   -- '398' municipality, '09' county, 'FI' country
    level       VARCHAR NOT NULL CHECK (level IN ('municipality', 'county', 'country')),
    name_fi     VARCHAR NOT NULL,
    name_sv     VARCHAR NOT NULL,
    name_en     VARCHAR NOT NULL,
    parent_code VARCHAR
);

CREATE TABLE target_groups (code VARCHAR PRIMARY KEY, name_fi VARCHAR NOT NULL, name_sv VARCHAR NOT NULL, name_en VARCHAR NOT NULL, sort_order INTEGER, aliases VARCHAR);
CREATE TABLE themes (code VARCHAR PRIMARY KEY, name_fi VARCHAR NOT NULL, name_sv VARCHAR NOT NULL, name_en VARCHAR NOT NULL, sort_order INTEGER, aliases VARCHAR);
CREATE TABLE observation_types (code VARCHAR PRIMARY KEY, name_fi VARCHAR NOT NULL, name_sv VARCHAR NOT NULL, name_en VARCHAR NOT NULL, sort_order INTEGER, aliases VARCHAR);
CREATE TABLE service_units (code VARCHAR PRIMARY KEY, name_fi VARCHAR NOT NULL, name_sv VARCHAR NOT NULL, name_en VARCHAR NOT NULL, sort_order INTEGER, aliases VARCHAR);
CREATE TABLE followup_statuses (code VARCHAR PRIMARY KEY, name_fi VARCHAR NOT NULL, name_sv VARCHAR NOT NULL, name_en VARCHAR NOT NULL, sort_order INTEGER, aliases VARCHAR);
-- Units of indicators (indicators.unit holds the code or one of its aliases). additive: a count
-- (persons, times, ...) whose regions and sexes add up, so small values need complementary suppression.
CREATE TABLE units (code VARCHAR PRIMARY KEY, name_fi VARCHAR NOT NULL, name_sv VARCHAR NOT NULL, name_en VARCHAR NOT NULL, sort_order INTEGER, aliases VARCHAR, additive BOOLEAN NOT NULL DEFAULT FALSE);

-- A report is identified by its county and the form tool's id (form tools
-- number answers 1, 2, 3..., so ids collide across counties); report_key is
-- the internal key the link tables use.
CREATE TABLE reports (
    report_key       INTEGER PRIMARY KEY,
    report_id        VARCHAR NOT NULL,
    county_code      VARCHAR NOT NULL,
    submitted_on     DATE NOT NULL,
    service_unit     VARCHAR NOT NULL,
    observation_type VARCHAR NOT NULL,
    observation      VARCHAR NOT NULL,
    client_voice     VARCHAR,
    proposal         VARCHAR,
    publishable      BOOLEAN NOT NULL DEFAULT FALSE,
    highlight        BOOLEAN NOT NULL DEFAULT FALSE,  -- 'nosto': the coordinator's pick for the deck
    followup_status  VARCHAR NOT NULL DEFAULT 'new',
    handled_in       VARCHAR,
    forwarded_to     VARCHAR,
    followup_action  VARCHAR,
    search_text      VARCHAR NOT NULL DEFAULT '',    -- normalised words of the texts (dashboard.core.search)
    load_id          INTEGER,
    UNIQUE (county_code, report_id)
);

CREATE TABLE report_areas (report_key INTEGER NOT NULL, area_code VARCHAR NOT NULL, PRIMARY KEY (report_key, area_code));
CREATE TABLE report_target_groups (report_key INTEGER NOT NULL, target_group VARCHAR NOT NULL, PRIMARY KEY (report_key, target_group));
CREATE TABLE report_themes (report_key INTEGER NOT NULL, theme VARCHAR NOT NULL, PRIMARY KEY (report_key, theme));

CREATE TABLE indicators (
    indicator_id VARCHAR PRIMARY KEY,  -- 'sotkanet-127', 'local-essote-2021-women', 'demo-...'
    source       VARCHAR NOT NULL,     -- who produced it; synthetic data says so here
    name_fi      VARCHAR NOT NULL,
    name_sv      VARCHAR NOT NULL,
    name_en      VARCHAR NOT NULL,
    unit         VARCHAR NOT NULL,     -- '%', 'per 1000', 'count', ...
    decimals     INTEGER NOT NULL DEFAULT 1,
    licence      VARCHAR,
    data_updated DATE,
    description  VARCHAR,             -- in Finnish: the Finnish view shows it
    kind         VARCHAR NOT NULL CHECK (kind IN ('sotkanet', 'local', 'synthetic')),
    synthetic    BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE indicator_values (
    indicator_id VARCHAR NOT NULL,
    region_code  VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    sex          VARCHAR NOT NULL CHECK (sex IN ('total', 'male', 'female')),
    value        DOUBLE,
    abs_value    DOUBLE,   -- the count behind the value, when known
    n            INTEGER   -- size of the group a local figure was computed from
    -- One row per (indicator_id, region_code, year, sex): the imports reject or refuse
    -- repeats (dashboard.imports). No PRIMARY KEY index: for five million values it
    -- would be 430 MB of a 480 MB file and slow every load; rows are stored in
    -- indicator order, so DuckDB's zone maps find an indicator's rows without one.
);

CREATE TABLE loads (
    load_id     INTEGER PRIMARY KEY,
    kind        VARCHAR NOT NULL,      -- 'codes', 'reports', 'indicators', 'sotkanet'
    what        VARCHAR NOT NULL,
    origin      VARCHAR NOT NULL,      -- file name or URL
    loaded_at   TIMESTAMP NOT NULL,
    loaded_by   VARCHAR,
    licence     VARCHAR,
    rows_read   INTEGER NOT NULL,
    rows_loaded INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    synthetic   BOOLEAN NOT NULL DEFAULT FALSE
);
