package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"sakura/internal/errs"
)

var (
	// errNoRoute is the answer to a path that matches no route.
	errNoRoute = fmt.Errorf("no route: %w", errs.ErrNotFound)

	// errMethodNotAllowed is the answer to a known path asked with a method
	// it does not take. The error kinds have no such kind: only the router
	// returns it.
	errMethodNotAllowed = errors.New("method not allowed")
)

// statuses maps each error kind to the status the visitor gets, and to the
// catalogue messages (prefix.title and prefix.text) that explain it. It is
// the one place that decides.
var statuses = map[errs.Kind]struct {
	status int
	prefix string
}{
	errs.Internal:        {http.StatusInternalServerError, "error.internal"},
	errs.NotFound:        {http.StatusNotFound, "error.not_found"},
	errs.Invalid:         {http.StatusBadRequest, "error.invalid"},
	errs.Conflict:        {http.StatusConflict, "error.conflict"},
	errs.Forbidden:       {http.StatusForbidden, "error.forbidden"},
	errs.Unauthenticated: {http.StatusUnauthorized, "error.unauthenticated"},
	errs.Unavailable:     {http.StatusServiceUnavailable, "error.unavailable"},
	errs.TooMany:         {http.StatusTooManyRequests, "error.too_many"},
}

// statusOf returns the status for err and the prefix of its catalogue
// messages.
func statusOf(err error) (int, string) {
	if errors.Is(err, errMethodNotAllowed) {
		return http.StatusMethodNotAllowed, "error.method"
	}
	s, ok := statuses[errs.KindOf(err)]
	if !ok {
		s = statuses[errs.Internal]
	}
	return s.status, s.prefix
}

// errorPage is what the error template shows.
type errorPage struct {
	Heading   string
	Text      string
	RequestID string // shown for our faults, to quote to support
}

// apiError is the body of an error under /api/.
type apiError struct {
	Error struct {
		Status    int    `json:"status"`
		Message   string `json:"message"`
		RequestID string `json:"request_id"`
	} `json:"error"`
}

// fail is the one error renderer. It logs err (5xx at Error, other 4xx at
// Warn, 404 at Info), then answers with its status: a page in the visitor's
// language, or JSON under /api/. A message key the error carries is safe to
// show and replaces the generic text; the error's detail never is shown.
func (h *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, prefix := statusOf(err)

	level := slog.LevelWarn
	switch {
	case status >= 500:
		level = slog.LevelError
	case status == http.StatusNotFound:
		level = slog.LevelInfo
	}
	h.log.LogAttrs(r.Context(), level, "request failed",
		requestAttrs(r), slog.Int("status", status), slog.Any("error", err))

	setRetryAfter(w, errs.RetryAfterOf(err))
	lang := h.visitorLang(r)
	tr := h.catalog.Translator(lang)
	data := errorPage{Heading: tr.T(prefix + ".title"), Text: tr.T(prefix + ".text")}
	var e *errs.Error
	keyed := errors.As(err, &e) && e.Key != ""
	if keyed {
		data.Text = tr.Message(e.Key, e.Args)
	}
	if status >= 500 {
		data.RequestID = infoOf(r.Context()).id
	}

	if strings.HasPrefix(r.URL.Path, "/api/") {
		var body apiError
		body.Error.Status = status
		body.Error.Message = data.Heading
		if keyed {
			body.Error.Message = data.Text
		}
		body.Error.RequestID = infoOf(r.Context()).id
		if err := writeJSON(w, status, body); err != nil {
			h.log.LogAttrs(r.Context(), slog.LevelError, "write error",
				requestAttrs(r), slog.Any("error", err))
		}
		return
	}

	w.Header().Set("Vary", "Cookie, Accept-Language")
	p := h.newPage(r, lang, data.Heading, h.rememberedCity(r))
	p.Data = data
	if err := h.render(w, status, "error", p); err != nil {
		h.log.LogAttrs(r.Context(), slog.LevelError, "render error page",
			requestAttrs(r), slog.Any("error", err))
		http.Error(w, data.Heading, status)
	}
}
