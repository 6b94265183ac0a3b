package school

import (
	"strings"
	"unicode"
)

// fold makes text comparable for search: lower case, the Kazakh letters
// written as their nearest Russian ones (ә→а, қ→к, і→и, …), ё as е, Latin
// letters that look Cyrillic left Latin, and every run of punctuation or
// space one space. «Әл-Фараби» and «аль фараби» fold alike, up to the soft
// sign, which is dropped.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // no leading space
	for _, r := range s {
		r = unicode.ToLower(r)
		if f, ok := kazakhFold[r]; ok {
			r = f
		}
		switch {
		case r == 'ь' || r == 'ъ':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

// kazakhFold maps the letters of the Kazakh alphabet that Russian lacks,
// and ё, to the letters people type for them on a Russian keyboard.
var kazakhFold = map[rune]rune{
	'ә': 'а', 'ғ': 'г', 'қ': 'к', 'ң': 'н', 'ө': 'о', 'ұ': 'у', 'ү': 'у',
	'һ': 'х', 'і': 'и', 'ё': 'е', 'й': 'и',
}

// isNumber reports whether s is all ASCII digits.
func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
