package notify

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"text/template"
	"time"
)

// SMSGatewayConfig describes an HTTP SMS gateway: where to post, how to
// authenticate, what the request looks like and where the answer keeps the
// message id.
type SMSGatewayConfig struct {
	// URL receives one POST per message.
	URL string
	// Username and Password, when Username is set, go in a basic
	// Authorization header.
	Username, Password string
	// TokenHeader and Token, when both are set, go in a header of their own,
	// such as "Authorization: Bearer …" or "X-API-Key: …".
	TokenHeader, Token string
	// Body is a text/template for the request body, with {{.To}} (the
	// phone number), {{.Text}} (the message) and {{.Ref}} (the portal's id
	// of the delivery, the same on every attempt: for a gateway that drops
	// repeats, as a client reference or an idempotency key). They arrive
	// escaped for the content type: as the inside of a JSON string for a
	// JSON body, URL query-escaped for a form. Default:
	// {"to":"{{.To}}","text":"{{.Text}}"}.
	Body string
	// ContentType of the request. Default: application/json.
	ContentType string
	// IDField is the field of the JSON answer that holds the message id,
	// with dots for nested objects ("data.id"). Default: id.
	IDField string
	// Timeout bounds one request. Default: 10 seconds.
	Timeout time.Duration
	// Client makes the requests; http.DefaultClient's transport when nil.
	Client *http.Client
}

// DefaultSMSBody is the request template used when the configuration gives
// none.
const DefaultSMSBody = `{"to":"{{.To}}","text":"{{.Text}}"}`

// SMSGateway sends SMS through an HTTP gateway. It is a Sender for the SMS
// channel and safe for concurrent use.
type SMSGateway struct {
	cfg    SMSGatewayConfig
	body   *template.Template
	escape func(string) string
	client *http.Client
}

// NewSMSGateway checks the configuration and parses the request template.
func NewSMSGateway(cfg SMSGatewayConfig) (*SMSGateway, error) {
	if cfg.Body == "" {
		cfg.Body = DefaultSMSBody
	}
	if cfg.ContentType == "" {
		cfg.ContentType = "application/json"
	}
	if cfg.IDField == "" {
		cfg.IDField = "id"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}

	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("configure sms gateway: URL %q is not an http(s) URL", cfg.URL)
	}
	body, err := template.New("sms").Option("missingkey=error").Parse(cfg.Body)
	if err != nil {
		return nil, fmt.Errorf("configure sms gateway: request template: %w", err)
	}
	escape, err := escaperFor(cfg.ContentType)
	if err != nil {
		return nil, fmt.Errorf("configure sms gateway: %w", err)
	}

	client := cfg.Client
	if client == nil {
		client = &http.Client{}
	}
	return &SMSGateway{cfg: cfg, body: body, escape: escape, client: client}, nil
}

// escaperFor returns how {{.To}}, {{.Text}} and {{.Ref}} are escaped in a body of the
// content type.
func escaperFor(contentType string) (func(string) string, error) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, fmt.Errorf("content type %q: %w", contentType, err)
	}
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		return jsonEscape, nil
	case mt == "application/x-www-form-urlencoded":
		return url.QueryEscape, nil
	}
	return func(s string) string { return s }, nil
}

// jsonEscape returns s as the inside of a JSON string, without the quotes.
func jsonEscape(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b[1 : len(b)-1])
}

// Send posts one SMS to the gateway and returns the gateway's message id.
// Time-outs, network errors, 5xx, 408 and 429 are temporary; every other
// answer outside 2xx is permanent. An answer of 2xx without the id field is
// a success with an empty id: the message went out, only its receipts
// cannot be matched.
func (g *SMSGateway) Send(ctx context.Context, m Outgoing) (string, error) {
	const op = "send sms"
	to := MaskPhone(m.To)
	if m.Channel != "" && m.Channel != SMS {
		return "", &DeliveryError{Op: op, To: to, Permanent: true,
			Err: fmt.Errorf("channel %q is not sms", m.Channel)}
	}

	var body bytes.Buffer
	data := struct{ To, Text, Ref string }{g.escape(m.To), g.escape(m.Body), g.escape(m.Ref)}
	if err := g.body.Execute(&body, data); err != nil {
		return "", &DeliveryError{Op: op, To: to, Permanent: true,
			Err: fmt.Errorf("request template: %w", err)}
	}

	ctx, cancel := context.WithTimeout(ctx, g.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.cfg.URL, &body)
	if err != nil {
		return "", &DeliveryError{Op: op, To: to, Permanent: true, Err: err}
	}
	req.Header.Set("Content-Type", g.cfg.ContentType)
	req.Header.Set("Accept", "application/json")
	if g.cfg.Username != "" {
		req.SetBasicAuth(g.cfg.Username, g.cfg.Password)
	}
	if g.cfg.TokenHeader != "" && g.cfg.Token != "" {
		req.Header.Set(g.cfg.TokenHeader, g.cfg.Token)
	}

	resp, err := g.client.Do(req)
	if err != nil {
		// The URL error repeats the gateway URL only, never the body.
		return "", &DeliveryError{Op: op, To: to, Err: err}
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", &DeliveryError{Op: op, To: to, Code: resp.StatusCode, Err: err}
	}

	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return messageID(answer, g.cfg.IDField), nil
	case c == http.StatusTooManyRequests || c == http.StatusRequestTimeout || c >= 500:
		return "", &DeliveryError{Op: op, To: to, Code: c}
	default:
		// NOTE: the answer's text is left out: gateways echo the number.
		return "", &DeliveryError{Op: op, To: to, Code: c, Permanent: true}
	}
}

// messageID finds the dotted field path in a JSON answer and returns its
// value as text, or "" when the answer has no such string or number.
func messageID(answer []byte, path string) string {
	dec := json.NewDecoder(bytes.NewReader(answer))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return ""
	}
	for _, name := range strings.Split(path, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = obj[name]
	}
	switch id := v.(type) {
	case string:
		return id
	case json.Number:
		return id.String()
	}
	return ""
}

// ReceiptStatus is the outcome a gateway reports for a message.
type ReceiptStatus string

// The outcomes of a delivery receipt.
const (
	Delivered ReceiptStatus = "delivered"
	Failed    ReceiptStatus = "failed"
)

// Receipt is a gateway's report on one message it accepted.
type Receipt struct {
	MessageID string
	Status    ReceiptStatus
}

// ReceiptConfig describes how a gateway calls back with receipts.
type ReceiptConfig struct {
	// Secret shared with the gateway; a callback must carry it in
	// SecretHeader or in the query parameter "secret". Required.
	Secret string
	// SecretHeader names the header with the secret. Default:
	// X-Sakura-Secret.
	SecretHeader string
	// IDField and StatusField name the fields of the JSON or form body.
	// Defaults: message_id and status.
	IDField, StatusField string
	// Logger takes a line per refused or failed callback; slog.Default()
	// when nil.
	Logger *slog.Logger
}

// receiptStatuses maps the statuses gateways use to ours, in lower case.
var receiptStatuses = map[string]ReceiptStatus{
	"delivered": Delivered, "delivrd": Delivered, "ok": Delivered, "success": Delivered,
	"failed": Failed, "undelivered": Failed, "undeliv": Failed, "rejected": Failed,
	"rejectd": Failed, "expired": Failed, "error": Failed,
}

// NewReceiptHandler returns the http.Handler for a gateway's delivery
// receipts. It answers 401 to a callback without the secret, 400 to one it
// cannot read, 405 to anything but POST, 500 when report fails (so that the
// gateway calls again) and 204 once report has taken the receipt. Statuses
// other than the final ones (queued, sent, …) are acknowledged and dropped.
func NewReceiptHandler(cfg ReceiptConfig, report func(context.Context, Receipt) error) (http.Handler, error) {
	if cfg.Secret == "" {
		return nil, errors.New("configure sms receipts: empty secret")
	}
	if report == nil {
		return nil, errors.New("configure sms receipts: no report function")
	}
	if cfg.SecretHeader == "" {
		cfg.SecretHeader = "X-Sakura-Secret"
	}
	if cfg.IDField == "" {
		cfg.IDField = "message_id"
	}
	if cfg.StatusField == "" {
		cfg.StatusField = "status"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &receiptHandler{cfg: cfg, report: report}, nil
}

type receiptHandler struct {
	cfg    ReceiptConfig
	report func(context.Context, Receipt) error
}

func (h *receiptHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}

	secret := r.Header.Get(h.cfg.SecretHeader)
	if secret == "" {
		secret = r.URL.Query().Get("secret")
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(h.cfg.Secret)) != 1 {
		h.cfg.Logger.Warn("sms receipt refused: wrong secret", slog.String("remote", r.RemoteAddr))
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}

	id, status, err := h.read(r)
	if err != nil {
		h.cfg.Logger.Warn("sms receipt refused", slog.Any("error", err))
		http.Error(w, "bad receipt", http.StatusBadRequest)
		return
	}
	final, ok := receiptStatuses[strings.ToLower(status)]
	if !ok {
		w.WriteHeader(http.StatusNoContent)
		return
	}

	if err := h.report(r.Context(), Receipt{MessageID: id, Status: final}); err != nil {
		h.cfg.Logger.Error("sms receipt not recorded", slog.String("message_id", id),
			slog.Any("error", err))
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// read takes the message id and status from a JSON or form body.
func (h *receiptHandler) read(r *http.Request) (id, status string, err error) {
	r.Body = http.MaxBytesReader(nil, r.Body, 64<<10)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/x-www-form-urlencoded" {
		if err := r.ParseForm(); err != nil {
			return "", "", fmt.Errorf("read receipt form: %w", err)
		}
		id, status = r.PostForm.Get(h.cfg.IDField), r.PostForm.Get(h.cfg.StatusField)
	} else {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return "", "", fmt.Errorf("read receipt: %w", err)
		}
		id, status = messageID(body, h.cfg.IDField), messageID(body, h.cfg.StatusField)
	}
	if id == "" || status == "" {
		return "", "", fmt.Errorf("read receipt: no %s or %s", h.cfg.IDField, h.cfg.StatusField)
	}
	return id, status, nil
}
