package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"sakura/internal/catchment"
	"sakura/internal/dataset"
	"sakura/internal/demo"
	"sakura/internal/i18n"
	"sakura/internal/school"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
	"sakura/internal/web"
	"sakura/internal/web/webtest"
)

var (
	demoOnce   sync.Once
	demoCities []dataset.City
)

// demoData returns the demo cities, made once for the package's tests.
func demoData() []dataset.City {
	demoOnce.Do(func() { demoCities = demo.Cities() })
	return demoCities
}

// externalLink matches a link that says it leaves the portal.
var externalLink = regexp.MustCompile(`<a href="https?://[^"]*" rel="external[^"]*">`)

func idText(n int64) string { return strconv.FormatInt(n, 10) }

// startDemo runs the portal on the full demo cities.
func startDemo(tb testing.TB) *webtest.Server {
	tb.Helper()
	return webtest.Start(tb, webtest.Options{Cities: demoData()})
}

// countAlmaty returns the Almaty demo schools keep holds.
func countAlmaty(keep func(s school.School) bool) int {
	n := 0
	for _, s := range demoData()[0].Schools {
		if keep(s) {
			n++
		}
	}
	return n
}

// TestSchools runs the school pages on one portal over the demo cities.
func TestSchools(t *testing.T) {
	s := startDemo(t)
	t.Run("registry", func(t *testing.T) { checkSchoolPages(t, s) })
	t.Run("registry form", func(t *testing.T) { checkSchoolRegistryForm(t, s) })
	t.Run("passport", func(t *testing.T) { checkSchoolPassport(t, s) })
	t.Run("map", func(t *testing.T) { checkSchoolMapPage(t, s) })
	for _, lang := range []string{"kk", "ru", "en"} {
		for _, path := range []string{
			"/" + lang + "/almaty/schools",
			"/" + lang + "/almaty/schools?q=Hogwarts&language=en",
			"/" + lang + "/almaty/schools?per_page=1000&sort=x",
			"/" + lang + "/almaty/schools/" + idText(demoData()[0].Schools[0].ID),
			"/" + lang + "/astana/schools/" + idText(demoData()[1].Schools[5].ID),
			"/" + lang + "/almaty/map?district=medeu",
		} {
			t.Run("valid HTML "+path, func(t *testing.T) {
				// The school's own site is the one link meant to leave the
				// portal; it says so with rel="external", and checkHTML,
				// which forbids links to other sites, does not see it.
				resp := s.Get(t, path)
				resp.Body = externalLink.ReplaceAllString(resp.Body, `<a href="/">`)
				checkHTML(t, resp)
			})
		}
	}
}

func checkSchoolPages(t *testing.T, s *webtest.Server) {
	cat := MustCatalog(t)
	almaty := demoData()[0].Schools
	kkGymMedeu := countAlmaty(func(s school.School) bool {
		return slices.Contains(s.Languages, i18n.KK) && s.Type == school.Gymnasium && s.District == "medeu"
	})

	tests := []struct {
		path   string
		status int
		count  int // the result count the heading states; -1 to skip
		cards  int // schools listed; -1 to skip
	}{
		{"/kk/almaty/schools", 200, len(almaty), school.DefaultPerPage},
		{"/ru/almaty/schools?language=kk&type=gymnasium&district=medeu", 200, kkGymMedeu, min(kkGymMedeu, 20)},
		{"/en/almaty/schools?q=12", 200, 1, 1},
		{"/en/almaty/schools?per_page=100&page=2", 200, len(almaty), min(100, len(almaty)-100)},
		{"/ru/almaty/schools?q=Хогвартс", 200, 0, 0},
		{"/ru/almaty/schools?page=999", 200, len(almaty), 0},
		{"/kk/almaty/map?type=lyceum", 200, countAlmaty(func(s school.School) bool { return s.Type == school.Lyceum }), -1},
		{"/kk/almaty/schools?language=de&page=x", 400, len(almaty), school.DefaultPerPage},
		{"/ru/almaty/schools?q=" + strings.Repeat("а", 5000), 400, len(almaty), school.DefaultPerPage},
		{"/en/almaty/map?district=nowhere", 400, len(almaty), -1},
	}
	for _, tt := range tests {
		name := tt.path
		if len(name) > 80 {
			name = name[:80]
		}
		t.Run(name, func(t *testing.T) {
			resp := s.Get(t, tt.path)
			if resp.Status != tt.status {
				t.Fatalf("status %d, want %d", resp.Status, tt.status)
			}
			doc := resp.Doc(t)
			lang := i18n.Lang(strings.Split(tt.path, "/")[1])
			if got, want := text(doc, ".results-count"), cat.Translator(lang).N("schools.found", tt.count); got != want {
				t.Errorf("count %q, want %q", got, want)
			}
			if tt.cards >= 0 {
				if got := doc.Find(".school-card").Length(); got != tt.cards {
					t.Errorf("%d cards, want %d", got, tt.cards)
				}
			}
			if tt.status == 400 && doc.Find(".field-error").Length() == 0 {
				t.Error("no message next to the bad field")
			}
		})
	}
}

func checkSchoolRegistryForm(t *testing.T, s *webtest.Server) {

	// The form keeps the search, and the pager keeps the filters.
	doc := s.Get(t, "/ru/almaty/schools?language=ru&sort=name&q=школа").Doc(t)
	if v, _ := doc.Find("#f-language option[selected]").Attr("value"); v != "ru" {
		t.Errorf("language kept as %q", v)
	}
	if v, _ := doc.Find("#f-sort option[selected]").Attr("value"); v != "name" {
		t.Errorf("sort kept as %q", v)
	}
	if v, _ := doc.Find("#f-q").Attr("value"); v != "школа" {
		t.Errorf("query kept as %q", v)
	}
	next, ok := doc.Find(`.pager a[rel="next"]`).Attr("href")
	if !ok {
		t.Fatal("no next page link")
	}
	u, _ := url.Parse(next)
	want := url.Values{"language": {"ru"}, "sort": {"name"}, "q": {"школа"}, "page": {"2"}}
	if diff := cmp.Diff(want, u.Query()); diff != "" {
		t.Errorf("next page query mismatch (-want +got):\n%s", diff)
	}

	// An empty result offers a link per filter that drops it.
	doc = s.Get(t, "/en/almaty/schools?q=Hogwarts&type=lyceum&ownership=private").Doc(t)
	var relax []string
	doc.Find(".relax a").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		relax = append(relax, href)
	})
	wantRelax := []string{
		"/en/almaty/schools?ownership=private&type=lyceum",
		"/en/almaty/schools?ownership=private&q=Hogwarts",
		"/en/almaty/schools?q=Hogwarts&type=lyceum",
	}
	if diff := cmp.Diff(wantRelax, relax); diff != "" {
		t.Errorf("relax links mismatch (-want +got):\n%s", diff)
	}
}

func checkSchoolPassport(t *testing.T, s *webtest.Server) {
	cat := MustCatalog(t)

	// The first Almaty school with a catchment, teachers and grade 10.
	d := demoData()[0]
	var x school.School
	for _, sc := range d.Schools {
		if sc.Grade10Classes > 0 && slices.ContainsFunc(d.Catchments, func(c catchment.Catchment) bool { return c.SchoolID == sc.ID }) {
			x = sc
			break
		}
	}
	path := "/ru/almaty/schools/" + idText(x.ID)
	resp := s.Get(t, path)
	if resp.Status != 200 {
		t.Fatalf("GET %s: %d", path, resp.Status)
	}
	doc := resp.Doc(t)
	ru := cat.Translator(i18n.RU)
	if got := text(doc, "h1"); got != x.Name.RU {
		t.Errorf("h1 %q, want %q", got, x.Name.RU)
	}
	seats := doc.Find("table.seats tbody tr")
	if seats.Length() != 2 {
		t.Fatalf("%d seat rows, want 2", seats.Length())
	}
	wantRow := []string{ru.T("school.seats.grade1"), idText(int64(x.Grade1Classes * 25)), "0",
		idText(int64(x.Grade1Classes * 25))}
	var row []string
	seats.First().Children().Each(func(_ int, c *goquery.Selection) { row = append(row, c.Text()) })
	if diff := cmp.Diff(wantRow, row); diff != "" {
		t.Errorf("grade-1 seats mismatch (-want +got):\n%s", diff)
	}
	if doc.Find(".catchment-streets li").Length() == 0 {
		t.Error("no catchment streets")
	}
	if _, ok := doc.Find(".js-map").Attr("data-geojson"); !ok {
		t.Error("no map data")
	}
	if href, _ := doc.Find(`a[href^="tel:"]`).Attr("href"); !strings.HasPrefix(href, "tel:+7") {
		t.Errorf("phone link %q", href)
	}
	doc.Find("table.teachers a").Each(func(_ int, a *goquery.Selection) {
		if href, _ := a.Attr("href"); !strings.HasPrefix(href, "/ru/almaty/teachers/") {
			t.Errorf("teacher link %q", href)
		}
	})

	// Unknown, malformed and another city's ids are not found, in the page's language.
	astanaID := demoData()[1].Schools[0].ID
	for _, p := range []string{"/kk/almaty/schools/999999", "/kk/almaty/schools/abc", "/kk/almaty/schools/-1",
		"/kk/almaty/schools/" + idText(astanaID)} {
		resp := s.Get(t, p)
		if resp.Status != 404 {
			t.Errorf("GET %s: %d, want 404", p, resp.Status)
		}
		if got, want := text(resp.Doc(t), "h1"), cat.Translator(i18n.KK).T("error.not_found.title"); got != want {
			t.Errorf("GET %s: h1 %q, want %q", p, got, want)
		}
	}
}

func checkSchoolMapPage(t *testing.T, s *webtest.Server) {
	doc := s.Get(t, "/en/almaty/map?language=ru&type=lyceum").Doc(t)
	m := doc.Find(".js-map")
	if _, ok := m.Attr("data-cluster"); !ok {
		t.Error("the map does not cluster")
	}
	src, _ := m.Attr("data-geojson-url")
	if src != "/api/v1/cities/almaty/schools.geojson?lang=en&language=ru&type=lyceum" {
		t.Errorf("data-geojson-url %q", src)
	}
	want := countAlmaty(func(s school.School) bool { return s.Type == school.Lyceum && slices.Contains(s.Languages, i18n.RU) })
	if got := doc.Find(".map-list li a").Length(); got != want {
		t.Errorf("%d schools listed, want %d", got, want)
	}

	// The map's data answers with the same schools.
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	resp := s.Get(t, src)
	if err := json.Unmarshal([]byte(resp.Body), &fc); err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != want {
		t.Errorf("%d features, want %d", len(fc.Features), want)
	}
}

// newAPIServer runs the portal over db, for the API on both engines.
func newAPIServer(t *testing.T, db *store.DB) *httptest.Server {
	t.Helper()
	h, err := web.New(web.Config{
		Cities:  db,
		Schools: school.NewService(db, demo.Today),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func getSchoolsJSON(t *testing.T, url string, v any) *http.Response {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
	}
	return resp
}

func TestSchoolsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := demoData()[0]
		if err := db.SeedCity(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		srv := newAPIServer(t, db)
		base := srv.URL + "/api/v1/cities/almaty"

		// The list, as DESIGN §5 has it.
		var list struct {
			Total int `json:"total"`
			Items []map[string]any
		}
		resp := getSchoolsJSON(t, base+"/schools?language=kk&type=gymnasium&per_page=5", &list)
		if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("status %d, CORS %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
		}
		want := countAlmaty(func(s school.School) bool {
			return s.Type == school.Gymnasium && slices.Contains(s.Languages, i18n.KK)
		})
		if list.Total != want || len(list.Items) != min(5, want) {
			t.Errorf("total %d with %d items, want %d", list.Total, len(list.Items), want)
		}
		var keys []string
		for k := range list.Items[0] {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		wantKeys := []string{"address", "bin", "district", "id", "languages", "location", "name", "number", "ownership", "type"}
		if diff := cmp.Diff(wantKeys, keys); diff != "" {
			t.Errorf("item keys mismatch (-want +got):\n%s", diff)
		}

		// The passport, with seats.
		x := d.Schools[0]
		var pp struct {
			ID    int64 `json:"id"`
			Seats struct {
				Grade1 school.Seats `json:"grade1"`
			} `json:"seats"`
		}
		if resp := getSchoolsJSON(t, base+"/schools/"+idText(x.ID), &pp); resp.StatusCode != 200 {
			t.Fatalf("passport: %d", resp.StatusCode)
		}
		if pp.ID != x.ID || pp.Seats.Grade1 != school.NewSeats(x.Grade1Classes, 25, 0) {
			t.Errorf("passport %+v", pp)
		}

		// GeoJSON and CSV of the whole city.
		var fc struct {
			Type     string `json:"type"`
			Features []struct {
				Geometry struct {
					Type        string    `json:"type"`
					Coordinates []float64 `json:"coordinates"`
				} `json:"geometry"`
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		resp = getSchoolsJSON(t, base+"/schools.geojson?lang=ru", &fc)
		if ct := resp.Header.Get("Content-Type"); ct != "application/geo+json; charset=utf-8" {
			t.Errorf("geojson Content-Type %q", ct)
		}
		if len(fc.Features) != len(d.Schools) {
			t.Errorf("%d features, want %d", len(fc.Features), len(d.Schools))
		}
		f0 := fc.Features[0]
		if f0.Geometry.Type != "Point" || f0.Properties["kind"] != "school" ||
			!strings.HasPrefix(f0.Properties["url"].(string), "/ru/almaty/schools/") {
			t.Errorf("feature %+v", f0)
		}

		resp, err := http.Get(base + "/schools.csv")
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(resp.Body).ReadAll()
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(d.Schools)+1 || rows[0][0] != "id" {
			t.Errorf("%d CSV rows, header %v", len(rows), rows[0][:3])
		}

		// Bad input: JSON errors, never a 500.
		for _, tt := range []struct {
			path   string
			status int
		}{
			{"/schools?per_page=0", 400},
			{"/schools?page=x", 400},
			{"/schools?language=xx", 400},
			{"/schools?district=atlantis", 400},
			{"/schools?q=" + strings.Repeat("ж", 5000), 400},
			{"/schools.geojson?lang=de", 400},
			{"/schools/0", 404},
			{"/schools/99999999", 404},
			{"/schools/" + idText(demoData()[1].Schools[0].ID), 404},
		} {
			var body struct {
				Error struct {
					Status  int    `json:"status"`
					Message string `json:"message"`
				} `json:"error"`
			}
			resp := getSchoolsJSON(t, base+tt.path, &body)
			if resp.StatusCode != tt.status || body.Error.Status != tt.status || body.Error.Message == "" {
				t.Errorf("GET %s: %d %+v, want %d with a message", tt.path, resp.StatusCode, body, tt.status)
			}
		}
		if resp := getSchoolsJSON(t, srv.URL+"/api/v1/cities/atlantis/schools", nil); resp.StatusCode != 404 {
			t.Errorf("unknown city: %d", resp.StatusCode)
		}
	})
}
