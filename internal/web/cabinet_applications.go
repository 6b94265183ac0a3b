package web

import (
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"sakura/internal/application"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/person"
)

// applicationsView is the data of the list of the parent's applications.
type applicationsView struct {
	Nav      cabinetNav
	Drafts   []draftRow // applications being filled in, to go on with
	Items    []applicationRow
	StartURL string // the grade-1 wizard of the remembered city, for the empty list
}

// draftRow is a draft as the list shows it: its kind, how far it got and
// the link that goes on with it.
type draftRow struct {
	Kind    string
	Done    int
	Total   int
	Changed string
	URL     string
}

// applicationRow is one application as the list shows it.
type applicationRow struct {
	Number   string
	Kind     string
	School   string
	Status   string
	Class    string // the status, for the style
	Received string // local time, as people read it
	DateTime string // the same in RFC 3339, for <time>
	URL      string
}

// applicationCardView is the data of an application's card.
type applicationCardView struct {
	Nav       cabinetNav
	Row       applicationRow
	Answers   []answerView
	Documents []documentView
	Timeline  []changeView
	// Withdraw is where the withdraw form posts, or "" when the
	// application is decided.
	Withdraw string
	Back     string
	// Confirm makes the page the question before a withdrawal: the
	// application's head and a form carrying confirm=yes.
	Confirm bool
	// Queue is where a waiting quota application stands; Referral links
	// the referral the application got.
	Queue    *queueView2
	Referral string
}

// answerView is one answer of the application, as a term and its value.
type answerView struct {
	Label string
	Value string
}

// documentView is one attached document with its download link.
type documentView struct {
	Name string
	Kind string
	Size string
	URL  string
}

// changeView is one entry of the timeline.
type changeView struct {
	Status   string
	Class    string
	At       string
	DateTime string
	Reason   string
	Actor    string // who took the step, for staff
}

// applicationsPage lists the parent's applications, newest first.
func (h *server) applicationsPage(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	apps, err := h.apps.Applications(r.Context(), cab.account.ID)
	if err != nil {
		return fmt.Errorf("my applications: %w", err)
	}
	view := applicationsView{Nav: h.nav(r, cab, "applications")}
	drafts, err := h.apps.Drafts(r.Context(), cab.account.ID)
	if err != nil {
		return fmt.Errorf("my applications: %w", err)
	}
	for _, d := range drafts {
		wz, ok := application.Wizards[d.Kind]
		if !ok {
			continue
		}
		_, total := wz.Position(application.StepCheck)
		view.Drafts = append(view.Drafts, draftRow{
			Kind: cab.tr.T("service." + string(d.Kind) + ".title"), Done: len(d.Done), Total: total,
			Changed: d.UpdatedAt.In(kazakhstan).Format("02.01.2006 15:04"),
			URL:     "/" + string(cab.lang) + "/" + d.City + "/apply/" + string(d.Kind) + "/" + d.ID,
		})
	}
	for _, a := range apps {
		view.Items = append(view.Items, h.applicationRow(r, cab, a))
	}
	if c := h.rememberedCity(r); c != nil {
		view.StartURL = "/" + string(cab.lang) + "/" + c.Slug + "/apply/grade1"
	}
	return h.cabinetPage(w, r, http.StatusOK, "cabinet_applications",
		cab.tr.T("cabinet.nav.applications"), view)
}

// applicationCard shows one of the parent's applications: the answers, the
// documents, the timeline and, while nothing is decided, the way to
// withdraw it.
func (h *server) applicationCard(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	a, err := h.ownApplication(r, cab)
	if err != nil {
		return err
	}
	history, err := h.apps.History(r.Context(), a.ID)
	if err != nil {
		return fmt.Errorf("application card: %w", err)
	}

	row := h.applicationRow(r, cab, a)
	view := applicationCardView{
		Nav:     h.nav(r, cab, "applications"),
		Row:     row,
		Answers: h.answerViews(cab.tr, a, row.School),
		Back:    cabinetURL(cab.lang, "applications"),
	}
	if r.URL.Query().Get("done") == "withdrawn" {
		view.Nav.Flash = cab.tr.T("myapps.withdrawn")
	}
	for i, d := range a.Answers.Documents {
		view.Documents = append(view.Documents, documentView{
			Name: d.Name,
			Kind: cab.tr.T("myapps.document." + d.Kind),
			Size: fileSize(cab.tr, d.Size),
			URL:  row.URL + "/documents/" + strconv.Itoa(i+1),
		})
	}
	view.Timeline = h.timeline(cab.tr, history, false)
	if h.office != nil {
		if err := h.cardAdmission(r, cab, a, &view); err != nil {
			return err
		}
	}
	if a.Status.Withdrawable() {
		view.Withdraw = row.URL + "/withdraw"
	}
	return h.cabinetPage(w, r, http.StatusOK, "cabinet_application",
		cab.tr.T("myapps.card.title", "Number", string(a.Number)), view)
}

// applicationWithdraw withdraws an undecided application. Without
// confirm=yes it asks first, on a page of its own, so that no script is
// needed for the second thought.
func (h *server) applicationWithdraw(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	a, err := h.ownApplication(r, cab)
	if err != nil {
		return err
	}
	if !a.Status.Withdrawable() {
		return &errs.Error{Kind: errs.Conflict, Key: "application.not_withdrawable"}
	}

	row := h.applicationRow(r, cab, a)
	if r.PostFormValue("confirm") != "yes" {
		return h.cabinetPage(w, r, http.StatusOK, "cabinet_application",
			cab.tr.T("myapps.withdraw.title", "Number", string(a.Number)),
			applicationCardView{Nav: h.nav(r, cab, "applications"), Row: row, Withdraw: row.URL + "/withdraw",
				Back: row.URL, Confirm: true})
	}

	e := notify.Event{Kind: "application_withdrawn", Data: map[string]string{"number": string(a.Number)}}
	if _, err := h.apps.Withdraw(r.Context(), a.ID, cab.account.ID, e, time.Now()); err != nil {
		return fmt.Errorf("withdraw application: %w", err)
	}
	http.Redirect(w, r, row.URL+"?done=withdrawn", http.StatusSeeOther)
	return nil
}

// applicationDocument sends the n-th document of the parent's application
// as a download, never shown inline and never cached.
func (h *server) applicationDocument(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	a, err := h.ownApplication(r, cab)
	if err != nil {
		return err
	}
	return h.sendDocument(w, r, a, "attachment")
}

// sendDocument sends the document of a the path's n names, never cached:
// as an attachment to its parent, inline (in a sandbox that runs nothing)
// to the staff who decide.
func (h *server) sendDocument(w http.ResponseWriter, r *http.Request, a application.Application, disposition string) error {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(a.Answers.Documents) {
		return fmt.Errorf("application %d has no document %q: %w", a.ID, r.PathValue("n"), errs.ErrNotFound)
	}
	d := a.Answers.Documents[n-1]
	data, err := h.docs.Get(r.Context(), d.Key)
	if err != nil {
		return fmt.Errorf("application %d, document %d: %w", a.ID, n, err)
	}

	contentType := d.ContentType
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	name := d.Name
	if name == "" {
		name = "document-" + strconv.Itoa(n)
	}
	w.Header().Set("Content-Type", contentType)
	value := mime.FormatMediaType(disposition, map[string]string{"filename": name})
	if value == "" {
		value = disposition // a name mime cannot write; the browser picks one
	}
	w.Header().Set("Content-Disposition", value)
	if disposition == "inline" {
		w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data) // a visitor who left is no error of ours
	return nil
}

// ownApplication returns the application the path names when it is the
// signed-in parent's. Another parent's, a missing one and an id that is no
// number are all not found, alike, so that ids reveal nothing.
func (h *server) ownApplication(r *http.Request, cab *cabinet) (application.Application, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return application.Application{}, fmt.Errorf("application %q: %w", r.PathValue("id"), errs.ErrNotFound)
	}
	a, err := h.apps.Application(r.Context(), id)
	if err != nil {
		return application.Application{}, fmt.Errorf("read application: %w", err)
	}
	if a.AccountID != cab.account.ID {
		return application.Application{}, fmt.Errorf("application %d of another account: %w", id, errs.ErrNotFound)
	}
	return a, nil
}

// applicationRow is what the list and the card head show of a.
func (h *server) applicationRow(r *http.Request, cab *cabinet, a application.Application) applicationRow {
	return applicationRow{
		Number:   string(a.Number),
		Kind:     cab.tr.T("service." + string(a.Kind) + ".title"),
		School:   h.schoolName(r, cab.lang, a.City, a.SchoolID),
		Status:   cab.tr.T("status." + string(a.Status)),
		Class:    string(a.Status),
		Received: a.ReceivedAt.In(kazakhstan).Format("02.01.2006 15:04"),
		DateTime: a.ReceivedAt.UTC().Format(time.RFC3339),
		URL:      cabinetURL(cab.lang, "applications/"+strconv.FormatInt(a.ID, 10)),
	}
}

// schoolName returns the name of a city's school in lang, or its number
// when the registry does not know it; "" for none.
func (h *server) schoolName(r *http.Request, lang i18n.Lang, city string, id int64) string {
	if id == 0 {
		return ""
	}
	if h.schools != nil {
		s, err := h.schools.School(r.Context(), city, id)
		if err == nil && s.School != nil {
			return s.Name.In(lang)
		}
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			h.log.LogAttrs(r.Context(), slog.LevelWarn, "school name",
				requestAttrs(r), slog.Any("error", err))
		}
	}
	return "№ " + strconv.FormatInt(id, 10)
}

// answerViews turns the answers into what a parent reads: the child's IIN
// masked, codes translated, empty answers left out.
func (h *server) answerViews(tr *i18n.Translator, a application.Application, school string) []answerView {
	ans := a.Answers
	var out []answerView
	add := func(key, value string) {
		if value != "" {
			out = append(out, answerView{Label: tr.T(key), Value: value})
		}
	}

	if n := len(ans.Consents); n > 0 {
		add("myapps.answer.consents", tr.N("myapps.answer.consents_given", n))
	}
	add("myapps.answer.phone", ans.Phone)
	add("myapps.answer.extra_phone", ans.ExtraPhone)
	add("myapps.answer.email", ans.Email)

	if ans.ChildIIN != "" && !ans.ChildNoIIN {
		add("myapps.answer.child_iin", person.MaskIIN(ans.ChildIIN))
	} else {
		child := strings.Join(strings.Fields(ans.ChildSurname+" "+ans.ChildName), " ")
		if !ans.ChildBirthDate.IsZero() {
			child = strings.TrimSpace(child + ", " + ans.ChildBirthDate.Format("02.01.2006"))
		}
		add("myapps.answer.child", child)
		if ans.ChildAbroad {
			add("myapps.answer.child_abroad", tr.T("myapps.answer.yes"))
		}
	}

	add("myapps.answer.address", ans.Address)
	if ans.Language != "" {
		add("myapps.answer.language", translated(tr, "school.lang."+ans.Language, ans.Language))
	}
	add("myapps.answer.school", school)
	if basis := a.Basis; basis != "" {
		add("myapps.answer.basis", translated(tr, "myapps.basis."+string(basis), string(basis)))
	}

	var notice []string
	if ans.Channel != "" {
		notice = append(notice, translated(tr, "cabinet.channel."+ans.Channel, ans.Channel))
	}
	if l, ok := i18n.ParseLang(ans.NotifyLang); ok {
		notice = append(notice, langNames[l])
	}
	add("myapps.answer.notify", strings.Join(notice, ", "))
	return out
}

// translated returns the message key, or fallback when the catalogue has
// no such key (a code this page does not know yet).
func translated(tr *i18n.Translator, key, fallback string) string {
	if s := tr.T(key); s != key {
		return s
	}
	return fallback
}

// fileSize writes a size in kilobytes, or in megabytes with one decimal
// from one megabyte on, with the language's decimal comma or point.
func fileSize(tr *i18n.Translator, size int64) string {
	if size < 1<<20 {
		return tr.T("myapps.size.kb", "Size", strconv.FormatInt(max(1, (size+1023)/1024), 10))
	}
	mb := strconv.FormatFloat(float64(size)/(1<<20), 'f', 1, 64)
	if tr.Lang() != i18n.EN {
		mb = strings.Replace(mb, ".", ",", 1)
	}
	return tr.T("myapps.size.mb", "Size", mb)
}
