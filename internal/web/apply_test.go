package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"sakura/internal/account"
	"sakura/internal/campaign"
	"sakura/internal/document/documenttest"
	"sakura/internal/iin"
	"sakura/internal/web/webtest"
)

// demoFamily is the first demo family of Almaty: the mother, her phone and
// her son, who starts school in 2027.
func demoFamily(t testing.TB) (mother, phone, son string) {
	t.Helper()
	for _, p := range demoPlaces()[0].People {
		if p.Phone != "" && mother == "" {
			mother, phone = p.IIN, p.Phone
		}
	}
	for _, l := range demoPlaces()[0].Links {
		if l.ParentIIN == mother {
			return mother, phone, l.ChildIIN
		}
	}
	t.Fatal("no demo family")
	return "", "", ""
}

// upload posts the documents step's files as a browser would.
func (v *visitor) upload(t *testing.T, path string, files map[string][]byte) *webtest.Response {
	t.Helper()
	return v.uploadForm(t, path, files, nil)
}

// walkGrade1 takes a signed-in parent through the grade-1 wizard up to the
// check step and returns the draft's path.
func walkGrade1(t *testing.T, v *visitor, lang, son, address string) string {
	t.Helper()
	resp := v.post(t, "/"+lang+"/almaty/apply/grade1", nil)
	wantRedirect(t, resp, "/"+lang+"/almaty/apply/grade1/")
	loc := resp.Header.Get("Location")
	base := strings.TrimSuffix(loc, "/consents")

	steps := []struct {
		step string
		form url.Values
	}{
		{"consents", url.Values{"personal_data": {"on"}, "registry_check": {"on"}, "true_data": {"on"}, "notifications": {"on"}}},
		{"identity", url.Values{}},
		{"contacts", url.Values{"extra_phone": {"+7 702 555 12 34"}}},
		{"child", url.Values{"mode": {"iin"}, "child_iin": {son}}},
	}
	for i, s := range steps {
		next := "documents"
		if i+1 < len(steps) {
			next = steps[i+1].step
		}
		wantRedirect(t, v.post(t, base+"/"+s.step, s.form), base+"/"+next)
	}
	wantRedirect(t, v.upload(t, base+"/documents", map[string][]byte{
		"photo":       documenttest.JPEG(600, 800),
		"medical_065": documenttest.PDF("Form 065/u"),
		"medical_052": documenttest.PNG(1200, 1600),
	}), base+"/informing")
	wantRedirect(t, v.post(t, base+"/informing", nil), base+"/address")
	wantRedirect(t, v.post(t, base+"/address", url.Values{"address": {address}, "language": {"ru"}}), base+"/school")

	doc := v.get(t, base+"/school").Doc(t)
	school := doc.Find(`input[name="school"]`).First().AttrOr("value", "")
	if school == "" {
		t.Fatalf("no school offered for %q: %s", address, text(doc, "main"))
	}
	wantRedirect(t, v.post(t, base+"/school", url.Values{"school": {school}}), base+"/notify")
	wantRedirect(t, v.post(t, base+"/notify", url.Values{"channel": {"sms"}, "lang": {lang}}), base+"/check")
	return base
}

// TestApplyGrade1 files a grade-1 application without JavaScript: every
// step, its refusals keeping what was typed, the check page, a submission
// clicked twice that makes one application, its SMS, and a draft no
// stranger can open.
func TestApplyGrade1(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces()})
	mother, phone, son := demoFamily(t)
	served, _ := MustPlaceCases(t)
	v := signUp(t, s, "ru", mother, phone, "white mountain tea 2026")

	if resp := v.get(t, "/ru/almaty/apply/grade1"); resp.Status != 200 || resp.Doc(t).Find(`form[action="/ru/almaty/apply/grade1"]`).Length() != 1 {
		t.Fatalf("start page: %d", resp.Status)
	}

	// Refusals, on a draft of their own.
	resp := v.post(t, "/ru/almaty/apply/grade1", nil)
	base := strings.TrimSuffix(resp.Header.Get("Location"), "/consents")
	resp = v.post(t, base+"/consents", url.Values{"personal_data": {"on"}})
	if resp.Status != 400 || text(resp.Doc(t), "#consents-error") == "" || resp.Doc(t).Find("#consent-personal_data[checked]").Length() != 1 {
		t.Errorf("three consents missing: %d", resp.Status)
	}
	wantRedirect(t, v.get(t, base+"/school"), base+"/consents") // no skipping by URL

	base = walkGrade1(t, v, "ru", son, served.query["ru"])

	check := v.get(t, base+"/check").Doc(t)
	if n := check.Find(".answers dt").Length(); n < 10 {
		t.Errorf("the check page lists %d answers", n)
	}
	if check.Find(`a[href="`+base+`/child"]`).Length() == 0 {
		t.Error("no link to change the child")
	}

	// A stranger cannot open the draft.
	if resp := newVisitor(t, s).get(t, base+"/check"); resp.Status != http.StatusNotFound {
		t.Errorf("a stranger opened the draft: %d", resp.Status)
	}

	// A double click: two submissions at once make one application.
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range 2 {
		wg.Go(func() { codes[i] = v.post(t, base+"/submit", nil).Status })
	}
	wg.Wait()
	if codes[0] != http.StatusSeeOther || codes[1] != http.StatusSeeOther {
		t.Errorf("double submission answered %v", codes)
	}
	done := v.get(t, base+"/done").Doc(t)
	number := text(done, ".number")
	if !strings.HasPrefix(number, "ALM-G1-2027-") {
		t.Errorf("number %q", number)
	}
	var accountID int64
	if err := s.DB.Tx(context.Background(), func(tx account.Tx) error {
		a, err := tx.AccountByIIN(context.Background(), mother)
		accountID = a.ID
		return err
	}); err != nil {
		t.Fatal(err)
	}
	apps, err := s.DB.Applications(context.Background(), accountID)
	if err != nil || len(apps) != 1 {
		t.Fatalf("%d applications (%v), want 1", len(apps), err)
	}
	if body := messageTo(t, s, phone, 3); !strings.Contains(body, number) {
		t.Errorf("the SMS says %q, want the number %s", body, number)
	}

	// The draft cannot change any more.
	if resp := v.post(t, base+"/consents", url.Values{}); resp.Status != http.StatusConflict {
		t.Errorf("a submitted draft took a form: %d", resp.Status)
	}
}

// TestApplySecondApplication: once the child has a catchment application,
// a new draft offers only quota schools; once it has both, the informing
// step refuses a third, linking to the two under way.
func TestApplySecondApplication(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces()})
	mother, phone, son := demoFamily(t)
	served, _ := MustPlaceCases(t)
	v := signUp(t, s, "en", mother, phone, "white mountain tea 2026")

	first := walkGrade1(t, v, "en", son, served.query["en"])
	wantRedirect(t, v.post(t, first+"/submit", nil), first+"/done")

	second := walkGrade1(t, v, "en", son, served.query["en"])
	wantRedirect(t, v.post(t, second+"/submit", nil), second+"/done")

	apps, err := s.DB.Applications(context.Background(), accountOf(t, s, mother))
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for _, a := range apps {
		numbers = append(numbers, string(a.Basis)+" "+string(a.Number))
	}
	if len(numbers) != 2 || !strings.HasPrefix(numbers[0], "quota ") || !strings.HasPrefix(numbers[1], "catchment ") {
		t.Fatalf("applications %q, want a catchment one and then a quota one", numbers)
	}

	third := draftAt(t, v, son, "informing")
	doc := v.get(t, third+"/informing").Doc(t)
	if doc.Find(".earlier a").Length() != 2 || doc.Find("button#informing").Length() != 0 {
		t.Errorf("the informing step lists %d applications and offers to go on: %q",
			doc.Find(".earlier a").Length(), text(doc, "main"))
	}
	resp := v.post(t, third+"/informing", nil)
	en := MustCatalog(t).Translator("en")
	if resp.Status != 400 || !strings.Contains(text(resp.Doc(t), ".error-summary"), en.T("apply.informing.both")) {
		t.Errorf("a third application: %d %q", resp.Status, text(resp.Doc(t), ".error-summary"))
	}
	wantRedirect(t, v.get(t, third+"/address"), third+"/informing")
}

// draftAt begins a draft and answers its steps up to, not including, stop.
func draftAt(t *testing.T, v *visitor, son, stop string) string {
	t.Helper()
	resp := v.post(t, "/en/almaty/apply/grade1", nil)
	base := strings.TrimSuffix(resp.Header.Get("Location"), "/consents")
	forms := map[string]url.Values{
		"consents": {"personal_data": {"on"}, "registry_check": {"on"}, "true_data": {"on"}, "notifications": {"on"}},
		"identity": {},
		"contacts": {},
		"child":    {"mode": {"iin"}, "child_iin": {son}},
	}
	for _, step := range []string{"consents", "identity", "contacts", "child"} {
		if step == stop {
			return base
		}
		if resp := v.post(t, base+"/"+step, forms[step]); resp.Status != http.StatusSeeOther {
			t.Fatalf("step %s: %d", step, resp.Status)
		}
	}
	if stop == "documents" {
		return base
	}
	wantRedirect(t, v.upload(t, base+"/documents", map[string][]byte{
		"photo": documenttest.JPEG(300, 400), "medical_065": documenttest.PDF("065"), "medical_052": documenttest.PDF("052"),
	}), base+"/informing")
	if stop == "informing" {
		return base
	}
	wantRedirect(t, v.post(t, base+"/informing", nil), base+"/address")
	return base
}

// TestApplyRefusals: each step refuses what is wrong next to the field, in
// the page's language, keeping what was typed.
func TestApplyRefusals(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces()})
	en := MustCatalog(t).Translator("en")
	mother, phone, son := demoFamily(t)
	v := signUp(t, s, "en", mother, phone, "white mountain tea 2026")
	stranger := schoolStarters(t, 5)[4][2] // a child of another family

	t.Run("child", func(t *testing.T) {
		base := draftAt(t, v, son, "child")
		bad := son[:11] + string('0'+(son[11]-'0'+1)%10)
		for _, tc := range []struct {
			form  url.Values
			field string
			want  string
		}{
			{url.Values{"mode": {"iin"}, "child_iin": {bad}}, "child_iin", en.T("iin.checksum")},
			{url.Values{"mode": {"iin"}, "child_iin": {unknownChild(t)}}, "child_iin", en.T("apply.child.not_found")},
			{url.Values{"mode": {"iin"}, "child_iin": {stranger}}, "child_iin", en.T("apply.child.not_linked")},
			{url.Values{"mode": {"no_iin"}, "surname": {"Сейітов"}, "name": {"Ерлан"}, "birth_date": {"2022-05-01"}}, "birth_date",
				en.T("campaign.too_young", "Year", 2027, "Age", 6)},
			{url.Values{"mode": {"no_iin"}, "surname": {"Сейітов"}, "birth_date": {"01.05.2021"}}, "name", en.T("apply.child.name_required")},
		} {
			resp := v.post(t, base+"/child", tc.form)
			doc := resp.Doc(t)
			if got := text(doc, "#"+tc.field+"-error"); resp.Status != 400 || got != tc.want {
				t.Errorf("%v: %d %q, want %q", tc.form, resp.Status, got, tc.want)
			}
			for name, vals := range tc.form {
				if name == "mode" {
					continue
				}
				if got := doc.Find("#"+name).AttrOr("value", ""); got != vals[0] {
					t.Errorf("%v: %s lost: %q", tc.form, name, got)
				}
			}
		}
	})

	t.Run("documents", func(t *testing.T) {
		base := draftAt(t, v, son, "documents")
		elf := append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 4000)...)
		resp := v.upload(t, base+"/documents", map[string][]byte{
			"photo":       elf,                                      // a renamed executable
			"medical_065": []byte("%PDF-1.7 this is no PDF at all"), // a PDF that is not one
			"medical_052": documenttest.PNG(400, 300),               // fine: kept
		})
		doc := resp.Doc(t)
		if resp.Status != 400 {
			t.Errorf("bad files: %d, want 400", resp.Status)
		}
		if !strings.Contains(text(doc, ".error-summary"), "JPEG") {
			t.Errorf("renamed executable: summary %q", text(doc, ".error-summary"))
		}
		if n := doc.Find(".field-error").Length(); n != 2 {
			t.Errorf("%d fields refused, want 2", n)
		}
		if !strings.Contains(text(doc, "#medical_052-hint"), "medical_052") {
			t.Errorf("the accepted scan is not kept: %q", text(doc, "#medical_052-hint"))
		}

		huge := make([]byte, 40<<20)
		copy(huge, documenttest.JPEG(100, 100))
		resp = v.upload(t, base+"/documents", map[string][]byte{"photo": huge})
		if resp.Status != 400 || !strings.Contains(text(resp.Doc(t), ".error-summary"), "MB") {
			t.Errorf("40 MB scan: %d %q", resp.Status, text(resp.Doc(t), ".error-summary"))
		}
	})

	t.Run("address", func(t *testing.T) {
		base := draftAt(t, v, son, "address")
		resp := v.post(t, base+"/address", url.Values{"address": {"Broadway 1, New York"}, "language": {"ru"}})
		doc := resp.Doc(t)
		if resp.Status != 400 || text(doc, "#address-error") != en.T("apply.address.unknown") ||
			doc.Find("#address").AttrOr("value", "") != "Broadway 1, New York" || doc.Find("#language-ru[checked]").Length() != 1 {
			t.Errorf("address outside the city: %d %q", resp.Status, text(doc, "#address-error"))
		}
	})

	t.Run("no IIN needs the birth certificate", func(t *testing.T) {
		base := draftAt(t, v, son, "child")
		wantRedirect(t, v.post(t, base+"/child", url.Values{"mode": {"abroad"}, "surname": {"Сейітов"}, "name": {"Ерлан"},
			"birth_date": {"2021-02-11"}}), base+"/documents")
		doc := v.get(t, base+"/documents").Doc(t)
		if doc.Find("#birth_certificate").Length() != 1 {
			t.Error("no birth certificate asked for a child born abroad")
		}
	})
}

// unknownChild returns a valid IIN of a child born in 2021 that the demo
// registry does not hold.
func unknownChild(t *testing.T) string {
	t.Helper()
	id, err := iin.Make(time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC), true, 9876)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestApplyResume: a draft waits in the cabinet and goes on where it
// stopped, on another device too, once the parent signs in there.
func TestApplyResume(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces()})
	mother, phone, son := demoFamily(t)
	const password = "white mountain tea 2026"
	v := signUp(t, s, "en", mother, phone, password)
	base := draftAt(t, v, son, "documents")

	link := v.get(t, "/en/cabinet/applications").Doc(t).Find(".drafts a").AttrOr("href", "")
	if link != base {
		t.Fatalf("the cabinet links the draft as %q, want %q", link, base)
	}
	other := newVisitor(t, s)
	if resp := other.get(t, base); resp.Status != http.StatusNotFound {
		t.Errorf("another device before signing in: %d, want 404", resp.Status)
	}
	wantRedirect(t, other.post(t, "/en/cabinet/signin", url.Values{"iin": {mother}, "password": {password}}), "/en/cabinet")
	wantRedirect(t, other.get(t, base), base+"/documents")
	if resp := other.get(t, base+"/documents"); resp.Status != 200 {
		t.Errorf("the documents step on another device: %d", resp.Status)
	}
}

// TestApplyBeforeTheWindow: before the campaign opens, the whole draft can
// be prepared; the check page says when submitting opens, and a submission
// forged before then is refused.
func TestApplyBeforeTheWindow(t *testing.T) {
	later := campaign.Defaults // opens 1 April 2027
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces(), Campaigns: later})
	mother, phone, son := demoFamily(t)
	served, _ := MustPlaceCases(t)
	v := signUp(t, s, "en", mother, phone, "white mountain tea 2026")
	base := walkGrade1(t, v, "en", son, served.query["en"])

	doc := v.get(t, base+"/check").Doc(t)
	if doc.Find("#submit[disabled]").Length() != 1 || !strings.Contains(text(doc, "main"), "01.04.2027") {
		t.Errorf("the check page before the window: %q", text(doc, ".notice"))
	}
	if resp := v.post(t, base+"/submit", nil); resp.Status != http.StatusConflict {
		t.Errorf("a submission before the window: %d, want 409", resp.Status)
	}
}
