package demo

import (
	"fmt"
	"strings"
	"unicode"

	"sakura/internal/address"
	"sakura/internal/geo"
	"sakura/internal/i18n"
)

// The street kinds, short for the tables.
const (
	street    = address.KindStreet
	avenue    = address.KindAvenue
	boulevard = address.KindBoulevard
	lane      = address.KindLane
	micro     = address.KindMicrodistrict
	highway   = address.KindHighway
)

// streetDef is a row of a city's street table.
type streetDef struct {
	kind address.StreetKind
	name i18n.Text
	// course is the line the street follows, or the centre of a
	// microdistrict; empty for a street placed at random in its district.
	course   []geo.Point
	district string
	old      []string
}

// numberedDef asks for count streets of a district named by a number, as
// Astana's new quarters are («Е-246», «№ 37»): format holds one %d, and the
// numbers are drawn from 1..max, none twice within one format.
type numberedDef struct {
	district string
	format   string
	count    int
	max      int
}

// names reads a table's "kk|ru|en" text. A missing Russian name is the
// Kazakh one in Russian letters; a missing English one is the Kazakh one in
// Latin letters.
func names(s string) i18n.Text {
	parts := strings.Split(s, "|")
	t := i18n.Text{KK: parts[0], RU: kkToRu(parts[0]), EN: latin(parts[0])}
	if len(parts) > 1 && parts[1] != "" {
		t.RU = parts[1]
	}
	if len(parts) > 2 && parts[2] != "" {
		t.EN = parts[2]
	}
	return t
}

// line is a street with a known course, given as latitude and longitude
// pairs from its first house numbers to its last.
func line(kind address.StreetKind, name string, coords ...float64) streetDef {
	def := streetDef{kind: kind, name: names(name)}
	for i := 0; i+1 < len(coords); i += 2 {
		def.course = append(def.course, pt(coords[i], coords[i+1]))
	}
	return def
}

// at is a microdistrict around a known centre.
func at(name string, lat, lon float64) streetDef {
	return streetDef{kind: micro, name: names(name), course: []geo.Point{pt(lat, lon)}}
}

// placed returns streets of one kind laid out at random in a district.
func placed(district string, kind address.StreetKind, list ...string) []streetDef {
	defs := make([]streetDef, 0, len(list))
	for _, s := range list {
		defs = append(defs, streetDef{kind: kind, name: names(s), district: district})
	}
	return defs
}

// renamed adds a former name to a street, in Kazakh and, where it differs,
// in Russian letters.
func renamed(def streetDef, old string) streetDef {
	def.old = append(def.old, old)
	if ru := kkToRu(old); ru != old {
		def.old = append(def.old, ru)
	}
	return def
}

// kkToRu writes Kazakh text in the Russian alphabet, as Russian-language
// documents spell Kazakh names: Сәтбаев → Сатбаев, Нұрлан → Нурлан.
func kkToRu(s string) string {
	return strings.Map(func(r rune) rune {
		if to, ok := kkOnlyLetters[unicode.ToLower(r)]; ok {
			if unicode.IsUpper(r) {
				return unicode.ToUpper(to)
			}
			return to
		}
		return r
	}, s)
}

// kkOnlyLetters maps the letters only Kazakh has to their nearest Russian
// ones.
var kkOnlyLetters = map[rune]rune{
	'ә': 'а', 'ғ': 'г', 'қ': 'к', 'ң': 'н', 'ө': 'о', 'ұ': 'у', 'ү': 'у', 'һ': 'х', 'і': 'и',
}

// latinLetters is the transliteration the English names use: the familiar
// spelling of Kazakh place names (Dostyk, Zhibek zholy, Auezov), not the
// official Latin alphabet.
var latinLetters = map[rune]string{
	'а': "a", 'ә': "a", 'б': "b", 'в': "v", 'г': "g", 'ғ': "g", 'д': "d", 'е': "e", 'ё': "yo",
	'ж': "zh", 'з': "z", 'и': "i", 'й': "y", 'к': "k", 'қ': "k", 'л': "l", 'м': "m", 'н': "n",
	'ң': "n", 'о': "o", 'ө': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ұ': "u",
	'ү': "u", 'ф': "f", 'х': "kh", 'һ': "h", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'і': "i", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya", '№': "No.",
}

// latin writes Kazakh or Russian text in Latin letters.
func latin(s string) string {
	var b strings.Builder
	for _, r := range s {
		lower := unicode.ToLower(r)
		to, ok := latinLetters[lower]
		switch {
		case !ok:
			b.WriteRune(r)
		case r != lower && to != "":
			b.WriteString(strings.ToUpper(to[:1]) + to[1:])
		default:
			b.WriteString(to)
		}
	}
	return b.String()
}

// addressText returns a full address in each language: «Алматы қ., Абай
// даңғылы, 10», «г. Алматы, пр. Абая, 10», "10 Abay Avenue, Almaty".
func addressText(city i18n.Text, s address.Street, number string) i18n.Text {
	st := address.StreetText(s)
	house := number
	if s.Kind == micro {
		house = "д. " + number
	}
	return i18n.Text{
		KK: fmt.Sprintf("%s қ., %s, %s", city.KK, st.KK, number),
		RU: fmt.Sprintf("г. %s, %s, %s", city.RU, st.RU, house),
		EN: fmt.Sprintf("%s %s, %s", latin(number), st.EN, city.EN),
	}
}
