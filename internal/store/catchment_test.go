package store_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"sakura/internal/catchment"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

func TestAddressesAndCatchments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := testCity("alpha", 1000), testCity("beta", 2000)
		if err := db.SeedCity(ctx, a); err != nil {
			t.Fatalf("seed: %v", err)
		}
		if err := db.SeedCity(ctx, b); err != nil {
			t.Fatalf("seed: %v", err)
		}

		streets, err := db.Streets(ctx, "alpha")
		if err != nil {
			t.Fatalf("Streets: %v", err)
		}
		if diff := cmp.Diff(a.Streets, streets, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Streets mismatch (-want +got):\n%s", diff)
		}

		buildings, err := db.Buildings(ctx, "alpha")
		if err != nil {
			t.Fatalf("Buildings: %v", err)
		}
		if diff := cmp.Diff(a.Buildings, buildings); diff != "" {
			t.Errorf("Buildings mismatch (-want +got):\n%s", diff)
		}

		catchments, err := db.Catchments(ctx, "alpha", 2026)
		if err != nil {
			t.Fatalf("Catchments: %v", err)
		}
		if diff := cmp.Diff(a.Catchments, catchments); diff != "" {
			t.Errorf("Catchments mismatch (-want +got):\n%s", diff)
		}

		// Another year and an unknown city have none.
		for _, q := range []struct {
			city string
			year int
		}{{"alpha", 2025}, {"gamma", 2026}} {
			got, err := db.Catchments(ctx, q.city, q.year)
			if err != nil || len(got) != 0 {
				t.Errorf("Catchments(%s, %d) = %v, %v; want none", q.city, q.year, got, err)
			}
		}
		if got, err := db.Streets(ctx, "gamma"); err != nil || len(got) != 0 {
			t.Errorf("Streets(gamma) = %v, %v; want none", got, err)
		}
		var _ catchment.Source = db
	})
}
