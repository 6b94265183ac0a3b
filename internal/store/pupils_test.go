package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/account"
	"sakura/internal/admission"
	"sakura/internal/i18n"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

// TestSchoolPupils: a child enrolled in grade 1 at school A, then moved by
// a transfer to school B, is A's pupil who left for B and B's pupil now,
// with the class B gave; A's other pupil, enrolled later, comes first.
func TestSchoolPupils(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		almaty := testCity("almaty", 100)
		second := almaty.Schools[0]
		second.ID, second.BIN, second.Number = 102, "000000000102", 34
		second.Name = i18n.Text{KK: "№ 34 мектеп", RU: "Школа № 34", EN: "School No. 34"}
		almaty.Schools = append(almaty.Schools, second)
		if err := db.SeedCity(ctx, almaty); err != nil {
			t.Fatal(err)
		}
		var acc int64
		if err := db.Tx(ctx, func(tx account.Tx) error {
			var err error
			acc, err = tx.CreateAccount(ctx, account.Account{IIN: "900725400016", Phone: "+77010000001", Lang: i18n.RU,
				NotifySMS: true, CreatedAt: time.Now()})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		const schoolA, schoolB = 101, 102
		day := time.Date(2027, 8, 20, 5, 0, 0, 0, time.UTC)
		born := time.Date(2020, 5, 10, 0, 0, 0, 0, time.UTC)

		enrol := func(child, name string, school int64, class string, at time.Time, from int64, left string) {
			t.Helper()
			err := db.AdmissionTx(ctx, func(tx admission.Tx) error {
				return tx.EnrolPupil(ctx, admission.PupilFile{City: "almaty", Child: child, Name: name, BirthDate: born,
					AccountID: acc, SchoolID: school, Grade: 1, Class: class, SchoolYear: 2027},
					admission.Movement{At: at, Kind: admission.Enrolled, SchoolID: school, Grade: 1, Class: class,
						SchoolYear: 2027}, from, left)
			})
			if err != nil {
				t.Fatalf("enrol %s at %d: %v", name, school, err)
			}
		}
		enrol("200510500017", "Сейітов Әлихан", schoolA, "Ә", day, 0, "")
		enrol("200711600018", "Омарова Дана", schoolA, "Б", day.Add(time.Hour), 0, "")
		moved := day.AddDate(0, 0, 20)
		enrol("200510500017", "Сейітов Әлихан", schoolB, "В", moved, schoolA, "school:102")

		a, err := db.SchoolPupils(ctx, schoolA)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Now) != 1 || a.Now[0].Name != "Омарова Дана" || a.Now[0].Class != "Б" ||
			!a.Now[0].Enrolled.Equal(day.Add(time.Hour)) || !a.Now[0].BirthDate.Equal(born) {
			t.Errorf("A's pupils now: %+v", a.Now)
		}
		if len(a.Left) != 1 {
			t.Fatalf("A's leavers: %+v", a.Left)
		}
		l := a.Left[0]
		want := admission.Movement{At: moved, Kind: admission.Left, SchoolID: schoolA, Grade: 1, Class: "Ә",
			SchoolYear: 2027, Note: "school:102"}
		if l.Name != "Сейітов Әлихан" || l.Movement.LeftFor() != schoolB {
			t.Errorf("A's leaver %q left for %d", l.Name, l.Movement.LeftFor())
		}
		if diff := cmp.Diff(want, l.Movement); diff != "" {
			t.Errorf("A's leaver's movement (-want +got):\n%s", diff)
		}

		b, err := db.SchoolPupils(ctx, schoolB)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Left) != 0 || len(b.Now) != 1 {
			t.Fatalf("B: %d now, %d left", len(b.Now), len(b.Left))
		}
		if p := b.Now[0]; p.Name != "Сейітов Әлихан" || p.Grade != 1 || p.Class != "В" || p.SchoolYear != 2027 ||
			!p.Enrolled.Equal(moved) {
			t.Errorf("B's pupil now: %+v", p)
		}

		none, err := db.SchoolPupils(ctx, 999)
		if err != nil || len(none.Now)+len(none.Left) != 0 {
			t.Errorf("a school without pupils: %+v, %v", none, err)
		}
	})
}
