package account

import (
	"context"
	"time"

	"sakura/internal/i18n"
	"sakura/internal/notify"
)

// Account is a parent's cabinet account. It exists from the first code the
// parent asks for; PasswordHash is empty until the first password is set.
type Account struct {
	ID           int64
	IIN          string
	Phone        string // the main phone, E.164; codes go here
	ExtraPhone   string // E.164 or empty; shown to staff, never sent codes
	Email        string // a confirmed address or empty
	Lang         i18n.Lang
	NotifySMS    bool
	NotifyEmail  bool
	PasswordHash string
	CreatedAt    time.Time
}

// Session is a signed-in browser. The cookie holds the token; the store
// keeps only its hash, TokenHash.
type Session struct {
	TokenHash string
	AccountID int64
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time // the absolute end
	UserAgent string
	Client    string // the client address, masked
}

// Handle is the short public name of a session in the list of sessions:
// the start of its token hash, which reveals nothing of the token.
func (s Session) Handle() string {
	if len(s.TokenHash) < 16 {
		return s.TokenHash
	}
	return s.TokenHash[:16]
}

// Purpose says what a one-time code is for.
type Purpose string

// The purposes of codes.
const (
	PurposeSignIn Purpose = "signin" // the first sign-in and a password reset
	PurposePhone  Purpose = "phone"  // confirming a new main phone
)

// Challenge is one attempt to prove a phone with a code. The attempt's
// cookie holds the token; the store keeps its hash.
type Challenge struct {
	ID         int64
	TokenHash  string
	Purpose    Purpose
	Subject    string // SubjectKey of the IIN
	AccountID  int64  // zero when the IIN has no account (no code was sent)
	Target     string // the phone the code went to
	CodeHash   string // empty: no code was sent, or the code is void
	Wrong      int    // wrong entries of the current code
	CreatedAt  time.Time
	SentAt     time.Time
	ExpiresAt  time.Time
	VerifiedAt time.Time // zero until the right code is entered
	UsedAt     time.Time // zero until the attempt has done its work
}

// EmailConfirmation is an e-mail address waiting for its owner to open the
// link sent to it.
type EmailConfirmation struct {
	TokenHash string
	AccountID int64
	Email     string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time
}

// AuditEntry is one line of the audit log. Detail never holds an IIN, a
// phone, a code, a password or a token.
type AuditEntry struct {
	At        time.Time
	AccountID int64  // zero when there is no account
	Subject   string // SubjectKey of the IIN when there is no account
	Action    string
	Client    string // masked client address
	Detail    string
}

// Counted kinds of attempts.
const (
	kindSMS     = "sms"     // a code sent, or asked for an unknown IIN
	kindFailure = "failure" // a wrong code or password
	kindEmail   = "email"   // a confirmation link sent
)

// Store keeps accounts. Tx runs fn in one transaction, committing when fn
// returns nil; transactions that Guard the same keys run one after another,
// in this and in every other process on the same database.
type Store interface {
	Tx(ctx context.Context, fn func(Tx) error) error
}

// Tx is one transaction of the account store. Methods that look a row up
// return an error matching errs.ErrNotFound when it is missing.
type Tx interface {
	// Guard makes the transaction wait for any other that guards one of
	// the keys; it is called first.
	Guard(ctx context.Context, keys ...string) error

	// Count counts the attempts of a kind for a key since a moment.
	Count(ctx context.Context, key, kind string, since time.Time) (int, error)
	// Record counts one attempt; Forget removes the attempts of a kind.
	Record(ctx context.Context, key, kind string, at time.Time) error
	Forget(ctx context.Context, key, kind string) error
	// Unrecord removes one attempt of a kind counted at a moment.
	Unrecord(ctx context.Context, key, kind string, at time.Time) error
	// LockedUntil returns the end of the key's lock; zero when none.
	LockedUntil(ctx context.Context, key string) (time.Time, error)
	// Lock locks the key until a moment.
	Lock(ctx context.Context, key string, until time.Time) error
	// OldestSince returns the moment of the oldest attempt of a kind for a
	// key since a moment (zero when none): when a window frees a place.
	OldestSince(ctx context.Context, key, kind string, since time.Time) (time.Time, error)

	AccountByIIN(ctx context.Context, iin string) (Account, error)
	Account(ctx context.Context, id int64) (Account, error)
	// CreateAccount adds an account and returns its id.
	CreateAccount(ctx context.Context, a Account) (int64, error)
	// UpdateAccount saves the contacts, the language and the channels.
	UpdateAccount(ctx context.Context, a Account) error
	SetPassword(ctx context.Context, id int64, hash string, at time.Time) error

	AddChallenge(ctx context.Context, c Challenge) error
	Challenge(ctx context.Context, tokenHash string) (Challenge, error)
	// UpdateChallenge saves the code, the counts and the moments of c.
	UpdateChallenge(ctx context.Context, c Challenge) error

	AddSession(ctx context.Context, s Session) error
	Session(ctx context.Context, tokenHash string) (Session, error)
	TouchSession(ctx context.Context, tokenHash string, at time.Time) error
	// DeleteSessions ends the account's sessions whose handle starts with
	// prefix (all when prefix is empty) except the one with keep, and says
	// how many ended.
	DeleteSessions(ctx context.Context, accountID int64, prefix, keep string) (int, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	// Sessions lists the account's sessions, the latest seen first.
	Sessions(ctx context.Context, accountID int64) ([]Session, error)

	AddEmailConfirmation(ctx context.Context, c EmailConfirmation) error
	EmailConfirmation(ctx context.Context, tokenHash string) (EmailConfirmation, error)
	UseEmailConfirmation(ctx context.Context, tokenHash string, at time.Time) error

	// AddEvent writes an event of the feed with its deliveries (jobs).
	AddEvent(ctx context.Context, e notify.Event, ds []notify.Delivery) (int64, error)
	// Audit appends to the audit log.
	Audit(ctx context.Context, e AuditEntry) error

	// Purge deletes what no rule needs any more: attempts, attempts'
	// challenges and confirmation links older than before, sessions unused
	// since idle or past their end at now, and locks ended at now. It says
	// how many rows went.
	Purge(ctx context.Context, before, idle, now time.Time) (int, error)
}
