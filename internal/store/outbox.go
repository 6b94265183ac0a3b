package store

import (
	"context"
	"fmt"

	"sakura/internal/notify"
)

// Deliver records a message in the demo outbox.
func (s *DB) Deliver(ctx context.Context, m notify.Message) error {
	return s.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, `INSERT INTO outbox (recipient, channel, body, created_at) VALUES (?, ?, ?, ?)`,
			m.To, string(m.Channel), m.Body, s.timeArg(m.CreatedAt))
		if err != nil {
			return fmt.Errorf("deliver to outbox: %w", err)
		}
		return nil
	})
}

// Messages returns the newest messages of the outbox first, at most limit.
func (s *DB) Messages(ctx context.Context, limit int) ([]notify.Message, error) {
	rows, err := s.query(ctx, `SELECT recipient, channel, body, created_at FROM outbox ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	defer rows.Close()

	out := []notify.Message{}
	for rows.Next() {
		var m notify.Message
		if err := rows.Scan(&m.To, &m.Channel, &m.Body, timeCol{&m.CreatedAt}); err != nil {
			return nil, fmt.Errorf("list outbox: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	return out, nil
}
