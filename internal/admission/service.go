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
	"sakura/internal/social"
	"sakura/internal/staff"
)

// The events of the parent's feed this package writes; each tells the
// parent by SMS or e-mail too.
const (
	EventAccepted notify.EventKind = "application_accepted"
	EventWaiting  notify.EventKind = "application_waiting"
	EventRefused  notify.EventKind = "application_refused"
	EventReferral notify.EventKind = "referral_issued"
	EventSlip     notify.EventKind = "slip_issued"
	EventVoucher  notify.EventKind = "voucher_issued"
	EventGranted  notify.EventKind = "application_granted"
	EventEnrolled notify.EventKind = "application_enrolled"
	EventExpired  notify.EventKind = "referral_expired"
	EventReminder notify.EventKind = "meals_ending"
)

// messages are the SMS and e-mail of each event.
var messages = map[notify.EventKind]notify.Key{
	EventAccepted: notify.ApplicationAccepted,
	EventWaiting:  notify.ApplicationWaiting,
	EventRefused:  notify.ApplicationRefused,
	EventReferral: notify.ReferralIssued,
	EventSlip:     notify.SlipIssued,
	EventVoucher:  notify.VoucherIssued,
	EventGranted:  notify.ApplicationGranted,
	EventEnrolled: notify.ApplicationEnrolled,
	EventExpired:  notify.ReferralExpired,
	EventReminder: notify.MealsEnding,
}

// issuedEvent is the event of a referral of a kind.
var issuedEvent = map[RefKind]notify.EventKind{RefReferral: EventReferral, RefSlip: EventSlip, RefVoucher: EventVoucher}

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

	// Seats counts a school's grade-1 seats in a campaign year.
	Seats(ctx context.Context, schoolID int64, year, grade int) (Seats, error)
	// Waiting lists up to limit applications waiting for a seat, in the
	// order the server received them.
	Waiting(ctx context.Context, q Wait, limit int) ([]application.Application, error)
	// SchoolFacts reads a school's size.
	SchoolFacts(ctx context.Context, schoolID int64) (SchoolFacts, error)
	// PlannedClasses returns the classes a school's staff planned in a
	// grade of a year, and whether they planned any.
	PlannedClasses(ctx context.Context, schoolID int64, year, grade int) (int, bool, error)
	// Taken counts the referrals in force or used that q matches.
	Taken(ctx context.Context, q Take) (int, error)
	// Shift returns a camp's shift.
	Shift(ctx context.Context, id int64) (social.Shift, error)

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
	// Unreminded lists the campaigns (city and year) that have granted
	// meals whose parent has not been reminded yet.
	Unreminded(ctx context.Context) ([]CampaignKey, error)
	// ClaimReminders marks reminded, at at, the granted meals of a
	// campaign not yet reminded, and returns them; a second claim of the
	// same campaign, in any process, returns none of them again.
	ClaimReminders(ctx context.Context, key CampaignKey, at time.Time) ([]application.Application, error)

	// EnrolPupil creates the child's personal file or moves it to the new
	// school and class, and adds the movement; a file that moves, or one
	// made for a child who comes from from (a school of the city, or 0),
	// closes the old school's record first with a movement noting left.
	EnrolPupil(ctx context.Context, f PupilFile, m Movement, from int64, left string) error

	// Account returns the parent's account, for where messages go.
	Account(ctx context.Context, id int64) (account.Account, error)
	// AddEvent writes an event of the feed with its deliveries.
	AddEvent(ctx context.Context, e notify.Event, ds []notify.Delivery) (int64, error)
	// Audit appends to the back office's audit log.
	Audit(ctx context.Context, e staff.AuditEntry) error
}

// Wait selects the applications waiting for a seat: a school's grade-1
// quota applications, or its grade-10 (11) ones of a profile.
type Wait struct {
	Kind     application.Kind
	SchoolID int64
	Year     int
	Grade    int
	Profile  string
}

// CampaignKey names the campaign of a city and year.
type CampaignKey struct {
	City string
	Year int
}

// Take selects the referrals in force or used that take seats: of a
// school's grade (and profile), or of a camp's shift.
type Take struct {
	Kind     RefKind
	SchoolID int64
	ShiftID  int64
	Year     int
	Grade    int
	Profile  string
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

// seatsKey is the guard of the seats an application may take: a camp
// shift's, or a school's in a grade and year.
func seatsKey(a application.Application) string {
	if a.Kind == application.Camp {
		return fmt.Sprintf("shift:%d", a.Answers.ShiftID)
	}
	return fmt.Sprintf("seats:%d:%d:%d", a.SchoolID, a.Year, a.Grade())
}

// Decide takes a staff member's decision on an application, in one
// transaction: the status, the timeline, a referral (slip, voucher) or the
// personal file when the decision makes one, the parent's event and
// message, the audit line, and any seat the decision opens, given to the
// next in the queue. An application the staff member may not see is
// errs.NotFound; a decision its status does not allow is errs.Conflict
// ("admission.not_allowed"), so that of two staff deciding at once only
// the first wins; a slip or voucher with no place free is errs.Conflict
// ("admission.no_places"); a refusal without its reason or comment, or an
// enrolment without its class, is errs.Invalid with account.FieldErrors.
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

// open reads an application the staff member may decide on, guards the
// seats it may take and locks its row.
func (s *Service) open(ctx context.Context, tx Tx, actor staff.User, id int64) (application.Application, error) {
	a, err := tx.Application(ctx, id)
	if errors.Is(err, errs.ErrNotFound) || (err == nil && !actor.May(staff.Decide, a.City, a.SchoolID)) {
		return application.Application{}, errNoApplication
	}
	if err != nil {
		return application.Application{}, err
	}
	if err := tx.Guard(ctx, seatsKey(a)); err != nil {
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
	if d.Action == Enrol && a.Kind != application.Camp && !ValidClass(d.Class) {
		return application.Application{}, field("class", "admission.class_invalid")
	}
	camp, err := tx.Campaign(ctx, a.City, a.Year)
	if err != nil {
		return application.Application{}, err
	}
	if d.Action == Issue && a.Kind != application.Grade1 {
		free, err := s.free(ctx, tx, a, camp)
		if err != nil {
			return application.Application{}, err
		}
		if free <= 0 {
			return application.Application{}, &errs.Error{Kind: errs.Conflict, Key: "admission.no_places"}
		}
	}
	ch := application.Change{Status: next, At: now, Actor: actor.Name, Reason: d.Reason, Comment: d.Comment}
	if err := tx.SetStatus(ctx, a.ID, ch); err != nil {
		return application.Application{}, err
	}
	before := a.Status
	a.Status, a.UpdatedAt = next, now

	event := map[application.Status]notify.EventKind{application.Accepted: EventAccepted,
		application.Waiting: EventWaiting, application.Refused: EventRefused, application.Granted: EventGranted,
		application.Enrolled: EventEnrolled}[next]
	data := notify.Data{Number: string(a.Number), Reason: d.Reason, Comment: d.Comment}
	after := map[string]string{"status": string(next)}
	switch next {
	case application.Referral, application.Voucher:
		r, err := s.issue(ctx, tx, a, camp, now)
		if err != nil {
			return application.Application{}, err
		}
		event = issuedEvent[r.Kind]
		data.Referral, data.Until = r.Number, r.ValidUntil.Format("02.01.2006")
		after["referral"] = r.Number
	case application.Enrolled:
		if err := s.enrol(ctx, tx, a, d.Class, now); err != nil {
			return application.Application{}, err
		}
		if a.Kind != application.Camp {
			data.Class = fmt.Sprintf("%d%s", a.Grade(), d.Class)
			after["class"] = d.Class
		}
	case application.Granted:
		data.Until = grantedUntil(a, camp).Format("02.01.2006")
		after["until"] = data.Until
	case application.Refused:
		after["reason"], after["comment"] = d.Reason, d.Comment
	}
	if err := s.tell(ctx, tx, a, event, data, now); err != nil {
		return application.Application{}, err
	}
	if err := audit(ctx, tx, actor.ID, actor.Name, a, "application."+string(d.Action), before, after, c, now); err != nil {
		return application.Application{}, err
	}
	if _, err := s.allocate(ctx, tx, a, camp, now); err != nil {
		return application.Application{}, err
	}
	return a, nil
}

// grantedUntil is the last day granted meals or transport last: the
// school year's end.
func grantedUntil(a application.Application, camp campaign.Campaign) time.Time {
	return camp.Meals.Until
}

// free counts the places an application of a transfer, a grade 10 or a
// camp could take now: in the grade at the receiving school, in the
// profile, or in the shift.
func (s *Service) free(ctx context.Context, tx Tx, a application.Application, camp campaign.Campaign) (int, error) {
	switch a.Kind {
	case application.Camp:
		sh, err := tx.Shift(ctx, a.Answers.ShiftID)
		if err != nil {
			return 0, err
		}
		taken, err := tx.Taken(ctx, Take{Kind: RefVoucher, ShiftID: sh.ID})
		return Places{Planned: sh.Seats, Taken: taken}.Free(), err
	case application.Transfer:
		p, err := s.transferPlaces(ctx, tx, a.SchoolID, a.Year, a.Grade(), camp)
		return p.Free(), err
	case application.Grade10:
		p, err := s.profilePlaces(ctx, tx, a.SchoolID, a.Year, a.Grade(), a.Answers.Profile, camp)
		return p.Free(), err
	}
	return 0, nil
}

// transferPlaces are a school's places in a grade for transfers (see
// TransferPlaces).
func (s *Service) transferPlaces(ctx context.Context, tx Tx, school int64, year, grade int, camp campaign.Campaign) (Places, error) {
	f, err := tx.SchoolFacts(ctx, school)
	if err != nil {
		return Places{}, err
	}
	classes, planned, err := tx.PlannedClasses(ctx, school, year, grade)
	if err != nil {
		return Places{}, err
	}
	slips, err := tx.Taken(ctx, Take{Kind: RefSlip, SchoolID: school, Year: year, Grade: grade})
	if err != nil {
		return Places{}, err
	}
	return TransferPlaces(f, classes, planned, camp.ClassSize, slips), nil
}

// profilePlaces are a school's places of a profile in grade 10 or 11: its
// planned classes of the grade (else its own grade-10 figure) shared
// among its profiles, less the referrals of that profile.
func (s *Service) profilePlaces(ctx context.Context, tx Tx, school int64, year, grade int, profile string, camp campaign.Campaign) (Places, error) {
	f, err := tx.SchoolFacts(ctx, school)
	if err != nil {
		return Places{}, err
	}
	classes, planned, err := tx.PlannedClasses(ctx, school, year, grade)
	if err != nil {
		return Places{}, err
	}
	if !planned {
		classes = f.Grade10Classes
	}
	taken, err := tx.Taken(ctx, Take{Kind: RefReferral, SchoolID: school, Year: year, Grade: grade, Profile: profile})
	if err != nil {
		return Places{}, err
	}
	return Places{Planned: ProfileClasses(classes, f.Profiles, profile) * camp.ClassSize, Taken: taken}, nil
}

// PlaceQuery asks for places: of a grade for transfers, of a profile in
// grade 10 or 11, or of camp shifts.
type PlaceQuery struct {
	Kind    application.Kind // Transfer, Grade10 or Camp
	City    string
	Year    int
	Grade   int
	Profile string
}

// Places counts the places free now at each of ids: schools for a
// transfer or grade 10, shifts for a camp; a kind without places gives an
// empty map. For the wizard's choices and the office's card.
func (s *Service) Places(ctx context.Context, q PlaceQuery, ids []int64) (map[int64]Places, error) {
	out := make(map[int64]Places, len(ids))
	err := s.store.AdmissionTx(ctx, func(tx Tx) error {
		camp, err := tx.Campaign(ctx, q.City, q.Year)
		if err != nil {
			return err
		}
		for _, id := range ids {
			var p Places
			switch q.Kind {
			case application.Transfer:
				p, err = s.transferPlaces(ctx, tx, id, q.Year, q.Grade, camp)
			case application.Grade10:
				p, err = s.profilePlaces(ctx, tx, id, q.Year, q.Grade, q.Profile, camp)
			case application.Camp:
				var sh social.Shift
				if sh, err = tx.Shift(ctx, id); err == nil {
					var taken int
					taken, err = tx.Taken(ctx, Take{Kind: RefVoucher, ShiftID: sh.ID})
					p = Places{Planned: sh.Seats, Taken: taken}
				}
			default:
				return nil
			}
			if err != nil {
				return err
			}
			out[id] = p
		}
		return nil
	})
	return out, err
}

// PlacesOf counts the places an application could take now, for the
// office's card: ok is false for a kind without places.
func (s *Service) PlacesOf(ctx context.Context, a application.Application) (p Places, ok bool, err error) {
	id := a.SchoolID
	if a.Kind == application.Camp {
		id = a.Answers.ShiftID
	}
	m, err := s.Places(ctx, PlaceQuery{Kind: a.Kind, City: a.City, Year: a.Year, Grade: a.Grade(),
		Profile: a.Answers.Profile}, []int64{id})
	p, ok = m[id]
	return p, ok, err
}

// issue writes the referral (slip, voucher) of an application that has
// just taken its status: valid for the campaign's working days after
// today, a referral's, a slip's or a voucher's.
func (s *Service) issue(ctx context.Context, tx Tx, a application.Application, camp campaign.Campaign, now time.Time) (Referral, error) {
	kind := RefKindOf(a.Kind)
	series, days := map[RefKind]string{RefReferral: "R", RefSlip: "T", RefVoucher: "V"}[kind], camp.ReferralDays
	switch kind {
	case RefSlip:
		days = camp.Transfer.SlipDays
	case RefVoucher:
		days = camp.Camp.VoucherDays
	}
	seq, err := tx.NextNumber(ctx, a.City, series, a.Year)
	if err != nil {
		return Referral{}, err
	}
	r := Referral{
		Kind:          kind,
		Number:        fmt.Sprintf("%s-%s-%d-%05d", application.CityCode(a.City), series, a.Year, seq),
		Code:          newCode(),
		ApplicationID: a.ID, AccountID: a.AccountID, City: a.City, SchoolID: a.SchoolID, Year: a.Year,
		Grade: a.Grade(), Language: a.Answers.Language, Basis: a.Basis, Profile: a.Answers.Profile,
		ShiftID:  a.Answers.ShiftID,
		IssuedAt: now, ValidUntil: camp.AddWorkingDays(Today(now), days), Status: RefIssued,
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

// enrol uses the application's referral (slip, voucher) and, but for a
// camp, writes the child's personal file: a transfer moves it from the
// school the child leaves, whose record closes with the school left for.
func (s *Service) enrol(ctx context.Context, tx Tx, a application.Application, class string, now time.Time) error {
	r, err := tx.ReferralOf(ctx, a.ID)
	if err != nil {
		return err
	}
	if err := tx.CloseReferral(ctx, r.ID, RefUsed, now); err != nil {
		return err
	}
	if a.Kind == application.Camp {
		return nil
	}
	ans := a.Answers
	f := PupilFile{City: a.City, Child: a.Child, Name: joinName(ans.ChildSurname, ans.ChildName),
		BirthDate: ans.ChildBirthDate, AccountID: a.AccountID, SchoolID: a.SchoolID, Grade: a.Grade(),
		Class: class, SchoolYear: a.Year}
	var from int64
	left := ""
	if a.Kind == application.Transfer {
		from = ans.FromSchoolID
		left = fmt.Sprintf("school:%d", a.SchoolID)
	}
	return tx.EnrolPupil(ctx, f, Movement{At: now, Kind: Enrolled, SchoolID: a.SchoolID, Grade: a.Grade(),
		Class: class, SchoolYear: a.Year, ApplicationID: a.ID}, from, left)
}

func joinName(surname, name string) string {
	if surname == "" {
		return name
	}
	return surname + " " + name
}

// allocate gives the seats an application's school has open to those
// waiting for them, in the order the server received them: grade-1 quota
// seats (one for every QuotaRatio catchment admissions, never beyond the
// free seats), and grade-10 (11) seats of the application's profile. It
// returns how many it gave.
func (s *Service) allocate(ctx context.Context, tx Tx, a application.Application, camp campaign.Campaign, now time.Time) (int, error) {
	var open int
	wait := Wait{Kind: a.Kind, SchoolID: a.SchoolID, Year: a.Year, Grade: a.Grade()}
	switch a.Kind {
	case application.Grade1:
		seats, err := tx.Seats(ctx, a.SchoolID, a.Year, 1)
		if err != nil {
			return 0, err
		}
		seats.ClassSize = camp.ClassSize
		open = seats.QuotaOpen(camp.QuotaRatio)
	case application.Grade10:
		p, err := s.profilePlaces(ctx, tx, a.SchoolID, a.Year, a.Grade(), a.Answers.Profile, camp)
		if err != nil {
			return 0, err
		}
		open, wait.Profile = p.Free(), a.Answers.Profile
	}
	if open == 0 {
		return 0, nil
	}
	waiting, err := tx.Waiting(ctx, wait, open)
	if err != nil {
		return 0, err
	}
	given := 0
	for _, w := range waiting {
		if w.City != a.City {
			continue // never: a school belongs to one city
		}
		if err := tx.SetStatus(ctx, w.ID, application.Change{Status: application.Referral, At: now,
			Actor: application.ActorQueue}); err != nil {
			return 0, err
		}
		w.Status = application.Referral
		r, err := s.issue(ctx, tx, w, camp, now)
		if err != nil {
			return 0, err
		}
		if err := s.tell(ctx, tx, w, EventReferral, notify.Data{Number: string(w.Number), Referral: r.Number,
			Until: r.ValidUntil.Format("02.01.2006")}, now); err != nil {
			return 0, err
		}
		if err := audit(ctx, tx, 0, application.ActorQueue, w, "application.referral", application.Waiting,
			map[string]string{"status": string(application.Referral), "referral": r.Number}, account.Client{}, now); err != nil {
			return 0, err
		}
		given++
	}
	return given, nil
}

// Reallocate gives the seats a school has open now, in a year, to those
// waiting for them, as a decision would: after its staff change the seats
// plan, more classes open grade-1 quota seats and grade-10 (11) places of
// each profile the school teaches. It returns how many it gave.
func (s *Service) Reallocate(ctx context.Context, city string, schoolID int64, year int) (int, error) {
	now := s.now()
	given := 0
	err := s.store.AdmissionTx(ctx, func(tx Tx) error {
		camp, err := tx.Campaign(ctx, city, year)
		if err != nil {
			return err
		}
		f, err := tx.SchoolFacts(ctx, schoolID)
		if err != nil {
			return err
		}
		// The queues, each named as an application waiting in it.
		queues := []application.Application{{Kind: application.Grade1, City: city, SchoolID: schoolID, Year: year}}
		for _, grade := range []int{10, 11} {
			for _, p := range f.Profiles {
				queues = append(queues, application.Application{Kind: application.Grade10, City: city, SchoolID: schoolID,
					Year: year, Answers: application.Answers{Grade: grade, Profile: p}})
			}
		}
		keys := make([]string, len(queues))
		for i, q := range queues {
			keys[i] = seatsKey(q)
		}
		if err := tx.Guard(ctx, keys...); err != nil {
			return err
		}
		for _, q := range queues {
			n, err := s.allocate(ctx, tx, q, camp, now)
			if err != nil {
				return err
			}
			given += n
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("reallocate school %d: %w", schoolID, err)
	}
	if given > 0 {
		s.queued()
	}
	return given, nil
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
			a, err := tx.Application(ctx, r.ApplicationID)
			if err != nil {
				return err
			}
			if err := tx.Guard(ctx, seatsKey(a)); err != nil {
				return err
			}
			if a, err = tx.LockApplication(ctx, r.ApplicationID); err != nil {
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
			if a.Status != issued(a.Kind) {
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
			_, err = s.allocate(ctx, tx, a, camp, now)
			return err
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

// RemindDue tells each parent whose child's meals were granted that they
// end, once, from the campaign's RemindDays before its Until (a month by
// default) to that day: an event in the feed and its message. Any number
// of processes may run it at once; each parent is told once. It returns
// how many were reminded.
func (s *Service) RemindDue(ctx context.Context) (int, error) {
	now := s.now()
	today := Today(now)
	var keys []CampaignKey
	err := s.store.AdmissionTx(ctx, func(tx Tx) (err error) {
		keys, err = tx.Unreminded(ctx)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("remind: %w", err)
	}
	n := 0
	for _, key := range keys {
		err := s.store.AdmissionTx(ctx, func(tx Tx) error {
			camp, err := tx.Campaign(ctx, key.City, key.Year)
			if err != nil {
				return err
			}
			until := camp.Meals.Until
			if today.Before(until.AddDate(0, 0, -camp.Meals.RemindDays)) || today.After(until) {
				return nil // not yet, or the meals have ended
			}
			due, err := tx.ClaimReminders(ctx, key, now)
			if err != nil {
				return err
			}
			for _, a := range due {
				data := notify.Data{Number: string(a.Number), Until: until.Format("02.01.2006")}
				if err := s.tell(ctx, tx, a, EventReminder, data, now); err != nil {
					return err
				}
			}
			n += len(due)
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("remind %s %d: %w", key.City, key.Year, err)
		}
	}
	if n > 0 {
		s.queued()
	}
	return n, nil
}

// Run lets referrals expire, and reminds parents whose meals end, every
// interval until ctx ends; every process runs it. report hears of the
// referrals expired.
func (s *Service) Run(ctx context.Context, every time.Duration, report func(n int, err error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.RemindDue(ctx); err != nil && report != nil && ctx.Err() == nil {
			report(0, err)
		}
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
