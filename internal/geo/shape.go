package geo

import (
	"cmp"
	"math"
	"slices"
)

// metresPerDegree is the length of one degree of latitude, and of longitude
// at the equator, on the sphere Distance uses.
const metresPerDegree = earthRadius * math.Pi / 180

// Offset returns the point north metres north and east metres east of p
// (negative values go south and west). It treats the ground as flat, which
// is close enough within a city.
func Offset(p Point, north, east float64) Point {
	return Point{
		Lat: p.Lat + north/metresPerDegree,
		Lon: p.Lon + east/(metresPerDegree*math.Cos(p.Lat*math.Pi/180)),
	}
}

// Area returns the signed area of the ring in square degrees: positive when
// its points run counter-clockwise (on a map with north up).
func (r Ring) Area() float64 {
	var a float64
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a += r[j].Lon*r[i].Lat - r[i].Lon*r[j].Lat
	}
	return a / 2
}

// Centroid returns the centre of mass of the area the ring encloses, or the
// mean of its points when it encloses none.
func (r Ring) Centroid() Point {
	if len(r) == 0 {
		return Point{}
	}

	// Measure from the first point, so that large coordinates lose no
	// precision in the products.
	o := r[0]
	var a, lat, lon float64
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		p, q := r[j], r[i]
		cross := (p.Lon-o.Lon)*(q.Lat-o.Lat) - (q.Lon-o.Lon)*(p.Lat-o.Lat)
		a += cross
		lat += (p.Lat - o.Lat + q.Lat - o.Lat) * cross
		lon += (p.Lon - o.Lon + q.Lon - o.Lon) * cross
	}
	if a == 0 {
		var c Point
		for _, p := range r {
			c.Lat += p.Lat / float64(len(r))
			c.Lon += p.Lon / float64(len(r))
		}
		return c
	}
	return Point{Lat: o.Lat + lat/(3*a), Lon: o.Lon + lon/(3*a)}
}

// side returns a positive number when p lies to the left of the directed
// line from a to b, a negative one when it lies to the right, and zero on
// the line.
func side(a, b, p Point) float64 {
	return (b.Lon-a.Lon)*(p.Lat-a.Lat) - (b.Lat-a.Lat)*(p.Lon-a.Lon)
}

// Split cuts the ring along the straight line through a and b and returns
// the part to the left of the direction a→b and the part to the right.
// Either is empty when the line misses the ring.
//
// A ring that crosses the line more than twice comes back as one ring per
// side whose pieces are joined by edges running along the line; they
// enclose no area, so Contains still answers correctly.
func (r Ring) Split(a, b Point) (left, right Ring) {
	return r.clip(a, b, 1), r.clip(a, b, -1)
}

// clip keeps the part of the ring on one side of the line a→b: the left
// when sign is 1, the right when it is -1 (Sutherland–Hodgman).
func (r Ring) clip(a, b Point, sign float64) Ring {
	var out Ring
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		p, q := r[j], r[i]
		sp, sq := sign*side(a, b, p), sign*side(a, b, q)
		if (sp > 0 && sq < 0) || (sp < 0 && sq > 0) {
			t := sp / (sp - sq)
			out = append(out, Point{
				Lat: p.Lat + t*(q.Lat-p.Lat),
				Lon: p.Lon + t*(q.Lon-p.Lon),
			})
		}
		if sq >= 0 {
			out = append(out, q)
		}
	}
	if len(out) < 3 || Ring(out).Area() == 0 {
		return nil
	}
	return out
}

// ConvexHull returns the smallest convex ring that holds every point, with
// its points counter-clockwise and the first not repeated. Fewer than three
// distinct points, or points all on one line, give a ring of fewer than
// three points.
func ConvexHull(points []Point) Ring {
	ps := slices.Clone(points)
	slices.SortFunc(ps, func(p, q Point) int {
		if c := cmp.Compare(p.Lon, q.Lon); c != 0 {
			return c
		}
		return cmp.Compare(p.Lat, q.Lat)
	})
	ps = slices.Compact(ps)
	if len(ps) < 3 {
		return Ring(ps)
	}

	// Andrew's monotone chain: the lower hull west to east, then the upper
	// hull back, dropping every point that does not turn left.
	hull := make(Ring, 0, len(ps)+1)
	for _, p := range ps {
		for len(hull) >= 2 && side(hull[len(hull)-2], hull[len(hull)-1], p) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	lower := len(hull) + 1
	for i := len(ps) - 2; i >= 0; i-- {
		p := ps[i]
		for len(hull) >= lower && side(hull[len(hull)-2], hull[len(hull)-1], p) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	return hull[:len(hull)-1]
}
