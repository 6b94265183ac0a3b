package admission_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sakura/internal/account"
	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/school"
	"sakura/internal/social"
	"sakura/internal/staff"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

// submitOf files an application of a kind for a new child, one second
// after the last, with the kind's own answers (grade, profile, shift…)
// and returns it.
func (w *world) submitOf(t testing.TB, kind application.Kind, ans application.Answers) application.Application {
	t.Helper()
	w.seq++
	at := start.Add(time.Duration(w.seq) * time.Second)
	id := fmt.Sprintf("draft-%s-%d", kind, w.seq)
	ans.ChildIIN, ans.ChildSurname, ans.ChildName = fmt.Sprintf("child-%04d", w.seq), "Сейітов", fmt.Sprintf("Бала %d", w.seq)
	if ans.ChildBirthDate.IsZero() {
		ans.ChildBirthDate = time.Date(2011, 3, 15, 0, 0, 0, 0, time.UTC)
	}
	ans.Language, ans.Channel, ans.NotifyLang = "kk", "sms", "ru"
	ctx := context.Background()
	if err := w.db.SaveDraft(ctx, application.Draft{ID: id, City: "almaty", Kind: kind, AccountID: w.parent,
		Answers: ans, CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	a, _, err := w.db.Submit(ctx, application.Submission{DraftID: id, City: "almaty", CityCode: "ALM", Kind: kind,
		Year: 2027, Account: w.parent, Child: ans.ChildKey(), SchoolID: ans.SchoolID, Answers: ans, At: at,
		Event: notify.Event{Kind: "application_submitted"}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// shift adds a camp of the city with one shift of seats for children of
// 7 to 14 in June, and returns the shift's id.
func (w *world) shift(t testing.TB, seats int) int64 {
	t.Helper()
	ctx := context.Background()
	audit := staff.AuditEntry{At: start, Actor: "test", City: "almaty", Action: "camp.save"}
	campID, err := w.db.SaveCamp(ctx, social.Camp{City: "almaty", Kind: social.OutOfTown, Address: "Талгарский район",
		Name: i18n.Text{KK: "«Балдәурен» лагері", RU: "Лагерь «Балдаурен»", EN: "Baldauren camp"}}, audit)
	if err != nil {
		t.Fatal(err)
	}
	id, err := w.db.SaveShift(ctx, "almaty", social.Shift{CampID: campID, Number: 1,
		Starts: time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), Ends: time.Date(2027, 6, 21, 0, 0, 0, 0, time.UTC),
		Seats: seats, AgeMin: 7, AgeMax: 14}, audit)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// acceptedCamp files a camp application for a child of twelve for a
// shift, has the operator accept it, and returns it.
func (w *world) acceptedCamp(t testing.TB, shiftID int64) application.Application {
	t.Helper()
	sh, _, err := w.db.Shift(context.Background(), "almaty", shiftID)
	if err != nil {
		t.Fatal(err)
	}
	a := w.submitOf(t, application.Camp, application.Answers{CampID: sh.CampID, ShiftID: shiftID,
		Category: "low_income", ChildBirthDate: time.Date(2015, 2, 10, 0, 0, 0, 0, time.UTC)})
	w.decide(t, w.op, a, admission.Decision{Action: admission.Accept})
	return a
}

// atOnce runs do(i) for i in [0, n) from many goroutines released
// together, at most eight at a time as a busy office's staff would, and
// returns each call's error.
func atOnce(n int, do func(i int) error) []error {
	out := make([]error, n)
	var wg sync.WaitGroup
	release := make(chan struct{})
	sem := make(chan struct{}, 8)
	for i := range n {
		wg.Go(func() {
			<-release
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i] = do(i)
		})
	}
	close(release)
	wg.Wait()
	return out
}

// noPlaces reports whether err is the refusal of a slip or voucher with
// no place free.
func noPlaces(err error) bool {
	var e *errs.Error
	return errors.As(err, &e) && e.Kind == errs.Conflict && e.Key == "admission.no_places"
}

// tally counts the calls that succeeded and fails the test for any error
// but a refusal for want of places.
func tally(t *testing.T, results []error) (won, refused int) {
	t.Helper()
	for _, err := range results {
		switch {
		case err == nil:
			won++
		case noPlaces(err):
			refused++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	return won, refused
}

// statuses counts the applications of each status now.
func (w *world) statuses(t testing.TB, apps []application.Application) map[application.Status]int {
	t.Helper()
	out := map[application.Status]int{}
	for _, a := range apps {
		out[w.status(t, a)]++
	}
	return out
}

// placesOf reads the places of a school (a shift) as the wizard and the
// office's card show them.
func (w *world) placesOf(t testing.TB, q admission.PlaceQuery, id int64) admission.Places {
	t.Helper()
	q.City, q.Year = "almaty", 2027
	m, err := w.svc.Places(context.Background(), q, []int64{id})
	if err != nil {
		t.Fatal(err)
	}
	return m[id]
}

// TestCampVoucherGivenOnce: a shift of five seats and fifteen accepted
// camp applications; the operator's clicks issue vouchers all at once:
// five vouchers exist afterwards, numbered without a gap, the ten others
// are refused for want of places, and the shift is exactly full.
func TestCampVoucherGivenOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		const seats, apps = 5, 15
		shiftID := w.shift(t, seats)
		var camp []application.Application
		for range apps {
			camp = append(camp, w.acceptedCamp(t, shiftID))
		}

		won, refused := tally(t, atOnce(apps, func(i int) error {
			_, err := w.svc.Decide(ctx, w.op, camp[i].ID, admission.Decision{Action: admission.Issue}, account.Client{})
			return err
		}))
		if won != seats || refused != apps-seats {
			t.Errorf("%d vouchers issued and %d refused for want of places, want %d and %d", won, refused, seats, apps-seats)
		}
		if got := w.statuses(t, camp); got[application.Voucher] != seats || got[application.Accepted] != apps-seats {
			t.Errorf("statuses after the clicks: %v", got)
		}
		var numbers []string
		for _, a := range camp {
			if r, err := db.ApplicationReferral(ctx, a.ID); err == nil {
				if r.Kind != admission.RefVoucher || r.ShiftID != shiftID {
					t.Errorf("voucher %s: kind %s, shift %d", r.Number, r.Kind, r.ShiftID)
				}
				numbers = append(numbers, r.Number)
			} else if !errors.Is(err, errs.ErrNotFound) {
				t.Fatal(err)
			}
		}
		slices.Sort(numbers)
		var want []string
		for i := range seats {
			want = append(want, fmt.Sprintf("ALM-V-2027-%05d", i+1))
		}
		if !slices.Equal(numbers, want) {
			t.Errorf("vouchers %q, want %q", numbers, want)
		}
		if p := w.placesOf(t, admission.PlaceQuery{Kind: application.Camp}, shiftID); p.Planned != seats || p.Taken != seats {
			t.Errorf("the shift's places %+v, want %d of %d taken", p, seats, seats)
		}
		if taken, err := db.VouchersTaken(ctx, "almaty"); err != nil || taken[shiftID] != seats {
			t.Errorf("vouchers taken %v, %v", taken, err)
		}
	})
}

// TestGrade10SeatsInOrder: one grade-10 class of natural mathematics (25
// seats) and forty applicants for it, with five for social humanities,
// which has no class; school staff and the operator accept them all at
// once. Twenty-five referrals are given and no more; the audit log,
// replayed in the order it was written, shows each seat going to the
// earliest received of those waiting at that moment; the other profile
// gets none.
func TestGrade10SeatsInOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		profile := admission.PlaceQuery{Kind: application.Grade10, Grade: 10, Profile: school.ProfileNaturalMath}
		places := w.placesOf(t, profile, school1).Free()
		if places != 25 {
			t.Fatalf("%d places of the profile, want one class of 25", places)
		}
		const applicants, others = 40, 5
		var nm, sh, all []application.Application
		for i := range applicants + others {
			p := school.ProfileNaturalMath
			if i%9 == 4 { // the other stream's applicants come in between
				p = school.ProfileSocialHumanities
			}
			a := w.submitOf(t, application.Grade10, application.Answers{SchoolID: school1, Grade: 10, Profile: p,
				Certificate: fmt.Sprintf("ЖББ-%07d", w.seq+1), CertificateYear: 2027})
			if p == school.ProfileNaturalMath {
				nm = append(nm, a)
			} else {
				sh = append(sh, a)
			}
			all = append(all, a)
		}
		if len(nm) != applicants || len(sh) != others {
			t.Fatalf("%d and %d applicants", len(nm), len(sh))
		}

		results := atOnce(len(all), func(i int) error {
			// From the last received to the first, by two staff.
			a := all[len(all)-1-i]
			_, err := w.svc.Decide(ctx, []staff.User{w.school1, w.op}[i%2], a.ID, admission.Decision{Action: admission.Accept},
				account.Client{})
			return err
		})
		for i, err := range results {
			if err != nil {
				t.Errorf("accepting %s: %v", all[len(all)-1-i].Number, err)
			}
		}
		if got := w.statuses(t, nm); got[application.Referral] != places || got[application.Waiting] != applicants-places {
			t.Errorf("the profile's applicants: %v, want %d referrals", got, places)
		}
		if got := w.statuses(t, sh); got[application.Waiting] != others {
			t.Errorf("the other profile's applicants: %v, want all waiting", got)
		}
		if p := w.placesOf(t, profile, school1); p.Free() != 0 || p.Taken != places {
			t.Errorf("the profile's places afterwards %+v", p)
		}
		replayQueue(t, db, all)
	})
}

// replayQueue reads the audit log of apps in the order it was written
// (every change under the school's guard) and checks that each referral
// the queue gave went to the earliest received of those then waiting of
// its profile.
func replayQueue(t *testing.T, db *store.DB, apps []application.Application) {
	t.Helper()
	lines, _, err := db.OfficeAudit(context.Background(), staff.AuditFilter{City: "almaty", Action: "application.", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(lines)
	byID := map[int64]application.Application{}
	for _, a := range apps {
		byID[a.ID] = a
	}
	waiting := map[string][]application.Application{} // by profile, in the order of receipt
	given := 0
	for _, l := range lines {
		id, _ := strconv.ParseInt(strings.TrimPrefix(l.Object, "application:"), 10, 64)
		a, ok := byID[id]
		if !ok {
			continue
		}
		queue := waiting[a.Answers.Profile]
		switch {
		case l.Action == "application.accept":
			i, _ := slices.BinarySearchFunc(queue, a, func(x, y application.Application) int { return x.ReceivedAt.Compare(y.ReceivedAt) })
			waiting[a.Answers.Profile] = slices.Insert(queue, i, a)
		case l.Action == "application.referral" && l.Actor == application.ActorQueue:
			given++
			if len(queue) == 0 || queue[0].ID != a.ID {
				t.Errorf("a seat went to %s while %d waited before it", a.Number, slices.IndexFunc(queue,
					func(x application.Application) bool { return x.ID == a.ID }))
				continue
			}
			waiting[a.Answers.Profile] = queue[1:]
		}
	}
	if given == 0 {
		t.Error("the audit log shows no seat given by the queue")
	}
}

// TestTransferSlipsGivenOnce: a school's free places in grade 5 and more
// accepted transfers than places; the school's staff and the operator
// issue slips all at once: the slips given equal the free places, the
// rest are refused for want of places, and none are left.
func TestTransferSlipsGivenOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		q := admission.PlaceQuery{Kind: application.Transfer, Grade: 5}
		free := w.placesOf(t, q, school1).Free()
		// No plan for grade 5: 600 pupils of capacity and 500 pupils
		// spread over eleven grades make 3 classes of 25 less 45 pupils.
		if free != 30 {
			t.Fatalf("%d free places in grade 5, want 30", free)
		}
		apps := free + 12
		var transfers []application.Application
		for range apps {
			a := w.submitOf(t, application.Transfer, application.Answers{SchoolID: school1, FromSchoolID: school2,
				Grade: 5, Grounds: "move_city", ChildBirthDate: time.Date(2016, 5, 20, 0, 0, 0, 0, time.UTC)})
			w.decide(t, w.school1, a, admission.Decision{Action: admission.Accept})
			transfers = append(transfers, a)
		}

		won, refused := tally(t, atOnce(apps, func(i int) error {
			_, err := w.svc.Decide(ctx, []staff.User{w.school1, w.op}[i%2], transfers[i].ID,
				admission.Decision{Action: admission.Issue}, account.Client{})
			return err
		}))
		if won != free || refused != apps-free {
			t.Errorf("%d slips issued and %d refused for want of places, want %d and %d", won, refused, free, apps-free)
		}
		if got := w.statuses(t, transfers); got[application.Referral] != free || got[application.Accepted] != apps-free {
			t.Errorf("statuses after the clicks: %v", got)
		}
		if p := w.placesOf(t, q, school1); p.Free() != 0 || p.Taken != p.Planned {
			t.Errorf("grade 5's places afterwards %+v", p)
		}
		// The other school's grade 5 is untouched.
		if p := w.placesOf(t, q, school2); p.Free() != free {
			t.Errorf("the other school's places %+v", p)
		}
	})
}

// TestExpiryHandsSeatOnOnce: a full grade-10 class of natural mathematics
// with fifteen waiting; twenty of the referrals are used and five expire
// while four processes let referrals expire at once and staff accept five
// late applicants. The five seats go to the five earliest waiting, once
// each: the class is full again, not over, and the late wait behind.
func TestExpiryHandsSeatOnOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		profile := admission.PlaceQuery{Kind: application.Grade10, Grade: 10, Profile: school.ProfileNaturalMath}
		const places, applicants, used = 25, 40, 20
		var apps []application.Application
		for range applicants {
			a := w.submitOf(t, application.Grade10, application.Answers{SchoolID: school1, Grade: 10,
				Profile: school.ProfileNaturalMath, Certificate: fmt.Sprintf("ЖББ-%07d", w.seq+1), CertificateYear: 2027})
			w.decide(t, w.school1, a, admission.Decision{Action: admission.Accept})
			apps = append(apps, a)
		}
		// Accepted one by one in the order of receipt: the first 25 have
		// the seats.
		for i, a := range apps {
			if want := map[bool]application.Status{true: application.Referral, false: application.Waiting}[i < places]; w.status(t, a) != want {
				t.Fatalf("applicant %d is %s, want %s", i, w.status(t, a), want)
			}
		}
		for _, a := range apps[:used] {
			w.decide(t, w.school1, a, admission.Decision{Action: admission.Enrol, Class: "А"})
		}

		// Five more apply late; they are accepted while the expiries run,
		// and come behind the fifteen already waiting.
		var late []application.Application
		for range 5 {
			late = append(late, w.submitOf(t, application.Grade10, application.Answers{SchoolID: school1, Grade: 10,
				Profile: school.ProfileNaturalMath, Certificate: fmt.Sprintf("ЖББ-%07d", w.seq+1), CertificateYear: 2027}))
		}

		w.clock.Advance(8 * 24 * time.Hour)
		const processes = 4
		var expired atomic.Int64
		for _, err := range atOnce(processes+len(late), func(i int) error {
			if i >= processes {
				_, err := w.svc.Decide(ctx, w.school1, late[i-processes].ID, admission.Decision{Action: admission.Accept},
					account.Client{})
				return err
			}
			n, err := w.svc.ExpireDue(ctx)
			expired.Add(int64(n))
			return err
		}) {
			if err != nil {
				t.Fatal(err)
			}
		}
		apps = append(apps, late...)
		if n := expired.Load(); n != places-used {
			t.Errorf("%d referrals expired, want %d", n, places-used)
		}
		got := map[application.Status][]int{}
		for i, a := range apps {
			s := w.status(t, a)
			got[s] = append(got[s], i)
		}
		want := map[application.Status][]int{
			application.Enrolled: seq(0, used),
			application.Expired:  seq(used, places),
			application.Referral: seq(places, places+places-used),
			application.Waiting:  seq(places+places-used, len(apps)),
		}
		for s, idx := range want {
			if !slices.Equal(got[s], idx) {
				t.Errorf("%s: applicants %v, want %v", s, got[s], idx)
			}
		}
		if p := w.placesOf(t, profile, school1); p.Taken != places {
			t.Errorf("the profile's places after expiry %+v, want %d taken", p, places)
		}
		for _, a := range apps[places : places+places-used] {
			hist, err := db.History(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(hist); n != 3 || hist[n-1].Actor != application.ActorQueue || hist[n-2].Status != application.Waiting {
				t.Errorf("%s's timeline %+v, want one referral from the queue after waiting", a.Number, hist)
			}
		}
		if n, err := w.svc.ExpireDue(ctx); n != 0 || err != nil {
			t.Errorf("a second round expired %d: %v", n, err)
		}
	})
}

// seq is the integers of [from, to).
func seq(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}
