package web

import (
	"net/http"
)

// section is a section of the portal as the seed names them, with its
// services; the home page lists them and the header links to them.
type section struct {
	ID       string // the anchor on the home page
	Key      string // catalogue key of the name
	Services []service
}

// service is one public service of a city.
type service struct {
	Path string // under /{lang}/{city}/
	Key  string // catalogue prefix: Key.title and Key.text
}

// TitleKey names the service's title message.
func (s service) TitleKey() string { return s.Key + ".title" }

// TextKey names the one-line description of the service.
func (s service) TextKey() string { return s.Key + ".text" }

// sections are the portal's sections in the seed's order.
var sections = []section{
	{ID: "info", Key: "section.info", Services: []service{
		{Path: "map", Key: "service.map"},
		{Path: "find-school", Key: "service.find_school"},
		{Path: "schools", Key: "service.schools"},
		{Path: "teachers", Key: "service.teachers"},
	}},
	{ID: "admission", Key: "section.admission", Services: []service{
		{Path: "apply/grade1", Key: "service.grade1"},
		{Path: "apply/transfer", Key: "service.transfer"},
		{Path: "apply/grade10", Key: "service.grade10"},
	}},
	{ID: "social", Key: "section.social", Services: []service{
		{Path: "apply/meals", Key: "service.meals"},
		{Path: "apply/camp", Key: "service.camp"},
	}},
	{ID: "process", Key: "section.process", Services: []service{
		{Path: "apply/transport", Key: "service.transport"},
	}},
}

// home answers GET /{lang}/{city}/: the city's sections and their services.
func (h *server) home(w http.ResponseWriter, r *http.Request) error {
	lang, c, err := h.place(w, r)
	if err != nil {
		return err
	}

	tr := h.catalog.Translator(lang)
	p := h.newPage(r, lang, tr.T("home.heading", "City", c.Name.In(lang)), &c)
	return h.render(w, http.StatusOK, "home", p)
}

// homeRedirect answers GET /{lang}/{city}, without the trailing slash, with
// a redirect to the home page.
func (h *server) homeRedirect(w http.ResponseWriter, r *http.Request) error {
	lang, c, err := h.place(w, r)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+string(lang)+"/"+c.Slug+"/", http.StatusMovedPermanently)
	return nil
}
