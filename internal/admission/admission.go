// Package admission is the school's and the department's side of an
// application of any of the six services: the decisions staff take and the
// statuses they lead to, the seats of a school (by grade, by profile) and
// of a camp's shift, the 3 + 1 quota queue and the grade-10 queue,
// referrals (жолдама), transfers' acceptance slips and camp vouchers with
// their expiry, and the personal file that enrolment writes or moves. The
// rules are DOMAIN.md's; the figures come from the campaign of the city and
// year.
package admission

import (
	"slices"
	"time"

	"sakura/internal/account"
	"sakura/internal/application"
	"sakura/internal/errs"
)

// Action is a decision staff take on an application.
type Action string

// The decisions of the back office.
const (
	Accept Action = "accept"   // accepted for review; a quota or grade-10 applicant then waits for a seat
	Refuse Action = "refuse"   // a reasoned refusal
	Issue  Action = "referral" // a referral, a transfer's slip or a camp's voucher issued
	Grant  Action = "grant"    // meals or transport granted for the school year
	Enrol  Action = "enrol"    // the child is enrolled, in a class (at a camp: the voucher used)
)

// Actions lists the decisions in the order the card offers them.
var Actions = []Action{Accept, Issue, Grant, Enrol, Refuse}

// queued reports whether a kind's accepted applications wait for the
// queue to give them a seat: grade-1 quota ones, and grade 10.
func queued(a application.Application) bool {
	return a.Kind == application.Grade10 || a.Kind == application.Grade1 && a.Basis == application.Quota
}

// issued is the status an issued referral, slip or voucher gives.
func issued(kind application.Kind) application.Status {
	if kind == application.Camp {
		return application.Voucher
	}
	return application.Referral
}

// Reasons are the grounds of a refusal (DOMAIN.md), by code.
var Reasons = []string{"incomplete_documents", "capacity_exceeded", "unreliable_data", "no_consent", "classes_full"}

// MaxComment bounds a refusal's comment, in characters.
const MaxComment = 500

// errNotAllowed is the refusal of an action the status does not allow.
var errNotAllowed = &errs.Error{Kind: errs.Conflict, Key: "admission.not_allowed"}

// Next returns the status an application takes when staff take action, or
// an errs.Conflict ("admission.not_allowed") when its status does not allow
// it: a quota applicant, once accepted, waits for the queue to give a seat;
// a catchment applicant, once accepted, gets a referral from staff, even
// past capacity; only a referral leads to enrolment; only an undecided
// application can be refused.
//
// By kind: grade 1 as above; grade 10 waits for a seat of its profile
// once accepted; a transfer's receiving school issues an acceptance slip
// and then enrols; a camp's department issues a voucher, which the camp
// uses; meals and transport are granted.
func Next(a application.Application, action Action) (application.Status, error) {
	grants := a.Kind == application.Meals || a.Kind == application.Transport
	switch action {
	case Accept:
		if a.Status == application.Submitted {
			if queued(a) {
				return application.Waiting, nil
			}
			return application.Accepted, nil
		}
	case Refuse:
		if a.Status == application.Submitted || a.Status == application.Accepted || a.Status == application.Waiting {
			return application.Refused, nil
		}
	case Issue:
		if a.Status == application.Accepted && !grants && !queued(a) {
			return issued(a.Kind), nil
		}
	case Grant:
		if a.Status == application.Accepted && grants {
			return application.Granted, nil
		}
	case Enrol:
		if a.Status == issued(a.Kind) && !grants {
			return application.Enrolled, nil
		}
	}
	return "", errNotAllowed
}

// Allowed lists the actions staff may take on an application now.
func Allowed(a application.Application) []Action {
	var out []Action
	for _, act := range Actions {
		if _, err := Next(a, act); err == nil {
			out = append(out, act)
		}
	}
	return out
}

// Decision is what a staff member decides, with what the action needs:
// a refusal's reason and comment, an enrolment's class letter.
type Decision struct {
	Action  Action
	Reason  string // Refuse: one of Reasons
	Comment string // Refuse: shown to the parent
	Class   string // Enrol: the class letter, such as А or Б
}

// check refuses a decision that lacks what its action needs, as field
// errors: reason, comment, class.
func (d Decision) check() error {
	switch d.Action {
	case Refuse:
		if !slices.Contains(Reasons, d.Reason) {
			return field("reason", "admission.reason_required")
		}
		if n := len([]rune(d.Comment)); n == 0 || n > MaxComment {
			return field("comment", "admission.comment_required")
		}
	case Accept, Issue, Grant, Enrol:
	default:
		return errNotAllowed
	}
	return nil
}

// ValidClass reports whether s is a class letter: one letter, Cyrillic
// (Kazakh letters too) or Latin.
func ValidClass(s string) bool {
	r := []rune(s)
	if len(r) != 1 {
		return false
	}
	c := r[0]
	return c >= 'А' && c <= 'Я' || c == 'Ё' || c >= 'A' && c <= 'Z' || slices.Contains([]rune("ӘҒҚҢӨҰҮҺІ"), c)
}

// Seats are the seats of a school in a grade for a campaign year.
type Seats struct {
	SchoolID  int64
	Year      int
	Grade     int
	Classes   int // planned classes
	ClassSize int // pupils a class
	Catchment int // catchment admissions: referrals in force or used
	Quota     int // quota admissions, likewise
}

// Planned is the number of seats planned: classes × class size.
func (s Seats) Planned() int { return s.Classes * s.ClassSize }

// Taken is the seats given: every referral in force or used.
func (s Seats) Taken() int { return s.Catchment + s.Quota }

// Free is the seats not given yet, never below zero.
func (s Seats) Free() int { return max(0, s.Planned()-s.Taken()) }

// Overflow is the seats given beyond the plan: catchment children are
// never refused for want of a seat, and the department sees this.
func (s Seats) Overflow() int { return max(0, s.Taken()-s.Planned()) }

// QuotaOpen is how many quota seats may be given now: one for every ratio
// catchment admissions, less the quota seats given, and never more than
// the free seats.
func (s Seats) QuotaOpen(ratio int) int {
	if ratio <= 0 {
		return 0
	}
	return max(0, min(s.Catchment/ratio-s.Quota, s.Free()))
}

// Places are the seats of one kind a school (or a camp's shift) has, and
// how many are taken.
type Places struct {
	Planned int
	Taken   int
}

// Free is the places not taken, never below zero.
func (p Places) Free() int { return max(0, p.Planned-p.Taken) }

// SchoolFacts are what a school's passport says of its size, for the seats
// of the grades its staff plan no classes for.
type SchoolFacts struct {
	Capacity       int // design capacity, pupils
	Pupils         int
	Grade10Classes int
	Profiles       []string
}

// gradesOfSchool is how many grades a school's pupils and capacity spread
// over, for the estimates below.
const gradesOfSchool = 11

// TransferPlaces are a school's places in a grade for transfers: the
// classes its staff planned for the grade (or, without a plan, its design
// capacity spread over eleven grades) × the class size, less the pupils a
// grade has (its pupils spread likewise) and the acceptance slips in force
// or used. An overcrowded school has none. [D]
func TransferPlaces(f SchoolFacts, plannedClasses int, planned bool, size, slips int) Places {
	classes := plannedClasses
	if !planned {
		classes = max(1, (f.Capacity/gradesOfSchool+size-1)/size)
	}
	pupils := (f.Pupils + gradesOfSchool/2) / gradesOfSchool
	return Places{Planned: classes * size, Taken: pupils + slips}
}

// ProfileClasses is how many of a school's grade-10 (or 11) classes are of
// a profile: the classes shared among its profiles in their order, the
// first taking one more when they do not divide; none for a profile the
// school does not teach. [D]
func ProfileClasses(classes int, profiles []string, profile string) int {
	i := slices.Index(profiles, profile)
	if i < 0 || len(profiles) == 0 {
		return 0
	}
	n := classes / len(profiles)
	if i < classes%len(profiles) {
		n++
	}
	return n
}

// RefKind is what a referral is.
type RefKind string

// The kinds of referral: a school's referral (grade 1, grade 10), the
// acceptance slip of a transfer, a camp voucher.
const (
	RefReferral RefKind = "referral"
	RefSlip     RefKind = "slip"
	RefVoucher  RefKind = "voucher"
)

// RefKindOf is the kind of referral an application of a kind gets.
func RefKindOf(kind application.Kind) RefKind {
	switch kind {
	case application.Transfer:
		return RefSlip
	case application.Camp:
		return RefVoucher
	}
	return RefReferral
}

// ReferralStatus is where a referral stands.
type ReferralStatus string

// The statuses of a referral.
const (
	RefIssued  ReferralStatus = "issued"  // in force until it expires
	RefUsed    ReferralStatus = "used"    // the child was enrolled with it
	RefExpired ReferralStatus = "expired" // not used in time; its seat went back
)

// Referral is the school's offer of a seat (жолдама): valid to the end of
// ValidUntil, a day in Kazakhstan's time.
type Referral struct {
	ID            int64
	Kind          RefKind
	Number        string // such as ALM-R-2027-00042, ALM-T-2026-00003, ALM-V-2026-00017
	Code          string // the random part of the public verification link
	ApplicationID int64
	AccountID     int64
	City          string
	SchoolID      int64
	Year          int
	Grade         int
	Language      string
	Basis         application.Basis
	Profile       string // grades 10–11
	ShiftID       int64  // a camp voucher's shift
	IssuedAt      time.Time
	ValidUntil    time.Time // the last day, as a date
	Status        ReferralStatus
	ClosedAt      time.Time // used or expired
}

// kazakhstan is the time of the whole country since 2024.
var kazakhstan = time.FixedZone("UTC+5", 5*60*60)

// Ends is the moment the referral stops being valid: the midnight after
// ValidUntil in Kazakhstan.
func (r Referral) Ends() time.Time {
	d := r.ValidUntil
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, kazakhstan)
}

// Valid reports whether the referral is in force at t.
func (r Referral) Valid(t time.Time) bool { return r.Status == RefIssued && t.Before(r.Ends()) }

// Today is t's date in Kazakhstan.
func Today(t time.Time) time.Time {
	l := t.In(kazakhstan)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

// Position is where a quota applicant stands in the queue of a school.
type Position struct {
	Place   int // 1 for the next to get a seat; 0 when not waiting
	Waiting int // quota applicants waiting at the school
	Seats   Seats
	Ratio   int
}

// ToOpen is how many more catchment admissions open the next quota seat,
// when the free seats allow one; 0 when a seat is open now.
func (p Position) ToOpen() int {
	if p.Ratio <= 0 || p.Seats.QuotaOpen(p.Ratio) > 0 {
		return 0
	}
	return p.Ratio*(p.Seats.Quota+1) - p.Seats.Catchment
}

// PupilFile is a child's personal file: the child, the school, the class
// and the school year, with every movement.
type PupilFile struct {
	ID         int64
	City       string
	Child      string // the child's key (application.Answers.ChildKey)
	Name       string // the child's full name
	BirthDate  time.Time
	AccountID  int64 // the parent who applied
	SchoolID   int64
	Grade      int
	Class      string
	SchoolYear int // the year the school year starts
	Movements  []Movement
}

// MovementKind says what a movement of a personal file was.
type MovementKind string

// The movements of a personal file.
const (
	Enrolled MovementKind = "enrolled" // admitted to a school
	Left     MovementKind = "left"     // left a school, for another or for good
)

// Movement is one entry of a personal file.
type Movement struct {
	At            time.Time
	Kind          MovementKind
	SchoolID      int64
	Grade         int
	Class         string
	SchoolYear    int
	ApplicationID int64
	Note          string
}

// field is a refusal of one form field.
func field(name, key string) error {
	return &errs.Error{Kind: errs.Invalid, Key: "account.form", Err: account.FieldErrors{{Field: name, Key: key}}}
}
