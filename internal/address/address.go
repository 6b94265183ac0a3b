// Package address holds the city's address register: streets (and
// microdistricts) with their names in Kazakh and Russian and their former
// names, and the buildings on them.
package address

import (
	"sakura/internal/geo"
	"sakura/internal/i18n"
)

// StreetKind is the kind of a street-like place ("geonym").
type StreetKind string

// The kinds of street-like places the register knows.
const (
	KindStreet        StreetKind = "street"        // көшесі, улица
	KindAvenue        StreetKind = "avenue"        // даңғылы, проспект
	KindBoulevard     StreetKind = "boulevard"     // бульвары, бульвар
	KindLane          StreetKind = "lane"          // тұйық көшесі, переулок
	KindMicrodistrict StreetKind = "microdistrict" // шағын ауданы, микрорайон
	KindHighway       StreetKind = "highway"       // тас жолы, шоссе
)

// Street is a street or microdistrict of a city.
type Street struct {
	ID       int64      `json:"id"`
	City     string     `json:"city"`
	District string     `json:"district"`
	Kind     StreetKind `json:"kind"`
	Name     i18n.Text  `json:"name"`      // the proper name without the kind word
	OldNames []string   `json:"old_names"` // former names, still searched
}

// Building is an addressable building on a street.
type Building struct {
	ID          int64     `json:"id"`
	City        string    `json:"city"`
	StreetID    int64     `json:"street_id"`
	District    string    `json:"district"`
	Number      string    `json:"number"` // as written: 12, 12А, 150/230, 58к1
	Code        string    `json:"code"`   // the registration code (РКА), opaque
	Location    geo.Point `json:"location"`
	Residential bool      `json:"residential"`
}
