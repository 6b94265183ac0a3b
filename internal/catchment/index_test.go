package catchment_test

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"sakura/internal/catchment"
	"sakura/internal/dataset"
	"sakura/internal/demo"
	"sakura/internal/geo"
	"sakura/internal/school"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

var (
	demoOnce   sync.Once
	demoCities []dataset.City
)

func demoCity(tb testing.TB, slug string) dataset.City {
	tb.Helper()
	demoOnce.Do(func() { demoCities = demo.Cities() })
	for _, c := range demoCities {
		if c.City.Slug == slug {
			return c
		}
	}
	tb.Fatalf("no demo city %q", slug)
	return dataset.City{}
}

func places(schools []school.School) []catchment.Place {
	out := make([]catchment.Place, len(schools))
	for i, s := range schools {
		out[i] = catchment.Place{SchoolID: s.ID, Location: s.Location}
	}
	return out
}

func TestIndex(t *testing.T) {
	square := geo.Polygon{{{Lat: 0, Lon: 0}, {Lat: 0, Lon: 1}, {Lat: 1, Lon: 1}, {Lat: 1, Lon: 0}}}
	east := geo.Polygon{{{Lat: 0, Lon: 1}, {Lat: 0, Lon: 2}, {Lat: 1, Lon: 2}, {Lat: 1, Lon: 1}}}
	x := catchment.NewIndex([]catchment.Catchment{
		{ID: 1, SchoolID: 10, Area: square},
		{ID: 2, SchoolID: 20, Area: east, Buildings: []int64{100}},   // 100 stands in the square
		{ID: 3, SchoolID: 30, Buildings: []int64{200}},               // a list and no area
		{ID: 4, SchoolID: 40, Area: geo.Polygon{{{Lat: 5, Lon: 5}}}}, // an area that is no area
	}, []catchment.Place{
		{SchoolID: 10, Location: geo.Point{Lat: 0.5, Lon: 0.5}},
		{SchoolID: 20, Location: geo.Point{Lat: 0.5, Lon: 1.5}},
		{SchoolID: 30, Location: geo.Point{Lat: 3, Lon: 3}},
	})

	tests := []struct {
		name     string
		building int64
		at       geo.Point
		want     int64 // catchment id, 0 for none
	}{
		{"in the square", 0, geo.Point{Lat: 0.5, Lon: 0.5}, 1},
		{"in the east", 0, geo.Point{Lat: 0.5, Lon: 1.5}, 2},
		{"the list wins over the area", 100, geo.Point{Lat: 0.5, Lon: 0.5}, 2},
		{"a list with no area", 200, geo.Point{Lat: 9, Lon: 9}, 3},
		{"outside everything", 300, geo.Point{Lat: 9, Lon: 9}, 0},
		{"south of the city", 0, geo.Point{Lat: -1, Lon: 0.5}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := x.Serving(tt.building, tt.at)
			if got := map[bool]int64{true: c.ID}[ok]; got != tt.want {
				t.Errorf("Serving(%d, %v) = %d, want %d", tt.building, tt.at, got, tt.want)
			}
		})
	}

	near := x.Nearest(geo.Point{Lat: 0.5, Lon: 1.4}, 2)
	if len(near) != 2 || near[0].SchoolID != 20 || near[1].SchoolID != 10 || near[0].Distance > near[1].Distance {
		t.Errorf("Nearest = %v, want schools 20 then 10", near)
	}
}

// TestIndexAgreesWithAreas checks the grid against asking every area on
// the full demo city.
func TestIndexAgreesWithAreas(t *testing.T) {
	c := demoCity(t, "almaty")
	x := catchment.NewIndex(c.Catchments, places(c.Schools))
	r := rand.New(rand.NewPCG(3, 4))
	for _, b := range c.Buildings[:min(len(c.Buildings), 3000)] {
		p := geo.Offset(b.Location, r.Float64()*200-100, r.Float64()*200-100)
		var want int64
		for _, a := range c.Catchments {
			if a.Area.Contains(p) {
				want = a.ID
				break
			}
		}
		got, _ := x.ByPoint(p)
		if got.ID != want && want != 0 {
			// Overlapping areas may answer either; the answer must hold p.
			if !got.Area.Contains(p) {
				t.Fatalf("ByPoint(%v) = %d, want %d", p, got.ID, want)
			}
		}
		if want == 0 && got.ID != 0 {
			t.Fatalf("ByPoint(%v) = %d, want none", p, got.ID)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	c := demoCity(b, "almaty")
	x := catchment.NewIndex(c.Catchments, places(c.Schools))
	var listed []int64
	for _, k := range c.Catchments {
		listed = append(listed, k.Buildings...)
	}
	points := make([]geo.Point, 0, 1024)
	for i := 0; i < len(c.Buildings) && len(points) < cap(points); i += 37 {
		points = append(points, c.Buildings[i].Location)
	}

	b.Run("building", func(b *testing.B) {
		i := 0
		for b.Loop() {
			x.ByBuilding(listed[i%len(listed)])
			i++
		}
	})
	b.Run("point", func(b *testing.B) {
		i := 0
		for b.Loop() {
			x.ByPoint(points[i%len(points)])
			i++
		}
	})
	b.Run("nearest", func(b *testing.B) {
		i := 0
		for b.Loop() {
			x.Nearest(points[i%len(points)], catchment.Nearest)
			i++
		}
	})
	b.Run("address", func(b *testing.B) {
		city := mustFinderCity(b, storetest.SQLite(b), c)
		for b.Loop() {
			city.ByAddress("пр. Абая, д.10")
		}
	})
}

// mustFinderCity seeds the city into db and returns its indexes as a Finder
// builds them.
func mustFinderCity(tb testing.TB, db *store.DB, c dataset.City) *catchment.CityIndex {
	tb.Helper()
	ctx := context.Background()
	if err := db.SeedCity(ctx, c); err != nil {
		tb.Fatalf("seed: %v", err)
	}
	f := catchment.NewFinder(db, demo.Today)
	city, err := f.City(ctx, c.City.Slug)
	if err != nil {
		tb.Fatalf("Finder.City: %v", err)
	}
	return city
}

func TestFinder(t *testing.T) {
	c := demoCity(t, "astana")
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		city := mustFinderCity(t, db, c)
		if city.Year != demo.CatchmentYear {
			t.Errorf("Year = %d, want %d", city.Year, demo.CatchmentYear)
		}
		streets, buildings := city.Addresses.Len()
		if streets != len(c.Streets) || buildings != len(c.Buildings) {
			t.Errorf("indexed %d streets, %d buildings; want %d, %d",
				streets, buildings, len(c.Streets), len(c.Buildings))
		}

		// Every listed building is served by its own catchment, by address.
		checked := 0
		for _, k := range c.Catchments {
			for _, id := range k.Buildings[:min(2, len(k.Buildings))] {
				b, s, ok := city.Addresses.Building(id)
				if !ok {
					t.Fatalf("building %d is not indexed", id)
				}
				ans := city.ByAddress(s.Name.RU + " " + b.Number)
				if !ans.Resolved || ans.Serving == nil || ans.Serving.ID != k.ID {
					t.Fatalf("ByAddress(%s %s) = %+v, want catchment %d", s.Name.RU, b.Number, ans.Serving, k.ID)
				}
				if ans.Schools[0].School.ID != k.SchoolID || !ans.Schools[0].Serves {
					t.Errorf("first school %d, want %d", ans.Schools[0].School.ID, k.SchoolID)
				}
				checked++
			}
		}
		if checked == 0 {
			t.Fatal("the demo city lists no buildings")
		}

		// Another school year has no catchments; Invalidate rebuilds.
		f := catchment.NewFinder(db, func() time.Time { return time.Date(2031, 10, 1, 0, 0, 0, 0, time.UTC) })
		later, err := f.City(ctx, c.City.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(later.Areas.Catchments()); n != 0 {
			t.Errorf("2031 has %d catchments, want none", n)
		}
		f.Invalidate(c.City.Slug)
		again, err := f.City(ctx, c.City.Slug)
		if err != nil || again == later {
			t.Errorf("after Invalidate: same index %v, error %v", again == later, err)
		}
	})
}
