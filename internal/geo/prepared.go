package geo

import "math"

// Prepared is a MultiPolygon made ready for many Contains questions: the
// edges of each ring are sorted into horizontal bands, so that a question
// looks only at the few edges of the band its point falls in. It answers
// exactly as the MultiPolygon's own Contains does.
type Prepared struct {
	polygons [][]bandedRing // outer ring first, then the holes
}

// bandedRing is a ring with the indices of its edges listed by band, in
// compressed form: the edges of band b are edges[start[b]:start[b+1]].
type bandedRing struct {
	ring           Ring
	minLat, maxLat float64
	height         float64 // of one band, in degrees
	start          []int32
	edges          []int32 // edge i runs from point i-1 (or the last) to point i
}

// Prepare returns mp made ready for many Contains questions.
func Prepare(mp MultiPolygon) *Prepared {
	p := &Prepared{}
	for _, pg := range mp {
		var rings []bandedRing
		for _, r := range pg {
			rings = append(rings, band(r))
		}
		p.polygons = append(p.polygons, rings)
	}
	return p
}

// band sorts the edges of a ring into about one band per two points.
func band(r Ring) bandedRing {
	b := bandedRing{ring: r, minLat: math.Inf(1), maxLat: math.Inf(-1)}
	for _, p := range r {
		b.minLat, b.maxLat = math.Min(b.minLat, p.Lat), math.Max(b.maxLat, p.Lat)
	}
	n := min(1024, max(1, len(r)/2))
	b.height = (b.maxLat - b.minLat) / float64(n)
	if b.height == 0 {
		n, b.height = 1, 1
	}

	// Count the edges of each band, then place them.
	span := func(i int) (int, int) {
		j := i - 1
		if i == 0 {
			j = len(r) - 1
		}
		lo, hi := math.Min(r[i].Lat, r[j].Lat), math.Max(r[i].Lat, r[j].Lat)
		return b.bandOf(lo, n), b.bandOf(hi, n)
	}
	b.start = make([]int32, n+1)
	for i := range r {
		lo, hi := span(i)
		for k := lo; k <= hi; k++ {
			b.start[k+1]++
		}
	}
	for k := range n {
		b.start[k+1] += b.start[k]
	}
	b.edges = make([]int32, b.start[n])
	next := append([]int32(nil), b.start[:n]...)
	for i := range r {
		lo, hi := span(i)
		for k := lo; k <= hi; k++ {
			b.edges[next[k]] = int32(i)
			next[k]++
		}
	}
	return b
}

// bandOf returns the band of latitude lat among n.
func (b *bandedRing) bandOf(lat float64, n int) int {
	return min(n-1, max(0, int((lat-b.minLat)/b.height)))
}

// contains reports whether p lies inside the ring, by the same even-odd
// test as Ring.Contains over the edges of p's band.
func (b *bandedRing) contains(p Point) bool {
	if p.Lat < b.minLat || p.Lat > b.maxLat {
		return false
	}
	k := b.bandOf(p.Lat, len(b.start)-1)
	r := b.ring
	in := false
	for _, e := range b.edges[b.start[k]:b.start[k+1]] {
		i := int(e)
		j := i - 1
		if i == 0 {
			j = len(r) - 1
		}
		a, c := r[i], r[j]
		if (a.Lat > p.Lat) != (c.Lat > p.Lat) &&
			p.Lon < (c.Lon-a.Lon)*(p.Lat-a.Lat)/(c.Lat-a.Lat)+a.Lon {
			in = !in
		}
	}
	return in
}

// Contains reports whether p lies inside any of the polygons: inside its
// outer ring and outside its holes.
func (p *Prepared) Contains(pt Point) bool {
	for _, rings := range p.polygons {
		if len(rings) == 0 || !rings[0].contains(pt) {
			continue
		}
		inHole := false
		for i := 1; i < len(rings) && !inHole; i++ {
			inHole = rings[i].contains(pt)
		}
		if !inHole {
			return true
		}
	}
	return false
}
