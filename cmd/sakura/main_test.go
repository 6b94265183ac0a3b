package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/store/storetest"
)

func TestParseConfig(t *testing.T) {
	const (
		osm       = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
		osmCredit = `&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors`
		tiles     = "https://{s}.tiles.example.kz/{z}/{x}/{y}.png"
	)
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want config
	}{
		{"defaults", nil, nil, config{Addr: "127.0.0.1:8080", DB: "sakura.db", Tiles: osm, TilesAttribution: osmCredit, Files: "sakura-files"}},
		{"environment", nil,
			map[string]string{"SAKURA_ADDR": ":9000", "SAKURA_DB": "postgres://db/sakura", "SAKURA_DEMO": "true",
				"SAKURA_TILES": tiles, "SAKURA_TILES_ATTRIBUTION": "© Tiles", "SAKURA_FILES": "db"},
			config{Addr: ":9000", DB: "postgres://db/sakura", Demo: true, Tiles: tiles, TilesAttribution: "© Tiles", Files: "db"}},
		{"flags win over the environment", []string{"-addr", "127.0.0.1:7000", "-db", "x.db", "-demo=false",
			"-tiles", osm, "-tiles-attribution", "© OSM", "-files", "/var/lib/sakura/files"},
			map[string]string{"SAKURA_ADDR": ":9000", "SAKURA_DB": "y.db", "SAKURA_DEMO": "1", "SAKURA_TILES": tiles, "SAKURA_FILES": "db"},
			config{Addr: "127.0.0.1:7000", DB: "x.db", Tiles: osm, TilesAttribution: "© OSM", Files: "/var/lib/sakura/files"}},
		{"another tile server has no OpenStreetMap credit", []string{"-tiles", tiles}, nil,
			config{Addr: "127.0.0.1:8080", DB: "sakura.db", Tiles: tiles, Files: "sakura-files"}},
		{"metrics apart", []string{"-metrics-addr", "127.0.0.1:9100"}, map[string]string{"SAKURA_METRICS_ADDR": "127.0.0.1:9200"},
			config{Addr: "127.0.0.1:8080", DB: "sakura.db", Tiles: osm, TilesAttribution: osmCredit, Files: "sakura-files", MetricsAddr: "127.0.0.1:9100"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseConfig("serve", tt.args, func(k string) string { return tt.env[k] }, io.Discard, true)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("config mismatch (-want +got):\n%s", diff)
			}
		})
	}

	if _, err := parseConfig("serve", nil, func(string) string { return "maybe" }, io.Discard, true); err == nil {
		t.Error("SAKURA_DEMO=maybe was accepted")
	}
	for _, bad := range []string{"tiles.example.kz/{z}/{x}/{y}.png", "https://tiles.example.kz/{z}.png", "ftp://t/{z}/{x}/{y}"} {
		if _, err := parseConfig("serve", []string{"-tiles", bad}, func(string) string { return "" }, io.Discard, true); err == nil {
			t.Errorf("-tiles %q was accepted", bad)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	var stderr strings.Builder
	err := run(context.Background(), []string{"serv"}, func(string) string { return "" }, io.Discard, &stderr)
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr.String(), `unknown command "serv"`) {
		t.Errorf("run(serv) = %v, stderr %q; want usage", err, stderr.String())
	}
}

// TestServeDemo runs the binary's serve command in-process, as `sakura serve
// -demo` on an empty database of each engine, and checks what DESIGN §5
// promises other tools: health, the cities API, and a clean shutdown.
func TestServeDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the full demo")
	}
	dsns := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "sakura.db") },
		"postgres": func(t *testing.T) string { return storetest.PostgresDSN(t) },
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dsn := dsns[engine](t)
			base, stop := mustServe(t, "-addr", "127.0.0.1:0", "-db", dsn, "-demo")

			mustGet(t, base+"healthz", http.StatusOK)
			mustGet(t, base+"readyz", http.StatusOK)
			mustGet(t, base+"kk/almaty/", http.StatusOK)
			mustGet(t, base+"ru/shymkent/", http.StatusNotFound)

			var cities []struct {
				Slug      string            `json:"slug"`
				Name      map[string]string `json:"name"`
				Districts []json.RawMessage `json:"districts"`
			}
			if err := json.Unmarshal(mustGet(t, base+"api/v1/cities", http.StatusOK), &cities); err != nil {
				t.Fatalf("cities JSON: %v", err)
			}
			got := map[string]int{}
			for _, c := range cities {
				if c.Name["kk"] == "" || c.Name["ru"] == "" || c.Name["en"] == "" {
					t.Errorf("city %s lacks a name in some language: %v", c.Slug, c.Name)
				}
				got[c.Slug] = len(c.Districts)
			}
			if diff := cmp.Diff(map[string]int{"almaty": 8, "astana": 6}, got); diff != "" {
				t.Errorf("cities and their district counts (-want +got):\n%s", diff)
			}

			if err := stop(); err != nil {
				t.Errorf("serve after shutdown: %v", err)
			}

			// A second start on the same database keeps the data and does
			// not seed again.
			base, stop = mustServe(t, "-addr", "127.0.0.1:0", "-db", dsn, "-demo")
			mustGet(t, base+"api/v1/cities", http.StatusOK)
			if err := stop(); err != nil {
				t.Errorf("second serve: %v", err)
			}
		})
	}
}

// TestServeMetricsApart: with -metrics-addr, /metrics answers on that
// address only, and that address serves nothing of the portal.
func TestServeMetricsApart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := ln.Addr().String()
	ln.Close() // free again for serve; nothing else here takes ports

	base, stop := mustServe(t, "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "sakura.db"),
		"-metrics-addr", metricsAddr)
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("serve after shutdown: %v", err)
		}
	}()

	mustGet(t, base+"healthz", http.StatusOK)
	mustGet(t, base+"metrics", http.StatusNotFound)
	body := mustGet(t, "http://"+metricsAddr+"/metrics", http.StatusOK)
	if !strings.Contains(string(body), "go_goroutines") || !strings.Contains(string(body), "/healthz") {
		t.Errorf("metrics lack the process or the portal's requests:\n%.500s", body)
	}
	mustGet(t, "http://"+metricsAddr+"/healthz", http.StatusNotFound)
	mustGet(t, "http://"+metricsAddr+"/kk/", http.StatusNotFound)
}

// mustServe starts `sakura serve args…` and returns the printed address and
// a function that stops the server and returns serve's result.
func mustServe(t *testing.T, args ...string) (base string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"serve"}, args...), func(string) string { return "" }, pw, io.Discard)
		pw.CloseWithError(io.EOF)
		done <- err
	}()

	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		if _, url, ok := strings.Cut(lines.Text(), "open "); ok {
			base = url
			break
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("serve printed no address: %v", <-done)
	}
	go io.Copy(io.Discard, pr)

	return base, func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			return errors.New("serve did not stop within 30s")
		}
	}
}

func mustGet(t *testing.T, url string, status int) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	if resp.StatusCode != status {
		t.Fatalf("GET %s: status %d, want %d", url, resp.StatusCode, status)
	}
	return body
}
