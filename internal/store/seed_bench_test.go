package store_test

import (
	"context"
	"testing"

	"sakura/internal/demo"
	"sakura/internal/store/storetest"
)

// BenchmarkSeedDemo writes both demo cities into a fresh database of each
// engine: the work of the first start of `sakura serve -demo`.
func BenchmarkSeedDemo(b *testing.B) {
	cities := demo.Cities()
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := storetest.SQLite(b)
				if engine == "postgres" {
					db = storetest.Postgres(b)
				}
				b.StartTimer()
				for _, c := range cities {
					if err := db.SeedCity(context.Background(), c); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
