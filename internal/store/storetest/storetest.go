// Package storetest gives tests a fresh, migrated store on every engine the
// run has: SQLite always, PostgreSQL when SAKURA_TEST_POSTGRES holds the DSN
// of a server where the test may create databases. Each store lives in a
// database of its own, dropped when the test ends, so runs never see each
// other's rows. With CI=true a PostgreSQL that is not configured or does not
// answer fails the test instead of skipping it.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"

	"sakura/internal/store"
)

// PostgresEnv names the environment variable holding the PostgreSQL DSN.
const PostgresEnv = "SAKURA_TEST_POSTGRES"

// Each runs fn as a subtest once per engine, named "sqlite" and "postgres",
// with a fresh migrated store.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a migrated store in a new SQLite file of the test's
// temporary directory.
func SQLite(tb testing.TB) *store.DB {
	tb.Helper()
	return MustOpen(tb, filepath.Join(tb.TempDir(), "sakura.db"))
}

// Postgres returns a migrated store in a new PostgreSQL database, dropped
// at cleanup. It skips the test when PostgreSQL is not configured, unless
// CI=true, when it fails.
func Postgres(tb testing.TB) *store.DB {
	tb.Helper()
	return MustOpen(tb, PostgresDSN(tb))
}

// PostgresDSN creates an empty PostgreSQL database for the test and returns
// its DSN; the database is dropped at cleanup.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv(PostgresEnv)
	if admin == "" {
		unavailable(tb, PostgresEnv+" is not set")
		return ""
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatalf("open PostgreSQL: %v", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		unavailable(tb, "PostgreSQL does not answer: "+err.Error())
		return ""
	}

	name := "sakura_test_" + randomHex(8)
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		db.Close()
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})

	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

// MustOpen opens and migrates the store at dsn, closing it at cleanup.
func MustOpen(tb testing.TB, dsn string) *store.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return db
}

func unavailable(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("PostgreSQL tests must run in CI: %s", why)
	}
	tb.Skipf("PostgreSQL tests skipped: %s", why)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
