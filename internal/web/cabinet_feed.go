package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"sakura/internal/notify"
)

// feedPerPage is how many events a page of the feed shows.
const feedPerPage = 20

// kazakhstan is the time zone the cabinet shows times in: the whole country
// keeps UTC+5 since 1 March 2024.
var kazakhstan = time.FixedZone("UTC+5", 5*60*60)

// feedView is the data of the feed page.
type feedView struct {
	Nav    cabinetNav
	Events []eventView
	Page   int
	Pages  int
	Newer  string // the link to the newer page, or ""
	Older  string // the link to the older page, or ""
}

// eventView is one event as the feed shows it.
type eventView struct {
	ID         int64
	Text       string
	At         string // local time, as people read it
	DateTime   string // the same in RFC 3339, for <time>
	Unread     bool
	Deliveries []deliveryView
}

// deliveryView is one message sent about an event.
type deliveryView struct {
	Channel string
	To      string
	Status  string
	Class   string // the status, for the style
}

// feedPage shows the parent's events, newest first, a page at a time; the
// events shown are then marked read, so that the next visit shows what is
// new since.
func (h *server) feedPage(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	page := 1
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			return h.cabinetPage(w, r, http.StatusBadRequest, "error", cab.tr.T("error.invalid.title"),
				errorPage{Heading: cab.tr.T("error.invalid.title"), Text: cab.tr.T("cabinet.feed.bad_page")})
		}
		page = n
	}

	events, total, err := h.feed.Feed(r.Context(), cab.account.ID, (page-1)*feedPerPage, feedPerPage)
	if err != nil {
		return fmt.Errorf("feed: %w", err)
	}
	view := feedView{Nav: h.nav(r, cab, ""), Page: page, Pages: max(1, (total+feedPerPage-1)/feedPerPage)}
	var newest int64
	for _, e := range events {
		view.Events = append(view.Events, h.eventView(cab, e))
		newest = max(newest, e.ID)
	}
	if page > 1 {
		view.Newer = cabinetURL(cab.lang, "") + "?page=" + strconv.Itoa(page-1)
	}
	if page < view.Pages {
		view.Older = cabinetURL(cab.lang, "") + "?page=" + strconv.Itoa(page+1)
	}

	w.Header().Set("Cache-Control", "no-store")
	if err := h.cabinetPage(w, r, http.StatusOK, "cabinet_feed", cab.tr.T("cabinet.feed.title"), view); err != nil {
		return err
	}
	if newest > 0 {
		if err := h.feed.MarkRead(r.Context(), cab.account.ID, newest, time.Now()); err != nil {
			return fmt.Errorf("feed: %w", err)
		}
	}
	return nil
}

func (h *server) eventView(cab *cabinet, e notify.Event) eventView {
	args := map[string]any{}
	for k, v := range e.Data {
		args[k] = v
	}
	if reason, ok := e.Data["reason"]; ok {
		args["reason"] = translated(cab.tr, "admission.reason."+reason, reason)
	}
	v := eventView{
		ID:       e.ID,
		Text:     cab.tr.Message("cabinet.event."+string(e.Kind), args),
		At:       e.CreatedAt.In(kazakhstan).Format("02.01.2006 15:04"),
		DateTime: e.CreatedAt.UTC().Format(time.RFC3339),
		Unread:   !e.Read,
	}
	for _, d := range e.Deliveries {
		v.Deliveries = append(v.Deliveries, deliveryView{
			Channel: cab.tr.T("cabinet.channel." + string(d.Channel)),
			To:      d.To,
			Status:  cab.tr.T("cabinet.delivery." + string(d.Status)),
			Class:   string(d.Status),
		})
	}
	return v
}

// sectionView is the data of a section that later services fill: for now
// it explains what will be there.
type sectionView struct {
	Nav     cabinetNav
	TextKey string
	LinkKey string // the service to start from, when there is one
	LinkURL string
}

// cabinetSection returns the handler of a section that is empty until the
// services that fill it exist.
func (h *server) cabinetSection(path string) cabinetHandler {
	return func(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
		view := sectionView{Nav: h.nav(r, cab, path), TextKey: "cabinet." + path + ".empty"}
		if c := h.rememberedCity(r); c != nil && path != "files" {
			view.LinkKey = "cabinet." + path + ".start"
			view.LinkURL = "/" + string(cab.lang) + "/" + c.Slug + "/apply/grade1"
		}
		return h.cabinetPage(w, r, http.StatusOK, "cabinet_section", cab.tr.T("cabinet.nav."+path), view)
	}
}
