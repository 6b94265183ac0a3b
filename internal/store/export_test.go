package store

import "context"

// Exec runs a statement outside the store's methods, for tests that check
// what the schema itself refuses.
func (s *DB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := s.db.ExecContext(ctx, s.rebind(query), args...)
	return err
}
