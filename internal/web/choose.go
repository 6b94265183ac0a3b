package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"sakura/internal/city"
	"sakura/internal/errs"
	"sakura/internal/i18n"
)

// chooseForm is the start page's form: the city and the language a visitor
// picks, and what is wrong with them, by field.
type chooseForm struct {
	City   string
	Lang   i18n.Lang
	Errors map[string]string // field name → message, in the page's language
}

// chooseOption is one radio button of the start page.
type chooseOption struct {
	Value   string
	Label   string
	Hint    string
	Lang    i18n.Lang // the language of Label, when it differs from the page's
	Checked bool
}

// choosePage is what the start page template shows.
type choosePage struct {
	Cities []chooseOption
	Langs  []chooseOption
	Errors map[string]string
}

// chooseShow answers GET /: a returning visitor goes straight to the home
// page of the remembered city; a first-time visitor, or one who asked to
// change (?change=1), gets the form.
func (h *server) chooseShow(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Vary", "Cookie, Accept-Language")
	lang, hasLang := rememberedLang(r)
	slug := rememberedSlug(r)

	if !r.URL.Query().Has("change") && hasLang && slug != "" {
		_, err := h.cities.City(r.Context(), slug)
		if err == nil {
			http.Redirect(w, r, "/"+string(lang)+"/"+slug+"/", http.StatusFound)
			return nil
		}
		if !errors.Is(err, errs.ErrNotFound) {
			return fmt.Errorf("remembered city: %w", err)
		}
	}

	pageLang := h.visitorLang(r)
	return h.renderChoose(w, r, http.StatusOK, pageLang, chooseForm{City: slug, Lang: pageLang})
}

// chooseSave answers POST /: it remembers the chosen city and language and
// sends the visitor to that home page, or shows the form again with what
// was chosen and a message by each field left wrong.
func (h *server) chooseSave(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		return &errs.Error{Kind: errs.Invalid, Err: fmt.Errorf("choose: %w", err)}
	}
	form := chooseForm{City: r.PostForm.Get("city"), Lang: i18n.Lang(r.PostForm.Get("lang"))}

	// The page speaks the chosen language if it is one, else the visitor's.
	pageLang, langOK := i18n.ParseLang(string(form.Lang))
	if !langOK {
		pageLang = h.visitorLang(r)
	}
	tr := h.catalog.Translator(pageLang)

	form.Errors = map[string]string{}
	if !langOK {
		form.Errors["lang"] = tr.T("choose.error.lang")
	}
	switch _, err := h.cities.City(r.Context(), form.City); {
	case form.City == "" || errors.Is(err, errs.ErrNotFound):
		form.Errors["city"] = tr.T("choose.error.city")
	case err != nil:
		return fmt.Errorf("choose: %w", err)
	}
	if len(form.Errors) > 0 {
		return h.renderChoose(w, r, http.StatusUnprocessableEntity, pageLang, form)
	}

	h.remember(w, r, form.Lang, form.City)
	http.Redirect(w, r, "/"+string(form.Lang)+"/"+form.City+"/", http.StatusSeeOther)
	return nil
}

// renderChoose renders the start page in lang with form's answers checked.
func (h *server) renderChoose(w http.ResponseWriter, r *http.Request, status int,
	lang i18n.Lang, form chooseForm,
) error {
	cities, err := h.cities.Cities(r.Context())
	if err != nil {
		return fmt.Errorf("choose: %w", err)
	}
	tr := h.catalog.Translator(lang)

	data := choosePage{Errors: form.Errors}
	for _, c := range cities {
		data.Cities = append(data.Cities, chooseOption{
			Value:   c.Slug,
			Label:   c.Name.In(lang),
			Hint:    tr.N("districts.count", len(c.Districts)),
			Checked: c.Slug == form.City,
		})
	}
	for _, l := range i18n.Langs {
		data.Langs = append(data.Langs, chooseOption{
			Value:   string(l),
			Label:   langNames[l],
			Lang:    l,
			Checked: l == form.Lang,
		})
	}

	// The language switch of the start page keeps it open, even for a
	// visitor with remembered choices.
	p := h.newPage(r, lang, tr.T("choose.title"), chosenCity(cities, form.City))
	p.Switch = switchLinks("/", url.Values{"change": {"1"}}, lang)
	p.Data = data
	return h.render(w, status, "choose", p)
}

// chosenCity returns the city of cities with slug, or nil.
func chosenCity(cities []city.City, slug string) *city.City {
	for i := range cities {
		if cities[i].Slug == slug {
			return &cities[i]
		}
	}
	return nil
}
