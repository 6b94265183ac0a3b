package person_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/dataset"
	"sakura/internal/demo"
	"sakura/internal/errs"
	"sakura/internal/iin"
	"sakura/internal/iin/iintest"
	"sakura/internal/person"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

var now = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)

func TestCheckIIN(t *testing.T) {
	mother := person.Person{IIN: iintest.Must(t, 1990, 7, 25, false), Surname: "Сейітова", Name: "Айгүл",
		BirthDate: time.Date(1990, 7, 25, 0, 0, 0, 0, time.UTC), Sex: person.Female, Phone: "+77010000001"}
	child := person.Person{IIN: iintest.Must(t, 2019, 3, 1, true), Surname: "Сейітов", Name: "Әлихан",
		BirthDate: time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC), Sex: person.Male}
	other := person.Person{IIN: iintest.Must(t, 2018, 5, 2, false), Surname: "Иванова", Name: "Мария",
		BirthDate: time.Date(2018, 5, 2, 0, 0, 0, 0, time.UTC), Sex: person.Female}
	absent := iintest.Must(t, 2017, 1, 1, true)

	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := demo.Cities()[0].City
		err := db.SeedCity(ctx, dataset.City{City: c, People: []person.Person{mother, child, other},
			Links: []person.Link{{ParentIIN: mother.IIN, ChildIIN: child.IIN, Relation: person.RelationMother}}})
		if err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name    string
			parent  string
			number  string
			want    person.Check
			wantErr error
		}{
			{"own child", mother.IIN, child.IIN, person.Check{MaskedIIN: person.MaskIIN(child.IIN),
				MaskedName: "Әлихан С.", BirthDate: child.BirthDate, Sex: person.Male, Linked: true,
				Relation: person.RelationMother}, nil},
			{"another's child", mother.IIN, other.IIN, person.Check{MaskedIIN: person.MaskIIN(other.IIN),
				MaskedName: "Мария И.", BirthDate: other.BirthDate, Sex: person.Female}, nil},
			{"nobody signed in", "", child.IIN, person.Check{MaskedIIN: person.MaskIIN(child.IIN),
				MaskedName: "Әлихан С.", BirthDate: child.BirthDate, Sex: person.Male}, nil},
			{"unknown", mother.IIN, absent, person.Check{}, errs.ErrNotFound},
			{"bad check digit", mother.IIN, child.IIN[:11] + string('0'+(child.IIN[11]-'0'+1)%10),
				person.Check{}, iin.ErrChecksum},
			{"short", mother.IIN, "12345", person.Check{}, iin.ErrLength},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := person.CheckIIN(ctx, db, tt.parent, tt.number, now)
				if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("check (-want +got):\n%s", diff)
				}
				if err != nil && len(tt.number) == 12 && strings.Contains(err.Error(), tt.number) {
					t.Errorf("error %q shows the IIN in clear", err)
				}
			})
		}
	})
}
