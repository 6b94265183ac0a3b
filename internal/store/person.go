package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"sakura/internal/errs"
	"sakura/internal/importer"
	"sakura/internal/person"
)

// The local table is a person registry.
var _ person.Registry = (*DB)(nil)

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

// Link returns the link between a parent and a child, or an error matching
// errs.ErrNotFound when the child is not linked to the parent.
func (s *DB) Link(ctx context.Context, parentIIN, childIIN string) (person.Link, error) {
	l := person.Link{ParentIIN: parentIIN, ChildIIN: childIIN}
	err := s.queryRow(ctx, `SELECT relation FROM person_links WHERE parent_iin = ? AND child_iin = ?`,
		parentIIN, childIIN).Scan(&l.Relation)
	if errors.Is(err, sql.ErrNoRows) {
		return person.Link{}, fmt.Errorf("person link: %w", errs.ErrNotFound)
	}
	if err != nil {
		return person.Link{}, fmt.Errorf("person link: %w", err)
	}
	return l, nil
}

// PersonIINs returns the IINs of the city's people, against which the
// parents named by a people import are checked.
func (s *DB) PersonIINs(ctx context.Context, slug string) (map[string]bool, error) {
	rows, err := s.query(ctx, `SELECT iin FROM persons WHERE city = ?`, slug)
	if err != nil {
		return nil, fmt.Errorf("person iins: %w", err)
	}
	defer rows.Close()

	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("person iins: %w", err)
		}
		out[n] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("person iins: %w", err)
	}
	return out, nil
}

// ImportPeople writes people keyed by IIN and their links keyed by parent
// and child, in one transaction that bumps the city's data version: a
// person of the city with the IIN is updated in every field, another is
// added, and a link's relation is replaced. Nobody is removed. An IIN that
// belongs to another city's person is a conflict, and a link to a parent
// the database does not hold fails; nothing is then written.
func (s *DB) ImportPeople(ctx context.Context, slug string, p importer.People) (ImportResult, error) {
	return s.importTx(ctx, "people", slug, func(t tx, res *ImportResult) error {
		cities := map[string]string{}
		rows, err := t.QueryContext(ctx, `SELECT iin, city FROM persons`)
		if err != nil {
			return fmt.Errorf("people: %w", err)
		}
		for rows.Next() {
			var n, c string
			if err := rows.Scan(&n, &c); err != nil {
				rows.Close()
				return fmt.Errorf("people: %w", err)
			}
			cities[n] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("people: %w", err)
		}

		for _, row := range p.Persons {
			x := row.Person
			if c, ok := cities[x.IIN]; ok && c != slug {
				return &errs.Error{Kind: errs.Conflict, Err: fmt.Errorf("line %d: person %s belongs to another city",
					row.Line, person.MaskIIN(x.IIN))}
			}
			_, err := t.exec(ctx, `
				INSERT INTO persons (iin, city, surname, name, patronymic, birth_date, sex, phone)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (iin) DO UPDATE SET surname = excluded.surname, name = excluded.name,
					patronymic = excluded.patronymic, birth_date = excluded.birth_date,
					sex = excluded.sex, phone = excluded.phone`,
				x.IIN, slug, x.Surname, x.Name, x.Patronymic, s.dateArg(x.BirthDate), string(x.Sex), x.Phone)
			if err != nil {
				return fmt.Errorf("line %d: person %s: %w", row.Line, person.MaskIIN(x.IIN), err)
			}
			if _, ok := cities[x.IIN]; ok {
				res.Updated++
			} else {
				res.Inserted++
			}
			cities[x.IIN] = slug
		}

		for _, row := range p.Links {
			l := row.Link
			if cities[l.ParentIIN] != slug {
				return fmt.Errorf("line %d: parent %s is not a person of %s", row.Line, person.MaskIIN(l.ParentIIN), slug)
			}
			_, err := t.exec(ctx, `
				INSERT INTO person_links (parent_iin, child_iin, city, relation) VALUES (?, ?, ?, ?)
				ON CONFLICT (parent_iin, child_iin) DO UPDATE SET relation = excluded.relation`,
				l.ParentIIN, l.ChildIIN, slug, l.Relation)
			if err != nil {
				return fmt.Errorf("line %d: link %s: %w", row.Line, person.MaskIIN(l.ChildIIN), err)
			}
		}
		return nil
	})
}
