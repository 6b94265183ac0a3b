package web

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"sakura/internal/account"
	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/document"
	"sakura/internal/geo"
	"sakura/internal/i18n"
	"sakura/internal/school"
	"sakura/internal/social"
)

// The steps only some services have: the school the child attends now,
// a transfer's grounds, grade 10's profile and certificate, the category
// of help with its proof, a camp's shift, and where transport picks the
// child up.

// serviceSteps are those steps by name, for steps().
func (h *server) serviceSteps() map[string]wizardStep {
	return map[string]wizardStep{
		application.StepCurrent: {field: "from_school", show: h.currentShow, save: h.currentSave,
			rows: h.currentRows, valid: h.currentValid},
		application.StepGrounds: {field: "grounds-move_city", show: h.groundsShow, save: h.groundsSave,
			rows: h.groundsRows, valid: h.groundsValid},
		application.StepProfile: {field: "grade-10", show: h.profileShow, save: h.profileSave, rows: h.profileRows},
		application.StepCertificate: {field: "certificate", show: h.certificateShow, save: h.certificateSave,
			rows: h.certificateRows, valid: h.certificateValid},
		application.StepCategory: {field: "category-social_assistance", show: h.categoryShow, save: h.categorySave,
			rows: h.categoryRows, valid: h.categoryValid},
		application.StepCamp: {field: "shift", show: h.campShow, save: h.campSave, rows: h.campRows, valid: h.campValid},
		application.StepPickup: {field: "address", show: h.pickupShow, save: h.pickupSave,
			rows: h.pickupRows, valid: h.pickupValid},
	}
}

// grades are the grades of a school.
var grades = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}

// Current: the school the child attends now, in this city (chosen) or, for
// a transfer, in another (named); the grade; and transport's school year.

type currentView struct {
	Schools   []option
	Grades    []option
	Years     []option // transport
	Where     []option // a transfer may come from another city
	FreeMeals bool     // meals: grades 1–4 eat free
}

func (h *server) currentView(r *http.Request, wc *wizardCtx, f form) (currentView, error) {
	v := currentView{FreeMeals: wc.wizard.Kind == application.Meals}
	if wc.wizard.Kind == application.Transfer {
		for _, w := range []string{"here", "elsewhere"} {
			v.Where = append(v.Where, option{Value: w, Label: wc.tr.T("apply.current.where_"+w, "City", wc.city.Name.In(wc.lang)),
				Selected: w == f.Value("where")})
		}
	}
	all, err := h.schools.All(r.Context(), wc.city.Slug, wc.lang, school.Filter{Sort: school.ByName})
	if err != nil {
		return v, err
	}
	for _, s := range all {
		id := strconv.FormatInt(s.ID, 10)
		v.Schools = append(v.Schools, option{Value: id, Label: s.Name.In(wc.lang), Selected: id == f.Value("from_school")})
	}
	for _, g := range grades {
		n := strconv.Itoa(g)
		v.Grades = append(v.Grades, option{Value: n, Label: n, Selected: n == f.Value("grade")})
	}
	if wc.wizard.Kind == application.Transport {
		for _, y := range []int{wc.campaign.Year, wc.campaign.Year + 1} {
			n := strconv.Itoa(y)
			v.Years = append(v.Years, option{Value: n, Label: fmt.Sprintf("%d–%d", y, y+1), Selected: n == f.Value("year")})
		}
	}
	return v, nil
}

func (h *server) currentShow(r *http.Request, wc *wizardCtx) (*stepView, error) {
	a := wc.draft.Answers
	f := form{Values: map[string]string{"where": "here", "from_city": a.FromCity, "from_name": a.FromSchoolName}}
	if a.FromCity != "" {
		f.Values["where"] = "elsewhere"
	}
	if a.FromSchoolID != 0 {
		f.Values["from_school"] = strconv.FormatInt(a.FromSchoolID, 10)
	}
	if a.Grade != 0 {
		f.Values["grade"] = strconv.Itoa(a.Grade)
	}
	f.Values["year"] = strconv.Itoa(wc.campaign.Year)
	if a.SchoolYear != 0 {
		f.Values["year"] = strconv.Itoa(a.SchoolYear)
	}
	v, err := h.currentView(r, wc, f)
	return &stepView{Form: f, Data: v}, err
}

func (h *server) currentSave(w http.ResponseWriter, r *http.Request, wc *wizardCtx) (*stepView, error) {
	if err := parseForm(w, r); err != nil {
		return nil, err
	}
	f := values(r, "where", "from_school", "from_city", "from_name", "grade", "year")
	v, err := h.currentView(r, wc, f)
	if err != nil {
		return nil, err
	}
	view := &stepView{Form: f, Data: v}
	a := &wc.draft.Answers
	var bad []account.FieldError
	elsewhere := wc.wizard.Kind == application.Transfer && f.Value("where") == "elsewhere"
	var from int64
	if elsewhere {
		if f.Value("from_city") == "" {
			bad = append(bad, account.FieldError{Field: "from_city", Key: "apply.current.city_required"})
		}
		if f.Value("from_name") == "" {
			bad = append(bad, account.FieldError{Field: "from_name", Key: "apply.current.name_required"})
		}
	} else {
		id, err := strconv.ParseInt(f.Value("from_school"), 10, 64)
		if err == nil {
			if _, err := h.schools.School(r.Context(), wc.city.Slug, id); err != nil {
				id = 0
			}
		}
		if id <= 0 {
			bad = append(bad, account.FieldError{Field: "from_school", Key: "apply.current.school_required"})
		}
		from = id
	}
	grade, err := strconv.Atoi(f.Value("grade"))
	switch {
	case err != nil || grade < 1 || grade > 11:
		bad = append(bad, account.FieldError{Field: "grade", Key: "apply.current.grade_required"})
	case wc.wizard.Kind == application.Meals && grade <= application.FreeMealGrades:
		bad = append(bad, account.FieldError{Field: "grade", Key: "apply.current.meals_free",
			Args: map[string]any{"Grade": application.FreeMealGrades}})
	}
	year := 0
	if wc.wizard.Kind == application.Transport {
		year, err = strconv.Atoi(f.Value("year"))
		if err != nil || (year != wc.campaign.Year && year != wc.campaign.Year+1) {
			bad = append(bad, account.FieldError{Field: "year", Key: "apply.current.year_required"})
		}
	}
	if len(bad) > 0 {
		return view, refuse(bad...)
	}
	a.FromSchoolID, a.Grade, a.SchoolYear = from, grade, year
	a.FromCity, a.FromSchoolName = "", ""
	if elsewhere {
		a.FromCity, a.FromSchoolName = f.Value("from_city"), f.Value("from_name")
	}
	if wc.wizard.Kind != application.Transfer {
		a.SchoolID = from // meals and transport are decided by the child's own school
	}
	return nil, nil
}

func (h *server) currentRows(r *http.Request, wc *wizardCtx) ([]answerRow, error) {
	a := wc.draft.Answers
	from := a.FromSchoolName + ", " + a.FromCity
	if a.FromCity == "" {
		from = h.schoolName(r, wc.lang, wc.city.Slug, a.FromSchoolID)
	}
	rows := []answerRow{wc.row(application.StepCurrent, "apply.check.current", from),
		wc.row(application.StepCurrent, "apply.check.grade", strconv.Itoa(a.Grade))}
	if a.SchoolYear != 0 {
		rows = append(rows, wc.row(application.StepCurrent, "apply.check.school_year",
			fmt.Sprintf("%d–%d", a.SchoolYear, a.SchoolYear+1)))
	}
	return rows, nil
}

func (h *server) currentValid(r *http.Request, wc *wizardCtx) (bool, error) {
	a := wc.draft.Answers
	if a.FromCity != "" {
		return wc.wizard.Kind == application.Transfer, nil
	}
	_, err := h.schools.School(r.Context(), wc.city.Slug, a.FromSchoolID)
	return err == nil && !(wc.wizard.Kind == application.Meals && a.Grade <= application.FreeMealGrades), nil
}

// School, for a transfer and grade 10: the schools that teach in the
// language with places free in the grade (and profile), nearest first.

// placeChoices is how many schools a transfer or grade 10 offers.
const placeChoices = 10

func (h *server) placeOptions(r *http.Request, wc *wizardCtx) ([]schoolOption, error) {
	a := wc.draft.Answers
	ans, err := h.resolve(r, wc, a.Address)
	if err != nil || !ans.Resolved {
		return nil, err
	}
	idx, err := h.places.City(r.Context(), wc.city.Slug)
	if err != nil {
		return nil, err
	}
	lang := i18n.Lang(a.Language)
	var candidates []school.School
	for _, near := range idx.Areas.Nearest(ans.Home, 80) {
		s, ok := idx.School(near.SchoolID)
		if !ok || s.ID == a.FromSchoolID || !slices.Contains(s.Languages, lang) ||
			wc.wizard.Kind == application.Grade10 && !slices.Contains(s.Profiles, a.Profile) {
			continue
		}
		candidates = append(candidates, s)
	}
	ids := make([]int64, len(candidates))
	for i, s := range candidates {
		ids[i] = s.ID
	}
	places, err := h.admission.Places(r.Context(), admission.PlaceQuery{Kind: wc.wizard.Kind, City: wc.city.Slug,
		Year: wc.campaign.Year, Grade: a.Grade, Profile: a.Profile}, ids)
	if err != nil {
		return nil, err
	}
	var out []schoolOption
	for _, s := range candidates {
		free := places[s.ID].Free()
		if free <= 0 {
			continue
		}
		out = append(out, schoolOption{ID: s.ID, Name: s.Name.In(wc.lang), Address: s.Address.In(wc.lang),
			Distance: formatDistance(geo.Distance(ans.Home, s.Location), wc.lang), Free: wc.tr.N("apply.school.free", free),
			Checked: s.ID == a.SchoolID})
		if len(out) == placeChoices {
			break
		}
	}
	return out, nil
}

// Grounds of a transfer: all of them in the school holidays; outside them
// only those the rules allow at any time.

type groundsView struct {
	Grounds  []option
	Holidays bool
}

func (h *server) groundsView(wc *wizardCtx, chosen string) groundsView {
	v := groundsView{Holidays: wc.campaign.Transfer.InHolidays(h.now())}
	for _, g := range h.groundsOpen(wc) {
		v.Grounds = append(v.Grounds, option{Value: g, Label: wc.tr.T("apply.grounds." + g), Selected: g == chosen})
	}
	return v
}

// groundsOpen are the grounds a transfer may have now.
func (h *server) groundsOpen(wc *wizardCtx) []string {
	if wc.campaign.Transfer.InHolidays(h.now()) {
		return application.TransferGrounds
	}
	return application.AnyTimeGrounds
}

func (h *server) groundsShow(r *http.Request, wc *wizardCtx) (*stepView, error) {
	g := wc.draft.Answers.Grounds
	return &stepView{Form: form{Values: map[string]string{"grounds": g}}, Data: h.groundsView(wc, g)}, nil
}

func (h *server) groundsSave(w http.ResponseWriter, r *http.Request, wc *wizardCtx) (*stepView, error) {
	if err := parseForm(w, r); err != nil {
		return nil, err
	}
	f := values(r, "grounds")
	g := f.Value("grounds")
	if !slices.Contains(h.groundsOpen(wc), g) {
		key := "apply.grounds.required"
		if slices.Contains(application.TransferGrounds, g) {
			key = "apply.grounds.holidays_only"
		}
		return &stepView{Form: f, Data: h.groundsView(wc, g)},
			refuse(account.FieldError{Field: "grounds-" + h.groundsOpen(wc)[0], Key: key})
	}
	wc.draft.Answers.Grounds = g
	return nil, nil
}

func (h *server) groundsRows(r *http.Request, wc *wizardCtx) ([]answerRow, error) {
	return []answerRow{wc.row(application.StepGrounds, "apply.check.grounds",
		wc.tr.T("apply.grounds."+wc.draft.Answers.Grounds))}, nil
}

func (h *server) groundsValid(r *http.Request, wc *wizardCtx) (bool, error) {
	return slices.Contains(h.groundsOpen(wc), wc.draft.Answers.Grounds), nil
}

// Profile of grade 10 or 11.

type profileView struct {
	Grades   []option
	Profiles []option
}

func profileView2(wc *wizardCtx, grade, profile string) profileView {
	var v profileView
	for _, g := range []string{"10", "11"} {
		v.Grades = append(v.Grades, option{Value: g, Label: g, Selected: g == grade})
	}
	for _, p := range school.Profiles() {
		v.Profiles = append(v.Profiles, option{Value: p, Label: wc.tr.T("school.profile." + p), Selected: p == profile})
	}
	return v
}

func (h *server) profileShow(r *http.Request, wc *wizardCtx) (*stepView, error) {
	a := wc.draft.Answers
	grade := ""
	if a.Grade != 0 {
		grade = strconv.Itoa(a.Grade)
	}
	return &stepView{Form: form{Values: map[string]string{"grade": grade, "profile": a.Profile}},
		Data: profileView2(wc, grade, a.Profile)}, nil
}

func (h *server) profileSave(w http.ResponseWriter, r *http.Request, wc *wizardCtx) (*stepView, error) {
	if err := parseForm(w, r); err != nil {
		return nil, err
	}
	f := values(r, "grade", "profile")
	var bad []account.FieldError
	grade, _ := strconv.Atoi(f.Value("grade"))
	if grade != 10 && grade != 11 {
		bad = append(bad, account.FieldError{Field: "grade-10", Key: "apply.profile.grade_required"})
	}
	if !slices.Contains(school.Profiles(), f.Value("profile")) {
		bad = append(bad, account.FieldError{Field: "profile-" + school.Profiles()[0], Key: "apply.profile.required"})
	}
	if len(bad) > 0 {
		return &stepView{Form: f, Data: profileView2(wc, f.Value("grade"), f.Value("profile"))}, refuse(bad...)
	}
	wc.draft.Answers.Grade, wc.draft.Answers.Profile = grade, f.Value("profile")
	return nil, nil
}

func (h *server) profileRows(r *http.Request, wc *wizardCtx) ([]answerRow, error) {
	a := wc.draft.Answers
	return []answerRow{wc.row(application.StepProfile, "apply.check.grade", strconv.Itoa(a.Grade)),
		wc.row(application.StepProfile, "apply.check.profile", wc.tr.T("school.profile."+a.Profile))}, nil
}

// Certificate of basic secondary education: its number, its year and a
// scan. The grade must follow it: grade 10 the year it was issued, grade 11
// the year after.

var certificateNumber = regexp.MustCompile(`^[\p{L}\p{N} -]{5,20}$`)

// certificateSlot is the scan the certificate step asks for.
var certificateSlot = documentSlot{Name: "certificate_scan", Kind: document.Scan, Accept: "application/pdf,image/jpeg,image/png"}

type certificateView struct {
	Slot documentSlot
}

func (h *server) certificateView(wc *wizardCtx) certificateView {
	slot := certificateSlot
	for _, d := range wc.draft.Answers.Documents {
		if d.Kind == slot.Name {
			slot.File, slot.Size = d.Name, sizeText(d.Size)
		}
	}
	slot.Required = true
	return certificateView{Slot: slot}
}

func (h *server) certificateShow(r *http.Request, wc *wizardCtx) (*stepView, error) {
	a := wc.draft.Answers
	f := form{Values: map[string]string{"certificate": a.Certificate}}
	if a.CertificateYear != 0 {
		f.Values["certificate_year"] = strconv.Itoa(a.CertificateYear)
	}
	return &stepView{Form: f, Data: h.certificateView(wc)}, nil
}

func (h *server) certificateSave(w http.ResponseWriter, r *http.Request, wc *wizardCtx) (*stepView, error) {
	release, err := h.parseUploads(w, r, certificateSlot.Name)
	if err != nil {
		return nil, err
	}
	defer release()
	f := values(r, "certificate", "certificate_year")
	a := &wc.draft.Answers
	var bad []account.FieldError
	if refused, err := h.keepUpload(r, a, certificateSlot); err != nil {
		return nil, err
	} else if refused != nil {
		bad = append(bad, *refused)
	}
	if err := h.apps.SaveDraft(r.Context(), wc.draft); err != nil {
		return nil, err // the scan accepted is kept even when the rest is refused
	}
	number := strings.ToUpper(strings.Join(strings.Fields(f.Value("certificate")), " "))
	if !certificateNumber.MatchString(number) {
		bad = append(bad, account.FieldError{Field: "certificate", Key: "apply.certificate.number_invalid"})
	}
	year, err := strconv.Atoi(f.Value("certificate_year"))
	switch {
	case err != nil || year < wc.campaign.Year-3 || year > wc.campaign.Year || year > h.now().Year():
		bad = append(bad, account.FieldError{Field: "certificate_year", Key: "apply.certificate.year_invalid"})
	case a.Grade != 10+(wc.campaign.Year-year):
		bad = append(bad, account.FieldError{Field: "certificate_year", Key: "apply.certificate.grade_mismatch",
			Args: map[string]any{"Grade": a.Grade, "Year": wc.campaign.Year - (a.Grade - 10)}})
	}
	if !slices.ContainsFunc(a.Documents, func(d application.Document) bool { return d.Kind == certificateSlot.Name }) {
		bad = append(bad, account.FieldError{Field: certificateSlot.Name, Key: "apply.documents.required"})
	}
	if len(bad) > 0 {
		return &stepView{Form: f, Data: h.certificateView(wc)}, refuse(bad...)
	}
	a.Certificate, a.CertificateYear = number, year
	return nil, nil
}

func (h *server) certificateRows(r *http.Request, wc *wizardCtx) ([]answerRow, error) {
	a := wc.draft.Answers
	return []answerRow{wc.row(application.StepCertificate, "apply.check.certificate",
		fmt.Sprintf("%s (%d)", a.Certificate, a.CertificateYear))}, nil
}

func (h *server) certificateValid(r *http.Request, wc *wizardCtx) (bool, error) {
	a := wc.draft.Answers
	return a.Grade == 10+(wc.campaign.Year-a.CertificateYear) &&
		slices.ContainsFunc(a.Documents, func(d application.Document) bool { return d.Kind == certificateSlot.Name }), nil
}

// Category of help, for meals and camps, and the document proving it.

var proofSlot = documentSlot{Name: "proof", Kind: document.Scan, Accept: "application/pdf,image/jpeg,image/png"}

type categoryView struct {
	Categories []option
	Slot       documentSlot
}

func (h *server) categoryView(wc *wizardCtx, chosen string) categoryView {
	v := categoryView{Slot: proofSlot}
	for _, c := range application.Categories {
		v.Categories = append(v.Categories, option{Value: c, Label: wc.tr.T("apply.category." + c), Selected: c == chosen})
	}
	for _, d := range wc.draft.Answers.Documents {
		if d.Kind == proofSlot.Name {
			v.Slot.File, v.Slot.Size = d.Name, sizeText(d.Size)
		}
	}
	v.Slot.Required = true
	return v
}

func (h *server) categoryShow(r *http.Request, wc *wizardCtx) (*stepView, error) {
	c := wc.draft.Answers.Category
	return &stepView{Form: form{Values: map[string]string{"category": c}}, Data: h.categoryView(wc, c)}, nil
}

func (h *server) categorySave(w http.ResponseWriter, r *http.Request, wc *wizardCtx) (*stepView, error) {
	release, err := h.parseUploads(w, r, proofSlot.Name)
	if err != nil {
		return nil, err
	}
	defer release()
	f := values(r, "category")
	a := &wc.draft.Answers
	var bad []account.FieldError
	if refused, err := h.keepUpload(r, a, proofSlot); err != nil {
		return nil, err
	} else if refused != nil {
		bad = append(bad, *refused)
	}
	if err := h.apps.SaveDraft(r.Context(), wc.draft); err != nil {
		return nil, err
	}
	if !slices.Contains(application.Categories, f.Value("category")) {
		bad = append(bad, account.FieldError{Field: "category-" + application.Categories[0], Key: "apply.category.required"})
	}
	if !slices.ContainsFunc(a.Documents, func(d application.Document) bool { return d.Kind == proofSlot.Name }) {
		bad = append(bad, account.FieldError{Field: proofSlot.Name, Key: "apply.documents.required"})
	}
	if len(bad) > 0 {
		return &stepView{Form: f, Data: h.categoryView(wc, f.Value("category"))}, refuse(bad...)
	}
	a.Category = f.Value("category")
	return nil, nil
}

func (h *server) categoryRows(r *http.Request, wc *wizardCtx) ([]answerRow, error) {
	a := wc.draft.Answers
	proof := ""
	for _, d := range a.Documents {
		if d.Kind == proofSlot.Name {
			proof = d.Name + " (" + sizeText(d.Size) + ")"
		}
	}
	return []answerRow{wc.row(application.StepCategory, "apply.check.category", wc.tr.T("apply.category."+a.Category)),
		wc.row(application.StepCategory, "apply.check.proof", proof)}, nil
}

func (h *server) categoryValid(r *http.Request, wc *wizardCtx) (bool, error) {
	a := wc.draft.Answers
	return slices.Contains(application.Categories, a.Category) &&
		slices.ContainsFunc(a.Documents, func(d application.Document) bool { return d.Kind == proofSlot.Name }), nil
}

// Camp and shift: the shifts of the city's camps that take a child of
// this age, have not begun and have places free.

type shiftOption struct {
	ID      int64
	Camp    string
	Number  int
	Kind    string
	Dates   string
	Ages    string
	Free    string
	Checked bool
}

// shiftOptions are the shifts open to the draft's child.
func (h *server) shiftOptions(r *http.Request, wc *wizardCtx) ([]shiftOption, error) {
	camps, err := h.office.Camps(r.Context(), wc.city.Slug)
	if err != nil {
		return nil, err
	}
	a := wc.draft.Answers
	today := admission.Today(h.now())
	var shifts []social.Shift
	names := map[int64]social.Camp{}
	for _, c := range camps {
		for _, sh := range c.Shifts {
			if sh.Fits(a.ChildBirthDate) && !sh.Over(today) {
				shifts = append(shifts, sh)
				names[sh.ID] = c
			}
		}
	}
	ids := make([]int64, len(shifts))
	for i, sh := range shifts {
		ids[i] = sh.ID
	}
	places, err := h.admission.Places(r.Context(), admission.PlaceQuery{Kind: application.Camp, City: wc.city.Slug,
		Year: wc.campaign.Year}, ids)
	if err != nil {
		return nil, err
	}
	var out []shiftOption
	for _, sh := range shifts {
		free := places[sh.ID].Free()
		if free <= 0 {
			continue
		}
		c := names[sh.ID]
		out = append(out, shiftOption{ID: sh.ID, Camp: c.Name.In(wc.lang), Number: sh.Number, Kind: wc.tr.T("apply.camp.kind." + string(c.Kind)),
			Dates: sh.Starts.Format("02.01.2006") + "–" + sh.Ends.Format("02.01.2006"),
			Ages:  wc.tr.T("apply.camp.ages", "Min", sh.AgeMin, "Max", sh.AgeMax),
			Free:  wc.tr.N("apply.school.free", free), Checked: sh.ID == a.ShiftID})
	}
	return out, nil
}

func (h *server) campShow(r *http.Request, wc *wizardCtx) (*stepView, error) {
	opts, err := h.shiftOptions(r, wc)
	return &stepView{Data: opts}, err
}

func (h *server) campSave(w http.ResponseWriter, r *http.Request, wc *wizardCtx) (*stepView, error) {
	if err := parseForm(w, r); err != nil {
		return nil, err
	}
	opts, err := h.shiftOptions(r, wc)
	if err != nil {
		return nil, err
	}
	id, _ := strconv.ParseInt(r.PostFormValue("shift"), 10, 64)
	for _, o := range opts {
		if o.ID == id {
			sh, _, err := h.office.Shift(r.Context(), wc.city.Slug, id)
			if err != nil {
				return nil, err
			}
			wc.draft.Answers.CampID, wc.draft.Answers.ShiftID = sh.CampID, sh.ID
			return nil, nil
		}
	}
	field := "shift"
	if len(opts) > 0 {
		field = "shift-" + strconv.FormatInt(opts[0].ID, 10)
	}
	return &stepView{Data: opts}, refuse(account.FieldError{Field: field, Key: "apply.camp.required"})
}

func (h *server) campRows(r *http.Request, wc *wizardCtx) ([]answerRow, error) {
	sh, c, err := h.office.Shift(r.Context(), wc.city.Slug, wc.draft.Answers.ShiftID)
	if err != nil {
		return []answerRow{wc.row(application.StepCamp, "apply.check.camp", "")}, nil
	}
	return []answerRow{wc.row(application.StepCamp, "apply.check.camp", fmt.Sprintf("%s, %s %d, %s–%s",
		c.Name.In(wc.lang), wc.tr.T("apply.camp.shift"), sh.Number, sh.Starts.Format("02.01"), sh.Ends.Format("02.01.2006")))}, nil
}

func (h *server) campValid(r *http.Request, wc *wizardCtx) (bool, error) {
	opts, err := h.shiftOptions(r, wc)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(opts, func(o shiftOption) bool { return o.ID == wc.draft.Answers.ShiftID }), nil
}

// Pickup: the address transport picks the child up at, its distance from
// the school, and the parent's word that the settlement has no school.

type pickupView struct {
	URL       string
	Threshold string
}

func (h *server) pickupView(wc *wizardCtx) pickupView {
	return pickupView{URL: "/api/v1/cities/" + wc.city.Slug + "/addresses?lang=" + string(wc.lang),
		Threshold: formatDistance(float64(wc.campaign.Transport.Threshold), wc.lang)}
}

func (h *server) pickupShow(r *http.Request, wc *wizardCtx) (*stepView, error) {
	a := wc.draft.Answers
	f := form{Values: map[string]string{"address": a.Pickup}}
	if a.NoSchoolNearby {
		f.Values["no_school"] = "on"
	}
	return &stepView{Form: f, Data: h.pickupView(wc)}, nil
}

// pickupDistance resolves the pick-up address and measures it from the
// child's school: the building and the distance in metres, or false when
// the address is not the city's.
func (h *server) pickupDistance(r *http.Request, wc *wizardCtx, query string) (int64, int, bool, error) {
	ans, err := h.resolve(r, wc, query)
	if err != nil || !ans.Resolved {
		return 0, 0, false, err
	}
	s, err := h.schools.School(r.Context(), wc.city.Slug, wc.draft.Answers.FromSchoolID)
	if err != nil {
		return 0, 0, false, err
	}
	return ans.Address.Building.ID, int(geo.Distance(ans.Home, s.Location)), true, nil
}

func (h *server) pickupSave(w http.ResponseWriter, r *http.Request, wc *wizardCtx) (*stepView, error) {
	if err := parseForm(w, r); err != nil {
		return nil, err
	}
	f := values(r, "address", "no_school")
	view := &stepView{Form: f, Data: h.pickupView(wc)}
	building, distance, ok, err := h.pickupDistance(r, wc, f.Value("address"))
	if err != nil {
		return nil, err
	}
	if !ok {
		key := "apply.address.unknown"
		if f.Value("address") == "" {
			key = "apply.address.required"
		}
		return view, refuse(account.FieldError{Field: "address", Key: key})
	}
	noSchool := f.Value("no_school") == "on"
	if distance < wc.campaign.Transport.Threshold && !noSchool {
		return view, refuse(account.FieldError{Field: "address", Key: "apply.pickup.too_near",
			Args: map[string]any{"Distance": formatDistance(float64(distance), wc.lang),
				"Threshold": formatDistance(float64(wc.campaign.Transport.Threshold), wc.lang)}})
	}
	ans, _ := h.resolve(r, wc, f.Value("address"))
	a := &wc.draft.Answers
	a.Pickup, a.PickupBuildingID, a.Distance, a.NoSchoolNearby = ans.Address.Text.In(wc.lang), building, distance, noSchool
	return nil, nil
}

func (h *server) pickupRows(r *http.Request, wc *wizardCtx) ([]answerRow, error) {
	a := wc.draft.Answers
	rows := []answerRow{wc.row(application.StepPickup, "apply.check.pickup", a.Pickup),
		wc.row(application.StepPickup, "apply.check.distance", formatDistance(float64(a.Distance), wc.lang))}
	if a.NoSchoolNearby {
		rows = append(rows, wc.row(application.StepPickup, "apply.check.no_school", wc.tr.T("myapps.answer.yes")))
	}
	return rows, nil
}

func (h *server) pickupValid(r *http.Request, wc *wizardCtx) (bool, error) {
	a := wc.draft.Answers
	_, distance, ok, err := h.pickupDistance(r, wc, a.Pickup)
	if err != nil || !ok {
		return false, err
	}
	return distance >= wc.campaign.Transport.Threshold || a.NoSchoolNearby, nil
}
