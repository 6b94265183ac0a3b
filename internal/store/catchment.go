package store

import (
	"context"
	"fmt"

	"sakura/internal/catchment"
)

// Catchments returns the catchments of the city for the school year that
// starts in year, each with its building list, ordered by id.
func (s *DB) Catchments(ctx context.Context, city string, year int) ([]catchment.Catchment, error) {
	rows, err := s.query(ctx, `
		SELECT id, city, school_id, year, area FROM catchments
		WHERE city = ? AND year = ? ORDER BY id`, city, year)
	if err != nil {
		return nil, fmt.Errorf("list catchments: %w", err)
	}
	defer rows.Close()

	var out []catchment.Catchment
	pos := make(map[int64]int)
	for rows.Next() {
		var x catchment.Catchment
		if err := rows.Scan(&x.ID, &x.City, &x.SchoolID, &x.Year, jsonCol{&x.Area}); err != nil {
			return nil, fmt.Errorf("list catchments: %w", err)
		}
		pos[x.ID] = len(out)
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list catchments: %w", err)
	}
	rows.Close()

	// The building lists, in one pass.
	links, err := s.query(ctx, `
		SELECT catchment_id, building_id FROM catchment_buildings
		WHERE city = ? AND year = ? ORDER BY catchment_id, building_id`, city, year)
	if err != nil {
		return nil, fmt.Errorf("list catchment buildings: %w", err)
	}
	defer links.Close()
	for links.Next() {
		var c, b int64
		if err := links.Scan(&c, &b); err != nil {
			return nil, fmt.Errorf("list catchment buildings: %w", err)
		}
		if i, ok := pos[c]; ok {
			out[i].Buildings = append(out[i].Buildings, b)
		}
	}
	if err := links.Err(); err != nil {
		return nil, fmt.Errorf("list catchment buildings: %w", err)
	}
	return out, nil
}
