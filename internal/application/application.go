// Package application is the parent's application: its kinds, its
// statuses and their order, its number, the draft a wizard fills step by
// step, and the submission that turns a draft into an application exactly
// once.
package application

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sakura/internal/notify"
)

// Kind is a service a parent applies for.
type Kind string

// The kinds of application, as the wizards' paths name them.
const (
	Grade1    Kind = "grade1"
	Transfer  Kind = "transfer"
	Grade10   Kind = "grade10"
	Meals     Kind = "meals"
	Camp      Kind = "camp"
	Transport Kind = "transport"
)

// Kinds lists every kind in the order the portal shows them.
var Kinds = []Kind{Grade1, Transfer, Grade10, Meals, Camp, Transport}

// code is the kind's part of an application number.
var code = map[Kind]string{
	Grade1: "G1", Transfer: "TR", Grade10: "G10", Meals: "ML", Camp: "CP", Transport: "TP",
}

// ParseKind returns the kind a path names.
func ParseKind(s string) (Kind, bool) {
	k := Kind(s)
	_, ok := code[k]
	return k, ok
}

// Basis is why a school must consider a grade-1 application: the child
// lives in its catchment, or applies for one of its quota seats.
type Basis string

// The bases of a grade-1 application; other kinds have none.
const (
	Catchment Basis = "catchment"
	Quota     Basis = "quota"
)

// Status is where an application stands.
type Status string

// The statuses of DOMAIN.md.
const (
	Submitted Status = "submitted"
	Accepted  Status = "accepted" // accepted for review
	Waiting   Status = "waiting"  // waiting for a seat
	Referral  Status = "referral" // referral issued
	Enrolled  Status = "enrolled"
	Refused   Status = "refused"
	Withdrawn Status = "withdrawn"
	Expired   Status = "expired" // the referral, slip or voucher expired
	Voucher   Status = "voucher" // a camp voucher issued
	Granted   Status = "granted" // meals or transport granted for the school year
)

// Active reports whether the application is still under way: one active
// application of a kind and basis per child and campaign.
func (s Status) Active() bool {
	switch s {
	case Submitted, Accepted, Waiting, Referral, Voucher, Granted:
		return true
	}
	return false
}

// Withdrawable reports whether the parent may still withdraw: nothing is
// decided yet.
func (s Status) Withdrawable() bool { return s == Submitted || s == Accepted || s == Waiting }

// Change is one entry of an application's timeline.
type Change struct {
	Status  Status
	At      time.Time
	Actor   string // ActorParent, ActorQueue, ActorSystem or a staff member's name
	Reason  string // a refusal's reason, by code
	Comment string // a refusal's comment, shown to the parent
}

// The Actors that are not staff members: the parent, the quota queue that
// gives a freed seat, and the system that lets a referral expire.
const (
	ActorParent = "parent"
	ActorQueue  = "queue"
	ActorSystem = "system"
)

// CityCode is a city's part of the numbers the portal issues: the first
// three letters of its slug, in capitals (ALM, AST).
func CityCode(slug string) string {
	code := strings.ToUpper(slug)
	if len(code) > 3 {
		code = code[:3]
	}
	return code
}

// Grade is the grade an application is for: 1 for grade 1, the answer
// for the others (the grade a transfer is into, 10 or 11, the pupil's
// grade for meals and transport); 0 for a camp.
func (a Application) Grade() int {
	switch a.Kind {
	case Grade1:
		return 1
	case Camp:
		return 0
	}
	return a.Answers.Grade
}

// ActiveStatuses are the statuses for which Active holds, for queries.
var ActiveStatuses = []Status{Submitted, Accepted, Waiting, Referral, Voucher, Granted}

// Number is an application's number as a parent reads it over the phone:
// city, kind, the year of the campaign and a sequence, such as
// ALA-G1-2027-00042.
type Number string

// MakeNumber builds the number of the seq-th application of a kind in a
// city's campaign of a year.
func MakeNumber(cityCode string, kind Kind, year, seq int) Number {
	return Number(fmt.Sprintf("%s-%s-%d-%05d", strings.ToUpper(cityCode), code[kind], year, seq))
}

// Application is a submitted application.
type Application struct {
	ID         int64
	Number     Number
	City       string
	Kind       Kind
	Year       int   // the campaign's year
	Basis      Basis // grade 1 only
	AccountID  int64
	DraftID    string
	Child      string // the child's key: the IIN, or a key from name and birth date
	ChildName  string // the child's name masked, as queues show it: «Әлихан С.»
	SchoolID   int64
	Status     Status
	Answers    Answers
	ReceivedAt time.Time // the server's time of receipt
	UpdatedAt  time.Time
}

// Draft is an application being filled in. It lives on the server after
// every step, so that the parent can leave and come back, on this device
// or another.
type Draft struct {
	ID            string
	City          string
	Kind          Kind
	AccountID     int64  // zero until the parent's phone is confirmed
	Browser       string // the hash of the draft cookie of the browser that began it
	Answers       Answers
	Done          []string // the steps completed, in order
	ApplicationID int64    // set when submitted
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Answers are everything a wizard asks. Steps fill their part; a kind uses
// the fields its steps fill.
type Answers struct {
	Consents   []string `json:"consents,omitempty"`
	Phone      string   `json:"phone,omitempty"`
	ExtraPhone string   `json:"extra_phone,omitempty"`
	Email      string   `json:"email,omitempty"`
	ParentIIN  string   `json:"parent_iin,omitempty"`

	ChildIIN       string    `json:"child_iin,omitempty"`
	ChildNoIIN     bool      `json:"child_no_iin,omitempty"`
	ChildAbroad    bool      `json:"child_abroad,omitempty"`
	ChildSurname   string    `json:"child_surname,omitempty"`
	ChildName      string    `json:"child_name,omitempty"`
	ChildBirthDate time.Time `json:"child_birth_date,omitzero"`

	Address    string `json:"address,omitempty"`
	BuildingID int64  `json:"building_id,omitempty"`
	Language   string `json:"language,omitempty"`
	SchoolID   int64  `json:"school_id,omitempty"`
	Basis      Basis  `json:"basis,omitempty"`

	Documents []Document `json:"documents,omitempty"`

	// The school the child attends now (transfer, meals, transport): a
	// school of this city by id, or of another city by its name.
	FromSchoolID   int64  `json:"from_school_id,omitempty"`
	FromCity       string `json:"from_city,omitempty"` // another city's name; "" for this city
	FromSchoolName string `json:"from_school_name,omitempty"`
	// Grade is the grade an application is for: the pupil's grade (a
	// transfer keeps it; meals, transport), or 10 or 11.
	Grade int `json:"grade,omitempty"`
	// Grounds is the ground of a transfer (TransferGrounds).
	Grounds string `json:"grounds,omitempty"`
	// Profile, Certificate and CertificateYear: a grade-10 (11)
	// placement's profile and the certificate of basic secondary education.
	Profile         string `json:"profile,omitempty"`
	Certificate     string `json:"certificate,omitempty"`
	CertificateYear int    `json:"certificate_year,omitempty"`
	// Category is the category of a meals or camp application
	// (Categories), proven by a document.
	Category string `json:"category,omitempty"`
	// CampID and ShiftID: the camp and shift a voucher is asked for.
	CampID  int64 `json:"camp_id,omitempty"`
	ShiftID int64 `json:"shift_id,omitempty"`
	// SchoolYear, Pickup, PickupBuildingID, Distance and NoSchoolNearby:
	// school transport's year, the pick-up address, its distance from the
	// school in metres, and the parent's word that the settlement has no
	// school of its own.
	SchoolYear       int    `json:"school_year,omitempty"`
	Pickup           string `json:"pickup,omitempty"`
	PickupBuildingID int64  `json:"pickup_building_id,omitempty"`
	Distance         int    `json:"distance,omitempty"`
	NoSchoolNearby   bool   `json:"no_school_nearby,omitempty"`

	Channel    string `json:"channel,omitempty"`
	NotifyLang string `json:"notify_lang,omitempty"`
}

// TransferGrounds are the grounds of a transfer (DOMAIN.md), by code.
var TransferGrounds = []string{"move_city", "move_other_city", "abroad", "court", "violence", "health", "wish"}

// AnyTimeGrounds are the transfer grounds taken outside the school
// holidays: a move within or between settlements, leaving the country, a
// court decision, violence or bullying against the child.
var AnyTimeGrounds = []string{"move_city", "move_other_city", "abroad", "court", "violence"}

// Categories are the categories of free meals and camp vouchers
// (DOMAIN.md), by code, each proven by a document.
var Categories = []string{"social_assistance", "low_income", "orphan", "emergency", "other"}

// FreeMealGrades is the last grade whose pupils all eat free, so that they
// need no application.
const FreeMealGrades = 4

// Document is an uploaded file an application refers to.
type Document struct {
	Kind        string `json:"kind"`
	Key         string `json:"key"` // in the document store
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// ChildKey is the key that makes one child one child: the IIN, or for a
// child without one the name and birth date, folded.
func (a Answers) ChildKey() string {
	if a.ChildIIN != "" && !a.ChildNoIIN {
		return a.ChildIIN
	}
	name := strings.ToLower(strings.Join(strings.Fields(a.ChildSurname+" "+a.ChildName), " "))
	return "noiin:" + name + ":" + a.ChildBirthDate.Format("2006-01-02")
}

// MaskedChild is the child's name as staff queues show it: the name and
// the surname's initial, «Әлихан С.».
func (a Answers) MaskedChild() string {
	name, surname := strings.TrimSpace(a.ChildName), strings.TrimSpace(a.ChildSurname)
	if surname == "" {
		return name
	}
	initial := strings.ToUpper(string([]rune(surname)[:1])) + "."
	if name == "" {
		return initial
	}
	return name + " " + initial
}

// Filter selects applications for the back office's queues, in the order
// the server received them.
type Filter struct {
	City     string
	SchoolID int64 // 0: every school of the city
	Kind     Kind
	Status   Status
	Basis    Basis
	From, To time.Time // received from, and before
	// Query is an application's number (or its last digits), or the start
	// of a child's masked name («Әлихан С»), in any case.
	Query         string
	Offset, Limit int
}

// Submission is what Submit writes: the application made from a draft.
type Submission struct {
	DraftID  string
	City     string
	CityCode string // the city's part of the number, such as ALA
	Kind     Kind
	Year     int
	Basis    Basis
	Account  int64
	Child    string
	SchoolID int64
	Answers  Answers
	At       time.Time

	// Event and Deliveries tell the parent, in the same transaction.
	Event      notify.Event
	Deliveries []notify.Delivery
}

// Store keeps drafts and applications.
type Store interface {
	// SaveDraft writes a draft, new or changed.
	SaveDraft(ctx context.Context, d Draft) error
	// Draft returns a draft, or an error matching errs.ErrNotFound.
	Draft(ctx context.Context, id string) (Draft, error)
	// Drafts lists an account's drafts not submitted yet, the latest
	// changed first.
	Drafts(ctx context.Context, accountID int64) ([]Draft, error)
	// Submit turns a draft into an application in one transaction: the
	// number issued from the campaign's sequence, the status submitted,
	// the draft marked. A draft submitted before returns the application
	// it became, with created false. A second active application of the
	// same kind and basis for the child in the campaign is refused with an
	// error matching errs.ErrConflict that carries the existing number.
	Submit(ctx context.Context, s Submission) (a Application, created bool, err error)
	// Application returns an application by id, or errs.ErrNotFound.
	Application(ctx context.Context, id int64) (Application, error)
	// Applications lists an account's applications, newest first.
	Applications(ctx context.Context, accountID int64) ([]Application, error)
	// History returns an application's timeline, oldest first.
	History(ctx context.Context, id int64) ([]Change, error)
	// SearchApplications lists the applications a filter selects, oldest
	// received first, and how many there are in all.
	SearchApplications(ctx context.Context, f Filter) ([]Application, int, error)
	// Withdraw withdraws an account's undecided application with its event,
	// in one transaction: errs.ErrNotFound for another account's
	// application, errs.Conflict ("application.not_withdrawable") for a
	// decided one.
	Withdraw(ctx context.Context, id, accountID int64, e notify.Event, at time.Time) (Application, error)
}
