package importer

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"sakura/internal/iin"
	"sakura/internal/person"
)

// People is what a people file holds: the persons, keyed by IIN, and the
// links of the children among them to their parents.
type People struct {
	Persons []PersonRow
	Links   []LinkRow
}

// PersonRow is one person of a people file and the line it is on.
type PersonRow struct {
	Line   int
	Person person.Person
}

// LinkRow is one link of a people file and the line of the child's row.
type LinkRow struct {
	Line int
	Link person.Link
}

var peopleRequired = []string{"iin", "surname", "name", "birth_date", "sex"}
var peopleOptional = []string{"patronymic", "phone", "parent_iin", "relation"}

// e164 is a phone number in E.164: a plus, a country code and at most 15
// digits in all.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

// ReadPeople reads a people CSV: one row a person, with the columns iin,
// surname, name, patronymic, birth_date (YYYY-MM-DD or DD.MM.YYYY), sex
// (male or female), phone (E.164) and, on a child's row, parent_iin and
// relation (mother, father or guardian), several parents separated by |
// in the same order in both columns. Every IIN must be valid on now, with
// the birth date and sex it encodes; a parent must be a person of the file
// or one of known (the IINs the city already holds).
func ReadPeople(name string, data []byte, k Known, known map[string]bool, now time.Time) (People, error) {
	r := &report{file: name}
	t, _ := readCSV(r, data, peopleRequired, peopleOptional)
	if t == nil {
		return People{}, r.result()
	}

	var out People
	lines := map[string]int{}
	for _, rw := range t.rows {
		p := person.Person{
			City:       k.City,
			IIN:        rw.required("iin"),
			Surname:    rw.required("surname"),
			Name:       rw.required("name"),
			Patronymic: rw.get("patronymic"),
			Phone:      rw.get("phone"),
		}
		p.BirthDate = rw.date("birth_date")
		p.Sex = rw.sex("sex")
		if p.Phone != "" && !e164.MatchString(p.Phone) {
			rw.fail("phone is not in E.164, such as +77010000001")
		}
		rw.checkIIN(p, now)
		if prev, dup := lines[p.IIN]; dup && p.IIN != "" {
			rw.fail("IIN %s appears again (first on line %d)", person.MaskIIN(p.IIN), prev)
		}
		lines[p.IIN] = rw.line
		out.Persons = append(out.Persons, PersonRow{Line: rw.line, Person: p})
		out.Links = append(out.Links, rw.links(p.IIN, now)...)
	}

	for _, l := range out.Links {
		if _, ok := lines[l.Link.ParentIIN]; !ok && !known[l.Link.ParentIIN] {
			r.add(l.Line, "parent %s is neither in the file nor a person of %s",
				person.MaskIIN(l.Link.ParentIIN), k.City)
		}
	}
	if err := r.result(); err != nil {
		return People{}, err
	}
	return out, nil
}

// checkIIN checks the person's IIN and that the birth date and sex of the
// row agree with it.
func (rw row) checkIIN(p person.Person, now time.Time) {
	if p.IIN == "" {
		return
	}
	n, err := iin.Parse(p.IIN, now)
	if err != nil {
		rw.fail("iin %s is not a valid IIN: %v", person.MaskIIN(p.IIN), err)
		return
	}
	if !p.BirthDate.IsZero() && !p.BirthDate.Equal(n.BirthDate) {
		rw.fail("birth_date %s disagrees with the IIN, which gives %s",
			p.BirthDate.Format(time.DateOnly), n.BirthDate.Format(time.DateOnly))
	}
	if p.Sex != "" && (p.Sex == person.Male) != n.Male {
		want := person.Female
		if n.Male {
			want = person.Male
		}
		rw.fail("sex %s disagrees with the IIN, which gives %s", p.Sex, want)
	}
}

// links reads the parents of a child's row.
func (rw row) links(child string, now time.Time) []LinkRow {
	parents := rw.list("parent_iin", nil)
	var relations []string
	for r := range strings.SplitSeq(rw.get("relation"), "|") {
		if r = strings.TrimSpace(r); r != "" {
			relations = append(relations, r)
		}
	}
	if len(parents) != len(relations) {
		rw.fail("parent_iin names %d parents but relation %d relations", len(parents), len(relations))
		return nil
	}

	var out []LinkRow
	for i, p := range parents {
		switch {
		case !slices.Contains(person.Relations(), relations[i]):
			rw.fail("relation: unknown code %q; known: %s", relations[i], strings.Join(person.Relations(), ", "))
		case p == child:
			rw.fail("parent_iin: a person cannot be their own parent")
		default:
			if _, err := iin.Parse(p, now); err != nil {
				rw.fail("parent_iin %s is not a valid IIN: %v", person.MaskIIN(p), err)
				continue
			}
			out = append(out, LinkRow{Line: rw.line, Link: person.Link{ParentIIN: p, ChildIIN: child, Relation: relations[i]}})
		}
	}
	return out
}

// date reads a required calendar date, YYYY-MM-DD or DD.MM.YYYY.
func (rw row) date(col string) time.Time {
	v := rw.required(col)
	if v == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.DateOnly, "02.01.2006"} {
		if d, err := time.Parse(layout, v); err == nil {
			return d
		}
	}
	rw.fail("%s %q is not a date such as 2015-03-01 or 01.03.2015", col, v)
	return time.Time{}
}

// sex reads a required sex: male or female (m or f, м or ж, е or ә).
func (rw row) sex(col string) person.Sex {
	switch v := strings.ToLower(rw.required(col)); v {
	case "":
		return ""
	case "male", "m", "м", "е":
		return person.Male
	case "female", "f", "ж", "ә":
		return person.Female
	default:
		rw.fail("%s %q is not male or female", col, v)
		return ""
	}
}
