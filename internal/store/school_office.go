package store

import (
	"context"
	"fmt"

	"sakura/internal/errs"
	"sakura/internal/school"
	"sakura/internal/staff"
)

// SaveSchoolUpkeep writes a school's passport fields and its seats plan,
// with the audit line, in one transaction that bumps the city's data
// version, so that every process shows the new passport. A school of
// another city is not found.
func (s *DB) SaveSchoolUpkeep(ctx context.Context, u school.Upkeep, e staff.AuditEntry) error {
	starts, err := jsonArg(u.Starts)
	if err != nil {
		return fmt.Errorf("save school: %w", err)
	}
	return s.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, `UPDATE schools SET phone = ?, email = ?, website = ?, director = ?, shifts = ?, start_times = ?
			WHERE city = ? AND id = ?`, u.Phone, u.Email, u.Website, u.Director, u.Shifts, starts, u.City, u.SchoolID)
		if err != nil {
			return fmt.Errorf("save school: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("save school: %w", err)
		} else if n == 0 {
			return fmt.Errorf("save school %d of %s: %w", u.SchoolID, u.City, errs.ErrNotFound)
		}
		for grade, classes := range map[int]int{1: u.Grade1Classes, 10: u.Grade10Classes} {
			if _, err := t.exec(ctx, `INSERT INTO seat_plans (school_id, year, grade, classes) VALUES (?, ?, ?, ?)
				ON CONFLICT (school_id, year, grade) DO UPDATE SET classes = excluded.classes`,
				u.SchoolID, u.Year, grade, classes); err != nil {
				return fmt.Errorf("save seats plan: %w", err)
			}
		}
		if _, err := t.bumpVersion(ctx, u.City); err != nil {
			return err
		}
		return s.officeAudit(ctx, t, e)
	})
}

// SchoolPlan returns a school's seats plan of a year: its staff's, or the
// passport's classes.
func (s *DB) SchoolPlan(ctx context.Context, city string, schoolID int64, year int) (school.Plan, error) {
	plans, err := s.SeatPlans(ctx, city, year)
	if err != nil {
		return school.Plan{}, err
	}
	p, ok := plans[schoolID]
	if !ok {
		return school.Plan{}, fmt.Errorf("plan of school %d of %s: %w", schoolID, city, errs.ErrNotFound)
	}
	return p, nil
}

// SchoolPhotos returns a school's photos in the order they were added; a
// school of another city has none.
func (s *DB) SchoolPhotos(ctx context.Context, city string, schoolID int64) ([]school.Photo, error) {
	return queryAll(ctx, s, "list school photos", func(r rowScanner) (school.Photo, error) {
		var p school.Photo
		err := r.Scan(&p.ID, &p.SchoolID, &p.Key, &p.ContentType, &p.Size, &p.Width, &p.Height, timeCol{&p.Added})
		return p, err
	}, `SELECT p.id, p.school_id, p.key, p.type, p.size, p.width, p.height, p.added_at FROM school_photos p
		JOIN schools s ON s.id = p.school_id WHERE s.city = ? AND p.school_id = ? ORDER BY p.id`, city, schoolID)
}

// AddSchoolPhoto records a photo of a school, whose image is stored under
// its key already, with the audit line, in one transaction that bumps the
// city's data version. A school that has school.MaxPhotos is refused with
// errs.Conflict ("office.school.photos_full"); a school of another city is
// not found.
func (s *DB) AddSchoolPhoto(ctx context.Context, city string, p school.Photo, e staff.AuditEntry) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(t tx) error {
		var n, found int
		if err := t.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM schools WHERE city = ? AND id = ?`+s.forUpdate()),
			city, p.SchoolID).Scan(&found); err != nil {
			return fmt.Errorf("add school photo: %w", err)
		}
		if found == 0 {
			return fmt.Errorf("add photo of school %d of %s: %w", p.SchoolID, city, errs.ErrNotFound)
		}
		if err := t.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM school_photos WHERE school_id = ?`), p.SchoolID).
			Scan(&n); err != nil {
			return fmt.Errorf("add school photo: %w", err)
		}
		if n >= school.MaxPhotos {
			return &errs.Error{Kind: errs.Conflict, Key: "office.school.photos_full", Args: map[string]any{"Max": school.MaxPhotos}}
		}
		if err := t.QueryRowContext(ctx, s.rebind(`INSERT INTO school_photos (school_id, key, type, size, width, height, added_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), p.SchoolID, p.Key, p.ContentType, p.Size, p.Width, p.Height,
			s.timeArg(p.Added)).Scan(&id); err != nil {
			return fmt.Errorf("add school photo: %w", err)
		}
		if _, err := t.bumpVersion(ctx, city); err != nil {
			return err
		}
		e.Object = fmt.Sprintf("school:%d", p.SchoolID)
		e.After = fmt.Sprintf(`{"photo":%d}`, id)
		return s.officeAudit(ctx, t, e)
	})
	return id, err
}

// DeleteSchoolPhoto removes a photo of a school with the audit line, in one
// transaction that bumps the city's data version, and returns the key of
// its image, for the caller to delete from the document store. A photo of
// another school or city is not found.
func (s *DB) DeleteSchoolPhoto(ctx context.Context, city string, schoolID, photoID int64, e staff.AuditEntry) (string, error) {
	var key string
	err := s.inTx(ctx, func(t tx) error {
		err := t.QueryRowContext(ctx, s.rebind(`SELECT p.key FROM school_photos p JOIN schools s ON s.id = p.school_id
			WHERE s.city = ? AND p.school_id = ? AND p.id = ?`), city, schoolID, photoID).Scan(&key)
		if err := notFound("delete school photo", err); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM school_photos WHERE id = ?`, photoID); err != nil {
			return fmt.Errorf("delete school photo: %w", err)
		}
		if _, err := t.bumpVersion(ctx, city); err != nil {
			return err
		}
		e.Object = fmt.Sprintf("school:%d", schoolID)
		e.Before = fmt.Sprintf(`{"photo":%d}`, photoID)
		return s.officeAudit(ctx, t, e)
	})
	return key, err
}
