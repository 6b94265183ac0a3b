package address

import (
	"strings"

	"sakura/internal/i18n"
)

// StreetText returns a street's name with its kind in each language:
// «Абай даңғылы», «пр. Абая», "Abay Avenue".
func StreetText(s Street) i18n.Text {
	var kk, ru, en string
	switch s.Kind {
	case KindAvenue:
		kk, ru, en = "даңғылы", "пр.", "Avenue"
	case KindBoulevard:
		kk, ru, en = "бульвары", "бул.", "Boulevard"
	case KindLane:
		kk, ru, en = "тұйық көшесі", "пер.", "Lane"
	case KindMicrodistrict:
		kk, ru, en = "шағын ауданы", "мкр.", "Microdistrict"
	case KindHighway:
		kk, ru, en = "тас жолы", "ш.", "Highway"
	default:
		kk, ru, en = "көшесі", "ул.", "Street"
	}
	t := i18n.Text{KK: s.Name.KK + " " + kk, RU: ru + " " + s.Name.RU, EN: s.Name.EN + " " + en}
	if s.Kind == KindHighway && strings.HasSuffix(s.Name.RU, "ое") {
		t.RU = s.Name.RU + " " + ru // an adjective goes first: «Коргалжинское ш.»
	}
	return t
}

// HouseText returns the short address of a building in each language:
// «Абай даңғылы, 150», «пр. Абая, 150», "150 Abay Avenue".
func HouseText(s Street, number string) i18n.Text {
	st := StreetText(s)
	return i18n.Text{
		KK: st.KK + ", " + number,
		RU: st.RU + ", " + number,
		EN: latinNumber(number) + " " + st.EN,
	}
}

// latinLetters writes the Cyrillic letters of house numbers in Latin.
var latinLetters = strings.NewReplacer("А", "A", "Б", "B", "В", "V", "Г", "G", "Д", "D", "Е", "E", "к", "k")

// latinNumber writes the Cyrillic letters of a house number in Latin.
func latinNumber(n string) string { return latinLetters.Replace(n) }
