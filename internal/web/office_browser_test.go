package web_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sakura/internal/account"
	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/demo"
	"sakura/internal/notify"
	"sakura/internal/staff"
	"sakura/internal/web/webtest"
)

// shiftClock is the real time moved ahead by hand, so that codes of an
// authenticator app still match while days pass for the referrals.
type shiftClock struct {
	mu    sync.Mutex
	ahead time.Duration
}

func (c *shiftClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.ahead)
}

func (c *shiftClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ahead += d
}

// TestOfficeBrowser is the admission loop in Chromium: a school's staff
// member signs in with the second factor, accepts a catchment application
// and issues its referral; the parent finds it in the feed (with the SMS in
// the outbox), opens the referral card, which prints on one page, and its
// QR page verifies it; the staff member enrols the child and the personal
// file appears in the cabinet. A quota applicant sees her place, gets a
// referral once three catchment children are admitted, and loses it on
// expiry to the next in line. axe-core checks every page.
func TestOfficeBrowser(t *testing.T) {
	clock := &shiftClock{}
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces(), Now: clock.Now})
	seedStaff(t, s)
	b := webtest.NewBrowser(t)
	en := MustCatalog(t).Translator("en")
	ctx := context.Background()

	// The catchment application, filed without a browser as the grade-1
	// tests do; its parent's cabinet in a tab of her own.
	mother, phone, son := demoFamily(t)
	served, _ := MustPlaceCases(t)
	const password = "white mountain tea 2026"
	v := signUp(t, s, "en", mother, phone, password)
	base := walkGrade1(t, v, "en", son, served.query["en"])
	wantRedirect(t, v.post(t, base+"/submit", nil), base+"/done")
	mum := accountOf(t, s, mother)
	apps, _ := s.DB.Applications(ctx, mum)
	app := apps[0]
	schoolID := app.SchoolID

	// Staff: sign in with the password and the app's code.
	login := schoolLogin(schoolID)
	tab := b.NewTab(t)
	tab.Navigate(s.URL + "/kk/office")
	tab.MustBeAccessible()
	tab.Do(chromedp.SendKeys(chromedp.CSS("#login"), login), chromedp.SendKeys(chromedp.CSS("#password"), demo.StaffPassword))
	tab.Follow(chromedp.Click(chromedp.CSS("main form button[type=submit]")))
	tab.MustBeAccessible()
	code, _ := staff.Code(demo.StaffSecret(login), clock.Now())
	tab.Do(chromedp.SendKeys(chromedp.CSS("#code"), code))
	tab.Follow(chromedp.Click(chromedp.CSS("main form button[type=submit]")))
	if !strings.Contains(tab.Location(), "/kk/office/applications") {
		t.Fatalf("after the second factor: %s", tab.Location())
	}
	tab.MustBeAccessible()

	// The queue, the card: accept, then the referral.
	tab.Follow(chromedp.Click(chromedp.CSS(`table.queue a[href$="/applications/` + strconv.FormatInt(app.ID, 10) + `"]`)))
	tab.MustBeAccessible()
	tab.Follow(chromedp.Click(chromedp.CSS("#decide-accept")))
	tab.MustBeAccessible()
	tab.Follow(chromedp.Click(chromedp.CSS("#decide-referral")))
	tab.MustBeAccessible()
	number := tab.Text("#referral-number")
	if !strings.HasPrefix(number, "ALM-R-2027-") {
		t.Fatalf("no referral on the card: %q", number)
	}
	tab.Navigate(s.URL + "/kk/office/seats")
	tab.MustBeAccessible()

	// The parent: the feed, the SMS, the referral card and its check.
	// The fifth SMS: the code, the password note, received, accepted, the referral.
	if sms := messageTo(t, s, phone, 5); !strings.Contains(sms, number) {
		t.Errorf("the SMS %q does not name %s", sms, number)
	}
	parent := b.NewTab(t)
	signInBrowser(t, parent, s, "en", mother, password)
	if got := parent.Text(".feed"); !strings.Contains(got, number) {
		t.Errorf("the feed does not name the referral: %q", got)
	}
	parent.MustBeAccessible()
	parent.Follow(chromedp.Click(chromedp.CSS(`a[href="/en/cabinet/referrals"]`)))
	parent.MustBeAccessible()
	parent.Follow(chromedp.Click(chromedp.CSS(".referrals a")))
	parent.MustBeAccessible()
	pdf := runIn(t, parent, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
	if pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1)); pages != 1 {
		t.Errorf("the referral prints on %d pages, want 1", pages)
	}
	verify, _ := parent.Attr(".qr-link a", "href")
	check := b.NewTab(t)
	check.Navigate(s.URL + verify)
	if got := check.Text("#verdict"); got != en.T("verify.valid") {
		t.Errorf("the check page says %q", got)
	}
	check.MustBeAccessible()

	// Enrolment, and the personal file.
	tab.Navigate(s.URL + "/kk/office/applications/" + strconv.FormatInt(app.ID, 10))
	tab.Do(chromedp.SendKeys(chromedp.CSS("#class"), "Ә"))
	tab.Follow(chromedp.Click(chromedp.CSS("#decide-enrol")))
	tab.MustBeAccessible()
	parent.Navigate(s.URL + "/en/cabinet/files")
	if got := parent.Text(".pupil-file"); !strings.Contains(got, "1Ә") {
		t.Errorf("personal files: %q", got)
	}
	parent.MustBeAccessible()

	// The quota queue: two applicants wait at the school; three catchment
	// admissions open the first seat; an unused referral hands it on.
	var families [][3]string
	for _, fam := range schoolStarters(t, 3) {
		if fam[0] != mother && len(families) < 2 {
			families = append(families, fam)
		}
	}
	var quota []application.Application
	for i, fam := range families {
		signUp(t, s, "en", fam[0], fam[1], password)
		quota = append(quota, fileDirect(t, s, accountOf(t, s, fam[0]), fam[2], schoolID, application.Quota, i))
	}
	staffer, err := s.Staff.UserByLogin(ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	decide := func(a application.Application, d admission.Decision) {
		t.Helper()
		if _, err := s.Admission.Decide(ctx, staffer, a.ID, d, account.Client{}); err != nil {
			t.Fatalf("%s %s: %v", d.Action, a.Number, err)
		}
	}
	for _, q := range quota {
		decide(q, admission.Decision{Action: admission.Accept})
	}
	first := b.NewTab(t)
	signInBrowser(t, first, s, "en", families[0][0], password)
	first.Navigate(s.URL + "/en/cabinet/applications/" + strconv.FormatInt(quota[0].ID, 10))
	if got := first.Text("#queue-place"); got != en.T("queue.place", "Place", 1, "Waiting", 2) {
		t.Errorf("the first quota applicant's place: %q", got)
	}
	first.MustBeAccessible()

	// Two more catchment children, enrolled so that their seats stay taken.
	for i := range 2 {
		c := fileDirect(t, s, mum, fmt.Sprintf("catchment-%d", i), schoolID, application.Catchment, 10+i)
		decide(c, admission.Decision{Action: admission.Accept})
		decide(c, admission.Decision{Action: admission.Issue})
		decide(c, admission.Decision{Action: admission.Enrol, Class: "Б"})
	}
	first.Navigate(s.URL + "/en/cabinet/applications/" + strconv.FormatInt(quota[0].ID, 10))
	if got := first.Text("#status"); got != en.T("status.referral") {
		t.Errorf("after three catchment admissions the first quota applicant is %q", got)
	}
	if _, ok := first.Attr("#referral-link", "href"); !ok {
		t.Error("no link to the quota referral")
	}
	first.MustBeAccessible()
	if got := statusOf(t, s, quota[1]); got != application.Waiting {
		t.Errorf("the second quota applicant: %s", got)
	}

	// A week later the referral is unused: it expires, and the seat goes on.
	clock.Advance(8 * 24 * time.Hour)
	if n, err := s.Admission.ExpireDue(ctx); err != nil || n != 1 {
		t.Fatalf("%d referrals expired, %v; want the quota one", n, err)
	}
	if got := statusOf(t, s, quota[0]); got != application.Expired {
		t.Errorf("the first quota applicant after the expiry: %s", got)
	}
	if got := statusOf(t, s, quota[1]); got != application.Referral {
		t.Errorf("the second quota applicant after the expiry: %s", got)
	}
	second := b.NewTab(t)
	signInBrowser(t, second, s, "en", families[1][0], password)
	if got := second.Text(".feed"); !strings.Contains(got, "ALM-R-") {
		t.Errorf("the second applicant's feed names no referral: %q", got)
	}
	second.MustBeAccessible()
}

// runIn runs an action with a value in a tab.
func runIn[T any](t *testing.T, tab *webtest.Tab, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Context(), 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// signInBrowser signs a parent in to the cabinet with the password.
func signInBrowser(t *testing.T, tab *webtest.Tab, s *webtest.Server, lang, iin, password string) {
	t.Helper()
	tab.Navigate(s.URL + "/" + lang + "/cabinet")
	tab.Do(chromedp.SendKeys(chromedp.CSS("#iin"), iin), chromedp.SendKeys(chromedp.CSS("#password"), password))
	tab.Follow(chromedp.Click(chromedp.CSS("main form button[type=submit]")))
}

// fileDirect files a grade-1 application straight into the store, n
// seconds into the campaign's day, as a finished wizard would.
func fileDirect(t *testing.T, s *webtest.Server, accountID int64, child string, schoolID int64, basis application.Basis, n int) application.Application {
	t.Helper()
	ctx := context.Background()
	at := time.Now().Add(time.Duration(n) * time.Second)
	id := fmt.Sprintf("direct-%s-%d", child, n)
	ans := application.Answers{ChildIIN: child, ChildSurname: "Бекова", ChildName: "Аружан", SchoolID: schoolID,
		Basis: basis, Language: "kk", Channel: "sms", NotifyLang: "en"}
	if err := s.DB.SaveDraft(ctx, application.Draft{ID: id, City: "almaty", Kind: application.Grade1, AccountID: accountID,
		Answers: ans, CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	a, _, err := s.DB.Submit(ctx, application.Submission{DraftID: id, City: "almaty", CityCode: "ALM", Kind: application.Grade1,
		Year: 2027, Basis: basis, Account: accountID, Child: ans.ChildKey(), SchoolID: schoolID, Answers: ans, At: at,
		Event: notify.Event{Kind: "application_submitted"}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// statusOf reads an application's status now.
func statusOf(t *testing.T, s *webtest.Server, a application.Application) application.Status {
	t.Helper()
	got, err := s.DB.Application(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got.Status
}

// TestOfficePagesBrowser opens every page of the back office in Chromium,
// in each language, as the role it is for, with a refusal shown where the
// page has a form, on a phone's width: axe-core finds no violation and no
// page is wider than the screen.
func TestOfficePagesBrowser(t *testing.T) {
	f := newOfficeFixture(t)
	b := webtest.NewBrowser(t)
	app := strconv.FormatInt(f.app, 10)
	school := strconv.FormatInt(f.schoolA, 10)
	signIn := func(tab *webtest.Tab, login string) {
		t.Helper()
		tab.Navigate(f.s.URL + "/en/office")
		tab.Do(chromedp.SendKeys(chromedp.CSS("#login"), login), chromedp.SendKeys(chromedp.CSS("#password"), demo.StaffPassword))
		tab.Follow(chromedp.Click(chromedp.CSS("main form button[type=submit]")))
		tab.Do(chromedp.SendKeys(chromedp.CSS("#code"), freshCode(t, login)))
		tab.Follow(chromedp.Click(chromedp.CSS("main form button[type=submit]")))
	}
	roles := map[string]*webtest.Tab{}
	for _, login := range []string{schoolLogin(f.schoolA), demo.StaffPrefix + "operator-almaty", demo.StaffPrefix + "admin"} {
		tab := b.NewTab(t)
		tab.Do(chromedp.EmulateViewport(390, 844))
		signIn(tab, login)
		roles[login] = tab
	}
	staffTab, opTab, adminTab := roles[schoolLogin(f.schoolA)], roles[demo.StaffPrefix+"operator-almaty"], roles[demo.StaffPrefix+"admin"]

	for _, lang := range []string{"kk", "ru", "en"} {
		for _, p := range []struct {
			tab    *webtest.Tab
			path   string
			submit string // a form to send empty, for its refusals
		}{
			{staffTab, "/office/applications", ""},
			{staffTab, "/office/applications/" + app, "form.refuse button"},
			{staffTab, "/office/seats", ""},
			{staffTab, "/office/school", "main form.cabinet-form button"},
			{opTab, "/office/applications?status=submitted", ""},
			{opTab, "/office/seats", ""},
			{opTab, "/office/school?school=" + school, ""},
			{opTab, "/office/campaign", ""},
			{opTab, "/office/catchments", ""},
			{opTab, "/office/audit", ""},
			{adminTab, "/office/users", "main form.cabinet-form button"},
		} {
			p.tab.Navigate(f.s.URL + "/" + lang + p.path)
			p.tab.MustBeAccessible()
			if wide := webtest.Eval[bool](p.tab, `document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`); wide {
				t.Errorf("%s %s is wider than a phone", lang, p.path)
			}
			if p.submit != "" {
				p.tab.Follow(chromedp.Click(chromedp.CSS(p.submit)))
				p.tab.MustBeAccessible()
			}
		}
	}
}
