package web

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestVendoredMatchesLock checks that every file vendor.json lists is in
// static/vendor exactly as the locked npm package in node_modules has it,
// and that node_modules holds the versions package-lock.json locks. Without
// node_modules the test is skipped, except with CI=true.
func TestVendoredMatchesLock(t *testing.T) {
	modules := filepath.Join("..", "..", "node_modules")
	if _, err := os.Stat(modules); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("node_modules is missing: run npm ci (%v)", err)
		}
		t.Skip("node_modules is missing; run npm ci")
	}

	var list struct {
		Packages map[string]map[string]string `json:"packages"`
	}
	mustReadJSON(t, "vendor.json", &list)
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	mustReadJSON(t, filepath.Join("..", "..", "package-lock.json"), &lock)

	for pkg, files := range list.Packages {
		var installed struct {
			Version string `json:"version"`
		}
		mustReadJSON(t, filepath.Join(modules, pkg, "package.json"), &installed)
		if want := lock.Packages["node_modules/"+pkg].Version; want == "" || installed.Version != want {
			t.Errorf("%s: node_modules has %q, package-lock.json locks %q: run npm ci",
				pkg, installed.Version, want)
		}

		for from, to := range files {
			want, err := os.ReadFile(filepath.Join(modules, pkg, filepath.FromSlash(from)))
			if err != nil {
				t.Errorf("%s: %v", pkg, err)
				continue
			}
			got, err := os.ReadFile(filepath.Join("static", "vendor", filepath.FromSlash(to)))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("static/vendor/%s differs from %s/%s: run go generate ./internal/web", to, pkg, from)
			}
		}
	}

	// The binary serves the vendored files.
	a, err := loadAssets(staticFS)
	if err != nil {
		t.Fatal(err)
	}
	for _, files := range list.Packages {
		for _, to := range files {
			if _, err := a.url("vendor/" + to); err != nil {
				t.Errorf("not served: %v", err)
			}
		}
	}
}

func mustReadJSON(tb testing.TB, name string, v any) {
	tb.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
}

// TestStylesheetImages checks that Leaflet's stylesheet names its images by
// the paths the binary serves them at.
func TestStylesheetImages(t *testing.T) {
	a, err := loadAssets(staticFS)
	if err != nil {
		t.Fatal(err)
	}
	css := a.byName["vendor/leaflet/leaflet.css"]
	icon, err := a.url("vendor/leaflet/images/marker-icon.png")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(css.body, []byte("url("+icon+")")) || bytes.Contains(css.body, []byte("url(images/")) {
		t.Errorf("leaflet.css does not point at %s", icon)
	}
	if !bytes.Contains([]byte(css.path), []byte("/static/vendor/leaflet/leaflet.")) {
		t.Errorf("leaflet.css served at %s", css.path)
	}
}
