package school

import (
	"context"
	"slices"
	"time"

	"sakura/internal/address"
	"sakura/internal/geo"
	"sakura/internal/i18n"
	"sakura/internal/teacher"
)

// Street is one street of a school's catchment with the house numbers on
// it that the catchment holds, in house-number order.
type Street struct {
	Street address.Street `json:"-"`
	Name   i18n.Text      `json:"name"` // with its kind: «Абай даңғылы»
	Houses []string       `json:"houses"`
}

// Territory is a school's catchment for one school year, as its passport
// shows it: the area on the map and the buildings by street.
type Territory struct {
	Year    int         `json:"year"` // the year the school year starts
	Area    geo.Polygon `json:"area,omitempty"`
	Streets []Street    `json:"streets"`
}

// PassportStore reads what a passport shows beyond the registry.
type PassportStore interface {
	// Territory returns the school's catchment for the latest school year
	// up to year. A school without one has a zero Territory and no error.
	Territory(ctx context.Context, city string, schoolID int64, year int) (Territory, error)
	// SchoolTeachers returns the school's primary teachers ordered by
	// surname and name; none is no error.
	SchoolTeachers(ctx context.Context, city string, schoolID int64) ([]teacher.Teacher, error)
	// SchoolPhotos returns the school's photos in the order they were
	// added; none is no error.
	SchoolPhotos(ctx context.Context, city string, schoolID int64) ([]Photo, error)
}

// MaxPhotos is how many photos a school's passport shows at most.
const MaxPhotos = 8

// Photo is a photo of a school for its passport; the image, checked and
// re-encoded, is in the document store under Key.
type Photo struct {
	ID          int64
	SchoolID    int64
	Key         string
	ContentType string
	Size        int64
	Width       int
	Height      int
	Added       time.Time
}

// Figure is a school's aggregate of one teaching-quality indicator: the
// mean of its teachers' values, from every teacher whose own figure rests
// on enough observations.
type Figure struct {
	Code         string  `json:"code"`
	Value        float64 `json:"value"`
	Teachers     int     `json:"teachers"`     // teachers whose figures count
	Observations int     `json:"observations"` // the observations behind them
}

// Shown reports whether the figure rests on enough to be shown: at least
// one teacher's figure, and teacher.MinObservations observations in all.
func (f Figure) Shown() bool { return f.Teachers > 0 && f.Observations >= teacher.MinObservations }

// Ratings aggregates the teachers' indicators into the school's figures, in
// the order of teacher.Indicators. A teacher's figure that is not shown on
// its own (fewer than teacher.MinObservations observations) does not count.
func Ratings(teachers []teacher.Teacher) []Figure {
	var out []Figure
	for _, code := range teacher.Indicators() {
		f := Figure{Code: code}
		var sum float64
		for _, t := range teachers {
			for _, ind := range t.Indicators {
				if ind.Code != code || !ind.Shown() {
					continue
				}
				sum += ind.Value
				f.Teachers++
				f.Observations += ind.Observations
			}
		}
		if f.Teachers > 0 {
			f.Value = sum / float64(f.Teachers)
		}
		out = append(out, f)
	}
	return out
}

// SortHouses orders house numbers as people read them: 2, 10, 12А, 12Б,
// 150/230.
func SortHouses(houses []string) {
	slices.SortFunc(houses, func(a, b string) int {
		na, ra := leading(a)
		nb, rb := leading(b)
		if na != nb {
			return na - nb
		}
		switch {
		case ra < rb:
			return -1
		case ra > rb:
			return 1
		}
		return 0
	})
}

// leading splits a house number into its leading number and the rest.
func leading(s string) (int, string) {
	n, i := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' && n < 1e6 {
		n = n*10 + int(s[i]-'0')
		i++
	}
	return n, s[i:]
}
