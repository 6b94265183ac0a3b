package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"time"

	"sakura/internal/account"
	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/catchment"
	"sakura/internal/city"
	"sakura/internal/dataset"
	"sakura/internal/demo"
	"sakura/internal/document"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/school"
	"sakura/internal/staff"
	"sakura/internal/store"
	"sakura/internal/teacher"
	"sakura/internal/web"
)

// serve runs the portal until ctx is cancelled, then lets requests in
// flight finish.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseConfig("serve", args, getenv, stderr, true)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

	// The database: open, migrate, and in demo mode seed an empty one.
	db, err := store.Open(ctx, c.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	// The back office's accounts share the cabinet's hasher (below).
	hasher := account.NewHasher(account.DefaultParams, 2*runtime.GOMAXPROCS(0))
	staffSvc := staff.New(staff.Config{Store: db, Hasher: hasher})
	if c.Demo {
		if err := seedDemo(ctx, db, staffSvc, logger); err != nil {
			return err
		}
	}

	// The in-memory indexes of the public pages. The school year (which
	// catchments are in force) follows the clock; the demo's catchments are
	// those of its own reference year.
	var clock func() time.Time
	if c.Demo {
		clock = demo.Today
	}
	cities := city.NewDirectory(db)
	schools := school.NewService(db, clock)
	teachers := teacher.NewIndex(db)
	places := catchment.NewFinder(db, clock)

	// The cabinet: accounts on the person registry, messages sent by a
	// worker from the deliveries the account changes queue in their own
	// transactions.
	gw, err := readGateways(getenv)
	if err != nil {
		return err
	}
	people, err := registry(gw, db)
	if err != nil {
		return err
	}
	send, err := senders(c.Demo, gw, db, logger)
	if err != nil {
		return err
	}
	messages, err := notify.NewTemplates()
	if err != nil {
		return err
	}
	hooks, err := receipts(gw, db, logger)
	if err != nil {
		return err
	}
	worker := &notify.Worker{Queue: db, Senders: send, Templates: messages, Log: logger}
	accounts := account.New(account.Config{
		Store:  db,
		People: people,
		// Two password checks per processor at a time: a short queue on
		// the processors rather than a refusal, and at most 40 MiB a
		// processor; a flood beyond that is answered 503 at once.
		Hasher: hasher,
		Queued: worker.Wake,
	})
	// Decisions of the back office tell parents through the same worker;
	// every process lets referrals expire.
	admissions := admission.New(admission.Config{Store: db, Queued: worker.Wake})

	// Applications: drafts and applications in the store, their files in
	// a directory or the database, the campaign of the model rules (the
	// demo's opens early, so that it can be tried today).
	var docs document.Store = document.FS{Dir: c.Files}
	if c.Files == "db" {
		docs = db.Blobs()
	}

	// The indexes follow the cities' data versions (see below); a change
	// the back office makes here is picked up at once.
	refresh := newRefresher(db.DataVersions, refreshEvery, logger, cities, schools, teachers, places)
	handler, err := web.New(web.Config{
		Cities:   cities,
		Schools:  schools,
		Teachers: teachers,
		Places:   places,
		People:   db,
		Outbox:   db,
		Ready:    db.Ping,
		Demo:     c.Demo,
		Logger:   logger,
		Tiles:    web.Tiles{URL: c.Tiles, Attribution: c.TilesAttribution},

		Accounts: accounts,
		Feed:     db,
		Receipts: hooks,

		Applications: db,
		Documents:    docs,
		Registry:     people,
		Campaigns:    db,
		PublicURL:    c.PublicURL,

		Staff:     staffSvc,
		Admission: admissions,
		Office:    db,
		Changed:   func(string) { refresh.check(ctx) },
	})
	if err != nil {
		return err
	}

	// The indexes are built for every city in the background while the
	// server starts answering (a request that comes first waits for its
	// city's build), and rebuilt when an import, here or in another
	// process, bumps a city's data version.
	all, err := cities.Cities(ctx)
	if err != nil {
		return err
	}
	slugs := make([]string, 0, len(all))
	for _, ct := range all {
		slugs = append(slugs, ct.Slug)
	}
	go refresh.run(ctx, slugs)

	workerDone := make(chan struct{})
	go func() {
		defer close(workerDone)
		if err := worker.Run(ctx); err != nil {
			logger.Error("notification worker stopped", slog.Any("error", err))
		}
	}()
	defer func() { <-workerDone }()
	go purge(ctx, accounts, logger)
	go admissions.Run(ctx, expireEvery, func(n int, err error) {
		if err != nil {
			logger.Error("admission jobs (expiry, reminders)", slog.Any("error", err))
			return
		}
		logger.Info("referrals expired", slog.Int("referrals", n))
	})

	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	var metricsSrv *http.Server
	if c.MetricsAddr != "" {
		mln, err := net.Listen("tcp", c.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("-metrics-addr: %w", err)
		}
		handler, metricsSrv = metricsApart(handler, mln, logger)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second, // uploads of a few MB on a slow phone
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("serving", "addr", ln.Addr().String(), "dialect", string(db.Dialect()), "demo", c.Demo)
	fmt.Fprintf(stdout, "Sakura is running: open %s\n", openURL(ln.Addr()))

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}

	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if metricsSrv != nil {
		_ = metricsSrv.Shutdown(shutdownCtx) // nothing of a parent's is lost with it
	}
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// metricsApart serves the portal's /metrics on a listener of its own and
// returns the portal without it (404), with that listener's server. The
// metrics still pass through the portal's handler, so its requests are
// counted and logged like any other.
func metricsApart(portal http.Handler, ln net.Listener, logger *slog.Logger) (http.Handler, *http.Server) {
	metrics := http.NewServeMux()
	metrics.Handle("GET /metrics", portal)
	srv := &http.Server{
		Handler:           metrics,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics listener stopped", slog.Any("error", err))
		}
	}()
	logger.Info("serving metrics", "addr", ln.Addr().String())

	public := http.NewServeMux()
	public.Handle("/metrics", http.NotFoundHandler())
	public.Handle("/", portal)
	return public, srv
}

// seedDemo fills an empty database with the demo cities. A database that
// already holds a city is left alone, and a city another process is seeding
// at the same moment is left to that process.
func seedDemo(ctx context.Context, db *store.DB, staffSvc *staff.Service, logger *slog.Logger) error {
	cities, err := db.Cities(ctx)
	if err != nil {
		return err
	}
	if len(cities) > 0 {
		return nil
	}

	start := time.Now()
	all := demo.Cities()
	for _, d := range all {
		err := db.SeedCity(ctx, d)
		if errors.Is(err, errs.ErrConflict) {
			continue
		}
		if err != nil {
			return err
		}
		audit := func(action string) staff.AuditEntry {
			return staff.AuditEntry{At: time.Now(), Actor: "demo", City: d.City.Slug, Action: action}
		}
		for _, c := range demo.Campaigns(d.City.Slug) {
			if err := db.SaveCampaign(ctx, c, audit("campaign.save")); err != nil {
				return err
			}
		}
		for _, c := range demo.Camps(d.City.Slug) {
			id, err := db.SaveCamp(ctx, c, audit("camp.save"))
			if err != nil {
				return err
			}
			for _, sh := range c.Shifts {
				sh.CampID = id
				if _, err := db.SaveShift(ctx, d.City.Slug, sh, audit("shift.save")); err != nil {
					return err
				}
			}
		}
		logger.Info("demo city seeded", "city", d.City.Slug, "schools", len(d.Schools),
			"buildings", len(d.Buildings), "people", len(d.People))
	}
	n, err := staffSvc.Seed(ctx, demo.Staff(all), demo.StaffPassword)
	if err != nil {
		return err
	}
	filed := 0
	for _, d := range all {
		k, err := seedDemoApplications(ctx, db, d)
		if err != nil {
			return err
		}
		filed += k
	}
	logger.Info("demo ready", "took", time.Since(start).Round(time.Millisecond), "staff", n, "applications", filed)
	return nil
}

// demoApplications is how many grade-1 applications the demo files in
// each city at its start, for the back office's queues.
const demoApplications = 12

// seedDemoApplications files the demo's applications of a city, each
// parent's account made as the first sign-in makes it; it returns how many
// it filed. A second start files none again.
func seedDemoApplications(ctx context.Context, db *store.DB, d dataset.City) (int, error) {
	filed := 0
	for i, a := range demo.Applications(d, demoApplications) {
		var acc int64
		err := db.Tx(ctx, func(tx account.Tx) error {
			got, err := tx.AccountByIIN(ctx, a.Parent.IIN)
			if err == nil {
				acc = got.ID
				return nil
			}
			if !errors.Is(err, errs.ErrNotFound) {
				return err
			}
			acc, err = tx.CreateAccount(ctx, account.Account{IIN: a.Parent.IIN, Phone: a.Parent.Phone, Lang: i18n.RU,
				NotifySMS: true, CreatedAt: a.At})
			return err
		})
		if err != nil {
			return filed, fmt.Errorf("demo applications: %w", err)
		}
		draft := application.Draft{ID: fmt.Sprintf("demo-%s-%02d", d.City.Slug, i+1), City: d.City.Slug,
			Kind: application.Grade1, AccountID: acc, Answers: a.Answers, CreatedAt: a.At, UpdatedAt: a.At}
		if err := db.SaveDraft(ctx, draft); errors.Is(err, errs.ErrConflict) {
			continue // filed at an earlier start
		} else if err != nil {
			return filed, fmt.Errorf("demo applications: %w", err)
		}
		_, created, err := db.Submit(ctx, application.Submission{DraftID: draft.ID, City: d.City.Slug,
			CityCode: application.CityCode(d.City.Slug), Kind: application.Grade1, Year: demo.Campaign(d.City.Slug).Year,
			Basis: a.Answers.Basis, Account: acc, Child: a.Answers.ChildKey(), SchoolID: a.Answers.SchoolID,
			Answers: a.Answers, At: a.At, Event: notify.Event{Kind: "application_submitted"}})
		if err != nil {
			return filed, fmt.Errorf("demo applications: %w", err)
		}
		if created {
			filed++
		}
	}
	return filed, nil
}

// expireEvery is how often each process reminds parents whose meals end
// and lets referrals past their end expire.
const expireEvery = time.Minute

// openURL is the address a person opens in a browser: a listener on every
// interface is reached through localhost.
func openURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + "/"
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

// purgeEvery is how often expired codes, attempts and sessions are deleted.
const purgeEvery = 10 * time.Minute

// purge deletes the account rows that no rule needs any more, now and then,
// until ctx ends. Every process does it; they do not get in each other's way.
func purge(ctx context.Context, accounts *account.Service, logger *slog.Logger) {
	t := time.NewTicker(purgeEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := accounts.Purge(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			logger.Error("purge expired account rows", slog.Any("error", err))
		case n > 0:
			logger.Debug("expired account rows purged", slog.Int("rows", n))
		}
	}
}
