package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"sakura/internal/errs"
	"sakura/internal/iin/iintest"
	"sakura/internal/importer"
	"sakura/internal/person"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

var peopleNow = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)

func TestPersonLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := testCity("almaty", 100)
		mustSeed(t, db, c)
		parent, child := c.People[0].IIN, c.People[1].IIN

		got, err := db.Link(ctx, parent, child)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(person.Link{ParentIIN: parent, ChildIIN: child, Relation: "father"}, got); diff != "" {
			t.Errorf("link (-want +got):\n%s", diff)
		}
		for _, pair := range [][2]string{{child, parent}, {parent, "000000000000"}, {"000000000000", child}} {
			if _, err := db.Link(ctx, pair[0], pair[1]); !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("Link(%s, %s) err = %v, want not found",
					person.MaskIIN(pair[0]), person.MaskIIN(pair[1]), err)
			}
		}

		iins, err := db.PersonIINs(ctx, "almaty")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]bool{parent: true, child: true}, iins); diff != "" {
			t.Errorf("person IINs (-want +got):\n%s", diff)
		}
	})
}

// importPeople reads a people CSV against what the database holds and
// writes it, as `sakura import people` does.
func importPeople(t *testing.T, db *store.DB, slug, csv string) (store.ImportResult, error) {
	t.Helper()
	ctx := context.Background()
	known, err := db.PersonIINs(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	p, err := importer.ReadPeople("people.csv", []byte(csv), mustKnown(t, db, slug), known, peopleNow)
	if err != nil {
		return store.ImportResult{}, err
	}
	return db.ImportPeople(ctx, slug, p)
}

func TestImportPeople(t *testing.T) {
	mother := iintest.Must(t, 1990, 7, 25, false)
	first := iintest.Must(t, 2019, 3, 1, true)
	second := iintest.Must(t, 2021, 6, 10, false)
	stranger := iintest.Must(t, 1980, 1, 1, true)
	header := "iin,surname,name,patronymic,birth_date,sex,phone,parent_iin,relation\n"

	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustSeed(t, db, testCity("almaty", 100), testCity("astana", 200))

		// A mother and her first child.
		res, err := importPeople(t, db, "almaty", header+
			mother+",Сейітова,Айгүл,Серікқызы,1990-07-25,female,+77010000001,,\n"+
			first+",Сейітов,Әлихан,,2019-03-01,male,,"+mother+",mother\n")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(store.ImportResult{Inserted: 2, Version: 1}, res); diff != "" {
			t.Errorf("first import (-want +got):\n%s", diff)
		}

		// The second child, linked to the mother the database now holds; her
		// phone changes.
		res, err = importPeople(t, db, "almaty", header+
			mother+",Сейітова,Айгүл,Серікқызы,1990-07-25,female,+77010000002,,\n"+
			second+",Сейітова,Аружан,,2021-06-10,female,,"+mother+",mother\n")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(store.ImportResult{Inserted: 1, Updated: 1, Version: 2}, res); diff != "" {
			t.Errorf("second import (-want +got):\n%s", diff)
		}

		m, err := db.Person(ctx, mother)
		if err != nil {
			t.Fatal(err)
		}
		if m.Phone != "+77010000002" || m.City != "almaty" || m.Sex != person.Female {
			t.Errorf("mother = %+v, want the new phone", m)
		}
		kids, err := db.Children(ctx, mother)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, k := range kids {
			names = append(names, person.MaskedName(k))
		}
		if diff := cmp.Diff([]string{"Әлихан С.", "Аружан С."}, names); diff != "" {
			t.Errorf("children (-want +got):\n%s", diff)
		}

		// Bad files change nothing.
		before, err := db.People(ctx)
		if err != nil {
			t.Fatal(err)
		}
		versions, err := db.DataVersions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		bad := []struct{ name, csv string }{
			{"wrong check digit", header + mother + ",Сейітова,Айгүл,,1990-07-25,female,+77010000003,,\n" +
				first[:11] + string('0'+(first[11]-'0'+1)%10) + ",Сейітов,Әлихан,,2019-03-01,male,,,\n"},
			{"sex disagrees", header + mother + ",Сейітова,Айгүл,,1990-07-25,male,+77010000003,,\n"},
			{"unknown parent", header + mother + ",Сейітова,Айгүл,,1990-07-25,female,+77010000003,,\n" +
				first + ",Сейітов,Әлихан,,2019-03-01,male,," + stranger + ",father\n"},
		}
		for _, b := range bad {
			t.Run(b.name, func(t *testing.T) {
				_, err := importPeople(t, db, "almaty", b.csv)
				var problems *importer.Error
				if !errors.As(err, &problems) {
					t.Fatalf("err = %v, want problems", err)
				}
				after, err := db.People(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(before, after, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("people changed (-before +after):\n%s", diff)
				}
				v, err := db.DataVersions(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(versions, v); diff != "" {
					t.Errorf("data versions changed (-before +after):\n%s", diff)
				}
			})
		}

		// A person of another city is a conflict, and the rows before it are
		// not written either.
		_, err = importPeople(t, db, "astana", header+
			stranger+",Ахметов,Ерлан,,1980-01-01,male,+77010000009,,\n"+
			mother+",Сейітова,Айгүл,,1990-07-25,female,+77010000003,,\n")
		if errs.KindOf(err) != errs.Conflict {
			t.Fatalf("err = %v, want a conflict", err)
		}
		if _, err := db.Person(ctx, stranger); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("after a failed import, Person err = %v, want not found", err)
		}
	})
}
