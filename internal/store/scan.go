package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// jsonArg encodes v for a JSON column (TEXT in SQLite, JSONB in PostgreSQL).
// A nil slice is written as [] so readers never meet null.
func jsonArg(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	if string(b) == "null" {
		return "[]", nil
	}
	return string(b), nil
}

// jsonCol scans a JSON column into the value Dst points to.
type jsonCol struct{ Dst any }

func (c jsonCol) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("scan JSON column: unexpected %T", src)
	}
	return json.Unmarshal(b, c.Dst)
}

const dateLayout = "2006-01-02"

// dateArg encodes a calendar date: YYYY-MM-DD text for SQLite, a DATE for
// PostgreSQL.
func (s *DB) dateArg(t time.Time) any {
	if s.dialect == SQLite {
		return t.Format(dateLayout)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// dateCol scans a calendar date: TEXT YYYY-MM-DD in SQLite, DATE in
// PostgreSQL.
type dateCol struct{ Dst *time.Time }

func (c dateCol) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*c.Dst = time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC)
		return nil
	case string:
		t, err := time.Parse(dateLayout, v)
		*c.Dst = t
		return err
	case []byte:
		t, err := time.Parse(dateLayout, string(v))
		*c.Dst = t
		return err
	}
	return fmt.Errorf("scan date: unexpected %T", src)
}

// timeArg encodes an instant for a time column: RFC 3339 text in UTC for
// SQLite, which then sorts as it reads, and TIMESTAMPTZ for PostgreSQL.
func (s *DB) timeArg(t time.Time) any {
	if s.dialect == SQLite {
		return t.UTC().Format(sqliteTime)
	}
	return t
}

// sqliteTime is RFC 3339 in UTC with all nine digits of the fraction, so
// that SQLite compares instants correctly as text.
const sqliteTime = "2006-01-02T15:04:05.000000000Z"

// optTimeArg is timeArg for a column that may be NULL: the zero time is
// NULL.
func (s *DB) optTimeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return s.timeArg(t)
}

// optTimeCol scans an instant that may be NULL, which becomes the zero
// time.
type optTimeCol struct{ Dst *time.Time }

func (c optTimeCol) Scan(src any) error {
	if src == nil {
		*c.Dst = time.Time{}
		return nil
	}
	return timeCol(c).Scan(src)
}

// timeCol scans an instant written by timeArg.
type timeCol struct{ Dst *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*c.Dst = v.UTC()
		return nil
	case string:
		t, err := time.Parse(time.RFC3339Nano, v)
		*c.Dst = t
		return err
	case []byte:
		t, err := time.Parse(time.RFC3339Nano, string(v))
		*c.Dst = t
		return err
	}
	return fmt.Errorf("scan time: unexpected %T", src)
}

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(dest ...any) error }

// queryAll runs a read and scans every row it returns; op names the read
// in errors.
func queryAll[T any](ctx context.Context, s *DB, op string, scan func(rowScanner) (T, error),
	query string, args ...any) ([]T, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()

	var out []T
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}
