package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"sakura/internal/account"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/notify"
)

// Accounts is what the cabinet asks of the account service; *account.Service
// is one.
type Accounts interface {
	RequestCode(ctx context.Context, iin string, c account.Client) (string, error)
	ResendCode(ctx context.Context, token string, c account.Client) error
	VerifyCode(ctx context.Context, token, code string, c account.Client) error
	SetPassword(ctx context.Context, token, password string, c account.Client) (string, error)
	SignIn(ctx context.Context, iin, password string, c account.Client) (string, error)
	Authenticate(ctx context.Context, token string) (account.Account, account.Session, error)
	SignOut(ctx context.Context, token string) error
	SignOutEverywhere(ctx context.Context, a account.Account, c account.Client) error

	RequestPhoneChange(ctx context.Context, a account.Account, phone string, c account.Client) (string, error)
	ConfirmPhoneChange(ctx context.Context, a account.Account, token, code string, c account.Client) error
	SavePreferences(ctx context.Context, a account.Account, p account.Preferences, c account.Client) (account.Account, error)
	RequestEmail(ctx context.Context, a account.Account, email string, link func(string) string, c account.Client) error
	ConfirmEmail(ctx context.Context, token string, c account.Client) (string, error)
	ChangePassword(ctx context.Context, a account.Account, keep account.Session, current, next string, c account.Client) error
	Sessions(ctx context.Context, a account.Account) ([]account.Session, error)
	EndSession(ctx context.Context, a account.Account, handle string, c account.Client) error
}

// Feed is the event feed of the cabinet.
type Feed interface {
	// Feed returns a page of the account's events, newest first, with
	// their deliveries, and how many there are in all.
	Feed(ctx context.Context, accountID int64, offset, limit int) ([]notify.Event, int, error)
	// MarkRead marks the account's events up to an id as read.
	MarkRead(ctx context.Context, accountID, upTo int64, now time.Time) error
	// Unread counts the account's unread events.
	Unread(ctx context.Context, accountID int64) (int, error)
}

// The cabinet's cookies. Each holds a random token; the database keeps
// only its hash.
const (
	sessionCookie = "sakura_session" // a signed-in session
	attemptCookie = "sakura_attempt" // a sign-in by code under way
	phoneCookie   = "sakura_phone"   // a change of the main phone under way
)

// setCookie sets one of the portal's cookies, all alike: HttpOnly,
// SameSite=Lax, Secure over HTTPS, and gone when the browser closes unless
// maxAge says otherwise (a negative one removes it).
func (h *server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		MaxAge:   int(maxAge / time.Second),
		HttpOnly: true,
		Secure:   h.overHTTPS(r),
		SameSite: http.SameSiteLaxMode,
	})
}

// clearCookie removes a cookie.
func (h *server) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	h.setCookie(w, r, name, "", -time.Second)
}

func cookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

// clientOf describes the request's client for the account service: the
// address the connection came from (a proxy in front must be trusted to
// pass the real one; see the README), the browser and the language.
func clientOf(r *http.Request, lang i18n.Lang) account.Client {
	addr := r.RemoteAddr
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	return account.Client{Addr: addr, UserAgent: r.UserAgent(), Lang: lang}
}

// cabinet is what every page of a signed-in parent knows.
type cabinet struct {
	lang    i18n.Lang
	tr      *i18n.Translator
	account account.Account
	session account.Session
	token   string
	client  account.Client
}

// cabinetHandler is a handler of a page for signed-in parents.
type cabinetHandler func(w http.ResponseWriter, r *http.Request, cab *cabinet) error

// signedIn serves fn to a signed-in parent. Without a session, a GET goes
// to the sign-in page, which says why; any other method is refused.
func (h *server) signedIn(fn cabinetHandler) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		lang, err := h.pageLang(w, r)
		if err != nil {
			return err
		}
		cab, err := h.authenticate(r, lang)
		if err != nil {
			if errs.KindOf(err) != errs.Unauthenticated {
				return err
			}
			if cookieValue(r, sessionCookie) != "" {
				h.clearCookie(w, r, sessionCookie)
			}
			if r.Method == http.MethodGet {
				http.Redirect(w, r, cabinetURL(lang, "")+"?signin=ended", http.StatusSeeOther)
				return nil
			}
			return err
		}
		w.Header().Set("Cache-Control", "no-store")
		return fn(w, r, cab)
	}
}

// authenticate returns the cabinet of the request's session, or an error
// matching errs.Unauthenticated.
func (h *server) authenticate(r *http.Request, lang i18n.Lang) (*cabinet, error) {
	token := cookieValue(r, sessionCookie)
	a, se, err := h.accounts.Authenticate(r.Context(), token)
	if err != nil {
		return nil, err
	}
	return &cabinet{lang: lang, tr: h.catalog.Translator(lang), account: a, session: se,
		token: token, client: clientOf(r, lang)}, nil
}

// cabinetURL is the path of a cabinet page; rest starts without a slash.
func cabinetURL(lang i18n.Lang, rest string) string {
	if rest == "" {
		return "/" + string(lang) + "/cabinet"
	}
	return "/" + string(lang) + "/cabinet/" + rest
}

// cabinetSection is an entry of the cabinet's navigation.
type cabinetSection struct {
	Key     string // catalogue key of its name
	URL     string
	Current bool
	Count   int // unread events, for the feed
}

// cabinetNav is what the cabinet's pages share: the navigation and the
// signed-in parent's masked phone.
type cabinetNav struct {
	Sections []cabinetSection
	Phone    string
	Flash    string // a short confirmation of what was just done
	SignOut  string // where the sign-out button posts
}

// The sections of the cabinet, in the order of the navigation.
var cabinetSections = []struct{ path, key string }{
	{"", "cabinet.nav.feed"},
	{"children", "cabinet.nav.children"},
	{"applications", "cabinet.nav.applications"},
	{"referrals", "cabinet.nav.referrals"},
	{"files", "cabinet.nav.files"},
	{"settings", "cabinet.nav.settings"},
}

// nav builds the navigation with current marked, and the flash message the
// done query parameter names.
func (h *server) nav(r *http.Request, cab *cabinet, current string) cabinetNav {
	n := cabinetNav{Phone: notify.MaskPhone(cab.account.Phone), SignOut: cabinetURL(cab.lang, "signout")}
	unread, err := h.feed.Unread(r.Context(), cab.account.ID)
	if err != nil {
		unread = 0 // the count is a nicety; the page still works
	}
	for _, s := range cabinetSections {
		sec := cabinetSection{Key: s.key, URL: cabinetURL(cab.lang, s.path), Current: s.path == current}
		if s.path == "" {
			sec.Count = unread
		}
		n.Sections = append(n.Sections, sec)
	}
	if done := r.URL.Query().Get("done"); done != "" && validDone[done] {
		n.Flash = cab.tr.T("cabinet.done." + done)
	}
	return n
}

// validDone are the confirmations a page may show after a redirect.
var validDone = map[string]bool{
	"welcome": true, "signed_in": true, "preferences": true, "phone": true, "email_sent": true,
	"email": true, "password": true, "session_ended": true,
}

// cabinetPage renders a page of the cabinet in the signed-in parent's
// language, never cached.
func (h *server) cabinetPage(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) error {
	lang, _ := i18n.ParseLang(r.PathValue("lang"))
	p := h.newPage(r, lang, title, h.rememberedCity(r))
	p.Data = data
	w.Header().Set("Cache-Control", "no-store")
	return h.render(w, status, name, p)
}

// fieldError is a message next to a form field; the error summary at the
// top of the form links to the field by its id.
type fieldError struct {
	Field   string
	Message string
}

// formErrors turns a refusal of the account service into messages for
// the form, on field when the refusal names none. It returns the status to
// answer with and false when err is not a refusal for the person (a fault
// of ours, a busy pool), which goes to fail instead.
func (h *server) formErrors(w http.ResponseWriter, tr *i18n.Translator, err error, field string) ([]fieldError, int, bool) {
	var e *errs.Error
	if !errors.As(err, &e) || e.Key == "" {
		return nil, 0, false
	}
	status := http.StatusBadRequest
	switch e.Kind {
	case errs.Invalid:
	case errs.Unauthenticated:
		status = http.StatusUnauthorized
	case errs.TooMany:
		status = http.StatusTooManyRequests
		setRetryAfter(w, e.RetryAfter)
	default:
		return nil, 0, false
	}

	var fe account.FieldErrors
	if errors.As(err, &fe) {
		out := make([]fieldError, len(fe))
		for i, f := range fe {
			out[i] = fieldError{Field: f.Field, Message: tr.Message(f.Key, f.Args)}
		}
		return out, status, true
	}
	return []fieldError{{Field: field, Message: tr.Message(e.Key, e.Args)}}, status, true
}

// setRetryAfter sets Retry-After in whole seconds, at least one.
func setRetryAfter(w http.ResponseWriter, d time.Duration) {
	if d <= 0 {
		return
	}
	w.Header().Set("Retry-After", strconv.Itoa(int((d+time.Second-1)/time.Second)))
}

// errorFor returns the message of the errors for field, or "".
func errorFor(list []fieldError, field string) string {
	for _, e := range list {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// trimForm reads a form field, trimmed and bounded in length, so that a
// forged form cannot make us store or echo megabytes.
func trimForm(r *http.Request, name string, limit int) string {
	v := strings.TrimSpace(r.PostFormValue(name))
	if len(v) > limit {
		v = v[:limit]
	}
	return v
}

// parseForm reads a form of at most 64 KiB.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return &errs.Error{Kind: errs.Invalid, Key: "cabinet.form_broken", Err: err}
	}
	return nil
}
