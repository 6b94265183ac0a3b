package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"sakura/internal/account"
	"sakura/internal/errs"
	"sakura/internal/staff"
	"sakura/internal/store"
)

// TestUserCommand makes the first administrator from the command line,
// lists, disables and enables it, and refuses a school that does not
// exist.
func TestUserCommand(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "sakura.db")
	env := func(k string) string {
		if k == "SAKURA_DB" {
			return dsn
		}
		return ""
	}
	sakura := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append([]string{"user"}, args...), env, &out, &errOut)
		return out.String() + errOut.String(), err
	}

	out, err := sakura("add", "-login", "Asel", "-name", "Асель Нұрланова", "-role", "admin")
	if err != nil {
		t.Fatalf("add: %v\n%s", err, out)
	}
	_, password, ok := strings.Cut(out, "password: ")
	password = strings.TrimSpace(password)
	if !ok || len(password) != 23 {
		t.Fatalf("add printed %q, want a new password", out)
	}

	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := staff.New(staff.Config{Store: db, Hasher: account.NewHasher(account.DefaultParams, 1)})
	if _, enrolled, err := svc.SignIn(context.Background(), "asel", password, account.Client{}); err != nil || enrolled {
		t.Fatalf("sign in with the printed password: enrolled %v, %v", enrolled, err)
	}

	if out, err := sakura("add", "-login", "asel", "-name", "Другая", "-role", "admin"); err == nil {
		t.Errorf("a login added twice: %s", out)
	}
	if out, err := sakura("add", "-login", "bolat", "-name", "Болат", "-role", "school", "-city", "almaty", "-school", "7"); err == nil {
		t.Errorf("staff of a school that does not exist: %s", out)
	}
	if out, _ := sakura("list"); !strings.Contains(out, "asel") || !strings.Contains(out, "admin") {
		t.Errorf("list: %q", out)
	}
	if out, err := sakura("disable", "-login", "asel"); err != nil {
		t.Fatalf("disable: %v %s", err, out)
	}
	if _, _, err := svc.SignIn(context.Background(), "asel", password, account.Client{}); errs.KindOf(err) != errs.Unauthenticated {
		t.Errorf("a disabled account signed in: %v", err)
	}
	if out, err := sakura("enable", "-login", "asel"); err != nil {
		t.Fatalf("enable: %v %s", err, out)
	}
	if _, _, err := svc.SignIn(context.Background(), "asel", password, account.Client{}); err != nil {
		t.Errorf("an enabled account: %v", err)
	}
}
