// Package documenttest holds the contract every document.Store must keep,
// so that each implementation runs the same test.
package documenttest

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"sakura/internal/document"
	"sakura/internal/errs"
)

// Contract runs the document.Store contract on s as subtests: what is put
// is got back byte for byte, a put replaces, a missing key is
// errs.ErrNotFound, a delete is final and idempotent, keys that NewKey could
// not have made are refused, and puts from several goroutines do not mix.
func Contract(t *testing.T, s document.Store) {
	t.Helper()
	ctx := context.Background()

	t.Run("round trip", func(t *testing.T) {
		key := document.NewKey()
		data := make([]byte, 256<<10)
		for i := range data {
			data[i] = byte(i * 7) // every byte value, NUL included
		}
		if err := s.Put(ctx, key, data); err != nil {
			t.Fatalf("Put: %v", err)
		}
		got, err := s.Get(ctx, key)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if !bytes.Equal(got, data) {
			t.Errorf("Get returned %d bytes that differ from the %d put", len(got), len(data))
		}
	})

	t.Run("put replaces", func(t *testing.T) {
		key := document.NewKey()
		for _, data := range []string{"first, the longer one", "second"} {
			if err := s.Put(ctx, key, []byte(data)); err != nil {
				t.Fatalf("Put %q: %v", data, err)
			}
		}
		if got, err := s.Get(ctx, key); err != nil || string(got) != "second" {
			t.Errorf("Get = %q, %v; want %q", got, err, "second")
		}
	})

	t.Run("empty data", func(t *testing.T) {
		key := document.NewKey()
		if err := s.Put(ctx, key, nil); err != nil {
			t.Fatalf("Put: %v", err)
		}
		if got, err := s.Get(ctx, key); err != nil || len(got) != 0 {
			t.Errorf("Get = %q, %v; want nothing, no error", got, err)
		}
	})

	t.Run("missing", func(t *testing.T) {
		_, err := s.Get(ctx, document.NewKey())
		if !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("Get of a missing key: %v, want errs.ErrNotFound", err)
		}
	})

	t.Run("delete", func(t *testing.T) {
		key, other := document.NewKey(), document.NewKey()
		for _, k := range []string{key, other} {
			if err := s.Put(ctx, k, []byte(k)); err != nil {
				t.Fatalf("Put: %v", err)
			}
		}
		if err := s.Delete(ctx, key); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := s.Get(ctx, key); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("Get after Delete: %v, want errs.ErrNotFound", err)
		}
		if err := s.Delete(ctx, key); err != nil {
			t.Errorf("second Delete: %v, want none", err)
		}
		if got, err := s.Get(ctx, other); err != nil || string(got) != other {
			t.Errorf("the other key: Get = %q, %v; want it untouched", got, err)
		}
	})

	t.Run("bad keys", func(t *testing.T) {
		bad := []string{
			"", "..", "../../etc/passwd", "/etc/passwd", "abc",
			"0123456789ABCDEF0123456789ABCDEF",   // upper case
			"0123456789abcdef0123456789abcde/",   // a slash
			"0123456789abcdef0123456789abcdef00", // too long
			"0123456789abcdef0123456789abcdeg",   // not hex
		}
		for _, key := range bad {
			if err := s.Put(ctx, key, []byte("x")); errs.KindOf(err) != errs.Invalid {
				t.Errorf("Put(%q) = %v, want an invalid-key error", key, err)
			}
			if _, err := s.Get(ctx, key); errs.KindOf(err) != errs.Invalid {
				t.Errorf("Get(%q) = %v, want an invalid-key error", key, err)
			}
			if err := s.Delete(ctx, key); errs.KindOf(err) != errs.Invalid {
				t.Errorf("Delete(%q) = %v, want an invalid-key error", key, err)
			}
		}
	})

	t.Run("concurrent", func(t *testing.T) {
		key := document.NewKey()
		a, b := bytes.Repeat([]byte("a"), 64<<10), bytes.Repeat([]byte("b"), 64<<10)
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				data := a
				if i%2 == 1 {
					data = b
				}
				if err := s.Put(ctx, key, data); err != nil {
					t.Errorf("Put: %v", err)
				}
			})
		}
		wg.Wait()
		got, err := s.Get(ctx, key)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if !bytes.Equal(got, a) && !bytes.Equal(got, b) {
			t.Error("concurrent puts left a mixture, not one of the documents")
		}
	})
}
