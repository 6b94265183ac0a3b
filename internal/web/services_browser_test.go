package web_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"sakura/internal/application"
	"sakura/internal/demo"
	"sakura/internal/document/documenttest"
	"sakura/internal/i18n"
	"sakura/internal/social"
	"sakura/internal/staff"
	"sakura/internal/web/webtest"
)

// browserService is how one service's wizard is walked in Chromium: the
// language it is filed in, the child's birth year from the campaign's, and
// what the steps particular to it are answered with.
type browserService struct {
	kind   application.Kind
	lang   i18n.Lang
	age    int           // the child's age in the campaign's year
	decide []string      // the office's buttons, in order
	staff  func() string // the login of the staff member who decides
	status application.Status
}

// TestServicesBrowser: for each of the five services, a demo parent
// completes the wizard in Chromium in one language, signing in on the way,
// and reaches its first step in the other two; a staff member of the right
// role decides in the office; the parent reads the decision in the feed,
// with the SMS in the outbox, and on the child's timeline. axe-core checks
// every page.
func TestServicesBrowser(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces()})
	seedStaff(t, s)
	schoolYear, grade10Year := openServices(t, s)
	b := webtest.NewBrowser(t)
	cat := MustCatalog(t)
	served, _ := MustPlaceCases(t)
	far := farthest(served.school)

	// The files a parent uploads: a real JPEG photo and PDFs.
	dir := t.TempDir()
	photo, scan := filepath.Join(dir, "photo.jpg"), filepath.Join(dir, "scan.pdf")
	if err := os.WriteFile(photo, documenttest.JPEG(900, 1200), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(scan, documenttest.PDF("A scan"), 0o600); err != nil {
		t.Fatal(err)
	}

	// A camp whose first shift takes children of 10 to 14.
	ctx := context.Background()
	now := time.Now()
	starts := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 2, 0)
	campID, err := s.DB.SaveCamp(ctx, social.Camp{City: "almaty", Kind: social.SchoolBased, Address: "Абая 10",
		Name: i18n.Text{KK: "«Алатау» мектеп лагері", RU: "Пришкольный лагерь «Алатау»", EN: "Alatau school camp"}},
		staff.AuditEntry{At: now, Actor: "test", City: "almaty", Action: "camp.save"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.SaveShift(ctx, "almaty", social.Shift{CampID: campID, Number: 1, Starts: starts, Ends: starts.AddDate(0, 0, 20),
		Seats: 30, AgeMin: 10, AgeMax: 14}, staff.AuditEntry{At: now, Actor: "test", City: "almaty", Action: "shift.save"}); err != nil {
		t.Fatal(err)
	}

	operator := func() string { return demo.StaffPrefix + "operator-almaty" }
	services := []browserService{
		{kind: application.Transfer, lang: i18n.KK, age: 10, decide: []string{"accept", "referral"}, status: application.Referral},
		{kind: application.Grade10, lang: i18n.EN, age: 16, decide: []string{"accept"}, status: application.Referral},
		{kind: application.Meals, lang: i18n.RU, age: 12, decide: []string{"accept", "grant"}, status: application.Granted},
		{kind: application.Camp, lang: i18n.EN, age: 12, decide: []string{"accept", "referral"}, status: application.Voucher,
			staff: operator},
		{kind: application.Transport, lang: i18n.KK, age: 13, decide: []string{"accept", "grant"}, status: application.Granted,
			staff: operator},
	}
	for i, svc := range services {
		t.Run(string(svc.kind), func(t *testing.T) {
			year := schoolYear
			if svc.kind == application.Grade10 {
				year = grade10Year
			}
			f := families(t, year-svc.age, 3+i, 1)[0]
			parent, phone, child := f[0], f[1], f[2]
			l := string(svc.lang)
			tr := cat.Translator(svc.lang)
			tab := b.NewTab(t)
			submit := chromedp.Click(chromedp.CSS("main form button[type=submit]"))

			// The first step in the other two languages.
			for _, other := range []string{"kk", "ru", "en"} {
				if other == l {
					continue
				}
				tab.Navigate(s.URL + "/" + other + "/almaty/apply/" + string(svc.kind))
				tab.MustBeAccessible()
				tab.Follow(submit)
				if !strings.HasSuffix(tab.Location(), "/consents") {
					t.Fatalf("%s: the start page leads to %s", other, tab.Location())
				}
				tab.MustBeAccessible()
			}

			tab.Navigate(s.URL + "/" + l + "/almaty/apply/" + string(svc.kind))
			tab.MustBeAccessible()
			tab.Follow(submit)
			for step := 0; step < 20; step++ {
				loc := tab.Location()
				name := loc[strings.LastIndex(loc, "/")+1:]
				tab.MustBeAccessible()
				switch name {
				case application.StepConsents:
					tab.Do(
						chromedp.Click(chromedp.CSS("#consent-personal_data")), chromedp.Click(chromedp.CSS("#consent-registry_check")),
						chromedp.Click(chromedp.CSS("#consent-true_data")), chromedp.Click(chromedp.CSS("#consent-notifications")),
					)
				case application.StepIdentity:
					if webtest.Eval[bool](tab, `!!document.querySelector("a#identity")`) {
						signUpOnTheWay(t, tab, s, parent, phone, "алма ағашы гүлдеді "+l)
						continue // back on the identity step, signed in
					}
				case application.StepChild:
					tab.Do(chromedp.Click(chromedp.CSS("#mode-iin")), chromedp.SendKeys(chromedp.CSS("#child_iin"), child))
				case application.StepDocuments:
					ids := webtest.Eval[[]string](tab, `[...document.querySelectorAll("main input[type=file]")].map(e => e.id)`)
					for _, id := range ids {
						file := scan
						if id == "photo" {
							file = photo
						}
						tab.Do(chromedp.SetUploadFiles(chromedp.CSS("#"+id), []string{file}))
					}
				case application.StepCurrent:
					from := served.school
					if svc.kind == application.Transport {
						from = far
					}
					if svc.kind == application.Transfer {
						tab.Do(chromedp.Click(chromedp.CSS("#where-here")))
					}
					grade := strconv.Itoa(svc.age - 5)
					tab.Do(chromedp.SetValue(chromedp.CSS("#from_school"), strconv.FormatInt(from, 10)),
						chromedp.SetValue(chromedp.CSS("#grade"), grade))
					if svc.kind == application.Transport {
						tab.Do(chromedp.Click(chromedp.CSS("#year-" + strconv.Itoa(schoolYear))))
					}
				case application.StepAddress, application.StepPickup:
					tab.Do(chromedp.SendKeys(chromedp.CSS("#address"), served.query[l]), chromedp.KeyEvent(kb.Escape))
					if name == application.StepAddress {
						tab.Do(chromedp.Click(chromedp.CSS("#language-ru")))
					}
				case application.StepSchool:
					tab.Do(chromedp.Click(chromedp.CSS(`input[name="school"]`)))
				case application.StepGrounds:
					tab.Do(chromedp.Click(chromedp.CSS("#grounds-move_city")))
				case application.StepProfile:
					tab.Do(chromedp.Click(chromedp.CSS("#grade-11")), chromedp.Click(chromedp.CSS("#profile-natural_math")))
				case application.StepCertificate:
					tab.Do(chromedp.SendKeys(chromedp.CSS("#certificate"), "ЖОБ 0012345"),
						chromedp.SendKeys(chromedp.CSS("#certificate_year"), strconv.Itoa(grade10Year-1)),
						chromedp.SetUploadFiles(chromedp.CSS("#certificate_scan"), []string{scan}))
				case application.StepCategory:
					tab.Do(chromedp.Click(chromedp.CSS("#category-social_assistance")),
						chromedp.SetUploadFiles(chromedp.CSS("#proof"), []string{scan}))
				case application.StepCamp:
					tab.Do(chromedp.Click(chromedp.CSS(`input[name="shift"]`)))
				case application.StepCheck:
					tab.Follow(chromedp.Click(chromedp.CSS("#submit")))
				}
				if name == application.StepCheck {
					break
				}
				tab.Follow(submit)
				if after := tab.Location(); after == loc {
					t.Fatalf("step %s did not go on: %q", name, tab.Text("main"))
				}
			}
			if !strings.HasSuffix(tab.Location(), "/done") {
				t.Fatalf("the wizard ends at %s: %q", tab.Location(), tab.Text("main"))
			}
			tab.MustBeAccessible()
			number := tab.Text(".number")
			wantMessage(t, s, phone, number)

			// The office decides.
			apps, err := s.DB.Applications(ctx, accountOf(t, s, parent))
			if err != nil || len(apps) != 1 {
				t.Fatalf("%d applications, %v", len(apps), err)
			}
			app := apps[0]
			login := schoolLogin(app.SchoolID)
			if svc.staff != nil {
				login = svc.staff()
			}
			office := b.NewTab(t)
			office.Navigate(s.URL + "/" + l + "/office")
			office.Do(chromedp.SendKeys(chromedp.CSS("#login"), login), chromedp.SendKeys(chromedp.CSS("#password"), demo.StaffPassword))
			office.Follow(submit)
			office.Do(chromedp.SendKeys(chromedp.CSS("#code"), freshCode(t, login)))
			office.Follow(submit)
			office.Navigate(s.URL + "/" + l + "/office/applications/" + strconv.FormatInt(app.ID, 10))
			office.MustBeAccessible()
			for _, d := range svc.decide {
				office.Follow(chromedp.Click(chromedp.CSS("#decide-" + d)))
				office.MustBeAccessible()
			}
			if got := statusOf(t, s, app); got != svc.status {
				t.Fatalf("after %v the application is %s, want %s: %q\n%s", svc.decide, got, svc.status, office.Text("main"),
					errorLines(s.Logs()))
			}

			// The parent reads it: the feed, the SMS, the child's timeline.
			want := tr.T("status." + string(svc.status))
			tab.Navigate(s.URL + "/" + l + "/cabinet")
			if got := tab.Text("main"); !strings.Contains(got, number) {
				t.Errorf("the feed does not name %s: %q", number, got)
			}
			tab.MustBeAccessible()
			tab.Navigate(s.URL + "/" + l + "/cabinet/applications/" + strconv.FormatInt(app.ID, 10))
			if got := tab.Text("#status"); got != want {
				t.Errorf("the card's status is %q, want %q", got, want)
			}
			tab.MustBeAccessible()
			// The code, the number, and the decision.
			awaitMessages(t, s, phone, func(b []string) bool { return len(b) >= 3 })

			// The child's timeline has the application and the decision.
			entries := openChildTimeline(t, tab, s.URL, svc.lang, app.ID)
			tab.MustBeAccessible()
			if len(entries) < 3 || !slices.Contains(entries, want) {
				t.Errorf("the child's timeline: %q", entries)
			}

			// A slip or a voucher opens from "my referrals" and its QR page
			// says it is valid.
			if svc.status == application.Referral || svc.status == application.Voucher {
				tab.Navigate(s.URL + "/" + l + "/cabinet/referrals")
				tab.MustBeAccessible()
				tab.Follow(chromedp.Click(chromedp.CSS(".referral-row a")))
				tab.MustBeAccessible()
				heading := tab.Text("#referral-card-title")
				verify := webtest.Eval[string](tab, `document.querySelector(".qr-link a").href`)
				tab.Navigate(verify)
				tab.MustBeAccessible()
				if got := tab.Text("#verdict"); got != tr.T("verify.valid") {
					t.Errorf("the check of the %q says %q", heading, got)
				}
				if svc.kind == application.Camp && !strings.Contains(tab.Text("main"), "Alatau") {
					t.Errorf("the voucher's check does not name the camp: %q", tab.Text("main"))
				}
			}
		})
	}
}

// errorLines are the lines of the portal's log at level ERROR.
func errorLines(logs string) string {
	var out []string
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, `"level":"ERROR"`) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
