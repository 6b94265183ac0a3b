// Package store keeps Sakura's data in SQL: SQLite (embedded, the default)
// or PostgreSQL (production). One schema, migrations per dialect, the same
// queries written once with ? placeholders and rebound for PostgreSQL.
//
// Public methods take a context and, where they write, run in one
// transaction; unexported helpers take the transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Dialect names the SQL engine behind a DB.
type Dialect string

// The two engines the store speaks.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the store: a connection pool and the dialect it speaks.
type DB struct {
	db      *sql.DB
	dialect Dialect
}

// DialectOf tells which engine a DSN names: a postgres:// or postgresql://
// URL is PostgreSQL, anything else a SQLite file path.
func DialectOf(dsn string) Dialect {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// Open connects to the database the DSN names and checks that it answers.
// It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if dsn == "" {
		return nil, errors.New("open store: empty DSN")
	}

	var (
		db  *sql.DB
		err error
	)
	d := DialectOf(dsn)
	switch d {
	case Postgres:
		db, err = openPostgres(dsn)
	default:
		db, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s store: %w", d, err)
	}

	s := &DB{db: db, dialect: d}
	if err := s.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s store: %w", d, err)
	}
	return s, nil
}

// Dialect returns the engine the store speaks.
func (s *DB) Dialect() Dialect { return s.dialect }

// Ping checks that the database answers.
func (s *DB) Ping(ctx context.Context) error {
	var one int
	if err := s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// Close closes the connection pool.
func (s *DB) Close() error { return s.db.Close() }

// rebind turns ? placeholders into PostgreSQL's $1, $2, … Our queries never
// hold a literal question mark.
func (s *DB) rebind(query string) string {
	if s.dialect != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// tx is a transaction that rebinds its queries.
type tx struct {
	*sql.Tx
	s *DB
}

func (t tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.ExecContext(ctx, t.s.rebind(query), args...)
}

// inTx runs fn in a transaction, committing when it returns nil and rolling
// back otherwise.
func (s *DB) inTx(ctx context.Context, fn func(tx) error) error {
	t, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx{Tx: t, s: s}); err != nil {
		t.Rollback()
		return err
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// query runs a read outside a transaction.
func (s *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.db.QueryContext(ctx, s.rebind(query), args...)
}

func (s *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.db.QueryRowContext(ctx, s.rebind(query), args...)
}
