package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"sakura/internal/city"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/school"
)

// SchoolRegistry is the public school data the registry, the passport, the
// map and the schools API read, from memory. *school.Service implements it.
type SchoolRegistry interface {
	// Search returns one page of the city's schools matching f, names in
	// lang's order.
	Search(ctx context.Context, city string, lang i18n.Lang, f school.Filter) (school.Result, error)
	// All returns every school matching f, ignoring its paging.
	All(ctx context.Context, city string, lang i18n.Lang, f school.Filter) ([]school.Listing, error)
	// School returns one school of the city, or an error matching
	// errs.ErrNotFound.
	School(ctx context.Context, city string, id int64) (school.Listing, error)
	// Passport returns everything the passport of one school shows: the
	// school, its catchment this school year and its primary teachers.
	Passport(ctx context.Context, city string, id int64) (school.Passport, error)
}

// withSchools returns fn, or, on a server built without a school registry,
// the "opens soon" page of the service key (an API path, with key "",
// answers 503).
func (h *server) withSchools(fn handlerFunc, key string) handlerFunc {
	if h.schools != nil {
		return fn
	}
	if key == "" {
		return func(http.ResponseWriter, *http.Request) error {
			return fmt.Errorf("no school registry: %w", errs.ErrUnavailable)
		}
	}
	return h.soon(key)
}

// option is one choice of a select of the filter form.
type option struct {
	Value    string
	Label    string
	Selected bool
}

// selectField is one select of the filter form: a choice with "any".
type selectField struct {
	Name    string // the query parameter
	Label   string // catalogue key
	Options []option
	Error   string // catalogue key of its message, or ""
}

// filterForm is the filter form of the registry and the map: what the
// visitor chose, the choices, and a message key next to each bad field.
type filterForm struct {
	Action   string // the page the form submits to
	Query    string // as typed, kept even when refused
	Selects  []selectField
	Sorts    []option // nil on pages that do not sort
	Errors   map[string]string
	Narrowed bool
}

// newFilterForm builds the form for f on city c in lang; raw is the query
// as the visitor sent it.
func newFilterForm(action string, raw url.Values, f school.Filter, fe *school.FilterError,
	c city.City, tr *i18n.Translator, sorts bool) filterForm {
	form := filterForm{
		Action:   action,
		Query:    raw.Get(school.ParamQuery),
		Errors:   map[string]string{},
		Narrowed: f.Narrowed(),
	}
	if fe != nil {
		form.Errors = fe.Fields
	}
	var langs, types, owners, districts []option
	for _, l := range i18n.Langs {
		langs = append(langs, option{string(l), tr.T("school.lang." + string(l)), f.Language == l})
	}
	for _, t := range school.Types() {
		types = append(types, option{string(t), tr.T("school.type." + string(t)), f.Type == t})
	}
	for _, o := range school.Ownerships() {
		owners = append(owners, option{string(o), tr.T("school.ownership." + string(o)), f.Ownership == o})
	}
	for _, d := range c.Districts {
		districts = append(districts, option{d.Slug, d.Name.In(tr.Lang()), f.District == d.Slug})
	}
	form.Selects = []selectField{
		{school.ParamLanguage, "schools.language.label", langs, form.Errors[school.ParamLanguage]},
		{school.ParamType, "schools.type.label", types, form.Errors[school.ParamType]},
		{school.ParamOwnership, "schools.ownership.label", owners, form.Errors[school.ParamOwnership]},
		{school.ParamDistrict, "schools.district.label", districts, form.Errors[school.ParamDistrict]},
	}
	if sorts {
		for _, s := range school.Sorts() {
			selected := f.Sort == s || f.Sort == "" && s == school.ByNumber
			form.Sorts = append(form.Sorts, option{string(s), tr.T("schools.sort." + string(s)), selected})
		}
	}
	return form
}

// relaxLink is a way out of an empty search: the same search without one
// filter.
type relaxLink struct {
	Label string // what is dropped: "Language of instruction: Russian"
	URL   string
}

// relaxLinks returns a link per narrowing filter of f that drops it.
func relaxLinks(path string, f school.Filter, c city.City, tr *i18n.Translator) []relaxLink {
	var out []relaxLink
	add := func(param, labelKey, value string) {
		out = append(out, relaxLink{
			Label: tr.T(labelKey) + ": " + value,
			URL:   withQuery(path, f.Without(param).Values()),
		})
	}
	if f.Query != "" {
		add(school.ParamQuery, "schools.q.label", "«"+f.Query+"»")
	}
	if f.Language != "" {
		add(school.ParamLanguage, "schools.language.label", tr.T("school.lang."+string(f.Language)))
	}
	if f.Type != "" {
		add(school.ParamType, "schools.type.label", tr.T("school.type."+string(f.Type)))
	}
	if f.Ownership != "" {
		add(school.ParamOwnership, "schools.ownership.label", tr.T("school.ownership."+string(f.Ownership)))
	}
	if f.District != "" {
		d, _ := c.District(f.District)
		add(school.ParamDistrict, "schools.district.label", d.Name.In(tr.Lang()))
	}
	return out
}

// withQuery returns path with the query q, if any.
func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// schoolRow is a school as a list of schools shows it, with its codes
// translated once per page rather than once per row.
type schoolRow struct {
	school.Listing
	Title        string // the name in the page's language
	Address      string // the address in the page's language
	Free         int    // free grade-1 seats
	Planned      int    // planned grade-1 seats
	URL          string
	DistrictName string
	TypeName     string // type and ownership: "Gymnasium, Public"
	LangNames    string // languages of instruction: "Kazakh, Russian"
	Labels       *cardLabels
}

// cardLabels are the labels of a school card, the same on every card.
type cardLabels struct {
	Type, Languages, District, Address, Free string
}

// schoolRows turns listings into rows of city c's pages in tr's language.
func schoolRows(items []school.Listing, tr *i18n.Translator, c city.City) []schoolRow {
	lang := tr.Lang()
	names := make(map[string]string, len(c.Districts))
	for _, d := range c.Districts {
		names[d.Slug] = d.Name.In(lang)
	}
	memo := map[string]string{}
	t := func(key string) string {
		v, ok := memo[key]
		if !ok {
			v = tr.T(key)
			memo[key] = v
		}
		return v
	}
	labels := &cardLabels{
		Type: t("school.type_label"), Languages: t("school.languages"), District: t("school.district"),
		Address: t("school.address"), Free: t("school.grade1_free"),
	}

	rows := make([]schoolRow, len(items))
	for i, it := range items {
		langs := make([]string, len(it.Languages))
		for j, l := range it.Languages {
			langs[j] = t("school.lang." + string(l))
		}
		rows[i] = schoolRow{
			Listing:      it,
			Title:        it.Name.In(lang),
			Address:      it.Address.In(lang),
			Free:         it.Grade1.Free,
			Planned:      it.Grade1.Planned,
			URL:          schoolURL(lang, c.Slug, it.ID),
			DistrictName: names[it.District],
			TypeName:     t("school.type."+string(it.Type)) + ", " + t("school.ownership."+string(it.Ownership)),
			LangNames:    strings.Join(langs, ", "),
			Labels:       labels,
		}
	}
	return rows
}

// schoolURL is the path of a school's passport.
func schoolURL(lang i18n.Lang, citySlug string, id int64) string {
	return "/" + string(lang) + "/" + citySlug + "/schools/" + strconv.FormatInt(id, 10)
}

// pageLink is a link of the pager.
type pageLink struct {
	Number  int
	URL     string
	Current bool
}

// schoolsPage is what the registry template shows.
type schoolsPage struct {
	Form   filterForm
	Result school.Result
	Rows   []schoolRow
	Relax  []relaxLink
	Pager  []pageLink
	Prev   string // URL of the previous page, or ""
	Next   string // URL of the next page, or ""
	First  string // URL of the first page, when past the last
}

// schoolList answers GET /{lang}/{city}/schools: the registry with its filters
// in the URL, sorting and paging. A bad filter keeps the page and says what
// is wrong next to the field, with status 400.
func (h *server) schoolList(w http.ResponseWriter, r *http.Request) error {
	lang, c, err := h.place(w, r)
	if err != nil {
		return err
	}
	tr := h.catalog.Translator(lang)
	path := "/" + string(lang) + "/" + c.Slug + "/schools"

	raw := r.URL.Query()
	f, ferr := school.ParseFilter(raw, c)
	fe := school.FilterErrorOf(ferr)
	if ferr != nil && fe == nil {
		return ferr
	}
	res, err := h.schools.Search(r.Context(), c.Slug, lang, f)
	if err != nil {
		return fmt.Errorf("school registry: %w", err)
	}

	data := schoolsPage{
		Form:   newFilterForm(path, raw, f, fe, c, tr, true),
		Result: res,
		Rows:   schoolRows(res.Items, tr, c),
	}
	if res.Total == 0 {
		data.Relax = relaxLinks(path, f, c, tr)
	}
	pageURL := func(n int) string {
		g := f
		g.Page = n
		return withQuery(path, g.Values())
	}
	if res.Pages > 1 {
		for n := 1; n <= res.Pages; n++ {
			data.Pager = append(data.Pager, pageLink{n, pageURL(n), n == res.Page})
		}
		if res.Page > 1 && res.Page <= res.Pages {
			data.Prev = pageURL(res.Page - 1)
		}
		if res.Page < res.Pages {
			data.Next = pageURL(res.Page + 1)
		}
	}
	if res.Total > 0 && len(res.Items) == 0 {
		data.First = pageURL(1)
	}

	status := http.StatusOK
	if fe != nil {
		status = http.StatusBadRequest
	}
	p := h.newPage(r, lang, tr.T("service.schools.title"), &c)
	p.Data = data
	return h.render(w, status, "schools", p)
}
