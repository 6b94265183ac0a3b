package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"sakura/internal/demo"
	"sakura/internal/school"
	"sakura/internal/store/storetest"
	"sakura/internal/web"
)

// benchHandler is the real portal over a SQLite store seeded with the full
// demo cities, its school registry loaded.
func benchHandler(b *testing.B) http.Handler {
	b.Helper()
	db := storetest.SQLite(b)
	for _, c := range demoData() {
		if err := db.SeedCity(context.Background(), c); err != nil {
			b.Fatal(err)
		}
	}
	reg := school.NewService(db, demo.Today)
	for _, c := range demoData() {
		if err := reg.Warm(context.Background(), c.City.Slug); err != nil {
			b.Fatal(err)
		}
	}
	h, err := web.New(web.Config{Cities: db, Schools: reg})
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// BenchmarkSchoolPages measures the server time of the registry, a
// passport, the map page and schools.geojson on the full demo city. The
// targets: pages under 5 ms, the whole city's GeoJSON under 20 ms.
func BenchmarkSchoolPages(b *testing.B) {
	h := benchHandler(b)
	id := idText(demoData()[0].Schools[0].ID)
	for _, bb := range []struct{ name, path string }{
		{"registry", "/ru/almaty/schools"},
		{"registry filtered", "/kk/almaty/schools?language=kk&type=gymnasium&district=medeu&sort=name"},
		{"registry search", "/ru/almaty/schools?q=Абая"},
		{"passport", "/ru/almaty/schools/" + id},
		{"map", "/ru/almaty/map"},
		{"api list", "/api/v1/cities/almaty/schools?per_page=100"},
		{"api passport", "/api/v1/cities/almaty/schools/" + id},
		{"geojson", "/api/v1/cities/almaty/schools.geojson"},
		{"csv", "/api/v1/cities/almaty/schools.csv"},
	} {
		b.Run(bb.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, bb.path, nil)
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("GET %s: %d", bb.path, w.Code)
				}
			}
		})
	}
}
