// Package staff keeps the back office's people: school staff, department
// operators and administrators, their roles and what each role may do,
// their sign-in with a password and a second factor (TOTP with recovery
// codes), their sessions and the audit log of what they do.
package staff

import (
	"context"
	"time"
)

// Role is what a staff member is for.
type Role string

// The roles of the back office.
const (
	// School staff decide on the applications to their own school and keep
	// its passport and seats plan.
	RoleSchool Role = "school"
	// A department operator does everything for every school of one city:
	// decisions, the campaign, catchments, the audit log and reports.
	RoleOperator Role = "operator"
	// An administrator keeps staff accounts and campaigns, and reads the
	// audit log; an administrator sees no application.
	RoleAdmin Role = "admin"
)

// Roles lists the roles in the order the office shows them.
var Roles = []Role{RoleSchool, RoleOperator, RoleAdmin}

// ParseRole returns the role s names.
func ParseRole(s string) (Role, bool) {
	for _, r := range Roles {
		if string(r) == s {
			return r, true
		}
	}
	return "", false
}

// User is a staff account.
type User struct {
	ID       int64
	Login    string
	Name     string // as the audit log and the parents' timelines show it
	Role     Role
	City     string // school staff and operators: their city; "" for an administrator
	SchoolID int64  // school staff: their school

	PasswordHash string
	// TOTPSecret is the base32 secret of the authenticator app; empty
	// until the first sign-in sets it up.
	TOTPSecret string
	// TOTPStep is the last time step whose code was accepted, so that no
	// code is taken twice.
	TOTPStep int64

	Disabled  bool
	CreatedAt time.Time
}

// Enrolled reports whether the user has set up the authenticator app.
func (u User) Enrolled() bool { return u.TOTPSecret != "" }

// Session is a browser of a staff member. Until the second factor is
// given it is pending and opens nothing but the second-factor page.
type Session struct {
	TokenHash string
	UserID    int64
	Pending   bool // the password is right, the second factor not given yet
	// Secret is the authenticator secret a pending session is setting up,
	// until its first code confirms it.
	Secret    string
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time // the absolute end
	// ReauthAt is when the staff member last gave the password and a code
	// again, for the actions that ask for it.
	ReauthAt  time.Time
	UserAgent string
	Client    string // masked
}

// AuditEntry is one line of the back office's audit log: who did what to
// which object, when, and the object before and after. Before and After
// are JSON; they may hold what staff see (a status, a reason), never an
// IIN, a phone, a password, a code or a token.
type AuditEntry struct {
	ID     int64
	At     time.Time
	UserID int64  // zero for the system (an expiry, the quota queue)
	Actor  string // the staff member's name, or "system"
	City   string
	Action string // such as application.accept or user.add
	Object string // such as application:42
	Before string
	After  string
	Client string // masked
}

// AuditFilter selects entries of the audit log, newest first.
type AuditFilter struct {
	City   string // "" for every city
	Actor  string // a part of the actor's name
	Action string // an action, or its prefix such as "application."
	Object string // an object, such as application:42
	From   time.Time
	To     time.Time // exclusive
	Offset int
	Limit  int
}

// Store keeps staff accounts. Tx runs fn in one transaction, committing
// when fn returns nil; transactions that Guard the same key run one after
// another, in every process on the database.
type Store interface {
	StaffTx(ctx context.Context, fn func(Tx) error) error
}

// Tx is one transaction of the staff store. Lookups return an error
// matching errs.ErrNotFound when the row is missing.
type Tx interface {
	// Guard makes the transaction wait for any other that guards one of
	// the keys.
	Guard(ctx context.Context, keys ...string) error
	// Count, Record, Forget, LockedUntil and Lock keep the failure counts
	// and locks of sign-ins, by key.
	Count(ctx context.Context, key, kind string, since time.Time) (int, error)
	Record(ctx context.Context, key, kind string, at time.Time) error
	Forget(ctx context.Context, key, kind string) error
	LockedUntil(ctx context.Context, key string) (time.Time, error)
	Lock(ctx context.Context, key string, until time.Time) error

	UserByLogin(ctx context.Context, login string) (User, error)
	User(ctx context.Context, id int64) (User, error)
	// AddUser adds a user and returns its id; a login taken is an error
	// matching errs.ErrConflict.
	AddUser(ctx context.Context, u User) (int64, error)
	// UpdateUser saves the name, role, city, school, password hash, TOTP
	// secret and step, and the disabled mark.
	UpdateUser(ctx context.Context, u User) error
	// Users lists the users, by login.
	Users(ctx context.Context) ([]User, error)

	// SetRecoveryCodes replaces the user's recovery codes with these
	// hashes; UseRecoveryCode marks the unused one with the hash used and
	// reports whether there was one.
	SetRecoveryCodes(ctx context.Context, userID int64, hashes []string) error
	UseRecoveryCode(ctx context.Context, userID int64, hash string, at time.Time) (bool, error)
	// RecoveryCodesLeft counts the user's unused recovery codes.
	RecoveryCodesLeft(ctx context.Context, userID int64) (int, error)

	AddSession(ctx context.Context, s Session) error
	Session(ctx context.Context, tokenHash string) (Session, error)
	// TouchSession saves the last use; Reauthenticated the moment of a
	// re-authentication.
	TouchSession(ctx context.Context, tokenHash string, at time.Time) error
	Reauthenticated(ctx context.Context, tokenHash string, at time.Time) error
	// SetSessionSecret keeps the secret a pending session sets up.
	SetSessionSecret(ctx context.Context, tokenHash, secret string) error
	DeleteSession(ctx context.Context, tokenHash string) error
	// DeleteSessions ends every session of the user.
	DeleteSessions(ctx context.Context, userID int64) error

	// Audit appends to the audit log.
	Audit(ctx context.Context, e AuditEntry) error
}
