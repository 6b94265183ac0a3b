package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"sakura/internal/address"
	"sakura/internal/catchment"
	"sakura/internal/dataset"
	"sakura/internal/demo"
	"sakura/internal/i18n"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
	"sakura/internal/web"
	"sakura/internal/web/webtest"
)

// placeCase is an address of the demo city and the answer it should get.
type placeCase struct {
	query  map[string]string // by language: what a parent types
	school int64             // the serving school; 0 for none
}

var (
	placesOnce sync.Once
	placesData []dataset.City
)

// demoPlaces returns the full demo cities, generated once.
func demoPlaces() []dataset.City {
	placesOnce.Do(func() { placesData = demo.Cities() })
	return placesData
}

// MustPlaceCases finds, in the demo Almaty, a building in the catchment of a
// school that teaches in Russian (the language the wizards' tests choose)
// and one in no catchment, with the queries that name them in each language.
func MustPlaceCases(tb testing.TB) (served, unserved placeCase) {
	tb.Helper()
	d := demoPlaces()[0]
	if d.City.Slug != "almaty" {
		tb.Fatalf("first demo city is %s", d.City.Slug)
	}
	places := make([]catchment.Place, len(d.Schools))
	for i, s := range d.Schools {
		places[i] = catchment.Place{SchoolID: s.ID, Location: s.Location}
	}
	areas := catchment.NewIndex(d.Catchments, places)
	streets := make(map[int64]address.Street)
	for _, s := range d.Streets {
		streets[s.ID] = s
	}
	russian := make(map[int64]bool)
	for _, s := range d.Schools {
		russian[s.ID] = slices.Contains(s.Languages, i18n.RU)
	}
	inAstana := make(map[string]bool)
	for _, s := range demoPlaces()[1].Streets {
		inAstana[s.Name.KK] = true
	}

	for _, b := range d.Buildings {
		s := streets[b.StreetID]
		if strings.ContainsAny(s.Name.RU+s.Name.KK, ",№") || inAstana[s.Name.KK] {
			continue
		}
		c, ok := areas.Serving(b.ID, b.Location)
		pc := placeCase{query: map[string]string{
			"kk": s.Name.KK + " " + b.Number,
			"ru": "ул. " + s.Name.RU + ", д. " + b.Number,
			"en": s.Name.EN + " " + b.Number,
		}}
		if ok && served.query == nil && s.Kind == address.KindStreet && russian[c.SchoolID] {
			pc.school = c.SchoolID
			served = pc
		}
		if !ok && unserved.query == nil {
			unserved = pc
		}
	}
	if served.query == nil || unserved.query == nil {
		tb.Fatalf("the demo city lacks a served or an unserved building")
	}
	return served, unserved
}

func TestFindSchoolPage(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Cities: demoPlaces()})
	served, unserved := MustPlaceCases(t)

	t.Run("the form alone", func(t *testing.T) {
		for _, lang := range []string{"kk", "ru", "en"} {
			resp := s.Get(t, "/"+lang+"/almaty/find-school")
			if resp.Status != http.StatusOK {
				t.Fatalf("%s: status %d", lang, resp.Status)
			}
			doc := resp.Doc(t)
			in := doc.Find(`form.find-school input#address[name="address"][autocomplete="off"]`)
			if in.Length() != 1 {
				t.Errorf("%s: no address field", lang)
			}
			if doc.Find(`label[for="address"]`).Length() != 1 || doc.Find(".answer").Length() != 0 {
				t.Errorf("%s: label missing or an answer without a question", lang)
			}
			if doc.Find(`script[src*="address-suggest"]`).Length() != 1 {
				t.Errorf("%s: no suggestion script", lang)
			}
		}
	})

	t.Run("the serving school", func(t *testing.T) {
		for lang, q := range served.query {
			doc := s.Get(t, "/"+lang+"/almaty/find-school?address="+url.QueryEscape(q)).Doc(t)
			href, _ := doc.Find(".serving-school a").Attr("href")
			want := "/" + lang + "/almaty/schools/" + strconv.FormatInt(served.school, 10)
			if href != want {
				t.Errorf("%s %q: serving school link %q, want %q", lang, q, href, want)
			}
			if v, _ := doc.Find("#address").Attr("value"); v != q {
				t.Errorf("%s: the field lost what was typed: %q", lang, v)
			}
			m := doc.Find(`.answer .js-map[data-geojson]`)
			raw, _ := m.Attr("data-geojson")
			var fc struct {
				Features []struct {
					Properties map[string]any `json:"properties"`
				} `json:"features"`
			}
			if err := json.Unmarshal([]byte(raw), &fc); err != nil {
				t.Fatalf("%s: map data: %v", lang, err)
			}
			kinds := map[string]int{}
			for _, f := range fc.Features {
				kinds[f.Properties["kind"].(string)]++
			}
			if kinds["home"] != 1 || kinds["school"] < 1 || kinds["catchment"] != 1 {
				t.Errorf("%s: map features %v, want a home, schools and a catchment", lang, kinds)
			}
			if doc.Find(".nearest li").Length() == 0 {
				t.Errorf("%s: no nearest schools", lang)
			}
		}
	})

	t.Run("no catchment", func(t *testing.T) {
		doc := s.Get(t, "/ru/almaty/find-school?address="+url.QueryEscape(unserved.query["ru"])).Doc(t)
		if doc.Find("#no-catchment").Length() != 1 || doc.Find(".serving-school").Length() != 0 {
			t.Errorf("no statement that the building is in no catchment")
		}
		if doc.Find(".nearest li").Length() == 0 {
			t.Errorf("no nearest schools listed")
		}
	})

	t.Run("near misses and unknown addresses", func(t *testing.T) {
		doc := s.Get(t, "/kk/almaty/find-school?address="+url.QueryEscape("Абая 99999")).Doc(t)
		links := doc.Find(".near-misses a")
		if links.Length() == 0 {
			t.Fatal("no near misses for a number not on the street")
		}
		href, _ := links.First().Attr("href")
		if !strings.HasPrefix(href, "/kk/almaty/find-school?address=") {
			t.Errorf("near miss link %q", href)
		}

		// Each near miss, followed in any language, finds its building.
		for _, lang := range []string{"kk", "ru", "en"} {
			doc := s.Get(t, "/"+lang+"/almaty/find-school?address="+url.QueryEscape("Абая 99999")).Doc(t)
			doc.Find(".near-misses a").Each(func(_ int, a *goquery.Selection) {
				href, _ := a.Attr("href")
				if got := s.Get(t, href).Doc(t); got.Find(".answer h2#answer-title").Text() != a.Text() {
					t.Errorf("%s: near miss %q leads to %q", lang, a.Text(), got.Find(".answer h2").Text())
				}
			})
		}

		resp := s.Get(t, "/en/almaty/find-school?address=Qwertyuiop+1")
		doc = resp.Doc(t)
		if resp.Status != http.StatusOK || doc.Find(".near-misses").Length() != 0 || !strings.Contains(text(doc, ".answer"), "Qwertyuiop 1") {
			t.Errorf("unknown address: status %d, answer %q", resp.Status, text(doc, ".answer"))
		}

		// An Almaty address asked in Astana is not found there.
		doc = s.Get(t, "/ru/astana/find-school?address="+url.QueryEscape(served.query["ru"])).Doc(t)
		if doc.Find(".serving-school").Length() != 0 {
			t.Error("an Almaty address found a school in Astana")
		}
	})

	t.Run("bad input", func(t *testing.T) {
		long := strings.Repeat("Абая ", 1000)
		resp := s.Get(t, "/ru/almaty/find-school?address="+url.QueryEscape(long))
		doc := resp.Doc(t)
		if resp.Status != http.StatusBadRequest || doc.Find("#address-error").Length() != 1 {
			t.Errorf("5,000 characters: status %d, error %q", resp.Status, text(doc, "#address-error"))
		}
		if resp := s.Get(t, "/ru/nowhere/find-school?address=x"); resp.Status != http.StatusNotFound {
			t.Errorf("unknown city: status %d", resp.Status)
		}
	})
}

func TestPlacesAPI(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Cities: demoPlaces()})
	served, unserved := MustPlaceCases(t)
	base := "/api/v1/cities/almaty"

	type apiError struct {
		Error struct {
			Status  int    `json:"status"`
			Message string `json:"message"`
		} `json:"error"`
	}
	errorTests := []struct {
		name, path string
		status     int
	}{
		{"unknown address", base + "/catchment?address=Qwertyuiop+1", 404},
		{"no parameter", base + "/catchment", 400},
		{"both", base + "/catchment?address=x&lat=1&lon=2", 400},
		{"bad lat", base + "/catchment?lat=north&lon=76.9", 400},
		{"lat off the globe", base + "/catchment?lat=123&lon=76.9", 400},
		{"lon missing", base + "/catchment?lat=43.2", 400},
		{"another city's point", base + "/catchment?lat=51.13&lon=71.43", 404},
		{"long address", base + "/catchment?address=" + strings.Repeat("a", 5000), 400},
		{"long query", base + "/addresses?q=" + strings.Repeat("a", 5000), 400},
		{"bad limit", base + "/addresses?q=ab&limit=-3", 400},
		{"bad lang", base + "/addresses?q=ab&lang=de", 400},
		{"unknown city", "/api/v1/cities/nowhere/catchment?address=x", 404},
		{"unknown city's catchments", "/api/v1/cities/nowhere/catchments.geojson", 404},
	}
	for _, tt := range errorTests {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.Get(t, tt.path)
			var body apiError
			if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
				t.Fatalf("body %q: %v", resp.Body, err)
			}
			if resp.Status != tt.status || body.Error.Status != tt.status || body.Error.Message == "" {
				t.Errorf("status %d, body %s; want %d with a message", resp.Status, resp.Body, tt.status)
			}
		})
	}

	t.Run("suggestions", func(t *testing.T) {
		resp := s.Get(t, base+"/addresses?lang=ru&q="+url.QueryEscape("пр. Абая, 1"))
		var got []struct {
			Text       string `json:"text"`
			BuildingID int64  `json:"building_id"`
		}
		if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 || !strings.HasPrefix(got[0].Text, "пр. Абая, 1") || got[0].BuildingID == 0 {
			t.Errorf("suggestions = %+v", got)
		}
		if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Error("no CORS header")
		}
		if resp := s.Get(t, base+"/addresses?q="); resp.Body != "[]\n" {
			t.Errorf("empty query: %q, want []", resp.Body)
		}
	})

	type answer struct {
		Address struct {
			BuildingID  int64 `json:"building_id"`
			CatchmentID int64 `json:"catchment_id"`
		} `json:"address"`
		Year    int `json:"year"`
		Schools []struct {
			ID       int64 `json:"id"`
			Distance int   `json:"distance_m"`
			Serves   bool  `json:"serves"`
		} `json:"schools"`
	}
	t.Run("catchment by address", func(t *testing.T) {
		for lang, q := range served.query {
			resp := s.Get(t, base+"/catchment?lang="+lang+"&address="+url.QueryEscape(q))
			var got answer
			if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
				t.Fatal(err)
			}
			if resp.Status != 200 || len(got.Schools) < 2 || got.Schools[0].ID != served.school || !got.Schools[0].Serves {
				t.Errorf("%s: status %d, %+v; want school %d first", lang, resp.Status, got, served.school)
			}
			if got.Year != demo.CatchmentYear || got.Address.CatchmentID == 0 {
				t.Errorf("%s: year %d, catchment %d", lang, got.Year, got.Address.CatchmentID)
			}
		}
		resp := s.Get(t, base+"/catchment?address="+url.QueryEscape(unserved.query["kk"]))
		var got answer
		if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
			t.Fatal(err)
		}
		if resp.Status != 200 || got.Address.CatchmentID != 0 || len(got.Schools) == 0 || got.Schools[0].Serves {
			t.Errorf("unserved: status %d, %+v", resp.Status, got)
		}
	})

	t.Run("catchment by point and the areas", func(t *testing.T) {
		resp := s.Get(t, base+"/catchments.geojson")
		var fc struct {
			Type     string `json:"type"`
			Features []struct {
				Geometry struct {
					Type        string         `json:"type"`
					Coordinates [][][2]float64 `json:"coordinates"`
				} `json:"geometry"`
				Properties struct {
					SchoolID int64 `json:"school_id"`
				} `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal([]byte(resp.Body), &fc); err != nil {
			t.Fatal(err)
		}
		if fc.Type != "FeatureCollection" || len(fc.Features) != len(demoPlaces()[0].Catchments) {
			t.Fatalf("catchments.geojson: %s with %d features", fc.Type, len(fc.Features))
		}
		f := fc.Features[0]
		ring := f.Geometry.Coordinates[0]
		if diff := cmp.Diff(ring[0], ring[len(ring)-1]); diff != "" || f.Properties.SchoolID == 0 {
			t.Errorf("first feature: ring not closed or no school: %s", diff)
		}

		// A point inside the first area is served by its school.
		var lat, lon float64
		for _, p := range ring[:len(ring)-1] {
			lon += p[0] / float64(len(ring)-1)
			lat += p[1] / float64(len(ring)-1)
		}
		resp = s.Get(t, base+"/catchment?lat="+strconv.FormatFloat(lat, 'f', 6, 64)+"&lon="+strconv.FormatFloat(lon, 'f', 6, 64))
		var got answer
		if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
			t.Fatal(err)
		}
		if resp.Status != 200 || len(got.Schools) == 0 {
			t.Fatalf("by point: status %d, %s", resp.Status, resp.Body)
		}
		if got.Schools[0].Serves && got.Address.CatchmentID == 0 {
			t.Errorf("by point: %+v", got)
		}
	})
}

// TestPlacesAPIEngines checks that the address and catchment API answers
// as documented on SQLite and on PostgreSQL.
func TestPlacesAPIEngines(t *testing.T) {
	astana := demoPlaces()[1]
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.SeedCity(context.Background(), astana); err != nil {
			t.Fatalf("seed: %v", err)
		}
		h, err := web.New(web.Config{Cities: db, Places: catchment.NewFinder(db, demo.Today)})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		defer srv.Close()

		var k catchment.Catchment
		for _, c := range astana.Catchments {
			if len(c.Buildings) > 0 {
				k = c
				break
			}
		}
		var number, street string
		for _, b := range astana.Buildings {
			if b.ID == k.Buildings[0] {
				number = b.Number
				for _, s := range astana.Streets {
					if s.ID == b.StreetID {
						street = s.Name.RU
					}
				}
			}
		}

		base := srv.URL + "/api/v1/cities/astana"
		tests := []struct {
			path   string
			status int
			want   string // a piece of the body
		}{
			{"/addresses?lang=ru&q=" + url.QueryEscape(street), 200, `"street_id"`},
			{"/catchment?address=" + url.QueryEscape(street+" "+number), 200,
				`"catchment_id":` + strconv.FormatInt(k.ID, 10)},
			{"/catchment?lat=51.128&lon=71.43", 200, `"serves"`},
			{"/catchments.geojson", 200, `"school_id":`},
			{"/catchment?address=" + url.QueryEscape("Qwertyuiop 1"), 404, `"error"`},
			{"/catchment?lat=x&lon=y", 400, `"error"`},
		}
		for _, tt := range tests {
			resp, err := http.Get(base + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.want) {
				t.Errorf("GET %s: %d %.200s; want %d with %s", tt.path, resp.StatusCode, body, tt.status, tt.want)
			}
			if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("GET %s: no CORS header", tt.path)
			}
		}
	})
}

// BenchmarkFindSchool measures the find-school page and the suggestion API
// on the full demo city, through HTTP on the loopback.
func BenchmarkFindSchool(b *testing.B) {
	s := webtest.Start(b, webtest.Options{Cities: demoPlaces()})
	served, _ := MustPlaceCases(b)
	paths := map[string]string{
		"page":        "/ru/almaty/find-school?address=" + url.QueryEscape(served.query["ru"]),
		"suggestions": "/api/v1/cities/almaty/addresses?q=" + url.QueryEscape("пр. Абая, 1"),
		"catchment":   "/api/v1/cities/almaty/catchment?address=" + url.QueryEscape(served.query["ru"]),
		"areas":       "/api/v1/cities/almaty/catchments.geojson",
	}
	for name, path := range paths {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				resp, err := http.Get(s.URL + path)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("status %d", resp.StatusCode)
				}
			}
		})
	}
}
