package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"sakura/internal/web/webtest"
)

// TestFindSchoolBrowser types an address in each language, sees it
// suggested, submits and gets the school; axe-core checks the page with an
// answer, with near misses and with no catchment.
func TestFindSchoolBrowser(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Cities: demoPlaces()})
	b := webtest.NewBrowser(t)
	served, unserved := MustPlaceCases(t)

	for _, lang := range []string{"kk", "ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			tab := b.NewTab(t)
			tab.Navigate(s.URL + "/" + lang + "/almaty/find-school")
			tab.MustBeAccessible()

			q := served.query[lang]
			tab.Do(
				chromedp.SendKeys(chromedp.CSS("#address"), q),
				chromedp.WaitVisible(chromedp.CSS("#address-suggestions li")),
			)
			if got, _ := tab.Attr("#address", "aria-expanded"); got != "true" {
				t.Errorf("aria-expanded = %q with suggestions shown", got)
			}
			first := tab.Text("#address-suggestions li")
			number := q[strings.LastIndex(q, " ")+1:]
			if !strings.Contains(first, number) {
				t.Errorf("first suggestion %q for %q", first, q)
			}

			tab.Follow(chromedp.Click(chromedp.CSS("form.find-school button[type=submit]")))
			href, _ := tab.Attr(".serving-school a", "href")
			if want := "/" + lang + "/almaty/schools/" + strconv.FormatInt(served.school, 10); href != want {
				t.Errorf("serving school link %q, want %q", href, want)
			}
			tab.MustBeAccessible()
		})
	}

	t.Run("choosing a suggestion", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Navigate(s.URL + "/ru/almaty/find-school")
		tab.Do(
			chromedp.SendKeys(chromedp.CSS("#address"), served.query["ru"]),
			chromedp.WaitVisible(chromedp.CSS("#address-suggestions li")),
		)
		tab.Follow(chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter))
		if tab.Text(".serving-school a") == "" {
			t.Error("choosing the first suggestion with the keyboard found no school")
		}
	})

	t.Run("near misses and no catchment", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Navigate(s.URL + "/kk/almaty/find-school?address=" + url.QueryEscape(served.query["kk"]+"9999"))
		if tab.Text(".near-misses a") == "" {
			t.Error("no near misses")
		}
		tab.MustBeAccessible()

		tab.Navigate(s.URL + "/ru/almaty/find-school?address=" + url.QueryEscape(unserved.query["ru"]))
		if tab.Text("#no-catchment") == "" {
			t.Error("no statement of no catchment")
		}
		tab.MustBeAccessible()
	})
}
