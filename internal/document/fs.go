package document

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"sakura/internal/errs"
)

// FS is a Store in a directory of the local file system, the default for a
// single machine. Dir must not lie under the web root. A key's file is
// Dir/ab/cd/abcd…, after the key's first two pairs of digits, so that no
// directory grows too large; directories are made 0700 and files 0600.
//
// A file is written beside its final place and renamed there, so a reader
// sees the whole document or none of it.
type FS struct {
	Dir string
}

// path returns the file of key, refusing a key NewKey could not have made
// (which also keeps every path inside Dir).
func (s FS) path(key string) (string, error) {
	if !ValidKey(key) {
		return "", &errs.Error{Kind: errs.Invalid, Err: fmt.Errorf("document key %q is not a key", key)}
	}
	if s.Dir == "" {
		return "", errors.New("document store: no directory")
	}
	return filepath.Join(s.Dir, key[0:2], key[2:4], key), nil
}

// Put writes data to key's file, replacing any.
func (s FS) Put(ctx context.Context, key string, data []byte) error {
	name, err := s.path(key)
	if err != nil {
		return fmt.Errorf("put document: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put document: %w", err)
	}

	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("put document: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*") // made 0600
	if err != nil {
		return fmt.Errorf("put document: %w", err)
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("put document: %w", err)
	}

	// Make the rename itself durable.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Get reads key's file; a missing one is errs.ErrNotFound.
func (s FS) Get(ctx context.Context, key string) ([]byte, error) {
	name, err := s.path(key)
	if err != nil {
		return nil, fmt.Errorf("get document: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("get document: %w", err)
	}
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("get document %s: %w", key, errs.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get document: %w", err)
	}
	return data, nil
}

// Delete removes key's file; a missing one is not an error. The fan-out
// directories stay.
func (s FS) Delete(ctx context.Context, key string) error {
	name, err := s.path(key)
	if err != nil {
		return fmt.Errorf("delete document: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete document: %w", err)
	}
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete document: %w", err)
	}
	return nil
}
