package web

import (
	"fmt"
	"net/http"

	"sakura/internal/school"
)

// mapPage is what the map template shows.
type mapPage struct {
	Form       filterForm
	GeoJSONURL string // the schools the filter lets through, as GeoJSON
	Total      int
	Rows       []schoolRow // the same schools as a list: the page without script or tiles
}

// schoolMap answers GET /{lang}/{city}/map: the schools on a map with the
// registry's filters, and below it the list of the same schools, which is
// all a visitor without JavaScript, or without tiles, sees.
func (h *server) schoolMap(w http.ResponseWriter, r *http.Request) error {
	lang, c, err := h.place(w, r)
	if err != nil {
		return err
	}
	tr := h.catalog.Translator(lang)
	path := "/" + string(lang) + "/" + c.Slug + "/map"

	raw := r.URL.Query()
	f, ferr := school.ParseFilter(raw, c)
	fe := school.FilterErrorOf(ferr)
	if ferr != nil && fe == nil {
		return ferr
	}
	f.Sort, f.Page, f.PerPage = school.ByName, 0, 0 // the map shows all, by name
	all, err := h.schools.All(r.Context(), c.Slug, lang, f)
	if err != nil {
		return fmt.Errorf("school map: %w", err)
	}

	q := f.Values()
	q.Del(school.ParamSort)
	q.Set("lang", string(lang))
	data := mapPage{
		Form:       newFilterForm(path, raw, f, fe, c, tr, false),
		GeoJSONURL: withQuery("/api/v1/cities/"+c.Slug+"/schools.geojson", q),
		Total:      len(all),
		Rows:       schoolRows(all, tr, c),
	}

	status := http.StatusOK
	if fe != nil {
		status = http.StatusBadRequest
	}
	p := h.newPage(r, lang, tr.T("service.map.title"), &c)
	p.Data = data
	return h.render(w, status, "map", p)
}
