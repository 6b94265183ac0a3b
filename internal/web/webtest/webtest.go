// Package webtest runs the whole portal for tests: the full web handler over
// a real store on a temporary SQLite file, served by httptest on a free
// 127.0.0.1 port, with helpers to send requests and read the HTML by CSS
// selector, and a headless Chromium with axe-core to drive and check pages
// as a person's browser would.
//
// Chromium and the axe-core package are outside Go: when one is missing the
// test is skipped with the reason, except with CI=true, where it fails.
package webtest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/prometheus/client_golang/prometheus"

	"sakura/internal/account"
	"sakura/internal/admission"
	"sakura/internal/campaign"
	"sakura/internal/catchment"
	"sakura/internal/dataset"
	"sakura/internal/demo"
	"sakura/internal/document"
	"sakura/internal/notify"
	"sakura/internal/school"
	"sakura/internal/staff"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
	"sakura/internal/teacher"
	"sakura/internal/web"
)

// Options say how Start builds the portal.
type Options struct {
	Demo   bool                        // demo mode: banner and /dev/…
	Ready  func(context.Context) error // readiness; nil: the store's Ping
	Cities []dataset.City              // seeded into the store; nil: Cities()

	// Hasher hashes the cabinet's passwords; nil: a cheap one with four
	// slots, so that tests run fast (the production cost is measured by
	// the account package's benchmarks).
	Hasher *account.Hasher

	// Campaigns gives a city's campaign; nil: the store, which holds the
	// demo's campaign of every city, open today.
	Campaigns campaign.Source

	// Now is the clock of the wizards, the back office and admission; nil:
	// time.Now.
	Now func() time.Time

	// PublicURL is the portal's address as parents reach it; empty: the
	// test server's.
	PublicURL string
}

// CheapParams are argon2id parameters for tests: far too cheap for
// production, where account.DefaultParams hold.
var CheapParams = account.Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// TilesURL is the tile server of the portal Start runs: OpenStreetMap's,
// which the test machine cannot reach, so maps meet failing tiles.
const TilesURL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

// Server is the running portal.
type Server struct {
	URL     string               // http://127.0.0.1:port, no trailing slash
	DB      *store.DB            // the real store behind it
	Metrics *prometheus.Registry // the registry /metrics serves
	Client  *http.Client         // follows no redirect and keeps no cookie

	Accounts  *account.Service   // the cabinet's accounts
	Worker    *notify.Worker     // sends the cabinet's messages to the outbox
	Documents document.Store     // the files of applications; DB keeps the applications
	Staff     *staff.Service     // the back office's accounts
	Admission *admission.Service // decisions, the quota queue and referral expiry

	logs *syncBuffer
}

// Start runs the portal for the test and stops it at cleanup.
func Start(tb testing.TB, opts Options) *Server {
	tb.Helper()
	db := storetest.SQLite(tb)
	cities := opts.Cities
	if cities == nil {
		cities = Cities()
	}
	for _, c := range cities {
		if err := db.SeedCity(context.Background(), c); err != nil {
			tb.Fatalf("seed %s: %v", c.City.Slug, err)
		}
		if err := db.SaveCampaign(context.Background(), demo.Campaign(c.City.Slug),
			staff.AuditEntry{At: time.Now(), Actor: "demo", City: c.City.Slug, Action: "campaign.save"}); err != nil {
			tb.Fatalf("campaign of %s: %v", c.City.Slug, err)
		}
	}

	ready := opts.Ready
	if ready == nil {
		ready = db.Ping
	}
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	reg := prometheus.NewRegistry()

	// The cabinet, with a worker that delivers every message to the outbox
	// as the demo does.
	messages, err := notify.NewTemplates()
	if err != nil {
		tb.Fatal(err)
	}
	outbox := notify.OutboxSender{Outbox: db}
	worker := &notify.Worker{Queue: db, Templates: messages, Log: logger,
		Senders: map[notify.Channel]notify.Sender{notify.SMS: outbox, notify.Email: outbox}}
	hasher := opts.Hasher
	if hasher == nil {
		hasher = account.NewHasher(CheapParams, 4)
	}
	accounts := account.New(account.Config{Store: db, People: db, Hasher: hasher, Queued: worker.Wake})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = worker.Run(ctx)
	}()
	tb.Cleanup(func() { stop(); <-done })

	docs := document.FS{Dir: tb.TempDir()}
	var campaigns campaign.Source = db
	if opts.Campaigns != nil {
		campaigns = opts.Campaigns
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	staffSvc := staff.New(staff.Config{Store: db, Hasher: hasher, Now: now})
	admissions := admission.New(admission.Config{Store: db, Now: now, Queued: worker.Wake})
	schools := school.NewService(db, demo.Today)
	places := catchment.NewFinder(db, demo.Today)
	h, err := web.New(web.Config{
		Cities:  db,
		Schools: schools,
		Places:  places,
		People:  db,
		Outbox:  db,
		Ready:   ready,
		Demo:    opts.Demo,
		Logger:  logger,
		Metrics: reg,

		Accounts: accounts,
		Feed:     db,

		Applications: db,
		Documents:    docs,
		Registry:     db,
		Campaigns:    campaigns,
		Now:          now,

		Staff:     staffSvc,
		Admission: admissions,
		Office:    db,
		// As serve's refresher does when a city's data version moves.
		Changed: func(city string) {
			schools.Invalidate(city)
			places.Invalidate(city)
		},

		Teachers:  teacher.NewIndex(db),
		Tiles:     web.Tiles{URL: TilesURL, Attribution: "© OpenStreetMap"},
		PublicURL: opts.PublicURL,
	})
	if err != nil {
		tb.Fatalf("web.New: %v", err)
	}

	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return &Server{
		URL:     srv.URL,
		DB:      db,
		Metrics: reg,
		Client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}},
		Accounts:  accounts,
		Worker:    worker,
		Documents: docs,
		Staff:     staffSvc,
		Admission: admissions,
		logs:      logs,
	}
}

// Logs returns what the portal has logged so far, one JSON object a line.
func (s *Server) Logs() string {
	return s.logs.String()
}

// Response is an answer with its body read.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// Get sends GET path to the portal, with headers given as name, value
// pairs, and returns the answer without following a redirect.
func (s *Server) Get(tb testing.TB, path string, header ...string) *Response {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	return s.Do(tb, req)
}

// Do sends req and returns the answer without following a redirect.
func (s *Server) Do(tb testing.TB, req *http.Request) *Response {
	tb.Helper()
	resp, err := s.Client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s %s: read body: %v", req.Method, req.URL.Path, err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}
}

// Doc parses the body as HTML, for assertions by CSS selector.
func (r *Response) Doc(tb testing.TB) *goquery.Document {
	tb.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(r.Body))
	if err != nil {
		tb.Fatalf("parse HTML: %v", err)
	}
	return doc
}

// Cookie returns the value of the cookie the answer sets, or "".
func (r *Response) Cookie(name string) string {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// unavailable skips the test for a missing tool outside Go, or fails it when
// CI=true: CI must run every test.
func unavailable(tb testing.TB, format string, args ...any) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf(format, args...)
	}
	tb.Skipf(format, args...)
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
