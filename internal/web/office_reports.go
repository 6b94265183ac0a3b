package web

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"html/template"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/campaign"
	"sakura/internal/chart"
	"sakura/internal/errs"
)

// reportTop is how many schools a chart of schools shows; its CSV file has
// every school.
const reportTop = 15

// statusColors are the colours of the statuses in the chart of
// applications: each at least 3:1 against white, neighbours apart.
var statusColors = map[application.Status]string{
	application.Submitted: "#5a5058", application.Accepted: "#0a58a8", application.Waiting: "#b35900",
	application.Referral: "#1a7f37", application.Enrolled: "#0b4f2a", application.Refused: "#b3261e",
	application.Withdrawn: "#7d6f79", application.Expired: "#6b3e26",
}

// The colours of the seats chart: taken within the plan, free, over it.
const (
	seatsTakenColor    = "#0a58a8"
	seatsFreeColor     = "#5f87ad"
	seatsOverflowColor = "#b3261e"
)

// reportsView is the data of the department's reports.
type reportsView struct {
	Nav     officeNav
	Lead    string
	Reports []reportView
}

// reportView is one report on the page: its chart, the chart's figures as
// a table, and its CSV file.
type reportView struct {
	ID      string // the section's id
	Title   string
	Lead    string
	Chart   template.HTML
	Empty   string      // said instead of the chart and the table when there is nothing to show
	Head    []string    // the table's columns; the first heads the rows
	Rows    []reportRow // none when Empty
	CSV     string      // where the CSV file is
	CSVText string      // the link's text
}

// reportRow is a row of a report's table: its heading and its figures.
type reportRow struct {
	Head  string
	Cells []string
}

// reportScope is what every report covers: the operator's city and the
// campaign in force.
type reportScope struct {
	city  string
	year  int
	now   time.Time
	today time.Time // today's date in Kazakhstan, as admission.Today gives it
	camp  campaign.Campaign
}

// reportsScope returns the scope of the operator's reports now.
func (h *server) reportsScope(r *http.Request, o *office) (reportScope, error) {
	now := h.now()
	sc := reportScope{city: o.user.City, year: campaign.YearAt(now), now: now, today: admission.Today(now)}
	camp, err := h.campaigns.Campaign(r.Context(), sc.city, sc.year)
	if err != nil {
		return reportScope{}, fmt.Errorf("report campaign: %w", err)
	}
	sc.camp = camp
	return sc, nil
}

// officeReports shows the department's reports on the operator's city:
// applications by day, grade-1 seats and quota queues by school, and the
// referrals in force by their last day, each a chart with its figures
// and a CSV file.
func (h *server) officeReports(w http.ResponseWriter, r *http.Request, o *office) error {
	sc, err := h.reportsScope(r, o)
	if err != nil {
		return fmt.Errorf("office reports: %w", err)
	}
	ctx := r.Context()
	c, err := h.cities.City(ctx, sc.city)
	if err != nil {
		return fmt.Errorf("office reports: %w", err)
	}
	days, err := h.office.ApplicationsByDay(ctx, sc.city, sc.year)
	if err != nil {
		return fmt.Errorf("office reports: %w", err)
	}
	seats, err := h.reportSeats(r, sc)
	if err != nil {
		return fmt.Errorf("office reports: %w", err)
	}
	queues, err := h.office.QuotaQueues(ctx, sc.city, sc.year)
	if err != nil {
		return fmt.Errorf("office reports: %w", err)
	}
	ends, err := h.office.ReferralsByEnd(ctx, sc.city, sc.year)
	if err != nil {
		return fmt.Errorf("office reports: %w", err)
	}

	v := reportsView{
		Nav: h.officeNav(r, o, "reports"),
		Lead: o.tr.T("office.reports.lead", "City", c.Name.In(o.lang), "Year", sc.year, "Next", sc.year+1,
			"At", sc.now.In(kazakhstan).Format("02.01.2006 15:04")),
		Reports: []reportView{
			applicationsReport(o, days),
			h.seatsReport(r, o, seats),
			h.queuesReport(r, o, queues),
			referralsReport(o, sc.today, ends),
		},
	}
	return h.officePage(w, r, o.lang, http.StatusOK, "office_reports", o.tr.T("office.reports.title"), v)
}

// reportSeats counts the grade-1 seats of every school of the city, with
// the campaign's class size.
func (h *server) reportSeats(r *http.Request, sc reportScope) ([]admission.Seats, error) {
	seats, err := h.office.CitySeats(r.Context(), sc.city, sc.year, 1)
	if err != nil {
		return nil, err
	}
	for i := range seats {
		seats[i].ClassSize = sc.camp.ClassSize
	}
	return seats, nil
}

// reportLink is where a report's CSV file is, and the link's text.
func reportLink(o *office, v *reportView, file string) {
	v.CSV = officeURL(o.lang, "reports/"+file)
	v.CSVText = o.tr.T("office.reports.download", "Report", v.Title)
}

// dayKey is a day as the store writes it; dayLabel and dayDate as the
// chart and the table show it.
const (
	dayKey   = "2006-01-02"
	dayLabel = "02.01"
	dayDate  = "02.01.2006"
)

// parseDays reads the store's days, sorted; a day that does not parse is
// left out.
func parseDays(keys []string) []time.Time {
	var out []time.Time
	for _, k := range keys {
		if d, err := time.Parse(dayKey, k); err == nil {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, time.Time.Compare)
	return out
}

// span is every day from first to last.
func span(first, last time.Time) []time.Time {
	var out []time.Time
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out
}

// spanDesc is a chart's description of count things over the days from
// first to last: the message key with From and To, or key_day with Day
// when the two are one day.
func spanDesc(o *office, key string, count int, first, last time.Time) string {
	if first.Equal(last) {
		return o.tr.N(key+"_day", count, "Day", first.Format(dayDate))
	}
	return o.tr.N(key, count, "From", first.Format(dayDate), "To", last.Format(dayDate))
}

// byStatus adds up a day's applications of every kind by status.
func byStatus(kinds map[application.Kind]map[application.Status]int) map[application.Status]int {
	out := make(map[application.Status]int)
	for _, statuses := range kinds {
		for s, n := range statuses {
			out[s] += n
		}
	}
	return out
}

// applicationsReport is the chart of applications by the day of receipt,
// stacked by status, over every day from the first to the last.
func applicationsReport(o *office,
	days map[string]map[application.Kind]map[application.Status]int) reportView {
	v := reportView{ID: "applications", Title: o.tr.T("office.reports.applications.title"),
		Lead: o.tr.T("office.reports.applications.lead")}
	reportLink(o, &v, "applications.csv")
	received := parseDays(slices.Collect(maps.Keys(days)))
	if len(received) == 0 {
		v.Empty = o.tr.T("office.reports.applications.empty")
		return v
	}

	totals := make(map[application.Status]int)
	for _, kinds := range days {
		for s, n := range byStatus(kinds) {
			totals[s] += n
		}
	}
	var shown []application.Status
	for _, s := range allStatuses {
		if totals[s] > 0 {
			shown = append(shown, s)
		}
	}

	all := span(received[0], received[len(received)-1])
	b := chart.Bars{ID: v.ID, Title: v.Title}
	for _, d := range all {
		b.Categories = append(b.Categories, d.Format(dayLabel))
	}
	v.Head = []string{o.tr.T("office.reports.applications.day")}
	for _, s := range shown {
		name := o.tr.T("status." + string(s))
		v.Head = append(v.Head, name)
		se := chart.Series{Name: name, Color: statusColors[s]}
		for _, d := range all {
			se.Values = append(se.Values, byStatus(days[d.Format(dayKey)])[s])
		}
		b.Series = append(b.Series, se)
	}
	v.Head = append(v.Head, o.tr.T("office.reports.total"))

	total := 0
	for _, d := range received {
		counts := byStatus(days[d.Format(dayKey)])
		row := reportRow{Head: d.Format(dayDate)}
		sum := 0
		for _, s := range shown {
			row.Cells = append(row.Cells, strconv.Itoa(counts[s]))
			sum += counts[s]
		}
		row.Cells = append(row.Cells, strconv.Itoa(sum))
		total += sum
		v.Rows = append(v.Rows, row)
	}
	b.Desc = spanDesc(o, "office.reports.applications.desc", total, received[0], received[len(received)-1])
	v.Chart = b.SVG()
	return v
}

// seatsRank orders schools for the seats chart: the most over their plan
// first, then by the seats taken, most first.
func seatsRank(a, b admission.Seats) int {
	if c := cmp.Compare(b.Overflow(), a.Overflow()); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Taken(), a.Taken()); c != 0 {
		return c
	}
	return cmp.Compare(a.SchoolID, b.SchoolID)
}

// seatsReport is the chart of grade-1 seats of the schools with the most
// taken, those over their plan first: taken within the plan, free, and
// over the plan.
func (h *server) seatsReport(r *http.Request, o *office, seats []admission.Seats) reportView {
	v := reportView{ID: "seats", Title: o.tr.T("office.reports.seats.title"),
		Lead: o.tr.T("office.reports.seats.lead", "Top", reportTop)}
	reportLink(o, &v, "seats.csv")
	var planned, taken, free, over int
	var top []admission.Seats
	for _, s := range seats {
		planned, taken, free, over = planned+s.Planned(), taken+s.Taken(), free+s.Free(), over+s.Overflow()
		if s.Taken() > 0 {
			top = append(top, s)
		}
	}
	if len(top) == 0 {
		v.Empty = o.tr.T("office.reports.seats.empty")
		return v
	}
	slices.SortFunc(top, seatsRank)
	top = top[:min(len(top), reportTop)]

	b := chart.Bars{ID: v.ID, Title: v.Title, Horizontal: true,
		Desc: o.tr.N("office.reports.seats.desc", len(seats), "Planned", planned, "Taken", taken, "Free", free,
			"Overflow", over)}
	within := chart.Series{Name: o.tr.T("office.reports.seats.within"), Color: seatsTakenColor}
	spare := chart.Series{Name: o.tr.T("office.reports.seats.free"), Color: seatsFreeColor}
	beyond := chart.Series{Name: o.tr.T("office.reports.seats.overflow"), Color: seatsOverflowColor}
	v.Head = []string{o.tr.T("office.reports.school"), o.tr.T("office.reports.seats.planned"),
		o.tr.T("office.reports.seats.taken"), o.tr.T("office.reports.seats.free"),
		o.tr.T("office.reports.seats.overflow")}
	for _, s := range top {
		name := h.schoolName(r, o.lang, o.user.City, s.SchoolID)
		b.Categories = append(b.Categories, name)
		within.Values = append(within.Values, s.Taken()-s.Overflow())
		spare.Values = append(spare.Values, s.Free())
		beyond.Values = append(beyond.Values, s.Overflow())
		v.Rows = append(v.Rows, reportRow{Head: name, Cells: []string{strconv.Itoa(s.Planned()),
			strconv.Itoa(s.Taken()), strconv.Itoa(s.Free()), strconv.Itoa(s.Overflow())}})
	}
	b.Series = []chart.Series{within, spare, beyond}
	v.Chart = b.SVG()
	return v
}

// queueRank orders schools by their quota queue, longest first.
func queueRank(queues map[int64]int) func(a, b int64) int {
	return func(a, b int64) int {
		if c := cmp.Compare(queues[b], queues[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	}
}

// queuesReport is the chart of the longest quota queues, by school.
func (h *server) queuesReport(r *http.Request, o *office, queues map[int64]int) reportView {
	v := reportView{ID: "queues", Title: o.tr.T("office.reports.queues.title"),
		Lead: o.tr.T("office.reports.queues.lead", "Top", reportTop)}
	reportLink(o, &v, "queues.csv")
	var ids []int64
	total := 0
	for id, n := range queues {
		if n > 0 {
			ids = append(ids, id)
			total += n
		}
	}
	if len(ids) == 0 {
		v.Empty = o.tr.T("office.reports.queues.empty")
		return v
	}
	slices.SortFunc(ids, queueRank(queues))
	ids = ids[:min(len(ids), reportTop)]

	waiting := chart.Series{Name: o.tr.T("office.reports.queues.waiting"),
		Color: statusColors[application.Waiting]}
	b := chart.Bars{ID: v.ID, Title: v.Title, Horizontal: true}
	v.Head = []string{o.tr.T("office.reports.school"), o.tr.T("office.reports.queues.waiting")}
	for _, id := range ids {
		name := h.schoolName(r, o.lang, o.user.City, id)
		b.Categories = append(b.Categories, name)
		waiting.Values = append(waiting.Values, queues[id])
		v.Rows = append(v.Rows, reportRow{Head: name, Cells: []string{strconv.Itoa(queues[id])}})
	}
	b.Series = []chart.Series{waiting}
	b.Desc = o.tr.N("office.reports.queues.desc", total, "Longest", queues[ids[0]], "School", b.Categories[0])
	v.Chart = b.SVG()
	return v
}

// daysAhead are the days from today on that referrals in force end on,
// sorted.
func daysAhead(today time.Time, ends map[string]int) []time.Time {
	var out []time.Time
	for _, d := range parseDays(slices.Collect(maps.Keys(ends))) {
		if !d.Before(today) && ends[d.Format(dayKey)] > 0 {
			out = append(out, d)
		}
	}
	return out
}

// referralsReport is the chart of the referrals in force by their last
// day, over every day from today to the last.
func referralsReport(o *office, today time.Time, ends map[string]int) reportView {
	v := reportView{ID: "referrals", Title: o.tr.T("office.reports.referrals.title"),
		Lead: o.tr.T("office.reports.referrals.lead")}
	reportLink(o, &v, "referrals.csv")
	days := daysAhead(today, ends)
	if len(days) == 0 {
		v.Empty = o.tr.T("office.reports.referrals.empty")
		return v
	}
	count := o.tr.T("office.reports.referrals.count")
	se := chart.Series{Name: count, Color: statusColors[application.Referral]}
	b := chart.Bars{ID: v.ID, Title: v.Title}
	for _, d := range span(today, days[len(days)-1]) {
		b.Categories = append(b.Categories, d.Format(dayLabel))
		se.Values = append(se.Values, ends[d.Format(dayKey)])
	}
	b.Series = []chart.Series{se}
	v.Head = []string{o.tr.T("office.reports.referrals.last_day"), count}
	total := 0
	for _, d := range days {
		n := ends[d.Format(dayKey)]
		total += n
		v.Rows = append(v.Rows, reportRow{Head: d.Format(dayDate), Cells: []string{strconv.Itoa(n)}})
	}
	b.Desc = spanDesc(o, "office.reports.referrals.desc", total, days[0], days[len(days)-1])
	v.Chart = b.SVG()
	return v
}

// reportCSVs make the CSV files of the reports, by file name: a header
// row, then the records.
var reportCSVs = map[string]func(h *server, r *http.Request, o *office, sc reportScope) ([][]string, error){
	"applications.csv": applicationsCSV,
	"seats.csv":        seatsCSV,
	"queues.csv":       queuesCSV,
	"referrals.csv":    referralsCSV,
}

// officeReportCSV sends one report as a CSV file, in UTF-8 with a header
// row in the page's language; an unknown file is not found.
func (h *server) officeReportCSV(w http.ResponseWriter, r *http.Request, o *office) error {
	name := r.PathValue("file")
	build, ok := reportCSVs[name]
	if !ok {
		return fmt.Errorf("report %q: %w", name, errs.ErrNotFound)
	}
	sc, err := h.reportsScope(r, o)
	if err != nil {
		return fmt.Errorf("report %s: %w", name, err)
	}
	records, err := build(h, r, o, sc)
	if err != nil {
		return fmt.Errorf("report %s: %w", name, err)
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	if err := cw.WriteAll(records); err != nil {
		return fmt.Errorf("report %s: %w", name, err)
	}

	file := strings.TrimSuffix(name, ".csv") + "-" + sc.city + "-" + strconv.Itoa(sc.year) + ".csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition",
		mime.FormatMediaType("attachment", map[string]string{"filename": file}))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = buf.WriteTo(w) // a visitor who left is no error of ours
	return nil
}

// csvText keeps a text cell from reading as a formula in a spreadsheet:
// one that starts with =, +, -, @, a tab or a carriage return gets an
// apostrophe first.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// applicationsCSV lists the applications of every day of receipt and kind:
// a column per status, and their total.
func applicationsCSV(h *server, r *http.Request, o *office, sc reportScope) ([][]string, error) {
	days, err := h.office.ApplicationsByDay(r.Context(), sc.city, sc.year)
	if err != nil {
		return nil, err
	}
	head := []string{o.tr.T("office.reports.applications.day"), o.tr.T("office.reports.kind")}
	for _, s := range allStatuses {
		head = append(head, o.tr.T("status."+string(s)))
	}
	out := [][]string{append(head, o.tr.T("office.reports.total"))}
	for _, d := range parseDays(slices.Collect(maps.Keys(days))) {
		kinds := days[d.Format(dayKey)]
		for _, k := range application.Kinds {
			counts, ok := kinds[k]
			if !ok {
				continue
			}
			rec := []string{d.Format(dayKey), csvText(o.tr.T("service." + string(k) + ".title"))}
			sum := 0
			for _, s := range allStatuses {
				rec = append(rec, strconv.Itoa(counts[s]))
				sum += counts[s]
			}
			out = append(out, append(rec, strconv.Itoa(sum)))
		}
	}
	return out, nil
}

// seatsCSV lists the grade-1 seats of every school of the city.
func seatsCSV(h *server, r *http.Request, o *office, sc reportScope) ([][]string, error) {
	seats, err := h.reportSeats(r, sc)
	if err != nil {
		return nil, err
	}
	out := [][]string{{o.tr.T("office.reports.school_id"), o.tr.T("office.reports.school"),
		o.tr.T("office.reports.seats.planned"), o.tr.T("office.reports.seats.taken"),
		o.tr.T("office.reports.seats.free"), o.tr.T("office.reports.seats.overflow")}}
	for _, s := range seats {
		out = append(out, []string{strconv.FormatInt(s.SchoolID, 10),
			csvText(h.schoolName(r, o.lang, sc.city, s.SchoolID)), strconv.Itoa(s.Planned()),
			strconv.Itoa(s.Taken()), strconv.Itoa(s.Free()), strconv.Itoa(s.Overflow())})
	}
	return out, nil
}

// queuesCSV lists the quota queue of every school of the city, longest
// first.
func queuesCSV(h *server, r *http.Request, o *office, sc reportScope) ([][]string, error) {
	seats, err := h.office.CitySeats(r.Context(), sc.city, sc.year, 1)
	if err != nil {
		return nil, err
	}
	queues, err := h.office.QuotaQueues(r.Context(), sc.city, sc.year)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(seats))
	for _, s := range seats {
		ids = append(ids, s.SchoolID)
	}
	slices.SortFunc(ids, queueRank(queues))
	out := [][]string{{o.tr.T("office.reports.school_id"), o.tr.T("office.reports.school"),
		o.tr.T("office.reports.queues.waiting")}}
	for _, id := range ids {
		out = append(out, []string{strconv.FormatInt(id, 10), csvText(h.schoolName(r, o.lang, sc.city, id)),
			strconv.Itoa(queues[id])})
	}
	return out, nil
}

// referralsCSV lists the referrals in force by their last day, from today
// on.
func referralsCSV(h *server, r *http.Request, o *office, sc reportScope) ([][]string, error) {
	ends, err := h.office.ReferralsByEnd(r.Context(), sc.city, sc.year)
	if err != nil {
		return nil, err
	}
	out := [][]string{{o.tr.T("office.reports.referrals.last_day"), o.tr.T("office.reports.referrals.count")}}
	for _, d := range daysAhead(sc.today, ends) {
		out = append(out, []string{d.Format(dayKey), strconv.Itoa(ends[d.Format(dayKey)])})
	}
	return out, nil
}
