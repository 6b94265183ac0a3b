package school_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/dataset"
	"sakura/internal/demo"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/school"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

var (
	demoOnce   sync.Once
	demoCities []dataset.City
)

// demoData returns the demo cities, made once for the package's tests.
func demoData() []dataset.City {
	demoOnce.Do(func() { demoCities = demo.Cities() })
	return demoCities
}

// MustRegistry returns a registry over a fresh SQLite store seeded with the
// demo cities.
func MustRegistry(tb testing.TB) (*school.Registry, *store.DB) {
	tb.Helper()
	db := storetest.SQLite(tb)
	for _, c := range demoData() {
		if err := db.SeedCity(context.Background(), c); err != nil {
			tb.Fatal(err)
		}
	}
	return school.NewRegistry(db, db, nil), db
}

func ids(items []school.Listing) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

func TestRegistry(t *testing.T) {
	reg, _ := MustRegistry(t)
	ctx := context.Background()
	almaty := demoData()[0].Schools

	// Every filter finds exactly the schools that hold its value.
	count := func(keep func(s school.School) bool) int {
		n := 0
		for _, s := range almaty {
			if keep(s) {
				n++
			}
		}
		return n
	}
	tests := []struct {
		name string
		f    school.Filter
		want int
	}{
		{"all", school.Filter{}, len(almaty)},
		{"kazakh", school.Filter{Language: i18n.KK},
			count(func(s school.School) bool { return slices.Contains(s.Languages, i18n.KK) })},
		{"gymnasiums", school.Filter{Type: school.Gymnasium},
			count(func(s school.School) bool { return s.Type == school.Gymnasium })},
		{"private", school.Filter{Ownership: school.Private},
			count(func(s school.School) bool { return s.Ownership == school.Private })},
		{"kazakh gymnasiums in Medeu", school.Filter{Language: i18n.KK, Type: school.Gymnasium, District: "medeu"},
			count(func(s school.School) bool {
				return slices.Contains(s.Languages, i18n.KK) && s.Type == school.Gymnasium && s.District == "medeu"
			})},
		{"number", school.Filter{Query: "12"}, 1},
		{"nothing", school.Filter{Query: "Хогвартс"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := reg.Search(ctx, "almaty", i18n.KK, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != tt.want {
				t.Errorf("Total = %d, want %d", res.Total, tt.want)
			}
			all, err := reg.All(ctx, "almaty", i18n.KK, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != tt.want {
				t.Errorf("All found %d, want %d", len(all), tt.want)
			}
		})
	}

	// Search folds case and the Kazakh letters: «гимназия» finds «гимназиясы»,
	// «ГҮЛ» and «гул» find the same.
	for _, pair := range [][2]string{{"мектеп-гимназиясы", "МЕКТЕП ГИМНАЗИЯСЫ"}, {"Әл-Фараби", "ал фараби"}, {"лицей", "ЛИЦЕЙ"}} {
		a, _ := reg.All(ctx, "almaty", i18n.RU, school.Filter{Query: pair[0]})
		b, _ := reg.All(ctx, "almaty", i18n.RU, school.Filter{Query: pair[1]})
		if diff := cmp.Diff(ids(a), ids(b)); diff != "" {
			t.Errorf("%q and %q differ (-first +second):\n%s", pair[0], pair[1], diff)
		}
	}
	if got, _ := reg.All(ctx, "almaty", i18n.RU, school.Filter{Query: "лицей"}); len(got) == 0 {
		t.Error("«лицей» finds nothing")
	}

	// Paging: pages cut the same order, and a page past the last is empty.
	all, _ := reg.All(ctx, "almaty", i18n.KK, school.Filter{Sort: school.ByName})
	var paged []school.Listing
	for page := 1; ; page++ {
		res, err := reg.Search(ctx, "almaty", i18n.KK, school.Filter{Sort: school.ByName, Page: page, PerPage: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Items) == 0 {
			if page != res.Pages+1 {
				t.Errorf("empty page %d of %d", page, res.Pages)
			}
			break
		}
		paged = append(paged, res.Items...)
	}
	if diff := cmp.Diff(ids(all), ids(paged)); diff != "" {
		t.Errorf("pages differ from All (-all +pages):\n%s", diff)
	}

	// Orders.
	byNumber, _ := reg.All(ctx, "almaty", i18n.KK, school.Filter{})
	for i := 1; i < len(byNumber); i++ {
		a, b := byNumber[i-1].Number, byNumber[i].Number
		if b != 0 && (a == 0 || a > b) {
			t.Fatalf("number order: %d before %d", a, b)
		}
	}
	byFree, _ := reg.All(ctx, "almaty", i18n.KK, school.Filter{Sort: school.ByFree})
	if !slices.IsSortedFunc(byFree, func(a, b school.Listing) int { return b.Grade1.Free - a.Grade1.Free }) {
		t.Error("free-seat order is not by free seats, most first")
	}
	byName, _ := reg.All(ctx, "almaty", i18n.RU, school.Filter{Sort: school.ByName})
	if strings.Compare(byName[0].Name.RU, byName[len(byName)-1].Name.RU) > 0 {
		t.Errorf("name order starts with %q and ends with %q", byName[0].Name.RU, byName[len(byName)-1].Name.RU)
	}

	// A school is found in its own city only.
	first := almaty[0]
	got, err := reg.School(ctx, "almaty", first.ID)
	if err != nil || got.ID != first.ID || got.Grade1 != school.NewSeats(first.Grade1Classes, 25, 0) {
		t.Errorf("School(%d) = %+v, %v", first.ID, got, err)
	}
	if _, err := reg.School(ctx, "astana", first.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("another city's school: error %v, want not found", err)
	}
}

// TestRegistryInvalidate checks that the registry keeps a city until told
// and then reads it afresh.
func TestRegistryInvalidate(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	reg := school.NewRegistry(db, db, nil)

	res, err := reg.Search(ctx, "almaty", i18n.KK, school.Filter{})
	if err != nil || res.Total != 0 {
		t.Fatalf("empty store: %d schools, %v", res.Total, err)
	}
	if err := db.SeedCity(ctx, demoData()[1]); err != nil {
		t.Fatal(err)
	}
	if res, _ := reg.Search(ctx, "astana", i18n.KK, school.Filter{}); res.Total != len(demoData()[1].Schools) {
		t.Errorf("astana: %d schools, want %d", res.Total, len(demoData()[1].Schools))
	}

	// Almaty was loaded empty and stays so until invalidated.
	if err := db.SeedCity(ctx, demoData()[0]); err != nil {
		t.Fatal(err)
	}
	if res, _ := reg.Search(ctx, "almaty", i18n.KK, school.Filter{}); res.Total != 0 {
		t.Errorf("before Invalidate: %d schools, want the cached 0", res.Total)
	}
	reg.Invalidate("almaty")
	if res, _ := reg.Search(ctx, "almaty", i18n.KK, school.Filter{}); res.Total != len(demoData()[0].Schools) {
		t.Errorf("after Invalidate: %d schools, want %d", res.Total, len(demoData()[0].Schools))
	}
}
