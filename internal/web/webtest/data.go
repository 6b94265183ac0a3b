package webtest

import (
	"fmt"
	"time"

	"sakura/internal/city"
	"sakura/internal/dataset"
	"sakura/internal/geo"
	"sakura/internal/i18n"
	"sakura/internal/iin"
	"sakura/internal/person"
)

// Cities returns a small dataset for tests: Almaty with five districts and
// two demo persons (a mother and her son), and Astana with two districts and
// two parents without children on record, one for each language of the
// cabinet's first sign-in.
// The people are invented; their IINs have valid check digits.
func Cities() []dataset.City {
	mother := Person(time.Date(1988, 4, 12, 0, 0, 0, 0, time.UTC), false, 101)
	mother.Surname, mother.Name, mother.Patronymic = "Ахметова", "Айгүл", "Серікқызы"
	mother.Phone = "+77010000001"
	son := Person(time.Date(2019, 9, 3, 0, 0, 0, 0, time.UTC), true, 102)
	son.Surname, son.Name, son.Patronymic = "Ахметов", "Нұрлан", "Асқарұлы"
	father := Person(time.Date(1985, 11, 30, 0, 0, 0, 0, time.UTC), true, 103)
	father.Surname, father.Name, father.Patronymic = "Иванов", "Сергей", "Петрович"
	father.Phone = "+77010000002"
	aunt := Person(time.Date(1962, 2, 8, 0, 0, 0, 0, time.UTC), false, 104)
	aunt.Surname, aunt.Name, aunt.Patronymic = "Сәрсенова", "Дана", "Болатқызы"
	aunt.Phone = "+77010000004"

	return []dataset.City{
		{
			City: city.City{
				Slug:   "almaty",
				Name:   i18n.Text{KK: "Алматы", RU: "Алматы", EN: "Almaty"},
				Centre: geo.Point{Lat: 43.2389, Lon: 76.8897},
				Zoom:   12,
				Districts: []city.District{
					district("almaly", "Алмалы ауданы", "Алмалинский район", "Almaly District"),
					district("auezov", "Әуезов ауданы", "Ауэзовский район", "Auezov District"),
					district("bostandyk", "Бостандық ауданы", "Бостандыкский район", "Bostandyk District"),
					district("medeu", "Медеу ауданы", "Медеуский район", "Medeu District"),
					district("zhetysu", "Жетісу ауданы", "Жетысуский район", "Zhetysu District"),
				},
			},
			People: []person.Person{mother, son},
			Links:  []person.Link{{ParentIIN: mother.IIN, ChildIIN: son.IIN, Relation: "mother"}},
		},
		{
			City: city.City{
				Slug:   "astana",
				Name:   i18n.Text{KK: "Астана", RU: "Астана", EN: "Astana"},
				Centre: geo.Point{Lat: 51.1282, Lon: 71.4304},
				Zoom:   12,
				Districts: []city.District{
					district("almaty", "Алматы ауданы", "район Алматы", "Almaty District"),
					district("yesil", "Есіл ауданы", "район Есиль", "Yesil District"),
				},
			},
			People: []person.Person{father, aunt},
		},
	}
}

func district(slug, kk, ru, en string) city.District {
	return city.District{Slug: slug, Name: i18n.Text{KK: kk, RU: ru, EN: en}}
}

// Person returns a person born on birth with a valid IIN, for test data.
func Person(birth time.Time, male bool, serial int) person.Person {
	id, err := iin.Make(birth, male, serial)
	if err != nil {
		panic(fmt.Sprintf("webtest: make IIN: %v", err))
	}
	sex := person.Female
	if male {
		sex = person.Male
	}
	return person.Person{IIN: id, BirthDate: birth, Sex: sex}
}
