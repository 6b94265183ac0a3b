package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"sakura/internal/errs"
)

// requestInfo is what the middleware learns about a request for the log
// lines and the error page: its id and the route pattern it matched.
type requestInfo struct {
	id    string
	route string // the pattern without its method, or unmatched
}

// unmatched is the route of a request that matches no pattern.
const unmatched = "unmatched"

type requestInfoKey struct{}

// infoOf returns the request's requestInfo; outside the middleware it is empty.
func infoOf(ctx context.Context) *requestInfo {
	if ri, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return ri
	}
	return &requestInfo{route: unmatched}
}

// requestAttrs groups the attributes of r that are safe to log: never the
// raw path or the query, which could carry an IIN or a phone number.
func requestAttrs(r *http.Request) slog.Attr {
	ri := infoOf(r.Context())
	return slog.Group("request",
		slog.String("id", ri.id),
		slog.String("method", methodLabel(r.Method)),
		slog.String("route", ri.route),
	)
}

// requestID gives every request an id, in its context and in the
// X-Request-Id response header. An id a proxy in front already set is kept
// when it looks like one.
func (h *server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = rand.Text()
		}
		w.Header().Set("X-Request-Id", id)

		ri := &requestInfo{id: id, route: unmatched}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, ri)))
	})
}

// validRequestID accepts 1 to 64 letters, digits, dots, dashes and underscores.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

// observe finds the route pattern of the request (for route, too), then logs
// and counts the response by that pattern, its method and its status.
func (h *server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ri := infoOf(r.Context())
		if _, pattern := h.mux.Handler(r); pattern != "" {
			_, ri.route, _ = strings.Cut(pattern, " ")
		}

		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)

		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		took := time.Since(start)
		h.metrics.observe(ri.route, methodLabel(r.Method), status, took)

		// Probes and scrapes come every few seconds: Debug keeps them quiet.
		level := slog.LevelInfo
		switch ri.route {
		case "/healthz", "/readyz", "/metrics":
			level = slog.LevelDebug
		}
		h.log.LogAttrs(r.Context(), level, "http request",
			requestAttrs(r),
			slog.Int("status", status),
			slog.Int64("bytes", sw.bytes),
			slog.Float64("duration_ms", float64(took.Microseconds())/1000),
		)
	})
}

// methodLabel keeps the method label of logs and metrics to a known set.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}

// secure sets the security headers of every response. Pages may carry
// personal data, so nothing is cached unless a handler says otherwise, as the
// static assets do.
func (h *server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", h.csp) // no inline script or style, no framing
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), payment=(), usb=()")
		hd.Set("Cache-Control", "no-store")
		if h.overHTTPS(r) {
			// A year, for this host only: the department's other hosts
			// may not all speak HTTPS.
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic in a handler into a 500 page. http.ErrAbortHandler
// is let through: it is how a handler aborts a response on purpose.
func (h *server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.fail(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
		}()
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses cross-origin unsafe requests (a POST from another
// site) with Go's CrossOriginProtection, on every route.
func (h *server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(h.handle(func(w http.ResponseWriter, r *http.Request) error {
		return &errs.Error{Kind: errs.Forbidden, Key: "error.cross_origin"}
	}))
	return cop.Handler(next)
}

// overHTTPS reports whether the visitor reached the portal over HTTPS: the
// request came over TLS, or the portal's public address is an https one,
// as behind a proxy that ends TLS. Cookies are Secure then, and the
// browser is told to keep to HTTPS.
func (h *server) overHTTPS(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(h.publicURL, "https://")
}

// baseURL is the portal's address for links in messages and QR codes: the
// configured public URL, or the address the request came to.
func (h *server) baseURL(r *http.Request) string {
	if h.publicURL != "" {
		return h.publicURL
	}
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}
