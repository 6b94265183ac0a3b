package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"sakura/internal/account"
	"sakura/internal/application"
	"sakura/internal/catchment"
	"sakura/internal/document"
	"sakura/internal/errs"
	"sakura/internal/geo"
	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/person"
)

// steps are the wizards' steps by name.
func (h *server) steps() map[string]wizardStep {
	steps := map[string]wizardStep{
		application.StepConsents: {field: "consents", show: h.consentsShow, save: h.consentsSave,
			rows: h.consentsRows, valid: h.consentsValid},
		application.StepIdentity: {field: "identity", show: h.identityShow, save: h.identitySave,
			rows: h.identityRows, valid: h.identityValid},
		application.StepContacts: {field: "extra_phone", show: h.contactsShow, save: h.contactsSave, rows: h.contactsRows},
		application.StepChild: {field: "child_iin", show: h.childShow, save: h.childSave,
			rows: h.childRows, valid: h.childValid},
		application.StepDocuments: {field: "photo", show: h.documentsShow, save: h.documentsSave,
			rows: h.documentsRows, valid: h.documentsValid},
		application.StepInforming: {field: "informing", show: h.informingShow, save: h.informingSave},
		application.StepAddress:   {field: "address", show: h.addressShow, save: h.addressSave, rows: h.addressRows},
		application.StepSchool: {field: "school", show: h.schoolShow, save: h.schoolSave,
			rows: h.schoolRows, valid: h.schoolValid},
		application.StepNotify: {field: "channel", show: h.notifyShow, save: h.notifySave, rows: h.notifyRows},
		application.StepCheck:  {field: "submit", show: h.checkShow},
	}
	for name, s := range h.serviceSteps() {
		steps[name] = s
	}
	return steps
}

// Consents.

func (h *server) consentsShow(r *http.Request, wc *wizardCtx) (*stepView, error) {
	f := form{Values: map[string]string{}}
	for _, c := range wc.draft.Answers.Consents {
		f.Values[c] = "on"
	}
	return &stepView{Form: f, Data: application.Consents}, nil
}

func (h *server) consentsSave(w http.ResponseWriter, r *http.Request, wc *wizardCtx) (*stepView, error) {
	if err := parseForm(w, r); err != nil {
		return nil, err
	}
	var given []string
	f := form{Values: map[string]string{}}
	for _, c := range application.Consents {
		if r.PostFormValue(c) == "on" {
			given = append(given, c)
			f.Values[c] = "on"
		}
	}
	wc.draft.Answers.Consents = given
	if len(given) != len(application.Consents) {
		return &stepView{Form: f, Data: application.Consents}, refuse(account.FieldError{Field: "consents", Key: "apply.consents.required"})
	}
	return nil, nil
}

// Identity: the main phone and the parent's IIN are proven by the
// cabinet's sign-in (a code to the phone on record for the IIN), which the
// step links to and comes back from.

type identityView struct {
	SignedIn  bool
	Phone     string
	IIN       string
	SignInURL string
}

func (h *server) identityShow(r *http.Request, wc *wizardCtx) (*stepView, error) {
	v := identityView{SignInURL: cabinetURL(wc.lang, "") + "?next=" + wc.stepURL(application.StepIdentity)}
	if wc.cab != nil {
		v.SignedIn, v.Phone, v.IIN = true, wc.cab.account.Phone, person.MaskIIN(wc.cab.account.IIN)
	}
	return &stepView{Data: v}, nil
}

func (h *server) identitySave(w http.ResponseWriter, r *http.Request, wc *wizardCtx) (*stepView, error) {
	if wc.cab == nil {
		return nil, refuse(account.FieldError{Field: "identity", Key: "apply.identity.sign_in"})
	}
	a := wc.cab.account
	wc.draft.AccountID = a.ID
	wc.draft.Answers.Phone, wc.draft.Answers.ParentIIN = a.Phone, a.IIN
	return nil, nil
}

// Contacts: an extra phone and an e-mail, both optional.

func (h *server) contactsShow(r *http.Request, wc *wizardCtx) (*stepView, error) {
	a := wc.draft.Answers
	f := form{Values: map[string]string{"extra_phone": a.ExtraPhone, "email": a.Email}}
	if !wc.draft.IsDone(application.StepContacts) && wc.cab != nil {
		f.Values["extra_phone"], f.Values["email"] = wc.cab.account.ExtraPhone, wc.cab.account.Email
	}
	return &stepView{Form: f}, nil
}

func (h *server) contactsSave(w http.ResponseWriter, r *http.Request, wc *wizardCtx) (*stepView, error) {
	if err := parseForm(w, r); err != nil {
		return nil, err
	}
	f := values(r, "extra_phone", "email")
	var bad []account.FieldError
	extra, email := "", ""
	if v := f.Value("extra_phone"); v != "" {
		n, err := account.ParsePhone(v)
		switch {
		case err != nil:
			bad = append(bad, account.FieldError{Field: "extra_phone", Key: "account.phone_invalid"})
		case n == wc.draft.Answers.Phone:
			bad = append(bad, account.FieldError{Field: "extra_phone", Key: "account.extra_same"})
		default:
			extra = n
		}
	}
	if v := f.Value("email"); v != "" {
		e, err := account.ParseEmail(v)
		if err != nil {
			bad = append(bad, account.FieldError{Field: "email", Key: "account.email_invalid"})
		}
		email = e
	}
	if len(bad) > 0 {
		return &stepView{Form: f}, refuse(bad...)
	}
	wc.draft.Answers.ExtraPhone, wc.draft.Answers.Email = extra, email
	return nil, nil
}

// Child: the IIN, checked against the registry (the child's age and the
// link to the parent), or, for a child without one, the name, the birth
// date and, later, the birth certificate.

// childModes are the choices of the child step.
var childModes = []string{"iin", "no_iin", "abroad"}

func (h *server) childShow(r *http.Request, wc *wizardCtx) (*stepView, error) {
	a := wc.draft.Answers
	mode := "iin"
	switch {
	case a.ChildAbroad:
		mode = "abroad"
	case a.ChildNoIIN:
		mode = "no_iin"
	}
	f := form{Values: map[string]string{"mode": mode, "child_iin": a.ChildIIN}}
	if a.ChildNoIIN {
		f.Values["surname"], f.Values["name"] = a.ChildSurname, a.ChildName
		if !a.ChildBirthDate.IsZero() {
			f.Values["birth_date"] = a.ChildBirthDate.Format(time.DateOnly)
		}
	}
	return &stepView{Form: f, Data: childModes}, nil
}

func (h *server) childSave(w http.ResponseWriter, r *http.Request, wc *wizardCtx) (*stepView, error) {
	if err := parseForm(w, r); err != nil {
		return nil, err
	}
	f := values(r, "mode", "child_iin", "surname", "name", "birth_date")
	view := &stepView{Form: f, Data: childModes}
	a := &wc.draft.Answers
	now := h.now()

	switch f.Value("mode") {
	case "iin":
		number := f.Value("child_iin")
		if number == "" {
			return view, refuse(account.FieldError{Field: "child_iin", Key: "apply.child.iin_required"})
		}
		if number == a.ParentIIN {
			return view, refuse(account.FieldError{Field: "child_iin", Key: "apply.child.own_iin"})
		}
		id, err := person.ParseIIN(number, now)
		if err != nil {
			return view, withField(err, "child_iin")
		}
		p, err := h.persons.Person(r.Context(), number)
		if errors.Is(err, errs.ErrNotFound) {
			return view, refuse(account.FieldError{Field: "child_iin", Key: "apply.child.not_found"})
		} else if err != nil {
			return nil, err
		}
		if _, err := h.persons.Link(r.Context(), a.ParentIIN, number); errors.Is(err, errs.ErrNotFound) {
			return view, refuse(account.FieldError{Field: "child_iin", Key: "apply.child.not_linked"})
		} else if err != nil {
			return nil, err
		}
		if _, err := wc.rules.age(wc.campaign, id.BirthDate); err != nil {
			return view, withField(err, "child_iin")
		}
		a.ChildIIN, a.ChildNoIIN, a.ChildAbroad = number, false, false
		a.ChildSurname, a.ChildName, a.ChildBirthDate = p.Surname, p.Name, id.BirthDate
	case "no_iin", "abroad":
		var bad []account.FieldError
		if f.Value("surname") == "" {
			bad = append(bad, account.FieldError{Field: "surname", Key: "apply.child.surname_required"})
		}
		if f.Value("name") == "" {
			bad = append(bad, account.FieldError{Field: "name", Key: "apply.child.name_required"})
		}
		birth, err := time.Parse(time.DateOnly, f.Value("birth_date"))
		if err != nil || birth.After(now) || birth.Year() < 1990 {
			bad = append(bad, account.FieldError{Field: "birth_date", Key: "apply.child.birth_date_invalid"})
		} else if _, err := wc.rules.age(wc.campaign, birth); err != nil {
			return view, withField(err, "birth_date")
		}
		if len(bad) > 0 {
			return view, refuse(bad...)
		}
		a.ChildIIN, a.ChildNoIIN, a.ChildAbroad = "", true, f.Value("mode") == "abroad"
		a.ChildSurname, a.ChildName, a.ChildBirthDate = f.Value("surname"), f.Value("name"), birth
	default:
		return view, refuse(account.FieldError{Field: "mode-iin", Key: "apply.child.mode"})
	}
	return nil, nil
}

// withField puts a keyed refusal next to a field.
func withField(err error, field string) error {
	var e *errs.Error
	if !errors.As(err, &e) || e.Key == "" {
		return err
	}
	return &errs.Error{Kind: e.Kind, Key: e.Key, Args: e.Args,
		Err: account.FieldErrors{{Field: field, Key: e.Key, Args: e.Args}}}
}

// Documents: the photo and the two medical forms, and the birth
// certificate for a child without an IIN.

// documentSlot is one file the documents step asks for.
type documentSlot struct {
	Name     string // the form field
	Kind     document.Kind
	File     string // the file uploaded so far, or ""
	Size     string
	Accept   string
	Required bool
}

// documentSlots are the files a campaign may ask for, by name.
var documentSlots = map[string]documentSlot{
	"photo":             {Name: "photo", Kind: document.Photo, Accept: "image/jpeg,image/png"},
	"medical_065":       {Name: "medical_065", Kind: document.Medical, Accept: "application/pdf,image/jpeg,image/png"},
	"medical_052":       {Name: "medical_052", Kind: document.Medical, Accept: "application/pdf,image/jpeg,image/png"},
	"birth_certificate": {Name: "birth_certificate", Kind: document.BirthCertificate, Accept: "application/pdf,image/jpeg,image/png"},
	"medical_026":       {Name: "medical_026", Kind: document.Medical, Accept: "application/pdf,image/jpeg,image/png"},
	"medical_063":       {Name: "medical_063", Kind: document.Medical, Accept: "application/pdf,image/jpeg,image/png"},
	"report_card":       {Name: "report_card", Kind: document.Scan, Accept: "application/pdf,image/jpeg,image/png"},
}

// slots returns the files the draft needs: the campaign's list for its
// kind, and the birth certificate for a child without an IIN.
func slots(wc *wizardCtx) []documentSlot {
	a := wc.draft.Answers
	names := wc.rules.documents(wc.campaign)
	var out []documentSlot
	for _, name := range names {
		if s, ok := documentSlots[name]; ok {
			out = append(out, s)
		}
	}
	if a.ChildNoIIN && !slices.Contains(names, "birth_certificate") {
		out = append(out, documentSlots["birth_certificate"])
	}
	for i := range out {
		out[i].Required = true
		for _, d := range a.Documents {
			if d.Kind == out[i].Name {
				out[i].File, out[i].Size = d.Name, sizeText(d.Size)
			}
		}
	}
	return out
}

func sizeText(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KB", (n+1023)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

func (h *server) documentsShow(r *http.Request, wc *wizardCtx) (*stepView, error) {
	return &stepView{Data: slots(wc)}, nil
}

// maxUploadRequest bounds the body of the documents step: every file at
// its largest, and the form around them.
const maxUploadRequest = 4*document.MaxUpload + 1<<20

// errUploadsBusy answers an upload when every slot for checking one is
// taken: decoding a large photo takes much memory, so a rush of uploads
// waits its turn in the browser instead of exhausting the server.
var errUploadsBusy = &errs.Error{Kind: errs.Unavailable, Key: "apply.documents.busy", RetryAfter: 5 * time.Second}

// uploadSlot takes one of the slots for checking uploads without waiting,
// or refuses with busy when every one is taken; the caller releases it
// with the function returned.
func (h *server) uploadSlot(busy error) (func(), error) {
	select {
	case h.uploads <- struct{}{}:
		return func() { <-h.uploads }, nil
	default:
		return nil, busy
	}
}

func (h *server) documentsSave(w http.ResponseWriter, r *http.Request, wc *wizardCtx) (*stepView, error) {
	release, err := h.parseUploads(w, r, "photo")
	if err != nil {
		return nil, err
	}
	defer release()

	a := &wc.draft.Answers
	var bad []account.FieldError
	for _, slot := range slots(wc) {
		refused, err := h.keepUpload(r, a, slot)
		if err != nil {
			return nil, err
		}
		if refused != nil {
			bad = append(bad, *refused)
		}
	}

	// What was accepted is kept even when another file is refused.
	if err := h.apps.SaveDraft(r.Context(), wc.draft); err != nil {
		return nil, err
	}
	if len(bad) > 0 {
		return &stepView{Data: slots(wc)}, refuse(bad...)
	}
	var sizes []int64
	for _, slot := range slots(wc) {
		if slot.File == "" {
			bad = append(bad, account.FieldError{Field: slot.Name, Key: "apply.documents.required"})
		}
	}
	for _, d := range a.Documents {
		sizes = append(sizes, d.Size)
	}
	if len(bad) > 0 {
		return &stepView{Data: slots(wc)}, refuse(bad...)
	}
	if err := document.CheckTotal(sizes...); err != nil {
		return &stepView{Data: slots(wc)}, withField(err, "photo")
	}
	return nil, nil
}

// parseUploads takes an upload slot and reads a multipart form of files
// at their largest; a form too big is refused next to field. The caller
// releases the slot and the form's files with the function returned.
func (h *server) parseUploads(w http.ResponseWriter, r *http.Request, field string) (func(), error) {
	release, err := h.uploadSlot(errUploadsBusy)
	if err != nil {
		return nil, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadRequest)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		release()
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, refuse(account.FieldError{Field: field, Key: "document.too_big"})
		}
		return nil, &errs.Error{Kind: errs.Invalid, Key: "cabinet.form_broken", Err: err}
	}
	return func() { r.MultipartForm.RemoveAll(); release() }, nil
}

// keepUpload checks the file of a slot the form carries and keeps it in
// the document store and the answers, in the place of an earlier one. A
// slot the form has no file for is no refusal; a file the check refuses is
// returned as the refusal of its field.
func (h *server) keepUpload(r *http.Request, a *application.Answers, slot documentSlot) (*account.FieldError, error) {
	file, header, err := r.FormFile(slot.Name)
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil
	}
	if err != nil {
		return nil, &errs.Error{Kind: errs.Invalid, Key: "cabinet.form_broken", Err: err}
	}
	data, err := io.ReadAll(io.LimitReader(file, document.MaxUpload+1))
	file.Close()
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	checked, err := document.Check(slot.Kind, data)
	if err != nil {
		var e *errs.Error
		if errors.As(err, &e) && e.Key != "" {
			return &account.FieldError{Field: slot.Name, Key: e.Key, Args: e.Args}, nil
		}
		return nil, err
	}
	key := document.NewKey()
	if err := h.docs.Put(r.Context(), key, checked.Data); err != nil {
		return nil, err
	}
	name := fileName(header.Filename, checked.Ext)
	a.Documents = slices.DeleteFunc(a.Documents, func(d application.Document) bool { return d.Kind == slot.Name })
	a.Documents = append(a.Documents, application.Document{Kind: slot.Name, Key: key, Name: name,
		ContentType: checked.ContentType, Size: int64(len(checked.Data))})
	return nil, nil
}

// fileName keeps a safe, short form of the name a file was uploaded
// under, with the extension of what it turned out to be.
func fileName(name, ext string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.LastIndex(name, "."); i > 0 {
		name = name[:i]
	}
	name = strings.Map(func(r rune) rune {
		if r < 32 || strings.ContainsRune(`"<>|:*?`, r) {
			return -1
		}
		return r
	}, name)
	if rs := []rune(name); len(rs) > 60 {
		name = string(rs[:60])
	}
	if name == "" {
		name = "document"
	}
	return name + ext
}

// Informing: the child's applications so far, and that catchment and
// quota applications are separate.

type informingView struct {
	Earlier []earlierView
	Blocked bool // both a catchment and a quota application are under way (or, for another kind, one)
	Basis   bool // grade 1's two kinds of application
}

type earlierView struct {
	Number, Status, Basis, URL string
	Active                     bool
}

// earlier returns the parent's applications of the wizard's kind for the
// draft's child, and the bases already under way.
func (h *server) earlier(r *http.Request, wc *wizardCtx) ([]application.Application, map[application.Basis]application.Number, error) {
	all, err := h.apps.Applications(r.Context(), wc.draft.AccountID)
	if err != nil {
		return nil, nil, err
	}
	child := wc.draft.Answers.ChildKey()
	var out []application.Application
	active := map[application.Basis]application.Number{}
	for _, a := range all {
		if a.Child != child || a.Kind != wc.wizard.Kind || a.City != wc.city.Slug || a.DraftID == wc.draft.ID {
			continue // the draft's own application, once submitted, is no earlier one
		}
		out = append(out, a)
		if a.Status.Active() && a.Year == wc.campaign.Year {
			active[a.Basis] = a.Number
		}
	}
	return out, active, nil
}

// blocked reports whether the child may file no application of the kind
// now: both a catchment and a quota one under way for grade 1, one under
// way for the others.
func (wc *wizardCtx) blocked(active map[application.Basis]application.Number) bool {
	if wc.rules.basis {
		return active[application.Catchment] != "" && active[application.Quota] != ""
	}
	return len(active) > 0
}

func (h *server) informingShow(r *http.Request, wc *wizardCtx) (*stepView, error) {
	apps, active, err := h.earlier(r, wc)
	if err != nil {
		return nil, err
	}
	v := informingView{Blocked: wc.blocked(active), Basis: wc.rules.basis}
	for _, a := range apps {
		v.Earlier = append(v.Earlier, earlierView{Number: string(a.Number), Status: wc.tr.T("status." + string(a.Status)),
			Basis: basisText(wc.tr, a.Basis), Active: a.Status.Active(),
			URL: cabinetURL(wc.lang, "applications/"+strconv.FormatInt(a.ID, 10))})
	}
	return &stepView{Data: v}, nil
}

func (h *server) informingSave(w http.ResponseWriter, r *http.Request, wc *wizardCtx) (*stepView, error) {
	_, active, err := h.earlier(r, wc)
	if err != nil {
		return nil, err
	}
	if wc.blocked(active) {
		key := "apply.informing.both"
		if !wc.rules.basis {
			key = "apply.informing.one"
		}
		return nil, refuse(account.FieldError{Field: "informing", Key: key})
	}
	return nil, nil
}

// Address and language.

type addressView struct {
	Langs []langChoice
	URL   string // the address suggestions for the combobox
}

// instructionLangs are the languages schools teach in.
var instructionLangs = []i18n.Lang{i18n.KK, i18n.RU, i18n.EN}

func (h *server) addressShow(r *http.Request, wc *wizardCtx) (*stepView, error) {
	a := wc.draft.Answers
	f := form{Values: map[string]string{"address": a.Address, "language": a.Language}}
	return &stepView{Form: f, Data: h.addressView(wc, a.Language)}, nil
}

func (h *server) addressView(wc *wizardCtx, chosen string) addressView {
	v := addressView{URL: "/api/v1/cities/" + wc.city.Slug + "/addresses?lang=" + string(wc.lang)}
	for _, l := range instructionLangs {
		v.Langs = append(v.Langs, langChoice{Value: l, Label: wc.tr.T("places.language." + string(l)), Checked: string(l) == chosen})
	}
	return v
}

func (h *server) addressSave(w http.ResponseWriter, r *http.Request, wc *wizardCtx) (*stepView, error) {
	if err := parseForm(w, r); err != nil {
		return nil, err
	}
	f := values(r, "address", "language")
	view := &stepView{Form: f, Data: h.addressView(wc, f.Value("language"))}
	var bad []account.FieldError
	ans, err := h.resolve(r, wc, f.Value("address"))
	if err != nil {
		return nil, err
	}
	if !ans.Resolved {
		key := "apply.address.unknown"
		if f.Value("address") == "" {
			key = "apply.address.required"
		}
		bad = append(bad, account.FieldError{Field: "address", Key: key})
	}
	if _, ok := i18n.ParseLang(f.Value("language")); !ok {
		bad = append(bad, account.FieldError{Field: "language-kk", Key: "apply.language.required"})
	}
	if len(bad) > 0 {
		return view, refuse(bad...)
	}
	wc.draft.Answers.Address = ans.Address.Text.In(wc.lang)
	wc.draft.Answers.BuildingID = ans.Address.Building.ID
	wc.draft.Answers.Language = f.Value("language")
	return nil, nil
}

// resolve finds an address in the city's index.
func (h *server) resolve(r *http.Request, wc *wizardCtx, query string) (catchment.Answer, error) {
	if query == "" || len([]rune(query)) > maxAddress {
		return catchment.Answer{}, nil
	}
	idx, err := h.places.City(r.Context(), wc.city.Slug)
	if err != nil {
		return catchment.Answer{}, err
	}
	return idx.ByAddress(query), nil
}

// School: the catchment school, when it teaches in the language, and the
// nearest schools that take quota applications in it; one of them.

// schoolOption is a school the child may apply to, and on which basis.
type schoolOption struct {
	ID       int64
	Name     string
	Address  string
	Distance string
	Basis    application.Basis
	BasisTxt string
	Free     string // the places free, for a transfer or grade 10
	Checked  bool
}

// quotaChoices is how many schools the quota list offers, nearest first.
const quotaChoices = 10

// options returns the schools open to the draft's child: grade 1's by
// catchment and quota, the others' with places free.
func (h *server) options(r *http.Request, wc *wizardCtx) ([]schoolOption, error) {
	if wc.wizard.Kind != application.Grade1 {
		return h.placeOptions(r, wc)
	}
	return h.grade1Options(r, wc)
}

// grade1Options are the catchment school, when it teaches in the
// language, and the nearest schools that take quota applications in it.
func (h *server) grade1Options(r *http.Request, wc *wizardCtx) ([]schoolOption, error) {
	a := wc.draft.Answers
	ans, err := h.resolve(r, wc, a.Address)
	if err != nil || !ans.Resolved {
		return nil, err
	}
	_, active, err := h.earlier(r, wc)
	if err != nil {
		return nil, err
	}
	idx, err := h.places.City(r.Context(), wc.city.Slug)
	if err != nil {
		return nil, err
	}
	lang := i18n.Lang(a.Language)
	teaches := func(langs []i18n.Lang) bool { return slices.Contains(langs, lang) }

	var out []schoolOption
	serving := int64(0)
	if len(ans.Schools) > 0 && ans.Schools[0].Serves {
		s := ans.Schools[0]
		serving = s.School.ID
		if teaches(s.School.Languages) && active[application.Catchment] == "" {
			out = append(out, schoolOption{ID: s.School.ID, Name: s.School.Name.In(wc.lang), Address: s.School.Address.In(wc.lang),
				Distance: formatDistance(s.Distance, wc.lang), Basis: application.Catchment})
		}
	}
	if active[application.Quota] == "" {
		n := 0
		for _, near := range idx.Areas.Nearest(ans.Home, 60) {
			s, ok := idx.School(near.SchoolID)
			if !ok || s.ID == serving || !teaches(s.Languages) {
				continue
			}
			out = append(out, schoolOption{ID: s.ID, Name: s.Name.In(wc.lang), Address: s.Address.In(wc.lang),
				Distance: formatDistance(geo.Distance(ans.Home, s.Location), wc.lang), Basis: application.Quota})
			if n++; n == quotaChoices {
				break
			}
		}
	}
	for i := range out {
		out[i].BasisTxt = wc.tr.T("apply.basis." + string(out[i].Basis))
		out[i].Checked = out[i].ID == a.SchoolID
	}
	return out, nil
}

func (h *server) schoolShow(r *http.Request, wc *wizardCtx) (*stepView, error) {
	opts, err := h.options(r, wc)
	if err != nil {
		return nil, err
	}
	return &stepView{Data: opts}, nil
}

func (h *server) schoolSave(w http.ResponseWriter, r *http.Request, wc *wizardCtx) (*stepView, error) {
	if err := parseForm(w, r); err != nil {
		return nil, err
	}
	opts, err := h.options(r, wc)
	if err != nil {
		return nil, err
	}
	id, _ := strconv.ParseInt(r.PostFormValue("school"), 10, 64)
	for _, o := range opts {
		if o.ID == id {
			wc.draft.Answers.SchoolID, wc.draft.Answers.Basis = o.ID, o.Basis
			return nil, nil
		}
	}
	field := "school"
	if len(opts) > 0 {
		field = "school-" + strconv.FormatInt(opts[0].ID, 10)
	}
	return &stepView{Data: opts}, refuse(account.FieldError{Field: field, Key: "apply.school.required"})
}

// Notifications: the channel and the language of messages about the
// application.

type notifyView struct {
	Email string // the address e-mail would go to; "" when none is confirmed
	Langs []langChoice
}

func (h *server) notifyShow(r *http.Request, wc *wizardCtx) (*stepView, error) {
	a := wc.draft.Answers
	channel, lang := a.Channel, a.NotifyLang
	if channel == "" {
		channel = string(notify.SMS)
	}
	if lang == "" {
		lang = string(wc.lang)
	}
	return &stepView{Form: form{Values: map[string]string{"channel": channel}}, Data: h.notifyView(wc, lang)}, nil
}

func (h *server) notifyView(wc *wizardCtx, lang string) notifyView {
	v := notifyView{}
	if wc.cab != nil {
		v.Email = wc.cab.account.Email
	}
	for _, l := range i18n.Langs {
		v.Langs = append(v.Langs, langChoice{Value: l, Label: langNames[l], Checked: string(l) == lang})
	}
	return v
}

func (h *server) notifySave(w http.ResponseWriter, r *http.Request, wc *wizardCtx) (*stepView, error) {
	if err := parseForm(w, r); err != nil {
		return nil, err
	}
	f := values(r, "channel", "lang")
	view := &stepView{Form: f, Data: h.notifyView(wc, f.Value("lang"))}
	var bad []account.FieldError
	switch notify.Channel(f.Value("channel")) {
	case notify.SMS:
	case notify.Email:
		if wc.cab == nil || wc.cab.account.Email == "" {
			bad = append(bad, account.FieldError{Field: "channel-email", Key: "account.email_unconfirmed"})
		}
	default:
		bad = append(bad, account.FieldError{Field: "channel-sms", Key: "account.channel_required"})
	}
	if _, ok := i18n.ParseLang(f.Value("lang")); !ok {
		bad = append(bad, account.FieldError{Field: "lang-kk", Key: "account.lang_invalid"})
	}
	if len(bad) > 0 {
		return view, refuse(bad...)
	}
	wc.draft.Answers.Channel, wc.draft.Answers.NotifyLang = f.Value("channel"), f.Value("lang")
	return nil, nil
}

// basisText names a basis in the page's language, or gives "" for a kind
// without one.
func basisText(tr *i18n.Translator, b application.Basis) string {
	if b == "" {
		return ""
	}
	return tr.T("apply.basis." + string(b))
}
