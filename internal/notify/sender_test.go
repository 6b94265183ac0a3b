package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/notify"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

func TestOutboxSender(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
		var s notify.Sender = notify.OutboxSender{Outbox: db, Now: func() time.Time { return now }}

		sent := []notify.Outgoing{
			{To: "+77010000001", Channel: notify.SMS, Body: "Sakura: растау коды 123456."},
			{To: "aigul@mail.kz", Channel: notify.Email, Subject: "Sakura", Body: "Сәлеметсіз бе!"},
		}
		ids := map[string]bool{}
		for _, m := range sent {
			id, err := s.Send(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(id, "outbox-") || ids[id] {
				t.Errorf("id %q: want a fresh outbox- id", id)
			}
			ids[id] = true
		}

		got, err := db.Messages(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		want := []notify.Message{
			{To: "aigul@mail.kz", Channel: notify.Email, Body: "Sakura\n\nСәлеметсіз бе!", CreatedAt: now},
			{To: "+77010000001", Channel: notify.SMS, Body: "Sakura: растау коды 123456.", CreatedAt: now},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("outbox mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestOutboxSenderFailureIsTemporary(t *testing.T) {
	db := storetest.SQLite(t)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	_, err := notify.OutboxSender{Outbox: db}.Send(context.Background(),
		notify.Outgoing{To: "+77010000001", Channel: notify.SMS, Body: "x"})
	if !errors.Is(err, notify.ErrTemporary) || notify.IsPermanent(err) {
		t.Fatalf("err = %v, want a temporary failure", err)
	}
	if strings.Contains(err.Error(), "+77010000001") {
		t.Errorf("error %q shows the phone in clear", err)
	}
}
