package staff_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"sakura/internal/account"
	"sakura/internal/clocktest"
	"sakura/internal/errs"
	"sakura/internal/staff"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

var start = time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)

var cheap = account.Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

var client = account.Client{Addr: "198.51.100.23", UserAgent: "Mozilla/5.0 (Windows NT 10.0) Chrome/126.0"}

const password = "the quiet school library"

func newService(t *testing.T, db *store.DB) (*staff.Service, *clocktest.Clock) {
	t.Helper()
	c := clocktest.New(start)
	return staff.New(staff.Config{Store: db, Hasher: account.NewHasher(cheap, 0), Now: c.Now}), c
}

// addAdmin adds an administrator with the test's password.
func addAdmin(t *testing.T, svc *staff.Service, login string) staff.User {
	t.Helper()
	u, err := svc.AddUser(context.Background(), staff.CommandLine,
		staff.NewUser{Login: login, Name: "Асель Нурланова", Role: staff.RoleAdmin, Password: password}, client)
	if err != nil {
		t.Fatalf("add user: %v", err)
	}
	return u
}

// enrol signs a new user in for the first time: the password, the secret
// set up and confirmed by its first code. It returns the session's token,
// the recovery codes and the secret.
func enrol(t *testing.T, svc *staff.Service, c *clocktest.Clock, login string) (token string, recovery []string, secret string) {
	t.Helper()
	ctx := context.Background()
	pending, enrolled, err := svc.SignIn(ctx, login, password, client)
	if err != nil || enrolled {
		t.Fatalf("first sign-in: enrolled %v, %v", enrolled, err)
	}
	e, err := svc.Enrolment(ctx, pending)
	if err != nil || e.Secret == "" || !strings.HasPrefix(e.URL, "otpauth://totp/") {
		t.Fatalf("enrolment %+v: %v", e, err)
	}
	again, err := svc.Enrolment(ctx, pending)
	if err != nil || again.Secret != e.Secret {
		t.Fatalf("a second look at the enrolment gave another secret: %v", err)
	}
	code, _ := staff.Code(e.Secret, c.Now())
	token, recovery, err = svc.SecondFactor(ctx, pending, code, client)
	if err != nil || len(recovery) != staff.RecoveryCodes {
		t.Fatalf("confirm the app: %d recovery codes, %v", len(recovery), err)
	}
	return token, recovery, e.Secret
}

func TestSignInWithSecondFactor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, c := newService(t, db)
		addAdmin(t, svc, "Asel")
		token, recovery, secret := enrol(t, svc, c, "asel")

		u, _, err := svc.Authenticate(ctx, token)
		if err != nil || u.Login != "asel" || !u.Enrolled() {
			t.Fatalf("authenticate after enrolment: %+v, %v", u, err)
		}

		// Later sign-ins: the password, then a code of the app. A code
		// once taken is not taken again, even within its 30 seconds.
		c.Advance(time.Minute)
		pending, enrolled, err := svc.SignIn(ctx, "ASEL ", password, client)
		if err != nil || !enrolled {
			t.Fatalf("second sign-in: enrolled %v, %v", enrolled, err)
		}
		if _, _, err := svc.Authenticate(ctx, pending); !errors.Is(err, &errs.Error{Kind: errs.Unauthenticated}) {
			t.Errorf("a pending session opened the office: %v", err)
		}
		code, _ := staff.Code(secret, c.Now())
		second, _, err := svc.SecondFactor(ctx, pending, code, client)
		if err != nil || second == pending {
			t.Fatalf("second factor: %v (token renewed: %v)", err, second != pending)
		}
		pending, _, _ = svc.SignIn(ctx, "asel", password, client)
		if _, _, err := svc.SecondFactor(ctx, pending, code, client); errs.KindOf(err) != errs.Invalid {
			t.Errorf("a code used twice: %v", err)
		}

		// A recovery code works once, in any case and without its dash.
		rc := strings.ToUpper(strings.ReplaceAll(recovery[3], "-", ""))
		if _, _, err := svc.SecondFactor(ctx, pending, rc, client); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		pending, _, _ = svc.SignIn(ctx, "asel", password, client)
		if _, _, err := svc.SecondFactor(ctx, pending, recovery[3], client); errs.KindOf(err) != errs.Invalid {
			t.Errorf("a recovery code used twice: %v", err)
		}
		if n, _ := svc.RecoveryCodesLeft(ctx, u.ID); n != staff.RecoveryCodes-1 {
			t.Errorf("%d recovery codes left", n)
		}

		// A pending session lasts five minutes.
		pending, _, _ = svc.SignIn(ctx, "asel", password, client)
		c.Advance(staff.PendingTTL + time.Second)
		code, _ = staff.Code(secret, c.Now())
		if _, _, err := svc.SecondFactor(ctx, pending, code, client); errs.KindOf(err) != errs.Unauthenticated {
			t.Errorf("a stale pending session: %v", err)
		}
	})
}

func TestSessionLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, c := newService(t, db)
		addAdmin(t, svc, "asel")
		token, _, _ := enrol(t, svc, c, "asel")

		// Used every 14 minutes, a session lasts 10 hours and no more.
		for c.Now().Before(start.Add(staff.SessionMax - 15*time.Minute)) {
			c.Advance(14 * time.Minute)
			if _, _, err := svc.Authenticate(ctx, token); err != nil {
				t.Fatalf("after %v: %v", c.Now().Sub(start), err)
			}
		}
		c.Advance(15 * time.Minute)
		if _, _, err := svc.Authenticate(ctx, token); errs.KindOf(err) != errs.Unauthenticated {
			t.Errorf("after 10 hours: %v", err)
		}

		// Unused for 15 minutes, it ends.
		token, _, _ = signInAgain(t, svc, c, "asel")
		c.Advance(staff.SessionIdle)
		if _, _, err := svc.Authenticate(ctx, token); errs.KindOf(err) != errs.Unauthenticated {
			t.Errorf("after 15 idle minutes: %v", err)
		}

		// Sign-out ends it on the server.
		token, _, _ = signInAgain(t, svc, c, "asel")
		if err := svc.SignOut(ctx, token, client); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Authenticate(ctx, token); errs.KindOf(err) != errs.Unauthenticated {
			t.Errorf("after sign-out: %v", err)
		}
	})
}

// signInAgain signs an enrolled user in with the password and the app.
func signInAgain(t *testing.T, svc *staff.Service, c *clocktest.Clock, login string) (string, staff.User, staff.Session) {
	t.Helper()
	ctx := context.Background()
	c.Advance(31 * time.Second) // a fresh time step for a fresh code
	u, err := svc.UserByLogin(ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	pending, _, err := svc.SignIn(ctx, login, password, client)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	code, _ := staff.Code(u.TOTPSecret, c.Now())
	token, _, err := svc.SecondFactor(ctx, pending, code, client)
	if err != nil {
		t.Fatalf("second factor: %v", err)
	}
	u, se, err := svc.Authenticate(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	return token, u, se
}

func TestSignInRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, c := newService(t, db)
		admin := addAdmin(t, svc, "asel")
		other := addAdmin(t, svc, "dana")

		// A wrong password, an unknown login and a disabled account get
		// the same answer.
		_, _, wrong := svc.SignIn(ctx, "asel", "not the password at all", client)
		_, _, unknown := svc.SignIn(ctx, "nobody", password, client)
		if _, err := svc.ChangeUser(ctx, admin, other.ID, staff.Disable, client); err != nil {
			t.Fatal(err)
		}
		_, _, disabled := svc.SignIn(ctx, "dana", password, client)
		for _, err := range []error{wrong, unknown, disabled} {
			var e *errs.Error
			if !errors.As(err, &e) || e.Key != "office.signin_wrong" {
				t.Errorf("refusal %v, want office.signin_wrong", err)
			}
		}
		if _, err := svc.ChangeUser(ctx, admin, admin.ID, staff.Disable, client); errs.KindOf(err) != errs.Conflict {
			t.Errorf("an administrator disabled their own account: %v", err)
		}

		// Ten failures lock the login for 30 minutes, right password or not.
		for range staff.FailuresMax - 1 {
			svc.SignIn(ctx, "asel", "not the password at all", client)
		}
		if _, _, err := svc.SignIn(ctx, "asel", password, client); errs.KindOf(err) != errs.TooMany {
			t.Fatalf("the 11th try: %v, want a lock", err)
		}
		c.Advance(staff.LockFor + time.Second)
		if _, _, err := svc.SignIn(ctx, "asel", password, client); err != nil {
			t.Errorf("after the lock: %v", err)
		}
	})
}

// TestConcurrentGuesses: twenty guesses at once never get more than ten
// password checks before the lock, on either engine.
func TestConcurrentGuesses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, _ := newService(t, db)
		addAdmin(t, svc, "asel")
		var wg sync.WaitGroup
		var mu sync.Mutex
		checked := 0
		for range 20 {
			wg.Go(func() {
				_, _, err := svc.SignIn(ctx, "asel", "not the password at all", client)
				if errs.KindOf(err) == errs.Unauthenticated {
					mu.Lock()
					checked++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if checked > staff.FailuresMax {
			t.Errorf("%d guesses checked, at most %d allowed", checked, staff.FailuresMax)
		}
	})
}

func TestReauthenticate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, c := newService(t, db)
		addAdmin(t, svc, "asel")
		token, _, secret := enrol(t, svc, c, "asel")
		_, se, _ := svc.Authenticate(ctx, token)
		if !svc.Fresh(se) {
			t.Error("a session just begun is not fresh")
		}
		c.Advance(staff.ReauthFor)
		u, se, _ := svc.Authenticate(ctx, token)
		if svc.Fresh(se) {
			t.Error("still fresh after five minutes")
		}
		code, _ := staff.Code(secret, c.Now())
		if err := svc.Reauthenticate(ctx, u, se, "wrong password here", code, client); errs.KindOf(err) != errs.Invalid {
			t.Errorf("a wrong password: %v", err)
		}
		if err := svc.Reauthenticate(ctx, u, se, password, code, client); err != nil {
			t.Fatalf("reauthenticate: %v", err)
		}
		if _, se, _ = svc.Authenticate(ctx, token); !svc.Fresh(se) {
			t.Error("not fresh after re-authenticating")
		}
	})
}

func TestAddUserRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, _ := newService(t, db)
		addAdmin(t, svc, "asel")
		for _, tc := range []struct {
			n     staff.NewUser
			field string
		}{
			{staff.NewUser{Login: "asel", Name: "A", Role: staff.RoleAdmin, Password: password}, "login"},
			{staff.NewUser{Login: "x", Name: "A", Role: staff.RoleAdmin, Password: password}, "login"},
			{staff.NewUser{Login: "bolat", Name: " ", Role: staff.RoleAdmin, Password: password}, "name"},
			{staff.NewUser{Login: "bolat", Name: "B", Role: "boss", Password: password}, "role"},
			{staff.NewUser{Login: "bolat", Name: "B", Role: staff.RoleSchool, City: "almaty", Password: password}, "school"},
			{staff.NewUser{Login: "bolat", Name: "B", Role: staff.RoleOperator, Password: password}, "city"},
			{staff.NewUser{Login: "bolat", Name: "B", Role: staff.RoleAdmin, Password: "short"}, "password"},
		} {
			_, err := svc.AddUser(ctx, staff.CommandLine, tc.n, client)
			var fe account.FieldErrors
			if !errors.As(err, &fe) || fe[0].Field != tc.field {
				t.Errorf("%+v: %v, want a refusal of %s", tc.n, err, tc.field)
			}
		}
	})
}
