package store

import (
	"context"
	"fmt"
	"strings"

	"sakura/internal/city"
	"sakura/internal/errs"
	"sakura/internal/importer"
	"sakura/internal/school"
	"sakura/internal/teacher"
)

// ImportResult says what an import changed and the city's data version
// after it.
type ImportResult struct {
	Inserted int
	Updated  int
	Deleted  int
	Version  int64
}

func (r ImportResult) String() string {
	return fmt.Sprintf("%d added, %d updated, %d removed; data version %d", r.Inserted, r.Updated, r.Deleted, r.Version)
}

// ImportKnown returns what the database holds for the city that an import
// file may refer to: its districts, the BINs of its schools and the codes
// of its buildings. It returns an error matching errs.ErrNotFound for an
// unknown city.
func (s *DB) ImportKnown(ctx context.Context, slug string) (importer.Known, error) {
	c, err := s.City(ctx, slug)
	if err != nil {
		return importer.Known{}, err
	}
	k := importer.Known{City: slug, Districts: c.Districts}
	if k.Schools, err = s.keySet(ctx, `SELECT bin FROM schools WHERE city = ? AND bin IS NOT NULL`, slug); err != nil {
		return importer.Known{}, err
	}
	if k.Buildings, err = s.keySet(ctx, `SELECT code FROM buildings WHERE city = ?`, slug); err != nil {
		return importer.Known{}, err
	}
	return k, nil
}

func (s *DB) keySet(ctx context.Context, query string, args ...any) (map[string]bool, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("import keys: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("import keys: %w", err)
		}
		out[k] = true
	}
	return out, rows.Err()
}

// importTx runs an import in one transaction: imports of all cities are
// serialised (they take new ids from the same tables), and the city's data
// version is bumped with the change.
func (s *DB) importTx(ctx context.Context, what, slug string, fn func(t tx, res *ImportResult) error) (ImportResult, error) {
	var res ImportResult
	err := s.inTx(ctx, func(t tx) error {
		if s.dialect == Postgres {
			if _, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(7243001)`); err != nil {
				return fmt.Errorf("lock: %w", err)
			}
		}
		if err := fn(t, &res); err != nil {
			return err
		}
		v, err := t.bumpVersion(ctx, slug)
		res.Version = v
		return err
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("import %s into %q: %w", what, slug, err)
	}
	return res, nil
}

// ids maps the keys a query returns (first column) to ids (second).
func (t tx) ids(ctx context.Context, query string, args ...any) (map[string]int64, error) {
	rows, err := t.QueryContext(ctx, t.s.rebind(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			return nil, err
		}
		out[k] = id
	}
	return out, rows.Err()
}

// nextID returns an id above every id of the table.
func (t tx) nextID(ctx context.Context, table string) (int64, error) {
	var id int64
	err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM `+table).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("next %s id: %w", table, err)
	}
	return id, nil
}

// ImportDistricts writes district boundaries, keyed by slug: a district of
// the city with the slug gets the new boundary (and names only where it
// has none); another is added. Districts missing from the file are kept.
func (s *DB) ImportDistricts(ctx context.Context, slug string, ds []city.District) (ImportResult, error) {
	return s.importTx(ctx, "districts", slug, func(t tx, res *ImportResult) error {
		for _, d := range ds {
			boundary, err := jsonArg(d.Boundary)
			if err != nil {
				return err
			}
			r, err := t.exec(ctx, `
				UPDATE districts SET boundary = ?,
					name_kk = CASE WHEN name_kk = '' THEN ? ELSE name_kk END,
					name_ru = CASE WHEN name_ru = '' THEN ? ELSE name_ru END,
					name_en = CASE WHEN name_en = '' THEN ? ELSE name_en END
				WHERE city = ? AND slug = ?`,
				boundary, d.Name.KK, d.Name.RU, d.Name.EN, slug, d.Slug)
			if err != nil {
				return fmt.Errorf("district %s: %w", d.Slug, err)
			}
			if n, _ := r.RowsAffected(); n > 0 {
				res.Updated++
				continue
			}
			if _, err := t.exec(ctx, `
				INSERT INTO districts (city, slug, name_kk, name_ru, name_en, boundary) VALUES (?, ?, ?, ?, ?, ?)`,
				slug, d.Slug, d.Name.KK, d.Name.RU, d.Name.EN, boundary); err != nil {
				return fmt.Errorf("district %s: %w", d.Slug, err)
			}
			res.Inserted++
		}
		return nil
	})
}

// schoolKey is the SQL of a school's import key, as importKey makes it.
const schoolKey = `COALESCE('bin:' || bin, 'registry:' || registry_id)`

// importKey is the key a school is matched by on import.
func importKey(x school.School) string {
	if x.BIN != "" {
		return "bin:" + x.BIN
	}
	return "registry:" + x.RegistryID
}

// ImportSchools writes schools keyed by BIN (or, for a school of the
// national registry's export, which has none, by its registry id): a school
// of the city with the key is updated in every field, another is added.
// Schools missing from the file are kept. A key that belongs to another
// city's school is a conflict.
func (s *DB) ImportSchools(ctx context.Context, slug string, rows []importer.School) (ImportResult, error) {
	return s.importTx(ctx, "schools", slug, func(t tx, res *ImportResult) error {
		existing, err := t.ids(ctx, `SELECT `+schoolKey+`, id FROM schools WHERE city = ?`, slug)
		if err != nil {
			return fmt.Errorf("schools: %w", err)
		}
		elsewhere, err := t.ids(ctx, `SELECT `+schoolKey+`, id FROM schools WHERE city <> ?`, slug)
		if err != nil {
			return fmt.Errorf("schools: %w", err)
		}
		buildings, err := t.ids(ctx, `SELECT code, id FROM buildings WHERE city = ?`, slug)
		if err != nil {
			return fmt.Errorf("schools: %w", err)
		}
		next, err := t.nextID(ctx, "schools")
		if err != nil {
			return err
		}

		set := make([]string, 0, len(schoolColumnList)-3)
		for _, c := range schoolColumnList[3:] {
			set = append(set, c+" = ?")
		}
		update := `UPDATE schools SET ` + strings.Join(set, ", ") + ` WHERE id = ?`

		var fresh []int
		for i, row := range rows {
			x := row.School
			key := importKey(x)
			if _, ok := elsewhere[key]; ok {
				return &errs.Error{Kind: errs.Conflict, Err: fmt.Errorf("line %d: school %s belongs to another city", row.Line, key)}
			}
			if row.BuildingCode != "" {
				id, ok := buildings[row.BuildingCode]
				if !ok {
					return fmt.Errorf("line %d: building %s is not in the address register", row.Line, row.BuildingCode)
				}
				x.BuildingID = id
			}
			id, ok := existing[key]
			if !ok {
				x.ID = next
				next++
				rows[i].School = x
				fresh = append(fresh, i)
				continue
			}
			x.ID = id
			args, err := schoolArgs(slug, x)
			if err != nil {
				return err
			}
			if _, err := t.exec(ctx, update, append(args[3:], id)...); err != nil {
				return fmt.Errorf("line %d: school %s: %w", row.Line, key, err)
			}
			res.Updated++
		}

		err = t.insertRows(ctx, "schools", schoolColumnList, len(fresh), func(i int) ([]any, error) {
			return schoolArgs(slug, rows[fresh[i]].School)
		})
		if err != nil {
			return fmt.Errorf("schools: %w", err)
		}
		res.Inserted += len(fresh)
		return nil
	})
}

// ImportAddresses writes the address register: streets keyed by kind and
// Russian name, buildings by registration code. Existing ones are updated,
// new ones added, and nothing missing from the file is removed (catchments
// and schools point at buildings).
func (s *DB) ImportAddresses(ctx context.Context, slug string, rows []importer.Address) (ImportResult, error) {
	return s.importTx(ctx, "addresses", slug, func(t tx, res *ImportResult) error {
		streets, err := t.ids(ctx, `SELECT kind || '|' || name_ru, id FROM streets WHERE city = ?`, slug)
		if err != nil {
			return fmt.Errorf("streets: %w", err)
		}
		buildings, err := t.ids(ctx, `SELECT code, id FROM buildings WHERE city = ?`, slug)
		if err != nil {
			return fmt.Errorf("buildings: %w", err)
		}
		nextStreet, err := t.nextID(ctx, "streets")
		if err != nil {
			return err
		}
		nextBuilding, err := t.nextID(ctx, "buildings")
		if err != nil {
			return err
		}

		written := map[int64]bool{}
		for _, row := range rows {
			st, b := row.Street, row.Building
			old, err := jsonArg(st.OldNames)
			if err != nil {
				return err
			}
			key := string(st.Kind) + "|" + st.Name.RU
			id, ok := streets[key]
			switch {
			case !ok:
				id = nextStreet
				nextStreet++
				streets[key] = id
				_, err = t.exec(ctx, `
					INSERT INTO streets (id, city, district, kind, name_kk, name_ru, name_en, old_names)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
					id, slug, st.District, string(st.Kind), st.Name.KK, st.Name.RU, st.Name.EN, old)
			case !written[id]:
				_, err = t.exec(ctx, `
					UPDATE streets SET district = ?, name_kk = ?, name_en = ?, old_names = ? WHERE id = ?`,
					st.District, st.Name.KK, st.Name.EN, old, id)
			}
			if err != nil {
				return fmt.Errorf("line %d: street %s: %w", row.Line, st.Name.RU, err)
			}
			written[id] = true

			if bid, ok := buildings[b.Code]; ok {
				_, err = t.exec(ctx, `
					UPDATE buildings SET street_id = ?, district = ?, number = ?, lat = ?, lon = ?, residential = ?
					WHERE id = ?`,
					id, b.District, b.Number, b.Location.Lat, b.Location.Lon, b.Residential, bid)
				res.Updated++
			} else {
				_, err = t.exec(ctx, `
					INSERT INTO buildings (id, city, street_id, district, number, code, lat, lon, residential)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					nextBuilding, slug, id, b.District, b.Number, b.Code, b.Location.Lat, b.Location.Lon, b.Residential)
				buildings[b.Code] = nextBuilding
				nextBuilding++
				res.Inserted++
			}
			if err != nil {
				return fmt.Errorf("line %d: building %s: %w", row.Line, b.Code, err)
			}
		}
		return nil
	})
}

// ImportCatchments replaces one school year's catchments of the city with
// what the file holds: a CSV replaces every building list of that year, a
// GeoJSON file every area; the other half stays. A catchment left with
// neither is removed.
func (s *DB) ImportCatchments(ctx context.Context, slug string, year int, c importer.Catchments) (ImportResult, error) {
	return s.importTx(ctx, "catchments", slug, func(t tx, res *ImportResult) error {
		return t.importCatchments(ctx, slug, year, c, res)
	})
}

// importCatchments is ImportCatchments in the caller's transaction.
func (t tx) importCatchments(ctx context.Context, slug string, year int, c importer.Catchments, res *ImportResult) error {
	schools, err := t.ids(ctx, `SELECT bin, id FROM schools WHERE city = ? AND bin IS NOT NULL`, slug)
	if err != nil {
		return fmt.Errorf("catchments: %w", err)
	}
	catchments, err := t.ids(ctx, `SELECT CAST(school_id AS TEXT), id FROM catchments WHERE city = ? AND year = ?`, slug, year)
	if err != nil {
		return fmt.Errorf("catchments: %w", err)
	}
	next, err := t.nextID(ctx, "catchments")
	if err != nil {
		return err
	}

	// catchment returns the id of the school's catchment of the year,
	// adding an empty one when there is none.
	catchment := func(bin string) (int64, error) {
		sid, ok := schools[bin]
		if !ok {
			return 0, fmt.Errorf("school %s is not a school of %s", bin, slug)
		}
		key := fmt.Sprint(sid)
		if id, ok := catchments[key]; ok {
			return id, nil
		}
		id := next
		next++
		_, err := t.exec(ctx, `INSERT INTO catchments (id, city, school_id, year, area) VALUES (?, ?, ?, ?, '[]')`,
			id, slug, sid, year)
		catchments[key] = id
		res.Inserted++
		return id, err
	}

	if len(c.Links) > 0 {
		buildings, err := t.ids(ctx, `SELECT code, id FROM buildings WHERE city = ?`, slug)
		if err != nil {
			return fmt.Errorf("catchments: %w", err)
		}
		if _, err := t.exec(ctx, `DELETE FROM catchment_buildings WHERE city = ? AND year = ?`, slug, year); err != nil {
			return fmt.Errorf("catchments: %w", err)
		}
		type link struct{ catchment, building int64 }
		links := make([]link, 0, len(c.Links))
		for _, l := range c.Links {
			cid, err := catchment(l.SchoolBIN)
			if err != nil {
				return fmt.Errorf("line %d: %w", l.Line, err)
			}
			bid, ok := buildings[l.BuildingCode]
			if !ok {
				return fmt.Errorf("line %d: building %s is not in the address register", l.Line, l.BuildingCode)
			}
			links = append(links, link{cid, bid})
		}
		err = t.insertRows(ctx, "catchment_buildings", []string{"catchment_id", "building_id", "city", "year"}, len(links),
			func(i int) ([]any, error) { return []any{links[i].catchment, links[i].building, slug, year}, nil })
		if err != nil {
			return fmt.Errorf("catchment buildings: %w", err)
		}
		res.Updated += len(links)
	}

	if len(c.Areas) > 0 {
		if _, err := t.exec(ctx, `UPDATE catchments SET area = '[]' WHERE city = ? AND year = ?`, slug, year); err != nil {
			return fmt.Errorf("catchments: %w", err)
		}
		for _, a := range c.Areas {
			cid, err := catchment(a.SchoolBIN)
			if err != nil {
				return fmt.Errorf("feature %d: %w", a.Feature, err)
			}
			area, err := jsonArg(a.Area)
			if err != nil {
				return err
			}
			if _, err := t.exec(ctx, `UPDATE catchments SET area = ? WHERE id = ?`, area, cid); err != nil {
				return fmt.Errorf("feature %d: %w", a.Feature, err)
			}
			res.Updated++
		}
	}

	r, err := t.exec(ctx, `
		DELETE FROM catchments WHERE city = ? AND year = ? AND area = '[]'
		AND NOT EXISTS (SELECT 1 FROM catchment_buildings cb WHERE cb.catchment_id = catchments.id)`, slug, year)
	if err != nil {
		return fmt.Errorf("catchments: %w", err)
	}
	n, _ := r.RowsAffected()
	res.Deleted += int(n)
	return nil
}

// ImportTeachers writes teachers keyed by id when the file gives one, else
// by school, surname, name and patronymic, and replaces the teacher list of
// every school the file names: that school's teachers missing from the file
// are removed. Schools the file does not name keep theirs.
func (s *DB) ImportTeachers(ctx context.Context, slug string, rows []importer.Teacher) (ImportResult, error) {
	return s.importTx(ctx, "teachers", slug, func(t tx, res *ImportResult) error {
		schools, err := t.ids(ctx, `SELECT bin, id FROM schools WHERE city = ? AND bin IS NOT NULL`, slug)
		if err != nil {
			return fmt.Errorf("teachers: %w", err)
		}
		byName, err := t.ids(ctx, `
			SELECT s.bin || '|' || t.surname || '|' || t.name || '|' || t.patronymic, t.id
			FROM teachers t JOIN schools s ON s.id = t.school_id WHERE t.city = ? AND s.bin IS NOT NULL`, slug)
		if err != nil {
			return fmt.Errorf("teachers: %w", err)
		}
		byID, err := t.ids(ctx, `SELECT CAST(id AS TEXT), id FROM teachers WHERE city = ?`, slug)
		if err != nil {
			return fmt.Errorf("teachers: %w", err)
		}
		next, err := t.nextID(ctx, "teachers")
		if err != nil {
			return err
		}

		set := make([]string, 0, len(teacherColumnList)-2)
		for _, c := range teacherColumnList[2:] {
			set = append(set, c+" = ?")
		}
		update := `UPDATE teachers SET ` + strings.Join(set, ", ") + ` WHERE id = ?`

		kept := map[int64][]int64{} // school id → teacher ids in the file
		var fresh []teacher.Teacher
		for _, row := range rows {
			x := row.Teacher
			sid, ok := schools[row.SchoolBIN]
			if !ok {
				return fmt.Errorf("line %d: school %s is not a school of %s", row.Line, row.SchoolBIN, slug)
			}
			x.SchoolID = sid

			var id int64
			var found bool
			if x.ID != 0 {
				id, found = byID[fmt.Sprint(x.ID)]
			} else {
				id, found = byName[strings.Join([]string{row.SchoolBIN, x.Surname, x.Name, x.Patronymic}, "|")]
			}
			if !found {
				if x.ID == 0 {
					x.ID = next
					next++
				}
				next = max(next, x.ID+1)
				fresh = append(fresh, x)
				kept[sid] = append(kept[sid], x.ID)
				continue
			}
			x.ID = id
			args, err := teacherArgs(slug, x)
			if err != nil {
				return err
			}
			if _, err := t.exec(ctx, update, append(args[2:], id)...); err != nil {
				return fmt.Errorf("line %d: teacher: %w", row.Line, err)
			}
			kept[sid] = append(kept[sid], id)
			res.Updated++
		}

		err = t.insertRows(ctx, "teachers", teacherColumnList, len(fresh), func(i int) ([]any, error) {
			return teacherArgs(slug, fresh[i])
		})
		if err != nil {
			return fmt.Errorf("teachers: %w", err)
		}
		res.Inserted += len(fresh)

		for sid, ids := range kept {
			args := []any{slug, sid}
			for _, id := range ids {
				args = append(args, id)
			}
			q := `DELETE FROM teachers WHERE city = ? AND school_id = ? AND id NOT IN (` +
				strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + `)`
			r, err := t.exec(ctx, q, args...)
			if err != nil {
				return fmt.Errorf("teachers: %w", err)
			}
			n, _ := r.RowsAffected()
			res.Deleted += int(n)
		}
		return nil
	})
}

// importTables are the tables of a city's reference data, in the order
// CityCounts lists them.
var importTables = []string{"districts", "streets", "buildings", "schools", "catchments", "catchment_buildings", "teachers"}

// CityCounts returns how many rows of each reference table belong to the
// city, keyed by table name, so that an import can say what the city holds
// after it.
func (s *DB) CityCounts(ctx context.Context, slug string) (map[string]int, error) {
	out := make(map[string]int, len(importTables))
	for _, table := range importTables {
		var n int
		if err := s.queryRow(ctx, `SELECT COUNT(*) FROM `+table+` WHERE city = ?`, slug).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", table, err)
		}
		out[table] = n
	}
	return out, nil
}
