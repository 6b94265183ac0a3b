package notify_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/clocktest"
	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

const accountEmail = "aigul@mail.kz"

// refBody is a gateway request that carries the delivery's Ref.
const refBody = `{"to":"{{.To}}","text":"{{.Text}}","ref":"{{.Ref}}"}`

// eachEngine runs fn once per engine with the DSN of a fresh database.
func eachEngine(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "sakura.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, storetest.PostgresDSN(t)) })
}

// openQueue opens the migrated store at dsn and writes an account with a
// phone and a confirmed e-mail, whose id it returns. The account goes in by
// hand: the store that keeps accounts is not this package's concern.
func openQueue(t *testing.T, dsn string) (*store.DB, int64) {
	t.Helper()
	db := storetest.MustOpen(t, dsn)
	driver, query := "pgx", `INSERT INTO accounts (iin, phone, email, lang, created_at) VALUES ($1, $2, $3, 'ru', now()) RETURNING id`
	if db.Dialect() == store.SQLite {
		driver, dsn = "sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)"
		query = `INSERT INTO accounts (iin, phone, email, lang, created_at) VALUES (?, ?, ?, 'ru', '2026-03-01T09:00:00Z') RETURNING id`
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var id int64
	if err := raw.QueryRow(query, "900101300001", phone, accountEmail).Scan(&id); err != nil {
		t.Fatalf("add account: %v", err)
	}
	return db, id
}

func newClock() *clocktest.Clock { return clocktest.New(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)) }

// queueCode writes a sign-in event of the account with its code to send by
// SMS, as the account store does, and returns the event's id.
func queueCode(t *testing.T, db *store.DB, account int64, at time.Time) int64 {
	t.Helper()
	id, err := db.AddEvent(context.Background(),
		notify.Event{AccountID: account, Kind: "signin", CreatedAt: at},
		[]notify.Delivery{{Channel: notify.SMS, To: phone, Lang: i18n.RU,
			Message: notify.SignInCode, Data: notify.Data{Code: "123456"}}})
	if err != nil {
		t.Fatalf("add event: %v", err)
	}
	return id
}

// refs returns the Ref of each request the gateway saw, in order.
func refs(t *testing.T, reqs []gatewayRequest) []string {
	t.Helper()
	var out []string
	for _, r := range reqs {
		var body struct{ Ref string }
		if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
			t.Fatalf("gateway body %q: %v", r.Body, err)
		}
		out = append(out, body.Ref)
	}
	return out
}

// statuses returns the delivery statuses of the account's only event.
func statuses(t *testing.T, db *store.DB, account int64) []notify.DeliveryStatus {
	t.Helper()
	events, _, err := db.Feed(context.Background(), account, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 {
		t.Fatalf("feed has %d events, want 1", len(events))
	}
	return events[0].Deliveries
}

// runOnce runs one round of w and checks how many deliveries it claimed.
func runOnce(t *testing.T, w *notify.Worker, want int) {
	t.Helper()
	n, err := w.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("RunOnce: %v", err)
	}
	if n != want {
		t.Fatalf("RunOnce claimed %d deliveries, want %d", n, want)
	}
}

// ignoreTimes leaves the update times out of a comparison of statuses.
var ignoreTimes = cmp.Transformer("noTime", func(s notify.DeliveryStatus) notify.DeliveryStatus {
	s.UpdatedAt = time.Time{}
	return s
})

func TestWorkerRetriesUntilDelivered(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		db, account := openQueue(t, dsn)
		srv, seen := startScriptedGateway(t, 0, func(n int) (int, string) {
			if n <= 2 {
				return http.StatusServiceUnavailable, `{"error":"busy"}`
			}
			return http.StatusOK, `{"id":"msg-42"}`
		})
		mail := &smtpServer{}
		clk := newClock()
		w := &notify.Worker{
			Queue: db,
			Senders: map[notify.Channel]notify.Sender{
				notify.SMS:   mustGateway(t, notify.SMSGatewayConfig{URL: srv.URL, Body: refBody}),
				notify.Email: mustSMTP(t, notify.SMTPConfig{Port: startSMTP(t, mail)}),
			},
			Templates: mustTemplates(t),
			Now:       clk.Now,
		}
		queueCode(t, db, account, clk.Now())

		runOnce(t, w, 1)
		runOnce(t, w, 0) // waits for its back-off
		want := []notify.DeliveryStatus{{Channel: notify.SMS, To: "+7701***0001", Status: notify.StatusTemporary, Attempts: 1}}
		if diff := cmp.Diff(want, statuses(t, db, account), ignoreTimes); diff != "" {
			t.Errorf("after the first 503 (-want +got):\n%s", diff)
		}

		clk.Advance(time.Hour)
		runOnce(t, w, 1)
		clk.Advance(time.Hour)
		runOnce(t, w, 1)
		clk.Advance(time.Hour)
		runOnce(t, w, 0)

		want = []notify.DeliveryStatus{{Channel: notify.SMS, To: "+7701***0001", Status: notify.StatusDelivered, Attempts: 3}}
		if diff := cmp.Diff(want, statuses(t, db, account), ignoreTimes); diff != "" {
			t.Errorf("statuses mismatch (-want +got):\n%s", diff)
		}
		got := refs(t, seen())
		if len(got) != 3 || got[0] == "" || got[1] != got[0] || got[2] != got[0] {
			t.Errorf("gateway saw refs %q, want one ref three times", got)
		}
		mail.mu.Lock()
		defer mail.mu.Unlock()
		if len(mail.got) != 0 {
			t.Errorf("the mail server got %d messages, want none", len(mail.got))
		}
	})
}

func TestWorkerFallsBackToEmail(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		attempts int // of the SMS
		wantSMS  notify.DeliveryStatus
	}{
		{
			name:     "rejected number",
			status:   http.StatusBadRequest,
			attempts: 1,
			wantSMS:  notify.DeliveryStatus{Channel: notify.SMS, To: "+7701***0001", Status: notify.StatusPermanent, Attempts: 1},
		},
		{
			name:     "gateway down for good",
			status:   http.StatusServiceUnavailable,
			attempts: 8, // the default MaxAttempts
			wantSMS:  notify.DeliveryStatus{Channel: notify.SMS, To: "+7701***0001", Status: notify.StatusPermanent, Attempts: 8},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachEngine(t, func(t *testing.T, dsn string) {
				db, account := openQueue(t, dsn)
				srv, seen := startGateway(t, tt.status, `{"error":"no"}`, 0)
				mail := &smtpServer{}
				clk := newClock()
				var logs bytes.Buffer
				w := &notify.Worker{
					Queue: db,
					Senders: map[notify.Channel]notify.Sender{
						notify.SMS:   mustGateway(t, notify.SMSGatewayConfig{URL: srv.URL, Body: refBody}),
						notify.Email: mustSMTP(t, notify.SMTPConfig{Port: startSMTP(t, mail)}),
					},
					Templates: mustTemplates(t),
					Now:       clk.Now,
					Log:       slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
				}
				queueCode(t, db, account, clk.Now())

				// Every attempt of the SMS, then the e-mail it falls back
				// to, then nothing more whatever the time.
				for range tt.attempts {
					runOnce(t, w, 1)
					clk.Advance(time.Hour)
				}
				runOnce(t, w, 1)
				clk.Advance(24 * time.Hour)
				runOnce(t, w, 0)

				want := []notify.DeliveryStatus{tt.wantSMS,
					{Channel: notify.Email, To: "a***@mail.kz", Status: notify.StatusDelivered, Attempts: 1}}
				if diff := cmp.Diff(want, statuses(t, db, account), ignoreTimes); diff != "" {
					t.Errorf("statuses mismatch (-want +got):\n%s", diff)
				}
				if got := refs(t, seen()); len(got) != tt.attempts || len(slices.Compact(got)) != 1 {
					t.Errorf("gateway saw refs %q, want one ref %d times", got, tt.attempts)
				}

				mail.mu.Lock()
				defer mail.mu.Unlock()
				if len(mail.got) != 1 {
					t.Fatalf("the mail server got %d messages, want 1", len(mail.got))
				}
				if diff := cmp.Diff([]string{accountEmail}, mail.got[0].To); diff != "" {
					t.Errorf("e-mail recipients mismatch (-want +got):\n%s", diff)
				}
				if m := readMail(t, mail.got[0].Data); !strings.Contains(m.Body, "123456") {
					t.Errorf("e-mail body %q has no code", m.Body)
				}

				log := logs.String()
				if !strings.Contains(log, "delivery failed") || !strings.Contains(log, "fallback=true") {
					t.Errorf("log has no failure with its fallback:\n%s", log)
				}
				for _, secret := range []string{phone, accountEmail, "123456"} {
					if strings.Contains(log, secret) {
						t.Errorf("log shows %q:\n%s", secret, log)
					}
				}
			})
		})
	}
}

func TestWorkerWithoutSender(t *testing.T) {
	db, account := openQueue(t, filepath.Join(t.TempDir(), "sakura.db"))
	w := &notify.Worker{Queue: db, Senders: map[notify.Channel]notify.Sender{}, Templates: mustTemplates(t)}
	queueCode(t, db, account, time.Now())

	runOnce(t, w, 1) // the SMS fails for good
	runOnce(t, w, 1) // so does its fallback
	runOnce(t, w, 0)
	want := []notify.DeliveryStatus{
		{Channel: notify.SMS, To: "+7701***0001", Status: notify.StatusPermanent, Attempts: 1},
		{Channel: notify.Email, To: "a***@mail.kz", Status: notify.StatusPermanent, Attempts: 1},
	}
	if diff := cmp.Diff(want, statuses(t, db, account), ignoreTimes); diff != "" {
		t.Errorf("statuses mismatch (-want +got):\n%s", diff)
	}
}

// TestWorkerWake checks that Run sends what was queued as soon as it is
// woken, long before its next poll, and returns nil when stopped.
func TestWorkerWake(t *testing.T) {
	db, account := openQueue(t, filepath.Join(t.TempDir(), "sakura.db"))
	srv, seen := startGateway(t, http.StatusOK, `{"id":"msg-1"}`, 0)
	w := &notify.Worker{
		Queue:     db,
		Senders:   map[notify.Channel]notify.Sender{notify.SMS: mustGateway(t, notify.SMSGatewayConfig{URL: srv.URL})},
		Templates: mustTemplates(t),
		Poll:      time.Hour,
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()

	time.Sleep(50 * time.Millisecond) // let Run find the queue empty and wait
	queueCode(t, db, account, time.Now())
	w.Wake()
	waitFor(t, 5*time.Second, func() bool { return len(seen()) == 1 })

	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
}

// TestWorkerStopsMidSend stops Run while the gateway is answering: the
// delivery goes back to the queue, due at once, rather than stay held
// until its lease runs out.
func TestWorkerStopsMidSend(t *testing.T) {
	db, account := openQueue(t, filepath.Join(t.TempDir(), "sakura.db"))
	srv, seen := startGateway(t, http.StatusOK, `{"id":"msg-1"}`, 5*time.Second)
	clk := newClock()
	w := &notify.Worker{
		Queue:     db,
		Senders:   map[notify.Channel]notify.Sender{notify.SMS: mustGateway(t, notify.SMSGatewayConfig{URL: srv.URL})},
		Templates: mustTemplates(t),
		Now:       clk.Now,
	}
	queueCode(t, db, account, clk.Now())

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	waitFor(t, 5*time.Second, func() bool { return len(seen()) == 1 })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil", err)
	}

	want := []notify.DeliveryStatus{{Channel: notify.SMS, To: "+7701***0001", Status: notify.StatusTemporary, Attempts: 1}}
	if diff := cmp.Diff(want, statuses(t, db, account), ignoreTimes); diff != "" {
		t.Errorf("statuses mismatch (-want +got):\n%s", diff)
	}
	ds, err := db.Claim(context.Background(), clk.Now(), time.Minute, 1)
	if err != nil || len(ds) != 1 {
		t.Errorf("Claim = %v, %v; want the delivery due again at once", ds, err)
	}
}

// TestWorkerKeepsOrderPerRecipient sends a batch of messages to one phone
// through a slow gateway: they reach it one at a time and in the order
// they were queued, so that a parent reads the decisions as they were made.
func TestWorkerKeepsOrderPerRecipient(t *testing.T) {
	const total = 6
	db, account := openQueue(t, filepath.Join(t.TempDir(), "sakura.db"))
	var (
		mu             sync.Mutex
		got            []string
		inFlight, most int
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Ref string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("gateway body: %v", err)
		}
		mu.Lock()
		got = append(got, body.Ref)
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		mu.Lock()
		inFlight--
		mu.Unlock()
		io.WriteString(w, `{"id":"msg"}`)
	}))
	t.Cleanup(srv.Close)

	clk := newClock()
	for range total {
		queueCode(t, db, account, clk.Now())
	}
	w := &notify.Worker{
		Queue:     db,
		Senders:   map[notify.Channel]notify.Sender{notify.SMS: mustGateway(t, notify.SMSGatewayConfig{URL: srv.URL, Body: refBody})},
		Templates: mustTemplates(t),
		Now:       clk.Now,
	}
	runOnce(t, w, total)

	mu.Lock()
	defer mu.Unlock()
	if most != 1 {
		t.Errorf("the gateway had %d messages to one phone in flight at once, want 1", most)
	}
	// Deliveries are numbered as they are queued.
	inOrder := len(got) == total
	for i := 1; i < len(got) && inOrder; i++ {
		prev, _ := strconv.Atoi(strings.TrimPrefix(got[i-1], "d-"))
		this, _ := strconv.Atoi(strings.TrimPrefix(got[i], "d-"))
		inOrder = prev < this
	}
	if !inOrder {
		t.Errorf("the gateway got %v, want %d messages in the order queued", got, total)
	}
}

// TestWorkersShareQueue runs two workers on two PostgreSQL pools, as two
// processes would, over 100 deliveries: the gateway must get each once.
func TestWorkersShareQueue(t *testing.T) {
	const total = 100
	dsn := storetest.PostgresDSN(t)
	db, account := openQueue(t, dsn)
	other := storetest.MustOpen(t, dsn)
	srv, seen := startGateway(t, http.StatusOK, `{"id":"msg"}`, 0)
	gateway := mustGateway(t, notify.SMSGatewayConfig{URL: srv.URL, Body: refBody})

	for range total {
		queueCode(t, db, account, time.Now())
	}

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, q := range []notify.Queue{db, other} {
		w := &notify.Worker{
			Queue:     q,
			Senders:   map[notify.Channel]notify.Sender{notify.SMS: gateway},
			Templates: mustTemplates(t),
			Poll:      10 * time.Millisecond,
			Batch:     4,
		}
		wg.Go(func() {
			if err := w.Run(ctx); err != nil {
				t.Errorf("Run = %v", err)
			}
		})
	}
	waitFor(t, 20*time.Second, func() bool {
		events, _, err := db.Feed(context.Background(), account, 0, total)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if e.Deliveries[0].Status != notify.StatusDelivered {
				return false
			}
		}
		return len(events) == total
	})
	cancel()
	wg.Wait()

	count := map[string]int{}
	for _, ref := range refs(t, seen()) {
		count[ref]++
	}
	if len(count) != total {
		t.Errorf("gateway got %d refs, want %d", len(count), total)
	}
	for ref, n := range count {
		if n != 1 {
			t.Errorf("gateway got %s %d times", ref, n)
		}
	}
}

// waitFor polls cond until it holds, failing the test after limit.
func waitFor(t *testing.T, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after %v", limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestDefaultBackoff(t *testing.T) {
	tests := []struct {
		attempt int
		max     time.Duration
	}{
		{1, 5 * time.Second},
		{2, 10 * time.Second},
		{5, 80 * time.Second},
		{10, 2560 * time.Second},
		{11, time.Hour},
		{100, time.Hour},
	}
	for _, tt := range tests {
		for range 50 {
			got := notify.DefaultBackoff(tt.attempt)
			if got > tt.max || got < tt.max*4/5 {
				t.Fatalf("DefaultBackoff(%d) = %v, want between %v and %v", tt.attempt, got, tt.max*4/5, tt.max)
			}
		}
	}
}

func TestReason(t *testing.T) {
	long := strings.Repeat("ә", 150) // 300 bytes
	got := notify.Reason(long)
	if len(got) > 200 || !strings.HasPrefix(long, got) || len(got) < 198 {
		t.Errorf("Reason cut %d bytes to %d, want 200 or just under at a character", len(long), len(got))
	}
	if got := notify.Reason("short"); got != "short" {
		t.Errorf("Reason(short) = %q", got)
	}
}
