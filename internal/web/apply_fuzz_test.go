package web_test

import (
	"net/http"
	"strings"
	"testing"

	"sakura/internal/application"
	"sakura/internal/web/webtest"
)

// FuzzApplyForms posts arbitrary form bodies, urlencoded or multipart, to
// every step of a grade-1 draft: whatever arrives, the answer is a page or a
// redirect, never a fault of ours.
func FuzzApplyForms(f *testing.F) {
	s := webtest.Start(f, webtest.Options{Demo: true, Cities: demoPlaces()})
	mother, phone, son := demoFamily(f)
	v := signUp(f, s, "en", mother, phone, "white mountain tea 2026")
	base := strings.TrimSuffix(v.post(f, "/en/almaty/apply/grade1", nil).Header.Get("Location"), "/consents")

	steps := application.Wizards[application.Grade1].Steps
	for i := range steps {
		f.Add(i, "application/x-www-form-urlencoded", "personal_data=on&registry_check=on&true_data=on&notifications=on")
		f.Add(i, "application/x-www-form-urlencoded", "mode=iin&child_iin="+son)
		f.Add(i, "application/x-www-form-urlencoded", "mode=no_iin&surname=%00%FF&birth_date=2021-13-45")
		f.Add(i, "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\r\n\xff\xd8\xff\r\n--x--\r\n")
		f.Add(i, "application/x-www-form-urlencoded", "school=-1&address="+strings.Repeat("ы", 500)+"&language=xx&channel=fax")
	}
	f.Fuzz(func(t *testing.T, step int, contentType, body string) {
		if step < 0 {
			step = -step
		}
		for _, r := range contentType {
			if r < ' ' || r > '~' {
				t.Skip("no client sends such a header") // net/http refuses to
			}
		}
		resp := v.postRaw(t, base+"/"+steps[step%len(steps)], contentType, body)
		if resp.Status >= 500 {
			t.Fatalf("%s %q: %d", steps[step%len(steps)], body, resp.Status)
		}
		if resp.Status != http.StatusSeeOther && !strings.Contains(resp.Body, "</html>") {
			t.Fatalf("%s %q: %d without a page", steps[step%len(steps)], body, resp.Status)
		}
	})
}
