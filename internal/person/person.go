// Package person is the portal's view of the national person registry: who
// holds an IIN, and which children belong to which parent.
package person

import (
	"context"
	"time"
)

// Sex is a person's sex as the IIN records it.
type Sex string

// The two values the IIN encodes.
const (
	Male   Sex = "male"
	Female Sex = "female"
)

// Person is an entry of the person registry.
type Person struct {
	IIN        string    `json:"iin"`
	City       string    `json:"city"`
	Surname    string    `json:"surname"`
	Name       string    `json:"name"`
	Patronymic string    `json:"patronymic,omitempty"`
	BirthDate  time.Time `json:"birth_date"`
	Sex        Sex       `json:"sex"`
	Phone      string    `json:"phone,omitempty"` // E.164, parents only
}

// Link ties a child to a parent or guardian.
type Link struct {
	ParentIIN string `json:"parent_iin"`
	ChildIIN  string `json:"child_iin"`
	Relation  string `json:"relation"` // mother, father, guardian
}

// Role is what a person of the demo registry is for.
type Role string

// The roles of people in the registry.
const (
	Parent Role = "parent"
	Child  Role = "child"
)

// Store reads the local person registry.
type Store interface {
	// Person returns the person with the IIN, or an error matching
	// errs.ErrNotFound.
	Person(ctx context.Context, iin string) (Person, error)
	// People returns the people of the registry with their roles, parents
	// first, ordered by city and IIN.
	People(ctx context.Context) ([]Entry, error)
}

// Entry is a person with their role in the registry.
type Entry struct {
	Person
	Role Role `json:"role"`
}

// AgeOn is how old a person born on birth is on day, in whole years.
func AgeOn(birth, day time.Time) int {
	age := day.Year() - birth.Year()
	if day.Month() < birth.Month() || day.Month() == birth.Month() && day.Day() < birth.Day() {
		age-- // the birthday has not come yet that year
	}
	return age
}
