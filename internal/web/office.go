package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"sakura/internal/account"
	"sakura/internal/address"
	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/campaign"
	"sakura/internal/catchment"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/importer"
	"sakura/internal/school"
	"sakura/internal/social"
	"sakura/internal/staff"
)

// Staff is what the back office asks of the staff service; *staff.Service
// is one.
type Staff interface {
	SignIn(ctx context.Context, login, password string, c account.Client) (string, bool, error)
	Pending(ctx context.Context, token string) (staff.User, staff.Session, error)
	Enrolment(ctx context.Context, token string) (staff.Enrolment, error)
	SecondFactor(ctx context.Context, pending, code string, c account.Client) (string, []string, error)
	Authenticate(ctx context.Context, token string) (staff.User, staff.Session, error)
	Fresh(se staff.Session) bool
	Reauthenticate(ctx context.Context, u staff.User, se staff.Session, password, code string, c account.Client) error
	SignOut(ctx context.Context, token string, c account.Client) error

	AddUser(ctx context.Context, actor staff.User, n staff.NewUser, c account.Client) (staff.User, error)
	Users(ctx context.Context) ([]staff.User, error)
	ChangeUser(ctx context.Context, actor staff.User, id int64, ch staff.Change, c account.Client) (staff.User, error)
}

// Admission is what the back office asks of the admission service;
// *admission.Service is one.
type Admission interface {
	Decide(ctx context.Context, actor staff.User, id int64, d admission.Decision, c account.Client) (application.Application, error)
	DecideMany(ctx context.Context, actor staff.User, ids []int64, c account.Client) (int, error)
	// Places counts the places free at schools (a transfer, grade 10) or
	// shifts (a camp).
	Places(ctx context.Context, q admission.PlaceQuery, ids []int64) (map[int64]admission.Places, error)
	PlacesOf(ctx context.Context, a application.Application) (admission.Places, bool, error)
	// Reallocate gives the seats a school has open to those waiting,
	// after its seats plan changed.
	Reallocate(ctx context.Context, city string, schoolID int64, year int) (int, error)
}

// OfficeStore is what the back office and the cabinet's referrals read and
// keep; *store.DB is one.
type OfficeStore interface {
	SearchApplications(ctx context.Context, f application.Filter) ([]application.Application, int, error)
	ApplicationReferral(ctx context.Context, applicationID int64) (admission.Referral, error)
	QueuePlace(ctx context.Context, a application.Application) (place, total int, err error)
	SchoolSeats(ctx context.Context, schoolID int64, year, grade int) (admission.Seats, error)
	CitySeats(ctx context.Context, city string, year, grade int) ([]admission.Seats, error)

	Referrals(ctx context.Context, accountID int64) ([]admission.Referral, error)
	Referral(ctx context.Context, id int64) (admission.Referral, error)
	ReferralByCode(ctx context.Context, code string) (admission.Referral, error)
	PupilFiles(ctx context.Context, accountID int64) ([]admission.PupilFile, error)
	ChildTimeline(ctx context.Context, accountID int64, child string) ([]admission.TimelineEntry, error)
	SchoolPupils(ctx context.Context, schoolID int64) (admission.SchoolPupils, error)

	OfficeAudit(ctx context.Context, f staff.AuditFilter) ([]staff.AuditEntry, int, error)
	SaveCampaign(ctx context.Context, c campaign.Campaign, e staff.AuditEntry) error
	SaveSchoolUpkeep(ctx context.Context, u school.Upkeep, e staff.AuditEntry) error
	SchoolPlan(ctx context.Context, city string, schoolID int64, year int) (school.Plan, error)

	// Camps and their shifts, which the department keeps.
	Camps(ctx context.Context, city string) ([]social.Camp, error)
	Shift(ctx context.Context, city string, id int64) (social.Shift, social.Camp, error)
	VouchersTaken(ctx context.Context, city string) (map[int64]int, error)
	SaveCamp(ctx context.Context, c social.Camp, e staff.AuditEntry) (int64, error)
	SaveShift(ctx context.Context, city string, sh social.Shift, e staff.AuditEntry) (int64, error)
	AddSchoolPhoto(ctx context.Context, city string, p school.Photo, e staff.AuditEntry) (int64, error)
	DeleteSchoolPhoto(ctx context.Context, city string, schoolID, photoID int64, e staff.AuditEntry) (string, error)

	// The catchments' upload: what a file may refer to, the city's schools,
	// buildings and catchments of a school year as they are, and the
	// upload written with its audit line.
	ImportKnown(ctx context.Context, city string) (importer.Known, error)
	Schools(ctx context.Context, city string) ([]school.School, error)
	Buildings(ctx context.Context, city string) ([]address.Building, error)
	Catchments(ctx context.Context, city string, year int) ([]catchment.Catchment, error)
	SaveCatchments(ctx context.Context, city string, year int, c importer.Catchments, e staff.AuditEntry) error

	// The department's reports, for a city's campaign year; a day is
	// YYYY-MM-DD in Kazakhstan.
	ApplicationsByDay(ctx context.Context, city string, year int) (map[string]map[application.Kind]map[application.Status]int, error)
	QuotaQueues(ctx context.Context, city string, year int) (map[int64]int, error)
	ReferralsByEnd(ctx context.Context, city string, year int) (map[string]int, error)
}

// The back office's cookies: a signed-in session, and the sign-in waiting
// for its second factor. Each holds a random token; the database keeps its
// hash.
const (
	officeCookie  = "sakura_office"
	pendingCookie = "sakura_office_pending"
)

// office is what every page of a signed-in staff member knows.
type office struct {
	lang    i18n.Lang
	tr      *i18n.Translator
	user    staff.User
	session staff.Session
	token   string
	client  account.Client
}

// officeHandler is a handler of a page for signed-in staff.
type officeHandler func(w http.ResponseWriter, r *http.Request, o *office) error

// errForbidden is the answer to a staff member whose role does not grant
// a page; an object out of their reach is not found instead.
var errForbidden = &errs.Error{Kind: errs.Forbidden, Key: "office.forbidden"}

// staffOnly serves fn to a signed-in staff member whose role grants p (any
// role when p is empty). Without a session, a GET goes to the sign-in page
// and comes back after it; anything else is refused. Office pages are
// never cached.
func (h *server) staffOnly(p staff.Permission, fn officeHandler) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		lang, err := h.pageLang(w, r)
		if err != nil {
			return err
		}
		w.Header().Set("Cache-Control", "no-store")
		o, err := h.officeAuth(r, lang)
		if err != nil {
			if errs.KindOf(err) != errs.Unauthenticated {
				return err
			}
			if cookieValue(r, officeCookie) != "" {
				h.clearCookie(w, r, officeCookie)
			}
			if r.Method == http.MethodGet {
				next := r.URL.Path
				if r.URL.RawQuery != "" {
					next += "?" + r.URL.RawQuery
				}
				http.Redirect(w, r, officeURL(lang, "")+"?signin=ended&next="+url.QueryEscape(next), http.StatusSeeOther)
				return nil
			}
			return err
		}
		if p != "" && !o.user.Can(p) {
			return errForbidden
		}
		return fn(w, r, o)
	}
}

// officeAuth returns the office of the request's session, or an error
// matching errs.Unauthenticated.
func (h *server) officeAuth(r *http.Request, lang i18n.Lang) (*office, error) {
	token := cookieValue(r, officeCookie)
	u, se, err := h.staff.Authenticate(r.Context(), token)
	if err != nil {
		return nil, err
	}
	return &office{lang: lang, tr: h.catalog.Translator(lang), user: u, session: se, token: token,
		client: clientOf(r, lang)}, nil
}

// officeURL is the path of an office page; rest starts without a slash.
func officeURL(lang i18n.Lang, rest string) string {
	if rest == "" {
		return "/" + string(lang) + "/office"
	}
	return "/" + string(lang) + "/office/" + rest
}

// officeNav is what the office's pages share: the sections the staff
// member's role opens, who is signed in, and a flash message.
type officeNav struct {
	Sections []cabinetSection
	User     string // the name and role of the signed-in staff member
	Flash    string
	SignOut  string
}

// officeSections are the sections of the office in the order of the
// navigation, each with the permission that opens it.
var officeSections = []struct {
	path, key string
	perm      staff.Permission
}{
	{"applications", "office.nav.applications", staff.Decide},
	{"seats", "office.nav.seats", staff.Decide},
	{"school", "office.nav.school", staff.KeepSchool},
	{"pupils", "office.nav.pupils", staff.KeepSchool},
	{"campaign", "office.nav.campaign", staff.KeepCampaign},
	{"catchments", "office.nav.catchments", staff.KeepCatchments},
	{"camps", "office.nav.camps", staff.KeepCampaign},
	{"reports", "office.nav.reports", staff.ReadReports},
	{"audit", "office.nav.audit", staff.ReadAudit},
	{"users", "office.nav.users", staff.KeepUsers},
}

// officeDone are the confirmations an office page may show after a
// redirect.
var officeDone = map[string]bool{
	"signed_in": true, "decided": true, "bulk": true, "campaign": true, "school": true, "catchments": true,
	"user_added": true, "user_changed": true, "reauth": true,
}

// nav builds the office's navigation with current marked.
func (h *server) officeNav(r *http.Request, o *office, current string) officeNav {
	n := officeNav{User: o.user.Name + " · " + o.tr.T("office.role."+string(o.user.Role)),
		SignOut: officeURL(o.lang, "signout")}
	for _, s := range officeSections {
		if o.user.Can(s.perm) {
			n.Sections = append(n.Sections, cabinetSection{Key: s.key, URL: officeURL(o.lang, s.path), Current: s.path == current})
		}
	}
	if done := r.URL.Query().Get("done"); officeDone[done] {
		n.Flash = o.tr.T("office.done." + done)
	}
	return n
}

// officePage renders a page of the office, never cached; the office
// belongs to no city.
func (h *server) officePage(w http.ResponseWriter, r *http.Request, lang i18n.Lang, status int, name, title string, data any) error {
	p := h.newPage(r, lang, title, nil)
	p.Data = data
	p.Office = true
	w.Header().Set("Cache-Control", "no-store")
	return h.render(w, status, name, p)
}

// maskedClient is the staff member's network as the audit log keeps it.
func maskedClient(o *office) string { return account.MaskAddr(o.client.Addr) }

// listQuery is the query of an office list page: each filter as typed,
// trimmed and bounded, kept for the form, and a refusal for each wrong one.
type listQuery struct {
	q    url.Values
	tr   *i18n.Translator
	form form
}

func newListQuery(r *http.Request, tr *i18n.Translator) *listQuery {
	return &listQuery{q: r.URL.Query(), tr: tr, form: form{Values: map[string]string{}}}
}

// keep returns the filter name as typed, and keeps it for the form.
func (l *listQuery) keep(name string) string {
	v := strings.TrimSpace(l.q.Get(name))
	if len(v) > 100 {
		v = v[:100]
	}
	l.form.Values[name] = v
	return v
}

// bad refuses the filter name, next to its field.
func (l *listQuery) bad(name string) {
	l.form.Errors = append(l.form.Errors, fieldError{Field: name, Message: l.tr.T("office.filter.invalid")})
}

// days reads the filters from and to, dates in Kazakhstan; to is the
// moment after its day.
func (l *listQuery) days() (from, to time.Time) {
	for _, name := range []string{"from", "to"} {
		v := l.keep(name)
		if v == "" {
			continue
		}
		d, err := time.ParseInLocation("2006-01-02", v, kazakhstan)
		if err != nil {
			l.bad(name)
			continue
		}
		if name == "from" {
			from = d
		} else {
			to = d.AddDate(0, 0, 1)
		}
	}
	return from, to
}

// offset is where the page the query asks for begins, per items a page.
func (l *listQuery) offset(per int) int {
	if p, err := strconv.Atoi(l.q.Get("page")); err == nil && p > 1 && p < 10000 {
		return (p - 1) * per
	}
	return 0
}
