package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"sakura/internal/errs"
)

// readyTimeout bounds the readiness check, so a hung database answers 503
// before the prober gives up.
const readyTimeout = 2 * time.Second

// healthz answers 200 while the process can serve.
func (h *server) healthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "ok\n")
	return nil
}

// readyz answers 200 when the database is reachable, and 503 (through the
// error renderer) when it is not.
func (h *server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := h.ready(ctx); err != nil {
		return &errs.Error{Kind: errs.Unavailable, Err: fmt.Errorf("readiness: %w", err)}
	}

	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "ready\n")
	return nil
}
