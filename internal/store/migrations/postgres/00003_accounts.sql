-- +goose Up
-- Parents' cabinet accounts, one per person of the registry who has signed
-- in (or asked for a code) at least once. The phone is the one on record
-- until the parent confirms another; password_hash is empty until the first
-- password is set.
CREATE TABLE accounts (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    iin                 TEXT NOT NULL UNIQUE,
    phone               TEXT NOT NULL,            -- main phone, E.164
    extra_phone         TEXT NOT NULL DEFAULT '', -- E.164 or empty
    email               TEXT NOT NULL DEFAULT '', -- confirmed address or empty
    lang                TEXT NOT NULL,            -- language of messages
    notify_sms          BOOLEAN NOT NULL DEFAULT TRUE,
    notify_email        BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash       TEXT NOT NULL DEFAULT '',
    password_changed_at TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL
);

-- Signed-in sessions: the cookie holds a random token, the table its hash.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL, -- the absolute end
    user_agent   TEXT NOT NULL DEFAULT '',
    client       TEXT NOT NULL DEFAULT '' -- the client address, masked
);
CREATE INDEX sessions_account ON sessions (account_id);

-- One-time codes, each bound to one attempt (the attempt's cookie holds a
-- random token, the table its hash). purpose is 'signin' (first sign-in and
-- reset) or 'phone' (confirming a new main phone). code_hash is empty when
-- no code was sent (an IIN without a person or a phone): such an attempt
-- looks the same and never succeeds.
CREATE TABLE challenges (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    purpose     TEXT NOT NULL,
    subject     TEXT NOT NULL,           -- the IIN's key (a hash), for the limits
    account_id  BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
    target      TEXT NOT NULL DEFAULT '', -- the phone the code went to
    code_hash   TEXT NOT NULL DEFAULT '',
    wrong       INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL,
    sent_at     TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    verified_at TIMESTAMPTZ,
    used_at     TIMESTAMPTZ
);

-- What the limits count: code sends and failures, per IIN key and per
-- client key, so that they hold across processes.
CREATE TABLE attempts (
    id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key  TEXT NOT NULL,
    kind TEXT NOT NULL, -- 'sms', 'failure', 'success'
    at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX attempts_key_kind_at ON attempts (key, kind, at);

-- An IIN locked after too many failures, until the time given.
CREATE TABLE locks (
    key   TEXT PRIMARY KEY,
    until TIMESTAMPTZ NOT NULL
);

-- E-mail addresses waiting for the owner to open the confirmation link.
CREATE TABLE email_confirmations (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);

-- The event feed: everything that happened to an account, newest last.
CREATE TABLE events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    data       JSONB NOT NULL DEFAULT '{}', -- JSON; never a code or a secret
    created_at TIMESTAMPTZ NOT NULL,
    read_at    TIMESTAMPTZ
);
CREATE INDEX events_account ON events (account_id, id);

-- Deliveries are both the notification jobs and the statuses the feed
-- shows: one row per (event, channel), written in the event's transaction.
-- status: queued, sending, delivered, temporary (failed, will retry),
-- permanent (failed for good). data holds the message's placeholders and
-- is emptied once the delivery is finished, so no code outlives it.
CREATE TABLE deliveries (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id      BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    channel       TEXT NOT NULL,
    recipient     TEXT NOT NULL,
    lang          TEXT NOT NULL,
    message       TEXT NOT NULL, -- the message key
    data          JSONB NOT NULL DEFAULT '{}',
    status        TEXT NOT NULL DEFAULT 'queued',
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       TIMESTAMPTZ NOT NULL,  -- when it may be tried (again)
    claimed_until TIMESTAMPTZ,           -- a worker holds it until then
    provider_id   TEXT NOT NULL DEFAULT '',
    last_error    TEXT NOT NULL DEFAULT '',
    fallback_of   BIGINT REFERENCES deliveries (id),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (event_id, channel)
);
CREATE INDEX deliveries_due ON deliveries (status, next_at);

-- The audit log: sign-ins, failures, locks and settings changes. Append
-- only; detail never holds an IIN, phone, code, password or token.
CREATE TABLE audit (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    subject    TEXT NOT NULL DEFAULT '', -- the IIN's key when no account
    action     TEXT NOT NULL,
    client     TEXT NOT NULL DEFAULT '', -- masked client address
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_account ON audit (account_id, id);

-- +goose Down
DROP TABLE IF EXISTS audit;
DROP TABLE IF EXISTS deliveries;
DROP TABLE IF EXISTS events;
DROP TABLE IF EXISTS email_confirmations;
DROP TABLE IF EXISTS locks;
DROP TABLE IF EXISTS attempts;
DROP TABLE IF EXISTS challenges;
DROP TABLE IF EXISTS sessions;
DROP TABLE IF EXISTS accounts;
