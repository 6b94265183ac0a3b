package web

import (
	"errors"
	"fmt"
	"net/http"

	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/teacher"
)

// apiTeacher is a teacher as the open-data API gives them.
type apiTeacher struct {
	ID         int64              `json:"id"`
	Surname    string             `json:"surname"`
	Name       string             `json:"name"`
	Patronymic string             `json:"patronymic,omitempty"`
	School     teacher.SchoolRef  `json:"school"`
	Category   teacher.Category   `json:"category"`
	Subjects   []string           `json:"subjects"`
	Languages  []i18n.Lang        `json:"languages"`
	Experience int                `json:"experience"`
	Rating     *float64           `json:"rating"` // null when it rests on too few observations
	Indicators []apiTeacherFigure `json:"indicators"`
}

// apiTeacherFigure is one indicator; its value is null when it rests on
// fewer than teacher.MinObservations observations.
type apiTeacherFigure struct {
	Code         string   `json:"code"`
	Value        *float64 `json:"value"`
	Observations int      `json:"observations"`
}

// apiTeachers is the answer of GET /api/v1/cities/{city}/teachers.
type apiTeachers struct {
	Total           int          `json:"total"`
	MinObservations int          `json:"min_observations"`
	Items           []apiTeacher `json:"items"`
}

// apiTeacherList answers GET /api/v1/cities/{city}/teachers with the page
// of the city's teachers that the query asks for: q, school, category,
// language, exp_min, exp_max, sort, page and per_page.
func (h *server) apiTeacherList(w http.ResponseWriter, r *http.Request) error {
	c, err := h.cities.City(r.Context(), r.PathValue("city"))
	if err != nil {
		return fmt.Errorf("api teachers: city: %w", err)
	}

	query := r.URL.Query()
	f := parseTeacherForm(query)
	perPage, perPageErr := 20, false
	if s := query.Get("per_page"); s != "" {
		n, err := parseBoundedInt(s, 1, teacher.MaxPerPage)
		perPage, perPageErr = n, err != nil
	}
	if len(f.Errors) > 0 || perPageErr {
		return apiTeacherInvalid(f, perPageErr)
	}
	f.Query.PerPage = perPage

	res, err := h.teachers.Search(r.Context(), c.Slug, f.Query)
	if err != nil {
		return fmt.Errorf("api teachers: %w", err)
	}
	out := apiTeachers{Total: res.Total, MinObservations: teacher.MinObservations,
		Items: make([]apiTeacher, 0, len(res.Items))}
	for _, e := range res.Items {
		out.Items = append(out.Items, newAPITeacher(e))
	}

	openData(w)
	return writeJSON(w, http.StatusOK, out)
}

// apiTeacherInvalid names the first wrong parameter of a teacher search,
// in a fixed order, as an error the API answers with 400.
func apiTeacherInvalid(f *teacherForm, perPage bool) error {
	for _, k := range []string{"q", "school", "category", "language", "exp_min", "exp_max", "sort", "page"} {
		if key := f.Errors[k]; key != "" {
			return &errs.Error{Kind: errs.Invalid, Key: key, Err: fmt.Errorf("parameter %s", k)}
		}
	}
	if perPage {
		return &errs.Error{Kind: errs.Invalid, Key: "teachers.error.per_page",
			Args: map[string]any{"Max": teacher.MaxPerPage}, Err: errors.New("parameter per_page")}
	}
	return nil
}

// parseBoundedInt reads a whole number from lo to hi.
func parseBoundedInt(s string, lo, hi int) (int, error) {
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil || fmt.Sprint(n) != s || n < lo || n > hi {
		return 0, fmt.Errorf("%q is not a number from %d to %d", s, lo, hi)
	}
	return n, nil
}

// newAPITeacher makes the API's view of a registry entry, with the figures
// that rest on too few observations as null.
func newAPITeacher(e teacher.Entry) apiTeacher {
	t := apiTeacher{
		ID: e.ID, Surname: e.Surname, Name: e.Name, Patronymic: e.Patronymic, School: e.School,
		Category: e.Category, Subjects: e.Subjects, Languages: e.Languages, Experience: e.Experience,
		Indicators: []apiTeacherFigure{},
	}
	if t.Subjects == nil {
		t.Subjects = []string{}
	}
	if t.Languages == nil {
		t.Languages = []i18n.Lang{}
	}
	if v, ok := e.Rating(); ok {
		t.Rating = &v
	}
	for _, ind := range e.Indicators {
		f := apiTeacherFigure{Code: ind.Code, Observations: ind.Observations}
		if ind.Shown() {
			v := ind.Value
			f.Value = &v
		}
		t.Indicators = append(t.Indicators, f)
	}
	return t
}
