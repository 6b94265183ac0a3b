package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"sakura/internal/campaign"
	"sakura/internal/errs"
	"sakura/internal/staff"
)

// campaignView is the data of the campaign settings page.
type campaignView struct {
	Nav       officeNav
	City      string // the city's slug
	CityName  string
	Cities    []option // an administrator's choice of city
	Year      int
	Years     []option
	Form      form
	Documents []option
	// The services besides grade 1: their rules, and the school years
	// they and grade 1 follow today.
	Services        []serviceFieldset
	YearLabel       string
	InForce, Coming string
}

// campaignCity is the city whose campaign the staff member keeps: an
// operator's own; for an administrator the one the query or form names.
func (h *server) campaignCity(r *http.Request, o *office) (string, error) {
	if o.user.Role != staff.RoleAdmin {
		return o.user.City, nil
	}
	slug := r.URL.Query().Get("city")
	if r.Method == http.MethodPost {
		slug = r.PostFormValue("city")
	}
	if slug == "" {
		cities, err := h.cities.Cities(r.Context())
		if err != nil || len(cities) == 0 {
			return "", fmt.Errorf("campaign city: %w", errs.ErrNotFound)
		}
		return cities[0].Slug, nil
	}
	if _, err := h.cities.City(r.Context(), slug); err != nil {
		return "", err
	}
	return slug, nil
}

// officeCityChoice names the city a page keeps in the page's language,
// and lists the cities to choose from for an administrator, whose
// account has none of its own (campaignCity).
func (h *server) officeCityChoice(r *http.Request, o *office, city string) (name string, cities []option, err error) {
	c, err := h.cities.City(r.Context(), city)
	if err != nil {
		return "", nil, err
	}
	if o.user.Role == staff.RoleAdmin {
		all, err := h.cities.Cities(r.Context())
		if err != nil {
			return "", nil, err
		}
		for _, c := range all {
			cities = append(cities, option{Value: c.Slug, Label: c.Name.In(o.lang), Selected: c.Slug == city})
		}
	}
	return c.Name.In(o.lang), cities, nil
}

// campaignYear is the year the page keeps, as the query or form asks:
// the school year in force, whose rules transfers, meals, camps and
// transport follow; the coming one, grade 1's and grade 10's, by default;
// or the one after.
func (h *server) campaignYear(r *http.Request) int {
	now := campaign.YearAt(h.now())
	v := r.URL.Query().Get("year")
	if r.Method == http.MethodPost {
		v = r.PostFormValue("year")
	}
	if y, err := strconv.Atoi(v); err == nil && y >= now-1 && y <= now+1 {
		return y
	}
	return now
}

const dayLayout = "02.01.2006"

// campaignForm writes a campaign as the form shows it.
func campaignForm(c campaign.Campaign) form {
	var holidays []string
	for _, d := range c.Holidays {
		holidays = append(holidays, d.Format(dayLayout))
	}
	f := form{Values: map[string]string{
		"opens": c.Opens.Format(dayLayout), "closes": c.Closes.Format(dayLayout), "age": strconv.Itoa(c.Age),
		"late": c.LateBirthday.Format("02.01"), "class_size": strconv.Itoa(c.ClassSize),
		"ratio": strconv.Itoa(c.QuotaRatio), "referral_days": strconv.Itoa(c.ReferralDays),
		"holidays": strings.Join(holidays, "\n"), "documents": strings.Join(c.Documents, " "),
	}}
	servicesForm(f.Values, c)
	return f
}

func (h *server) campaignView(r *http.Request, o *office, city string, year int, f form) (campaignView, error) {
	v := campaignView{Nav: h.officeNav(r, o, "campaign"), City: city, Year: year, Form: f}
	var err error
	if v.CityName, v.Cities, err = h.officeCityChoice(r, o, city); err != nil {
		return v, err
	}
	now := campaign.YearAt(h.now())
	for _, y := range []int{now - 1, now, now + 1} {
		v.Years = append(v.Years, option{Value: strconv.Itoa(y), Label: schoolYearLabel(y), Selected: y == year})
	}
	v.YearLabel = schoolYearLabel(year)
	v.InForce = schoolYearLabel(campaign.YearOf(campaign.KindTransfer, h.now()))
	v.Coming = schoolYearLabel(campaign.YearOf(campaign.KindGrade1, h.now()))
	v.Services = serviceFieldsets(o.tr, f)
	chosen := strings.Fields(f.Value("documents"))
	for _, d := range documentNames {
		v.Documents = append(v.Documents, option{Value: d, Label: o.tr.T("myapps.document."+documentKinds[d]) +
			" (" + o.tr.T("office.campaign.document."+d) + ")", Selected: slices.Contains(chosen, d)})
	}
	return v, nil
}

// documentNames are the files a campaign may ask for, in the form's order;
// documentKinds the kind each is shown as.
var (
	documentNames = []string{"photo", "medical_065", "medical_052", "birth_certificate"}
	documentKinds = map[string]string{"photo": "photo", "medical_065": "medical", "medical_052": "medical",
		"birth_certificate": "birth_certificate"}
)

// officeCampaign shows a city's campaign of a year to change: the window,
// the age rule, the class size, the quota ratio, the referrals' validity,
// the holidays and the documents asked for; then the rules of the other
// services for that school year.
func (h *server) officeCampaign(w http.ResponseWriter, r *http.Request, o *office) error {
	city, err := h.campaignCity(r, o)
	if err != nil {
		return err
	}
	year := h.campaignYear(r)
	c, err := h.campaigns.Campaign(r.Context(), city, year)
	if err != nil {
		return err
	}
	v, err := h.campaignView(r, o, city, year, campaignForm(c))
	if err != nil {
		return err
	}
	return h.officePage(w, r, o.lang, http.StatusOK, "office_campaign", o.tr.T("office.campaign.title"), v)
}

// officeCampaignSave checks the campaign form as a whole, the services'
// rules with it, and saves it with an audit line holding the campaign
// before and after; nothing is saved while a field is refused.
func (h *server) officeCampaignSave(w http.ResponseWriter, r *http.Request, o *office) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	city, err := h.campaignCity(r, o)
	if err != nil {
		return err
	}
	year := h.campaignYear(r)
	before, err := h.campaigns.Campaign(r.Context(), city, year)
	if err != nil {
		return err
	}

	f := values(r, "opens", "closes", "age", "late", "class_size", "ratio", "referral_days")
	f.Values["holidays"] = trimForm(r, "holidays", 4000)
	var docs []string
	for _, d := range r.PostForm["documents"] {
		if slices.Contains(documentNames, d) && !slices.Contains(docs, d) {
			docs = append(docs, d)
		}
	}
	f.Values["documents"] = strings.Join(docs, " ")
	c, bad := readCampaign(f, before)
	for _, b := range bad {
		f.Errors = append(f.Errors, fieldError{Field: b.field, Message: o.tr.T(b.key)})
	}
	if len(docs) == 0 {
		f.Errors = append(f.Errors, fieldError{Field: "documents-photo", Message: o.tr.T("office.campaign.documents_required")})
	}
	c.Documents = docs
	if r.PostForm.Has(servicesMark) {
		postedServices(f, r)
		var bad []badField
		c, bad = readServices(f, c)
		for _, b := range bad {
			f.Errors = append(f.Errors, fieldError{Field: b.field, Message: o.tr.T(b.key, "From", year-1, "To", year+1)})
		}
	} else {
		servicesForm(f.Values, before)
	}
	if len(f.Errors) > 0 {
		v, err := h.campaignView(r, o, city, year, f)
		if err != nil {
			return err
		}
		return h.officePage(w, r, o.lang, http.StatusBadRequest, "office_campaign", o.tr.T("office.campaign.title"), v)
	}

	b, _ := json.Marshal(before)
	a, _ := json.Marshal(c)
	entry := staff.AuditEntry{At: h.now(), UserID: o.user.ID, Actor: o.user.Name, City: city, Action: "campaign.save",
		Object: fmt.Sprintf("campaign:%s:%d", city, year), Before: string(b), After: string(a), Client: maskedClient(o)}
	if err := h.office.SaveCampaign(r.Context(), c, entry); err != nil {
		return err
	}
	q := fmt.Sprintf("?done=campaign&year=%d", year)
	if o.user.Role == staff.RoleAdmin {
		q += "&city=" + city
	}
	http.Redirect(w, r, officeURL(o.lang, "campaign")+q, http.StatusSeeOther)
	return nil
}

// badField is a refusal of one field of a form: the field and the key of
// its message.
type badField struct{ field, key string }

// readCampaign reads the campaign form over base, checking each field and
// the window as a whole.
func readCampaign(f form, base campaign.Campaign) (campaign.Campaign, []badField) {
	c := base
	var bad []badField
	day := func(field string) time.Time {
		d, err := time.Parse(dayLayout, f.Value(field))
		if err != nil {
			if d, err = time.Parse("2006-01-02", f.Value(field)); err != nil {
				bad = append(bad, badField{field, "office.campaign.date_invalid"})
			}
		}
		return d
	}
	number := func(field string, lo, hi int) int {
		n, err := strconv.Atoi(f.Value(field))
		if err != nil || n < lo || n > hi {
			bad = append(bad, badField{field, "office.campaign." + field + "_invalid"})
		}
		return n
	}
	c.Opens, c.Closes = day("opens"), day("closes")
	if len(bad) == 0 && (c.Closes.Before(c.Opens) || c.Opens.Year() < base.Year-1 || c.Closes.Year() > base.Year) {
		bad = append(bad, badField{"closes", "office.campaign.window_invalid"})
	}
	c.Age = number("age", 5, 8)
	if late, err := time.Parse("02.01", f.Value("late")); err == nil {
		c.LateBirthday = time.Date(base.Year, late.Month(), late.Day(), 0, 0, 0, 0, time.UTC)
	} else {
		bad = append(bad, badField{"late", "office.campaign.late_invalid"})
	}
	c.ClassSize = number("class_size", 1, 40)
	c.QuotaRatio = number("ratio", 1, 10)
	c.ReferralDays = number("referral_days", 1, 30)

	c.Holidays = nil
	for _, line := range strings.Fields(strings.ReplaceAll(f.Value("holidays"), ",", " ")) {
		d, err := time.Parse(dayLayout, line)
		if err != nil {
			bad = append(bad, badField{"holidays", "office.campaign.holidays_invalid"})
			break
		}
		if !slices.ContainsFunc(c.Holidays, d.Equal) {
			c.Holidays = append(c.Holidays, d)
		}
	}
	slices.SortFunc(c.Holidays, func(a, b time.Time) int { return a.Compare(b) })
	return c, bad
}
