package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"sakura/internal/account"
	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/campaign"
	"sakura/internal/demo"
	"sakura/internal/i18n"
	"sakura/internal/school"
	"sakura/internal/web/webtest"
)

// reportStatuses are the statuses in the order of the columns of
// applications.csv.
var reportStatuses = []application.Status{application.Submitted, application.Accepted, application.Waiting,
	application.Referral, application.Enrolled, application.Refused, application.Withdrawn, application.Expired}

// reportFixture is the demo portal with applications to two schools of
// Almaty, received over three days of Kazakhstan, and decided by the
// city's operator.
type reportFixture struct {
	s          *webtest.Server
	year       int
	days       [3]time.Time // the days of receipt in Kazakhstan, as dates
	a, b       school.School
	validUntil time.Time // the last day of the referral in force
	classSize  int       // the campaign's
	filed      int
}

// kz is Kazakhstan's time.
var kz = time.FixedZone("UTC+5", 5*60*60)

// file submits an application of a new child of the demo mother, received
// on the day-th day at the hour given, Kazakhstan time.
func (f *reportFixture) file(t *testing.T, acc int64, kind application.Kind, schoolID int64,
	basis application.Basis, day, hour int) application.Application {
	t.Helper()
	ctx := context.Background()
	f.filed++
	d := f.days[day]
	at := time.Date(d.Year(), d.Month(), d.Day(), hour, f.filed, 0, 0, kz)
	id := fmt.Sprintf("report-draft-%d", f.filed)
	ans := application.Answers{ChildIIN: fmt.Sprintf("report-child-%d", f.filed), ChildSurname: "Бекова",
		ChildName: "Аружан", SchoolID: schoolID, Basis: basis, Language: "kk", Channel: "sms", NotifyLang: "en"}
	if err := f.s.DB.SaveDraft(ctx, application.Draft{ID: id, City: "almaty", Kind: kind, AccountID: acc,
		Answers: ans, CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	a, _, err := f.s.DB.Submit(ctx, application.Submission{DraftID: id, City: "almaty", CityCode: "ALM",
		Kind: kind, Year: f.year, Basis: basis, Account: acc, Child: ans.ChildKey(), SchoolID: schoolID,
		Answers: ans, At: at})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// newReportFixture starts the portal with the demo staff and picks two
// schools of Almaty that plan grade 1; fill files the applications.
func newReportFixture(t *testing.T) *reportFixture {
	t.Helper()
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces()})
	seedStaff(t, s)
	now := time.Now()
	f := &reportFixture{s: s, year: campaign.YearAt(now)}
	today := admission.Today(now)
	for i := range f.days {
		f.days[i] = today.AddDate(0, 0, i-2)
	}
	var planned []school.School
	for _, sc := range demoPlaces()[0].Schools {
		if sc.Grade1Classes > 0 {
			planned = append(planned, sc)
		}
	}
	if len(planned) < 2 {
		t.Fatalf("%d schools of Almaty plan grade 1", len(planned))
	}
	f.a, f.b = planned[0], planned[1]
	return f
}

// fill files, as the demo mother: two catchment applications to school A
// the day before yesterday, both given a referral and one of them
// enrolled; three quota applications yesterday, two to A and one to B,
// all waiting; today a catchment application to B and a transfer, both
// undecided.
func (f *reportFixture) fill(t *testing.T) {
	t.Helper()
	s, ctx := f.s, context.Background()
	signUp(t, s, "en", demo.AlmatyMotherIIN, demo.AlmatyMotherPhone, "white mountain tea 2026")
	acc := accountOf(t, s, demo.AlmatyMotherIIN)
	op, err := s.Staff.UserByLogin(ctx, demo.StaffPrefix+"operator-almaty")
	if err != nil {
		t.Fatal(err)
	}
	decide := func(a application.Application, ds ...admission.Decision) {
		t.Helper()
		for _, d := range ds {
			if _, err := s.Admission.Decide(ctx, op, a.ID, d, account.Client{}); err != nil {
				t.Fatalf("%s on %s: %v", d.Action, a.Number, err)
			}
		}
	}
	accept := admission.Decision{Action: admission.Accept}
	issue := admission.Decision{Action: admission.Issue}
	g1 := application.Grade1

	decide(f.file(t, acc, g1, f.a.ID, application.Catchment, 0, 9), accept, issue)
	decide(f.file(t, acc, g1, f.a.ID, application.Catchment, 0, 23), accept, issue,
		admission.Decision{Action: admission.Enrol, Class: "А"})
	for _, id := range []int64{f.a.ID, f.a.ID, f.b.ID} {
		decide(f.file(t, acc, g1, id, application.Quota, 1, 0), accept)
	}
	f.file(t, acc, g1, f.b.ID, application.Catchment, 2, 0)
	f.file(t, acc, application.Transfer, f.b.ID, "", 2, 0)

	camp, err := s.DB.Campaign(ctx, "almaty", f.year)
	if err != nil {
		t.Fatal(err)
	}
	f.validUntil = camp.AddWorkingDays(admission.Today(time.Now()), camp.ReferralDays)
	f.classSize = camp.ClassSize
}

// readCSV fetches a report's CSV file and checks how it is sent.
func readCSV(t *testing.T, v *visitor, lang i18n.Lang, name string, year int) [][]string {
	t.Helper()
	resp := v.get(t, "/"+string(lang)+"/office/reports/"+name)
	if resp.Status != http.StatusOK {
		t.Fatalf("%s: %d %.300s", name, resp.Status, resp.Body)
	}
	if got := resp.Header.Get("Content-Type"); got != "text/csv; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", name, got)
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("%s: Cache-Control %q", name, got)
	}
	disposition, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	want := strings.TrimSuffix(name, ".csv") + "-almaty-" + strconv.Itoa(year) + ".csv"
	if err != nil || disposition != "attachment" || params["filename"] != want {
		t.Errorf("%s: Content-Disposition %q (%v), want an attachment named %s",
			name, resp.Header.Get("Content-Disposition"), err, want)
	}
	records, err := csv.NewReader(strings.NewReader(resp.Body)).ReadAll()
	if err != nil {
		t.Fatalf("%s is no CSV: %v", name, err)
	}
	if len(records) == 0 {
		t.Fatalf("%s is empty", name)
	}
	return records
}

// selText is the text of the first element under sel that selector finds,
// its spaces collapsed.
func selText(sel *goquery.Selection, selector string) string {
	return strings.Join(strings.Fields(sel.Find(selector).First().Text()), " ")
}

// cells returns the texts of the cells (th and td) of each row of a table.
func cells(table *goquery.Selection) [][]string {
	var out [][]string
	table.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
		var row []string
		tr.Children().Each(func(_ int, c *goquery.Selection) {
			row = append(row, strings.Join(strings.Fields(c.Text()), " "))
		})
		out = append(out, row)
	})
	return out
}

// TestOfficeReports: the operator's reports with nothing to show yet;
// then, after some applications, in each language, each a chart named by
// its title and description with its figures as a table, and the same
// figures in the CSV files; school staff are refused, and an unknown file
// is not found.
func TestOfficeReports(t *testing.T) {
	f := newReportFixture(t)
	cat := MustCatalog(t)
	op := staffVisitor(t, f.s, demo.StaffPrefix+"operator-almaty")
	reportsEmpty(t, op, len(demoPlaces()[0].Schools))
	f.fill(t)
	itoa := strconv.Itoa
	planned := func(sc school.School) int { return sc.Grade1Classes * f.classSize }
	reports := []string{"applications", "seats", "queues", "referrals"}
	titles := map[string]string{"applications": "office.reports.applications.title",
		"seats": "office.reports.seats.title", "queues": "office.reports.queues.title",
		"referrals": "office.reports.referrals.title"}

	for _, lang := range i18n.Langs {
		tr := cat.Translator(lang)
		resp := op.get(t, "/"+string(lang)+"/office/reports")
		if resp.Status != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("%s: %d, Cache-Control %q", lang, resp.Status, resp.Header.Get("Cache-Control"))
		}
		doc := resp.Doc(t)
		if got := text(doc, "h1"); got != tr.T("office.reports.title") {
			t.Errorf("%s: h1 %q", lang, got)
		}
		if got := text(doc, `.cabinet-nav a[aria-current="page"]`); got != tr.T("office.nav.reports") {
			t.Errorf("%s: the navigation marks %q", lang, got)
		}
		tables := map[string]*goquery.Selection{}
		for _, id := range reports {
			sec := doc.Find("section#report-" + id)
			if sec.Length() != 1 {
				t.Fatalf("%s: no section %s", lang, id)
			}
			if got := selText(sec, "h2"); got != tr.T(titles[id]) {
				t.Errorf("%s: %s is headed %q", lang, id, got)
			}
			svg := sec.Find(`svg[role="img"]`)
			if svg.Length() != 1 {
				t.Errorf("%s: %s has %d charts", lang, id, svg.Length())
				continue
			}
			if w, _ := svg.Attr("width"); w != "100%" || !strings.HasPrefix(svg.AttrOr("viewBox", ""), "0 0 ") {
				t.Errorf("%s: %s's chart is not responsive: width %q, viewBox %q", lang, id, w, svg.AttrOr("viewBox", ""))
			}
			ids := strings.Fields(svg.AttrOr("aria-labelledby", ""))
			if len(ids) != 2 || svg.Find("title#"+ids[0]).Length() != 1 || svg.Find("desc#"+ids[1]).Length() != 1 {
				t.Errorf("%s: %s's chart is labelled by %q, want its title and description", lang, id, ids)
			} else if got := svg.Find("title#" + ids[0]).Text(); got != tr.T(titles[id]) {
				t.Errorf("%s: %s's chart is titled %q", lang, id, got)
			}
			table := sec.Find("details table")
			if table.Length() != 1 || sec.Find("details summary").Length() != 1 ||
				table.Find(`thead th[scope="col"]`).Length() < 2 || table.Find(`tbody th[scope="row"]`).Length() == 0 {
				t.Errorf("%s: %s has no table of its figures in a <details>", lang, id)
			}
			tables[id] = table
			href := "/" + string(lang) + "/office/reports/" + id + ".csv"
			if sec.Find(`a[href="`+href+`"]`).Length() != 1 {
				t.Errorf("%s: %s does not link %s", lang, id, href)
			}
		}
		// Every text is translated: no key is left on the page.
		doc.Find("h2, p, th, td, caption, summary, a, title, desc, text").Each(func(_ int, n *goquery.Selection) {
			if strings.Contains(n.Text(), "office.reports.") {
				t.Errorf("%s: an untranslated key: %q", lang, n.Text())
			}
		})
		if t.Failed() {
			return
		}

		d := func(i int) string { return f.days[i].Format("02.01.2006") }
		// The applications: a column per status that occurs, and the total.
		wantHead := []string{tr.T("office.reports.applications.day"), tr.T("status.submitted"),
			tr.T("status.waiting"), tr.T("status.referral"), tr.T("status.enrolled"), tr.T("office.reports.total")}
		var head []string
		tables["applications"].Find("thead th").Each(func(_ int, th *goquery.Selection) {
			head = append(head, th.Text())
		})
		if !slices.Equal(head, wantHead) {
			t.Errorf("%s: applications' columns %q, want %q", lang, head, wantHead)
		}
		wantRows := [][]string{
			{d(0), "0", "0", "1", "1", "2"}, {d(1), "0", "3", "0", "0", "3"}, {d(2), "2", "0", "0", "0", "2"},
		}
		if got := cells(tables["applications"]); !slices.EqualFunc(got, wantRows, slices.Equal) {
			t.Errorf("%s: applications %q, want %q", lang, got, wantRows)
		}
		// The seats: school A has both referrals, the used one too; B none,
		// so it is not on the chart.
		a, b := f.a.Name.In(lang), f.b.Name.In(lang)
		wantRows = [][]string{{a, itoa(planned(f.a)), "2", itoa(planned(f.a) - 2), "0"}}
		if got := cells(tables["seats"]); !slices.EqualFunc(got, wantRows, slices.Equal) {
			t.Errorf("%s: seats %q, want %q", lang, got, wantRows)
		}
		wantRows = [][]string{{a, "2"}, {b, "1"}}
		if got := cells(tables["queues"]); !slices.EqualFunc(got, wantRows, slices.Equal) {
			t.Errorf("%s: queues %q, want %q", lang, got, wantRows)
		}
		wantRows = [][]string{{f.validUntil.Format("02.01.2006"), "1"}}
		if got := cells(tables["referrals"]); !slices.EqualFunc(got, wantRows, slices.Equal) {
			t.Errorf("%s: referrals %q, want %q", lang, got, wantRows)
		}
	}

	// The CSV files, in Russian: every day and kind, every school.
	ru := cat.Translator(i18n.RU)
	iso := func(i int) string { return f.days[i].Format("2006-01-02") }
	grade1, transfer := ru.T("service.grade1.title"), ru.T("service.transfer.title")
	apps := readCSV(t, op, i18n.RU, "applications.csv", f.year)
	wantHead := []string{ru.T("office.reports.applications.day"), ru.T("office.reports.kind")}
	for _, st := range reportStatuses {
		wantHead = append(wantHead, ru.T("status."+string(st)))
	}
	wantHead = append(wantHead, ru.T("office.reports.total"))
	want := [][]string{wantHead,
		{iso(0), grade1, "0", "0", "0", "1", "1", "0", "0", "0", "2"},
		{iso(1), grade1, "0", "0", "3", "0", "0", "0", "0", "0", "3"},
		{iso(2), grade1, "1", "0", "0", "0", "0", "0", "0", "0", "1"},
		{iso(2), transfer, "1", "0", "0", "0", "0", "0", "0", "0", "1"},
	}
	if !slices.EqualFunc(apps, want, slices.Equal) {
		t.Errorf("applications.csv\n%q\nwant\n%q", apps, want)
	}

	schools := demoPlaces()[0].Schools
	seats := readCSV(t, op, i18n.RU, "seats.csv", f.year)
	wantHead = []string{ru.T("office.reports.school_id"), ru.T("office.reports.school"),
		ru.T("office.reports.seats.planned"), ru.T("office.reports.seats.taken"), ru.T("office.reports.seats.free"),
		ru.T("office.reports.seats.overflow")}
	if !slices.Equal(seats[0], wantHead) || len(seats) != len(schools)+1 {
		t.Errorf("seats.csv: header %q and %d rows, want %q and %d", seats[0], len(seats)-1, wantHead, len(schools))
	}
	byID := map[string][]string{}
	for _, rec := range seats[1:] {
		byID[rec[0]] = rec
	}
	for _, sc := range schools {
		taken := 0
		if sc.ID == f.a.ID {
			taken = 2
		}
		p := planned(sc)
		wantRec := []string{strconv.FormatInt(sc.ID, 10), sc.Name.RU, itoa(p), itoa(taken), itoa(max(0, p-taken)),
			itoa(max(0, taken-p))}
		if got := byID[wantRec[0]]; !slices.Equal(got, wantRec) {
			t.Errorf("seats.csv: school %d is %q, want %q", sc.ID, got, wantRec)
		}
	}

	queues := readCSV(t, op, i18n.RU, "queues.csv", f.year)
	wantHead = []string{ru.T("office.reports.school_id"), ru.T("office.reports.school"),
		ru.T("office.reports.queues.waiting")}
	if !slices.Equal(queues[0], wantHead) || len(queues) != len(schools)+1 {
		t.Fatalf("queues.csv: header %q and %d rows, want %q and %d",
			queues[0], len(queues)-1, wantHead, len(schools))
	}
	wantTop := [][]string{{strconv.FormatInt(f.a.ID, 10), f.a.Name.RU, "2"},
		{strconv.FormatInt(f.b.ID, 10), f.b.Name.RU, "1"}}
	if !slices.EqualFunc(queues[1:3], wantTop, slices.Equal) {
		t.Errorf("queues.csv starts %q, want %q", queues[1:3], wantTop)
	}
	for _, rec := range queues[3:] {
		if rec[2] != "0" {
			t.Errorf("queues.csv: school %s has a queue of %s", rec[0], rec[2])
		}
	}

	refs := readCSV(t, op, i18n.RU, "referrals.csv", f.year)
	want = [][]string{{ru.T("office.reports.referrals.last_day"), ru.T("office.reports.referrals.count")},
		{f.validUntil.Format("2006-01-02"), "1"}}
	if !slices.EqualFunc(refs, want, slices.Equal) {
		t.Errorf("referrals.csv %q, want %q", refs, want)
	}

	for _, path := range []string{"/en/office/reports/passwords.csv", "/en/office/reports/seats.xlsx",
		"/en/office/reports/..%2Fseats.csv"} {
		if got := op.get(t, path).Status; got != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, got)
		}
	}

	// School staff read no department report.
	staffer := staffVisitor(t, f.s, schoolLogin(f.a.ID))
	for _, path := range []string{"/en/office/reports", "/kk/office/reports/seats.csv",
		"/ru/office/reports/queues.csv"} {
		if got := staffer.get(t, path).Status; got != http.StatusForbidden {
			t.Errorf("%s by school staff: %d, want 403", path, got)
		}
	}
}

// reportsEmpty checks the reports before any application: each says it
// has nothing to show instead of an empty chart, and its CSV file has its
// header alone, but for the queues, which list every school at zero.
func reportsEmpty(t *testing.T, op *visitor, schools int) {
	t.Helper()
	en := MustCatalog(t).Translator(i18n.EN)
	doc := op.get(t, "/en/office/reports").Doc(t)
	for id, key := range map[string]string{"applications": "office.reports.applications.empty",
		"seats": "office.reports.seats.empty", "queues": "office.reports.queues.empty",
		"referrals": "office.reports.referrals.empty"} {
		sec := doc.Find("section#report-" + id)
		if got := selText(sec, "p.empty"); got != en.T(key) || sec.Find("svg, table").Length() != 0 {
			t.Errorf("empty %s: %q and %d charts or tables, want %q alone",
				id, got, sec.Find("svg, table").Length(), en.T(key))
		}
	}
	year := campaign.YearAt(time.Now())
	records := map[string]int{"applications.csv": 1, "queues.csv": schools + 1, "referrals.csv": 1}
	for name, want := range records {
		if recs := readCSV(t, op, i18n.EN, name, year); len(recs) != want {
			t.Errorf("empty %s: %d records, want %d", name, len(recs), want)
		}
	}
}

// TestOfficeReportsBrowser: the reports in Chromium pass axe-core, with
// every table open too, and on a phone's width each chart fits the screen.
func TestOfficeReportsBrowser(t *testing.T) {
	f := newReportFixture(t)
	f.fill(t)
	b := webtest.NewBrowser(t)
	tab := b.NewTab(t)
	login := demo.StaffPrefix + "operator-almaty"
	tab.Navigate(f.s.URL + "/kk/office")
	tab.Do(chromedp.SendKeys(chromedp.CSS("#login"), login),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.StaffPassword))
	tab.Follow(chromedp.Click(chromedp.CSS("main form button[type=submit]")))
	tab.Do(chromedp.SendKeys(chromedp.CSS("#code"), freshCode(t, login)))
	tab.Follow(chromedp.Click(chromedp.CSS("main form button[type=submit]")))

	if got := tab.Navigate(f.s.URL + "/kk/office/reports"); got != http.StatusOK {
		t.Fatalf("the reports: %d", got)
	}
	tab.MustBeAccessible()
	tab.Do(chromedp.Evaluate[chromedp.Void](
		`document.querySelectorAll("details").forEach(d => { d.open = true })`))
	tab.MustBeAccessible()

	tab.Do(chromedp.EmulateViewport(360, 740))
	ctx, cancel := context.WithTimeout(tab.Context(), 20*time.Second)
	defer cancel()
	fit, err := chromedp.Run(ctx, chromedp.Evaluate[[]bool](
		`[...document.querySelectorAll("svg.chart")].map(s => {
		const r = s.getBoundingClientRect();
		return r.height > 0 && r.left >= 0 && r.right <= document.documentElement.clientWidth;
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if len(fit) != 4 || slices.Contains(fit, false) {
		t.Errorf("on a phone, the charts fit: %v", fit)
	}
}
