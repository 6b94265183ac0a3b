package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"sakura/internal/address"
	"sakura/internal/demo"
	"sakura/internal/school"
	"sakura/internal/staff"
	"sakura/internal/web/webtest"
)

// postCatchments sends a catchments file and the school year as the upload
// form does.
func (v *visitor) postCatchments(t *testing.T, lang, year, name string, data []byte) *webtest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField("year", year); err != nil {
		t.Fatal(err)
	}
	w, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, v.s.URL+"/"+lang+"/office/catchments", &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", v.s.URL)
	return v.do(t, req)
}

// catchmentAnswer is what the API answers for an address: the building
// found and the school serving it, 0 for none.
func catchmentAnswer(t *testing.T, s *webtest.Server, query string) (building, serving int64) {
	t.Helper()
	resp := s.Get(t, "/api/v1/cities/almaty/catchment?lang=ru&address="+url.QueryEscape(query))
	var got struct {
		Address struct {
			BuildingID int64 `json:"building_id"`
		} `json:"address"`
		Schools []struct {
			ID     int64 `json:"id"`
			Serves bool  `json:"serves"`
		} `json:"schools"`
	}
	if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
		t.Fatalf("catchment of %q: %d %v", query, resp.Status, err)
	}
	if len(got.Schools) > 0 && got.Schools[0].Serves {
		serving = got.Schools[0].ID
	}
	return got.Address.BuildingID, serving
}

// movedBuilding is a demo building of Almaty that no list names, whose
// area the test moves to another school.
type movedBuilding struct {
	building address.Building
	query    string // its address, in Russian
	from     int64  // the school serving it, 0 for none
	to       school.School
}

// findMovedBuilding picks a building that lies in no building list (the
// demo lists every residential one, so a non-residential one), whose
// address the API resolves to it, and a school with a BIN other than the
// one serving it now.
func findMovedBuilding(t *testing.T, s *webtest.Server) movedBuilding {
	t.Helper()
	d := demoPlaces()[0]
	streets := make(map[int64]address.Street)
	for _, st := range d.Streets {
		streets[st.ID] = st
	}
	listed := make(map[int64]bool)
	for _, c := range d.Catchments {
		for _, b := range c.Buildings {
			listed[b] = true
		}
	}
	inAstana := make(map[string]bool)
	for _, st := range demoPlaces()[1].Streets {
		inAstana[st.Name.KK] = true
	}
	tries := 0
	for _, b := range d.Buildings {
		st := streets[b.StreetID]
		if listed[b.ID] || st.Kind != address.KindStreet || strings.ContainsAny(st.Name.RU+st.Name.KK, ",№") ||
			inAstana[st.Name.KK] {
			continue
		}
		if tries++; tries > 30 {
			break
		}
		q := "ул. " + st.Name.RU + ", д. " + b.Number
		found, serving := catchmentAnswer(t, s, q)
		if found != b.ID {
			continue
		}
		for _, sc := range d.Schools {
			if sc.BIN != "" && sc.ID != serving {
				return movedBuilding{building: b, query: q, from: serving, to: sc}
			}
		}
	}
	t.Fatal("no demo building in no list that the API finds by its address")
	return movedBuilding{}
}

// squareAround is a GeoJSON FeatureCollection of one catchment: a square
// of about 200 m around p, for the school with the BIN.
func squareAround(bin string, lat, lon float64) []byte {
	const d = 0.001
	return fmt.Appendf(nil, `{"type": "FeatureCollection", "features": [{"type": "Feature",
		"properties": {"school_bin": %q},
		"geometry": {"type": "Polygon", "coordinates": [[[%f, %f], [%f, %f], [%f, %f], [%f, %f], [%f, %f]]]}}]}`,
		bin, lon-d, lat-d, lon+d, lat-d, lon+d, lat+d, lon-d, lat+d, lon-d, lat-d)
}

// cityCatchments counts the areas and listed buildings of Almaty's
// catchments in the demo's school year, as the store holds them.
func cityCatchments(t *testing.T, s *webtest.Server) (areas, buildings int) {
	t.Helper()
	cs, err := s.DB.Catchments(context.Background(), "almaty", demo.CatchmentYear)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if len(c.Area) > 0 {
			areas++
		}
		buildings += len(c.Buildings)
	}
	return areas, buildings
}

// catchmentsAudit returns the audit lines of catchments saved.
func catchmentsAudit(t *testing.T, s *webtest.Server) []staff.AuditEntry {
	t.Helper()
	list, _, err := s.DB.OfficeAudit(context.Background(), staff.AuditFilter{Action: "catchments.import"})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestOfficeCatchments: an operator uploads catchments, sees them on the
// map, and saves them; the find-school answers follow at once. Files with
// problems, keys not the operator's and staff of a school are refused.
func TestOfficeCatchments(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces()})
	seedStaff(t, s)
	op := staffVisitor(t, s, demo.StaffPrefix+"operator-almaty")
	year := strconv.Itoa(demo.CatchmentYear)
	d := demoPlaces()[0]

	t.Run("the form in three languages", func(t *testing.T) {
		for _, lang := range []string{"kk", "ru", "en"} {
			resp := op.get(t, "/"+lang+"/office/catchments")
			if resp.Status != http.StatusOK {
				t.Fatalf("%s: status %d", lang, resp.Status)
			}
			checkHTML(t, resp)
			doc := resp.Doc(t)
			f := doc.Find(`form[method="post"][enctype="multipart/form-data"]` +
				`[action="/` + lang + `/office/catchments"]`)
			if f.Find(`input#file[type="file"][name="file"]`).Length() != 1 ||
				f.Find(`select#year[name="year"]`).Length() != 1 {
				t.Errorf("%s: no upload form with a file and a school year", lang)
			}
			if v := f.Find(`select#year option[selected]`).AttrOr("value", ""); v != year {
				t.Errorf("%s: the year chosen is %q, want the one in force, %s", lang, v, year)
			}
			current := `.cabinet-nav a[aria-current="page"][href="/` + lang + `/office/catchments"]`
			if doc.Find(current).Length() != 1 {
				t.Errorf("%s: the navigation does not mark the catchments", lang)
			}
			if doc.Find("#catchments-now tbody tr").Length() != 2 {
				t.Errorf("%s: the city's catchments now are not listed by year", lang)
			}
			if doc.Find("code:contains('school_bin')").Length() == 0 ||
				doc.Find("code:contains('building_code')").Length() == 0 {
				t.Errorf("%s: the formats' columns are not explained", lang)
			}
			if strings.Contains(resp.Body, "office.catchments.") {
				t.Errorf("%s: a message key shows instead of its text", lang)
			}
		}
		// The languages differ: the heading is translated.
		h := map[string]bool{}
		for _, lang := range []string{"kk", "ru", "en"} {
			h[text(op.get(t, "/"+lang+"/office/catchments").Doc(t), "h1")] = true
		}
		if len(h) != 3 {
			t.Errorf("headings %v, want one per language", h)
		}
	})

	mv := findMovedBuilding(t, s)
	geojson := squareAround(mv.to.BIN, mv.building.Location.Lat, mv.building.Location.Lon)
	areasBefore, listedBefore := cityCatchments(t, s)

	var key string
	t.Run("a GeoJSON file is shown, not saved", func(t *testing.T) {
		resp := op.postCatchments(t, "en", year, "areas.geojson", geojson)
		if resp.Status != http.StatusOK {
			t.Fatalf("status %d: %.500s", resp.Status, resp.Body)
		}
		checkHTML(t, resp)
		if strings.Contains(resp.Body, "office.catchments.") {
			t.Error("a message key shows instead of its text")
		}
		doc := resp.Doc(t)
		m := doc.Find(`#catchments-map.map.js-map[role="region"][aria-label][data-geojson]`)
		if m.Length() != 1 || doc.Find(`script[src*="map"]`).Length() == 0 {
			t.Fatal("no map of the upload with its scripts")
		}
		var fc struct {
			Type     string `json:"type"`
			Features []struct {
				Geometry struct {
					Type string `json:"type"`
				} `json:"geometry"`
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal([]byte(m.AttrOr("data-geojson", "")), &fc); err != nil {
			t.Fatalf("map data: %v", err)
		}
		polygons := 0
		for _, f := range fc.Features {
			if f.Geometry.Type == "Polygon" && f.Properties["kind"] == "catchment" &&
				f.Properties["name"] == mv.to.Name.EN {
				polygons++
			}
		}
		if fc.Type != "FeatureCollection" || polygons != 1 {
			t.Errorf("map data %+v, want the one area of %s", fc, mv.to.Name.EN)
		}

		row := doc.Find(`#catchments-schools tbody tr[data-bin="` + mv.to.BIN + `"]`)
		if row.Length() != 1 || strings.TrimSpace(row.Find("th").Text()) != mv.to.Name.EN ||
			strings.TrimSpace(row.Find("td").Eq(1).Text()) != "1" {
			t.Errorf("no table row of the school with its one area: %q", row.Text())
		}
		// Every school whose area goes is listed too; the demo's keep their
		// building lists.
		if n := doc.Find("#catchments-schools tbody tr").Length(); n != areasBefore {
			t.Errorf("%d rows, want %d: the school of the file and every school with an area", n, areasBefore)
		}
		if doc.Find("#catchments-replaces").Length() != 1 || doc.Find("#catchments-removed").Length() != 0 {
			t.Error("what saving replaces is not said, or catchments are said to go that keep their lists")
		}

		save := doc.Find(`form[method="post"][action="/en/office/catchments/save"]`)
		key = save.Find(`input[type="hidden"][name="upload"]`).AttrOr("value", "")
		if len(key) != 32 || save.Find(`input[type="hidden"][name="year"]`).AttrOr("value", "") != year ||
			save.Find(`button[type="submit"]`).Length() != 1 {
			t.Fatalf("no Save form with the upload's key and year: %q", key)
		}

		if _, serving := catchmentAnswer(t, s, mv.query); serving != mv.from {
			t.Errorf("before saving, the building is served by %d, want still %d", serving, mv.from)
		}
		if a, b := cityCatchments(t, s); a != areasBefore || b != listedBefore {
			t.Errorf("the preview wrote: %d areas and %d buildings, were %d and %d",
				a, b, areasBefore, listedBefore)
		}
		if n := len(catchmentsAudit(t, s)); n != 0 {
			t.Errorf("%d audit lines before saving", n)
		}
	})
	if key == "" {
		t.FailNow()
	}

	astana := staffVisitor(t, s, demo.StaffPrefix+"operator-astana")
	t.Run("keys not the operator's import nothing", func(t *testing.T) {
		tests := []struct {
			name string
			v    *visitor
			form url.Values
		}{
			{"forged key", op, url.Values{"upload": {"0123456789abcdef0123456789abcdef"}, "year": {year}}},
			{"not a key", op, url.Values{"upload": {"../../etc/passwd"}, "year": {year}}},
			{"no key", op, url.Values{"year": {year}}},
			{"another year", op, url.Values{"upload": {key}, "year": {strconv.Itoa(demo.CatchmentYear + 1)}}},
			{"another operator's key", astana, url.Values{"upload": {key}, "year": {year}}},
		}
		for _, tt := range tests {
			if resp := tt.v.post(t, "/en/office/catchments/save", tt.form); resp.Status != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", tt.name, resp.Status)
			}
		}
		if a, b := cityCatchments(t, s); a != areasBefore || b != listedBefore {
			t.Errorf("a refused key wrote: %d areas and %d buildings", a, b)
		}
		if _, serving := catchmentAnswer(t, s, mv.query); serving != mv.from {
			t.Errorf("after refused keys, the building is served by %d, want still %d", serving, mv.from)
		}
	})

	t.Run("saving writes, audits and answers at once", func(t *testing.T) {
		resp := op.post(t, "/en/office/catchments/save", url.Values{"upload": {key}, "year": {year}})
		wantRedirect(t, resp, "/en/office/catchments?done=catchments")
		doc := op.get(t, resp.Header.Get("Location")).Doc(t)
		if got := text(doc, ".flash"); got != "The catchments are saved." {
			t.Errorf("flash %q", got)
		}

		if _, serving := catchmentAnswer(t, s, mv.query); serving != mv.to.ID {
			t.Errorf("after saving, the building is served by %d, want %d", serving, mv.to.ID)
		}
		page := s.Get(t, "/ru/almaty/find-school?address="+url.QueryEscape(mv.query)).Doc(t)
		want := "/ru/almaty/schools/" + strconv.FormatInt(mv.to.ID, 10)
		if href := page.Find(".serving-school a").AttrOr("href", ""); href != want {
			t.Errorf("the find-school page links %q, want %q", href, want)
		}
		if a, b := cityCatchments(t, s); a != 1 || b != listedBefore {
			t.Errorf("after saving: %d areas and %d listed buildings, want 1 and the %d kept",
				a, b, listedBefore)
		}

		list := catchmentsAudit(t, s)
		if len(list) != 1 {
			t.Fatalf("%d audit lines, want 1", len(list))
		}
		e := list[0]
		var after map[string]int
		if err := json.Unmarshal([]byte(e.After), &after); err != nil {
			t.Fatalf("audit after %q: %v", e.After, err)
		}
		if e.Object != "city:almaty" || e.City != "almaty" || e.UserID == 0 || e.Actor == "" ||
			after["year"] != demo.CatchmentYear || after["schools"] != 1 || after["buildings"] != 0 ||
			after["areas"] != 1 {
			t.Errorf("audit line %+v", e)
		}
		var before map[string]int
		if err := json.Unmarshal([]byte(e.Before), &before); err != nil || before["areas"] != areasBefore {
			t.Errorf("audit before %q, want the %d areas there were", e.Before, areasBefore)
		}

		// The upload is gone: the same form again is not found.
		resp = op.post(t, "/en/office/catchments/save", url.Values{"upload": {key}, "year": {year}})
		if resp.Status != http.StatusNotFound {
			t.Errorf("saving the same upload again: status %d, want 404", resp.Status)
		}
	})

	// A listed building and a school with a BIN, for the CSV files.
	listSchool := d.Schools[0]
	building := d.Buildings[0]
	for _, c := range d.Catchments {
		if len(c.Buildings) > 0 {
			for _, b := range d.Buildings {
				if b.ID == c.Buildings[0] {
					building = b
				}
			}
			break
		}
	}
	for _, sc := range d.Schools {
		if sc.BIN != "" {
			listSchool = sc
			break
		}
	}

	t.Run("a CSV file is shown by building", func(t *testing.T) {
		csv := "school_bin;building_code\n" + listSchool.BIN + ";" + building.Code + "\n"
		resp := op.postCatchments(t, "ru", year, "дома.csv", []byte(csv))
		if resp.Status != http.StatusOK {
			t.Fatalf("status %d: %.500s", resp.Status, resp.Body)
		}
		checkHTML(t, resp)
		if strings.Contains(resp.Body, "office.catchments.") {
			t.Error("a message key shows instead of its text")
		}
		doc := resp.Doc(t)
		m := doc.Find(`#catchments-map.js-map[data-cluster][data-geojson]`)
		var fc struct {
			Features []struct {
				Geometry struct {
					Type        string    `json:"type"`
					Coordinates []float64 `json:"coordinates"`
				} `json:"geometry"`
			} `json:"features"`
		}
		if err := json.Unmarshal([]byte(m.AttrOr("data-geojson", "")), &fc); err != nil {
			t.Fatalf("map data: %v", err)
		}
		if len(fc.Features) != 1 || fc.Features[0].Geometry.Type != "Point" ||
			fc.Features[0].Geometry.Coordinates[1] != building.Location.Lat {
			t.Errorf("map data %+v, want the one building", fc)
		}
		row := doc.Find(`#catchments-schools tbody tr[data-bin="` + listSchool.BIN + `"]`)
		if row.Length() != 1 || strings.TrimSpace(row.Find("td").Eq(1).Text()) != "1" {
			t.Errorf("no row of the school with its one building: %q", row.Text())
		}
		// Every other list goes, and with it the catchments that had no
		// area (all but the one saved above).
		if doc.Find("#catchments-removed").Length() != 1 ||
			doc.Find("#catchments-schools tr.removed").Length() == 0 {
			t.Error("the catchments saving removes are not named")
		}
		if _, b := cityCatchments(t, s); b != listedBefore {
			t.Errorf("the preview wrote: %d listed buildings, were %d", b, listedBefore)
		}
	})

	t.Run("files with problems are refused next to the field", func(t *testing.T) {
		bad := "school_bin,building_code\n" + listSchool.BIN + "," + building.Code + "\n" +
			listSchool.BIN + ",NO-SUCH-CODE\n"
		resp := op.postCatchments(t, "en", year, "catchments.csv", []byte(bad))
		if resp.Status != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", resp.Status)
		}
		checkHTML(t, resp)
		doc := resp.Doc(t)
		if doc.Find(`.error-summary a[href="#file"]`).Length() != 1 || text(doc, "#file-error") == "" {
			t.Error("no message next to the file field, or no summary linking to it")
		}
		if !strings.Contains(doc.Find("#file").AttrOr("aria-describedby", ""), "file-error") {
			t.Error("the file field is not described by its message")
		}
		problems := doc.Find("#file-problems li")
		if problems.Length() != 1 || !strings.HasPrefix(text(doc, "#file-problems li"), "catchments.csv:3: ") ||
			!strings.Contains(problems.Text(), "NO-SUCH-CODE") {
			t.Errorf("problems %q, want the importer's message on line 3", problems.Text())
		}
		if _, b := cityCatchments(t, s); b != listedBefore {
			t.Errorf("a file with problems wrote: %d listed buildings, were %d", b, listedBefore)
		}

		for _, tt := range []struct {
			name, lang, year, file string
			data                   []byte
			field, want            string
		}{
			{"a picture", "ru", year, "map.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"),
				"file", "не GeoJSON"},
			{"a spreadsheet", "kk", year, "book.xlsx", []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"),
				"file", "GeoJSON да"},
			{"a JSON array", "en", year, "schools.json", []byte(`[{"registry_id": "1"}]`),
				"file", "neither GeoJSON nor CSV"},
			{"an empty file", "en", year, "empty.csv", []byte(" \n"), "file", "empty"},
			{"a header alone", "en", year, "header.csv", []byte("school_bin,building_code\n"),
				"file", "no rows"},
			{"too large", "en", year, "big.csv", bytes.Repeat([]byte("a"), 20<<20+1), "file", "20 MB"},
			{"far too large", "en", year, "huge.csv", bytes.Repeat([]byte("a"), 22<<20), "file", "20 MB"},
			{"a past year", "en", "1999", "catchments.csv", []byte("school_bin,building_code\n"),
				"year", "school year"},
		} {
			resp := op.postCatchments(t, tt.lang, tt.year, tt.file, tt.data)
			doc := resp.Doc(t)
			got := text(doc, "#"+tt.field+"-error")
			if resp.Status != http.StatusBadRequest || !strings.Contains(got, tt.want) {
				t.Errorf("%s: status %d, message %q; want 400 with %q", tt.name, resp.Status, got, tt.want)
			}
		}
		if n := len(catchmentsAudit(t, s)); n != 1 {
			t.Errorf("%d audit lines, want the one save", n)
		}
	})

	t.Run("school staff may not", func(t *testing.T) {
		v := staffVisitor(t, s, schoolLogin(d.Schools[0].ID))
		if resp := v.get(t, "/en/office/catchments"); resp.Status != http.StatusForbidden {
			t.Errorf("form: status %d", resp.Status)
		}
		resp := v.postCatchments(t, "en", year, "areas.geojson", geojson)
		if resp.Status != http.StatusForbidden {
			t.Errorf("preview: status %d", resp.Status)
		}
		resp = v.post(t, "/en/office/catchments/save", url.Values{"upload": {key}, "year": {year}})
		if resp.Status != http.StatusForbidden {
			t.Errorf("save: status %d", resp.Status)
		}
	})
}
