package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"sakura/internal/application"
	"sakura/internal/errs"
	"sakura/internal/notify"
)

var _ application.Store = (*DB)(nil)

// SaveDraft writes a draft, new or changed. A draft already submitted is
// not changed: the answer is an error matching errs.ErrConflict.
func (s *DB) SaveDraft(ctx context.Context, d application.Draft) error {
	answers, err := jsonArg(d.Answers)
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	done, err := jsonArg(d.Done)
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	return s.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, `INSERT INTO drafts (id, city, kind, account_id, browser, answers, done, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, browser = excluded.browser,
				answers = excluded.answers, done = excluded.done, updated_at = excluded.updated_at
			WHERE drafts.application_id IS NULL`,
			d.ID, d.City, string(d.Kind), optID(d.AccountID), d.Browser, answers, done,
			s.timeArg(d.CreatedAt), s.timeArg(d.UpdatedAt))
		if err != nil {
			return fmt.Errorf("save draft: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("save draft: %w", err)
		} else if n == 0 {
			return &errs.Error{Kind: errs.Conflict, Key: "application.draft_submitted", Err: errors.New("draft already submitted")}
		}
		return nil
	})
}

// Draft returns a draft, or an error matching errs.ErrNotFound.
func (s *DB) Draft(ctx context.Context, id string) (application.Draft, error) {
	var d application.Draft
	var account, app sql.NullInt64
	err := s.queryRow(ctx, `SELECT id, city, kind, account_id, browser, answers, done, application_id, created_at, updated_at
		FROM drafts WHERE id = ?`, id).
		Scan(&d.ID, &d.City, &d.Kind, &account, &d.Browser, jsonCol{&d.Answers}, jsonCol{&d.Done}, &app,
			timeCol{&d.CreatedAt}, timeCol{&d.UpdatedAt})
	d.AccountID, d.ApplicationID = account.Int64, app.Int64
	return d, notFound("read draft", err)
}

// Drafts lists an account's drafts not submitted yet, the latest changed
// first.
func (s *DB) Drafts(ctx context.Context, accountID int64) ([]application.Draft, error) {
	return queryAll(ctx, s, "list drafts", func(r rowScanner) (application.Draft, error) {
		var d application.Draft
		var account, app sql.NullInt64
		err := r.Scan(&d.ID, &d.City, &d.Kind, &account, &d.Browser, jsonCol{&d.Answers}, jsonCol{&d.Done}, &app,
			timeCol{&d.CreatedAt}, timeCol{&d.UpdatedAt})
		d.AccountID, d.ApplicationID = account.Int64, app.Int64
		return d, err
	}, `SELECT id, city, kind, account_id, browser, answers, done, application_id, created_at, updated_at
		FROM drafts WHERE account_id = ? AND application_id IS NULL ORDER BY updated_at DESC`, accountID)
}

// Submit turns a draft into an application; see application.Store. The
// draft's row is the lock: on PostgreSQL it is taken FOR UPDATE, and
// SQLite runs write transactions one at a time, so concurrent submissions
// of one draft wait for each other and the later ones find the
// application the first one made.
func (s *DB) Submit(ctx context.Context, sub application.Submission) (application.Application, bool, error) {
	var out application.Application
	created := false
	err := s.inTx(ctx, func(t tx) error {
		lock := ""
		if s.dialect == Postgres {
			lock = " FOR UPDATE"
		}
		var app sql.NullInt64
		err := t.QueryRowContext(ctx, s.rebind(`SELECT application_id FROM drafts WHERE id = ?`+lock), sub.DraftID).Scan(&app)
		if err := notFound("submit draft", err); err != nil {
			return err
		}
		if app.Valid {
			out, err = s.application(ctx, t, app.Int64)
			return err
		}

		// The same child's active application of this kind and basis
		// comes first; the unique index holds it against a race.
		if number, err := s.activeNumber(ctx, t, sub); err != nil {
			return err
		} else if number != "" {
			return duplicate(number)
		}

		var seq int
		err = t.QueryRowContext(ctx, s.rebind(`INSERT INTO application_numbers (city, kind, year, last) VALUES (?, ?, ?, 1)
			ON CONFLICT (city, kind, year) DO UPDATE SET last = application_numbers.last + 1
			RETURNING last`), sub.City, string(sub.Kind), sub.Year).Scan(&seq)
		if err != nil {
			return fmt.Errorf("submit draft: number: %w", err)
		}

		answers, err := jsonArg(sub.Answers)
		if err != nil {
			return fmt.Errorf("submit draft: %w", err)
		}
		out = application.Application{
			Number: application.MakeNumber(sub.CityCode, sub.Kind, sub.Year, seq), City: sub.City, Kind: sub.Kind,
			Year: sub.Year, Basis: sub.Basis, AccountID: sub.Account, DraftID: sub.DraftID, Child: sub.Child,
			ChildName: sub.Answers.MaskedChild(), SchoolID: sub.SchoolID, Status: application.Submitted, Answers: sub.Answers,
			ReceivedAt: sub.At, UpdatedAt: sub.At,
		}
		err = t.QueryRowContext(ctx, s.rebind(`INSERT INTO applications (number, city, kind, year, basis, account_id, draft_id,
			child, child_name, child_fold, grade, profile, shift_id, school_id, status, answers, received_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING RETURNING id`),
			string(out.Number), out.City, string(out.Kind), out.Year, string(out.Basis), out.AccountID, out.DraftID,
			out.Child, out.ChildName, strings.ToLower(out.ChildName), out.Grade(), sub.Answers.Profile,
			optID(sub.Answers.ShiftID), optID(out.SchoolID), string(out.Status), answers, s.timeArg(out.ReceivedAt), s.timeArg(out.UpdatedAt)).
			Scan(&out.ID)
		if errors.Is(err, sql.ErrNoRows) {
			// Another draft for the same child won the race.
			number, err := s.activeNumber(ctx, t, sub)
			if err != nil {
				return err
			}
			return duplicate(number)
		}
		if err != nil {
			return fmt.Errorf("submit draft: %w", err)
		}

		if _, err := t.exec(ctx, `UPDATE drafts SET application_id = ?, updated_at = ? WHERE id = ?`,
			out.ID, s.timeArg(sub.At), sub.DraftID); err != nil {
			return fmt.Errorf("submit draft: %w", err)
		}
		if err := s.addHistory(ctx, t, out.ID, application.Change{Status: application.Submitted, At: sub.At, Actor: application.ActorParent}); err != nil {
			return fmt.Errorf("submit draft: %w", err)
		}
		if sub.Event.Kind != "" {
			// The event and its messages name the number just issued.
			e := sub.Event
			e.AccountID, e.CreatedAt = sub.Account, sub.At
			e.Data = map[string]string{"number": string(out.Number)}
			ds := slices.Clone(sub.Deliveries)
			for i := range ds {
				ds[i].Data.Number = string(out.Number)
			}
			if _, err := s.addEvent(ctx, t, e, ds); err != nil {
				return fmt.Errorf("submit draft: %w", err)
			}
		}
		created = true
		return nil
	})
	if err != nil {
		return application.Application{}, false, err
	}
	return out, created, nil
}

// duplicate is the refusal of a second active application for a child.
func duplicate(number application.Number) error {
	return &errs.Error{Kind: errs.Conflict, Key: "application.duplicate", Args: map[string]any{"Number": string(number)}}
}

// activeNumber returns the number of the child's active application of the
// submission's kind and basis in its campaign, or "".
func (s *DB) activeNumber(ctx context.Context, t tx, sub application.Submission) (application.Number, error) {
	var number string
	err := t.QueryRowContext(ctx, s.rebind(`SELECT number FROM applications
		WHERE city = ? AND kind = ? AND year = ? AND basis = ? AND child = ?
		AND status IN ('submitted', 'accepted', 'waiting', 'referral', 'voucher', 'granted')`),
		sub.City, string(sub.Kind), sub.Year, string(sub.Basis), sub.Child).Scan(&number)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("find active application: %w", err)
	}
	return application.Number(number), nil
}

const applicationColumns = `id, number, city, kind, year, basis, account_id, draft_id, child, child_name, school_id,
	status, answers, received_at, updated_at`

func scanApplication(r rowScanner) (application.Application, error) {
	var a application.Application
	var school sql.NullInt64
	err := r.Scan(&a.ID, &a.Number, &a.City, &a.Kind, &a.Year, &a.Basis, &a.AccountID, &a.DraftID, &a.Child, &a.ChildName,
		&school, &a.Status, jsonCol{&a.Answers}, timeCol{&a.ReceivedAt}, timeCol{&a.UpdatedAt})
	a.SchoolID = school.Int64
	return a, err
}

func (s *DB) application(ctx context.Context, t tx, id int64) (application.Application, error) {
	a, err := scanApplication(t.QueryRowContext(ctx, s.rebind(`SELECT `+applicationColumns+` FROM applications WHERE id = ?`), id))
	return a, notFound("read application", err)
}

// Application returns an application by id, or an error matching
// errs.ErrNotFound.
func (s *DB) Application(ctx context.Context, id int64) (application.Application, error) {
	a, err := scanApplication(s.queryRow(ctx, `SELECT `+applicationColumns+` FROM applications WHERE id = ?`, id))
	return a, notFound("read application", err)
}

// Applications lists an account's applications, newest first.
func (s *DB) Applications(ctx context.Context, accountID int64) ([]application.Application, error) {
	return queryAll(ctx, s, "list applications", scanApplication,
		`SELECT `+applicationColumns+` FROM applications WHERE account_id = ? ORDER BY id DESC`, accountID)
}

func (s *DB) addHistory(ctx context.Context, t tx, id int64, c application.Change) error {
	_, err := t.exec(ctx, `INSERT INTO application_history (application_id, status, at, actor, reason, comment)
		VALUES (?, ?, ?, ?, ?, ?)`, id, string(c.Status), s.timeArg(c.At), c.Actor, c.Reason, c.Comment)
	return err
}

// History returns an application's timeline, oldest first.
func (s *DB) History(ctx context.Context, id int64) ([]application.Change, error) {
	return queryAll(ctx, s, "read application history", func(r rowScanner) (application.Change, error) {
		var c application.Change
		err := r.Scan(&c.Status, timeCol{&c.At}, &c.Actor, &c.Reason, &c.Comment)
		return c, err
	}, `SELECT status, at, actor, reason, comment FROM application_history WHERE application_id = ? ORDER BY id`, id)
}

// Withdraw withdraws a parent's application that is not decided yet, with
// its event, in one transaction. An application of another account is not
// found; one already decided or withdrawn is an errs.Conflict keyed
// "application.not_withdrawable".
func (s *DB) Withdraw(ctx context.Context, id, accountID int64, e notify.Event, at time.Time) (application.Application, error) {
	var out application.Application
	err := s.inTx(ctx, func(t tx) error {
		lock := ""
		if s.dialect == Postgres {
			lock = " FOR UPDATE"
		}
		a, err := scanApplication(t.QueryRowContext(ctx, s.rebind(`SELECT `+applicationColumns+` FROM applications
			WHERE id = ? AND account_id = ?`+lock), id, accountID))
		if err := notFound("withdraw application", err); err != nil {
			return err
		}
		if !a.Status.Withdrawable() {
			return &errs.Error{Kind: errs.Conflict, Key: "application.not_withdrawable"}
		}
		if _, err := t.exec(ctx, `UPDATE applications SET status = ?, updated_at = ? WHERE id = ?`,
			string(application.Withdrawn), s.timeArg(at), id); err != nil {
			return fmt.Errorf("withdraw application: %w", err)
		}
		if err := s.addHistory(ctx, t, id, application.Change{Status: application.Withdrawn, At: at, Actor: application.ActorParent}); err != nil {
			return fmt.Errorf("withdraw application: %w", err)
		}
		if e.Kind != "" {
			e.AccountID, e.CreatedAt = accountID, at
			if _, err := s.addEvent(ctx, t, e, nil); err != nil {
				return fmt.Errorf("withdraw application: %w", err)
			}
		}
		a.Status, a.UpdatedAt = application.Withdrawn, at
		out = a
		return nil
	})
	return out, err
}

// SearchApplications lists the applications a filter selects, in the
// order the server received them, and how many there are in all.
func (s *DB) SearchApplications(ctx context.Context, f application.Filter) ([]application.Application, int, error) {
	where := []string{"city = ?"}
	args := []any{f.City}
	add := func(cond string, v any) { where, args = append(where, cond), append(args, v) }
	if f.SchoolID != 0 {
		add("school_id = ?", f.SchoolID)
	}
	if f.Kind != "" {
		add("kind = ?", string(f.Kind))
	}
	if f.Status != "" {
		add("status = ?", string(f.Status))
	}
	if f.Basis != "" {
		add("basis = ?", string(f.Basis))
	}
	if !f.From.IsZero() {
		add("received_at >= ?", s.timeArg(f.From))
	}
	if !f.To.IsZero() {
		add("received_at < ?", s.timeArg(f.To))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		switch {
		case strings.Contains(q, "-"):
			add("number = ?", strings.ToUpper(q))
		case isDigits(q):
			// The last digits of a number: 42 finds …-00042.
			n, _ := strconv.Atoi(q)
			add(`number LIKE ? ESCAPE '\'`, fmt.Sprintf("%%-%05d", n))
		default:
			add(`child_fold LIKE ? ESCAPE '\'`, likeEscape(strings.ToLower(q))+"%")
		}
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM applications`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("search applications: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	list, err := queryAll(ctx, s, "search applications", scanApplication, `SELECT `+applicationColumns+
		` FROM applications`+cond+` ORDER BY received_at, id LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	return list, total, err
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != "" && len(s) <= 9
}
