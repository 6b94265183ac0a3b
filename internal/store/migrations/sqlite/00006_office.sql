-- +goose Up
-- Staff of the back office. role: 'school' (city and school_id set),
-- 'operator' (city set) or 'admin'. totp_secret is empty until the first
-- sign-in sets up the authenticator app; totp_step is the last time step
-- whose code was taken, so that no code is taken twice.
CREATE TABLE staff_users (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    city          TEXT REFERENCES cities (slug),
    school_id     INTEGER REFERENCES schools (id),
    password_hash TEXT NOT NULL,
    totp_secret   TEXT NOT NULL DEFAULT '',
    totp_step     INTEGER NOT NULL DEFAULT 0,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
) STRICT;

-- Single-use recovery codes, hashed.
CREATE TABLE staff_recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   TEXT,
    PRIMARY KEY (user_id, code_hash)
) STRICT;

-- Sessions of staff: the cookie holds a random token, the table its hash.
-- A pending session has the right password and waits for the second
-- factor; secret is the authenticator secret it is setting up.
CREATE TABLE staff_sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    pending      INTEGER NOT NULL,
    secret       TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    reauth_at    TEXT,
    user_agent   TEXT NOT NULL DEFAULT '',
    client       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

-- Every staff action: who, when, what, before and after (JSON). The
-- portal may only append: the triggers refuse any change or removal.
CREATE TABLE office_audit (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    user_id      INTEGER REFERENCES staff_users (id),
    actor        TEXT NOT NULL DEFAULT '',
    actor_fold   TEXT NOT NULL DEFAULT '', -- the actor in lower case, for the search
    city         TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL,
    object       TEXT NOT NULL DEFAULT '',
    before_state TEXT NOT NULL DEFAULT '',
    after_state  TEXT NOT NULL DEFAULT '',
    client       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX office_audit_city ON office_audit (city, id);
CREATE INDEX office_audit_object ON office_audit (object, id);

-- +goose StatementBegin
CREATE TRIGGER office_audit_no_update BEFORE UPDATE ON office_audit
BEGIN
    SELECT RAISE(ABORT, 'office_audit is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER office_audit_no_delete BEFORE DELETE ON office_audit
BEGIN
    SELECT RAISE(ABORT, 'office_audit is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER IF EXISTS office_audit_no_delete;
DROP TRIGGER IF EXISTS office_audit_no_update;
DROP TABLE IF EXISTS office_audit;
DROP TABLE IF EXISTS staff_sessions;
DROP TABLE IF EXISTS staff_recovery_codes;
DROP TABLE IF EXISTS staff_users;
