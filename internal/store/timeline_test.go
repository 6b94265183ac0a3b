package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"sakura/internal/account"
	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/i18n"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

// TestChildTimeline: a child's timeline merges, newest first, the
// applications filed for the child with their decisions, the referral one
// of them got and its use, and the personal file's movement; another
// child's application and another parent's application for the same child
// stay out.
func TestChildTimeline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		acc := applicant(t, db)
		const child, sister = "210315500019", "190101600018"
		day := time.Date(2027, 4, 1, 4, 0, 0, 0, time.UTC)
		at := func(hours int) time.Time { return day.Add(time.Duration(hours) * time.Hour) }

		file := func(acc int64, id, child string, kind application.Kind, when time.Time) application.Application {
			t.Helper()
			sub := draft(t, db, acc, id, child)
			sub.Kind, sub.At, sub.SchoolID = kind, when, 101
			a, _, err := db.Submit(ctx, sub)
			if err != nil {
				t.Fatalf("submit %s: %v", id, err)
			}
			return a
		}
		grade1 := file(acc, "d-grade1", child, application.Grade1, at(0))
		file(acc, "d-sister", sister, application.Grade1, at(1))

		var other int64
		if err := db.Tx(ctx, func(tx account.Tx) error {
			var err error
			other, err = tx.CreateAccount(ctx, account.Account{IIN: "880101500015", Phone: "+77010000002", Lang: i18n.RU,
				NotifySMS: true, CreatedAt: time.Now()})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		file(other, "d-father", child, application.Camp, at(2))

		// Accepted, a referral, the enrolment with its personal file.
		var refID int64
		err := db.AdmissionTx(ctx, func(tx admission.Tx) error {
			if err := tx.SetStatus(ctx, grade1.ID, application.Change{Status: application.Accepted, At: at(3), Actor: "Айгүл"}); err != nil {
				return err
			}
			if err := tx.SetStatus(ctx, grade1.ID, application.Change{Status: application.Referral, At: at(4), Actor: "Айгүл"}); err != nil {
				return err
			}
			var err error
			refID, err = tx.AddReferral(ctx, admission.Referral{Kind: admission.RefReferral, Number: "ALM-R-2027-00001",
				Code: "code-1", ApplicationID: grade1.ID, AccountID: acc, City: "almaty", SchoolID: 101, Year: 2027, Grade: 1,
				IssuedAt: at(4), ValidUntil: time.Date(2027, 4, 10, 0, 0, 0, 0, time.UTC), Status: admission.RefIssued})
			if err != nil {
				return err
			}
			if err := tx.SetStatus(ctx, grade1.ID, application.Change{Status: application.Enrolled, At: at(5), Actor: "Айгүл"}); err != nil {
				return err
			}
			if err := tx.CloseReferral(ctx, refID, admission.RefUsed, at(5)); err != nil {
				return err
			}
			return tx.EnrolPupil(ctx, admission.PupilFile{City: "almaty", Child: child, Name: "Сейтова Аружан", AccountID: acc,
				SchoolID: 101, Grade: 1, Class: "А", SchoolYear: 2027},
				admission.Movement{At: at(5), Kind: admission.Enrolled, SchoolID: 101, Grade: 1, Class: "А", SchoolYear: 2027,
					ApplicationID: grade1.ID}, 0, "")
		})
		if err != nil {
			t.Fatal(err)
		}

		// A second application, refused with its reason and comment.
		meals := file(acc, "d-meals", child, application.Meals, at(6))
		if err := db.AdmissionTx(ctx, func(tx admission.Tx) error {
			return tx.SetStatus(ctx, meals.ID, application.Change{Status: application.Refused, At: at(7), Actor: "Айгүл",
				Reason: "incomplete_documents", Comment: "Нет справки"})
		}); err != nil {
			t.Fatal(err)
		}

		got, err := db.ChildTimeline(ctx, acc, child)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, e := range got {
			line := fmt.Sprintf("%s %s %s", e.At.UTC().Format("15:04"), e.Kind, e.Number)
			switch e.Kind {
			case admission.EntryChange:
				line += " " + string(e.Change.Status) + " " + e.Change.Reason + " " + e.Change.Comment
			case admission.EntryIssued, admission.EntryClosed:
				line += fmt.Sprintf(" %s %s %v", e.Referral.Number, e.Referral.Status, e.Referral.ID == refID)
			case admission.EntryMovement:
				line += fmt.Sprintf(" %s %d %s %s", e.Movement.Kind, e.Movement.SchoolID, e.Movement.Class, e.City)
			}
			lines = append(lines, line)
		}
		g1, ml := string(grade1.Number), string(meals.Number)
		want := []string{
			"11:00 change " + ml + " refused incomplete_documents Нет справки",
			"10:00 change " + ml + " submitted  ",
			"09:00 movement " + g1 + " enrolled 101 А almaty",
			"09:00 closed " + g1 + " ALM-R-2027-00001 used true",
			"09:00 change " + g1 + " enrolled  ",
			"08:00 issued " + g1 + " ALM-R-2027-00001 used true",
			"08:00 change " + g1 + " referral  ",
			"07:00 change " + g1 + " accepted  ",
			"04:00 change " + g1 + " submitted  ",
		}
		if !slices.Equal(lines, want) {
			t.Errorf("timeline\n got %q\nwant %q", lines, want)
		}
		if got[0].AppKind != application.Meals || got[len(got)-1].AppKind != application.Grade1 ||
			got[0].ApplicationID != meals.ID {
			t.Errorf("entries name %s (%d) and %s", got[0].AppKind, got[0].ApplicationID, got[len(got)-1].AppKind)
		}

		// The father sees his own application only; a child with nothing
		// has an empty timeline.
		theirs, err := db.ChildTimeline(ctx, other, child)
		if err != nil || len(theirs) != 1 || theirs[0].AppKind != application.Camp {
			t.Errorf("the other parent's timeline: %d entries, %v", len(theirs), err)
		}
		none, err := db.ChildTimeline(ctx, acc, "noiin:нет:2020-01-01")
		if err != nil || len(none) != 0 {
			t.Errorf("an unknown child: %d entries, %v", len(none), err)
		}
	})
}
