package demo

import (
	"time"

	"sakura/internal/address"
	"sakura/internal/application"
	"sakura/internal/dataset"
	"sakura/internal/i18n"
	"sakura/internal/person"
)

// Application is a grade-1 application the demo files at its start, so
// that the back office has a queue to decide on: a family of the city and
// the school its child applies to.
type Application struct {
	Parent  person.Person
	Child   person.Person
	Answers application.Answers
	At      time.Time // when the server received it
}

// Applications returns n grade-1 applications of a demo city's families
// whose children start school in 2027, the first family left out so that
// a visitor can file its application: three of every four to the school of
// the family's catchment, the fourth a quota application to another
// school. They are received a minute apart on the campaign's first day.
func Applications(d dataset.City, n int) []Application {
	people := make(map[string]person.Person, len(d.People))
	for _, p := range d.People {
		people[p.IIN] = p
	}
	streets := make(map[int64]address.Street, len(d.Streets))
	for _, s := range d.Streets {
		streets[s.ID] = s
	}
	buildings := make(map[int64]address.Building, len(d.Buildings))
	for _, b := range d.Buildings {
		buildings[b.ID] = b
	}
	langs := make(map[int64][]i18n.Lang, len(d.Schools))
	for _, s := range d.Schools {
		langs[s.ID] = s.Languages
	}

	var out []Application
	used := map[string]bool{}
	first := true
	opens := Campaign(d.City.Slug).Opens.Add(9 * time.Hour)
	for _, l := range d.Links {
		parent, child := people[l.ParentIIN], people[l.ChildIIN]
		if parent.Phone == "" || child.BirthDate.Year() != 2021 || used[parent.IIN] || used[child.IIN] {
			continue
		}
		used[parent.IIN], used[child.IIN] = true, true
		if first {
			first = false
			continue
		}
		i := len(out)
		c := d.Catchments[(i*7)%len(d.Catchments)]
		if len(c.Buildings) == 0 {
			continue
		}
		b := buildings[c.Buildings[0]]
		school, basis := c.SchoolID, application.Catchment
		if i%4 == 3 {
			school, basis = d.Catchments[(i*7+1)%len(d.Catchments)].SchoolID, application.Quota
		}
		lang := "kk"
		if ls := langs[school]; len(ls) > 0 {
			lang = string(ls[0])
		}
		out = append(out, Application{Parent: parent, Child: child, At: opens.Add(time.Duration(i) * time.Minute),
			Answers: application.Answers{
				Consents: application.Consents, Phone: parent.Phone, ParentIIN: parent.IIN,
				ChildIIN: child.IIN, ChildSurname: child.Surname, ChildName: child.Name, ChildBirthDate: child.BirthDate,
				Address: address.HouseText(streets[b.StreetID], b.Number).RU, BuildingID: b.ID, Language: lang,
				SchoolID: school, Basis: basis, Channel: "sms", NotifyLang: "ru",
			}})
		if len(out) == n {
			break
		}
	}
	return out
}
