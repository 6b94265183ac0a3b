package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"
)

// TLSPolicy says whether the SMTP connection is encrypted with STARTTLS.
type TLSPolicy string

// The STARTTLS policies.
const (
	// TLSOpportunistic uses STARTTLS when the server offers it: the default.
	TLSOpportunistic TLSPolicy = "opportunistic"
	// TLSMandatory refuses to send over a connection without STARTTLS.
	TLSMandatory TLSPolicy = "mandatory"
	// TLSNone never encrypts, and a password then goes in clear (PLAIN):
	// for a test server on the same host only.
	TLSNone TLSPolicy = "none"
)

// SMTPConfig describes the mail server the portal sends through.
type SMTPConfig struct {
	Host string
	Port int // default 587
	// Username and Password, when Username is set, authenticate with the
	// best mechanism the server offers over an encrypted connection (PLAIN
	// with TLSNone).
	Username, Password string
	// From is the sender's address, optionally with a name:
	// "Sakura <noreply@sakura.kz>".
	From string
	// TLS is the STARTTLS policy; TLSOpportunistic when empty.
	TLS TLSPolicy
	// Timeout bounds the connection and each command. Default: 15 seconds.
	Timeout time.Duration
	// RootCAs are the authorities trusted to sign the server's
	// certificate for STARTTLS; the system's when nil. A private mail
	// relay with its own authority sets them.
	RootCAs *x509.CertPool
}

// SMTPSender sends e-mail over SMTP. It is a Sender for the e-mail channel
// and safe for concurrent use: each message goes over a connection of its
// own.
type SMTPSender struct {
	cfg  SMTPConfig
	opts []mail.Option
}

// NewSMTPSender checks the configuration. It does not connect.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	if cfg.Host == "" {
		return nil, errors.New("configure smtp: empty host")
	}
	if cfg.Port == 0 {
		cfg.Port = 587
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	if err := mail.NewMsg().From(cfg.From); err != nil {
		return nil, fmt.Errorf("configure smtp: from address: %w", err)
	}

	policy := mail.TLSOpportunistic
	switch cfg.TLS {
	case "", TLSOpportunistic:
	case TLSMandatory:
		policy = mail.TLSMandatory
	case TLSNone:
		policy = mail.NoTLS
	default:
		return nil, fmt.Errorf("configure smtp: unknown TLS policy %q", cfg.TLS)
	}

	opts := []mail.Option{
		mail.WithPort(cfg.Port),
		mail.WithTLSPolicy(policy),
		mail.WithTimeout(cfg.Timeout),
		mail.WithTLSConfig(&tls.Config{ServerName: cfg.Host, RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12}),
	}
	if cfg.Username != "" {
		// Auto-discovery never sends a password in clear; without TLS the
		// only choice is PLAIN.
		auth := mail.SMTPAuthAutoDiscover
		if policy == mail.NoTLS {
			auth = mail.SMTPAuthPlainNoEnc
		}
		opts = append(opts,
			mail.WithSMTPAuth(auth),
			mail.WithUsername(cfg.Username),
			mail.WithPassword(cfg.Password))
	}
	return &SMTPSender{cfg: cfg, opts: opts}, nil
}

// Send delivers one plain-text UTF-8 message and returns its Message-ID,
// without the angle brackets, made up of random digits and the domain of
// the From address.
// A 5xx answer and an address that cannot be parsed are permanent; a 4xx
// answer, a server that does not answer and every other failure are
// temporary.
func (s *SMTPSender) Send(ctx context.Context, m Outgoing) (string, error) {
	const op = "send e-mail"
	to := MaskEmail(m.To)
	if m.Channel != "" && m.Channel != Email {
		return "", &DeliveryError{Op: op, To: to, Permanent: true,
			Err: fmt.Errorf("channel %q is not email", m.Channel)}
	}

	msg := mail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return "", &DeliveryError{Op: op, To: to, Permanent: true, Err: errors.New("bad from address")}
	}
	if err := msg.To(m.To); err != nil {
		return "", &DeliveryError{Op: op, To: to, Permanent: true, Err: errors.New("bad address")}
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(mail.TypeTextPlain, m.Body)
	msg.SetMessageIDWithValue(s.messageID())
	msg.SetDate()

	client, err := mail.NewClient(s.cfg.Host, s.opts...)
	if err != nil {
		return "", &DeliveryError{Op: op, To: to, Permanent: true, Err: err}
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return "", classifySMTP(op, m.To, err)
	}
	return strings.Trim(msg.GetMessageID(), "<>"), nil
}

// messageID makes a fresh Message-ID in the From address's domain.
func (s *SMTPSender) messageID() string {
	domain := "sakura.invalid"
	if addr, err := netmail.ParseAddress(s.cfg.From); err == nil {
		if at := strings.LastIndexByte(addr.Address, '@'); at >= 0 {
			domain = addr.Address[at+1:]
		}
	}
	return newID("") + "@" + domain
}

// classifySMTP turns a go-mail error into a *DeliveryError whose text has
// the recipient masked.
func classifySMTP(op, to string, err error) error {
	e := &DeliveryError{Op: op, To: MaskEmail(to), Err: redacted{err, to}}
	var se *mail.SendError
	if !errors.As(err, &se) {
		// No answer from the server at all: down, unreachable, timed out.
		return e
	}

	e.Code = se.ErrorCode()
	switch {
	case e.Code >= 500:
		e.Permanent = true
	case e.Code >= 400:
	case se.Reason == mail.ErrGetSender || se.Reason == mail.ErrGetRcpts:
		e.Permanent = true
	}
	return e
}

// redacted is an error whose text has an address replaced by its mask; it
// still unwraps to the original for errors.As.
type redacted struct {
	err  error
	addr string
}

func (r redacted) Error() string {
	if r.addr == "" {
		return r.err.Error()
	}
	return strings.ReplaceAll(r.err.Error(), r.addr, MaskEmail(r.addr))
}

func (r redacted) Unwrap() error { return r.err }
