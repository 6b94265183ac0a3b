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
		{"190315500360", ErrNeverIssued, "", false, "both weight passes give 10"},
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
	tests := []struct {
		in         string
		want       error
		registered string
		kind       BINKind
		unit       BINUnit
		comment    string
	}{
		{"990340000004", nil, "1999-03", Resident, HeadOffice, "a school registered in March 1999"},
		{"051240000008", nil, "2005-12", Resident, HeadOffice, "December 2005"},
		{"180741000005", nil, "2018-07", Resident, Branch, "a branch"},
		{"051253000009", nil, "2005-12", NonResident, PeasantFarm, "a non-resident's farm"},
		{"05124000000", ErrLength, "", 0, 0, "eleven digits"},
		{"05124000000A", ErrDigits, "", 0, 0, "a letter"},
		{"051240000009", ErrChecksum, "", 0, 0, "the last digit changed"},
		{"191340000002", ErrDate, "", 0, 0, "month 13"},
		{"270140000007", ErrFuture, "", 0, 0, "registered next month"},
		{"051270000001", ErrBINKind, "", 0, 0, "kind 7"},
		{"051248000001", ErrBINUnit, "", 0, 0, "unit 8"},
	}
	for _, tt := range tests {
		t.Run(tt.comment, func(t *testing.T) {
			got, err := ParseBIN(tt.in, today)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ParseBIN(%q) error = %v, want %v", tt.in, err, tt.want)
			}
			if err != nil {
				return
			}
			if r := got.Registered.Format("2006-01"); r != tt.registered || got.Kind != tt.kind || got.Unit != tt.unit {
				t.Errorf("ParseBIN(%q) = %s, kind %c, unit %c; want %s, %c, %c",
					tt.in, r, got.Kind, got.Unit, tt.registered, tt.kind, tt.unit)
			}
		})
	}
}

func FuzzParseBIN(f *testing.F) {
	for _, s := range []string{"990340000004", "", "000000000000", "051248000001", "191340000002"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseBIN(s, today)
		if err != nil {
			return
		}
		if got.Number != s || len(s) != 12 || got.Registered.After(today) {
			t.Errorf("ParseBIN(%q) accepted %+v", s, got)
		}
		if d, _ := CheckDigit(s); int(s[11]-'0') != d {
			t.Errorf("ParseBIN(%q) accepted a wrong check digit", s)
		}
		if got.Kind < Resident || got.Kind > Joint || got.Unit < HeadOffice || got.Unit > PeasantFarm {
			t.Errorf("ParseBIN(%q) accepted kind %c, unit %c", s, got.Kind, got.Unit)
		}
	})
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
