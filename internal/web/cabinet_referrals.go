package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/person"
)

// referralView is a referral as the cabinet, its card and the office show
// it.
type referralView struct {
	Number   string
	School   string
	Grade    int
	Language string
	Basis    string
	Issued   string
	Until    string
	Status   string // in force, used or expired, in words
	Class    string // for the style
	Valid    bool
	URL      string // the cabinet's card
	Verify   string // the public verification page
	Child    string // masked
	Applied  string // the application's number
	Heading  string // what it is: a referral, a transfer's slip or a camp's voucher
	Camp     string // a voucher's camp, instead of a school
	Shift    string // a voucher's shift: its number and dates
}

// referralView describes a referral in lang; the child's name is read
// from its application.
func (h *server) referralView(r *http.Request, lang i18n.Lang, ref admission.Referral) referralView {
	tr := h.catalog.Translator(lang)
	v := referralView{
		Number:   ref.Number,
		School:   h.schoolName(r, lang, ref.City, ref.SchoolID),
		Grade:    ref.Grade,
		Language: translated(tr, "school.lang."+ref.Language, ref.Language),
		Issued:   ref.IssuedAt.In(kazakhstan).Format("02.01.2006"),
		Until:    ref.ValidUntil.Format("02.01.2006"),
		Valid:    ref.Valid(h.now()),
		URL:      cabinetURL(lang, "referrals/"+strconv.FormatInt(ref.ID, 10)),
		Verify:   "/" + string(lang) + "/verify/referral/" + ref.Code,
	}
	v.Heading = tr.T("referral.card_heading")
	switch ref.Kind {
	case admission.RefSlip:
		v.Heading = tr.T("referral.card_heading.slip")
	case admission.RefVoucher:
		v.Heading = tr.T("referral.card_heading.voucher")
		if sh, c, err := h.office.Shift(r.Context(), ref.City, ref.ShiftID); err == nil {
			v.Camp = c.Name.In(lang)
			v.Shift = tr.T("referral.shift_dates", "Number", sh.Number, "From", sh.Starts.Format("02.01.2006"),
				"To", sh.Ends.Format("02.01.2006"))
		}
	}
	state := string(ref.Status)
	if ref.Status == admission.RefIssued && !v.Valid {
		state = "expired" // its end has come; the expiry job will record it
	}
	v.Status, v.Class = tr.T("referral.status."+state), state
	if ref.Basis != "" {
		v.Basis = tr.T("myapps.basis." + string(ref.Basis))
	}
	if a, err := h.apps.Application(r.Context(), ref.ApplicationID); err == nil {
		v.Child = person.MaskedName(person.Person{Surname: a.Answers.ChildSurname, Name: a.Answers.ChildName})
		v.Applied = string(a.Number)
	}
	return v
}

// referralsView is the data of "my referrals".
type referralsView struct {
	Nav   cabinetNav
	Items []referralView
}

// referralsPage lists the parent's referrals, newest first.
func (h *server) referralsPage(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	list, err := h.office.Referrals(r.Context(), cab.account.ID)
	if err != nil {
		return fmt.Errorf("my referrals: %w", err)
	}
	v := referralsView{Nav: h.nav(r, cab, "referrals")}
	for _, ref := range list {
		v.Items = append(v.Items, h.referralView(r, cab.lang, ref))
	}
	return h.cabinetPage(w, r, http.StatusOK, "cabinet_referrals", cab.tr.T("cabinet.nav.referrals"), v)
}

// referralCardView is the data of a referral's card, which prints on one
// page with its QR code.
type referralCardView struct {
	Nav      cabinetNav
	Referral referralView
	QR       template.HTML
	Link     string // the verification page in full, under the code
}

// referralCard shows one of the parent's referrals, printable, with the QR
// code of its verification page.
func (h *server) referralCard(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return fmt.Errorf("referral %q: %w", r.PathValue("id"), errs.ErrNotFound)
	}
	ref, err := h.office.Referral(r.Context(), id)
	if err != nil {
		return fmt.Errorf("referral card: %w", err)
	}
	if ref.AccountID != cab.account.ID {
		return fmt.Errorf("referral %d of another account: %w", id, errs.ErrNotFound)
	}
	v := referralCardView{Nav: h.nav(r, cab, "referrals"), Referral: h.referralView(r, cab.lang, ref)}
	v.Link = h.baseURL(r) + v.Referral.Verify
	if v.QR, err = qrSVG(v.Link, cab.tr.T("referral.qr_label")); err != nil {
		return err
	}
	title := map[admission.RefKind]string{admission.RefSlip: "referral.title.slip",
		admission.RefVoucher: "referral.title.voucher"}[ref.Kind]
	if title == "" {
		title = "referral.title"
	}
	return h.cabinetPage(w, r, http.StatusOK, "cabinet_referral", cab.tr.T(title, "Number", ref.Number), v)
}

// verifyView is the data of a referral's public verification page.
type verifyView struct {
	Found    bool
	Referral referralView
	Checked  string // when the page was made
}

// verifyReferral is the page a referral's QR code opens: anyone may see
// whether it is valid, for which school and grade, with the child's name
// masked. An unknown code says so, in the same words for any code.
func (h *server) verifyReferral(w http.ResponseWriter, r *http.Request) error {
	lang, err := h.pageLang(w, r)
	if err != nil {
		return err
	}
	tr := h.catalog.Translator(lang)
	v := verifyView{Checked: h.now().In(kazakhstan).Format("02.01.2006 15:04")}
	status := http.StatusOK
	code := r.PathValue("code")
	ref, err := h.office.ReferralByCode(r.Context(), code)
	switch {
	case err == nil && len(code) == 32:
		v.Found, v.Referral = true, h.referralView(r, lang, ref)
	case err == nil || errors.Is(err, errs.ErrNotFound):
		status = http.StatusNotFound
	default:
		return err
	}
	p := h.newPage(r, lang, tr.T("verify.title"), nil)
	p.Data = v
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	return h.render(w, status, "verify_referral", p)
}

// filesView is the data of "personal files".
type filesView struct {
	Nav   cabinetNav
	Files []fileView
}

// fileView is one child's personal file.
type fileView struct {
	Name       string
	Born       string
	School     string
	Class      string
	SchoolYear string
	Movements  []movementView
}

// movementView is one movement of a personal file.
type movementView struct {
	At       string
	DateTime string
	Text     string
}

// filesPage shows the personal files of the parent's children, with every
// movement of the year.
func (h *server) filesPage(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	files, err := h.office.PupilFiles(r.Context(), cab.account.ID)
	if err != nil {
		return fmt.Errorf("personal files: %w", err)
	}
	v := filesView{Nav: h.nav(r, cab, "files")}
	for _, f := range files {
		fv := fileView{Name: f.Name, School: h.schoolName(r, cab.lang, f.City, f.SchoolID),
			Class:      fmt.Sprintf("%d%s", f.Grade, f.Class),
			SchoolYear: fmt.Sprintf("%d–%d", f.SchoolYear, f.SchoolYear+1)}
		if !f.BirthDate.IsZero() {
			fv.Born = f.BirthDate.Format("02.01.2006")
		}
		for _, m := range f.Movements {
			fv.Movements = append(fv.Movements, movementView{
				At: m.At.In(kazakhstan).Format("02.01.2006"), DateTime: m.At.UTC().Format(time.RFC3339),
				Text: cab.tr.T("files.movement."+string(m.Kind), "School", h.schoolName(r, cab.lang, f.City, m.SchoolID),
					"Class", fmt.Sprintf("%d%s", m.Grade, m.Class)),
			})
		}
		v.Files = append(v.Files, fv)
	}
	return h.cabinetPage(w, r, http.StatusOK, "cabinet_files", cab.tr.T("cabinet.nav.files"), v)
}

// cardAdmission adds what the back office decided to a parent's card: the
// place in the quota queue while waiting, the referral once issued.
func (h *server) cardAdmission(r *http.Request, cab *cabinet, a application.Application, v *applicationCardView) error {
	if a.Status == application.Waiting {
		q, err := h.queuePosition(r, a)
		if err != nil {
			return err
		}
		v.Queue = q
	}
	ref, err := h.office.ApplicationReferral(r.Context(), a.ID)
	switch {
	case err == nil:
		v.Referral = cabinetURL(cab.lang, "referrals/"+strconv.FormatInt(ref.ID, 10))
	case !errors.Is(err, errs.ErrNotFound):
		return err
	}
	return nil
}
