package address_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/address"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want address.Query
	}{
		{"Абая 150", address.Query{Street: "абая", Number: "150"}},
		{"Абай даңғылы, 150", address.Query{Street: "абаи", Number: "150"}},
		{"пр. Абая, д.150", address.Query{Street: "абая", Number: "150"}},
		{"Samal-2 58", address.Query{Street: "samal-2", Number: "58"}},
		{"мкр Самал-2, 58", address.Query{Street: "самал-2", Number: "58"}},
		{"Алғабас-1, 12", address.Query{Street: "алгабас-1", Number: "12"}},
		{"ул. Е-246 № 3", address.Query{Street: "е-246", Number: "3"}},
		{"150/230", address.Query{Number: "150/230"}},
		{"Самал-2, 58к1", address.Query{Street: "самал-2", Number: "58к1"}},
		{"Самал-2, 58 корпус 1", address.Query{Street: "самал-2", Number: "58к1"}},
		{"Жандосова 12a", address.Query{Street: "жандосова", Number: "12А"}},
		{"Жандосова 12 а", address.Query{Street: "жандосова", Number: "12А"}},
		{"ЖАНДОСОВА 12А", address.Query{Street: "жандосова", Number: "12А"}},
		{"г. Алматы, ул. Жандосова, д. 12, кв. 45", address.Query{Street: "жандосова", Number: "12"}},
		{"Алматы қ., Абай даңғылы, 10", address.Query{Street: "абаи", Number: "10"}},
		{"Қорғалжын тас жолы 3", address.Query{Street: "коргалжын", Number: "3"}},
		{"Жібек жолы көшесі 5", address.Query{Street: "жибек жолы", Number: "5"}},
		{"Нұркент шағын ауданы, 12", address.Query{Street: "нуркент", Number: "12"}},
		{"Жандoсова 5", address.Query{Street: "жандосова", Number: "5"}}, // a Latin o
		{"Ёлкина", address.Query{Street: "елкина"}},
		{"150 Abay Avenue", address.Query{Street: "abay", Number: "150"}},
		{"5 No. 37 Street", address.Query{Street: "37", Number: "5"}},
		{"ул. № 37, 5", address.Query{Street: "37", Number: "5"}},
		{"  ", address.Query{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, address.Parse(tt.in)); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestNormalizeNumber(t *testing.T) {
	for in, want := range map[string]string{
		"12a": "12А", "12 А": "12А", "58к1": "58к1", "58 К.1": "58к1", "58корп1": "58к1",
		"150/230": "150/230", "9б": "9Б",
	} {
		if got := address.NormalizeNumber(in); got != want {
			t.Errorf("NormalizeNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"Абая 150", "пр. Абая, д.150", "Samal-2 58", "ул. Е-246 № 3", "150/230",
		"58к1", "12a", "кв. 5", "Алғабас-1, 12", "\xff\xfe", strings.Repeat("а", 5000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := address.Parse(s)
		if !utf8.ValidString(q.Street) || !utf8.ValidString(q.Number) {
			t.Fatalf("Parse(%q) = %+v, not valid UTF-8", s, q)
		}
		if len(q.Street) > 4*address.MaxQuery || len(q.Number) > 4*address.MaxQuery {
			t.Fatalf("Parse(%q) is longer than the query limit", s)
		}
		if f := address.Fold(s); address.Fold(f) != f {
			t.Fatalf("Fold is not idempotent: %q → %q → %q", s, f, address.Fold(f))
		}
		if n := address.NormalizeNumber(q.Number); n != q.Number {
			t.Fatalf("NormalizeNumber is not idempotent: %q → %q", q.Number, n)
		}
		if q.Street != "" {
			if again := address.Parse(q.Street); again.Street != q.Street && again.Number == "" {
				t.Fatalf("Parse(%q).Street = %q, parsed again %q", s, q.Street, again.Street)
			}
		}
	})
}
