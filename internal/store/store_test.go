package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"sakura/internal/address"
	"sakura/internal/catchment"
	"sakura/internal/city"
	"sakura/internal/dataset"
	"sakura/internal/errs"
	"sakura/internal/geo"
	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/person"
	"sakura/internal/school"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
	"sakura/internal/teacher"
)

// testCity builds a small city with one of everything; base keeps the ids
// of two cities apart.
func testCity(slug string, base int64) dataset.City {
	area := geo.Polygon{{{Lat: 43.20, Lon: 76.90}, {Lat: 43.20, Lon: 76.95}, {Lat: 43.25, Lon: 76.95}}}
	d := dataset.City{
		City: city.City{
			Slug:   slug,
			Name:   i18n.Text{KK: "Қала " + slug, RU: "Город " + slug, EN: "City " + slug},
			Centre: geo.Point{Lat: 43.238, Lon: 76.945},
			Zoom:   12,
			Districts: []city.District{
				{City: slug, Slug: "bostandyk", Name: i18n.Text{KK: "Бостандық ауданы", RU: "Бостандыкский район", EN: "Bostandyk district"},
					Boundary: geo.MultiPolygon{area}},
				{City: slug, Slug: "medeu", Name: i18n.Text{KK: "Медеу ауданы", RU: "Медеуский район", EN: "Medeu district"}},
			},
		},
		Streets: []address.Street{
			{ID: base + 1, City: slug, District: "bostandyk", Kind: address.KindMicrodistrict,
				Name: i18n.Text{KK: "Нұркент", RU: "Нуркент", EN: "Nurkent"}, OldNames: []string{"Алғабас-1"}},
		},
		Buildings: []address.Building{
			{ID: base + 1, City: slug, StreetID: base + 1, District: "bostandyk", Number: "12А", Code: slug + "-1",
				Location: geo.Point{Lat: 43.21, Lon: 76.91}, Residential: true},
			{ID: base + 2, City: slug, StreetID: base + 1, District: "bostandyk", Number: "150/230", Code: slug + "-2",
				Location: geo.Point{Lat: 43.22, Lon: 76.92}},
		},
		Schools: []school.School{{
			ID: base + 1, City: slug, BIN: fmt.Sprintf("%012d", base+1), Number: 12,
			Name: i18n.Text{KK: "№ 12 мектеп-гимназиясы", RU: "Школа-гимназия № 12", EN: "School-gymnasium No. 12"},
			Type: school.Gymnasium, Ownership: school.Public, Languages: []i18n.Lang{i18n.KK, i18n.RU},
			District: "bostandyk", BuildingID: base + 2,
			Address:  i18n.Text{KK: "Нұркент ш/а, 150/230", RU: "мкр. Нуркент, 150/230", EN: "Nurkent, 150/230"},
			Location: geo.Point{Lat: 43.22, Lon: 76.92}, Phone: "+77272000000", Email: "school12@example.kz",
			Director: "Сейітова Айгүл Нұрланқызы", Founded: 1978, Shifts: 2, StartTimes: []string{"08:00", "13:30"},
			Capacity: 1200, Pupils: 1650, Grade1Classes: 6, Grade10Classes: 2,
			Profiles: []string{"natural_math"}, Facilities: []string{"gym", "library"}, Accessibility: []string{"ramp"},
		}},
		Catchments: []catchment.Catchment{{ID: base + 1, City: slug, SchoolID: base + 1, Year: 2026, Area: area, Buildings: []int64{base + 1}}},
		Teachers: []teacher.Teacher{{
			ID: base + 1, City: slug, SchoolID: base + 1, Surname: "Ахметова", Name: "Гүлнар", Patronymic: "Серікқызы",
			Category: teacher.Expert, Subjects: []string{"primary"}, Languages: []i18n.Lang{i18n.KK}, Experience: 17,
			Indicators: []teacher.Indicator{{Code: "rating", Value: 87.5, Observations: 40}},
		}},
		People: []person.Person{
			{IIN: iinFor(base, 1), City: slug, Surname: "Сейітов", Name: "Нұрлан", BirthDate: date(1988, 5, 4), Sex: person.Male, Phone: fmt.Sprintf("+7701%07d", base+1)},
			{IIN: iinFor(base, 2), City: slug, Surname: "Сейітова", Name: "Әлия", Patronymic: "Нұрланқызы", BirthDate: date(2020, 3, 15), Sex: person.Female},
		},
	}
	d.Links = []person.Link{{ParentIIN: d.People[0].IIN, ChildIIN: d.People[1].IIN, Relation: "father"}}
	return d
}

// iinFor makes distinct 12-character registry keys; the store does not
// check IINs, so the contract needs only uniqueness here.
func iinFor(base int64, n int) string {
	return time.Unix(base*1000+int64(n), 0).UTC().Format("060102150405")
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func mustSeed(t *testing.T, db *store.DB, cities ...dataset.City) {
	t.Helper()
	for _, c := range cities {
		if err := db.SeedCity(context.Background(), c); err != nil {
			t.Fatalf("SeedCity(%s): %v", c.City.Slug, err)
		}
	}
}

func TestMigrate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		again, err := db.Migrate(ctx)
		if err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		if len(again) != 0 {
			t.Errorf("second Migrate applied %d migrations, want none", len(again))
		}
		current, latest, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if current != latest || latest == 0 {
			t.Errorf("schema version %d, latest %d; want equal and non-zero", current, latest)
		}
	})
}

// TestMigrateConcurrently starts several processes' worth of migrations on
// one fresh PostgreSQL database: the lock lets exactly one do the work.
func TestMigrateConcurrently(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errc := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := store.Open(ctx, dsn)
			if err != nil {
				errc <- err
				return
			}
			defer db.Close()
			_, err = db.Migrate(ctx)
			errc <- err
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Errorf("Migrate: %v", err)
		}
	}
}

func TestCities(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cities, err := db.Cities(ctx)
		if err != nil || len(cities) != 0 {
			t.Fatalf("Cities on an empty store = %v, %v; want none", cities, err)
		}

		astana, almaty := testCity("astana", 1000), testCity("almaty", 0)
		mustSeed(t, db, astana, almaty)

		cities, err = db.Cities(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []city.City{almaty.City, astana.City}
		if diff := cmp.Diff(want, cities, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Cities mismatch (-want +got):\n%s", diff)
		}

		got, err := db.City(ctx, "astana")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(astana.City, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("City mismatch (-want +got):\n%s", diff)
		}

		if _, err := db.City(ctx, "shymkent"); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("City(shymkent) error = %v, want not found", err)
		}
	})
}

func TestSeedCityIsAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()

		// A building in a district the city does not have breaks a
		// foreign key half-way through: nothing of the city may remain.
		broken := testCity("almaty", 0)
		broken.Buildings[1].District = "nowhere"
		if err := db.SeedCity(ctx, broken); err == nil {
			t.Fatal("SeedCity with a broken building succeeded")
		}
		if cities, err := db.Cities(ctx); err != nil || len(cities) != 0 {
			t.Fatalf("after a failed seed, Cities = %v, %v; want none", cities, err)
		}
		if _, err := db.Person(ctx, broken.People[0].IIN); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("after a failed seed, Person error = %v, want not found", err)
		}

		mustSeed(t, db, testCity("almaty", 0))
		if err := db.SeedCity(ctx, testCity("almaty", 0)); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("second SeedCity error = %v, want conflict", err)
		}
	})
}

// TestSeedCityConcurrently is several processes starting with -demo on one
// empty database: one seeds, the others are told the city is there.
func TestSeedCityConcurrently(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const n = 4
		var wg sync.WaitGroup
		errc := make(chan error, n)
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errc <- db.SeedCity(context.Background(), testCity("almaty", 0))
			}()
		}
		wg.Wait()
		close(errc)

		var ok, conflict int
		for err := range errc {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, errs.ErrConflict):
				conflict++
			default:
				t.Errorf("SeedCity: %v", err)
			}
		}
		if ok != 1 || conflict != n-1 {
			t.Errorf("%d seeded and %d conflicts, want 1 and %d", ok, conflict, n-1)
		}
	})
}

func TestSchools(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		almaty, astana := testCity("almaty", 0), testCity("astana", 1000)
		mustSeed(t, db, almaty, astana)

		got, err := db.Schools(ctx, "almaty")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(almaty.Schools, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Schools mismatch (-want +got):\n%s", diff)
		}

		one, err := db.School(ctx, "astana", astana.Schools[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(astana.Schools[0], one, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("School mismatch (-want +got):\n%s", diff)
		}

		// A school is found only in its own city.
		if _, err := db.School(ctx, "almaty", astana.Schools[0].ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("School of another city: error = %v, want not found", err)
		}
	})
}

func TestPeople(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		almaty := testCity("almaty", 0)
		mustSeed(t, db, almaty)
		parent, child := almaty.People[0], almaty.People[1]

		got, err := db.Person(ctx, child.IIN)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(child, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Person mismatch (-want +got):\n%s", diff)
		}

		people, err := db.People(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []person.Entry{{Person: parent, Role: person.Parent}, {Person: child, Role: person.Child}}
		if diff := cmp.Diff(want, people, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("People mismatch (-want +got):\n%s", diff)
		}

		children, err := db.Children(ctx, parent.IIN)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]person.Person{child}, children, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Children mismatch (-want +got):\n%s", diff)
		}

		if _, err := db.Person(ctx, "000000000000"); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("Person(unknown) error = %v, want not found", err)
		}
	})
}

func TestOutbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		got, err := db.Messages(ctx, 10)
		if err != nil || len(got) != 0 {
			t.Fatalf("Messages on an empty outbox = %v, %v; want none", got, err)
		}

		at := time.Date(2026, 12, 3, 9, 0, 0, 123456000, time.UTC)
		var sent []notify.Message
		for i, ch := range []notify.Channel{notify.SMS, notify.Email, notify.SMS} {
			m := notify.Message{To: "+7701000000" + string(rune('1'+i)), Channel: ch,
				Body: "Растау коды: 12345" + string(rune('0'+i)), CreatedAt: at.Add(time.Duration(i) * time.Second)}
			if err := db.Deliver(ctx, m); err != nil {
				t.Fatal(err)
			}
			sent = append(sent, m)
		}

		got, err = db.Messages(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		want := []notify.Message{sent[2], sent[1]}
		if diff := cmp.Diff(want, got, cmpopts.EquateApproxTime(time.Microsecond)); diff != "" {
			t.Errorf("Messages mismatch, newest first (-want +got):\n%s", diff)
		}
	})
}
