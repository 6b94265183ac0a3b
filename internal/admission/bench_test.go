package admission_test

import (
	"context"
	"sync/atomic"
	"testing"

	"sakura/internal/account"
	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

// BenchmarkDecide measures decisions a second on each engine: each
// operation accepts a catchment application and issues its referral (two
// decisions, each a transaction under the school's guard with its event,
// message, audit line and the quota queue's turn), from as many goroutines
// as processors, the applications spread over two schools.
func BenchmarkDecide(b *testing.B) {
	engines := map[string]func(testing.TB) *store.DB{"sqlite": storetest.SQLite, "postgres": storetest.Postgres}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			w := newWorld(b, engines[name](b))
			apps := make([]application.Application, b.N)
			for i := range b.N {
				apps[i] = w.submit(b, []int64{school1, school2}[i%2], application.Catchment)
			}
			ctx := context.Background()
			var next atomic.Int64
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					a := apps[next.Add(1)-1]
					for _, d := range []admission.Decision{{Action: admission.Accept}, {Action: admission.Issue}} {
						if _, err := w.svc.Decide(ctx, w.op, a.ID, d, account.Client{}); err != nil {
							b.Error(err)
							return
						}
					}
				}
			})
			b.ReportMetric(2*float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
		})
	}
}

// BenchmarkVoucher measures camp vouchers a second on each engine: each
// operation issues the voucher of an accepted camp application (a
// transaction under the shift's guard that counts its seats), from as
// many goroutines as processors, all for one shift with a seat for each.
func BenchmarkVoucher(b *testing.B) {
	engines := map[string]func(testing.TB) *store.DB{"sqlite": storetest.SQLite, "postgres": storetest.Postgres}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			w := newWorld(b, engines[name](b))
			shiftID := w.shift(b, b.N)
			apps := make([]application.Application, b.N)
			for i := range b.N {
				apps[i] = w.acceptedCamp(b, shiftID)
			}
			ctx := context.Background()
			var next atomic.Int64
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					a := apps[next.Add(1)-1]
					if _, err := w.svc.Decide(ctx, w.op, a.ID, admission.Decision{Action: admission.Issue}, account.Client{}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "vouchers/s")
		})
	}
}
