package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"sakura/internal/account"
	"sakura/internal/errs"
)

// TestFailRetryAfter: a full password pool answers 503 and a limit 429, each
// with Retry-After, so that a browser or a client knows when to come back.
func TestFailRetryAfter(t *testing.T) {
	h := MustServer(t, false)
	tests := []struct {
		err    error
		status int
		retry  string
	}{
		{fmt.Errorf("sign in: %w", account.ErrBusy), http.StatusServiceUnavailable, "2"},
		{&errs.Error{Kind: errs.TooMany, Key: "account.locked", RetryAfter: 29*time.Minute + 500*time.Millisecond,
			Args: map[string]any{"Count": 30}}, http.StatusTooManyRequests, "1741"},
		{fmt.Errorf("documents: %w", errUploadsBusy), http.StatusServiceUnavailable, "5"},
		{errs.ErrNotFound, http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.fail(rec, httptest.NewRequest(http.MethodPost, "/en/cabinet/signin", nil), tt.err)
		if rec.Code != tt.status || rec.Header().Get("Retry-After") != tt.retry {
			t.Errorf("%v: %d Retry-After %q, want %d %q", tt.err, rec.Code, rec.Header().Get("Retry-After"), tt.status, tt.retry)
		}
	}
}
