package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/account"
	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/staff"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

// reportWorld is a department's city of two schools (101 and 102), with
// another city (Astana, school 201) beside it, a parent, the city's
// operator and the admission service on a clock the test moves.
type reportWorld struct {
	db     *store.DB
	parent int64
	op     staff.User
	svc    *admission.Service
	now    time.Time
	seq    int
}

func newReportWorld(t *testing.T, db *store.DB) *reportWorld {
	t.Helper()
	ctx := context.Background()
	almaty := testCity("almaty", 100)
	second := almaty.Schools[0]
	second.ID, second.BIN, second.Number = 102, "000000000102", 34
	second.Name = i18n.Text{KK: "№ 34 мектеп", RU: "Школа № 34", EN: "School No. 34"}
	almaty.Schools = append(almaty.Schools, second)
	if err := db.SeedCity(ctx, almaty); err != nil {
		t.Fatal(err)
	}
	if err := db.SeedCity(ctx, testCity("astana", 200)); err != nil {
		t.Fatal(err)
	}
	w := &reportWorld{db: db}
	w.svc = admission.New(admission.Config{Store: db, Now: func() time.Time { return w.now }})
	err := db.Tx(ctx, func(tx account.Tx) error {
		var err error
		w.parent, err = tx.CreateAccount(ctx, account.Account{IIN: "900725400016", Phone: "+77010000001",
			Lang: i18n.RU, NotifySMS: true, CreatedAt: time.Now()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	w.op = staff.User{Login: "operator", Name: "Динара Омарова", Role: staff.RoleOperator, City: "almaty",
		PasswordHash: "x", CreatedAt: time.Now()}
	err = db.StaffTx(ctx, func(tx staff.Tx) error {
		var err error
		w.op.ID, err = tx.AddUser(ctx, w.op)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// file submits an application of a new child, received at the instant
// given.
func (w *reportWorld) file(t *testing.T, city string, year int, kind application.Kind, schoolID int64,
	basis application.Basis, at time.Time) application.Application {
	t.Helper()
	ctx := context.Background()
	w.seq++
	id := fmt.Sprintf("report-%d", w.seq)
	answers := application.Answers{ChildIIN: fmt.Sprintf("child-%04d", w.seq), ChildSurname: "Сейітов",
		ChildName: fmt.Sprintf("Бала %d", w.seq), ChildBirthDate: time.Date(2021, 3, 15, 0, 0, 0, 0, time.UTC),
		SchoolID: schoolID, Basis: basis, Language: "kk", Channel: "sms", NotifyLang: "ru", Phone: "+77010000001"}
	if err := w.db.SaveDraft(ctx, application.Draft{ID: id, City: city, Kind: kind, AccountID: w.parent,
		Answers: answers, CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	a, _, err := w.db.Submit(ctx, application.Submission{DraftID: id, City: city,
		CityCode: application.CityCode(city), Kind: kind, Year: year, Basis: basis, Account: w.parent,
		Child: answers.ChildKey(), SchoolID: schoolID, Answers: answers, At: at,
		Event: notify.Event{Kind: "application_submitted"}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// decide takes the operator's decisions on an application, in order.
func (w *reportWorld) decide(t *testing.T, a application.Application, ds ...admission.Decision) {
	t.Helper()
	for _, d := range ds {
		_, err := w.svc.Decide(context.Background(), w.op, a.ID, d, account.Client{Addr: "192.0.2.10"})
		if err != nil {
			t.Fatalf("%s on %s: %v", d.Action, a.Number, err)
		}
	}
}

var (
	accept = admission.Decision{Action: admission.Accept}
	issue  = admission.Decision{Action: admission.Issue}
	enrol  = admission.Decision{Action: admission.Enrol, Class: "А"}
	refuse = admission.Decision{Action: admission.Refuse, Reason: "incomplete_documents",
		Comment: "Нет справки 065."}
)

// TestReports: the department's counts of a city's campaign: applications
// by the day of receipt in Kazakhstan, kind and status; the quota queue of
// each school; the referrals in force by their last day. Another city's
// and another year's rows stay out.
func TestReports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newReportWorld(t, db)
		g1, q := application.Grade1, application.Quota
		c := application.Catchment

		// 5 April in Kazakhstan: at 08:00, and a fraction of a second
		// before midnight.
		early := w.file(t, "almaty", 2027, g1, 101, c, time.Date(2027, 4, 5, 3, 0, 0, 0, time.UTC))
		late := w.file(t, "almaty", 2027, g1, 101, c, time.Date(2027, 4, 5, 18, 59, 59, 999_900_000, time.UTC))
		// 6 April in Kazakhstan, from its midnight on.
		midnight := w.file(t, "almaty", 2027, g1, 102, c, time.Date(2027, 4, 5, 19, 0, 0, 0, time.UTC))
		day2 := time.Date(2027, 4, 6, 4, 0, 0, 0, time.UTC)
		quota := []application.Application{
			w.file(t, "almaty", 2027, g1, 101, q, day2),
			w.file(t, "almaty", 2027, g1, 101, q, day2.Add(time.Minute)),
			w.file(t, "almaty", 2027, g1, 102, q, day2.Add(2*time.Minute)),
		}
		refused := w.file(t, "almaty", 2027, g1, 102, c, day2.Add(3*time.Minute))
		w.file(t, "almaty", 2027, g1, 101, c, day2.Add(4*time.Minute))
		w.file(t, "almaty", 2027, application.Transfer, 102, "", day2.Add(5*time.Minute))
		// Neither another city nor another campaign counts.
		w.file(t, "astana", 2027, g1, 201, c, day2)
		w.file(t, "almaty", 2026, g1, 101, c, day2)

		// Tuesday 6 April: a referral valid five working days, to 13 April;
		// the quota applicants wait (two catchment admissions open no
		// quota seat); one refusal.
		w.now = time.Date(2027, 4, 6, 5, 0, 0, 0, time.UTC)
		w.decide(t, early, accept, issue)
		for _, a := range quota {
			w.decide(t, a, accept)
		}
		w.decide(t, refused, refuse)
		// Wednesday: two referrals to 14 April, one of them used at once.
		w.now = w.now.AddDate(0, 0, 1)
		w.decide(t, late, accept, issue)
		w.decide(t, midnight, accept, issue, enrol)

		days, err := db.ApplicationsByDay(ctx, "almaty", 2027)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]map[application.Kind]map[application.Status]int{
			"2027-04-05": {g1: {application.Referral: 2}},
			"2027-04-06": {
				g1: {
					application.Enrolled: 1, application.Waiting: 3, application.Refused: 1,
					application.Submitted: 1,
				},
				application.Transfer: {application.Submitted: 1},
			},
		}
		if diff := cmp.Diff(want, days); diff != "" {
			t.Errorf("applications by day (-want +got):\n%s", diff)
		}

		queues, err := db.QuotaQueues(ctx, "almaty", 2027)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[int64]int{101: 2, 102: 1}, queues); diff != "" {
			t.Errorf("quota queues (-want +got):\n%s", diff)
		}

		ends, err := db.ReferralsByEnd(ctx, "almaty", 2027)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]int{"2027-04-13": 1, "2027-04-14": 1}, ends); diff != "" {
			t.Errorf("referrals in force by last day (-want +got):\n%s", diff)
		}

		for _, city := range []string{"astana", "shymkent"} {
			queues, err := db.QuotaQueues(ctx, city, 2027)
			if err != nil || len(queues) != 0 {
				t.Errorf("queues of %s: %v, %v; want none", city, queues, err)
			}
			ends, err := db.ReferralsByEnd(ctx, city, 2027)
			if err != nil || len(ends) != 0 {
				t.Errorf("referrals of %s: %v, %v; want none", city, ends, err)
			}
		}
		if days, err := db.ApplicationsByDay(ctx, "almaty", 2028); err != nil || len(days) != 0 {
			t.Errorf("applications of 2028: %v, %v; want none", days, err)
		}
	})
}
