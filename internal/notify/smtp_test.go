package notify_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"

	"sakura/internal/notify"
)

// received is a message as the test SMTP server took it.
type received struct {
	From string
	To   []string
	Data []byte
}

// smtpServer is a real SMTP server on 127.0.0.1 that keeps what it receives
// and can refuse recipients with a given SMTP code.
type smtpServer struct {
	mu       sync.Mutex
	got      []received
	rcptCode int // when set, RCPT is refused with this code
	user     string
	password string
	authed   bool
}

func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &smtpSession{srv: s}, nil
}

type smtpSession struct {
	srv *smtpServer
	msg received
}

func (s *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if user != s.srv.user || password != s.srv.password {
			return errors.New("invalid credentials")
		}
		s.srv.mu.Lock()
		s.srv.authed = true
		s.srv.mu.Unlock()
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	s.msg.From = from
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if c := s.srv.rcptCode; c != 0 {
		return &smtp.SMTPError{Code: c, Message: "mailbox unavailable"}
	}
	s.msg.To = append(s.msg.To, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.msg.Data = b
	s.srv.mu.Lock()
	s.srv.got = append(s.srv.got, s.msg)
	s.srv.mu.Unlock()
	return nil
}

func (s *smtpSession) Reset()        { s.msg = received{} }
func (s *smtpSession) Logout() error { return nil }

// startSMTP starts srv on a free port of 127.0.0.1 and returns the port.
func startSMTP(t *testing.T, srv *smtpServer) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := smtp.NewServer(srv)
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.ReadTimeout = 5 * time.Second
	s.WriteTimeout = 5 * time.Second
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

func mustSMTP(t *testing.T, cfg notify.SMTPConfig) *notify.SMTPSender {
	t.Helper()
	cfg.Host = "127.0.0.1"
	cfg.TLS = notify.TLSNone
	cfg.Timeout = 2 * time.Second
	if cfg.From == "" {
		cfg.From = "Sakura <noreply@sakura.test>"
	}
	s, err := notify.NewSMTPSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// mailText is what a reader sees of a message: headers decoded, body
// decoded.
type mailText struct {
	From, To, Subject, MessageID, Body string
}

func readMail(t *testing.T, data []byte) mailText {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(string(data)))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	var body io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(m.Body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return mailText{
		From: m.Header.Get("From"), To: m.Header.Get("To"), Subject: subject,
		MessageID: m.Header.Get("Message-ID"),
		Body:      strings.TrimSuffix(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n"),
	}
}

func TestSMTPSend(t *testing.T) {
	tests := []struct {
		name     string
		user     string
		password string
	}{
		{"without auth", "", ""},
		{"with auth", "sakura", "s3cret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &smtpServer{user: tt.user, password: tt.password}
			port := startSMTP(t, srv)
			s := mustSMTP(t, notify.SMTPConfig{Port: port, Username: tt.user, Password: tt.password})

			c, err := mustTemplates(t).Render(notify.SignInCode, "kk", notify.Email, sample)
			if err != nil {
				t.Fatal(err)
			}
			id, err := s.Send(context.Background(), notify.Outgoing{
				To: "aigul@mail.kz", Channel: notify.Email, Subject: c.Subject, Body: c.Body})
			if err != nil {
				t.Fatal(err)
			}

			if !strings.HasSuffix(id, "@sakura.test") {
				t.Errorf("id = %q, want one in the sender's domain", id)
			}

			srv.mu.Lock()
			defer srv.mu.Unlock()
			if len(srv.got) != 1 {
				t.Fatalf("server got %d messages, want 1", len(srv.got))
			}
			if tt.user != "" && !srv.authed {
				t.Error("the sender did not authenticate")
			}
			r := srv.got[0]
			if diff := cmp.Diff([]string{"aigul@mail.kz"}, r.To); diff != "" {
				t.Errorf("envelope recipients mismatch (-want +got):\n%s", diff)
			}
			if r.From != "noreply@sakura.test" {
				t.Errorf("envelope sender = %q", r.From)
			}
			got := readMail(t, r.Data)
			want := mailText{
				From: `"Sakura" <noreply@sakura.test>`, To: "<aigul@mail.kz>",
				Subject: "Sakura: растау коды", MessageID: "<" + id + ">", Body: c.Body,
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("message mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSMTPFailures(t *testing.T) {
	tests := []struct {
		name          string
		rcptCode      int
		down          bool
		to            string
		wantPermanent bool
		wantCode      int
	}{
		{name: "550 is permanent", rcptCode: 550, to: "aigul@mail.kz", wantPermanent: true, wantCode: 550},
		{name: "450 is temporary", rcptCode: 450, to: "aigul@mail.kz", wantCode: 450},
		{name: "server down is temporary", down: true, to: "aigul@mail.kz"},
		{name: "bad address is permanent", to: "not an address", wantPermanent: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &smtpServer{rcptCode: tt.rcptCode}
			port := startSMTP(t, srv)
			if tt.down {
				// A port nobody listens on: take one and give it back.
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				port, _ = strconv.Atoi(strings.TrimPrefix(ln.Addr().String(), "127.0.0.1:"))
				ln.Close()
			}
			s := mustSMTP(t, notify.SMTPConfig{Port: port})

			_, err := s.Send(context.Background(), notify.Outgoing{
				To: tt.to, Channel: notify.Email, Subject: "Sakura", Body: "Сәлеметсіз бе!"})
			if err == nil {
				t.Fatal("Send succeeded, want an error")
			}
			if got := notify.IsPermanent(err); got != tt.wantPermanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, got, tt.wantPermanent)
			}
			var de *notify.DeliveryError
			if !errors.As(err, &de) || de.Code != tt.wantCode {
				t.Errorf("err = %#v, want a *DeliveryError with code %d", err, tt.wantCode)
			}
			if strings.Contains(err.Error(), "aigul@") {
				t.Errorf("error %q shows the address in clear", err)
			}
			if len(srv.got) != 0 {
				t.Errorf("server took %d messages, want none", len(srv.got))
			}
		})
	}
}

func TestNewSMTPSenderRefusesBadConfig(t *testing.T) {
	for _, cfg := range []notify.SMTPConfig{
		{From: "noreply@sakura.test"},
		{Host: "127.0.0.1", From: "not an address"},
		{Host: "127.0.0.1", From: "noreply@sakura.test", TLS: "sometimes"},
	} {
		if _, err := notify.NewSMTPSender(cfg); err == nil {
			t.Errorf("NewSMTPSender(%+v) = nil error", cfg)
		}
	}
}

// TestSMTPStartTLS: with STARTTLS mandatory, the message and the password
// travel encrypted, and a server that offers no STARTTLS gets nothing.
func TestSMTPStartTLS(t *testing.T) {
	certPEM, keyPEM := selfSigned(t)
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(certPEM)

	srv := &smtpServer{user: "sakura", password: "s3cret"}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := smtp.NewServer(srv)
	s.Domain = "localhost"
	s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.ReadTimeout, s.WriteTimeout = 5*time.Second, 5*time.Second
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	port := ln.Addr().(*net.TCPAddr).Port

	sender, err := notify.NewSMTPSender(notify.SMTPConfig{Host: "127.0.0.1", Port: port, Username: "sakura",
		Password: "s3cret", From: "noreply@sakura.test", TLS: notify.TLSMandatory, RootCAs: roots, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sender.Send(context.Background(), notify.Outgoing{To: "aigul@mail.kz", Channel: notify.Email,
		Subject: "Sakura", Body: "test"}); err != nil {
		t.Fatalf("send over STARTTLS: %v", err)
	}
	srv.mu.Lock()
	got, authed := len(srv.got), srv.authed
	srv.mu.Unlock()
	if got != 1 || !authed {
		t.Errorf("over STARTTLS: %d messages, authenticated %t; want 1 and true", got, authed)
	}

	// The same sender against a server without STARTTLS sends nothing.
	plain := &smtpServer{}
	plainPort := startSMTP(t, plain)
	sender, err = notify.NewSMTPSender(notify.SMTPConfig{Host: "127.0.0.1", Port: plainPort, From: "noreply@sakura.test",
		TLS: notify.TLSMandatory, RootCAs: roots, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sender.Send(context.Background(), notify.Outgoing{To: "aigul@mail.kz", Channel: notify.Email,
		Subject: "Sakura", Body: "test"}); err == nil {
		t.Error("mandatory STARTTLS sent to a server that offers none")
	}
	plain.mu.Lock()
	defer plain.mu.Unlock()
	if len(plain.got) != 0 {
		t.Errorf("the server without STARTTLS got %d messages", len(plain.got))
	}
}

// selfSigned makes a certificate for 127.0.0.1 that signs itself.
func selfSigned(t *testing.T) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "sakura test mail"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
}
