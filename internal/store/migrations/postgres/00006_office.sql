-- +goose Up
-- Staff of the back office. role: 'school' (city and school_id set),
-- 'operator' (city set) or 'admin'. totp_secret is empty until the first
-- sign-in sets up the authenticator app; totp_step is the last time step
-- whose code was taken, so that no code is taken twice.
CREATE TABLE staff_users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    city          TEXT REFERENCES cities (slug),
    school_id     BIGINT REFERENCES schools (id),
    password_hash TEXT NOT NULL,
    totp_secret   TEXT NOT NULL DEFAULT '',
    totp_step     BIGINT NOT NULL DEFAULT 0,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL
);

-- Single-use recovery codes, hashed.
CREATE TABLE staff_recovery_codes (
    user_id   BIGINT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_hash)
);

-- Sessions of staff: the cookie holds a random token, the table its hash.
-- A pending session has the right password and waits for the second
-- factor; secret is the authenticator secret it is setting up.
CREATE TABLE staff_sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    pending      BOOLEAN NOT NULL,
    secret       TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    reauth_at    TIMESTAMPTZ,
    user_agent   TEXT NOT NULL DEFAULT '',
    client       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

-- Every staff action: who, when, what, before and after (JSON). The
-- portal may only append: the triggers refuse any change or removal.
CREATE TABLE office_audit (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           TIMESTAMPTZ NOT NULL,
    user_id      BIGINT REFERENCES staff_users (id),
    actor        TEXT NOT NULL DEFAULT '',
    actor_fold   TEXT NOT NULL DEFAULT '', -- the actor in lower case, for the search
    city         TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL,
    object       TEXT NOT NULL DEFAULT '',
    before_state TEXT NOT NULL DEFAULT '',
    after_state  TEXT NOT NULL DEFAULT '',
    client       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX office_audit_city ON office_audit (city, id);
CREATE INDEX office_audit_object ON office_audit (object, id);

-- +goose StatementBegin
CREATE FUNCTION office_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'office_audit is append-only';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER office_audit_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON office_audit
    FOR EACH STATEMENT EXECUTE FUNCTION office_audit_append_only();

-- +goose Down
DROP TRIGGER IF EXISTS office_audit_no_change ON office_audit;
DROP FUNCTION IF EXISTS office_audit_append_only();
DROP TABLE IF EXISTS office_audit;
DROP TABLE IF EXISTS staff_sessions;
DROP TABLE IF EXISTS staff_recovery_codes;
DROP TABLE IF EXISTS staff_users;
