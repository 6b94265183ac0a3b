package store

import (
	"context"
	"fmt"
	"time"
)

// DataVersions returns the version of every city's reference data that an
// import has changed; a city never imported into is absent (version 0).
// Processes poll it to learn when to rebuild their in-memory indexes.
func (s *DB) DataVersions(ctx context.Context) (map[string]int64, error) {
	rows, err := s.query(ctx, `SELECT city, version FROM data_versions`)
	if err != nil {
		return nil, fmt.Errorf("data versions: %w", err)
	}
	defer rows.Close()

	out := make(map[string]int64)
	for rows.Next() {
		var city string
		var v int64
		if err := rows.Scan(&city, &v); err != nil {
			return nil, fmt.Errorf("data versions: %w", err)
		}
		out[city] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data versions: %w", err)
	}
	return out, nil
}

// bumpVersion raises the city's data version by one in the transaction and
// returns the new version.
func (t tx) bumpVersion(ctx context.Context, city string) (int64, error) {
	_, err := t.exec(ctx, `
		INSERT INTO data_versions (city, version, changed_at) VALUES (?, 1, ?)
		ON CONFLICT (city) DO UPDATE SET version = data_versions.version + 1, changed_at = excluded.changed_at`,
		city, t.s.timeArg(time.Now()))
	if err != nil {
		return 0, fmt.Errorf("bump data version: %w", err)
	}
	var v int64
	if err := t.QueryRowContext(ctx, t.s.rebind(`SELECT version FROM data_versions WHERE city = ?`), city).Scan(&v); err != nil {
		return 0, fmt.Errorf("bump data version: %w", err)
	}
	return v, nil
}
