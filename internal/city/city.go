// Package city describes the cities Sakura serves and their districts.
// Every other row of the portal belongs to one city, named by its slug.
package city

import (
	"context"

	"sakura/internal/geo"
	"sakura/internal/i18n"
)

// City is a city whose education department runs the portal.
type City struct {
	Slug      string     `json:"slug"`
	Name      i18n.Text  `json:"name"`
	Centre    geo.Point  `json:"centre"`
	Zoom      int        `json:"zoom"` // the map's starting zoom level
	Districts []District `json:"districts"`
}

// District is an administrative district of a city.
type District struct {
	City     string           `json:"-"`
	Slug     string           `json:"slug"`
	Name     i18n.Text        `json:"name"`
	Boundary geo.MultiPolygon `json:"-"` // empty when unknown
}

// District returns the district with the slug, and whether there is one.
func (c City) District(slug string) (District, bool) {
	for _, d := range c.Districts {
		if d.Slug == slug {
			return d, true
		}
	}
	return District{}, false
}

// Store reads cities.
type Store interface {
	// Cities returns every city with its districts, ordered by slug.
	Cities(ctx context.Context) ([]City, error)
	// City returns one city with its districts, or an error matching
	// errs.ErrNotFound.
	City(ctx context.Context, slug string) (City, error)
}
