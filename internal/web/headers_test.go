package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"sakura/internal/web/webtest"
)

// TestSecurityHeaders checks the headers every kind of response carries.
func TestSecurityHeaders(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true})
	css := s.Get(t, "/kk/almaty/").Doc(t).Find(`link[rel="stylesheet"]`).AttrOr("href", "")
	if !regexp.MustCompile(`^/static/site\.[0-9a-f]{12}\.css$`).MatchString(css) {
		t.Fatalf("style sheet at %q, want a content-hashed path", css)
	}

	tests := []struct {
		name   string
		path   string
		status int
		cache  string
	}{
		{"page", "/kk/almaty/", 200, "no-store"},
		{"start page", "/", 200, "no-store"},
		{"not found", "/nowhere", 404, "no-store"},
		{"API", "/api/v1/cities", 200, "no-store"},
		{"API not found", "/api/v1/nowhere", 404, "no-store"},
		{"demo outbox", "/dev/outbox.json", 200, "no-store"},
		{"health", "/healthz", 200, "no-store"},
		{"style sheet", css, 200, "public, max-age=31536000, immutable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.Get(t, tt.path)
			if resp.Status != tt.status {
				t.Errorf("status %d, want %d", resp.Status, tt.status)
			}
			csp := resp.Header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "img-src 'self' data:"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP %q allows inline script or eval", csp)
			}
			for name, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "strict-origin-when-cross-origin",
				"X-Frame-Options":        "DENY",
				"Cache-Control":          tt.cache,
			} {
				if got := resp.Header.Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			if id := resp.Header.Get("X-Request-Id"); id == "" {
				t.Error("no X-Request-Id")
			}
		})
	}
}

func TestRequestID(t *testing.T) {
	s := webtest.Start(t, webtest.Options{})

	a, b := s.Get(t, "/healthz"), s.Get(t, "/healthz")
	if a.Header.Get("X-Request-Id") == b.Header.Get("X-Request-Id") {
		t.Error("two requests share an id")
	}

	tests := []struct {
		incoming string
		kept     bool
	}{
		{"lb-1234.abc_DEF", true},
		{"has space", false},
		{"<script>", false},
		{strings.Repeat("x", 65), false},
	}
	for _, tt := range tests {
		t.Run(tt.incoming, func(t *testing.T) {
			got := s.Get(t, "/healthz", "X-Request-Id", tt.incoming).Header.Get("X-Request-Id")
			if (got == tt.incoming) != tt.kept {
				t.Errorf("incoming id %q answered with %q; kept = %v, want %v",
					tt.incoming, got, got == tt.incoming, tt.kept)
			}
		})
	}
}

func TestStatic(t *testing.T) {
	s := webtest.Start(t, webtest.Options{})
	doc := s.Get(t, "/").Doc(t)
	css := doc.Find(`link[rel="stylesheet"]`).AttrOr("href", "")
	icon := doc.Find(`link[rel="icon"]`).AttrOr("href", "")

	tests := []struct {
		path  string
		ctype string
	}{
		{css, "text/css; charset=utf-8"},
		{icon, "image/svg+xml"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp := s.Get(t, tt.path)
			if resp.Status != 200 || resp.Header.Get("Content-Type") != tt.ctype || resp.Body == "" {
				t.Fatalf("GET %s = %d %q, %d bytes",
					tt.path, resp.Status, resp.Header.Get("Content-Type"), len(resp.Body))
			}

			etag := resp.Header.Get("ETag")
			again := s.Get(t, tt.path, "If-None-Match", etag)
			if again.Status != http.StatusNotModified {
				t.Errorf("If-None-Match %s: status %d, want 304", etag, again.Status)
			}
		})
	}

	// The style sheet has no third-party address and the pages no inline
	// style or script.
	if body := s.Get(t, css).Body; strings.Contains(body, "http://") || strings.Contains(body, "https://") ||
		strings.Contains(body, "@import") {
		t.Error("the style sheet loads something from elsewhere")
	}
	for _, path := range []string{"/", "/kk/almaty/", "/nowhere"} {
		doc := s.Get(t, path).Doc(t)
		if n := doc.Find("script, style, [style]").Length(); n > 0 {
			t.Errorf("%s has %d inline scripts or styles", path, n)
		}
	}
}

// TestHTTPSBehindProxy: when the portal is reached over HTTPS through a proxy
// that ends TLS, its public address says so: the browser is told to keep to
// HTTPS and every cookie is Secure. Reached over plain HTTP with no public
// address, neither.
func TestHTTPSBehindProxy(t *testing.T) {
	for _, tt := range []struct {
		name      string
		publicURL string
		https     bool
	}{
		{"public address https", "https://sakura.example.kz", true},
		{"public address http", "http://sakura.example.kz", false},
		{"no public address", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := webtest.Start(t, webtest.Options{Demo: true, PublicURL: tt.publicURL})
			page := s.Get(t, "/ru/almaty/")
			if got := page.Header.Get("Strict-Transport-Security"); (got != "") != tt.https {
				t.Errorf("Strict-Transport-Security = %q, want it set: %v", got, tt.https)
			}

			// The page sets the language and city cookies; starting an
			// application sets the draft's secret cookie.
			v := newVisitor(t, s)
			started := v.post(t, "/ru/almaty/apply/grade1", nil)
			if started.Status != http.StatusSeeOther {
				t.Fatalf("starting a draft: status %d", started.Status)
			}
			cookies := append(readCookies(page.Header), readCookies(started.Header)...)
			names := map[string]bool{}
			for _, c := range cookies {
				names[c.Name] = true
				if c.Secure != tt.https {
					t.Errorf("cookie %s: Secure %v, want %v", c.Name, c.Secure, tt.https)
				}
			}
			if len(names) < 3 {
				t.Errorf("cookies %v: want the language, the city and the draft's", names)
			}
		})
	}
}

func readCookies(h http.Header) []*http.Cookie {
	return (&http.Response{Header: h}).Cookies()
}
