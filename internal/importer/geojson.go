package importer

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strings"

	"sakura/internal/city"
	"sakura/internal/geo"
	"sakura/internal/i18n"
)

// featureCollection is the part of a GeoJSON file the importer reads.
type featureCollection struct {
	Type     string    `json:"type"`
	Features []feature `json:"features"`
}

type feature struct {
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
	Geometry   *struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

// prop returns a string property; numbers are written as they read.
func (f feature) prop(names ...string) string {
	for _, n := range names {
		switch v := f.Properties[n].(type) {
		case string:
			if s := strings.TrimSpace(v); s != "" {
				return s
			}
		case float64:
			return fmt.Sprint(v)
		}
	}
	return ""
}

// readFeatures reads a GeoJSON FeatureCollection.
func readFeatures(r *report, data []byte) ([]feature, bool) {
	data, ok := text(r, data)
	if !ok {
		return nil, false
	}
	var fc featureCollection
	if err := json.Unmarshal(data, &fc); err != nil {
		line := 0
		if se, ok := err.(*json.SyntaxError); ok {
			line = lineAt(data, se.Offset)
		}
		r.add(line, "not a GeoJSON FeatureCollection: %v", err)
		return nil, false
	}
	if fc.Type != "FeatureCollection" {
		r.add(0, "the type is %q, want FeatureCollection", fc.Type)
		return nil, false
	}
	if len(fc.Features) == 0 {
		r.add(0, "the collection has no features")
		return nil, false
	}
	return fc.Features, true
}

// shape reads a feature's Polygon or MultiPolygon. Every ring must close
// (its last position repeats the first) and have at least 4 positions; the
// closing position is dropped, as geo.Ring does not repeat it.
func shape(r *report, i int, f feature) geo.MultiPolygon {
	if f.Geometry == nil {
		r.feature(i, "no geometry")
		return nil
	}
	var polys [][][][]float64
	switch f.Geometry.Type {
	case "Polygon":
		var p [][][]float64
		if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
			r.feature(i, "Polygon coordinates are not rings of positions: %v", err)
			return nil
		}
		polys = [][][][]float64{p}
	case "MultiPolygon":
		if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
			r.feature(i, "MultiPolygon coordinates are not polygons of rings: %v", err)
			return nil
		}
	default:
		r.feature(i, "geometry %q is not a Polygon or MultiPolygon", f.Geometry.Type)
		return nil
	}
	if len(polys) == 0 {
		r.feature(i, "the geometry has no polygons")
		return nil
	}

	out := make(geo.MultiPolygon, 0, len(polys))
	for pi, p := range polys {
		if len(p) == 0 {
			r.feature(i, "polygon %d has no rings", pi)
			return nil
		}
		var pg geo.Polygon
		for ri, ring := range p {
			where := fmt.Sprintf("polygon %d ring %d", pi, ri)
			if len(ring) < 4 {
				r.feature(i, "%s has %d positions, at least 4 are needed", where, len(ring))
				return nil
			}
			g := make(geo.Ring, 0, len(ring)-1)
			for _, pos := range ring {
				if len(pos) < 2 || math.IsNaN(pos[0]) || math.IsNaN(pos[1]) ||
					math.Abs(pos[0]) > 180 || math.Abs(pos[1]) > 90 {
					r.feature(i, "%s has a position %v that is not [lon, lat] within ±180 and ±90", where, pos)
					return nil
				}
				g = append(g, geo.Point{Lat: pos[1], Lon: pos[0]})
			}
			if g[0] != g[len(g)-1] {
				r.feature(i, "%s does not close: its last position %v is not its first %v",
					where, ring[len(ring)-1], ring[0])
				return nil
			}
			pg = append(pg, g[:len(g)-1])
		}
		out = append(out, pg)
	}
	return out
}

var slugPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)

// ReadDistricts reads a GeoJSON FeatureCollection of district boundaries,
// each with the properties id (the slug), name_kk, name_ru and optionally
// name_en, as OpenStreetMap exports them.
func ReadDistricts(name string, data []byte) ([]city.District, error) {
	r := &report{file: name}
	features, ok := readFeatures(r, data)
	if !ok {
		return nil, r.result()
	}

	var out []city.District
	seen := map[string]int{}
	for i, f := range features {
		d := city.District{
			Slug: f.prop("id", "slug"),
			Name: i18n.Text{KK: f.prop("name_kk"), RU: f.prop("name_ru"), EN: f.prop("name_en")},
		}
		switch {
		case d.Slug == "":
			r.feature(i, "the property id (the district's slug) is required")
		case !slugPattern.MatchString(d.Slug):
			r.feature(i, "id %q is not a slug (lowercase Latin letters, digits and -)", d.Slug)
		}
		if d.Name.KK == "" || d.Name.RU == "" {
			r.feature(i, "the properties name_kk and name_ru are required")
		}
		for _, s := range []string{d.Name.KK, d.Name.RU, d.Name.EN} {
			if n := len([]rune(s)); n > MaxField {
				r.feature(i, "a name is %d characters long, at most %d", n, MaxField)
			}
		}
		if prev, dup := seen[d.Slug]; dup && d.Slug != "" {
			r.feature(i, "id %q appears again (first in feature %d)", d.Slug, prev)
		}
		seen[d.Slug] = i
		d.Boundary = shape(r, i, f)
		out = append(out, d)
	}
	if err := r.result(); err != nil {
		return nil, err
	}
	return out, nil
}
