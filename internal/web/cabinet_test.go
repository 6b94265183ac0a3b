package web_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"sakura/internal/i18n"
	"sakura/internal/iin/iintest"
	"sakura/internal/web/webtest"
)

// visitor is a browser without JavaScript: it keeps cookies and follows no
// redirect by itself, so that each answer can be checked.
type visitor struct {
	s      *webtest.Server
	client *http.Client
}

func newVisitor(t testing.TB, s *webtest.Server) *visitor {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &visitor{s: s, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (v *visitor) get(t testing.TB, path string) *webtest.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, v.s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return v.do(t, req)
}

// post sends a form as the portal's own page would: from the same origin.
func (v *visitor) post(t testing.TB, path string, form url.Values) *webtest.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, v.s.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", v.s.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return v.do(t, req)
}

// postRaw sends a body of any content type from the same origin, as a
// forged or broken form would arrive.
func (v *visitor) postRaw(t testing.TB, path, contentType, body string) *webtest.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, v.s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", v.s.URL)
	return v.do(t, req)
}

func (v *visitor) do(t testing.TB, req *http.Request) *webtest.Response {
	t.Helper()
	c := *v.s
	c.Client = v.client
	return c.Do(t, req)
}

// wantRedirect fails unless resp is a 303 to a location starting with prefix.
func wantRedirect(t testing.TB, resp *webtest.Response, prefix string) {
	t.Helper()
	if loc := resp.Header.Get("Location"); resp.Status != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("status %d to %q, want 303 to %s…; body %.300s", resp.Status, loc, prefix, resp.Body)
	}
}

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// codeFor waits for the worker to deliver the n-th message to phone in the
// outbox and returns the code in it.
func codeFor(t testing.TB, s *webtest.Server, phone string, n int) string {
	t.Helper()
	bodies := awaitMessages(t, s, phone, func(b []string) bool { return len(b) >= n })
	code := sixDigits.FindString(bodies[0]) // newest first
	if code == "" {
		t.Fatalf("no code in %q", bodies[0])
	}
	return code
}

// awaitMessages waits for the worker to deliver messages to to until ok
// holds of their bodies, newest first, and returns them; after ten seconds
// it fails the test.
func awaitMessages(t testing.TB, s *webtest.Server, to string, ok func(bodies []string) bool) []string {
	t.Helper()
	var bodies []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		msgs, err := s.DB.Messages(context.Background(), 500)
		if err != nil {
			t.Fatal(err)
		}
		bodies = bodies[:0]
		for _, m := range msgs {
			if m.To == to {
				bodies = append(bodies, m.Body)
			}
		}
		if ok(bodies) {
			return bodies
		}
	}
	t.Fatalf("the outbox holds %d messages to %s, not the ones awaited: %q", len(bodies), to, bodies)
	return nil
}

// nobody returns a valid IIN that no person of the test data holds.
func nobody(t *testing.T) string { return iintest.Must(t, 1988, 1, 1, true) }

// parents returns the demo parents of webtest.Cities: IIN and phone.
func parents(t *testing.T) (mother, father, aunt [2]string) {
	t.Helper()
	var got [][2]string
	for _, c := range webtest.Cities() {
		for _, p := range c.People {
			if p.Phone != "" {
				got = append(got, [2]string{p.IIN, p.Phone})
			}
		}
	}
	if len(got) != 3 {
		t.Fatalf("%d parents with phones in the test data, want 3", len(got))
	}
	return got[0], got[1], got[2]
}

// signUp takes a parent through the first sign-in without JavaScript and
// returns the visitor, signed in.
func signUp(t testing.TB, s *webtest.Server, lang, iin, phone, password string) *visitor {
	t.Helper()
	v := newVisitor(t, s)
	wantRedirect(t, v.post(t, "/"+lang+"/cabinet/code", url.Values{"iin": {iin}}), "/"+lang+"/cabinet/code/verify")
	code := codeFor(t, s, phone, 1)
	wantRedirect(t, v.post(t, "/"+lang+"/cabinet/code/verify", url.Values{"code": {code}}), "/"+lang+"/cabinet/password/new")
	wantRedirect(t, v.post(t, "/"+lang+"/cabinet/password/new",
		url.Values{"password": {password}, "password_repeat": {password}}), "/"+lang+"/cabinet?done=welcome")
	return v
}

// TestCabinetFirstSignIn walks the first sign-in, sign-out and sign-in with
// the password without JavaScript, checking what a parent reads on the way
// and the cookies a browser keeps.
func TestCabinetFirstSignIn(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true})
	en := MustCatalog(t).Translator(i18n.EN)
	mother, _, _ := parents(t)
	v := newVisitor(t, s)

	// Not signed in: the sign-in form, never cached.
	resp := v.get(t, "/en/cabinet")
	doc := resp.Doc(t)
	if resp.Status != 200 || doc.Find(`form input[name*="iin"]`).Length() == 0 {
		t.Fatalf("GET /en/cabinet: %d, no IIN input", resp.Status)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}

	// A malformed IIN is refused next to the field, keeping what was typed.
	resp = v.post(t, "/en/cabinet/code", url.Values{"iin": {"90072540001"}})
	doc = resp.Doc(t)
	if resp.Status != 400 || doc.Find("#iin").AttrOr("value", "") != "90072540001" ||
		text(doc, "#iin-error") != en.T("iin.length") || doc.Find(`.error-summary a[href="#iin"]`).Length() != 1 {
		t.Errorf("short IIN: %d, value %q, error %q", resp.Status, doc.Find("#iin").AttrOr("value", ""), text(doc, "#iin-error"))
	}

	// The code: the attempt's cookie is HttpOnly and Lax.
	resp = v.post(t, "/en/cabinet/code", url.Values{"iin": {mother[0]}})
	wantRedirect(t, resp, "/en/cabinet/code/verify")
	if sc := resp.Header.Get("Set-Cookie"); !strings.Contains(sc, "sakura_attempt=") || !strings.Contains(sc, "HttpOnly") ||
		!strings.Contains(sc, "SameSite=Lax") {
		t.Errorf("attempt cookie %q", sc)
	}
	if got := text(v.get(t, "/en/cabinet/code/verify").Doc(t), ".notice"); got != en.T("cabinet.code.sent") {
		t.Errorf("notice %q", got)
	}
	code := codeFor(t, s, mother[1], 1)

	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	resp = v.post(t, "/en/cabinet/code/verify", url.Values{"code": {wrong}})
	if got, want := text(resp.Doc(t), "#code-error"), en.N("account.code_wrong", 4); resp.Status != 400 || got != want {
		t.Errorf("wrong code: %d %q, want 400 %q", resp.Status, got, want)
	}
	wantRedirect(t, v.post(t, "/en/cabinet/code/verify", url.Values{"code": {code}}), "/en/cabinet/password/new")

	// The password: refusals say why; the repeat must match.
	resp = v.post(t, "/en/cabinet/password/new", url.Values{"password": {"sakura"}, "password_repeat": {"sakura"}})
	if got := text(resp.Doc(t), "#password-error"); resp.Status != 400 || got != en.T("account.password_short", "Min", 12) {
		t.Errorf("short password: %d %q", resp.Status, got)
	}
	resp = v.post(t, "/en/cabinet/password/new", url.Values{"password": {"river stone lantern 7"}, "password_repeat": {"river stone lantern 8"}})
	if got := text(resp.Doc(t), "#password_repeat-error"); resp.Status != 400 || got != en.T("cabinet.password.mismatch") {
		t.Errorf("mismatch: %d %q", resp.Status, got)
	}
	resp = v.post(t, "/en/cabinet/password/new", url.Values{"password": {"river stone lantern 7"}, "password_repeat": {"river stone lantern 7"}})
	wantRedirect(t, resp, "/en/cabinet?done=welcome")
	if sc := strings.Join(resp.Header.Values("Set-Cookie"), "\n"); !strings.Contains(sc, "sakura_session=") ||
		!strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") {
		t.Errorf("session cookie %q", sc)
	}

	// The feed shows the events with their messages' statuses.
	resp = v.get(t, "/en/cabinet?done=welcome")
	doc = resp.Doc(t)
	if got := text(doc, ".flash"); got != en.T("cabinet.done.welcome") {
		t.Errorf("flash %q", got)
	}
	events := doc.Find(".feed .event-text").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if len(events) != 2 || events[0] != en.T("cabinet.event.password_set") || events[1] != en.T("cabinet.event.code_sent") {
		t.Errorf("events %q", events)
	}
	if doc.Find(".feed .event.unread").Length() != 2 {
		t.Error("new events are not marked unread")
	}
	if got := text(doc, "#event-1 .delivery"); !strings.Contains(got, "+7701***0001") {
		t.Errorf("code delivery %q, want the masked phone", got)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Error("the feed may be cached")
	}
	// Seen once, they are no longer new.
	if n := v.get(t, "/en/cabinet").Doc(t).Find(".feed .event.unread").Length(); n != 0 {
		t.Errorf("%d events still unread after the feed was seen", n)
	}

	// Sign out, then in with the password; a wrong one says the same as an
	// unknown IIN.
	wantRedirect(t, v.post(t, "/en/cabinet/signout", nil), "/en/cabinet?signin=out")
	if v.get(t, "/en/cabinet/settings").Status != http.StatusSeeOther {
		t.Error("settings answer after sign-out")
	}
	wrongPassword := v.post(t, "/en/cabinet/signin", url.Values{"iin": {mother[0]}, "password": {"river stone lantern 8"}})
	unknown := v.post(t, "/en/cabinet/signin", url.Values{"iin": {nobody(t)}, "password": {"river stone lantern 8"}})
	if wrongPassword.Status != 401 || unknown.Status != 401 ||
		text(wrongPassword.Doc(t), "#password-error") != text(unknown.Doc(t), "#password-error") {
		t.Errorf("wrong password %d %q; unknown IIN %d %q", wrongPassword.Status, text(wrongPassword.Doc(t), "#password-error"),
			unknown.Status, text(unknown.Doc(t), "#password-error"))
	}
	if got := wrongPassword.Doc(t).Find("#iin").AttrOr("value", ""); got != mother[0] {
		t.Errorf("the IIN typed is lost: %q", got)
	}
	wantRedirect(t, v.post(t, "/en/cabinet/signin", url.Values{"iin": {mother[0]}, "password": {"river stone lantern 7"}}),
		"/en/cabinet?done=signed_in")
	if got := text(v.get(t, "/en/cabinet/settings").Doc(t), "h1"); got != en.T("cabinet.nav.settings") {
		t.Errorf("settings h1 %q", got)
	}
}

// TestCabinetNoEnumeration: an IIN nobody holds gets the same answers as a
// parent's, and no message is sent.
func TestCabinetNoEnumeration(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true})
	mother, _, _ := parents(t)

	known, unknown := newVisitor(t, s), newVisitor(t, s)
	a := known.post(t, "/ru/cabinet/code", url.Values{"iin": {mother[0]}})
	b := unknown.post(t, "/ru/cabinet/code", url.Values{"iin": {nobody(t)}})
	if a.Status != b.Status || a.Header.Get("Location") != b.Header.Get("Location") {
		t.Errorf("known %d %q, unknown %d %q", a.Status, a.Header.Get("Location"), b.Status, b.Header.Get("Location"))
	}
	pa, pb := known.get(t, "/ru/cabinet/code/verify"), unknown.get(t, "/ru/cabinet/code/verify")
	if text(pa.Doc(t), "main") != text(pb.Doc(t), "main") {
		t.Error("the code pages differ between a known and an unknown IIN")
	}
	ca := known.post(t, "/ru/cabinet/code/verify", url.Values{"code": {"123456"}})
	cb := unknown.post(t, "/ru/cabinet/code/verify", url.Values{"code": {"123456"}})
	if ca.Status != cb.Status || text(ca.Doc(t), "#code-error") != text(cb.Doc(t), "#code-error") {
		t.Errorf("wrong code: known %d %q, unknown %d %q", ca.Status, text(ca.Doc(t), "#code-error"), cb.Status, text(cb.Doc(t), "#code-error"))
	}

	codeFor(t, s, mother[1], 1)
	msgs, err := s.DB.Messages(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 {
		t.Errorf("%d messages sent, want 1 (to the parent only)", len(msgs))
	}
}

// TestCabinetCrossSitePost: a form posted from another site is refused
// before it reaches the cabinet.
func TestCabinetCrossSitePost(t *testing.T) {
	s := webtest.Start(t, webtest.Options{})
	mother, _, _ := parents(t)
	for _, path := range []string{"/en/cabinet/signin", "/en/cabinet/code", "/en/cabinet/settings/password", "/en/cabinet/signout/all"} {
		req, err := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(url.Values{"iin": {mother[0]}}.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if resp := s.Do(t, req); resp.Status != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d, want 403", path, resp.Status)
		}
	}
	msgs, err := s.DB.Messages(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 0 {
		t.Errorf("a cross-site post sent %d messages", len(msgs))
	}
}

// TestCabinetNeedsSession: pages of a signed-in parent send anyone else to
// the sign-in page, and their forms answer 401.
func TestCabinetNeedsSession(t *testing.T) {
	s := webtest.Start(t, webtest.Options{})
	v := newVisitor(t, s)
	for _, path := range []string{"/kk/cabinet/settings", "/ru/cabinet/applications", "/en/cabinet/referrals", "/kk/cabinet/files", "/ru/cabinet/settings/phone"} {
		wantRedirect(t, v.get(t, path), "/"+path[1:3]+"/cabinet?signin=ended")
	}
	for _, path := range []string{"/en/cabinet/settings/preferences", "/en/cabinet/settings/password", "/en/cabinet/sessions/end", "/en/cabinet/signout/all"} {
		if resp := v.post(t, path, url.Values{}); resp.Status != http.StatusUnauthorized {
			t.Errorf("POST %s without a session: %d, want 401", path, resp.Status)
		}
	}
	// A forged session cookie is no session.
	forged := newVisitor(t, s)
	u, _ := url.Parse(s.URL)
	forged.client.Jar.SetCookies(u, []*http.Cookie{{Name: "sakura_session", Value: strings.Repeat("A", 43)}})
	wantRedirect(t, forged.get(t, "/en/cabinet/settings"), "/en/cabinet?signin=ended")
}

// messageTo waits for the n-th message to a recipient, counting every
// message since the start (a sign-up alone sends two: the code and the
// password note), and returns the newest one's body.
func messageTo(t *testing.T, s *webtest.Server, to string, n int) string {
	t.Helper()
	return awaitMessages(t, s, to, func(b []string) bool { return len(b) >= n })[0]
}

// TestCabinetSettings changes each setting without JavaScript: the main
// phone by a code to the new number, the e-mail by a link opened on another
// device, the password (which signs other devices out), and one session
// from the list. Nothing personal reaches the logs.
func TestCabinetSettings(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true})
	en := MustCatalog(t).Translator(i18n.EN)
	mother, _, _ := parents(t)
	const password, newPassword = "white mountain tea 2026", "quiet river at dawn"
	v := signUp(t, s, "en", mother[0], mother[1], password)

	other := newVisitor(t, s)
	wantRedirect(t, other.post(t, "/en/cabinet/signin", url.Values{"iin": {mother[0]}, "password": {password}}), "/en/cabinet")
	doc := v.get(t, "/en/cabinet/settings").Doc(t)
	if n := doc.Find(".sessions > li").Length(); n != 2 {
		t.Errorf("%d sessions listed, want 2", n)
	}
	if n := doc.Find(".sessions .badge").Length(); n != 1 {
		t.Errorf("%d sessions marked as this device, want 1", n)
	}

	// The main phone: a code to the new number, a note to the old one.
	resp := v.post(t, "/en/cabinet/settings/phone", url.Values{"phone": {"+1 202 555 0100"}})
	if got := text(resp.Doc(t), "#phone-error"); resp.Status != 400 || got != en.T("account.phone_invalid") {
		t.Errorf("foreign phone: %d %q", resp.Status, got)
	}
	if got := resp.Doc(t).Find("#phone").AttrOr("value", ""); got != "+1 202 555 0100" {
		t.Errorf("the phone typed is lost: %q", got)
	}
	wantRedirect(t, v.post(t, "/en/cabinet/settings/phone", url.Values{"phone": {"8 702 111 22 33"}}), "/en/cabinet/settings/phone")
	code := codeFor(t, s, "+77021112233", 1)
	wantRedirect(t, v.post(t, "/en/cabinet/settings/phone/confirm", url.Values{"code": {code}}), "/en/cabinet/settings?done=phone")
	if got := text(v.get(t, "/en/cabinet/settings").Doc(t), "#phone-title + p strong"); got != "+77021112233" {
		t.Errorf("main phone now %q", got)
	}
	if body := messageTo(t, s, mother[1], 2); !strings.Contains(body, "main phone") {
		t.Errorf("the old phone was told %q", body)
	}

	// The e-mail: a link, opened on a device that is not signed in.
	resp = v.post(t, "/en/cabinet/settings/email", url.Values{"email": {"aigul at mail"}})
	if got := text(resp.Doc(t), "#email-error"); resp.Status != 400 || got != en.T("account.email_invalid") {
		t.Errorf("bad e-mail: %d %q", resp.Status, got)
	}
	wantRedirect(t, v.post(t, "/en/cabinet/settings/email", url.Values{"email": {"aigul@example.kz"}}), "/en/cabinet/settings?done=email_sent")
	body := messageTo(t, s, "aigul@example.kz", 1)
	link := regexp.MustCompile(`https?://\S+`).FindString(body)
	u, err := url.Parse(link)
	if err != nil || u.Path != "/en/cabinet/email" {
		t.Fatalf("link %q in %q", link, body)
	}
	phone := newVisitor(t, s)
	page := phone.get(t, u.RequestURI()).Doc(t)
	token := page.Find(`input[name="token"]`).AttrOr("value", "")
	if token == "" {
		t.Fatal("the link's page has no confirm button")
	}
	resp = phone.post(t, "/en/cabinet/email", url.Values{"token": {token}})
	if got := text(resp.Doc(t), ".flash"); resp.Status != 200 || !strings.Contains(got, "a***@example.kz") {
		t.Errorf("confirmation: %d %q", resp.Status, got)
	}
	if again := phone.post(t, "/en/cabinet/email", url.Values{"token": {token}}); again.Status != 400 {
		t.Errorf("the link worked twice: %d", again.Status)
	}
	wantRedirect(t, v.post(t, "/en/cabinet/settings/preferences",
		url.Values{"notify_sms": {"on"}, "notify_email": {"on"}, "lang": {"kk"}}), "/en/cabinet/settings?done=preferences")

	// The password: the current one is required; other devices sign out.
	resp = v.post(t, "/en/cabinet/settings/password", url.Values{"current_password": {"not it at all"},
		"new_password": {newPassword}, "new_password_repeat": {newPassword}})
	if got := text(resp.Doc(t), "#current_password-error"); resp.Status != 400 || got != en.T("account.password_wrong") {
		t.Errorf("wrong current password: %d %q", resp.Status, got)
	}
	wantRedirect(t, v.post(t, "/en/cabinet/settings/password", url.Values{"current_password": {password},
		"new_password": {newPassword}, "new_password_repeat": {newPassword}}), "/en/cabinet/settings?done=password")
	wantRedirect(t, other.get(t, "/en/cabinet/settings"), "/en/cabinet?signin=ended")
	if v.get(t, "/en/cabinet/settings").Status != 200 {
		t.Error("the device that changed the password was signed out")
	}

	// One session ended from the list.
	wantRedirect(t, other.post(t, "/en/cabinet/signin", url.Values{"iin": {mother[0]}, "password": {newPassword}}), "/en/cabinet")
	handle := v.get(t, "/en/cabinet/settings").Doc(t).Find(".sessions > li").FilterFunction(func(_ int, li *goquery.Selection) bool {
		return li.Find(".badge").Length() == 0
	}).Find(`input[name="session"]`).AttrOr("value", "")
	wantRedirect(t, v.post(t, "/en/cabinet/sessions/end", url.Values{"session": {handle}}), "/en/cabinet/settings?done=session_ended")
	wantRedirect(t, other.get(t, "/en/cabinet/settings"), "/en/cabinet?signin=ended")

	// The feed tells the story, in the order it happened.
	var kinds []string
	v.get(t, "/en/cabinet").Doc(t).Find(".feed .event-text").Each(func(_ int, e *goquery.Selection) { kinds = append(kinds, e.Text()) })
	for _, want := range []string{en.T("cabinet.event.password_changed"), en.T("cabinet.event.settings_changed"),
		en.T("cabinet.event.email_confirmed", "email", "a***@example.kz")} {
		if !slices.Contains(kinds, want) {
			t.Errorf("the feed lacks %q: %q", want, kinds)
		}
	}

	// Nothing personal in the logs.
	logs := s.Logs()
	for _, secret := range []string{mother[0], "7010000001", "7021112233", "aigul@", code, token, password, newPassword} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs hold %q", secret)
		}
	}
}

// TestCabinetFeedPages: a long feed comes 20 events a page, newest first,
// with links between the pages; a page that is not a number is refused.
func TestCabinetFeedPages(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true})
	mother, _, _ := parents(t)
	v := signUp(t, s, "ru", mother[0], mother[1], "white mountain tea 2026")

	// The sign-up wrote two events; 23 settings changes make 25.
	for i := range 23 {
		lang := []string{"kk", "ru", "en"}[i%3]
		wantRedirect(t, v.post(t, "/ru/cabinet/settings/preferences", url.Values{"notify_sms": {"on"}, "lang": {lang}}),
			"/ru/cabinet/settings?done=preferences")
	}

	first := v.get(t, "/ru/cabinet").Doc(t)
	if n := first.Find(".feed .event").Length(); n != 20 {
		t.Errorf("page 1 has %d events, want 20", n)
	}
	older := first.Find(`.pager a[rel="next"]`).AttrOr("href", "")
	if older != "/ru/cabinet?page=2" || first.Find(`.pager a[rel="prev"]`).Length() != 0 {
		t.Errorf("page 1 links: older %q", older)
	}
	second := v.get(t, older).Doc(t)
	texts := second.Find(".feed .event-text").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	ru := MustCatalog(t).Translator(i18n.RU)
	if len(texts) != 5 || texts[4] != ru.T("cabinet.event.code_sent") {
		t.Errorf("page 2: %q, want 5 events ending with the first code", texts)
	}
	if second.Find(`.pager a[rel="prev"]`).AttrOr("href", "") != "/ru/cabinet?page=1" {
		t.Error("page 2 does not link back to page 1")
	}
	if resp := v.get(t, "/ru/cabinet?page=two"); resp.Status != 400 {
		t.Errorf("page=two: %d, want 400", resp.Status)
	}
	if got := text(first, ".cabinet-bar .muted"); !strings.Contains(got, "+7701***0001") {
		t.Errorf("the bar says %q, want the masked phone", got)
	}
}
