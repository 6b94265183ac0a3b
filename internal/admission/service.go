package admission

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"sakura/internal/account"
	"sakura/internal/application"
	"sakura/internal/campaign"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/staff"
)

// The events of the parent's feed this package writes; each tells the
// parent by SMS or e-mail too.
const (
	EventAccepted notify.EventKind = "application_accepted"
	EventWaiting  notify.EventKind = "application_waiting"
	EventRefused  notify.EventKind = "application_refused"
	EventReferral notify.EventKind = "referral_issued"
	EventEnrolled notify.EventKind = "application_enrolled"
	EventExpired  notify.EventKind = "referral_expired"
)

// messages are the SMS and e-mail of each event.
var messages = map[notify.EventKind]notify.Key{
	EventAccepted: notify.ApplicationAccepted,
	EventWaiting:  notify.ApplicationWaiting,
	EventRefused:  notify.ApplicationRefused,
	EventReferral: notify.ReferralIssued,
	EventEnrolled: notify.ApplicationEnrolled,
	EventExpired:  notify.ReferralExpired,
}

// Store keeps what admission decides. AdmissionTx runs fn in one
// transaction, committing when fn returns nil.
type Store interface {
	AdmissionTx(ctx context.Context, fn func(Tx) error) error
}

// Tx is one transaction of the admission store. Lookups return an error
// matching errs.ErrNotFound when the row is missing.
type Tx interface {
	// Guard makes the transaction wait for any other that guards the key,
	// in every process on the database.
	Guard(ctx context.Context, keys ...string) error
	// Campaign returns the campaign of a city and year.
	Campaign(ctx context.Context, city string, year int) (campaign.Campaign, error)

	// Application reads an application; LockApplication reads it and holds
	// its row until the end of the transaction.
	Application(ctx context.Context, id int64) (application.Application, error)
	LockApplication(ctx context.Context, id int64) (application.Application, error)
	// SetStatus changes an application's status and adds the change to its
	// timeline.
	SetStatus(ctx context.Context, id int64, c application.Change) error

	// Seats counts a school's seats in a grade of a campaign year.
	Seats(ctx context.Context, schoolID int64, year, grade int) (Seats, error)
	// Waiting lists up to limit quota applications waiting for a seat at a
	// school, in the order the server received them.
	Waiting(ctx context.Context, schoolID int64, year, grade, limit int) ([]application.Application, error)

	// NextNumber issues the next number of a series (such as "R" for
	// referrals) of a city and year.
	NextNumber(ctx context.Context, city, series string, year int) (int, error)
	// AddReferral writes a referral and returns its id.
	AddReferral(ctx context.Context, r Referral) (int64, error)
	// ReferralOf returns the referral of an application.
	ReferralOf(ctx context.Context, applicationID int64) (Referral, error)
	// CloseReferral marks a referral used or expired.
	CloseReferral(ctx context.Context, id int64, status ReferralStatus, at time.Time) error
	// DueReferrals lists up to limit referrals in force that end before
	// now.
	DueReferrals(ctx context.Context, now time.Time, limit int) ([]Referral, error)

	// EnrolPupil creates the child's personal file or moves it to the new
	// school and class, and adds the movement.
	EnrolPupil(ctx context.Context, f PupilFile, m Movement) error

	// Account returns the parent's account, for where messages go.
	Account(ctx context.Context, id int64) (account.Account, error)
	// AddEvent writes an event of the feed with its deliveries.
	AddEvent(ctx context.Context, e notify.Event, ds []notify.Delivery) (int64, error)
	// Audit appends to the back office's audit log.
	Audit(ctx context.Context, e staff.AuditEntry) error
}

// Config is what a Service depends on.
type Config struct {
	Store  Store
	Now    func() time.Time // nil: time.Now
	Queued func()           // told when messages were queued; nil when nobody listens
}

// Service decides on applications, gives quota seats in the order of
// receipt and lets referrals expire. It is safe for concurrent use, in
// any number of processes on one database: every change to a school's
// seats runs under that school's guard.
type Service struct {
	store  Store
	now    func() time.Time
	queued func()
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, now: cfg.Now, queued: cfg.Queued}
	if s.now == nil {
		s.now = time.Now
	}
	if s.queued == nil {
		s.queued = func() {}
	}
	return s
}

// errNoApplication is the answer for an application that does not exist
// or that the staff member may not see: the same, so that ids reveal
// nothing.
var errNoApplication = &errs.Error{Kind: errs.NotFound, Key: "office.application_not_found"}

// seatsKey is the guard of a school's seats in a grade and year.
func seatsKey(schoolID int64, year, grade int) string {
	return fmt.Sprintf("seats:%d:%d:%d", schoolID, year, grade)
}

// Decide takes a staff member's decision on an application, in one
// transaction: the status, the timeline, a referral or the personal file
// when the decision makes one, the parent's event and message, the audit
// line, and any quota seat the decision opens, given to the next in the
// queue. An application the staff member may not see is errs.NotFound; a
// decision its status does not allow is errs.Conflict
// ("admission.not_allowed"), so that of two staff deciding at once only
// the first wins; a refusal without its reason or comment is errs.Invalid
// with account.FieldErrors.
func (s *Service) Decide(ctx context.Context, actor staff.User, id int64, d Decision, c account.Client) (application.Application, error) {
	if err := d.check(); err != nil {
		return application.Application{}, err
	}
	now := s.now()
	var out application.Application
	err := s.store.AdmissionTx(ctx, func(tx Tx) error {
		a, err := s.open(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		out, err = s.decide(ctx, tx, actor, a, d, c, now)
		return err
	})
	if err != nil {
		return application.Application{}, fmt.Errorf("decide: %w", err)
	}
	s.queued()
	return out, nil
}

// open reads an application the staff member may decide on, guards its
// school's seats and locks its row.
func (s *Service) open(ctx context.Context, tx Tx, actor staff.User, id int64) (application.Application, error) {
	a, err := tx.Application(ctx, id)
	if errors.Is(err, errs.ErrNotFound) || (err == nil && !actor.May(staff.Decide, a.City, a.SchoolID)) {
		return application.Application{}, errNoApplication
	}
	if err != nil {
		return application.Application{}, err
	}
	if err := tx.Guard(ctx, seatsKey(a.SchoolID, a.Year, a.Grade())); err != nil {
		return application.Application{}, err
	}
	return tx.LockApplication(ctx, id)
}

// DecideMany issues referrals to many accepted catchment applications at
// once, each as Decide would, all in one transaction: one that cannot
// take a referral stops the whole. The caller has asked the staff member
// to re-authenticate.
func (s *Service) DecideMany(ctx context.Context, actor staff.User, ids []int64, c account.Client) (int, error) {
	now := s.now()
	err := s.store.AdmissionTx(ctx, func(tx Tx) error {
		for _, id := range ids {
			a, err := s.open(ctx, tx, actor, id)
			if err != nil {
				return err
			}
			if _, err := s.decide(ctx, tx, actor, a, Decision{Action: Issue}, c, now); err != nil {
				return &errs.Error{Kind: errs.KindOf(err), Key: "office.bulk_failed",
					Args: map[string]any{"Number": string(a.Number)}, Err: err}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("decide many: %w", err)
	}
	s.queued()
	return len(ids), nil
}

// decide applies a decision to a locked application.
func (s *Service) decide(ctx context.Context, tx Tx, actor staff.User, a application.Application, d Decision,
	c account.Client, now time.Time) (application.Application, error) {
	next, err := Next(a, d.Action)
	if err != nil {
		return application.Application{}, err
	}
	camp, err := tx.Campaign(ctx, a.City, a.Year)
	if err != nil {
		return application.Application{}, err
	}
	ch := application.Change{Status: next, At: now, Actor: actor.Name, Reason: d.Reason, Comment: d.Comment}
	if err := tx.SetStatus(ctx, a.ID, ch); err != nil {
		return application.Application{}, err
	}
	before := a.Status
	a.Status, a.UpdatedAt = next, now

	event := map[application.Status]notify.EventKind{application.Accepted: EventAccepted,
		application.Waiting: EventWaiting, application.Refused: EventRefused,
		application.Referral: EventReferral, application.Enrolled: EventEnrolled}[next]
	data := notify.Data{Number: string(a.Number), Reason: d.Reason, Comment: d.Comment}
	after := map[string]string{"status": string(next)}
	switch next {
	case application.Referral:
		r, err := s.issue(ctx, tx, a, camp, now)
		if err != nil {
			return application.Application{}, err
		}
		data.Referral, data.Until = r.Number, r.ValidUntil.Format("02.01.2006")
		after["referral"] = r.Number
	case application.Enrolled:
		if err := s.enrol(ctx, tx, a, d.Class, now); err != nil {
			return application.Application{}, err
		}
		data.Class = fmt.Sprintf("%d%s", a.Grade(), d.Class)
		after["class"] = d.Class
	case application.Refused:
		after["reason"], after["comment"] = d.Reason, d.Comment
	}
	if err := s.tell(ctx, tx, a, event, data, now); err != nil {
		return application.Application{}, err
	}
	if err := audit(ctx, tx, actor.ID, actor.Name, a, "application."+string(d.Action), before, after, c, now); err != nil {
		return application.Application{}, err
	}
	if err := s.allocate(ctx, tx, a.City, a.SchoolID, a.Year, a.Grade(), camp, now); err != nil {
		return application.Application{}, err
	}
	return a, nil
}

// issue writes the referral of an application that has just taken the
// status referral: valid for the campaign's working days after today.
func (s *Service) issue(ctx context.Context, tx Tx, a application.Application, camp campaign.Campaign, now time.Time) (Referral, error) {
	seq, err := tx.NextNumber(ctx, a.City, "R", a.Year)
	if err != nil {
		return Referral{}, err
	}
	r := Referral{
		Number:        fmt.Sprintf("%s-R-%d-%05d", application.CityCode(a.City), a.Year, seq),
		Code:          newCode(),
		ApplicationID: a.ID, AccountID: a.AccountID, City: a.City, SchoolID: a.SchoolID, Year: a.Year,
		Grade: a.Grade(), Language: a.Answers.Language, Basis: a.Basis,
		IssuedAt: now, ValidUntil: camp.AddWorkingDays(Today(now), camp.ReferralDays), Status: RefIssued,
	}
	r.ID, err = tx.AddReferral(ctx, r)
	return r, err
}

// newCode is the random part of a referral's verification link: 160 bits
// in lower-case base32, 32 characters.
func newCode() string {
	var b [20]byte
	rand.Read(b[:])
	return lowerBase32.EncodeToString(b[:])
}

var lowerBase32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// enrol uses the application's referral and writes the child's personal
// file.
func (s *Service) enrol(ctx context.Context, tx Tx, a application.Application, class string, now time.Time) error {
	r, err := tx.ReferralOf(ctx, a.ID)
	if err != nil {
		return err
	}
	if err := tx.CloseReferral(ctx, r.ID, RefUsed, now); err != nil {
		return err
	}
	ans := a.Answers
	f := PupilFile{City: a.City, Child: a.Child, Name: joinName(ans.ChildSurname, ans.ChildName),
		BirthDate: ans.ChildBirthDate, AccountID: a.AccountID, SchoolID: a.SchoolID, Grade: a.Grade(),
		Class: class, SchoolYear: a.Year}
	return tx.EnrolPupil(ctx, f, Movement{At: now, Kind: Enrolled, SchoolID: a.SchoolID, Grade: a.Grade(),
		Class: class, SchoolYear: a.Year, ApplicationID: a.ID})
}

func joinName(surname, name string) string {
	if surname == "" {
		return name
	}
	return surname + " " + name
}

// allocate gives the quota seats a school has open to the applicants
// waiting, in the order the server received them: one seat for every
// QuotaRatio catchment admissions, never beyond the free seats.
func (s *Service) allocate(ctx context.Context, tx Tx, city string, school int64, year, grade int, camp campaign.Campaign, now time.Time) error {
	seats, err := tx.Seats(ctx, school, year, grade)
	if err != nil {
		return err
	}
	seats.ClassSize = camp.ClassSize
	open := seats.QuotaOpen(camp.QuotaRatio)
	if open == 0 {
		return nil
	}
	waiting, err := tx.Waiting(ctx, school, year, grade, open)
	if err != nil {
		return err
	}
	for _, w := range waiting {
		if w.City != city {
			continue // never: a school belongs to one city
		}
		if err := tx.SetStatus(ctx, w.ID, application.Change{Status: application.Referral, At: now,
			Actor: application.ActorQueue}); err != nil {
			return err
		}
		w.Status = application.Referral
		r, err := s.issue(ctx, tx, w, camp, now)
		if err != nil {
			return err
		}
		if err := s.tell(ctx, tx, w, EventReferral, notify.Data{Number: string(w.Number), Referral: r.Number,
			Until: r.ValidUntil.Format("02.01.2006")}, now); err != nil {
			return err
		}
		if err := audit(ctx, tx, 0, application.ActorQueue, w, "application.referral", application.Waiting,
			map[string]string{"status": string(application.Referral), "referral": r.Number}, account.Client{}, now); err != nil {
			return err
		}
	}
	return nil
}

// tell writes the parent's event and its message, on the channel and in
// the language the application chose (SMS when the e-mail is gone).
func (s *Service) tell(ctx context.Context, tx Tx, a application.Application, kind notify.EventKind, data notify.Data, now time.Time) error {
	acc, err := tx.Account(ctx, a.AccountID)
	if err != nil {
		return err
	}
	e := notify.Event{AccountID: a.AccountID, Kind: kind, CreatedAt: now,
		Data: map[string]string{"number": string(a.Number), "application": strconv.FormatInt(a.ID, 10)}}
	for k, v := range map[string]string{"reason": data.Reason, "comment": data.Comment, "referral": data.Referral,
		"until": data.Until, "class": data.Class} {
		if v != "" {
			e.Data[k] = v
		}
	}
	channel, to := notify.SMS, acc.Phone
	if notify.Channel(a.Answers.Channel) == notify.Email && acc.Email != "" {
		channel, to = notify.Email, acc.Email
	}
	lang, ok := i18n.ParseLang(a.Answers.NotifyLang)
	if !ok {
		lang = acc.Lang
	}
	var ds []notify.Delivery
	if to != "" {
		ds = []notify.Delivery{{Channel: channel, To: to, Lang: lang, Message: messages[kind], Data: data}}
	}
	_, err = tx.AddEvent(ctx, e, ds)
	return err
}

// audit writes the audit line of a change to an application.
func audit(ctx context.Context, tx Tx, userID int64, actor string, a application.Application, action string,
	before application.Status, after map[string]string, c account.Client, now time.Time) error {
	b, _ := json.Marshal(map[string]string{"status": string(before)})
	aft, _ := json.Marshal(after)
	return tx.Audit(ctx, staff.AuditEntry{At: now, UserID: userID, Actor: actor, City: a.City, Action: action,
		Object: "application:" + strconv.FormatInt(a.ID, 10), Before: string(b), After: string(aft),
		Client: account.MaskAddr(c.Addr)})
}

// ExpireDue lets every referral past its end expire, one transaction each:
// the referral and the application take the status expired, the parent is
// told, and the freed seat goes to the next in the queue. Any number of
// processes may run it at once. It returns how many expired.
func (s *Service) ExpireDue(ctx context.Context) (int, error) {
	n := 0
	for {
		now := s.now()
		expired, more := false, false
		err := s.store.AdmissionTx(ctx, func(tx Tx) error {
			due, err := tx.DueReferrals(ctx, now, 1)
			if err != nil || len(due) == 0 {
				return err
			}
			more = true
			r := due[0]
			if err := tx.Guard(ctx, seatsKey(r.SchoolID, r.Year, r.Grade)); err != nil {
				return err
			}
			a, err := tx.LockApplication(ctx, r.ApplicationID)
			if err != nil {
				return err
			}
			if r, err = tx.ReferralOf(ctx, a.ID); err != nil {
				return err
			}
			if r.Status != RefIssued || r.Valid(now) {
				return nil // another process got there first
			}
			if err := tx.CloseReferral(ctx, r.ID, RefExpired, now); err != nil {
				return err
			}
			if a.Status != application.Referral {
				return nil // never: only a referral's own status leads away from it
			}
			if err := tx.SetStatus(ctx, a.ID, application.Change{Status: application.Expired, At: now,
				Actor: application.ActorSystem}); err != nil {
				return err
			}
			a.Status = application.Expired
			if err := s.tell(ctx, tx, a, EventExpired, notify.Data{Number: string(a.Number), Referral: r.Number}, now); err != nil {
				return err
			}
			if err := audit(ctx, tx, 0, application.ActorSystem, a, "referral.expire", application.Referral,
				map[string]string{"status": string(application.Expired), "referral": r.Number}, account.Client{}, now); err != nil {
				return err
			}
			camp, err := tx.Campaign(ctx, a.City, a.Year)
			if err != nil {
				return err
			}
			expired = true
			return s.allocate(ctx, tx, a.City, a.SchoolID, a.Year, a.Grade(), camp, now)
		})
		if err != nil {
			return n, fmt.Errorf("expire referrals: %w", err)
		}
		if expired {
			n++
			s.queued()
		}
		if !more {
			return n, nil
		}
	}
}

// Run lets referrals expire every interval until ctx ends; every process
// runs it.
func (s *Service) Run(ctx context.Context, every time.Duration, report func(n int, err error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := s.ExpireDue(ctx)
		if report != nil && (n > 0 || err != nil) && ctx.Err() == nil {
			report(n, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
