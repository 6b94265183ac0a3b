package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"sakura/internal/account"
	"sakura/internal/application"
	"sakura/internal/demo"
	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/staff"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

// TestOfficeTwoProcesses runs two `sakura serve -demo` on one PostgreSQL
// database and has two staff members, each on a process of their own,
// admit the catchment children of one school at once, while quota
// applicants wait: every quota seat is given once, in the order of
// receipt, as the rule replayed one admission at a time says; and two
// decisions on one application, one on each process, leave one winner.
func TestOfficeTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the full demo")
	}
	dsn := storetest.PostgresDSN(t)
	var procs [2]string
	for i := range procs {
		base, stop := mustServe(t, "-addr", "127.0.0.1:0", "-db", dsn, "-demo")
		t.Cleanup(func() {
			if err := stop(); err != nil {
				t.Errorf("serve %c after shutdown: %v", 'A'+i, err)
			}
		})
		procs[i] = base
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// One school of Almaty, its staff on A and the city's operator on B.
	schoolID := demo.Cities()[0].Schools[0].ID
	logins := [2]string{fmt.Sprintf("%sschool-%d", demo.StaffPrefix, schoolID), demo.StaffPrefix + "operator-almaty"}
	var sessions [2]*http.Cookie
	for i, login := range logins {
		sessions[i] = officeSignIn(t, procs[i], login)
	}

	// The applications: quota ones first, then the catchment children.
	acc := parentAccount(t, db)
	const catchments, quotas = 30, 12 // more waiting than the ratio opens seats for
	var quota, catch []application.Application
	for i := range quotas {
		quota = append(quota, fileApplication(t, db, acc, fmt.Sprintf("quota-%d", i), schoolID, application.Quota, i))
	}
	for i := range catchments {
		catch = append(catch, fileApplication(t, db, acc, fmt.Sprintf("catch-%d", i), schoolID, application.Catchment, quotas+i))
	}
	decide := func(proc int, a application.Application, action string) int {
		resp, err := send(http.MethodPost, procs[proc], fmt.Sprintf("en/office/applications/%d/decide", a.ID),
			url.Values{"action": {action}}, sessions[proc])
		if err != nil {
			t.Error(err)
			return 0
		}
		return resp.status
	}
	for i, a := range append(append([]application.Application{}, quota...), catch...) {
		if got := decide(i%2, a, "accept"); got != http.StatusSeeOther {
			t.Fatalf("accept %s: %d", a.Number, got)
		}
	}

	// Both staff issue the referrals at once, each on their process.
	var wg sync.WaitGroup
	failed := make(chan string, catchments)
	for i, a := range catch {
		wg.Go(func() {
			if got := decide(i%2, a, "referral"); got != http.StatusSeeOther {
				failed <- fmt.Sprintf("referral %s on %c: %d", a.Number, 'A'+i%2, got)
			}
		})
	}
	wg.Wait()
	close(failed)
	for f := range failed {
		t.Error(f)
	}

	given := 0
	for i, a := range quota {
		got, err := db.Application(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == application.Referral {
			given++
			if i > 0 {
				if prev, _ := db.Application(ctx, quota[i-1].ID); prev.Status != application.Referral {
					t.Errorf("quota applicant %d has a seat before %d", i, i-1)
				}
			}
		}
	}
	seats, err := db.SchoolSeats(ctx, schoolID, 2027, 1)
	if err != nil {
		t.Fatal(err)
	}
	camp, err := db.Campaign(ctx, "almaty", 2027)
	if err != nil {
		t.Fatal(err)
	}
	seats.ClassSize = camp.ClassSize
	want := 0
	for k := 1; k <= catchments; k++ {
		want += max(0, min(k/camp.QuotaRatio-want, seats.Planned()-k-want, quotas-want))
	}
	if given != want || seats.Quota != want || seats.Catchment != catchments {
		t.Errorf("%d quota referrals (seats say %+v), want %d for %d catchment admissions", given, seats, want, catchments)
	}

	// Two decisions on one application at once, on the two processes.
	last := fileApplication(t, db, acc, "contested", schoolID, application.Catchment, 100)
	decide(0, last, "accept")
	statuses := make([]int, 2)
	for i := range 2 {
		wg.Go(func() { statuses[i] = decide(i, last, []string{"referral", "accept"}[i]) })
	}
	wg.Wait()
	if statuses[0] != http.StatusSeeOther || statuses[1] != http.StatusConflict {
		t.Errorf("two decisions at once answered %v, want [303 409]", statuses)
	}
}

// officeSignIn signs a demo staff member in on a process, password and
// code, and returns the session cookie.
func officeSignIn(t *testing.T, base, login string) *http.Cookie {
	t.Helper()
	resp := mustSend(t, http.MethodPost, base, "en/office/signin",
		url.Values{"login": {login}, "password": {demo.StaffPassword}})
	wantRedirect(t, "office sign-in", resp, "/en/office/factor")
	pending := resp.cookie(t, "sakura_office_pending")
	code, err := staff.Code(demo.StaffSecret(login), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp = mustSend(t, http.MethodPost, base, "en/office/factor", url.Values{"code": {code}}, pending)
	if resp.status != http.StatusSeeOther {
		t.Fatalf("second factor of %s: %d %.300s", login, resp.status, resp.body)
	}
	return resp.cookie(t, "sakura_office")
}

// parentAccount makes the account the test's applications belong to.
func parentAccount(t *testing.T, db *store.DB) int64 {
	t.Helper()
	p := demoParent(t, "almaty")
	var id int64
	err := db.Tx(context.Background(), func(tx account.Tx) error {
		var err error
		id, err = tx.CreateAccount(context.Background(), account.Account{IIN: p.iin, Phone: p.phone, Lang: i18n.RU,
			NotifySMS: true, CreatedAt: time.Now()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// fileApplication files a grade-1 application of a child straight into
// the store, n milliseconds into the campaign, as a finished wizard would.
func fileApplication(t *testing.T, db *store.DB, acc int64, child string, schoolID int64, basis application.Basis, n int) application.Application {
	t.Helper()
	ctx := context.Background()
	at := time.Now().Add(time.Duration(n) * time.Millisecond)
	ans := application.Answers{ChildIIN: child, ChildSurname: "Бекова", ChildName: "Аружан", SchoolID: schoolID,
		Basis: basis, Language: "kk", Channel: "sms", NotifyLang: string(i18n.RU)}
	id := "office-" + child + "-" + strconv.Itoa(n)
	if err := db.SaveDraft(ctx, application.Draft{ID: id, City: "almaty", Kind: application.Grade1, AccountID: acc,
		Answers: ans, CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	a, _, err := db.Submit(ctx, application.Submission{DraftID: id, City: "almaty", CityCode: "ALM", Kind: application.Grade1,
		Year: 2027, Basis: basis, Account: acc, Child: ans.ChildKey(), SchoolID: schoolID, Answers: ans, At: at,
		Event: notify.Event{Kind: "application_submitted"}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}
