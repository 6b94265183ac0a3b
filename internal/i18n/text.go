package i18n

// Lang is one of the portal's languages: Kazakh, Russian or English.
type Lang string

// The portal's languages. Kazakh is the default, as in the seed portal.
const (
	KK Lang = "kk"
	RU Lang = "ru"
	EN Lang = "en"
)

// Langs lists the portal's languages in the order the language switch shows them.
var Langs = []Lang{KK, RU, EN}

// ParseLang reports the language named by s, and whether s names one.
func ParseLang(s string) (Lang, bool) {
	switch Lang(s) {
	case KK, RU, EN:
		return Lang(s), true
	}
	return "", false
}

// Text is a name or a short phrase of domain data (a city, a school, a
// street) written in each of the portal's languages. Interface wording lives
// in the catalogues instead.
type Text struct {
	KK string `json:"kk"`
	RU string `json:"ru"`
	EN string `json:"en"`
}

// In returns the text in lang, falling back to Russian and then Kazakh when
// that language has no text.
func (t Text) In(lang Lang) string {
	var s string
	switch lang {
	case KK:
		s = t.KK
	case RU:
		s = t.RU
	case EN:
		s = t.EN
	}
	if s == "" {
		s = t.RU
	}
	if s == "" {
		s = t.KK
	}
	return s
}
