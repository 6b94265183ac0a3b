// Package errs is the portal's small, closed set of error kinds. The web
// layer maps each kind to one HTTP status in one table; an error may carry a
// catalogue key that is safe to show, apart from its internal detail.
package errs

import (
	"errors"
	"time"
)

// Kind says what went wrong in terms a caller can act on.
type Kind int

// The kinds of error. Internal is the zero value: anything unclassified is a
// fault of ours.
const (
	Internal Kind = iota
	NotFound
	Invalid
	Conflict
	Forbidden
	Unauthenticated
	Unavailable
	TooMany
)

// Error is a classified error. Key names a catalogue message that may be
// shown to the user, with Args for its placeholders; Err is the internal
// cause, never shown.
type Error struct {
	Kind Kind
	Key  string
	Args map[string]any
	Err  error

	// RetryAfter, when set, tells the caller when trying again can help:
	// the end of a lock or a limit's window, or a moment for a busy pool.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	msg := e.Key
	if msg == "" {
		msg = kindNames[e.Kind]
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Is matches another *Error of the same kind with no key of its own, so that
// errors.Is(err, ErrNotFound) holds for every not-found error.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Key == "" && t.Err == nil && t.Kind == e.Kind
}

var kindNames = map[Kind]string{
	Internal:        "internal error",
	NotFound:        "not found",
	Invalid:         "invalid",
	Conflict:        "conflict",
	Forbidden:       "forbidden",
	Unauthenticated: "unauthenticated",
	Unavailable:     "unavailable",
	TooMany:         "too many attempts",
}

// Sentinels for errors.Is. Stores wrap ErrNotFound when a row is missing.
var (
	ErrNotFound    = &Error{Kind: NotFound}
	ErrConflict    = &Error{Kind: Conflict}
	ErrUnavailable = &Error{Kind: Unavailable}
)

// RetryAfterOf returns the RetryAfter of the first *Error in err's chain, or
// zero.
func RetryAfterOf(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// KindOf returns the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}
