package demo

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strings"

	"sakura/internal/dataset"
	"sakura/internal/staff"
)

// StaffPassword is the password of every demo staff account.
const StaffPassword = "sakura office demo"

// StaffPrefix begins the login of every demo staff account, so that the
// demo pages list those and no other.
const StaffPrefix = "demo-"

// Staff returns the demo's staff accounts, with their authenticator
// secrets set, so that /dev/staff can show the codes of the moment: an
// administrator; an operator of each city's education department; and a
// staff member of every school, demo-school-<id>. Password hashes are left
// to the caller, who hashes StaffPassword once.
func Staff(cities []dataset.City) []staff.User {
	users := []staff.User{{Login: StaffPrefix + "admin", Name: "Асель Нұрланова", Role: staff.RoleAdmin}}
	for _, c := range cities {
		users = append(users, staff.User{Login: StaffPrefix + "operator-" + c.City.Slug,
			Name: "Динара Омарова (" + c.City.Name.RU + ")", Role: staff.RoleOperator, City: c.City.Slug})
	}
	for _, c := range cities {
		for _, s := range c.Schools {
			users = append(users, staff.User{Login: fmt.Sprintf("%sschool-%d", StaffPrefix, s.ID),
				Name: "Сотрудник: " + s.Name.RU, Role: staff.RoleSchool, City: c.City.Slug, SchoolID: s.ID})
		}
	}
	for i := range users {
		users[i].TOTPSecret = StaffSecret(users[i].Login)
	}
	return users
}

// StaffSecret is the authenticator secret of a demo login: derived from
// the login, the same on every machine.
func StaffSecret(login string) string {
	sum := sha256.Sum256([]byte("sakura demo staff: " + login))
	return strings.TrimRight(base32.StdEncoding.EncodeToString(sum[:20]), "=")
}
