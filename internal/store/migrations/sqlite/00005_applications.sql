-- +goose Up
-- Drafts: applications being filled in, kept after every step. Before the
-- parent's phone is confirmed a draft belongs to the browser that began it
-- (the hash of its draft cookie); then to the parent's account.
CREATE TABLE drafts (
    id             TEXT PRIMARY KEY,
    city           TEXT NOT NULL REFERENCES cities (slug),
    kind           TEXT NOT NULL,
    account_id     INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    browser        TEXT NOT NULL DEFAULT '',
    answers        TEXT NOT NULL DEFAULT '{}', -- JSON
    done           TEXT NOT NULL DEFAULT '[]', -- JSON: the steps completed
    application_id INTEGER,                    -- set when submitted
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX drafts_account ON drafts (account_id);

-- The last number issued per city, kind and campaign year.
CREATE TABLE application_numbers (
    city TEXT NOT NULL,
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (city, kind, year)
) STRICT;

-- Applications. child is the child's key (the IIN, or name and birth date
-- for a child without one). One active application of a kind and basis per
-- child and campaign, enforced here and not only before the insert.
CREATE TABLE applications (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,
    city        TEXT NOT NULL REFERENCES cities (slug),
    kind        TEXT NOT NULL,
    year        INTEGER NOT NULL,
    basis       TEXT NOT NULL DEFAULT '',
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    draft_id    TEXT NOT NULL UNIQUE REFERENCES drafts (id),
    child       TEXT NOT NULL,
    school_id   INTEGER REFERENCES schools (id),
    status      TEXT NOT NULL,
    answers     TEXT NOT NULL DEFAULT '{}', -- JSON
    received_at TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX applications_account ON applications (account_id, id);
CREATE UNIQUE INDEX applications_one_active ON applications (city, kind, year, basis, child)
    WHERE status IN ('submitted', 'accepted', 'waiting', 'referral');

-- The timeline of an application: every status it took, when, by whom
-- (the parent or a staff member) and why.
CREATE TABLE application_history (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    status         TEXT NOT NULL,
    at             TEXT NOT NULL,
    actor          TEXT NOT NULL DEFAULT '', -- 'parent', or a staff member's name
    reason         TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX application_history_application ON application_history (application_id, id);

-- +goose Down
DROP TABLE application_history;
DROP TABLE applications;
DROP TABLE application_numbers;
DROP TABLE drafts;
