package store

import (
	"context"

	"sakura/internal/address"
)

// Streets returns every street of the city, ordered by id.
func (s *DB) Streets(ctx context.Context, city string) ([]address.Street, error) {
	return queryAll(ctx, s, "list streets", func(r rowScanner) (address.Street, error) {
		var x address.Street
		err := r.Scan(&x.ID, &x.City, &x.District, &x.Kind, &x.Name.KK, &x.Name.RU, &x.Name.EN,
			jsonCol{&x.OldNames})
		return x, err
	}, `
		SELECT id, city, district, kind, name_kk, name_ru, name_en, old_names
		FROM streets WHERE city = ? ORDER BY id`, city)
}

// Buildings returns every building of the city, ordered by id.
func (s *DB) Buildings(ctx context.Context, city string) ([]address.Building, error) {
	return queryAll(ctx, s, "list buildings", func(r rowScanner) (address.Building, error) {
		var x address.Building
		err := r.Scan(&x.ID, &x.City, &x.StreetID, &x.District, &x.Number, &x.Code,
			&x.Location.Lat, &x.Location.Lon, &x.Residential)
		return x, err
	}, `
		SELECT id, city, street_id, district, number, code, lat, lon, residential
		FROM buildings WHERE city = ? ORDER BY id`, city)
}
