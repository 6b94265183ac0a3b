package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"sakura/internal/account"
	"sakura/internal/application"
	"sakura/internal/campaign"
	"sakura/internal/city"
	"sakura/internal/errs"
	"sakura/internal/i18n"
)

// draftCookie holds the token of the browser that began drafts, until the
// parent's identity binds them to the account.
const draftCookie = "sakura_draft"

// errNoDraft answers a draft that does not exist or is not the visitor's:
// the same page either way, so that draft ids cannot be probed.
var errNoDraft = fmt.Errorf("draft: %w", errs.ErrNotFound)

// wizardCtx is what every step of a wizard knows.
type wizardCtx struct {
	lang     i18n.Lang
	tr       *i18n.Translator
	city     city.City
	wizard   application.Wizard
	rules    applyRules
	campaign campaign.Campaign
	draft    application.Draft
	cab      *cabinet // nil when nobody is signed in
	browser  string   // the hash of the draft cookie, or ""
}

// base is the path of the draft's wizard.
func (c *wizardCtx) base() string {
	return "/" + string(c.lang) + "/" + c.city.Slug + "/apply/" + string(c.wizard.Kind) + "/" + c.draft.ID
}

// stepURL is the path of a step of the draft.
func (c *wizardCtx) stepURL(step string) string { return c.base() + "/" + step }

// campaignFor returns the campaign whose rules an application of a kind
// made at now follows (see campaign.YearOf).
func (h *server) campaignFor(ctx context.Context, kind application.Kind, citySlug string, now time.Time) (campaign.Campaign, error) {
	c, err := h.campaigns.Campaign(ctx, citySlug, campaign.YearOf(string(kind), now))
	if err != nil {
		return campaign.Campaign{}, fmt.Errorf("campaign of %s: %w", citySlug, err)
	}
	return c, nil
}

// applyStart is the start page of a wizard: what the service is, the
// campaign's window, the parent's drafts to resume, and the button that
// begins a new one.
func (h *server) applyStart(kind application.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		lang, c, err := h.place(w, r)
		if err != nil {
			return err
		}
		tr := h.catalog.Translator(lang)
		camp, err := h.campaignFor(r.Context(), kind, c.Slug, h.now())
		if err != nil {
			return err
		}
		window := camp.WindowOf(string(kind))
		view := applyStartView{Kind: kind, Open: window.Holds(h.now()),
			Opens: window.From.Format("02.01.2006"), Closes: window.To.Format("02.01.2006"), Year: camp.Year}
		if cab, err := h.authenticate(r, lang); err == nil {
			view.SignedIn = true
			_ = cab
		}
		p := h.newPage(r, lang, tr.T("service."+string(kind)+".title"), &c)
		p.Data = view
		w.Header().Set("Cache-Control", "no-store")
		return h.render(w, http.StatusOK, "apply_start", p)
	}
}

// applyStartView is the data of a wizard's start page.
type applyStartView struct {
	Kind          application.Kind
	Open          bool
	Opens, Closes string
	Year          int
	SignedIn      bool
}

// applyNew begins a draft and goes to its first step. The draft belongs to
// this browser (a cookie) until the parent proves who they are.
func (h *server) applyNew(kind application.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		lang, c, err := h.place(w, r)
		if err != nil {
			return err
		}
		token := cookieValue(r, draftCookie)
		if len(token) != 43 {
			token = account.NewToken()
			h.setCookie(w, r, draftCookie, token, 30*24*time.Hour)
		}
		now := h.now()
		d := application.Draft{ID: newDraftID(), City: c.Slug, Kind: kind, Browser: account.HashToken(token),
			CreatedAt: now, UpdatedAt: now}
		if cab, err := h.authenticate(r, lang); err == nil {
			d.AccountID = cab.account.ID
		}
		if err := h.apps.SaveDraft(r.Context(), d); err != nil {
			return err
		}
		wc := &wizardCtx{lang: lang, city: c, wizard: application.Wizards[kind], draft: d}
		http.Redirect(w, r, wc.stepURL(application.StepConsents), http.StatusSeeOther)
		return nil
	}
}

// newDraftID returns 128 random bits in hexadecimal.
func newDraftID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// openDraft reads the request's draft and checks that it is the
// visitor's: bound to their account, or, before that, begun in their
// browser. Anything else is errNoDraft.
func (h *server) openDraft(w http.ResponseWriter, r *http.Request, kind application.Kind) (*wizardCtx, error) {
	lang, c, err := h.place(w, r)
	if err != nil {
		return nil, err
	}
	id := r.PathValue("draft")
	if len(id) != 32 {
		return nil, errNoDraft
	}
	d, err := h.apps.Draft(r.Context(), id)
	if errors.Is(err, errs.ErrNotFound) || (err == nil && (d.City != c.Slug || d.Kind != kind)) {
		return nil, errNoDraft
	}
	if err != nil {
		return nil, err
	}

	camp, err := h.campaignFor(r.Context(), kind, c.Slug, h.now())
	if err != nil {
		return nil, err
	}
	wc := &wizardCtx{lang: lang, tr: h.catalog.Translator(lang), city: c, wizard: application.Wizards[kind],
		rules: services[kind], campaign: camp, draft: d}
	if cab, err := h.authenticate(r, lang); err == nil {
		wc.cab = cab
	} else if errs.KindOf(err) != errs.Unauthenticated {
		return nil, err
	}
	if token := cookieValue(r, draftCookie); token != "" {
		wc.browser = account.HashToken(token)
	}

	switch {
	case d.AccountID != 0 && (wc.cab == nil || wc.cab.account.ID != d.AccountID):
		if wc.cab == nil && d.Browser == wc.browser && wc.browser != "" {
			// The parent's own browser, signed out since: sign in again.
			return nil, &errs.Error{Kind: errs.Unauthenticated, Key: "apply.sign_in_again"}
		}
		return nil, errNoDraft
	case d.AccountID == 0 && (wc.browser == "" || !account.EqualHash(d.Browser, wc.browser)):
		return nil, errNoDraft
	}
	w.Header().Set("Cache-Control", "no-store")
	return wc, nil
}

// applyResume goes to the first step the draft has not done.
func (h *server) applyResume(kind application.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		wc, err := h.openDraft(w, r, kind)
		if err != nil {
			return err
		}
		if wc.draft.ApplicationID != 0 {
			http.Redirect(w, r, wc.base()+"/done", http.StatusSeeOther)
			return nil
		}
		http.Redirect(w, r, wc.stepURL(wc.wizard.Next(&wc.draft)), http.StatusSeeOther)
		return nil
	}
}

// stepView is the data of a step's page.
type stepView struct {
	Kind     application.Kind
	Step     string
	N, Total int
	Back     string // the previous step, or the start page
	Action   string // where the form posts
	Form     form
	Data     any // what the step shows, particular to it
	Warning  string
}

// applyStep shows a step of the draft. A step the draft cannot open yet
// sends the parent to the first one it has not done; a submitted draft
// goes to its confirmation.
func (h *server) applyStep(kind application.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		wc, err := h.openDraft(w, r, kind)
		if err != nil {
			return err
		}
		step := r.PathValue("step")
		if !wc.wizard.Has(step) {
			return errNoDraft
		}
		if wc.draft.ApplicationID != 0 {
			http.Redirect(w, r, wc.base()+"/done", http.StatusSeeOther)
			return nil
		}
		if !wc.wizard.CanOpen(&wc.draft, step) {
			http.Redirect(w, r, wc.stepURL(wc.wizard.Next(&wc.draft)), http.StatusSeeOther)
			return nil
		}
		s, ok := h.steps()[step]
		if !ok {
			return errNoDraft
		}
		view, err := s.show(r, wc)
		if err != nil {
			return err
		}
		return h.renderStep(w, r, wc, step, http.StatusOK, view)
	}
}

// applySave saves a step's form. A refusal shows the step again with the
// errors next to their fields and everything typed kept; success goes to
// the next step not done.
func (h *server) applySave(kind application.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		wc, err := h.openDraft(w, r, kind)
		if err != nil {
			return err
		}
		step := r.PathValue("step")
		s, ok := h.steps()[step]
		if !ok || !wc.wizard.Has(step) || step == application.StepCheck {
			return errNoDraft
		}
		if wc.draft.ApplicationID != 0 {
			return &errs.Error{Kind: errs.Conflict, Key: "application.draft_submitted"}
		}
		if !wc.wizard.CanOpen(&wc.draft, step) {
			http.Redirect(w, r, wc.stepURL(wc.wizard.Next(&wc.draft)), http.StatusSeeOther)
			return nil
		}

		view, err := s.save(w, r, wc)
		if err != nil {
			list, status, ok := h.formErrors(w, wc.tr, err, s.field)
			if !ok {
				return err
			}
			if view == nil {
				if view, err = s.show(r, wc); err != nil {
					return err
				}
			}
			view.Form.Errors = list
			return h.renderStep(w, r, wc, step, status, view)
		}

		wc.draft.Complete(step)
		wc.draft.UpdatedAt = h.now()
		if err := h.apps.SaveDraft(r.Context(), wc.draft); err != nil {
			return err
		}
		http.Redirect(w, r, wc.stepURL(wc.wizard.Next(&wc.draft)), http.StatusSeeOther)
		return nil
	}
}

// renderStep renders a step's page.
func (h *server) renderStep(w http.ResponseWriter, r *http.Request, wc *wizardCtx, step string, status int, view *stepView) error {
	view.Kind, view.Step = wc.wizard.Kind, step
	view.N, view.Total = wc.wizard.Position(step)
	view.Action = wc.stepURL(step)
	if prev := wc.wizard.Prev(step); prev != "" {
		view.Back = wc.stepURL(prev)
	} else {
		view.Back = "/" + string(wc.lang) + "/" + wc.city.Slug + "/apply/" + string(wc.wizard.Kind)
	}
	title := wc.tr.T("apply.step."+step) + " — " + wc.tr.T("service."+string(wc.wizard.Kind)+".title")
	p := h.newPage(r, wc.lang, title, &wc.city)
	p.Data = view
	return h.render(w, status, "apply_step", p)
}

// wizardStep is one step's two handlers: what its page shows, and how its
// form is read into the draft. field names the form field a refusal that
// names none belongs to.
type wizardStep struct {
	field string
	show  func(r *http.Request, wc *wizardCtx) (*stepView, error)
	// save reads the form into wc.draft; on a refusal it may return the
	// view to show again (with what was typed), or nil to show the step
	// afresh.
	save func(w http.ResponseWriter, r *http.Request, wc *wizardCtx) (*stepView, error)
	// rows are the step's answers as the check page lists them, each
	// with the link that changes it; nil for a step that shows none.
	rows func(r *http.Request, wc *wizardCtx) ([]answerRow, error)
	// valid checks the step's answers again at submission, as the data may
	// have changed since the parent gave them; nil for a step with nothing
	// to check again.
	valid func(r *http.Request, wc *wizardCtx) (bool, error)
}

// values returns a form of the values typed, trimmed and bounded.
func values(r *http.Request, names ...string) form {
	f := form{Values: map[string]string{}}
	for _, n := range names {
		f.Values[n] = trimForm(r, n, 300)
	}
	return f
}

// refuse wraps a list of field refusals as the error a save returns.
func refuse(fields ...account.FieldError) error {
	return &errs.Error{Kind: errs.Invalid, Key: "account.form", Err: account.FieldErrors(fields)}
}
