// Package iintest makes valid IINs for tests.
package iintest

import (
	"testing"
	"time"

	"sakura/internal/iin"
)

// Must returns the first valid IIN for a birth date and sex, skipping the
// serials no valid number can carry; it fails the test if there is none.
func Must(tb testing.TB, y, m, d int, male bool) string {
	tb.Helper()
	birth := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	for serial := 1; serial < 100; serial++ {
		if n, err := iin.Make(birth, male, serial); err == nil {
			return n
		}
	}
	tb.Fatalf("no valid IIN for %s", birth.Format(time.DateOnly))
	return ""
}
