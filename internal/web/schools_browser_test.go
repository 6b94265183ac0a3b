package web_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"sakura/internal/i18n"
	"sakura/internal/school"
	"sakura/internal/web/webtest"
)

// TestSchoolsBrowser filters the registry in Chromium and sees the count
// change, opens a passport from the list, filters the map, and has axe-core
// check the registry, a passport and the map in every language.
func TestSchoolsBrowser(t *testing.T) {
	s := startDemo(t)
	b := webtest.NewBrowser(t)
	cat := MustCatalog(t)

	t.Run("filter the registry and open a passport", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Navigate(s.URL + "/kk/almaty/schools")
		kk := cat.Translator(i18n.KK)
		if got, want := tab.Text(".results-count"), kk.N("schools.found", len(demoData()[0].Schools)); got != want {
			t.Errorf("before filtering: %q, want %q", got, want)
		}

		tab.Do(
			chromedp.SetValue(chromedp.CSS("#f-language"), "kk"),
			chromedp.SetValue(chromedp.CSS("#f-type"), "gymnasium"),
			chromedp.SetValue(chromedp.CSS("#f-district"), "medeu"),
		)
		tab.Follow(chromedp.Click(chromedp.CSS(`.school-filter button[type="submit"]`)))
		want := countAlmaty(func(s school.School) bool {
			return slices.Contains(s.Languages, i18n.KK) && s.Type == school.Gymnasium && s.District == "medeu"
		})
		if got := tab.Text(".results-count"); got != kk.N("schools.found", want) {
			t.Errorf("after filtering: %q, want %q", got, kk.N("schools.found", want))
		}
		if loc := tab.Location(); !strings.Contains(loc, "district=medeu") || !strings.Contains(loc, "type=gymnasium") {
			t.Errorf("the URL does not hold the filters: %s", loc)
		}
		if want == 0 {
			t.Skip("no Kazakh gymnasium in Medeu in this demo")
		}

		name := tab.Text(".school-card .school-name a")
		tab.Follow(chromedp.Click(chromedp.CSS(".school-card .school-name a")))
		if got := tab.Text("main h1"); got != name {
			t.Errorf("passport heading %q, want %q", got, name)
		}
		if !strings.Contains(tab.Location(), "/kk/almaty/schools/") {
			t.Errorf("passport at %s", tab.Location())
		}
	})

	t.Run("filter the map", func(t *testing.T) {
		tab := b.NewTab(t)
		// markers waits for map.js to draw the schools and says how many.
		markers := func() string {
			tab.Do(chromedp.WaitReady(chromedp.CSS(".js-map[data-markers]")))
			n, _ := tab.Attr(".js-map", "data-markers")
			return n
		}

		tab.Navigate(s.URL + "/ru/almaty/map")
		before := tab.Text(".results-count")
		if got, want := markers(), strconv.Itoa(countAlmaty(func(school.School) bool { return true })); got != want {
			t.Errorf("the unfiltered map has %s markers, want %s", got, want)
		}

		tab.Do(chromedp.SetValue(chromedp.CSS("#f-type"), "lyceum"))
		tab.Follow(chromedp.Click(chromedp.CSS(`.school-filter button[type="submit"]`)))
		want := countAlmaty(func(s school.School) bool { return s.Type == school.Lyceum })
		if got := tab.Text(".results-count"); got != cat.Translator(i18n.RU).N("schools.found", want) || got == before {
			t.Errorf("after filtering the map: %q (before %q)", got, before)
		}
		if got := markers(); got != strconv.Itoa(want) {
			t.Errorf("the map of lyceums has %s markers, want %d", got, want)
		}
	})

	t.Run("accessibility", func(t *testing.T) {
		tab := b.NewTab(t)
		id := idText(demoData()[0].Schools[0].ID)
		for _, lang := range []string{"kk", "ru", "en"} {
			for _, path := range []string{
				"/" + lang + "/almaty/schools",
				"/" + lang + "/almaty/schools?q=Hogwarts&type=lyceum",
				"/" + lang + "/almaty/schools?page=x",
				"/" + lang + "/almaty/schools/" + id,
				"/" + lang + "/almaty/map?language=ru",
			} {
				tab.Navigate(s.URL + path)
				tab.MustBeAccessible()
			}
		}
	})
}
