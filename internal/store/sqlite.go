package store

import (
	"database/sql"
	"net/url"
	"runtime"
	"strings"
)

// openSQLite opens a SQLite file with the settings a portal needs: WAL so
// readers never wait for the writer, synchronous=FULL so a committed
// application survives a power cut, foreign keys on, a busy timeout so
// writers queue instead of failing, and write transactions that take the
// lock at BEGIN so two of them never deadlock on upgrade.
func openSQLite(path string) (*sql.DB, error) {
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i] // our settings below are the ones that hold
	}
	q := url.Values{}
	for _, p := range []string{
		"journal_mode(WAL)",
		"synchronous(FULL)",
		"foreign_keys(1)",
		"busy_timeout(10000)",
	} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")

	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(max(4, runtime.NumCPU()))
	return db, nil
}
