package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"sakura/internal/errs"
	"sakura/internal/person"
)

const personColumns = `p.iin, p.city, p.surname, p.name, p.patronymic, p.birth_date, p.sex, p.phone`

func scanPerson(row rowScanner, p *person.Person, extra ...any) error {
	return row.Scan(append([]any{&p.IIN, &p.City, &p.Surname, &p.Name, &p.Patronymic,
		dateCol{&p.BirthDate}, &p.Sex, &p.Phone}, extra...)...)
}

// Person returns the person with the IIN, or an error matching
// errs.ErrNotFound.
func (s *DB) Person(ctx context.Context, iin string) (person.Person, error) {
	var p person.Person
	err := scanPerson(s.queryRow(ctx, `SELECT `+personColumns+` FROM persons p WHERE p.iin = ?`, iin), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return person.Person{}, fmt.Errorf("person: %w", errs.ErrNotFound)
	}
	if err != nil {
		return person.Person{}, fmt.Errorf("person: %w", err)
	}
	return p, nil
}

// People returns the people of the registry with their roles, parents
// first, ordered by city and IIN. A person who is nobody's child is a parent.
func (s *DB) People(ctx context.Context) ([]person.Entry, error) {
	rows, err := s.query(ctx, `
		SELECT `+personColumns+`,
		       CASE WHEN EXISTS (SELECT 1 FROM person_links l WHERE l.child_iin = p.iin)
		            THEN 'child' ELSE 'parent' END AS role
		FROM persons p
		ORDER BY role DESC, p.city, p.iin`)
	if err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	defer rows.Close()

	var out []person.Entry
	for rows.Next() {
		var e person.Entry
		if err := scanPerson(rows, &e.Person, &e.Role); err != nil {
			return nil, fmt.Errorf("list people: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	return out, nil
}

// Children returns the children linked to a parent, ordered by birth date.
func (s *DB) Children(ctx context.Context, parentIIN string) ([]person.Person, error) {
	rows, err := s.query(ctx, `
		SELECT `+personColumns+`
		FROM person_links l JOIN persons p ON p.iin = l.child_iin
		WHERE l.parent_iin = ?
		ORDER BY p.birth_date, p.iin`, parentIIN)
	if err != nil {
		return nil, fmt.Errorf("list children: %w", err)
	}
	defer rows.Close()

	var out []person.Person
	for rows.Next() {
		var p person.Person
		if err := scanPerson(rows, &p); err != nil {
			return nil, fmt.Errorf("list children: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list children: %w", err)
	}
	return out, nil
}
