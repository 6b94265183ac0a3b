package admission_test

import (
	"context"
	"fmt"
	"testing"

	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/school"
	"sakura/internal/staff"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

// TestPlanGrowthOpensSeats: when a school plans more classes, those
// already waiting get the seats that opens at once, in the order of
// receipt, without waiting for the next decision: grade-1 quota seats
// held back by a full plan, and grade-10 places of each profile.
func TestPlanGrowthOpensSeats(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)

		// Grade 1: one class of 25, 27 catchment children admitted past
		// it; the three quota applicants the ratio would seat have none.
		for range 27 {
			w.admit(t, w.school1, w.submit(t, school1, application.Catchment))
		}
		var quota []application.Application
		for range 3 {
			a := w.submit(t, school1, application.Quota)
			w.decide(t, w.school1, a, admission.Decision{Action: admission.Accept})
			quota = append(quota, a)
		}
		if got := w.statuses(t, quota); got[application.Waiting] != 3 {
			t.Fatalf("quota applicants before the plan grows: %v", got)
		}

		// Grade 10: one class, all of it the first profile's (25 places);
		// 27 applicants of it and 2 of the other profile, which has none.
		var nm, sh []application.Application
		for i := range 29 {
			p := school.ProfileNaturalMath
			if i >= 27 {
				p = school.ProfileSocialHumanities
			}
			a := w.submitOf(t, application.Grade10, application.Answers{SchoolID: school1, Grade: 10, Profile: p,
				Certificate: fmt.Sprintf("ЖББ-%07d", w.seq+1), CertificateYear: 2027})
			w.decide(t, w.school1, a, admission.Decision{Action: admission.Accept})
			if p == school.ProfileNaturalMath {
				nm = append(nm, a)
			} else {
				sh = append(sh, a)
			}
		}
		if got := w.statuses(t, nm); got[application.Referral] != 25 || got[application.Waiting] != 2 {
			t.Fatalf("the first profile before the plan grows: %v", got)
		}

		// Nothing has changed: nothing to give.
		if n, err := w.svc.Reallocate(ctx, "almaty", school1, 2027); err != nil || n != 0 {
			t.Fatalf("with the plan as it was: %d seats given, %v", n, err)
		}

		// The staff plan two grade-1 classes and three of grade 10.
		if err := db.SaveSchoolUpkeep(ctx, school.Upkeep{City: "almaty", SchoolID: school1, Shifts: 1, Year: 2027,
			Grade1Classes: 2, Grade10Classes: 3}, staff.AuditEntry{At: start, Actor: "test", City: "almaty",
			Action: "school.save"}); err != nil {
			t.Fatal(err)
		}
		n, err := w.svc.Reallocate(ctx, "almaty", school1, 2027)
		if err != nil {
			t.Fatal(err)
		}
		// 3 quota seats (27 admissions / 3, now within 50 seats), 2 more of
		// the first profile (two classes of three) and 2 of the second (one).
		if n != 7 {
			t.Errorf("%d seats given, want 7", n)
		}
		for name, apps := range map[string][]application.Application{"quota": quota, "first profile": nm, "second profile": sh} {
			if got := w.statuses(t, apps); got[application.Waiting] != 0 {
				t.Errorf("%s: %v still waiting", name, got)
			}
		}
		if n, err := w.svc.Reallocate(ctx, "almaty", school1, 2027); err != nil || n != 0 {
			t.Errorf("again: %d seats given, %v", n, err)
		}
	})
}
