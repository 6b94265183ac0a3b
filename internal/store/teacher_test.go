package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"sakura/internal/errs"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
	"sakura/internal/teacher"
)

func TestTeachers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		almaty, astana := testCity("almaty", 0), testCity("astana", 1000)
		mustSeed(t, db, almaty, astana)

		got, err := db.Teachers(ctx, "almaty")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(almaty.Teachers, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Teachers mismatch (-want +got):\n%s", diff)
		}

		one, err := db.Teacher(ctx, "astana", astana.Teachers[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(astana.Teachers[0], one, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Teacher mismatch (-want +got):\n%s", diff)
		}

		// A teacher is found only in their own city.
		if _, err := db.Teacher(ctx, "almaty", astana.Teachers[0].ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("Teacher of another city: error = %v, want not found", err)
		}

		schools, err := db.TeacherSchools(ctx, "astana")
		if err != nil {
			t.Fatal(err)
		}
		want := []teacher.SchoolRef{{ID: astana.Schools[0].ID, Number: 12, Name: astana.Schools[0].Name,
			Location: astana.Schools[0].Location}}
		if diff := cmp.Diff(want, schools); diff != "" {
			t.Errorf("TeacherSchools mismatch (-want +got):\n%s", diff)
		}
	})
}
