package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"sakura/internal/city"
	"sakura/internal/errs"
	"sakura/internal/i18n"
)

// The cookies that remember a visitor's choice. They hold no personal data.
const (
	langCookie   = "sakura_lang"
	cityCookie   = "sakura_city"
	cookieMaxAge = 365 * 24 * time.Hour
)

// langNames are the names of the languages in themselves, as the language
// switch and the start page show them whatever the page's language.
var langNames = map[i18n.Lang]string{
	i18n.KK: "Қазақша",
	i18n.RU: "Русский",
	i18n.EN: "English",
}

// visitorLang is the language of a page that does not name one in its path
// or names an unknown one: the path's language if valid, else the lang query
// parameter (which the language switch of such pages sets), else the
// remembered language, else Accept-Language, else Kazakh.
func (h *server) visitorLang(r *http.Request) i18n.Lang {
	first, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if lang, ok := i18n.ParseLang(first); ok {
		return lang
	}
	if lang, ok := i18n.ParseLang(r.URL.Query().Get("lang")); ok {
		return lang
	}
	if lang, ok := rememberedLang(r); ok {
		return lang
	}
	if lang, ok := i18n.Negotiate(r.Header.Get("Accept-Language")); ok {
		return lang
	}
	return i18n.KK
}

// rememberedLang returns the language the visitor chose last.
func rememberedLang(r *http.Request) (i18n.Lang, bool) {
	c, err := r.Cookie(langCookie)
	if err != nil {
		return "", false
	}
	return i18n.ParseLang(c.Value)
}

// rememberedSlug returns the slug of the city the visitor chose last, or "".
func rememberedSlug(r *http.Request) string {
	c, err := r.Cookie(cityCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

// rememberedCity returns the city the visitor chose last, for the header of
// a page that belongs to no city, or nil. A lookup that fails only leaves
// the header without a city.
func (h *server) rememberedCity(r *http.Request) *city.City {
	slug := rememberedSlug(r)
	if slug == "" {
		return nil
	}
	c, err := h.cities.City(r.Context(), slug)
	if err != nil {
		if !errors.Is(err, errs.ErrNotFound) {
			h.log.LogAttrs(r.Context(), slog.LevelWarn, "remembered city",
				requestAttrs(r), slog.Any("error", err))
		}
		return nil
	}
	return &c
}

// remember stores the visitor's language and, unless empty, city, when they
// differ from what the cookies hold: the portal opens where the visitor was
// last.
func (h *server) remember(w http.ResponseWriter, r *http.Request, lang i18n.Lang, citySlug string) {
	set := func(name, value string) {
		if c, err := r.Cookie(name); err == nil && c.Value == value {
			return
		}
		h.setCookie(w, r, name, value, cookieMaxAge)
	}
	set(langCookie, string(lang))
	if citySlug != "" {
		set(cityCookie, citySlug)
	}
}

// place reads the language and the city of a /{lang}/{city}/… path and
// remembers them. An unknown language or city is not found.
func (h *server) place(w http.ResponseWriter, r *http.Request) (i18n.Lang, city.City, error) {
	lang, ok := i18n.ParseLang(r.PathValue("lang"))
	if !ok {
		return "", city.City{}, fmt.Errorf("language: %w", errs.ErrNotFound)
	}
	c, err := h.cities.City(r.Context(), r.PathValue("city"))
	if err != nil {
		return "", city.City{}, fmt.Errorf("city: %w", err)
	}
	h.remember(w, r, lang, c.Slug)
	return lang, c, nil
}

// pageLang reads the language of a /{lang}/… path that names no city, and
// remembers it.
func (h *server) pageLang(w http.ResponseWriter, r *http.Request) (i18n.Lang, error) {
	lang, ok := i18n.ParseLang(r.PathValue("lang"))
	if !ok {
		return "", fmt.Errorf("language: %w", errs.ErrNotFound)
	}
	h.remember(w, r, lang, "")
	return lang, nil
}

// langLink is one entry of the language switch.
type langLink struct {
	Lang    i18n.Lang
	Name    string
	URL     string
	Current bool
}

// switchLinks returns the language switch of the page at path and query:
// the same page in each language. A /{lang}/… path changes its first
// segment; any other path keeps itself and sets the lang query parameter.
// The rest of the query is kept either way.
func switchLinks(path string, query url.Values, current i18n.Lang) []langLink {
	first, rest, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	_, inPath := i18n.ParseLang(first)

	links := make([]langLink, 0, len(i18n.Langs))
	for _, lang := range i18n.Langs {
		u := url.URL{Path: path}
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		if inPath {
			u.Path = "/" + string(lang) + "/" + rest
			if rest == "" && !strings.HasSuffix(path, "/") {
				u.Path = "/" + string(lang)
			}
		} else {
			q.Set("lang", string(lang))
		}
		u.RawQuery = q.Encode()
		links = append(links, langLink{
			Lang:    lang,
			Name:    langNames[lang],
			URL:     u.String(),
			Current: lang == current,
		})
	}
	return links
}
