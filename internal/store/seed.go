package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"sakura/internal/city"
	"sakura/internal/dataset"
	"sakura/internal/errs"
)

// maxParams bounds the placeholders of one statement: SQLite allows 32,766
// and PostgreSQL 65,535.
const maxParams = 30000

// SeedCity writes the reference data of one city in a single transaction:
// all of it or, on any error, nothing. It returns an error matching
// errs.ErrConflict when the city is already there, which is how several
// processes started at once on one database agree that only one seeds.
func (s *DB) SeedCity(ctx context.Context, d dataset.City) error {
	var err error
	if s.dialect == Postgres {
		err = s.copyCity(ctx, d)
	} else {
		err = s.insertCity(ctx, d)
	}
	if err != nil {
		return fmt.Errorf("seed city %q: %w", d.City.Slug, err)
	}
	return nil
}

// insertCityRow claims the city's slug; a city already there is a conflict.
const insertCityRow = `
	INSERT INTO cities (slug, name_kk, name_ru, name_en, lat, lon, zoom)
	VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO NOTHING`

func cityRowArgs(c city.City) []any {
	return []any{c.Slug, c.Name.KK, c.Name.RU, c.Name.EN, c.Centre.Lat, c.Centre.Lon, c.Zoom}
}

// insertCity seeds with multi-row INSERT statements, as SQLite wants.
func (s *DB) insertCity(ctx context.Context, d dataset.City) error {
	return s.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, insertCityRow, cityRowArgs(d.City)...)
		if err != nil {
			return fmt.Errorf("cities: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errs.ErrConflict
		}

		for _, w := range s.seedWriters(d) {
			if err := t.insertRows(ctx, w.table, w.columns, w.rows, w.row); err != nil {
				return fmt.Errorf("%s: %w", w.table, err)
			}
		}
		return nil
	})
}

// copyCity seeds through PostgreSQL's COPY, several times faster than
// INSERT for the demo's hundred thousand rows. database/sql cannot COPY, so
// it borrows the pgx connection under a pooled one.
func (s *DB) copyCity(ctx context.Context, d dataset.City) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()

	return conn.Raw(func(driverConn any) error {
		pc := driverConn.(*stdlib.Conn).Conn()
		return pgx.BeginFunc(ctx, pc, func(t pgx.Tx) error {
			tag, err := t.Exec(ctx, s.rebind(insertCityRow), cityRowArgs(d.City)...)
			if err != nil {
				return fmt.Errorf("cities: %w", err)
			}
			if tag.RowsAffected() == 0 {
				return errs.ErrConflict
			}

			for _, w := range s.seedWriters(d) {
				src := pgx.CopyFromSlice(w.rows, w.row)
				if _, err := t.CopyFrom(ctx, pgx.Identifier{w.table}, w.columns, src); err != nil {
					return fmt.Errorf("%s: %w", w.table, err)
				}
			}
			return nil
		})
	})
}

// seedWriter writes one table of a dataset: how many rows, and the values
// of row i in the order of columns.
type seedWriter struct {
	table   string
	columns []string
	rows    int
	row     func(i int) ([]any, error)
}

// seedWriters lists the tables of a city in the order their foreign keys
// need.
func (s *DB) seedWriters(d dataset.City) []seedWriter {
	slug := d.City.Slug

	type link struct{ catchment, building int64 }
	var links []link
	for _, c := range d.Catchments {
		for _, b := range c.Buildings {
			links = append(links, link{c.ID, b})
		}
	}
	catchmentYear := make(map[int64]int, len(d.Catchments))
	for _, c := range d.Catchments {
		catchmentYear[c.ID] = c.Year
	}

	return []seedWriter{
		{"districts", []string{"city", "slug", "name_kk", "name_ru", "name_en", "boundary"}, len(d.City.Districts),
			func(i int) ([]any, error) {
				x := d.City.Districts[i]
				boundary, err := jsonArg(x.Boundary)
				return []any{slug, x.Slug, x.Name.KK, x.Name.RU, x.Name.EN, boundary}, err
			}},
		{"streets", []string{"id", "city", "district", "kind", "name_kk", "name_ru", "name_en", "old_names"}, len(d.Streets),
			func(i int) ([]any, error) {
				x := d.Streets[i]
				old, err := jsonArg(x.OldNames)
				return []any{x.ID, slug, x.District, string(x.Kind), x.Name.KK, x.Name.RU, x.Name.EN, old}, err
			}},
		{"buildings", []string{"id", "city", "street_id", "district", "number", "code", "lat", "lon", "residential"}, len(d.Buildings),
			func(i int) ([]any, error) {
				x := d.Buildings[i]
				return []any{x.ID, slug, x.StreetID, x.District, x.Number, x.Code, x.Location.Lat, x.Location.Lon, x.Residential}, nil
			}},
		{"schools", schoolColumnList, len(d.Schools),
			func(i int) ([]any, error) { return schoolArgs(slug, d.Schools[i]) }},
		{"catchments", []string{"id", "city", "school_id", "year", "area"}, len(d.Catchments),
			func(i int) ([]any, error) {
				x := d.Catchments[i]
				area, err := jsonArg(x.Area)
				return []any{x.ID, slug, x.SchoolID, x.Year, area}, err
			}},
		{"catchment_buildings", []string{"catchment_id", "building_id", "city", "year"}, len(links),
			func(i int) ([]any, error) {
				x := links[i]
				return []any{x.catchment, x.building, slug, catchmentYear[x.catchment]}, nil
			}},
		{"teachers", teacherColumnList, len(d.Teachers),
			func(i int) ([]any, error) { return teacherArgs(slug, d.Teachers[i]) }},
		{"persons", []string{"iin", "city", "surname", "name", "patronymic", "birth_date", "sex", "phone"}, len(d.People),
			func(i int) ([]any, error) {
				x := d.People[i]
				return []any{x.IIN, slug, x.Surname, x.Name, x.Patronymic, s.dateArg(x.BirthDate), string(x.Sex), x.Phone}, nil
			}},
		{"person_links", []string{"parent_iin", "child_iin", "city", "relation"}, len(d.Links),
			func(i int) ([]any, error) {
				x := d.Links[i]
				return []any{x.ParentIIN, x.ChildIIN, slug, x.Relation}, nil
			}},
	}
}

// insertRows writes n rows into table with multi-row INSERT statements, as
// many rows to a statement as the placeholder limit allows.
func (t tx) insertRows(ctx context.Context, table string, columns []string, n int, row func(i int) ([]any, error)) error {
	if n == 0 {
		return nil
	}
	perStmt := max(1, maxParams/len(columns))
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES "

	args := make([]any, 0, perStmt*len(columns))
	for start := 0; start < n; start += perStmt {
		end := min(n, start+perStmt)
		args = args[:0]
		for i := start; i < end; i++ {
			vals, err := row(i)
			if err != nil {
				return fmt.Errorf("row %d: %w", i, err)
			}
			args = append(args, vals...)
		}
		query := head + strings.TrimSuffix(strings.Repeat(one+", ", end-start), ", ")
		if _, err := t.exec(ctx, query, args...); err != nil {
			return err
		}
	}
	return nil
}
