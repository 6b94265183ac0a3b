package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"sakura/internal/address"
	"sakura/internal/city"
	"sakura/internal/geo"
)

// city returns the city with its districts.
func (g *gen) city() city.City {
	c := city.City{
		Slug:   g.def.slug,
		Name:   g.def.name,
		Centre: g.def.centre,
		Zoom:   g.def.zoom,
	}
	for _, d := range g.def.districts {
		c.Districts = append(c.Districts, city.District{
			City:     g.def.slug,
			Slug:     d.slug,
			Name:     d.name,
			Boundary: d.boundary,
		})
	}
	return c
}

// house is a building before it has an id: its number and position.
type house struct {
	number string
	at     geo.Point
}

// addresses lays out the city's streets and the buildings along them. A
// street none of whose buildings falls inside the city is left out.
func (g *gen) addresses() ([]address.Street, []address.Building) {
	r := g.rand("addresses")
	defs := slices.Concat(g.def.streets, g.numberedStreets(r))

	// Lay out every street, keeping the houses inside the city.
	var streets []address.Street
	var houses [][]address.Building
	total := 0
	for _, def := range defs {
		var kept []address.Building
		count := make(map[string]int)
		for _, h := range g.houses(r, def) {
			h.at = round6(h.at)
			district := g.loc.district(h.at)
			if district == "" {
				continue
			}
			count[district]++
			kept = append(kept, address.Building{
				City:        g.def.slug,
				District:    district,
				Number:      h.number,
				Location:    h.at,
				Residential: !chance(r, g.nonResidential(district)),
			})
		}
		if len(kept) == 0 {
			continue
		}
		streets = append(streets, address.Street{
			ID:       g.id(len(streets) + 1),
			City:     g.def.slug,
			District: g.majority(count),
			Kind:     def.kind,
			Name:     def.name,
			OldNames: def.old,
		})
		houses = append(houses, kept)
		total += len(kept)
	}

	// Number the buildings street by street, leaving room for the schools'.
	buildings := make([]address.Building, 0, total+g.def.schools)
	for i, kept := range houses {
		for _, b := range kept {
			b.ID = g.id(len(buildings) + 1)
			b.StreetID = streets[i].ID
			b.Code = g.code(len(buildings))
			buildings = append(buildings, b)
		}
	}
	return streets, buildings
}

// numberedStreets draws the numbered streets of the city's new quarters.
func (g *gen) numberedStreets(r *rand.Rand) []streetDef {
	var defs []streetDef
	used := make(map[string]bool)
	for _, nd := range g.def.numbered {
		for range nd.count {
			name := fmt.Sprintf(nd.format, between(r, 1, nd.max))
			for used[name] {
				name = fmt.Sprintf(nd.format, between(r, 1, nd.max))
			}
			used[name] = true
			defs = append(defs, streetDef{kind: street, name: names(name), district: nd.district})
		}
	}
	return defs
}

// majority returns the district most of a street's buildings are in, the
// first in the city's order on a tie.
func (g *gen) majority(count map[string]int) string {
	best := ""
	for _, d := range g.def.districts {
		if count[d.slug] > count[best] || best == "" && count[d.slug] > 0 {
			best = d.slug
		}
	}
	return best
}

// nonResidential returns the share of buildings in a district that nobody
// lives in: shops, offices, clinics.
func (g *gen) nonResidential(district string) float64 {
	if g.district(district).outskirts {
		return 0.05
	}
	return 0.12
}

// code returns the registration code of the city's n-th building (from
// 0): the city's prefix and fourteen digits. The digits are n mixed by a
// bijection of the numbers below 10^14, different for every seed, so that
// codes look random yet never repeat.
func (g *gen) code(n int) string {
	const mod = 100_000_000_000_000
	const mul = 25_214_903_917 // odd and not a multiple of 5: invertible mod 10^14
	offset := g.seed * 0x9E3779B97F4A7C15 % mod
	x := (uint64(n)*mul + offset) % mod
	b := make([]byte, len(g.def.codePrefix)+14)
	copy(b, g.def.codePrefix)
	for i := len(b) - 1; i >= len(g.def.codePrefix); i-- {
		b[i] = byte('0' + x%10)
		x /= 10
	}
	return string(b)
}

// round6 rounds a point to six decimals (about 10 cm), as the register
// stores it.
func round6(p geo.Point) geo.Point {
	return geo.Point{Lat: math.Round(p.Lat*1e6) / 1e6, Lon: math.Round(p.Lon*1e6) / 1e6}
}

// houses returns the buildings of one street or microdistrict.
func (g *gen) houses(r *rand.Rand, def streetDef) []house {
	if def.kind == micro {
		centre := g.anywhere(r, def)
		return g.cluster(r, centre, g.outskirts(centre))
	}

	// The main streets, laid out along their real courses, are long: their
	// houses stand wider apart, so that numbers stay in the hundreds.
	course, spacing, sparse := def.course, 85.0, 45.0
	if len(course) == 0 {
		course, spacing, sparse = g.randomCourse(r, def), 55, 30
	}
	first, last := course[0], course[len(course)-1]
	outskirts := g.outskirts(geo.Point{Lat: (first.Lat + last.Lat) / 2, Lon: (first.Lon + last.Lon) / 2})
	if outskirts {
		spacing = sparse
	}
	if def.kind == highway {
		spacing = 110
	}
	return alongLine(r, course, spacing/g.def.density, !outskirts)
}

// outskirts reports whether p lies in a district of private houses.
func (g *gen) outskirts(p geo.Point) bool {
	slug := g.loc.district(p)
	return slug != "" && g.district(slug).outskirts
}

// anywhere returns the centre of a street: its given one, or a point drawn
// around the core of its district.
func (g *gen) anywhere(r *rand.Rand, def streetDef) geo.Point {
	if len(def.course) > 0 {
		return def.course[0]
	}
	d := g.district(def.district)
	for range 200 {
		p := geo.Offset(d.core, r.NormFloat64()*d.spread, r.NormFloat64()*d.spread)
		if g.loc.district(p) == d.slug {
			return p
		}
	}
	return d.core
}

// randomCourse returns a course for a street placed at random: a slightly
// bent line on the city's north–south grid, its length by the kind.
func (g *gen) randomCourse(r *rand.Rand, def streetDef) []geo.Point {
	var length float64
	switch def.kind {
	case avenue:
		length = 3000 + 4000*r.Float64()
	case highway:
		length = 5000 + 4000*r.Float64()
	case boulevard:
		length = 800 + 1200*r.Float64()
	case lane:
		length = 150 + 350*r.Float64()
	default:
		length = 500 + 2200*r.Float64()
	}

	centre := g.anywhere(r, def)
	angle := (float64(r.IntN(2))*90 + r.NormFloat64()*6) * math.Pi / 180
	north, east := math.Cos(angle)*length/2, math.Sin(angle)*length/2
	bend := r.NormFloat64() * length * 0.04
	return []geo.Point{
		geo.Offset(centre, -north, -east),
		geo.Offset(centre, bend*math.Sin(angle), -bend*math.Cos(angle)),
		geo.Offset(centre, north, east),
	}
}

// alongLine lays out houses on both sides of a course: odd numbers on the
// left, even on the right, rising from its start, about spacing metres
// apart. Now and then a number is missing, a house is a corner one
// (150/230), a second house shares a number with a letter (12А, 12Б), and,
// in the city proper, blocks of a new complex share one (58к1, 58к2).
func alongLine(r *rand.Rand, course []geo.Point, spacing float64, central bool) []house {
	// Lengths along the course, in metres.
	cum := make([]float64, len(course))
	for i := 1; i < len(course); i++ {
		cum[i] = cum[i-1] + geo.Distance(course[i-1], course[i])
	}
	total := cum[len(cum)-1]

	// at returns the point d metres along the course and off metres to its
	// left (to the right when off is negative).
	at := func(d, off float64) geo.Point {
		i := 1
		for i < len(course)-1 && cum[i] < d {
			i++
		}
		a, b := course[i-1], course[i]
		seg := cum[i] - cum[i-1]
		t := (d - cum[i-1]) / seg
		p := geo.Point{Lat: a.Lat + t*(b.Lat-a.Lat), Lon: a.Lon + t*(b.Lon-a.Lon)}
		north := (b.Lat - a.Lat) * metresPerDegree
		east := (b.Lon - a.Lon) * metresPerDegree * math.Cos(a.Lat*math.Pi/180)
		return geo.Offset(p, east/seg*off, -north/seg*off)
	}

	var out []house
	for side := range 2 {
		sign := 1.0 - 2*float64(side)
		for k := 0; ; k++ {
			d := (float64(k)+0.5+0.5*float64(side))*spacing + r.NormFloat64()*spacing*0.1
			if d > total {
				break
			}
			n := 2*k + 1 + side
			off := sign * (15 + 12*r.Float64())
			roll := r.Float64()
			switch {
			case roll < 0.04:
				continue
			case central && roll < 0.055:
				for b, blocks := 1, 2+r.IntN(2); b <= blocks; b++ {
					back := off * (1 + 1.5*float64(b))
					out = append(out, house{fmt.Sprintf("%dк%d", n, b), at(d, back)})
				}
			case roll < 0.09:
				out = append(out, house{fmt.Sprintf("%d/%d", n, between(r, 1, 250)), at(d, off)})
			default:
				out = append(out, house{strconv.Itoa(n), at(d, off)})
				if chance(r, 0.06) {
					next := math.Min(d+spacing/3, total)
					out = append(out, house{fmt.Sprintf("%dА", n), at(next, off*2.5)})
					if chance(r, 0.3) {
						out = append(out, house{fmt.Sprintf("%dБ", n), at(d, off*4)})
					}
				}
			}
		}
	}
	return out
}

// cluster lays out the buildings of a microdistrict on a loose grid around
// its centre, numbered 1 to N; in the outskirts they are small houses,
// closer together and more of them.
func (g *gen) cluster(r *rand.Rand, centre geo.Point, outskirts bool) []house {
	n, spacing := between(r, 30, 110), 70.0
	if outskirts {
		n, spacing = between(r, 90, 260), 32.0
	}
	n = int(float64(n) * g.def.density)
	cols := int(math.Ceil(math.Sqrt(float64(n) * 1.3)))
	rows := (n + cols - 1) / cols
	angle := r.NormFloat64() * 8 * math.Pi / 180

	var out []house
	for i := range n {
		row, col := float64(i/cols)-float64(rows)/2, float64(i%cols)-float64(cols)/2
		y := row*spacing + r.NormFloat64()*spacing*0.15
		x := col*spacing + r.NormFloat64()*spacing*0.15
		north, east := y*math.Cos(angle)-x*math.Sin(angle), y*math.Sin(angle)+x*math.Cos(angle)
		p := geo.Offset(centre, north, east)
		out = append(out, house{strconv.Itoa(i + 1), p})
		if chance(r, 0.04) {
			out = append(out, house{fmt.Sprintf("%dА", i+1), geo.Offset(p, spacing/3, spacing/3)})
		}
	}
	return out
}
