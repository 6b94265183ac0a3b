package staff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"sakura/internal/account"
	"sakura/internal/errs"
)

// CommandLine is the actor of changes made with `sakura user`, for the
// audit log.
var CommandLine = User{Name: "sakura user", Role: RoleAdmin}

// NewUser is what adding a staff account takes.
type NewUser struct {
	Login    string
	Name     string
	Role     Role
	City     string
	SchoolID int64
	Password string
}

// check refuses a new user that is not whole, field by field.
func (n NewUser) check() error {
	var bad account.FieldErrors
	login := NormalizeLogin(n.Login)
	if l := utf8.RuneCountInString(login); l < 3 || l > 64 || strings.ContainsAny(login, " \t/\\:") {
		bad = append(bad, account.FieldError{Field: "login", Key: "office.users.login_invalid"})
	}
	if name := strings.TrimSpace(n.Name); name == "" || utf8.RuneCountInString(name) > 100 {
		bad = append(bad, account.FieldError{Field: "name", Key: "office.users.name_required"})
	}
	switch n.Role {
	case RoleSchool:
		if n.City == "" || n.SchoolID == 0 {
			bad = append(bad, account.FieldError{Field: "school", Key: "office.users.school_required"})
		}
	case RoleOperator:
		if n.City == "" {
			bad = append(bad, account.FieldError{Field: "city", Key: "office.users.city_required"})
		}
	case RoleAdmin:
	default:
		bad = append(bad, account.FieldError{Field: "role", Key: "office.users.role_required"})
	}
	if err := account.CheckPassword(n.Password, login); err != nil {
		var e *errs.Error
		if errors.As(err, &e) {
			bad = append(bad, account.FieldError{Field: "password", Key: e.Key, Args: e.Args})
		}
	}
	if len(bad) > 0 {
		return &errs.Error{Kind: errs.Invalid, Key: "account.form", Err: bad}
	}
	return nil
}

// AddUser adds a staff account with a password; the second factor is set
// up at the first sign-in. A login taken is errs.Conflict
// ("office.users.login_taken"); a form not whole is errs.Invalid with
// account.FieldErrors. The caller has checked that actor may keep users
// and, for a school, that it exists in the city.
func (s *Service) AddUser(ctx context.Context, actor User, n NewUser, c account.Client) (User, error) {
	if err := n.check(); err != nil {
		return User{}, err
	}
	hash, err := s.hasher.Hash(ctx, n.Password)
	if err != nil {
		return User{}, fmt.Errorf("add staff user: %w", err)
	}
	now := s.now()
	u := User{Login: NormalizeLogin(n.Login), Name: strings.TrimSpace(n.Name), Role: n.Role, City: n.City,
		SchoolID: n.SchoolID, PasswordHash: hash, CreatedAt: now}
	if u.Role == RoleAdmin {
		u.City, u.SchoolID = "", 0
	}
	if u.Role == RoleOperator {
		u.SchoolID = 0
	}
	err = s.store.StaffTx(ctx, func(tx Tx) error {
		id, err := tx.AddUser(ctx, u)
		if errors.Is(err, errs.ErrConflict) {
			return &errs.Error{Kind: errs.Invalid, Key: "office.users.login_taken",
				Err: account.FieldErrors{{Field: "login", Key: "office.users.login_taken"}}}
		}
		if err != nil {
			return err
		}
		u.ID = id
		return tx.Audit(ctx, AuditEntry{At: now, UserID: actor.ID, Actor: actor.Name, City: u.City, Action: "user.add",
			Object: userObject(id), After: describe(u), Client: account.MaskAddr(c.Addr)})
	})
	if err != nil {
		return User{}, fmt.Errorf("add staff user: %w", err)
	}
	return u, nil
}

// describe is a user as the audit log keeps it: no hash, no secret.
func describe(u User) string {
	b, _ := json.Marshal(map[string]any{"login": u.Login, "name": u.Name, "role": u.Role, "city": u.City,
		"school_id": u.SchoolID, "disabled": u.Disabled, "second_factor": u.Enrolled()})
	return string(b)
}

// Users lists the staff accounts by login.
func (s *Service) Users(ctx context.Context) ([]User, error) {
	var out []User
	err := s.store.StaffTx(ctx, func(tx Tx) error {
		var err error
		out, err = tx.Users(ctx)
		return err
	})
	return out, err
}

// User returns a staff account by id, or errs.ErrNotFound.
func (s *Service) User(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.store.StaffTx(ctx, func(tx Tx) error {
		var err error
		u, err = tx.User(ctx, id)
		return err
	})
	return u, err
}

// UserByLogin returns a staff account by login, or errs.ErrNotFound.
func (s *Service) UserByLogin(ctx context.Context, login string) (User, error) {
	var u User
	err := s.store.StaffTx(ctx, func(tx Tx) error {
		var err error
		u, err = tx.UserByLogin(ctx, NormalizeLogin(login))
		return err
	})
	return u, err
}

// Change is a change an administrator makes to an account.
type Change string

// The changes to an account.
const (
	Disable     Change = "disable"      // signed out everywhere, and no sign-in
	Enable      Change = "enable"       // may sign in again
	ResetFactor Change = "reset_factor" // a lost phone: the app is set up anew at the next sign-in
)

// ChangeUser disables, enables or resets the second factor of an account,
// ending its sessions for a disable or a reset, with an audit line. An
// administrator cannot disable their own account.
func (s *Service) ChangeUser(ctx context.Context, actor User, id int64, ch Change, c account.Client) (User, error) {
	now := s.now()
	var out User
	err := s.store.StaffTx(ctx, func(tx Tx) error {
		u, err := tx.User(ctx, id)
		if err != nil {
			return err
		}
		before := describe(u)
		switch ch {
		case Disable:
			if u.ID == actor.ID {
				return &errs.Error{Kind: errs.Conflict, Key: "office.users.not_self"}
			}
			u.Disabled = true
		case Enable:
			u.Disabled = false
		case ResetFactor:
			u.TOTPSecret, u.TOTPStep = "", 0
			if err := tx.SetRecoveryCodes(ctx, u.ID, nil); err != nil {
				return err
			}
		default:
			return &errs.Error{Kind: errs.Invalid, Key: "office.users.change_unknown"}
		}
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if ch != Enable {
			if err := tx.DeleteSessions(ctx, u.ID); err != nil {
				return err
			}
		}
		out = u
		return tx.Audit(ctx, AuditEntry{At: now, UserID: actor.ID, Actor: actor.Name, City: u.City,
			Action: "user." + string(ch), Object: userObject(u.ID), Before: before, After: describe(u),
			Client: account.MaskAddr(c.Addr)})
	})
	if err != nil {
		return User{}, fmt.Errorf("change staff user: %w", err)
	}
	return out, nil
}

// Seed adds users that share one password, hashed once, skipping logins
// that exist: for the demo, whose accounts come with their authenticator
// secrets set.
func (s *Service) Seed(ctx context.Context, users []User, password string) (int, error) {
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return 0, fmt.Errorf("seed staff: %w", err)
	}
	now := s.now()
	added := 0
	err = s.store.StaffTx(ctx, func(tx Tx) error {
		for _, u := range users {
			u.Login, u.PasswordHash, u.CreatedAt = NormalizeLogin(u.Login), hash, now
			_, err := tx.AddUser(ctx, u)
			if errors.Is(err, errs.ErrConflict) {
				continue
			}
			if err != nil {
				return err
			}
			added++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("seed staff: %w", err)
	}
	return added, nil
}

// RecoveryCodesLeft counts a user's unused recovery codes.
func (s *Service) RecoveryCodesLeft(ctx context.Context, id int64) (int, error) {
	var n int
	err := s.store.StaffTx(ctx, func(tx Tx) error {
		var err error
		n, err = tx.RecoveryCodesLeft(ctx, id)
		return err
	})
	return n, err
}
