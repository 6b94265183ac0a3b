package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"sakura/internal/city"
	"sakura/internal/errs"
)

// Cities returns every city with its districts, ordered by slug.
func (s *DB) Cities(ctx context.Context) ([]city.City, error) {
	rows, err := s.query(ctx, `SELECT slug, name_kk, name_ru, name_en, lat, lon, zoom FROM cities ORDER BY slug`)
	if err != nil {
		return nil, fmt.Errorf("list cities: %w", err)
	}
	defer rows.Close()

	var cities []city.City
	for rows.Next() {
		var c city.City
		if err := rows.Scan(&c.Slug, &c.Name.KK, &c.Name.RU, &c.Name.EN, &c.Centre.Lat, &c.Centre.Lon, &c.Zoom); err != nil {
			return nil, fmt.Errorf("list cities: %w", err)
		}
		cities = append(cities, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list cities: %w", err)
	}

	districts, err := s.districts(ctx, "")
	if err != nil {
		return nil, err
	}
	for i := range cities {
		cities[i].Districts = districts[cities[i].Slug]
	}
	return cities, nil
}

// City returns one city with its districts, or an error matching
// errs.ErrNotFound.
func (s *DB) City(ctx context.Context, slug string) (city.City, error) {
	var c city.City
	err := s.queryRow(ctx, `SELECT slug, name_kk, name_ru, name_en, lat, lon, zoom FROM cities WHERE slug = ?`, slug).
		Scan(&c.Slug, &c.Name.KK, &c.Name.RU, &c.Name.EN, &c.Centre.Lat, &c.Centre.Lon, &c.Zoom)
	if errors.Is(err, sql.ErrNoRows) {
		return city.City{}, fmt.Errorf("city %q: %w", slug, errs.ErrNotFound)
	}
	if err != nil {
		return city.City{}, fmt.Errorf("city %q: %w", slug, err)
	}

	districts, err := s.districts(ctx, slug)
	if err != nil {
		return city.City{}, err
	}
	c.Districts = districts[slug]
	return c, nil
}

// districts returns the districts of one city, or of all when slug is empty,
// keyed by city and ordered by slug.
func (s *DB) districts(ctx context.Context, slug string) (map[string][]city.District, error) {
	q := `SELECT city, slug, name_kk, name_ru, name_en, boundary FROM districts`
	var args []any
	if slug != "" {
		q += ` WHERE city = ?`
		args = append(args, slug)
	}
	rows, err := s.query(ctx, q+` ORDER BY city, slug`, args...)
	if err != nil {
		return nil, fmt.Errorf("list districts: %w", err)
	}
	defer rows.Close()

	out := make(map[string][]city.District)
	for rows.Next() {
		var d city.District
		if err := rows.Scan(&d.City, &d.Slug, &d.Name.KK, &d.Name.RU, &d.Name.EN, jsonCol{&d.Boundary}); err != nil {
			return nil, fmt.Errorf("list districts: %w", err)
		}
		out[d.City] = append(out[d.City], d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list districts: %w", err)
	}
	return out, nil
}
