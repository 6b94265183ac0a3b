package web

import (
	"net/http"
)

// soonPage is what the "not yet" template shows.
type soonPage struct {
	TextKey string // the service's one-line description
}

// soon returns the handler of a city's service that is not built yet: a page
// that names the service and says it opens soon. key is the service's
// catalogue prefix.
func (h *server) soon(key string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		lang, c, err := h.place(w, r)
		if err != nil {
			return err
		}

		tr := h.catalog.Translator(lang)
		p := h.newPage(r, lang, tr.T(key+".title"), &c)
		p.Data = soonPage{TextKey: key + ".text"}
		return h.render(w, http.StatusOK, "soon", p)
	}
}

// soonAnyCity is soon for a page of no city, such as the personal cabinet:
// its header shows the remembered city.
func (h *server) soonAnyCity(key string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		lang, err := h.pageLang(w, r)
		if err != nil {
			return err
		}

		tr := h.catalog.Translator(lang)
		p := h.newPage(r, lang, tr.T(key+".title"), h.rememberedCity(r))
		p.Data = soonPage{TextKey: key + ".text"}
		return h.render(w, http.StatusOK, "soon", p)
	}
}
