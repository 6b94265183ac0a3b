// Package web is the portal's HTTP shell: the route table and the middleware
// around it, server-rendered pages in Kazakh, Russian and English, the JSON
// open-data API, the demo endpoints and the operations endpoints.
//
// Handlers return an error; one function, fail, turns every error into a
// status, a log line and a page in the visitor's language (or JSON under
// /api/). Templates and the catalogues are embedded and checked when New
// runs, so a broken template stops the start, never a request.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"sakura/internal/application"
	"sakura/internal/campaign"
	"sakura/internal/city"
	"sakura/internal/document"
	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/person"
	"sakura/internal/teacher"
)

// Config is everything the web shell depends on, given explicitly.
type Config struct {
	Cities  city.Store                  // cities and districts; required
	Schools SchoolRegistry              // the school registry; nil shows those pages as soon
	People  person.Store                // the demo person registry, served only in demo mode
	Outbox  notify.Outbox               // the demo outbox, served only in demo mode
	Ready   func(context.Context) error // readiness: is the database reachable; nil means always
	Demo    bool                        // show the demo banner and serve /dev/…
	Logger  *slog.Logger                // nil discards logs

	// Metrics is the registry /metrics serves and the HTTP metrics join. Nil
	// makes a fresh one with the Go and process collectors, so that tests can
	// build many servers; the default global registry is never used.
	Metrics *prometheus.Registry

	// Teachers is the teacher registry, kept in memory; nil shows its pages
	// as being built.
	Teachers teacher.Registry

	// Tiles is the tile server the maps draw on; an empty URL draws maps
	// without a background.
	Tiles Tiles

	// Places answers address suggestions and catchment questions from
	// per-city indexes in memory; nil shows the find-school page as soon.
	Places Places

	// Accounts and Feed run the personal cabinet; without them the
	// cabinet is shown as being built.
	Accounts Accounts
	Feed     Feed

	// Applications keeps drafts and applications, and Documents their
	// files; with Accounts they run the application wizards and the
	// cabinet's applications. Nil shows those as being built.
	Applications application.Store
	Documents    document.Store
	// Registry is the person registry the wizards check IINs against;
	// Campaigns gives a city's campaign of a year (nil: the model
	// rules' defaults); Now is the clock (nil: time.Now).
	Registry  person.Registry
	Campaigns campaign.Source
	Now       func() time.Time

	// Receipts, when set, takes the SMS gateway's delivery receipts at
	// POST /hooks/sms-receipt; it checks the gateway's secret itself.
	Receipts http.Handler

	// Staff, Admission and Office run the back office, the cabinet's
	// referrals and personal files, and the referrals' public check; all
	// three or none (the office is then shown as being built).
	Staff     Staff
	Admission Admission
	Office    OfficeStore
	// Changed is told after the back office changed a city's reference
	// data (a school's passport, its catchments), so that this process
	// rebuilds its in-memory indexes at once; the others notice the city's
	// data version. Nil: they wait for the next poll.
	Changed func(city string)

	// PublicURL is the portal's address as parents reach it, such as
	// https://sakura.example.kz, for links in messages; empty: the address
	// each request came to.
	PublicURL string
}

// server holds the dependencies of the handlers. Its methods are the handlers
// and the middleware; the receiver is h.
type server struct {
	cities  city.Store
	schools SchoolRegistry
	people  person.Store
	outbox  notify.Outbox
	ready   func(context.Context) error
	demo    bool
	log     *slog.Logger

	catalog   *i18n.Catalog
	templates *templates
	assets    *assets
	registry  *prometheus.Registry
	metrics   *metrics
	mux       *http.ServeMux

	teachers teacher.Registry
	places   Places
	tiles    Tiles

	accounts  Accounts
	feed      Feed
	apps      application.Store
	docs      document.Store
	uploads   chan struct{} // slots for checking uploads, each up to a few hundred MB
	persons   person.Registry
	campaigns campaign.Source
	now       func() time.Time
	receipts  http.Handler
	publicURL string

	staff     Staff
	admission Admission
	office    OfficeStore
	changed   func(city string)
	csp       string // the Content-Security-Policy of every response
}

// handlerFunc is a handler that returns its error to the one error renderer
// instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// New builds the portal's handler. It loads the catalogues, parses every
// template and reads the embedded assets first, and fails if any is missing
// or broken.
func New(cfg Config) (http.Handler, error) {
	h, err := newServer(cfg)
	if err != nil {
		return nil, err
	}
	return h.middleware(http.HandlerFunc(h.route)), nil
}

// newServer builds the server and its route table.
func newServer(cfg Config) (*server, error) {
	if cfg.Cities == nil {
		return nil, errors.New("web: Config.Cities is required")
	}
	if cfg.Demo && (cfg.People == nil || cfg.Outbox == nil) {
		return nil, errors.New("web: demo mode needs Config.People and Config.Outbox")
	}

	h := &server{
		cities:   cfg.Cities,
		schools:  cfg.Schools,
		people:   cfg.People,
		outbox:   cfg.Outbox,
		ready:    cfg.Ready,
		demo:     cfg.Demo,
		log:      cfg.Logger,
		registry: cfg.Metrics,
	}
	h.teachers, h.tiles = cfg.Teachers, cfg.Tiles
	h.places = cfg.Places
	if (cfg.Accounts == nil) != (cfg.Feed == nil) {
		return nil, errors.New("web: Config.Accounts and Config.Feed go together")
	}
	h.accounts, h.feed, h.publicURL = cfg.Accounts, cfg.Feed, strings.TrimSuffix(cfg.PublicURL, "/")
	h.receipts = cfg.Receipts
	if (cfg.Applications == nil) != (cfg.Documents == nil) || (cfg.Applications != nil && cfg.Accounts == nil) {
		return nil, errors.New("web: Config.Applications and Config.Documents go together, and need Config.Accounts")
	}
	h.apps, h.docs = cfg.Applications, cfg.Documents
	h.uploads = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))
	if h.apps != nil && cfg.Registry == nil {
		return nil, errors.New("web: Config.Applications needs Config.Registry")
	}
	h.persons, h.campaigns, h.now = cfg.Registry, cfg.Campaigns, cfg.Now
	if h.now == nil {
		h.now = time.Now
	}
	if h.campaigns == nil {
		h.campaigns = campaign.Defaults
	}
	h.staff, h.admission, h.office, h.changed = cfg.Staff, cfg.Admission, cfg.Office, cfg.Changed
	if (h.staff == nil) != (h.admission == nil) || (h.staff == nil) != (h.office == nil) || (h.staff != nil && h.apps == nil) {
		return nil, errors.New("web: Config.Staff, Admission and Office go together, and need Config.Applications")
	}
	origin := ""
	if h.tiles.URL != "" {
		var err error
		if origin, err = TileOrigin(h.tiles.URL); err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
	}
	h.csp = contentSecurityPolicyFor(origin)

	if h.ready == nil {
		h.ready = func(context.Context) error { return nil }
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.registry == nil {
		h.registry = prometheus.NewRegistry()
		h.registry.MustRegister(
			collectors.NewGoCollector(),
			collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		)
	}

	var err error
	if h.catalog, err = i18n.Load(); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if h.assets, err = loadAssets(staticFS); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if h.templates, err = parseTemplates(templateFS, h.catalog, h.assets.url); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if err = checkOpenAPI(); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if h.metrics, err = newMetrics(h.registry); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}

	h.mux = h.routes()
	return h, nil
}

// handle adapts a handlerFunc to http.Handler: its error goes to fail.
func (h *server) handle(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			h.fail(w, r, err)
		}
	})
}
