package demo

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"sakura/internal/address"
	"sakura/internal/i18n"
	"sakura/internal/school"
	"sakura/internal/teacher"
)

// checkCodes fails the test when a list holds a code not in known, or one
// twice.
func checkCodes(t *testing.T, what string, list, known []string) {
	t.Helper()
	for i, code := range list {
		if !slices.Contains(known, code) || slices.Contains(list[:i], code) {
			t.Errorf("%s: code %q unknown or repeated in %q", what, code, list)
		}
	}
}

func TestSchools(t *testing.T) {
	tests := []struct {
		slug     string
		landline *regexp.Regexp
	}{
		{"almaty", regexp.MustCompile(`^\+7727\d{7}$`)},
		{"astana", regexp.MustCompile(`^\+77172\d{6}$`)},
	}
	for _, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			c := mustCity(t, tt.slug)
			buildings := make(map[int64]address.Building)
			for _, b := range c.Buildings {
				buildings[b.ID] = b
			}
			streets := make(map[int64]address.Street)
			for _, s := range c.Streets {
				streets[s.ID] = s
			}

			for _, s := range c.Schools {
				name := s.Name.RU
				b, ok := buildings[s.BuildingID]
				switch {
				case s.City != c.City.Slug:
					t.Errorf("%s is of city %q", name, s.City)
				case !ok || b.Residential || b.Location != s.Location || b.District != s.District:
					t.Errorf("%s: its building %+v is not a school's at %v in %s",
						name, b, s.Location, s.District)
				case !strings.Contains(s.Address.RU, streets[b.StreetID].Name.RU) ||
					!strings.HasSuffix(s.Address.RU, " "+b.Number):
					t.Errorf("%s: address %q does not name street %q and number %q",
						name, s.Address.RU, streets[b.StreetID].Name.RU, b.Number)
				case !tt.landline.MatchString(s.Phone):
					t.Errorf("%s: phone %q", name, s.Phone)
				case !strings.Contains(s.Email, "@") || len(strings.Fields(s.Director)) != 3:
					t.Errorf("%s: e-mail %q, director %q", name, s.Email, s.Director)
				case s.Founded < 1900 || s.Founded > 2026:
					t.Errorf("%s: founded %d", name, s.Founded)
				case s.Shifts < 1 || s.Shifts > 3 || len(s.StartTimes) != s.Shifts:
					t.Errorf("%s: %d shifts starting at %q", name, s.Shifts, s.StartTimes)
				case s.Capacity <= 0 || s.Pupils <= 0:
					t.Errorf("%s: capacity %d, pupils %d", name, s.Capacity, s.Pupils)
				case len(s.Languages) == 0:
					t.Errorf("%s teaches in no language", name)
				}

				// Grade 1 in every school but the specialised ones, which
				// start later; grade 10 in the general ones that go that far.
				hasPrimary := s.Type != school.Specialised
				if hasPrimary != (s.Grade1Classes >= 2 && s.Grade1Classes <= 8) {
					t.Errorf("%s (%s): %d grade-1 classes", name, s.Type, s.Grade1Classes)
				}
				if s.Grade10Classes < 0 || s.Grade10Classes > 4 ||
					(s.Type == school.Primary || s.Type == school.Basic) && s.Grade10Classes > 0 {
					t.Errorf("%s (%s): %d grade-10 classes", name, s.Type, s.Grade10Classes)
				}
				if (s.Grade10Classes > 0) != (len(s.Profiles) > 0) {
					t.Errorf("%s: %d grade-10 classes but profiles %q", name, s.Grade10Classes, s.Profiles)
				}
				checkCodes(t, name+" profiles", s.Profiles, school.Profiles())
				checkCodes(t, name+" facilities", s.Facilities, school.Facilities())
				checkCodes(t, name+" accessibility", s.Accessibility, school.Accessibility())
			}
		})
	}
}

func TestSchoolMix(t *testing.T) {
	type mix struct {
		public, numbered, kkOnly, crowded, threeShifts float64
		types                                          map[school.Type]int
	}
	measure := func(schools []school.School) mix {
		m := mix{types: make(map[school.Type]int)}
		for _, s := range schools {
			m.types[s.Type]++
			if s.Ownership == school.Public {
				m.public++
			}
			if s.Number > 0 && strings.Contains(s.Name.RU, "№") {
				m.numbered++
			}
			if slices.Equal(s.Languages, []i18n.Lang{i18n.KK}) {
				m.kkOnly++
			}
			if s.Pupils > s.Capacity {
				m.crowded++
			}
			if s.Shifts == 3 {
				m.threeShifts++
			}
		}
		n := float64(len(schools))
		m.public, m.numbered, m.kkOnly, m.crowded, m.threeShifts =
			m.public/n, m.numbered/n, m.kkOnly/n, m.crowded/n, m.threeShifts/n
		return m
	}
	almaty, astana := measure(mustCity(t, "almaty").Schools), measure(mustCity(t, "astana").Schools)

	for slug, m := range map[string]mix{"almaty": almaty, "astana": astana} {
		if m.public < 0.85 || m.public > 0.95 {
			t.Errorf("%s: %.0f%% of schools public, want about 90%%", slug, m.public*100)
		}
		if m.numbered < 0.8 {
			t.Errorf("%s: %.0f%% of schools numbered, want most", slug, m.numbered*100)
		}
		for _, typ := range []school.Type{school.General, school.Gymnasium, school.Lyceum, school.Specialised} {
			if m.types[typ] == 0 {
				t.Errorf("%s: no %s school", slug, typ)
			}
		}
	}
	if astana.kkOnly <= almaty.kkOnly {
		t.Errorf("Kazakh-only schools: Astana %.0f%%, Almaty %.0f%%; want more in Astana",
			astana.kkOnly*100, almaty.kkOnly*100)
	}
	if almaty.crowded < 0.4 || almaty.threeShifts == 0 {
		t.Errorf("Almaty: %.0f%% of schools over capacity, %.1f%% on three shifts; want many and some",
			almaty.crowded*100, almaty.threeShifts*100)
	}
}

func TestTeachers(t *testing.T) {
	categories := []teacher.Category{teacher.Pedagogue, teacher.Moderator, teacher.Expert,
		teacher.Researcher, teacher.Master}
	for _, c := range demoCities() {
		t.Run(c.City.Slug, func(t *testing.T) {
			perSchool := make(map[int64]int)
			women, thin := 0, 0
			for _, tc := range c.Teachers {
				perSchool[tc.SchoolID]++
				who := tc.Surname + " " + tc.Name
				if strings.HasSuffix(tc.Patronymic, "қызы") || strings.HasSuffix(tc.Patronymic, "на") {
					women++
				}
				switch {
				case tc.City != c.City.Slug:
					t.Errorf("%s is of city %q", who, tc.City)
				case !slices.Contains(categories, tc.Category):
					t.Errorf("%s: category %q", who, tc.Category)
				case tc.Experience < 0 || tc.Experience > 40:
					t.Errorf("%s: %d years", who, tc.Experience)
				case len(tc.Subjects) == 0 || len(tc.Languages) == 0:
					t.Errorf("%s teaches %q in %q", who, tc.Subjects, tc.Languages)
				}
				checkCodes(t, who+" subjects", tc.Subjects, teacher.Subjects())

				var codes []string
				for _, ind := range tc.Indicators {
					codes = append(codes, ind.Code)
					if ind.Observations < 0 || ind.Value < 0 ||
						ind.Code != teacher.IndicatorOlympiadResults && ind.Value > 100 {
						t.Errorf("%s: indicator %+v", who, ind)
					}
					if ind.Code == teacher.IndicatorRating && ind.Observations < teacher.MinObservations {
						thin++
					}
				}
				checkCodes(t, who+" indicators", codes, teacher.Indicators())
			}

			for _, s := range c.Schools {
				n := perSchool[s.ID]
				if hasPrimary := s.Grade1Classes > 0; hasPrimary && (n < 6 || n > 20) || !hasPrimary && n > 0 {
					t.Errorf("%s (%s) has %d primary teachers", s.Name.RU, s.Type, n)
				}
			}
			if share := float64(women) / float64(len(c.Teachers)); share < 0.85 {
				t.Errorf("%.0f%% of primary teachers are women, want most", share*100)
			}
			if thin == 0 || thin > len(c.Teachers)/3 {
				t.Errorf("%d of %d ratings rest on fewer than %d observations, want some",
					thin, len(c.Teachers), teacher.MinObservations)
			}
		})
	}
}

func TestFreeNumber(t *testing.T) {
	tests := []struct {
		near  string
		taken []string
		want  string
	}{
		{"12", nil, "12А"},
		{"12", []string{"12А"}, "12Б"},
		{"150/230", nil, "150А"},
		{"58к1", []string{"58А", "58Б"}, "58В"},
		{"7", []string{"7А", "7Б", "7В", "7Г", "7Д", "7Е", "7Ж"}, "7к7"},
	}
	for _, tt := range tests {
		t.Run(tt.near, func(t *testing.T) {
			got := freeNumber(tt.near, func(n string) bool { return slices.Contains(tt.taken, n) })
			if got != tt.want {
				t.Errorf("freeNumber(%q) with %q taken = %q, want %q", tt.near, tt.taken, got, tt.want)
			}
		})
	}
}
