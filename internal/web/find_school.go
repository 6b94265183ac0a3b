package web

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"sakura/internal/address"
	"sakura/internal/catchment"
	"sakura/internal/city"
	"sakura/internal/errs"
	"sakura/internal/geo"
	"sakura/internal/i18n"
	"sakura/internal/school"
)

// Places answers address and catchment questions about a city from
// indexes kept in memory. City returns an error matching errs.ErrNotFound
// for a city it does not know, or the error of reading its data.
type Places interface {
	City(ctx context.Context, city string) (*catchment.CityIndex, error)
	Invalidate(city string)
}

// maxAddress is the longest address, in characters, the find-school page
// and the API read; a longer one is refused with a message.
const maxAddress = 200

// findSchoolPage is what the find-school page shows.
type findSchoolPage struct {
	Query      string
	Asked      bool   // an address was submitted
	Problem    string // a message about the query itself (too long)
	Found      string // the address found, in the page's language
	Serving    *answerSchool
	Nearest    []answerSchool
	NearMisses []nearMiss
	MapJSON    string // a GeoJSON FeatureCollection for the map
	Examples   []string
}

// ExamplesText is the examples as one line of quoted addresses.
func (d *findSchoolPage) ExamplesText() string {
	return "«" + strings.Join(d.Examples, "», «") + "»"
}

// answerSchool is one school of an answer.
type answerSchool struct {
	ID        int64
	Name      string
	Address   string
	Languages []i18n.Lang
	Distance  string
	URL       string
}

// nearMiss is an address the parent may have meant, as a link that asks
// again.
type nearMiss struct {
	Text string
	URL  string
}

// findSchool answers GET /{lang}/{city}/find-school: the form, and with
// ?address= the school whose catchment holds that address.
func (h *server) findSchool(w http.ResponseWriter, r *http.Request) error {
	lang, c, err := h.place(w, r)
	if err != nil {
		return err
	}
	tr := h.catalog.Translator(lang)
	data := findSchoolPage{Examples: examples(c.Slug)}
	p := h.newPage(r, lang, tr.T("service.find_school.title"), &c)
	p.Data = &data

	data.Query = strings.TrimSpace(r.URL.Query().Get("address"))
	if data.Query == "" {
		return h.render(w, http.StatusOK, "find_school", p)
	}
	data.Asked = true
	if utf8.RuneCountInString(data.Query) > maxAddress {
		data.Problem = tr.T("places.error.too_long", "Max", maxAddress)
		data.Query = string([]rune(data.Query)[:maxAddress])
		return h.render(w, http.StatusBadRequest, "find_school", p)
	}

	idx, err := h.places.City(r.Context(), c.Slug)
	if err != nil {
		return fmt.Errorf("find school: %w", err)
	}
	ans := idx.ByAddress(data.Query)
	base := "/" + string(lang) + "/" + c.Slug
	if !ans.Resolved {
		for _, s := range ans.Address.NearMisses {
			text := s.Text.In(lang)
			data.NearMisses = append(data.NearMisses, nearMiss{
				Text: text, URL: base + "/find-school?address=" + url.QueryEscape(text),
			})
		}
		return h.render(w, http.StatusOK, "find_school", p)
	}

	data.Found = ans.Address.Text.In(lang)
	for _, s := range ans.Schools {
		row := newAnswerSchool(s, lang, base)
		if s.Serves {
			data.Serving = &row
			continue
		}
		data.Nearest = append(data.Nearest, row)
	}
	data.MapJSON, err = answerMap(ans, idx, lang, base, data.Found, tr.T("places.home"))
	if err != nil {
		return err
	}
	return h.render(w, http.StatusOK, "find_school", p)
}

// newAnswerSchool is a school of an answer as the page shows it.
func newAnswerSchool(s catchment.SchoolAt, lang i18n.Lang, base string) answerSchool {
	return answerSchool{
		ID:        s.School.ID,
		Name:      s.School.Name.In(lang),
		Address:   s.School.Address.In(lang),
		Languages: s.School.Languages,
		Distance:  formatDistance(s.Distance, lang),
		URL:       base + "/schools/" + strconv.FormatInt(s.School.ID, 10),
	}
}

// examples are short addresses of the city to show as hints.
func examples(slug string) []string {
	if slug == "astana" {
		return []string{"Мәңгілік Ел 10", "пр. Туран, д. 12", "Sauran 5"}
	}
	return []string{"Абая 10", "мкр Самал-2, 5", "Алғабас-1, 12"}
}

// formatDistance writes a distance as people read it: metres up to a
// kilometre, then kilometres with one decimal, the decimal mark of lang.
func formatDistance(m float64, lang i18n.Lang) string {
	unitM, unitKM, mark := "м", "км", ","
	if lang == i18n.EN {
		unitM, unitKM, mark = "m", "km", "."
	}
	if m < 1000 {
		return strconv.Itoa(int(math.Round(m/10)*10)) + "\u00a0" + unitM
	}
	km := strconv.FormatFloat(math.Round(m/100)/10, 'f', 1, 64)
	return strings.Replace(km, ".", mark, 1) + "\u00a0" + unitKM
}

// placeFeature is a GeoJSON placeFeature of the map contract.
type placeFeature struct {
	Type       string         `json:"type"`
	Geometry   map[string]any `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

// placeCollection is a GeoJSON FeatureCollection.
type placeCollection struct {
	Type     string         `json:"type"`
	Features []placeFeature `json:"features"`
}

func placePoint(p geo.Point, props map[string]any) placeFeature {
	return placeFeature{Type: "Feature", Properties: props,
		Geometry: map[string]any{"type": "Point", "coordinates": []float64{p.Lon, p.Lat}}}
}

// placePolygon is a polygon in GeoJSON order: [lon, lat], rings closed.
func placePolygon(pg geo.Polygon, props map[string]any) placeFeature {
	rings := make([][][2]float64, 0, len(pg))
	for _, r := range pg {
		if len(r) == 0 {
			continue
		}
		ring := make([][2]float64, 0, len(r)+1)
		for _, p := range r {
			ring = append(ring, [2]float64{p.Lon, p.Lat})
		}
		if r[0] != r[len(r)-1] {
			ring = append(ring, [2]float64{r[0].Lon, r[0].Lat})
		}
		rings = append(rings, ring)
	}
	return placeFeature{Type: "Feature", Properties: props,
		Geometry: map[string]any{"type": "Polygon", "coordinates": rings}}
}

// answerMap is the map of an answer: home, the serving school and its
// catchment area, then the nearest schools.
func answerMap(ans catchment.Answer, idx *catchment.CityIndex, lang i18n.Lang, base, home, homeName string,
) (string, error) {
	fc := placeCollection{Type: "FeatureCollection"}
	if ans.Serving != nil && len(ans.Serving.Area) > 0 {
		if s, ok := idx.School(ans.Serving.SchoolID); ok {
			fc.Features = append(fc.Features, placePolygon(ans.Serving.Area, map[string]any{
				"kind": "catchment", "name": s.Name.In(lang),
			}))
		}
	}
	fc.Features = append(fc.Features, placePoint(ans.Home, map[string]any{
		"kind": "home", "name": homeName, "note": home,
	}))
	for _, s := range ans.Schools {
		fc.Features = append(fc.Features, placeSchool(s.School, lang, base))
	}
	b, err := json.Marshal(fc)
	if err != nil {
		return "", fmt.Errorf("answer map: %w", err)
	}
	return string(b), nil
}

func placeSchool(s school.School, lang i18n.Lang, base string) placeFeature {
	return placePoint(s.Location, map[string]any{
		"kind": "school", "name": s.Name.In(lang), "note": s.Address.In(lang),
		"url": base + "/schools/" + strconv.FormatInt(s.ID, 10),
	})
}

// placesCity is the city of an API path, or an error matching
// errs.ErrNotFound; without Places, one matching errs.ErrUnavailable.
func (h *server) placesCity(r *http.Request) (city.City, error) {
	if h.places == nil {
		return city.City{}, fmt.Errorf("places: %w", errs.ErrUnavailable)
	}
	c, err := h.cities.City(r.Context(), r.PathValue("city"))
	if err != nil {
		return city.City{}, fmt.Errorf("city: %w", err)
	}
	return c, nil
}

// suggestionJSON is one address suggestion of the API.
type suggestionJSON struct {
	Text       string     `json:"text"` // in the language asked
	Label      i18n.Text  `json:"label"`
	StreetID   int64      `json:"street_id"`
	BuildingID int64      `json:"building_id,omitempty"`
	Number     string     `json:"number,omitempty"`
	Location   *geo.Point `json:"location,omitempty"`
}

func newSuggestionJSON(s address.Suggestion, lang i18n.Lang) suggestionJSON {
	out := suggestionJSON{Text: s.Text.In(lang), Label: s.Text, StreetID: s.Street.ID}
	if s.Building != nil {
		out.BuildingID, out.Number = s.Building.ID, s.Building.Number
		loc := s.Building.Location
		out.Location = &loc
	}
	return out
}
