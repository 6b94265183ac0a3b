package address

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQuery is the longest query, in characters, the parser reads; the rest
// is ignored. No address a parent types comes close.
const MaxQuery = 200

// Query is a short address as a parent types it, split into its parts.
type Query struct {
	Street string // the street part, folded, without kind words: "абая"
	Number string // the house number, normalised: "150", "12А", "58к1", "150/230"
}

// foldLetters maps the letters only Kazakh has, ё, and the Latin letters
// that look like Cyrillic ones (inside a Cyrillic word) to the letters the
// index compares.
var foldLetters = map[rune]rune{
	'ә': 'а', 'ғ': 'г', 'қ': 'к', 'ң': 'н', 'ө': 'о', 'ұ': 'у', 'ү': 'у', 'һ': 'х', 'і': 'и',
	'ё': 'е', 'й': 'и', 'ъ': -1, 'ь': -1,
}

// lookAlikes maps Latin letters to the Cyrillic ones they look like.
var lookAlikes = map[rune]rune{
	'a': 'а', 'b': 'в', 'c': 'с', 'e': 'е', 'h': 'н', 'k': 'к', 'm': 'м', 'o': 'о', 'p': 'р',
	't': 'т', 'x': 'х', 'y': 'у', 'i': 'и',
}

// Fold returns s as the index compares it: lower case, Kazakh letters and ё
// as their nearest Russian ones, й as и, hard and soft signs dropped, and
// Latin look-alike letters inside a Cyrillic word made Cyrillic. Anything
// but letters, digits, '-' and '/' becomes one space.
func Fold(s string) string {
	if len(s) > MaxQuery {
		s = truncate(s, MaxQuery)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, word := range strings.FieldsFunc(s, isSeparator) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		cyrillic := hasCyrillic(word)
		for _, r := range word {
			if r == utf8.RuneError {
				continue
			}
			r = unicode.ToLower(r)
			if cyrillic {
				if to, ok := lookAlikes[r]; ok {
					r = to
				}
			}
			if to, ok := foldLetters[r]; ok {
				if to < 0 {
					continue
				}
				r = to
			}
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '/' {
				b.WriteRune(r)
			}
		}
	}
	return strings.TrimSpace(strings.Join(strings.Fields(b.String()), " "))
}

// isSeparator reports whether r separates words of an address.
func isSeparator(r rune) bool {
	switch r {
	case '-', '/':
		return false
	}
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// hasCyrillic reports whether the word holds a Cyrillic letter, or is a
// house number whose letters are to read as Cyrillic.
func hasCyrillic(word string) bool {
	for _, r := range word {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(word)
	return unicode.IsDigit(r)
}

// kindWords are the words naming the kind of a street, in Kazakh, Russian
// and English, folded; a query drops them.
var kindWords = set(
	"ул", "улица", "кошеси", "к-си", "кош", "пр", "пр-т", "просп", "проспект", "дангылы", "дан",
	"мкр", "мкрн", "м-н", "микрораион", "ш/а", "шагын", "б-р", "бул", "бульвар", "бульвары",
	"пер", "переулок", "туиык", "шоссе", "ш", "д", "дом", "уи", "st", "street", "str", "ave",
	"avenue", "blvd", "boulevard", "lane", "microdistrict", "md", "highway", "no",
	"аудан", "ауданы", "г", "город", "каласы", "к", "city",
)

// cityWords are the names of the cities, which a query drops.
var cityWords = set("алматы", "астана", "almaty", "astana", "нур-султан")

// flatWords start the flat part of an address, which a query drops with all
// that follows.
var flatWords = set("кв", "квартира", "патер", "apt", "flat", "офис", "оф")

// blockWords name a block (корпус) of a building: "58 корпус 1" is 58к1.
var blockWords = set("к", "корп", "корпус", "блок")

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[Fold(w)] = true
	}
	return m
}

// Parse splits a short address into its street part and house number:
// «пр. Абая, д.150» is street "абая", number "150"; «Самал-2 58» is
// "самал-2", "58"; «ул. Е-246 № 3» is "е-246", "3". Either part may be
// empty. Parse never fails: what it cannot read is left out.
func Parse(s string) Query {
	words := strings.Fields(Fold(s))

	// The flat and all that follows go.
	for i, w := range words {
		if flatWords[w] {
			words = words[:i]
			break
		}
	}

	// The house number is the last word that starts with a digit, with a
	// letter or a block that follows it: "12 а", "58 к 1", "58 корпус 1".
	var q Query
	for i := len(words) - 1; i >= 0; i-- {
		if !startsWithDigit(words[i]) || i > 0 && words[i-1] == "no" {
			continue // "No. 37 Street" names a street
		}
		num, rest := words[i], words[i+1:]
		switch {
		case i >= 2 && blockWords[words[i-1]] && startsWithDigit(words[i-2]) && onlyDigits(num):
			i -= 2
			num = words[i] + "к" + num
		case len(rest) >= 1 && utf8.RuneCountInString(rest[0]) == 1 && !onlyDigits(rest[0]):
			num += rest[0]
			rest = rest[1:]
		}
		q.Number = NormalizeNumber(num)
		words = append(words[:i:i], rest...)
		break
	}

	q.Street = strings.Join(dropKinds(words), " ")
	return q
}

// StreetKey returns a street's name as the index compares it: folded, with
// no kind words. Unlike Parse it reads no house number: «№ 134» is "134".
func StreetKey(name string) string {
	return strings.Join(dropKinds(strings.Fields(Fold(name))), " ")
}

// dropKinds returns the words without kind words, the city and its kind,
// and the two-word kind тас жолы.
func dropKinds(words []string) []string {
	kept := make([]string, 0, len(words))
	for i, w := range words {
		next := ""
		if i+1 < len(words) {
			next = words[i+1]
		}
		switch {
		case w == "тас" && next == "жолы", w == "жолы" && i > 0 && words[i-1] == "тас":
			continue
		case kindWords[w] || cityWords[w]:
			continue
		}
		kept = append(kept, w)
	}
	return kept
}

// NormalizeNumber writes a house number one way: upper-case Cyrillic
// letters, a block as к, no spaces or dashes: "12a" and "12 А" are "12А",
// "58 к.1" and "58корп1" are "58к1".
func NormalizeNumber(s string) string {
	s = strings.ReplaceAll(Fold(s), " ", "")
	s = strings.ReplaceAll(s, "-", "")
	for _, w := range []string{"корпус", "корп", "блок"} {
		s = strings.ReplaceAll(s, w, "к")
	}
	var b strings.Builder
	for i, r := range s {
		// A letter right after a digit is the number's letter (upper case),
		// unless it is the block mark к followed by a digit.
		if r == 'к' && i+len("к") < len(s) && startsWithDigit(s[i+len("к"):]) {
			b.WriteRune(r)
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

func startsWithDigit(s string) bool {
	return s != "" && s[0] >= '0' && s[0] <= '9'
}

func onlyDigits(s string) bool {
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

// truncate returns the first n characters of s.
func truncate(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
