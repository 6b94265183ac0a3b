package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"unicode/utf8"

	"sakura/internal/catchment"
	"sakura/internal/errs"
	"sakura/internal/geo"
	"sakura/internal/i18n"
)

// maxFromCentre is how far from a city's centre, in metres, a point may lie
// and still be asked about in that city.
const maxFromCentre = 40000

// apiAddresses answers GET /api/v1/cities/{city}/addresses?q=&limit=:
// address suggestions for what a parent has typed so far.
func (h *server) apiAddresses(w http.ResponseWriter, r *http.Request) error {
	openData(w)
	c, err := h.placesCity(r)
	if err != nil {
		return err
	}
	q := r.URL.Query().Get("q")
	if utf8.RuneCountInString(q) > maxAddress {
		return &errs.Error{Kind: errs.Invalid, Key: "places.error.too_long", Args: map[string]any{"Max": maxAddress}}
	}
	limit := 10
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 50 {
			return &errs.Error{Kind: errs.Invalid, Key: "places.error.limit"}
		}
		limit = n
	}

	idx, err := h.places.City(r.Context(), c.Slug)
	if err != nil {
		return fmt.Errorf("api addresses: %w", err)
	}
	lang, err := apiLang(r)
	if err != nil {
		return err
	}
	out := []suggestionJSON{}
	for _, s := range idx.Addresses.Suggest(q, limit) {
		out = append(out, newSuggestionJSON(s, lang))
	}
	return writeJSON(w, http.StatusOK, out)
}

// catchmentJSON is the API's answer to "which school serves this place".
type catchmentJSON struct {
	Address catchmentAddressJSON `json:"address"`
	Year    int                  `json:"year"`
	Schools []catchmentSchool    `json:"schools"`
}

type catchmentAddressJSON struct {
	Query       string     `json:"query,omitempty"`
	Text        string     `json:"text,omitempty"`
	Label       *i18n.Text `json:"label,omitempty"`
	BuildingID  int64      `json:"building_id,omitempty"`
	Location    geo.Point  `json:"location"`
	CatchmentID int64      `json:"catchment_id,omitempty"` // absent: in no catchment
}

type catchmentSchool struct {
	ID        int64       `json:"id"`
	Name      i18n.Text   `json:"name"`
	Address   i18n.Text   `json:"address"`
	Languages []i18n.Lang `json:"languages"`
	Location  geo.Point   `json:"location"`
	Distance  int         `json:"distance_m"`
	Serves    bool        `json:"serves"` // its catchment holds the address
}

// apiCatchment answers GET /api/v1/cities/{city}/catchment?address= or
// ?lat=&lon=: the school whose catchment holds the place, then the nearest.
func (h *server) apiCatchment(w http.ResponseWriter, r *http.Request) error {
	openData(w)
	c, err := h.placesCity(r)
	if err != nil {
		return err
	}
	lang, err := apiLang(r)
	if err != nil {
		return err
	}
	query := r.URL.Query()
	addr, lat, lon := query.Get("address"), query.Get("lat"), query.Get("lon")
	switch {
	case addr == "" && lat == "" && lon == "":
		return &errs.Error{Kind: errs.Invalid, Key: "places.error.missing"}
	case addr != "" && (lat != "" || lon != ""):
		return &errs.Error{Kind: errs.Invalid, Key: "places.error.both"}
	case utf8.RuneCountInString(addr) > maxAddress:
		return &errs.Error{Kind: errs.Invalid, Key: "places.error.too_long", Args: map[string]any{"Max": maxAddress}}
	}

	var p geo.Point
	if addr == "" {
		if p, err = parsePoint(lat, lon); err != nil {
			return err
		}
		if geo.Distance(p, c.Centre) > maxFromCentre {
			return &errs.Error{Kind: errs.NotFound, Key: "places.error.outside", Args: map[string]any{"City": c.Name.In(lang)}}
		}
	}

	idx, err := h.places.City(r.Context(), c.Slug)
	if err != nil {
		return fmt.Errorf("api catchment: %w", err)
	}
	var ans catchment.Answer
	out := catchmentJSON{Year: idx.Year, Schools: []catchmentSchool{}}
	if addr != "" {
		ans = idx.ByAddress(addr)
		if !ans.Resolved {
			return &errs.Error{Kind: errs.NotFound, Key: "places.error.unknown", Args: map[string]any{"Address": addr}}
		}
		label := ans.Address.Text
		out.Address = catchmentAddressJSON{Query: addr, Text: label.In(lang), Label: &label,
			BuildingID: ans.Address.Building.ID}
	} else {
		ans = idx.ByPoint(p)
	}
	out.Address.Location = ans.Home
	if ans.Serving != nil {
		out.Address.CatchmentID = ans.Serving.ID
	}
	for _, s := range ans.Schools {
		out.Schools = append(out.Schools, catchmentSchool{
			ID: s.School.ID, Name: s.School.Name, Address: s.School.Address, Languages: s.School.Languages,
			Location: s.School.Location, Distance: int(math.Round(s.Distance)), Serves: s.Serves,
		})
	}
	return writeJSON(w, http.StatusOK, out)
}

// parsePoint reads ?lat= and ?lon=, both required and on the globe.
func parsePoint(lat, lon string) (geo.Point, error) {
	bad := &errs.Error{Kind: errs.Invalid, Key: "places.error.point"}
	la, err1 := strconv.ParseFloat(lat, 64)
	lo, err2 := strconv.ParseFloat(lon, 64)
	if err1 != nil || err2 != nil || math.IsNaN(la) || math.IsNaN(lo) ||
		la < -90 || la > 90 || lo < -180 || lo > 180 {
		return geo.Point{}, bad
	}
	return geo.Point{Lat: la, Lon: lo}, nil
}

// apiCatchmentsGeoJSON answers GET /api/v1/cities/{city}/catchments.geojson:
// every catchment area of the current school year, with its school.
func (h *server) apiCatchmentsGeoJSON(w http.ResponseWriter, r *http.Request) error {
	openData(w)
	c, err := h.placesCity(r)
	if err != nil {
		return err
	}
	idx, err := h.places.City(r.Context(), c.Slug)
	if err != nil {
		return fmt.Errorf("api catchments: %w", err)
	}
	lang, err := apiLang(r)
	if err != nil {
		return err
	}
	fc := placeCollection{Type: "FeatureCollection", Features: []placeFeature{}}
	for _, k := range idx.Areas.Catchments() {
		if len(k.Area) == 0 || len(k.Area[0]) < 3 {
			continue
		}
		props := map[string]any{"id": k.ID, "school_id": k.SchoolID, "year": k.Year, "kind": "catchment"}
		if s, ok := idx.School(k.SchoolID); ok {
			props["name"] = s.Name.In(lang)
			props["url"] = "/" + string(lang) + "/" + c.Slug + "/schools/" + strconv.FormatInt(s.ID, 10)
		}
		fc.Features = append(fc.Features, placePolygon(k.Area, props))
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	if err := writeJSON(w, http.StatusOK, fc); err != nil {
		return err
	}
	return nil
}
