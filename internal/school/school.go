// Package school holds the school registry of a city: the school passport
// and the primary-school teachers with their ratings.
package school

import (
	"context"

	"sakura/internal/geo"
	"sakura/internal/i18n"
)

// Type is the type of a school.
type Type string

// The school types of the registry.
const (
	General     Type = "general"     // жалпы білім беретін мектеп
	Gymnasium   Type = "gymnasium"   // мектеп-гимназия
	Lyceum      Type = "lyceum"      // мектеп-лицей
	Specialised Type = "specialised" // мамандандырылған мектеп
	Primary     Type = "primary"     // бастауыш мектеп
	Basic       Type = "basic"       // негізгі мектеп (grades 1–9)
)

// Ownership is the form of ownership of a school.
type Ownership string

// The ownership forms of the registry.
const (
	Public  Ownership = "public"
	Private Ownership = "private"
)

// School is a school of a city, with everything its passport shows.
// Seats taken and free are never stored: they follow from decisions.
type School struct {
	ID   int64  `json:"id"`
	City string `json:"city"`
	BIN  string `json:"bin"` // empty when unknown, as for a school read from the national registry's export
	// RegistryID is the school's id in the national registry of schools,
	// when it came from there.
	RegistryID string      `json:"registry_id,omitempty"`
	Number     int         `json:"number,omitempty"` // 0 for a school without one
	Name       i18n.Text   `json:"name"`
	Type       Type        `json:"type"`
	Ownership  Ownership   `json:"ownership"`
	Languages  []i18n.Lang `json:"languages"` // languages of instruction
	District   string      `json:"district"`
	// BuildingID is the school's own building in the address register.
	BuildingID int64     `json:"building_id"`
	Address    i18n.Text `json:"address"`
	Location   geo.Point `json:"location"`

	Phone    string `json:"phone"`
	Email    string `json:"email"`
	Website  string `json:"website,omitempty"`
	Director string `json:"director"`
	Founded  int    `json:"founded,omitempty"`

	Shifts     int      `json:"shifts"`
	StartTimes []string `json:"start_times"` // "08:00", one per shift
	Capacity   int      `json:"capacity"`    // design capacity, pupils
	Pupils     int      `json:"pupils"`

	// Planned classes this year; seats are classes × the campaign's class size.
	Grade1Classes  int `json:"grade1_classes"`
	Grade10Classes int `json:"grade10_classes"`

	Profiles      []string `json:"profiles"`      // grade 10–11 profile codes
	Facilities    []string `json:"facilities"`    // facility codes
	Accessibility []string `json:"accessibility"` // accessibility codes
}

// Store reads the school registry of a city.
type Store interface {
	// Schools returns every school of the city, ordered by id.
	Schools(ctx context.Context, city string) ([]School, error)
	// School returns one school of the city, or an error matching
	// errs.ErrNotFound.
	School(ctx context.Context, city string, id int64) (School, error)
}
