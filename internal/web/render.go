package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"sakura/internal/city"
	"sakura/internal/i18n"
)

//go:embed templates
var templateFS embed.FS

// pageNames are the page templates the handlers render. New fails when one
// is missing.
var pageNames = []string{"choose", "home", "soon", "error", "outbox", "find_school", "teachers", "teacher",
	"cabinet_signin", "cabinet_code", "cabinet_verify", "cabinet_password", "cabinet_feed", "cabinet_section",
	"cabinet_settings", "cabinet_phone", "cabinet_email", "cabinet_applications", "cabinet_application",
	"apply_start", "apply_step", "apply_done",
	"cabinet_referrals", "cabinet_referral", "cabinet_files", "verify_referral",
	"office_signin", "office_reauth", "office_queue", "office_card", "office_catchments", "dev_staff",
	"office_seats", "office_school", "office_campaign", "office_users", "office_audit",
	"office_reports"}

// templates holds one parsed set per page (layout, partials, page) and per
// language: each language's set has T, N and name bound to its translator,
// so a request picks its set and renders it with no cloning.
type templates struct {
	sets map[string]map[i18n.Lang]*template.Template
}

// parseTemplates parses templates/layout.html, templates/partials/*.html and
// each file of templates/pages/ into a set of its own, once per language.
func parseTemplates(fsys fs.FS, catalog *i18n.Catalog, asset func(string) (string, error),
) (*templates, error) {
	base, err := template.New("layout.html").
		Funcs(templateFuncs(catalog.Translator(i18n.KK), asset)).
		ParseFS(fsys, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}

	files, err := fs.Glob(fsys, "templates/pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("list pages: %w", err)
	}
	t := &templates{sets: make(map[string]map[i18n.Lang]*template.Template)}
	for _, file := range files {
		name := strings.TrimSuffix(path.Base(file), ".html")
		page, err := base.Clone()
		if err == nil {
			page, err = page.ParseFS(fsys, file)
		}
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		if page.Lookup("content") == nil {
			return nil, fmt.Errorf("page %s defines no content template", name)
		}

		t.sets[name] = make(map[i18n.Lang]*template.Template, len(i18n.Langs))
		for _, lang := range i18n.Langs {
			set, err := page.Clone()
			if err != nil {
				return nil, fmt.Errorf("page %s in %s: %w", name, lang, err)
			}
			t.sets[name][lang] = set.Funcs(templateFuncs(catalog.Translator(lang), asset))
		}
	}

	for _, name := range pageNames {
		if _, ok := t.sets[name]; !ok {
			return nil, fmt.Errorf("page template %s.html is missing", name)
		}
	}
	return t, nil
}

// templateFuncs are the functions templates call:
//
//	{{T "nav.school_map"}}             a message
//	{{T "home.heading" "City" .Name}}  a message with placeholders
//	{{N "schools.count" 23}}           a plural message
//	{{name .City.Name}}                domain text in the page's language
//	{{asset "site.css"}}               the hashed URL of a static file
//	{{range (list "phone" "email")}}   a list of strings, for fields alike
func templateFuncs(tr *i18n.Translator, asset func(string) (string, error)) template.FuncMap {
	return template.FuncMap{
		"T":     tr.T,
		"N":     tr.N,
		"name":  func(t i18n.Text) string { return t.In(tr.Lang()) },
		"asset": asset,
		"list":  func(s ...string) []string { return s },
		"add":   func(a, b int) int { return a + b },
		"radios": func(name, legend string, opts []option, f form) radioGroup {
			g := radioGroup{Name: name, Legend: legend, Options: opts}
			if len(opts) > 0 {
				g.First = name + "-" + opts[0].Value
				g.Error = f.Error(g.First)
			}
			return g
		},
		"upload": func(slot documentSlot, f form) uploadField { return uploadField{Slot: slot, Error: f.Error(slot.Name)} },
	}
}

// radioGroup is a fieldset of radio buttons, for the radios partial. A
// refusal names the first button, First, so that the error summary's link
// lands on it.
type radioGroup struct {
	Name, Legend string
	Options      []option
	First, Error string
}

// uploadField is a file field, for the upload partial.
type uploadField struct {
	Slot  documentSlot
	Error string
}

// page is the data every page template gets; Data holds what is particular
// to the page.
type page struct {
	Lang     i18n.Lang
	Title    string     // the <title>, before the portal's name
	City     *city.City // the page's or the remembered city; nil when none
	Switch   []langLink // the language switch
	Sections []section  // the header navigation, when there is a city
	Demo     bool
	Office   bool  // a page of the back office
	Tiles    Tiles // the map tile server, for the map_assets partial
	Data     any
}

// Home returns the home page of the page's city, or the start page when
// there is none.
func (p *page) Home() string {
	if p.City == nil {
		return "/"
	}
	return "/" + string(p.Lang) + "/" + p.City.Slug + "/"
}

// newPage starts the data of a page in lang, titled title, for the visitor's
// city c (nil when unknown).
func (h *server) newPage(r *http.Request, lang i18n.Lang, title string, c *city.City) *page {
	return &page{
		Lang:     lang,
		Title:    title,
		City:     c,
		Switch:   switchLinks(r.URL.Path, r.URL.Query(), lang),
		Sections: sections,
		Demo:     h.demo,
		Tiles:    h.tiles,
	}
}

// render executes the page template name in p's language into a buffer, and
// only then writes it with status, so that a failing template never leaves
// half a page.
func (h *server) render(w http.ResponseWriter, status int, name string, p *page) error {
	t, ok := h.templates.sets[name][p.Lang]
	if !ok {
		return fmt.Errorf("render: no page template %q in %q", name, p.Lang)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}

	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w) // a visitor who left is no error of ours
	return nil
}
