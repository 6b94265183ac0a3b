package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"sakura/internal/campaign"
	"sakura/internal/demo"
	"sakura/internal/i18n"
	"sakura/internal/staff"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
	"sakura/internal/web/webtest"
)

// almatyDay is today's day in Kazakhstan's time, the day campaign windows
// count in.
func almatyDay() time.Time {
	now := time.Now().In(time.FixedZone("UTC+5", 5*60*60))
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
}

// campaignPageForm reads the campaign page's form as a browser would send
// it: its text fields, textareas, hidden fields and ticked boxes.
func campaignPageForm(doc *goquery.Document) url.Values {
	form := url.Values{}
	doc.Find("form.cabinet-form input, form.cabinet-form textarea").Each(func(_ int, s *goquery.Selection) {
		name := s.AttrOr("name", "")
		switch {
		case goquery.NodeName(s) == "textarea":
			form.Add(name, s.Text())
		case s.AttrOr("type", "") == "checkbox":
			if _, checked := s.Attr("checked"); checked {
				form.Add(name, s.AttrOr("value", ""))
			}
		default:
			form.Add(name, s.AttrOr("value", ""))
		}
	})
	return form
}

// TestOfficeCampaignServices: the department reaches the campaign of the
// school year in force and keeps the five services' rules in it: changes
// read back from the store and the audit log, bad values refused field by
// field with all typed kept and nothing saved, and the camps' window
// closed on the page closes the camp wizard's start page.
func TestOfficeCampaignServices(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces()})
	seedStaff(t, s)
	op := staffVisitor(t, s, demo.StaffPrefix+"operator-almaty")
	ru := MustCatalog(t).Translator(i18n.RU)
	coming := campaign.YearAt(time.Now())
	inForce := campaign.YearOf(campaign.KindTransfer, time.Now())
	page := "/ru/office/campaign?year=" + strconv.Itoa(inForce)
	label := func(y int) string { return strconv.Itoa(y) + "/" + strconv.Itoa(y + 1)[2:] }

	// The year choice: the school year in force, the coming one (chosen
	// by default) and the one after, as school years; in every language,
	// every field of every service, none of them untranslated.
	for _, lang := range []string{"kk", "ru", "en"} {
		resp := op.get(t, "/"+lang+"/office/campaign")
		checkHTML(t, resp)
		doc := resp.Doc(t)
		var years []string
		doc.Find("#year-choice option").Each(func(_ int, o *goquery.Selection) { years = append(years, o.Text()) })
		if strings.Join(years, " ") != label(inForce)+" "+label(coming)+" "+label(coming+1) ||
			text(doc, "#year-choice option[selected]") != label(coming) {
			t.Errorf("%s: years offered %q, chosen %q", lang, years, text(doc, "#year-choice option[selected]"))
		}
		for _, id := range []string{"transfer_opens", "transfer_closes", "transfer_holidays", "transfer_slip_days",
			"transfer_documents-photo", "grade10_opens", "grade10_documents-report_card", "meals_until",
			"meals_remind_days", "camp_closes", "camp_voucher_days", "transport_opens", "transport_threshold"} {
			if doc.Find("#"+id).Length() != 1 || doc.Find(`label[for="`+id+`"]`).Length() != 1 {
				t.Errorf("%s: no field %s with its label", lang, id)
			}
		}
		if m := untranslated.FindString(text(doc, "body")); m != "" {
			t.Errorf("%s: the page shows the key %q", lang, m)
		}
	}

	// An operator changes the slip's validity, the transport threshold and
	// the autumn holidays of the school year in force.
	doc := op.get(t, page).Doc(t)
	if got := text(doc, "#year-choice option[selected]"); got != label(inForce) {
		t.Fatalf("the school year in force is not chosen: %q", got)
	}
	form := campaignPageForm(doc)
	if form.Get("transport_threshold") != "3000" || form.Get("transfer_slip_days") != "3" {
		t.Fatalf("the model rules are not shown: %v", form)
	}
	autumn := "28.10." + strconv.Itoa(inForce) + " – 03.11." + strconv.Itoa(inForce)
	holidays := strings.Split(form.Get("transfer_holidays"), "\n")
	holidays[1] = autumn
	form.Set("transfer_holidays", strings.Join(holidays, "\n"))
	form.Set("transfer_slip_days", "5")
	form.Set("transport_threshold", "2 000")
	wantRedirect(t, op.post(t, "/ru/office/campaign", form), "/ru/office/campaign?done=campaign&year="+strconv.Itoa(inForce))

	c, err := s.DB.Campaign(context.Background(), "almaty", inForce)
	if err != nil {
		t.Fatal(err)
	}
	autumnPeriod := campaign.Period{From: time.Date(inForce, time.October, 28, 0, 0, 0, 0, time.UTC),
		To: time.Date(inForce, time.November, 3, 0, 0, 0, 0, time.UTC)}
	if c.Transfer.SlipDays != 5 || c.Transport.Threshold != 2000 || len(c.Transfer.Holidays) != 5 ||
		!c.Transfer.Holidays[1].From.Equal(autumnPeriod.From) || !c.Transfer.Holidays[1].To.Equal(autumnPeriod.To) {
		t.Errorf("the rules saved: slip %d days, threshold %d m, holidays %v", c.Transfer.SlipDays, c.Transport.Threshold, c.Transfer.Holidays)
	}
	if !c.Transfer.InHolidays(time.Date(inForce, time.October, 28, 12, 0, 0, 0, time.UTC)) {
		t.Error("28 October is not in the holidays")
	}
	back := campaignPageForm(op.get(t, page).Doc(t))
	if back.Get("transport_threshold") != "2000" || back.Get("transfer_slip_days") != "5" ||
		!strings.Contains(back.Get("transfer_holidays"), autumn) {
		t.Errorf("the page shows after saving: %v", back)
	}
	audit := op.get(t, "/en/office/audit?action=campaign.").Doc(t)
	if body := text(audit, "table.audit tbody"); !strings.Contains(body, `"threshold":2000`) || !strings.Contains(body, `"threshold":3000`) {
		t.Errorf("the audit line lacks the threshold before and after: %.400q", body)
	}

	// Bad values: each refused next to its field, everything typed kept,
	// nothing saved, not even the good change sent with them.
	bad := url.Values{}
	for k, v := range back {
		bad[k] = v
	}
	wrongHolidays := "31.12." + strconv.Itoa(inForce) + " – 01.12." + strconv.Itoa(inForce)
	typed := map[string]string{
		"transfer_slip_days":  "0",
		"transfer_holidays":   back.Get("transfer_holidays") + "\n" + wrongHolidays,
		"camp_opens":          "31.02." + strconv.Itoa(inForce+1),
		"camp_voucher_days":   "31",
		"meals_remind_days":   "121",
		"meals_until":         "01.07." + strconv.Itoa(inForce),
		"transport_threshold": "100",
		"transport_closes":    "01.01." + strconv.Itoa(inForce+3),
		"grade10_closes":      "7",
	}
	for k, v := range typed {
		bad.Set(k, v)
	}
	bad.Del("grade10_documents")
	bad.Set("referral_days", "9") // a good change, not saved with the bad
	from, to := strconv.Itoa(inForce-1), strconv.Itoa(inForce+1)
	want := map[string]string{
		"transfer_slip_days":      ru.T("office.campaign_services.slip_days_invalid"),
		"transfer_holidays":       ru.T("office.campaign_services.holidays_invalid", "From", from, "To", to),
		"camp_opens":              ru.T("office.campaign.date_invalid"),
		"camp_voucher_days":       ru.T("office.campaign_services.voucher_days_invalid"),
		"meals_remind_days":       ru.T("office.campaign_services.remind_days_invalid"),
		"meals_until":             ru.T("office.campaign_services.until_invalid", "From", from, "To", to),
		"transport_threshold":     ru.T("office.campaign_services.threshold_invalid"),
		"transport_closes":        ru.T("office.campaign_services.window_invalid", "From", from, "To", to),
		"grade10_closes":          ru.T("office.campaign.date_invalid"),
		"grade10_documents-photo": ru.T("office.campaign.documents_required"),
	}
	resp := op.post(t, "/ru/office/campaign", bad)
	checkHTML(t, resp)
	doc = resp.Doc(t)
	if resp.Status != http.StatusBadRequest {
		t.Fatalf("bad rules: %d", resp.Status)
	}
	for field, msg := range want {
		if got := text(doc, "#"+field+"-error"); got != msg {
			t.Errorf("%s: refusal %q, want %q", field, got, msg)
		}
		if doc.Find(`.error-summary a[href="#`+field+`"]`).Length() != 1 {
			t.Errorf("%s: not in the error summary", field)
		}
	}
	if n := doc.Find(".field-error").Length(); n != len(want) {
		t.Errorf("%d refusals, want %d: %q", n, len(want), text(doc, ".error-summary"))
	}
	if doc.Find(`#camp_closes[aria-invalid]`).Length() != 0 || doc.Find(`#camp_opens[aria-invalid="true"]`).Length() != 1 {
		t.Error("aria-invalid on the wrong field of the camps' window")
	}
	kept := campaignPageForm(doc)
	for k, v := range typed {
		if got := kept.Get(k); got != v {
			t.Errorf("%s: %q typed, %q shown", k, v, got)
		}
	}
	if kept.Get("referral_days") != "9" || kept.Get("transfer_documents") != back.Get("transfer_documents") {
		t.Errorf("the other fields typed are lost: %v", kept)
	}
	if after, err := s.DB.Campaign(context.Background(), "almaty", inForce); err != nil ||
		after.ReferralDays != c.ReferralDays || after.Transfer.SlipDays != 5 {
		t.Errorf("saved half: referrals %d days, slip %d days, %v", after.ReferralDays, after.Transfer.SlipDays, err)
	}

	// A form of the grade-1 rules alone leaves the services' as saved.
	grade1 := url.Values{}
	for _, k := range []string{"year", "opens", "closes", "age", "late", "class_size", "ratio", "referral_days", "holidays", "documents"} {
		grade1[k] = back[k]
	}
	grade1.Set("class_size", "24")
	wantRedirect(t, op.post(t, "/ru/office/campaign", grade1), "/ru/office/campaign?done=campaign")
	if after, _ := s.DB.Campaign(context.Background(), "almaty", inForce); after.ClassSize != 24 || after.Transport.Threshold != 2000 {
		t.Errorf("after the grade-1 rules alone: class %d, threshold %d", after.ClassSize, after.Transport.Threshold)
	}

	// The camps' window, set on the page, opens and closes the camp
	// wizard's start page.
	today := almatyDay()
	for _, tt := range []struct {
		from, to time.Time
		key      string
	}{
		{time.Date(inForce, time.September, 1, 0, 0, 0, 0, time.UTC), time.Date(inForce+1, time.August, 31, 0, 0, 0, 0, time.UTC), "apply.start.open"},
		{today.AddDate(0, 0, 1), today.AddDate(0, 0, 7), "apply.start.not_open"},
	} {
		form := campaignPageForm(op.get(t, page).Doc(t))
		form.Set("camp_opens", tt.from.Format("02.01.2006"))
		form.Set("camp_closes", tt.to.Format("02.01.2006"))
		wantRedirect(t, op.post(t, "/ru/office/campaign", form), "/ru/office/campaign?done=campaign")
		start := newVisitor(t, s).get(t, "/ru/almaty/apply/camp").Doc(t)
		msg := ru.T(tt.key, "Opens", tt.from.Format("02.01.2006"), "Closes", tt.to.Format("02.01.2006"))
		if got := text(start, ".notice"); got != msg {
			t.Errorf("camps from %s to %s: the start page says %q, want %q", tt.from.Format("02.01"), tt.to.Format("02.01"), got, msg)
		}
	}
}

// TestCampaignServicesStored: the services' rules a department sets
// come back whole from either engine.
func TestCampaignServicesStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.SeedCity(ctx, webtest.Cities()[0]); err != nil {
			t.Fatal(err)
		}
		c := campaign.Default("almaty", 2026)
		c.Transfer.SlipDays, c.Transport.Threshold, c.Camp.VoucherDays, c.Meals.RemindDays = 5, 2000, 7, 14
		c.Transfer.Holidays = c.Transfer.Holidays[:2]
		c.Grade10.Documents = []string{"report_card"}
		if err := db.SaveCampaign(ctx, c, staff.AuditEntry{At: time.Now(), Actor: "test", City: "almaty",
			Action: "campaign.save"}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Campaign(ctx, "almaty", 2026)
		if err != nil {
			t.Fatal(err)
		}
		if got.Transfer.SlipDays != 5 || got.Transport.Threshold != 2000 || got.Camp.VoucherDays != 7 ||
			got.Meals.RemindDays != 14 || len(got.Transfer.Holidays) != 2 || !got.Transfer.Holidays[1].To.Equal(c.Transfer.Holidays[1].To) ||
			strings.Join(got.Grade10.Documents, " ") != "report_card" {
			t.Errorf("read back: %+v", got)
		}
		if bad := got.CheckServices(); len(bad) != 0 {
			t.Errorf("the rules read back break %v", bad)
		}
	})
}

// TestOfficeCampaignServicesBrowser opens the campaign of the school year
// in force in Chromium on a phone's width, in each language, then sends
// it with a threshold too short: axe-core finds no violation either time,
// and the refusal sits at the threshold.
func TestOfficeCampaignServicesBrowser(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces()})
	seedStaff(t, s)
	login := demo.StaffPrefix + "operator-almaty"
	tab := webtest.NewBrowser(t).NewTab(t)
	tab.Do(chromedp.EmulateViewport(390, 844))
	tab.Navigate(s.URL + "/en/office")
	tab.Do(chromedp.SendKeys(chromedp.CSS("#login"), login), chromedp.SendKeys(chromedp.CSS("#password"), demo.StaffPassword))
	tab.Follow(chromedp.Click(chromedp.CSS("main form button[type=submit]")))
	tab.Do(chromedp.SendKeys(chromedp.CSS("#code"), freshCode(t, login)))
	tab.Follow(chromedp.Click(chromedp.CSS("main form button[type=submit]")))

	year := strconv.Itoa(campaign.YearOf(campaign.KindTransfer, time.Now()))
	for _, lang := range []string{"kk", "ru", "en"} {
		tab.Navigate(s.URL + "/" + lang + "/office/campaign?year=" + year)
		tab.MustBeAccessible()
		if wide := webtest.Eval[bool](tab, `document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`); wide {
			t.Errorf("%s: the campaign page is wider than a phone", lang)
		}
		tab.Do(chromedp.SetValue(chromedp.CSS("#transport_threshold"), "12"))
		tab.Follow(chromedp.Click(chromedp.CSS("form.cabinet-form button[type=submit]")))
		tab.MustBeAccessible()
		want := MustCatalog(t).Translator(i18n.Lang(lang)).T("office.campaign_services.threshold_invalid")
		if got := strings.TrimSpace(tab.Text("#transport_threshold-error")); got != want {
			t.Errorf("%s: the threshold's refusal %q, want %q", lang, got, want)
		}
	}
}
