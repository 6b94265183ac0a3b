package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/person"
)

// The security figures of the cabinet. They follow NIST SP 800-63B and
// OWASP ASVS level 2; DOMAIN.md and the README give the reasons.
const (
	CodeTTL          = 5 * time.Minute  // a code is valid this long
	CodeWrongMax     = 5                // wrong entries that void a code
	ResendAfter      = 60 * time.Second // the wait before another code
	FailuresMax      = 10               // failures per IIN before a lock
	LockFor          = 30 * time.Minute // the lock
	SMSPerHour       = 5                // codes per IIN per hour
	SMSPerDay        = 10               // codes per IIN per day
	SMSPerClientHour = 20               // codes per client address per hour
	VerifiedTTL      = 10 * time.Minute // from the right code to the new password
	SessionIdle      = 30 * time.Minute // a session ends after this long unused
	SessionMax       = 12 * time.Hour   // and this long after sign-in in any case
	EmailLinkTTL     = 24 * time.Hour   // a confirmation link is valid this long
	EmailPerHour     = 5                // confirmation links per account per hour
	failureWindow    = 24 * time.Hour   // failures older than this are forgotten
	touchEvery       = time.Minute      // how often a session's last use is saved
)

// The events of the feed this package writes.
const (
	EventCodeSent        notify.EventKind = "code_sent"
	EventSignedIn        notify.EventKind = "signed_in"
	EventPasswordSet     notify.EventKind = "password_set"
	EventPasswordChanged notify.EventKind = "password_changed"
	EventPhoneCode       notify.EventKind = "phone_code_sent"
	EventPhoneChanged    notify.EventKind = "phone_changed"
	EventEmailLink       notify.EventKind = "email_link_sent"
	EventEmailConfirmed  notify.EventKind = "email_confirmed"
	EventSettings        notify.EventKind = "settings_changed"
	EventSignedOutAll    notify.EventKind = "signed_out_all"
)

// People is the part of the person registry the cabinet asks: who holds an
// IIN and the phone on record.
type People interface {
	Person(ctx context.Context, iin string) (person.Person, error)
}

// Client is who is asking: the client's address (for the limits, kept
// hashed, and the session list, kept masked), its browser and language.
type Client struct {
	Addr      string
	UserAgent string
	Lang      i18n.Lang
}

// Config is what a Service depends on.
type Config struct {
	Store  Store
	People People
	Hasher *Hasher
	Now    func() time.Time // nil: time.Now
	// Queued is told when messages were queued, so that the worker in this
	// process sends them at once; nil when nobody listens.
	Queued func()
}

// Service runs the cabinet's identity flows: codes, passwords, sessions
// and settings. It is safe for concurrent use; its state is in the store.
type Service struct {
	store  Store
	people People
	hasher *Hasher
	now    func() time.Time
	queued func()
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, people: cfg.People, hasher: cfg.Hasher, now: cfg.Now, queued: cfg.Queued}
	if s.now == nil {
		s.now = time.Now
	}
	if s.queued == nil {
		s.queued = func() {}
	}
	return s
}

// Errors people see; each key is a catalogue message.
var (
	errSignInWrong   = &errs.Error{Kind: errs.Unauthenticated, Key: "account.signin_wrong"}
	errAttemptGone   = &errs.Error{Kind: errs.Invalid, Key: "account.attempt_gone"}
	errCodeExpired   = &errs.Error{Kind: errs.Invalid, Key: "account.code_expired"}
	errCodeVoid      = &errs.Error{Kind: errs.Invalid, Key: "account.code_void"}
	errPasswordWrong = &errs.Error{Kind: errs.Invalid, Key: "account.password_wrong"}
	errCodeFormat    = &errs.Error{Kind: errs.Invalid, Key: "account.code_format"}
)

func lockedError(until, now time.Time) error {
	wait := until.Sub(now)
	return &errs.Error{Kind: errs.TooMany, Key: "account.locked", RetryAfter: wait,
		Args: map[string]any{"Count": minutes(wait)}}
}

func limitError(wait time.Duration) error {
	return &errs.Error{Kind: errs.TooMany, Key: "account.sms_limit", RetryAfter: wait,
		Args: map[string]any{"Count": minutes(wait)}}
}

// minutes rounds a wait up to whole minutes, at least one.
func minutes(d time.Duration) int {
	m := int((d + time.Minute - 1) / time.Minute)
	return max(m, 1)
}

// RequestCode starts a sign-in by code (the first sign-in, or a password
// reset) and returns the attempt's token for the browser's cookie. When
// the IIN belongs to a parent with a phone on record, a code goes to that
// phone; otherwise nothing is sent, and the answer is the same, so that
// nobody learns who has an account. A malformed IIN is an errs.Invalid
// error keyed by its reason; limits and locks are errs.TooMany.
func (s *Service) RequestCode(ctx context.Context, number string, c Client) (string, error) {
	now := s.now()
	if _, err := person.ParseIIN(number, now); err != nil {
		return "", err
	}
	p, err := s.people.Person(ctx, number)
	switch {
	case errors.Is(err, errs.ErrNotFound):
		p = person.Person{}
	case err != nil:
		return "", fmt.Errorf("request code: %w", err)
	}

	token := NewToken()
	subject := SubjectKey(number)
	err = s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.Guard(ctx, subject, ClientKey(c.Addr)); err != nil {
			return err
		}
		if err := s.checkSend(ctx, tx, subject, c, now); err != nil {
			return err
		}

		ch := Challenge{TokenHash: HashToken(token), Purpose: PurposeSignIn, Subject: subject,
			CreatedAt: now, SentAt: now, ExpiresAt: now.Add(CodeTTL)}
		a, err := s.accountFor(ctx, tx, p, c, now)
		if err != nil {
			return err
		}
		if a.ID != 0 {
			ch.AccountID, ch.Target = a.ID, a.Phone
			if err := s.sendCode(ctx, tx, &ch, token, a, EventCodeSent, notify.SignInCode); err != nil {
				return err
			}
		}
		if err := tx.AddChallenge(ctx, ch); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: now, AccountID: a.ID, Subject: subject,
			Action: "code.requested", Client: MaskAddr(c.Addr)})
	})
	if err != nil {
		return "", fmt.Errorf("request code: %w", err)
	}
	s.queued()
	return token, nil
}

// accountFor returns the account of a person of the registry, creating it
// on the first code; a zero Account when the person is unknown or has no
// phone on record (a child).
func (s *Service) accountFor(ctx context.Context, tx Tx, p person.Person, c Client, now time.Time) (Account, error) {
	if p.IIN == "" {
		return Account{}, nil
	}
	a, err := tx.AccountByIIN(ctx, p.IIN)
	if err == nil || !errors.Is(err, errs.ErrNotFound) {
		return a, err
	}
	if p.Phone == "" {
		return Account{}, nil
	}
	a = Account{IIN: p.IIN, Phone: p.Phone, Lang: c.Lang, NotifySMS: true, CreatedAt: now}
	if a.Lang == "" {
		a.Lang = i18n.RU
	}
	a.ID, err = tx.CreateAccount(ctx, a)
	return a, err
}

// checkSend refuses another code while the IIN is locked or a limit on
// codes is reached, and counts this one. It counts for unknown IINs too, so
// the limits answer the same for every number.
func (s *Service) checkSend(ctx context.Context, tx Tx, subject string, c Client, now time.Time) error {
	if until, err := tx.LockedUntil(ctx, subject); err != nil {
		return err
	} else if until.After(now) {
		return lockedError(until, now)
	}

	client := ClientKey(c.Addr)
	limits := []struct {
		key    string
		window time.Duration
		max    int
	}{
		{subject, time.Hour, SMSPerHour},
		{subject, 24 * time.Hour, SMSPerDay},
		{client, time.Hour, SMSPerClientHour},
	}
	for _, l := range limits {
		since := now.Add(-l.window)
		n, err := tx.Count(ctx, l.key, kindSMS, since)
		if err != nil {
			return err
		}
		if n >= l.max {
			oldest, err := tx.OldestSince(ctx, l.key, kindSMS, since)
			if err != nil {
				return err
			}
			return limitError(oldest.Add(l.window).Sub(now))
		}
	}
	if err := tx.Record(ctx, subject, kindSMS, now); err != nil {
		return err
	}
	return tx.Record(ctx, client, kindSMS, now)
}

// sendCode gives the challenge a new code and queues its SMS to the
// challenge's target as an event of the account's feed.
func (s *Service) sendCode(ctx context.Context, tx Tx, ch *Challenge, token string, a Account, kind notify.EventKind, msg notify.Key) error {
	code := NewCode()
	ch.CodeHash = HashCode(token, code)
	ch.Wrong = 0
	e := notify.Event{AccountID: a.ID, Kind: kind, CreatedAt: ch.SentAt}
	d := notify.Delivery{Channel: notify.SMS, To: ch.Target, Lang: a.Lang, Message: msg,
		Data: notify.Data{Code: code}}
	_, err := tx.AddEvent(ctx, e, []notify.Delivery{d})
	return err
}

// ResendCode sends a new code for the attempt, at the earliest ResendAfter
// the last one and within the limits; the old code stops working.
func (s *Service) ResendCode(ctx context.Context, token string, c Client) error {
	now := s.now()
	err := s.store.Tx(ctx, func(tx Tx) error {
		ch, err := s.guardedChallenge(ctx, tx, token, now, ClientKey(c.Addr))
		if err != nil {
			return err
		}
		if wait := ch.SentAt.Add(ResendAfter).Sub(now); wait > 0 {
			return &errs.Error{Kind: errs.TooMany, Key: "account.resend_wait", RetryAfter: wait,
				Args: map[string]any{"Count": int((wait + time.Second - 1) / time.Second)}}
		}
		if err := s.checkSend(ctx, tx, ch.Subject, c, now); err != nil {
			return err
		}

		ch.SentAt, ch.ExpiresAt = now, now.Add(CodeTTL)
		if ch.AccountID != 0 {
			a, err := tx.Account(ctx, ch.AccountID)
			if err != nil {
				return err
			}
			kind, msg := EventCodeSent, notify.SignInCode
			if ch.Purpose == PurposePhone {
				kind, msg = EventPhoneCode, notify.PhoneChangeCode
			}
			if err := s.sendCode(ctx, tx, &ch, token, a, kind, msg); err != nil {
				return err
			}
		}
		if err := tx.UpdateChallenge(ctx, ch); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: now, AccountID: ch.AccountID, Subject: ch.Subject,
			Action: "code.resent", Client: MaskAddr(c.Addr)})
	})
	if err != nil {
		return fmt.Errorf("resend code: %w", err)
	}
	s.queued()
	return nil
}

// guardedChallenge finds an attempt that has not done its work yet, guards
// its IIN (and the other keys), and reads it again under the guard, so that
// concurrent requests about one attempt, in any process, see each other's
// counts.
func (s *Service) guardedChallenge(ctx context.Context, tx Tx, token string, now time.Time, keys ...string) (Challenge, error) {
	ch, err := s.openChallenge(ctx, tx, token, now)
	if err != nil {
		return Challenge{}, err
	}
	if err := tx.Guard(ctx, append([]string{ch.Subject}, keys...)...); err != nil {
		return Challenge{}, err
	}
	return s.openChallenge(ctx, tx, token, now)
}

// openChallenge finds an attempt that has not done its work yet.
func (s *Service) openChallenge(ctx context.Context, tx Tx, token string, now time.Time) (Challenge, error) {
	if token == "" {
		return Challenge{}, errAttemptGone
	}
	ch, err := tx.Challenge(ctx, HashToken(token))
	if errors.Is(err, errs.ErrNotFound) || (err == nil && !ch.UsedAt.IsZero()) {
		return Challenge{}, errAttemptGone
	}
	if err == nil && now.Sub(ch.CreatedAt) > 24*time.Hour {
		return Challenge{}, errAttemptGone
	}
	return ch, err
}

// VerifyCode checks the code of an attempt. A wrong code counts against
// the code (CodeWrongMax void it) and the IIN (FailuresMax lock it for
// LockFor); the error says how many tries are left.
func (s *Service) VerifyCode(ctx context.Context, token, code string, c Client) error {
	if !validCode(code) {
		return errCodeFormat
	}
	now := s.now()
	var result error
	err := s.store.Tx(ctx, func(tx Tx) error {
		ch, err := s.guardedChallenge(ctx, tx, token, now)
		if err != nil {
			return err
		}
		result, err = s.checkCode(ctx, tx, &ch, token, code, c, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("verify code: %w", err)
	}
	return result
}

// checkCode compares the code with the challenge's and records the outcome
// in tx. The returned result is for the person; err is a fault of ours.
func (s *Service) checkCode(ctx context.Context, tx Tx, ch *Challenge, token, code string, c Client, now time.Time) (result, err error) {
	if until, err := tx.LockedUntil(ctx, ch.Subject); err != nil {
		return nil, err
	} else if until.After(now) {
		return lockedError(until, now), nil
	}
	switch {
	case !ch.VerifiedAt.IsZero():
		return nil, nil
	case ch.Wrong >= CodeWrongMax:
		return errCodeVoid, nil
	case now.After(ch.ExpiresAt):
		return errCodeExpired, nil
	}

	if ch.CodeHash != "" && EqualHash(ch.CodeHash, HashCode(token, code)) {
		ch.VerifiedAt = now
		if err := tx.UpdateChallenge(ctx, *ch); err != nil {
			return nil, err
		}
		return nil, tx.Audit(ctx, AuditEntry{At: now, AccountID: ch.AccountID, Subject: ch.Subject,
			Action: "code.verified", Client: MaskAddr(c.Addr), Detail: string(ch.Purpose)})
	}

	ch.Wrong++
	if err := tx.UpdateChallenge(ctx, *ch); err != nil {
		return nil, err
	}
	locked, err := s.fail(ctx, tx, ch.Subject, ch.AccountID, "code.wrong", c, now)
	if err != nil || locked != nil {
		return locked, err
	}
	if ch.Wrong >= CodeWrongMax {
		return errCodeVoid, nil
	}
	return &errs.Error{Kind: errs.Invalid, Key: "account.code_wrong",
		Args: map[string]any{"Count": CodeWrongMax - ch.Wrong}}, nil
}

// fail records a failure of the IIN and, at the FailuresMax-th, locks it;
// then it returns the lock's error.
func (s *Service) fail(ctx context.Context, tx Tx, subject string, accountID int64, action string, c Client, now time.Time) (error, error) {
	if err := tx.Record(ctx, subject, kindFailure, now); err != nil {
		return nil, err
	}
	if err := tx.Audit(ctx, AuditEntry{At: now, AccountID: accountID, Subject: subject,
		Action: action, Client: MaskAddr(c.Addr)}); err != nil {
		return nil, err
	}
	n, err := tx.Count(ctx, subject, kindFailure, now.Add(-failureWindow))
	if err != nil || n < FailuresMax {
		return nil, err
	}
	until := now.Add(LockFor)
	if err := tx.Lock(ctx, subject, until); err != nil {
		return nil, err
	}
	if err := tx.Forget(ctx, subject, kindFailure); err != nil {
		return nil, err
	}
	if err := tx.Audit(ctx, AuditEntry{At: now, AccountID: accountID, Subject: subject,
		Action: "locked", Client: MaskAddr(c.Addr)}); err != nil {
		return nil, err
	}
	return lockedError(until, now), nil
}

func validCode(code string) bool {
	if len(code) != 6 {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// SetPassword finishes a sign-in by code: the attempt's code must have been
// verified less than VerifiedTTL ago. The new password replaces any old one,
// every other session of the account ends, and a new session begins; its
// token is returned for the cookie.
func (s *Service) SetPassword(ctx context.Context, token, password string, c Client) (string, error) {
	now := s.now()
	var ch Challenge
	var a Account
	err := s.store.Tx(ctx, func(tx Tx) error {
		var err error
		if ch, err = s.openChallenge(ctx, tx, token, now); err != nil {
			return err
		}
		if ch.Purpose != PurposeSignIn || ch.AccountID == 0 || ch.VerifiedAt.IsZero() || now.Sub(ch.VerifiedAt) > VerifiedTTL {
			return errAttemptGone
		}
		a, err = tx.Account(ctx, ch.AccountID)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("set password: %w", err)
	}
	if err := CheckPassword(password, a.IIN, digits(a.Phone)); err != nil {
		return "", err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return "", fmt.Errorf("set password: %w", err)
	}

	session := NewToken()
	err = s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.Guard(ctx, ch.Subject); err != nil {
			return err
		}
		again, err := s.openChallenge(ctx, tx, token, now)
		if err != nil {
			return err // a double click: the first one did the work
		}
		again.UsedAt = now
		if err := tx.UpdateChallenge(ctx, again); err != nil {
			return err
		}
		if err := tx.SetPassword(ctx, a.ID, hash, now); err != nil {
			return err
		}
		if _, err := tx.DeleteSessions(ctx, a.ID, "", ""); err != nil {
			return err
		}
		if err := tx.Forget(ctx, ch.Subject, kindFailure); err != nil {
			return err
		}
		if err := s.event(ctx, tx, a, EventPasswordSet, nil, notify.PasswordChanged, now); err != nil {
			return err
		}
		if err := s.addSession(ctx, tx, a, session, c, now); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: now, AccountID: a.ID, Action: "password.set", Client: MaskAddr(c.Addr)})
	})
	if err != nil {
		return "", fmt.Errorf("set password: %w", err)
	}
	s.queued()
	return session, nil
}

// SignIn checks an IIN and a password and returns a new session's token.
// Every failure says the same, whether or not the IIN has an account, and
// takes the same time: an IIN without a password is checked against a
// dummy hash. Each failure counts against the IIN, which FailuresMax lock.
func (s *Service) SignIn(ctx context.Context, number, password string, c Client) (string, error) {
	now := s.now()
	if _, err := person.ParseIIN(number, now); err != nil {
		return "", err
	}
	subject := SubjectKey(number)

	// Reserve the check as a failure first, so that concurrent guesses in
	// any process never get more than FailuresMax checks before the lock.
	var a Account
	var locked error
	err := s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.Guard(ctx, subject); err != nil {
			return err
		}
		if until, err := tx.LockedUntil(ctx, subject); err != nil {
			return err
		} else if until.After(now) {
			locked = lockedError(until, now)
			return nil
		}
		n, err := tx.Count(ctx, subject, kindFailure, now.Add(-failureWindow))
		if err != nil {
			return err
		}
		if n >= FailuresMax {
			locked = lockedError(now.Add(LockFor), now)
			return tx.Lock(ctx, subject, now.Add(LockFor))
		}
		if err := tx.Record(ctx, subject, kindFailure, now); err != nil {
			return err
		}
		a, err = tx.AccountByIIN(ctx, number)
		if errors.Is(err, errs.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("sign in: %w", err)
	}
	if locked != nil {
		return "", locked
	}

	ok, err := s.hasher.Verify(ctx, a.PasswordHash, password)
	if err != nil {
		// No check was made (a full pool, a request gone): the reserved
		// failure is given back.
		if uerr := s.store.Tx(ctx, func(tx Tx) error { return tx.Unrecord(ctx, subject, kindFailure, now) }); uerr != nil {
			err = errors.Join(err, uerr)
		}
		return "", fmt.Errorf("sign in: %w", err)
	}

	token := NewToken()
	err = s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.Guard(ctx, subject); err != nil {
			return err
		}
		if !ok {
			// The failure is already counted; lock at the limit.
			if err := tx.Audit(ctx, AuditEntry{At: now, AccountID: a.ID, Subject: subject,
				Action: "signin.failed", Client: MaskAddr(c.Addr)}); err != nil {
				return err
			}
			n, err := tx.Count(ctx, subject, kindFailure, now.Add(-failureWindow))
			if err != nil || n < FailuresMax {
				return err
			}
			locked = lockedError(now.Add(LockFor), now)
			if err := tx.Forget(ctx, subject, kindFailure); err != nil {
				return err
			}
			if err := tx.Audit(ctx, AuditEntry{At: now, AccountID: a.ID, Subject: subject,
				Action: "locked", Client: MaskAddr(c.Addr)}); err != nil {
				return err
			}
			return tx.Lock(ctx, subject, now.Add(LockFor))
		}
		if err := tx.Forget(ctx, subject, kindFailure); err != nil {
			return err
		}
		if err := s.addSession(ctx, tx, a, token, c, now); err != nil {
			return err
		}
		e := notify.Event{AccountID: a.ID, Kind: EventSignedIn, CreatedAt: now,
			Data: map[string]string{"client": MaskAddr(c.Addr), "browser": Browser(c.UserAgent)}}
		if _, err := tx.AddEvent(ctx, e, nil); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: now, AccountID: a.ID, Action: "signin", Client: MaskAddr(c.Addr)})
	})
	switch {
	case err != nil:
		return "", fmt.Errorf("sign in: %w", err)
	case locked != nil:
		return "", locked
	case !ok:
		return "", errSignInWrong
	}
	return token, nil
}

func (s *Service) addSession(ctx context.Context, tx Tx, a Account, token string, c Client, now time.Time) error {
	return tx.AddSession(ctx, Session{TokenHash: HashToken(token), AccountID: a.ID, CreatedAt: now,
		LastSeen: now, ExpiresAt: now.Add(SessionMax), UserAgent: trim(c.UserAgent, 200), Client: MaskAddr(c.Addr)})
}

// Authenticate returns the account and the session of a session token. A
// session unused for SessionIdle, or older than SessionMax, has ended: the
// error matches errs.Unauthenticated.
func (s *Service) Authenticate(ctx context.Context, token string) (Account, Session, error) {
	if token == "" {
		return Account{}, Session{}, errNoSession
	}
	now := s.now()
	var a Account
	var se Session
	err := s.store.Tx(ctx, func(tx Tx) error {
		var err error
		se, err = tx.Session(ctx, HashToken(token))
		if errors.Is(err, errs.ErrNotFound) {
			return errNoSession
		}
		if err != nil {
			return err
		}
		if now.After(se.ExpiresAt) || now.Sub(se.LastSeen) > SessionIdle {
			if err := tx.DeleteSession(ctx, se.TokenHash); err != nil {
				return err
			}
			return errSessionEnded
		}
		if now.Sub(se.LastSeen) >= touchEvery {
			se.LastSeen = now
			if err := tx.TouchSession(ctx, se.TokenHash, now); err != nil {
				return err
			}
		}
		a, err = tx.Account(ctx, se.AccountID)
		return err
	})
	if errors.Is(err, errSessionEnded) {
		// The ended session is deleted in a transaction of its own.
		_ = s.store.Tx(ctx, func(tx Tx) error { return tx.DeleteSession(ctx, HashToken(token)) })
	}
	if err != nil {
		return Account{}, Session{}, fmt.Errorf("authenticate: %w", err)
	}
	return a, se, nil
}

var (
	errNoSession    = &errs.Error{Kind: errs.Unauthenticated, Key: "account.signed_out"}
	errSessionEnded = &errs.Error{Kind: errs.Unauthenticated, Key: "account.session_ended"}
)

// SignOut ends the session of the token.
func (s *Service) SignOut(ctx context.Context, token string) error {
	err := s.store.Tx(ctx, func(tx Tx) error {
		se, err := tx.Session(ctx, HashToken(token))
		if errors.Is(err, errs.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := tx.DeleteSession(ctx, se.TokenHash); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: s.now(), AccountID: se.AccountID, Action: "signout"})
	})
	if err != nil {
		return fmt.Errorf("sign out: %w", err)
	}
	return nil
}

// SignOutEverywhere ends every session of the account, this one too.
func (s *Service) SignOutEverywhere(ctx context.Context, a Account, c Client) error {
	now := s.now()
	err := s.store.Tx(ctx, func(tx Tx) error {
		n, err := tx.DeleteSessions(ctx, a.ID, "", "")
		if err != nil {
			return err
		}
		e := notify.Event{AccountID: a.ID, Kind: EventSignedOutAll, CreatedAt: now,
			Data: map[string]string{"sessions": fmt.Sprint(n)}}
		if _, err := tx.AddEvent(ctx, e, nil); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: now, AccountID: a.ID, Action: "signout.all",
			Client: MaskAddr(c.Addr), Detail: fmt.Sprintf("%d sessions", n)})
	})
	if err != nil {
		return fmt.Errorf("sign out everywhere: %w", err)
	}
	return nil
}

// event writes an event of the account's feed with msg queued on each of
// the account's channels where msg exists; msg may be empty for none.
func (s *Service) event(ctx context.Context, tx Tx, a Account, kind notify.EventKind, data map[string]string, msg notify.Key, now time.Time) error {
	var ds []notify.Delivery
	if msg != "" {
		ds = deliveries(a, msg, notify.Data{})
	}
	_, err := tx.AddEvent(ctx, notify.Event{AccountID: a.ID, Kind: kind, Data: data, CreatedAt: now}, ds)
	return err
}

// deliveries is msg on each channel the account chose and has an address
// for.
func deliveries(a Account, msg notify.Key, data notify.Data) []notify.Delivery {
	var ds []notify.Delivery
	for _, ch := range notify.Catalogue[msg] {
		to := ""
		switch {
		case ch == notify.SMS && a.NotifySMS:
			to = a.Phone
		case ch == notify.Email && a.NotifyEmail:
			to = a.Email
		}
		if to != "" {
			ds = append(ds, notify.Delivery{Channel: ch, To: to, Lang: a.Lang, Message: msg, Data: data})
		}
	}
	return ds
}

func trim(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// Purge deletes the rows the limits, codes, links and sessions no longer
// need; the audit log and the feed stay. Running it now and then keeps the
// tables small; running it twice at once is harmless.
func (s *Service) Purge(ctx context.Context) (int, error) {
	now := s.now()
	var n int
	err := s.store.Tx(ctx, func(tx Tx) error {
		var err error
		n, err = tx.Purge(ctx, now.Add(-failureWindow), now.Add(-SessionIdle), now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("purge: %w", err)
	}
	return n, nil
}
