package campaign

import "time"

// Period is a span of days, both ends included, in Kazakhstan's time.
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Holds reports whether t falls on a day of the period.
func (p Period) Holds(t time.Time) bool {
	d := day(t)
	return !d.Before(p.From) && !d.After(p.To)
}

// TransferRules are a school year's rules for transfers to another school.
type TransferRules struct {
	Window Period `json:"window"`
	// Holidays are the school holidays, when a transfer is taken on any
	// ground; outside them, only on the grounds the rules allow at any time.
	Holidays []Period `json:"holidays"`
	// SlipDays is how many working days the receiving school's acceptance
	// slip stays valid (3).
	SlipDays  int      `json:"slip_days"`
	Documents []string `json:"documents"`
}

// InHolidays reports whether t falls in the school holidays.
func (r TransferRules) InHolidays(t time.Time) bool {
	for _, h := range r.Holidays {
		if h.Holds(t) {
			return true
		}
	}
	return false
}

// Grade10Rules are the rules of placements into grades 10 and 11.
type Grade10Rules struct {
	Window    Period   `json:"window"`
	Documents []string `json:"documents"`
}

// MealsRules are a school year's rules for free and discounted meals.
type MealsRules struct {
	Window Period `json:"window"`
	// Until is the last day granted meals last: the school year's end.
	Until time.Time `json:"until"`
	// RemindDays is how long before Until the parent is reminded (30).
	RemindDays int `json:"remind_days"`
}

// CampRules are the rules of summer-camp vouchers for the summer that ends
// a school year.
type CampRules struct {
	Window Period `json:"window"`
	// VoucherDays is how many working days a voucher stays valid for the
	// camp to take it (5); an unused one frees its seat.
	VoucherDays int `json:"voucher_days"`
}

// TransportRules are a school year's rules for school transport.
type TransportRules struct {
	Window Period `json:"window"`
	// Threshold is the distance from home to school, in metres, from
	// which a pupil is carried (3,000).
	Threshold int `json:"threshold"`
}

// The kinds of application a campaign has rules for, as the application
// package names them.
const (
	KindGrade1    = "grade1"
	KindTransfer  = "transfer"
	KindGrade10   = "grade10"
	KindMeals     = "meals"
	KindCamp      = "camp"
	KindTransport = "transport"
)

// WindowOf returns when applications of a kind are taken.
func (c Campaign) WindowOf(kind string) Period {
	switch kind {
	case KindTransfer:
		return c.Transfer.Window
	case KindGrade10:
		return c.Grade10.Window
	case KindMeals:
		return c.Meals.Window
	case KindCamp:
		return c.Camp.Window
	case KindTransport:
		return c.Transport.Window
	}
	return Period{From: c.Opens, To: c.Closes}
}

// OpenFor reports whether applications of a kind are taken at t.
func (c Campaign) OpenFor(kind string, t time.Time) bool { return c.WindowOf(kind).Holds(t) }

// YearOf is the year of the campaign whose rules an application of a kind
// made at t follows: the coming school year for grade 1 and grade 10,
// which the campaign admits to; the school year in force for the others
// (its summer for camps).
func YearOf(kind string, t time.Time) int {
	switch kind {
	case KindGrade1, KindGrade10:
		return YearAt(t)
	}
	return YearAt(t) - 1
}

// defaultServices fills the rules of the services besides grade 1 for the
// school year starting in year, as DOMAIN.md gives them: transfers all the
// year (any ground in the holidays: autumn, winter, spring and summer), an
// acceptance slip valid three working days; grade 10 from June to August;
// meals the school year long, granted to 25 May; camps taken in April and
// May for the summer; transport from August, from 3 km.
func defaultServices(c *Campaign, year int) {
	next := year + 1
	c.Transfer = TransferRules{
		Window: Period{date(year, time.June, 1), date(next, time.August, 31)},
		Holidays: []Period{
			{date(year, time.June, 1), date(year, time.August, 31)},
			{date(year, time.October, 27), date(year, time.November, 2)},
			{date(year, time.December, 30), date(next, time.January, 7)},
			{date(next, time.March, 19), date(next, time.March, 29)},
			{date(next, time.May, 26), date(next, time.August, 31)},
		},
		SlipDays:  3,
		Documents: []string{"photo", "medical_026", "medical_063", "report_card"},
	}
	c.Grade10 = Grade10Rules{Window: Period{date(year, time.June, 1), date(year, time.August, 31)},
		Documents: []string{"photo", "medical_026"}}
	c.Meals = MealsRules{Window: Period{date(year, time.August, 1), date(next, time.May, 25)},
		Until: date(next, time.May, 25), RemindDays: 30}
	c.Camp = CampRules{Window: Period{date(next, time.April, 1), date(next, time.May, 31)}, VoucherDays: 5}
	c.Transport = TransportRules{Window: Period{date(year, time.August, 1), date(next, time.May, 25)}, Threshold: 3000}
}

// The bounds of the services' rules a department may set: a transfer slip
// and a camp voucher stay valid from one to thirty working days, the meals
// reminder comes up to 120 days ahead, and transport carries pupils from
// 500 m to 50 km away.
const (
	MinValidDays  = 1
	MaxValidDays  = 30
	MaxRemindDays = 120
	MinThreshold  = 500
	MaxThreshold  = 50_000
)

// CheckServices checks the rules of the services besides grade 1 against
// their bounds and returns the rules that break them, by name:
// "transfer.window", "transfer.holidays", "transfer.slip_days",
// "grade10.window", "meals.window", "meals.until", "meals.remind_days",
// "camp.window", "camp.voucher_days", "transport.window" and
// "transport.threshold"; none when all hold. Every day falls in the
// calendar years from Year-1 (a window may open early, as grade 1's may)
// to Year+1, the school year's second, so that a mistyped year is caught;
// a period ends on or after it starts, and meals are not granted until a
// day before their applications open.
func (c Campaign) CheckServices() []string {
	var bad []string
	add := func(ok bool, rule string) {
		if !ok {
			bad = append(bad, rule)
		}
	}
	inYears := func(d time.Time) bool { return d.Year() >= c.Year-1 && d.Year() <= c.Year+1 }
	period := func(p Period) bool { return inYears(p.From) && inYears(p.To) && !p.To.Before(p.From) }

	add(period(c.Transfer.Window), "transfer.window")
	holidays := true
	for _, h := range c.Transfer.Holidays {
		holidays = holidays && period(h)
	}
	add(holidays, "transfer.holidays")
	add(c.Transfer.SlipDays >= MinValidDays && c.Transfer.SlipDays <= MaxValidDays, "transfer.slip_days")
	add(period(c.Grade10.Window), "grade10.window")
	add(period(c.Meals.Window), "meals.window")
	add(inYears(c.Meals.Until) && !c.Meals.Until.Before(c.Meals.Window.From), "meals.until")
	add(c.Meals.RemindDays >= 0 && c.Meals.RemindDays <= MaxRemindDays, "meals.remind_days")
	add(period(c.Camp.Window), "camp.window")
	add(c.Camp.VoucherDays >= MinValidDays && c.Camp.VoucherDays <= MaxValidDays, "camp.voucher_days")
	add(period(c.Transport.Window), "transport.window")
	add(c.Transport.Threshold >= MinThreshold && c.Transport.Threshold <= MaxThreshold, "transport.threshold")
	return bad
}
