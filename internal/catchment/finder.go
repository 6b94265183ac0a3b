package catchment

import (
	"context"
	"fmt"
	"time"

	"sakura/internal/address"
	"sakura/internal/citycache"
	"sakura/internal/geo"
	"sakura/internal/school"
)

// Source is where a Finder reads a city's register. The store implements
// it; every method returns the rows of the city, none when it has none.
type Source interface {
	Streets(ctx context.Context, city string) ([]address.Street, error)
	Buildings(ctx context.Context, city string) ([]address.Building, error)
	Schools(ctx context.Context, city string) ([]school.School, error)
	Catchments(ctx context.Context, city string, year int) ([]Catchment, error)
}

// Finder answers "which school serves this address" for every city, from
// per-city indexes built on first use and kept until Invalidate. It is safe
// for concurrent use.
type Finder struct {
	src   Source
	now   func() time.Time
	cache *citycache.Cache[*CityIndex]
}

// CityIndex is everything a Finder knows of one city.
type CityIndex struct {
	Year      int
	Addresses *address.Index
	Areas     *Index
	schools   map[int64]school.School
}

// NewFinder returns a Finder reading src; now tells the date, which decides
// the school year (nil means time.Now).
func NewFinder(src Source, now func() time.Time) *Finder {
	if now == nil {
		now = time.Now
	}
	f := &Finder{src: src, now: now}
	f.cache = citycache.New("catchment index", f.build)
	return f
}

// Invalidate drops the indexes of a city, so the next question rebuilds
// them from the source. Importers call it after changing a city's data.
func (f *Finder) Invalidate(city string) { f.cache.Invalidate(city) }

// Warm builds the indexes of a city now, if they are not built yet.
func (f *Finder) Warm(ctx context.Context, city string) error { return f.cache.Warm(ctx, city) }

// City returns the indexes of a city, building them on first use. Callers
// asking at once while it builds wait for the one build.
func (f *Finder) City(ctx context.Context, city string) (*CityIndex, error) {
	return f.cache.Get(ctx, city)
}

// build reads a city's register and indexes it.
func (f *Finder) build(ctx context.Context, city string) (*CityIndex, error) {
	streets, err := f.src.Streets(ctx, city)
	if err != nil {
		return nil, fmt.Errorf("index city %q: %w", city, err)
	}
	buildings, err := f.src.Buildings(ctx, city)
	if err != nil {
		return nil, fmt.Errorf("index city %q: %w", city, err)
	}
	schools, err := f.src.Schools(ctx, city)
	if err != nil {
		return nil, fmt.Errorf("index city %q: %w", city, err)
	}
	year := school.SchoolYear(f.now())
	catchments, err := f.src.Catchments(ctx, city, year)
	if err != nil {
		return nil, fmt.Errorf("index city %q: %w", city, err)
	}

	x := &CityIndex{
		Year:      year,
		Addresses: address.NewIndex(streets, buildings),
		schools:   make(map[int64]school.School, len(schools)),
	}
	places := make([]Place, 0, len(schools))
	for _, s := range schools {
		x.schools[s.ID] = s
		places = append(places, Place{SchoolID: s.ID, Location: s.Location})
	}
	x.Areas = NewIndex(catchments, places)
	return x, nil
}

// School returns a school of the city by id.
func (x *CityIndex) School(id int64) (school.School, bool) {
	s, ok := x.schools[id]
	return s, ok
}

// Answer is the answer to "which school serves this place".
type Answer struct {
	Home     geo.Point
	Address  *address.Resolution // the address asked, when asked by address
	Serving  *Catchment          // nil when no catchment holds the place
	Schools  []SchoolAt          // the serving school first, then the nearest
	Resolved bool                // a building or a point was found
}

// SchoolAt is a school with its distance from home.
type SchoolAt struct {
	School   school.School
	Distance float64 // metres
	Serves   bool    // its catchment holds home
}

// Nearest is how many nearest schools an answer lists.
const Nearest = 5

// ByAddress answers for a short address. When it names no building,
// Resolved is false and Address holds the near misses.
func (x *CityIndex) ByAddress(query string) Answer {
	res := x.Addresses.Resolve(query)
	a := Answer{Address: &res}
	if res.Building == nil {
		return a
	}
	a.Resolved = true
	a.Home = res.Building.Location
	if c, ok := x.Areas.Serving(res.Building.ID, a.Home); ok {
		a.Serving = &c
	}
	x.fill(&a)
	return a
}

// ByPoint answers for a point on the map.
func (x *CityIndex) ByPoint(p geo.Point) Answer {
	a := Answer{Home: p, Resolved: true}
	if c, ok := x.Areas.ByPoint(p); ok {
		a.Serving = &c
	}
	x.fill(&a)
	return a
}

// fill lists the serving school and the nearest others.
func (x *CityIndex) fill(a *Answer) {
	var serving int64
	if a.Serving != nil {
		if s, ok := x.schools[a.Serving.SchoolID]; ok {
			serving = s.ID
			a.Schools = append(a.Schools, SchoolAt{School: s, Distance: geo.Distance(a.Home, s.Location), Serves: true})
		}
	}
	for _, n := range x.Areas.Nearest(a.Home, Nearest+1) {
		if n.SchoolID == serving || len(a.Schools) > Nearest {
			continue
		}
		if s, ok := x.schools[n.SchoolID]; ok {
			a.Schools = append(a.Schools, SchoolAt{School: s, Distance: n.Distance})
		}
	}
}
