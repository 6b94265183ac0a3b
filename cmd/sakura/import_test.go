package main

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sakura/internal/iin"
	"slices"
	"strings"
	"testing"
	"time"

	"sakura/internal/catchment"
	"sakura/internal/city"
	"sakura/internal/dataset"
	"sakura/internal/i18n"
	"sakura/internal/school"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
	"sakura/internal/teacher"
)

// mustVKO returns a migrated SQLite database with an empty test city
// "vko" whose districts are those of the registry sample.
func mustVKO(t *testing.T) (string, *store.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sakura.db")
	db := storetest.MustOpen(t, path)
	d := func(slug, ru string) city.District { return city.District{Slug: slug, Name: i18n.Text{RU: ru, KK: ru}} }
	err := db.SeedCity(context.Background(), dataset.City{City: city.City{
		Slug: "vko", Name: i18n.Text{KK: "ШҚО", RU: "ВКО", EN: "East Kazakhstan"}, Zoom: 8,
		Districts: []city.District{
			d("katon-karagay", "Катон-Карагайский район"), d("tarbagatay", "Тарбагатайский район"),
			d("ulan", "Уланский район"), d("oskemen", "Усть-Каменогорск Г.А."),
			d("samar", "район Самар"), d("ulken-naryn", "район Үлкен Нарын"),
		},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return path, db
}

func runImport(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut strings.Builder
	err = run(context.Background(), append([]string{"import"}, args...), func(string) string { return "" }, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestImportCommand(t *testing.T) {
	path, db := mustVKO(t)
	file := "../../internal/importer/testdata/vko_schools_egov_sample20.json"

	out, _, err := runImport(t, "schools", "-city", "vko", "-db", path, file)
	if err != nil || !strings.Contains(out, "20 added, 0 updated, 0 removed; data version 1") {
		t.Fatalf("import schools: %v\n%s", err, out)
	}
	schools, err := db.Schools(context.Background(), "vko")
	if err != nil || len(schools) != 20 {
		t.Fatalf("vko has %d schools after the import (%v), want 20", len(schools), err)
	}
	for _, s := range schools {
		if s.BIN != "" || s.RegistryID == "" {
			t.Errorf("school %q: BIN %q, registry id %q; want the registry's id and no made-up BIN",
				s.Name.RU, s.BIN, s.RegistryID)
		}
	}
	out, _, err = runImport(t, "schools", "-city", "vko", "-db", path, file)
	if err != nil || !strings.Contains(out, "0 added, 20 updated") {
		t.Errorf("second import of the same schools: %v\n%s", err, out)
	}

	// A CSV in Windows-1251 and a row with a bad BIN: every problem is
	// reported with its line, and nothing is written.
	bad := filepath.Join(t.TempDir(), "schools.csv")
	csv := "bin,name_kk,name_ru,type,ownership,languages,district,lat,lon\n" +
		"000740001307,\xcc\xe5\xea\xf2\xe5\xef,\xd8\xea\xee\xeb\xe0,general,public,kk,samar,49.9,82.6\n"
	if err := os.WriteFile(bad, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := runImport(t, "schools", "-city", "vko", "-db", path, bad)
	if err == nil || !strings.Contains(stderr, "schools.csv:2: the file is not UTF-8 but probably Windows-1251") {
		t.Errorf("CP1251 import: %v\n%s", err, stderr)
	}
	csv = "bin,name_kk,name_ru,type,ownership,languages,district,lat,lon\n" +
		"000740001307,Мектеп,Школа,general,public,kk,samar,49.9,82.6\n" +
		"123456789012,Мектеп,Школа,general,public,kk,samar,49.9,82.6\n"
	if err := os.WriteFile(bad, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, err = runImport(t, "schools", "-city", "vko", "-db", path, bad)
	if err == nil || !strings.Contains(stderr, `schools.csv:3: bin "123456789012" is not a valid BIN`) {
		t.Errorf("bad BIN import: %v\n%s", err, stderr)
	}

	counts, err := db.CityCounts(context.Background(), "vko")
	if err != nil {
		t.Fatal(err)
	}
	if counts["schools"] != 20 {
		t.Errorf("%d schools after failed imports, want 20", counts["schools"])
	}
	if _, _, err := runImport(t, "schools", "-city", "shymkent", "-db", path, file); err == nil {
		t.Error("import into an unknown city succeeded")
	}
}

// TestRefresher imports into the database of a running refresher, as
// another process would, and checks that the school registry in memory
// shows the imported schools after the next check.
func TestRefresher(t *testing.T) {
	path, db := mustVKO(t)
	ctx := context.Background()
	schools := school.NewService(db, nil)
	r := newRefresher(db.DataVersions, refreshEvery, slog.New(slog.NewTextHandler(io.Discard, nil)),
		schools, teacher.NewIndex(db), catchment.NewFinder(db, nil))

	vko, err := db.City(ctx, "vko")
	if err != nil {
		t.Fatal(err)
	}
	total := func() int {
		t.Helper()
		f, err := school.ParseFilter(url.Values{}, vko)
		if err != nil {
			t.Fatal(err)
		}
		res, err := schools.Search(ctx, "vko", i18n.RU, f)
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}

	if got := r.check(ctx); got != nil {
		t.Errorf("first check rebuilt %v", got)
	}
	r.warm(ctx, "vko")
	if n := total(); n != 0 {
		t.Fatalf("registry before the import holds %d schools", n)
	}

	if _, _, err := runImport(t, "schools", "-city", "vko", "-db", path,
		"../../internal/importer/testdata/vko_schools_egov_sample20.json"); err != nil {
		t.Fatal(err)
	}
	if n := total(); n != 0 {
		t.Errorf("registry changed before the refresher looked: %d schools", n)
	}
	if got := r.check(ctx); !slices.Equal(got, []string{"vko"}) {
		t.Errorf("check after import = %v, want [vko]", got)
	}
	if n := total(); n != 20 {
		t.Errorf("registry after the refresh holds %d schools, want the 20 imported", n)
	}
	if got := r.check(ctx); got != nil {
		t.Errorf("check with no change = %v", got)
	}
}

// TestImportPeople imports a parent and her child into the person
// registry with the command, and refuses a file whose child's sex
// disagrees with the IIN without writing anything.
func TestImportPeople(t *testing.T) {
	path, db := mustVKO(t)
	ctx := context.Background()
	mother, err := iin.Make(time.Date(1990, 7, 25, 0, 0, 0, 0, time.UTC), false, 17)
	if err != nil {
		t.Fatal(err)
	}
	child, err := iin.Make(time.Date(2021, 3, 15, 0, 0, 0, 0, time.UTC), true, 19)
	if err != nil {
		t.Fatal(err)
	}

	head := "iin,surname,name,patronymic,birth_date,sex,phone,parent_iin,relation\n"
	write := func(body string) string {
		t.Helper()
		f := filepath.Join(t.TempDir(), "people.csv")
		if err := os.WriteFile(f, []byte(head+body), 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}

	bad := write(mother + ",Сейітова,Айгүл,Серікқызы,1990-07-25,female,+77010000001,,\n" +
		child + ",Сейітов,Әлихан,Нұрланұлы,2021-03-15,female,,," + "\n")
	if _, stderr, err := runImport(t, "people", "-city", "vko", "-db", path, bad); err == nil ||
		!strings.Contains(stderr, "people.csv:3:") {
		t.Errorf("a child whose sex disagrees with the IIN: %v\n%s", err, stderr)
	}
	if _, err := db.Person(ctx, mother); err == nil {
		t.Error("a refused file wrote the mother all the same")
	}

	good := write(mother + ",Сейітова,Айгүл,Серікқызы,1990-07-25,female,+77010000001,,\n" +
		child + ",Сейітов,Әлихан,Нұрланұлы,2021-03-15,male,," + mother + ",mother\n")
	if out, stderr, err := runImport(t, "people", "-city", "vko", "-db", path, good); err != nil {
		t.Fatalf("import people: %v\n%s%s", err, out, stderr)
	}
	if l, err := db.Link(ctx, mother, child); err != nil || l.Relation != "mother" {
		t.Errorf("link after the import = %+v, %v; want the mother", l, err)
	}
}
