package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"sakura/internal/i18n"
	"sakura/internal/notify"
)

// The store is the portal's queue of deliveries.
var _ notify.Queue = (*DB)(nil)

// AddEvent writes an event of an account and its deliveries, queued, in
// one transaction, and returns the event's id. See addEvent.
func (s *DB) AddEvent(ctx context.Context, e notify.Event, ds []notify.Delivery) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(t tx) error {
		var err error
		id, err = s.addEvent(ctx, t, e, ds)
		return err
	})
	return id, err
}

// addEvent writes an event and its deliveries in the caller's transaction
// and returns the event's id. The deliveries are queued and due at the
// event's time (now when it is zero); their EventID, Attempts and ID are
// ignored. A delivery of a message that does not exist on its channel, or
// without a recipient, is refused, and so are two on one channel.
func (s *DB) addEvent(ctx context.Context, t tx, e notify.Event, ds []notify.Delivery) (int64, error) {
	const op = "add event"
	if e.CreatedAt.IsZero() {
		e.CreatedAt = time.Now()
	}
	data := e.Data
	if data == nil {
		data = map[string]string{}
	}
	dataJSON, err := jsonArg(data)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}

	var id int64
	err = t.QueryRowContext(ctx, s.rebind(`INSERT INTO events (account_id, kind, data, created_at) VALUES (?, ?, ?, ?) RETURNING id`),
		e.AccountID, string(e.Kind), dataJSON, s.timeArg(e.CreatedAt)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", op, e.Kind, err)
	}

	for _, d := range ds {
		if !slices.Contains(notify.Catalogue[d.Message], d.Channel) {
			return 0, fmt.Errorf("%s %s: message %s has no %s form", op, e.Kind, d.Message, d.Channel)
		}
		if strings.TrimSpace(d.To) == "" {
			return 0, fmt.Errorf("%s %s: %s delivery without a recipient", op, e.Kind, d.Channel)
		}
		d.EventID = id
		if err := s.insertDelivery(ctx, t, d, e.CreatedAt, 0, false); err != nil {
			return 0, fmt.Errorf("%s %s: %w", op, e.Kind, err)
		}
	}
	return id, nil
}

// insertDelivery queues d, due at now. fallbackOf, when not 0, is the
// failed delivery d replaces. When the event has a delivery on d's channel
// already, it returns errDeliveryExists with onlyNew, writing nothing, and
// the UNIQUE constraint's error without.
func (s *DB) insertDelivery(ctx context.Context, t tx, d notify.Delivery, now time.Time,
	fallbackOf int64, onlyNew bool) error {
	data, err := jsonArg(d.Data)
	if err != nil {
		return fmt.Errorf("queue %s delivery: %w", d.Channel, err)
	}
	var of any
	if fallbackOf != 0 {
		of = fallbackOf
	}

	q := `INSERT INTO deliveries (event_id, channel, recipient, lang, message, data, status, next_at, fallback_of, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)`
	if onlyNew {
		q += ` ON CONFLICT (event_id, channel) DO NOTHING`
	}
	at := s.timeArg(now)
	res, err := t.exec(ctx, q, d.EventID, string(d.Channel), d.To, string(d.Lang), string(d.Message),
		data, at, of, at, at)
	if err != nil {
		return fmt.Errorf("queue %s delivery: %w", d.Channel, err)
	}
	if onlyNew {
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("queue %s delivery: %w", d.Channel, err)
		} else if n == 0 {
			return errDeliveryExists
		}
	}
	return nil
}

// errDeliveryExists is insertDelivery's answer, with onlyNew, when the
// event already has a delivery on the channel.
var errDeliveryExists = errors.New("the event has a delivery on the channel")

// claimSQL claims due deliveries: queued or temporary ones whose time has
// come, and sending ones whose worker's lease ran out. PostgreSQL skips the
// rows another claimer has locked; SQLite has one writer at a time, as its
// transactions take the write lock at BEGIN.
const claimSQL = `UPDATE deliveries
	SET status = 'sending', attempts = attempts + 1, claimed_until = ?, updated_at = ?
	WHERE id IN (
		SELECT id FROM deliveries
		WHERE (status IN ('queued', 'temporary') AND next_at <= ?)
			OR (status = 'sending' AND claimed_until <= ?)
		ORDER BY next_at, id
		LIMIT ? %s)
	RETURNING id, event_id, channel, recipient, lang, message, data, attempts - 1, next_at`

// Claim marks up to n due deliveries as sending until now+lease and
// returns them, the longest due first. See notify.Queue.
func (s *DB) Claim(ctx context.Context, now time.Time, lease time.Duration, n int) ([]notify.Delivery, error) {
	lock := ""
	if s.dialect == Postgres {
		lock = "FOR UPDATE SKIP LOCKED"
	}
	nowArg := s.timeArg(now)

	type claimed struct {
		d      notify.Delivery
		nextAt time.Time
	}
	var out []claimed
	err := s.inTx(ctx, func(t tx) error {
		rows, err := t.QueryContext(ctx, s.rebind(fmt.Sprintf(claimSQL, lock)),
			s.timeArg(now.Add(lease)), nowArg, nowArg, nowArg, n)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				c    claimed
				lang string
			)
			err := rows.Scan(&c.d.ID, &c.d.EventID, &c.d.Channel, &c.d.To, &lang, &c.d.Message,
				jsonCol{&c.d.Data}, &c.d.Attempts, timeCol{&c.nextAt})
			if err != nil {
				return err
			}
			c.d.Lang = i18n.Lang(lang)
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}

	// RETURNING keeps no order.
	slices.SortFunc(out, func(a, b claimed) int {
		if c := a.nextAt.Compare(b.nextAt); c != 0 {
			return c
		}
		return cmp.Compare(a.d.ID, b.d.ID)
	})
	ds := make([]notify.Delivery, len(out))
	for i, c := range out {
		ds[i] = c.d
	}
	return ds, nil
}

// Delivered marks a sending delivery delivered and empties its data. See
// notify.Queue.
func (s *DB) Delivered(ctx context.Context, id int64, providerID string, now time.Time) error {
	return s.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, `UPDATE deliveries
			SET status = 'delivered', provider_id = ?, data = '{}', claimed_until = NULL, last_error = '', updated_at = ?
			WHERE id = ? AND status = 'sending'`,
			providerID, s.timeArg(now), id)
		return claimedRow(res, err, fmt.Sprintf("record delivery %d delivered", id))
	})
}

// Retry marks a sending delivery to be tried again at next. See
// notify.Queue.
func (s *DB) Retry(ctx context.Context, id int64, reason string, next, now time.Time) error {
	return s.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, `UPDATE deliveries
			SET status = 'temporary', last_error = ?, next_at = ?, claimed_until = NULL, updated_at = ?
			WHERE id = ? AND status = 'sending'`,
			notify.Reason(reason), s.timeArg(next), s.timeArg(now), id)
		return claimedRow(res, err, fmt.Sprintf("record delivery %d to retry", id))
	})
}

// Fail marks a sending delivery failed for good, empties its data and
// queues its fallback on the other channel when there can be one. See
// notify.Queue.
func (s *DB) Fail(ctx context.Context, id int64, reason string, now time.Time) (bool, error) {
	var fallback bool
	err := s.inTx(ctx, func(t tx) error {
		op := fmt.Sprintf("record delivery %d failed", id)

		// Read what the fallback repeats before the data is emptied.
		var (
			d            notify.Delivery
			lang         string
			phone, email string
		)
		err := t.QueryRowContext(ctx, s.rebind(`SELECT d.event_id, d.channel, d.lang, d.message, d.data, a.phone, a.email
			FROM deliveries d
			JOIN events e ON e.id = d.event_id
			JOIN accounts a ON a.id = e.account_id
			WHERE d.id = ? AND d.status = 'sending'`), id).
			Scan(&d.EventID, &d.Channel, &lang, &d.Message, jsonCol{&d.Data}, &phone, &email)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s: %w", op, notify.ErrNotClaimed)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		d.Lang = i18n.Lang(lang)

		res, err := t.exec(ctx, `UPDATE deliveries
			SET status = 'permanent', last_error = ?, data = '{}', claimed_until = NULL, updated_at = ?
			WHERE id = ? AND status = 'sending'`,
			notify.Reason(reason), s.timeArg(now), id)
		if err := claimedRow(res, err, op); err != nil {
			return err
		}

		// The fallback goes to the account's other address.
		switch d.Channel {
		case notify.SMS:
			d.Channel, d.To = notify.Email, email
		case notify.Email:
			d.Channel, d.To = notify.SMS, phone
		default:
			return nil
		}
		if d.To == "" || !slices.Contains(notify.Catalogue[d.Message], d.Channel) {
			return nil
		}
		err = s.insertDelivery(ctx, t, d, now, id, true)
		if errors.Is(err, errDeliveryExists) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("queue fallback of delivery %d: %w", id, err)
		}
		fallback = true
		return nil
	})
	if err != nil {
		return false, err
	}
	return fallback, nil
}

// claimedRow turns the result of an update of one sending delivery into
// the error to return: ErrNotClaimed when no row was sending.
func claimedRow(res sql.Result, err error, op string) error {
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", op, notify.ErrNotClaimed)
	}
	return nil
}

// Feed returns a page of an account's events, newest first, each with its
// deliveries (recipients masked, oldest first), and how many events the
// account has in all.
func (s *DB) Feed(ctx context.Context, accountID int64, offset, limit int) ([]notify.Event, int, error) {
	const op = "read feed"
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM events WHERE account_id = ?`, accountID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("%s: %w", op, err)
	}

	events, err := queryAll(ctx, s, op, scanEvent,
		`SELECT id, account_id, kind, data, created_at, read_at IS NOT NULL FROM events
		WHERE account_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`, accountID, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	if len(events) == 0 {
		return []notify.Event{}, total, nil
	}

	// The page's events are those of the account between its first and
	// last id.
	type status struct {
		eventID int64
		notify.DeliveryStatus
	}
	statuses, err := queryAll(ctx, s, op, func(r rowScanner) (status, error) {
		var st status
		err := r.Scan(&st.eventID, &st.Channel, &st.To, &st.Status, &st.Attempts, timeCol{&st.UpdatedAt})
		st.To = notify.Mask(st.Channel, st.To)
		return st, err
	}, `SELECT d.event_id, d.channel, d.recipient, d.status, d.attempts, d.updated_at
		FROM deliveries d JOIN events e ON e.id = d.event_id
		WHERE e.account_id = ? AND e.id BETWEEN ? AND ?
		ORDER BY d.id`, accountID, events[len(events)-1].ID, events[0].ID)
	if err != nil {
		return nil, 0, err
	}

	byID := make(map[int64]*notify.Event, len(events))
	for i := range events {
		byID[events[i].ID] = &events[i]
	}
	for _, st := range statuses {
		e := byID[st.eventID]
		e.Deliveries = append(e.Deliveries, st.DeliveryStatus)
	}
	return events, total, nil
}

func scanEvent(r rowScanner) (notify.Event, error) {
	var e notify.Event
	err := r.Scan(&e.ID, &e.AccountID, &e.Kind, jsonCol{&e.Data}, timeCol{&e.CreatedAt}, &e.Read)
	return e, err
}

// MarkRead marks the account's events up to the id upTo as read at now;
// those read before keep their time.
func (s *DB) MarkRead(ctx context.Context, accountID, upTo int64, now time.Time) error {
	return s.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, `UPDATE events SET read_at = ? WHERE account_id = ? AND id <= ? AND read_at IS NULL`,
			s.timeArg(now), accountID, upTo)
		if err != nil {
			return fmt.Errorf("mark feed read: %w", err)
		}
		return nil
	})
}

// Unread counts the account's events not yet read.
func (s *DB) Unread(ctx context.Context, accountID int64) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM events WHERE account_id = ? AND read_at IS NULL`, accountID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count unread events: %w", err)
	}
	return n, nil
}

// Receipt records a gateway's delivery receipt for an SMS it accepted: a
// failed one turns the delivery from delivered into permanent, so that the
// feed tells the truth. A receipt for a message the store does not know
// (another system's, or one already purged) is ignored. No fallback is
// queued: the message's data was erased when the gateway accepted it.
func (s *DB) Receipt(ctx context.Context, r notify.Receipt, now time.Time) error {
	if r.MessageID == "" || r.Status != notify.Failed {
		return nil
	}
	return s.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, `UPDATE deliveries SET status = 'permanent', last_error = ?, updated_at = ?
			WHERE provider_id = ? AND channel = ? AND status = 'delivered'`,
			"gateway receipt: not delivered", s.timeArg(now), r.MessageID, string(notify.SMS))
		if err != nil {
			return fmt.Errorf("record receipt: %w", err)
		}
		return nil
	})
}
