package campaign_test

import (
	"testing"
	"time"

	"sakura/internal/campaign"
	"sakura/internal/errs"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestWindow(t *testing.T) {
	c := campaign.Default("almaty", 2027)
	tests := []struct {
		at   time.Time
		open bool
	}{
		{day(2027, time.March, 31).Add(18*time.Hour + 59*time.Minute), false}, // 23:59 in Almaty
		{day(2027, time.March, 31).Add(19 * time.Hour), true},                 // midnight in Almaty
		{day(2027, time.June, 15), true},
		{day(2027, time.August, 31).Add(18 * time.Hour), true},
		{day(2027, time.August, 31).Add(19 * time.Hour), false},
	}
	for _, tt := range tests {
		if got := c.Open(tt.at); got != tt.open {
			t.Errorf("Open(%s) = %t, want %t", tt.at.Format(time.RFC3339), got, tt.open)
		}
	}
}

func TestCheckAge(t *testing.T) {
	c := campaign.Default("almaty", 2027)
	tests := []struct {
		birth    time.Time
		late     bool
		tooYoung bool
	}{
		{day(2021, time.March, 15), false, false},
		{day(2021, time.August, 31), false, false},
		{day(2021, time.September, 1), true, false},
		{day(2021, time.December, 31), true, false},
		{day(2022, time.January, 1), false, true},
		{day(2019, time.May, 2), false, false}, // older: may still start
	}
	for _, tt := range tests {
		late, err := c.CheckAge(tt.birth)
		if (errs.KindOf(err) == errs.Invalid) != tt.tooYoung || late != tt.late {
			t.Errorf("CheckAge(%s) = %t, %v; want late %t, too young %t", tt.birth.Format("2006-01-02"), late, err, tt.late, tt.tooYoung)
		}
	}
}

func TestWorkingDays(t *testing.T) {
	c := campaign.Default("almaty", 2027)
	c.Holidays = []time.Time{day(2027, time.May, 7), day(2027, time.May, 9)}
	// Thursday 6 May 2027: Friday 7 is a holiday, then the weekend.
	if got := c.AddWorkingDays(day(2027, time.May, 6), 5); !got.Equal(day(2027, time.May, 14)) {
		t.Errorf("5 working days after 6 May: %s, want 14 May", got.Format("2006-01-02"))
	}
	if c.WorkingDay(day(2027, time.May, 8)) || c.WorkingDay(day(2027, time.May, 7)) || !c.WorkingDay(day(2027, time.May, 10)) {
		t.Error("weekend or holiday counted as a working day, or a Monday not")
	}
}
