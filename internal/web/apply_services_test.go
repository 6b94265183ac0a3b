package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"sakura/internal/application"
	"sakura/internal/campaign"
	"sakura/internal/document/documenttest"
	"sakura/internal/geo"
	"sakura/internal/i18n"
	"sakura/internal/social"
	"sakura/internal/staff"
	"sakura/internal/web/webtest"
)

// families returns n demo families of Almaty whose child was born in
// born: the parent's IIN and phone, and the child's IIN. skip families are
// passed over first, so that tests of one server use different children.
func families(t testing.TB, born, skip, n int) [][3]string {
	t.Helper()
	d := demoPlaces()[0]
	phones := map[string]string{}
	births := map[string]time.Time{}
	for _, p := range d.People {
		phones[p.IIN], births[p.IIN] = p.Phone, p.BirthDate
	}
	var out [][3]string
	used := map[string]bool{}
	for _, l := range d.Links {
		if phones[l.ParentIIN] == "" || births[l.ChildIIN].Year() != born || used[l.ParentIIN] || used[l.ChildIIN] {
			continue // a child of two parents applies once
		}
		used[l.ParentIIN], used[l.ChildIIN] = true, true
		if skip > 0 {
			skip--
			continue
		}
		out = append(out, [3]string{l.ParentIIN, phones[l.ParentIIN], l.ChildIIN})
		if len(out) == n {
			return out
		}
	}
	t.Fatalf("only %d demo families with a child born in %d", len(out), born)
	return nil
}

// openServices saves campaigns of Almaty under which every service takes
// applications today, whatever the date the tests run on, and returns the
// school year of the services that follow it and grade 10's year.
func openServices(t testing.TB, s *webtest.Server) (schoolYear, grade10Year int) {
	t.Helper()
	now := time.Now()
	open := campaign.Period{From: now.AddDate(0, 0, -30), To: now.AddDate(0, 6, 0)}
	schoolYear, grade10Year = campaign.YearOf(campaign.KindTransfer, now), campaign.YearOf(campaign.KindGrade10, now)
	for _, year := range []int{schoolYear, grade10Year} {
		c, err := s.DB.Campaign(context.Background(), "almaty", year)
		if err != nil {
			t.Fatal(err)
		}
		c.Transfer.Window, c.Grade10.Window, c.Meals.Window, c.Camp.Window, c.Transport.Window = open, open, open, open, open
		c.Transfer.Holidays = nil // a school day: only the grounds allowed at any time
		if err := s.DB.SaveCampaign(context.Background(), c, staff.AuditEntry{At: now, Actor: "test", City: "almaty",
			Action: "campaign.save"}); err != nil {
			t.Fatal(err)
		}
	}
	return schoolYear, grade10Year
}

// wizard walks a service's wizard as a browser without JavaScript would.
type wizard struct {
	t    *testing.T
	v    *visitor
	base string
}

// begin starts a draft of a kind and answers the steps every kind shares,
// up to and including the child.
func begin(t *testing.T, v *visitor, lang string, kind application.Kind, child string) *wizard {
	t.Helper()
	resp := v.post(t, "/"+lang+"/almaty/apply/"+string(kind), nil)
	wantRedirect(t, resp, "/"+lang+"/almaty/apply/"+string(kind)+"/")
	w := &wizard{t: t, v: v, base: strings.TrimSuffix(resp.Header.Get("Location"), "/consents")}
	w.post("consents", url.Values{"personal_data": {"on"}, "registry_check": {"on"}, "true_data": {"on"}, "notifications": {"on"}}, "identity")
	w.post("identity", url.Values{}, "contacts")
	w.post("contacts", url.Values{}, "child")
	w.post("child", url.Values{"mode": {"iin"}, "child_iin": {child}}, application.Wizards[kind].Steps[4])
	return w
}

// send shows a step, checks its page, and posts its form as the browser
// does: multipart for the steps that take files. The answer is checked
// too.
func (w *wizard) send(step string, form url.Values) *webtest.Response {
	w.t.Helper()
	checkStep(w.t, w.v.get(w.t, w.base+"/"+step))
	resp := w.sendOnly(step, form)
	if resp.Status != http.StatusSeeOther {
		checkStep(w.t, resp)
	}
	return resp
}

// untranslated finds a catalogue key shown instead of its text.
var untranslated = regexp.MustCompile(`\b(apply|office|cabinet|myapps|school|places|service|status)\.[a-z0-9_]+(\.[a-z0-9_]+)*\b`)

// checkStep checks a step's page: valid HTML, and no key untranslated.
func checkStep(t *testing.T, resp *webtest.Response) {
	t.Helper()
	checkHTML(t, resp)
	if m := untranslated.FindString(text(resp.Doc(t), "body")); m != "" {
		t.Errorf("the page shows the key %q", m)
	}
}

func (w *wizard) sendOnly(step string, form url.Values) *webtest.Response {
	w.t.Helper()
	switch step {
	case application.StepDocuments, application.StepCertificate, application.StepCategory:
		return w.v.uploadForm(w.t, w.base+"/"+step, nil, form)
	}
	return w.v.post(w.t, w.base+"/"+step, form)
}

// post saves a step and expects the wizard to go on to next.
func (w *wizard) post(step string, form url.Values, next string) {
	w.t.Helper()
	resp := w.send(step, form)
	if resp.Status != http.StatusSeeOther {
		w.t.Fatalf("step %s: %d %q", step, resp.Status, text(resp.Doc(w.t), ".error-summary"))
	}
	wantRedirect(w.t, resp, w.base+"/"+next)
}

// refused saves a step and expects a refusal naming want.
func (w *wizard) refused(step string, form url.Values, want string) *webtest.Response {
	w.t.Helper()
	resp := w.send(step, form)
	if resp.Status != http.StatusBadRequest || !strings.Contains(text(resp.Doc(w.t), ".error-summary"), want) {
		w.t.Errorf("step %s: %d %q, want a refusal saying %q", step, resp.Status, text(resp.Doc(w.t), ".error-summary"), want)
	}
	return resp
}

// upload saves a step's files and form, expecting the wizard to go on.
func (w *wizard) upload(step string, files map[string][]byte, fields url.Values, next string) {
	w.t.Helper()
	resp := w.v.uploadForm(w.t, w.base+"/"+step, files, fields)
	if resp.Status != http.StatusSeeOther {
		w.t.Fatalf("step %s: %d %q", step, resp.Status, text(resp.Doc(w.t), ".error-summary"))
	}
	wantRedirect(w.t, resp, w.base+"/"+next)
}

// submit checks the answers page and submits, returning the number.
func (w *wizard) submit(rows int) string {
	w.t.Helper()
	check := w.v.get(w.t, w.base+"/check").Doc(w.t)
	if n := check.Find(".answers dt").Length(); n < rows {
		w.t.Errorf("the check page lists %d answers, want at least %d: %q", n, rows, text(check, ".answers"))
	}
	if check.Find("button#submit[disabled]").Length() != 0 {
		w.t.Fatalf("the check page does not let the parent submit: %q", text(check, "main"))
	}
	resp := w.v.post(w.t, w.base+"/submit", nil)
	if resp.Status != http.StatusSeeOther {
		w.t.Fatalf("submit: %d %q", resp.Status, text(resp.Doc(w.t), ".error-summary"))
	}
	wantRedirect(w.t, resp, w.base+"/done")
	return text(w.v.get(w.t, w.base+"/done").Doc(w.t), ".number")
}

// optionValues returns the values of a page's radio buttons of a name.
func optionValues(t *testing.T, v *visitor, path, name string) []string {
	t.Helper()
	var out []string
	v.get(t, path).Doc(t).Find(`input[name="` + name + `"]`).Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.AttrOr("value", ""))
	})
	return out
}

// farthest returns the demo school of Almaty farthest from from, and one
// other than from that teaches in Russian.
func farthest(from int64) int64 {
	d := demoPlaces()[0]
	var at geo.Point
	for _, s := range d.Schools {
		if s.ID == from {
			at = s.Location
		}
	}
	best, far := int64(0), 0.0
	for _, s := range d.Schools {
		if dist := geo.Distance(at, s.Location); dist > far {
			best, far = s.ID, dist
		}
	}
	return best
}

// TestApplyServices files an application of each of the five services
// without JavaScript, in Russian, with the refusals particular to each:
// a transfer to the child's own school or on grounds taken only in the
// holidays, a grade that does not follow the certificate, meals for a
// pupil who eats free, a camp shift for the wrong age or already begun, a
// transport address too near the school or outside the city, and a second
// active application of the same kind.
func TestApplyServices(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces()})
	ru := MustCatalog(t).Translator(i18n.RU)
	served, _ := MustPlaceCases(t)
	schoolYear, grade10Year := openServices(t, s)
	sch := strconv.FormatInt(served.school, 10)
	docs := func(names ...string) map[string][]byte {
		m := map[string][]byte{}
		for _, n := range names {
			if n == "photo" {
				m[n] = documenttest.JPEG(600, 800)
			} else {
				m[n] = documenttest.PDF(n)
			}
		}
		return m
	}

	t.Run("start pages", func(t *testing.T) {
		v := newVisitor(t, s)
		for _, kind := range application.Kinds {
			for _, lang := range []string{"kk", "ru", "en"} {
				start := v.get(t, "/"+lang+"/almaty/apply/"+string(kind))
				if start.Status != http.StatusOK {
					t.Fatalf("%s %s: %d", lang, kind, start.Status)
				}
				checkStep(t, start)
				resp := v.post(t, "/"+lang+"/almaty/apply/"+string(kind), nil)
				wantRedirect(t, resp, "/"+lang+"/almaty/apply/"+string(kind)+"/")
				checkStep(t, v.get(t, resp.Header.Get("Location")))
			}
		}
	})

	t.Run("transfer", func(t *testing.T) {
		f := families(t, schoolYear-10, 0, 1)[0] // ten in September: grade 5
		v := signUp(t, s, "ru", f[0], f[1], "white mountain tea 2026")
		w := begin(t, v, "ru", application.Transfer, f[2])
		w.upload("documents", docs("photo", "medical_026", "medical_063", "report_card"), nil, "informing")
		w.post("informing", nil, "current")
		w.refused("current", url.Values{"where": {"here"}, "grade": {"5"}}, ru.T("apply.current.school_required"))
		resp := w.refused("current", url.Values{"where": {"elsewhere"}, "from_city": {"Шымкент"}, "grade": {"5"}},
			ru.T("apply.current.name_required"))
		if resp.Doc(t).Find(`input#from_city[value="Шымкент"]`).Length() != 1 {
			t.Error("the city typed is lost")
		}
		w.post("current", url.Values{"where": {"here"}, "from_school": {sch}, "grade": {"5"}}, "address")
		w.post("address", url.Values{"address": {served.query["ru"]}, "language": {"ru"}}, "school")

		offered := optionValues(t, v, w.base+"/school", "school")
		if len(offered) == 0 {
			t.Fatalf("no school offered: %q", text(v.get(t, w.base+"/school").Doc(t), "main"))
		}
		if slices.Contains(offered, sch) {
			t.Error("the child's own school is offered")
		}
		if !strings.Contains(text(v.get(t, w.base+"/school").Doc(t), "main"), "свободн") {
			t.Error("the schools offered show no free places")
		}
		w.refused("school", url.Values{"school": {sch}}, ru.T("apply.school.required"))
		w.post("school", url.Values{"school": {offered[0]}}, "grounds")

		grounds := optionValues(t, v, w.base+"/grounds", "grounds")
		if slices.Contains(grounds, "wish") || !slices.Contains(grounds, "move_city") {
			t.Errorf("grounds offered on a school day: %v", grounds)
		}
		w.refused("grounds", url.Values{"grounds": {"wish"}}, ru.T("apply.grounds.holidays_only"))
		w.post("grounds", url.Values{"grounds": {"move_city"}}, "notify")
		w.post("notify", url.Values{"channel": {"sms"}, "lang": {"ru"}}, "check")
		number := w.submit(12)
		if !strings.HasPrefix(number, "ALM-") {
			t.Errorf("number %q", number)
		}
		wantMessage(t, s, f[1], number)

		// A second transfer of the same child is refused while this one is
		// under way.
		again := begin(t, v, "ru", application.Transfer, f[2])
		again.upload("documents", docs("photo", "medical_026", "medical_063", "report_card"), nil, "informing")
		again.refused("informing", nil, ru.T("apply.informing.one"))
	})

	t.Run("grade10", func(t *testing.T) {
		f := families(t, grade10Year-16, 0, 1)[0] // sixteen in September: grade 11
		v := signUp(t, s, "ru", f[0], f[1], "white mountain tea 2026")
		w := begin(t, v, "ru", application.Grade10, f[2])
		w.upload("documents", docs("photo", "medical_026"), nil, "informing")
		w.post("informing", nil, "address")
		w.post("address", url.Values{"address": {served.query["ru"]}, "language": {"ru"}}, "profile")
		w.refused("profile", url.Values{"grade": {"9"}, "profile": {"natural_math"}}, ru.T("apply.profile.grade_required"))
		w.post("profile", url.Values{"grade": {"11"}, "profile": {"natural_math"}}, "certificate")

		year := strconv.Itoa(grade10Year - 1)
		resp := w.v.uploadForm(t, w.base+"/certificate", docs("certificate_scan"),
			url.Values{"certificate": {"ЖОБ 0123456"}, "certificate_year": {strconv.Itoa(grade10Year - 2)}})
		want := ru.T("apply.certificate.grade_mismatch", "Grade", 11, "Year", grade10Year-1)
		if resp.Status != http.StatusBadRequest || !strings.Contains(text(resp.Doc(t), ".error-summary"), want) {
			t.Errorf("a certificate two years old for grade 11: %d %q", resp.Status, text(resp.Doc(t), ".error-summary"))
		}
		if resp.Doc(t).Find(`input#certificate[value="ЖОБ 0123456"]`).Length() != 1 {
			t.Error("the certificate number typed is lost")
		}
		// The scan uploaded with the refused form is kept.
		w.post("certificate", url.Values{"certificate": {"ЖОБ 0123456"}, "certificate_year": {year}}, "school")
		offered := optionValues(t, v, w.base+"/school", "school")
		if len(offered) == 0 {
			t.Fatalf("no school offered: %q", text(v.get(t, w.base+"/school").Doc(t), "main"))
		}
		w.post("school", url.Values{"school": {offered[0]}}, "notify")
		w.post("notify", url.Values{"channel": {"sms"}, "lang": {"ru"}}, "check")
		w.submit(12)
	})

	t.Run("meals", func(t *testing.T) {
		f := families(t, schoolYear-12, 0, 1)[0]
		v := signUp(t, s, "ru", f[0], f[1], "white mountain tea 2026")
		w := begin(t, v, "ru", application.Meals, f[2])
		w.post("informing", nil, "current")
		page := v.get(t, w.base+"/current").Doc(t)
		if !strings.Contains(text(page, ".notice"), ru.T("apply.current.meals_free_note")) {
			t.Errorf("the current-school step does not say grades 1–4 eat free: %q", text(page, "main"))
		}
		w.refused("current", url.Values{"from_school": {sch}, "grade": {"3"}},
			ru.T("apply.current.meals_free", "Grade", application.FreeMealGrades))
		w.post("current", url.Values{"from_school": {sch}, "grade": {"6"}}, "category")
		w.refused("category", url.Values{"category": {"low_income"}}, ru.T("apply.documents.required"))
		w.upload("category", docs("proof"), url.Values{"category": {"low_income"}}, "notify")
		w.post("notify", url.Values{"channel": {"sms"}, "lang": {"ru"}}, "check")
		number := w.submit(9)
		wantMessage(t, s, f[1], number)
	})

	t.Run("camp", func(t *testing.T) {
		ctx := context.Background()
		now := time.Now()
		starts := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 2, 0)
		camp := social.Camp{City: "almaty", Kind: social.OutOfTown, Address: "Талгарский район",
			Name: i18n.Text{KK: "«Балдәурен» лагері", RU: "Лагерь «Балдаурен»", EN: "Baldauren camp"}}
		id, err := s.DB.SaveCamp(ctx, camp, staff.AuditEntry{At: now, Actor: "test", City: "almaty", Action: "camp.save"})
		if err != nil {
			t.Fatal(err)
		}
		shift := func(n, lo, hi int, from time.Time) int64 {
			sid, err := s.DB.SaveShift(ctx, "almaty", social.Shift{CampID: id, Number: n, Starts: from, Ends: from.AddDate(0, 0, 20),
				Seats: 40, AgeMin: lo, AgeMax: hi}, staff.AuditEntry{At: now, Actor: "test", City: "almaty", Action: "shift.save"})
			if err != nil {
				t.Fatal(err)
			}
			return sid
		}
		fits := shift(1, 10, 14, starts)
		young := shift(2, 6, 8, starts.AddDate(0, 0, 21))
		begun := shift(3, 10, 14, starts.AddDate(0, -3, 0)) // began a month ago

		f := families(t, starts.Year()-12, 1, 1)[0] // twelve at the shift
		v := signUp(t, s, "ru", f[0], f[1], "white mountain tea 2026")
		w := begin(t, v, "ru", application.Camp, f[2])
		w.post("informing", nil, "camp")
		offered := optionValues(t, v, w.base+"/camp", "shift")
		if !slices.Equal(offered, []string{strconv.FormatInt(fits, 10)}) {
			t.Errorf("shifts offered %v, want only %d (not %d for younger children, not %d begun)", offered, fits, young, begun)
		}
		w.refused("camp", url.Values{"shift": {strconv.FormatInt(young, 10)}}, ru.T("apply.camp.required"))
		w.refused("camp", url.Values{"shift": {strconv.FormatInt(begun, 10)}}, ru.T("apply.camp.required"))
		w.post("camp", url.Values{"shift": {strconv.FormatInt(fits, 10)}}, "category")
		w.upload("category", docs("proof"), url.Values{"category": {"orphan"}}, "notify")
		w.post("notify", url.Values{"channel": {"sms"}, "lang": {"ru"}}, "check")
		if check := text(v.get(t, w.base+"/check").Doc(t), ".answers"); !strings.Contains(check, "Балдаурен") {
			t.Errorf("the check page does not name the camp: %q", check)
		}
		w.submit(8)
	})

	t.Run("transport", func(t *testing.T) {
		f := families(t, schoolYear-13, 0, 1)[0]
		v := signUp(t, s, "ru", f[0], f[1], "white mountain tea 2026")
		w := begin(t, v, "ru", application.Transport, f[2])
		w.post("informing", nil, "current")
		w.refused("current", url.Values{"from_school": {sch}, "grade": {"7"}, "year": {"1999"}}, ru.T("apply.current.year_required"))
		w.post("current", url.Values{"from_school": {sch}, "grade": {"7"}, "year": {strconv.Itoa(schoolYear)}}, "pickup")
		w.refused("pickup", url.Values{"address": {served.query["ru"]}}, "ближе")
		resp := w.refused("pickup", url.Values{"address": {"ул. Несуществующая, д. 1"}}, ru.T("apply.address.unknown"))
		if resp.Doc(t).Find(`input#address[value="ул. Несуществующая, д. 1"]`).Length() != 1 {
			t.Error("the address typed is lost")
		}
		// The parent's word that the settlement has no school lets a near
		// address through.
		w.post("pickup", url.Values{"address": {served.query["ru"]}, "no_school": {"on"}}, "notify")

		// From a school far away, the same address qualifies.
		far := strconv.FormatInt(farthest(served.school), 10)
		w.post("current", url.Values{"from_school": {far}, "grade": {"7"}, "year": {strconv.Itoa(schoolYear)}}, "pickup")
		w.post("pickup", url.Values{"address": {served.query["ru"]}}, "notify")
		w.post("notify", url.Values{"channel": {"sms"}, "lang": {"ru"}}, "check")
		check := text(v.get(t, w.base+"/check").Doc(t), ".answers")
		if !strings.Contains(check, "км") {
			t.Errorf("the check page shows no distance in km: %q", check)
		}
		wantMessage(t, s, f[1], w.submit(9))
	})
}

// wantMessage waits for a message to to that says want, as the worker
// delivers the outbox's messages in the background.
func wantMessage(t *testing.T, s *webtest.Server, to, want string) {
	t.Helper()
	awaitMessages(t, s, to, func(bodies []string) bool {
		return slices.ContainsFunc(bodies, func(b string) bool { return strings.Contains(b, want) })
	})
}

// uploadForm posts a step's files with its other fields, as a browser
// sends a multipart form.
func (v *visitor) uploadForm(t *testing.T, path string, files map[string][]byte, fields url.Values) *webtest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for name, vals := range fields {
		for _, val := range vals {
			if err := mw.WriteField(name, val); err != nil {
				t.Fatal(err)
			}
		}
	}
	for field, data := range files {
		fw, err := mw.CreateFormFile(field, field+".bin")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, v.s.URL+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", v.s.URL)
	return v.do(t, req)
}
