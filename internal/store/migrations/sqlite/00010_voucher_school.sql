-- +goose Up
-- A camp's voucher is a referral of no school: its school may be empty.
-- SQLite changes a column's constraint only by copying the table; no
-- table refers to referrals.
CREATE TABLE referrals_new (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    code           TEXT NOT NULL UNIQUE,
    application_id INTEGER NOT NULL UNIQUE REFERENCES applications (id),
    account_id     INTEGER NOT NULL REFERENCES accounts (id),
    city           TEXT NOT NULL REFERENCES cities (slug),
    school_id      INTEGER REFERENCES schools (id),
    year           INTEGER NOT NULL,
    grade          INTEGER NOT NULL,
    language       TEXT NOT NULL DEFAULT '',
    basis          TEXT NOT NULL DEFAULT '',
    issued_at      TEXT NOT NULL,
    valid_until    TEXT NOT NULL,
    ends_at        TEXT NOT NULL,
    status         TEXT NOT NULL,
    closed_at      TEXT,
    kind           TEXT NOT NULL DEFAULT 'referral',
    profile        TEXT NOT NULL DEFAULT '',
    shift_id       INTEGER REFERENCES camp_shifts (id)
) STRICT;
INSERT INTO referrals_new (id, number, code, application_id, account_id, city, school_id, year, grade, language, basis,
    issued_at, valid_until, ends_at, status, closed_at, kind, profile, shift_id)
SELECT id, number, code, application_id, account_id, city, school_id, year, grade, language, basis,
    issued_at, valid_until, ends_at, status, closed_at, kind, profile, shift_id FROM referrals;
DROP TABLE referrals;
ALTER TABLE referrals_new RENAME TO referrals;
CREATE INDEX referrals_due ON referrals (status, ends_at);
CREATE INDEX referrals_seats ON referrals (school_id, year, grade, status);
CREATE INDEX referrals_account ON referrals (account_id, id);

-- +goose Down
CREATE TABLE referrals_old (
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
    closed_at      TEXT,
    kind           TEXT NOT NULL DEFAULT 'referral',
    profile        TEXT NOT NULL DEFAULT '',
    shift_id       INTEGER REFERENCES camp_shifts (id)
) STRICT;
INSERT INTO referrals_old (id, number, code, application_id, account_id, city, school_id, year, grade, language, basis,
    issued_at, valid_until, ends_at, status, closed_at, kind, profile, shift_id)
SELECT id, number, code, application_id, account_id, city, school_id, year, grade, language, basis,
    issued_at, valid_until, ends_at, status, closed_at, kind, profile, shift_id FROM referrals WHERE school_id IS NOT NULL;
DROP TABLE referrals;
ALTER TABLE referrals_old RENAME TO referrals;
CREATE INDEX referrals_due ON referrals (status, ends_at);
CREATE INDEX referrals_seats ON referrals (school_id, year, grade, status);
CREATE INDEX referrals_account ON referrals (account_id, id);
