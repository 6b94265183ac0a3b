package demo

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/person"
)

func TestFirstFamilies(t *testing.T) {
	tests := []struct {
		city        string
		mother      person.Person
		fatherIIN   string
		fatherPhone string
		children    []string
	}{
		{
			city: "almaty",
			mother: person.Person{IIN: AlmatyMotherIIN, City: "almaty", Surname: "Сейітова", Name: "Айгүл",
				Patronymic: "Серікқызы", BirthDate: date(1990, 7, 25), Sex: person.Female, Phone: AlmatyMotherPhone},
			fatherIIN: AlmatyFatherIIN, fatherPhone: AlmatyFatherPhone,
			children: []string{AlmatyChildIIN, AlmatySiblingIIN},
		},
		{
			city: "astana",
			mother: person.Person{IIN: AstanaMotherIIN, City: "astana", Surname: "Иванова", Name: "Елена",
				Patronymic: "Сергеевна", BirthDate: date(1987, 2, 14), Sex: person.Female, Phone: AstanaMotherPhone},
			fatherIIN: AstanaFatherIIN, fatherPhone: AstanaFatherPhone,
			children: []string{AstanaChildIIN, AstanaSiblingIIN},
		},
	}
	for _, tt := range tests {
		t.Run(tt.city, func(t *testing.T) {
			c := mustCity(t, tt.city)
			if diff := cmp.Diff(tt.mother, c.People[0]); diff != "" {
				t.Errorf("first person mismatch (-want +got):\n%s", diff)
			}
			if p := c.People[1]; p.IIN != tt.fatherIIN || p.Phone != tt.fatherPhone || p.Sex != person.Male {
				t.Errorf("second person %+v, want the father %s", p, tt.fatherIIN)
			}
			var want []person.Link
			for _, child := range tt.children {
				want = append(want,
					person.Link{ParentIIN: tt.mother.IIN, ChildIIN: child, Relation: RelationMother},
					person.Link{ParentIIN: tt.fatherIIN, ChildIIN: child, Relation: RelationFather})
			}
			if diff := cmp.Diff(want, c.Links[:len(want)]); diff != "" {
				t.Errorf("first links mismatch (-want +got):\n%s", diff)
			}

			// The first child is next spring's grade-1 applicant.
			if child := c.People[2]; child.IIN != tt.children[0] || child.BirthDate.Year() != 2021 {
				t.Errorf("third person %+v, want the child %s born in 2021", child, tt.children[0])
			}
		})
	}
}

func TestFamilies(t *testing.T) {
	for _, c := range demoCities() {
		t.Run(c.City.Slug, func(t *testing.T) {
			people := make(map[string]person.Person)
			for _, p := range c.People {
				people[p.IIN] = p
			}
			adults := make(map[string][]person.Link)
			for _, l := range c.Links {
				adults[l.ChildIIN] = append(adults[l.ChildIIN], l)
			}

			byYear := make(map[int]int)
			children := 0
			for _, p := range c.People {
				links, isChild := adults[p.IIN]
				if !isChild {
					// A parent or guardian: born 1975–2000, with a phone.
					if y := p.BirthDate.Year(); y < 1975 || y > 2000 || p.Phone == "" {
						t.Errorf("adult %s %s born %d, phone %q", p.Surname, p.Name, y, p.Phone)
					}
					continue
				}
				children++
				byYear[p.BirthDate.Year()]++
				// Turning 6 in 2026 or 2027, or of school age.
				age := ageAt(p.BirthDate, Today())
				if y := p.BirthDate.Year(); y != 2020 && y != 2021 && (age < 7 || age > 17) || p.Phone != "" {
					t.Errorf("child %s %s is %d, phone %q", p.Surname, p.Name, age, p.Phone)
				}
				for _, l := range links {
					parent, ok := people[l.ParentIIN]
					switch {
					case !ok:
						t.Errorf("child %s linked to unknown %s", p.IIN, l.ParentIIN)
					case l.Relation == RelationMother && parent.Sex != person.Female,
						l.Relation == RelationFather && parent.Sex != person.Male,
						l.Relation != RelationMother && l.Relation != RelationFather &&
							l.Relation != RelationGuardian:
						t.Errorf("%s %s is the %s of %s", parent.Surname, parent.Name, l.Relation, p.Name)
					case l.Relation != RelationGuardian && parent.BirthDate.AddDate(18, 0, 0).After(p.BirthDate):
						t.Errorf("%s %s (born %v) is the %s of %s (born %v)", parent.Surname, parent.Name,
							parent.BirthDate, l.Relation, p.Name, p.BirthDate)
					}
				}
			}

			// Many grade-1 applicants for 2027, some for 2026, the rest at school.
			share := func(year int) float64 { return float64(byYear[year]) / float64(children) }
			if share(2021) < 0.3 || share(2020) < 0.08 || share(2021)+share(2020) > 0.75 {
				t.Errorf("children born in 2021: %.0f%%, in 2020: %.0f%%; want many, some, and more at school",
					share(2021)*100, share(2020)*100)
			}
		})
	}
}

// ageAt returns the age in whole years on a day of someone born on birth.
func ageAt(birth, day time.Time) int {
	age := day.Year() - birth.Year()
	if day.Month() < birth.Month() || day.Month() == birth.Month() && day.Day() < birth.Day() {
		age--
	}
	return age
}

func TestNamesMatchSex(t *testing.T) {
	for _, c := range demoCities() {
		t.Run(c.City.Slug, func(t *testing.T) {
			kazakh, russian := 0, 0
			for _, p := range c.People {
				male := p.Sex == person.Male
				pat := p.Patronymic
				switch {
				case strings.HasSuffix(pat, "ұлы") || strings.HasSuffix(pat, "қызы"):
					kazakh++
					if strings.HasSuffix(pat, "ұлы") != male {
						t.Errorf("%s %s %s is %s", p.Surname, p.Name, pat, p.Sex)
					}
				case strings.HasSuffix(pat, "ич") || strings.HasSuffix(pat, "на"):
					russian++
					if strings.HasSuffix(pat, "ич") != male {
						t.Errorf("%s %s %s is %s", p.Surname, p.Name, pat, p.Sex)
					}
				default:
					t.Errorf("%s %s: patronymic %q", p.Surname, p.Name, pat)
				}
				// Сейітов, Сейітова; Иванов, Иванова.
				for _, end := range []string{"ов", "ев", "ин"} {
					if male && strings.HasSuffix(p.Surname, end+"а") ||
						!male && strings.HasSuffix(p.Surname, end) {
						t.Errorf("%s %s has a surname of the other sex", p.Surname, p.Name)
					}
				}
			}
			if kazakh < len(c.People)/4 || russian < len(c.People)/4 {
				t.Errorf("%d Kazakh and %d Russian-style patronymics, want both common", kazakh, russian)
			}
		})
	}
}

func TestNameForms(t *testing.T) {
	surnames := []struct{ male, female string }{
		{"Сейітов", "Сейітова"},
		{"Жұмабаев", "Жұмабаева"},
		{"Ильин", "Ильина"},
		{"Вишневский", "Вишневская"},
		{"Ким", "Ким"},
		{"Шевченко", "Шевченко"},
	}
	for _, tt := range surnames {
		if got := surnameFor(tt.male, false); got != tt.female {
			t.Errorf("surnameFor(%q, woman) = %q, want %q", tt.male, got, tt.female)
		}
		if got := surnameFor(tt.male, true); got != tt.male {
			t.Errorf("surnameFor(%q, man) = %q", tt.male, got)
		}
	}

	men := []struct {
		style style
		entry string
		want  man
	}{
		{kazakhKK, "Нұрлан", man{"Нұрлан", "Нұрланұлы", "Нұрланқызы"}},
		{kazakhRU, "Нұрлан", man{"Нурлан", "Нурланович", "Нурлановна"}},
		{kazakhRU, "Бақыт|Бахыт", man{"Бахыт", "Бахытович", "Бахытовна"}},
		{kazakhRU, "Серікбай", man{"Серикбай", "Серикбаевич", "Серикбаевна"}},
		{kazakhKK, "Серікбай", man{"Серікбай", "Серікбайұлы", "Серікбайқызы"}},
	}
	for _, tt := range men {
		if got := tt.style.kazakhMan(tt.entry); got != tt.want {
			t.Errorf("style %d: kazakhMan(%q) = %+v, want %+v", tt.style, tt.entry, got, tt.want)
		}
	}
}
