package school

import (
	"context"

	"sakura/internal/campaign"
)

// Seats are the places of one grade in a school this year. Taken and Free
// follow from decisions and are never typed in.
type Seats struct {
	Planned int `json:"planned"`
	Taken   int `json:"taken"`
	Free    int `json:"free"`
}

// NewSeats returns the seats of classes planned classes of size pupils, of
// which taken places are taken: free is what is left, never below zero.
func NewSeats(classes, size, taken int) Seats {
	planned := classes * size
	return Seats{Planned: planned, Taken: taken, Free: max(0, planned-taken)}
}

// Plan is a school's grade-1 and grade-10 seats in a campaign year, as its
// staff planned them and decisions took them.
type Plan struct {
	Grade1Classes, Grade10Classes int // classes planned
	Grade1Taken, Grade10Taken     int // places given, by referral or enrolment
}

// SeatStore tells the seats of a city's schools in a year, and the
// campaign that sets the size of a class.
type SeatStore interface {
	// SeatPlans returns the plan of every school of the city that has one
	// or has given a place; a school missing from the map has the classes
	// of its passport and no place taken.
	SeatPlans(ctx context.Context, city string, year int) (map[int64]Plan, error)
	campaign.Source
}

// Upkeep is what a school's staff keep of its passport, and its seats plan
// for a campaign year.
type Upkeep struct {
	City     string
	SchoolID int64
	Phone    string
	Email    string
	Website  string
	Director string
	Shifts   int
	Starts   []string // "08:00", one a shift

	Year           int // of the plan
	Grade1Classes  int
	Grade10Classes int
}
