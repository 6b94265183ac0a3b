package store_test

import (
	"context"
	"testing"
	"time"

	"sakura/internal/account"
	"sakura/internal/i18n"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

// TestAccountPurge: what the limits, codes and sessions no longer need goes;
// what they still need, and the audit log, stay.
func TestAccountPurge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
		day := 24 * time.Hour

		err := db.Tx(ctx, func(tx account.Tx) error {
			id, err := tx.CreateAccount(ctx, account.Account{IIN: "900725400016", Phone: "+77010000001",
				Lang: i18n.RU, NotifySMS: true, CreatedAt: now.Add(-2 * day)})
			if err != nil {
				return err
			}
			for _, at := range []time.Time{now.Add(-day - time.Minute), now.Add(-time.Hour)} {
				if err := tx.Record(ctx, "k", "sms", at); err != nil {
					return err
				}
			}
			for i, at := range []time.Time{now.Add(-2 * day), now.Add(-time.Minute)} {
				c := account.Challenge{TokenHash: []string{"old", "new"}[i], Purpose: account.PurposeSignIn, Subject: "k",
					CreatedAt: at, SentAt: at, ExpiresAt: at.Add(5 * time.Minute)}
				if err := tx.AddChallenge(ctx, c); err != nil {
					return err
				}
			}
			sessions := []account.Session{
				{TokenHash: "idle", LastSeen: now.Add(-31 * time.Minute), ExpiresAt: now.Add(time.Hour)},
				{TokenHash: "ended", LastSeen: now.Add(-time.Minute), ExpiresAt: now.Add(-time.Second)},
				{TokenHash: "live", LastSeen: now.Add(-time.Minute), ExpiresAt: now.Add(time.Hour)},
			}
			for _, s := range sessions {
				s.AccountID, s.CreatedAt = id, now.Add(-2*time.Hour)
				if err := tx.AddSession(ctx, s); err != nil {
					return err
				}
			}
			if err := tx.Lock(ctx, "ended-lock", now.Add(-time.Second)); err != nil {
				return err
			}
			if err := tx.Lock(ctx, "k", now.Add(time.Minute)); err != nil {
				return err
			}
			return tx.Audit(ctx, account.AuditEntry{At: now.Add(-3 * day), AccountID: id, Action: "signin"})
		})
		if err != nil {
			t.Fatal(err)
		}

		var purged int
		var left []account.Session
		var counted int
		var lock time.Time
		err = db.Tx(ctx, func(tx account.Tx) error {
			var err error
			if purged, err = tx.Purge(ctx, now.Add(-day), now.Add(-30*time.Minute), now); err != nil {
				return err
			}
			a, err := tx.AccountByIIN(ctx, "900725400016")
			if err != nil {
				return err
			}
			if left, err = tx.Sessions(ctx, a.ID); err != nil {
				return err
			}
			if counted, err = tx.Count(ctx, "k", "sms", now.Add(-7*day)); err != nil {
				return err
			}
			if _, err := tx.Challenge(ctx, "new"); err != nil {
				return err
			}
			lock, err = tx.LockedUntil(ctx, "k")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// One attempt, one challenge, two sessions, one lock.
		if purged != 5 {
			t.Errorf("purged %d rows, want 5", purged)
		}
		if len(left) != 1 || left[0].TokenHash != "live" {
			t.Errorf("sessions left %+v, want the live one", left)
		}
		if counted != 1 {
			t.Errorf("%d attempts left, want the recent one", counted)
		}
		if lock.IsZero() {
			t.Error("a running lock was purged")
		}
		if log, err := db.AuditLog(ctx, 10); err != nil || len(log) != 1 {
			t.Errorf("audit log %v, %v: want it kept", log, err)
		}
	})
}
