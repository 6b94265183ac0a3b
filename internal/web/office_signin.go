package web

import (
	"html/template"
	"net/http"

	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/staff"
)

// officeSignInView is the data of the office's sign-in pages: the
// password, the second factor, the authenticator's set-up and the
// recovery codes shown once.
type officeSignInView struct {
	Form     form
	Notice   string
	Next     string
	Step     string // "password", "code", "enrol" or "recovery"
	Secret   string // enrol: the secret to type into the app
	QR       template.HTML
	Recovery []string // recovery: the codes, shown once
	Continue string   // recovery: where to go on
}

// officeHome is /{lang}/office: the sign-in form, or for a signed-in staff
// member the first section their role opens.
func (h *server) officeHome(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	o, err := h.officeAuth(r, lang)
	switch {
	case err == nil:
		http.Redirect(w, r, h.officeLanding(o, ""), http.StatusSeeOther)
		return nil
	case errs.KindOf(err) != errs.Unauthenticated:
		return err
	}
	if cookieValue(r, officeCookie) != "" {
		h.clearCookie(w, r, officeCookie)
	}
	v := officeSignInView{Step: "password", Next: nextOf(r)}
	if why := r.URL.Query().Get("signin"); why == "ended" || why == "out" {
		v.Notice = h.catalog.Translator(lang).T("office.signin." + why)
	}
	return h.officeSignInPage(w, r, lang, http.StatusOK, v)
}

// officeLanding is where a staff member goes once signed in: back to the
// page they asked for, or their first section.
func (h *server) officeLanding(o *office, next string) string {
	if next != "" {
		return next
	}
	for _, s := range officeSections {
		if o.user.Can(s.perm) {
			return officeURL(o.lang, s.path) + "?done=signed_in"
		}
	}
	return officeURL(o.lang, "audit")
}

func (h *server) officeSignInPage(w http.ResponseWriter, r *http.Request, lang i18n.Lang, status int, v officeSignInView) error {
	w.Header().Set("Cache-Control", "no-store")
	return h.officePage(w, r, lang, status, "office_signin", h.catalog.Translator(lang).T("office.signin.title"), v)
}

// officeSignIn checks the login and password, and sends the staff member
// on to the second factor. Every refusal says the same.
func (h *server) officeSignIn(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	login := trimForm(r, "login", 64)
	v := officeSignInView{Step: "password", Next: nextOf(r), Form: form{Values: map[string]string{"login": login}}}
	token, _, err := h.staff.SignIn(r.Context(), login, r.PostFormValue("password"), clientOf(r, lang))
	if err != nil {
		list, status, ok := h.formErrors(w, h.catalog.Translator(lang), err, "login")
		if !ok {
			return err
		}
		v.Form.Errors = list
		return h.officeSignInPage(w, r, lang, status, v)
	}
	h.setCookie(w, r, pendingCookie, token, staff.PendingTTL)
	http.Redirect(w, r, withNext(officeURL(lang, "factor"), v.Next), http.StatusSeeOther)
	return nil
}

// officeFactorForm asks for the second factor: a code of the app, or, the
// first time, the app's set-up with its QR code.
func (h *server) officeFactorForm(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	v, err := h.factorView(r, lang)
	if err != nil {
		return h.pendingGone(w, r, lang, err)
	}
	return h.officeSignInPage(w, r, lang, http.StatusOK, v)
}

// factorView is the second-factor page of the pending sign-in.
func (h *server) factorView(r *http.Request, lang i18n.Lang) (officeSignInView, error) {
	token := cookieValue(r, pendingCookie)
	u, _, err := h.staff.Pending(r.Context(), token)
	if err != nil {
		return officeSignInView{}, err
	}
	v := officeSignInView{Step: "code", Next: nextOf(r)}
	if !u.Enrolled() {
		e, err := h.staff.Enrolment(r.Context(), token)
		if err != nil {
			return officeSignInView{}, err
		}
		qr, err := qrSVG(e.URL, h.catalog.Translator(lang).T("office.enrol.qr_label"))
		if err != nil {
			return officeSignInView{}, err
		}
		v.Step, v.Secret, v.QR = "enrol", spaced(e.Secret), qr
	}
	return v, nil
}

// spaced writes a secret in groups of four, as people type it.
func spaced(s string) string {
	var out []byte
	for i := 0; i < len(s); i++ {
		if i > 0 && i%4 == 0 {
			out = append(out, ' ')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// pendingGone sends a sign-in whose second factor came too late back to
// the start, saying why.
func (h *server) pendingGone(w http.ResponseWriter, r *http.Request, lang i18n.Lang, err error) error {
	if errs.KindOf(err) != errs.Unauthenticated {
		return err
	}
	h.clearCookie(w, r, pendingCookie)
	tr := h.catalog.Translator(lang)
	return h.officeSignInPage(w, r, lang, http.StatusUnauthorized, officeSignInView{Step: "password",
		Notice: tr.T("office.pending_gone"), Next: nextOf(r)})
}

// officeFactor takes the code. The first time it shows the recovery codes,
// once, before going on.
func (h *server) officeFactor(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	token, recovery, err := h.staff.SecondFactor(r.Context(), cookieValue(r, pendingCookie),
		trimForm(r, "code", 20), clientOf(r, lang))
	if err != nil {
		if errs.KindOf(err) == errs.Unauthenticated {
			return h.pendingGone(w, r, lang, err)
		}
		list, status, ok := h.formErrors(w, h.catalog.Translator(lang), err, "code")
		if !ok {
			return err
		}
		v, verr := h.factorView(r, lang)
		if verr != nil {
			return h.pendingGone(w, r, lang, verr)
		}
		v.Form.Errors = list
		return h.officeSignInPage(w, r, lang, status, v)
	}
	h.clearCookie(w, r, pendingCookie)
	h.setCookie(w, r, officeCookie, token, 0)

	next := nextOf(r)
	if next == "" {
		next = officeURL(lang, "") // the first section of the role
	}
	if len(recovery) > 0 {
		return h.officeSignInPage(w, r, lang, http.StatusOK, officeSignInView{Step: "recovery", Recovery: recovery,
			Continue: next})
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// officeSignOut ends the session on the server.
func (h *server) officeSignOut(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	if err := h.staff.SignOut(r.Context(), cookieValue(r, officeCookie), clientOf(r, lang)); err != nil {
		return err
	}
	h.clearCookie(w, r, officeCookie)
	http.Redirect(w, r, officeURL(lang, "")+"?signin=out", http.StatusSeeOther)
	return nil
}

// reauthView is the data of the re-authentication page.
type reauthView struct {
	Nav  officeNav
	Form form
	Next string
}

// officeReauthForm asks a signed-in staff member for the password and a
// code again, before an action that asks for it.
func (h *server) officeReauthForm(w http.ResponseWriter, r *http.Request, o *office) error {
	return h.officePage(w, r, o.lang, http.StatusOK, "office_reauth", o.tr.T("office.reauth.title"),
		reauthView{Nav: h.officeNav(r, o, ""), Next: nextOf(r)})
}

func (h *server) officeReauth(w http.ResponseWriter, r *http.Request, o *office) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	next := nextOf(r)
	err := h.staff.Reauthenticate(r.Context(), o.user, o.session, r.PostFormValue("password"), trimForm(r, "code", 20), o.client)
	if err != nil {
		list, status, ok := h.formErrors(w, o.tr, err, "password")
		if !ok {
			return err
		}
		return h.officePage(w, r, o.lang, status, "office_reauth", o.tr.T("office.reauth.title"),
			reauthView{Nav: h.officeNav(r, o, ""), Next: next, Form: form{Errors: list}})
	}
	if next == "" {
		next = officeURL(o.lang, "applications")
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}
