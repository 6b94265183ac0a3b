package address_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"sakura/internal/address"
	"sakura/internal/dataset"
	"sakura/internal/demo"
)

var (
	demoOnce   sync.Once
	demoCities []dataset.City
)

// demoCity returns the full demo city with the slug.
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

// mustIndex builds the index of a demo city.
func mustIndex(tb testing.TB, slug string) *address.Index {
	tb.Helper()
	c := demoCity(tb, slug)
	return address.NewIndex(c.Streets, c.Buildings)
}

// numberOn returns a number of a building on the street the query's street
// part names, for tests that need one that exists.
func numberOn(tb testing.TB, slug, street string) string {
	tb.Helper()
	c := demoCity(tb, slug)
	for _, s := range c.Streets {
		if s.Name.RU == street || s.Name.KK == street {
			for _, b := range c.Buildings {
				if b.StreetID == s.ID {
					return b.Number
				}
			}
		}
	}
	tb.Fatalf("no building on %q in %s", street, slug)
	return ""
}

func TestResolve(t *testing.T) {
	x := mustIndex(t, "almaty")
	abay := numberOn(t, "almaty", "Абая")
	samal := numberOn(t, "almaty", "Самал-2")
	nurkent := numberOn(t, "almaty", "Нуркент")
	tests := []struct {
		query, street string
	}{
		{"Абая " + abay, "Абай"},
		{"Абай даңғылы, " + abay, "Абай"},
		{"пр. Абая, д." + abay, "Абай"},
		{"проспект абая " + abay + " кв 12", "Абай"},
		{"Samal-2 " + samal, "Самал-2"},
		{"Самал 2 " + samal, "Самал-2"},
		{"мкр Самал-2, " + samal, "Самал-2"},
		{"Алғабас-1, " + nurkent, "Нұркент"},
		{"Нуркент " + nurkent, "Нұркент"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := x.Resolve(tt.query)
			if res.Building == nil {
				t.Fatalf("Resolve(%q) found nothing; near misses %v", tt.query, res.NearMisses)
			}
			if res.Street.Name.KK != tt.street {
				t.Errorf("Resolve(%q) street = %q, want %q", tt.query, res.Street.Name.KK, tt.street)
			}
			if address.NormalizeNumber(res.Building.Number) != res.Query.Number {
				t.Errorf("Resolve(%q) number = %q", tt.query, res.Building.Number)
			}
		})
	}

	t.Run("near misses on the same street", func(t *testing.T) {
		res := x.Resolve("Абая 9999")
		if res.Building != nil {
			t.Fatalf("Resolve found %v, want nothing", res.Building)
		}
		if len(res.NearMisses) == 0 || res.NearMisses[0].Street.Name.KK != "Абай" {
			t.Errorf("near misses = %v, want houses on Абай", res.NearMisses)
		}
	})
	t.Run("a mistyped street", func(t *testing.T) {
		res := x.Resolve("Жандосвоа " + numberOn(t, "almaty", "Жандосова"))
		if res.Building != nil {
			t.Fatalf("Resolve found %v for a mistyped street", res.Building)
		}
		if !slices.ContainsFunc(res.NearMisses, func(s address.Suggestion) bool { return s.Street.Name.KK == "Жандосов" }) {
			t.Errorf("near misses = %v, want Жандосов", res.NearMisses)
		}
	})
	t.Run("nothing like it", func(t *testing.T) {
		res := x.Resolve("Qwertyuiop 1")
		if res.Building != nil || len(res.NearMisses) != 0 {
			t.Errorf("Resolve = %+v, want nothing", res)
		}
	})
}

func TestSuggest(t *testing.T) {
	x := mustIndex(t, "almaty")
	tests := []struct {
		query, street string
		house         bool
	}{
		{"Абая", "Абай", false},
		{"Аба", "Абай", false},
		{"пр. Абая, 1", "Абай", true},
		{"Samal-2 5", "Самал-2", true},
		{"Алғабас", "Нұркент", false},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got := x.Suggest(tt.query, 10)
			if len(got) == 0 {
				t.Fatalf("Suggest(%q) = nothing", tt.query)
			}
			if !slices.ContainsFunc(got, func(s address.Suggestion) bool {
				return s.Street.Name.KK == tt.street && (s.Building != nil) == tt.house
			}) {
				t.Errorf("Suggest(%q) = %v, want %s", tt.query, got, tt.street)
			}
			if len(got) > 10 {
				t.Errorf("Suggest(%q) gave %d, over the limit", tt.query, len(got))
			}
		})
	}
	if got := x.Suggest("", 10); len(got) != 0 {
		t.Errorf("Suggest(\"\") = %v, want nothing", got)
	}
}

// queries is a varied set of what parents type, letter by letter.
func queries(tb testing.TB, slug string) []string {
	c := demoCity(tb, slug)
	var out []string
	for i, s := range c.Streets {
		if i%7 != 0 {
			continue
		}
		for _, name := range []string{s.Name.KK, s.Name.RU, s.Name.EN} {
			for n := 2; n <= len([]rune(name)); n += 3 {
				out = append(out, string([]rune(name)[:n]))
			}
			out = append(out, name+" 1", name+" 12", "ул. "+name+", д. 15")
		}
	}
	return append(out, "Алғабас-1, 12", "Samal-2 58", "пр. Абая, д.150", "zzzz 1", "Жандосвоа 5")
}

func BenchmarkSuggest(b *testing.B) {
	x := mustIndex(b, "almaty")
	qs := queries(b, "almaty")
	var times []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		x.Suggest(qs[i%len(qs)], 10)
		times = append(times, time.Since(start))
		i++
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(len(qs)), "queries")
}

func BenchmarkResolve(b *testing.B) {
	x := mustIndex(b, "almaty")
	q := fmt.Sprintf("пр. Абая, д.%s", numberOn(b, "almaty", "Абая"))
	for b.Loop() {
		x.Resolve(q)
	}
}

func FuzzIndex(f *testing.F) {
	x := mustIndex(f, "astana")
	for _, s := range []string{"Абая 150", "№ 134", "Samal-2 58", "ул. Е-246 № 3", "150/230", "а", "к 1",
		"Мәңгілік Ел 10", "тас жолы", "\xff"} {
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, q string, limit int) {
		limit %= 60
		got := x.Suggest(q, limit)
		if len(got) > max(limit, 0) {
			t.Fatalf("Suggest(%q, %d) gave %d", q, limit, len(got))
		}
		res := x.Resolve(q)
		if res.Building != nil && address.NormalizeNumber(res.Building.Number) != res.Query.Number {
			t.Fatalf("Resolve(%q) found %q for number %q", q, res.Building.Number, res.Query.Number)
		}
	})
}
