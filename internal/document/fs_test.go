package document_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"sakura/internal/document"
	"sakura/internal/document/documenttest"
)

var _ document.Store = document.FS{}

func TestFSContract(t *testing.T) {
	documenttest.Contract(t, document.FS{Dir: filepath.Join(t.TempDir(), "documents")})
}

// TestFSLayout: the directory is private, files sit in fan-out directories
// and no temporary file is left behind.
func TestFSLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "documents")
	s := document.FS{Dir: dir}
	key := document.NewKey()
	if err := s.Put(context.Background(), key, []byte("%PDF-1.4")); err != nil {
		t.Fatal(err)
	}

	for _, d := range []string{dir, filepath.Join(dir, key[:2]), filepath.Join(dir, key[:2], key[2:4])} {
		fi, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o700 {
			t.Errorf("%s has mode %v, want 0700", filepath.Base(d), perm)
		}
	}
	fi, err := os.Stat(filepath.Join(dir, key[:2], key[2:4], key))
	if err != nil {
		t.Fatalf("the file is not at its fan-out path: %v", err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("file has mode %v, want 0600", perm)
	}

	entries, err := os.ReadDir(filepath.Join(dir, key[:2], key[2:4]))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %q, want the document alone", names)
	}
}

func TestNewKey(t *testing.T) {
	seen := make(map[string]bool)
	for range 1000 {
		k := document.NewKey()
		if !document.ValidKey(k) {
			t.Fatalf("NewKey() = %q, which ValidKey refuses", k)
		}
		if seen[k] {
			t.Fatalf("NewKey() repeated %q", k)
		}
		seen[k] = true
	}
}
