package school_test

import (
	"context"
	"runtime"
	"testing"

	"sakura/internal/i18n"
	"sakura/internal/school"
)

// BenchmarkSearch measures searches of the full demo Almaty in memory.
func BenchmarkSearch(b *testing.B) {
	reg, _ := MustRegistry(b)
	ctx := context.Background()
	if err := reg.Warm(ctx, "almaty"); err != nil {
		b.Fatal(err)
	}
	for _, bb := range []struct {
		name string
		f    school.Filter
	}{
		{"all", school.Filter{}},
		{"filters", school.Filter{Language: i18n.KK, Type: school.Gymnasium, District: "medeu"}},
		{"text", school.Filter{Query: "Абай даңғылы"}},
		{"by name", school.Filter{Sort: school.ByName, Page: 3}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := reg.Search(ctx, "almaty", i18n.RU, bb.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRegistryMemory reports the heap the registries of both demo
// cities hold (target: under 100 MB).
func BenchmarkRegistryMemory(b *testing.B) {
	_, db := MustRegistry(b)
	ctx := context.Background()
	var held uint64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		reg := school.NewRegistry(db, db, nil)
		for _, c := range demoData() {
			if err := reg.Warm(ctx, c.City.Slug); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		held = after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc)
		runtime.KeepAlive(reg)
	}
	b.ReportMetric(float64(held)/(1<<20), "MB")
}
