package web

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"sakura/internal/application"
	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/school"
	"sakura/internal/social"
	"sakura/internal/store/storetest"
)

// MustServer builds a server over an empty migrated store, for tests of its
// parts.
func MustServer(tb testing.TB, demo bool) *server {
	tb.Helper()
	db := storetest.SQLite(tb)
	h, err := newServer(Config{Cities: db, People: db, Outbox: db, Demo: demo})
	if err != nil {
		tb.Fatalf("newServer: %v", err)
	}
	return h
}

// keyUse finds the catalogue keys a template names literally: {{T "key"}}
// and {{N "key" n}}, also inside parentheses.
var keyUse = regexp.MustCompile(`[({]\s*-?\s*(T|N)\s+"([^"]+)"`)

// TestTemplateKeys fails when a template names a key that no catalogue has,
// or uses T for a plural message or N for a plain one.
func TestTemplateKeys(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}

	uses := 0
	err = fs.WalkDir(templateFS, "templates", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(templateFS, name)
		if err != nil {
			return err
		}
		for _, m := range keyUse.FindAllStringSubmatch(string(src), -1) {
			uses++
			fn, key := m[1], m[2]
			switch {
			case !cat.Has(key):
				t.Errorf("%s: %s %q is in no catalogue", name, fn, key)
			case fn == "T" && cat.IsPlural(key):
				t.Errorf("%s: T %q is a plural message; use N", name, key)
			case fn == "N" && !cat.IsPlural(key):
				t.Errorf("%s: N %q is not a plural message; use T", name, key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if uses < 20 {
		t.Errorf("found only %d key uses in the templates: is the pattern broken?", uses)
	}
}

// TestComputedKeys checks the keys that Go code builds and templates look up
// from data: section and service names, error messages, channels.
func TestComputedKeys(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}

	var keys []string
	for _, s := range sections {
		keys = append(keys, s.Key)
		for _, svc := range s.Services {
			keys = append(keys, svc.TitleKey(), svc.TextKey())
		}
	}
	for _, s := range statuses {
		keys = append(keys, s.prefix+".title", s.prefix+".text")
	}
	_, prefix := statusOf(errMethodNotAllowed)
	keys = append(keys, prefix+".title", prefix+".text", "error.cross_origin",
		"service.cabinet.title", "service.office.title", "service.office.text",
		"choose.error.city", "choose.error.lang", "districts.count", "home.heading", "outbox.title")
	for _, ch := range []notify.Channel{notify.SMS, notify.Email} {
		keys = append(keys, "channel."+string(ch))
	}
	keys = append(keys, wizardKeys(MustServer(t, false))...)

	for _, key := range keys {
		if !cat.Has(key) {
			t.Errorf("%q is in no catalogue", key)
		}
	}
}

// wizardKeys are the keys the wizards build from their kinds, steps and
// codes.
func wizardKeys(h *server) []string {
	var keys []string
	steps := h.steps()
	for kind, w := range application.Wizards {
		k := string(kind)
		keys = append(keys, "service."+k+".title", "apply.start."+k+".lead", "apply.start."+k+".how_2",
			"apply.done.next_text."+k)
		for _, name := range append(w.Steps, application.StepCheck) {
			keys = append(keys, "apply.step."+name)
			if steps[name].valid != nil {
				keys = append(keys, "apply.recheck."+name)
			}
			switch name {
			case application.StepDocuments:
				keys = append(keys, "apply.documents.lead."+k)
			case application.StepSchool:
				keys = append(keys, "apply.school.none."+k)
			}
		}
	}
	for name := range documentSlots {
		keys = append(keys, "apply.document."+name, "apply.document."+name+"_hint")
	}
	for _, slot := range []documentSlot{certificateSlot, proofSlot} {
		keys = append(keys, "apply.document."+slot.Name, "apply.document."+slot.Name+"_hint")
	}
	for _, g := range application.TransferGrounds {
		keys = append(keys, "apply.grounds."+g)
	}
	for _, c := range application.Categories {
		keys = append(keys, "apply.category."+c)
	}
	for _, c := range social.CampKinds {
		keys = append(keys, "apply.camp.kind."+string(c))
	}
	for _, p := range school.Profiles() {
		keys = append(keys, "school.profile."+p)
	}
	return keys
}

func TestParseTemplates(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	asset := func(string) (string, error) { return "/static/x", nil }
	layout := `{{define "layout"}}<!doctype html>{{template "content" .}}{{end}}`
	full := fstest.MapFS{
		"templates/layout.html":        {Data: []byte(layout)},
		"templates/partials/part.html": {Data: []byte(`{{define "part"}}{{T "nav.home"}}{{end}}`)},
	}
	for _, name := range pageNames {
		full["templates/pages/"+name+".html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}x{{end}}`)}
	}

	tests := []struct {
		name   string
		change func(fstest.MapFS)
		want   string // a fragment of the error; "" for none
	}{
		{"complete", func(fstest.MapFS) {}, ""},
		{"page missing", func(m fstest.MapFS) { delete(m, "templates/pages/home.html") }, "home.html is missing"},
		{"no content", func(m fstest.MapFS) {
			m["templates/pages/soon.html"] = &fstest.MapFile{Data: []byte(`{{define "other"}}{{end}}`)}
		}, "defines no content"},
		{"unknown function", func(m fstest.MapFS) {
			m["templates/pages/soon.html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}{{X}}{{end}}`)}
		}, "function \"X\" not defined"},
		{"layout missing", func(m fstest.MapFS) { delete(m, "templates/layout.html") }, "parse layout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for k, v := range full {
				fsys[k] = v
			}
			tt.change(fsys)

			_, err := parseTemplates(fsys, cat, asset)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("parseTemplates: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("parseTemplates error %v, want one naming %q", err, tt.want)
			}
		})
	}
}

// TestOpenAPIRouted fails when openapi.json documents a path and method that
// the route table does not serve with a pattern of the same path: the mux
// and OpenAPI write parameters alike, as {city}.
func TestOpenAPIRouted(t *testing.T) {
	h := MustServer(t, false)
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Paths) == 0 {
		t.Fatal("openapi.json documents no path")
	}

	param := regexp.MustCompile(`\{[^}]+\}`)
	for path, ops := range doc.Paths {
		for method := range ops {
			switch method {
			case "get", "post", "put", "patch", "delete":
			default:
				continue // parameters, summary and the like
			}
			t.Run(method+" "+path, func(t *testing.T) {
				m := strings.ToUpper(method)
				r := httptest.NewRequest(m, param.ReplaceAllString(path, "x"), nil)
				if _, pattern := h.mux.Handler(r); pattern != m+" "+path {
					t.Errorf("%s %s is documented but routed to %q", m, path, pattern)
				}
			})
		}
	}
}

// TestDemoRoutes checks that the demo paths are routed only in demo mode.
func TestDemoRoutes(t *testing.T) {
	for _, demo := range []bool{false, true} {
		h := MustServer(t, demo)
		for _, path := range []string{"/dev/people.json", "/dev/outbox.json", "/dev/outbox"} {
			_, pattern := h.mux.Handler(httptest.NewRequest(http.MethodGet, path, nil))
			if routed := pattern == "GET "+path; routed != demo {
				t.Errorf("demo %v: %s routed = %v", demo, path, routed)
			}
		}
	}
}
