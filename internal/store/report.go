package store

import (
	"context"
	"time"

	"sakura/internal/application"
)

// The department's reports count rows in SQL and hand back small maps
// keyed by day and domain codes. A day is a calendar day in Kazakhstan
// (UTC+5, the time of the whole country), written YYYY-MM-DD, which sorts
// as text and goes into a CSV file as it is.

// localDay is the SQL expression of the day, YYYY-MM-DD, on which the
// instant in a time column falls in Kazakhstan.
func (s *DB) localDay(column string) string {
	if s.dialect == Postgres {
		return "to_char(" + column + " AT TIME ZONE INTERVAL '+05:00', 'YYYY-MM-DD')"
	}
	// SQLite holds RFC 3339 text in UTC. Its whole seconds are enough for
	// the day; some SQLite releases round the fraction in date(), which
	// would move 23:59:59.9995 to the next day.
	return "date(substr(" + column + ", 1, 19), '+5 hours')"
}

// ApplicationsByDay counts a city's applications of a campaign year by the
// day the server received them (in Kazakhstan), their kind and their
// status now: day → kind → status → count. Days without an application
// are absent.
func (s *DB) ApplicationsByDay(ctx context.Context, city string, year int) (
	map[string]map[application.Kind]map[application.Status]int, error) {
	day := s.localDay("received_at")
	type tally struct {
		day    string
		kind   application.Kind
		status application.Status
		count  int
	}
	rows, err := queryAll(ctx, s, "count applications by day", func(r rowScanner) (tally, error) {
		var t tally
		err := r.Scan(&t.day, &t.kind, &t.status, &t.count)
		return t, err
	}, `SELECT `+day+`, kind, status, COUNT(*) FROM applications WHERE city = ? AND year = ?
		GROUP BY `+day+`, kind, status`, city, year)
	if err != nil {
		return nil, err
	}
	out := make(map[string]map[application.Kind]map[application.Status]int)
	for _, t := range rows {
		kinds := out[t.day]
		if kinds == nil {
			kinds = make(map[application.Kind]map[application.Status]int)
			out[t.day] = kinds
		}
		if kinds[t.kind] == nil {
			kinds[t.kind] = make(map[application.Status]int)
		}
		kinds[t.kind][t.status] += t.count
	}
	return out, nil
}

// QuotaQueues counts the quota applications of a city's campaign year that
// wait for a seat, by school id; a school with no queue is absent.
func (s *DB) QuotaQueues(ctx context.Context, city string, year int) (map[int64]int, error) {
	type queue struct {
		school int64
		count  int
	}
	rows, err := queryAll(ctx, s, "count quota queues", func(r rowScanner) (queue, error) {
		var q queue
		err := r.Scan(&q.school, &q.count)
		return q, err
	}, `SELECT school_id, COUNT(*) FROM applications
		WHERE city = ? AND year = ? AND status = 'waiting' AND basis = 'quota' AND school_id IS NOT NULL
		GROUP BY school_id`, city, year)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(rows))
	for _, q := range rows {
		out[q.school] = q.count
	}
	return out, nil
}

// ReferralsByEnd counts a city's referrals of a campaign year that are
// still issued (neither used nor expired), by their last day of validity
// (valid_until). A referral whose day has passed but which the expiry has
// not closed yet is counted too; the caller keeps the days it shows.
func (s *DB) ReferralsByEnd(ctx context.Context, city string, year int) (map[string]int, error) {
	type end struct {
		day   string
		count int
	}
	rows, err := queryAll(ctx, s, "count referrals by end", func(r rowScanner) (end, error) {
		var e end
		var day time.Time
		err := r.Scan(dateCol{&day}, &e.count)
		e.day = day.Format(dateLayout)
		return e, err
	}, `SELECT valid_until, COUNT(*) FROM referrals WHERE city = ? AND year = ? AND status = 'issued'
		GROUP BY valid_until`, city, year)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(rows))
	for _, e := range rows {
		out[e.day] += e.count
	}
	return out, nil
}
