package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"sakura/internal/account"
	"sakura/internal/demo"
	"sakura/internal/notify"
	"sakura/internal/store/storetest"
)

// TestCabinetTwoProcesses runs two `sakura serve -demo` on one PostgreSQL
// database, as two processes behind a load balancer, and sends a parent's
// requests to each in turn: the limit on codes, the lock after wrong
// passwords and the sessions must hold across both, and each code must be
// sent once although a worker runs in each process.
func TestCabinetTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the full demo")
	}
	dsn := storetest.PostgresDSN(t)

	// One after the other, so that the second finds the demo seeded.
	var procs [2]string
	for i := range procs {
		base, stop := mustServe(t, "-addr", "127.0.0.1:0", "-db", dsn, "-demo")
		t.Cleanup(func() {
			if err := stop(); err != nil {
				t.Errorf("serve %c after shutdown: %v", 'A'+i, err)
			}
		})
		procs[i] = base
	}
	almaty, astana := demoParent(t, "almaty"), demoParent(t, "astana")
	if almaty.iin != "900725400016" || almaty.phone != "+77010000001" {
		t.Fatalf("the first Almaty parent is %s, %s; the demo changed", almaty.iin, almaty.phone)
	}

	t.Run("codes", func(t *testing.T) { checkCodeLimit(t, procs, almaty) })
	var session *http.Cookie
	if !t.Run("lock", func(t *testing.T) { session = checkLock(t, procs, astana) }) {
		return
	}
	t.Run("session", func(t *testing.T) { checkSession(t, procs, session) })
}

// checkCodeLimit asks for SMSPerHour+2 codes, each from a new browser, on
// the two processes in turn: SMSPerHour go out, once each.
func checkCodeLimit(t *testing.T, procs [2]string, p parent) {
	const asks = account.SMSPerHour + 2
	var sent, refused int
	for i := range asks {
		resp := mustSend(t, http.MethodPost, procs[i%2], "ru/cabinet/code", url.Values{"iin": {p.iin}})
		switch resp.status {
		case http.StatusSeeOther:
			if loc := resp.header.Get("Location"); loc != "/ru/cabinet/code/verify" {
				t.Errorf("code %d: redirect to %q, want /ru/cabinet/code/verify", i+1, loc)
			}
			sent++
		case http.StatusTooManyRequests:
			if resp.header.Get("Retry-After") == "" {
				t.Errorf("code %d: 429 without Retry-After", i+1)
			}
			if msg := resp.text(t, ".field-error#iin-error"); msg == "" {
				t.Errorf("code %d: 429 without a message next to the IIN; body %.300s", i+1, resp.body)
			}
			refused++
		default:
			t.Errorf("code %d: status %d, want 303 or 429; body %.300s", i+1, resp.status, resp.body)
		}
	}
	if sent != account.SMSPerHour || refused != asks-account.SMSPerHour {
		t.Errorf("%d codes sent and %d refused, want %d and %d", sent, refused, account.SMSPerHour, asks-account.SMSPerHour)
	}

	// Both workers send; each message must leave once. Wait for all, then
	// a little longer for a second copy that would come late.
	waitMessages(t, procs, p.phone, account.SMSPerHour)
	time.Sleep(time.Second)
	msgs := outboxTo(t, procs[1], p.phone)
	codes := map[string]bool{}
	for _, m := range msgs {
		if m.Channel != notify.SMS {
			t.Errorf("message to %s by %s, want sms", p.phone, m.Channel)
		}
		codes[codeIn(t, m.Body)] = true
	}
	if len(msgs) != account.SMSPerHour || len(codes) != account.SMSPerHour {
		t.Errorf("the outbox holds %d messages to %s with %d distinct codes, want %d of each",
			len(msgs), p.phone, len(codes), account.SMSPerHour)
	}
}

// checkLock signs the parent up on process A, then fires wrong passwords
// at both processes at once: no more than FailuresMax are checked, and the
// lock then refuses the right password on both. It returns the session of
// the sign-up.
func checkLock(t *testing.T, procs [2]string, p parent) *http.Cookie {
	const password = "larch lantern by the river"
	session := signUp(t, procs[0], p, password)

	const guesses = 2 * account.FailuresMax
	answers := make([]reply, guesses)
	var wg sync.WaitGroup
	ready := make(chan struct{})
	for i := range guesses {
		wg.Go(func() {
			<-ready
			form := url.Values{"iin": {p.iin}, "password": {fmt.Sprintf("wrong guess number %d", i)}}
			resp, err := send(http.MethodPost, procs[i%2], "ru/cabinet/signin", form)
			if err != nil {
				t.Errorf("guess %d: %v", i+1, err)
			}
			answers[i] = resp
		})
	}
	close(ready)
	wg.Wait()

	// NOTE: a process whose hasher pool is full answers 503 (ErrBusy), by
	// design, and gives back the failure it reserved; with one slot per
	// processor that happens here on a small machine.
	count := map[int]int{}
	for i, resp := range answers {
		count[resp.status]++
		switch resp.status {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests, http.StatusServiceUnavailable:
			if resp.header.Get("Retry-After") == "" {
				t.Errorf("guess %d: %d without Retry-After", i+1, resp.status)
			}
		default:
			t.Errorf("guess %d: status %d, want 401, 429 or 503 (busy); body %.300s", i+1, resp.status, resp.body)
		}
	}
	t.Logf("%d wrong passwords at once on two processes: answers by status %v", guesses, count)
	checked := count[http.StatusUnauthorized]
	if checked > account.FailuresMax {
		t.Errorf("%d wrong passwords checked, want at most %d", checked, account.FailuresMax)
	}

	// When busy answers kept the count short of the lock, wrong passwords
	// sent one at a time reach it, at exactly the FailuresMax-th check.
	if count[http.StatusTooManyRequests] == 0 {
		locked := false
		for i := 0; !locked && i < account.FailuresMax; i++ {
			form := url.Values{"iin": {p.iin}, "password": {fmt.Sprintf("one more wrong guess %d", i)}}
			resp := mustSend(t, http.MethodPost, procs[i%2], "ru/cabinet/signin", form)
			switch resp.status {
			case http.StatusUnauthorized:
				checked++
			case http.StatusTooManyRequests:
				locked = true
			default:
				t.Fatalf("wrong password %d after the burst: status %d, want 401 or 429", i+1, resp.status)
			}
		}
		if !locked || checked+1 != account.FailuresMax {
			t.Fatalf("locked %t after %d wrong passwords checked, want the lock at the %d-th",
				locked, checked+1, account.FailuresMax)
		}
	}

	for i, base := range procs {
		form := url.Values{"iin": {p.iin}, "password": {password}}
		resp := mustSend(t, http.MethodPost, base, "ru/cabinet/signin", form)
		if resp.status != http.StatusTooManyRequests || resp.header.Get("Retry-After") == "" {
			t.Errorf("the right password on %c after the lock: status %d, Retry-After %q; want 429 with it",
				'A'+i, resp.status, resp.header.Get("Retry-After"))
		}
	}
	return session
}

// checkSession uses a session made on process A on process B, signs out on
// B and finds the session ended on A.
func checkSession(t *testing.T, procs [2]string, session *http.Cookie) {
	a, b := procs[0], procs[1]
	if resp := mustSend(t, http.MethodGet, b, "ru/cabinet/settings", nil, session); resp.status != http.StatusOK {
		t.Fatalf("settings on B with A's session: status %d, want 200", resp.status)
	}
	resp := mustSend(t, http.MethodPost, b, "ru/cabinet/signout", url.Values{}, session)
	wantRedirect(t, "sign-out on B", resp, "/ru/cabinet?signin=out")

	// The browser drops the cookie; the old one is sent anyway, as a
	// stolen copy would be.
	resp = mustSend(t, http.MethodGet, a, "ru/cabinet/settings", nil, session)
	wantRedirect(t, "settings on A after the sign-out on B", resp, "/ru/cabinet?signin=ended")
}

// signUp takes the parent through the first sign-in on one process and
// returns the session cookie.
func signUp(t *testing.T, base string, p parent, password string) *http.Cookie {
	t.Helper()
	resp := mustSend(t, http.MethodPost, base, "ru/cabinet/code", url.Values{"iin": {p.iin}})
	wantRedirect(t, "code", resp, "/ru/cabinet/code/verify")
	attempt := resp.cookie(t, "sakura_attempt")

	msgs := waitMessages(t, [2]string{base, base}, p.phone, 1)
	form := url.Values{"code": {codeIn(t, msgs[0].Body)}}
	resp = mustSend(t, http.MethodPost, base, "ru/cabinet/code/verify", form, attempt)
	wantRedirect(t, "verify", resp, "/ru/cabinet/password/new")

	form = url.Values{"password": {password}, "password_repeat": {password}}
	resp = mustSend(t, http.MethodPost, base, "ru/cabinet/password/new", form, attempt)
	wantRedirect(t, "new password", resp, "/ru/cabinet?done=welcome")
	return resp.cookie(t, "sakura_session")
}

// parent is a demo parent: an IIN and the phone codes go to.
type parent struct{ iin, phone string }

// demoParent returns the first person with a phone among the demo city's
// people.
func demoParent(t *testing.T, slug string) parent {
	t.Helper()
	for _, c := range demo.Cities() {
		if c.City.Slug != slug {
			continue
		}
		for _, p := range c.People {
			if p.Phone != "" {
				return parent{p.IIN, p.Phone}
			}
		}
	}
	t.Fatalf("no parent with a phone in the demo's %s", slug)
	return parent{}
}

// reply is an answer of a process, read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
	resp   *http.Response
}

// text returns the trimmed text of the elements of the body matching sel.
func (r reply) text(t *testing.T, sel string) string {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	return strings.TrimSpace(doc.Find(sel).Text())
}

// cookie returns the cookie the answer sets, failing the test without one.
func (r reply) cookie(t *testing.T, name string) *http.Cookie {
	t.Helper()
	for _, c := range r.resp.Cookies() {
		if c.Name == name && c.Value != "" {
			return c
		}
	}
	t.Fatalf("no %s cookie set", name)
	return nil
}

// noRedirects is a browser that follows no redirect and keeps no cookies,
// so that each answer can be checked and each cookie is sent on purpose.
var noRedirects = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// send makes a request to base+path; a form is posted as the portal's own
// page would, from the same origin.
func send(method, base, path string, form url.Values, cookies ...*http.Cookie) (reply, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, base+path, body)
	if err != nil {
		return reply{}, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", strings.TrimSuffix(base, "/"))
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for _, c := range cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}

	resp, err := noRedirects.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: %w", method, path, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b, resp: resp}, nil
}

func mustSend(t *testing.T, method, base, path string, form url.Values, cookies ...*http.Cookie) reply {
	t.Helper()
	resp, err := send(method, base, path, form, cookies...)
	if err != nil {
		t.Fatalf("%s %s%s: %v", method, base, path, err)
	}
	return resp
}

// wantRedirect fails unless resp is a 303 to exactly location.
func wantRedirect(t *testing.T, what string, resp reply, location string) {
	t.Helper()
	if loc := resp.header.Get("Location"); resp.status != http.StatusSeeOther || loc != location {
		t.Fatalf("%s: status %d to %q, want 303 to %s; body %.300s", what, resp.status, loc, location, resp.body)
	}
}

// outboxTo returns the demo outbox's messages to phone, newest first.
func outboxTo(t *testing.T, base, phone string) []notify.Message {
	t.Helper()
	var all, to []notify.Message
	if err := json.Unmarshal(mustGet(t, base+"dev/outbox.json", http.StatusOK), &all); err != nil {
		t.Fatalf("outbox JSON: %v", err)
	}
	for _, m := range all {
		if m.To == phone {
			to = append(to, m)
		}
	}
	return to
}

// waitMessages waits up to 10 s for the workers to send n messages to
// phone, asking the processes in turn, and returns them, newest first.
func waitMessages(t *testing.T, procs [2]string, phone string, n int) []notify.Message {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; ; i++ {
		msgs := outboxTo(t, procs[i%2], phone)
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages to %s in the outbox after 10s, want %d", len(msgs), phone, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// codeIn returns the code of an SMS.
func codeIn(t *testing.T, body string) string {
	t.Helper()
	code := sixDigits.FindString(body)
	if code == "" {
		t.Fatalf("no code in %q", body)
	}
	return code
}
