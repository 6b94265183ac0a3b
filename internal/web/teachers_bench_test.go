package web_test

import (
	"io"
	"net/http"
	"testing"

	"sakura/internal/demo"
	"sakura/internal/web/webtest"
)

// BenchmarkTeacherPages serves the teacher registry, a filtered page, a
// card and the API on the full demo cities, over a local connection: an
// upper bound of the server time.
func BenchmarkTeacherPages(b *testing.B) {
	s := webtest.Start(b, webtest.Options{Cities: demo.Cities()})
	// The first request builds the city's index.
	if resp := s.Get(b, "/ru/almaty/teachers"); resp.Status != http.StatusOK {
		b.Fatalf("status %d", resp.Status)
	}
	for _, bb := range []struct{ name, path string }{
		{"registry", "/ru/almaty/teachers"},
		{"registry filtered", "/kk/almaty/teachers?category=expert&language=ru&exp_min=10&sort=name&page=2"},
		{"card", "/en/almaty/teachers/1"},
		{"api", "/api/v1/cities/almaty/teachers?q=%D0%BE%D0%B2%D0%B0&per_page=100"},
	} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				resp, err := s.Client.Get(s.URL + bb.path)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: status %d", bb.path, resp.StatusCode)
				}
			}
		})
	}
}
