package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"sakura/internal/iin"
	"sakura/internal/person"
)

// registry collects the demo people of a city, keeping their IINs and
// phones unique.
type registry struct {
	g      *gen
	people []person.Person
	links  []person.Link
	iins   map[string]bool
	phones map[string]bool
}

// families makes the city's demo families: the well-known first one, then
// random ones, each listed parents first.
func (g *gen) families() ([]person.Person, []person.Link) {
	r := g.rand("families")
	reg := &registry{
		g:      g,
		people: make([]person.Person, 0, g.def.families*4),
		iins:   make(map[string]bool, g.def.families*4),
		phones: make(map[string]bool, g.def.families*2),
	}

	parents, kids := g.firstFamily()
	reg.add(parents, kids)
	for range g.def.families - 1 {
		reg.family(r)
	}
	return reg.people, reg.links
}

// adult is a parent or guardian with their relation to the children.
type adult struct {
	person.Person
	relation string
}

// add puts a family into the registry and links every adult to every
// child.
func (reg *registry) add(adults []adult, kids []person.Person) {
	for _, a := range adults {
		reg.iins[a.IIN], reg.phones[a.Phone] = true, true
		reg.people = append(reg.people, a.Person)
	}
	for _, k := range kids {
		reg.iins[k.IIN] = true
		reg.people = append(reg.people, k)
		for _, a := range adults {
			reg.links = append(reg.links,
				person.Link{ParentIIN: a.IIN, ChildIIN: k.IIN, Relation: a.relation})
		}
	}
}

// firstFamily returns the city's well-known first family, whose IINs and
// phones the package's constants name.
func (g *gen) firstFamily() ([]adult, []person.Person) {
	type member struct {
		iin, surname, name, patronymic string
		birth                          time.Time
		sex                            person.Sex
		phone, relation                string // the parents'
	}
	const m, f = person.Male, person.Female
	family := []member{
		{AlmatyMotherIIN, "Сейітова", "Айгүл", "Серікқызы", date(1990, 7, 25), f, AlmatyMotherPhone, RelationMother},
		{AlmatyFatherIIN, "Сейітов", "Нұрлан", "Асқарұлы", date(1988, 4, 12), m, AlmatyFatherPhone, RelationFather},
		{AlmatyChildIIN, "Сейітов", "Әлихан", "Нұрланұлы", date(2021, 3, 15), m, "", ""},
		{AlmatySiblingIIN, "Сейітова", "Аяла", "Нұрланқызы", date(2016, 10, 2), f, "", ""},
	}
	if g.def.slug == "astana" {
		family = []member{
			{AstanaMotherIIN, "Иванова", "Елена", "Сергеевна", date(1987, 2, 14), f, AstanaMotherPhone, RelationMother},
			{AstanaFatherIIN, "Иванов", "Андрей", "Викторович", date(1985, 9, 30), m, AstanaFatherPhone, RelationFather},
			{AstanaChildIIN, "Иванов", "Максим", "Андреевич", date(2021, 5, 20), m, "", ""},
			{AstanaSiblingIIN, "Иванова", "София", "Андреевна", date(2020, 11, 8), f, "", ""},
		}
	}

	var adults []adult
	var kids []person.Person
	for _, fm := range family {
		p := person.Person{IIN: fm.iin, City: g.def.slug, Surname: fm.surname, Name: fm.name,
			Patronymic: fm.patronymic, BirthDate: fm.birth, Sex: fm.sex, Phone: fm.phone}
		if fm.relation == "" {
			kids = append(kids, p)
		} else {
			adults = append(adults, adult{p, fm.relation})
		}
	}
	return adults, kids
}

// date returns midnight UTC of a day.
func date(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

// family makes one random family: most have both parents, some a mother
// alone, a few a guardian (an aunt, an uncle, a grandparent).
func (reg *registry) family(r *rand.Rand) {
	st := kazakhKK
	switch x := r.Float64(); {
	case x >= reg.g.def.kazakhKK+reg.g.def.kazakhRU:
		st = russian
	case x >= reg.g.def.kazakhKK:
		st = kazakhRU
	}
	surname, father := st.surname(r), st.man(r)

	// The children first: their ages decide the parents'.
	births := childBirths(r)
	oldest, youngest := births[0].Year(), births[len(births)-1].Year()
	lo, hi := max(1975, youngest-44), min(2000, oldest-19)
	motherYear := between(r, lo, hi)
	fatherYear := min(hi, max(1975, motherYear+between(r, -6, 1)))

	var kids []person.Person
	for _, birth := range births {
		male := chance(r, 0.51)
		kids = append(kids, reg.person(r, birth, male, surnameFor(surname, male),
			st.child(r, male), father.patronymic(male)))
	}

	var adults []adult
	switch x := r.Float64(); {
	case x < 0.04:
		male := chance(r, 0.3)
		name := st.woman(r)
		if male {
			name = st.man(r).name
		}
		guardian := reg.person(r, dayIn(r, between(r, 1975, 1985)), male,
			surnameFor(st.surname(r), male), name, st.man(r).patronymic(male))
		adults = append(adults, adult{reg.withPhone(r, guardian), RelationGuardian})
	default:
		motherSurname := surnameFor(surname, false)
		if st != russian && chance(r, 0.25) {
			motherSurname = surnameFor(st.surname(r), false) // kept her own
		}
		mother := reg.person(r, dayIn(r, motherYear), false, motherSurname, st.woman(r),
			st.man(r).patronymic(false))
		adults = append(adults, adult{reg.withPhone(r, mother), RelationMother})
		if x < 0.88 {
			dad := reg.person(r, dayIn(r, fatherYear), true, surname, father.name,
				st.man(r).patronymic(true))
			adults = append(adults, adult{reg.withPhone(r, dad), RelationFather})
		}
	}
	reg.add(adults, kids)
}

// childBirths draws the birth dates of a family's one to three children,
// oldest first, at least eleven months apart. Most turn 6 in 2027 (next
// spring's grade-1 applicants) or did in 2026; the others are of school age,
// 7 to 17.
func childBirths(r *rand.Rand) []time.Time {
	n := 1
	switch x := r.Float64(); {
	case x < 0.15:
		n = 3
	case x < 0.6:
		n = 2
	}
	var out []time.Time
	for try := 0; len(out) < n && try < 20; try++ {
		var birth time.Time
		switch x := r.Float64(); {
		case x < 0.45:
			birth = dayIn(r, 2021)
		case x < 0.6:
			birth = dayIn(r, 2020)
		default:
			birth = date(2009, 1, 1).AddDate(0, 0, r.IntN(3985)) // to 29.11.2019
		}
		if !slices.ContainsFunc(out, func(t time.Time) bool {
			gap := birth.Sub(t)
			return gap < 330*24*time.Hour && gap > -330*24*time.Hour
		}) {
			out = append(out, birth)
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// dayIn returns a random day of a year.
func dayIn(r *rand.Rand, year int) time.Time {
	start := date(year, 1, 1)
	days := int(date(year+1, 1, 1).Sub(start).Hours() / 24)
	return start.AddDate(0, 0, r.IntN(days))
}

// person makes a person with a new IIN from the city's serial range.
func (reg *registry) person(r *rand.Rand, birth time.Time, male bool,
	surname, name, patronymic string) person.Person {
	p := person.Person{City: reg.g.def.slug, Surname: surname, Name: name, Patronymic: patronymic,
		BirthDate: birth, Sex: person.Female}
	if male {
		p.Sex = person.Male
	}
	for {
		n, err := iin.Make(birth, male, between(r, reg.g.def.serials[0], reg.g.def.serials[1]))
		if err == nil && !reg.iins[n] {
			reg.iins[n] = true
			p.IIN = n
			return p
		}
	}
}

// withPhone gives an adult a new mobile number, E.164, unique across both
// cities: the two draw from halves of the subscriber numbers.
func (reg *registry) withPhone(r *rand.Rand, p person.Person) person.Person {
	lo, hi := 1_000_000, 5_499_999
	if reg.g.def.slug == "astana" {
		lo, hi = 5_500_000, 9_999_999
	}
	for {
		operator := pick(r, []string{"701", "707", "747", "777"})
		n := fmt.Sprintf("+7%s%d", operator, between(r, lo, hi))
		if !reg.phones[n] {
			reg.phones[n] = true
			p.Phone = n
			return p
		}
	}
}
