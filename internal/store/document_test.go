package store_test

import (
	"testing"

	"sakura/internal/document/documenttest"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

// TestBlobStore runs the document.Store contract on the database.
func TestBlobStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		documenttest.Contract(t, db.Blobs())
	})
}
