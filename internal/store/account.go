package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"sakura/internal/account"
	"sakura/internal/errs"
	"sakura/internal/notify"
)

var _ account.Store = (*DB)(nil)

// Tx runs fn in one transaction of the account store.
func (s *DB) Tx(ctx context.Context, fn func(account.Tx) error) error {
	return s.inTx(ctx, func(t tx) error { return fn(accountTx{t}) })
}

// accountTx is account.Tx on a transaction of the store.
type accountTx struct{ t tx }

var _ account.Tx = accountTx{}

func (a accountTx) row(ctx context.Context, query string, args ...any) *sql.Row {
	return a.t.QueryRowContext(ctx, a.t.s.rebind(query), args...)
}

// notFound turns sql.ErrNoRows into errs.ErrNotFound.
func notFound(op string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", op, errs.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// Guard takes a transaction-scoped advisory lock per key on PostgreSQL,
// in a fixed order so that two transactions never wait for each other.
// SQLite needs none: its write transactions begin immediately and run one
// at a time.
func (a accountTx) Guard(ctx context.Context, keys ...string) error {
	if a.t.s.dialect != Postgres {
		return nil
	}
	ids := make([]int64, 0, len(keys))
	for _, k := range keys {
		h := fnv.New64a()
		h.Write([]byte(k))
		ids = append(ids, int64(h.Sum64()))
	}
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		if _, err := a.t.exec(ctx, `SELECT pg_advisory_xact_lock(?)`, id); err != nil {
			return fmt.Errorf("guard: %w", err)
		}
	}
	return nil
}

func (a accountTx) Count(ctx context.Context, key, kind string, since time.Time) (int, error) {
	var n int
	err := a.row(ctx, `SELECT COUNT(*) FROM attempts WHERE key = ? AND kind = ? AND at > ?`,
		key, kind, a.t.s.timeArg(since)).Scan(&n)
	return n, notFound("count attempts", err)
}

func (a accountTx) OldestSince(ctx context.Context, key, kind string, since time.Time) (time.Time, error) {
	var at time.Time
	err := a.row(ctx, `SELECT MIN(at) FROM attempts WHERE key = ? AND kind = ? AND at > ?`,
		key, kind, a.t.s.timeArg(since)).Scan(optTimeCol{&at})
	return at, notFound("oldest attempt", err)
}

func (a accountTx) Record(ctx context.Context, key, kind string, at time.Time) error {
	_, err := a.t.exec(ctx, `INSERT INTO attempts (key, kind, at) VALUES (?, ?, ?)`, key, kind, a.t.s.timeArg(at))
	return notFound("record attempt", err)
}

func (a accountTx) Unrecord(ctx context.Context, key, kind string, at time.Time) error {
	_, err := a.t.exec(ctx, `DELETE FROM attempts WHERE id = (SELECT MIN(id) FROM attempts WHERE key = ? AND kind = ? AND at = ?)`,
		key, kind, a.t.s.timeArg(at))
	return notFound("unrecord attempt", err)
}

func (a accountTx) Forget(ctx context.Context, key, kind string) error {
	_, err := a.t.exec(ctx, `DELETE FROM attempts WHERE key = ? AND kind = ?`, key, kind)
	return notFound("forget attempts", err)
}

func (a accountTx) LockedUntil(ctx context.Context, key string) (time.Time, error) {
	var until time.Time
	err := a.row(ctx, `SELECT until FROM locks WHERE key = ?`, key).Scan(timeCol{&until})
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	return until, notFound("read lock", err)
}

func (a accountTx) Lock(ctx context.Context, key string, until time.Time) error {
	_, err := a.t.exec(ctx, `INSERT INTO locks (key, until) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET until = excluded.until`, key, a.t.s.timeArg(until))
	return notFound("lock", err)
}

const accountColumns = `id, iin, phone, extra_phone, email, lang, notify_sms, notify_email, password_hash, created_at`

func (a accountTx) scanAccount(row *sql.Row, op string) (account.Account, error) {
	var acc account.Account
	err := row.Scan(&acc.ID, &acc.IIN, &acc.Phone, &acc.ExtraPhone, &acc.Email, &acc.Lang,
		&acc.NotifySMS, &acc.NotifyEmail, &acc.PasswordHash, timeCol{&acc.CreatedAt})
	return acc, notFound(op, err)
}

func (a accountTx) AccountByIIN(ctx context.Context, iin string) (account.Account, error) {
	return a.scanAccount(a.row(ctx, `SELECT `+accountColumns+` FROM accounts WHERE iin = ?`, iin), "read account")
}

func (a accountTx) Account(ctx context.Context, id int64) (account.Account, error) {
	return a.scanAccount(a.row(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id), "read account")
}

func (a accountTx) CreateAccount(ctx context.Context, acc account.Account) (int64, error) {
	var id int64
	err := a.row(ctx, `INSERT INTO accounts (iin, phone, extra_phone, email, lang, notify_sms, notify_email, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		acc.IIN, acc.Phone, acc.ExtraPhone, acc.Email, string(acc.Lang), acc.NotifySMS, acc.NotifyEmail,
		a.t.s.timeArg(acc.CreatedAt)).Scan(&id)
	return id, notFound("create account", err)
}

func (a accountTx) UpdateAccount(ctx context.Context, acc account.Account) error {
	_, err := a.t.exec(ctx, `UPDATE accounts SET phone = ?, extra_phone = ?, email = ?, lang = ?,
		notify_sms = ?, notify_email = ? WHERE id = ?`,
		acc.Phone, acc.ExtraPhone, acc.Email, string(acc.Lang), acc.NotifySMS, acc.NotifyEmail, acc.ID)
	return notFound("update account", err)
}

func (a accountTx) SetPassword(ctx context.Context, id int64, hash string, at time.Time) error {
	_, err := a.t.exec(ctx, `UPDATE accounts SET password_hash = ?, password_changed_at = ? WHERE id = ?`,
		hash, a.t.s.timeArg(at), id)
	return notFound("set password", err)
}

func (a accountTx) AddChallenge(ctx context.Context, c account.Challenge) error {
	s := a.t.s
	_, err := a.t.exec(ctx, `INSERT INTO challenges (token_hash, purpose, subject, account_id, target, code_hash,
		wrong, created_at, sent_at, expires_at, verified_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.TokenHash, string(c.Purpose), c.Subject, optID(c.AccountID), c.Target, c.CodeHash, c.Wrong,
		s.timeArg(c.CreatedAt), s.timeArg(c.SentAt), s.timeArg(c.ExpiresAt), s.optTimeArg(c.VerifiedAt), s.optTimeArg(c.UsedAt))
	return notFound("add challenge", err)
}

func (a accountTx) Challenge(ctx context.Context, tokenHash string) (account.Challenge, error) {
	var c account.Challenge
	var accountID sql.NullInt64
	err := a.row(ctx, `SELECT id, token_hash, purpose, subject, account_id, target, code_hash, wrong,
		created_at, sent_at, expires_at, verified_at, used_at FROM challenges WHERE token_hash = ?`, tokenHash).
		Scan(&c.ID, &c.TokenHash, &c.Purpose, &c.Subject, &accountID, &c.Target, &c.CodeHash, &c.Wrong,
			timeCol{&c.CreatedAt}, timeCol{&c.SentAt}, timeCol{&c.ExpiresAt}, optTimeCol{&c.VerifiedAt}, optTimeCol{&c.UsedAt})
	c.AccountID = accountID.Int64
	return c, notFound("read challenge", err)
}

func (a accountTx) UpdateChallenge(ctx context.Context, c account.Challenge) error {
	s := a.t.s
	_, err := a.t.exec(ctx, `UPDATE challenges SET code_hash = ?, wrong = ?, sent_at = ?, expires_at = ?,
		verified_at = ?, used_at = ? WHERE token_hash = ?`,
		c.CodeHash, c.Wrong, s.timeArg(c.SentAt), s.timeArg(c.ExpiresAt), s.optTimeArg(c.VerifiedAt),
		s.optTimeArg(c.UsedAt), c.TokenHash)
	return notFound("update challenge", err)
}

func (a accountTx) AddSession(ctx context.Context, se account.Session) error {
	s := a.t.s
	_, err := a.t.exec(ctx, `INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, expires_at,
		user_agent, client) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		se.TokenHash, se.AccountID, s.timeArg(se.CreatedAt), s.timeArg(se.LastSeen), s.timeArg(se.ExpiresAt),
		se.UserAgent, se.Client)
	return notFound("add session", err)
}

const sessionColumns = `token_hash, account_id, created_at, last_seen_at, expires_at, user_agent, client`

func scanSession(r rowScanner) (account.Session, error) {
	var se account.Session
	err := r.Scan(&se.TokenHash, &se.AccountID, timeCol{&se.CreatedAt}, timeCol{&se.LastSeen},
		timeCol{&se.ExpiresAt}, &se.UserAgent, &se.Client)
	return se, err
}

func (a accountTx) Session(ctx context.Context, tokenHash string) (account.Session, error) {
	se, err := scanSession(a.row(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE token_hash = ?`, tokenHash))
	return se, notFound("read session", err)
}

func (a accountTx) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	_, err := a.t.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`, a.t.s.timeArg(at), tokenHash)
	return notFound("touch session", err)
}

func (a accountTx) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := a.t.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return notFound("delete session", err)
}

func (a accountTx) DeleteSessions(ctx context.Context, accountID int64, prefix, keep string) (int, error) {
	res, err := a.t.exec(ctx, `DELETE FROM sessions WHERE account_id = ? AND token_hash LIKE ? AND token_hash <> ?`,
		accountID, likePrefix(prefix), keep)
	if err != nil {
		return 0, fmt.Errorf("delete sessions: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), notFound("delete sessions", err)
}

// likePrefix makes a LIKE pattern matching strings that start with a
// prefix of hexadecimal digits (which hold no LIKE wildcards).
func likePrefix(prefix string) string {
	for _, r := range prefix {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return "-" // matches no hexadecimal hash
		}
	}
	return prefix + "%"
}

func (a accountTx) Sessions(ctx context.Context, accountID int64) ([]account.Session, error) {
	rows, err := a.t.QueryContext(ctx, a.t.s.rebind(`SELECT `+sessionColumns+` FROM sessions
		WHERE account_id = ? ORDER BY last_seen_at DESC, created_at DESC`), accountID)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	var out []account.Session
	for rows.Next() {
		se, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("list sessions: %w", err)
		}
		out = append(out, se)
	}
	return out, notFound("list sessions", rows.Err())
}

func (a accountTx) AddEmailConfirmation(ctx context.Context, c account.EmailConfirmation) error {
	s := a.t.s
	_, err := a.t.exec(ctx, `INSERT INTO email_confirmations (token_hash, account_id, email, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`, c.TokenHash, c.AccountID, c.Email, s.timeArg(c.CreatedAt), s.timeArg(c.ExpiresAt))
	return notFound("add e-mail confirmation", err)
}

func (a accountTx) EmailConfirmation(ctx context.Context, tokenHash string) (account.EmailConfirmation, error) {
	var c account.EmailConfirmation
	err := a.row(ctx, `SELECT token_hash, account_id, email, created_at, expires_at, used_at
		FROM email_confirmations WHERE token_hash = ?`, tokenHash).
		Scan(&c.TokenHash, &c.AccountID, &c.Email, timeCol{&c.CreatedAt}, timeCol{&c.ExpiresAt}, optTimeCol{&c.UsedAt})
	return c, notFound("read e-mail confirmation", err)
}

func (a accountTx) UseEmailConfirmation(ctx context.Context, tokenHash string, at time.Time) error {
	_, err := a.t.exec(ctx, `UPDATE email_confirmations SET used_at = ? WHERE token_hash = ?`, a.t.s.timeArg(at), tokenHash)
	return notFound("use e-mail confirmation", err)
}

func (a accountTx) AddEvent(ctx context.Context, e notify.Event, ds []notify.Delivery) (int64, error) {
	return a.t.s.addEvent(ctx, a.t, e, ds)
}

func (a accountTx) Audit(ctx context.Context, e account.AuditEntry) error {
	_, err := a.t.exec(ctx, `INSERT INTO audit (at, account_id, subject, action, client, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		a.t.s.timeArg(e.At), optID(e.AccountID), e.Subject, e.Action, e.Client, e.Detail)
	return notFound("audit", err)
}

func (a accountTx) Purge(ctx context.Context, before, idle, now time.Time) (int, error) {
	s := a.t.s
	steps := []struct {
		query string
		args  []any
	}{
		{`DELETE FROM attempts WHERE at < ?`, []any{s.timeArg(before)}},
		{`DELETE FROM challenges WHERE created_at < ?`, []any{s.timeArg(before)}},
		{`DELETE FROM email_confirmations WHERE expires_at < ?`, []any{s.timeArg(before)}},
		{`DELETE FROM sessions WHERE last_seen_at < ? OR expires_at < ?`, []any{s.timeArg(idle), s.timeArg(now)}},
		{`DELETE FROM locks WHERE until < ?`, []any{s.timeArg(now)}},
	}
	total := 0
	for _, st := range steps {
		res, err := a.t.exec(ctx, st.query, st.args...)
		if err != nil {
			return total, fmt.Errorf("purge: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, fmt.Errorf("purge: %w", err)
		}
		total += int(n)
	}
	return total, nil
}

// optID is an id for a column that may be NULL: zero is NULL.
func optID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// AuditLog returns the newest lines of the audit log first, at most limit:
// for tests and, later, the department's search.
func (s *DB) AuditLog(ctx context.Context, limit int) ([]account.AuditEntry, error) {
	return queryAll(ctx, s, "read audit log", func(r rowScanner) (account.AuditEntry, error) {
		var e account.AuditEntry
		var id sql.NullInt64
		err := r.Scan(timeCol{&e.At}, &id, &e.Subject, &e.Action, &e.Client, &e.Detail)
		e.AccountID = id.Int64
		return e, err
	}, `SELECT at, account_id, subject, action, client, detail FROM audit ORDER BY id DESC LIMIT ?`, limit)
}
