package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

// queueDB is a fresh store with a plain connection to the same database,
// for the rows a test writes or reads by hand.
type queueDB struct {
	*store.DB
	raw *sql.DB
}

// eachQueueDB runs fn once per engine, as storetest.Each does, on a fresh
// migrated store.
func eachQueueDB(t *testing.T, fn func(t *testing.T, db queueDB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, openQueueDB(t, filepath.Join(t.TempDir(), "sakura.db")))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, openQueueDB(t, storetest.PostgresDSN(t)))
	})
}

func openQueueDB(t *testing.T, dsn string) queueDB {
	t.Helper()
	db := storetest.MustOpen(t, dsn)
	driver, rawDSN := "pgx", dsn
	if db.Dialect() == store.SQLite {
		driver, rawDSN = "sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)"
	}
	raw, err := sql.Open(driver, rawDSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return queueDB{DB: db, raw: raw}
}

// q writes a query with ? placeholders for the engine.
func (db queueDB) q(query string) string {
	if db.Dialect() != store.Postgres {
		return query
	}
	n := 0
	var out []byte
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			out = fmt.Appendf(out, "$%d", n)
			continue
		}
		out = append(out, query[i])
	}
	return string(out)
}

// addAccount inserts an account with the phone and the confirmed e-mail,
// which may be empty, and returns its id.
func (db queueDB) addAccount(t *testing.T, iin, phone, email string) int64 {
	t.Helper()
	var created any = time.Now().UTC()
	if db.Dialect() == store.SQLite {
		created = time.Now().UTC().Format(time.RFC3339)
	}
	var id int64
	err := db.raw.QueryRow(db.q(`INSERT INTO accounts (iin, phone, email, lang, created_at) VALUES (?, ?, ?, 'kk', ?) RETURNING id`),
		iin, phone, email, created).Scan(&id)
	if err != nil {
		t.Fatalf("add account: %v", err)
	}
	return id
}

// row is what a test reads of a delivery by hand.
type row struct {
	Status     string
	Data       string
	ProviderID string
	LastError  string
	FallbackOf sql.NullInt64
}

func (db queueDB) row(t *testing.T, id int64) row {
	t.Helper()
	var r row
	err := db.raw.QueryRow(db.q(`SELECT status, data, provider_id, last_error, fallback_of FROM deliveries WHERE id = ?`), id).
		Scan(&r.Status, &r.Data, &r.ProviderID, &r.LastError, &r.FallbackOf)
	if err != nil {
		t.Fatalf("read delivery %d: %v", id, err)
	}
	return r
}

// emptyData reports whether a data column holds the empty object, as
// either engine writes it.
func emptyData(data string) bool { return data == "{}" }

const (
	accPhone = "+77010000001"
	accEmail = "aigul@mail.kz"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// code is a sign-in code delivery to the account's phone.
func code(to string) notify.Delivery {
	return notify.Delivery{Channel: notify.SMS, To: to, Lang: i18n.RU, Message: notify.SignInCode,
		Data: notify.Data{Code: "123456"}}
}

func mustAddEvent(t *testing.T, db queueDB, e notify.Event, ds ...notify.Delivery) int64 {
	t.Helper()
	id, err := db.AddEvent(context.Background(), e, ds)
	if err != nil {
		t.Fatalf("add event: %v", err)
	}
	return id
}

func mustClaim(t *testing.T, db queueDB, now time.Time, n int) []notify.Delivery {
	t.Helper()
	ds, err := db.Claim(context.Background(), now, time.Minute, n)
	if err != nil {
		t.Fatalf("claim: %v", err)
	}
	return ds
}

func ids(ds []notify.Delivery) []int64 {
	out := []int64{}
	for _, d := range ds {
		out = append(out, d.ID)
	}
	return out
}

func TestClaimOrderAndLease(t *testing.T) {
	eachQueueDB(t, func(t *testing.T, db queueDB) {
		acc := db.addAccount(t, "900101300001", accPhone, "")
		// Written out of order: the claim goes by due time.
		e2 := mustAddEvent(t, db, notify.Event{AccountID: acc, Kind: "signin", CreatedAt: t0.Add(2 * time.Second)}, code(accPhone))
		e0 := mustAddEvent(t, db, notify.Event{AccountID: acc, Kind: "signin", CreatedAt: t0}, code(accPhone))
		e1 := mustAddEvent(t, db, notify.Event{AccountID: acc, Kind: "signin", CreatedAt: t0.Add(time.Second)}, code(accPhone))

		got := mustClaim(t, db, t0.Add(1500*time.Millisecond), 10)
		if len(got) != 2 {
			t.Fatalf("claimed %d deliveries, want the 2 that are due", len(got))
		}
		want := []notify.Delivery{code(accPhone), code(accPhone)}
		want[0].ID, want[0].EventID = got[0].ID, e0
		want[1].ID, want[1].EventID = got[1].ID, e1
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("claim mismatch (-want +got):\n%s", diff)
		}

		// Leased: nobody else gets them, only the one that came due.
		late := mustClaim(t, db, t0.Add(30*time.Second), 10)
		if len(late) != 1 || late[0].EventID != e2 {
			t.Fatalf("claim during the lease = %+v, want only the delivery of event %d", late, e2)
		}

		// The lease ran out: a crashed worker's deliveries are due again,
		// the oldest first, with their attempt counted.
		again := mustClaim(t, db, t0.Add(1500*time.Millisecond+time.Minute), 1)
		if diff := cmp.Diff([]int64{got[0].ID}, ids(again)); diff != "" {
			t.Errorf("claim after the lease mismatch (-want +got):\n%s", diff)
		}
		if again[0].Attempts != 1 {
			t.Errorf("attempts = %d, want 1 before this one", again[0].Attempts)
		}
		if r := db.row(t, got[0].ID); r.Status != "sending" {
			t.Errorf("status = %q, want sending", r.Status)
		}
	})
}

func TestDeliveredEmptiesData(t *testing.T) {
	eachQueueDB(t, func(t *testing.T, db queueDB) {
		ctx := context.Background()
		acc := db.addAccount(t, "900101300001", accPhone, "")
		mustAddEvent(t, db, notify.Event{AccountID: acc, Kind: "signin", CreatedAt: t0}, code(accPhone))
		d := mustClaim(t, db, t0, 1)[0]
		if d.Data.Code != "123456" {
			t.Fatalf("claimed data = %+v, want the code", d.Data)
		}

		if err := db.Delivered(ctx, d.ID, "msg-42", t0.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		r := db.row(t, d.ID)
		if r.Status != "delivered" || r.ProviderID != "msg-42" || !emptyData(r.Data) {
			t.Errorf("delivery = %+v, want delivered, msg-42 and no data", r)
		}

		// Finished: no outcome can be recorded again, and it is not due.
		if err := db.Delivered(ctx, d.ID, "msg-43", t0); !errors.Is(err, notify.ErrNotClaimed) {
			t.Errorf("Delivered again: err = %v, want ErrNotClaimed", err)
		}
		if err := db.Retry(ctx, 9999, "x", t0, t0); !errors.Is(err, notify.ErrNotClaimed) {
			t.Errorf("Retry of an unknown delivery: err = %v, want ErrNotClaimed", err)
		}
		if _, err := db.Fail(ctx, d.ID, "x", t0); !errors.Is(err, notify.ErrNotClaimed) {
			t.Errorf("Fail of a delivered one: err = %v, want ErrNotClaimed", err)
		}
		if ds := mustClaim(t, db, t0.Add(time.Hour), 10); len(ds) != 0 {
			t.Errorf("claimed %+v, want nothing", ds)
		}
	})
}

func TestRetry(t *testing.T) {
	eachQueueDB(t, func(t *testing.T, db queueDB) {
		acc := db.addAccount(t, "900101300001", accPhone, "")
		mustAddEvent(t, db, notify.Event{AccountID: acc, Kind: "signin", CreatedAt: t0}, code(accPhone))
		d := mustClaim(t, db, t0, 1)[0]

		long := strings.Repeat(" и так далее", 50)
		if err := db.Retry(context.Background(), d.ID, "send sms: temporary failure (status 503)"+long, t0.Add(time.Minute), t0); err != nil {
			t.Fatal(err)
		}
		r := db.row(t, d.ID)
		if r.Status != "temporary" || len(r.LastError) > 200 || !utf8.ValidString(r.LastError) || r.Data == "{}" {
			t.Errorf("delivery = %+v, want temporary, a short reason and the data kept", r)
		}

		if ds := mustClaim(t, db, t0.Add(59*time.Second), 1); len(ds) != 0 {
			t.Errorf("claimed %+v before its time", ds)
		}
		ds := mustClaim(t, db, t0.Add(time.Minute), 1)
		if len(ds) != 1 || ds[0].Attempts != 1 || ds[0].Data.Code != "123456" {
			t.Errorf("claimed %+v, want the delivery again, one attempt made, with its code", ds)
		}
	})
}

func TestFailQueuesFallback(t *testing.T) {
	tests := []struct {
		name      string
		email     string
		first     notify.Delivery
		also      []notify.Delivery // the event's other deliveries
		wantTo    string            // the fallback's recipient; "" for none
		wantFirst notify.Channel
	}{
		{
			name: "sms to the confirmed e-mail", email: accEmail,
			first: code(accPhone), wantTo: accEmail,
		},
		{
			name:  "sms without an e-mail",
			first: code(accPhone),
		},
		{
			name: "e-mail to the phone", email: accEmail,
			first: notify.Delivery{Channel: notify.Email, To: accEmail, Lang: i18n.KK,
				Message: notify.PasswordChanged},
			wantTo: accPhone,
		},
		{
			name: "e-mail only message", email: accEmail,
			first: notify.Delivery{Channel: notify.Email, To: accEmail, Lang: i18n.KK,
				Message: notify.EmailConfirm, Data: notify.Data{Link: "https://sakura.kz/x"}},
		},
		{
			name: "the event has a delivery on the other channel", email: accEmail,
			first: code(accPhone),
			also: []notify.Delivery{{Channel: notify.Email, To: accEmail, Lang: i18n.RU,
				Message: notify.SignInCode, Data: notify.Data{Code: "123456"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachQueueDB(t, func(t *testing.T, db queueDB) {
				ctx := context.Background()
				acc := db.addAccount(t, "900101300001", accPhone, tt.email)
				ev := mustAddEvent(t, db, notify.Event{AccountID: acc, Kind: "signin", CreatedAt: t0},
					append([]notify.Delivery{tt.first}, tt.also...)...)
				d := mustClaim(t, db, t0, 1)[0]

				fallback, err := db.Fail(ctx, d.ID, "send: permanent failure (status 400)", t0.Add(time.Second))
				if err != nil {
					t.Fatal(err)
				}
				if r := db.row(t, d.ID); r.Status != "permanent" || !emptyData(r.Data) || r.LastError == "" {
					t.Errorf("failed delivery = %+v, want permanent with a reason and no data", r)
				}
				if fallback != (tt.wantTo != "") {
					t.Fatalf("fallback = %v, want %v", fallback, tt.wantTo != "")
				}

				// The fallback is due at once; the event's other
				// deliveries were due already.
				next := mustClaim(t, db, t0.Add(time.Second), 10)
				if !fallback {
					if len(next) != len(tt.also) {
						t.Errorf("claimed %+v, want only the event's other deliveries", next)
					}
					return
				}
				if len(next) != 1 {
					t.Fatalf("claimed %d deliveries, want the fallback", len(next))
				}
				want := d
				want.ID, want.EventID, want.Attempts = next[0].ID, ev, 0
				want.Channel, want.To = next[0].Channel, tt.wantTo
				if want.Channel == d.Channel {
					t.Errorf("fallback on the same channel %s", d.Channel)
				}
				if diff := cmp.Diff(want, next[0]); diff != "" {
					t.Errorf("fallback mismatch (-want +got):\n%s", diff)
				}
				if r := db.row(t, next[0].ID); r.FallbackOf.Int64 != d.ID {
					t.Errorf("fallback_of = %v, want %d", r.FallbackOf, d.ID)
				}

				// When the fallback fails too, there is no third try: the
				// event has a delivery on either channel.
				fallback, err = db.Fail(ctx, next[0].ID, "send: permanent failure", t0.Add(2*time.Second))
				if err != nil || fallback {
					t.Errorf("Fail of the fallback = %v, %v; want no fallback", fallback, err)
				}
			})
		})
	}
}

func TestAddEventRefuses(t *testing.T) {
	eachQueueDB(t, func(t *testing.T, db queueDB) {
		ctx := context.Background()
		acc := db.addAccount(t, "900101300001", accPhone, accEmail)
		tests := []struct {
			name string
			ds   []notify.Delivery
		}{
			{"two on one channel", []notify.Delivery{code(accPhone), code("+77010000002")}},
			{"a message without that channel", []notify.Delivery{{Channel: notify.SMS, To: accPhone,
				Lang: i18n.KK, Message: notify.EmailConfirm}}},
			{"no recipient", []notify.Delivery{code("")}},
		}
		for _, tt := range tests {
			if _, err := db.AddEvent(ctx, notify.Event{AccountID: acc, Kind: "signin", CreatedAt: t0}, tt.ds); err == nil {
				t.Errorf("%s: AddEvent succeeded", tt.name)
			}
		}

		// Nothing of the refused events was kept.
		_, total, err := db.Feed(ctx, acc, 0, 10)
		if err != nil || total != 0 {
			t.Errorf("Feed: total = %d, %v; want no events", total, err)
		}
	})
}

func TestFeed(t *testing.T) {
	eachQueueDB(t, func(t *testing.T, db queueDB) {
		ctx := context.Background()
		acc := db.addAccount(t, "900101300001", accPhone, accEmail)
		other := db.addAccount(t, "900101300002", "+77010000002", "")
		mustAddEvent(t, db, notify.Event{AccountID: other, Kind: "signin", CreatedAt: t0}, code("+77010000002"))

		var evs []int64
		for i := range 5 {
			at := t0.Add(time.Duration(i) * time.Minute)
			var ds []notify.Delivery
			if i == 3 {
				ds = []notify.Delivery{
					{Channel: notify.Email, To: accEmail, Lang: i18n.KK, Message: notify.PasswordChanged},
					{Channel: notify.SMS, To: accPhone, Lang: i18n.KK, Message: notify.PasswordChanged},
				}
			}
			evs = append(evs, mustAddEvent(t, db, notify.Event{AccountID: acc, Kind: "password_changed",
				Data: map[string]string{"n": fmt.Sprint(i)}, CreatedAt: at}, ds...))
		}

		if n, err := db.Unread(ctx, acc); err != nil || n != 5 {
			t.Errorf("Unread = %d, %v; want 5", n, err)
		}
		if err := db.MarkRead(ctx, acc, evs[2], t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n, err := db.Unread(ctx, acc); err != nil || n != 2 {
			t.Errorf("Unread after MarkRead = %d, %v; want 2", n, err)
		}
		if n, err := db.Unread(ctx, other); err != nil || n != 1 {
			t.Errorf("Unread of the other account = %d, %v; want 1", n, err)
		}

		page, total, err := db.Feed(ctx, acc, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		if total != 5 {
			t.Errorf("total = %d, want 5", total)
		}
		at := t0.Add(3 * time.Minute)
		want := []notify.Event{
			{ID: evs[3], AccountID: acc, Kind: "password_changed", Data: map[string]string{"n": "3"},
				CreatedAt: at, Deliveries: []notify.DeliveryStatus{
					{Channel: notify.Email, To: "a***@mail.kz", Status: notify.StatusQueued, UpdatedAt: at},
					{Channel: notify.SMS, To: "+7701***0001", Status: notify.StatusQueued, UpdatedAt: at},
				}},
			{ID: evs[2], AccountID: acc, Kind: "password_changed", Data: map[string]string{"n": "2"},
				CreatedAt: t0.Add(2 * time.Minute), Read: true},
		}
		if diff := cmp.Diff(want, page); diff != "" {
			t.Errorf("feed mismatch (-want +got):\n%s", diff)
		}

		beyond, total, err := db.Feed(ctx, acc, 10, 2)
		if err != nil || len(beyond) != 0 || total != 5 {
			t.Errorf("Feed beyond the end = %v, %d, %v; want none of 5", beyond, total, err)
		}
	})
}

// TestClaimConcurrently has claimers of two pools, as two processes would
// be, race for 200 deliveries: each must be claimed exactly once.
func TestClaimConcurrently(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "sakura.db")
		claimRace(t, openQueueDB(t, path), openQueueDB(t, path))
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		claimRace(t, openQueueDB(t, dsn), openQueueDB(t, dsn))
	})
}

func claimRace(t *testing.T, a, b queueDB) {
	const total = 200
	acc := a.addAccount(t, "900101300001", accPhone, accEmail)
	for range total / 2 {
		mustAddEvent(t, a, notify.Event{AccountID: acc, Kind: "signin", CreatedAt: t0}, code(accPhone),
			notify.Delivery{Channel: notify.Email, To: accEmail, Lang: i18n.KK, Message: notify.SignInCode})
	}

	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		claims = map[int64]int{}
	)
	for i := range 8 {
		db := a
		if i%2 == 1 {
			db = b
		}
		wg.Go(func() {
			for {
				ds, err := db.Claim(context.Background(), t0, time.Hour, 7)
				if err != nil {
					t.Errorf("claim: %v", err)
					return
				}
				if len(ds) == 0 {
					return
				}
				mu.Lock()
				for _, d := range ds {
					claims[d.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()

	if len(claims) != total {
		t.Errorf("%d deliveries claimed, want %d", len(claims), total)
	}
	for id, n := range claims {
		if n != 1 {
			t.Errorf("delivery %d claimed %d times", id, n)
		}
	}
}

// TestReceipt: a gateway's receipt that a message it accepted never
// arrived makes the feed say so; other receipts change nothing.
func TestReceipt(t *testing.T) {
	eachQueueDB(t, func(t *testing.T, db queueDB) {
		ctx := context.Background()
		acc := db.addAccount(t, "900101300001", accPhone, "")
		mustAddEvent(t, db, notify.Event{AccountID: acc, Kind: "signin", CreatedAt: t0}, code(accPhone))
		mustAddEvent(t, db, notify.Event{AccountID: acc, Kind: "signin", CreatedAt: t0}, code(accPhone))
		ds := mustClaim(t, db, t0, 2)
		for i, d := range ds {
			if err := db.Delivered(ctx, d.ID, fmt.Sprintf("gw-%d", i), t0); err != nil {
				t.Fatal(err)
			}
		}

		for _, r := range []notify.Receipt{
			{MessageID: "gw-0", Status: notify.Failed},
			{MessageID: "gw-1", Status: notify.Delivered},
			{MessageID: "someone-else", Status: notify.Failed},
		} {
			if err := db.Receipt(ctx, r, t0.Add(time.Minute)); err != nil {
				t.Fatalf("receipt %+v: %v", r, err)
			}
		}
		if r := db.row(t, ds[0].ID); r.Status != "permanent" || r.LastError == "" {
			t.Errorf("failed receipt: delivery %+v, want permanent with a reason", r)
		}
		if r := db.row(t, ds[1].ID); r.Status != "delivered" {
			t.Errorf("delivered receipt: delivery %+v, want delivered", r)
		}
	})
}
