package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"sakura/internal/errs"
	"sakura/internal/school"
	"sakura/internal/teacher"
)

var schoolColumnList = []string{
	"id", "city", "bin", "number", "name_kk", "name_ru", "name_en", "type", "ownership", "languages",
	"district", "building_id", "address_kk", "address_ru", "address_en", "lat", "lon",
	"phone", "email", "website", "director", "founded", "shifts", "start_times", "capacity", "pupils",
	"grade1_classes", "grade10_classes", "profiles", "facilities", "accessibility", "registry_id",
}

var schoolColumns = strings.Join(schoolColumnList, ", ")

func schoolArgs(city string, x school.School) ([]any, error) {
	var lists [5]string
	for i, v := range []any{x.Languages, x.StartTimes, x.Profiles, x.Facilities, x.Accessibility} {
		s, err := jsonArg(v)
		if err != nil {
			return nil, err
		}
		lists[i] = s
	}
	var building any
	if x.BuildingID != 0 {
		building = x.BuildingID
	}
	return []any{x.ID, city, nullable(x.BIN), x.Number, x.Name.KK, x.Name.RU, x.Name.EN, string(x.Type), string(x.Ownership), lists[0],
		x.District, building, x.Address.KK, x.Address.RU, x.Address.EN, x.Location.Lat, x.Location.Lon,
		x.Phone, x.Email, x.Website, x.Director, x.Founded, x.Shifts, lists[1], x.Capacity, x.Pupils,
		x.Grade1Classes, x.Grade10Classes, lists[2], lists[3], lists[4], nullable(x.RegistryID)}, nil
}

// nullable writes an empty string as NULL, for unique columns that may be
// unknown.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func scanSchool(row rowScanner) (school.School, error) {
	var x school.School
	var building sql.NullInt64
	var bin, registryID sql.NullString
	err := row.Scan(&x.ID, &x.City, &bin, &x.Number, &x.Name.KK, &x.Name.RU, &x.Name.EN, &x.Type, &x.Ownership, jsonCol{&x.Languages},
		&x.District, &building, &x.Address.KK, &x.Address.RU, &x.Address.EN, &x.Location.Lat, &x.Location.Lon,
		&x.Phone, &x.Email, &x.Website, &x.Director, &x.Founded, &x.Shifts, jsonCol{&x.StartTimes}, &x.Capacity, &x.Pupils,
		&x.Grade1Classes, &x.Grade10Classes, jsonCol{&x.Profiles}, jsonCol{&x.Facilities}, jsonCol{&x.Accessibility},
		&registryID)
	x.BuildingID = building.Int64
	x.BIN, x.RegistryID = bin.String, registryID.String
	return x, err
}

// Schools returns every school of the city, ordered by id.
func (s *DB) Schools(ctx context.Context, city string) ([]school.School, error) {
	return queryAll(ctx, s, "list schools", scanSchool,
		`SELECT `+schoolColumns+` FROM schools WHERE city = ? ORDER BY id`, city)
}

// School returns one school of the city, or an error matching
// errs.ErrNotFound. A school of another city is not found.
func (s *DB) School(ctx context.Context, city string, id int64) (school.School, error) {
	x, err := scanSchool(s.queryRow(ctx, `SELECT `+schoolColumns+` FROM schools WHERE city = ? AND id = ?`, city, id))
	if errors.Is(err, sql.ErrNoRows) {
		return school.School{}, fmt.Errorf("school %d: %w", id, errs.ErrNotFound)
	}
	if err != nil {
		return school.School{}, fmt.Errorf("school %d: %w", id, err)
	}
	return x, nil
}

var teacherColumnList = []string{
	"id", "city", "school_id", "surname", "name", "patronymic", "category", "subjects", "languages",
	"experience", "indicators",
}

func teacherArgs(city string, x teacher.Teacher) ([]any, error) {
	var lists [3]string
	for i, v := range []any{x.Subjects, x.Languages, x.Indicators} {
		s, err := jsonArg(v)
		if err != nil {
			return nil, err
		}
		lists[i] = s
	}
	return []any{x.ID, city, x.SchoolID, x.Surname, x.Name, x.Patronymic, string(x.Category), lists[0], lists[1],
		x.Experience, lists[2]}, nil
}
