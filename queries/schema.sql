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
-- themes.keywords: fi/sv lemmas that suggest the theme ('|'-separated); themes.support_needs: the
-- support needs of sosiaalihuoltolaki 11 § the theme maps to ('|'-separated codes of support_needs).
CREATE TABLE themes (code VARCHAR PRIMARY KEY, name_fi VARCHAR NOT NULL, name_sv VARCHAR NOT NULL, name_en VARCHAR NOT NULL, sort_order INTEGER, aliases VARCHAR, keywords VARCHAR, support_needs VARCHAR);
-- The national backbone: the ten support needs of sosiaalihuoltolaki (1301/2014) 11 §, in the law's wording.
CREATE TABLE support_needs (code VARCHAR PRIMARY KEY, name_fi VARCHAR NOT NULL, name_sv VARCHAR NOT NULL, name_en VARCHAR NOT NULL, sort_order INTEGER, aliases VARCHAR, keywords VARCHAR, law_fi VARCHAR, law_sv VARCHAR, source VARCHAR);
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
    search_text      VARCHAR NOT NULL DEFAULT '',    -- the texts' words, base forms and compound parts (dashboard.core.search)
    load_id          INTEGER,
    UNIQUE (county_code, report_id)
);

CREATE TABLE report_areas (report_key INTEGER NOT NULL, area_code VARCHAR NOT NULL, PRIMARY KEY (report_key, area_code));
CREATE TABLE report_target_groups (report_key INTEGER NOT NULL, target_group VARCHAR NOT NULL, PRIMARY KEY (report_key, target_group));
CREATE TABLE report_themes (report_key INTEGER NOT NULL, theme VARCHAR NOT NULL, PRIMARY KEY (report_key, theme));
-- The support needs the coordinator confirmed for a report (published with the analysis); a report
-- without rows here carries the support needs its themes map to (queries.analysis).
CREATE TABLE report_support_needs (report_key INTEGER NOT NULL, support_need VARCHAR NOT NULL, PRIMARY KEY (report_key, support_need));

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

-- The coordinator's published half-year analyses (dashboard.analysis.publish writes them in one new
-- version; drafts live in the workspace file beside the database and never here). One row per
-- county and period: the latest publication; analysis_publications keeps every publication.
CREATE TABLE analyses (
    county_code   VARCHAR NOT NULL,
    period_from   DATE NOT NULL,
    period_to     DATE NOT NULL,
    revision      INTEGER NOT NULL,     -- 1, 2, ... per county and period
    title         VARCHAR NOT NULL DEFAULT '',
    intro         VARCHAR NOT NULL DEFAULT '',
    published_at  TIMESTAMP NOT NULL,
    published_by  VARCHAR NOT NULL,
    draft_edit_id BIGINT,               -- the workspace journal's last edit it contains
    PRIMARY KEY (county_code, period_from, period_to)
);
CREATE TABLE analysis_publications (
    county_code   VARCHAR NOT NULL,
    period_from   DATE NOT NULL,
    period_to     DATE NOT NULL,
    revision      INTEGER NOT NULL,
    published_at  TIMESTAMP NOT NULL,
    published_by  VARCHAR NOT NULL,
    phenomena     INTEGER NOT NULL,
    reports_reviewed INTEGER NOT NULL,
    draft_edit_id BIGINT,
    PRIMARY KEY (county_code, period_from, period_to, revision)
);
CREATE TABLE analysis_phenomena (
    phenomenon_id VARCHAR PRIMARY KEY,
    county_code   VARCHAR NOT NULL,
    period_from   DATE NOT NULL,
    period_to     DATE NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('key_theme', 'observation', 'good_practice', 'proposal')),
    title         VARCHAR NOT NULL,
    body          VARCHAR NOT NULL DEFAULT '',
    service_unit  VARCHAR,              -- a section of its own (outreach), else the target groups' sections
    position      DOUBLE NOT NULL
);
CREATE TABLE analysis_phenomenon_labels (
    phenomenon_id VARCHAR NOT NULL,
    dimension     VARCHAR NOT NULL CHECK (dimension IN ('target_group', 'theme', 'support_need')),
    code          VARCHAR NOT NULL,
    PRIMARY KEY (phenomenon_id, dimension, code)
);
CREATE TABLE analysis_phenomenon_reports (
    phenomenon_id VARCHAR NOT NULL,
    report_key    INTEGER NOT NULL,
    quoted        BOOLEAN NOT NULL DEFAULT FALSE,  -- its client voice is quoted in the section
    PRIMARY KEY (phenomenon_id, report_key)
);
-- The review of each report of an analysed period, as published: who reviewed it, who decided it
-- publishable, what the privacy screen found and who overrode it, when and why. A report with
-- privacy_unresolved > 0 is never shown by queries.analysis.
CREATE TABLE report_reviews (
    report_key       INTEGER PRIMARY KEY,
    reviewed         BOOLEAN NOT NULL DEFAULT FALSE,
    reviewed_by      VARCHAR,
    reviewed_at      TIMESTAMP,
    publishable_by   VARCHAR,
    publishable_at   TIMESTAMP,
    privacy_hits     INTEGER NOT NULL DEFAULT 0,
    privacy_unresolved INTEGER NOT NULL DEFAULT 0,
    override_reason  VARCHAR,
    override_hits    VARCHAR,
    override_by      VARCHAR,
    override_at      TIMESTAMP,
    screened_hash    VARCHAR,           -- md5 of the texts screened; other texts now: not cleared
    published_in     VARCHAR,           -- 'county/from/to' of the publication that wrote it
    decided_labels   VARCHAR            -- 'theme|support_need': re-coded by the coordinator (a re-import keeps them)
);

-- The privacy screen at import (dashboard.analysis.screening): per report the md5 of the texts
-- screened, the hits found and those still unresolved (ids '|'-separated). A report with
-- unresolved > 0 is not publishable to leadership (queries.visibility) until the coordinator
-- dismisses or overrides its hits in the workbench.
CREATE TABLE report_screening (
    report_key    INTEGER PRIMARY KEY,
    screened_hash VARCHAR NOT NULL,
    hits          INTEGER NOT NULL DEFAULT 0,
    unresolved    INTEGER NOT NULL DEFAULT 0,
    open_hits     VARCHAR
);

-- What came of a report, dated: one row per report each time a follow-up load changed its status or
-- notes (dashboard.imports.followup), with the values after the change. The reporting form's receipt
-- shows "where it was taken and when" from here; reports.followup_status is the current state.
CREATE TABLE report_followup_events (
    report_key      INTEGER NOT NULL,
    changed_at      TIMESTAMP NOT NULL,
    load_id         INTEGER,
    followup_status VARCHAR,
    handled_in      VARCHAR,
    forwarded_to    VARCHAR,
    followup_action VARCHAR
);
