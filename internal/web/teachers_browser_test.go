package web_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"sakura/internal/web/webtest"
)

// mapMarkers waits until map.js has drawn the page's .js-map and returns the
// number of markers in the DOM.
func mapMarkers(t *testing.T, tab *webtest.Tab) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Context(), 15*time.Second)
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Poll[int](
		`document.querySelector('.js-map.map-ready') && `+
			`document.querySelectorAll('.js-map .leaflet-marker-icon').length`))
	if err != nil {
		t.Fatalf("the map was not drawn: %v", err)
	}
	return n
}

// exceptions collects the uncaught JavaScript exceptions of the tab.
func exceptions(t *testing.T, tab *webtest.Tab) func() []string {
	var mu sync.Mutex
	var seen []string
	err := chromedp.Listen(tab.Context(), func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			mu.Lock()
			seen = append(seen, e.ExceptionDetails.Text+" at "+e.ExceptionDetails.URL)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("listen to the tab: %v", err)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// TestTeacherRegistryBrowser filters the teacher registry in Chromium in
// each language, sees the map of the listed teachers' schools follow the
// filter, opens a card, and checks both pages with axe-core. The test
// machine cannot reach the tile server: the maps must cope.
func TestTeacherRegistryBrowser(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Cities: webtest.TeacherCities()})
	b := webtest.NewBrowser(t)

	for _, lang := range []string{"kk", "ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			tab := b.NewTab(t)
			thrown := exceptions(t, tab)
			if status := tab.Navigate(s.URL + "/" + lang + "/almaty/teachers"); status != 200 {
				t.Fatalf("status %d", status)
			}
			if n := mapMarkers(t, tab); n != 2 {
				t.Errorf("the map of all teachers' schools has %d markers, want 2", n)
			}
			tab.MustBeAccessible()

			// Filter: school No. 35's teachers, by experience.
			tab.Do(
				chromedp.SetValue(chromedp.CSS("#tf-school"), "12"),
				chromedp.SetValue(chromedp.CSS("#tf-sort"), "experience"),
			)
			tab.Follow(chromedp.Click(chromedp.CSS(`.teacher-filter button[type="submit"]`)))
			if got, want := tab.Location(), s.URL+"/"+lang+"/almaty/teachers?q=&school=12&category=&language=&exp_min=&exp_max=&sort=experience"; got != want {
				t.Errorf("after filtering at %s, want %s", got, want)
			}
			if got := tab.Text(".teacher-item h3 a"); got != "Иванова Елена Петровна" {
				t.Errorf("first teacher %q", got)
			}
			if n := mapMarkers(t, tab); n != 1 {
				t.Errorf("the map of one school's teachers has %d markers, want 1", n)
			}
			tab.MustBeAccessible()

			// The card.
			tab.Follow(chromedp.Click(chromedp.CSS(".teacher-item h3 a")))
			if got, want := tab.Location(), s.URL+"/"+lang+"/almaty/teachers/103"; got != want {
				t.Errorf("card at %s, want %s", got, want)
			}
			if got := tab.Text("main h1"); got != "Иванова Елена Петровна" {
				t.Errorf("card heading %q", got)
			}
			tab.MustBeAccessible()

			if got := thrown(); len(got) > 0 {
				t.Errorf("JavaScript exceptions: %q", got)
			}
		})
	}
}

// TestMapScript checks map.js on a page with a clustered map whose features
// come from a URL (the school map): the markers are drawn, the popup of one
// links to its passport, and failing tiles neither throw nor hide the list.
func TestMapScript(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Cities: webtest.TeacherCities()})
	b := webtest.NewBrowser(t)
	tab := b.NewTab(t)
	thrown := exceptions(t, tab)

	if status := tab.Navigate(s.URL + "/en/almaty/map"); status != 200 {
		t.Fatalf("status %d", status)
	}
	mapMarkers(t, tab)
	if got, _ := tab.Attr(".js-map", "data-markers"); got != "2" {
		t.Errorf("data-markers = %q, want 2 (the schools of Almaty)", got)
	}
	if _, ok := tab.Attr(".js-map", "data-cluster"); !ok {
		t.Error("the school map is not clustered")
	}

	// Open a marker's popup.
	ctx, cancel := context.WithTimeout(tab.Context(), 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](
		`document.querySelector('.js-map .leaflet-marker-icon:not(.marker-cluster)').click()`)); err != nil {
		t.Fatalf("click a marker: %v", err)
	}
	href, err := chromedp.Run(ctx, chromedp.Poll[string](
		`(document.querySelector('.leaflet-popup .map-popup a') || {}).pathname`))
	if err != nil {
		t.Fatalf("no popup: %v", err)
	}
	if !strings.HasPrefix(href, "/en/almaty/schools/") {
		t.Errorf("popup links to %q", href)
	}
	if got, _ := tab.Attr(".leaflet-control-zoom-in", "title"); got != "Zoom in" {
		t.Errorf("zoom button titled %q", got)
	}

	if got := thrown(); len(got) > 0 {
		t.Errorf("JavaScript exceptions: %q", got)
	}
}
