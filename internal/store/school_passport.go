package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"sakura/internal/address"
	"sakura/internal/school"
	"sakura/internal/teacher"
)

// Territory returns the school's catchment for the latest school year up
// to year: its area and its buildings grouped by street, streets in name
// order and houses in number order. A school without a catchment has a
// zero Territory and no error.
func (s *DB) Territory(ctx context.Context, city string, schoolID int64, year int) (school.Territory, error) {
	var (
		t  school.Territory
		id int64
	)
	err := s.queryRow(ctx, `SELECT id, year, area FROM catchments
		WHERE city = ? AND school_id = ? AND year <= ? ORDER BY year DESC LIMIT 1`, city, schoolID, year).
		Scan(&id, &t.Year, jsonCol{&t.Area})
	if errors.Is(err, sql.ErrNoRows) {
		return school.Territory{}, nil
	}
	if err != nil {
		return school.Territory{}, fmt.Errorf("catchment of school %d: %w", schoolID, err)
	}

	rows, err := s.query(ctx, `SELECT st.id, st.city, st.district, st.kind, st.name_kk, st.name_ru, st.name_en, b.number
		FROM catchment_buildings cb
		JOIN buildings b ON b.id = cb.building_id
		JOIN streets st ON st.id = b.street_id
		WHERE cb.catchment_id = ?
		ORDER BY st.name_ru, st.id`, id)
	if err != nil {
		return school.Territory{}, fmt.Errorf("catchment streets of school %d: %w", schoolID, err)
	}
	defer rows.Close()

	for rows.Next() {
		var (
			st     address.Street
			number string
		)
		if err := rows.Scan(&st.ID, &st.City, &st.District, &st.Kind, &st.Name.KK, &st.Name.RU, &st.Name.EN, &number); err != nil {
			return school.Territory{}, fmt.Errorf("catchment streets of school %d: %w", schoolID, err)
		}
		if n := len(t.Streets); n == 0 || t.Streets[n-1].Street.ID != st.ID {
			t.Streets = append(t.Streets, school.Street{Street: st, Name: address.StreetText(st)})
		}
		last := &t.Streets[len(t.Streets)-1]
		last.Houses = append(last.Houses, number)
	}
	if err := rows.Err(); err != nil {
		return school.Territory{}, fmt.Errorf("catchment streets of school %d: %w", schoolID, err)
	}
	for i := range t.Streets {
		school.SortHouses(t.Streets[i].Houses)
	}
	return t, nil
}

// SchoolTeachers returns the school's primary teachers ordered by surname
// and name; none is no error.
func (s *DB) SchoolTeachers(ctx context.Context, city string, schoolID int64) ([]teacher.Teacher, error) {
	return queryAll(ctx, s, fmt.Sprintf("teachers of school %d", schoolID), scanTeacher,
		`SELECT `+teacherColumns+` FROM teachers WHERE city = ? AND school_id = ? ORDER BY surname, name, id`,
		city, schoolID)
}

// SeatPlans returns, for every school of the city, the grade-1 and
// grade-10 classes planned for a campaign year (its staff's plan, else the
// school's own figures) and the places taken: referrals in force or used.
func (s *DB) SeatPlans(ctx context.Context, city string, year int) (map[int64]school.Plan, error) {
	rows, err := s.query(ctx, `SELECT s.id,
		COALESCE((SELECT classes FROM seat_plans p WHERE p.school_id = s.id AND p.year = ? AND p.grade = 1), s.grade1_classes),
		COALESCE((SELECT classes FROM seat_plans p WHERE p.school_id = s.id AND p.year = ? AND p.grade = 10), s.grade10_classes),
		(SELECT COUNT(*) FROM referrals r WHERE r.school_id = s.id AND r.year = ? AND r.grade = 1
			AND r.status IN ('issued', 'used')),
		(SELECT COUNT(*) FROM referrals r WHERE r.school_id = s.id AND r.year = ? AND r.grade >= 10
			AND r.status IN ('issued', 'used'))
		FROM schools s WHERE s.city = ?`, year, year, year, year, city)
	if err != nil {
		return nil, fmt.Errorf("seat plans of %s: %w", city, err)
	}
	defer rows.Close()
	out := make(map[int64]school.Plan)
	for rows.Next() {
		var id int64
		var p school.Plan
		if err := rows.Scan(&id, &p.Grade1Classes, &p.Grade10Classes, &p.Grade1Taken, &p.Grade10Taken); err != nil {
			return nil, fmt.Errorf("seat plans of %s: %w", city, err)
		}
		out[id] = p
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("seat plans of %s: %w", city, err)
	}
	return out, nil
}
