package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"sakura/internal/account"
	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/demo"
	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/social"
	"sakura/internal/staff"
	"sakura/internal/web/webtest"
)

// campPage finds the section of the camp named name on a camps page.
func campPage(doc *goquery.Document, name string) *goquery.Selection {
	return doc.Find("section.camp").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.TrimSpace(s.Find("h2").Text()) == name
	})
}

// shiftCells is the first shift of a camp's section, its cells' texts
// between bars.
func shiftCells(sel *goquery.Selection) string {
	rows := cells(sel)
	if len(rows) == 0 {
		return ""
	}
	return strings.Join(rows[0], " | ")
}

// lastID is the number after the last "-" of a redirect's fragment, as in
// …#camp-12.
func lastID(t *testing.T, resp *webtest.Response) int64 {
	t.Helper()
	loc := resp.Header.Get("Location")
	id, err := strconv.ParseInt(loc[strings.LastIndex(loc, "-")+1:], 10, 64)
	if err != nil {
		t.Fatalf("no id in %q", loc)
	}
	return id
}

// TestOfficeCamps: Almaty's operator adds a camp and a shift without
// JavaScript and finds them listed in each language; wrong input is
// refused next to each field with what was typed kept; seats fewer than
// the vouchers given are refused; another city's operator does not find
// the camp, school staff may not open the page, and the administrator
// chooses the city.
func TestOfficeCamps(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces()})
	seedStaff(t, s)
	cat := MustCatalog(t)
	ru, en := cat.Translator("ru"), cat.Translator("en")
	op := staffVisitor(t, s, demo.StaffPrefix+"operator-almaty")

	for _, k := range social.CampKinds {
		if key := "office.camps.kind." + string(k); !cat.Has(key) {
			t.Errorf("%q is in no catalogue", key)
		}
	}

	// The page, reached from the office's navigation.
	resp := op.get(t, "/ru/office/camps")
	if resp.Status != http.StatusOK || text(resp.Doc(t), "h1") != ru.T("office.camps.title") {
		t.Fatalf("the camps page: %d %q", resp.Status, text(resp.Doc(t), "h1"))
	}
	if got := resp.Doc(t).Find(`.cabinet-nav a[href="/ru/office/camps"][aria-current="page"]`).Text(); got != ru.T("office.nav.camps") {
		t.Errorf("the navigation's link to the camps: %q", got)
	}
	checkHTML(t, resp)

	// A camp with no kind and no English name: refused field by field,
	// with what was typed kept.
	typed := url.Values{"name_kk": {"«Шұғыла» лагері"}, "name_ru": {"Лагерь «Шугыла»"}, "name_en": {" "},
		"address": {"Іле ауданы, Өтеген батыр"}}
	resp = op.post(t, "/ru/office/camps", typed)
	doc := resp.Doc(t)
	if resp.Status != http.StatusBadRequest {
		t.Fatalf("a camp without a kind: %d", resp.Status)
	}
	for field, key := range map[string]string{"kind-out_of_town": "office.camps.kind_required", "name_en": "office.camps.name_required"} {
		if got := text(doc, "#"+field+"-error"); got != ru.T(key) {
			t.Errorf("#%s-error %q, want %q", field, got, ru.T(key))
		}
	}
	for _, field := range []string{"name_kk", "name_ru", "address"} {
		if got := doc.Find("#"+field).AttrOr("value", ""); got != typed.Get(field) {
			t.Errorf("%s typed %q, the form shows %q", field, typed.Get(field), got)
		}
	}
	checkHTML(t, resp)

	typed.Set("kind", string(social.OutOfTown))
	typed.Set("name_en", "Shugyla camp")
	resp = op.post(t, "/ru/office/camps", typed)
	wantRedirect(t, resp, "/ru/office/camps?done=camp#camp-")
	campID := lastID(t, resp)
	camp := strconv.FormatInt(campID, 10)

	doc = op.get(t, "/ru/office/camps").Doc(t)
	section := campPage(doc, "Лагерь «Шугыла»")
	if !strings.Contains(section.Text(), ru.T("office.camps.kind.out_of_town")) ||
		!strings.Contains(section.Text(), "Іле ауданы, Өтеген батыр") ||
		!strings.Contains(section.Text(), ru.T("office.camps.no_shifts")) {
		t.Errorf("the new camp as listed: %q", section.Text())
	}
	if campPage(op.get(t, "/en/office/camps").Doc(t), "Shugyla camp").Length() != 1 {
		t.Error("the English page does not name the camp in English")
	}

	// A shift with everything wrong, then a right one.
	shifts := "/ru/office/camps/" + camp + "/shifts"
	bad := url.Values{"number": {"x"}, "starts": {"31.02.2027"}, "ends": {""}, "seats": {"0"}, "age_min": {"5"}, "age_max": {"20"}}
	resp = op.post(t, shifts, bad)
	doc = resp.Doc(t)
	if resp.Status != http.StatusBadRequest {
		t.Fatalf("a wrong shift: %d", resp.Status)
	}
	for field, key := range map[string]string{"number": "office.camps.number_invalid", "starts": "office.camps.date_invalid",
		"ends": "office.camps.date_invalid", "seats": "office.camps.seats_invalid", "age_min": "office.camps.ages_invalid"} {
		if got := text(doc, "#"+field+"-error"); got != ru.T(key) {
			t.Errorf("#%s-error %q, want %q", field, got, ru.T(key))
		}
	}
	for field := range bad {
		if got := doc.Find("#"+field).AttrOr("value", ""); got != bad.Get(field) {
			t.Errorf("%s typed %q, the form shows %q", field, bad.Get(field), got)
		}
	}
	if got := text(doc, "#shift-form-title"); got != ru.T("office.camps.shift_add", "Name", "Лагерь «Шугыла»") {
		t.Errorf("the shift form's heading: %q", got)
	}
	checkHTML(t, resp)
	resp = op.post(t, shifts, url.Values{"number": {"1"}, "starts": {"21.07.2027"}, "ends": {"01.07.2027"},
		"seats": {"40"}, "age_min": {"10"}, "age_max": {"14"}})
	if got := text(resp.Doc(t), "#ends-error"); got != ru.T("office.camps.dates_invalid") {
		t.Errorf("the last day before the first: %d %q", resp.Status, got)
	}

	good := url.Values{"number": {"1"}, "starts": {"01.07.2027"}, "ends": {"21.07.2027"}, "seats": {"40"},
		"age_min": {"10"}, "age_max": {"14"}}
	wantRedirect(t, op.post(t, shifts, good), "/ru/office/camps?done=shift#camp-"+camp)
	doc = op.get(t, "/ru/office/camps?done=shift").Doc(t)
	if got := text(doc, ".flash"); got != ru.T("office.camps.saved_shift") {
		t.Errorf("the flash: %q", got)
	}
	row := shiftCells(campPage(doc, "Лагерь «Шугыла»"))
	if want := "1 | 01.07.2027–21.07.2027 | 10–14 | 40 | 0 | 40"; !strings.HasPrefix(row, want) {
		t.Errorf("the shift as listed: %q, want %q…", row, want)
	}
	resp = op.post(t, shifts, good)
	if got := text(resp.Doc(t), "#number-error"); resp.Status != http.StatusBadRequest || got != ru.T("office.camps.number_taken") {
		t.Errorf("a second shift 1: %d %q", resp.Status, got)
	}

	// Changing the camp, from its link.
	change, _ := campPage(doc, "Лагерь «Шугыла»").Find(`a[href*="camp="]`).Attr("href")
	doc = op.get(t, change).Doc(t)
	if got := doc.Find("#name_ru").AttrOr("value", ""); got != "Лагерь «Шугыла»" {
		t.Errorf("the camp form of %s shows %q", change, got)
	}
	if doc.Find(`#kind-out_of_town[checked]`).Length() != 1 {
		t.Error("the camp's kind is not chosen in its form")
	}
	typed.Set("address", "Іле ауданы, Өтеген батыр, 5")
	wantRedirect(t, op.post(t, "/ru/office/camps/"+camp, typed), "/ru/office/camps?done=camp#camp-"+camp)
	if got := within(campPage(op.get(t, "/ru/office/camps").Doc(t), "Лагерь «Шугыла»"), "p"); !strings.Contains(got, "Өтеген батыр, 5") {
		t.Errorf("the changed address is not listed: %q", got)
	}

	// Two vouchers given: the seats may go down to two, not below.
	shiftID := shiftOf(t, s, campID, 1)
	shift := strconv.FormatInt(shiftID, 10)
	issueVouchers(t, s, campID, shiftID, 2)
	doc = op.get(t, "/ru/office/camps?shift="+shift).Doc(t)
	if row := shiftCells(campPage(doc, "Лагерь «Шугыла»")); !strings.Contains(row, "| 40 | 2 | 38 |") {
		t.Errorf("the shift with two vouchers: %q", row)
	}
	if got := doc.Find("#seats").AttrOr("value", ""); got != "40" {
		t.Errorf("the shift's form shows %q seats", got)
	}
	good.Set("seats", "1")
	resp = op.post(t, shifts+"/"+shift, good)
	want := ru.Message("office.camps.seats_given", map[string]any{"Count": 2})
	if got := text(resp.Doc(t), "#seats-error"); resp.Status != http.StatusBadRequest || got != want || !strings.Contains(got, "2") {
		t.Errorf("seats below the vouchers: %d %q, want %q", resp.Status, got, want)
	}
	if got := resp.Doc(t).Find("#seats").AttrOr("value", ""); got != "1" {
		t.Errorf("the seats typed are lost: %q", got)
	}
	good.Set("seats", "2")
	wantRedirect(t, op.post(t, shifts+"/"+shift, good), "/ru/office/camps?done=shift")

	// Another city's operator finds neither the camp nor the shift; school
	// staff may not open the page, and see no link to it.
	astana := staffVisitor(t, s, demo.StaffPrefix+"operator-astana")
	for _, rt := range []struct{ method, path string }{
		{"GET", "/en/office/camps?camp=" + camp}, {"GET", "/en/office/camps?shift=" + shift},
		{"GET", "/en/office/camps?camp=nothing"},
		{"POST", "/en/office/camps/" + camp}, {"POST", "/en/office/camps/" + camp + "/shifts"},
		{"POST", "/en/office/camps/" + camp + "/shifts/" + shift},
	} {
		resp := astana.get(t, rt.path)
		if rt.method == "POST" {
			resp = astana.post(t, rt.path, good)
		}
		if resp.Status != http.StatusNotFound {
			t.Errorf("%s %s by Astana's operator: %d, want 404", rt.method, rt.path, resp.Status)
		}
	}
	if campPage(astana.get(t, "/en/office/camps").Doc(t), "Shugyla camp").Length() != 0 {
		t.Error("Astana's operator sees Almaty's camp")
	}
	schoolStaff := staffVisitor(t, s, schoolLogin(firstSchool(t, s)))
	if resp := schoolStaff.get(t, "/en/office/camps"); resp.Status != http.StatusForbidden {
		t.Errorf("the camps page for school staff: %d, want 403", resp.Status)
	}
	if resp := schoolStaff.post(t, "/en/office/camps", typed); resp.Status != http.StatusForbidden {
		t.Errorf("a camp added by school staff: %d, want 403", resp.Status)
	}
	if schoolStaff.get(t, "/en/office/seats").Doc(t).Find(`a[href="/en/office/camps"]`).Length() != 0 {
		t.Error("school staff see a link to the camps")
	}

	// The administrator chooses the city, whose camps the forms keep.
	admin := staffVisitor(t, s, demo.StaffPrefix+"admin")
	doc = admin.get(t, "/en/office/camps?city=almaty").Doc(t)
	if campPage(doc, "Shugyla camp").Length() != 1 || doc.Find(`#city-choice option[value="almaty"][selected]`).Length() != 1 {
		t.Error("the administrator does not see Almaty's camps")
	}
	if got, _ := campPage(doc, "Shugyla camp").Find(`a[href*="camp="]`).Attr("href"); !strings.Contains(got, "city=almaty") {
		t.Errorf("the administrator's link to the camp loses the city: %q", got)
	}
	if resp := admin.get(t, "/en/office/camps?city=astana&camp="+camp); resp.Status != http.StatusNotFound {
		t.Errorf("Almaty's camp under Astana: %d, want 404", resp.Status)
	}
	typed.Set("city", "almaty")
	wantRedirect(t, admin.post(t, "/en/office/camps/"+camp, typed), "/en/office/camps?city=almaty&done=camp#camp-"+camp)
	if text(admin.get(t, "/en/office/camps?city=almaty").Doc(t), "h1") != en.T("office.camps.title") {
		t.Error("the administrator's page after saving")
	}
}

// firstSchool is a school of Almaty.
func firstSchool(t *testing.T, s *webtest.Server) int64 {
	t.Helper()
	schools, err := s.DB.Schools(context.Background(), "almaty")
	if err != nil || len(schools) == 0 {
		t.Fatalf("the schools of Almaty: %v", err)
	}
	return schools[0].ID
}

// shiftOf is the id of a camp's shift of number n.
func shiftOf(t *testing.T, s *webtest.Server, campID int64, n int) int64 {
	t.Helper()
	camps, err := s.DB.Camps(context.Background(), "almaty")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range camps {
		for _, sh := range c.Shifts {
			if c.ID == campID && sh.Number == n {
				return sh.ID
			}
		}
	}
	t.Fatalf("camp %d has no shift %d", campID, n)
	return 0
}

// issueVouchers files n camp applications of the demo mother's for a
// shift straight into the store and has Almaty's operator give each a
// voucher, as the office would.
func issueVouchers(t *testing.T, s *webtest.Server, campID, shiftID int64, n int) {
	t.Helper()
	ctx := context.Background()
	mother, phone, _ := demoFamily(t)
	signUp(t, s, "en", mother, phone, "white mountain tea 2026")
	acc := accountOf(t, s, mother)
	operator, err := s.Staff.UserByLogin(ctx, demo.StaffPrefix+"operator-almaty")
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		at := time.Now().Add(time.Duration(i) * time.Second)
		id := fmt.Sprintf("camp-voucher-%d", i)
		ans := application.Answers{ChildIIN: fmt.Sprintf("camp-child-%d", i), ChildSurname: "Бекова", ChildName: "Аружан",
			CampID: campID, ShiftID: shiftID, Channel: "sms", NotifyLang: "en"}
		if err := s.DB.SaveDraft(ctx, application.Draft{ID: id, City: "almaty", Kind: application.Camp, AccountID: acc,
			Answers: ans, CreatedAt: at, UpdatedAt: at}); err != nil {
			t.Fatal(err)
		}
		a, _, err := s.DB.Submit(ctx, application.Submission{DraftID: id, City: "almaty", CityCode: "ALM",
			Kind: application.Camp, Year: 2027, Account: acc, Child: ans.ChildKey(), Answers: ans, At: at,
			Event: notify.Event{Kind: "application_submitted"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, act := range []admission.Action{admission.Accept, admission.Issue} {
			if _, err := s.Admission.Decide(ctx, operator, a.ID, admission.Decision{Action: act}, account.Client{}); err != nil {
				t.Fatalf("%s %s: %v", act, a.Number, err)
			}
		}
	}
}

// TestOfficeCampsBrowser opens the camps page in Chromium as Almaty's
// operator, in each language, on a phone's width: the list, both forms
// sent empty for their refusals, and the forms of a chosen camp and shift.
// axe-core finds no violation and no page is wider than the screen.
func TestOfficeCampsBrowser(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces()})
	seedStaff(t, s)
	ctx := context.Background()
	now := time.Now()
	campID, err := s.DB.SaveCamp(ctx, social.Camp{City: "almaty", Kind: social.SchoolBased, Address: "Абай даңғылы, 10",
		Name: i18n.Text{KK: "«Алатау» мектеп жанындағы лагері", RU: "Пришкольный лагерь «Алатау»", EN: "Alatau school camp"}},
		staff.AuditEntry{At: now, Actor: "test", City: "almaty", Action: "camp.save"})
	if err != nil {
		t.Fatal(err)
	}
	starts := time.Date(2027, time.June, 1, 0, 0, 0, 0, time.UTC)
	shiftID, err := s.DB.SaveShift(ctx, "almaty", social.Shift{CampID: campID, Number: 1, Starts: starts,
		Ends: starts.AddDate(0, 0, 20), Seats: 40, AgeMin: 6, AgeMax: 11},
		staff.AuditEntry{At: now, Actor: "test", City: "almaty", Action: "shift.save"})
	if err != nil {
		t.Fatal(err)
	}

	b := webtest.NewBrowser(t)
	tab := b.NewTab(t)
	tab.Do(chromedp.EmulateViewport(390, 844))
	login := demo.StaffPrefix + "operator-almaty"
	tab.Navigate(s.URL + "/en/office")
	tab.Do(chromedp.SendKeys(chromedp.CSS("#login"), login), chromedp.SendKeys(chromedp.CSS("#password"), demo.StaffPassword))
	tab.Follow(chromedp.Click(chromedp.CSS("main form button[type=submit]")))
	tab.Do(chromedp.SendKeys(chromedp.CSS("#code"), freshCode(t, login)))
	tab.Follow(chromedp.Click(chromedp.CSS("main form button[type=submit]")))

	for _, lang := range []string{"kk", "ru", "en"} {
		for _, p := range []struct {
			path   string
			submit string // a form to send empty, for its refusals
		}{
			{"/office/camps", "#camp-form button[type=submit]"},
			{"/office/camps?camp=" + strconv.FormatInt(campID, 10), "#shift-form button[type=submit]"},
			{"/office/camps?shift=" + strconv.FormatInt(shiftID, 10), ""},
		} {
			tab.Navigate(s.URL + "/" + lang + p.path)
			tab.MustBeAccessible()
			if wide := webtest.Eval[bool](tab, `document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`); wide {
				t.Errorf("%s %s is wider than a phone", lang, p.path)
			}
			if p.submit == "" {
				continue
			}
			tab.Follow(chromedp.Click(chromedp.CSS(p.submit)))
			if n := webtest.Eval[int](tab, `document.querySelectorAll(".field-error").length`); n == 0 {
				t.Errorf("%s %s sent empty: no refusal shown", lang, p.path)
			}
			tab.MustBeAccessible()
		}
	}
}
