package importer

import (
	"sakura/internal/geo"
)

// Catchments is a catchments import: building lists (from CSV) or areas
// (from GeoJSON), by school BIN.
type Catchments struct {
	Links []Link
	Areas []Area
}

// Link puts one building in the catchment of one school.
type Link struct {
	Line         int
	SchoolBIN    string
	BuildingCode string
}

// Area is the catchment area of one school.
type Area struct {
	Feature   int
	SchoolBIN string
	Area      geo.Polygon
}

// ReadCatchments reads catchments: a CSV of school_bin,building_code rows,
// or, when the file starts with '{', a GeoJSON FeatureCollection of
// Polygons each with a school_bin property. Schools and buildings must be
// in the database already.
func ReadCatchments(name string, data []byte, k Known) (Catchments, error) {
	if firstByte(data) == '{' {
		return readCatchmentAreas(name, data, k)
	}

	r := &report{file: name}
	t, _ := readCSV(r, data, []string{"school_bin", "building_code"}, nil)
	if t == nil {
		return Catchments{}, r.result()
	}
	var out Catchments
	buildings := map[string]int{}
	for _, rw := range t.rows {
		l := Link{Line: rw.line, SchoolBIN: rw.bin("school_bin"), BuildingCode: rw.required("building_code")}
		if l.SchoolBIN != "" && !k.Schools[l.SchoolBIN] {
			rw.fail("school %s is not a school of %s; import it first", l.SchoolBIN, k.City)
		}
		if l.BuildingCode != "" {
			if !k.Buildings[l.BuildingCode] {
				rw.fail("building %s is not in the address register of %s; import it first", l.BuildingCode, k.City)
			}
			if prev, dup := buildings[l.BuildingCode]; dup {
				rw.fail("building %s is already in a catchment on line %d", l.BuildingCode, prev)
			}
			buildings[l.BuildingCode] = rw.line
		}
		out.Links = append(out.Links, l)
	}
	if err := r.result(); err != nil {
		return Catchments{}, err
	}
	return out, nil
}

func readCatchmentAreas(name string, data []byte, k Known) (Catchments, error) {
	r := &report{file: name}
	features, ok := readFeatures(r, data)
	if !ok {
		return Catchments{}, r.result()
	}
	var out Catchments
	seen := map[string]int{}
	for i, f := range features {
		bin := f.prop("school_bin", "bin")
		if bin == "" {
			r.feature(i, "the property school_bin is required")
		} else if !k.Schools[bin] {
			r.feature(i, "school %s is not a school of %s; import it first", bin, k.City)
		}
		if prev, dup := seen[bin]; dup && bin != "" {
			r.feature(i, "school %s already has an area in feature %d", bin, prev)
		}
		seen[bin] = i
		mp := shape(r, i, f)
		if len(mp) > 1 {
			r.feature(i, "a catchment is one Polygon, this MultiPolygon has %d", len(mp))
			continue
		}
		if len(mp) == 1 {
			out.Areas = append(out.Areas, Area{Feature: i, SchoolBIN: bin, Area: mp[0]})
		}
	}
	if err := r.result(); err != nil {
		return Catchments{}, err
	}
	return out, nil
}
