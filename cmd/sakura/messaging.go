package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"

	"sakura/internal/notify"
	"sakura/internal/person"
	"sakura/internal/person/httpregistry"
	"sakura/internal/store"
)

// gateways are the outside services a production portal talks to, read
// from the environment only, since they carry secrets that a command line
// would show to every user of the machine.
type gateways struct {
	SMS  notify.SMSGatewayConfig
	SMTP notify.SMTPConfig

	RegistryURL   string
	RegistryToken string

	// ReceiptSecret, when set, opens POST /hooks/sms-receipt to the SMS
	// gateway's delivery receipts that carry it.
	ReceiptSecret string
}

// readGateways reads SAKURA_SMS_*, SAKURA_SMTP_* and SAKURA_REGISTRY_*.
func readGateways(getenv func(string) string) (gateways, error) {
	g := gateways{
		SMS: notify.SMSGatewayConfig{
			URL:         getenv("SAKURA_SMS_URL"),
			Username:    getenv("SAKURA_SMS_USER"),
			Password:    getenv("SAKURA_SMS_PASSWORD"),
			TokenHeader: getenv("SAKURA_SMS_TOKEN_HEADER"),
			Token:       getenv("SAKURA_SMS_TOKEN"),
			Body:        getenv("SAKURA_SMS_BODY"),
			ContentType: getenv("SAKURA_SMS_CONTENT_TYPE"),
			IDField:     getenv("SAKURA_SMS_ID_FIELD"),
		},
		SMTP: notify.SMTPConfig{
			Host:     getenv("SAKURA_SMTP_HOST"),
			Username: getenv("SAKURA_SMTP_USER"),
			Password: getenv("SAKURA_SMTP_PASSWORD"),
			From:     getenv("SAKURA_SMTP_FROM"),
			TLS:      notify.TLSPolicy(getenv("SAKURA_SMTP_TLS")),
		},
		RegistryURL:   getenv("SAKURA_REGISTRY_URL"),
		RegistryToken: getenv("SAKURA_REGISTRY_TOKEN"),
		ReceiptSecret: getenv("SAKURA_SMS_RECEIPT_SECRET"),
	}
	if path := getenv("SAKURA_SMTP_CA_FILE"); path != "" {
		pemData, err := os.ReadFile(path)
		if err != nil {
			return g, fmt.Errorf("SAKURA_SMTP_CA_FILE: %w", err)
		}
		g.SMTP.RootCAs = x509.NewCertPool()
		if !g.SMTP.RootCAs.AppendCertsFromPEM(pemData) {
			return g, fmt.Errorf("SAKURA_SMTP_CA_FILE %s: no PEM certificate", path)
		}
	}
	if v := getenv("SAKURA_SMTP_PORT"); v != "" {
		port, err := strconv.Atoi(v)
		if err != nil || port <= 0 || port > 65535 {
			return g, fmt.Errorf("SAKURA_SMTP_PORT=%q: want a port number", v)
		}
		g.SMTP.Port = port
	}
	return g, nil
}

// senders returns the sender of each channel: in demo mode the outbox for
// both; otherwise the SMS gateway and the SMTP server that are configured.
// A channel with neither is left out, so its messages fail for good and go
// to the other channel; start-up says so.
func senders(demo bool, g gateways, db *store.DB, logger *slog.Logger) (map[notify.Channel]notify.Sender, error) {
	if demo {
		outbox := notify.OutboxSender{Outbox: db}
		return map[notify.Channel]notify.Sender{notify.SMS: outbox, notify.Email: outbox}, nil
	}

	out := map[notify.Channel]notify.Sender{}
	if g.SMS.URL != "" {
		sms, err := notify.NewSMSGateway(g.SMS)
		if err != nil {
			return nil, err
		}
		out[notify.SMS] = sms
	} else {
		logger.Warn("no SMS gateway configured (SAKURA_SMS_URL): sign-in codes cannot be sent")
	}
	if g.SMTP.Host != "" {
		mail, err := notify.NewSMTPSender(g.SMTP)
		if err != nil {
			return nil, err
		}
		out[notify.Email] = mail
	} else {
		logger.Warn("no SMTP server configured (SAKURA_SMTP_HOST): e-mail cannot be sent")
	}
	return out, nil
}

// registry returns the person registry: the gateway when one is
// configured, the local table otherwise.
func registry(g gateways, db *store.DB) (person.Registry, error) {
	if g.RegistryURL == "" {
		return db, nil
	}
	return httpregistry.New(httpregistry.Config{BaseURL: g.RegistryURL, Token: g.RegistryToken,
		Timeout: 5 * time.Second, Retries: 2}, nil)
}

// receipts returns the handler of the SMS gateway's delivery receipts, or
// nil when no secret is configured.
func receipts(g gateways, db *store.DB, logger *slog.Logger) (http.Handler, error) {
	if g.ReceiptSecret == "" {
		return nil, nil
	}
	return notify.NewReceiptHandler(notify.ReceiptConfig{Secret: g.ReceiptSecret, Logger: logger},
		func(ctx context.Context, r notify.Receipt) error { return db.Receipt(ctx, r, time.Now()) })
}
