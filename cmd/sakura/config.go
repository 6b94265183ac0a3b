package main

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"strconv"

	"sakura/internal/web"
)

// Defaults when neither a flag nor the environment says otherwise.
const (
	defaultAddr = "127.0.0.1:8080"
	defaultDB   = "sakura.db"
	// defaultFiles keeps uploaded documents beside the default database.
	defaultFiles = "sakura-files"

	// The map tiles of OpenStreetMap, and the attribution their licence
	// asks for.
	defaultTiles            = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
	defaultTilesAttribution = `&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors`
)

// config is the settings of sakura serve and sakura migrate.
type config struct {
	Addr string // where to listen
	DB   string // a SQLite file path or a postgres:// URL
	Demo bool   // seed the demo cities and turn on the demo outbox

	Tiles            string // the map tile server's URL template, {z}/{x}/{y}
	TilesAttribution string // the HTML credit the tile server asks for

	PublicURL string // the portal's address for links in messages
	Files     string // a directory for uploaded documents, or "db"

	// MetricsAddr, when set, is where /metrics is served instead of on
	// Addr, so that the public listener does not show it.
	MetricsAddr string
}

// parseConfig reads the settings from the environment, then from the flags,
// which win.
func parseConfig(name string, args []string, getenv func(string) string, stderr io.Writer, withServe bool) (config, error) {
	c := config{Addr: defaultAddr, DB: defaultDB, Tiles: defaultTiles}
	if v := getenv("SAKURA_ADDR"); v != "" {
		c.Addr = v
	}
	if v := getenv("SAKURA_DB"); v != "" {
		c.DB = v
	}
	if v := getenv("SAKURA_DEMO"); v != "" {
		demo, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("SAKURA_DEMO=%q: want true or false", v)
		}
		c.Demo = demo
	}
	if v := getenv("SAKURA_TILES"); v != "" {
		c.Tiles = v
	}
	c.TilesAttribution = getenv("SAKURA_TILES_ATTRIBUTION")
	c.PublicURL = getenv("SAKURA_PUBLIC_URL")
	c.MetricsAddr = getenv("SAKURA_METRICS_ADDR")
	c.Files = defaultFiles
	if v := getenv("SAKURA_FILES"); v != "" {
		c.Files = v
	}

	fs := flag.NewFlagSet("sakura "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.DB, "db", c.DB, "database: a SQLite file path or a postgres:// URL (SAKURA_DB)")
	if withServe {
		fs.StringVar(&c.Addr, "addr", c.Addr, "listen address HOST:PORT (SAKURA_ADDR)")
		fs.BoolVar(&c.Demo, "demo", c.Demo, "seed the demo cities into an empty database and turn on the demo outbox (SAKURA_DEMO)")
		fs.StringVar(&c.Tiles, "tiles", c.Tiles, "map tile server URL template with {z}, {x} and {y} (SAKURA_TILES)")
		fs.StringVar(&c.TilesAttribution, "tiles-attribution", c.TilesAttribution,
			"the tile server's credit, HTML; OpenStreetMap's for its default (SAKURA_TILES_ATTRIBUTION)")
		fs.StringVar(&c.Files, "files", c.Files,
			"where uploaded documents are kept: a directory outside any web root, or db for the database, which several machines share (SAKURA_FILES)")
		fs.StringVar(&c.PublicURL, "public-url", c.PublicURL,
			"the portal's address as parents reach it, for links in e-mail, such as https://sakura.example.kz (SAKURA_PUBLIC_URL)")
		fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr,
			"serve /metrics on this HOST:PORT only, not on -addr (SAKURA_METRICS_ADDR)")
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}

	if !withServe {
		c.Tiles = ""
		return c, nil
	}
	if _, err := web.TileOrigin(c.Tiles); err != nil {
		return c, fmt.Errorf("-tiles: %w", err)
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return c, fmt.Errorf("-public-url %q: want http(s)://host[:port]", c.PublicURL)
		}
	}
	if c.TilesAttribution == "" && c.Tiles == defaultTiles {
		c.TilesAttribution = defaultTilesAttribution
	}
	return c, nil
}
