package importer_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/iin"
	"sakura/internal/iin/iintest"
	"sakura/internal/importer"
	"sakura/internal/person"
)

var peopleNow = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)

// badDigit returns the IIN with a wrong check digit.
func badDigit(n string) string { return n[:11] + string('0'+(n[11]-'0'+1)%10) }

func TestReadPeople(t *testing.T) {
	mother := iintest.Must(t, 1990, 7, 25, false)
	father := iintest.Must(t, 1988, 4, 12, true)
	child := iintest.Must(t, 2019, 3, 1, true)
	data := "iin;surname;name;patronymic;birth_date;sex;phone;parent_iin;relation\n" +
		mother + ";Сейітова;Айгүл;Серікқызы;1990-07-25;female;+77010000001;;\n" +
		child + ";Сейітов;Әлихан;Нұрланұлы;01.03.2019;male;;" + mother + "|" + father + ";mother|father\n"
	k := importer.Known{City: "almaty"}

	got, err := importer.ReadPeople("people.csv", []byte(data), k, map[string]bool{father: true}, peopleNow)
	if err != nil {
		t.Fatal(err)
	}
	want := importer.People{
		Persons: []importer.PersonRow{
			{Line: 2, Person: person.Person{IIN: mother, City: "almaty", Surname: "Сейітова", Name: "Айгүл",
				Patronymic: "Серікқызы", BirthDate: time.Date(1990, 7, 25, 0, 0, 0, 0, time.UTC),
				Sex: person.Female, Phone: "+77010000001"}},
			{Line: 3, Person: person.Person{IIN: child, City: "almaty", Surname: "Сейітов", Name: "Әлихан",
				Patronymic: "Нұрланұлы", BirthDate: time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC), Sex: person.Male}},
		},
		Links: []importer.LinkRow{
			{Line: 3, Link: person.Link{ParentIIN: mother, ChildIIN: child, Relation: "mother"}},
			{Line: 3, Link: person.Link{ParentIIN: father, ChildIIN: child, Relation: "father"}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("people (-want +got):\n%s", diff)
	}
}

func TestReadPeopleBad(t *testing.T) {
	mother := iintest.Must(t, 1990, 7, 25, false)
	child := iintest.Must(t, 2019, 3, 1, true)
	stranger := iintest.Must(t, 1980, 1, 1, true)
	header := "iin,surname,name,birth_date,sex,phone,parent_iin,relation\n"
	good := mother + ",Сейітова,Айгүл,1990-07-25,female,+77010000001,,\n"
	m := person.MaskIIN

	tests := []struct {
		name string
		row  string
		want []string
	}{
		{"wrong check digit", badDigit(child) + ",Сейітов,Әлихан,2019-03-01,male,,,\n",
			[]string{"p.csv:3: iin " + m(badDigit(child)) + " is not a valid IIN: iin.checksum"}},
		{"sex disagrees", child + ",Сейітов,Әлихан,2019-03-01,female,,,\n",
			[]string{"p.csv:3: sex female disagrees with the IIN, which gives male"}},
		{"birth date disagrees", child + ",Сейітов,Әлихан,2019-03-02,male,,,\n",
			[]string{"p.csv:3: birth_date 2019-03-02 disagrees with the IIN, which gives 2019-03-01"}},
		{"unknown parent", child + ",Сейітов,Әлихан,2019-03-01,male,," + stranger + ",father\n",
			[]string{"p.csv:3: parent " + m(stranger) + " is neither in the file nor a person of almaty"}},
		{"bad relation", child + ",Сейітов,Әлихан,2019-03-01,male,," + mother + ",aunt\n",
			[]string{`p.csv:3: relation: unknown code "aunt"; known: mother, father, guardian`}},
		{"relations miscounted", child + ",Сейітов,Әлихан,2019-03-01,male,," + mother + ",\n",
			[]string{"p.csv:3: parent_iin names 1 parents but relation 0 relations"}},
		{"phone not E.164", stranger + ",Ахметов,Ерлан,1980-01-01,male,87010000001,,\n",
			[]string{"p.csv:3: phone is not in E.164, such as +77010000001"}},
		{"repeated IIN", good, []string{"p.csv:3: IIN " + m(mother) + " appears again (first on line 2)"}},
		{"no name", child + ",Сейітов,,2019-03-01,male,,,\n", []string{"p.csv:3: name is required"}},
		{"future birth", iintest.Must(t, 2027, 1, 1, true) + ",А,Б,2027-01-01,male,,,\n",
			[]string{"p.csv:3: iin " + m(iintest.Must(t, 2027, 1, 1, true)) + " is not a valid IIN: iin.future"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := importer.ReadPeople("p.csv", []byte(header+good+tt.row), importer.Known{City: "almaty"}, nil, peopleNow)
			var problems *importer.Error
			if !errors.As(err, &problems) {
				t.Fatalf("err = %v, want problems", err)
			}
			var got []string
			for _, p := range problems.Problems {
				got = append(got, p.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			for _, n := range []string{child, mother, stranger} {
				if strings.Contains(err.Error(), n) {
					t.Errorf("problems show IIN %s in clear: %v", m(n), err)
				}
			}
		})
	}
}

func FuzzReadPeople(f *testing.F) {
	f.Add([]byte("iin,surname,name,birth_date,sex\n900725400456,А,Б,1990-07-25,female\n"))
	f.Add([]byte(fmt.Sprintf("iin;surname;name;birth_date;sex;parent_iin;relation\n%s;А;Б;01.03.2019;m;1|2;mother\n",
		"190301500017")))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := importer.ReadPeople("f.csv", data, importer.Known{City: "x"}, nil, peopleNow)
		if err != nil {
			return
		}
		for _, r := range p.Persons {
			if _, err := iin.Parse(r.Person.IIN, peopleNow); err != nil {
				t.Errorf("accepted a bad IIN: %v", err)
			}
		}
	})
}
