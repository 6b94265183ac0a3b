package notify

import (
	"context"
	"errors"
	"time"
	"unicode/utf8"
)

// ErrNotClaimed is returned when a worker records the outcome of a delivery
// it no longer holds: the id is unknown, or the delivery is not sending any
// more (its lease ran out and another worker finished it).
var ErrNotClaimed = errors.New("delivery is not claimed")

// Queue is the storage of deliveries that a Worker needs. A delivery is
// written queued with its event; a worker claims it (sending), then records
// it delivered, to retry (temporary) or failed (permanent).
type Queue interface {
	// Claim marks up to n due deliveries as sending, held until now+lease,
	// and returns them, the longest due first. Due means queued or
	// temporary with next_at <= now, or sending with a lease that has run
	// out (its worker crashed). Concurrent claimers, in this process or
	// others, never get the same delivery. The claim counts an attempt;
	// the returned Attempts are those made before it. It returns only
	// storage errors; no due delivery is an empty slice.
	Claim(ctx context.Context, now time.Time, lease time.Duration, n int) ([]Delivery, error)

	// Delivered marks a sending delivery delivered, records the provider's
	// id for it and empties its data. It returns ErrNotClaimed when the
	// delivery is not sending, or a storage error.
	Delivered(ctx context.Context, id int64, providerID string, now time.Time) error

	// Retry marks a sending delivery as failed for now, to be tried again
	// at next; reason is kept as its last error. It returns ErrNotClaimed
	// when the delivery is not sending, or a storage error.
	Retry(ctx context.Context, id int64, reason string, next, now time.Time) error

	// Fail marks a sending delivery as failed for good, keeps reason as
	// its last error and empties its data. In the same transaction it
	// queues the fallback: the same message about the same event on the
	// other channel, to the account's other address (the confirmed e-mail
	// for SMS, the phone for e-mail), when the account has one, the
	// message exists on that channel (see Catalogue) and the event has no
	// delivery on that channel yet. It reports whether it queued one, and
	// returns ErrNotClaimed when the delivery is not sending, or a storage
	// error.
	Fail(ctx context.Context, id int64, reason string, now time.Time) (fallback bool, err error)
}

// maxReason bounds the length of a failure's reason as a Queue keeps it.
const maxReason = 200

// Reason shortens the text of a failure to what a Queue keeps of it: at
// most 200 bytes, cut at a character boundary. The senders' error texts
// mask the recipient, so a reason made of one is safe to log and to store.
func Reason(text string) string {
	if len(text) <= maxReason {
		return text
	}
	n := maxReason
	for n > 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	return text[:n]
}
