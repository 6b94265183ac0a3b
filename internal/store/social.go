package store

import (
	"context"
	"database/sql"
	"fmt"

	"sakura/internal/errs"
	"sakura/internal/social"
	"sakura/internal/staff"
)

var _ social.Store = (*DB)(nil)

const shiftColumns = `id, camp_id, number, starts, ends, seats, age_min, age_max`

func scanShift(r rowScanner) (social.Shift, error) {
	var sh social.Shift
	err := r.Scan(&sh.ID, &sh.CampID, &sh.Number, dateCol{&sh.Starts}, dateCol{&sh.Ends}, &sh.Seats, &sh.AgeMin, &sh.AgeMax)
	return sh, err
}

// Camps lists a city's camps with their shifts, by Russian name.
func (s *DB) Camps(ctx context.Context, city string) ([]social.Camp, error) {
	camps, err := queryAll(ctx, s, "list camps", func(r rowScanner) (social.Camp, error) {
		var c social.Camp
		err := r.Scan(&c.ID, &c.City, &c.Kind, &c.Name.KK, &c.Name.RU, &c.Name.EN, &c.Address)
		return c, err
	}, `SELECT id, city, kind, name_kk, name_ru, name_en, address FROM camps WHERE city = ? ORDER BY name_ru, id`, city)
	if err != nil {
		return nil, err
	}
	shifts, err := queryAll(ctx, s, "list shifts", scanShift, `SELECT `+shiftColumns+` FROM camp_shifts
		WHERE camp_id IN (SELECT id FROM camps WHERE city = ?) ORDER BY camp_id, number`, city)
	if err != nil {
		return nil, err
	}
	at := make(map[int64]int, len(camps))
	for i, c := range camps {
		at[c.ID] = i
	}
	for _, sh := range shifts {
		camps[at[sh.CampID]].Shifts = append(camps[at[sh.CampID]].Shifts, sh)
	}
	return camps, nil
}

// Shift returns a shift of a city's camp with its camp, or an error
// matching errs.ErrNotFound; another city's shift is not found.
func (s *DB) Shift(ctx context.Context, city string, id int64) (social.Shift, social.Camp, error) {
	var sh social.Shift
	var c social.Camp
	err := s.queryRow(ctx, `SELECT sh.id, sh.camp_id, sh.number, sh.starts, sh.ends, sh.seats, sh.age_min, sh.age_max,
		c.id, c.city, c.kind, c.name_kk, c.name_ru, c.name_en, c.address
		FROM camp_shifts sh JOIN camps c ON c.id = sh.camp_id WHERE sh.id = ? AND c.city = ?`, id, city).
		Scan(&sh.ID, &sh.CampID, &sh.Number, dateCol{&sh.Starts}, dateCol{&sh.Ends}, &sh.Seats, &sh.AgeMin, &sh.AgeMax,
			&c.ID, &c.City, &c.Kind, &c.Name.KK, &c.Name.RU, &c.Name.EN, &c.Address)
	return sh, c, notFound("read shift", err)
}

// VouchersTaken counts the vouchers in force or used of each shift of a
// city's camps.
func (s *DB) VouchersTaken(ctx context.Context, city string) (map[int64]int, error) {
	rows, err := s.query(ctx, `SELECT shift_id, COUNT(*) FROM referrals
		WHERE city = ? AND kind = 'voucher' AND status IN ('issued', 'used') GROUP BY shift_id`, city)
	if err != nil {
		return nil, fmt.Errorf("count vouchers: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id sql.NullInt64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("count vouchers: %w", err)
		}
		out[id.Int64] = n
	}
	return out, rows.Err()
}

// SaveCamp adds a camp (ID zero) or changes one of its city, with its audit
// line, in one transaction, and returns its id. Another city's camp is not
// found.
func (s *DB) SaveCamp(ctx context.Context, c social.Camp, e staff.AuditEntry) (int64, error) {
	id := c.ID
	err := s.inTx(ctx, func(t tx) error {
		if id == 0 {
			err := t.QueryRowContext(ctx, s.rebind(`INSERT INTO camps (city, kind, name_kk, name_ru, name_en, address)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), c.City, string(c.Kind), c.Name.KK, c.Name.RU, c.Name.EN, c.Address).Scan(&id)
			if err != nil {
				return fmt.Errorf("add camp: %w", err)
			}
		} else {
			res, err := t.exec(ctx, `UPDATE camps SET kind = ?, name_kk = ?, name_ru = ?, name_en = ?, address = ?
				WHERE id = ? AND city = ?`, string(c.Kind), c.Name.KK, c.Name.RU, c.Name.EN, c.Address, id, c.City)
			if err != nil {
				return fmt.Errorf("change camp: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("camp %d of %s: %w", id, c.City, errs.ErrNotFound)
			}
		}
		e.Object = fmt.Sprintf("camp:%d", id)
		return s.officeAudit(ctx, t, e)
	})
	return id, err
}

// SaveShift adds a shift (ID zero) to a camp of the city or changes one,
// with its audit line, in one transaction. A number the camp has already
// is errs.Conflict ("office.camps.number_taken"); seats fewer than the
// vouchers given are errs.Conflict ("office.camps.seats_given").
func (s *DB) SaveShift(ctx context.Context, city string, sh social.Shift, e staff.AuditEntry) (int64, error) {
	id := sh.ID
	err := s.inTx(ctx, func(t tx) error {
		var found int
		if err := t.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM camps WHERE id = ? AND city = ?`), sh.CampID, city).
			Scan(&found); err != nil || found == 0 {
			return notFound("save shift", fmt.Errorf("camp %d of %s: %w", sh.CampID, city, errs.ErrNotFound))
		}
		var taken int
		if err := t.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM camp_shifts WHERE camp_id = ? AND number = ? AND id <> ?`),
			sh.CampID, sh.Number, id).Scan(&taken); err != nil {
			return fmt.Errorf("save shift: %w", err)
		}
		if taken > 0 {
			return &errs.Error{Kind: errs.Conflict, Key: "office.camps.number_taken"}
		}
		if id == 0 {
			err := t.QueryRowContext(ctx, s.rebind(`INSERT INTO camp_shifts (camp_id, number, starts, ends, seats, age_min, age_max)
				VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), sh.CampID, sh.Number, s.dateArg(sh.Starts), s.dateArg(sh.Ends),
				sh.Seats, sh.AgeMin, sh.AgeMax).Scan(&id)
			if err != nil {
				return fmt.Errorf("add shift: %w", err)
			}
		} else {
			// The same guard as a voucher's decision (admission's seatsKey),
			// so that no voucher is issued between the count and the change.
			if err := (accountTx{t}).Guard(ctx, fmt.Sprintf("shift:%d", id)); err != nil {
				return fmt.Errorf("save shift: %w", err)
			}
			var given int
			if err := t.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM referrals WHERE shift_id = ? AND status IN ('issued', 'used')`),
				id).Scan(&given); err != nil {
				return fmt.Errorf("save shift: %w", err)
			}
			if sh.Seats < given {
				return &errs.Error{Kind: errs.Conflict, Key: "office.camps.seats_given", Args: map[string]any{"Count": given}}
			}
			if _, err := t.exec(ctx, `UPDATE camp_shifts SET number = ?, starts = ?, ends = ?, seats = ?, age_min = ?, age_max = ?
				WHERE id = ? AND camp_id = ?`, sh.Number, s.dateArg(sh.Starts), s.dateArg(sh.Ends), sh.Seats, sh.AgeMin,
				sh.AgeMax, id, sh.CampID); err != nil {
				return fmt.Errorf("change shift: %w", err)
			}
		}
		e.Object = fmt.Sprintf("shift:%d", id)
		return s.officeAudit(ctx, t, e)
	})
	return id, err
}
