package web

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"sakura/internal/campaign"
	"sakura/internal/errs"
	"sakura/internal/school"
	"sakura/internal/staff"
)

// schoolUpkeepView is the data of the school data page.
type schoolUpkeepView struct {
	Nav      officeNav
	School   string
	Passport string // the public passport
	Year     string
	Form     form
	Action   string
	Schools  []option // an operator's choice of school

	SchoolID  int64
	Photos    []photoView
	PhotosMax int
	AddPhoto  string // where the photo form posts; "" when the school has its fill
}

// officeSchoolID is the school the page keeps: a school staff member's
// own, or for an operator the one the query or form names in the city.
func (h *server) officeSchoolID(r *http.Request, o *office) (int64, error) {
	if o.user.Role == staff.RoleSchool {
		return o.user.SchoolID, nil
	}
	v := r.URL.Query().Get("school")
	if r.Method == http.MethodPost {
		v = r.PostFormValue("school")
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return 0, nil // the operator chooses first
	}
	if _, err := h.schools.School(r.Context(), o.user.City, id); err != nil {
		return 0, err // another city's school is not found
	}
	return id, nil
}

// officeSchool shows the passport fields a school keeps and its seats plan
// for the campaign year in force, to change.
func (h *server) officeSchool(w http.ResponseWriter, r *http.Request, o *office) error {
	id, err := h.officeSchoolID(r, o)
	if err != nil {
		return err
	}
	v, err := h.schoolPage(r, o, id)
	if err != nil {
		return err
	}
	return h.officePage(w, r, o.lang, http.StatusOK, "office_school", o.tr.T("office.school.title"), v)
}

// schoolPage is the school data page with the form filled with the
// school's data as it is now.
func (h *server) schoolPage(r *http.Request, o *office, id int64) (schoolUpkeepView, error) {
	v, err := h.schoolUpkeepView(r, o, id)
	if err != nil || id == 0 {
		return v, err
	}
	return v, h.fillSchoolForm(r, o, id, &v)
}

// fillSchoolForm fills the form with the school's data as it is now.
func (h *server) fillSchoolForm(r *http.Request, o *office, id int64, v *schoolUpkeepView) error {
	s, err := h.schools.School(r.Context(), o.user.City, id)
	if err != nil {
		return err
	}
	plan, err := h.office.SchoolPlan(r.Context(), o.user.City, id, campaign.YearAt(h.now()))
	if err != nil {
		return err
	}
	v.Form.Values = map[string]string{"phone": s.Phone, "email": s.Email, "website": s.Website,
		"director": s.Director, "shifts": strconv.Itoa(s.Shifts), "starts": strings.Join(s.StartTimes, " "),
		"grade1": strconv.Itoa(plan.Grade1Classes), "grade10": strconv.Itoa(plan.Grade10Classes)}
	return nil
}

func (h *server) schoolUpkeepView(r *http.Request, o *office, id int64) (schoolUpkeepView, error) {
	year := campaign.YearAt(h.now())
	v := schoolUpkeepView{Nav: h.officeNav(r, o, "school"), Year: fmt.Sprintf("%d–%d", year, year+1),
		Action: officeURL(o.lang, "school")}
	if id != 0 {
		v.School = h.schoolName(r, o.lang, o.user.City, id)
		v.Passport = schoolURL(o.lang, o.user.City, id)
		v.SchoolID, v.PhotosMax = id, school.MaxPhotos
		pp, err := h.schools.Passport(r.Context(), o.user.City, id)
		if err != nil {
			return v, err
		}
		for _, p := range pp.Photos {
			v.Photos = append(v.Photos, photoView{ID: p.ID, URL: photoURL(string(o.lang), o.user.City, id, p.ID),
				Width: p.Width, Height: p.Height, Delete: officeURL(o.lang, "school/photos/"+strconv.FormatInt(p.ID, 10)+"/delete")})
		}
		if len(v.Photos) < school.MaxPhotos {
			v.AddPhoto = officeURL(o.lang, "school/photos")
		}
	}
	if o.user.Role == staff.RoleOperator {
		all, err := h.schools.All(r.Context(), o.user.City, o.lang, school.Filter{})
		if err != nil {
			return v, err
		}
		for _, s := range all {
			v.Schools = append(v.Schools, option{Value: strconv.FormatInt(s.ID, 10), Label: s.Name.In(o.lang),
				Selected: s.ID == id})
		}
	}
	return v, nil
}

var startTime = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// officeSchoolSave checks and saves the passport fields and the seats plan.
// Each refusal is named next to its field, with everything typed kept.
func (h *server) officeSchoolSave(w http.ResponseWriter, r *http.Request, o *office) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id, err := h.officeSchoolID(r, o)
	if err != nil {
		return err
	}
	if id == 0 {
		return fmt.Errorf("no school chosen: %w", errs.ErrNotFound)
	}
	f := values(r, "phone", "email", "website", "director", "shifts", "starts", "grade1", "grade10")
	bad := func(field, key string) {
		f.Errors = append(f.Errors, fieldError{Field: field, Message: o.tr.T(key)})
	}
	u := school.Upkeep{City: o.user.City, SchoolID: id, Phone: f.Value("phone"), Email: f.Value("email"),
		Website: f.Value("website"), Director: f.Value("director"), Year: campaign.YearAt(h.now())}
	if !validPhone(u.Phone) {
		bad("phone", "office.school.phone_invalid")
	}
	if u.Email != "" {
		if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
			bad("email", "office.school.email_invalid")
		}
	}
	if u.Website != "" {
		if w, err := url.Parse(u.Website); err != nil || (w.Scheme != "https" && w.Scheme != "http") || w.Host == "" {
			bad("website", "office.school.website_invalid")
		}
	}
	if u.Director == "" || len([]rune(u.Director)) > 150 {
		bad("director", "office.school.director_required")
	}
	u.Shifts, err = strconv.Atoi(f.Value("shifts"))
	if err != nil || u.Shifts < 1 || u.Shifts > 3 {
		bad("shifts", "office.school.shifts_invalid")
	}
	u.Starts = strings.Fields(strings.ReplaceAll(f.Value("starts"), ",", " "))
	okStarts := len(u.Starts) == u.Shifts
	for _, s := range u.Starts {
		okStarts = okStarts && startTime.MatchString(s)
	}
	if !okStarts {
		bad("starts", "office.school.starts_invalid")
	}
	for _, g := range []struct {
		field string
		dst   *int
	}{{"grade1", &u.Grade1Classes}, {"grade10", &u.Grade10Classes}} {
		n, err := strconv.Atoi(f.Value(g.field))
		if err != nil || n < 0 || n > 30 {
			bad(g.field, "office.school.classes_invalid")
		}
		*g.dst = n
	}
	if len(f.Errors) > 0 {
		v, err := h.schoolUpkeepView(r, o, id)
		if err != nil {
			return err
		}
		v.Form = f
		return h.officePage(w, r, o.lang, http.StatusBadRequest, "office_school", o.tr.T("office.school.title"), v)
	}

	before, err := h.schools.School(r.Context(), o.user.City, id)
	if err != nil {
		return err
	}
	plan, err := h.office.SchoolPlan(r.Context(), o.user.City, id, u.Year)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(map[string]any{"phone": before.Phone, "email": before.Email, "website": before.Website,
		"director": before.Director, "shifts": before.Shifts, "starts": before.StartTimes,
		"grade1_classes": plan.Grade1Classes, "grade10_classes": plan.Grade10Classes})
	a, _ := json.Marshal(map[string]any{"phone": u.Phone, "email": u.Email, "website": u.Website,
		"director": u.Director, "shifts": u.Shifts, "starts": u.Starts,
		"grade1_classes": u.Grade1Classes, "grade10_classes": u.Grade10Classes, "year": u.Year})
	entry := staff.AuditEntry{At: h.now(), UserID: o.user.ID, Actor: o.user.Name, City: o.user.City,
		Action: "school.save", Object: "school:" + strconv.FormatInt(id, 10), Before: string(b), After: string(a),
		Client: maskedClient(o)}
	if err := h.office.SaveSchoolUpkeep(r.Context(), u, entry); err != nil {
		return err
	}
	// More classes may open seats to those waiting. The plan is saved
	// whatever happens here; a failure leaves the seats to the school's
	// next decision or expiry, which give them as well.
	if n, err := h.admission.Reallocate(r.Context(), o.user.City, id, u.Year); err != nil {
		h.log.LogAttrs(r.Context(), slog.LevelError, "reallocate seats", slog.Int64("school", id), slog.Any("error", err))
	} else if n > 0 {
		h.log.LogAttrs(r.Context(), slog.LevelInfo, "seats given after a plan change", slog.Int64("school", id),
			slog.Int("seats", n))
	}
	h.cityChanged(o.user.City)
	http.Redirect(w, r, h.schoolPageURL(o, id, "school"), http.StatusSeeOther)
	return nil
}

// validPhone accepts a school's phone as people write it: a plus, digits,
// spaces, brackets and dashes, 10 to 15 digits.
func validPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+ ()-", r):
		default:
			return false
		}
	}
	return digits >= 10 && digits <= 15
}
