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
