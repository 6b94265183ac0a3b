package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"sakura/internal/account"
	"sakura/internal/application"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

// BenchmarkSubmit measures submissions a second, each a whole transaction
// (the draft locked, the number issued, the application, the draft's mark,
// the event and its delivery), next to the rate of plain one-row inserts
// in their own transactions on the same database.
func BenchmarkSubmit(b *testing.B) {
	engines := map[string]func(testing.TB) *store.DB{"sqlite": storetest.SQLite, "postgres": storetest.Postgres}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name+"/submit", func(b *testing.B) {
			db := engines[name](b)
			acc := applicant(b, db)
			subs := make([]application.Submission, b.N)
			for i := range b.N {
				subs[i] = draft(b, db, acc, fmt.Sprintf("d-%d", i), fmt.Sprintf("child-%d", i))
			}
			var next atomic.Int64
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, _, err := db.Submit(context.Background(), subs[next.Add(1)-1]); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
		})
		b.Run(name+"/plain-insert", func(b *testing.B) {
			db := engines[name](b)
			ctx := context.Background()
			now := time.Now()
			var next atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					key := fmt.Sprint(next.Add(1))
					if err := db.Tx(ctx, func(tx account.Tx) error { return tx.Record(ctx, key, "bench", now) }); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "inserts/s")
		})
	}
}
