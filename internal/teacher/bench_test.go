package teacher_test

import (
	"context"
	"runtime"
	"testing"

	"sakura/internal/demo"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
	"sakura/internal/teacher"
)

// demoStore returns a SQLite store holding both full demo cities.
func demoStore(b *testing.B) *store.DB {
	db := storetest.MustOpen(b, b.TempDir()+"/demo.db")
	for _, c := range demo.Cities() {
		if err := db.SeedCity(context.Background(), c); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

// BenchmarkSearch searches the full demo Almaty (4,789 teachers) from
// memory.
func BenchmarkSearch(b *testing.B) {
	idx := teacher.NewIndex(demoStore(b))
	ctx := context.Background()
	if _, err := idx.Search(ctx, "almaty", teacher.Query{}); err != nil {
		b.Fatal(err)
	}
	for _, bb := range []struct {
		name string
		q    teacher.Query
	}{
		{"all by rating", teacher.Query{}},
		{"name words", teacher.Query{Text: "айгүл ова", Sort: teacher.SortName}},
		{"filters", teacher.Query{Category: teacher.Expert, Language: "ru", MinExperience: 10}},
		{"last page", teacher.Query{Page: 239}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := idx.Search(ctx, "almaty", bb.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkIndexMemory builds the index of both demo cities and reports
// the heap it holds.
func BenchmarkIndexMemory(b *testing.B) {
	db := demoStore(b)
	ctx := context.Background()
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		idx := teacher.NewIndex(db)
		for _, city := range []string{"almaty", "astana"} {
			if _, err := idx.Search(ctx, city, teacher.Query{}); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB")
		runtime.KeepAlive(idx)
	}
}
