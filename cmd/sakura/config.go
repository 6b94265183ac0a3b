package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
)

// Defaults when neither a flag nor the environment says otherwise.
const (
	defaultAddr = "127.0.0.1:8080"
	defaultDB   = "sakura.db"
)

// config is the settings of sakura serve and sakura migrate.
type config struct {
	Addr string // where to listen
	DB   string // a SQLite file path or a postgres:// URL
	Demo bool   // seed the demo cities and turn on the demo outbox
}

// parseConfig reads the settings from the environment, then from the flags,
// which win.
func parseConfig(name string, args []string, getenv func(string) string, stderr io.Writer, withServe bool) (config, error) {
	c := config{Addr: defaultAddr, DB: defaultDB}
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

	fs := flag.NewFlagSet("sakura "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.DB, "db", c.DB, "database: a SQLite file path or a postgres:// URL (SAKURA_DB)")
	if withServe {
		fs.StringVar(&c.Addr, "addr", c.Addr, "listen address HOST:PORT (SAKURA_ADDR)")
		fs.BoolVar(&c.Demo, "demo", c.Demo, "seed the demo cities into an empty database and turn on the demo outbox (SAKURA_DEMO)")
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	return c, nil
}
