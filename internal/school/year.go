package school

import "time"

// SchoolYear returns the year the current school year started in: this
// calendar year from 1 September, else the last one. It is the one place
// that decides which year's catchments and seats are in force.
func SchoolYear(now time.Time) int {
	if now.Month() >= time.September {
		return now.Year()
	}
	return now.Year() - 1
}
