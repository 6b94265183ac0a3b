package web

import (
	"fmt"
	"net/http"
	"time"

	"sakura/internal/notify"
)

// outboxLimit is how many of the newest demo messages the outbox shows.
const outboxLimit = 200

// kazakhstanTime is the country's one time zone since 1 March 2024, UTC+5,
// fixed here so that an old time-zone database cannot shift it.
var kazakhstanTime = time.FixedZone("UTC+5", 5*60*60)

// outboxPage is what the outbox template shows.
type outboxPage struct {
	Messages []outboxRow
}

// outboxRow is one message as the outbox page shows it.
type outboxRow struct {
	Time       string // local time, for people
	Timestamp  string // RFC 3339, for the datetime attribute
	ChannelKey string
	To         string
	Body       string
}

// devOutboxJSON answers GET /dev/outbox.json in demo mode: the messages the
// demo would have sent, newest first.
func (h *server) devOutboxJSON(w http.ResponseWriter, r *http.Request) error {
	msgs, err := h.outbox.Messages(r.Context(), outboxLimit)
	if err != nil {
		return fmt.Errorf("demo outbox: %w", err)
	}
	if msgs == nil {
		msgs = []notify.Message{}
	}
	return writeJSON(w, http.StatusOK, msgs)
}

// devOutbox answers GET /dev/outbox in demo mode: the same messages as a page
// in the visitor's language.
func (h *server) devOutbox(w http.ResponseWriter, r *http.Request) error {
	msgs, err := h.outbox.Messages(r.Context(), outboxLimit)
	if err != nil {
		return fmt.Errorf("demo outbox: %w", err)
	}

	lang := h.visitorLang(r)
	data := outboxPage{Messages: make([]outboxRow, 0, len(msgs))}
	for _, m := range msgs {
		at := m.CreatedAt.In(kazakhstanTime)
		data.Messages = append(data.Messages, outboxRow{
			Time:       at.Format("2006-01-02 15:04:05"),
			Timestamp:  at.Format(time.RFC3339),
			ChannelKey: "channel." + string(m.Channel),
			To:         m.To,
			Body:       m.Body,
		})
	}

	tr := h.catalog.Translator(lang)
	p := h.newPage(r, lang, tr.T("outbox.title"), h.rememberedCity(r))
	p.Data = data
	return h.render(w, http.StatusOK, "outbox", p)
}
