package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"sakura/internal/campaign"
	"sakura/internal/i18n"
)

// servicesMark is the hidden field that says a campaign form carries the
// rules of the services besides grade 1. A form without it (one sent to
// change the grade-1 rules alone) leaves those rules as they are saved.
const servicesMark = "services"

// serviceTexts are the fields of the services' rules typed as text, in
// the page's order.
var serviceTexts = []string{
	"transfer_opens", "transfer_closes", "transfer_slip_days",
	"grade10_opens", "grade10_closes",
	"meals_opens", "meals_closes", "meals_until", "meals_remind_days",
	"camp_opens", "camp_closes", "camp_voucher_days",
	"transport_opens", "transport_closes", "transport_threshold",
}

// serviceDocumentNames are the files a transfer or a grade-10 placement may
// ask for: those of a pupil, not grade 1's preschool forms.
var serviceDocumentNames = []string{"photo", "medical_026", "medical_063", "report_card"}

// periodDash joins the two days of a holiday period as the form shows it.
const periodDash = " – "

// servicesForm writes the services' rules of a campaign into the values of
// its form.
func servicesForm(values map[string]string, c campaign.Campaign) {
	window := func(svc string, p campaign.Period) {
		values[svc+"_opens"], values[svc+"_closes"] = p.From.Format(dayLayout), p.To.Format(dayLayout)
	}
	window("transfer", c.Transfer.Window)
	window("grade10", c.Grade10.Window)
	window("meals", c.Meals.Window)
	window("camp", c.Camp.Window)
	window("transport", c.Transport.Window)

	var holidays []string
	for _, p := range c.Transfer.Holidays {
		holidays = append(holidays, p.From.Format(dayLayout)+periodDash+p.To.Format(dayLayout))
	}
	values["transfer_holidays"] = strings.Join(holidays, "\n")
	values["transfer_slip_days"] = strconv.Itoa(c.Transfer.SlipDays)
	values["transfer_documents"] = strings.Join(c.Transfer.Documents, " ")
	values["grade10_documents"] = strings.Join(c.Grade10.Documents, " ")
	values["meals_until"] = c.Meals.Until.Format(dayLayout)
	values["meals_remind_days"] = strconv.Itoa(c.Meals.RemindDays)
	values["camp_voucher_days"] = strconv.Itoa(c.Camp.VoucherDays)
	values["transport_threshold"] = strconv.Itoa(c.Transport.Threshold)
}

// postedServices copies the services' fields of a campaign form into f:
// the text fields trimmed, the holidays as typed, and of the documents
// only the names the form offers, once each.
func postedServices(f form, r *http.Request) {
	for _, n := range serviceTexts {
		f.Values[n] = trimForm(r, n, 300)
	}
	f.Values["transfer_holidays"] = trimForm(r, "transfer_holidays", 4000)
	for _, n := range []string{"transfer_documents", "grade10_documents"} {
		var docs []string
		for _, d := range r.PostForm[n] {
			if slices.Contains(serviceDocumentNames, d) && !slices.Contains(docs, d) {
				docs = append(docs, d)
			}
		}
		f.Values[n] = strings.Join(docs, " ")
	}
}

// readServices reads the services' rules of the campaign form over base,
// refusing each field that does not parse or, through the campaign's own
// check, breaks its bounds. A rule whose field is refused already is not
// refused twice.
func readServices(f form, base campaign.Campaign) (campaign.Campaign, []badField) {
	c := base
	var bad []badField
	refused := func(field string) bool {
		return slices.ContainsFunc(bad, func(b badField) bool { return b.field == field })
	}
	day := func(field string) time.Time {
		d, err := parseDay(f.Value(field))
		if err != nil {
			bad = append(bad, badField{field, "office.campaign.date_invalid"})
		}
		return d
	}
	window := func(svc string) campaign.Period {
		return campaign.Period{From: day(svc + "_opens"), To: day(svc + "_closes")}
	}
	// A number may come with spaces between its thousands, as 3 000.
	number := func(svc, name string) int {
		n, err := strconv.Atoi(strings.Join(strings.Fields(f.Value(svc+"_"+name)), ""))
		if err != nil {
			bad = append(bad, badField{svc + "_" + name, "office.campaign_services." + name + "_invalid"})
		}
		return n
	}
	documents := func(field string) []string {
		docs := strings.Fields(f.Value(field))
		if len(docs) == 0 {
			bad = append(bad, badField{field + "-photo", "office.campaign.documents_required"})
		}
		return docs
	}

	c.Transfer.Window = window("transfer")
	holidays, err := parsePeriods(f.Value("transfer_holidays"))
	if err != nil {
		bad = append(bad, badField{"transfer_holidays", "office.campaign_services.holidays_invalid"})
	}
	c.Transfer.Holidays = holidays
	c.Transfer.SlipDays = number("transfer", "slip_days")
	c.Transfer.Documents = documents("transfer_documents")
	c.Grade10.Window = window("grade10")
	c.Grade10.Documents = documents("grade10_documents")
	c.Meals.Window = window("meals")
	c.Meals.Until = day("meals_until")
	c.Meals.RemindDays = number("meals", "remind_days")
	c.Camp.Window = window("camp")
	c.Camp.VoucherDays = number("camp", "voucher_days")
	c.Transport.Window = window("transport")
	c.Transport.Threshold = number("transport", "threshold")

	for _, rule := range c.CheckServices() {
		svc, name, _ := strings.Cut(rule, ".")
		field, key := svc+"_"+name, "office.campaign_services."+name+"_invalid"
		if name == "window" {
			field = svc + "_closes"
			if refused(svc + "_opens") {
				continue
			}
		}
		if !refused(field) {
			bad = append(bad, badField{field, key})
		}
	}
	return c, bad
}

// parseDay reads a day as the form shows it, or as a date field of a
// browser sends it.
func parseDay(s string) (time.Time, error) {
	d, err := time.Parse(dayLayout, s)
	if err != nil {
		d, err = time.Parse("2006-01-02", s)
	}
	return d, err
}

// parsePeriods reads periods of days, one a line, as "DD.MM.YYYY –
// DD.MM.YYYY" with any dash, or a single day for a period of one day, and
// returns them in order of their first day. Whether each ends on or after
// it starts is the campaign's check.
func parsePeriods(text string) ([]campaign.Period, error) {
	var out []campaign.Period
	isDash := func(r rune) bool { return r == '-' || r == '–' || r == '—' }
	for line := range strings.Lines(text) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.FieldsFunc(line, isDash)
		if len(parts) == 0 || len(parts) > 2 {
			return nil, fmt.Errorf("period %q: not one or two days", strings.TrimSpace(line))
		}
		from, err := time.Parse(dayLayout, strings.TrimSpace(parts[0]))
		if err != nil {
			return nil, err
		}
		to := from
		if len(parts) == 2 {
			if to, err = time.Parse(dayLayout, strings.TrimSpace(parts[1])); err != nil {
				return nil, err
			}
		}
		out = append(out, campaign.Period{From: from, To: to})
	}
	slices.SortFunc(out, func(a, b campaign.Period) int { return a.From.Compare(b.From) })
	return out, nil
}

// serviceFieldset is one service's rules on the campaign page.
type serviceFieldset struct {
	Legend string // catalogue key
	Fields []serviceField
}

// serviceField is one field of a service's rules: a line of text, a
// textarea of lines, or the checkboxes of the documents asked for.
type serviceField struct {
	Name      string // the form field and its id
	Label     string // catalogue key
	Hint      string // catalogue key
	Lines     bool
	Documents []option
}

// serviceFieldsets lays out the services' rules of the form f: per
// service its window first, then its own rules.
func serviceFieldsets(tr *i18n.Translator, f form) []serviceFieldset {
	const p = "office.campaign_services."
	window := func(svc string) []serviceField {
		return []serviceField{
			{Name: svc + "_opens", Label: p + "opens", Hint: "office.campaign.date_hint"},
			{Name: svc + "_closes", Label: p + "closes", Hint: "office.campaign.date_hint"},
		}
	}
	own := func(svc, name string) serviceField {
		return serviceField{Name: svc + "_" + name, Label: p + name, Hint: p + name + "_hint"}
	}
	documents := func(svc string) serviceField {
		name := svc + "_documents"
		chosen := strings.Fields(f.Value(name))
		field := serviceField{Name: name}
		for _, d := range serviceDocumentNames {
			field.Documents = append(field.Documents, option{Value: d, Label: tr.T("apply.document." + d),
				Selected: slices.Contains(chosen, d)})
		}
		return field
	}
	holidays := own("transfer", "holidays")
	holidays.Lines = true
	return []serviceFieldset{
		{Legend: p + "transfer", Fields: append(window("transfer"), holidays, own("transfer", "slip_days"), documents("transfer"))},
		{Legend: p + "grade10", Fields: append(window("grade10"), documents("grade10"))},
		{Legend: p + "meals", Fields: append(window("meals"), own("meals", "until"), own("meals", "remind_days"))},
		{Legend: p + "camp", Fields: append(window("camp"), own("camp", "voucher_days"))},
		{Legend: p + "transport", Fields: append(window("transport"), own("transport", "threshold"))},
	}
}

// schoolYearLabel names the school year that starts in year, as 2026/27.
func schoolYearLabel(year int) string { return fmt.Sprintf("%d/%02d", year, (year+1)%100) }
