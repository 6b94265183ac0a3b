package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/school"
	"sakura/internal/staff"
)

// officePerPage is how many applications a page of the queue lists.
const officePerPage = 50

// queueView is the data of the queue of applications.
type queueView struct {
	Nav      officeNav
	Form     form
	Schools  []option // the operator's choice of school
	Kinds    []option
	Statuses []option
	Bases    []option
	Items    []queueRow
	Total    int
	Pager    []pageLink
	Bulk     string // where the bulk referral form posts, "" when nothing can take one
	Operator bool
}

// queueRow is one application as the queue lists it.
type queueRow struct {
	ID       int64
	Number   string
	Child    string
	School   string
	Kind     string
	Basis    string
	Status   string
	Class    string
	Received string
	DateTime string
	URL      string
	Bulk     bool // an accepted catchment application: it may take a referral in bulk
}

// queueFilter reads the queue's filters from the query, each checked
// against its list; a wrong one is named next to its field and left out.
func (h *server) queueFilter(r *http.Request, o *office) (application.Filter, form) {
	l := newListQuery(r, o.tr)
	f := application.Filter{City: o.user.City, SchoolID: o.user.SchoolID, Limit: officePerPage}
	if v := l.keep("school"); v != "" && o.user.Role == staff.RoleOperator {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			f.SchoolID = id
		} else {
			l.bad("school")
		}
	}
	if v := l.keep("kind"); v != "" {
		if k, ok := application.ParseKind(v); ok {
			f.Kind = k
		} else {
			l.bad("kind")
		}
	}
	if v := l.keep("status"); v != "" {
		if slices.Contains(allStatuses, application.Status(v)) {
			f.Status = application.Status(v)
		} else {
			l.bad("status")
		}
	}
	if v := l.keep("basis"); v != "" {
		if v == string(application.Catchment) || v == string(application.Quota) {
			f.Basis = application.Basis(v)
		} else {
			l.bad("basis")
		}
	}
	f.From, f.To = l.days()
	f.Query = l.keep("q")
	f.Offset = l.offset(officePerPage)
	return f, l.form
}

// allStatuses are the statuses of DOMAIN.md in the order of the filter.
var allStatuses = []application.Status{application.Submitted, application.Accepted, application.Waiting,
	application.Referral, application.Enrolled, application.Refused, application.Withdrawn, application.Expired}

// officeQueue lists the applications to the staff member's school (or,
// for an operator, the city's), with filters in the URL.
func (h *server) officeQueue(w http.ResponseWriter, r *http.Request, o *office) error {
	f, fm := h.queueFilter(r, o)
	list, total, err := h.apps.SearchApplications(r.Context(), f)
	if err != nil {
		return fmt.Errorf("office queue: %w", err)
	}
	v := queueView{Nav: h.officeNav(r, o, "applications"), Form: fm, Total: total,
		Operator: o.user.Role == staff.RoleOperator}
	for _, k := range application.Kinds {
		v.Kinds = append(v.Kinds, option{Value: string(k), Label: o.tr.T("service." + string(k) + ".title"),
			Selected: string(k) == fm.Value("kind")})
	}
	for _, s := range allStatuses {
		v.Statuses = append(v.Statuses, option{Value: string(s), Label: o.tr.T("status." + string(s)),
			Selected: string(s) == fm.Value("status")})
	}
	for _, b := range []application.Basis{application.Catchment, application.Quota} {
		v.Bases = append(v.Bases, option{Value: string(b), Label: o.tr.T("myapps.basis." + string(b)),
			Selected: string(b) == fm.Value("basis")})
	}
	if v.Operator {
		all, err := h.schools.All(r.Context(), o.user.City, o.lang, school.Filter{})
		if err != nil {
			return fmt.Errorf("office queue: %w", err)
		}
		for _, s := range all {
			id := strconv.FormatInt(s.ID, 10)
			v.Schools = append(v.Schools, option{Value: id, Label: s.Name.In(o.lang), Selected: id == fm.Value("school")})
		}
	}
	for _, a := range list {
		row := h.queueRow(r, o, a)
		if row.Bulk {
			v.Bulk = officeURL(o.lang, "referrals")
		}
		v.Items = append(v.Items, row)
	}
	v.Pager = pager(r.URL, total, officePerPage)
	status := http.StatusOK
	if len(fm.Errors) > 0 {
		status = http.StatusBadRequest
	}
	return h.officePage(w, r, o.lang, status, "office_queue", o.tr.T("office.queue.title"), v)
}

// pager links the pages of a list of total items, keeping the query.
func pager(u *url.URL, total, per int) []pageLink {
	pages := (total + per - 1) / per
	if pages <= 1 {
		return nil
	}
	current, _ := strconv.Atoi(u.Query().Get("page"))
	current = max(current, 1)
	var out []pageLink
	for n := 1; n <= pages && n <= 200; n++ {
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		out = append(out, pageLink{Number: n, URL: u.Path + "?" + q.Encode(), Current: n == current})
	}
	return out
}

// queueRow is what the queue and the card head show of an application.
func (h *server) queueRow(r *http.Request, o *office, a application.Application) queueRow {
	row := queueRow{
		ID: a.ID, Number: string(a.Number), Child: a.ChildName,
		School:   h.schoolName(r, o.lang, a.City, a.SchoolID),
		Kind:     o.tr.T("service." + string(a.Kind) + ".title"),
		Status:   o.tr.T("status." + string(a.Status)),
		Class:    string(a.Status),
		Received: a.ReceivedAt.In(kazakhstan).Format("02.01.2006 15:04:05"),
		DateTime: a.ReceivedAt.UTC().Format(time.RFC3339Nano),
		URL:      officeURL(o.lang, "applications/"+strconv.FormatInt(a.ID, 10)),
		Bulk:     a.Status == application.Accepted && a.Basis != application.Quota,
	}
	if a.Basis != "" {
		row.Basis = o.tr.T("myapps.basis." + string(a.Basis))
	}
	return row
}

// officeCardView is the data of an application's card in the office.
type officeCardView struct {
	Nav       officeNav
	Row       queueRow
	Answers   []answerView
	Documents []documentView
	Timeline  []changeView
	Referral  *referralView
	Queue     *queueView2
	Actions   map[string]string // action → where its form posts
	Reasons   []option
	Form      form
	Warning   string // a catchment referral past the plan, or no place free
	// Places are the places of a transfer's grade, a grade-10 profile or
	// a camp's shift, when the next decision would take one.
	Places *admission.Places
	// The labels of the buttons that issue and use a referral: a slip
	// and a voucher are named as such.
	IssueLabel, EnrolLabel string
	NeedsClass             bool // enrolment asks for the class letter; a camp's voucher is used without
}

// queueView2 is where a waiting quota applicant stands.
type queueView2 struct {
	Place, Waiting, Open, Given, ToOpen int
}

// officeApplication reads the application the path names when it is in
// the staff member's reach; anything else is not found, alike.
func (h *server) officeApplication(r *http.Request, o *office) (application.Application, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return application.Application{}, fmt.Errorf("application %q: %w", r.PathValue("id"), errs.ErrNotFound)
	}
	a, err := h.apps.Application(r.Context(), id)
	if err != nil {
		return application.Application{}, fmt.Errorf("office application: %w", err)
	}
	if !o.user.May(staff.Decide, a.City, a.SchoolID) {
		return application.Application{}, fmt.Errorf("application %d out of reach: %w", id, errs.ErrNotFound)
	}
	return a, nil
}

// officeCard shows an application to the staff who decide on it: every
// answer, the documents, the timeline, the referral or the place in the
// queue, and the decisions its status allows.
func (h *server) officeCard(w http.ResponseWriter, r *http.Request, o *office) error {
	a, err := h.officeApplication(r, o)
	if err != nil {
		return err
	}
	v, err := h.officeCardView(r, o, a)
	if err != nil {
		return err
	}
	return h.officePage(w, r, o.lang, http.StatusOK, "office_card",
		o.tr.T("office.card.title", "Number", string(a.Number)), v)
}

func (h *server) officeCardView(r *http.Request, o *office, a application.Application) (officeCardView, error) {
	row := h.queueRow(r, o, a)
	v := officeCardView{Nav: h.officeNav(r, o, "applications"), Row: row,
		Answers: h.answerViews(o.tr, a, row.School), Actions: map[string]string{}}
	for i, d := range a.Answers.Documents {
		v.Documents = append(v.Documents, documentView{Name: d.Name, Kind: o.tr.T("myapps.document." + d.Kind),
			Size: fileSize(o.tr, d.Size), URL: row.URL + "/documents/" + strconv.Itoa(i+1)})
	}
	history, err := h.apps.History(r.Context(), a.ID)
	if err != nil {
		return v, fmt.Errorf("office card: %w", err)
	}
	v.Timeline = h.timeline(o.tr, history, true)

	if ref, err := h.office.ApplicationReferral(r.Context(), a.ID); err == nil {
		rv := h.referralView(r, o.lang, ref)
		v.Referral = &rv
	} else if !errors.Is(err, errs.ErrNotFound) {
		return v, fmt.Errorf("office card: %w", err)
	}
	if a.Status == application.Waiting {
		q, err := h.queuePosition(r, a)
		if err != nil {
			return v, err
		}
		v.Queue = q
	}
	for _, act := range admission.Allowed(a) {
		v.Actions[string(act)] = row.URL + "/decide"
	}
	v.IssueLabel, v.EnrolLabel = o.tr.T("office.decide.referral"), o.tr.T("office.decide.enrol")
	v.NeedsClass = a.Kind != application.Camp
	switch admission.RefKindOf(a.Kind) {
	case admission.RefSlip:
		v.IssueLabel = o.tr.T("office.decide.slip")
	case admission.RefVoucher:
		v.IssueLabel, v.EnrolLabel = o.tr.T("office.decide.voucher"), o.tr.T("office.decide.voucher_used")
	}
	if _, ok := v.Actions[string(admission.Issue)]; ok && a.Kind != application.Grade1 {
		// A slip, a grade-10 referral or a voucher needs a free place.
		p, ok, err := h.admission.PlacesOf(r.Context(), a)
		if err != nil {
			return v, err
		}
		if ok {
			v.Places = &p
			if p.Free() == 0 {
				v.Warning = o.tr.T("office.card.no_places", "Planned", p.Planned, "Taken", p.Taken)
			}
		}
	} else if ok {
		camp, err := h.campaigns.Campaign(r.Context(), a.City, a.Year)
		if err != nil {
			return v, err
		}
		seats, err := h.office.SchoolSeats(r.Context(), a.SchoolID, a.Year, a.Grade())
		if err != nil {
			return v, err
		}
		seats.ClassSize = camp.ClassSize
		if seats.Free() == 0 {
			v.Warning = o.tr.T("office.card.overflow", "Planned", seats.Planned(), "Taken", seats.Taken())
		}
	}
	for _, reason := range admission.Reasons {
		v.Reasons = append(v.Reasons, option{Value: reason, Label: o.tr.T("admission.reason." + reason)})
	}
	return v, nil
}

// timeline turns an application's history into what a page shows; staff
// see who took each step.
func (h *server) timeline(tr *i18n.Translator, history []application.Change, who bool) []changeView {
	var out []changeView
	for _, c := range history {
		cv := changeView{Status: tr.T("status." + string(c.Status)), Class: string(c.Status),
			At: c.At.In(kazakhstan).Format("02.01.2006 15:04"), DateTime: c.At.UTC().Format(time.RFC3339)}
		if c.Reason != "" {
			cv.Reason = translated(tr, "admission.reason."+c.Reason, c.Reason)
			if c.Comment != "" {
				cv.Reason += ". " + c.Comment
			}
		}
		if who {
			switch c.Actor {
			case application.ActorParent, application.ActorQueue, application.ActorSystem:
				cv.Actor = tr.T("office.actor." + c.Actor)
			default:
				cv.Actor = c.Actor
			}
		}
		out = append(out, cv)
	}
	return out
}

// queuePosition says where a waiting quota application stands and what
// opens the next seat.
func (h *server) queuePosition(r *http.Request, a application.Application) (*queueView2, error) {
	place, total, err := h.office.QueuePlace(r.Context(), a)
	if err != nil {
		return nil, err
	}
	camp, err := h.campaigns.Campaign(r.Context(), a.City, a.Year)
	if err != nil {
		return nil, err
	}
	seats, err := h.office.SchoolSeats(r.Context(), a.SchoolID, a.Year, a.Grade())
	if err != nil {
		return nil, err
	}
	seats.ClassSize = camp.ClassSize
	p := admission.Position{Place: place, Waiting: total, Seats: seats, Ratio: camp.QuotaRatio}
	q := &queueView2{Place: place, Waiting: total, Given: seats.Quota, ToOpen: p.ToOpen()}
	if camp.QuotaRatio > 0 {
		q.Open = seats.Catchment / camp.QuotaRatio
	}
	return q, nil
}

// officeDecide takes a decision on the card's form. A refusal that lacks
// its reason or comment shows the card again with everything typed; a
// decision the status no longer allows (another staff member was quicker)
// says so.
func (h *server) officeDecide(w http.ResponseWriter, r *http.Request, o *office) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	a, err := h.officeApplication(r, o)
	if err != nil {
		return err
	}
	d := admission.Decision{Action: admission.Action(r.PostFormValue("action")), Reason: trimForm(r, "reason", 50),
		Comment: trimForm(r, "comment", 2000), Class: strings.ToUpper(trimForm(r, "class", 10))}
	_, err = h.admission.Decide(r.Context(), o.user, a.ID, d, o.client)
	if err == nil {
		http.Redirect(w, r, officeURL(o.lang, "applications/"+strconv.FormatInt(a.ID, 10))+"?done=decided", http.StatusSeeOther)
		return nil
	}
	field := "decision"
	if errs.KindOf(err) == errs.Conflict {
		field = "status"
	}
	list, status, ok := h.formErrors(w, o.tr, err, field)
	if !ok {
		if errs.KindOf(err) != errs.Conflict {
			return err
		}
		list, status = []fieldError{{Field: "status", Message: o.tr.T("admission.not_allowed")}}, http.StatusConflict
	}
	a, err = h.apps.Application(r.Context(), a.ID)
	if err != nil {
		return err
	}
	v, err := h.officeCardView(r, o, a)
	if err != nil {
		return err
	}
	v.Form = form{Values: map[string]string{"action": string(d.Action), "reason": d.Reason, "comment": d.Comment,
		"class": d.Class}, Errors: list}
	for i := range v.Reasons {
		v.Reasons[i].Selected = v.Reasons[i].Value == d.Reason
	}
	return h.officePage(w, r, o.lang, status, "office_card", o.tr.T("office.card.title", "Number", string(a.Number)), v)
}

// officeDocument shows a document of an application inline to the staff
// who decide on it.
func (h *server) officeDocument(w http.ResponseWriter, r *http.Request, o *office) error {
	a, err := h.officeApplication(r, o)
	if err != nil {
		return err
	}
	return h.sendDocument(w, r, a, "inline")
}

// officeBulk issues referrals to the accepted catchment applications
// ticked in the queue, after a fresh re-authentication.
func (h *server) officeBulk(w http.ResponseWriter, r *http.Request, o *office) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	var ids []int64
	for _, v := range r.PostForm["id"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			return &errs.Error{Kind: errs.Invalid, Key: "office.bulk_none"}
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	back := officeURL(o.lang, "applications")
	if ref := safeNext(r.PostFormValue("back")); ref != "" {
		back = ref
	}
	if len(ids) == 0 || len(ids) > 200 {
		return &errs.Error{Kind: errs.Invalid, Key: "office.bulk_none"}
	}
	if !h.staff.Fresh(o.session) {
		// The ticks are lost with the redirect: the re-authentication page
		// says so, and the queue shows them again.
		http.Redirect(w, r, withNext(officeURL(o.lang, "reauth"), back), http.StatusSeeOther)
		return nil
	}
	if _, err := h.admission.DecideMany(r.Context(), o.user, ids, o.client); err != nil {
		return err
	}
	sep := "?"
	if strings.Contains(back, "?") {
		sep = "&"
	}
	http.Redirect(w, r, back+sep+"done=bulk", http.StatusSeeOther)
	return nil
}
