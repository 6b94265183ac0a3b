package store

import (
	"context"
	"database/sql"

	"sakura/internal/admission"
)

// lastEnrolled selects a column of the last enrolment of movement m's
// file at m's school before m: what the child was there when they left,
// since a movement of leaving records no grade of its own.
func lastEnrolled(column string) string {
	return `(SELECT e.` + column + ` FROM pupil_movements e WHERE e.file_id = m.file_id AND e.school_id = m.school_id
		AND e.kind = 'enrolled' AND e.id < m.id ORDER BY e.id DESC LIMIT 1)`
}

// SchoolPupils returns a school's register: the children whose personal
// file is at the school now, by their last enrolment there, and the
// children whose file left it, by the movement of leaving; each newest
// first. A child who left and came back is in both.
func (s *DB) SchoolPupils(ctx context.Context, schoolID int64) (admission.SchoolPupils, error) {
	var out admission.SchoolPupils
	var err error
	out.Now, err = queryAll(ctx, s, "school pupils", func(r rowScanner) (admission.Pupil, error) {
		var p admission.Pupil
		err := r.Scan(&p.FileID, &p.Name, optDateCol{&p.BirthDate}, &p.Grade, &p.Class, &p.SchoolYear,
			timeCol{&p.Enrolled})
		return p, err
	}, `SELECT id, name, birth_date, grade, class_letter, school_year, enrolled FROM (
		SELECT f.id, f.name, f.birth_date, f.grade, f.class_letter, f.school_year,
			COALESCE((SELECT m.at FROM pupil_movements m WHERE m.file_id = f.id AND m.school_id = f.school_id
				AND m.kind = 'enrolled' ORDER BY m.id DESC LIMIT 1), f.updated_at) AS enrolled
		FROM pupil_files f WHERE f.school_id = ?) p
		ORDER BY enrolled DESC, id DESC`, schoolID)
	if err != nil {
		return admission.SchoolPupils{}, err
	}

	out.Left, err = queryAll(ctx, s, "school leavers", func(r rowScanner) (admission.Leaver, error) {
		var l admission.Leaver
		var app sql.NullInt64
		m := &l.Movement
		err := r.Scan(&l.FileID, &l.Name, timeCol{&m.At}, &m.Kind, &m.SchoolID, &m.Grade, &m.Class, &m.SchoolYear,
			&app, &m.Note)
		m.ApplicationID = app.Int64
		return l, err
	}, `SELECT f.id, f.name, m.at, m.kind, m.school_id,
			CASE WHEN m.grade = 0 THEN COALESCE(`+lastEnrolled("grade")+`, 0) ELSE m.grade END,
			CASE WHEN m.grade = 0 THEN COALESCE(`+lastEnrolled("class_letter")+`, '') ELSE m.class_letter END,
			m.school_year, m.application_id, m.note
		FROM pupil_movements m JOIN pupil_files f ON f.id = m.file_id
		WHERE m.school_id = ? AND m.kind = ?
		ORDER BY m.at DESC, m.id DESC`, schoolID, string(admission.Left))
	if err != nil {
		return admission.SchoolPupils{}, err
	}
	return out, nil
}
