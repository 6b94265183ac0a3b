package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"sakura/internal/account"
	"sakura/internal/application"
	"sakura/internal/document"
	"sakura/internal/i18n"
	"sakura/internal/iin/iintest"
	"sakura/internal/web/webtest"
)

// accountOf returns the id of the account of a parent who has signed up.
func accountOf(t *testing.T, s *webtest.Server, iin string) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := s.DB.Tx(ctx, func(tx account.Tx) error {
		a, err := tx.AccountByIIN(ctx, iin)
		id = a.ID
		return err
	})
	if err != nil {
		t.Fatalf("account of the parent: %v", err)
	}
	return id
}

// onePagePDF is a real, empty one-page PDF with a correct cross-reference
// table, as a scanner's would be after the document check.
func onePagePDF() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// storePDF checks a PDF as an upload is checked, stores it and returns
// the application's reference to it with the bytes stored.
func storePDF(t *testing.T, s *webtest.Server, name string) (application.Document, []byte) {
	t.Helper()
	f, err := document.Check(document.Medical, onePagePDF())
	if err != nil {
		t.Fatalf("check the PDF: %v", err)
	}
	key := document.NewKey()
	if err := s.Documents.Put(context.Background(), key, f.Data); err != nil {
		t.Fatal(err)
	}
	return application.Document{Kind: string(document.Medical), Key: key, Name: name,
		ContentType: f.ContentType, Size: f.Size}, f.Data
}

// submit files an application for an account through the store, as the
// wizard does: a draft, then its submission.
func submit(t *testing.T, s *webtest.Server, acc int64, kind application.Kind, answers application.Answers,
	at time.Time) application.Application {
	t.Helper()
	ctx := context.Background()
	id := fmt.Sprintf("draft-%d-%s-%d", acc, kind, at.UnixNano())
	err := s.DB.SaveDraft(ctx, application.Draft{ID: id, City: "almaty", Kind: kind, AccountID: acc,
		Answers: answers, Done: []string{"review"}, CreatedAt: at, UpdatedAt: at})
	if err != nil {
		t.Fatalf("save draft: %v", err)
	}
	a, _, err := s.DB.Submit(ctx, application.Submission{DraftID: id, City: "almaty", CityCode: "ALA", Kind: kind,
		Year: 2027, Basis: answers.Basis, Account: acc, Child: answers.ChildKey(), SchoolID: answers.SchoolID,
		Answers: answers, At: at})
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return a
}

// myApplications files two applications for the mother of the test data
// (webtest.TeacherCities, whose Almaty has schools 11 and 12), the older
// one with a PDF: it returns her visitor, signed in, the
// applications (older first) and the PDF's bytes.
func myApplications(t *testing.T, s *webtest.Server) (*visitor, []application.Application, []byte) {
	t.Helper()
	mother, _, _ := parents(t)
	v := signUp(t, s, "en", mother[0], mother[1], "white mountain tea 2026")
	acc := accountOf(t, s, mother[0])

	doc, pdf := storePDF(t, s, "Анықтама 065.pdf")
	grade1 := submit(t, s, acc, application.Grade1, application.Answers{
		Consents: []string{"data", "rules", "truth", "notify"},
		Phone:    "+77010000001", ExtraPhone: "+77025551234", Email: "aigul@example.kz",
		ChildIIN: iintest.Must(t, 2020, 5, 10, true), Address: "г. Алматы, пр. Абая, 10",
		Language: "kk", SchoolID: 11, Basis: application.Catchment,
		Documents: []application.Document{doc}, Channel: "sms", NotifyLang: "ru",
	}, time.Date(2027, 4, 1, 4, 0, 1, 0, time.UTC))
	transfer := submit(t, s, acc, application.Transfer, application.Answers{
		Phone: "+77010000001", ChildNoIIN: true, ChildSurname: "Ахметова", ChildName: "Әлия",
		ChildBirthDate: time.Date(2016, 2, 29, 0, 0, 0, 0, time.UTC), SchoolID: 12,
	}, time.Date(2027, 6, 10, 9, 30, 0, 0, time.UTC))
	return v, []application.Application{grade1, transfer}, pdf
}

// TestCabinetApplications: the list of a parent's applications in each
// language, the card with the answers, the documents and the timeline, the
// download of a document, and the withdrawal with its confirmation; another
// parent finds none of it.
func TestCabinetApplications(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: webtest.TeacherCities()})
	cat := MustCatalog(t)
	en := cat.Translator(i18n.EN)
	v, apps, pdf := myApplications(t, s)
	grade1, transfer := apps[0], apps[1]
	card := "/en/cabinet/applications/" + strconv.FormatInt(grade1.ID, 10)

	// The list, newest first, in each language.
	for _, lang := range i18n.Langs {
		t.Run("list "+string(lang), func(t *testing.T) {
			tr := cat.Translator(lang)
			resp := v.get(t, "/"+string(lang)+"/cabinet/applications")
			if resp.Status != 200 || resp.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("status %d, Cache-Control %q", resp.Status, resp.Header.Get("Cache-Control"))
			}
			checkHTML(t, resp)
			doc := resp.Doc(t)
			var got [][]string
			doc.Find(".applications .application").Each(func(_ int, li *goquery.Selection) {
				got = append(got, []string{within(li, ".application-number a"), li.Find(".application-number a").AttrOr("href", ""),
					within(li, ".application-kind"), within(li, ".facts dd"), within(li, ".status"), within(li, "time")})
			})
			want := [][]string{
				{tr.T("myapps.number", "Number", string(transfer.Number)),
					"/" + string(lang) + "/cabinet/applications/" + strconv.FormatInt(transfer.ID, 10),
					tr.T("service.transfer.title"), schoolNamed(lang, 35), tr.T("status.submitted"), "10.06.2027 14:30"},
				{tr.T("myapps.number", "Number", string(grade1.Number)),
					"/" + string(lang) + "/cabinet/applications/" + strconv.FormatInt(grade1.ID, 10),
					tr.T("service.grade1.title"), schoolNamed(lang, 12), tr.T("status.submitted"), "01.04.2027 09:00"},
			}
			if !slices.EqualFunc(got, want, slices.Equal) {
				t.Errorf("applications\n got %q\nwant %q", got, want)
			}
			if text(doc, ".cabinet-nav a[aria-current]") != tr.T("cabinet.nav.applications") {
				t.Error("the navigation does not mark my applications")
			}
		})
	}
	if got := cat.Translator(i18n.RU).T("status.submitted"); got != "Подана" {
		t.Errorf("ru submitted reads %q", got)
	}

	// The card: every answer readable, the child's IIN masked.
	resp := v.get(t, card)
	checkHTML(t, resp)
	doc := resp.Doc(t)
	if got := text(doc, "h1"); got != en.T("myapps.card.title", "Number", string(grade1.Number)) {
		t.Errorf("card h1 %q", got)
	}
	answers := map[string]string{}
	doc.Find(".answers > div").Each(func(_ int, d *goquery.Selection) { answers[within(d, "dt")] = within(d, "dd") })
	childIIN := grade1.Answers.ChildIIN
	for label, want := range map[string]string{
		"myapps.answer.consents":    en.N("myapps.answer.consents_given", 4),
		"myapps.answer.phone":       "+77010000001",
		"myapps.answer.extra_phone": "+77025551234",
		"myapps.answer.email":       "aigul@example.kz",
		"myapps.answer.child_iin":   childIIN[:4] + "******" + childIIN[10:],
		"myapps.answer.address":     "г. Алматы, пр. Абая, 10",
		"myapps.answer.language":    en.T("school.lang.kk"),
		"myapps.answer.school":      "School-gymnasium No. 12",
		"myapps.answer.basis":       en.T("myapps.basis.catchment"),
		"myapps.answer.notify":      en.T("cabinet.channel.sms") + ", Русский",
	} {
		if got := answers[en.T(label)]; got != want {
			t.Errorf("answer %s: %q, want %q", label, got, want)
		}
	}
	if strings.Contains(resp.Body, childIIN) {
		t.Error("the card shows the child's IIN in full")
	}
	link := doc.Find(".documents a")
	if link.Length() != 1 || link.Text() != "Анықтама 065.pdf" || link.AttrOr("href", "") != card+"/documents/1" {
		t.Errorf("documents: %d, %q to %q", link.Length(), link.Text(), link.AttrOr("href", ""))
	}
	if got, want := text(doc, ".documents .muted"), en.T("myapps.document.medical")+", "+en.T("myapps.size.kb", "Size", "1"); got != want {
		t.Errorf("document details %q, want %q", got, want)
	}
	if got := timeline(doc); !slices.Equal(got, []string{"01.04.2027 09:00 " + en.T("status.submitted")}) {
		t.Errorf("timeline %q", got)
	}
	if doc.Find(`form[action="`+card+`/withdraw"]`).Length() != 1 {
		t.Error("no withdraw form on an application under way")
	}

	// A child without an IIN is named, with the birth date.
	other := v.get(t, "/en/cabinet/applications/"+strconv.FormatInt(transfer.ID, 10)).Doc(t)
	if got := other.Find(".answers dd").Eq(1).Text(); got != "Ахметова Әлия, 29.02.2016" {
		t.Errorf("child without IIN: %q", got)
	}
	if other.Find(".documents").Length() != 0 || text(other, "#documents-title + .empty") != en.T("myapps.documents.none") {
		t.Error("an application without documents does not say so")
	}

	// The download: the exact bytes, as an attachment, never cached.
	resp = v.get(t, card+"/documents/1")
	if resp.Status != 200 || resp.Body != string(pdf) {
		t.Fatalf("download: %d, %d bytes, want the %d stored", resp.Status, len(resp.Body), len(pdf))
	}
	disposition, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	if err != nil || disposition != "attachment" || params["filename"] != "Анықтама 065.pdf" {
		t.Errorf("Content-Disposition %q: %v", resp.Header.Get("Content-Disposition"), err)
	}
	for name, want := range map[string]string{"Content-Type": "application/pdf", "Cache-Control": "no-store",
		"X-Content-Type-Options": "nosniff"} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("download %s: %q, want %q", name, got, want)
		}
	}
	for _, path := range []string{card + "/documents/2", card + "/documents/0", card + "/documents/one"} {
		if got := v.get(t, path).Status; got != 404 {
			t.Errorf("GET %s: %d, want 404", path, got)
		}
	}

	// Another parent, and ids that name nothing, all get the same 404.
	_, father, _ := parents(t)
	stranger := signUp(t, s, "en", father[0], father[1], "quiet river at dawn")
	missing := v.get(t, "/en/cabinet/applications/999999")
	if missing.Status != 404 {
		t.Fatalf("missing application: %d", missing.Status)
	}
	for name, resp := range map[string]*webtest.Response{
		"another parent's card":     stranger.get(t, card),
		"another parent's document": stranger.get(t, card+"/documents/1"),
		"another parent's withdraw": stranger.post(t, card+"/withdraw", url.Values{"confirm": {"yes"}}),
		"an id that is no number":   v.get(t, "/en/cabinet/applications/ALA-G1-2027-00001"),
	} {
		if resp.Status != 404 || text(resp.Doc(t), "main") != text(missing.Doc(t), "main") {
			t.Errorf("%s: %d %q, want the 404 of a missing one", name, resp.Status, text(resp.Doc(t), "main"))
		}
	}
	emptyList := stranger.get(t, "/en/cabinet/applications").Doc(t)
	if text(emptyList, ".empty") != en.T("cabinet.applications.empty") || emptyList.Find(".application").Length() != 0 {
		t.Errorf("another parent sees %q", text(emptyList, "main"))
	}

	// Withdrawing asks first, and changes nothing until confirmed.
	resp = v.post(t, card+"/withdraw", nil)
	checkHTML(t, resp)
	doc = resp.Doc(t)
	if resp.Status != 200 || text(doc, "h1") != en.T("myapps.withdraw.title", "Number", string(grade1.Number)) ||
		doc.Find(`form[action="`+card+`/withdraw"] input[name="confirm"][value="yes"]`).Length() != 1 {
		t.Fatalf("confirmation page: %d %q", resp.Status, text(doc, "h1"))
	}
	if a, err := s.DB.Application(context.Background(), grade1.ID); err != nil || a.Status != application.Submitted {
		t.Fatalf("before confirming: %s, %v", a.Status, err)
	}
	wantRedirect(t, v.post(t, card+"/withdraw", url.Values{"confirm": {"yes"}}), card+"?done=withdrawn")

	doc = v.get(t, card+"?done=withdrawn").Doc(t)
	if got := text(doc, ".flash"); got != en.T("myapps.withdrawn") {
		t.Errorf("flash %q", got)
	}
	if got := text(doc, "#status"); got != en.T("status.withdrawn") {
		t.Errorf("status %q", got)
	}
	if got := timeline(doc); len(got) != 2 || !strings.HasSuffix(got[1], en.T("status.withdrawn")) {
		t.Errorf("timeline %q", got)
	}
	if doc.Find(".withdraw-form").Length() != 0 {
		t.Error("a withdrawn application can still be withdrawn")
	}
	feed := v.get(t, "/en/cabinet").Doc(t).Find(".feed .event-text").Map(func(_ int, e *goquery.Selection) string { return e.Text() })
	if want := en.T("cabinet.event.application_withdrawn", "number", string(grade1.Number)); !slices.Contains(feed, want) {
		t.Errorf("the feed lacks %q: %q", want, feed)
	}

	// A second withdrawal is refused, with the reason.
	for _, form := range []url.Values{{"confirm": {"yes"}}, nil} {
		resp = v.post(t, card+"/withdraw", form)
		if resp.Status != http.StatusConflict || !strings.Contains(text(resp.Doc(t), "main"), en.T("application.not_withdrawable")) {
			t.Errorf("second withdrawal: %d %q", resp.Status, text(resp.Doc(t), "main"))
		}
	}
}

// TestCabinetApplicationsNeedSession: the pages of applications send
// anyone not signed in to the sign-in page, and the withdraw form answers
// 401.
func TestCabinetApplicationsNeedSession(t *testing.T) {
	s := webtest.Start(t, webtest.Options{})
	v := newVisitor(t, s)
	for _, path := range []string{"/en/cabinet/applications", "/ru/cabinet/applications/1", "/kk/cabinet/applications/1/documents/1"} {
		wantRedirect(t, v.get(t, path), "/"+path[1:3]+"/cabinet?signin=ended")
	}
	if resp := v.post(t, "/en/cabinet/applications/1/withdraw", url.Values{"confirm": {"yes"}}); resp.Status != http.StatusUnauthorized {
		t.Errorf("withdraw without a session: %d, want 401", resp.Status)
	}
}

// TestCabinetApplicationsBrowser: axe-core finds nothing on the list, the
// card and the withdrawal's confirmation, reached by clicking.
func TestCabinetApplicationsBrowser(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: webtest.TeacherCities()})
	b := webtest.NewBrowser(t)
	ru := MustCatalog(t).Translator(i18n.RU)
	_, apps, _ := myApplications(t, s)
	mother, _, _ := parents(t)
	tab := b.NewTab(t)

	tab.Navigate(s.URL + "/ru/cabinet")
	tab.Do(
		chromedp.SendKeys(chromedp.CSS("#iin"), mother[0]),
		chromedp.SendKeys(chromedp.CSS("#password"), "white mountain tea 2026"),
	)
	tab.Follow(chromedp.Click(chromedp.CSS("form.cabinet-form button[type=submit]")))

	tab.Navigate(s.URL + "/ru/cabinet/applications")
	tab.MustBeAccessible()
	card := "/ru/cabinet/applications/" + strconv.FormatInt(apps[0].ID, 10)
	tab.Follow(chromedp.Click(chromedp.CSS(`.application-number a[href="` + card + `"]`)))
	if got := tab.Text("h1"); got != ru.T("myapps.card.title", "Number", string(apps[0].Number)) {
		t.Fatalf("card h1 %q at %s", got, tab.Location())
	}
	tab.MustBeAccessible()

	tab.Follow(chromedp.Click(chromedp.CSS(".withdraw-form button")))
	if got := tab.Text("h1"); got != ru.T("myapps.withdraw.title", "Number", string(apps[0].Number)) {
		t.Fatalf("confirmation h1 %q", got)
	}
	tab.MustBeAccessible()
	tab.Follow(chromedp.Click(chromedp.CSS(".withdraw-form button")))
	if got := tab.Text("#status"); got != ru.T("status.withdrawn") || got != "Отозвана" {
		t.Errorf("status after withdrawing %q", got)
	}
	tab.MustBeAccessible()
}

// schoolNamed is the name of a school of webtest.TeacherCities by its number.
func schoolNamed(lang i18n.Lang, number int) string {
	return map[i18n.Lang]string{
		i18n.KK: fmt.Sprintf("№ %d мектеп-гимназиясы", number),
		i18n.RU: fmt.Sprintf("Школа-гимназия № %d", number),
		i18n.EN: fmt.Sprintf("School-gymnasium No. %d", number),
	}[lang]
}

// within returns the text of the first element under sel matching
// selector, spaces collapsed.
func within(sel *goquery.Selection, selector string) string {
	return strings.Join(strings.Fields(sel.Find(selector).First().Text()), " ")
}

// timeline returns the card's timeline, an entry a line: time and status.
func timeline(doc *goquery.Document) []string {
	return doc.Find(".timeline li").Map(func(_ int, li *goquery.Selection) string {
		return strings.Join(strings.Fields(li.Text()), " ")
	})
}

// TestCabinetApplicationKeys checks the keys the applications' pages build
// from codes: every status, kind, basis and document kind, the events and
// the refusal of a withdrawal.
func TestCabinetApplicationKeys(t *testing.T) {
	cat := MustCatalog(t)
	keys := []string{"application.not_withdrawable", "cabinet.event.application_submitted",
		"cabinet.event.application_withdrawn", "myapps.withdrawn", "myapps.size.kb", "myapps.size.mb"}
	statuses := append(slices.Clone(application.ActiveStatuses),
		application.Enrolled, application.Refused, application.Withdrawn, application.Expired)
	for _, s := range statuses {
		keys = append(keys, "status."+string(s))
	}
	for _, k := range application.Kinds {
		keys = append(keys, "service."+string(k)+".title")
	}
	for _, b := range []application.Basis{application.Catchment, application.Quota} {
		keys = append(keys, "myapps.basis."+string(b))
	}
	for _, k := range []document.Kind{document.Photo, document.Medical, document.BirthCertificate} {
		keys = append(keys, "myapps.document."+string(k))
	}
	for _, key := range keys {
		if !cat.Has(key) {
			t.Errorf("%q is in no catalogue", key)
		}
	}
}
