package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"sakura/internal/document"
	"sakura/internal/errs"
)

// BlobStore keeps documents' bytes in the table document_blobs, so that
// every machine behind the portal sees every upload. It is a
// document.Store, and like every one refuses a key that document.NewKey
// could not have made.
type BlobStore struct {
	db *DB
}

var _ document.Store = BlobStore{}

// checkKey refuses a key document.NewKey could not have made.
func checkKey(key string) error {
	if !document.ValidKey(key) {
		return &errs.Error{Kind: errs.Invalid, Err: fmt.Errorf("document key %q is not a key", key)}
	}
	return nil
}

// Blobs returns the store's documents' bytes.
func (s *DB) Blobs() BlobStore { return BlobStore{db: s} }

// Put stores data under key, replacing any.
func (s BlobStore) Put(ctx context.Context, key string, data []byte) error {
	if err := checkKey(key); err != nil {
		return fmt.Errorf("put document: %w", err)
	}
	if data == nil {
		data = []byte{} // the column is NOT NULL
	}
	err := s.db.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, `INSERT INTO document_blobs (key, data, created_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET data = excluded.data, created_at = excluded.created_at`,
			key, data, s.db.timeArg(time.Now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("put document: %w", err)
	}
	return nil
}

// Get returns the data under key, or an error matching errs.ErrNotFound.
func (s BlobStore) Get(ctx context.Context, key string) ([]byte, error) {
	if err := checkKey(key); err != nil {
		return nil, fmt.Errorf("get document: %w", err)
	}
	var data []byte
	err := s.db.queryRow(ctx, `SELECT data FROM document_blobs WHERE key = ?`, key).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("get document %s: %w", key, errs.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get document: %w", err)
	}
	return data, nil
}

// Delete removes the data under key; a missing key is not an error.
func (s BlobStore) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return fmt.Errorf("delete document: %w", err)
	}
	err := s.db.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, `DELETE FROM document_blobs WHERE key = ?`, key)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete document: %w", err)
	}
	return nil
}
