package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"sakura/internal/errs"
	"sakura/internal/teacher"
)

var teacherColumns = strings.Join(teacherColumnList, ", ")

func scanTeacher(row rowScanner) (teacher.Teacher, error) {
	var x teacher.Teacher
	err := row.Scan(&x.ID, &x.City, &x.SchoolID, &x.Surname, &x.Name, &x.Patronymic, &x.Category,
		jsonCol{&x.Subjects}, jsonCol{&x.Languages}, &x.Experience, jsonCol{&x.Indicators})
	return x, err
}

// Teachers returns every teacher of the city, ordered by id.
func (s *DB) Teachers(ctx context.Context, city string) ([]teacher.Teacher, error) {
	return queryAll(ctx, s, "list teachers", scanTeacher,
		`SELECT `+teacherColumns+` FROM teachers WHERE city = ? ORDER BY id`, city)
}

// Teacher returns one teacher of the city, or an error matching
// errs.ErrNotFound. A teacher of another city is not found.
func (s *DB) Teacher(ctx context.Context, city string, id int64) (teacher.Teacher, error) {
	x, err := scanTeacher(s.queryRow(ctx,
		`SELECT `+teacherColumns+` FROM teachers WHERE city = ? AND id = ?`, city, id))
	if errors.Is(err, sql.ErrNoRows) {
		return teacher.Teacher{}, fmt.Errorf("teacher %d: %w", id, errs.ErrNotFound)
	}
	if err != nil {
		return teacher.Teacher{}, fmt.Errorf("teacher %d: %w", id, err)
	}
	return x, nil
}

// TeacherSchools returns the id, number, name and place of every school of
// the city, ordered by id: what the teacher registry shows of a school.
func (s *DB) TeacherSchools(ctx context.Context, city string) ([]teacher.SchoolRef, error) {
	rows, err := s.query(ctx,
		`SELECT id, number, name_kk, name_ru, name_en, lat, lon FROM schools WHERE city = ? ORDER BY id`, city)
	if err != nil {
		return nil, fmt.Errorf("list teachers' schools: %w", err)
	}
	defer rows.Close()

	var out []teacher.SchoolRef
	for rows.Next() {
		var x teacher.SchoolRef
		err := rows.Scan(&x.ID, &x.Number, &x.Name.KK, &x.Name.RU, &x.Name.EN, &x.Location.Lat, &x.Location.Lon)
		if err != nil {
			return nil, fmt.Errorf("list teachers' schools: %w", err)
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list teachers' schools: %w", err)
	}
	return out, nil
}

var _ teacher.Store = (*DB)(nil)
