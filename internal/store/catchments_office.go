package store

import (
	"context"
	"fmt"

	"sakura/internal/importer"
	"sakura/internal/staff"
)

// SaveCatchments writes catchments the back office uploaded, as
// ImportCatchments does (one transaction that replaces the school year's
// building lists or areas of the city and bumps its data version), and then
// the line e of the back office's audit log.
//
// The audit line is written right after the import, in a transaction of
// its own: the import's statements are not reachable from another
// transaction. When the import is written and its audit line is not, the
// error says so; saving the same upload again writes the same catchments
// and its line.
func (s *DB) SaveCatchments(ctx context.Context, slug string, year int, c importer.Catchments,
	e staff.AuditEntry) error {
	if _, err := s.ImportCatchments(ctx, slug, year, c); err != nil {
		return fmt.Errorf("save catchments: %w", err)
	}
	if err := s.inTx(ctx, func(t tx) error { return s.officeAudit(ctx, t, e) }); err != nil {
		return fmt.Errorf("save catchments of %q: written, but not its audit line: %w", slug, err)
	}
	return nil
}
