package web

import (
	"testing"
	"time"
)

// TestParsePeriods reads the school holidays as the department types
// them: any dash, a single day, blank lines; anything else refused.
func TestParsePeriods(t *testing.T) {
	d := func(m time.Month, day int) time.Time { return time.Date(2026, m, day, 0, 0, 0, 0, time.UTC) }
	got, err := parsePeriods("30.12.2026 — 07.01.2027\n\n 27.10.2026-02.11.2026 \r\n19.03.2026\n")
	if err != nil || len(got) != 3 {
		t.Fatalf("parsePeriods: %v, %v", got, err)
	}
	if !got[0].From.Equal(d(time.March, 19)) || !got[0].To.Equal(d(time.March, 19)) ||
		!got[1].From.Equal(d(time.October, 27)) || !got[2].To.Equal(time.Date(2027, time.January, 7, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("periods out of order or misread: %v", got)
	}
	for _, bad := range []string{"-", "01.01.2026 – 02.01.2026 – 03.01.2026", "1.1.2026", "01.01.2026 to 02.01.2026", "31.02.2026"} {
		if _, err := parsePeriods(bad); err == nil {
			t.Errorf("%q read as periods", bad)
		}
	}
}
