package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// The Worker's defaults.
const (
	defaultPoll        = time.Second
	defaultLease       = time.Minute
	defaultBatch       = 16
	defaultMaxAttempts = 8
	firstBackoff       = 5 * time.Second
	maxBackoff         = time.Hour
	recordTimeout      = 10 * time.Second
)

// Worker sends the deliveries of a Queue: it claims a batch of due ones,
// renders and sends each, and records the outcome. Any number of workers,
// in one process or several, may share a queue. Set the fields before the
// first call and leave them alone afterwards.
type Worker struct {
	Queue     Queue
	Senders   map[Channel]Sender // a channel without a sender fails its deliveries for good
	Templates *Templates
	Now       func() time.Time // the clock; time.Now when nil
	Log       *slog.Logger     // discards when nil

	// Poll is how often Run looks for due deliveries. Default: 1 second.
	Poll time.Duration
	// Lease is how long a claim holds a delivery: a worker that has not
	// recorded the outcome by then is taken for dead and the delivery is
	// due again. It must exceed a sender's time-out. Default: 1 minute.
	Lease time.Duration
	// Batch is how many deliveries one claim takes; they are sent in
	// parallel, save those to one recipient, which go in order. Default: 16.
	Batch int
	// MaxAttempts is the attempt whose temporary failure counts as
	// permanent. Default: 8.
	MaxAttempts int
	// Backoff says how long to wait after the attempt-th attempt (from 1)
	// failed for now. Default: 5s·2^(attempt-1), at most 1 hour, less up to
	// 20% at random so that failures do not come back in step.
	Backoff func(attempt int) time.Duration

	wakeOnce sync.Once
	wake     chan struct{}
}

// Run sends due deliveries until ctx ends, then returns nil. It looks for
// them every Poll, at once when Wake is called, and again without waiting
// while whole batches come back. Errors of the queue are logged, not
// returned: a database that is down for a while only delays the messages.
func (w *Worker) Run(ctx context.Context) error {
	for {
		n, err := w.RunOnce(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			w.logger().Error("send deliveries", slog.Any("error", err))
		}
		if err == nil && n == w.batch() {
			continue // more may be due
		}

		select {
		case <-ctx.Done():
			return nil
		case <-w.wakeup():
		case <-time.After(w.poll()):
		}
	}
}

// Wake tells Run that something was queued, so that it looks now rather
// than at the next poll. It never blocks.
func (w *Worker) Wake() {
	select {
	case w.wakeup() <- struct{}{}:
	default: // a wake-up is already pending
	}
}

func (w *Worker) wakeup() chan struct{} {
	w.wakeOnce.Do(func() { w.wake = make(chan struct{}, 1) })
	return w.wake
}

// RunOnce claims one batch of due deliveries, sends them and records each
// outcome. Recipients are served in parallel; the messages of one
// recipient go one after another in the order they were queued, so that a
// parent never reads "referral issued" before "accepted for review". It
// returns how many it claimed, and the error of the claim or those of
// recording the outcomes.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	ds, err := w.Queue.Claim(ctx, w.now(), w.lease(), w.batch())
	if err != nil {
		return 0, fmt.Errorf("claim deliveries: %w", err)
	}

	type recipient struct {
		channel Channel
		to      string
	}
	each := map[recipient][]Delivery{}
	for _, d := range ds { // Claim returns them in the order they are due
		r := recipient{d.Channel, d.To}
		each[r] = append(each[r], d)
	}

	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, queued := range each {
		wg.Go(func() {
			for _, d := range queued {
				if err := w.deliver(ctx, d); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return len(ds), errors.Join(errs...)
}

// deliver makes one attempt at d and records its outcome.
func (w *Worker) deliver(ctx context.Context, d Delivery) error {
	attempt := d.Attempts + 1
	providerID, sendErr := w.send(ctx, d)

	// The outcome is recorded even when ctx ended during the send: a
	// message that went out must not go out again.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	now := w.now()
	log := w.logger().With(slog.Int64("delivery_id", d.ID), slog.String("channel", string(d.Channel)),
		slog.Int("attempt", attempt))

	switch {
	case sendErr == nil:
		if err := w.Queue.Delivered(rctx, d.ID, providerID, now); err != nil {
			return fmt.Errorf("record delivery %d delivered: %w", d.ID, err)
		}
		log.Debug("delivered")

	case !IsPermanent(sendErr) && ctx.Err() != nil:
		// Shutting down cut the attempt short: whoever runs next tries
		// again at once.
		if err := w.Queue.Retry(rctx, d.ID, Reason(sendErr.Error()), now, now); err != nil {
			return fmt.Errorf("record delivery %d interrupted: %w", d.ID, err)
		}

	case IsPermanent(sendErr) || attempt >= w.maxAttempts():
		fallback, err := w.Queue.Fail(rctx, d.ID, Reason(sendErr.Error()), now)
		if err != nil {
			return fmt.Errorf("record delivery %d failed: %w", d.ID, err)
		}
		log.Warn("delivery failed", slog.Bool("fallback", fallback), slog.Any("error", sendErr))

	default:
		next := now.Add(w.backoff(attempt))
		if err := w.Queue.Retry(rctx, d.ID, Reason(sendErr.Error()), next, now); err != nil {
			return fmt.Errorf("record delivery %d to retry: %w", d.ID, err)
		}
		log.Info("delivery will be retried", slog.Time("next_at", next), slog.Any("error", sendErr))
	}
	return nil
}

// send renders d and hands it to the sender of its channel. A delivery
// that cannot be rendered, or has no sender, fails for good.
func (w *Worker) send(ctx context.Context, d Delivery) (string, error) {
	op := "send " + string(d.Channel)
	sender, ok := w.Senders[d.Channel]
	if !ok {
		return "", &DeliveryError{Op: op, To: Mask(d.Channel, d.To), Permanent: true,
			Err: errors.New("no sender for the channel")}
	}
	c, err := w.Templates.Render(d.Message, d.Lang, d.Channel, d.Data)
	if err != nil {
		return "", &DeliveryError{Op: op, To: Mask(d.Channel, d.To), Permanent: true, Err: err}
	}
	return sender.Send(ctx, Outgoing{
		To: d.To, Channel: d.Channel, Subject: c.Subject, Body: c.Body, Ref: d.Ref(),
	})
}

// DefaultBackoff is the wait after the attempt-th failed attempt when a
// Worker sets none: 5s·2^(attempt-1), at most 1 hour, less up to 20% at
// random.
func DefaultBackoff(attempt int) time.Duration {
	d := maxBackoff
	if attempt < 1 {
		attempt = 1
	}
	if attempt <= 20 { // beyond, the shift only overflows
		d = min(firstBackoff<<(attempt-1), maxBackoff)
	}
	return d - rand.N(d/5+1)
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Worker) logger() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.New(slog.DiscardHandler)
}

func (w *Worker) backoff(attempt int) time.Duration {
	if w.Backoff != nil {
		return w.Backoff(attempt)
	}
	return DefaultBackoff(attempt)
}

func (w *Worker) poll() time.Duration  { return orDefault(w.Poll, defaultPoll) }
func (w *Worker) lease() time.Duration { return orDefault(w.Lease, defaultLease) }
func (w *Worker) batch() int           { return orDefault(w.Batch, defaultBatch) }
func (w *Worker) maxAttempts() int     { return orDefault(w.MaxAttempts, defaultMaxAttempts) }

// orDefault returns v, or def when v is not positive.
func orDefault[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}
