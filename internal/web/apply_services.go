package web

import (
	"time"

	"sakura/internal/application"
	"sakura/internal/campaign"
	"sakura/internal/errs"
	"sakura/internal/person"
)

// applyRules is what the wizard of a kind needs beyond its list of steps: the
// age its children have, the documents it asks for, and whether the
// school it applies to comes with a basis (grade 1's catchment or quota).
type applyRules struct {
	// age checks a child's birth date for the campaign; late is grade 1's
	// warning for a birthday late in the year.
	age func(c campaign.Campaign, birth time.Time) (late bool, err error)
	// documents are the files the documents step asks for, by name.
	documents func(c campaign.Campaign) []string
	basis     bool
}

// services are the rules of each kind's wizard.
var services = map[application.Kind]applyRules{
	application.Grade1: {age: func(c campaign.Campaign, birth time.Time) (bool, error) { return c.CheckAge(birth) },
		documents: func(c campaign.Campaign) []string { return c.Documents }, basis: true},
	application.Transfer:  {age: schoolAge(6, 18), documents: func(c campaign.Campaign) []string { return c.Transfer.Documents }},
	application.Grade10:   {age: schoolAge(14, 18), documents: func(c campaign.Campaign) []string { return c.Grade10.Documents }},
	application.Meals:     {age: schoolAge(6, 18), documents: noDocuments},
	application.Camp:      {age: schoolAge(6, 18), documents: noDocuments},
	application.Transport: {age: schoolAge(6, 18), documents: noDocuments},
}

func noDocuments(campaign.Campaign) []string { return nil }

// schoolAge is the age rule of a service for pupils: from lo to hi years
// old on 1 September of the campaign's year. [D]
func schoolAge(lo, hi int) func(c campaign.Campaign, birth time.Time) (bool, error) {
	return func(c campaign.Campaign, birth time.Time) (bool, error) {
		age := person.AgeOn(birth, time.Date(c.Year, time.September, 1, 0, 0, 0, 0, time.UTC))
		if age < lo || age > hi {
			return false, &errs.Error{Kind: errs.Invalid, Key: "apply.child.age_range",
				Args: map[string]any{"Min": lo, "Max": hi, "Year": c.Year}}
		}
		return false, nil
	}
}
