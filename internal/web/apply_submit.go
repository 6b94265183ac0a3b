package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"sakura/internal/application"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/person"
)

// checkView is the data of the check-answers step.
type checkView struct {
	Rows     []answerRow
	Open     bool   // the campaign takes applications now
	Opens    string // when it does, if not yet
	Late     bool   // the child's birthday falls late in the year
	Submit   string // where the submit button posts
	Existing string // the card of the child's application that blocks this one
}

// answerRow is one answer with the link that changes it.
type answerRow struct {
	Label, Value, Change string
}

// checkShow lists every answer with a link to change it, step by step.
func (h *server) checkShow(r *http.Request, wc *wizardCtx) (*stepView, error) {
	window := wc.campaign.WindowOf(string(wc.wizard.Kind))
	v := checkView{Open: window.Holds(h.now()), Opens: window.From.Format("02.01.2006"), Submit: wc.base() + "/submit"}
	steps := h.steps()
	for _, name := range wc.wizard.Steps {
		if s := steps[name]; s.rows != nil {
			rows, err := s.rows(r, wc)
			if err != nil {
				return nil, err
			}
			v.Rows = append(v.Rows, rows...)
		}
	}
	if late, err := wc.rules.age(wc.campaign, wc.draft.Answers.ChildBirthDate); err == nil && late {
		v.Late = true
	}
	return &stepView{Data: v}, nil
}

// row is an answer of a step, with the link that changes it.
func (wc *wizardCtx) row(step, label, value string) answerRow {
	if value == "" {
		value = wc.tr.T("apply.none")
	}
	return answerRow{Label: wc.tr.T(label), Value: value, Change: wc.stepURL(step)}
}

// The check page's rows of the shared steps.

func (h *server) consentsRows(r *http.Request, wc *wizardCtx) ([]answerRow, error) {
	consents := make([]string, len(wc.draft.Answers.Consents))
	for i, c := range wc.draft.Answers.Consents {
		consents[i] = wc.tr.T("apply.consent." + c)
	}
	return []answerRow{wc.row(application.StepConsents, "apply.check.consents", strings.Join(consents, "; "))}, nil
}

func (h *server) identityRows(r *http.Request, wc *wizardCtx) ([]answerRow, error) {
	a := wc.draft.Answers
	return []answerRow{wc.row(application.StepIdentity, "apply.check.phone", a.Phone),
		wc.row(application.StepIdentity, "apply.check.parent", person.MaskIIN(a.ParentIIN))}, nil
}

func (h *server) contactsRows(r *http.Request, wc *wizardCtx) ([]answerRow, error) {
	a := wc.draft.Answers
	return []answerRow{wc.row(application.StepContacts, "apply.check.extra_phone", a.ExtraPhone),
		wc.row(application.StepContacts, "apply.check.email", a.Email)}, nil
}

func (h *server) childRows(r *http.Request, wc *wizardCtx) ([]answerRow, error) {
	a := wc.draft.Answers
	child := person.MaskIIN(a.ChildIIN)
	if a.ChildNoIIN {
		child = a.ChildSurname + " " + a.ChildName + ", " + a.ChildBirthDate.Format("02.01.2006")
	}
	return []answerRow{wc.row(application.StepChild, "apply.check.child", child)}, nil
}

func (h *server) documentsRows(r *http.Request, wc *wizardCtx) ([]answerRow, error) {
	var docs []string
	for _, d := range wc.draft.Answers.Documents {
		if d.Kind == proofSlot.Name || d.Kind == certificateSlot.Name {
			continue // shown with their own steps
		}
		docs = append(docs, wc.tr.T("apply.document."+d.Kind)+": "+d.Name+" ("+sizeText(d.Size)+")")
	}
	return []answerRow{wc.row(application.StepDocuments, "apply.check.documents", strings.Join(docs, "; "))}, nil
}

func (h *server) addressRows(r *http.Request, wc *wizardCtx) ([]answerRow, error) {
	a := wc.draft.Answers
	return []answerRow{wc.row(application.StepAddress, "apply.check.address", a.Address),
		wc.row(application.StepAddress, "apply.check.language", wc.tr.T("places.language."+a.Language))}, nil
}

func (h *server) schoolRows(r *http.Request, wc *wizardCtx) ([]answerRow, error) {
	a := wc.draft.Answers
	school := ""
	opts, err := h.options(r, wc)
	if err != nil {
		return nil, err
	}
	for _, o := range opts {
		if o.ID == a.SchoolID {
			school = o.Name
			if o.BasisTxt != "" {
				school += " (" + o.BasisTxt + ")"
			}
		}
	}
	return []answerRow{wc.row(application.StepSchool, "apply.check.school", school)}, nil
}

func (h *server) notifyRows(r *http.Request, wc *wizardCtx) ([]answerRow, error) {
	a := wc.draft.Answers
	return []answerRow{wc.row(application.StepNotify, "apply.check.notify",
		wc.tr.T("cabinet.channel."+a.Channel)+", "+langNames[i18n.Lang(a.NotifyLang)])}, nil
}

// applySubmit submits the draft: every answer checked again, then one
// transaction writes the application, its number and its message. A
// second click, a resent form or a retried request finds the application
// the first one made.
func (h *server) applySubmit(kind application.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		wc, err := h.openDraft(w, r, kind)
		if err != nil {
			return err
		}
		if wc.draft.ApplicationID != 0 {
			http.Redirect(w, r, wc.base()+"/done", http.StatusSeeOther)
			return nil
		}
		if !wc.wizard.CanOpen(&wc.draft, application.StepCheck) || wc.cab == nil || wc.draft.AccountID != wc.cab.account.ID {
			http.Redirect(w, r, wc.stepURL(wc.wizard.Next(&wc.draft)), http.StatusSeeOther)
			return nil
		}

		refusal, err := h.recheck(r, wc)
		if err != nil {
			return err
		}
		if window := wc.campaign.WindowOf(string(kind)); refusal == nil && !window.Holds(h.now()) {
			refusal = &errs.Error{Kind: errs.Conflict, Key: "apply.closed",
				Args: map[string]any{"Opens": window.From.Format("02.01.2006"), "Closes": window.To.Format("02.01.2006")}}
		}
		var app application.Application
		if refusal == nil {
			app, _, refusal = h.submit(r, wc)
		}
		if refusal != nil {
			var e *errs.Error
			if !errors.As(refusal, &e) || e.Key == "" {
				return refusal
			}
			view, err := h.checkShow(r, wc)
			if err != nil {
				return err
			}
			view.Form.Errors = []fieldError{{Field: "submit", Message: wc.tr.Message(e.Key, e.Args)}}
			status := http.StatusBadRequest
			if e.Kind == errs.Conflict {
				status = http.StatusConflict
			}
			return h.renderStep(w, r, wc, application.StepCheck, status, view)
		}
		_ = app
		http.Redirect(w, r, wc.base()+"/done", http.StatusSeeOther)
		return nil
	}
}

// recheck checks every answer again, step by step, as the data may have
// changed since the parent gave it: the child in the registry, the files,
// the school still offered. A refusal sends the parent back to the step.
func (h *server) recheck(r *http.Request, wc *wizardCtx) (error, error) {
	steps := h.steps()
	for _, name := range wc.wizard.Steps {
		s := steps[name]
		if s.valid == nil {
			continue
		}
		ok, err := s.valid(r, wc)
		if err != nil {
			return nil, err
		}
		if !ok {
			return &errs.Error{Kind: errs.Invalid, Key: "apply.recheck." + name}, nil
		}
	}
	return nil, nil
}

// What the shared steps check again at submission.

func (h *server) consentsValid(r *http.Request, wc *wizardCtx) (bool, error) {
	return len(wc.draft.Answers.Consents) == len(application.Consents), nil
}

func (h *server) identityValid(r *http.Request, wc *wizardCtx) (bool, error) {
	return wc.draft.Answers.ParentIIN == wc.cab.account.IIN, nil
}

func (h *server) childValid(r *http.Request, wc *wizardCtx) (bool, error) {
	a := wc.draft.Answers
	if !a.ChildNoIIN {
		if _, err := h.persons.Link(r.Context(), a.ParentIIN, a.ChildIIN); errors.Is(err, errs.ErrNotFound) {
			return false, nil
		} else if err != nil {
			return false, err
		}
	}
	_, err := wc.rules.age(wc.campaign, a.ChildBirthDate)
	return err == nil, nil
}

func (h *server) documentsValid(r *http.Request, wc *wizardCtx) (bool, error) {
	for _, slot := range slots(wc) {
		if slot.File == "" {
			return false, nil
		}
	}
	return true, nil
}

func (h *server) schoolValid(r *http.Request, wc *wizardCtx) (bool, error) {
	opts, err := h.options(r, wc)
	if err != nil {
		return false, err
	}
	a := wc.draft.Answers
	for _, o := range opts {
		if o.ID == a.SchoolID && o.Basis == a.Basis {
			return true, nil
		}
	}
	return false, nil
}

// submit writes the application with the SMS or e-mail that tells the
// parent its number.
func (h *server) submit(r *http.Request, wc *wizardCtx) (application.Application, bool, error) {
	a := wc.draft.Answers
	now := h.now()
	to := wc.cab.account.Phone
	channel := notify.Channel(a.Channel)
	if channel == notify.Email {
		to = wc.cab.account.Email
	}
	year := wc.campaign.Year
	if a.SchoolYear != 0 {
		year = a.SchoolYear // transport, asked for this school year or the next
	}
	sub := application.Submission{
		DraftID: wc.draft.ID, City: wc.city.Slug, CityCode: application.CityCode(wc.city.Slug), Kind: wc.wizard.Kind, Year: year,
		Basis: a.Basis, Account: wc.draft.AccountID, Child: a.ChildKey(), SchoolID: a.SchoolID, Answers: a, At: now,
		Event: notify.Event{Kind: "application_submitted"},
	}
	// The number is known only inside the transaction, so the message
	// carries the draft's reference and the store fills in the number.
	sub.Deliveries = []notify.Delivery{{Channel: channel, To: to, Lang: i18n.Lang(a.NotifyLang),
		Message: notify.ApplicationSubmitted}}
	app, created, err := h.apps.Submit(r.Context(), sub)
	return app, created, err
}

// doneView is the data of the confirmation page.
type doneView struct {
	Kind     application.Kind
	Number   string
	School   string
	Basis    string
	Received string
	Card     string
	Again    string
}

// applyDone is the confirmation: the number, what happens next, and the
// way to the application in the cabinet.
func (h *server) applyDone(kind application.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		wc, err := h.openDraft(w, r, kind)
		if err != nil {
			return err
		}
		if wc.draft.ApplicationID == 0 {
			http.Redirect(w, r, wc.stepURL(wc.wizard.Next(&wc.draft)), http.StatusSeeOther)
			return nil
		}
		app, err := h.apps.Application(r.Context(), wc.draft.ApplicationID)
		if err != nil {
			return err
		}
		v := doneView{Kind: kind, Number: string(app.Number), Basis: basisText(wc.tr, app.Basis),
			Received: app.ReceivedAt.In(kazakhstan).Format("02.01.2006 15:04"),
			Card:     cabinetURL(wc.lang, "applications/"+strconv.FormatInt(app.ID, 10)),
			Again:    "/" + string(wc.lang) + "/" + wc.city.Slug + "/apply/" + string(kind)}
		if idx, err := h.places.City(r.Context(), wc.city.Slug); err == nil {
			if s, ok := idx.School(app.SchoolID); ok {
				v.School = s.Name.In(wc.lang)
			}
		}
		p := h.newPage(r, wc.lang, wc.tr.T("apply.done.title"), &wc.city)
		p.Data = v
		return h.render(w, http.StatusOK, "apply_done", p)
	}
}
