package city

import (
	"context"
	"slices"
	"sync"
)

// Directory is a Store that keeps the cities in memory: every page names
// its city, so it is read from the store once, and again after Invalidate
// (an import changed a city's districts). A city it does not hold is asked
// of the store, so a city added by another process is found too.
type Directory struct {
	store Store

	mu     sync.Mutex
	cities []City // nil until read
}

// NewDirectory returns a directory over store.
func NewDirectory(store Store) *Directory { return &Directory{store: store} }

// Cities returns every city with its districts, ordered by slug. The
// cities are shared: callers must not change them.
func (d *Directory) Cities(ctx context.Context) ([]City, error) {
	d.mu.Lock()
	cities := d.cities
	d.mu.Unlock()
	if cities != nil {
		return cities, nil
	}

	cities, err := d.store.Cities(ctx)
	if err != nil {
		return nil, err
	}
	if cities == nil {
		cities = []City{}
	}
	d.mu.Lock()
	d.cities = cities
	d.mu.Unlock()
	return cities, nil
}

// City returns one city with its districts, or an error matching
// errs.ErrNotFound.
func (d *Directory) City(ctx context.Context, slug string) (City, error) {
	cities, err := d.Cities(ctx)
	if err != nil {
		return City{}, err
	}
	if i := slices.IndexFunc(cities, func(c City) bool { return c.Slug == slug }); i >= 0 {
		return cities[i], nil
	}

	c, err := d.store.City(ctx, slug)
	if err != nil {
		return City{}, err
	}
	d.Invalidate(slug) // a city we did not know of: read them all again
	return c, nil
}

// Invalidate drops the cities held, so that the next call reads them
// again; it takes the city that changed, as the other in-memory indexes do.
func (d *Directory) Invalidate(string) {
	d.mu.Lock()
	d.cities = nil
	d.mu.Unlock()
}

// Warm reads the cities now, so that the first visitor does not wait.
func (d *Directory) Warm(ctx context.Context, _ string) error {
	_, err := d.Cities(ctx)
	return err
}
