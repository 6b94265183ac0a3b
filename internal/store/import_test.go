package store_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/city"
	"sakura/internal/dataset"
	"sakura/internal/demo"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/importer"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

func mustTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile("../importer/testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func mustKnown(tb testing.TB, db *store.DB, slug string) importer.Known {
	tb.Helper()
	k, err := db.ImportKnown(context.Background(), slug)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// mustCount returns the rows of a table, for before-and-after checks.
func mustCount(tb testing.TB, db *store.DB, table string) int {
	tb.Helper()
	counts, err := db.CityCounts(context.Background(), "vko")
	if err != nil {
		tb.Fatal(err)
	}
	return counts[table]
}

// astanaShell is Astana's city row and its six demo districts, nothing more.
func astanaShell() dataset.City {
	for _, c := range demo.Cities() {
		if c.City.Slug == "astana" {
			return dataset.City{City: c.City}
		}
	}
	panic("no Astana in the demo")
}

func TestImportDistrictsReal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.SeedCity(ctx, astanaShell()); err != nil {
			t.Fatal(err)
		}
		before, err := db.City(ctx, "astana")
		if err != nil {
			t.Fatal(err)
		}

		k := mustKnown(t, db, "astana")
		ds, err := importer.ReadDistricts("astana_districts_osm.geojson", mustTestdata(t, "astana_districts_osm.geojson"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := db.ImportDistricts(ctx, "astana", importer.MatchDistricts(ds, k))
		if err != nil {
			t.Fatal(err)
		}
		if res.Inserted != 0 || res.Updated != 5 || res.Version != 1 {
			t.Errorf("result = %+v, want 5 updated, version 1", res)
		}

		after, err := db.City(ctx, "astana")
		if err != nil {
			t.Fatal(err)
		}
		var slugs []string
		for i, d := range after.Districts {
			slugs = append(slugs, d.Slug)
			if d.Name != before.Districts[i].Name {
				t.Errorf("district %s renamed from %v to %v", d.Slug, before.Districts[i].Name, d.Name)
			}
		}
		if diff := cmp.Diff([]string{"almaty", "baikonur", "nura", "sarayshyk", "saryarka", "yesil"}, slugs); diff != "" {
			t.Errorf("districts (-want +got):\n%s", diff)
		}
		versions, err := db.DataVersions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]int64{"astana": 1}, versions); diff != "" {
			t.Errorf("versions (-want +got):\n%s", diff)
		}
	})
}

// vkoCity is a test city with the districts of the registry sample.
func vkoCity() dataset.City {
	d := func(slug, ru string) city.District {
		return city.District{Slug: slug, Name: i18n.Text{RU: ru, KK: ru, EN: slug}}
	}
	return dataset.City{City: city.City{
		Slug: "vko", Name: i18n.Text{KK: "ШҚО", RU: "ВКО", EN: "East Kazakhstan"}, Zoom: 8,
		Districts: []city.District{
			d("katon-karagay", "Катон-Карагайский район"), d("tarbagatay", "Тарбагатайский район"),
			d("ulan", "Уланский район"), d("oskemen", "Усть-Каменогорск Г.А."),
			d("samar", "район Самар"), d("ulken-naryn", "район Үлкен Нарын"),
		},
	}}
}

func TestImportChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.SeedCity(ctx, vkoCity()); err != nil {
			t.Fatal(err)
		}

		// The 20 real schools, twice: the second run updates.
		for run, want := range []store.ImportResult{{Inserted: 20, Version: 1}, {Updated: 20, Version: 2}} {
			rows, err := importer.ReadSchools("vko.json", mustTestdata(t, "vko_schools_egov_sample20.json"), mustKnown(t, db, "vko"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.ImportSchools(ctx, "vko", rows)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("run %d (-want +got):\n%s", run, diff)
			}
		}
		schools, err := db.Schools(ctx, "vko")
		if err != nil || len(schools) != 20 {
			t.Fatalf("%d schools, %v", len(schools), err)
		}

		// A CSV school, its addresses, catchment and teachers.
		csvSchool := "bin,name_kk,name_ru,type,ownership,languages,district,lat,lon,shifts,start_times\n" +
			"000740001307,№ 1 мектеп,Школа № 1,gymnasium,public,kk|ru,oskemen,49.95,82.61,2,08:00|13:30\n"
		rows, err := importer.ReadSchools("s.csv", []byte(csvSchool), mustKnown(t, db, "vko"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportSchools(ctx, "vko", rows); err != nil {
			t.Fatal(err)
		}
		addrs := "code,district,street_kind,street_kk,street_ru,old_names,number,lat,lon,residential\n" +
			"B1,oskemen,avenue,Абай,Абая,Ленина,150,49.95,82.61,1\n" +
			"B2,oskemen,avenue,Абай,Абая,Ленина,150/230,49.951,82.611,yes\n" +
			"B3,oskemen,microdistrict,Самал-2,Самал-2,,58к1,49.952,82.612,1\n"
		as, err := importer.ReadAddresses("a.csv", []byte(addrs), mustKnown(t, db, "vko"))
		if err != nil {
			t.Fatal(err)
		}
		if res, err := db.ImportAddresses(ctx, "vko", as); err != nil || res.Inserted != 3 {
			t.Fatalf("addresses: %+v, %v", res, err)
		}
		if res, err := db.ImportAddresses(ctx, "vko", as); err != nil || res.Updated != 3 {
			t.Fatalf("addresses again: %+v, %v", res, err)
		}
		if n := mustCount(t, db, "streets"); n != 2 {
			t.Errorf("%d streets, want 2", n)
		}

		c, err := importer.ReadCatchments("c.csv", []byte("school_bin,building_code\n000740001307,B1\n000740001307,B3\n"), mustKnown(t, db, "vko"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportCatchments(ctx, "vko", 2026, c); err != nil {
			t.Fatal(err)
		}
		area := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"school_bin":"000740001307"},
			"geometry":{"type":"Polygon","coordinates":[[[82.6,49.94],[82.62,49.94],[82.62,49.96],[82.6,49.94]]]}}]}`
		c, err = importer.ReadCatchments("c.geojson", []byte(area), mustKnown(t, db, "vko"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportCatchments(ctx, "vko", 2026, c); err != nil {
			t.Fatal(err)
		}
		if n, m := mustCount(t, db, "catchments"), mustCount(t, db, "catchment_buildings"); n != 1 || m != 2 {
			t.Errorf("%d catchments with %d buildings, want 1 with 2", n, m)
		}

		teachers := "school_bin,surname,name,patronymic,category,subjects,languages,experience,indicators\n" +
			"000740001307,Ахметова,Айгүл,Серікқызы,expert,primary,kk,12,rating=81.5/14|parent_survey=90/40\n" +
			"000740001307,Иванова,Елена,,moderator,primary|mathematics,ru,4,\n"
		ts, err := importer.ReadTeachers("t.csv", []byte(teachers), mustKnown(t, db, "vko"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if res, err := db.ImportTeachers(ctx, "vko", ts); err != nil || res.Inserted != 2 {
			t.Fatalf("teachers: %+v, %v", res, err)
		}
		if res, err := db.ImportTeachers(ctx, "vko", ts[:1]); err != nil || res.Updated != 1 || res.Deleted != 1 {
			t.Fatalf("teachers again: %+v, %v", res, err)
		}
	})
}

// TestImportAllOrNothing checks that a failing row rolls back the whole
// import, version included.
func TestImportAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.SeedCity(ctx, vkoCity()); err != nil {
			t.Fatal(err)
		}
		rows, err := importer.ReadSchools("vko.json", mustTestdata(t, "vko_schools_egov_sample20.json"), mustKnown(t, db, "vko"))
		if err != nil {
			t.Fatal(err)
		}
		// The last row names a building that is not there: the store
		// refuses it after writing the others.
		rows[len(rows)-1].BuildingCode = "NOWHERE"
		if _, err := db.ImportSchools(ctx, "vko", rows); err == nil {
			t.Fatal("import with a missing building succeeded")
		}
		if n := mustCount(t, db, "schools"); n != 0 {
			t.Errorf("%d schools written by a failed import", n)
		}
		versions, err := db.DataVersions(ctx)
		if err != nil || len(versions) != 0 {
			t.Errorf("versions after a failed import: %v, %v", versions, err)
		}

		if _, err := db.ImportKnown(ctx, "shymkent"); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("unknown city: %v", err)
		}
	})
}
