package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"sakura/internal/i18n"
	"sakura/internal/notify"
	"sakura/internal/web/webtest"
)

// TestDemoOff checks that without demo mode the demo paths do not exist and
// no page shows the banner.
func TestDemoOff(t *testing.T) {
	s := webtest.Start(t, webtest.Options{})
	for _, path := range []string{"/dev/people.json", "/dev/outbox.json", "/dev/outbox"} {
		if got := s.Get(t, path).Status; got != 404 {
			t.Errorf("GET %s = %d without demo mode, want 404", path, got)
		}
	}
	if n := s.Get(t, "/kk/almaty/").Doc(t).Find(".demo-banner").Length(); n != 0 {
		t.Error("the demo banner shows without demo mode")
	}
}

func TestDemoBanner(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true})
	cat := MustCatalog(t)
	for _, path := range []string{
		"/", "/ru/almaty/", "/en/astana/apply/camp", "/kk/cabinet", "/nowhere", "/dev/outbox",
	} {
		doc := s.Get(t, path).Doc(t)
		lang := doc.Find("html").AttrOr("lang", "")
		want := cat.Translator(i18n.Lang(lang)).T("demo.banner")
		if got := text(doc, "header .demo-banner"); got == "" || got[:len(want)] != want {
			t.Errorf("%s: banner %q, want it to start %q", path, got, want)
		}
	}
}

func TestDevPeople(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true})
	resp := s.Get(t, "/dev/people.json")
	var got []struct {
		IIN       string `json:"iin"`
		Name      string `json:"name"`
		Surname   string `json:"surname"`
		GivenName string `json:"given_name"`
		Role      string `json:"role"`
		Phone     string `json:"phone"`
	}
	if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
		t.Fatalf("%v in %s", err, resp.Body)
	}
	if len(got) != 4 || got[3].Role != "child" {
		t.Errorf("people %+v, want three parents, then a child", got)
	}
	for _, p := range got[:min(3, len(got))] {
		if p.Role != "parent" || p.Phone == "" {
			t.Errorf("person %+v: want a parent with a phone", p)
		}
	}
	for _, p := range got {
		if !strings.HasPrefix(p.Name, p.Surname+" "+p.GivenName) {
			t.Errorf("person %+v: name is not the full name", p)
		}
		if len(p.IIN) != 12 || p.GivenName == "" || p.Surname == "" {
			t.Errorf("person %+v lacks an IIN or a name", p)
		}
	}
}

func TestDevOutbox(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true})
	cat := MustCatalog(t)

	// Empty: [] and a page that says why.
	if body := s.Get(t, "/dev/outbox.json").Body; body != "[]\n" {
		t.Errorf("empty outbox: %q, want []", body)
	}
	doc := s.Get(t, "/dev/outbox", "Accept-Language", "ru").Doc(t)
	if got, want := text(doc, "main .notice"), cat.Translator(i18n.RU).T("outbox.empty"); got != want {
		t.Errorf("empty outbox page says %q, want %q", got, want)
	}

	ctx := context.Background()
	at := time.Date(2026, 6, 1, 9, 30, 0, 0, time.UTC)
	for i, m := range []notify.Message{
		{To: "+77010000001", Channel: notify.SMS, Body: "Растау коды: 1234", CreatedAt: at},
		{To: "ata@example.kz", Channel: notify.Email, Body: "Өтініш берілді", CreatedAt: at.Add(time.Minute)},
	} {
		if err := s.DB.Deliver(ctx, m); err != nil {
			t.Fatalf("deliver %d: %v", i, err)
		}
	}

	var got []notify.Message
	if err := json.Unmarshal([]byte(s.Get(t, "/dev/outbox.json").Body), &got); err != nil {
		t.Fatal(err)
	}
	want := []notify.Message{
		{To: "ata@example.kz", Channel: notify.Email, Body: "Өтініш берілді", CreatedAt: at.Add(time.Minute)},
		{To: "+77010000001", Channel: notify.SMS, Body: "Растау коды: 1234", CreatedAt: at},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("outbox mismatch (-want +got):\n%s", diff)
	}

	doc = s.Get(t, "/dev/outbox?lang=en").Doc(t)
	var rows [][]string
	doc.Find("ol.messages > li").Each(func(_ int, li *goquery.Selection) {
		var row []string
		li.Find("dd").Each(func(_ int, dd *goquery.Selection) { row = append(row, dd.Text()) })
		rows = append(rows, row)
	})
	wantRows := [][]string{
		{"2026-06-01 14:31:00", "E-mail", "ata@example.kz", "Өтініш берілді"},
		{"2026-06-01 14:30:00", "SMS", "+77010000001", "Растау коды: 1234"},
	}
	if diff := cmp.Diff(wantRows, rows); diff != "" {
		t.Errorf("outbox page mismatch (-want +got):\n%s", diff)
	}
	if got := text(doc, "main p.muted"); got != "2 messages" {
		t.Errorf("count %q, want 2 messages", got)
	}
}
