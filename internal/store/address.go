package store

import (
	"context"
	"fmt"

	"sakura/internal/address"
)

// Streets returns every street of the city, ordered by id.
func (s *DB) Streets(ctx context.Context, city string) ([]address.Street, error) {
	rows, err := s.query(ctx, `
		SELECT id, city, district, kind, name_kk, name_ru, name_en, old_names
		FROM streets WHERE city = ? ORDER BY id`, city)
	if err != nil {
		return nil, fmt.Errorf("list streets: %w", err)
	}
	defer rows.Close()

	var out []address.Street
	for rows.Next() {
		var x address.Street
		if err := rows.Scan(&x.ID, &x.City, &x.District, &x.Kind, &x.Name.KK, &x.Name.RU, &x.Name.EN,
			jsonCol{&x.OldNames}); err != nil {
			return nil, fmt.Errorf("list streets: %w", err)
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list streets: %w", err)
	}
	return out, nil
}

// Buildings returns every building of the city, ordered by id.
func (s *DB) Buildings(ctx context.Context, city string) ([]address.Building, error) {
	rows, err := s.query(ctx, `
		SELECT id, city, street_id, district, number, code, lat, lon, residential
		FROM buildings WHERE city = ? ORDER BY id`, city)
	if err != nil {
		return nil, fmt.Errorf("list buildings: %w", err)
	}
	defer rows.Close()

	var out []address.Building
	for rows.Next() {
		var x address.Building
		if err := rows.Scan(&x.ID, &x.City, &x.StreetID, &x.District, &x.Number, &x.Code,
			&x.Location.Lat, &x.Location.Lon, &x.Residential); err != nil {
			return nil, fmt.Errorf("list buildings: %w", err)
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list buildings: %w", err)
	}
	return out, nil
}
