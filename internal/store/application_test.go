package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"sakura/internal/account"
	"sakura/internal/application"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

// applicant seeds a city and a parent's account and returns the account.
func applicant(t testing.TB, db *store.DB) int64 {
	t.Helper()
	ctx := context.Background()
	if err := db.SeedCity(ctx, testCity("almaty", 100)); err != nil {
		t.Fatal(err)
	}
	var id int64
	err := db.Tx(ctx, func(tx account.Tx) error {
		var err error
		id, err = tx.CreateAccount(ctx, account.Account{IIN: "900725400016", Phone: "+77010000001", Lang: i18n.RU,
			NotifySMS: true, CreatedAt: time.Now()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// draft saves a draft of grade 1 for a child and returns its submission.
func draft(t testing.TB, db *store.DB, acc int64, id, child string) application.Submission {
	t.Helper()
	now := time.Date(2027, 4, 1, 0, 0, 1, 0, time.UTC)
	answers := application.Answers{ChildIIN: child, Phone: "+77010000001"}
	err := db.SaveDraft(context.Background(), application.Draft{ID: id, City: "almaty", Kind: application.Grade1,
		AccountID: acc, Answers: answers, Done: []string{"consents"}, CreatedAt: now, UpdatedAt: now})
	if err != nil {
		t.Fatalf("save draft %s: %v", id, err)
	}
	return application.Submission{DraftID: id, City: "almaty", CityCode: "ALA", Kind: application.Grade1, Year: 2027,
		Basis: application.Catchment, Account: acc, Child: answers.ChildKey(), Answers: answers, At: now,
		Event:      notify.Event{Kind: "application_submitted"},
		Deliveries: []notify.Delivery{{Channel: notify.SMS, To: "+77010000001", Lang: i18n.RU, Message: notify.ApplicationSubmitted}}}
}

// TestSubmitOnce: a draft submitted many times at once becomes one
// application, with one event; a submitted draft cannot change.
func TestSubmitOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		acc := applicant(t, db)
		sub := draft(t, db, acc, "d-1", "210315500019")

		const n = 100
		var wg sync.WaitGroup
		got := make([]application.Application, n)
		made := make([]bool, n)
		fails := make([]error, n)
		for i := range n {
			wg.Go(func() { got[i], made[i], fails[i] = db.Submit(ctx, sub) })
		}
		wg.Wait()

		created := 0
		for i := range n {
			if fails[i] != nil {
				t.Fatalf("submission %d: %v", i, fails[i])
			}
			if got[i].ID != got[0].ID || got[i].Number != got[0].Number {
				t.Fatalf("submission %d gave %s, another %s", i, got[i].Number, got[0].Number)
			}
			if made[i] {
				created++
			}
		}
		if created != 1 || got[0].Number != "ALA-G1-2027-00001" || got[0].Status != application.Submitted {
			t.Errorf("%d created; number %s, status %s", created, got[0].Number, got[0].Status)
		}
		if list, err := db.Applications(ctx, acc); err != nil || len(list) != 1 {
			t.Errorf("the parent has %d applications (%v), want 1", len(list), err)
		}
		if _, total, err := db.Feed(ctx, acc, 0, 10); err != nil || total != 1 {
			t.Errorf("%d events (%v), want 1", total, err)
		}

		d, err := db.Draft(ctx, "d-1")
		if err != nil || d.ApplicationID != got[0].ID {
			t.Errorf("draft %+v, %v: not marked submitted", d, err)
		}
		d.Answers.ChildIIN = "000000000000"
		if err := db.SaveDraft(ctx, d); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("changing a submitted draft: %v, want a conflict", err)
		}
	})
}

// TestSubmitMany: a thousand drafts submitted at once become a thousand
// applications with distinct numbers.
func TestSubmitMany(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		acc := applicant(t, db)
		const n = 1000
		subs := make([]application.Submission, n)
		for i := range n {
			subs[i] = draft(t, db, acc, fmt.Sprintf("d-%d", i), fmt.Sprintf("child-%04d", i))
		}

		var wg sync.WaitGroup
		numbers := make([]application.Number, n)
		failed := make([]error, n)
		sem := make(chan struct{}, 50) // as many at once as a busy pool of connections takes
		for i := range n {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				a, _, err := db.Submit(ctx, subs[i])
				numbers[i], failed[i] = a.Number, err
			})
		}
		wg.Wait()

		seen := map[application.Number]bool{}
		for i := range n {
			if failed[i] != nil {
				t.Fatalf("submission %d: %v", i, failed[i])
			}
			if seen[numbers[i]] {
				t.Fatalf("number %s issued twice", numbers[i])
			}
			seen[numbers[i]] = true
		}
		for i := 1; i <= n; i++ {
			if !seen[application.MakeNumber("ALA", application.Grade1, 2027, i)] {
				t.Errorf("number %d was skipped", i)
			}
		}
	})
}

// TestSubmitSecondForChild: a second active application of the same kind
// and basis for a child is refused with the first one's number, even when
// both are submitted at once; a quota application is separate.
func TestSubmitSecondForChild(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		acc := applicant(t, db)
		const n = 20
		var wg sync.WaitGroup
		var mu sync.Mutex
		var made []application.Number
		var refused []error
		for i := range n {
			sub := draft(t, db, acc, fmt.Sprintf("twin-%d", i), "210315500019")
			wg.Go(func() {
				a, _, err := db.Submit(ctx, sub)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					refused = append(refused, err)
					return
				}
				made = append(made, a.Number)
			})
		}
		wg.Wait()
		if len(made) != 1 || len(refused) != n-1 {
			t.Fatalf("%d made, %d refused; want 1 and %d", len(made), len(refused), n-1)
		}
		for _, err := range refused {
			var e *errs.Error
			if !errors.As(err, &e) || e.Kind != errs.Conflict || e.Key != "application.duplicate" || e.Args["Number"] != string(made[0]) {
				t.Errorf("refusal %v, want a conflict naming %s", err, made[0])
			}
		}

		quota := draft(t, db, acc, "quota", "210315500019")
		quota.Basis = application.Quota
		if _, created, err := db.Submit(ctx, quota); err != nil || !created {
			t.Errorf("a quota application next to the catchment one: %v", err)
		}
	})
}

// TestWithdraw: a parent withdraws an undecided application once, never
// another parent's; the timeline keeps both statuses, and a new
// application for the child is possible again.
func TestWithdraw(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		acc := applicant(t, db)
		a, _, err := db.Submit(ctx, draft(t, db, acc, "d-1", "210315500019"))
		if err != nil {
			t.Fatal(err)
		}
		at := a.ReceivedAt.Add(time.Hour)
		if _, err := db.Withdraw(ctx, a.ID, acc+1, notify.Event{}, at); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("another account withdrew it: %v", err)
		}
		w, err := db.Withdraw(ctx, a.ID, acc, notify.Event{Kind: "application_withdrawn"}, at)
		if err != nil || w.Status != application.Withdrawn {
			t.Fatalf("withdraw: %+v, %v", w, err)
		}
		if _, err := db.Withdraw(ctx, a.ID, acc, notify.Event{}, at); errs.KindOf(err) != errs.Conflict {
			t.Errorf("withdrawn twice: %v", err)
		}
		h, err := db.History(ctx, a.ID)
		if err != nil || len(h) != 2 || h[0].Status != application.Submitted || h[1].Status != application.Withdrawn ||
			h[1].Actor != application.ActorParent || !h[1].At.Equal(at) {
			t.Errorf("timeline %+v, %v", h, err)
		}
		if _, created, err := db.Submit(ctx, draft(t, db, acc, "d-2", "210315500019")); err != nil || !created {
			t.Errorf("a new application after withdrawal: %v", err)
		}
	})
}
