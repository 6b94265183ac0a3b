package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"sakura/internal/account"
	"sakura/internal/demo"
	"sakura/internal/document/documenttest"
	"sakura/internal/web/webtest"
)

// demoFamily is the first demo family of Almaty: the mother, her phone and
// her son, who starts school in 2027.
func demoFamily(t *testing.T) (mother, phone, son string) {
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
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for field, data := range files {
		name := field + ".bin"
		w, err := mw.CreateFormFile(field, name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
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

	// The draft cannot change any more, and a second catchment application
	// for the son is refused at the informing step... once the school step
	// offers nothing new: the quota schools remain.
	if resp := v.post(t, base+"/consents", url.Values{}); resp.Status != http.StatusConflict {
		t.Errorf("a submitted draft took a form: %d", resp.Status)
	}
	_ = demo.Today
}
