// Package notify tells people what happened: the event feed, the outbox of
// SMS and e-mail messages, and the senders that deliver them.
package notify

import (
	"context"
	"time"
)

// Channel is a way of reaching a person.
type Channel string

// The channels the portal sends on.
const (
	SMS   Channel = "sms"
	Email Channel = "email"
)

// Message is one message as the demo outbox keeps it.
type Message struct {
	To        string    `json:"to"`
	Channel   Channel   `json:"channel"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// Outbox keeps the messages the demo would have sent, in place of a gateway.
type Outbox interface {
	// Deliver records a message.
	Deliver(ctx context.Context, m Message) error
	// Messages returns the newest messages first, at most limit of them.
	Messages(ctx context.Context, limit int) ([]Message, error)
}
