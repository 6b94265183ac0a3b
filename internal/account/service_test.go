package account_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/account"
	"sakura/internal/city"
	"sakura/internal/clocktest"
	"sakura/internal/dataset"
	"sakura/internal/errs"
	"sakura/internal/geo"
	"sakura/internal/i18n"
	"sakura/internal/iin/iintest"
	"sakura/internal/notify"
	"sakura/internal/person"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

// start is when every test's clock begins: a weekday morning.
var start = time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)

// cheapParams make hashing fast: the tests are about the flows, not the cost.
var cheapParams = account.Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// client is a parent on a phone.
var client = account.Client{
	Addr:      "203.0.113.7",
	UserAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
	Lang:      i18n.RU,
}

// Passwords that pass the policy.
const (
	goodPassword  = "correct horse battery"
	newPassword   = "violet kettle on a tram"
	wrongPassword = "not my password at all"
)

// cast is the people of the test city.
type cast struct {
	parent    person.Person // a mother with a phone on record
	child     person.Person // her son: no phone
	other     person.Person // another parent
	neighbour person.Person // a third parent
	nobody    string        // a valid IIN nobody holds
}

func newCast(tb testing.TB) cast {
	tb.Helper()
	born := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	return cast{
		parent: person.Person{IIN: iintest.Must(tb, 1988, 5, 4, false), Surname: "Сейітова", Name: "Айгүл",
			BirthDate: born(1988, 5, 4), Sex: person.Female, Phone: "+77011234567"},
		child: person.Person{IIN: iintest.Must(tb, 2019, 3, 1, true), Surname: "Сейітов", Name: "Әлихан",
			BirthDate: born(2019, 3, 1), Sex: person.Male},
		other: person.Person{IIN: iintest.Must(tb, 1985, 2, 14, true), Surname: "Иванов", Name: "Сергей",
			BirthDate: born(1985, 2, 14), Sex: person.Male, Phone: "+77077654321"},
		neighbour: person.Person{IIN: iintest.Must(tb, 1990, 7, 25, false), Surname: "Ахметова", Name: "Гүлнар",
			BirthDate: born(1990, 7, 25), Sex: person.Female, Phone: "+77471112233"},
		nobody: iintest.Must(tb, 1979, 11, 30, false),
	}
}

// seed writes a tiny city holding the cast into db.
func seed(tb testing.TB, db *store.DB, c cast) {
	tb.Helper()
	d := dataset.City{
		City: city.City{Slug: "almaty", Name: i18n.Text{KK: "Алматы", RU: "Алматы", EN: "Almaty"},
			Centre: geo.Point{Lat: 43.238, Lon: 76.945}, Zoom: 12},
		People: []person.Person{c.parent, c.child, c.other, c.neighbour},
		Links:  []person.Link{{ParentIIN: c.parent.IIN, ChildIIN: c.child.IIN, Relation: person.RelationMother}},
	}
	if err := db.SeedCity(context.Background(), d); err != nil {
		tb.Fatalf("seed city: %v", err)
	}
}

// env is one engine's store with the cast seeded and the service on a test
// clock.
type env struct {
	db    *store.DB
	clock *clocktest.Clock
	svc   *account.Service
	cast
	codes []string // every code sent so far
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	e := &env{db: db, clock: clocktest.New(start), cast: newCast(t)}
	seed(t, db, e.cast)
	e.svc = newService(db, e.clock, 4)
	return e
}

func newService(db *store.DB, clock *clocktest.Clock, slots int) *account.Service {
	return account.New(account.Config{Store: db, People: db, Hasher: account.NewHasher(cheapParams, slots), Now: clock.Now})
}

// sent sends what is queued, the way the worker would: it claims the due
// deliveries, marks them delivered and returns them.
func (e *env) sent(t *testing.T) []notify.Delivery {
	t.Helper()
	ctx := context.Background()
	ds, err := e.db.Claim(ctx, e.clock.Now(), time.Minute, 50)
	if err != nil {
		t.Fatalf("claim deliveries: %v", err)
	}
	for _, d := range ds {
		if err := e.db.Delivered(ctx, d.ID, "gw-"+d.Ref(), e.clock.Now()); err != nil {
			t.Fatalf("mark delivery %d delivered: %v", d.ID, err)
		}
		if d.Data.Code != "" {
			e.codes = append(e.codes, d.Data.Code)
		}
	}
	return ds
}

// code sends what is queued and returns the one code among it.
// request asks for a sign-in code for the parent and returns the attempt's
// token and the code sent.
func (e *env) request(t *testing.T) (attempt, code string) {
	t.Helper()
	attempt, err := e.svc.RequestCode(context.Background(), e.parent.IIN, client)
	if err != nil {
		t.Fatalf("RequestCode: %v", err)
	}
	return attempt, e.code(t)
}

func (e *env) code(t *testing.T) string {
	t.Helper()
	var codes []string
	for _, d := range e.sent(t) {
		if d.Data.Code != "" {
			codes = append(codes, d.Data.Code)
		}
	}
	if len(codes) != 1 {
		t.Fatalf("sent %d codes, want 1", len(codes))
	}
	return codes[0]
}

// signUp walks a person through the first sign-in and returns the session
// token.
func (e *env) signUp(t *testing.T, p person.Person, password string) string {
	t.Helper()
	ctx := context.Background()
	attempt, err := e.svc.RequestCode(ctx, p.IIN, client)
	if err != nil {
		t.Fatalf("RequestCode: %v", err)
	}
	if err := e.svc.VerifyCode(ctx, attempt, e.code(t), client); err != nil {
		t.Fatalf("VerifyCode with the right code: %v", err)
	}
	session, err := e.svc.SetPassword(ctx, attempt, password, client)
	if err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	return session
}

// signIn signs in with the right password and returns the session token.
func (e *env) signIn(t *testing.T, p person.Person, password string, c account.Client) string {
	t.Helper()
	token, err := e.svc.SignIn(context.Background(), p.IIN, password, c)
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	return token
}

// auth returns the account and session of a token that must still work.
func (e *env) auth(t *testing.T, token string) (account.Account, account.Session) {
	t.Helper()
	a, se, err := e.svc.Authenticate(context.Background(), token)
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	return a, se
}

// signedOut checks that a session token no longer works.
func (e *env) signedOut(t *testing.T, token, which string) {
	t.Helper()
	_, _, err := e.svc.Authenticate(context.Background(), token)
	if errs.KindOf(err) != errs.Unauthenticated {
		t.Errorf("Authenticate(%s) error = %v, want unauthenticated", which, err)
	}
}

// audit returns the whole audit log, newest first.
func (e *env) audit(t *testing.T) []account.AuditEntry {
	t.Helper()
	log, err := e.db.AuditLog(context.Background(), 10000)
	if err != nil {
		t.Fatalf("AuditLog: %v", err)
	}
	return log
}

// countAudit counts the audit entries of an action about a person.
func countAudit(log []account.AuditEntry, action, iin string) int {
	n := 0
	for _, a := range log {
		if a.Action == action && a.Subject == account.SubjectKey(iin) {
			n++
		}
	}
	return n
}

// wantErr checks that err is an *errs.Error of a kind and key, and returns
// it for a look at its Args.
func wantErr(t *testing.T, err error, kind errs.Kind, key string) *errs.Error {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want %s (kind %d)", err, key, kind)
	}
	if errs.KindOf(err) != kind || e.Key != key {
		t.Fatalf("error = %v (kind %d), want %s (kind %d)", err, errs.KindOf(err), key, kind)
	}
	return e
}

// wantCount checks the Count argument of an error's message.
func wantCount(t *testing.T, e *errs.Error, n int) {
	t.Helper()
	if got := e.Args["Count"]; got != any(n) {
		t.Errorf("%s: Count = %v, want %d", e.Key, got, n)
	}
}

// wantRetry checks how long an error says to wait.
func wantRetry(t *testing.T, err error, want time.Duration) {
	t.Helper()
	if got := errs.RetryAfterOf(err); got != want {
		t.Errorf("RetryAfter = %v, want %v", got, want)
	}
}

// wrong returns a well-formed code that is not code.
func wrong(code string) string {
	last := code[len(code)-1]
	return code[:len(code)-1] + string('0'+(last-'0'+1)%10)
}

// answer is what a person is shown of an error.
type answer struct {
	Kind       errs.Kind
	Key        string
	Args       map[string]any
	RetryAfter time.Duration
	Text       string
}

func answerOf(err error) answer {
	var e *errs.Error
	if err == nil {
		return answer{Text: "no error"}
	}
	if !errors.As(err, &e) {
		return answer{Text: "no *errs.Error: " + err.Error()}
	}
	return answer{Kind: e.Kind, Key: e.Key, Args: e.Args, RetryAfter: e.RetryAfter, Text: err.Error()}
}

// concurrently runs fn n times at once and returns the errors.
func concurrently(n int, fn func(i int) error) []error {
	out := make([]error, n)
	var wg sync.WaitGroup
	ready := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-ready
			out[i] = fn(i)
		})
	}
	close(ready)
	wg.Wait()
	return out
}

func TestFirstSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()

		attempt, err := e.svc.RequestCode(ctx, e.parent.IIN, client)
		if err != nil {
			t.Fatalf("RequestCode: %v", err)
		}
		ds := e.sent(t)
		if len(ds) != 1 {
			t.Fatalf("queued %d deliveries, want 1 SMS", len(ds))
		}
		sms := ds[0]
		if sms.Channel != notify.SMS || sms.To != e.parent.Phone || sms.Message != notify.SignInCode {
			t.Errorf("delivery = %s %s to %s, want sms signin_code to the phone on record", sms.Channel, sms.Message, sms.To)
		}
		code := sms.Data.Code
		if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
			t.Fatalf("code %q is not six digits", code)
		}

		err = e.svc.VerifyCode(ctx, attempt, wrong(code), client)
		wantCount(t, wantErr(t, err, errs.Invalid, "account.code_wrong"), 4)
		if err := e.svc.VerifyCode(ctx, attempt, code, client); err != nil {
			t.Fatalf("VerifyCode with the right code: %v", err)
		}

		_, err = e.svc.SetPassword(ctx, attempt, "short", client)
		wantErr(t, err, errs.Invalid, "account.password_short")
		_, err = e.svc.SetPassword(ctx, attempt, "password1234", client)
		wantErr(t, err, errs.Invalid, "account.password_common")
		session, err := e.svc.SetPassword(ctx, attempt, goodPassword, client)
		if err != nil {
			t.Fatalf("SetPassword: %v", err)
		}
		a, _ := e.auth(t, session)
		if a.IIN != e.parent.IIN || a.Phone != e.parent.Phone {
			t.Errorf("signed in as %s with phone %s, want the parent", a.IIN, a.Phone)
		}

		// The attempt has done its work: a second click, or a replay, finds
		// nothing.
		_, err = e.svc.SetPassword(ctx, attempt, newPassword, client)
		wantErr(t, err, errs.Invalid, "account.attempt_gone")

		e.auth(t, e.signIn(t, e.parent, goodPassword, client))

		feed, _, err := db.Feed(ctx, a.ID, 0, 10)
		if err != nil {
			t.Fatalf("Feed: %v", err)
		}
		var kinds []notify.EventKind
		for _, ev := range feed {
			kinds = append(kinds, ev.Kind)
			for k, v := range ev.Data {
				if strings.Contains(v, code) {
					t.Errorf("event %s shows the code in %s", ev.Kind, k)
				}
			}
		}
		want := []notify.EventKind{account.EventSignedIn, account.EventPasswordSet, account.EventCodeSent}
		if diff := cmp.Diff(want, kinds); diff != "" {
			t.Fatalf("feed mismatch (-want +got):\n%s", diff)
		}
		wantSMS := []notify.DeliveryStatus{{Channel: notify.SMS, To: notify.MaskPhone(e.parent.Phone),
			Status: notify.StatusDelivered, Attempts: 1}}
		got := feed[2].Deliveries
		for i := range got {
			got[i].UpdatedAt = time.Time{}
		}
		if diff := cmp.Diff(wantSMS, got); diff != "" {
			t.Errorf("code_sent deliveries mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestNoEnumeration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()

		// What a real parent is told for a wrong code.
		mine, err := e.svc.RequestCode(ctx, e.parent.IIN, client)
		if err != nil {
			t.Fatalf("RequestCode(parent): %v", err)
		}
		code := e.code(t)
		realWrong := answerOf(e.svc.VerifyCode(ctx, mine, wrong(code), client))
		if realWrong.Key != "account.code_wrong" {
			t.Fatalf("wrong code for the parent: %+v", realWrong)
		}

		for _, tt := range []struct{ name, iin string }{
			{"nobody holds the IIN", e.nobody},
			{"a child without a phone", e.child.IIN},
		} {
			t.Run(tt.name, func(t *testing.T) {
				attempt, err := e.svc.RequestCode(ctx, tt.iin, client)
				if err != nil || len(attempt) != len(mine) {
					t.Fatalf("RequestCode = %q, %v; want a token like %q and nil", attempt, err, mine)
				}
				if ds := e.sent(t); len(ds) != 0 {
					t.Errorf("queued %d deliveries, want none", len(ds))
				}
				got := answerOf(e.svc.VerifyCode(ctx, attempt, wrong(code), client))
				if diff := cmp.Diff(realWrong, got); diff != "" {
					t.Errorf("VerifyCode answer differs from a real attempt's (-real +got):\n%s", diff)
				}
			})
		}

		if err := e.svc.VerifyCode(ctx, mine, code, client); err != nil {
			t.Fatalf("VerifyCode: %v", err)
		}
		if _, err := e.svc.SetPassword(ctx, mine, goodPassword, client); err != nil {
			t.Fatalf("SetPassword: %v", err)
		}
		_, err = e.svc.SignIn(ctx, e.parent.IIN, wrongPassword, client)
		wrongPass := answerOf(err)
		if wrongPass.Key != "account.signin_wrong" || wrongPass.Kind != errs.Unauthenticated {
			t.Errorf("wrong password: %+v, want unauthenticated account.signin_wrong", wrongPass)
		}
		for _, number := range []string{e.nobody, e.child.IIN} {
			_, err := e.svc.SignIn(ctx, number, wrongPassword, client)
			if diff := cmp.Diff(wrongPass, answerOf(err)); diff != "" {
				t.Errorf("SignIn without an account answers unlike a wrong password (-wrong password +got):\n%s", diff)
			}
		}

		// A number with a wrong check digit is refused by its reason.
		last := e.parent.IIN[11]
		bad := e.parent.IIN[:11] + string('0'+(last-'0'+1)%10)
		_, err = e.svc.RequestCode(ctx, bad, client)
		wantErr(t, err, errs.Invalid, "iin.checksum")
		_, err = e.svc.SignIn(ctx, bad, goodPassword, client)
		wantErr(t, err, errs.Invalid, "iin.checksum")
	})
}

func TestCodeVoidAfterFiveWrongEntries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		attempt, code := e.request(t)

		for left := account.CodeWrongMax - 1; left > 0; left-- {
			err := e.svc.VerifyCode(ctx, attempt, wrong(code), client)
			wantCount(t, wantErr(t, err, errs.Invalid, "account.code_wrong"), left)
		}
		err := e.svc.VerifyCode(ctx, attempt, wrong(code), client)
		wantErr(t, err, errs.Invalid, "account.code_void")
		err = e.svc.VerifyCode(ctx, attempt, code, client)
		wantErr(t, err, errs.Invalid, "account.code_void")
	})
}

func TestCodeExpiresAfterFiveMinutes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		attempt, code := e.request(t)

		e.clock.Advance(account.CodeTTL + time.Second)
		err := e.svc.VerifyCode(ctx, attempt, code, client)
		wantErr(t, err, errs.Invalid, "account.code_expired")
	})
}

func TestCodeIsSingleUse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		first, code := e.request(t)

		// A code is good for its own attempt only.
		second, err := e.svc.RequestCode(ctx, e.parent.IIN, client)
		if err != nil {
			t.Fatalf("second RequestCode: %v", err)
		}
		if other := e.code(t); other != code {
			err = e.svc.VerifyCode(ctx, second, code, client)
			wantErr(t, err, errs.Invalid, "account.code_wrong")
		}

		if err := e.svc.VerifyCode(ctx, first, code, client); err != nil {
			t.Fatalf("VerifyCode: %v", err)
		}
		if _, err := e.svc.SetPassword(ctx, first, goodPassword, client); err != nil {
			t.Fatalf("SetPassword: %v", err)
		}
		err = e.svc.VerifyCode(ctx, first, code, client)
		wantErr(t, err, errs.Invalid, "account.attempt_gone")
		_, err = e.svc.SetPassword(ctx, first, newPassword, client)
		wantErr(t, err, errs.Invalid, "account.attempt_gone")
	})
}

func TestResendCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		attempt, old := e.request(t)

		err := e.svc.ResendCode(ctx, attempt, client)
		wantErr(t, err, errs.TooMany, "account.resend_wait")
		if wait := errs.RetryAfterOf(err); wait <= 0 || wait > account.ResendAfter {
			t.Errorf("RetryAfter = %v, want within (0, %v]", wait, account.ResendAfter)
		}
		if ds := e.sent(t); len(ds) != 0 {
			t.Errorf("a refused resend queued %d deliveries", len(ds))
		}

		e.clock.Advance(61 * time.Second)
		if err := e.svc.ResendCode(ctx, attempt, client); err != nil {
			t.Fatalf("ResendCode after 61 s: %v", err)
		}
		fresh := e.code(t)
		if fresh != old {
			err = e.svc.VerifyCode(ctx, attempt, old, client)
			wantErr(t, err, errs.Invalid, "account.code_wrong")
		}
		if err := e.svc.VerifyCode(ctx, attempt, fresh, client); err != nil {
			t.Errorf("VerifyCode with the new code: %v", err)
		}
	})
}

func TestSMSLimitPerHour(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()

		// Five codes a minute apart, then the sixth.
		for i := range account.SMSPerHour {
			if _, err := e.svc.RequestCode(ctx, e.parent.IIN, client); err != nil {
				t.Fatalf("code %d: %v", i+1, err)
			}
			e.code(t)
			e.clock.Advance(time.Minute)
		}
		_, err := e.svc.RequestCode(ctx, e.parent.IIN, client)
		wantCount(t, wantErr(t, err, errs.TooMany, "account.sms_limit"), 55)
		wantRetry(t, err, 55*time.Minute)
		if ds := e.sent(t); len(ds) != 0 {
			t.Errorf("a refused code queued %d deliveries", len(ds))
		}

		// When the first code leaves the hour, there is room for one.
		e.clock.Advance(55 * time.Minute)
		if _, err := e.svc.RequestCode(ctx, e.parent.IIN, client); err != nil {
			t.Errorf("RequestCode an hour after the first: %v", err)
		}
	})
}

func TestSMSLimitPerDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()

		for burst := range 2 {
			for i := range account.SMSPerHour {
				if _, err := e.svc.RequestCode(ctx, e.parent.IIN, client); err != nil {
					t.Fatalf("burst %d, code %d: %v", burst+1, i+1, err)
				}
			}
			e.clock.Advance(time.Hour)
		}
		_, err := e.svc.RequestCode(ctx, e.parent.IIN, client)
		wantCount(t, wantErr(t, err, errs.TooMany, "account.sms_limit"), 22*60)
		wantRetry(t, err, 22*time.Hour)
	})
}

func TestSMSLimitPerClient(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()

		numbers := make([]string, account.SMSPerClientHour+1)
		for i := range numbers {
			numbers[i] = iintest.Must(t, 1970, 1, 1+i, i%2 == 0)
		}
		for i, n := range numbers[:account.SMSPerClientHour] {
			if _, err := e.svc.RequestCode(ctx, n, client); err != nil {
				t.Fatalf("code %d: %v", i+1, err)
			}
		}
		last := numbers[account.SMSPerClientHour]
		_, err := e.svc.RequestCode(ctx, last, client)
		wantErr(t, err, errs.TooMany, "account.sms_limit")
		wantRetry(t, err, time.Hour)

		elsewhere := client
		elsewhere.Addr = "198.51.100.23"
		if _, err := e.svc.RequestCode(ctx, last, elsewhere); err != nil {
			t.Errorf("RequestCode from another address: %v", err)
		}
	})
}

func TestLockAfterTenFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		e.signUp(t, e.parent, goodPassword)

		for i := 1; i < account.FailuresMax; i++ {
			_, err := e.svc.SignIn(ctx, e.parent.IIN, wrongPassword, client)
			wantErr(t, err, errs.Unauthenticated, "account.signin_wrong")
		}
		_, err := e.svc.SignIn(ctx, e.parent.IIN, wrongPassword, client)
		wantCount(t, wantErr(t, err, errs.TooMany, "account.locked"), 30)
		wantRetry(t, err, account.LockFor)

		_, err = e.svc.SignIn(ctx, e.parent.IIN, goodPassword, client)
		wantErr(t, err, errs.TooMany, "account.locked")
		_, err = e.svc.RequestCode(ctx, e.parent.IIN, client)
		wantErr(t, err, errs.TooMany, "account.locked")

		e.clock.Advance(account.LockFor)
		e.signIn(t, e.parent, goodPassword, client)

		// Wrong codes count toward the same ten.
		for range 5 {
			_, err := e.svc.SignIn(ctx, e.parent.IIN, wrongPassword, client)
			wantErr(t, err, errs.Unauthenticated, "account.signin_wrong")
		}
		attempt, code := e.request(t)
		for left := account.CodeWrongMax - 1; left > 0; left-- {
			err := e.svc.VerifyCode(ctx, attempt, wrong(code), client)
			wantErr(t, err, errs.Invalid, "account.code_wrong")
		}
		err = e.svc.VerifyCode(ctx, attempt, wrong(code), client)
		wantErr(t, err, errs.TooMany, "account.locked")
		_, err = e.svc.SignIn(ctx, e.parent.IIN, goodPassword, client)
		wantErr(t, err, errs.TooMany, "account.locked")

		log := e.audit(t)
		if n := countAudit(log, "locked", e.parent.IIN); n != 2 {
			t.Errorf("audit log has %d locked entries for the parent, want 2", n)
		}
		secrets := append([]string{e.parent.IIN, e.parent.Phone, strings.TrimPrefix(e.parent.Phone, "+7")}, e.codes...)
		for _, a := range log {
			for _, field := range []string{a.Subject, a.Action, a.Client, a.Detail} {
				for _, s := range secrets {
					if strings.Contains(field, s) {
						t.Errorf("audit entry %s holds a secret in %q", a.Action, field)
					}
				}
			}
		}
	})
}

// TestLimitsAcrossProcesses runs the limits under concurrent requests: two
// processes on one PostgreSQL, and goroutines on one SQLite store.
func TestLimitsAcrossProcesses(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		db := storetest.SQLite(t)
		clock := clocktest.New(start)
		c := newCast(t)
		seed(t, db, c)
		svc := newService(db, clock, 16)
		checkConcurrentLimits(t, &env{db: db, clock: clock, svc: svc, cast: c}, []*account.Service{svc, svc})
	})
	t.Run("postgres two processes", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		db1, db2 := storetest.MustOpen(t, dsn), storetest.MustOpen(t, dsn)
		clock := clocktest.New(start)
		c := newCast(t)
		seed(t, db1, c)

		// Each process has a pool big enough for every check it may run
		// at once: a busy pool is not what this test is about.
		one, two := newService(db1, clock, 16), newService(db2, clock, 16)
		checkConcurrentLimits(t, &env{db: db1, clock: clock, svc: one, cast: c}, []*account.Service{one, two})
	})
}

func checkConcurrentLimits(t *testing.T, e *env, procs []*account.Service) {
	ctx := context.Background()

	t.Run("codes per hour", func(t *testing.T) {
		results := concurrently(10, func(i int) error {
			_, err := procs[i%len(procs)].RequestCode(ctx, e.other.IIN, client)
			return err
		})
		sent, limited := 0, 0
		for _, err := range results {
			switch {
			case err == nil:
				sent++
			case answerOf(err).Key == "account.sms_limit":
				limited++
			default:
				t.Errorf("RequestCode: %v", err)
			}
		}
		if sent != account.SMSPerHour || limited != 10-account.SMSPerHour {
			t.Errorf("%d codes sent and %d refused, want %d and %d", sent, limited, account.SMSPerHour, 10-account.SMSPerHour)
		}
		if ds := e.sent(t); len(ds) != sent {
			t.Errorf("queued %d deliveries for %d codes", len(ds), sent)
		}
	})

	t.Run("wrong passwords", func(t *testing.T) {
		e.signUp(t, e.parent, goodPassword)
		results := concurrently(25, func(i int) error {
			_, err := procs[i%len(procs)].SignIn(ctx, e.parent.IIN, wrongPassword, client)
			return err
		})
		wrongs, locked := 0, 0
		for _, err := range results {
			switch answerOf(err).Key {
			case "account.signin_wrong":
				wrongs++
			case "account.locked":
				locked++
			default:
				t.Errorf("SignIn: %v", err)
			}
		}
		if n := countAudit(e.audit(t), "signin.failed", e.parent.IIN); n != account.FailuresMax {
			t.Errorf("%d passwords checked, want %d", n, account.FailuresMax)
		}
		if wrongs != account.FailuresMax-1 || locked != 25-wrongs {
			t.Errorf("%d told wrong and %d locked, want %d and %d", wrongs, locked, account.FailuresMax-1, 25-account.FailuresMax+1)
		}
		_, err := procs[1].SignIn(ctx, e.parent.IIN, goodPassword, client)
		wantErr(t, err, errs.TooMany, "account.locked")
	})

	t.Run("wrong codes", func(t *testing.T) {
		attempt, err := procs[0].RequestCode(ctx, e.neighbour.IIN, client)
		if err != nil {
			t.Fatalf("RequestCode: %v", err)
		}
		code := e.code(t)
		const n = 8 // under the lock's ten
		results := concurrently(n, func(i int) error {
			return procs[i%len(procs)].VerifyCode(ctx, attempt, wrong(code), client)
		})
		wrongs, void := 0, 0
		for _, err := range results {
			switch answerOf(err).Key {
			case "account.code_wrong":
				wrongs++
			case "account.code_void":
				void++
			default:
				t.Errorf("VerifyCode: %v", err)
			}
		}
		if wrongs != account.CodeWrongMax-1 || void != n-wrongs {
			t.Errorf("%d told wrong and %d void, want %d and %d", wrongs, void, account.CodeWrongMax-1, n-account.CodeWrongMax+1)
		}
		if got := countAudit(e.audit(t), "code.wrong", e.neighbour.IIN); got != account.CodeWrongMax {
			t.Errorf("%d wrong codes checked, want %d", got, account.CodeWrongMax)
		}
		err = procs[1].VerifyCode(ctx, attempt, code, client)
		wantErr(t, err, errs.Invalid, "account.code_void")
	})

	t.Run("resends at once", func(t *testing.T) {
		e.clock.Advance(time.Hour) // past the codes of the first subtest
		attempt, err := procs[0].RequestCode(ctx, e.other.IIN, client)
		if err != nil {
			t.Fatalf("RequestCode: %v", err)
		}
		e.code(t)
		e.clock.Advance(account.ResendAfter + time.Second)
		results := concurrently(4, func(i int) error {
			return procs[i%len(procs)].ResendCode(ctx, attempt, client)
		})
		resent, waiting := 0, 0
		for _, err := range results {
			switch answerOf(err).Key {
			case "":
				resent++
			case "account.resend_wait":
				waiting++
			default:
				t.Errorf("ResendCode: %v", err)
			}
		}
		if resent != 1 || waiting != 3 {
			t.Errorf("%d resent and %d told to wait, want 1 and 3", resent, waiting)
		}
		if ds := e.sent(t); len(ds) != resent {
			t.Errorf("queued %d deliveries for %d resends", len(ds), resent)
		}
	})
}

func TestSessionEndsWhenIdle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		token := e.signUp(t, e.parent, goodPassword)

		e.clock.Advance(account.SessionIdle + time.Second)
		e.signedOut(t, token, "after 30 minutes unused")
		e.signedOut(t, token, "once more")
	})
}

func TestSessionLivesWhileUsedButNotPastTwelveHours(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		token := e.signUp(t, e.parent, goodPassword)

		for used := 20 * time.Minute; used <= account.SessionMax; used += 20 * time.Minute {
			e.clock.Advance(20 * time.Minute)
			if _, _, err := e.svc.Authenticate(context.Background(), token); err != nil {
				t.Fatalf("Authenticate %v after sign-in: %v", used, err)
			}
		}
		e.clock.Advance(20 * time.Minute)
		e.signedOut(t, token, "past 12 hours")
	})
}

func TestSignOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		phone := e.signUp(t, e.parent, goodPassword)
		laptop := e.signIn(t, e.parent, goodPassword, client)

		if err := e.svc.SignOut(ctx, phone); err != nil {
			t.Fatalf("SignOut: %v", err)
		}
		e.signedOut(t, phone, "signed out")
		a, _ := e.auth(t, laptop)

		tablet := e.signIn(t, e.parent, goodPassword, client)
		if err := e.svc.SignOutEverywhere(ctx, a, client); err != nil {
			t.Fatalf("SignOutEverywhere: %v", err)
		}
		e.signedOut(t, laptop, "laptop")
		e.signedOut(t, tablet, "tablet")
	})
}

func TestPasswordResetEndsOlderSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		first := e.signUp(t, e.parent, goodPassword)
		second := e.signIn(t, e.parent, goodPassword, client)

		fresh := e.signUp(t, e.parent, newPassword)
		e.signedOut(t, first, "first")
		e.signedOut(t, second, "second")
		e.auth(t, fresh)

		_, err := e.svc.SignIn(ctx, e.parent.IIN, goodPassword, client)
		wantErr(t, err, errs.Unauthenticated, "account.signin_wrong")
		e.signIn(t, e.parent, newPassword, client)
	})
}

func TestChangePasswordKeepsCurrentSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		current := e.signUp(t, e.parent, goodPassword)
		elsewhere := e.signIn(t, e.parent, goodPassword, client)

		a, se := e.auth(t, current)
		if err := e.svc.ChangePassword(ctx, a, se, goodPassword, newPassword, client); err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		e.auth(t, current)
		e.signedOut(t, elsewhere, "the other session")

		_, err := e.svc.SignIn(ctx, e.parent.IIN, goodPassword, client)
		wantErr(t, err, errs.Unauthenticated, "account.signin_wrong")
		e.signIn(t, e.parent, newPassword, client)
	})
}

func TestSessionsListAndEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		phone := e.signUp(t, e.parent, goodPassword)
		e.clock.Advance(2 * time.Minute)
		laptopClient := account.Client{Addr: "2001:db8:85a3:1::7",
			UserAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0", Lang: i18n.KK}
		laptop := e.signIn(t, e.parent, goodPassword, laptopClient)
		e.clock.Advance(2 * time.Minute)
		a, _ := e.auth(t, phone)

		list, err := e.svc.Sessions(ctx, a)
		if err != nil {
			t.Fatalf("Sessions: %v", err)
		}
		type row struct{ Browser, Client string }
		var got []row
		for _, se := range list {
			got = append(got, row{account.Browser(se.UserAgent), se.Client})
		}
		// The phone was used last: Authenticate just now.
		want := []row{{"Chrome, Android", "203.0.113.x"}, {"Firefox, Windows", "2001:db8:85a3::/48"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("sessions mismatch (-want +got):\n%s", diff)
		}

		strangerToken := e.signUp(t, e.other, goodPassword)
		_, stranger := e.auth(t, strangerToken)
		err = e.svc.EndSession(ctx, a, stranger.Handle(), client)
		if errs.KindOf(err) != errs.NotFound {
			t.Errorf("EndSession of another account's session: error = %v, want not found", err)
		}
		e.auth(t, strangerToken)

		if err := e.svc.EndSession(ctx, a, list[1].Handle(), client); err != nil {
			t.Fatalf("EndSession: %v", err)
		}
		e.signedOut(t, laptop, "the ended session")
		e.auth(t, phone)
		if list, err := e.svc.Sessions(ctx, a); err != nil || len(list) != 1 {
			t.Errorf("after EndSession, Sessions = %d sessions, %v; want 1", len(list), err)
		}
	})
}

func TestPhoneChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		token := e.signUp(t, e.parent, goodPassword)
		e.sent(t)
		a, _ := e.auth(t, token)

		_, err := e.svc.RequestPhoneChange(ctx, a, "8 701 123 45 67", client)
		wantErr(t, err, errs.Invalid, "account.phone_same")
		_, err = e.svc.RequestPhoneChange(ctx, a, "+7 701 12", client)
		wantErr(t, err, errs.Invalid, "account.phone_invalid")

		const next = "+77025550011"
		attempt, err := e.svc.RequestPhoneChange(ctx, a, "+7 702 555 00 11", client)
		if err != nil {
			t.Fatalf("RequestPhoneChange: %v", err)
		}
		ds := e.sent(t)
		if len(ds) != 1 || ds[0].Channel != notify.SMS || ds[0].To != next || ds[0].Message != notify.PhoneChangeCode {
			t.Fatalf("deliveries = %+v, want one SMS phone_change_code to the new number", ds)
		}

		if err := e.svc.ConfirmPhoneChange(ctx, a, attempt, ds[0].Data.Code, client); err != nil {
			t.Fatalf("ConfirmPhoneChange: %v", err)
		}
		if a, _ := e.auth(t, token); a.Phone != next {
			t.Errorf("phone = %s, want %s", a.Phone, next)
		}
		ds = e.sent(t)
		if len(ds) != 1 || ds[0].Channel != notify.SMS || ds[0].To != e.parent.Phone || ds[0].Message != notify.PhoneChanged {
			t.Errorf("deliveries = %+v, want one SMS phone_changed to the old number", ds)
		}
	})
}

func TestSavePreferences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		a, _ := e.auth(t, e.signUp(t, e.parent, goodPassword))

		tests := []struct {
			name string
			p    account.Preferences
			want account.FieldErrors
		}{
			{"e-mail without a confirmed address", account.Preferences{Lang: i18n.RU, NotifySMS: true, NotifyEmail: true},
				account.FieldErrors{{Field: "channels", Key: "account.email_unconfirmed"}}},
			{"no channel", account.Preferences{Lang: i18n.RU},
				account.FieldErrors{{Field: "channels", Key: "account.channel_required"}}},
			{"extra phone is the main one", account.Preferences{ExtraPhone: "8 701 123 45 67", Lang: i18n.RU, NotifySMS: true},
				account.FieldErrors{{Field: "extra_phone", Key: "account.extra_same"}}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := e.svc.SavePreferences(ctx, a, tt.p, client)
				wantErr(t, err, errs.Invalid, "account.form")
				var got account.FieldErrors
				if !errors.As(err, &got) {
					t.Fatalf("error %v holds no FieldErrors", err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("field errors mismatch (-want +got):\n%s", diff)
				}
			})
		}

		saved, err := e.svc.SavePreferences(ctx, a, account.Preferences{ExtraPhone: "+7 705 000 11 22", Lang: i18n.KK, NotifySMS: true}, client)
		if err != nil {
			t.Fatalf("SavePreferences: %v", err)
		}
		if saved.ExtraPhone != "+77050001122" || saved.Lang != i18n.KK {
			t.Errorf("saved extra phone %q and language %q", saved.ExtraPhone, saved.Lang)
		}
	})
}

// confirmLink is where an e-mail confirmation link points; the token ends
// it.
const confirmLink = "https://sakura.example/ru/cabinet/email/"

func link(token string) string { return confirmLink + token }

// emailToken sends what is queued and returns the token of the one
// confirmation link among it, sent to address.
func (e *env) emailToken(t *testing.T, address string) string {
	t.Helper()
	ds := e.sent(t)
	if len(ds) != 1 || ds[0].Channel != notify.Email || ds[0].To != address || ds[0].Message != notify.EmailConfirm {
		t.Fatalf("deliveries = %+v, want one e-mail email_confirm to %s", ds, address)
	}
	token, ok := strings.CutPrefix(ds[0].Data.Link, confirmLink)
	if !ok || token == "" {
		t.Fatalf("link %q holds no token", ds[0].Data.Link)
	}
	return token
}

func TestEmailConfirmation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		session := e.signUp(t, e.parent, goodPassword)
		e.sent(t)
		a, _ := e.auth(t, session)

		if err := e.svc.RequestEmail(ctx, a, " aigul@example.kz ", link, client); err != nil {
			t.Fatalf("RequestEmail: %v", err)
		}
		token := e.emailToken(t, "aigul@example.kz")
		if got, err := e.svc.ConfirmEmail(ctx, token, client); err != nil || got != "aigul@example.kz" {
			t.Fatalf("ConfirmEmail = %q, %v", got, err)
		}
		if a, _ := e.auth(t, session); a.Email != "aigul@example.kz" {
			t.Errorf("e-mail = %q after confirmation", a.Email)
		}
		_, err := e.svc.ConfirmEmail(ctx, token, client)
		wantErr(t, err, errs.Invalid, "account.email_link_gone")

		// A link opened after a day.
		if err := e.svc.RequestEmail(ctx, a, "aigul@mail.kz", link, client); err != nil {
			t.Fatalf("RequestEmail: %v", err)
		}
		late := e.emailToken(t, "aigul@mail.kz")
		e.clock.Advance(account.EmailLinkTTL + time.Second)
		_, err = e.svc.ConfirmEmail(ctx, late, client)
		wantErr(t, err, errs.Invalid, "account.email_link_gone")
		if a, _ := e.auth(t, e.signIn(t, e.parent, goodPassword, client)); a.Email != "aigul@example.kz" {
			t.Errorf("e-mail = %q after a late link, want the one confirmed before", a.Email)
		}
	})
}

func TestEmailLinkLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		a, _ := e.auth(t, e.signUp(t, e.parent, goodPassword))

		for i := range account.EmailPerHour {
			if err := e.svc.RequestEmail(ctx, a, "aigul@example.kz", link, client); err != nil {
				t.Fatalf("link %d: %v", i+1, err)
			}
			e.clock.Advance(time.Minute)
		}
		err := e.svc.RequestEmail(ctx, a, "aigul@example.kz", link, client)
		wantCount(t, wantErr(t, err, errs.TooMany, "account.email_limit"), 55)
		wantRetry(t, err, 55*time.Minute)
	})
}

func TestChangePasswordWithWrongCurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		a, se := e.auth(t, e.signUp(t, e.parent, goodPassword))

		err := e.svc.ChangePassword(ctx, a, se, wrongPassword, newPassword, client)
		wantErr(t, err, errs.Invalid, "account.password_wrong")

		// It was the first of the ten failures that lock.
		for i := 2; i < account.FailuresMax; i++ {
			_, err := e.svc.SignIn(ctx, e.parent.IIN, wrongPassword, client)
			wantErr(t, err, errs.Unauthenticated, "account.signin_wrong")
		}
		_, err = e.svc.SignIn(ctx, e.parent.IIN, wrongPassword, client)
		wantErr(t, err, errs.TooMany, "account.locked")
	})
}

func TestParsePhone(t *testing.T) {
	tests := []struct {
		in, want string // want "" for a refusal
	}{
		{"+7 701 234 56 78", "+77012345678"},
		{"87012345678", "+77012345678"},
		{"7012345678", "+77012345678"},
		{"+7 (701) 234-56-78", "+77012345678"},
		{"+7 727 123 45 67", ""}, // an Almaty landline
		{"12345", ""},
		{"+1 202 555 0100", ""},
		{"+7 701 234 56 78 ext", ""},
	}
	for _, tt := range tests {
		got, err := account.ParsePhone(tt.in)
		switch {
		case tt.want == "" && answerOf(err).Key != "account.phone_invalid":
			t.Errorf("ParsePhone(%q) = %q, %v; want account.phone_invalid", tt.in, got, err)
		case tt.want != "" && (err != nil || got != tt.want):
			t.Errorf("ParsePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseEmail(t *testing.T) {
	tests := []struct {
		in, want string // want "" for a refusal
	}{
		{"aigul@example.kz", "aigul@example.kz"},
		{"  aigul.s@mail.kz\n", "aigul.s@mail.kz"},
		{"Aigul <aigul@example.kz>", ""},
		{"aigul@localhost", ""},
		{"aigul", ""},
		{"", ""},
		{strings.Repeat("a", 250) + "@x.kz", ""},
	}
	for _, tt := range tests {
		got, err := account.ParseEmail(tt.in)
		switch {
		case tt.want == "" && answerOf(err).Key != "account.email_invalid":
			t.Errorf("ParseEmail(%q) = %q, %v; want account.email_invalid", tt.in, got, err)
		case tt.want != "" && (err != nil || got != tt.want):
			t.Errorf("ParseEmail(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestMaskAddr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"203.0.113.7", "203.0.113.x"},
		{"203.0.113.7:54321", "203.0.113.x"},
		{"::ffff:203.0.113.7", "203.0.113.x"},
		{"2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::/48"},
		{"[2001:db8:85a3::7]:443", "2001:db8:85a3::/48"},
		{"not an address", ""},
	}
	for _, tt := range tests {
		if got := account.MaskAddr(tt.in); got != tt.want {
			t.Errorf("MaskAddr(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBrowser(t *testing.T) {
	tests := []struct{ ua, want string }{
		{client.UserAgent, "Chrome, Android"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari, iOS"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0", "Edge, Windows"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 YaBrowser/24.4.0.0 Safari/537.36", "Yandex Browser, Windows"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox, macOS"},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0", "Opera, Linux"},
		{"curl/8.5.0", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := account.Browser(tt.ua); got != tt.want {
			t.Errorf("Browser(%q) = %q, want %q", tt.ua, got, tt.want)
		}
	}
}
