package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"sakura/internal/i18n"
	"sakura/internal/web/webtest"
)

// TestCabinetBrowser: a parent of the demo signs in for the first time in
// each language (IIN, the code from the outbox, a new password), signs out,
// signs in with the password, changes a setting and finds those actions in
// the feed with the status of each message; axe-core checks every page on
// the way, errors included.
func TestCabinetBrowser(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true})
	b := webtest.NewBrowser(t)
	cat := MustCatalog(t)
	mother, father, aunt := parents(t)

	for _, tc := range []struct {
		lang   i18n.Lang
		parent [2]string
	}{{i18n.KK, mother}, {i18n.RU, father}, {i18n.EN, aunt}} {
		t.Run(string(tc.lang), func(t *testing.T) {
			tr := cat.Translator(tc.lang)
			lang, iin, phone := string(tc.lang), tc.parent[0], tc.parent[1]
			password := "жасыл алма бағы " + lang
			tab := b.NewTab(t)

			// The sign-in page leads to the code.
			tab.Navigate(s.URL + "/" + lang + "/cabinet")
			tab.MustBeAccessible()
			tab.Follow(chromedp.Click(chromedp.CSS(`a[href="/` + lang + `/cabinet/code"]`)))
			tab.MustBeAccessible()
			tab.Do(chromedp.SendKeys(chromedp.CSS("#iin"), iin))
			tab.Follow(chromedp.Click(chromedp.CSS("form.cabinet-form button[type=submit]")))
			if got := tab.Text(".notice"); got != tr.T("cabinet.code.sent") {
				t.Errorf("after the IIN: notice %q", got)
			}
			tab.MustBeAccessible()

			// A wrong code first: the error summary and the field say so.
			code := codeFor(t, s, phone, 1)
			wrong := "000000"
			if code == wrong {
				wrong = "111111"
			}
			tab.Do(chromedp.SendKeys(chromedp.CSS("#code"), wrong))
			tab.Follow(chromedp.Click(chromedp.CSS("form.cabinet-form button[type=submit]")))
			if got := tab.Text("#code-error"); got != tr.N("account.code_wrong", 4) {
				t.Errorf("wrong code: %q", got)
			}
			tab.MustBeAccessible()
			tab.Do(chromedp.SendKeys(chromedp.CSS("#code"), code))
			tab.Follow(chromedp.Click(chromedp.CSS("form.cabinet-form button[type=submit]")))

			// The new password.
			tab.MustBeAccessible()
			tab.Do(
				chromedp.SendKeys(chromedp.CSS("#password"), password),
				chromedp.SendKeys(chromedp.CSS("#password_repeat"), password),
			)
			tab.Follow(chromedp.Click(chromedp.CSS("form.cabinet-form button[type=submit]")))
			if got := tab.Text(".flash"); got != tr.T("cabinet.done.welcome") {
				t.Fatalf("after the password: flash %q at %s", got, tab.Location())
			}
			tab.MustBeAccessible()

			// Sign out, and in again with the password.
			tab.Follow(chromedp.Click(chromedp.CSS("form.signout button")))
			if got := tab.Text(".notice"); got != tr.T("cabinet.signin.out") {
				t.Errorf("after sign-out: notice %q", got)
			}
			tab.Do(
				chromedp.SendKeys(chromedp.CSS("#iin"), iin),
				chromedp.SendKeys(chromedp.CSS("#password"), password),
			)
			tab.Follow(chromedp.Click(chromedp.CSS("form.cabinet-form button[type=submit]")))
			if got := tab.Text(".flash"); got != tr.T("cabinet.done.signed_in") {
				t.Fatalf("after sign-in: flash %q at %s", got, tab.Location())
			}

			// A setting: an extra phone and e-mail refused without an address.
			tab.Navigate(s.URL + "/" + lang + "/cabinet/settings")
			tab.MustBeAccessible()
			tab.Do(
				chromedp.SendKeys(chromedp.CSS("#extra_phone"), "+7 702 555 12 34"),
				chromedp.Click(chromedp.CSS("#notify_email")),
			)
			tab.Follow(chromedp.Click(chromedp.CSS(`form[action$="/settings/preferences"] button[type=submit]`)))
			if got := tab.Text("#channels-error"); got != tr.T("account.email_unconfirmed") {
				t.Errorf("e-mail without an address: %q", got)
			}
			if v, _ := tab.Attr("#extra_phone", "value"); v != "+7 702 555 12 34" {
				t.Errorf("the extra phone typed is lost: %q", v)
			}
			tab.MustBeAccessible()
			tab.Do(chromedp.Click(chromedp.CSS("#notify_email")))
			tab.Follow(chromedp.Click(chromedp.CSS(`form[action$="/settings/preferences"] button[type=submit]`)))
			if got := tab.Text(".flash"); got != tr.T("cabinet.done.preferences") {
				t.Errorf("after saving: flash %q", got)
			}
			if v, _ := tab.Attr("#extra_phone", "value"); v != "+77025551234" {
				t.Errorf("extra phone saved as %q", v)
			}

			// The feed: newest first, each message with its status.
			tab.Navigate(s.URL + "/" + lang + "/cabinet")
			tab.MustBeAccessible()
			events := webtest.Eval[[]string](tab, `[...document.querySelectorAll(".feed .event-text")].map(e => e.textContent)`)
			want := []string{tr.T("cabinet.event.settings_changed"), "signed_in", tr.T("cabinet.event.password_set"), tr.T("cabinet.event.code_sent")}
			if len(events) != len(want) {
				t.Fatalf("events %q, want %d", events, len(want))
			}
			for i, w := range want {
				if w == "signed_in" {
					continue // it names the browser and the network
				}
				if events[i] != w {
					t.Errorf("event %d: %q, want %q", i, events[i], w)
				}
			}
			// The code's SMS was read from the outbox, so it is sent.
			deliveries := webtest.Eval[string](tab, `[...document.querySelectorAll(".feed .event")].pop().querySelector(".delivery").textContent`)
			if !strings.Contains(deliveries, tr.T("cabinet.delivery.delivered")) || !strings.Contains(deliveries, tr.T("cabinet.channel.sms")) {
				t.Errorf("the first message's status reads %q", deliveries)
			}
		})
	}
}
