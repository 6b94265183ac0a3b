package school_test

import (
	"testing"
	"time"

	"sakura/internal/school"
)

func TestSchoolYear(t *testing.T) {
	tests := []struct {
		date time.Time
		want int
	}{
		{time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), 2026},
		{time.Date(2026, 8, 31, 23, 0, 0, 0, time.UTC), 2025},
		{time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC), 2026},
		{time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC), 2026},
	}
	for _, tt := range tests {
		if got := school.SchoolYear(tt.date); got != tt.want {
			t.Errorf("SchoolYear(%s) = %d, want %d", tt.date.Format(time.DateOnly), got, tt.want)
		}
	}
}
