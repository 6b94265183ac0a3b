package demo

import (
	"regexp"
	"slices"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/address"
	"sakura/internal/i18n"
)

// latinIn returns the Latin letters in s: in a Kazakh or Russian name they
// are look-alikes typed by mistake (a Latin "A" for a Cyrillic "А").
func latinIn(s string) []rune {
	var out []rune
	for _, r := range s {
		if unicode.Is(unicode.Latin, r) {
			out = append(out, r)
		}
	}
	return out
}

// checkCyrillic fails the test when the Kazakh or Russian text of what is
// empty or holds Latin letters, or its English text holds Cyrillic ones.
func checkCyrillic(t *testing.T, what string, text i18n.Text) {
	t.Helper()
	for lang, s := range map[string]string{"kk": text.KK, "ru": text.RU} {
		if s == "" {
			t.Errorf("%s has no %s name: %+v", what, lang, text)
		}
		if l := latinIn(s); len(l) > 0 {
			t.Errorf("%s: %s name %q holds Latin letters %q", what, lang, s, string(l))
		}
	}
	for _, r := range text.EN {
		if unicode.Is(unicode.Cyrillic, r) {
			t.Errorf("%s: English name %q holds Cyrillic %q", what, text.EN, r)
			break
		}
	}
}

func TestNamesAreWrittenInTheirAlphabets(t *testing.T) {
	for _, c := range demoCities() {
		t.Run(c.City.Slug, func(t *testing.T) {
			checkCyrillic(t, "city", c.City.Name)
			for _, d := range c.City.Districts {
				checkCyrillic(t, "district "+d.Slug, d.Name)
			}
			for _, s := range c.Streets {
				checkCyrillic(t, "street "+s.Name.EN, s.Name)
				for _, old := range s.OldNames {
					checkCyrillic(t, "old name of "+s.Name.EN, i18n.Text{KK: old, RU: old})
				}
			}
			for _, s := range c.Schools {
				checkCyrillic(t, "school "+s.Name.EN, s.Name)
				checkCyrillic(t, "address of "+s.Name.EN, s.Address)
				checkCyrillic(t, "director of "+s.Name.EN, i18n.Text{KK: s.Director, RU: s.Director})
			}
			for _, b := range c.Buildings {
				if l := latinIn(b.Number); len(l) > 0 {
					t.Errorf("building %d: number %q holds Latin letters", b.ID, b.Number)
				}
			}
			for _, p := range c.People {
				full := p.Surname + " " + p.Name + " " + p.Patronymic
				checkCyrillic(t, "person "+p.IIN, i18n.Text{KK: full, RU: full})
			}
			for _, tc := range c.Teachers {
				full := tc.Surname + " " + tc.Name + " " + tc.Patronymic
				checkCyrillic(t, "teacher", i18n.Text{KK: full, RU: full})
			}
		})
	}
}

func TestStreets(t *testing.T) {
	for _, c := range demoCities() {
		t.Run(c.City.Slug, func(t *testing.T) {
			kinds := make(map[address.StreetKind]int)
			for _, s := range c.Streets {
				kinds[s.Kind]++
				if s.City != c.City.Slug {
					t.Errorf("street %s is of city %q", s.Name.RU, s.City)
				}
				if _, ok := c.City.District(s.District); !ok {
					t.Errorf("street %s is in unknown district %q", s.Name.RU, s.District)
				}
			}
			for _, k := range []address.StreetKind{
				address.KindStreet, address.KindAvenue, address.KindMicrodistrict,
			} {
				if kinds[k] == 0 {
					t.Errorf("no street of kind %s", k)
				}
			}
		})
	}

	// Both cities together have every kind.
	var all []address.StreetKind
	for _, c := range demoCities() {
		for _, s := range c.Streets {
			if !slices.Contains(all, s.Kind) {
				all = append(all, s.Kind)
			}
		}
	}
	slices.Sort(all)
	want := []address.StreetKind{
		address.KindAvenue, address.KindBoulevard, address.KindHighway,
		address.KindLane, address.KindMicrodistrict, address.KindStreet,
	}
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("street kinds mismatch (-want +got):\n%s", diff)
	}
}

func TestWellKnownStreets(t *testing.T) {
	tests := []struct {
		city string
		kind address.StreetKind
		name i18n.Text
	}{
		{"almaty", address.KindAvenue, i18n.Text{KK: "Абай", RU: "Абая", EN: "Abay"}},
		{"almaty", address.KindAvenue, i18n.Text{KK: "Достық", RU: "Достык", EN: "Dostyk"}},
		{"almaty", address.KindStreet, i18n.Text{KK: "Төле би", RU: "Толе би", EN: "Tole bi"}},
		{"almaty", address.KindMicrodistrict, i18n.Text{KK: "Самал-2", RU: "Самал-2", EN: "Samal-2"}},
		{"almaty", address.KindMicrodistrict, i18n.Text{KK: "Айнабұлақ-3", RU: "Айнабулак-3", EN: "Aynabulak-3"}},
		{"astana", address.KindAvenue, i18n.Text{KK: "Тұран", RU: "Туран", EN: "Turan"}},
		{"astana", address.KindAvenue, i18n.Text{KK: "Мәңгілік Ел", RU: "Мангилик Ел", EN: "Mangilik El"}},
		{"astana", address.KindHighway, i18n.Text{KK: "Қорғалжын", RU: "Коргалжинское", EN: "Korgalzhyn"}},
	}
	for _, tt := range tests {
		t.Run(tt.city+"/"+tt.name.EN, func(t *testing.T) {
			c := mustCity(t, tt.city)
			i := slices.IndexFunc(c.Streets, func(s address.Street) bool { return s.Name.KK == tt.name.KK })
			if i < 0 {
				t.Fatalf("no street %q in %s", tt.name.KK, tt.city)
			}
			s := c.Streets[i]
			if diff := cmp.Diff(tt.name, s.Name); diff != "" || s.Kind != tt.kind {
				t.Errorf("%s is a %s; name mismatch (-want +got):\n%s", tt.name.KK, s.Kind, diff)
			}
		})
	}

	// Astana's numbered streets are written «Е-246» and «№ 37».
	numbered := regexp.MustCompile(`^(Е-\d+|№ \d+)$`)
	count := 0
	for _, s := range mustCity(t, "astana").Streets {
		if numbered.MatchString(s.Name.KK) {
			count++
		}
	}
	if count < 50 {
		t.Errorf("%d numbered streets in Astana, want dozens", count)
	}
}

func TestRenamedMicrodistricts(t *testing.T) {
	tests := []struct{ now, old string }{
		{"Нұркент", "Алғабас-1"},
		{"Шапағат", "Заря Востока"},
		{"Томирис", "Трудовик"},
		{"Шабыт", "Дубок"},
		{"Нұр Алатау", "Алатау"},
	}
	streets := mustCity(t, "almaty").Streets
	for _, tt := range tests {
		t.Run(tt.now, func(t *testing.T) {
			i := slices.IndexFunc(streets, func(s address.Street) bool { return s.Name.KK == tt.now })
			if i < 0 {
				t.Fatalf("no microdistrict %s", tt.now)
			}
			if s := streets[i]; s.Kind != address.KindMicrodistrict || !slices.Contains(s.OldNames, tt.old) {
				t.Errorf("%s: kind %s, old names %q; want a microdistrict once called %s",
					tt.now, s.Kind, s.OldNames, tt.old)
			}
		})
	}
}

func TestHouseNumbers(t *testing.T) {
	valid := regexp.MustCompile(`^[1-9]\d*([АБВГДЕЖ]|/[1-9]\d*|к[1-9]\d*)?$`)
	forms := []struct {
		name string
		re   *regexp.Regexp
	}{
		{"plain, like 12", regexp.MustCompile(`^\d+$`)},
		{"lettered, like 12А", regexp.MustCompile(`^\d+[АБ]$`)},
		{"corner, like 150/230", regexp.MustCompile(`^\d+/\d+$`)},
		{"block, like 58к1", regexp.MustCompile(`^\d+к\d+$`)},
	}
	for _, c := range demoCities() {
		t.Run(c.City.Slug, func(t *testing.T) {
			found := make(map[string]int)
			for _, b := range c.Buildings {
				if !valid.MatchString(b.Number) {
					t.Errorf("building %d has number %q", b.ID, b.Number)
				}
				for _, f := range forms {
					if f.re.MatchString(b.Number) {
						found[f.name]++
					}
				}
			}
			for _, f := range forms {
				if found[f.name] < 20 {
					t.Errorf("%d numbers %s, want more", found[f.name], f.name)
				}
			}
		})
	}
}

func TestAddressText(t *testing.T) {
	tests := []struct {
		street address.Street
		number string
		want   i18n.Text
	}{
		{
			address.Street{Kind: address.KindAvenue, Name: names("Абай|Абая")}, "10",
			i18n.Text{KK: "Алматы қ., Абай даңғылы, 10", RU: "г. Алматы, пр. Абая, 10",
				EN: "10 Abay Avenue, Almaty"},
		},
		{
			address.Street{Kind: address.KindMicrodistrict, Name: names("Самал-2")}, "58А",
			i18n.Text{KK: "Алматы қ., Самал-2 шағын ауданы, 58А", RU: "г. Алматы, мкр. Самал-2, д. 58А",
				EN: "58A Samal-2 Microdistrict, Almaty"},
		},
		{
			address.Street{Kind: address.KindHighway, Name: names("Қорғалжын|Коргалжинское")}, "3",
			i18n.Text{KK: "Алматы қ., Қорғалжын тас жолы, 3", RU: "г. Алматы, Коргалжинское ш., 3",
				EN: "3 Korgalzhyn Highway, Almaty"},
		},
		{
			address.Street{Kind: address.KindStreet, Name: names("№ 37")}, "5",
			i18n.Text{KK: "Алматы қ., № 37 көшесі, 5", RU: "г. Алматы, ул. № 37, 5",
				EN: "5 No. 37 Street, Almaty"},
		},
	}
	city := i18n.Text{KK: "Алматы", RU: "Алматы", EN: "Almaty"}
	for _, tt := range tests {
		t.Run(tt.want.RU, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, addressText(city, tt.street, tt.number)); diff != "" {
				t.Errorf("addressText mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTransliteration(t *testing.T) {
	tests := []struct{ kk, ru, en string }{
		{"Достық", "Достык", "Dostyk"},
		{"Жібек жолы", "Жибек жолы", "Zhibek zholy"},
		{"Әуезов", "Ауезов", "Auezov"}, // the table spells the Russian: Ауэзова
		{"Шаңырақ-1", "Шанырак-1", "Shanyrak-1"},
		{"Ибраһим", "Ибрахим", "Ibrahim"},
		{"Е-246", "Е-246", "E-246"},
	}
	for _, tt := range tests {
		t.Run(tt.kk, func(t *testing.T) {
			if got := latin(tt.kk); got != tt.en {
				t.Errorf("latin(%q) = %q, want %q", tt.kk, got, tt.en)
			}
			if got := kkToRu(tt.kk); got != tt.ru {
				t.Errorf("kkToRu(%q) = %q, want %q", tt.kk, got, tt.ru)
			}
		})
	}
}
