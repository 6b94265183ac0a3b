package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"sakura/internal/web/webtest"
)

// TestBrowser drives the pages in a real Chromium: the first visit's form,
// the returning visit, the language switch, and axe-core on each kind of
// page.
func TestBrowser(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true})
	b := webtest.NewBrowser(t)

	t.Run("choose city and language", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Navigate(s.URL + "/")
		if lang, _ := tab.Attr("html", "lang"); lang != "kk" {
			t.Errorf("first visit: html lang %q, want kk", lang)
		}

		tab.Do(
			chromedp.Click(chromedp.CSS(`label[for="city-astana"]`)),
			chromedp.Click(chromedp.CSS(`label[for="lang-ru"]`)),
		)
		submit := chromedp.Click(chromedp.CSS(`form.choose button[type="submit"]`))
		if status := tab.Follow(submit); status != 200 {
			t.Fatalf("after submit: status %d", status)
		}
		if got, want := tab.Location(), s.URL+"/ru/astana/"; got != want {
			t.Errorf("after submit at %s, want %s", got, want)
		}
		if lang, _ := tab.Attr("html", "lang"); lang != "ru" {
			t.Errorf("home page: html lang %q, want ru", lang)
		}
		if h1 := tab.Text("main h1"); h1 != "Астана: школьные услуги" {
			t.Errorf("home page heading %q", h1)
		}

		// A returning visitor goes straight to the home page.
		tab.Navigate(s.URL + "/")
		if got, want := tab.Location(), s.URL+"/ru/astana/"; got != want {
			t.Errorf("second visit to / lands at %s, want %s", got, want)
		}

		// The city in the header leads back to the form, with the choice kept.
		tab.Follow(chromedp.Click(chromedp.CSS("header a.city")))
		if _, checked := tab.Attr("#city-astana", "checked"); !checked {
			t.Error("the remembered city is not checked on the form")
		}
		if lang, _ := tab.Attr("html", "lang"); lang != "ru" {
			t.Errorf("form to change the city: html lang %q, want ru", lang)
		}
	})

	t.Run("language switch keeps the page", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Navigate(s.URL + "/kk/almaty/schools?q=1")
		tab.Follow(chromedp.Click(chromedp.CSS(`nav.langs a[lang="en"]`)))
		if got, want := tab.Location(), s.URL+"/en/almaty/schools?q=1"; got != want {
			t.Errorf("after the switch at %s, want %s", got, want)
		}
		if lang, _ := tab.Attr("html", "lang"); lang != "en" {
			t.Errorf("html lang %q, want en", lang)
		}
		if cur, _ := tab.Attr(`nav.langs a[aria-current="page"]`, "lang"); cur != "en" {
			t.Errorf("current language marked %q, want en", cur)
		}

		// The switch is remembered.
		tab.Navigate(s.URL + "/")
		if got, want := tab.Location(), s.URL+"/en/almaty/"; got != want {
			t.Errorf("/ after the switch lands at %s, want %s", got, want)
		}
	})

	t.Run("accessibility", func(t *testing.T) {
		tab := b.NewTab(t)
		for _, path := range []string{
			"/",
			"/kk/almaty/",
			"/ru/almaty/",
			"/en/almaty/",
			"/kk/almaty/apply/grade1",
			"/ru/cabinet",
			"/en/almaty/no-such-page",
			"/dev/outbox?lang=kk",
		} {
			tab.Navigate(s.URL + path)
			tab.MustBeAccessible()
		}
	})
}
