package web

import (
	"net/http"
	"net/url"
	"strings"

	"sakura/internal/account"
	"sakura/internal/errs"
	"sakura/internal/i18n"
)

// form is what a page with a form keeps between a refusal and the next
// try: the values typed (never a password or a code) and the errors.
type form struct {
	Values map[string]string
	Errors []fieldError
}

// Value returns the value typed in field.
func (f form) Value(field string) string { return f.Values[field] }

// Error returns the message next to field, or "".
func (f form) Error(field string) string { return errorFor(f.Errors, field) }

// signInPage is the data of the sign-in page and of the code pages.
type signInPage struct {
	Form   form
	Notice string // why the parent is here: a session ended, a code sent
	Next   string // where to go once signed in: a path of the portal, or ""
}

// nextQuery is "?next=…" for a next path, or "".
func (p signInPage) NextQuery() string {
	if p.Next == "" {
		return ""
	}
	return "?next=" + url.QueryEscape(p.Next)
}

// safeNext keeps a path to return to after signing in when it is a path of
// this portal, and drops anything else (another site, a scheme, a path
// that a browser reads as another host), so that the sign-in cannot be
// used to send a parent elsewhere.
func safeNext(v string) string {
	if len(v) > 300 || !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") || strings.ContainsAny(v, "\\\r\n") {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	return v
}

// nextOf reads the path to return to from the query or the form.
func nextOf(r *http.Request) string {
	if v := r.PostFormValue("next"); v != "" {
		return safeNext(v)
	}
	return safeNext(r.URL.Query().Get("next"))
}

// withNext adds the path to return to to a cabinet URL.
func withNext(u, next string) string {
	if next == "" {
		return u
	}
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + "next=" + url.QueryEscape(next)
}

// landing is where a parent goes once signed in: back to what they were
// doing, or the cabinet with a confirmation.
func landing(lang i18n.Lang, next, done string) string {
	if next != "" {
		return next
	}
	return cabinetURL(lang, "") + "?done=" + done
}

// cabinetHome is /{lang}/cabinet: the event feed for a signed-in parent,
// the sign-in form for anyone else.
func (h *server) cabinetHome(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	cab, err := h.authenticate(r, lang)
	switch {
	case err == nil:
		return h.feedPage(w, r, cab)
	case errs.KindOf(err) != errs.Unauthenticated:
		return err
	}
	if cookieValue(r, sessionCookie) != "" {
		h.clearCookie(w, r, sessionCookie)
	}

	data := signInPage{Next: nextOf(r)}
	switch why := r.URL.Query().Get("signin"); why {
	case "ended", "out", "out_all":
		data.Notice = h.catalog.Translator(lang).T("cabinet.signin." + why)
	}
	return h.renderSignIn(w, r, lang, http.StatusOK, data)
}

func (h *server) renderSignIn(w http.ResponseWriter, r *http.Request, lang i18n.Lang, status int, data signInPage) error {
	return h.cabinetPage(w, r, status, "cabinet_signin", h.catalog.Translator(lang).T("cabinet.signin.title"), data)
}

// cabinetSignIn checks an IIN and a password. Every refusal keeps the IIN
// typed and says the same whether or not the IIN has an account.
func (h *server) cabinetSignIn(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	iin := trimForm(r, "iin", 32)
	password := r.PostFormValue("password")
	tr := h.catalog.Translator(lang)

	data := signInPage{Form: form{Values: map[string]string{"iin": iin}}, Next: nextOf(r)}
	switch {
	case iin == "":
		data.Form.Errors = append(data.Form.Errors, fieldError{"iin", tr.T("cabinet.iin.required")})
	}
	if password == "" {
		data.Form.Errors = append(data.Form.Errors, fieldError{"password", tr.T("cabinet.password.required")})
	}
	if len(data.Form.Errors) > 0 {
		return h.renderSignIn(w, r, lang, http.StatusBadRequest, data)
	}

	token, err := h.accounts.SignIn(r.Context(), iin, password, clientOf(r, lang))
	if err != nil {
		field := "password"
		if errs.KindOf(err) == errs.Invalid {
			field = "iin" // a malformed IIN; a wrong password is Unauthenticated
		}
		list, status, ok := h.formErrors(w, tr, err, field)
		if !ok {
			return err
		}
		data.Form.Errors = list
		return h.renderSignIn(w, r, lang, status, data)
	}

	// A new session, never one a page could have planted, and the old
	// cookie replaced.
	if old := cookieValue(r, sessionCookie); old != "" {
		_ = h.accounts.SignOut(r.Context(), old)
	}
	h.setCookie(w, r, sessionCookie, token, 0)
	http.Redirect(w, r, landing(lang, data.Next, "signed_in"), http.StatusSeeOther)
	return nil
}

// cabinetCodeForm asks for the IIN to send a code to: the first sign-in
// and a forgotten password.
func (h *server) cabinetCodeForm(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	return h.renderCode(w, r, lang, http.StatusOK, signInPage{Next: nextOf(r)})
}

func (h *server) renderCode(w http.ResponseWriter, r *http.Request, lang i18n.Lang, status int, data signInPage) error {
	return h.cabinetPage(w, r, status, "cabinet_code", h.catalog.Translator(lang).T("cabinet.code.title"), data)
}

// cabinetCodeSend sends a code to the phone on record of the IIN, when
// there is one, and goes on to the code form either way.
func (h *server) cabinetCodeSend(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	tr := h.catalog.Translator(lang)
	iin := trimForm(r, "iin", 32)
	data := signInPage{Form: form{Values: map[string]string{"iin": iin}}, Next: nextOf(r)}
	if iin == "" {
		data.Form.Errors = []fieldError{{"iin", tr.T("cabinet.iin.required")}}
		return h.renderCode(w, r, lang, http.StatusBadRequest, data)
	}

	token, err := h.accounts.RequestCode(r.Context(), iin, clientOf(r, lang))
	if err != nil {
		list, status, ok := h.formErrors(w, tr, err, "iin")
		if !ok {
			return err
		}
		data.Form.Errors = list
		return h.renderCode(w, r, lang, status, data)
	}
	h.setCookie(w, r, attemptCookie, token, 0)
	http.Redirect(w, r, withNext(cabinetURL(lang, "code/verify"), data.Next), http.StatusSeeOther)
	return nil
}

// cabinetVerifyForm asks for the code.
func (h *server) cabinetVerifyForm(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	if cookieValue(r, attemptCookie) == "" {
		http.Redirect(w, r, cabinetURL(lang, "code"), http.StatusSeeOther)
		return nil
	}
	data := signInPage{Notice: h.catalog.Translator(lang).T("cabinet.code.sent"), Next: nextOf(r)}
	if r.URL.Query().Get("done") == "resent" {
		data.Notice = h.catalog.Translator(lang).T("cabinet.code.resent")
	}
	return h.renderVerify(w, r, lang, http.StatusOK, data)
}

func (h *server) renderVerify(w http.ResponseWriter, r *http.Request, lang i18n.Lang, status int, data signInPage) error {
	return h.cabinetPage(w, r, status, "cabinet_verify", h.catalog.Translator(lang).T("cabinet.verify.title"), data)
}

// cabinetVerify checks the code; the right one leads to the new password.
func (h *server) cabinetVerify(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	tr := h.catalog.Translator(lang)
	err = h.accounts.VerifyCode(r.Context(), cookieValue(r, attemptCookie), trimForm(r, "code", 16), clientOf(r, lang))
	if err != nil {
		list, status, ok := h.formErrors(w, tr, err, "code")
		if !ok {
			return err
		}
		return h.renderVerify(w, r, lang, status, signInPage{Form: form{Errors: list}, Next: nextOf(r)})
	}
	http.Redirect(w, r, withNext(cabinetURL(lang, "password/new"), nextOf(r)), http.StatusSeeOther)
	return nil
}

// cabinetResend sends another code for the same attempt.
func (h *server) cabinetResend(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	tr := h.catalog.Translator(lang)
	if err := h.accounts.ResendCode(r.Context(), cookieValue(r, attemptCookie), clientOf(r, lang)); err != nil {
		list, status, ok := h.formErrors(w, tr, err, "code")
		if !ok {
			return err
		}
		return h.renderVerify(w, r, lang, status, signInPage{Form: form{Errors: list}, Next: nextOf(r)})
	}
	http.Redirect(w, r, withNext(cabinetURL(lang, "code/verify")+"?done=resent", nextOf(r)), http.StatusSeeOther)
	return nil
}

// cabinetPasswordForm asks for the new password after the right code.
func (h *server) cabinetPasswordForm(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	if cookieValue(r, attemptCookie) == "" {
		http.Redirect(w, r, cabinetURL(lang, "code"), http.StatusSeeOther)
		return nil
	}
	return h.renderNewPassword(w, r, lang, http.StatusOK, signInPage{Next: nextOf(r)})
}

func (h *server) renderNewPassword(w http.ResponseWriter, r *http.Request, lang i18n.Lang, status int, data signInPage) error {
	return h.cabinetPage(w, r, status, "cabinet_password", h.catalog.Translator(lang).T("cabinet.password.title"), data)
}

// cabinetPasswordSet sets the password and signs the parent in.
func (h *server) cabinetPasswordSet(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	tr := h.catalog.Translator(lang)
	password, repeat := r.PostFormValue("password"), r.PostFormValue("password_repeat")
	if password != repeat {
		data := signInPage{Form: form{Errors: []fieldError{{"password_repeat", tr.T("cabinet.password.mismatch")}}}, Next: nextOf(r)}
		return h.renderNewPassword(w, r, lang, http.StatusBadRequest, data)
	}

	token, err := h.accounts.SetPassword(r.Context(), cookieValue(r, attemptCookie), password, clientOf(r, lang))
	if err != nil {
		list, status, ok := h.formErrors(w, tr, err, "password")
		if !ok {
			return err
		}
		return h.renderNewPassword(w, r, lang, status, signInPage{Form: form{Errors: list}, Next: nextOf(r)})
	}
	h.clearCookie(w, r, attemptCookie)
	h.setCookie(w, r, sessionCookie, token, 0)
	http.Redirect(w, r, landing(lang, nextOf(r), "welcome"), http.StatusSeeOther)
	return nil
}

// cabinetSignOut ends this session.
func (h *server) cabinetSignOut(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	if token := cookieValue(r, sessionCookie); token != "" {
		if err := h.accounts.SignOut(r.Context(), token); err != nil {
			return err
		}
	}
	h.clearCookie(w, r, sessionCookie)
	http.Redirect(w, r, cabinetURL(lang, "")+"?signin=out", http.StatusSeeOther)
	return nil
}

// cabinetSignOutAll ends every session of the parent, this one too.
func (h *server) cabinetSignOutAll(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	if err := h.accounts.SignOutEverywhere(r.Context(), cab.account, cab.client); err != nil {
		return err
	}
	h.clearCookie(w, r, sessionCookie)
	http.Redirect(w, r, cabinetURL(cab.lang, "")+"?signin=out_all", http.StatusSeeOther)
	return nil
}

var _ Accounts = (*account.Service)(nil)
