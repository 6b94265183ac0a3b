package person

import (
	"context"
	"errors"
	"fmt"
	"time"

	"sakura/internal/errs"
	"sakura/internal/iin"
)

// The relations a link may name.
const (
	RelationMother   = "mother"
	RelationFather   = "father"
	RelationGuardian = "guardian"
)

// Relations returns the relations a link may name.
func Relations() []string {
	return []string{RelationMother, RelationFather, RelationGuardian}
}

// Registry is the person registry the "Check IIN" step asks: the local table
// (*store.DB, filled by the demo and by `sakura import people`) or the state
// registry behind an HTTP gateway (package httpregistry). Callers pass
// numbers that iin.Parse accepted; an implementation may refuse others with
// an errs.Invalid error.
//
// Every method returns an error matching errs.ErrUnavailable when the
// registry cannot be reached, so a page can say "try again later" rather
// than "no such person".
type Registry interface {
	// Person returns the person with the IIN, or an error matching
	// errs.ErrNotFound.
	Person(ctx context.Context, iin string) (Person, error)

	// Children returns the children linked to a parent, ordered by birth
	// date; none (and no error) for a parent without children or an IIN the
	// registry does not hold.
	Children(ctx context.Context, parentIIN string) ([]Person, error)

	// Link returns the link between a parent and a child, or an error
	// matching errs.ErrNotFound when the child is not linked to the parent.
	Link(ctx context.Context, parentIIN, childIIN string) (Link, error)
}

// Check is what the "Check IIN" button shows: whose number it is, masked,
// and for a child whether the child is linked to the parent who asks.
type Check struct {
	MaskedIIN  string // 9007******16
	MaskedName string // «Айгүл С.»
	BirthDate  time.Time
	Sex        Sex
	Linked     bool   // the person is a child of the parent who asks
	Relation   string // the parent's relation to the child when Linked
}

// CheckIIN checks a number typed by the parent with parentIIN and looks it
// up. A malformed number is an errs.Invalid error whose key is the iin
// package's reason (iin.length, iin.checksum, …), refused before the
// registry is asked; an unknown one matches errs.ErrNotFound; a registry
// that cannot be reached matches errs.ErrUnavailable. parentIIN may be
// empty when nobody is signed in; Linked is then false.
func CheckIIN(ctx context.Context, r Registry, parentIIN, number string, now time.Time) (Check, error) {
	if _, err := ParseIIN(number, now); err != nil {
		return Check{}, fmt.Errorf("check iin: %w", err)
	}

	p, err := r.Person(ctx, number)
	if err != nil {
		return Check{}, fmt.Errorf("check iin %s: %w", MaskIIN(number), err)
	}
	c := Check{MaskedIIN: MaskIIN(number), MaskedName: MaskedName(p), BirthDate: p.BirthDate, Sex: p.Sex}
	if parentIIN == "" || parentIIN == number {
		return c, nil
	}

	l, err := r.Link(ctx, parentIIN, number)
	switch {
	case errors.Is(err, errs.ErrNotFound):
	case err != nil:
		return Check{}, fmt.Errorf("check iin %s: %w", MaskIIN(number), err)
	default:
		c.Linked, c.Relation = true, l.Relation
	}
	return c, nil
}

// ParseIIN parses an IIN as iin.Parse does, turning a refusal into an
// errs.Invalid error whose key is the reason (iin.length, iin.checksum, …)
// for the pages to translate. The number never appears in the error.
func ParseIIN(number string, now time.Time) (iin.IIN, error) {
	n, err := iin.Parse(number, now)
	if err != nil {
		return iin.IIN{}, &errs.Error{Kind: errs.Invalid, Key: err.Error(), Err: err}
	}
	return n, nil
}
