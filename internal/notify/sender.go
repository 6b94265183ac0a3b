package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Outgoing is one message to send: a recipient on a channel (an E.164 phone
// number for SMS, an address for e-mail), a subject (e-mail only) and a body.
type Outgoing struct {
	To      string
	Channel Channel
	Subject string
	Body    string
	// Ref is the portal's id of the delivery, such as d-42, the same on
	// every attempt, so that a gateway can drop a repeat; may be empty.
	Ref string
}

// Sender delivers messages on one or more channels.
type Sender interface {
	// Send delivers one message and returns the provider's id for it, which
	// delivery receipts refer to; the id may be empty when the provider
	// gives none. A failure wraps ErrTemporary (try again later: time-outs,
	// a server that is down, 5xx, 429) or ErrPermanent (trying again cannot
	// help: a rejected number or address, a 4xx other than 429); use
	// IsPermanent to decide between a retry and the other channel. Error
	// texts mask the recipient and are safe to log.
	Send(ctx context.Context, m Outgoing) (id string, err error)
}

// Sentinels for errors.Is: every *DeliveryError matches exactly one of them.
var (
	ErrTemporary = errors.New("temporary delivery failure")
	ErrPermanent = errors.New("permanent delivery failure")
)

// DeliveryError is a failed delivery, classified. Its text names the
// operation, the masked recipient and the provider's status code, never the
// recipient in clear.
type DeliveryError struct {
	Op        string // what failed, such as "send sms"
	To        string // the recipient, masked
	Code      int    // the provider's status: HTTP or SMTP; 0 when there was no answer
	Permanent bool
	Err       error // the cause, already free of the recipient in clear
}

func (e *DeliveryError) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.To != "" {
		b.WriteString(" to " + e.To)
	}
	if e.Permanent {
		b.WriteString(": permanent failure")
	} else {
		b.WriteString(": temporary failure")
	}
	if e.Code != 0 {
		fmt.Fprintf(&b, " (status %d)", e.Code)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *DeliveryError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrPermanent) and errors.Is(err, ErrTemporary)
// follow the classification.
func (e *DeliveryError) Is(target error) bool {
	return (target == ErrPermanent && e.Permanent) || (target == ErrTemporary && !e.Permanent)
}

// IsPermanent reports whether err is a delivery failure that a retry cannot
// mend. Any other error, classified temporary or not classified at all, is
// worth a retry.
func IsPermanent(err error) bool {
	return errors.Is(err, ErrPermanent)
}

// OutboxSender is the demo's Sender: it delivers every message, on either
// channel, into the outbox, where the demo pages show it in place of a phone
// or a mailbox.
type OutboxSender struct {
	Outbox Outbox
	Now    func() time.Time // the clock; time.Now when nil
}

// Send writes m to the outbox and returns an id made up for it. An e-mail's
// subject becomes the first line of the body, since the outbox keeps none.
func (s OutboxSender) Send(ctx context.Context, m Outgoing) (string, error) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}

	body := m.Body
	if m.Subject != "" {
		body = m.Subject + "\n\n" + m.Body
	}
	msg := Message{To: m.To, Channel: m.Channel, Body: body, CreatedAt: now().UTC()}
	if err := s.Outbox.Deliver(ctx, msg); err != nil {
		// The outbox is our own database: a failure there is never the
		// recipient's fault, so it is worth a retry.
		return "", &DeliveryError{Op: "send to outbox", To: Mask(m.Channel, m.To), Err: err}
	}
	return newID("outbox-"), nil
}

// newID returns prefix followed by 16 random hexadecimal digits.
func newID(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return prefix + hex.EncodeToString(b[:])
}
