package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/school"
	"sakura/internal/teacher"
)

// teacherRow is a primary teacher as the passport lists them.
type teacherRow struct {
	Name       string
	URL        string
	Category   teacher.Category
	Experience int
}

// passportPage is what the passport template shows.
type passportPage struct {
	School          school.Listing
	DistrictName    string
	OverCapacity    int // pupils beyond the design capacity; 0 when within
	Territory       school.Territory
	Houses          int // buildings in the catchment
	Streets         []streetRow
	Teachers        []teacherRow
	Figures         []school.Figure
	Thin            int    // figures hidden for resting on too few observations
	MapData         string // GeoJSON of the school and its catchment
	Starts          []shiftStart
	NextYear        int // the year the catchment's school year ends
	MinObservations int
	Back            string // the registry
	Photos          []photoView
}

// streetRow is a street of the catchment with its houses, written out.
type streetRow struct {
	Name   string
	Houses string // "2, 4, 12А"
}

// shiftStart is when one shift begins.
type shiftStart struct {
	Shift int // from 1
	Time  string
}

// Tel is the school's phone as a tel: link, digits and + only.
func (p passportPage) Tel() template.URL {
	var b strings.Builder
	for _, r := range p.School.Phone {
		if r == '+' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return template.URL("tel:" + b.String())
}

// Website is the school's site as an absolute link.
func (p passportPage) Website() string {
	w := p.School.Website
	if w == "" || strings.HasPrefix(w, "https://") || strings.HasPrefix(w, "http://") {
		return w
	}
	return "https://" + w
}

// schoolID reads the {id} of a passport path; anything but a positive
// number is a school that does not exist.
func schoolID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("school id %q: %w", r.PathValue("id"), errs.ErrNotFound)
	}
	return id, nil
}

// schoolPassport answers GET /{lang}/{city}/schools/{id}: everything a
// parent needs to know about one school. A school of another city is not
// found.
func (h *server) schoolPassport(w http.ResponseWriter, r *http.Request) error {
	lang, c, err := h.place(w, r)
	if err != nil {
		return err
	}
	id, err := schoolID(r)
	if err != nil {
		return err
	}
	pp, err := h.schools.Passport(r.Context(), c.Slug, id)
	if err != nil {
		return err
	}
	s, terr, teachers := pp.Listing, pp.Territory, pp.Teachers

	data := passportPage{
		School:          s,
		OverCapacity:    max(0, s.Pupils-s.Capacity),
		Territory:       terr,
		Back:            "/" + string(lang) + "/" + c.Slug + "/schools",
		NextYear:        terr.Year + 1,
		MinObservations: teacher.MinObservations,
	}
	for i, t := range s.StartTimes {
		data.Starts = append(data.Starts, shiftStart{i + 1, t})
	}
	for _, p := range pp.Photos {
		data.Photos = append(data.Photos, photoView{ID: p.ID, URL: photoURL(string(lang), c.Slug, id, p.ID),
			Width: p.Width, Height: p.Height})
	}
	if d, ok := c.District(s.District); ok {
		data.DistrictName = d.Name.In(lang)
	}
	for _, st := range terr.Streets {
		data.Houses += len(st.Houses)
		data.Streets = append(data.Streets, streetRow{st.Name.In(lang), strings.Join(st.Houses, ", ")})
	}
	for _, t := range teachers {
		data.Teachers = append(data.Teachers, teacherRow{
			Name:       strings.TrimSpace(t.Surname + " " + t.Name + " " + t.Patronymic),
			URL:        "/" + string(lang) + "/" + c.Slug + "/teachers/" + strconv.FormatInt(t.ID, 10),
			Category:   t.Category,
			Experience: t.Experience,
		})
	}
	for _, f := range school.Ratings(teachers) {
		if f.Shown() {
			data.Figures = append(data.Figures, f)
		} else if len(teachers) > 0 {
			data.Thin++
		}
	}
	if data.MapData, err = passportGeoJSON(s, terr, lang); err != nil {
		return err
	}

	p := h.newPage(r, lang, s.Name.In(lang), &c)
	p.Data = data
	return h.render(w, http.StatusOK, "school", p)
}

// passportGeoJSON is the small map of a passport: the school as a marker
// and its catchment area, if it has one.
func passportGeoJSON(s school.Listing, t school.Territory, lang i18n.Lang) (string, error) {
	fc := schoolGeoCollection{Type: "FeatureCollection", Features: []schoolGeoFeature{
		schoolPointFeature(s, lang, ""),
	}}
	if len(t.Area) > 0 {
		fc.Features = append(fc.Features, schoolGeoFeature{
			Type:     "Feature",
			Geometry: polygonGeometry(t.Area),
			Properties: map[string]any{
				"kind": "catchment",
				"name": s.Name.In(lang),
			},
		})
	}
	b, err := json.Marshal(fc)
	if err != nil {
		return "", fmt.Errorf("passport map: %w", err)
	}
	return string(b), nil
}
