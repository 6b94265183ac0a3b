package admission_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"sakura/internal/account"
	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/notify"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

// submitMeals files an application for the meals of a new child in grade
// 6 at school 1, for the school year 2026/27.
func (w *world) submitMeals(t testing.TB) application.Application {
	t.Helper()
	w.seq++
	at := start.Add(time.Duration(w.seq) * time.Second)
	id := fmt.Sprintf("meals-%d", w.seq)
	answers := application.Answers{ChildIIN: fmt.Sprintf("child-%04d", w.seq), ChildSurname: "Сейітов",
		ChildName: fmt.Sprintf("Бала %d", w.seq), ChildBirthDate: time.Date(2015, 3, 15, 0, 0, 0, 0, time.UTC),
		SchoolID: school1, Grade: 6, Category: "social_assistance", Channel: "sms", NotifyLang: "kk"}
	ctx := context.Background()
	if err := w.db.SaveDraft(ctx, application.Draft{ID: id, City: "almaty", Kind: application.Meals, AccountID: w.parent,
		Answers: answers, CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	a, _, err := w.db.Submit(ctx, application.Submission{DraftID: id, City: "almaty", CityCode: "ALM",
		Kind: application.Meals, Year: 2026, Account: w.parent, Child: answers.ChildKey(),
		SchoolID: school1, Answers: answers, At: at, Event: notify.Event{Kind: "application_submitted"}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// reminders counts the events of the parent's feed that say meals end,
// each with the SMS queued to the parent.
func reminders(t *testing.T, db *store.DB, account int64) int {
	t.Helper()
	events, _, err := db.Feed(context.Background(), account, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if e.Kind != admission.EventReminder {
			continue
		}
		n++
		if e.Data["until"] != "25.05.2027" || len(e.Deliveries) != 1 || e.Deliveries[0].Channel != notify.SMS {
			t.Errorf("the reminder says %v, with deliveries %+v", e.Data, e.Deliveries)
		}
	}
	return n
}

// TestMealsReminder: granted meals end with the school year (25 May by the
// model rules); a month before, each parent is told once, in the feed and
// by SMS, however many processes look at once; meals only applied for
// are not reminded of.
func TestMealsReminder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		granted := w.submitMeals(t)
		w.decide(t, w.school1, granted, admission.Decision{Action: admission.Accept})
		w.decide(t, w.school1, granted, admission.Decision{Action: admission.Grant})
		pending := w.submitMeals(t) // not decided: no reminder
		w.decide(t, w.school1, pending, admission.Decision{Action: admission.Accept})

		// 6 April: seven weeks before the end, too early.
		if n, err := w.svc.RemindDue(ctx); err != nil || n != 0 {
			t.Fatalf("on %s: %d reminded, %v", w.clock.Now().Format(time.DateOnly), n, err)
		}

		// 26 April: within the month; eight processes look at once.
		w.clock.Advance(20 * 24 * time.Hour)
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for range 8 {
			wg.Go(func() {
				n, err := w.svc.RemindDue(ctx)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total += n
				mu.Unlock()
			})
		}
		wg.Wait()
		if total != 1 {
			t.Errorf("%d reminders sent, want 1", total)
		}
		if got := reminders(t, db, w.parent); got != 1 {
			t.Errorf("the feed has %d reminders, want 1", got)
		}
		if n, _ := w.svc.RemindDue(ctx); n != 0 {
			t.Errorf("a second round reminded %d", n)
		}
		if _, err := w.svc.Decide(ctx, w.school1, pending.ID, admission.Decision{Action: admission.Grant}, account.Client{}); err != nil {
			t.Fatal(err)
		}
		// Granted late, inside the month: reminded on the next round.
		if n, err := w.svc.RemindDue(ctx); err != nil || n != 1 {
			t.Errorf("a late grant: %d reminded, %v", n, err)
		}
	})
}
