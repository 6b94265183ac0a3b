package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"sakura/internal/application"
	"sakura/internal/demo"
	"sakura/internal/i18n"
	"sakura/internal/web/webtest"
)

// TestOfficePupils follows a child's personal file through two schools in
// the back office: school A's staff enrol the demo son in grade 1, then
// school B's staff accept his transfer, issue the slip and enrol him. A's
// page lists him under "Left the school", for B; B's page lists him now;
// both with his full name, which the operator sees masked. B's staff find
// no page for A, nor does Astana's operator; every page is no-store, and
// axe-core finds nothing on a phone in kk, ru and en.
func TestOfficePupils(t *testing.T) {
	f := newOfficeFixture(t)
	ctx := context.Background()
	cat := MustCatalog(t)
	en := cat.Translator(i18n.EN)
	a, b := strconv.FormatInt(f.schoolA, 10), strconv.FormatInt(f.schoolB, 10)
	staffA, staffB := staffVisitor(t, f.s, schoolLogin(f.schoolA)), staffVisitor(t, f.s, schoolLogin(f.schoolB))
	op := staffVisitor(t, f.s, demo.StaffPrefix+"operator-almaty")

	// Before anything: the empty states, and the operator's choice first.
	doc := staffA.get(t, "/en/office/pupils").Doc(t)
	if text(doc, "#pupils-now .empty") != en.T("office.pupils.none_now") ||
		text(doc, "#pupils-left .empty") != en.T("office.pupils.none_left") {
		t.Errorf("a school without pupils: %q", text(doc, "main"))
	}
	doc = op.get(t, "/en/office/pupils").Doc(t)
	if text(doc, "main .empty") != en.T("office.pupils.choose_first") || doc.Find("#school-choice option").Length() < 3 {
		t.Errorf("the operator's page before a choice: %q", text(doc, "main"))
	}

	// School A enrols the son in grade 1, class Ә.
	card := "/en/office/applications/" + strconv.FormatInt(f.app, 10)
	for _, d := range []url.Values{{"action": {"accept"}}, {"action": {"referral"}}, {"action": {"enrol"}, "class": {"ә"}}} {
		wantRedirect(t, staffA.post(t, card+"/decide", d), card+"?done=decided")
	}
	grade1, err := f.s.DB.Application(ctx, f.app)
	if err != nil {
		t.Fatal(err)
	}
	child := grade1.Answers.ChildSurname + " " + grade1.Answers.ChildName

	// His transfer to school B, filed as the wizard would; B's staff decide.
	mother, _, son := demoFamily(t)
	tr := submit(t, f.s, accountOf(t, f.s, mother), application.Transfer, application.Answers{
		Phone: grade1.Answers.Phone, ChildIIN: son, ChildSurname: grade1.Answers.ChildSurname,
		ChildName: grade1.Answers.ChildName, ChildBirthDate: grade1.Answers.ChildBirthDate,
		FromSchoolID: f.schoolA, Grade: 1, Grounds: "move_city", SchoolID: f.schoolB, Language: "ru",
		Channel: "sms", NotifyLang: "ru",
	}, grade1.ReceivedAt.Add(3600e9))
	card = "/en/office/applications/" + strconv.FormatInt(tr.ID, 10)
	for _, d := range []url.Values{{"action": {"accept"}}, {"action": {"referral"}}, {"action": {"enrol"}, "class": {"б"}}} {
		resp := staffB.post(t, card+"/decide", d)
		if resp.Status != http.StatusSeeOther {
			t.Fatalf("%s on the transfer: %d %q", d.Get("action"), resp.Status, text(resp.Doc(t), "main"))
		}
	}
	schoolB := demoSchool(t, f.schoolB)

	// A: the son left for B, in each language.
	for _, lang := range []i18n.Lang{i18n.KK, i18n.RU, i18n.EN} {
		l := cat.Translator(lang)
		resp := staffA.get(t, "/"+string(lang)+"/office/pupils")
		if resp.Status != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("%s: A's page: %d, Cache-Control %q", lang, resp.Status, resp.Header.Get("Cache-Control"))
		}
		checkHTML(t, resp)
		doc := resp.Doc(t)
		name := demoSchool(t, f.schoolA).In(lang)
		if got := text(doc, "#pupils-left caption"); got != l.T("office.pupils.left_caption", "School", name) {
			t.Errorf("%s: the leavers' caption %q", lang, got)
		}
		rows := cells(doc.Find("#pupils-left"))
		if len(rows) != 1 || rows[0][0] != child || rows[0][2] != "1Ә" || rows[0][3] != schoolB.In(lang) {
			t.Errorf("%s: A's leavers %q, want %s of 1Ә for %s", lang, rows, child, schoolB.In(lang))
		}
		if text(doc, "#pupils-now .empty") != l.T("office.pupils.none_now") {
			t.Errorf("%s: A still lists pupils: %q", lang, text(doc, "#pupils-now"))
		}
		if doc.Find(`.cabinet-nav a[aria-current="page"][href="/`+string(lang)+`/office/pupils"]`).Length() != 1 {
			t.Errorf("%s: the navigation does not mark the page", lang)
		}
	}

	// B: the son is a pupil now, in 1Б of the year of his file.
	resp := staffB.get(t, "/en/office/pupils")
	checkHTML(t, resp)
	doc = resp.Doc(t)
	rows := cells(doc.Find("#pupils-now"))
	year := strconv.Itoa(tr.Year) + "–" + strconv.Itoa(tr.Year+1)
	if len(rows) != 1 || rows[0][0] != child || rows[0][1] != "1Б" || rows[0][2] != year || rows[0][3] == "" {
		t.Errorf("B's pupils %q, want %s in 1Б of %s", rows, child, year)
	}
	if got := text(doc, "#pupils-now caption"); got != en.T("office.pupils.now_caption", "School", schoolB.In(i18n.EN)) {
		t.Errorf("the pupils' caption %q", got)
	}
	if text(doc, "#pupils-left .empty") != en.T("office.pupils.none_left") {
		t.Errorf("B lists leavers: %q", text(doc, "#pupils-left"))
	}
	if resp := staffB.get(t, "/en/office/pupils?school="+b); resp.Status != http.StatusOK {
		t.Errorf("B's staff naming their own school: %d", resp.Status)
	}

	// The operator sees either school, the child's name masked.
	masked := grade1.Answers.ChildName + " " + string([]rune(grade1.Answers.ChildSurname)[:1]) + "."
	resp = op.get(t, "/ru/office/pupils?school="+a)
	checkHTML(t, resp)
	doc = resp.Doc(t)
	if rows := cells(doc.Find("#pupils-left")); len(rows) != 1 || rows[0][0] != masked || rows[0][3] != schoolB.In(i18n.RU) {
		t.Errorf("the operator's view of A: %q, want %s", rows, masked)
	}
	if doc.Find(`#school-choice option[selected][value="`+a+`"]`).Length() != 1 {
		t.Error("the operator's choice is not kept")
	}
	if rows := cells(op.get(t, "/en/office/pupils?school="+b).Doc(t).Find("#pupils-now")); len(rows) != 1 || rows[0][0] != masked {
		t.Errorf("the operator's view of B: %q", rows)
	}

	// Out of reach: another school, another city, no such school.
	astana := staffVisitor(t, f.s, demo.StaffPrefix+"operator-astana")
	for _, c := range []struct {
		who  string
		v    *visitor
		path string
	}{
		{"B's staff", staffB, "/en/office/pupils?school=" + a},
		{"Astana's operator", astana, "/en/office/pupils?school=" + a},
		{"the operator", op, "/en/office/pupils?school=999999"},
	} {
		if got := c.v.get(t, c.path).Status; got != http.StatusNotFound {
			t.Errorf("%s: %s: %d, want 404", c.who, c.path, got)
		}
	}

	// In Chromium, on a phone: each school's page and the operator's.
	br := webtest.NewBrowser(t)
	for _, p := range []struct {
		login, path string
	}{
		{schoolLogin(f.schoolA), "/office/pupils"}, {schoolLogin(f.schoolB), "/office/pupils"},
		{demo.StaffPrefix + "operator-almaty", "/office/pupils?school=" + a},
	} {
		tab := br.NewTab(t)
		tab.Do(chromedp.EmulateViewport(390, 844))
		tab.Navigate(f.s.URL + "/en/office")
		tab.Do(chromedp.SendKeys(chromedp.CSS("#login"), p.login), chromedp.SendKeys(chromedp.CSS("#password"), demo.StaffPassword))
		tab.Follow(chromedp.Click(chromedp.CSS("main form button[type=submit]")))
		tab.Do(chromedp.SendKeys(chromedp.CSS("#code"), freshCode(t, p.login)))
		tab.Follow(chromedp.Click(chromedp.CSS("main form button[type=submit]")))
		for _, lang := range []string{"kk", "ru", "en"} {
			tab.Navigate(f.s.URL + "/" + lang + p.path)
			if tab.Text("main table") == "" {
				t.Errorf("%s %s shows no table in the browser", lang, p.path)
			}
			tab.MustBeAccessible()
			if webtest.Eval[bool](tab, `document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`) {
				t.Errorf("%s %s is wider than a phone", lang, p.path)
			}
		}
	}
}

// demoSchool is the name of a demo school of Almaty.
func demoSchool(t *testing.T, id int64) i18n.Text {
	t.Helper()
	for _, s := range demoPlaces()[0].Schools {
		if s.ID == id {
			return s.Name
		}
	}
	t.Fatalf("no demo school %d", id)
	return i18n.Text{}
}
