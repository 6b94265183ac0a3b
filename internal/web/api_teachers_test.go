package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/store"
	"sakura/internal/store/storetest"
	"sakura/internal/teacher"
	"sakura/internal/web"
	"sakura/internal/web/webtest"
)

// startTeachersAPI serves the portal over db, seeded with the teacher test
// cities, and returns its base URL.
func startTeachersAPI(t *testing.T, db *store.DB) string {
	t.Helper()
	for _, c := range webtest.TeacherCities() {
		if err := db.SeedCity(context.Background(), c); err != nil {
			t.Fatalf("seed %s: %v", c.City.Slug, err)
		}
	}
	h, err := web.New(web.Config{Cities: db, Teachers: teacher.NewIndex(db)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func mustGetJSON(t *testing.T, url string, v any) *http.Response {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET %s: Content-Type %q", url, resp.Header.Get("Content-Type"))
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v in %s", url, err, body)
	}
	return resp
}

type apiTeacherItem struct {
	ID      int64    `json:"id"`
	Surname string   `json:"surname"`
	Rating  *float64 `json:"rating"`
	School  struct {
		ID     int64 `json:"id"`
		Number int   `json:"number"`
	} `json:"school"`
	Indicators []struct {
		Code         string   `json:"code"`
		Value        *float64 `json:"value"`
		Observations int      `json:"observations"`
	} `json:"indicators"`
}

type apiTeacherPage struct {
	Total           int              `json:"total"`
	MinObservations int              `json:"min_observations"`
	Items           []apiTeacherItem `json:"items"`
}

func TestAPITeachers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		base := startTeachersAPI(t, db) + "/api/v1/cities/"

		tests := []struct {
			query string
			total int
			ids   []int64
		}{
			{"almaty/teachers", 6, []int64{101, 102, 103, 106, 104, 105}},
			{"almaty/teachers?school=12&sort=name", 3, []int64{105, 103, 106}},
			{"almaty/teachers?category=expert", 1, []int64{101}},
			{"almaty/teachers?q=%D0%B5%D0%BB%D0%B5%D0%BD%D0%B0", 1, []int64{103}}, // елена
			{"almaty/teachers?language=kk&per_page=2&page=2", 3, []int64{104}},
			{"astana/teachers", 1, []int64{1000101}},
		}
		for _, tt := range tests {
			var got apiTeacherPage
			resp := mustGetJSON(t, base+tt.query, &got)
			if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("%s: status %d, CORS %q", tt.query, resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
			}
			var ids []int64
			for _, it := range got.Items {
				ids = append(ids, it.ID)
			}
			if got.Total != tt.total || !cmp.Equal(ids, tt.ids) {
				t.Errorf("%s: total %d, ids %v; want %d, %v", tt.query, got.Total, ids, tt.total, tt.ids)
			}
		}

		// Figures on too few observations are null.
		var thin apiTeacherPage
		mustGetJSON(t, base+"almaty/teachers?q=%D0%94%D0%B0%D0%BD%D0%B0", &thin) // Дана
		if len(thin.Items) != 1 || thin.Items[0].Rating != nil || thin.MinObservations != teacher.MinObservations {
			t.Fatalf("thin rating: %+v", thin)
		}
		for _, ind := range thin.Items[0].Indicators {
			if shown := ind.Value != nil; shown != (ind.Observations >= teacher.MinObservations) {
				t.Errorf("%s on %d observations: value shown %v", ind.Code, ind.Observations, shown)
			}
		}
		var full apiTeacherPage
		mustGetJSON(t, base+"almaty/teachers?category=expert", &full)
		if r := full.Items[0].Rating; r == nil || *r != 92.5 || full.Items[0].School.Number != 12 {
			t.Errorf("rated teacher: %+v", full.Items[0])
		}

		// Bad input: a JSON error, never a 500.
		for _, q := range []string{
			"almaty/teachers?school=x",
			"almaty/teachers?category=boss",
			"almaty/teachers?sort=salary",
			"almaty/teachers?per_page=1000",
			"almaty/teachers?page=0",
			"almaty/teachers?exp_min=-3",
			"almaty/teachers?q=" + strings.Repeat("a", 5000),
		} {
			var e struct {
				Error struct {
					Status  int    `json:"status"`
					Message string `json:"message"`
				} `json:"error"`
			}
			resp := mustGetJSON(t, base+q, &e)
			if resp.StatusCode != 400 || e.Error.Status != 400 || e.Error.Message == "" {
				t.Errorf("%.60s: status %d, error %+v", q, resp.StatusCode, e.Error)
			}
		}
		var e struct {
			Error struct{ Status int } `json:"error"`
		}
		if resp := mustGetJSON(t, base+"shymkent/teachers", &e); resp.StatusCode != 404 {
			t.Errorf("unknown city: status %d", resp.StatusCode)
		}
	})
}
