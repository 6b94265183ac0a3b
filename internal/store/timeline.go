package store

import (
	"context"
	"database/sql"
	"slices"

	"sakura/internal/admission"
	"sakura/internal/application"
)

// ChildTimeline returns everything the portal recorded for one child of a
// parent, newest first: each application the account filed for the child
// with every change of its status, each referral, slip and voucher those
// applications got (issued, and used or expired), and each movement of the
// child's personal files the account holds. child is the child's key
// (application.Answers.ChildKey). Only what belongs to the account is
// read, so another parent of the same child sees their own.
func (s *DB) ChildTimeline(ctx context.Context, accountID int64, child string) ([]admission.TimelineEntry, error) {
	apps, err := queryAll(ctx, s, "child timeline: applications", scanApplication,
		`SELECT `+applicationColumns+` FROM applications WHERE account_id = ? AND child = ? ORDER BY id`, accountID, child)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]application.Application, len(apps))
	for _, a := range apps {
		byID[a.ID] = a
	}
	of := func(e *admission.TimelineEntry, id int64) {
		if a, ok := byID[id]; ok {
			e.ApplicationID, e.Number, e.AppKind = a.ID, a.Number, a.Kind
		}
	}

	var out []admission.TimelineEntry
	changes, err := queryAll(ctx, s, "child timeline: history", func(r rowScanner) (admission.TimelineEntry, error) {
		e := admission.TimelineEntry{Kind: admission.EntryChange}
		var app int64
		err := r.Scan(&e.Seq, &app, &e.Change.Status, timeCol{&e.Change.At}, &e.Change.Actor, &e.Change.Reason,
			&e.Change.Comment)
		e.At = e.Change.At
		of(&e, app)
		return e, err
	}, `SELECT h.id, h.application_id, h.status, h.at, h.actor, h.reason, h.comment
		FROM application_history h JOIN applications a ON a.id = h.application_id
		WHERE a.account_id = ? AND a.child = ?`, accountID, child)
	if err != nil {
		return nil, err
	}
	out = append(out, changes...)

	refs, err := queryAll(ctx, s, "child timeline: referrals", scanReferral,
		`SELECT `+referralColumns+` FROM referrals WHERE account_id = ?
		AND application_id IN (SELECT id FROM applications WHERE account_id = ? AND child = ?)`,
		accountID, accountID, child)
	if err != nil {
		return nil, err
	}
	for _, ref := range refs {
		e := admission.TimelineEntry{At: ref.IssuedAt, Kind: admission.EntryIssued, Referral: ref, Seq: ref.ID}
		of(&e, ref.ApplicationID)
		out = append(out, e)
		if ref.Status != admission.RefIssued && !ref.ClosedAt.IsZero() {
			e.At, e.Kind = ref.ClosedAt, admission.EntryClosed
			out = append(out, e)
		}
	}

	moves, err := queryAll(ctx, s, "child timeline: movements", func(r rowScanner) (admission.TimelineEntry, error) {
		e := admission.TimelineEntry{Kind: admission.EntryMovement}
		var app sql.NullInt64
		m := &e.Movement
		err := r.Scan(&e.Seq, &e.City, timeCol{&m.At}, &m.Kind, &m.SchoolID, &m.Grade, &m.Class, &m.SchoolYear, &app, &m.Note)
		m.ApplicationID, e.At = app.Int64, m.At
		of(&e, app.Int64)
		return e, err
	}, `SELECT m.id, f.city, m.at, m.kind, m.school_id, m.grade, m.class_letter, m.school_year, m.application_id, m.note
		FROM pupil_movements m JOIN pupil_files f ON f.id = m.file_id
		WHERE f.account_id = ? AND f.child = ?`, accountID, child)
	if err != nil {
		return nil, err
	}
	out = append(out, moves...)

	slices.SortStableFunc(out, admission.CompareNewest)
	return out, nil
}
