package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"sakura/internal/errs"
	"sakura/internal/staff"
)

var _ staff.Store = (*DB)(nil)

// StaffTx runs fn in one transaction of the staff store.
func (s *DB) StaffTx(ctx context.Context, fn func(staff.Tx) error) error {
	return s.inTx(ctx, func(t tx) error { return fn(staffTx{accountTx{t}}) })
}

// staffTx is staff.Tx on a transaction of the store. The failure counts
// and locks are the cabinet's tables, keyed apart.
type staffTx struct{ accountTx }

var _ staff.Tx = staffTx{}

const staffColumns = `id, login, name, role, city, school_id, password_hash, totp_secret, totp_step, disabled, created_at`

func scanStaff(r rowScanner) (staff.User, error) {
	var u staff.User
	var city sql.NullString
	var school sql.NullInt64
	err := r.Scan(&u.ID, &u.Login, &u.Name, &u.Role, &city, &school, &u.PasswordHash, &u.TOTPSecret, &u.TOTPStep,
		&u.Disabled, timeCol{&u.CreatedAt})
	u.City, u.SchoolID = city.String, school.Int64
	return u, err
}

func (a staffTx) UserByLogin(ctx context.Context, login string) (staff.User, error) {
	u, err := scanStaff(a.row(ctx, `SELECT `+staffColumns+` FROM staff_users WHERE login = ?`, login))
	return u, notFound("read staff user", err)
}

func (a staffTx) User(ctx context.Context, id int64) (staff.User, error) {
	u, err := scanStaff(a.row(ctx, `SELECT `+staffColumns+` FROM staff_users WHERE id = ?`, id))
	return u, notFound("read staff user", err)
}

func optText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (a staffTx) AddUser(ctx context.Context, u staff.User) (int64, error) {
	var id int64
	err := a.row(ctx, `INSERT INTO staff_users (login, name, role, city, school_id, password_hash, totp_secret, totp_step,
		disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (login) DO NOTHING RETURNING id`,
		u.Login, u.Name, string(u.Role), optText(u.City), optID(u.SchoolID), u.PasswordHash, u.TOTPSecret, u.TOTPStep,
		u.Disabled, a.t.s.timeArg(u.CreatedAt)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("add staff user: login taken: %w", errs.ErrConflict)
	}
	return id, notFound("add staff user", err)
}

func (a staffTx) UpdateUser(ctx context.Context, u staff.User) error {
	_, err := a.t.exec(ctx, `UPDATE staff_users SET name = ?, role = ?, city = ?, school_id = ?, password_hash = ?,
		totp_secret = ?, totp_step = ?, disabled = ? WHERE id = ?`,
		u.Name, string(u.Role), optText(u.City), optID(u.SchoolID), u.PasswordHash, u.TOTPSecret, u.TOTPStep, u.Disabled, u.ID)
	return notFound("update staff user", err)
}

func (a staffTx) Users(ctx context.Context) ([]staff.User, error) {
	rows, err := a.t.QueryContext(ctx, `SELECT `+staffColumns+` FROM staff_users ORDER BY login`)
	if err != nil {
		return nil, fmt.Errorf("list staff users: %w", err)
	}
	defer rows.Close()
	var out []staff.User
	for rows.Next() {
		u, err := scanStaff(rows)
		if err != nil {
			return nil, fmt.Errorf("list staff users: %w", err)
		}
		out = append(out, u)
	}
	return out, notFound("list staff users", rows.Err())
}

func (a staffTx) SetRecoveryCodes(ctx context.Context, userID int64, hashes []string) error {
	if _, err := a.t.exec(ctx, `DELETE FROM staff_recovery_codes WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("set recovery codes: %w", err)
	}
	for _, h := range hashes {
		if _, err := a.t.exec(ctx, `INSERT INTO staff_recovery_codes (user_id, code_hash) VALUES (?, ?)`, userID, h); err != nil {
			return fmt.Errorf("set recovery codes: %w", err)
		}
	}
	return nil
}

func (a staffTx) UseRecoveryCode(ctx context.Context, userID int64, hash string, at time.Time) (bool, error) {
	res, err := a.t.exec(ctx, `UPDATE staff_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
		a.t.s.timeArg(at), userID, hash)
	if err != nil {
		return false, fmt.Errorf("use recovery code: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, notFound("use recovery code", err)
}

func (a staffTx) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := a.row(ctx, `SELECT COUNT(*) FROM staff_recovery_codes WHERE user_id = ? AND used_at IS NULL`, userID).Scan(&n)
	return n, notFound("count recovery codes", err)
}

const staffSessionColumns = `token_hash, user_id, pending, secret, created_at, last_seen_at, expires_at, reauth_at,
	user_agent, client`

func (a staffTx) AddSession(ctx context.Context, se staff.Session) error {
	s := a.t.s
	_, err := a.t.exec(ctx, `INSERT INTO staff_sessions (`+staffSessionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		se.TokenHash, se.UserID, se.Pending, se.Secret, s.timeArg(se.CreatedAt), s.timeArg(se.LastSeen),
		s.timeArg(se.ExpiresAt), s.optTimeArg(se.ReauthAt), se.UserAgent, se.Client)
	return notFound("add staff session", err)
}

func (a staffTx) Session(ctx context.Context, tokenHash string) (staff.Session, error) {
	var se staff.Session
	err := a.row(ctx, `SELECT `+staffSessionColumns+` FROM staff_sessions WHERE token_hash = ?`, tokenHash).
		Scan(&se.TokenHash, &se.UserID, &se.Pending, &se.Secret, timeCol{&se.CreatedAt}, timeCol{&se.LastSeen},
			timeCol{&se.ExpiresAt}, optTimeCol{&se.ReauthAt}, &se.UserAgent, &se.Client)
	return se, notFound("read staff session", err)
}

func (a staffTx) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	_, err := a.t.exec(ctx, `UPDATE staff_sessions SET last_seen_at = ? WHERE token_hash = ?`, a.t.s.timeArg(at), tokenHash)
	return notFound("touch staff session", err)
}

func (a staffTx) Reauthenticated(ctx context.Context, tokenHash string, at time.Time) error {
	_, err := a.t.exec(ctx, `UPDATE staff_sessions SET reauth_at = ?, last_seen_at = ? WHERE token_hash = ?`,
		a.t.s.timeArg(at), a.t.s.timeArg(at), tokenHash)
	return notFound("reauthenticate staff session", err)
}

func (a staffTx) SetSessionSecret(ctx context.Context, tokenHash, secret string) error {
	_, err := a.t.exec(ctx, `UPDATE staff_sessions SET secret = ? WHERE token_hash = ? AND pending`, secret, tokenHash)
	return notFound("set staff session secret", err)
}

func (a staffTx) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := a.t.exec(ctx, `DELETE FROM staff_sessions WHERE token_hash = ?`, tokenHash)
	return notFound("delete staff session", err)
}

func (a staffTx) DeleteSessions(ctx context.Context, userID int64) error {
	_, err := a.t.exec(ctx, `DELETE FROM staff_sessions WHERE user_id = ?`, userID)
	return notFound("delete staff sessions", err)
}

func (a staffTx) Audit(ctx context.Context, e staff.AuditEntry) error {
	return a.t.s.officeAudit(ctx, a.t, e)
}

// officeAudit appends a line to the back office's audit log.
func (s *DB) officeAudit(ctx context.Context, t tx, e staff.AuditEntry) error {
	_, err := t.exec(ctx, `INSERT INTO office_audit (at, user_id, actor, actor_fold, city, action, object, before_state,
		after_state, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.timeArg(e.At), optID(e.UserID), e.Actor, strings.ToLower(e.Actor), e.City, e.Action, e.Object, e.Before, e.After, e.Client)
	return notFound("office audit", err)
}

// OfficeAudit returns the lines of the back office's audit log that the
// filter selects, newest first, and how many there are in all.
func (s *DB) OfficeAudit(ctx context.Context, f staff.AuditFilter) ([]staff.AuditEntry, int, error) {
	var where []string
	var args []any
	if f.City != "" {
		where, args = append(where, "city = ?"), append(args, f.City)
	}
	if f.Actor != "" {
		where, args = append(where, `actor_fold LIKE ? ESCAPE '\'`), append(args, "%"+likeEscape(strings.ToLower(f.Actor))+"%")
	}
	if f.Action != "" {
		where, args = append(where, `action LIKE ? ESCAPE '\'`), append(args, likeEscape(f.Action)+"%")
	}
	if f.Object != "" {
		where, args = append(where, "object = ?"), append(args, f.Object)
	}
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, s.timeArg(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, s.timeArg(f.To))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM office_audit`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count office audit: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	list, err := queryAll(ctx, s, "read office audit", func(r rowScanner) (staff.AuditEntry, error) {
		var e staff.AuditEntry
		var user sql.NullInt64
		err := r.Scan(&e.ID, timeCol{&e.At}, &user, &e.Actor, &e.City, &e.Action, &e.Object, &e.Before, &e.After, &e.Client)
		e.UserID = user.Int64
		return e, err
	}, `SELECT id, at, user_id, actor, city, action, object, before_state, after_state, client FROM office_audit`+cond+
		` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	return list, total, err
}

// likeEscape escapes LIKE's wildcards in s, for a LIKE … ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
