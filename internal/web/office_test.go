package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"sakura/internal/demo"
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
