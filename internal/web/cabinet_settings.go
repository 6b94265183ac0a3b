package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"sakura/internal/account"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/notify"
)

// settingsView is the data of the settings page: the parent's contacts and
// one form per change, each with its own errors.
type settingsView struct {
	Nav         cabinetNav
	Phone       string
	ExtraPhone  string
	Email       string
	Preferences form
	Langs       []langChoice
	NotifySMS   bool
	NotifyEmail bool
	PhoneForm   form
	EmailForm   form
	Password    form
	Sessions    []sessionView
}

// langChoice is a language of messages the parent may choose.
type langChoice struct {
	Value   i18n.Lang
	Label   string
	Checked bool
}

// sessionView is one signed-in browser in the list of sessions.
type sessionView struct {
	Handle   string
	Browser  string
	Client   string
	Started  string
	LastSeen string
	Current  bool
}

// settingsPage shows the settings.
func (h *server) settingsPage(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	view, err := h.settingsView(r, cab)
	if err != nil {
		return err
	}
	return h.renderSettings(w, r, cab, http.StatusOK, view)
}

func (h *server) renderSettings(w http.ResponseWriter, r *http.Request, cab *cabinet, status int, view *settingsView) error {
	return h.cabinetPage(w, r, status, "cabinet_settings", cab.tr.T("cabinet.nav.settings"), view)
}

// settingsView fills the page from the account as it is saved.
func (h *server) settingsView(r *http.Request, cab *cabinet) (*settingsView, error) {
	a := cab.account
	view := &settingsView{
		Nav: h.nav(r, cab, "settings"), Phone: a.Phone, ExtraPhone: a.ExtraPhone, Email: a.Email,
		NotifySMS: a.NotifySMS, NotifyEmail: a.NotifyEmail,
		Preferences: form{Values: map[string]string{"extra_phone": a.ExtraPhone}},
	}
	for _, l := range i18n.Langs {
		view.Langs = append(view.Langs, langChoice{Value: l, Label: langNames[l], Checked: l == a.Lang})
	}
	sessions, err := h.accounts.Sessions(r.Context(), a)
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	for _, s := range sessions {
		view.Sessions = append(view.Sessions, sessionView{
			Handle:   s.Handle(),
			Browser:  account.Browser(s.UserAgent),
			Client:   s.Client,
			Started:  s.CreatedAt.In(kazakhstan).Format("02.01.2006 15:04"),
			LastSeen: s.LastSeen.In(kazakhstan).Format("02.01.2006 15:04"),
			Current:  s.TokenHash == cab.session.TokenHash,
		})
	}
	return view, nil
}

// refuse re-renders the settings with a form's errors, or returns err when
// it is no refusal for the parent.
func (h *server) refuse(w http.ResponseWriter, r *http.Request, cab *cabinet, err error, field string,
	fill func(v *settingsView, errors []fieldError)) error {
	list, status, ok := h.formErrors(w, cab.tr, err, field)
	if !ok {
		return err
	}
	view, verr := h.settingsView(r, cab)
	if verr != nil {
		return verr
	}
	fill(view, list)
	return h.renderSettings(w, r, cab, status, view)
}

// settingsPreferences saves the extra phone, the language and the channels.
func (h *server) settingsPreferences(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	lang, _ := i18n.ParseLang(r.PostFormValue("lang"))
	p := account.Preferences{
		ExtraPhone:  trimForm(r, "extra_phone", 32),
		Lang:        lang,
		NotifySMS:   r.PostFormValue("notify_sms") == "on",
		NotifyEmail: r.PostFormValue("notify_email") == "on",
	}
	if _, err := h.accounts.SavePreferences(r.Context(), cab.account, p, cab.client); err != nil {
		return h.refuse(w, r, cab, err, "extra_phone", func(v *settingsView, list []fieldError) {
			v.Preferences = form{Values: map[string]string{"extra_phone": p.ExtraPhone}, Errors: list}
			v.NotifySMS, v.NotifyEmail = p.NotifySMS, p.NotifyEmail
			for i := range v.Langs {
				v.Langs[i].Checked = v.Langs[i].Value == p.Lang
			}
		})
	}
	http.Redirect(w, r, cabinetURL(cab.lang, "settings")+"?done=preferences", http.StatusSeeOther)
	return nil
}

// settingsPhone sends a code to a new main phone and asks for it.
func (h *server) settingsPhone(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	phone := trimForm(r, "phone", 32)
	token, err := h.accounts.RequestPhoneChange(r.Context(), cab.account, phone, cab.client)
	if err != nil {
		return h.refuse(w, r, cab, err, "phone", func(v *settingsView, list []fieldError) {
			v.PhoneForm = form{Values: map[string]string{"phone": phone}, Errors: list}
		})
	}
	h.setCookie(w, r, phoneCookie, token, 0)
	http.Redirect(w, r, cabinetURL(cab.lang, "settings/phone"), http.StatusSeeOther)
	return nil
}

// phoneView is the data of the page that asks for the new phone's code.
type phoneView struct {
	Nav    cabinetNav
	Form   form
	Notice string
}

// settingsPhoneForm asks for the code sent to the new phone.
func (h *server) settingsPhoneForm(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	if cookieValue(r, phoneCookie) == "" {
		http.Redirect(w, r, cabinetURL(cab.lang, "settings"), http.StatusSeeOther)
		return nil
	}
	notice := cab.tr.T("cabinet.phone.sent")
	if r.URL.Query().Get("done") == "resent" {
		notice = cab.tr.T("cabinet.code.resent")
	}
	return h.cabinetPage(w, r, http.StatusOK, "cabinet_phone", cab.tr.T("cabinet.phone.title"),
		phoneView{Nav: h.nav(r, cab, "settings"), Notice: notice})
}

// settingsPhoneConfirm checks the code and changes the main phone.
func (h *server) settingsPhoneConfirm(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	err := h.accounts.ConfirmPhoneChange(r.Context(), cab.account, cookieValue(r, phoneCookie), trimForm(r, "code", 16), cab.client)
	if err != nil {
		list, status, ok := h.formErrors(w, cab.tr, err, "code")
		if !ok {
			return err
		}
		return h.cabinetPage(w, r, status, "cabinet_phone", cab.tr.T("cabinet.phone.title"),
			phoneView{Nav: h.nav(r, cab, "settings"), Form: form{Errors: list}})
	}
	h.clearCookie(w, r, phoneCookie)
	http.Redirect(w, r, cabinetURL(cab.lang, "settings")+"?done=phone", http.StatusSeeOther)
	return nil
}

// settingsPhoneResend sends another code to the new phone.
func (h *server) settingsPhoneResend(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	if err := h.accounts.ResendCode(r.Context(), cookieValue(r, phoneCookie), cab.client); err != nil {
		list, status, ok := h.formErrors(w, cab.tr, err, "code")
		if !ok {
			return err
		}
		return h.cabinetPage(w, r, status, "cabinet_phone", cab.tr.T("cabinet.phone.title"),
			phoneView{Nav: h.nav(r, cab, "settings"), Form: form{Errors: list}})
	}
	http.Redirect(w, r, cabinetURL(cab.lang, "settings/phone")+"?done=resent", http.StatusSeeOther)
	return nil
}

// settingsEmail sends a confirmation link to an e-mail address.
func (h *server) settingsEmail(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	email := trimForm(r, "email", 254)
	link := func(token string) string {
		return h.baseURL(r) + cabinetURL(cab.lang, "email") + "?token=" + url.QueryEscape(token)
	}
	if err := h.accounts.RequestEmail(r.Context(), cab.account, email, link, cab.client); err != nil {
		return h.refuse(w, r, cab, err, "email", func(v *settingsView, list []fieldError) {
			v.EmailForm = form{Values: map[string]string{"email": email}, Errors: list}
		})
	}
	http.Redirect(w, r, cabinetURL(cab.lang, "settings")+"?done=email_sent", http.StatusSeeOther)
	return nil
}

// settingsPassword changes the password.
func (h *server) settingsPassword(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	current, next, repeat := r.PostFormValue("current_password"), r.PostFormValue("new_password"), r.PostFormValue("new_password_repeat")
	fill := func(v *settingsView, list []fieldError) { v.Password = form{Errors: list} }
	if next != repeat {
		return h.refuse(w, r, cab, errMismatch, "new_password_repeat", fill)
	}
	err := h.accounts.ChangePassword(r.Context(), cab.account, cab.session, current, next, cab.client)
	if err != nil {
		field := "new_password"
		if isKey(err, "account.password_wrong") {
			field = "current_password"
		}
		return h.refuse(w, r, cab, err, field, fill)
	}
	http.Redirect(w, r, cabinetURL(cab.lang, "settings")+"?done=password", http.StatusSeeOther)
	return nil
}

// sessionEnd ends one session from the list.
func (h *server) sessionEnd(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	handle := trimForm(r, "session", 16)
	if err := h.accounts.EndSession(r.Context(), cab.account, handle, cab.client); err != nil {
		return err
	}
	if handle == cab.session.Handle() {
		h.clearCookie(w, r, sessionCookie)
		http.Redirect(w, r, cabinetURL(cab.lang, "")+"?signin=out", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, cabinetURL(cab.lang, "settings")+"?done=session_ended", http.StatusSeeOther)
	return nil
}

// emailView is the data of the page a confirmation link opens.
type emailView struct {
	Token     string
	Confirmed string // the address, once confirmed
	Problem   string
}

// emailConfirmForm is the page a confirmation link opens: a button, so
// that a mail scanner following links confirms nothing.
func (h *server) emailConfirmForm(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	token := r.URL.Query().Get("token")
	if len(token) > 64 {
		token = ""
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	return h.cabinetPage(w, r, http.StatusOK, "cabinet_email", h.catalog.Translator(lang).T("cabinet.email.title"),
		emailView{Token: token})
}

// emailConfirm confirms the address of a link.
func (h *server) emailConfirm(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	tr := h.catalog.Translator(lang)
	email, err := h.accounts.ConfirmEmail(r.Context(), trimForm(r, "token", 64), clientOf(r, lang))
	if err != nil {
		list, status, ok := h.formErrors(w, tr, err, "token")
		if !ok {
			return err
		}
		return h.cabinetPage(w, r, status, "cabinet_email", tr.T("cabinet.email.title"),
			emailView{Problem: errorFor(list, "token")})
	}
	return h.cabinetPage(w, r, http.StatusOK, "cabinet_email", tr.T("cabinet.email.title"),
		emailView{Confirmed: notify.MaskEmail(email)})
}

// errMismatch refuses a new password typed differently the second time.
var errMismatch = &errs.Error{Kind: errs.Invalid, Key: "cabinet.password.mismatch"}

// isKey reports whether err is an *errs.Error with the catalogue key.
func isKey(err error, key string) bool {
	var e *errs.Error
	return errors.As(err, &e) && e.Key == key
}
