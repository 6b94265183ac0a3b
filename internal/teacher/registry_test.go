package teacher_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
	"sakura/internal/teacher"
	"sakura/internal/web/webtest"
)

// mustIndex seeds the test cities into db and returns an index over it.
func mustIndex(t *testing.T, db *store.DB) *teacher.Index {
	t.Helper()
	for _, c := range webtest.TeacherCities() {
		if err := db.SeedCity(context.Background(), c); err != nil {
			t.Fatalf("seed %s: %v", c.City.Slug, err)
		}
	}
	return teacher.NewIndex(db)
}

func ids(res teacher.Result) []int64 {
	out := []int64{}
	for _, e := range res.Items {
		out = append(out, e.ID)
	}
	return out
}

func TestIndexSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		idx := mustIndex(t, db)
		tests := []struct {
			name  string
			q     teacher.Query
			want  []int64
			total int
		}{
			{"rating first, unrated last", teacher.Query{}, []int64{101, 102, 103, 106, 104, 105}, 6},
			{"by experience", teacher.Query{Sort: teacher.SortExperience}, []int64{103, 106, 101, 102, 104, 105}, 6},
			{"by name, Kazakh order", teacher.Query{Sort: teacher.SortName}, []int64{101, 104, 105, 103, 106, 102}, 6},
			{"unknown sort is rating", teacher.Query{Sort: "salary"}, []int64{101, 102, 103, 106, 104, 105}, 6},
			{"school", teacher.Query{School: 12}, []int64{103, 106, 105}, 3},
			{"category", teacher.Query{Category: teacher.Pedagogue}, []int64{104, 105}, 2},
			{"language", teacher.Query{Language: i18n.KK}, []int64{101, 102, 104}, 3},
			{"experience range", teacher.Query{MinExperience: 8, MaxExperience: 22}, []int64{101, 102, 106}, 3},
			{"name words in any order and case", teacher.Query{Text: "елена ИВАНОВА"}, []int64{103}, 1},
			{"Latin look-alikes", teacher.Query{Text: "Ахмeтoва"}, []int64{101}, 1},
			{"ё is е", teacher.Query{Text: "Пётр"}, []int64{103, 106}, 2},
			{"no match", teacher.Query{Text: "Назарбаев"}, []int64{}, 0},
			{"page 2", teacher.Query{PerPage: 4, Page: 2}, []int64{104, 105}, 6},
			{"past the last page", teacher.Query{PerPage: 4, Page: 9}, []int64{}, 6},
			{"a very long query", teacher.Query{Text: strings.Repeat("а", 5000)}, []int64{}, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res, err := idx.Search(context.Background(), "almaty", tt.q)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, ids(res)); diff != "" {
					t.Errorf("ids mismatch (-want +got):\n%s", diff)
				}
				if res.Total != tt.total {
					t.Errorf("total = %d, want %d", res.Total, tt.total)
				}
			})
		}
	})
}

func TestIndexTeacher(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		idx := mustIndex(t, db)

		e, err := idx.Teacher(ctx, "almaty", 103)
		if err != nil {
			t.Fatal(err)
		}
		if e.FullName() != "Иванова Елена Петровна" || e.School.Number != 35 || e.School.Name.RU != "Школа-гимназия № 35" {
			t.Errorf("Teacher(103) = %q of %+v", e.FullName(), e.School)
		}

		// A teacher is found only in their own city.
		if _, err := idx.Teacher(ctx, "almaty", 1000101); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("teacher of another city: error = %v, want not found", err)
		}
		if _, err := idx.Teacher(ctx, "astana", 1000101); err != nil {
			t.Errorf("Teacher(astana, 1000101): %v", err)
		}

		schools, err := idx.Schools(ctx, "almaty")
		if err != nil {
			t.Fatal(err)
		}
		if len(schools) != 2 || schools[0].Number != 12 || schools[1].Number != 35 {
			t.Errorf("Schools = %+v, want numbers 12 and 35", schools)
		}
	})
}

func TestIndexInvalidate(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	idx := teacher.NewIndex(db)

	// Before the city is seeded, its registry is empty; after Invalidate
	// the index reads the new data.
	res, err := idx.Search(ctx, "almaty", teacher.Query{})
	if err != nil || res.Total != 0 {
		t.Fatalf("empty city: %d teachers, error %v", res.Total, err)
	}
	for _, c := range webtest.TeacherCities() {
		if err := db.SeedCity(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if res, _ := idx.Search(ctx, "almaty", teacher.Query{}); res.Total != 0 {
		t.Errorf("before Invalidate: %d teachers, want the cached 0", res.Total)
	}
	idx.Invalidate("almaty")
	if res, _ := idx.Search(ctx, "almaty", teacher.Query{}); res.Total != 6 {
		t.Errorf("after Invalidate: %d teachers, want 6", res.Total)
	}
}

func TestShown(t *testing.T) {
	tests := []struct {
		obs  int
		want bool
	}{{0, false}, {teacher.MinObservations - 1, false}, {teacher.MinObservations, true}, {100, true}}
	for _, tt := range tests {
		if got := (teacher.Indicator{Observations: tt.obs}).Shown(); got != tt.want {
			t.Errorf("Shown with %d observations = %v, want %v", tt.obs, got, tt.want)
		}
	}
}
