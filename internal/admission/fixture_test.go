package admission_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"sakura/internal/account"
	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/city"
	"sakura/internal/clocktest"
	"sakura/internal/dataset"
	"sakura/internal/geo"
	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/school"
	"sakura/internal/staff"
	"sakura/internal/store"
)

// start is a Tuesday morning of the campaign, in UTC.
var start = time.Date(2027, 4, 6, 5, 0, 0, 0, time.UTC)

// world is a city of two schools, one parent, and the staff of each role.
type world struct {
	db      *store.DB
	svc     *admission.Service
	clock   *clocktest.Clock
	parent  int64
	school1 staff.User // staff of school 1
	school2 staff.User // staff of school 2
	op      staff.User // the city's operator
	admin   staff.User
	seq     int
}

// The schools of the world: both plan one class.
const (
	school1 int64 = 1
	school2 int64 = 2
)

func newWorld(t testing.TB, db *store.DB) *world {
	t.Helper()
	ctx := context.Background()
	sch := func(id int64, n int) school.School {
		return school.School{ID: id, City: "almaty", BIN: fmt.Sprintf("%012d", id), Number: n,
			Name: i18n.Text{KK: fmt.Sprintf("№ %d мектеп", n), RU: fmt.Sprintf("Школа № %d", n), EN: fmt.Sprintf("School No. %d", n)},
			Type: school.General, Ownership: school.Public, Languages: []i18n.Lang{i18n.KK, i18n.RU},
			District: "almaly", Location: geo.Point{Lat: 43.25, Lon: 76.92}, Capacity: 600, Pupils: 500,
			Grade1Classes: 1, Grade10Classes: 1,
			// One grade-10 class shared between two streams: natural
			// mathematics takes it, social humanities gets none.
			Profiles: []string{school.ProfileNaturalMath, school.ProfileSocialHumanities}}
	}
	d := dataset.City{
		City: city.City{Slug: "almaty", Name: i18n.Text{KK: "Алматы", RU: "Алматы", EN: "Almaty"},
			Centre: geo.Point{Lat: 43.238, Lon: 76.945}, Zoom: 12,
			Districts: []city.District{{City: "almaty", Slug: "almaly", Name: i18n.Text{KK: "Алмалы", RU: "Алмалинский", EN: "Almaly"}}}},
		Schools: []school.School{sch(school1, 12), sch(school2, 34)},
	}
	if err := db.SeedCity(ctx, d); err != nil {
		t.Fatal(err)
	}
	w := &world{db: db, clock: clocktest.New(start)}
	w.svc = admission.New(admission.Config{Store: db, Now: w.clock.Now})
	err := db.Tx(ctx, func(tx account.Tx) error {
		var err error
		w.parent, err = tx.CreateAccount(ctx, account.Account{IIN: "900725400016", Phone: "+77010000001", Lang: i18n.RU,
			NotifySMS: true, CreatedAt: start})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.StaffTx(ctx, func(tx staff.Tx) error {
		for _, u := range []*staff.User{
			{Login: "school1", Name: "Гүлнар Ахметова", Role: staff.RoleSchool, City: "almaty", SchoolID: school1},
			{Login: "school2", Name: "Ерлан Серіков", Role: staff.RoleSchool, City: "almaty", SchoolID: school2},
			{Login: "operator", Name: "Динара Омарова", Role: staff.RoleOperator, City: "almaty"},
			{Login: "admin", Name: "Асель Нурланова", Role: staff.RoleAdmin},
		} {
			u.PasswordHash, u.CreatedAt = "x", start
			id, err := tx.AddUser(ctx, *u)
			if err != nil {
				return err
			}
			u.ID = id
			switch u.Login {
			case "school1":
				w.school1 = *u
			case "school2":
				w.school2 = *u
			case "operator":
				w.op = *u
			default:
				w.admin = *u
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// submit files a grade-1 application of a new child to a school, one
// second after the last, and returns it.
func (w *world) submit(t testing.TB, schoolID int64, basis application.Basis) application.Application {
	t.Helper()
	w.seq++
	at := start.Add(time.Duration(w.seq) * time.Second)
	id := fmt.Sprintf("draft-%d", w.seq)
	answers := application.Answers{ChildIIN: fmt.Sprintf("child-%04d", w.seq), ChildSurname: "Сейітов",
		ChildName: fmt.Sprintf("Бала %d", w.seq), ChildBirthDate: time.Date(2021, 3, 15, 0, 0, 0, 0, time.UTC),
		SchoolID: schoolID, Basis: basis, Language: "kk", Channel: "sms", NotifyLang: "ru"}
	ctx := context.Background()
	if err := w.db.SaveDraft(ctx, application.Draft{ID: id, City: "almaty", Kind: application.Grade1, AccountID: w.parent,
		Answers: answers, CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	a, _, err := w.db.Submit(ctx, application.Submission{DraftID: id, City: "almaty", CityCode: "ALM",
		Kind: application.Grade1, Year: 2027, Basis: basis, Account: w.parent, Child: answers.ChildKey(),
		SchoolID: schoolID, Answers: answers, At: at, Event: notify.Event{Kind: "application_submitted"}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// decide takes a decision that must succeed.
func (w *world) decide(t testing.TB, u staff.User, a application.Application, d admission.Decision) application.Application {
	t.Helper()
	got, err := w.svc.Decide(context.Background(), u, a.ID, d, account.Client{Addr: "192.0.2.10"})
	if err != nil {
		t.Fatalf("%s on %s: %v", d.Action, a.Number, err)
	}
	return got
}

// admit accepts a catchment application and issues its referral.
func (w *world) admit(t testing.TB, u staff.User, a application.Application) application.Application {
	t.Helper()
	w.decide(t, u, a, admission.Decision{Action: admission.Accept})
	return w.decide(t, u, a, admission.Decision{Action: admission.Issue})
}

// status reads an application's status now.
func (w *world) status(t testing.TB, a application.Application) application.Status {
	t.Helper()
	got, err := w.db.Application(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got.Status
}
