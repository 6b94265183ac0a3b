package web_test

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"sakura/internal/account"
	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/demo"
	"sakura/internal/i18n"
	"sakura/internal/web/webtest"
)

// childrenFixture is the office fixture's mother with two applications for
// her son decided by Almaty's operator: the grade-1 application accepted
// and given a referral, then a quota application refused with its reason.
type childrenFixture struct {
	*officeFixture
	grade1, quota application.Application
	referral      admission.Referral
}

func newChildrenFixture(t *testing.T) *childrenFixture {
	t.Helper()
	f := &childrenFixture{officeFixture: newOfficeFixture(t)}
	ctx := context.Background()
	s := f.s
	mother, _, son := demoFamily(t)
	staffer, err := s.Staff.UserByLogin(ctx, demo.StaffPrefix+"operator-almaty")
	if err != nil {
		t.Fatal(err)
	}
	decide := func(id int64, d admission.Decision) {
		t.Helper()
		if _, err := s.Admission.Decide(ctx, staffer, id, d, account.Client{}); err != nil {
			t.Fatalf("%s: %v", d.Action, err)
		}
	}
	decide(f.app, admission.Decision{Action: admission.Accept})
	decide(f.app, admission.Decision{Action: admission.Issue})
	f.quota = fileDirect(t, s, accountOf(t, s, mother), son, f.schoolB, application.Quota, 0)
	decide(f.quota.ID, admission.Decision{Action: admission.Refuse, Reason: "incomplete_documents", Comment: "Нет справки 065"})

	if f.grade1, err = s.DB.Application(ctx, f.app); err != nil {
		t.Fatal(err)
	}
	if f.referral, err = s.DB.ApplicationReferral(ctx, f.app); err != nil {
		t.Fatal(err)
	}
	return f
}

// childPath is where an application's card sends the parent for the
// child's timeline: /{lang}/cabinet/applications/{id}/child redirects to
// /{lang}/cabinet/children/{n}.
func childPath(t *testing.T, v *visitor, lang string, app int64) string {
	t.Helper()
	resp := v.get(t, "/"+lang+"/cabinet/applications/"+strconv.FormatInt(app, 10)+"/child")
	to := resp.Header.Get("Location")
	if resp.Status != 303 || !strings.HasPrefix(to, "/"+lang+"/cabinet/children/") {
		t.Fatalf("the card's way to the child: %d to %q", resp.Status, to)
	}
	return to
}

// childEntries returns a child's timeline, an entry a line: its time, what
// happened, the reason, the link and where it goes.
func childEntries(doc *goquery.Document) [][]string {
	var out [][]string
	doc.Find(".child-timeline li").Each(func(_ int, li *goquery.Selection) {
		out = append(out, []string{within(li, ".entry-text"), within(li, ".reason"), within(li, "a"),
			li.Find("a").AttrOr("href", "")})
	})
	return out
}

// TestCabinetChildren: the parent's children, each linked by its place in
// the list and never by its IIN; a child's timeline, newest first, with
// the applications filed, their decisions (a refusal with its reason and
// comment) and the referral, each linking its card, in each language; an
// empty timeline said so; and nothing of one parent's child reachable by
// another.
func TestCabinetChildren(t *testing.T) {
	f := newChildrenFixture(t)
	cat := MustCatalog(t)
	_, _, son := demoFamily(t)
	page := childPath(t, f.parent, "en", f.grade1.ID)
	if got := childPath(t, f.parent, "en", f.quota.ID); got != page {
		t.Errorf("two applications for one child lead to %s and %s", page, got)
	}

	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) {
			tr := cat.Translator(lang)
			l := string(lang)
			path := "/" + l + strings.TrimPrefix(page, "/en")

			// The list names the son, masked, with the link to his page.
			resp := f.parent.get(t, "/"+l+"/cabinet/children")
			if resp.Status != 200 || resp.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("list: %d, Cache-Control %q", resp.Status, resp.Header.Get("Cache-Control"))
			}
			checkHTML(t, resp)
			doc := resp.Doc(t)
			if text(doc, "h1") != tr.T("cabinet.nav.children") ||
				text(doc, ".cabinet-nav a[aria-current]") != tr.T("cabinet.nav.children") {
				t.Errorf("list h1 %q, navigation %q", text(doc, "h1"), text(doc, ".cabinet-nav a[aria-current]"))
			}
			link := doc.Find(`.children a[href="` + path + `"]`)
			if link.Length() != 1 || link.Text() != f.grade1.ChildName {
				t.Errorf("the list links %q to %s: %q", f.grade1.ChildName, path, text(doc, ".children"))
			}
			if strings.Contains(resp.Body, son) {
				t.Error("the list shows the child's IIN")
			}

			// The child's page: every entry, newest first.
			resp = f.parent.get(t, path)
			checkHTML(t, resp)
			doc = resp.Doc(t)
			if got := text(doc, "h1"); got != tr.T("children.title", "Name", f.grade1.ChildName) {
				t.Errorf("child h1 %q", got)
			}
			g1 := "/" + l + "/cabinet/applications/" + strconv.FormatInt(f.grade1.ID, 10)
			q := "/" + l + "/cabinet/applications/" + strconv.FormatInt(f.quota.ID, 10)
			ref := "/" + l + "/cabinet/referrals/" + strconv.FormatInt(f.referral.ID, 10)
			appLink := func(a application.Application) string {
				return tr.T("children.link.application", "Number", string(a.Number))
			}
			want := [][]string{
				{tr.T("status.refused"), tr.T("myapps.reason") + " " + tr.T("admission.reason.incomplete_documents") + ". Нет справки 065",
					appLink(f.quota), q},
				{tr.T("children.filed"), "", appLink(f.quota), q},
				{tr.T("children.issued.referral", "Until", f.referral.ValidUntil.Format("02.01.2006")), "",
					tr.T("children.link.referral", "Number", f.referral.Number), ref},
				{tr.T("status.referral"), "", appLink(f.grade1), g1},
				{tr.T("status.accepted"), "", appLink(f.grade1), g1},
				{tr.T("children.filed"), "", appLink(f.grade1), g1},
			}
			if got := childEntries(doc); !slices.EqualFunc(got, want, slices.Equal) {
				t.Errorf("timeline\n got %q\nwant %q", got, want)
			}
			if got := text(doc, ".child-timeline li .muted"); got != "· "+tr.T("service.grade1.title") {
				t.Errorf("the service of an entry: %q", got)
			}
			if strings.Contains(resp.Body, son) {
				t.Error("the child's page shows the IIN")
			}
		})
	}

	// The card leads to the timeline.
	card := f.parent.get(t, "/ru/cabinet/applications/"+strconv.FormatInt(f.grade1.ID, 10)).Doc(t)
	if card.Find(`#child-timeline[href$="/`+strconv.FormatInt(f.grade1.ID, 10)+`/child"]`).Length() != 1 {
		t.Error("the application's card does not link the child's timeline")
	}

	// Places that hold no child, and ids that are no place, are not found.
	missing := f.parent.get(t, "/en/cabinet/children/999")
	if missing.Status != 404 {
		t.Fatalf("/children/999: %d", missing.Status)
	}
	for _, id := range []string{"0", "-1", "01", "one", url.PathEscape(son)} {
		if resp := f.parent.get(t, "/en/cabinet/children/"+id); resp.Status != 404 {
			t.Errorf("/children/%s: %d, want 404", id, resp.Status)
		}
	}

	// Another parent: her own children, with empty timelines; the
	// mother's child is nowhere, and the way from the mother's card is 404.
	other, phone := otherDemoParent(t)
	stranger := signUp(t, f.s, "en", other, phone, "quiet river at dawn")
	en := cat.Translator(i18n.EN)
	list := stranger.get(t, "/en/cabinet/children").Doc(t)
	n := list.Find(".children a").Length()
	if n == 0 {
		t.Fatalf("the other parent has no children: %q", text(list, "main"))
	}
	for i := 1; i <= n; i++ {
		resp := stranger.get(t, "/en/cabinet/children/"+strconv.Itoa(i))
		doc := resp.Doc(t)
		if resp.Status != 200 || text(doc, ".empty") != en.T("children.empty") || doc.Find(".child-timeline").Length() != 0 {
			t.Errorf("the other parent's child %d: %d %q", i, resp.Status, text(doc, "main"))
		}
		if strings.Contains(resp.Body, string(f.grade1.Number)) {
			t.Errorf("the other parent's child %d shows the mother's application", i)
		}
	}
	for name, resp := range map[string]*webtest.Response{
		"a place past the other parent's list": stranger.get(t, "/en/cabinet/children/"+strconv.Itoa(n+1)),
		"the way from the mother's card":       stranger.get(t, "/en/cabinet/applications/"+strconv.FormatInt(f.grade1.ID, 10)+"/child"),
	} {
		if resp.Status != 404 || text(resp.Doc(t), "main") != text(missing.Doc(t), "main") {
			t.Errorf("%s: %d, want the 404 of a missing one", name, resp.Status)
		}
	}
}

// TestCabinetChildrenNeedSession: without a session the pages go to the
// sign-in.
func TestCabinetChildrenNeedSession(t *testing.T) {
	s := webtest.Start(t, webtest.Options{})
	v := newVisitor(t, s)
	for _, path := range []string{"/en/cabinet/children", "/ru/cabinet/children/1", "/kk/cabinet/applications/1/child"} {
		wantRedirect(t, v.get(t, path), "/"+path[1:3]+"/cabinet?signin=ended")
	}
}

// TestCabinetChildrenBrowser: axe-core finds nothing on the list of
// children, a child's timeline and an empty one, in each language, reached
// by clicking.
func TestCabinetChildrenBrowser(t *testing.T) {
	f := newChildrenFixture(t)
	b := webtest.NewBrowser(t)
	mother, _, _ := demoFamily(t)
	cat := MustCatalog(t)
	tab := b.NewTab(t)
	signInBrowser(t, tab, f.s, "en", mother, "white mountain tea 2026")

	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) {
			tr := cat.Translator(lang)
			got := openChildTimeline(t, tab, f.s.URL, lang, f.grade1.ID)
			if len(got) != 6 || got[0] != tr.T("status.refused") || got[5] != tr.T("children.filed") {
				t.Errorf("the timeline reads %q", got)
			}
			tab.MustBeAccessible()

			tab.Navigate(f.s.URL + "/" + string(lang) + "/cabinet/children")
			tab.MustBeAccessible()
			tab.Follow(chromedp.Click(chromedp.CSS(".children li:last-child a")))
			if !strings.Contains(tab.Location(), "/cabinet/children/") {
				t.Fatalf("the list's link leads to %s", tab.Location())
			}
			tab.MustBeAccessible()
		})
	}

	// An empty timeline, as another parent's child has.
	other, phone := otherDemoParent(t)
	signUp(t, f.s, "en", other, phone, "quiet river at dawn")
	empty := b.NewTab(t)
	signInBrowser(t, empty, f.s, "kk", other, "quiet river at dawn")
	empty.Navigate(f.s.URL + "/kk/cabinet/children/1")
	if got := empty.Text(".empty"); got != cat.Translator(i18n.KK).T("children.empty") {
		t.Errorf("an empty timeline reads %q", got)
	}
	empty.MustBeAccessible()
}

// openChildTimeline opens, in a signed-in parent's tab, the timeline of
// the child an application is for, as the application card's link does
// (/{lang}/cabinet/applications/{id}/child redirects to
// /{lang}/cabinet/children/{n}), and returns what each entry says, newest
// first.
func openChildTimeline(t *testing.T, tab *webtest.Tab, base string, lang i18n.Lang, app int64) []string {
	t.Helper()
	tab.Navigate(base + "/" + string(lang) + "/cabinet/applications/" + strconv.FormatInt(app, 10) + "/child")
	if !strings.Contains(tab.Location(), "/"+string(lang)+"/cabinet/children/") {
		t.Fatalf("the child's timeline of application %d: at %s", app, tab.Location())
	}
	return webtest.Eval[[]string](tab, `Array.from(document.querySelectorAll(".child-timeline .entry-text"), e => e.textContent)`)
}

// otherDemoParent is a parent of the demo Almaty, with a phone and linked
// children, who is not the office fixture's mother.
func otherDemoParent(t *testing.T) (iin, phone string) {
	t.Helper()
	mother, _, _ := demoFamily(t)
	phones := map[string]string{}
	for _, p := range demoPlaces()[0].People {
		phones[p.IIN] = p.Phone
	}
	for _, l := range demoPlaces()[0].Links {
		if l.ParentIIN != mother && phones[l.ParentIIN] != "" {
			return l.ParentIIN, phones[l.ParentIIN]
		}
	}
	t.Fatal("no other demo parent")
	return "", ""
}

// TestCabinetChildrenKeys checks the keys a child's timeline builds from
// codes: each kind of referral issued, used and expired, with its link,
// and each movement of a personal file.
func TestCabinetChildrenKeys(t *testing.T) {
	cat := MustCatalog(t)
	keys := []string{"children.filed", "children.left_for", "children.link.application", "cabinet.children.empty",
		"cabinet.children.start"}
	for _, k := range []admission.RefKind{admission.RefReferral, admission.RefSlip, admission.RefVoucher} {
		keys = append(keys, "children.link."+string(k))
		for _, event := range []admission.ReferralStatus{admission.RefIssued, admission.RefUsed, admission.RefExpired} {
			keys = append(keys, "children."+string(event)+"."+string(k))
		}
	}
	for _, m := range []admission.MovementKind{admission.Enrolled, admission.Left} {
		keys = append(keys, "files.movement."+string(m))
	}
	for _, key := range keys {
		if !cat.Has(key) {
			t.Errorf("%q is in no catalogue", key)
		}
	}
}
