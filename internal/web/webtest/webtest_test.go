package webtest

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
)

// TestAxeFindsViolations checks the harness itself: a page with known faults
// must not pass.
func TestAxeFindsViolations(t *testing.T) {
	bad := `<!doctype html><html><head><title>x</title></head><body>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p id="a">one</p><p id="a">two</p>
<input type="text"></body></html>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(bad))
	}))
	t.Cleanup(srv.Close)

	tab := NewBrowser(t).NewTab(t)
	tab.Navigate(srv.URL)
	var ids []string
	for _, v := range tab.Axe() {
		ids = append(ids, v.ID)
		if len(v.Targets) == 0 {
			t.Errorf("violation %s names no node", v.ID)
		}
	}
	for _, want := range []string{"html-has-lang", "image-alt", "label"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe-core did not report %s; got %q", want, ids)
		}
	}
}

func TestModuleRoot(t *testing.T) {
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if got := root + "/internal/web/webtest"; !samePath(t, got, ".") {
		t.Errorf("module root %s is not two levels above this package", root)
	}
}

func samePath(t *testing.T, a, b string) bool {
	t.Helper()
	wd, err := filepath.Abs(b)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Clean(a) == wd
}
