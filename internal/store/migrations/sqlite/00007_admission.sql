-- +goose Up
-- A refusal's comment, shown to the parent beside its reason.
ALTER TABLE application_history ADD COLUMN comment TEXT NOT NULL DEFAULT '';

-- The child's masked name («Әлихан С.»), as queues show it, and the same
-- in lower case for the search (SQLite's LOWER knows only ASCII).
ALTER TABLE applications ADD COLUMN child_name TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN child_fold TEXT NOT NULL DEFAULT '';

-- The quota queue of a school: waiting applications in the order received.
CREATE INDEX applications_queue ON applications (school_id, year, status, received_at, id);

-- A city's campaign for a year where the department changed the model
-- rules: the whole campaign.Campaign as JSON.
CREATE TABLE campaigns (
    city       TEXT NOT NULL REFERENCES cities (slug),
    year       INTEGER NOT NULL,
    settings   TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (city, year)
) STRICT;

-- The classes a school plans in a grade for a year, where its staff set
-- them; otherwise schools.grade1_classes and grade10_classes.
CREATE TABLE seat_plans (
    school_id INTEGER NOT NULL REFERENCES schools (id),
    year      INTEGER NOT NULL,
    grade     INTEGER NOT NULL,
    classes   INTEGER NOT NULL CHECK (classes >= 0),
    PRIMARY KEY (school_id, year, grade)
) STRICT;

-- Referrals (жолдама): one per application that got a seat. A seat is
-- taken while its referral is issued or used. code is the random part of
-- the public verification link; ends_at the moment it stops being valid
-- (the midnight after valid_until in Kazakhstan).
CREATE TABLE referrals (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    code           TEXT NOT NULL UNIQUE,
    application_id INTEGER NOT NULL UNIQUE REFERENCES applications (id),
    account_id     INTEGER NOT NULL REFERENCES accounts (id),
    city           TEXT NOT NULL REFERENCES cities (slug),
    school_id      INTEGER NOT NULL REFERENCES schools (id),
    year           INTEGER NOT NULL,
    grade          INTEGER NOT NULL,
    language       TEXT NOT NULL DEFAULT '',
    basis          TEXT NOT NULL DEFAULT '',
    issued_at      TEXT NOT NULL,
    valid_until    TEXT NOT NULL,
    ends_at        TEXT NOT NULL,
    status         TEXT NOT NULL,
    closed_at      TEXT
) STRICT;
CREATE INDEX referrals_due ON referrals (status, ends_at);
CREATE INDEX referrals_seats ON referrals (school_id, year, grade, status);
CREATE INDEX referrals_account ON referrals (account_id, id);

-- Personal files: one per child of a city, at the school enrolment put it
-- in, with every movement.
CREATE TABLE pupil_files (
    id           INTEGER PRIMARY KEY,
    city         TEXT NOT NULL REFERENCES cities (slug),
    child        TEXT NOT NULL,
    name         TEXT NOT NULL,
    birth_date   TEXT,
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    school_id    INTEGER NOT NULL REFERENCES schools (id),
    grade        INTEGER NOT NULL,
    class_letter TEXT NOT NULL,
    school_year  INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (city, child)
) STRICT;
CREATE INDEX pupil_files_account ON pupil_files (account_id);
CREATE INDEX pupil_files_school ON pupil_files (school_id);

CREATE TABLE pupil_movements (
    id             INTEGER PRIMARY KEY,
    file_id        INTEGER NOT NULL REFERENCES pupil_files (id) ON DELETE CASCADE,
    at             TEXT NOT NULL,
    kind           TEXT NOT NULL,
    school_id      INTEGER NOT NULL REFERENCES schools (id),
    grade          INTEGER NOT NULL,
    class_letter   TEXT NOT NULL DEFAULT '',
    school_year    INTEGER NOT NULL,
    application_id INTEGER REFERENCES applications (id),
    note           TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX pupil_movements_file ON pupil_movements (file_id, id);

-- +goose Down
DROP TABLE IF EXISTS pupil_movements;
DROP TABLE IF EXISTS pupil_files;
DROP TABLE IF EXISTS referrals;
DROP TABLE IF EXISTS seat_plans;
DROP TABLE IF EXISTS campaigns;
DROP INDEX IF EXISTS applications_queue;
ALTER TABLE applications DROP COLUMN child_fold;
ALTER TABLE applications DROP COLUMN child_name;
ALTER TABLE application_history DROP COLUMN comment;
