// Package catchment describes which school serves which homes: the
// territory (микроучасток) a school admits every child of.
package catchment

import "sakura/internal/geo"

// Catchment is the territory of one school for one school year: an area on
// the map, a list of buildings, or both. Where they disagree, the list wins.
type Catchment struct {
	ID        int64       `json:"id"`
	City      string      `json:"city"`
	SchoolID  int64       `json:"school_id"`
	Year      int         `json:"year"` // the year the school year starts
	Area      geo.Polygon `json:"area,omitempty"`
	Buildings []int64     `json:"buildings,omitempty"`
}
