package demo

import (
	"math"

	"sakura/internal/address"
	"sakura/internal/catchment"
	"sakura/internal/geo"
	"sakura/internal/school"
)

// servesCatchment reports whether a school has a catchment: every public
// school but the specialised ones, which admit by competition. Private
// schools admit whom they choose.
func servesCatchment(s school.School) bool {
	return s.Ownership == school.Public && s.Type != school.Specialised
}

// catchments gives every residential building to the nearest school of its
// district that has a catchment. A school no building is nearest to takes
// the building it was built beside (its anchor), so that none is empty.
func (g *gen) catchments(schools []school.School, buildings []address.Building,
	anchors map[int64]int) []catchment.Catchment {
	// Distances compare on a flat map, longitude shrunk at the city's
	// latitude.
	shrink := math.Cos(g.def.centre.Lat * math.Pi / 180)
	dist2 := func(a, b geo.Point) float64 {
		north, east := a.Lat-b.Lat, (a.Lon-b.Lon)*shrink
		return north*north + east*east
	}

	serving := make(map[string][]int)
	for i, s := range schools {
		if servesCatchment(s) {
			serving[s.District] = append(serving[s.District], i)
		}
	}

	members := make([][]int, len(schools))
	owner := make([]int, len(buildings))
	for i, b := range buildings {
		owner[i] = -1
		if !b.Residential {
			continue
		}
		best, bestD := -1, math.Inf(1)
		for _, si := range serving[b.District] {
			if d := dist2(b.Location, schools[si].Location); d < bestD {
				best, bestD = si, d
			}
		}
		if best < 0 {
			panic("demo: no school serves district " + b.District + " of " + g.def.slug)
		}
		members[best] = append(members[best], i)
		owner[i] = best
	}

	for si, s := range schools {
		a := anchors[s.ID]
		from := owner[a]
		if !servesCatchment(s) || len(members[si]) > 0 || from < 0 || len(members[from]) < 2 {
			continue
		}
		members[from] = remove(members[from], a)
		members[si] = []int{a}
		owner[a] = si
	}

	var out []catchment.Catchment
	for si, s := range schools {
		if !servesCatchment(s) {
			continue
		}
		c := catchment.Catchment{
			ID:       g.id(len(out) + 1),
			City:     g.def.slug,
			SchoolID: s.ID,
			Year:     CatchmentYear,
		}
		points := []geo.Point{s.Location}
		for _, i := range members[si] {
			c.Buildings = append(c.Buildings, buildings[i].ID)
			points = append(points, buildings[i].Location)
		}
		c.Area = geo.Polygon{area(points)}
		out = append(out, c)
	}
	return out
}

// area returns the area of a catchment: the convex hull of its points,
// widened by 40 metres on every side so that no building sits on its edge.
func area(points []geo.Point) geo.Ring {
	var corners []geo.Point
	for _, p := range geo.ConvexHull(points) {
		for _, d := range [][2]float64{{-40, -40}, {-40, 40}, {40, 40}, {40, -40}} {
			corners = append(corners, geo.Offset(p, d[0], d[1]))
		}
	}
	hull := geo.ConvexHull(corners)
	for i, p := range hull {
		hull[i] = round6(p)
	}
	return hull
}

// remove returns list without the first v, keeping the order.
func remove(list []int, v int) []int {
	for i, x := range list {
		if x == v {
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}
