package account_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"sakura/internal/account"
	"sakura/internal/city"
	"sakura/internal/dataset"
	"sakura/internal/geo"
	"sakura/internal/i18n"
	"sakura/internal/iin/iintest"
	"sakura/internal/person"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

// benchPassword passes the password policy.
const benchPassword = "larch lantern by the river"

// BenchmarkPasswordCheck is the cost of one password check with the
// production params: the figure the hasher pool is sized by.
func BenchmarkPasswordCheck(b *testing.B) {
	h := account.NewHasher(account.DefaultParams, 0)
	ctx := context.Background()
	encoded, err := h.Hash(ctx, benchPassword)
	if err != nil {
		b.Fatalf("hash: %v", err)
	}

	b.ReportAllocs()
	for b.Loop() {
		if ok, err := h.Verify(ctx, encoded, benchPassword); err != nil || !ok {
			b.Fatalf("verify the right password: %v, %v", ok, err)
		}
	}
}

// BenchmarkSignIn is the whole sign-in with a password, on each engine,
// from as many goroutines as processors: signins/s is the throughput of
// one process for one parent, busy/op the share the hasher pool turned
// away.
func BenchmarkSignIn(b *testing.B) {
	engines := []struct {
		name string
		open func(testing.TB) *store.DB
	}{
		{"sqlite", storetest.SQLite},
		{"postgres", storetest.Postgres},
	}
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) { benchSignIn(b, e.open(b)) })
	}
}

func benchSignIn(b *testing.B, db *store.DB) {
	ctx := context.Background()
	parent := benchParent(b)
	benchSeed(b, db, parent)
	svc := account.New(account.Config{Store: db, People: db, Hasher: account.NewHasher(account.DefaultParams, 0)})
	c := account.Client{Addr: "203.0.113.9", UserAgent: "benchmark", Lang: i18n.RU}
	benchSignUp(b, svc, db, parent.IIN, c)

	var busy atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_, err := svc.SignIn(ctx, parent.IIN, benchPassword, c)
			if errors.Is(err, account.ErrBusy) {
				busy.Add(1)
				continue
			}
			if err != nil {
				b.Errorf("sign in: %v", err)
				return
			}
		}
	})
	b.StopTimer()

	done := float64(int64(b.N) - busy.Load())
	b.ReportMetric(done/b.Elapsed().Seconds(), "signins/s")
	b.ReportMetric(float64(busy.Load())/float64(b.N), "busy/op")
}

// benchParent is a mother with a phone on record.
func benchParent(tb testing.TB) person.Person {
	return person.Person{IIN: iintest.Must(tb, 1986, 11, 23, false), Surname: "Омарова", Name: "Дана",
		BirthDate: time.Date(1986, 11, 23, 0, 0, 0, 0, time.UTC), Sex: person.Female, Phone: "+77015550123"}
}

// benchSeed writes a tiny city holding only p.
func benchSeed(tb testing.TB, db *store.DB, p person.Person) {
	tb.Helper()
	d := dataset.City{
		City: city.City{Slug: "almaty", Name: i18n.Text{KK: "Алматы", RU: "Алматы", EN: "Almaty"},
			Centre: geo.Point{Lat: 43.238, Lon: 76.945}, Zoom: 12},
		People: []person.Person{p},
	}
	if err := db.SeedCity(context.Background(), d); err != nil {
		tb.Fatalf("seed city: %v", err)
	}
}

// benchSignUp takes the parent of iin through the first sign-in, reading
// the code from the queue as the worker would, so that she has
// benchPassword.
func benchSignUp(tb testing.TB, svc *account.Service, db *store.DB, iin string, c account.Client) {
	tb.Helper()
	ctx := context.Background()
	token, err := svc.RequestCode(ctx, iin, c)
	if err != nil {
		tb.Fatalf("request code: %v", err)
	}
	ds, err := db.Claim(ctx, time.Now(), time.Minute, 10)
	if err != nil || len(ds) != 1 || ds[0].Data.Code == "" {
		tb.Fatalf("claim the code: %d deliveries, %v", len(ds), err)
	}
	if err := svc.VerifyCode(ctx, token, ds[0].Data.Code, c); err != nil {
		tb.Fatalf("verify code: %v", err)
	}
	if _, err := svc.SetPassword(ctx, token, benchPassword, c); err != nil {
		tb.Fatalf("set password: %v", err)
	}
}
