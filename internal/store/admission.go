package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"sakura/internal/account"
	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/campaign"
	"sakura/internal/notify"
	"sakura/internal/social"
	"sakura/internal/staff"
)

var (
	_ admission.Store = (*DB)(nil)
	_ campaign.Source = (*DB)(nil)
)

// AdmissionTx runs fn in one transaction of the admission store.
func (s *DB) AdmissionTx(ctx context.Context, fn func(admission.Tx) error) error {
	return s.inTx(ctx, func(t tx) error { return fn(admissionTx{accountTx{t}}) })
}

// admissionTx is admission.Tx on a transaction of the store.
type admissionTx struct{ accountTx }

var _ admission.Tx = admissionTx{}

// forUpdate is the row lock of PostgreSQL; SQLite's write transactions
// run one at a time and need none.
func (s *DB) forUpdate() string {
	if s.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

func (a admissionTx) Campaign(ctx context.Context, city string, year int) (campaign.Campaign, error) {
	return a.t.s.campaign(ctx, a.row(ctx, `SELECT settings FROM campaigns WHERE city = ? AND year = ?`, city, year), city, year)
}

// Campaign returns the campaign the department keeps for a city and year,
// or the model rules' default.
func (s *DB) Campaign(ctx context.Context, city string, year int) (campaign.Campaign, error) {
	return s.campaign(ctx, s.queryRow(ctx, `SELECT settings FROM campaigns WHERE city = ? AND year = ?`, city, year), city, year)
}

func (s *DB) campaign(_ context.Context, row *sql.Row, city string, year int) (campaign.Campaign, error) {
	c := campaign.Default(city, year)
	err := row.Scan(jsonCol{&c})
	if errors.Is(err, sql.ErrNoRows) {
		return campaign.Default(city, year), nil
	}
	if err != nil {
		return campaign.Campaign{}, fmt.Errorf("read campaign: %w", err)
	}
	c.City, c.Year = city, year
	return c, nil
}

// SaveCampaign keeps a city's campaign for a year, with its audit line, in
// one transaction.
func (s *DB) SaveCampaign(ctx context.Context, c campaign.Campaign, e staff.AuditEntry) error {
	settings, err := jsonArg(c)
	if err != nil {
		return fmt.Errorf("save campaign: %w", err)
	}
	return s.inTx(ctx, func(t tx) error {
		if _, err := t.exec(ctx, `INSERT INTO campaigns (city, year, settings, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (city, year) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
			c.City, c.Year, settings, s.timeArg(e.At)); err != nil {
			return fmt.Errorf("save campaign: %w", err)
		}
		return s.officeAudit(ctx, t, e)
	})
}

func (a admissionTx) Application(ctx context.Context, id int64) (application.Application, error) {
	return a.t.s.application(ctx, a.t, id)
}

func (a admissionTx) LockApplication(ctx context.Context, id int64) (application.Application, error) {
	app, err := scanApplication(a.row(ctx, `SELECT `+applicationColumns+` FROM applications WHERE id = ?`+a.t.s.forUpdate(), id))
	return app, notFound("lock application", err)
}

func (a admissionTx) SetStatus(ctx context.Context, id int64, c application.Change) error {
	if _, err := a.t.exec(ctx, `UPDATE applications SET status = ?, updated_at = ? WHERE id = ?`,
		string(c.Status), a.t.s.timeArg(c.At), id); err != nil {
		return fmt.Errorf("set status: %w", err)
	}
	if err := a.t.s.addHistory(ctx, a.t, id, c); err != nil {
		return fmt.Errorf("set status: %w", err)
	}
	return nil
}

// seatsQuery counts a school's seats in a grade: the classes its staff
// planned for the year (else the school's own figure), and the referrals
// in force or used, by basis.
const seatsQuery = `SELECT
	COALESCE((SELECT classes FROM seat_plans p WHERE p.school_id = s.id AND p.year = ? AND p.grade = ?),
		CASE WHEN ? = 10 THEN s.grade10_classes ELSE s.grade1_classes END),
	(SELECT COUNT(*) FROM referrals r WHERE r.school_id = s.id AND r.year = ? AND r.grade = ?
		AND r.status IN ('issued', 'used') AND r.basis <> 'quota'),
	(SELECT COUNT(*) FROM referrals r WHERE r.school_id = s.id AND r.year = ? AND r.grade = ?
		AND r.status IN ('issued', 'used') AND r.basis = 'quota')
	FROM schools s`

func (a admissionTx) Seats(ctx context.Context, schoolID int64, year, grade int) (admission.Seats, error) {
	return a.t.s.seats(ctx, a.row(ctx, seatsQuery+` WHERE s.id = ?`,
		year, grade, grade, year, grade, year, grade, schoolID), schoolID, year, grade)
}

func (s *DB) seats(_ context.Context, row rowScanner, schoolID int64, year, grade int) (admission.Seats, error) {
	st := admission.Seats{SchoolID: schoolID, Year: year, Grade: grade}
	err := row.Scan(&st.Classes, &st.Catchment, &st.Quota)
	return st, notFound("count seats", err)
}

// CitySeats counts the seats of every school of a city in a grade and
// year, by school id; ClassSize is left for the caller, who knows the
// campaign.
func (s *DB) CitySeats(ctx context.Context, city string, year, grade int) ([]admission.Seats, error) {
	return queryAll(ctx, s, "count city seats", func(r rowScanner) (admission.Seats, error) {
		st := admission.Seats{Year: year, Grade: grade}
		err := r.Scan(&st.SchoolID, &st.Classes, &st.Catchment, &st.Quota)
		return st, err
	}, `SELECT s.id, `+seatsQuery[len(`SELECT`):]+` WHERE s.city = ? ORDER BY s.id`,
		year, grade, grade, year, grade, year, grade, city)
}

func (a admissionTx) Waiting(ctx context.Context, q admission.Wait, limit int) ([]application.Application, error) {
	query := `SELECT ` + applicationColumns + ` FROM applications
		WHERE school_id = ? AND year = ? AND kind = ? AND grade = ? AND status = 'waiting'`
	args := []any{q.SchoolID, q.Year, string(q.Kind), q.Grade}
	if q.Profile != "" {
		query += ` AND profile = ?`
		args = append(args, q.Profile)
	}
	rows, err := a.t.QueryContext(ctx, a.t.s.rebind(query+` ORDER BY received_at, id LIMIT ?`), append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list waiting: %w", err)
	}
	defer rows.Close()
	var out []application.Application
	for rows.Next() {
		app, err := scanApplication(rows)
		if err != nil {
			return nil, fmt.Errorf("list waiting: %w", err)
		}
		out = append(out, app)
	}
	return out, notFound("list waiting", rows.Err())
}

func (a admissionTx) SchoolFacts(ctx context.Context, schoolID int64) (admission.SchoolFacts, error) {
	var f admission.SchoolFacts
	err := a.row(ctx, `SELECT capacity, pupils, grade10_classes, profiles FROM schools WHERE id = ?`, schoolID).
		Scan(&f.Capacity, &f.Pupils, &f.Grade10Classes, jsonCol{&f.Profiles})
	return f, notFound("school facts", err)
}

func (a admissionTx) PlannedClasses(ctx context.Context, schoolID int64, year, grade int) (int, bool, error) {
	var n int
	err := a.row(ctx, `SELECT classes FROM seat_plans WHERE school_id = ? AND year = ? AND grade = ?`, schoolID, year, grade).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return n, err == nil, notFound("planned classes", err)
}

func (a admissionTx) Taken(ctx context.Context, q admission.Take) (int, error) {
	query := `SELECT COUNT(*) FROM referrals WHERE kind = ? AND status IN ('issued', 'used')`
	args := []any{string(q.Kind)}
	if q.ShiftID != 0 {
		query, args = query+` AND shift_id = ?`, append(args, q.ShiftID)
	} else {
		query, args = query+` AND school_id = ? AND year = ? AND grade = ?`, append(args, q.SchoolID, q.Year, q.Grade)
	}
	if q.Profile != "" {
		query, args = query+` AND profile = ?`, append(args, q.Profile)
	}
	var n int
	err := a.row(ctx, query, args...).Scan(&n)
	return n, notFound("taken places", err)
}

func (a admissionTx) Shift(ctx context.Context, id int64) (social.Shift, error) {
	sh, err := scanShift(a.row(ctx, `SELECT `+shiftColumns+` FROM camp_shifts WHERE id = ?`, id))
	return sh, notFound("read shift", err)
}

func (a admissionTx) NextNumber(ctx context.Context, city, series string, year int) (int, error) {
	var seq int
	err := a.row(ctx, `INSERT INTO application_numbers (city, kind, year, last) VALUES (?, ?, ?, 1)
		ON CONFLICT (city, kind, year) DO UPDATE SET last = application_numbers.last + 1
		RETURNING last`, city, series, year).Scan(&seq)
	return seq, notFound("next number", err)
}

func (a admissionTx) AddReferral(ctx context.Context, r admission.Referral) (int64, error) {
	s := a.t.s
	var id int64
	err := a.row(ctx, `INSERT INTO referrals (kind, number, code, application_id, account_id, city, school_id, year, grade,
		language, basis, profile, shift_id, issued_at, valid_until, ends_at, status)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		string(r.Kind), r.Number, r.Code, r.ApplicationID, r.AccountID, r.City, optID(r.SchoolID), r.Year, r.Grade, r.Language,
		string(r.Basis), r.Profile, optID(r.ShiftID), s.timeArg(r.IssuedAt), s.dateArg(r.ValidUntil), s.timeArg(r.Ends()),
		string(r.Status)).Scan(&id)
	return id, notFound("add referral", err)
}

const referralColumns = `id, kind, number, code, application_id, account_id, city, school_id, year, grade, language,
	basis, profile, shift_id, issued_at, valid_until, status, closed_at`

func scanReferral(r rowScanner) (admission.Referral, error) {
	var ref admission.Referral
	var school, shift sql.NullInt64 // a camp's voucher has no school
	err := r.Scan(&ref.ID, &ref.Kind, &ref.Number, &ref.Code, &ref.ApplicationID, &ref.AccountID, &ref.City, &school,
		&ref.Year, &ref.Grade, &ref.Language, &ref.Basis, &ref.Profile, &shift, timeCol{&ref.IssuedAt},
		dateCol{&ref.ValidUntil}, &ref.Status, optTimeCol{&ref.ClosedAt})
	ref.SchoolID, ref.ShiftID = school.Int64, shift.Int64
	return ref, err
}

func (a admissionTx) ReferralOf(ctx context.Context, applicationID int64) (admission.Referral, error) {
	r, err := scanReferral(a.row(ctx, `SELECT `+referralColumns+` FROM referrals WHERE application_id = ?`+a.t.s.forUpdate(),
		applicationID))
	return r, notFound("read referral", err)
}

func (a admissionTx) CloseReferral(ctx context.Context, id int64, status admission.ReferralStatus, at time.Time) error {
	_, err := a.t.exec(ctx, `UPDATE referrals SET status = ?, closed_at = ? WHERE id = ?`, string(status), a.t.s.timeArg(at), id)
	return notFound("close referral", err)
}

func (a admissionTx) DueReferrals(ctx context.Context, now time.Time, limit int) ([]admission.Referral, error) {
	rows, err := a.t.QueryContext(ctx, a.t.s.rebind(`SELECT `+referralColumns+` FROM referrals
		WHERE status = 'issued' AND ends_at <= ? ORDER BY ends_at, id LIMIT ?`), a.t.s.timeArg(now), limit)
	if err != nil {
		return nil, fmt.Errorf("list due referrals: %w", err)
	}
	defer rows.Close()
	var out []admission.Referral
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			return nil, fmt.Errorf("list due referrals: %w", err)
		}
		out = append(out, r)
	}
	return out, notFound("list due referrals", rows.Err())
}

func (a admissionTx) Unreminded(ctx context.Context) ([]admission.CampaignKey, error) {
	rows, err := a.t.QueryContext(ctx, `SELECT DISTINCT city, year FROM applications
		WHERE kind = 'meals' AND status = 'granted' AND reminded_at IS NULL ORDER BY city, year`)
	if err != nil {
		return nil, fmt.Errorf("list unreminded: %w", err)
	}
	defer rows.Close()
	var out []admission.CampaignKey
	for rows.Next() {
		var k admission.CampaignKey
		if err := rows.Scan(&k.City, &k.Year); err != nil {
			return nil, fmt.Errorf("list unreminded: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

func (a admissionTx) ClaimReminders(ctx context.Context, key admission.CampaignKey, at time.Time) ([]application.Application, error) {
	rows, err := a.t.QueryContext(ctx, a.t.s.rebind(`UPDATE applications SET reminded_at = ?
		WHERE kind = 'meals' AND status = 'granted' AND reminded_at IS NULL AND city = ? AND year = ?
		RETURNING `+applicationColumns), a.t.s.timeArg(at), key.City, key.Year)
	if err != nil {
		return nil, fmt.Errorf("claim reminders: %w", err)
	}
	defer rows.Close()
	var out []application.Application
	for rows.Next() {
		app, err := scanApplication(rows)
		if err != nil {
			return nil, fmt.Errorf("claim reminders: %w", err)
		}
		out = append(out, app)
	}
	return out, rows.Err()
}

func (a admissionTx) EnrolPupil(ctx context.Context, f admission.PupilFile, m admission.Movement, from int64, left string) error {
	s := a.t.s
	var id int64
	var school int64
	err := a.row(ctx, `SELECT id, school_id FROM pupil_files WHERE city = ? AND child = ?`+s.forUpdate(), f.City, f.Child).
		Scan(&id, &school)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err = a.row(ctx, `INSERT INTO pupil_files (city, child, name, birth_date, account_id, school_id, grade, class_letter,
			school_year, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			f.City, f.Child, f.Name, optDate(s, f.BirthDate), f.AccountID, f.SchoolID, f.Grade, f.Class, f.SchoolYear,
			s.timeArg(m.At), s.timeArg(m.At)).Scan(&id)
		if err != nil {
			return fmt.Errorf("enrol pupil: %w", err)
		}
		if from != 0 && from != f.SchoolID {
			// A child who comes from a school of the city, with no file here
			// yet: that school's record closes first.
			if err := a.addMovement(ctx, id, admission.Movement{At: m.At, Kind: admission.Left, SchoolID: from,
				SchoolYear: f.SchoolYear, ApplicationID: m.ApplicationID, Note: left}); err != nil {
				return err
			}
		}
	case err != nil:
		return fmt.Errorf("enrol pupil: %w", err)
	default:
		if school != f.SchoolID {
			// The file leaves its old school first.
			if err := a.addMovement(ctx, id, admission.Movement{At: m.At, Kind: admission.Left, SchoolID: school,
				SchoolYear: f.SchoolYear, ApplicationID: m.ApplicationID, Note: left}); err != nil {
				return err
			}
		}
		if _, err := a.t.exec(ctx, `UPDATE pupil_files SET name = ?, account_id = ?, school_id = ?, grade = ?, class_letter = ?,
			school_year = ?, updated_at = ? WHERE id = ?`,
			f.Name, f.AccountID, f.SchoolID, f.Grade, f.Class, f.SchoolYear, s.timeArg(m.At), id); err != nil {
			return fmt.Errorf("enrol pupil: %w", err)
		}
	}
	return a.addMovement(ctx, id, m)
}

func optDate(s *DB, t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return s.dateArg(t)
}

func (a admissionTx) addMovement(ctx context.Context, fileID int64, m admission.Movement) error {
	_, err := a.t.exec(ctx, `INSERT INTO pupil_movements (file_id, at, kind, school_id, grade, class_letter, school_year,
		application_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		fileID, a.t.s.timeArg(m.At), string(m.Kind), m.SchoolID, m.Grade, m.Class, m.SchoolYear, optID(m.ApplicationID), m.Note)
	return notFound("add movement", err)
}

func (a admissionTx) Account(ctx context.Context, id int64) (account.Account, error) {
	return a.accountTx.Account(ctx, id)
}

func (a admissionTx) AddEvent(ctx context.Context, e notify.Event, ds []notify.Delivery) (int64, error) {
	return a.t.s.addEvent(ctx, a.t, e, ds)
}

func (a admissionTx) Audit(ctx context.Context, e staff.AuditEntry) error {
	return a.t.s.officeAudit(ctx, a.t, e)
}

// Referrals lists a parent's referrals, newest first.
func (s *DB) Referrals(ctx context.Context, accountID int64) ([]admission.Referral, error) {
	return queryAll(ctx, s, "list referrals", scanReferral,
		`SELECT `+referralColumns+` FROM referrals WHERE account_id = ? ORDER BY id DESC`, accountID)
}

// Referral returns a referral by id, or errs.ErrNotFound.
func (s *DB) Referral(ctx context.Context, id int64) (admission.Referral, error) {
	r, err := scanReferral(s.queryRow(ctx, `SELECT `+referralColumns+` FROM referrals WHERE id = ?`, id))
	return r, notFound("read referral", err)
}

// ReferralByCode returns the referral of a verification code, or
// errs.ErrNotFound.
func (s *DB) ReferralByCode(ctx context.Context, code string) (admission.Referral, error) {
	r, err := scanReferral(s.queryRow(ctx, `SELECT `+referralColumns+` FROM referrals WHERE code = ?`, code))
	return r, notFound("read referral", err)
}

// ApplicationReferral returns the referral of an application, or
// errs.ErrNotFound.
func (s *DB) ApplicationReferral(ctx context.Context, applicationID int64) (admission.Referral, error) {
	r, err := scanReferral(s.queryRow(ctx, `SELECT `+referralColumns+` FROM referrals WHERE application_id = ?`, applicationID))
	return r, notFound("read referral", err)
}

// QueuePlace returns where a waiting quota application stands at its
// school: 1 for the next to get a seat; 0 when it is not waiting. total is
// how many wait there.
func (s *DB) QueuePlace(ctx context.Context, a application.Application) (place, total int, err error) {
	err = s.queryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN received_at < ? OR (received_at = ? AND id <= ?) THEN 1 ELSE 0 END), 0), COUNT(*)
		FROM applications WHERE school_id = ? AND year = ? AND kind = ? AND basis = 'quota' AND status = 'waiting'`,
		s.timeArg(a.ReceivedAt), s.timeArg(a.ReceivedAt), a.ID, a.SchoolID, a.Year, string(a.Kind)).Scan(&place, &total)
	if err != nil {
		return 0, 0, fmt.Errorf("queue place: %w", err)
	}
	if a.Status != application.Waiting {
		place = 0
	}
	return place, total, nil
}

// SchoolSeats counts one school's seats in a grade and year; ClassSize is
// left for the caller.
func (s *DB) SchoolSeats(ctx context.Context, schoolID int64, year, grade int) (admission.Seats, error) {
	return s.seats(ctx, s.queryRow(ctx, seatsQuery+` WHERE s.id = ?`,
		year, grade, grade, year, grade, year, grade, schoolID), schoolID, year, grade)
}

// PupilFiles lists the personal files of a parent's children, each with
// its movements, oldest first.
func (s *DB) PupilFiles(ctx context.Context, accountID int64) ([]admission.PupilFile, error) {
	files, err := queryAll(ctx, s, "list pupil files", func(r rowScanner) (admission.PupilFile, error) {
		var f admission.PupilFile
		err := r.Scan(&f.ID, &f.City, &f.Child, &f.Name, optDateCol{&f.BirthDate}, &f.AccountID, &f.SchoolID, &f.Grade,
			&f.Class, &f.SchoolYear)
		return f, err
	}, `SELECT id, city, child, name, birth_date, account_id, school_id, grade, class_letter, school_year
		FROM pupil_files WHERE account_id = ? ORDER BY name, id`, accountID)
	if err != nil {
		return nil, err
	}
	for i := range files {
		files[i].Movements, err = queryAll(ctx, s, "list movements", func(r rowScanner) (admission.Movement, error) {
			var m admission.Movement
			var app sql.NullInt64
			err := r.Scan(timeCol{&m.At}, &m.Kind, &m.SchoolID, &m.Grade, &m.Class, &m.SchoolYear, &app, &m.Note)
			m.ApplicationID = app.Int64
			return m, err
		}, `SELECT at, kind, school_id, grade, class_letter, school_year, application_id, note
			FROM pupil_movements WHERE file_id = ? ORDER BY id`, files[i].ID)
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// optDateCol scans a date that may be NULL, which becomes the zero time.
type optDateCol struct{ Dst *time.Time }

func (c optDateCol) Scan(src any) error {
	if src == nil {
		*c.Dst = time.Time{}
		return nil
	}
	return dateCol(c).Scan(src)
}
