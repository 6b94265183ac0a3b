// Package campaign holds the rules of an admission campaign of a city and a
// year: when applications are taken, which children may apply, how big a
// class is, and how quota seats and referrals work. The rules are data, so
// that a city can change them without a new release.
package campaign

import (
	"context"
	"time"

	"sakura/internal/errs"
)

// Campaign is the grade-1 campaign of a city for the school year that
// starts in Year.
type Campaign struct {
	City string `json:"city"`
	Year int    `json:"year"` // the calendar year in which the school year starts

	Opens  time.Time `json:"opens"`  // the first day applications are taken
	Closes time.Time `json:"closes"` // the last day, inclusive

	// Age is the age a child reaches in Year at the latest (6).
	Age int `json:"age"`
	// LateBirthday is the day of Year after which a birthday earns a
	// warning, not a refusal (1 September): such a child starts school
	// only at the parents' wish.
	LateBirthday time.Time `json:"late_birthday"`

	ClassSize    int `json:"class_size"`    // pupils in a class (25)
	QuotaRatio   int `json:"quota_ratio"`   // catchment admissions per quota seat (3)
	ReferralDays int `json:"referral_days"` // working days a referral stays valid (5)

	// Holidays are the days off besides weekends, for working days.
	Holidays []time.Time `json:"holidays"`

	// Documents are the files an application must carry, by name: the
	// photo and the two medical forms of 2025–26 by default. A child
	// without an IIN adds the birth certificate.
	Documents []string `json:"documents"`

	// The rules of the other services for the school year starting in
	// Year (see services.go).
	Transfer  TransferRules  `json:"transfer"`
	Grade10   Grade10Rules   `json:"grade10"`
	Meals     MealsRules     `json:"meals"`
	Camp      CampRules      `json:"camp"`
	Transport TransportRules `json:"transport"`
}

// Source gives the campaign of a city for a year: the one the department
// keeps, or the model rules' Default.
type Source interface {
	Campaign(ctx context.Context, city string, year int) (Campaign, error)
}

// SourceFunc is a Source made of a function.
type SourceFunc func(ctx context.Context, city string, year int) (Campaign, error)

// Campaign calls f.
func (f SourceFunc) Campaign(ctx context.Context, city string, year int) (Campaign, error) {
	return f(ctx, city, year)
}

// Defaults is the Source of the model rules alone.
var Defaults = SourceFunc(func(_ context.Context, city string, year int) (Campaign, error) {
	return Default(city, year), nil
})

// YearAt is the year of the campaign in force at t: the school year that
// starts this September until the end of August, the next one from
// September.
func YearAt(t time.Time) int {
	t = day(t)
	if t.Month() >= time.September {
		return t.Year() + 1
	}
	return t.Year()
}

// Default returns the campaign the model admission rules give a city for
// the school year starting in year: 1 April to 31 August, children who
// are 6 or turn 6 that calendar year, 25 a class, one quota seat per three
// catchment admissions, referrals valid five working days.
func Default(city string, year int) Campaign {
	c := Campaign{
		City:         city,
		Year:         year,
		Opens:        date(year, time.April, 1),
		Closes:       date(year, time.August, 31),
		Age:          6,
		LateBirthday: date(year, time.September, 1),
		ClassSize:    25,
		QuotaRatio:   3,
		ReferralDays: 5,
		Documents:    []string{"photo", "medical_065", "medical_052"},
	}
	defaultServices(&c, year)
	return c
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// day is t's calendar day in UTC+5, the time of the whole country.
func day(t time.Time) time.Time {
	local := t.In(time.FixedZone("UTC+5", 5*60*60))
	return date(local.Year(), local.Month(), local.Day())
}

// Open reports whether applications are taken at t.
func (c Campaign) Open(t time.Time) bool {
	d := day(t)
	return !d.Before(c.Opens) && !d.After(c.Closes)
}

// CheckAge checks a child's birth date against the age rule: a child who
// does not reach Age in Year is refused ("campaign.too_young"); a child
// whose birthday in that year falls on LateBirthday or later passes with
// late set, for a warning (school at the parents' wish). An older child
// may still start grade 1.
func (c Campaign) CheckAge(birth time.Time) (late bool, err error) {
	if birth.After(date(c.Year-c.Age, time.December, 31)) {
		return false, &errs.Error{Kind: errs.Invalid, Key: "campaign.too_young",
			Args: map[string]any{"Year": c.Year, "Age": c.Age}}
	}
	cut := date(c.Year-c.Age, c.LateBirthday.Month(), c.LateBirthday.Day())
	return !birth.Before(cut), nil
}

// WorkingDay reports whether d is a working day: not a Saturday, a Sunday
// or a holiday.
func (c Campaign) WorkingDay(d time.Time) bool {
	d = date(d.Year(), d.Month(), d.Day())
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	for _, h := range c.Holidays {
		if date(h.Year(), h.Month(), h.Day()).Equal(d) {
			return false
		}
	}
	return true
}

// AddWorkingDays returns the day n working days after from's day.
func (c Campaign) AddWorkingDays(from time.Time, n int) time.Time {
	d := date(from.Year(), from.Month(), from.Day())
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.WorkingDay(d) {
			n--
		}
	}
	return d
}
