package city_test

import (
	"context"
	"errors"
	"testing"

	"sakura/internal/city"
	"sakura/internal/dataset"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/store/storetest"
)

func TestDirectory(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	seed := func(slug string) {
		t.Helper()
		err := db.SeedCity(ctx, dataset.City{City: city.City{Slug: slug,
			Name:      i18n.Text{KK: slug, RU: slug, EN: slug},
			Districts: []city.District{{Slug: "centre", Name: i18n.Text{KK: "Орталық", RU: "Центр", EN: "Centre"}}}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	seed("almaty")

	d := city.NewDirectory(db)
	if err := d.Warm(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if c, err := d.City(ctx, "almaty"); err != nil || len(c.Districts) != 1 {
		t.Fatalf("City(almaty) = %+v, %v", c, err)
	}
	if _, err := d.City(ctx, "astana"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("City(astana) before it exists: %v, want not found", err)
	}

	// Another process adds a city: the directory finds it on the first
	// question, and lists it from then on.
	seed("astana")
	if _, err := d.City(ctx, "astana"); err != nil {
		t.Errorf("City(astana) after another process added it: %v", err)
	}
	cities, err := d.Cities(ctx)
	if err != nil || len(cities) != 2 {
		t.Errorf("Cities = %d cities, %v; want both", len(cities), err)
	}
}
