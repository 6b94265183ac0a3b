package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/notify"
)

const phone = "+77010000001"

// quiet takes the receipt handler's log lines.
var quiet = slog.New(slog.DiscardHandler)

// gatewayRequest is what the test gateway saw of one request.
type gatewayRequest struct {
	ContentType string
	Auth        string
	Token       string
	Body        string
}

// startGateway starts an SMS gateway on 127.0.0.1 that records each request
// and answers with status and body.
// The returned function gives the requests seen so far.
func startGateway(t *testing.T, status int, answer string, delay time.Duration) (*httptest.Server, func() []gatewayRequest) {
	t.Helper()
	return startScriptedGateway(t, delay, func(int) (int, string) { return status, answer })
}

// startScriptedGateway starts an SMS gateway on 127.0.0.1 that records each
// request and answers the n-th (from 1) as respond says.
// The returned function gives the requests seen so far.
func startScriptedGateway(t *testing.T, delay time.Duration, respond func(n int) (status int, answer string)) (*httptest.Server, func() []gatewayRequest) {
	t.Helper()
	var (
		mu   sync.Mutex
		seen []gatewayRequest
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, gatewayRequest{
			ContentType: r.Header.Get("Content-Type"),
			Auth:        r.Header.Get("Authorization"),
			Token:       r.Header.Get("X-Api-Key"),
			Body:        string(body),
		})
		status, answer := respond(len(seen))
		mu.Unlock()
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, answer)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []gatewayRequest {
		mu.Lock()
		defer mu.Unlock()
		return append([]gatewayRequest(nil), seen...)
	}
}

func mustGateway(t *testing.T, cfg notify.SMSGatewayConfig) *notify.SMSGateway {
	t.Helper()
	g, err := notify.NewSMSGateway(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestSMSGatewaySend(t *testing.T) {
	text := "Sakura: растау коды 123456. \"Оны\" ешкімге айтпаңыз.\n"
	tests := []struct {
		name      string
		cfg       notify.SMSGatewayConfig
		answer    string
		wantID    string
		wantReq   gatewayRequest
		checkBody func(t *testing.T, body string)
	}{
		{
			name:   "json with basic auth",
			cfg:    notify.SMSGatewayConfig{Username: "sakura", Password: "s3cret"},
			answer: `{"id":"msg-42","status":"queued"}`,
			wantID: "msg-42",
			wantReq: gatewayRequest{
				ContentType: "application/json",
				Auth:        "Basic c2FrdXJhOnMzY3JldA==",
			},
			checkBody: func(t *testing.T, body string) {
				var got map[string]string
				if err := json.Unmarshal([]byte(body), &got); err != nil {
					t.Fatalf("body %q is not JSON: %v", body, err)
				}
				want := map[string]string{"to": phone, "text": text}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("body mismatch (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "form with token and nested numeric id",
			cfg: notify.SMSGatewayConfig{
				TokenHeader: "X-Api-Key", Token: "tok",
				Body:        "recipient={{.To}}&message={{.Text}}&sender=Sakura",
				ContentType: "application/x-www-form-urlencoded",
				IDField:     "data.message_id",
			},
			answer:  `{"data":{"message_id":1234567890123}}`,
			wantID:  "1234567890123",
			wantReq: gatewayRequest{ContentType: "application/x-www-form-urlencoded", Token: "tok"},
			checkBody: func(t *testing.T, body string) {
				got, err := url.ParseQuery(body)
				if err != nil {
					t.Fatal(err)
				}
				want := url.Values{"recipient": {phone}, "message": {text}, "sender": {"Sakura"}}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("form mismatch (-want +got):\n%s", diff)
				}
			},
		},
		{
			name:    "accepted without an id",
			answer:  `{"ok":true}`,
			wantID:  "",
			wantReq: gatewayRequest{ContentType: "application/json"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, seen := startGateway(t, http.StatusOK, tt.answer, 0)
			tt.cfg.URL = srv.URL
			g := mustGateway(t, tt.cfg)

			id, err := g.Send(context.Background(),
				notify.Outgoing{To: phone, Channel: notify.SMS, Body: text})
			if err != nil {
				t.Fatal(err)
			}
			if id != tt.wantID {
				t.Errorf("id = %q, want %q", id, tt.wantID)
			}
			reqs := seen()
			if len(reqs) != 1 {
				t.Fatalf("gateway got %d requests, want 1", len(reqs))
			}
			got := reqs[0]
			if tt.checkBody != nil {
				tt.checkBody(t, got.Body)
			}
			got.Body = ""
			if diff := cmp.Diff(tt.wantReq, got); diff != "" {
				t.Errorf("request mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSMSGatewayRef(t *testing.T) {
	srv, seen := startGateway(t, http.StatusOK, `{"id":"msg-1"}`, 0)
	g := mustGateway(t, notify.SMSGatewayConfig{
		URL:  srv.URL,
		Body: `{"to":"{{.To}}","text":"{{.Text}}","client_ref":"{{.Ref}}"}`,
	})

	_, err := g.Send(context.Background(),
		notify.Outgoing{To: phone, Channel: notify.SMS, Body: "x", Ref: "d-42"})
	if err != nil {
		t.Fatal(err)
	}
	reqs := seen()
	if len(reqs) != 1 {
		t.Fatalf("gateway got %d requests, want 1", len(reqs))
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(reqs[0].Body), &got); err != nil {
		t.Fatalf("body %q is not JSON: %v", reqs[0].Body, err)
	}
	want := map[string]string{"to": phone, "text": "x", "client_ref": "d-42"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("body mismatch (-want +got):\n%s", diff)
	}
}

func TestSMSGatewayFailures(t *testing.T) {
	tests := []struct {
		name          string
		status        int
		delay         time.Duration
		wantPermanent bool
	}{
		{"500 is temporary", http.StatusInternalServerError, 0, false},
		{"503 is temporary", http.StatusServiceUnavailable, 0, false},
		{"429 is temporary", http.StatusTooManyRequests, 0, false},
		{"400 is permanent", http.StatusBadRequest, 0, true},
		{"401 is permanent", http.StatusUnauthorized, 0, true},
		{"timeout is temporary", http.StatusOK, 2 * time.Second, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, seen := startGateway(t, tt.status, `{"error":"invalid number `+phone+`"}`, tt.delay)
			g := mustGateway(t, notify.SMSGatewayConfig{URL: srv.URL, Timeout: 200 * time.Millisecond})

			start := time.Now()
			id, err := g.Send(context.Background(),
				notify.Outgoing{To: phone, Channel: notify.SMS, Body: "x"})
			if err == nil {
				t.Fatalf("Send = %q, nil; want an error", id)
			}
			if time.Since(start) > time.Second {
				t.Errorf("Send took %v, want the 200ms timeout to hold", time.Since(start))
			}
			if got := notify.IsPermanent(err); got != tt.wantPermanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, got, tt.wantPermanent)
			}
			if errors.Is(err, notify.ErrTemporary) == tt.wantPermanent {
				t.Errorf("errors.Is(%v, ErrTemporary) disagrees with IsPermanent", err)
			}
			if strings.Contains(err.Error(), phone) || !strings.Contains(err.Error(), "+7701***0001") {
				t.Errorf("error %q: want the phone masked", err)
			}
			if n := len(seen()); n != 1 {
				t.Errorf("gateway got %d requests, want 1: the sender does not retry itself", n)
			}
		})
	}
}

func TestSMSGatewayDown(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	g := mustGateway(t, notify.SMSGatewayConfig{URL: srv.URL})

	_, err := g.Send(context.Background(), notify.Outgoing{To: phone, Channel: notify.SMS, Body: "x"})
	if !errors.Is(err, notify.ErrTemporary) {
		t.Errorf("err = %v, want a temporary failure", err)
	}
}

func TestNewSMSGatewayRefusesBadConfig(t *testing.T) {
	for _, cfg := range []notify.SMSGatewayConfig{
		{URL: ""},
		{URL: "ftp://gateway.example"},
		{URL: "http://gateway.example", Body: "{{.To"},
		{URL: "http://gateway.example", ContentType: "not a/type;;"},
	} {
		if _, err := notify.NewSMSGateway(cfg); err == nil {
			t.Errorf("NewSMSGateway(%+v) = nil error", cfg)
		}
	}
}

func TestReceiptHandler(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		query       string
		header      string
		contentType string
		body        string
		wantStatus  int
		wantReceipt []notify.Receipt
	}{
		{
			name: "delivered, json", header: "s3cret", contentType: "application/json",
			body:        `{"message_id":"msg-42","status":"DELIVRD"}`,
			wantStatus:  http.StatusNoContent,
			wantReceipt: []notify.Receipt{{MessageID: "msg-42", Status: notify.Delivered}},
		},
		{
			name: "failed, form, secret in query", query: "?secret=s3cret",
			contentType: "application/x-www-form-urlencoded",
			body:        "message_id=msg-43&status=undelivered",
			wantStatus:  http.StatusNoContent,
			wantReceipt: []notify.Receipt{{MessageID: "msg-43", Status: notify.Failed}},
		},
		{
			name: "intermediate status dropped", header: "s3cret",
			body:       `{"message_id":"msg-44","status":"sent"}`,
			wantStatus: http.StatusNoContent,
		},
		{
			name: "wrong secret", header: "guess",
			body:       `{"message_id":"msg-42","status":"delivered"}`,
			wantStatus: http.StatusUnauthorized,
		},
		{
			name:       "no secret",
			body:       `{"message_id":"msg-42","status":"delivered"}`,
			wantStatus: http.StatusUnauthorized,
		},
		{
			name: "no id", header: "s3cret", body: `{"status":"delivered"}`,
			wantStatus: http.StatusBadRequest,
		},
		{
			name: "GET", method: http.MethodGet, header: "s3cret",
			wantStatus: http.StatusMethodNotAllowed,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				mu  sync.Mutex
				got []notify.Receipt
			)
			h, err := notify.NewReceiptHandler(notify.ReceiptConfig{Secret: "s3cret", Logger: quiet},
				func(_ context.Context, r notify.Receipt) error {
					mu.Lock()
					defer mu.Unlock()
					got = append(got, r)
					return nil
				})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()

			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			req, err := http.NewRequest(method, srv.URL+"/sms/receipts"+tt.query, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.header != "" {
				req.Header.Set("X-Sakura-Secret", tt.header)
			}
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()

			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if diff := cmp.Diff(tt.wantReceipt, got); diff != "" {
				t.Errorf("receipts mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReceiptHandlerReportFails(t *testing.T) {
	h, err := notify.NewReceiptHandler(notify.ReceiptConfig{Secret: "s3cret", Logger: quiet},
		func(context.Context, notify.Receipt) error { return errors.New("database is down") })
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(`{"message_id":"m","status":"delivered"}`))
	req.Header.Set("X-Sakura-Secret", "s3cret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500 so that the gateway calls again", resp.StatusCode)
	}
}

func TestNewReceiptHandlerNeedsSecret(t *testing.T) {
	_, err := notify.NewReceiptHandler(notify.ReceiptConfig{},
		func(context.Context, notify.Receipt) error { return nil })
	if err == nil {
		t.Error("a receipt handler without a secret was made")
	}
}
