package web

import (
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/teacher"
)

// withTeachers returns fn, or, on a server built without a teacher
// registry, the "opens soon" page of the service key (an API path, with key
// "", answers 503).
func (h *server) withTeachers(fn handlerFunc, key string) handlerFunc {
	if h.teachers != nil {
		return fn
	}
	if key == "" {
		return func(http.ResponseWriter, *http.Request) error {
			return fmt.Errorf("no teacher registry: %w", errs.ErrUnavailable)
		}
	}
	return h.soon(key)
}

// maxTeacherText is the longest name search the registry takes, in
// characters.
const maxTeacherText = 100

// teacherForm is the teacher registry's filter form, as the GET query
// carries it, so that a search can be shared as a link.
type teacherForm struct {
	Text     string // q
	School   string // school: a school id
	Category string // category
	Language string // language: kk, ru or en
	MinExp   string // exp_min: years
	MaxExp   string // exp_max: years
	Sort     string // sort: rating, experience or name
	Page     string // page: from 1

	Query  teacher.Query
	Errors map[string]string // catalogue keys by field name, for the fields that are wrong
}

// parseTeacherForm reads and checks the filters of query. A wrong field is
// dropped from the search and named in Errors.
func parseTeacherForm(query url.Values) *teacherForm {
	f := &teacherForm{
		Text:     strings.TrimSpace(query.Get("q")),
		School:   strings.TrimSpace(query.Get("school")),
		Category: query.Get("category"),
		Language: query.Get("language"),
		MinExp:   strings.TrimSpace(query.Get("exp_min")),
		MaxExp:   strings.TrimSpace(query.Get("exp_max")),
		Sort:     query.Get("sort"),
		Page:     strings.TrimSpace(query.Get("page")),
		Errors:   map[string]string{},
	}

	if utf8.RuneCountInString(f.Text) > maxTeacherText {
		f.Errors["q"] = "teachers.error.q"
	} else {
		f.Query.Text = f.Text
	}
	if f.School != "" {
		id, err := strconv.ParseInt(f.School, 10, 64)
		if err != nil || id <= 0 {
			f.Errors["school"] = "teachers.error.school"
		} else {
			f.Query.School = id
		}
	}
	if f.Category != "" {
		if !slices.Contains(teacher.Categories(), teacher.Category(f.Category)) {
			f.Errors["category"] = "teachers.error.category"
		} else {
			f.Query.Category = teacher.Category(f.Category)
		}
	}
	if f.Language != "" {
		if lang, ok := i18n.ParseLang(f.Language); ok {
			f.Query.Language = lang
		} else {
			f.Errors["language"] = "teachers.error.language"
		}
	}
	years := func(field, s string) int {
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 70 {
			f.Errors[field] = "teachers.error.experience"
			return 0
		}
		return n
	}
	f.Query.MinExperience = years("exp_min", f.MinExp)
	f.Query.MaxExperience = years("exp_max", f.MaxExp)
	if f.Query.MaxExperience > 0 && f.Query.MinExperience > f.Query.MaxExperience {
		f.Errors["exp_max"] = "teachers.error.experience_range"
		f.Query.MaxExperience = 0
	}
	if f.Sort != "" {
		if slices.Contains(teacher.Sorts(), teacher.Sort(f.Sort)) {
			f.Query.Sort = teacher.Sort(f.Sort)
		} else {
			f.Errors["sort"] = "teachers.error.sort"
		}
	}
	if f.Page != "" {
		n, err := strconv.Atoi(f.Page)
		if err != nil || n < 1 || n > 100000 {
			f.Errors["page"] = "teachers.error.page"
			n = 1
		}
		f.Query.Page = n
	}
	f.Query.PerPage = teachersPerPage
	return f
}

// teachersPerPage is the size of a page of the registry.
const teachersPerPage = 20

// values returns the form's filters as a query, without the page and
// without the fields named in drop.
func (f *teacherForm) values(drop ...string) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" && !slices.Contains(drop, k) && f.Errors[k] == "" {
			v.Set(k, s)
		}
	}
	set("q", f.Text)
	set("school", f.School)
	set("category", f.Category)
	set("language", f.Language)
	set("exp_min", f.MinExp)
	set("exp_max", f.MaxExp)
	set("sort", f.Sort)
	return v
}

// teacherChoice is one choice of a select.
type teacherChoice struct {
	Value    string
	Label    string
	Selected bool
}

// teacherListRow is one teacher of the registry's table.
type teacherListRow struct {
	URL        string
	Name       string
	School     string
	SchoolURL  string
	Category   string
	Subjects   string
	Languages  string
	Experience string
	Rating     string // empty when not shown
}

// teacherRelax is a link that drops one filter of an empty search.
type teacherRelax struct {
	URL   string
	Label string
}

// teachersPage is what the registry's template shows.
type teachersPage struct {
	Form       *teacherForm
	Schools    template.HTML // the options of the school select; hundreds, so built in Go
	Categories []teacherChoice
	Languages  []teacherChoice
	Sorts      []teacherChoice
	Total      int
	Rows       []teacherListRow
	Relax      []teacherRelax
	Prev, Next string // page links; empty when none
	PageNo     int
	Pages      int
	MinObs     int
	MapData    string // GeoJSON of the schools of the teachers on this page
}

// teacherRegistry answers GET /{lang}/{city}/teachers: the registry of the
// city's primary-school teachers with its filters, sorting and pages.
func (h *server) teacherRegistry(w http.ResponseWriter, r *http.Request) error {
	lang, c, err := h.place(w, r)
	if err != nil {
		return err
	}
	tr := h.catalog.Translator(lang)

	f := parseTeacherForm(r.URL.Query())
	res, err := h.teachers.Search(r.Context(), c.Slug, f.Query)
	if err != nil {
		return fmt.Errorf("teacher registry: %w", err)
	}
	schools, err := h.teachers.Schools(r.Context(), c.Slug)
	if err != nil {
		return fmt.Errorf("teacher registry: %w", err)
	}

	base := "/" + string(lang) + "/" + c.Slug
	d := &teachersPage{Form: f, Total: res.Total, MinObs: teacher.MinObservations}
	d.Schools = schoolOptions(tr, schools, f.School)
	d.Categories = append(d.Categories, teacherChoice{Label: tr.T("teachers.filter.any_category")})
	for _, cat := range teacher.Categories() {
		d.Categories = append(d.Categories, teacherChoice{Value: string(cat),
			Label: tr.T("teacher.category." + string(cat)), Selected: string(cat) == f.Category})
	}
	d.Languages = append(d.Languages, teacherChoice{Label: tr.T("teachers.filter.any_language")})
	for _, l := range i18n.Langs {
		d.Languages = append(d.Languages, teacherChoice{Value: string(l),
			Label: tr.T("teacher.language." + string(l)), Selected: string(l) == f.Language})
	}
	for _, s := range teacher.Sorts() {
		d.Sorts = append(d.Sorts, teacherChoice{Value: string(s), Label: tr.T("teachers.sort." + string(s)),
			Selected: string(s) == f.Sort || f.Sort == "" && s == teacher.SortRating})
	}

	for _, e := range res.Items {
		d.Rows = append(d.Rows, h.teacherRow(tr, base, e))
	}

	// Pages: links keep every filter.
	q := f.Query
	page := max(q.Page, 1)
	d.PageNo, d.Pages = page, (res.Total+teachersPerPage-1)/teachersPerPage
	link := func(n int) string {
		v := f.values()
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		return base + "/teachers" + teacherQuery(v)
	}
	if page > 1 && d.Pages > 0 {
		d.Prev = link(min(page-1, d.Pages))
	}
	if page < d.Pages {
		d.Next = link(page + 1)
	}

	if d.MapData, err = teacherSchoolsGeoJSON(tr, base, res.Items); err != nil {
		return fmt.Errorf("teacher registry: %w", err)
	}

	// An empty search says which filter to drop.
	if res.Total == 0 {
		for _, k := range []string{"q", "school", "category", "language", "exp_min", "exp_max"} {
			if f.values().Get(k) != "" {
				d.Relax = append(d.Relax, teacherRelax{URL: base + "/teachers" + teacherQuery(f.values(k)),
					Label: tr.T("teachers.teacherRelax." + k)})
			}
		}
	}

	status := http.StatusOK
	if len(f.Errors) > 0 {
		status = http.StatusBadRequest
	}
	p := h.newPage(r, lang, tr.T("service.teachers.title"), &c)
	p.Data = d
	return h.render(w, status, "teachers", p)
}

// teacherMapFeature is a GeoJSON Point feature of the map contract.
type teacherMapFeature struct {
	Type       string `json:"type"`
	Geometry   any    `json:"geometry"`
	Properties any    `json:"properties"`
}

// teacherSchoolsGeoJSON returns the schools of the teachers listed, one
// marker each, as the map contract's inline FeatureCollection; "" when there
// are none.
func teacherSchoolsGeoJSON(tr *i18n.Translator, base string, items []teacher.Entry) (string, error) {
	type props struct {
		Kind string `json:"kind"`
		Name string `json:"name"`
		URL  string `json:"url"`
		Note string `json:"note"`
	}
	count := map[int64]int{}
	var order []teacher.SchoolRef
	for _, e := range items {
		if count[e.School.ID] == 0 && e.School.ID != 0 {
			order = append(order, e.School)
		}
		count[e.School.ID]++
	}
	if len(order) == 0 {
		return "", nil
	}

	fc := struct {
		Type     string              `json:"type"`
		Features []teacherMapFeature `json:"features"`
	}{Type: "FeatureCollection"}
	for _, s := range order {
		fc.Features = append(fc.Features, teacherMapFeature{
			Type: "Feature",
			Geometry: map[string]any{"type": "Point",
				"coordinates": []float64{s.Location.Lon, s.Location.Lat}},
			Properties: props{Kind: "school", Name: s.Name.In(tr.Lang()),
				URL:  base + "/schools/" + strconv.FormatInt(s.ID, 10),
				Note: tr.N("teachers.map.note", count[s.ID])},
		})
	}
	b, err := json.Marshal(fc)
	if err != nil {
		return "", fmt.Errorf("teachers' schools as GeoJSON: %w", err)
	}
	return string(b), nil
}

// schoolOptions writes the <option>s of the school select, "any school"
// first, with the school whose id is selected marked. A city has hundreds of
// schools: escaping them here with html.EscapeString is many times cheaper
// than an html/template action per option.
func schoolOptions(tr *i18n.Translator, schools []teacher.SchoolRef, selected string) template.HTML {
	var b strings.Builder
	b.Grow(64 * (len(schools) + 1))
	b.WriteString(`<option value="">` + html.EscapeString(tr.T("teachers.filter.any_school")) + `</option>`)
	for _, s := range schools {
		id := strconv.FormatInt(s.ID, 10)
		b.WriteString(`<option value="` + id + `"`)
		if id == selected {
			b.WriteString(` selected`)
		}
		b.WriteString(`>` + html.EscapeString(s.Name.In(tr.Lang())) + `</option>`)
	}
	return template.HTML(b.String()) //nolint:gosec // every part is escaped above
}

// teacherQuery returns v as a query string with its leading ?, or "" when empty.
func teacherQuery(v url.Values) string {
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// teacherRow makes the table row of a teacher.
func (h *server) teacherRow(tr *i18n.Translator, base string, e teacher.Entry) teacherListRow {
	lang := tr.Lang()
	row := teacherListRow{
		URL:        base + "/teachers/" + strconv.FormatInt(e.ID, 10),
		Name:       e.FullName(),
		School:     e.School.Name.In(lang),
		SchoolURL:  base + "/schools/" + strconv.FormatInt(e.SchoolID, 10),
		Category:   tr.T("teacher.category." + string(e.Category)),
		Experience: tr.N("teacher.years", e.Experience),
	}
	var subjects, langs []string
	for _, s := range e.Subjects {
		subjects = append(subjects, tr.T("teacher.subject."+s))
	}
	for _, l := range e.Languages {
		langs = append(langs, tr.T("teacher.language."+string(l)))
	}
	row.Subjects = strings.Join(subjects, ", ")
	row.Languages = strings.Join(langs, ", ")
	if v, ok := e.Rating(); ok {
		row.Rating = teacherFigure(lang, teacher.IndicatorRating, v)
	}
	return row
}

// teacherFigure writes an indicator's value as the page's language writes
// numbers: a count as a whole number, any other figure with one decimal, a
// decimal comma in Kazakh and Russian.
func teacherFigure(lang i18n.Lang, code string, v float64) string {
	if code == teacher.IndicatorOlympiadResults {
		return strconv.Itoa(int(v))
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if lang != i18n.EN {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
