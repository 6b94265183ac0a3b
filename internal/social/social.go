// Package social is the social help a city gives its pupils: summer camps
// and their shifts, which the department keeps and for which vouchers are
// given, and the rules of free meals. The categories of both are the
// application package's.
package social

import (
	"context"
	"slices"
	"strings"
	"time"

	"sakura/internal/account"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/person"
)

// CampKind is what a camp is.
type CampKind string

// The kinds of camp (DOMAIN.md).
const (
	OutOfTown    CampKind = "out_of_town"
	SchoolBased  CampKind = "school"
	maxCampName           = 200
	maxShiftDays          = 60
)

// CampKinds lists the kinds in the order the office offers them.
var CampKinds = []CampKind{OutOfTown, SchoolBased}

// Camp is a summer camp of a city.
type Camp struct {
	ID      int64
	City    string
	Kind    CampKind
	Name    i18n.Text
	Address string
	Shifts  []Shift // in the order of their numbers
}

// Shift is one of a camp's shifts: its dates, its seats and the ages it
// takes, in whole years on its first day.
type Shift struct {
	ID     int64
	CampID int64
	Number int
	Starts time.Time // a date
	Ends   time.Time // a date, inclusive
	Seats  int
	AgeMin int
	AgeMax int
}

// Age is how old a child born on birth is on the shift's first day.
func (s Shift) Age(birth time.Time) int { return person.AgeOn(birth, s.Starts) }

// Fits reports whether a child born on birth is of the shift's ages.
func (s Shift) Fits(birth time.Time) bool {
	a := s.Age(birth)
	return a >= s.AgeMin && a <= s.AgeMax
}

// Over reports whether the shift has begun by today, a date: too late to
// ask for a voucher.
func (s Shift) Over(today time.Time) bool { return !today.Before(s.Starts) }

// Check refuses a camp that is not whole, field by field: a kind, a name in
// each language, at most 200 characters each.
func (c Camp) Check() error {
	var bad account.FieldErrors
	if !slices.Contains(CampKinds, c.Kind) {
		bad = append(bad, account.FieldError{Field: "kind-" + string(OutOfTown), Key: "office.camps.kind_required"})
	}
	for _, n := range []struct{ field, v string }{{"name_kk", c.Name.KK}, {"name_ru", c.Name.RU}, {"name_en", c.Name.EN}} {
		if v := strings.TrimSpace(n.v); v == "" || len([]rune(v)) > maxCampName {
			bad = append(bad, account.FieldError{Field: n.field, Key: "office.camps.name_required"})
		}
	}
	if len([]rune(c.Address)) > maxCampName {
		bad = append(bad, account.FieldError{Field: "address", Key: "office.camps.address_long"})
	}
	return fields(bad)
}

// Check refuses a shift that is not whole: a number, dates in order no
// longer than 60 days, seats, and ages from 6 to 18 in order.
func (s Shift) Check() error {
	var bad account.FieldErrors
	if s.Number < 1 || s.Number > 20 {
		bad = append(bad, account.FieldError{Field: "number", Key: "office.camps.number_invalid"})
	}
	if s.Starts.IsZero() || s.Ends.IsZero() || s.Ends.Before(s.Starts) || s.Ends.Sub(s.Starts) > maxShiftDays*24*time.Hour {
		bad = append(bad, account.FieldError{Field: "ends", Key: "office.camps.dates_invalid"})
	}
	if s.Seats < 1 || s.Seats > 2000 {
		bad = append(bad, account.FieldError{Field: "seats", Key: "office.camps.seats_invalid"})
	}
	if s.AgeMin < 6 || s.AgeMax > 18 || s.AgeMax < s.AgeMin {
		bad = append(bad, account.FieldError{Field: "age_min", Key: "office.camps.ages_invalid"})
	}
	return fields(bad)
}

func fields(bad account.FieldErrors) error {
	if len(bad) == 0 {
		return nil
	}
	return &errs.Error{Kind: errs.Invalid, Key: "account.form", Err: bad}
}

// Store keeps a city's camps and shifts.
type Store interface {
	// Camps lists a city's camps with their shifts, by name.
	Camps(ctx context.Context, city string) ([]Camp, error)
	// Shift returns a shift of a city's camp, or errs.ErrNotFound.
	Shift(ctx context.Context, city string, id int64) (Shift, Camp, error)
}
