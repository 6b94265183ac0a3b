package account

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/notify"
)

// RequestPhoneChange sends a code to a new main phone and returns the
// attempt's token; the phone changes when ConfirmPhoneChange gets the code.
// The limits on codes apply as for signing in.
func (s *Service) RequestPhoneChange(ctx context.Context, a Account, phone string, c Client) (string, error) {
	number, err := ParsePhone(phone)
	if err != nil {
		return "", err
	}
	if number == a.Phone {
		return "", &errs.Error{Kind: errs.Invalid, Key: "account.phone_same"}
	}

	now := s.now()
	token := NewToken()
	subject := SubjectKey(a.IIN)
	err = s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.Guard(ctx, subject, ClientKey(c.Addr)); err != nil {
			return err
		}
		if err := s.checkSend(ctx, tx, subject, c, now); err != nil {
			return err
		}
		ch := Challenge{TokenHash: HashToken(token), Purpose: PurposePhone, Subject: subject,
			AccountID: a.ID, Target: number, CreatedAt: now, SentAt: now, ExpiresAt: now.Add(CodeTTL)}
		if err := s.sendCode(ctx, tx, &ch, token, a, EventPhoneCode, notify.PhoneChangeCode); err != nil {
			return err
		}
		if err := tx.AddChallenge(ctx, ch); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: now, AccountID: a.ID, Action: "phone.code", Client: MaskAddr(c.Addr)})
	})
	if err != nil {
		return "", fmt.Errorf("request phone change: %w", err)
	}
	s.queued()
	return token, nil
}

// ConfirmPhoneChange checks the code sent to the new phone and makes it the
// main phone; the old phone is told. Wrong codes count as for signing in.
func (s *Service) ConfirmPhoneChange(ctx context.Context, a Account, token, code string, c Client) error {
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
		if ch.Purpose != PurposePhone || ch.AccountID != a.ID {
			return errAttemptGone
		}
		if result, err = s.checkCode(ctx, tx, &ch, token, code, c, now); err != nil || result != nil {
			return err
		}

		ch.UsedAt = now
		if err := tx.UpdateChallenge(ctx, ch); err != nil {
			return err
		}
		cur, err := tx.Account(ctx, a.ID)
		if err != nil {
			return err
		}
		old := cur.Phone
		cur.Phone = ch.Target
		if cur.ExtraPhone == cur.Phone {
			cur.ExtraPhone = ""
		}
		if err := tx.UpdateAccount(ctx, cur); err != nil {
			return err
		}

		// The old phone hears of the change, whatever the channels say: it
		// is the owner's alarm if someone else made it.
		e := notify.Event{AccountID: a.ID, Kind: EventPhoneChanged, CreatedAt: now,
			Data: map[string]string{"phone": notify.MaskPhone(cur.Phone)}}
		d := notify.Delivery{Channel: notify.SMS, To: old, Lang: cur.Lang, Message: notify.PhoneChanged}
		if _, err := tx.AddEvent(ctx, e, []notify.Delivery{d}); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: now, AccountID: a.ID, Action: "phone.changed", Client: MaskAddr(c.Addr)})
	})
	if err != nil {
		return fmt.Errorf("confirm phone change: %w", err)
	}
	if result == nil {
		s.queued()
	}
	return result
}

// Preferences are the settings saved without a confirmation.
type Preferences struct {
	ExtraPhone  string // as typed; empty removes it
	Lang        i18n.Lang
	NotifySMS   bool
	NotifyEmail bool
}

// FieldError is a refusal of one field of a form, with the catalogue key
// of its message.
type FieldError struct {
	Field string
	Key   string
	Args  map[string]any // the message's placeholders, if it has any
}

// FieldErrors are the refusals of a form; its Error lists the keys.
type FieldErrors []FieldError

func (f FieldErrors) Error() string {
	keys := make([]string, len(f))
	for i, e := range f {
		keys[i] = e.Field + ": " + e.Key
	}
	return "invalid form: " + strings.Join(keys, ", ")
}

// SavePreferences saves the extra phone, the language of messages and the
// channels. At least one channel stays on, and e-mail only with a confirmed
// address. A refusal is FieldErrors wrapped in an errs.Invalid error.
func (s *Service) SavePreferences(ctx context.Context, a Account, p Preferences, c Client) (Account, error) {
	var bad FieldErrors
	extra := ""
	if strings.TrimSpace(p.ExtraPhone) != "" {
		n, err := ParsePhone(p.ExtraPhone)
		switch {
		case err != nil:
			bad = append(bad, FieldError{Field: "extra_phone", Key: "account.phone_invalid"})
		case n == a.Phone:
			bad = append(bad, FieldError{Field: "extra_phone", Key: "account.extra_same"})
		default:
			extra = n
		}
	}
	if !validLang(p.Lang) {
		bad = append(bad, FieldError{Field: "lang", Key: "account.lang_invalid"})
	}
	switch {
	case p.NotifyEmail && a.Email == "":
		bad = append(bad, FieldError{Field: "channels", Key: "account.email_unconfirmed"})
	case !p.NotifySMS && !p.NotifyEmail:
		bad = append(bad, FieldError{Field: "channels", Key: "account.channel_required"})
	}
	if len(bad) > 0 {
		return Account{}, &errs.Error{Kind: errs.Invalid, Key: "account.form", Err: bad}
	}

	now := s.now()
	err := s.store.Tx(ctx, func(tx Tx) error {
		cur, err := tx.Account(ctx, a.ID)
		if err != nil {
			return err
		}
		cur.ExtraPhone, cur.Lang, cur.NotifySMS, cur.NotifyEmail = extra, p.Lang, p.NotifySMS, p.NotifyEmail
		if err := tx.UpdateAccount(ctx, cur); err != nil {
			return err
		}
		a = cur
		if err := s.event(ctx, tx, cur, EventSettings, nil, "", now); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: now, AccountID: a.ID, Action: "settings.saved", Client: MaskAddr(c.Addr),
			Detail: fmt.Sprintf("lang=%s sms=%t email=%t extra_phone=%t", p.Lang, p.NotifySMS, p.NotifyEmail, extra != "")})
	})
	if err != nil {
		return Account{}, fmt.Errorf("save preferences: %w", err)
	}
	return a, nil
}

// RequestEmail sends a confirmation link to an address; link makes the
// link's URL from its token. The address becomes the account's when the
// link is opened (ConfirmEmail).
func (s *Service) RequestEmail(ctx context.Context, a Account, address string, link func(token string) string, c Client) error {
	email, err := ParseEmail(address)
	if err != nil {
		return err
	}
	now := s.now()
	token := NewToken()
	key := "email:" + fmt.Sprint(a.ID)
	err = s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.Guard(ctx, key); err != nil {
			return err
		}
		since := now.Add(-time.Hour)
		if n, err := tx.Count(ctx, key, kindEmail, since); err != nil {
			return err
		} else if n >= EmailPerHour {
			oldest, err := tx.OldestSince(ctx, key, kindEmail, since)
			if err != nil {
				return err
			}
			wait := oldest.Add(time.Hour).Sub(now)
			return &errs.Error{Kind: errs.TooMany, Key: "account.email_limit", RetryAfter: wait,
				Args: map[string]any{"Count": minutes(wait)}}
		}
		if err := tx.Record(ctx, key, kindEmail, now); err != nil {
			return err
		}
		if err := tx.AddEmailConfirmation(ctx, EmailConfirmation{TokenHash: HashToken(token), AccountID: a.ID,
			Email: email, CreatedAt: now, ExpiresAt: now.Add(EmailLinkTTL)}); err != nil {
			return err
		}
		e := notify.Event{AccountID: a.ID, Kind: EventEmailLink, CreatedAt: now,
			Data: map[string]string{"email": notify.MaskEmail(email)}}
		d := notify.Delivery{Channel: notify.Email, To: email, Lang: a.Lang, Message: notify.EmailConfirm,
			Data: notify.Data{Link: link(token)}}
		if _, err := tx.AddEvent(ctx, e, []notify.Delivery{d}); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: now, AccountID: a.ID, Action: "email.link", Client: MaskAddr(c.Addr)})
	})
	if err != nil {
		return fmt.Errorf("request e-mail: %w", err)
	}
	s.queued()
	return nil
}

// ConfirmEmail makes the address of a confirmation link the account's
// e-mail. The link works once, within EmailLinkTTL; it needs no session,
// since it may be opened on another device.
func (s *Service) ConfirmEmail(ctx context.Context, token string, c Client) (string, error) {
	now := s.now()
	gone := &errs.Error{Kind: errs.Invalid, Key: "account.email_link_gone"}
	var email string
	err := s.store.Tx(ctx, func(tx Tx) error {
		ec, err := tx.EmailConfirmation(ctx, HashToken(token))
		if errors.Is(err, errs.ErrNotFound) {
			return gone
		}
		if err != nil {
			return err
		}
		if !ec.UsedAt.IsZero() || now.After(ec.ExpiresAt) {
			return gone
		}
		if err := tx.UseEmailConfirmation(ctx, ec.TokenHash, now); err != nil {
			return err
		}
		a, err := tx.Account(ctx, ec.AccountID)
		if err != nil {
			return err
		}
		a.Email, email = ec.Email, ec.Email
		if err := tx.UpdateAccount(ctx, a); err != nil {
			return err
		}
		if err := s.event(ctx, tx, a, EventEmailConfirmed, map[string]string{"email": notify.MaskEmail(ec.Email)}, "", now); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: now, AccountID: a.ID, Action: "email.confirmed", Client: MaskAddr(c.Addr)})
	})
	if err != nil {
		return "", fmt.Errorf("confirm e-mail: %w", err)
	}
	return email, nil
}

// ChangePassword replaces the password after checking the current one; a
// wrong current password counts as a failed sign-in. Every other session
// ends; the session keep stays.
func (s *Service) ChangePassword(ctx context.Context, a Account, keep Session, current, next string, c Client) error {
	if err := CheckPassword(next, a.IIN, digits(a.Phone)); err != nil {
		return err
	}
	now := s.now()
	subject := SubjectKey(a.IIN)
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
		cur, err := tx.Account(ctx, a.ID)
		a = cur
		return err
	})
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	if locked != nil {
		return locked
	}
	ok, err := s.hasher.Verify(ctx, a.PasswordHash, current)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	if !ok {
		err := s.store.Tx(ctx, func(tx Tx) error {
			if err := tx.Guard(ctx, subject); err != nil {
				return err
			}
			var err error
			locked, err = s.fail(ctx, tx, subject, a.ID, "password.wrong", c, now)
			return err
		})
		if err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		if locked != nil {
			return locked
		}
		return errPasswordWrong
	}

	hash, err := s.hasher.Hash(ctx, next)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	err = s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.SetPassword(ctx, a.ID, hash, now); err != nil {
			return err
		}
		if _, err := tx.DeleteSessions(ctx, a.ID, "", keep.TokenHash); err != nil {
			return err
		}
		if err := s.event(ctx, tx, a, EventPasswordChanged, nil, notify.PasswordChanged, now); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: now, AccountID: a.ID, Action: "password.changed", Client: MaskAddr(c.Addr)})
	})
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	s.queued()
	return nil
}

// Sessions lists the account's sessions, the latest used first.
func (s *Service) Sessions(ctx context.Context, a Account) ([]Session, error) {
	var out []Session
	err := s.store.Tx(ctx, func(tx Tx) error {
		var err error
		out, err = tx.Sessions(ctx, a.ID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	return out, nil
}

// EndSession ends one session of the account, named by its handle.
func (s *Service) EndSession(ctx context.Context, a Account, handle string, c Client) error {
	if len(handle) != 16 {
		return errs.ErrNotFound
	}
	now := s.now()
	err := s.store.Tx(ctx, func(tx Tx) error {
		n, err := tx.DeleteSessions(ctx, a.ID, handle, "")
		if err != nil {
			return err
		}
		if n == 0 {
			return errs.ErrNotFound
		}
		return tx.Audit(ctx, AuditEntry{At: now, AccountID: a.ID, Action: "session.ended", Client: MaskAddr(c.Addr)})
	})
	if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// ParseEmail checks an e-mail address and returns it trimmed, without a
// display name.
func ParseEmail(s string) (string, error) {
	bad := &errs.Error{Kind: errs.Invalid, Key: "account.email_invalid"}
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 254 {
		return "", bad
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return "", bad
	}
	return addr.Address, nil
}
