package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"sakura/internal/city"
	"sakura/internal/errs"
	"sakura/internal/geo"
	"sakura/internal/i18n"
	"sakura/internal/school"
)

// apiSchool is a school in the list of the schools API (DESIGN §5).
type apiSchool struct {
	ID        int64            `json:"id"`
	BIN       string           `json:"bin"`
	Number    int              `json:"number,omitempty"`
	Name      i18n.Text        `json:"name"`
	Type      school.Type      `json:"type"`
	Ownership school.Ownership `json:"ownership"`
	Languages []i18n.Lang      `json:"languages"`
	District  string           `json:"district"`
	Address   i18n.Text        `json:"address"`
	Location  geo.Point        `json:"location"`
}

// apiSchoolList is the body of the schools API.
type apiSchoolList struct {
	Total   int         `json:"total"`
	Page    int         `json:"page"`
	PerPage int         `json:"per_page"`
	Items   []apiSchool `json:"items"`
}

func newAPISchool(s school.Listing) apiSchool {
	langs := s.Languages
	if langs == nil {
		langs = []i18n.Lang{}
	}
	return apiSchool{ID: s.ID, BIN: s.BIN, Number: s.Number, Name: s.Name, Type: s.Type,
		Ownership: s.Ownership, Languages: langs, District: s.District, Address: s.Address,
		Location: s.Location}
}

// apiCity reads the {city} of an API path; an unknown city is not found.
func (h *server) apiCity(r *http.Request) (city.City, error) {
	c, err := h.cities.City(r.Context(), r.PathValue("city"))
	if err != nil {
		return city.City{}, fmt.Errorf("api city: %w", err)
	}
	return c, nil
}

// apiLang reads the lang query parameter of the API, Kazakh by default.
func apiLang(r *http.Request) (i18n.Lang, error) {
	v := r.URL.Query().Get("lang")
	if v == "" {
		return i18n.KK, nil
	}
	lang, ok := i18n.ParseLang(v)
	if !ok {
		return "", &errs.Error{Kind: errs.Invalid, Key: "schools.error.lang"}
	}
	return lang, nil
}

// apiSchoolQuery reads what the school list and its GeoJSON take: the
// city, the language of the names and the registry's filter.
func (h *server) apiSchoolQuery(r *http.Request) (city.City, i18n.Lang, school.Filter, error) {
	c, err := h.apiCity(r)
	if err != nil {
		return city.City{}, "", school.Filter{}, err
	}
	lang, err := apiLang(r)
	if err != nil {
		return city.City{}, "", school.Filter{}, err
	}
	f, err := school.ParseFilter(r.URL.Query(), c)
	if err != nil {
		return city.City{}, "", school.Filter{}, err
	}
	return c, lang, f, nil
}

// apiSchools answers GET /api/v1/cities/{city}/schools: one page of the
// registry, filtered as the registry page filters.
func (h *server) apiSchools(w http.ResponseWriter, r *http.Request) error {
	c, lang, f, err := h.apiSchoolQuery(r)
	if err != nil {
		return err
	}
	res, err := h.schools.Search(r.Context(), c.Slug, lang, f)
	if err != nil {
		return fmt.Errorf("api schools: %w", err)
	}

	body := apiSchoolList{Total: res.Total, Page: res.Page, PerPage: res.PerPage,
		Items: make([]apiSchool, 0, len(res.Items))}
	for _, s := range res.Items {
		body.Items = append(body.Items, newAPISchool(s))
	}
	openData(w)
	return writeJSON(w, http.StatusOK, body)
}

// apiPassport is the body of the passport API: the school with this year's
// seats, its catchment, its primary teachers and its ratings.
type apiPassport struct {
	*school.School
	URL       string               `json:"url"`
	Seats     apiSeats             `json:"seats"`
	Catchment school.Territory     `json:"catchment"`
	Teachers  []apiPassportTeacher `json:"teachers"`
	Ratings   []school.Figure      `json:"ratings"` // only figures on enough observations
}

type apiSeats struct {
	Grade1  school.Seats `json:"grade1"`
	Grade10 school.Seats `json:"grade10"`
}

type apiPassportTeacher struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Category   string `json:"category"`
	Experience int    `json:"experience"`
}

// apiSchoolPassport answers GET /api/v1/cities/{city}/schools/{id}: the passport.
func (h *server) apiSchoolPassport(w http.ResponseWriter, r *http.Request) error {
	c, err := h.apiCity(r)
	if err != nil {
		return err
	}
	id, err := schoolID(r)
	if err != nil {
		return err
	}
	p, err := h.schools.Passport(r.Context(), c.Slug, id)
	if err != nil {
		return err
	}
	s, terr, teachers := p.Listing, p.Territory, p.Teachers

	body := apiPassport{
		School:    s.School,
		URL:       schoolURL(i18n.KK, c.Slug, s.ID),
		Seats:     apiSeats{Grade1: s.Grade1, Grade10: s.Grade10},
		Catchment: terr,
		Teachers:  []apiPassportTeacher{},
		Ratings:   []school.Figure{},
	}
	if body.Catchment.Streets == nil {
		body.Catchment.Streets = []school.Street{}
	}
	for _, t := range teachers {
		body.Teachers = append(body.Teachers, apiPassportTeacher{ID: t.ID,
			Name:     strings.TrimSpace(t.Surname + " " + t.Name + " " + t.Patronymic),
			Category: string(t.Category), Experience: t.Experience})
	}
	for _, f := range school.Ratings(teachers) {
		if f.Shown() {
			body.Ratings = append(body.Ratings, f)
		}
	}
	openData(w)
	return writeJSON(w, http.StatusOK, body)
}

// schoolGeoCollection is a GeoJSON FeatureCollection of schools and their
// areas, as the map contract reads it.
type schoolGeoCollection struct {
	Type     string             `json:"type"`
	Features []schoolGeoFeature `json:"features"`
}

type schoolGeoFeature struct {
	Type       string            `json:"type"`
	ID         int64             `json:"id,omitempty"`
	Geometry   schoolGeoGeometry `json:"geometry"`
	Properties map[string]any    `json:"properties"`
}

type schoolGeoGeometry struct {
	Type        string `json:"type"`
	Coordinates any    `json:"coordinates"`
}

// schoolPointFeature is a school as a marker: its name in lang, linking to
// its passport, with note as the card's second line when not empty.
func schoolPointFeature(s school.Listing, lang i18n.Lang, citySlug string) schoolGeoFeature {
	if citySlug == "" {
		citySlug = s.City
	}
	props := map[string]any{
		"id":   s.ID,
		"kind": "school",
		"name": s.Name.In(lang),
		"url":  schoolURL(lang, citySlug, s.ID),
	}
	if a := s.Address.In(lang); a != "" {
		props["note"] = a
	}
	return schoolGeoFeature{
		Type:       "Feature",
		ID:         s.ID,
		Geometry:   schoolGeoGeometry{Type: "Point", Coordinates: [2]float64{s.Location.Lon, s.Location.Lat}},
		Properties: props,
	}
}

// polygonGeometry writes a polygon as GeoJSON: [lon, lat] pairs, every
// ring closed.
func polygonGeometry(pg geo.Polygon) schoolGeoGeometry {
	rings := make([][][2]float64, 0, len(pg))
	for _, ring := range pg {
		if len(ring) == 0 {
			continue
		}
		pts := make([][2]float64, 0, len(ring)+1)
		for _, p := range ring {
			pts = append(pts, [2]float64{p.Lon, p.Lat})
		}
		if ring[0] != ring[len(ring)-1] {
			pts = append(pts, pts[0])
		}
		rings = append(rings, pts)
	}
	return schoolGeoGeometry{Type: "Polygon", Coordinates: rings}
}

// apiSchoolsGeoJSON answers GET /api/v1/cities/{city}/schools.geojson: every
// school the filter lets through as a marker, named in the lang parameter.
func (h *server) apiSchoolsGeoJSON(w http.ResponseWriter, r *http.Request) error {
	c, lang, f, err := h.apiSchoolQuery(r)
	if err != nil {
		return err
	}
	all, err := h.schools.All(r.Context(), c.Slug, lang, f)
	if err != nil {
		return fmt.Errorf("api schools geojson: %w", err)
	}

	fc := schoolGeoCollection{Type: "FeatureCollection", Features: make([]schoolGeoFeature, 0, len(all))}
	for _, s := range all {
		fc.Features = append(fc.Features, schoolPointFeature(s, lang, c.Slug))
	}
	openData(w)
	return writeGeoJSON(w, fc)
}

// writeGeoJSON writes v as a GeoJSON body with status 200, encoding first
// so that a failure leaves the response to the error renderer.
func writeGeoJSON(w http.ResponseWriter, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode GeoJSON: %w", err)
	}
	w.Header().Set("Content-Type", "application/geo+json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(append(body, '\n'))
	return nil
}

// schoolCSVHeader is the header row of schools.csv.
var schoolCSVHeader = []string{
	"id", "bin", "number", "name_kk", "name_ru", "name_en", "type", "ownership", "languages",
	"district", "address_kk", "address_ru", "address_en", "lat", "lon", "phone", "email", "website",
	"director", "shifts", "start_times", "capacity", "pupils",
	"grade1_planned", "grade1_taken", "grade1_free", "grade10_planned", "grade10_taken", "grade10_free",
	"profiles", "facilities", "accessibility",
}

// apiSchoolsCSV answers GET /api/v1/cities/{city}/schools.csv: every school
// the filter lets through, one a row, in UTF-8 with a header row; lists are
// joined with ";".
func (h *server) apiSchoolsCSV(w http.ResponseWriter, r *http.Request) error {
	c, err := h.apiCity(r)
	if err != nil {
		return err
	}
	f, err := school.ParseFilter(r.URL.Query(), c)
	if err != nil {
		return err
	}
	all, err := h.schools.All(r.Context(), c.Slug, i18n.KK, f)
	if err != nil {
		return fmt.Errorf("api schools csv: %w", err)
	}

	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write(schoolCSVHeader)
	itoa := strconv.Itoa
	ftoa := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	for _, s := range all {
		langs := make([]string, len(s.Languages))
		for i, l := range s.Languages {
			langs[i] = string(l)
		}
		_ = cw.Write([]string{
			strconv.FormatInt(s.ID, 10), s.BIN, itoa(s.Number), s.Name.KK, s.Name.RU, s.Name.EN,
			string(s.Type), string(s.Ownership), strings.Join(langs, ";"),
			s.District, s.Address.KK, s.Address.RU, s.Address.EN, ftoa(s.Location.Lat), ftoa(s.Location.Lon),
			s.Phone, s.Email, s.Website, s.Director, itoa(s.Shifts), strings.Join(s.StartTimes, ";"),
			itoa(s.Capacity), itoa(s.Pupils),
			itoa(s.Grade1.Planned), itoa(s.Grade1.Taken), itoa(s.Grade1.Free),
			itoa(s.Grade10.Planned), itoa(s.Grade10.Taken), itoa(s.Grade10.Free),
			strings.Join(s.Profiles, ";"), strings.Join(s.Facilities, ";"), strings.Join(s.Accessibility, ";"),
		})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("api schools csv: %w", err)
	}

	openData(w)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+c.Slug+`-schools.csv"`)
	w.WriteHeader(http.StatusOK)
	_, _ = buf.WriteTo(w)
	return nil
}
