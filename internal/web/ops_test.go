package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"sakura/internal/web/webtest"
)

func TestHealth(t *testing.T) {
	down := errors.New("database is down")
	tests := []struct {
		name   string
		ready  func(context.Context) error
		path   string
		status int
	}{
		{"healthz", nil, "/healthz", 200},
		{"readyz with the store up", nil, "/readyz", 200},
		{"healthz with the store down", func(context.Context) error { return down }, "/healthz", 200},
		{"readyz with the store down", func(context.Context) error { return down }, "/readyz", 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := webtest.Start(t, webtest.Options{Ready: tt.ready})
			if got := s.Get(t, tt.path).Status; got != tt.status {
				t.Errorf("GET %s = %d, want %d", tt.path, got, tt.status)
			}
		})
	}
}

func TestMetrics(t *testing.T) {
	s := webtest.Start(t, webtest.Options{})
	s.Get(t, "/kk/almaty/")
	s.Get(t, "/ru/astana/?iin=880412400101")
	s.Get(t, "/kk/nowhere/map")
	s.Get(t, "/no/such/path")

	body := s.Get(t, "/metrics").Body
	for _, want := range []string{
		`sakura_http_requests_total{method="GET",route="/{lang}/{city}/{$}",status="200"} 2`,
		`sakura_http_requests_total{method="GET",route="/{lang}/{city}/map",status="404"} 1`,
		`sakura_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`sakura_http_request_duration_seconds_bucket{method="GET",route="/{lang}/{city}/{$}",status="200",le="0.005"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, raw := range []string{"almaty", "astana", "880412400101", "/no/such"} {
		if strings.Contains(body, raw) {
			t.Errorf("/metrics holds the raw path part %q", raw)
		}
	}
}

// TestLogs checks the log lines: snake_case keys, the request id and route,
// the error renderer's levels, and no query string or path that could carry
// personal data.
func TestLogs(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Ready: func(context.Context) error { return errors.New("down") }})
	ok := s.Get(t, "/kk/almaty/?iin=880412400101&phone=77010000001")
	s.Get(t, "/kk/almaty/880412400101")
	s.Get(t, "/readyz")

	type line struct {
		Level   string `json:"level"`
		Msg     string `json:"msg"`
		Status  int    `json:"status"`
		Request struct {
			ID     string `json:"id"`
			Method string `json:"method"`
			Route  string `json:"route"`
		} `json:"request"`
	}
	logs := s.Logs()
	var lines []line
	for _, l := range strings.Split(strings.TrimSpace(logs), "\n") {
		var x line
		if err := json.Unmarshal([]byte(l), &x); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		lines = append(lines, x)
	}

	for _, secret := range []string{"880412400101", "77010000001", "iin=", "phone="} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs hold %q:\n%s", secret, logs)
		}
	}

	find := func(msg string, status int) *line {
		for i := range lines {
			if lines[i].Msg == msg && lines[i].Status == status {
				return &lines[i]
			}
		}
		t.Errorf("no %q line with status %d in:\n%s", msg, status, logs)
		return &line{}
	}
	l := find("http request", 200)
	if l.Request.ID != ok.Header.Get("X-Request-Id") || l.Request.Route != "/{lang}/{city}/{$}" {
		t.Errorf("request line %+v, want id %s and the route pattern", l, ok.Header.Get("X-Request-Id"))
	}
	if l := find("request failed", 404); l.Level != "INFO" || l.Request.Route != "unmatched" {
		t.Errorf("not-found line %+v, want INFO for an unmatched route", l)
	}
	if l := find("request failed", 503); l.Level != "ERROR" || l.Request.Route != "/readyz" {
		t.Errorf("readiness line %+v, want ERROR for /readyz", l)
	}
}
