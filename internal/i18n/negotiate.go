package i18n

import "golang.org/x/text/language"

// negotiable lists the languages Negotiate picks from. Kazakh comes first, so
// it wins ties.
var negotiable = []Lang{KK, RU, EN}

// matcher ranks negotiable for an Accept-Language header.
var matcher = language.NewMatcher([]language.Tag{
	language.Kazakh, language.Russian, language.English,
})

// Negotiate returns the portal language that best matches an Accept-Language
// header, and whether any matched at all (so that the caller can fall back
// to Kazakh, or to something it knows better, such as a cookie).
func Negotiate(acceptLanguage string) (Lang, bool) {
	if acceptLanguage == "" {
		return "", false
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return "", false
	}
	_, index, confidence := matcher.Match(tags...)
	if confidence == language.No {
		return "", false
	}
	return negotiable[index], true
}
