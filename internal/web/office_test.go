package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sakura/internal/account"
	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/demo"
	"sakura/internal/document/documenttest"
	"sakura/internal/i18n"
	"sakura/internal/social"
	"sakura/internal/staff"
	"sakura/internal/web/webtest"
)

// seedStaff adds the demo's staff accounts to the server's store: an
// administrator, an operator of each city and a staff member of every
// school, each with demo.StaffPassword and a known authenticator secret.
func seedStaff(t testing.TB, s *webtest.Server) {
	t.Helper()
	if _, err := s.Staff.Seed(context.Background(), demo.Staff(demoPlaces()), demo.StaffPassword); err != nil {
		t.Fatal(err)
	}
}

// schoolLogin is the demo login of a school's staff.
func schoolLogin(id int64) string { return demo.StaffPrefix + "school-" + strconv.FormatInt(id, 10) }

// staffVisitor signs a demo staff member in to the back office, password
// and code of the app, and returns the browser-like visitor.
func staffVisitor(t testing.TB, s *webtest.Server, login string) *visitor {
	t.Helper()
	v := newVisitor(t, s)
	wantRedirect(t, v.post(t, "/en/office/signin", url.Values{"login": {login}, "password": {demo.StaffPassword}}),
		"/en/office/factor")
	code := freshCode(t, login)
	resp := v.post(t, "/en/office/factor", url.Values{"code": {code}})
	if resp.Status != http.StatusSeeOther {
		t.Fatalf("second factor for %s: %d %.300s", login, resp.Status, resp.Body)
	}
	return v
}

// usedSteps are the time steps whose code each login has used, since a
// code is taken once.
var usedSteps = struct {
	sync.Mutex
	m map[string]int64
}{m: map[string]int64{}}

// freshCode returns the demo login's authenticator code: of the current
// 30-second step, or of the next when this one is about to pass or the
// login used it already.
func freshCode(t testing.TB, login string) string {
	t.Helper()
	usedSteps.Lock()
	defer usedSteps.Unlock()
	for {
		now := time.Now()
		step := now.Unix() / 30
		if now.Unix()%30 <= 26 && usedSteps.m[login] < step {
			usedSteps.m[login] = step
			code, err := staff.Code(demo.StaffSecret(login), now)
			if err != nil {
				t.Fatal(err)
			}
			return code
		}
		time.Sleep(time.Duration(30-now.Unix()%30) * time.Second)
	}
}

// TestOfficeSignIn: the sign-in with the second factor, from the form to
// the queue, and the refusals on the way.
func TestOfficeSignIn(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces()})
	seedStaff(t, s)
	login := demo.StaffPrefix + "operator-almaty"

	v := newVisitor(t, s)
	doc := v.get(t, "/ru/office").Doc(t)
	if doc.Find(`form[action="/ru/office/signin"] input[name="login"]`).Length() != 1 {
		t.Fatal("no sign-in form")
	}
	for _, f := range []url.Values{{"login": {login}, "password": {"not the password"}}, {"login": {"nobody"}, "password": {demo.StaffPassword}}} {
		resp := v.post(t, "/ru/office/signin", f)
		if resp.Status != http.StatusUnauthorized || text(resp.Doc(t), "#login-error") == "" {
			t.Errorf("%v: %d %q", f, resp.Status, text(resp.Doc(t), "#login-error"))
		}
		if got := resp.Doc(t).Find("#login").AttrOr("value", ""); got != f.Get("login") {
			t.Errorf("the login typed is lost: %q", got)
		}
	}
	if resp := v.get(t, "/ru/office/applications"); resp.Status != http.StatusSeeOther {
		t.Errorf("the queue without a session: %d", resp.Status)
	}

	wantRedirect(t, v.post(t, "/ru/office/signin", url.Values{"login": {login}, "password": {demo.StaffPassword}}), "/ru/office/factor")
	if resp := v.post(t, "/ru/office/factor", url.Values{"code": {"000000"}}); resp.Status != http.StatusBadRequest ||
		text(resp.Doc(t), "#code-error") == "" {
		t.Errorf("a wrong code: %d", resp.Status)
	}
	wantRedirect(t, v.post(t, "/ru/office/factor", url.Values{"code": {freshCode(t, login)}}), "/ru/office")
	resp := v.get(t, "/ru/office/applications")
	if resp.Status != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("the queue: %d, Cache-Control %q", resp.Status, resp.Header.Get("Cache-Control"))
	}
	if got := text(resp.Doc(t), "h1"); got != MustCatalog(t).Translator("ru").T("office.queue.title") {
		t.Errorf("h1 %q", got)
	}

	wantRedirect(t, v.post(t, "/ru/office/signout", nil), "/ru/office?signin=out")
	if resp := v.get(t, "/ru/office/applications"); resp.Status != http.StatusSeeOther {
		t.Errorf("the queue after sign-out: %d", resp.Status)
	}
}

// officeFixture is a portal with the demo staff and one grade-1
// application of the demo mother to a school of Almaty.
type officeFixture struct {
	s       *webtest.Server
	parent  *visitor
	app     int64 // the application's id
	schoolA int64 // its school
	schoolB int64 // another school of Almaty
}

func newOfficeFixture(t *testing.T) *officeFixture {
	t.Helper()
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces()})
	seedStaff(t, s)
	mother, phone, son := demoFamily(t)
	served, _ := MustPlaceCases(t)
	v := signUp(t, s, "en", mother, phone, "white mountain tea 2026")
	base := walkGrade1(t, v, "en", son, served.query["en"])
	wantRedirect(t, v.post(t, base+"/submit", nil), base+"/done")
	apps, err := s.DB.Applications(context.Background(), accountOf(t, s, mother))
	if err != nil || len(apps) != 1 {
		t.Fatalf("%d applications, %v", len(apps), err)
	}
	f := &officeFixture{s: s, parent: v, app: apps[0].ID, schoolA: apps[0].SchoolID}
	for _, sc := range demoPlaces()[0].Schools {
		if sc.ID != f.schoolA {
			f.schoolB = sc.ID
			break
		}
	}
	return f
}

// TestOfficeRoles tries every route of the back office with every role:
// a role without the permission gets 403, a staff member out of reach of
// the object (another school's, another city's) 404, alike for an id that
// does not exist; the right role gets neither.
func TestOfficeRoles(t *testing.T) {
	f := newOfficeFixture(t)
	app := "/en/office/applications/" + strconv.FormatInt(f.app, 10)
	type who struct {
		name  string
		login string
	}
	schoolA := who{"staff of the application's school", schoolLogin(f.schoolA)}
	schoolB := who{"staff of another school", schoolLogin(f.schoolB)}
	opAlmaty := who{"Almaty's operator", demo.StaffPrefix + "operator-almaty"}
	opAstana := who{"Astana's operator", demo.StaffPrefix + "operator-astana"}
	admin := who{"the administrator", demo.StaffPrefix + "admin"}
	visitors := map[string]*visitor{}
	for _, w := range []who{schoolA, schoolB, opAlmaty, opAstana, admin} {
		visitors[w.login] = staffVisitor(t, f.s, w.login)
	}

	// A camp of Almaty, which Astana's operator cannot reach.
	campID, err := f.s.DB.SaveCamp(context.Background(), social.Camp{City: "almaty", Kind: social.OutOfTown,
		Name: i18n.Text{KK: "«Балдәурен»", RU: "«Балдаурен»", EN: "Baldauren"}},
		staff.AuditEntry{At: time.Now(), Actor: "test", City: "almaty", Action: "camp.save"})
	if err != nil {
		t.Fatal(err)
	}
	camp := "/en/office/camps/" + strconv.FormatInt(campID, 10)

	routes := []struct {
		method, path string
		form         url.Values
		allowed      []who // get neither 403 nor 404
		forbidden    []who // 403: the role lacks the permission
		unreached    []who // 404: the object is out of reach
	}{
		{"GET", "/en/office/applications", nil, []who{schoolA, schoolB, opAlmaty, opAstana}, []who{admin}, nil},
		{"GET", app, nil, []who{schoolA, opAlmaty}, []who{admin}, []who{schoolB, opAstana}},
		{"POST", app + "/decide", url.Values{"action": {"none"}}, []who{schoolA, opAlmaty}, []who{admin}, []who{schoolB, opAstana}},
		{"GET", app + "/documents/1", nil, []who{schoolA, opAlmaty}, []who{admin}, []who{schoolB, opAstana}},
		{"POST", "/en/office/referrals", url.Values{"id": {strconv.FormatInt(f.app, 10)}}, []who{schoolA, opAlmaty}, []who{admin}, []who{schoolB, opAstana}},
		{"GET", "/en/office/applications/999999", nil, nil, []who{admin}, []who{schoolA, opAlmaty}},
		{"GET", "/en/office/seats", nil, []who{schoolA, opAlmaty}, []who{admin}, nil},
		{"GET", "/en/office/school", nil, []who{schoolA, opAlmaty}, []who{admin}, nil},
		{"POST", "/en/office/school", url.Values{}, []who{schoolA}, []who{admin}, nil},
		{"GET", "/en/office/school?school=" + strconv.FormatInt(f.schoolA, 10), nil, []who{opAlmaty}, []who{admin}, []who{opAstana}},
		{"GET", "/en/office/pupils", nil, []who{schoolA, schoolB, opAlmaty, opAstana}, []who{admin}, nil},
		{"GET", "/en/office/pupils?school=" + strconv.FormatInt(f.schoolA, 10), nil, []who{schoolA, opAlmaty}, []who{admin}, []who{schoolB, opAstana}},
		{"GET", "/en/office/campaign", nil, []who{opAlmaty, admin}, []who{schoolA}, nil},
		{"POST", "/en/office/campaign", url.Values{}, []who{opAlmaty, admin}, []who{schoolA}, nil},
		{"GET", "/en/office/catchments", nil, []who{opAlmaty}, []who{schoolA, admin}, nil},
		{"POST", "/en/office/catchments", url.Values{}, []who{opAlmaty}, []who{schoolA, admin}, nil},
		{"POST", "/en/office/catchments/save", url.Values{}, nil, []who{schoolA, admin}, nil},
		{"GET", "/en/office/camps", nil, []who{opAlmaty, opAstana, admin}, []who{schoolA}, nil},
		{"POST", "/en/office/camps", url.Values{}, []who{opAlmaty, admin}, []who{schoolA}, nil},
		{"POST", camp, url.Values{}, []who{opAlmaty}, []who{schoolA}, []who{opAstana}},
		{"POST", camp + "/shifts", url.Values{}, []who{opAlmaty}, []who{schoolA}, []who{opAstana}},
		{"GET", "/en/office/reports", nil, []who{opAlmaty}, []who{schoolA, admin}, nil},
		{"GET", "/en/office/reports/seats.csv", nil, []who{opAlmaty}, []who{schoolA, admin}, nil},
		{"GET", "/en/office/audit", nil, []who{opAlmaty, admin}, []who{schoolA}, nil},
		{"GET", "/en/office/users", nil, []who{admin}, []who{schoolA, opAlmaty}, nil},
		{"POST", "/en/office/users", url.Values{}, []who{admin}, []who{schoolA, opAlmaty}, nil},
		{"POST", "/en/office/users/1", url.Values{"change": {"enable"}}, []who{admin}, []who{schoolA, opAlmaty}, nil},
	}
	send := func(v *visitor, method, path string, form url.Values) *webtest.Response {
		if method == "GET" {
			return v.get(t, path)
		}
		return v.post(t, path, form)
	}
	for _, rt := range routes {
		for _, w := range rt.forbidden {
			if got := send(visitors[w.login], rt.method, rt.path, rt.form).Status; got != http.StatusForbidden {
				t.Errorf("%s %s by %s: %d, want 403", rt.method, rt.path, w.name, got)
			}
		}
		for _, w := range rt.unreached {
			if got := send(visitors[w.login], rt.method, rt.path, rt.form).Status; got != http.StatusNotFound {
				t.Errorf("%s %s by %s: %d, want 404", rt.method, rt.path, w.name, got)
			}
		}
		for _, w := range rt.allowed {
			if got := send(visitors[w.login], rt.method, rt.path, rt.form).Status; got == http.StatusForbidden || got == http.StatusNotFound {
				t.Errorf("%s %s by %s: %d, want the page", rt.method, rt.path, w.name, got)
			}
		}
	}
	if t.Failed() {
		return
	}

	// Without a session, a page goes to the sign-in and a form is refused.
	anon := newVisitor(t, f.s)
	for _, rt := range routes {
		resp := send(anon, rt.method, rt.path, rt.form)
		if rt.method == "GET" && resp.Status != http.StatusSeeOther || rt.method == "POST" && resp.Status != http.StatusUnauthorized {
			t.Errorf("%s %s without a session: %d", rt.method, rt.path, resp.Status)
		}
	}
}

// TestOfficeDecisions decides on an application without JavaScript, as
// school staff: a refusal without its comment is refused with the reason
// kept; accepted, then a referral, which the parent finds in the feed (with
// its SMS), in "my referrals" with a QR card, and on the public check
// page; then the enrolment, which writes the personal file.
func TestOfficeDecisions(t *testing.T) {
	f := newOfficeFixture(t)
	_, phone, _ := demoFamily(t)
	en := MustCatalog(t).Translator("en")
	v := staffVisitor(t, f.s, schoolLogin(f.schoolA))
	card := "/en/office/applications/" + strconv.FormatInt(f.app, 10)

	doc := v.get(t, card).Doc(t)
	if text(doc, "#status") != en.T("status.submitted") || doc.Find("#decide-accept").Length() != 1 ||
		doc.Find("#decide-referral").Length() != 0 {
		t.Fatalf("a new application's card: status %q", text(doc, "#status"))
	}
	if doc.Find(`.documents a[href$="/documents/1"]`).Length() != 1 {
		t.Error("the card links no document")
	}
	resp := v.get(t, card+"/documents/1")
	if resp.Status != 200 || resp.Header.Get("Cache-Control") != "no-store" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "inline") {
		t.Errorf("a document: %d %q %q", resp.Status, resp.Header.Get("Cache-Control"), resp.Header.Get("Content-Disposition"))
	}

	resp = v.post(t, card+"/decide", url.Values{"action": {"refuse"}, "reason": {"incomplete_documents"}})
	doc = resp.Doc(t)
	if resp.Status != 400 || text(doc, "#comment-error") != en.T("admission.comment_required") ||
		doc.Find(`#reason option[value="incomplete_documents"][selected]`).Length() != 1 {
		t.Errorf("a refusal without a comment: %d %q", resp.Status, text(doc, "#comment-error"))
	}

	wantRedirect(t, v.post(t, card+"/decide", url.Values{"action": {"accept"}}), card+"?done=decided")
	if resp := v.post(t, card+"/decide", url.Values{"action": {"accept"}}); resp.Status != http.StatusConflict {
		t.Errorf("accepting twice: %d", resp.Status)
	}
	wantRedirect(t, v.post(t, card+"/decide", url.Values{"action": {"referral"}}), card+"?done=decided")
	number := text(v.get(t, card).Doc(t), "#referral-number")
	if !strings.HasPrefix(number, "ALM-R-2027-") {
		t.Fatalf("referral number %q", number)
	}
	// The fifth SMS: the code, the password note, received, accepted, the referral.
	if body := messageTo(t, f.s, phone, 5); !strings.Contains(body, number) {
		t.Errorf("the parent's SMS %q does not name the referral %s", body, number)
	}

	// The parent: the feed, my referrals, the card and its check.
	feed := f.parent.get(t, "/en/cabinet").Doc(t)
	if got := text(feed, ".feed li"); !strings.Contains(got, number) {
		t.Errorf("the feed's newest event %q does not name the referral", got)
	}
	list := f.parent.get(t, "/en/cabinet/referrals").Doc(t)
	link := list.Find(".referrals a").AttrOr("href", "")
	if link == "" || text(list, ".referrals a") != number {
		t.Fatalf("my referrals: %q", text(list, "main"))
	}
	refCard := f.parent.get(t, link).Doc(t)
	verify := refCard.Find(".qr-link a").AttrOr("href", "")
	if refCard.Find(".qr-box svg[role=img] path").Length() != 1 || !strings.HasPrefix(verify, "/en/verify/referral/") {
		t.Fatalf("the referral card: QR %d, link %q", refCard.Find(".qr-box svg").Length(), verify)
	}
	check := newVisitor(t, f.s).get(t, verify).Doc(t)
	if text(check, "#verdict") != en.T("verify.valid") || !strings.HasSuffix(text(check, "#verify-child"), ".") {
		t.Errorf("the public check: %q, child %q", text(check, "#verdict"), text(check, "#verify-child"))
	}
	if resp := newVisitor(t, f.s).get(t, "/en/verify/referral/"+strings.Repeat("a", 32)); resp.Status != 404 {
		t.Errorf("an unknown code: %d", resp.Status)
	}
	if resp := staffVisitor(t, f.s, schoolLogin(f.schoolB)).get(t, link); resp.Status != http.StatusSeeOther {
		t.Errorf("the referral card without the parent's session: %d", resp.Status)
	}

	resp = v.post(t, card+"/decide", url.Values{"action": {"enrol"}, "class": {"ӘБ"}})
	if resp.Status != 400 || text(resp.Doc(t), "#class-error") == "" || resp.Doc(t).Find("#class").AttrOr("value", "") != "ӘБ" {
		t.Errorf("a class of two letters: %d", resp.Status)
	}
	wantRedirect(t, v.post(t, card+"/decide", url.Values{"action": {"enrol"}, "class": {"ә"}}), card+"?done=decided")
	files := f.parent.get(t, "/en/cabinet/files").Doc(t)
	if files.Find(".pupil-file").Length() != 1 || !strings.Contains(text(files, ".pupil-file"), "1Ә") {
		t.Errorf("personal files: %q", text(files, "main"))
	}
	if got := text(f.parent.get(t, "/en/verify/referral/"+strings.TrimPrefix(verify, "/en/verify/referral/")).Doc(t), "#verdict"); got == en.T("verify.valid") {
		t.Error("a used referral still checks as valid")
	}
}

// TestOfficeSettings keeps the school's data, the campaign and a staff
// account through their forms: each refusal next to its field with what
// was typed kept, each save in the audit log.
func TestOfficeSettings(t *testing.T) {
	f := newOfficeFixture(t)
	ru := MustCatalog(t).Translator("ru")
	school := staffVisitor(t, f.s, schoolLogin(f.schoolA))
	op := staffVisitor(t, f.s, demo.StaffPrefix+"operator-almaty")
	admin := staffVisitor(t, f.s, demo.StaffPrefix+"admin")

	// Every page of the office, in every language, says what it is.
	for _, lang := range []string{"kk", "ru", "en"} {
		tr := MustCatalog(t).Translator(i18n.Lang(lang))
		for _, p := range []struct {
			v     *visitor
			path  string
			title string
		}{
			{school, "/" + lang + "/office/applications", "office.queue.title"},
			{school, "/" + lang + "/office/seats", "office.seats.title"},
			{school, "/" + lang + "/office/school", "office.school.title"},
			{op, "/" + lang + "/office/seats", "office.seats.title"},
			{op, "/" + lang + "/office/campaign", "office.campaign.title"},
			{op, "/" + lang + "/office/audit", "office.audit.title"},
			{admin, "/" + lang + "/office/users", "office.users.title"},
		} {
			resp := p.v.get(t, p.path)
			doc := resp.Doc(t)
			if resp.Status != 200 || text(doc, "h1") != tr.T(p.title) {
				t.Errorf("%s: %d, h1 %q", p.path, resp.Status, text(doc, "h1"))
			}
			if body := text(doc, "main"); strings.Contains(body, "office.") || strings.Contains(body, "admission.") {
				t.Errorf("%s has an untranslated key: %.200s", p.path, body)
			}
		}
	}

	// School data: a bad phone and two start times for one shift.
	resp := school.post(t, "/ru/office/school", url.Values{"phone": {"12"}, "email": {"school@edu.kz"},
		"director": {"Сейітова Айгүл"}, "shifts": {"1"}, "starts": {"08:00 13:30"}, "grade1": {"4"}, "grade10": {"2"}})
	doc := resp.Doc(t)
	if resp.Status != 400 || text(doc, "#phone-error") != ru.T("office.school.phone_invalid") ||
		text(doc, "#starts-error") == "" || doc.Find("#director").AttrOr("value", "") != "Сейітова Айгүл" {
		t.Errorf("school data refused: %d %q", resp.Status, text(doc, ".error-summary"))
	}
	wantRedirect(t, school.post(t, "/ru/office/school", url.Values{"phone": {"+7 727 300 12 12"}, "email": {"school@edu.kz"},
		"director": {"Сейітова Айгүл"}, "shifts": {"2"}, "starts": {"08:00 13:30"}, "grade1": {"4"}, "grade10": {"2"}}),
		"/ru/office/school?done=school")
	if got := school.get(t, "/ru/office/school").Doc(t).Find("#grade1").AttrOr("value", ""); got != "4" {
		t.Errorf("the seats plan after saving: %q", got)
	}
	seats := school.get(t, "/ru/office/seats").Doc(t)
	if got := text(seats, "table.seats tbody td"); got != "100" {
		t.Errorf("planned seats after 4 classes: %q, want 100", got)
	}

	// The campaign: a window that ends before it opens.
	resp = op.post(t, "/ru/office/campaign", url.Values{"opens": {"01.04.2027"}, "closes": {"01.03.2027"}, "age": {"6"},
		"late": {"01.09"}, "class_size": {"24"}, "ratio": {"3"}, "referral_days": {"5"}, "documents": {"photo"}})
	if resp.Status != 400 || text(resp.Doc(t), "#closes-error") != ru.T("office.campaign.window_invalid") {
		t.Errorf("a window backwards: %d %q", resp.Status, text(resp.Doc(t), ".error-summary"))
	}
	wantRedirect(t, op.post(t, "/ru/office/campaign", url.Values{"opens": {"01.11.2026"}, "closes": {"31.08.2027"}, "age": {"6"},
		"late": {"01.09"}, "class_size": {"24"}, "ratio": {"3"}, "referral_days": {"4"},
		"holidays": {"22.03.2027\n21.03.2027"}, "documents": {"photo", "medical_065"}}), "/ru/office/campaign?done=campaign")
	c, err := f.s.DB.Campaign(context.Background(), "almaty", 2027)
	if err != nil || c.ClassSize != 24 || c.ReferralDays != 4 || len(c.Holidays) != 2 || len(c.Documents) != 2 {
		t.Errorf("campaign after saving: %+v, %v", c, err)
	}

	// A staff account: a login taken, then a new one with its password
	// shown once.
	resp = admin.post(t, "/en/office/users", url.Values{"login": {demo.StaffPrefix + "admin"}, "name": {"X"}, "role": {"admin"}})
	if resp.Status != 400 || text(resp.Doc(t), "#login-error") == "" {
		t.Errorf("a login taken: %d", resp.Status)
	}
	resp = admin.post(t, "/en/office/users", url.Values{"login": {"aigerim"}, "name": {"Айгерім Бекова"}, "role": {"school"},
		"city": {"almaty"}, "school": {strconv.FormatInt(f.schoolB, 10)}})
	if resp.Status != 200 || len(text(resp.Doc(t), "#new-password")) != 23 {
		t.Fatalf("a new account: %d %q", resp.Status, text(resp.Doc(t), ".error-summary"))
	}

	// The audit log shows each save, to the department.
	audit := op.get(t, "/en/office/audit?action=school.").Doc(t)
	if audit.Find("table.audit tbody tr").Length() != 1 || !strings.Contains(text(audit, "table.audit tbody"), `"grade1_classes":4`) {
		t.Errorf("audit of the school's save: %q", text(audit, "main"))
	}
	adminSignIn := "/en/office/audit?action=signin&actor=" + url.QueryEscape("Асель")
	if n := op.get(t, adminSignIn).Doc(t).Find("table.audit tbody tr").Length(); n != 0 {
		t.Errorf("Almaty's operator sees %d sign-ins of the administrator, who belongs to no city", n)
	}
	if n := admin.get(t, adminSignIn).Doc(t).Find("table.audit tbody tr").Length(); n != 1 {
		t.Errorf("the administrator sees %d sign-ins of their own", n)
	}
	if n := admin.get(t, "/en/office/audit?action=user.add").Doc(t).Find("table.audit tbody tr").Length(); n != 1 {
		t.Errorf("the administrator sees %d lines of the account added", n)
	}
}

// TestOfficePhotos: school staff add a photo, which the public passport
// shows and serves, re-encoded; a renamed executable is refused next to the
// field; another school's staff cannot delete it; its own can.
func TestOfficePhotos(t *testing.T) {
	f := newOfficeFixture(t)
	en := MustCatalog(t).Translator("en")
	v := staffVisitor(t, f.s, schoolLogin(f.schoolA))

	elf := append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 2000)...)
	resp := v.upload(t, "/en/office/school/photos", map[string][]byte{"photo": elf})
	if resp.Status != 400 || text(resp.Doc(t), "#photo-error") == "" {
		t.Errorf("a renamed executable: %d %q", resp.Status, text(resp.Doc(t), "#photo-error"))
	}
	wantRedirect(t, v.upload(t, "/en/office/school/photos", map[string][]byte{"photo": documenttest.JPEG(1600, 1200)}),
		"/en/office/school?done=school")

	passport := newVisitor(t, f.s).get(t, "/en/almaty/schools/"+strconv.FormatInt(f.schoolA, 10)).Doc(t)
	img := passport.Find(".school-photos img")
	src := img.AttrOr("src", "")
	if img.Length() != 1 || !strings.HasPrefix(img.AttrOr("alt", ""), "Photo 1") {
		t.Fatalf("the passport shows %d photos, alt %q", img.Length(), img.AttrOr("alt", ""))
	}
	photo := newVisitor(t, f.s).get(t, src)
	if photo.Status != 200 || photo.Header.Get("Content-Type") != "image/jpeg" || strings.Contains(photo.Body, "Exif") {
		t.Errorf("the photo: %d %q", photo.Status, photo.Header.Get("Content-Type"))
	}

	del := v.get(t, "/en/office/school").Doc(t).Find(`form[action*="/school/photos/"]`).AttrOr("action", "")
	if resp := staffVisitor(t, f.s, schoolLogin(f.schoolB)).post(t, del, url.Values{}); resp.Status != http.StatusNotFound {
		t.Errorf("another school's staff deleting the photo: %d", resp.Status)
	}
	wantRedirect(t, v.post(t, del, url.Values{}), "/en/office/school?done=school")
	if resp := newVisitor(t, f.s).get(t, src); resp.Status != http.StatusNotFound {
		t.Errorf("a deleted photo: %d", resp.Status)
	}
	if got := text(v.get(t, "/en/office/school").Doc(t), "#photos-title"); got != en.T("office.school.photos") {
		t.Errorf("the photos heading %q", got)
	}
}

// TestOfficeBulkReauth: referrals in bulk ask for the password and a code
// again once the sign-in is more than five minutes old; a wrong pair is
// refused; then the ticked applications get their referrals at once.
func TestOfficeBulkReauth(t *testing.T) {
	clock := &shiftClock{}
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces(), Now: clock.Now})
	seedStaff(t, s)
	schoolID := demoPlaces()[0].Schools[0].ID
	login := schoolLogin(schoolID)
	v := staffVisitor(t, s, login)
	staffer, err := s.Staff.UserByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	var ids url.Values = url.Values{"back": {"/en/office/applications"}}
	for i := range 3 {
		a := fileDirect(t, s, parentAccount(t, s), "bulk-"+strconv.Itoa(i), schoolID, "catchment", i)
		if _, err := s.Admission.Decide(context.Background(), staffer, a.ID, admission.Decision{Action: admission.Accept},
			account.Client{}); err != nil {
			t.Fatal(err)
		}
		ids.Add("id", strconv.FormatInt(a.ID, 10))
	}

	clock.Advance(6 * time.Minute)
	wantRedirect(t, v.post(t, "/en/office/referrals", ids), "/en/office/reauth?next=")
	resp := v.post(t, "/en/office/reauth", url.Values{"password": {"not it"}, "code": {"000000"}, "next": {"/en/office/applications"}})
	if resp.Status != 400 || text(resp.Doc(t), "#password-error") == "" {
		t.Errorf("a wrong re-authentication: %d", resp.Status)
	}
	code, _ := staff.Code(demo.StaffSecret(login), clock.Now())
	wantRedirect(t, v.post(t, "/en/office/reauth", url.Values{"password": {demo.StaffPassword}, "code": {code},
		"next": {"/en/office/applications"}}), "/en/office/applications")
	wantRedirect(t, v.post(t, "/en/office/referrals", ids), "/en/office/applications?done=bulk")
	list, _, err := s.DB.SearchApplications(context.Background(), application.Filter{City: "almaty", SchoolID: schoolID,
		Status: application.Referral})
	if err != nil || len(list) != 3 {
		t.Errorf("%d applications with a referral after the bulk issue, %v", len(list), err)
	}
}

// parentAccount is the demo mother's account, made on first use.
func parentAccount(t *testing.T, s *webtest.Server) int64 {
	t.Helper()
	mother, phone, _ := demoFamily(t)
	var id int64
	err := s.DB.Tx(context.Background(), func(tx account.Tx) error {
		a, err := tx.AccountByIIN(context.Background(), mother)
		if err == nil {
			id = a.ID
			return nil
		}
		id, err = tx.CreateAccount(context.Background(), account.Account{IIN: mother, Phone: phone, Lang: "ru",
			NotifySMS: true, CreatedAt: time.Now()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}
