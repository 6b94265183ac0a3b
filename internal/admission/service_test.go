package admission_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"sakura/internal/account"
	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/campaign"
	"sakura/internal/errs"
	"sakura/internal/staff"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

// TestCatchmentAdmission follows a catchment application from submission
// to enrolment: each decision a status, a line of the timeline, an event
// with its SMS and an audit line; the referral valid five working days;
// the personal file written at enrolment.
func TestCatchmentAdmission(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		a := w.submit(t, school1, application.Catchment)

		if got := w.decide(t, w.school1, a, admission.Decision{Action: admission.Accept}); got.Status != application.Accepted {
			t.Fatalf("accepted: %s", got.Status)
		}
		if got := w.decide(t, w.school1, a, admission.Decision{Action: admission.Issue}); got.Status != application.Referral {
			t.Fatalf("referral: %s", got.Status)
		}
		r, err := db.ApplicationReferral(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Issued on Tuesday 6 April: five working days end on Tuesday 13.
		if r.Number != "ALM-R-2027-00001" || r.ValidUntil.Format("2006-01-02") != "2027-04-13" || len(r.Code) != 32 {
			t.Errorf("referral %s valid until %s, code %q", r.Number, r.ValidUntil.Format("2006-01-02"), r.Code)
		}
		if got, err := db.ReferralByCode(ctx, r.Code); err != nil || got.ID != r.ID {
			t.Errorf("referral by code: %v", err)
		}

		if _, err := w.svc.Decide(ctx, w.school1, a.ID, admission.Decision{Action: admission.Enrol, Class: "AB"},
			account.Client{}); errs.KindOf(err) != errs.Invalid {
			t.Errorf("a class of two letters: %v", err)
		}
		if got := w.decide(t, w.school1, a, admission.Decision{Action: admission.Enrol, Class: "Ә"}); got.Status != application.Enrolled {
			t.Fatalf("enrolled: %s", got.Status)
		}
		if _, err := w.svc.Decide(ctx, w.school1, a.ID, admission.Decision{Action: admission.Refuse,
			Reason: "classes_full", Comment: "—"}, account.Client{}); errs.KindOf(err) != errs.Conflict {
			t.Errorf("a refusal after enrolment: %v", err)
		}

		files, err := db.PupilFiles(ctx, w.parent)
		if err != nil || len(files) != 1 {
			t.Fatalf("%d personal files, %v", len(files), err)
		}
		f := files[0]
		if f.SchoolID != school1 || f.Class != "Ә" || f.Grade != 1 || f.SchoolYear != 2027 || f.Name != "Сейітов Бала 1" ||
			len(f.Movements) != 1 || f.Movements[0].Kind != admission.Enrolled {
			t.Errorf("personal file %+v", f)
		}
		if r, _ := db.ApplicationReferral(ctx, a.ID); r.Status != admission.RefUsed {
			t.Errorf("referral after enrolment: %s", r.Status)
		}

		var timeline []string
		hist, _ := db.History(ctx, a.ID)
		for _, c := range hist {
			timeline = append(timeline, string(c.Status)+" by "+c.Actor)
		}
		want := []string{"submitted by parent", "accepted by Гүлнар Ахметова", "referral by Гүлнар Ахметова", "enrolled by Гүлнар Ахметова"}
		if !slices.Equal(timeline, want) {
			t.Errorf("timeline %q, want %q", timeline, want)
		}
		events, _, _ := db.Feed(ctx, w.parent, 0, 10)
		var kinds []string
		for _, e := range events {
			kinds = append(kinds, string(e.Kind))
			if e.Kind != "application_submitted" && len(e.Deliveries) != 1 {
				t.Errorf("event %s has %d messages", e.Kind, len(e.Deliveries))
			}
		}
		if !slices.Equal(kinds, []string{"application_enrolled", "referral_issued", "application_accepted", "application_submitted"}) {
			t.Errorf("feed %q", kinds)
		}
		lines, _, _ := db.OfficeAudit(ctx, staff.AuditFilter{Object: fmt.Sprintf("application:%d", a.ID)})
		if len(lines) != 3 || lines[0].Action != "application.enrol" || lines[0].Before != `{"status":"referral"}` {
			t.Errorf("audit %+v", lines)
		}
	})
}

// TestScope: staff see and decide only what their role and school reach;
// for anyone else the application does not exist.
func TestScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		a := w.submit(t, school1, application.Catchment)
		astana := staff.User{ID: 99, Name: "x", Role: staff.RoleOperator, City: "astana"}
		disabled := w.school1
		disabled.Disabled = true
		for _, u := range []staff.User{w.school2, w.admin, astana, disabled} {
			if _, err := w.svc.Decide(ctx, u, a.ID, admission.Decision{Action: admission.Accept}, account.Client{}); errs.KindOf(err) != errs.NotFound {
				t.Errorf("%s (%s): %v, want not found", u.Login, u.Role, err)
			}
		}
		if _, err := w.svc.Decide(ctx, w.op, a.ID, admission.Decision{Action: admission.Accept}, account.Client{}); err != nil {
			t.Errorf("the city's operator: %v", err)
		}
		if _, err := w.svc.Decide(ctx, w.op, 12345, admission.Decision{Action: admission.Accept}, account.Client{}); errs.KindOf(err) != errs.NotFound {
			t.Errorf("an id that does not exist: %v", err)
		}
	})
}

// TestRefusal: a refusal needs a reason from the list and a comment, and
// the parent's event carries both.
func TestRefusal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		a := w.submit(t, school1, application.Catchment)
		for _, d := range []admission.Decision{
			{Action: admission.Refuse, Reason: "i do not like it", Comment: "x"},
			{Action: admission.Refuse, Reason: "incomplete_documents"},
		} {
			_, err := w.svc.Decide(ctx, w.school1, a.ID, d, account.Client{})
			var fe account.FieldErrors
			if !errors.As(err, &fe) {
				t.Errorf("%+v: %v, want a field refusal", d, err)
			}
		}
		w.decide(t, w.school1, a, admission.Decision{Action: admission.Refuse, Reason: "incomplete_documents",
			Comment: "Нет формы 065/у."})
		events, _, _ := db.Feed(ctx, w.parent, 0, 1)
		if e := events[0]; e.Kind != "application_refused" || e.Data["reason"] != "incomplete_documents" || e.Data["comment"] != "Нет формы 065/у." {
			t.Errorf("event %+v", e)
		}
		hist, _ := db.History(ctx, a.ID)
		if c := hist[len(hist)-1]; c.Reason != "incomplete_documents" || c.Comment != "Нет формы 065/у." {
			t.Errorf("timeline's last change %+v", c)
		}
	})
}

// TestQuotaQueue: quota seats open at one per three catchment admissions
// and go in the order of receipt; an expired referral gives its seat to
// the next in the queue.
func TestQuotaQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		var quota []application.Application
		for range 4 {
			quota = append(quota, w.submit(t, school1, application.Quota))
		}
		catch := make([]application.Application, 7)
		for i := range catch {
			catch[i] = w.submit(t, school1, application.Catchment)
		}
		// The last quota applicant is accepted first; the order is the
		// server's receipt, not the staff's.
		for i := len(quota) - 1; i >= 0; i-- {
			if got := w.decide(t, w.school1, quota[i], admission.Decision{Action: admission.Accept}); got.Status != application.Waiting {
				t.Fatalf("quota accepted: %s", got.Status)
			}
		}
		if p, n, _ := db.QueuePlace(ctx, mustApp(t, db, quota[2])); p != 3 || n != 4 {
			t.Errorf("third in the queue is at %d of %d", p, n)
		}

		w.admit(t, w.school1, catch[0])
		w.admit(t, w.school1, catch[1])
		if s := w.status(t, quota[0]); s != application.Waiting {
			t.Fatalf("after two catchment admissions the first quota applicant is %s", s)
		}
		w.admit(t, w.school1, catch[2])
		if s := w.status(t, quota[0]); s != application.Referral {
			t.Fatalf("after three: %s, want a referral", s)
		}
		if s := w.status(t, quota[1]); s != application.Waiting {
			t.Errorf("the second quota applicant: %s", s)
		}
		if p, n, _ := db.QueuePlace(ctx, mustApp(t, db, quota[1])); p != 1 || n != 3 {
			t.Errorf("the second is now at %d of %d", p, n)
		}
		hist, _ := db.History(ctx, quota[0].ID)
		if c := hist[len(hist)-1]; c.Actor != application.ActorQueue {
			t.Errorf("the quota referral was given by %q", c.Actor)
		}

		// The first quota referral is not used: a week later it expires
		// and the next in the queue gets the seat.
		w.clock.Advance(8 * 24 * time.Hour)
		n, err := w.svc.ExpireDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != 4 { // three catchment referrals and one quota
			t.Errorf("%d referrals expired, want 4", n)
		}
		if s := w.status(t, quota[0]); s != application.Expired {
			t.Errorf("the first quota applicant after expiry: %s", s)
		}
		// Every catchment referral expired too, so no quota seat is open:
		// the second waits still, until three catchment children are
		// admitted again.
		if s := w.status(t, quota[1]); s != application.Waiting {
			t.Errorf("the second quota applicant: %s", s)
		}
		for _, c := range catch[3:6] {
			w.admit(t, w.school1, c)
		}
		if s := w.status(t, quota[1]); s != application.Referral {
			t.Errorf("the second quota applicant after three more admissions: %s", s)
		}
		if n, _ := w.svc.ExpireDue(ctx); n != 0 {
			t.Errorf("%d referrals expired at once again", n)
		}
	})
}

// TestQuotaCappedByCapacity: catchment children are admitted past the
// plan (an overflow), and then no quota seat opens.
func TestQuotaCappedByCapacity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		c := campaign.Default("almaty", 2027)
		c.ClassSize = 2 // full before the third catchment child, who opens the first quota seat
		if err := db.SaveCampaign(ctx, c, staff.AuditEntry{At: start, Actor: "test", Action: "campaign.save"}); err != nil {
			t.Fatal(err)
		}
		q := w.submit(t, school1, application.Quota)
		w.decide(t, w.school1, q, admission.Decision{Action: admission.Accept})
		for range 6 {
			w.admit(t, w.school1, w.submit(t, school1, application.Catchment))
		}
		if s := w.status(t, q); s != application.Waiting {
			t.Errorf("a quota applicant got %s with every seat taken", s)
		}
		seats, err := db.SchoolSeats(ctx, school1, 2027, 1)
		if err != nil {
			t.Fatal(err)
		}
		seats.ClassSize = c.ClassSize
		if seats.Catchment != 6 || seats.Overflow() != 4 || seats.Free() != 0 {
			t.Errorf("seats %+v: overflow %d, free %d", seats, seats.Overflow(), seats.Free())
		}
	})
}

// TestTwoStaffAtOnce: two staff deciding on one application at once: one
// wins, the other is told the status moved on.
func TestTwoStaffAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		a := w.submit(t, school1, application.Catchment)
		w.decide(t, w.school1, a, admission.Decision{Action: admission.Accept})
		var wg sync.WaitGroup
		errsOf := make([]error, 2)
		for i, d := range []admission.Decision{{Action: admission.Issue},
			{Action: admission.Refuse, Reason: "classes_full", Comment: "Мест нет."}} {
			wg.Go(func() {
				u := []staff.User{w.school1, w.op}[i]
				_, errsOf[i] = w.svc.Decide(ctx, u, a.ID, d, account.Client{})
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errsOf {
			switch {
			case err == nil:
				won++
			case errs.KindOf(err) != errs.Conflict:
				t.Errorf("the loser: %v, want a conflict", err)
			}
		}
		if won != 1 {
			t.Errorf("%d decisions won", won)
		}
	})
}

// TestNoSeatGivenTwice: many staff admitting catchment children at once,
// with quota applicants waiting: every quota seat opens once, goes to the
// earliest in the queue, and the plan is never passed by a quota seat.
func TestNoSeatGivenTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		const catchments, quotas = 36, 12 // one class of 25: 8 quota seats by the ratio, 0 by the free seats past 25
		var quota []application.Application
		for range quotas {
			a := w.submit(t, school1, application.Quota)
			w.decide(t, w.school1, a, admission.Decision{Action: admission.Accept})
			quota = append(quota, a)
		}
		var catch []application.Application
		for range catchments {
			a := w.submit(t, school1, application.Catchment)
			w.decide(t, w.school1, a, admission.Decision{Action: admission.Accept})
			catch = append(catch, a)
		}

		var wg sync.WaitGroup
		sem := make(chan struct{}, 12)
		failures := make(chan error, catchments)
		for i, a := range catch {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				u := []staff.User{w.school1, w.op}[i%2]
				if _, err := w.svc.Decide(ctx, u, a.ID, admission.Decision{Action: admission.Issue}, account.Client{}); err != nil {
					failures <- err
				}
			})
		}
		wg.Wait()
		close(failures)
		for err := range failures {
			t.Fatalf("concurrent referral: %v", err)
		}

		seats, err := db.SchoolSeats(ctx, school1, 2027, 1)
		if err != nil {
			t.Fatal(err)
		}
		seats.ClassSize = 25
		// Quota seats open one per three catchment admissions while the
		// plan has room: by the time the third catchment child of each
		// trio is admitted, the plan must still have a seat.
		got := 0
		for i, a := range quota {
			s := w.status(t, a)
			if s == application.Referral {
				got++
				if i > 0 && w.status(t, quota[i-1]) != application.Referral {
					t.Errorf("quota applicant %d has a seat before %d", i, i-1)
				}
			}
		}
		if got != seats.Quota || seats.Catchment != catchments {
			t.Fatalf("%d quota referrals, seats say %+v", got, seats)
		}
		// The rule, replayed one admission at a time: whatever order the
		// staff's clicks took, the seats given are the same.
		want := 0
		for k := 1; k <= catchments; k++ {
			want += max(0, min(k/3-want, seats.Planned()-k-want))
		}
		if got != want {
			t.Errorf("%d quota seats given for %d catchment admissions, want %d", got, catchments, want)
		}
	})
}

func mustApp(t *testing.T, db *store.DB, a application.Application) application.Application {
	t.Helper()
	got, err := db.Application(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}
