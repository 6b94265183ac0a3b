package store

import (
	"context"
	"fmt"

	"sakura/internal/importer"
	"sakura/internal/staff"
)

// SaveCatchments writes catchments the back office uploaded as
// ImportCatchments does, and the line e of the back office's audit log, in
// one transaction that bumps the city's data version.
func (s *DB) SaveCatchments(ctx context.Context, slug string, year int, c importer.Catchments,
	e staff.AuditEntry) error {
	_, err := s.importTx(ctx, "catchments", slug, func(t tx, res *ImportResult) error {
		if err := t.importCatchments(ctx, slug, year, c, res); err != nil {
			return err
		}
		return s.officeAudit(ctx, t, e)
	})
	if err != nil {
		return fmt.Errorf("save catchments: %w", err)
	}
	return nil
}
