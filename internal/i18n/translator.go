package i18n

import (
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// Translator renders catalogue messages in one language. It is safe for
// concurrent use; a request uses the translator of its language.
type Translator struct {
	lang      Lang
	localizer *goi18n.Localizer
	messages  map[string]*goi18n.Message
}

// Lang returns the language the translator writes.
func (t *Translator) Lang() Lang {
	return t.lang
}

// T returns the message key, with its placeholders filled from args, which
// are pairs of a name and a value: T("home.heading", "City", "Алматы").
// An unknown key comes back as the key itself, which the catalogue tests keep
// from ever reaching a visitor.
func (t *Translator) T(key string, args ...any) string {
	return t.Message(key, pairs(args))
}

// N returns the plural message key in the CLDR form that n takes in the
// translator's language, with {{.Count}} set to n and other placeholders
// filled from args as in T.
func (t *Translator) N(key string, n int, args ...any) string {
	data := pairs(args)
	data["Count"] = n
	return t.localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: data, PluralCount: n})
}

// Message returns the message key with its placeholders filled from data,
// as errs.Error carries them.
// A whole number under Count picks the plural form, as in N.
func (t *Translator) Message(key string, data map[string]any) string {
	lc := &goi18n.LocalizeConfig{MessageID: key, TemplateData: data}
	if n, ok := data["Count"].(int); ok {
		lc.PluralCount = n
	}
	return t.localize(lc)
}

func (t *Translator) localize(lc *goi18n.LocalizeConfig) string {
	if _, ok := t.messages[lc.MessageID]; !ok {
		return lc.MessageID
	}
	s, err := t.localizer.Localize(lc)
	if err != nil {
		return lc.MessageID
	}
	return s
}

// pairs turns name, value, name, value… into a map; a name that is not a
// string and a trailing name without a value are dropped.
func pairs(args []any) map[string]any {
	data := make(map[string]any, len(args)/2+1)
	for i := 0; i+1 < len(args); i += 2 {
		if name, ok := args[i].(string); ok {
			data[name] = args[i+1]
		}
	}
	return data
}
