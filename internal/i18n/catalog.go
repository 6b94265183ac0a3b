// Package i18n holds the portal's languages: domain text written in each of
// them, the interface catalogues for Kazakh, Russian and English with CLDR
// plural rules, and the choice of a visitor's language.
//
// The catalogues are JSON files embedded in the binary, a folder per
// language and a file per part of the portal (locales/kk/shell.json,
// locales/kk/schools.json, …), as go-i18n reads them: a flat object from key
// to text, where a plural message is an object from CLDR form ("one", "few",
// "many", "other") to text. Text may hold placeholders such as {{.Count}} or
// {{.City}}. A key lives in one file only.
package i18n

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"text/template"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

//go:embed locales
var locales embed.FS

// Catalog is the interface wording of every language, checked to be
// complete: the same keys in each language, and every plural form each
// language needs.
type Catalog struct {
	keys        []string        // sorted
	plural      map[string]bool // keys of plural messages
	translators map[Lang]*Translator
}

// Load reads and checks the embedded catalogues. It fails when a language
// lacks a key another language has, or a plural message lacks a form its
// language needs.
func Load() (*Catalog, error) {
	return load(locales, "locales")
}

// load reads every dir/LANG/*.json file of fsys for each language.
func load(fsys fs.FS, dir string) (*Catalog, error) {
	bundle := goi18n.NewBundle(language.Kazakh)
	messages := make(map[Lang]map[string]*goi18n.Message, len(Langs))
	for _, lang := range Langs {
		names, err := fs.Glob(fsys, dir+"/"+string(lang)+"/*.json")
		if err != nil || len(names) == 0 {
			return nil, fmt.Errorf("i18n: no %s catalogue in %s/%s", lang, dir, lang)
		}

		byKey := make(map[string]*goi18n.Message)
		for _, name := range names {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("i18n: load %s: %w", name, err)
			}
			// go-i18n takes the language from the file name's last dotted
			// part, so the folder's language is given to it that way.
			file, err := bundle.ParseMessageFileBytes(data, string(lang)+".json")
			if err != nil {
				return nil, fmt.Errorf("i18n: parse %s: %w", name, err)
			}
			for _, m := range file.Messages {
				if _, dup := byKey[m.ID]; dup {
					return nil, fmt.Errorf("i18n: %s: key %q is in another %s file too", name, m.ID, lang)
				}
				byKey[m.ID] = m
			}
		}
		messages[lang] = byKey
	}

	c, err := check(messages)
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}

	c.translators = make(map[Lang]*Translator, len(Langs))
	for _, lang := range Langs {
		c.translators[lang] = &Translator{
			lang:      lang,
			localizer: goi18n.NewLocalizer(bundle, string(lang)),
			messages:  messages[lang],
		}
	}
	return c, nil
}

// check finds every gap in the catalogues at once: a key missing in a
// language, a message plural in one language and not in another, a plural
// form a language needs and lacks, empty text and broken placeholders.
func check(messages map[Lang]map[string]*goi18n.Message) (*Catalog, error) {
	all := make(map[string]bool)
	plurals := make(map[string]bool)
	for _, byKey := range messages {
		for key, m := range byKey {
			all[key] = true
			if isPlural(m) {
				plurals[key] = true
			}
		}
	}
	keys := slices.Sorted(maps.Keys(all))

	var problems []error
	for _, lang := range Langs {
		needed := Forms(lang)
		for _, key := range keys {
			m, ok := messages[lang][key]
			if !ok {
				problems = append(problems, fmt.Errorf("%s: missing key %q", lang, key))
				continue
			}

			if !plurals[key] {
				problems = append(problems, checkText(lang, key, "", m.Other)...)
				continue
			}
			if !isPlural(m) {
				problems = append(problems,
					fmt.Errorf("%s: %q is plural in another language but not here", lang, key))
				continue
			}
			for _, form := range needed {
				problems = append(problems, checkText(lang, key, form, formText(m, form))...)
			}
		}
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	return &Catalog{keys: keys, plural: plurals}, nil
}

// checkText reports empty text and placeholders that do not parse.
func checkText(lang Lang, key, form, text string) []error {
	where := fmt.Sprintf("%s: %q", lang, key)
	if form != "" {
		where += " form " + form
	}
	if strings.TrimSpace(text) == "" {
		return []error{fmt.Errorf("%s: no text", where)}
	}
	if _, err := template.New(key).Parse(text); err != nil {
		return []error{fmt.Errorf("%s: bad placeholder: %w", where, err)}
	}
	return nil
}

// isPlural reports whether the catalogue wrote m as an object of plural forms.
func isPlural(m *goi18n.Message) bool {
	return m.Zero != "" || m.One != "" || m.Two != "" || m.Few != "" || m.Many != ""
}

// formText returns the text of m for the CLDR form named form.
func formText(m *goi18n.Message, form string) string {
	switch form {
	case "zero":
		return m.Zero
	case "one":
		return m.One
	case "two":
		return m.Two
	case "few":
		return m.Few
	case "many":
		return m.Many
	}
	return m.Other
}

// Forms returns the CLDR cardinal plural forms that lang distinguishes, in
// CLDR order: Kazakh and English have one and other; Russian has one, few,
// many, and other (for fractions). They are found by asking the CLDR rules of
// golang.org/x/text about whole numbers and decimal fractions, so they do not
// depend on go-i18n's own copy of the rules.
func Forms(lang Lang) []string {
	tag := language.Make(string(lang))
	seen := make(map[plural.Form]bool)
	for i := range 1000 {
		seen[plural.Cardinal.MatchPlural(tag, i, 0, 0, 0, 0)] = true
		// i.5 and i.25: one and two visible fraction digits.
		seen[plural.Cardinal.MatchPlural(tag, i, 1, 1, 5, 5)] = true
		seen[plural.Cardinal.MatchPlural(tag, i, 2, 2, 25, 25)] = true
	}

	var forms []string
	for _, f := range []struct {
		form plural.Form
		name string
	}{
		{plural.Zero, "zero"}, {plural.One, "one"}, {plural.Two, "two"},
		{plural.Few, "few"}, {plural.Many, "many"}, {plural.Other, "other"},
	} {
		if seen[f.form] {
			forms = append(forms, f.name)
		}
	}
	return forms
}

// Keys returns every key of the catalogues, sorted.
func (c *Catalog) Keys() []string {
	return slices.Clone(c.keys)
}

// Has reports whether key is in the catalogues. After Load every language
// has the same keys.
func (c *Catalog) Has(key string) bool {
	_, ok := slices.BinarySearch(c.keys, key)
	return ok
}

// IsPlural reports whether key is a plural message, to be used with N.
func (c *Catalog) IsPlural(key string) bool {
	return c.plural[key]
}

// Translator returns the translator for lang, or for Kazakh when lang is not
// one of the portal's languages.
func (c *Catalog) Translator(lang Lang) *Translator {
	if t, ok := c.translators[lang]; ok {
		return t
	}
	return c.translators[KK]
}
