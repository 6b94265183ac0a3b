package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"sakura/internal/account"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/social"
	"sakura/internal/staff"
)

// campsView is the data of the camps page: the city's camps with their
// shifts, the camp form (a new camp, or the chosen one to change) and,
// once a camp or shift is chosen, the shift form.
type campsView struct {
	Nav      officeNav
	City     string // the city's slug, which an administrator's forms carry
	CityName string
	Cities   []option // an administrator's choice of city
	Camps    []campRow
	Camp     campEdit
	Shift    *campEdit // nil until a camp is chosen
	AddCamp  string    // the page with nothing chosen, to add a camp; "" when nothing is chosen

	chosen social.Camp // the camp chosen, as it is now
}

// campEdit is one of the page's forms: its heading, where it posts, what
// it holds and its button.
type campEdit struct {
	Title  string
	Action string
	Form   form
	Submit string
	Kinds  []option // the camp form's kinds
}

// campRow is a camp as the list shows it.
type campRow struct {
	Anchor   string // the id of its section
	Name     string
	Kind     string
	Address  string
	Change   string // the page with the camp chosen, at its form
	AddShift string // the page with the camp chosen, at the shift form
	Shifts   []shiftRow
}

// shiftRow is a shift as the list shows it, with the vouchers in force or
// used and the seats left.
type shiftRow struct {
	Number int
	Dates  string
	Ages   string
	Seats  int
	Taken  int
	Free   int
	Change string
}

// campChoice is what the page has chosen: a camp to change and add shifts
// to, and a shift of it to change; zero for none.
type campChoice struct{ camp, shift int64 }

// campsURL is the camps page of a city with the query q and a fragment;
// an administrator's links name the city, an operator's need not.
func campsURL(o *office, city string, q url.Values, fragment string) string {
	if q == nil {
		q = url.Values{}
	}
	if o.user.Role == staff.RoleAdmin {
		q.Set("city", city)
	}
	u := officeURL(o.lang, "camps")
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	if fragment != "" {
		u += "#" + fragment
	}
	return u
}

// pathID reads a positive id from the path; anything else is not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id < 1 {
		return 0, fmt.Errorf("%s %q: %w", name, r.PathValue(name), errs.ErrNotFound)
	}
	return id, nil
}

// queryID reads an optional positive id from the query: zero when absent,
// not found when it is no id.
func queryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return 0, fmt.Errorf("%s %q: %w", name, v, errs.ErrNotFound)
	}
	return id, nil
}

// officeCamps lists the city's camps with their shifts, with the form that
// adds a camp; ?camp= chooses a camp to change and add a shift to, ?shift=
// a shift to change. A camp or shift of another city is not found.
func (h *server) officeCamps(w http.ResponseWriter, r *http.Request, o *office) error {
	city, err := h.campaignCity(r, o)
	if err != nil {
		return err
	}
	var c campChoice
	if c.camp, err = queryID(r, "camp"); err != nil {
		return err
	}
	if c.shift, err = queryID(r, "shift"); err != nil {
		return err
	}
	if c.shift != 0 {
		sh, _, err := h.office.Shift(r.Context(), city, c.shift)
		if err != nil {
			return err
		}
		c.camp = sh.CampID
	}
	v, err := h.campsView(r, o, city, c)
	if err != nil {
		return err
	}
	if done := r.URL.Query().Get("done"); done == "camp" || done == "shift" {
		v.Nav.Flash = o.tr.T("office.camps.saved_" + done)
	}
	return h.campsPage(w, r, o, http.StatusOK, v)
}

// campsView builds the page for a choice, its forms filled with the chosen
// camp and shift as they are now.
func (h *server) campsView(r *http.Request, o *office, city string, c campChoice) (campsView, error) {
	v := campsView{Nav: h.officeNav(r, o, "camps"), City: city}
	var err error
	if v.CityName, v.Cities, err = h.officeCityChoice(r, o, city); err != nil {
		return v, err
	}

	camps, err := h.office.Camps(r.Context(), city)
	if err != nil {
		return v, err
	}
	taken, err := h.office.VouchersTaken(r.Context(), city)
	if err != nil {
		return v, err
	}
	for _, cp := range camps {
		v.Camps = append(v.Camps, campListRow(o, city, cp, taken))
	}

	v.Camp = campEdit{Title: o.tr.T("office.camps.add"), Action: officeURL(o.lang, "camps"),
		Form: form{Values: map[string]string{}}, Submit: o.tr.T("office.camps.add_submit")}
	if c.camp == 0 {
		return v, nil
	}
	i := slices.IndexFunc(camps, func(cp social.Camp) bool { return cp.ID == c.camp })
	if i < 0 {
		return v, fmt.Errorf("camp %d of %s: %w", c.camp, city, errs.ErrNotFound)
	}
	camp := camps[i]
	v.chosen = camp
	name := camp.Name.In(o.lang)
	base := officeURL(o.lang, "camps/"+strconv.FormatInt(camp.ID, 10))
	v.AddCamp = campsURL(o, city, nil, "camp-form")
	v.Camp = campEdit{Title: o.tr.T("office.camps.change", "Name", name), Action: base,
		Form: campForm(camp), Submit: o.tr.T("office.save")}
	v.Shift = &campEdit{Title: o.tr.T("office.camps.shift_add", "Name", name), Action: base + "/shifts",
		Form: form{Values: map[string]string{}}, Submit: o.tr.T("office.camps.shift_add_submit")}
	if c.shift != 0 {
		j := slices.IndexFunc(camp.Shifts, func(sh social.Shift) bool { return sh.ID == c.shift })
		if j < 0 {
			return v, fmt.Errorf("shift %d of camp %d: %w", c.shift, camp.ID, errs.ErrNotFound)
		}
		sh := camp.Shifts[j]
		*v.Shift = campEdit{Title: o.tr.T("office.camps.shift_change", "N", sh.Number, "Name", name),
			Action: base + "/shifts/" + strconv.FormatInt(sh.ID, 10), Form: shiftForm(sh), Submit: o.tr.T("office.save")}
	}
	return v, nil
}

// campListRow is a camp and its shifts as the list shows them.
func campListRow(o *office, city string, c social.Camp, taken map[int64]int) campRow {
	id := strconv.FormatInt(c.ID, 10)
	row := campRow{Anchor: "camp-" + id, Name: c.Name.In(o.lang), Kind: o.tr.T("office.camps.kind." + string(c.Kind)),
		Address: c.Address, Change: campsURL(o, city, url.Values{"camp": {id}}, "camp-form"),
		AddShift: campsURL(o, city, url.Values{"camp": {id}}, "shift-form")}
	for _, sh := range c.Shifts {
		n := taken[sh.ID]
		row.Shifts = append(row.Shifts, shiftRow{Number: sh.Number,
			Dates: sh.Starts.Format(dayLayout) + "–" + sh.Ends.Format(dayLayout),
			Ages:  fmt.Sprintf("%d–%d", sh.AgeMin, sh.AgeMax), Seats: sh.Seats, Taken: n, Free: max(sh.Seats-n, 0),
			Change: campsURL(o, city, url.Values{"shift": {strconv.FormatInt(sh.ID, 10)}}, "shift-form")})
	}
	return row
}

// campForm writes a camp as its form shows it.
func campForm(c social.Camp) form {
	return form{Values: map[string]string{"kind": string(c.Kind), "name_kk": c.Name.KK, "name_ru": c.Name.RU,
		"name_en": c.Name.EN, "address": c.Address}}
}

// shiftForm writes a shift as its form shows it.
func shiftForm(sh social.Shift) form {
	return form{Values: map[string]string{"number": strconv.Itoa(sh.Number), "starts": sh.Starts.Format(dayLayout),
		"ends": sh.Ends.Format(dayLayout), "seats": strconv.Itoa(sh.Seats), "age_min": strconv.Itoa(sh.AgeMin),
		"age_max": strconv.Itoa(sh.AgeMax)}}
}

// campsPage renders the page, the camp form's kinds marked as it holds
// them.
func (h *server) campsPage(w http.ResponseWriter, r *http.Request, o *office, status int, v campsView) error {
	for _, k := range social.CampKinds {
		v.Camp.Kinds = append(v.Camp.Kinds, option{Value: string(k), Label: o.tr.T("office.camps.kind." + string(k)),
			Selected: string(k) == v.Camp.Form.Value("kind")})
	}
	return h.officePage(w, r, o.lang, status, "office_camps", o.tr.T("office.camps.title"), v)
}

// officeCampSave adds a camp (no id in the path) or changes one of the
// city, with its audit line. A refusal is shown next to each field, with
// everything typed kept.
func (h *server) officeCampSave(w http.ResponseWriter, r *http.Request, o *office) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	city, err := h.campaignCity(r, o)
	if err != nil {
		return err
	}
	var c campChoice
	if r.PathValue("camp") != "" {
		if c.camp, err = pathID(r, "camp"); err != nil {
			return err
		}
	}
	v, err := h.campsView(r, o, city, c) // also: the camp is of the city
	if err != nil {
		return err
	}

	f := values(r, "kind")
	for _, name := range []string{"name_kk", "name_ru", "name_en", "address"} {
		f.Values[name] = trimForm(r, name, 1000) // Check counts the characters
	}
	camp := social.Camp{ID: c.camp, City: city, Kind: social.CampKind(f.Value("kind")), Address: f.Value("address"),
		Name: i18n.Text{KK: f.Value("name_kk"), RU: f.Value("name_ru"), EN: f.Value("name_en")}}
	if err := camp.Check(); err != nil {
		return h.campsRefused(w, r, o, &v, &v.Camp, f, err)
	}

	entry := staff.AuditEntry{At: h.now(), UserID: o.user.ID, Actor: o.user.Name, City: city, Action: "camp.save",
		After: campAudit(camp), Client: maskedClient(o)}
	if c.camp != 0 {
		entry.Before = campAudit(v.chosen)
	}
	id, err := h.office.SaveCamp(r.Context(), camp, entry)
	if err != nil {
		return err
	}
	http.Redirect(w, r, campsURL(o, city, url.Values{"done": {"camp"}}, "camp-"+strconv.FormatInt(id, 10)), http.StatusSeeOther)
	return nil
}

// officeShiftSave adds a shift to a camp of the city (no shift id in the
// path) or changes one of its shifts, with its audit line. A number the
// camp has already, or seats fewer than the vouchers given, is refused
// next to its field like the rest.
func (h *server) officeShiftSave(w http.ResponseWriter, r *http.Request, o *office) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	city, err := h.campaignCity(r, o)
	if err != nil {
		return err
	}
	var c campChoice
	if c.camp, err = pathID(r, "camp"); err != nil {
		return err
	}
	var before social.Shift
	if r.PathValue("shift") != "" {
		if c.shift, err = pathID(r, "shift"); err != nil {
			return err
		}
		if before, _, err = h.office.Shift(r.Context(), city, c.shift); err != nil {
			return err
		}
		if before.CampID != c.camp {
			return fmt.Errorf("shift %d of camp %d: %w", c.shift, c.camp, errs.ErrNotFound)
		}
	}
	v, err := h.campsView(r, o, city, c) // also: the camp is of the city
	if err != nil {
		return err
	}

	f := values(r, "number", "starts", "ends", "seats", "age_min", "age_max")
	sh, bad := readShift(f)
	sh.ID, sh.CampID = c.shift, c.camp
	if len(bad) > 0 {
		return h.campsRefused(w, r, o, &v, v.Shift, f, &errs.Error{Kind: errs.Invalid, Key: "account.form", Err: bad})
	}

	entry := staff.AuditEntry{At: h.now(), UserID: o.user.ID, Actor: o.user.Name, City: city, Action: "shift.save",
		After: shiftAudit(sh), Client: maskedClient(o)}
	if c.shift != 0 {
		entry.Before = shiftAudit(before)
	}
	if _, err := h.office.SaveShift(r.Context(), city, sh, entry); err != nil {
		var e *errs.Error
		if errors.As(err, &e) && e.Kind == errs.Conflict && shiftConflicts[e.Key] != "" {
			refusal := account.FieldErrors{{Field: shiftConflicts[e.Key], Key: e.Key, Args: e.Args}}
			return h.campsRefused(w, r, o, &v, v.Shift, f, &errs.Error{Kind: errs.Invalid, Key: "account.form", Err: refusal})
		}
		return err
	}
	http.Redirect(w, r, campsURL(o, city, url.Values{"done": {"shift"}}, "camp-"+strconv.FormatInt(c.camp, 10)), http.StatusSeeOther)
	return nil
}

// shiftConflicts are the store's refusals of a shift that a person can
// fix, with the field each belongs to.
var shiftConflicts = map[string]string{"office.camps.number_taken": "number", "office.camps.seats_given": "seats"}

// campsRefused shows the page v again with its form edit holding what was
// typed and the refusals of err next to its fields.
func (h *server) campsRefused(w http.ResponseWriter, r *http.Request, o *office, v *campsView, edit *campEdit, f form, err error) error {
	list, status, ok := h.formErrors(w, o.tr, err, "")
	if !ok {
		return err
	}
	f.Errors = list
	edit.Form = f
	return h.campsPage(w, r, o, status, *v)
}

// readShift reads the shift form: numbers as typed (anything else reads as
// zero, which Check refuses), dates as DD.MM.YYYY or YYYY-MM-DD. A date
// that does not read is refused at its own field instead of as a range.
func readShift(f form) (social.Shift, account.FieldErrors) {
	number := func(field string) int {
		n, _ := strconv.Atoi(f.Value(field))
		return n
	}
	sh := social.Shift{Number: number("number"), Seats: number("seats"), AgeMin: number("age_min"), AgeMax: number("age_max")}
	var bad account.FieldErrors
	day := func(field string) time.Time {
		d, err := time.Parse(dayLayout, f.Value(field))
		if err != nil {
			if d, err = time.Parse("2006-01-02", f.Value(field)); err != nil {
				bad = append(bad, account.FieldError{Field: field, Key: "office.camps.date_invalid"})
			}
		}
		return d
	}
	sh.Starts, sh.Ends = day("starts"), day("ends")
	dates := len(bad) > 0
	var checked account.FieldErrors
	if errors.As(sh.Check(), &checked) {
		for _, e := range checked {
			if e.Field != "ends" || !dates {
				bad = append(bad, e)
			}
		}
	}
	return sh, bad
}

// campAudit is a camp as its audit line keeps it.
func campAudit(c social.Camp) string {
	b, _ := json.Marshal(map[string]any{"kind": c.Kind, "name": c.Name, "address": c.Address})
	return string(b)
}

// shiftAudit is a shift as its audit line keeps it.
func shiftAudit(sh social.Shift) string {
	b, _ := json.Marshal(map[string]any{"camp": sh.CampID, "number": sh.Number, "starts": sh.Starts.Format(time.DateOnly),
		"ends": sh.Ends.Format(time.DateOnly), "seats": sh.Seats, "age_min": sh.AgeMin, "age_max": sh.AgeMax})
	return string(b)
}
