// Package geo holds the portal's geometry: points in WGS 84, polygons and
// distances on the ground.
package geo

import "math"

// Point is a position in WGS 84 degrees.
type Point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Ring is a closed line of points; the last point need not repeat the first.
type Ring []Point

// Polygon is an outer ring followed by any holes.
type Polygon []Ring

// MultiPolygon is a shape of one or more polygons, as district boundaries are.
type MultiPolygon []Polygon

const earthRadius = 6371008.8 // metres, the IUGG mean radius

// Distance returns the great-circle distance between a and b in metres.
func Distance(a, b Point) float64 {
	φ1, φ2 := a.Lat*math.Pi/180, b.Lat*math.Pi/180
	dφ := φ2 - φ1
	dλ := (b.Lon - a.Lon) * math.Pi / 180
	h := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	return 2 * earthRadius * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Contains reports whether p lies inside the ring (even-odd rule).
func (r Ring) Contains(p Point) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a.Lat > p.Lat) != (b.Lat > p.Lat) &&
			p.Lon < (b.Lon-a.Lon)*(p.Lat-a.Lat)/(b.Lat-a.Lat)+a.Lon {
			in = !in
		}
	}
	return in
}

// Contains reports whether p lies inside the outer ring and outside every hole.
func (pg Polygon) Contains(p Point) bool {
	if len(pg) == 0 || !pg[0].Contains(p) {
		return false
	}
	for _, hole := range pg[1:] {
		if hole.Contains(p) {
			return false
		}
	}
	return true
}

// Contains reports whether p lies inside any of the polygons.
func (mp MultiPolygon) Contains(p Point) bool {
	for _, pg := range mp {
		if pg.Contains(p) {
			return true
		}
	}
	return false
}

// Bounds returns the south-west and north-east corners of the shape.
func (mp MultiPolygon) Bounds() (sw, ne Point) {
	sw = Point{Lat: math.Inf(1), Lon: math.Inf(1)}
	ne = Point{Lat: math.Inf(-1), Lon: math.Inf(-1)}
	for _, pg := range mp {
		for _, r := range pg {
			for _, p := range r {
				sw.Lat, sw.Lon = math.Min(sw.Lat, p.Lat), math.Min(sw.Lon, p.Lon)
				ne.Lat, ne.Lon = math.Max(ne.Lat, p.Lat), math.Max(ne.Lon, p.Lon)
			}
		}
	}
	return sw, ne
}
