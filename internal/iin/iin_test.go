package iin

import (
	"errors"
	"testing"
	"time"
)

var today = time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    error
		birth   string
		male    bool
		comment string
	}{
		{"190315500012", nil, "2019-03-15", true, "DOMAIN.md's example: a boy born 15.03.2019"},
		{"19031550001", ErrLength, "", false, "eleven digits"},
		{"1903155000123", ErrLength, "", false, "thirteen digits"},
		{"19031550001X", ErrDigits, "", false, "a letter"},
		{"190315500013", ErrChecksum, "", false, "the last digit changed"},
		{"191315500015", ErrDate, "", false, "month 13"},
		{"270101500016", ErrFuture, "", false, "born next year"},
		{"190315700015", ErrCentury, "", false, "century digit 7"},
	}
	for _, tt := range tests {
		t.Run(tt.comment, func(t *testing.T) {
			got, err := Parse(tt.in, today)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%q) error = %v, want %v", tt.in, err, tt.want)
			}
			if err != nil {
				return
			}
			if b := got.BirthDate.Format("2006-01-02"); b != tt.birth || got.Male != tt.male {
				t.Errorf("Parse(%q) = born %s, male %v; want %s, %v", tt.in, b, got.Male, tt.birth, tt.male)
			}
		})
	}
}

// TestMakeParses makes numbers for many birth dates, sexes and serials and
// reads each back.
func TestMakeParses(t *testing.T) {
	made, never := 0, 0
	for d := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC); d.Before(today); d = d.AddDate(0, 0, 97) {
		for serial := range 40 {
			male := serial%2 == 0
			s, err := Make(d, male, serial)
			if errors.Is(err, ErrNeverIssued) {
				never++
				continue
			}
			if err != nil {
				t.Fatalf("Make(%s, %d): %v", d.Format("2006-01-02"), serial, err)
			}
			got, err := Parse(s, today)
			if err != nil {
				t.Fatalf("Parse(Make(%s)) = %q: %v", d.Format("2006-01-02"), s, err)
			}
			if !got.BirthDate.Equal(d) || got.Male != male {
				t.Errorf("Parse(%q) = %v, %v; want %v, %v", s, got.BirthDate, got.Male, d, male)
			}
			made++
		}
	}
	if made == 0 || never == 0 {
		t.Errorf("made %d numbers and met %d never-issued serials; want both", made, never)
	}
}

func TestParseBIN(t *testing.T) {
	if _, err := ParseBIN("190315500012"); err != nil {
		t.Errorf("ParseBIN of a valid number: %v", err)
	}
	if _, err := ParseBIN("190315500013"); !errors.Is(err, ErrChecksum) {
		t.Errorf("ParseBIN of a wrong check digit: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"190315500012", "", "000000000000", "99999999999a", "280229600000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(s, today)
		if err != nil {
			return
		}
		if got.Number != s || len(s) != 12 || got.BirthDate.After(today) {
			t.Errorf("Parse(%q) accepted %+v", s, got)
		}
		if d, _ := CheckDigit(s); int(s[11]-'0') != d {
			t.Errorf("Parse(%q) accepted a wrong check digit", s)
		}
	})
}
