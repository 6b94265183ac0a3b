package notify

import (
	"strconv"
	"time"

	"sakura/internal/i18n"
)

// Status is where a delivery stands.
type Status string

// The statuses of a delivery. Queued and temporary ones wait for a worker,
// a sending one is held by a worker, delivered and permanent are final.
const (
	StatusQueued    Status = "queued"
	StatusSending   Status = "sending"
	StatusDelivered Status = "delivered"
	StatusTemporary Status = "temporary" // failed; will be tried again
	StatusPermanent Status = "permanent" // failed for good
)

// EventKind names what happened to an account, such as account.created,
// signin or password_changed.
type EventKind string

// Event is one entry of a parent's feed.
type Event struct {
	ID, AccountID int64
	Kind          EventKind
	Data          map[string]string // shown in the feed; never a code or a secret
	CreatedAt     time.Time
	Read          bool
	Deliveries    []DeliveryStatus // the messages sent about it, oldest first
}

// DeliveryStatus is what the feed shows of one delivery.
type DeliveryStatus struct {
	Channel   Channel
	To        string // masked
	Status    Status
	Attempts  int
	UpdatedAt time.Time
}

// Delivery is one message to send about an event on one channel: the job a
// worker claims from the Queue.
type Delivery struct {
	ID, EventID int64
	Channel     Channel
	To          string // in clear: an E.164 phone or an e-mail address
	Lang        i18n.Lang
	Message     Key
	Data        Data // the placeholders, such as the code; emptied once finished
	Attempts    int  // the attempts made before this one
}

// Ref is the delivery's id as the portal shows it to a provider, such as
// d-42: the same on every attempt, so that a gateway can drop a repeat.
func (d Delivery) Ref() string { return "d-" + strconv.FormatInt(d.ID, 10) }
