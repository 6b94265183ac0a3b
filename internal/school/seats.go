package school

import "context"

// ClassSize is the number of pupils a class is planned for.
//
// TODO(#6): read it from the admission campaign of the city and year.
const ClassSize = 25

// Seats are the places of one grade in a school this year. Taken and Free
// follow from decisions and are never typed in.
type Seats struct {
	Planned int `json:"planned"`
	Taken   int `json:"taken"`
	Free    int `json:"free"`
}

// NewSeats returns the seats of classes planned classes of which taken
// places are taken: free is what is left, never below zero.
func NewSeats(classes, taken int) Seats {
	planned := classes * ClassSize
	return Seats{Planned: planned, Taken: taken, Free: max(0, planned-taken)}
}

// Taken is the number of grade-1 and grade-10 places a school has given
// away this year.
type Taken struct {
	Grade1  int
	Grade10 int
}

// TakenCounter counts the places each school of a city has given away this
// year, by referral or enrolment.
type TakenCounter interface {
	// TakenSeats returns the places taken per school id; a school with
	// none may be missing from the map.
	TakenSeats(ctx context.Context, city string) (map[int64]Taken, error)
}
