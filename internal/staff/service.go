package staff

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"sakura/internal/account"
	"sakura/internal/errs"
)

// The security figures of the back office: shorter sessions than a
// parent's, since staff see many children's data.
const (
	SessionIdle = 15 * time.Minute // a session ends after this long unused
	SessionMax  = 10 * time.Hour   // and this long after sign-in in any case
	PendingTTL  = 5 * time.Minute  // from the password to the second factor
	ReauthFor   = 5 * time.Minute  // a re-authentication opens bulk actions this long
	FailuresMax = 10               // wrong passwords and codes per login before a lock
	LockFor     = 30 * time.Minute
	touchEvery  = time.Minute
	failureKind = "staff_failure"
	issuer      = "Sakura"
)

// Errors staff see; each key is a catalogue message.
var (
	errSignInWrong = &errs.Error{Kind: errs.Unauthenticated, Key: "office.signin_wrong"}
	errCodeWrong   = &errs.Error{Kind: errs.Invalid, Key: "office.code_wrong"}
	errPendingGone = &errs.Error{Kind: errs.Unauthenticated, Key: "office.pending_gone"}
	errNoSession   = &errs.Error{Kind: errs.Unauthenticated, Key: "office.signed_out"}
	errReauthWrong = &errs.Error{Kind: errs.Invalid, Key: "office.reauth_wrong"}
)

func lockedError(wait time.Duration) error {
	m := max(int((wait+time.Minute-1)/time.Minute), 1)
	return &errs.Error{Kind: errs.TooMany, Key: "office.locked", RetryAfter: wait, Args: map[string]any{"Count": m}}
}

// Config is what a Service depends on.
type Config struct {
	Store  Store
	Hasher *account.Hasher
	Now    func() time.Time // nil: time.Now
}

// Service runs the back office's sign-in, sessions and staff accounts. It
// is safe for concurrent use; its state is in the store.
type Service struct {
	store  Store
	hasher *account.Hasher
	now    func() time.Time
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, hasher: cfg.Hasher, now: cfg.Now}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// loginKey is the key that failures and locks of a login are counted by.
func loginKey(login string) string {
	sum := sha256.Sum256([]byte("staff:" + strings.ToLower(login)))
	return hex.EncodeToString(sum[:])
}

// NormalizeLogin folds a login as it is kept: trimmed, lower case.
func NormalizeLogin(login string) string { return strings.ToLower(strings.TrimSpace(login)) }

// SignIn checks a login and password and returns the token of a pending
// session, which the second factor turns into a session; enrolled says
// whether the user has an authenticator app already or sets one up next.
// A wrong login, a wrong password and a disabled account get the same
// errs.Unauthenticated answer at the same cost; ten failures lock the
// login for 30 minutes (errs.TooMany).
func (s *Service) SignIn(ctx context.Context, login, password string, c account.Client) (token string, enrolled bool, err error) {
	now := s.now()
	login = NormalizeLogin(login)
	key := loginKey(login)

	var u User
	if err := s.reserve(ctx, key, now, func(tx Tx) error {
		var err error
		u, err = tx.UserByLogin(ctx, login)
		if errors.Is(err, errs.ErrNotFound) {
			return nil
		}
		return err
	}); err != nil {
		return "", false, fmt.Errorf("office sign in: %w", err)
	}

	ok, err := s.hasher.Verify(ctx, u.PasswordHash, password)
	if err != nil {
		return "", false, fmt.Errorf("office sign in: %w", err)
	}
	ok = ok && u.ID != 0 && !u.Disabled

	token = account.NewToken()
	err = s.store.StaffTx(ctx, func(tx Tx) error {
		if !ok {
			return s.failed(ctx, tx, key, u.ID, "signin.failed", c, now)
		}
		return tx.AddSession(ctx, Session{TokenHash: account.HashToken(token), UserID: u.ID, Pending: true,
			CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(PendingTTL), UserAgent: account.Browser(c.UserAgent),
			Client: account.MaskAddr(c.Addr)})
	})
	if err != nil {
		return "", false, fmt.Errorf("office sign in: %w", err)
	}
	if !ok {
		return "", false, errSignInWrong
	}
	return token, u.Enrolled(), nil
}

// reserve refuses a locked login and counts one failure before a check,
// so that concurrent guesses in any process never get more than
// FailuresMax checks; read runs in the same transaction.
func (s *Service) reserve(ctx context.Context, key string, now time.Time, read func(Tx) error) error {
	var locked error
	err := s.store.StaffTx(ctx, func(tx Tx) error {
		if err := tx.Guard(ctx, key); err != nil {
			return err
		}
		until, err := tx.LockedUntil(ctx, key)
		if err != nil {
			return err
		}
		if until.After(now) {
			locked = lockedError(until.Sub(now))
			return nil
		}
		n, err := tx.Count(ctx, key, failureKind, now.Add(-24*time.Hour))
		if err != nil {
			return err
		}
		if n >= FailuresMax {
			locked = lockedError(LockFor)
			return tx.Lock(ctx, key, now.Add(LockFor))
		}
		if err := tx.Record(ctx, key, failureKind, now); err != nil {
			return err
		}
		return read(tx)
	})
	if err != nil {
		return err
	}
	return locked
}

// failed writes a failure to the audit log and locks the login at the
// limit (the failure itself was counted by reserve).
func (s *Service) failed(ctx context.Context, tx Tx, key string, userID int64, action string, c account.Client, now time.Time) error {
	if err := tx.Guard(ctx, key); err != nil {
		return err
	}
	if err := tx.Audit(ctx, AuditEntry{At: now, UserID: userID, Actor: "", Action: action,
		Object: userObject(userID), Client: account.MaskAddr(c.Addr)}); err != nil {
		return err
	}
	n, err := tx.Count(ctx, key, failureKind, now.Add(-24*time.Hour))
	if err != nil || n < FailuresMax {
		return err
	}
	if err := tx.Forget(ctx, key, failureKind); err != nil {
		return err
	}
	if err := tx.Audit(ctx, AuditEntry{At: now, UserID: userID, Action: "signin.locked", Object: userObject(userID),
		Client: account.MaskAddr(c.Addr)}); err != nil {
		return err
	}
	return tx.Lock(ctx, key, now.Add(LockFor))
}

// succeeded forgets the login's failures.
func succeeded(ctx context.Context, tx Tx, login string) error {
	key := loginKey(login)
	if err := tx.Guard(ctx, key); err != nil {
		return err
	}
	return tx.Forget(ctx, key, failureKind)
}

func userObject(id int64) string {
	if id == 0 {
		return ""
	}
	return fmt.Sprintf("user:%d", id)
}

// Pending returns the user and the pending session of a token, or an
// errs.Unauthenticated error when it is gone.
func (s *Service) Pending(ctx context.Context, token string) (User, Session, error) {
	now := s.now()
	var u User
	var se Session
	err := s.store.StaffTx(ctx, func(tx Tx) error {
		var err error
		se, err = tx.Session(ctx, account.HashToken(token))
		if errors.Is(err, errs.ErrNotFound) || (err == nil && (!se.Pending || !now.Before(se.ExpiresAt))) {
			return errPendingGone
		}
		if err != nil {
			return err
		}
		u, err = tx.User(ctx, se.UserID)
		if err == nil && u.Disabled {
			return errPendingGone
		}
		return err
	})
	return u, se, err
}

// Enrolment returns the authenticator secret a pending session of a user
// without one sets up, making it on the first call.
func (s *Service) Enrolment(ctx context.Context, token string) (Enrolment, error) {
	u, se, err := s.Pending(ctx, token)
	if err != nil {
		return Enrolment{}, err
	}
	if u.Enrolled() {
		return Enrolment{}, errPendingGone
	}
	if se.Secret != "" {
		return enrolmentOf(u.Login, se.Secret), nil
	}
	e, err := NewEnrolment(issuer, u.Login)
	if err != nil {
		return Enrolment{}, fmt.Errorf("office enrolment: %w", err)
	}
	err = s.store.StaffTx(ctx, func(tx Tx) error { return tx.SetSessionSecret(ctx, se.TokenHash, e.Secret) })
	if err != nil {
		return Enrolment{}, fmt.Errorf("office enrolment: %w", err)
	}
	return e, nil
}

// enrolmentOf rebuilds the otpauth URL of a secret.
func enrolmentOf(login, secret string) Enrolment {
	v := fmt.Sprintf("otpauth://totp/%s:%s?algorithm=SHA1&digits=6&issuer=%s&period=%d&secret=%s",
		issuer, strings.ReplaceAll(login, " ", "%20"), issuer, totpPeriod, secret)
	return Enrolment{Secret: secret, URL: v}
}

// SecondFactor takes the code of the authenticator app, or a recovery
// code, for a pending session. For a user without an app yet, the code
// confirms the secret being set up, and the answer carries the recovery
// codes to show once. The pending session ends and a new session begins,
// with a new token. A wrong code is errs.Invalid ("office.code_wrong") and
// counts towards the login's lock.
func (s *Service) SecondFactor(ctx context.Context, pending, code string, c account.Client) (token string, recovery []string, err error) {
	now := s.now()
	u, se, err := s.Pending(ctx, pending)
	if err != nil {
		return "", nil, err
	}
	key := loginKey(u.Login)
	if err := s.reserve(ctx, key, now, func(Tx) error { return nil }); err != nil {
		return "", nil, fmt.Errorf("office second factor: %w", err)
	}

	token = account.NewToken()
	ok := false
	err = s.store.StaffTx(ctx, func(tx Tx) error {
		fresh, err := tx.User(ctx, u.ID) // the step may have moved meanwhile
		if err != nil {
			return err
		}
		action := "signin"
		switch {
		case !fresh.Enrolled():
			step := checkTOTP(se.Secret, code, 0, now)
			if se.Secret == "" || step == 0 {
				return s.failed(ctx, tx, key, u.ID, "signin.code_failed", c, now)
			}
			fresh.TOTPSecret, fresh.TOTPStep = se.Secret, step
			var hashes []string
			recovery, hashes = NewRecoveryCodes()
			if err := tx.SetRecoveryCodes(ctx, u.ID, hashes); err != nil {
				return err
			}
			action = "signin.enrolled"
		case len(strings.TrimSpace(code)) == 6:
			step := checkTOTP(fresh.TOTPSecret, code, fresh.TOTPStep, now)
			if step == 0 {
				return s.failed(ctx, tx, key, u.ID, "signin.code_failed", c, now)
			}
			fresh.TOTPStep = step
		default:
			used, err := tx.UseRecoveryCode(ctx, u.ID, HashRecoveryCode(code), now)
			if err != nil {
				return err
			}
			if !used {
				return s.failed(ctx, tx, key, u.ID, "signin.code_failed", c, now)
			}
			action = "signin.recovery_code"
		}
		if err := tx.UpdateUser(ctx, fresh); err != nil {
			return err
		}
		if err := succeeded(ctx, tx, u.Login); err != nil {
			return err
		}
		if err := tx.DeleteSession(ctx, se.TokenHash); err != nil {
			return err
		}
		if err := tx.AddSession(ctx, Session{TokenHash: account.HashToken(token), UserID: u.ID, CreatedAt: now,
			LastSeen: now, ExpiresAt: now.Add(SessionMax), ReauthAt: now, UserAgent: se.UserAgent,
			Client: account.MaskAddr(c.Addr)}); err != nil {
			return err
		}
		ok = true
		return tx.Audit(ctx, AuditEntry{At: now, UserID: u.ID, Actor: u.Name, City: u.City, Action: action,
			Object: userObject(u.ID), Client: account.MaskAddr(c.Addr)})
	})
	if err != nil {
		return "", nil, fmt.Errorf("office second factor: %w", err)
	}
	if !ok {
		return "", nil, errCodeWrong
	}
	return token, recovery, nil
}

// Authenticate returns the user and session of a token: a session with its
// second factor, used in the last 15 minutes, begun less than 10 hours ago,
// of a user not disabled. Anything else is errs.Unauthenticated.
func (s *Service) Authenticate(ctx context.Context, token string) (User, Session, error) {
	if token == "" {
		return User{}, Session{}, errNoSession
	}
	now := s.now()
	var u User
	var se Session
	err := s.store.StaffTx(ctx, func(tx Tx) error {
		var err error
		se, err = tx.Session(ctx, account.HashToken(token))
		if errors.Is(err, errs.ErrNotFound) {
			return errNoSession
		}
		if err != nil {
			return err
		}
		if se.Pending || !now.Before(se.ExpiresAt) || now.Sub(se.LastSeen) >= SessionIdle {
			if err := tx.DeleteSession(ctx, se.TokenHash); err != nil {
				return err
			}
			return errNoSession
		}
		if u, err = tx.User(ctx, se.UserID); err != nil {
			return err
		}
		if u.Disabled {
			return errNoSession
		}
		if now.Sub(se.LastSeen) >= touchEvery {
			se.LastSeen = now
			return tx.TouchSession(ctx, se.TokenHash, now)
		}
		return nil
	})
	if errors.Is(err, errNoSession) {
		return User{}, Session{}, errNoSession
	}
	if err != nil {
		return User{}, Session{}, fmt.Errorf("office authenticate: %w", err)
	}
	return u, se, nil
}

// Fresh reports whether the session re-authenticated in the last five
// minutes, as bulk actions ask.
func (s *Service) Fresh(se Session) bool { return s.now().Sub(se.ReauthAt) < ReauthFor }

// Reauthenticate takes the password and an authenticator code again for a
// session, which then counts as fresh. Failures count towards the login's
// lock; a wrong pair is errs.Invalid ("office.reauth_wrong").
func (s *Service) Reauthenticate(ctx context.Context, u User, se Session, password, code string, c account.Client) error {
	now := s.now()
	key := loginKey(u.Login)
	if err := s.reserve(ctx, key, now, func(Tx) error { return nil }); err != nil {
		return fmt.Errorf("office reauthenticate: %w", err)
	}
	ok, err := s.hasher.Verify(ctx, u.PasswordHash, password)
	if err != nil {
		return fmt.Errorf("office reauthenticate: %w", err)
	}
	done := false
	err = s.store.StaffTx(ctx, func(tx Tx) error {
		fresh, err := tx.User(ctx, u.ID)
		if err != nil {
			return err
		}
		step := checkTOTP(fresh.TOTPSecret, code, fresh.TOTPStep, now)
		if !ok || step == 0 {
			return s.failed(ctx, tx, key, u.ID, "reauth.failed", c, now)
		}
		fresh.TOTPStep = step
		if err := tx.UpdateUser(ctx, fresh); err != nil {
			return err
		}
		if err := succeeded(ctx, tx, u.Login); err != nil {
			return err
		}
		done = true
		if err := tx.Reauthenticated(ctx, se.TokenHash, now); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: now, UserID: u.ID, Actor: u.Name, City: u.City, Action: "reauth",
			Object: userObject(u.ID), Client: account.MaskAddr(c.Addr)})
	})
	if err != nil {
		return fmt.Errorf("office reauthenticate: %w", err)
	}
	if !done {
		return errReauthWrong
	}
	return nil
}

// SignOut ends the session of a token on the server.
func (s *Service) SignOut(ctx context.Context, token string, c account.Client) error {
	if token == "" {
		return nil
	}
	now := s.now()
	return s.store.StaffTx(ctx, func(tx Tx) error {
		se, err := tx.Session(ctx, account.HashToken(token))
		if errors.Is(err, errs.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := tx.DeleteSession(ctx, se.TokenHash); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: now, UserID: se.UserID, Action: "signout", Object: userObject(se.UserID),
			Client: account.MaskAddr(c.Addr)})
	})
}
