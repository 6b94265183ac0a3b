package web_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/dataset"
	"sakura/internal/web/webtest"
)

func TestAPICities(t *testing.T) {
	s := webtest.Start(t, webtest.Options{})
	resp := s.Get(t, "/api/v1/cities")
	if resp.Status != 200 || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("status %d, %q", resp.Status, resp.Header.Get("Content-Type"))
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("open data not readable by other sites: Access-Control-Allow-Origin %q", got)
	}

	type name struct{ KK, RU, EN string }
	type district struct {
		Slug string
		Name name
	}
	type cityJSON struct {
		Slug      string
		Name      name
		Districts []district
	}
	var got []cityJSON
	if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
		t.Fatal(err)
	}
	want := []cityJSON{
		{"almaty", name{"Алматы", "Алматы", "Almaty"}, []district{
			{"almaly", name{"Алмалы ауданы", "Алмалинский район", "Almaly District"}},
			{"auezov", name{"Әуезов ауданы", "Ауэзовский район", "Auezov District"}},
			{"bostandyk", name{"Бостандық ауданы", "Бостандыкский район", "Bostandyk District"}},
			{"medeu", name{"Медеу ауданы", "Медеуский район", "Medeu District"}},
			{"zhetysu", name{"Жетісу ауданы", "Жетысуский район", "Zhetysu District"}},
		}},
		{"astana", name{"Астана", "Астана", "Astana"}, []district{
			{"almaty", name{"Алматы ауданы", "район Алматы", "Almaty District"}},
			{"yesil", name{"Есіл ауданы", "район Есиль", "Yesil District"}},
		}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cities mismatch (-want +got):\n%s", diff)
	}

	// The JSON keys are exactly the documented ones.
	var raw []map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &raw); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"slug", "name", "districts"} {
		if _, ok := raw[0][key]; !ok {
			t.Errorf("city has no %q key: %v", key, raw[0])
		}
	}
}

func TestAPIEmpty(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Cities: []dataset.City{}})
	if body := s.Get(t, "/api/v1/cities").Body; body != "[]\n" {
		t.Errorf("no cities: body %q, want []", body)
	}
}

func TestAPIErrors(t *testing.T) {
	s := webtest.Start(t, webtest.Options{})
	resp := s.Get(t, "/api/v1/nothing", "Accept-Language", "ru")
	if resp.Status != 404 || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("status %d, %q", resp.Status, resp.Header.Get("Content-Type"))
	}
	var body struct {
		Error struct {
			Status    int    `json:"status"`
			Message   string `json:"message"`
			RequestID string `json:"request_id"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
		t.Fatal(err)
	}
	if body.Error.Status != 404 || body.Error.Message != "Страница не найдена" ||
		body.Error.RequestID != resp.Header.Get("X-Request-Id") {
		t.Errorf("error body %+v", body.Error)
	}
}

func TestOpenAPI(t *testing.T) {
	s := webtest.Start(t, webtest.Options{})
	resp := s.Get(t, "/api/v1/openapi.json")
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(resp.Body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" || len(doc.Paths) == 0 {
		t.Errorf("openapi %q with %d paths", doc.OpenAPI, len(doc.Paths))
	}
	// Each documented GET without parameters answers 200.
	for path, ops := range doc.Paths {
		if _, ok := ops["get"]; ok && !strings.Contains(path, "{") {
			if got := s.Get(t, path).Status; got != 200 {
				t.Errorf("documented GET %s answers %d", path, got)
			}
		}
	}
}
