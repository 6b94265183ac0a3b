package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"sakura/internal/account"
	"sakura/internal/staff"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

// TestOfficeAuditAppendOnly: every sign-in of staff leaves a line with no
// secret in it, and the database refuses to change or remove a line.
func TestOfficeAuditAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
		svc := staff.New(staff.Config{Store: db, Now: func() time.Time { return now },
			Hasher: account.NewHasher(account.Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 0)})
		const password = "the quiet school library"
		client := account.Client{Addr: "198.51.100.23", UserAgent: "test"}
		if _, err := svc.AddUser(ctx, staff.CommandLine, staff.NewUser{Login: "asel", Name: "Асель",
			Role: staff.RoleAdmin, Password: password}, client); err != nil {
			t.Fatal(err)
		}
		svc.SignIn(ctx, "asel", "not the password at all", client)
		pending, _, err := svc.SignIn(ctx, "asel", password, client)
		if err != nil {
			t.Fatal(err)
		}
		e, err := svc.Enrolment(ctx, pending)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := staff.Code(e.Secret, now)
		_, recovery, err := svc.SecondFactor(ctx, pending, code, client)
		if err != nil {
			t.Fatal(err)
		}

		lines, total, err := db.OfficeAudit(ctx, staff.AuditFilter{})
		if err != nil || total != 3 {
			t.Fatalf("%d audit lines, %v", total, err)
		}
		var actions []string
		for _, l := range lines {
			actions = append(actions, l.Action)
			all := l.Before + l.After + l.Client + l.Object
			for _, secret := range append([]string{password, e.Secret, code, "198.51.100.23"}, recovery...) {
				if strings.Contains(all, secret) {
					t.Errorf("audit line %+v holds %q", l, secret)
				}
			}
		}
		if got := strings.Join(actions, " "); got != "signin.enrolled signin.failed user.add" {
			t.Errorf("audit actions %q", got)
		}
		if n, _, _ := db.OfficeAudit(ctx, staff.AuditFilter{Action: "signin."}); len(n) != 2 {
			t.Errorf("filter by action prefix: %d lines", len(n))
		}
		if n, _, _ := db.OfficeAudit(ctx, staff.AuditFilter{Action: "signin_"}); len(n) != 0 {
			t.Errorf("a LIKE wildcard in the filter matched %d lines", len(n))
		}
		if err := db.Exec(ctx, `UPDATE office_audit SET actor = 'someone else'`); err == nil {
			t.Error("an audit line was changed")
		}
		if err := db.Exec(ctx, `DELETE FROM office_audit`); err == nil {
			t.Error("audit lines were removed")
		}
	})
}
