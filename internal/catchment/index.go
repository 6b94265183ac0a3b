package catchment

import (
	"cmp"
	"math"
	"slices"

	"sakura/internal/geo"
)

// Index answers which catchment holds a building or a point, and which
// schools are nearest, from memory. It is built once and only read, so any
// number of goroutines may use it at once.
type Index struct {
	byBuilding map[int64]int // building → position in catchments
	catchments []Catchment
	areas      []*geo.Prepared
	boxes      []box
	grid       grid
	schools    []Place // for Nearest
}

// Place is a school's position, for nearest-school questions.
type Place struct {
	SchoolID int64
	Location geo.Point
}

// box is the bounding box of an area.
type box struct{ sw, ne geo.Point }

func (b box) contains(p geo.Point) bool {
	return p.Lat >= b.sw.Lat && p.Lat <= b.ne.Lat && p.Lon >= b.sw.Lon && p.Lon <= b.ne.Lon
}

// grid is a coarse grid over the city whose cells list the catchments whose
// bounding boxes touch them.
type grid struct {
	sw         geo.Point
	step       float64 // degrees per cell, both ways
	rows, cols int
	cells      [][]int32
}

const gridCells = 64 // per side

// NewIndex builds the index of one city's catchments for one year, with
// the positions of its schools. A building in two lists is given to the
// first; the store's schema allows only one.
func NewIndex(catchments []Catchment, schools []Place) *Index {
	x := &Index{
		byBuilding: make(map[int64]int),
		catchments: catchments,
		areas:      make([]*geo.Prepared, len(catchments)),
		boxes:      make([]box, len(catchments)),
		schools:    slices.Clone(schools),
	}
	all := box{geo.Point{Lat: math.Inf(1), Lon: math.Inf(1)}, geo.Point{Lat: math.Inf(-1), Lon: math.Inf(-1)}}
	for i, c := range catchments {
		for _, b := range c.Buildings {
			if _, ok := x.byBuilding[b]; !ok {
				x.byBuilding[b] = i
			}
		}
		if len(c.Area) == 0 || len(c.Area[0]) < 3 {
			x.boxes[i] = box{geo.Point{Lat: 1, Lon: 1}, geo.Point{Lat: -1, Lon: -1}} // holds nothing
			continue
		}
		mp := geo.MultiPolygon{c.Area}
		x.areas[i] = geo.Prepare(mp)
		sw, ne := mp.Bounds()
		x.boxes[i] = box{sw, ne}
		all.sw.Lat, all.sw.Lon = min(all.sw.Lat, sw.Lat), min(all.sw.Lon, sw.Lon)
		all.ne.Lat, all.ne.Lon = max(all.ne.Lat, ne.Lat), max(all.ne.Lon, ne.Lon)
	}
	x.grid = newGrid(all, x.boxes, x.areas)
	return x
}

// newGrid lays a grid over all and lists in each cell the areas whose
// boxes touch it.
func newGrid(all box, boxes []box, areas []*geo.Prepared) grid {
	if all.sw.Lat > all.ne.Lat {
		return grid{}
	}
	step := max((all.ne.Lat-all.sw.Lat)/gridCells, (all.ne.Lon-all.sw.Lon)/gridCells, 1e-6)
	g := grid{sw: all.sw, step: step}
	g.rows = int((all.ne.Lat-all.sw.Lat)/step) + 1
	g.cols = int((all.ne.Lon-all.sw.Lon)/step) + 1
	g.cells = make([][]int32, g.rows*g.cols)
	for i, b := range boxes {
		if areas[i] == nil {
			continue
		}
		r0, c0 := g.cell(b.sw)
		r1, c1 := g.cell(b.ne)
		for r := r0; r <= r1; r++ {
			for c := c0; c <= c1; c++ {
				g.cells[r*g.cols+c] = append(g.cells[r*g.cols+c], int32(i))
			}
		}
	}
	return g
}

// cell returns the row and column of p, clamped to the grid.
func (g *grid) cell(p geo.Point) (int, int) {
	r := int((p.Lat - g.sw.Lat) / g.step)
	c := int((p.Lon - g.sw.Lon) / g.step)
	return min(max(r, 0), g.rows-1), min(max(c, 0), g.cols-1)
}

// ByBuilding returns the catchment whose list holds the building.
func (x *Index) ByBuilding(building int64) (Catchment, bool) {
	i, ok := x.byBuilding[building]
	if !ok {
		return Catchment{}, false
	}
	return x.catchments[i], true
}

// ByPoint returns the catchment whose area holds p.
func (x *Index) ByPoint(p geo.Point) (Catchment, bool) {
	if len(x.grid.cells) == 0 || math.IsNaN(p.Lat) || math.IsNaN(p.Lon) {
		return Catchment{}, false
	}
	r, c := x.grid.cell(p)
	for _, i := range x.grid.cells[r*x.grid.cols+c] {
		if x.boxes[i].contains(p) && x.areas[i].Contains(p) {
			return x.catchments[i], true
		}
	}
	return Catchment{}, false
}

// Serving returns the catchment that serves a building at p: the one whose
// list holds it, else the one whose area holds p. Building 0 means a point
// with no building.
func (x *Index) Serving(building int64, p geo.Point) (Catchment, bool) {
	if c, ok := x.ByBuilding(building); ok {
		return c, true
	}
	if c, ok := x.ByPoint(p); ok {
		// An area does not take a building another catchment lists; that
		// case returned above. A building no list holds goes by the area.
		return c, true
	}
	return Catchment{}, false
}

// Nearby is a school and its distance from a point.
type Nearby struct {
	SchoolID int64
	Distance float64 // metres
}

// Nearest returns the k schools nearest to p, nearest first. It ranks by
// a flat-ground measure, exact enough within a city, and gives each of the
// k its distance on the sphere.
func (x *Index) Nearest(p geo.Point, k int) []Nearby {
	if k <= 0 {
		return nil
	}
	type ranked struct {
		pos int
		d   float64
	}
	scale := math.Cos(p.Lat * math.Pi / 180)
	top := make([]ranked, 0, k+1)
	for i, s := range x.schools {
		dLat, dLon := s.Location.Lat-p.Lat, (s.Location.Lon-p.Lon)*scale
		d := dLat*dLat + dLon*dLon
		if len(top) == k && d >= top[k-1].d {
			continue
		}
		j, _ := slices.BinarySearchFunc(top, d, func(r ranked, d float64) int { return cmp.Compare(r.d, d) })
		top = slices.Insert(top, j, ranked{i, d})
		if len(top) > k {
			top = top[:k]
		}
	}

	out := make([]Nearby, len(top))
	for i, r := range top {
		s := x.schools[r.pos]
		out[i] = Nearby{SchoolID: s.SchoolID, Distance: geo.Distance(p, s.Location)}
	}
	return out
}

// Catchments returns every catchment of the index.
func (x *Index) Catchments() []Catchment { return x.catchments }
