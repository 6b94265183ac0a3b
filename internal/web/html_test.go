package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"sakura/internal/web/webtest"
)

// TestValidHTML checks every kind of page, in each language, for what makes
// HTML valid and usable with assistive technology: the doctype, charset and
// viewport, the language, one h1 and headings in order, unique ids, labels
// tied to their fields, and references to ids that exist.
func TestValidHTML(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true})

	pages := map[string]*webtest.Response{}
	for _, lang := range []string{"kk", "ru", "en"} {
		for _, path := range []string{
			"/?lang=" + lang,
			"/" + lang + "/almaty/",
			"/" + lang + "/astana/apply/grade1",
			"/" + lang + "/cabinet",
			"/" + lang + "/office",
			"/" + lang + "/almaty/nowhere",
			"/dev/outbox?lang=" + lang,
		} {
			pages[path] = s.Get(t, path)
		}
	}
	req, err := http.NewRequest(http.MethodPost, s.URL+"/", strings.NewReader("city=&lang=xx"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	pages["POST / with errors"] = s.Do(t, req)

	for name, resp := range pages {
		t.Run(name, func(t *testing.T) {
			checkHTML(t, resp)
		})
	}
}

func checkHTML(t *testing.T, resp *webtest.Response) {
	t.Helper()
	if !strings.HasPrefix(resp.Body, "<!doctype html>\n<html lang=") {
		t.Errorf("the page does not open with the doctype and <html lang>: %.40q", resp.Body)
	}
	doc := resp.Doc(t)

	if lang := doc.Find("html").AttrOr("lang", ""); lang != "kk" && lang != "ru" && lang != "en" {
		t.Errorf("html lang %q", lang)
	}
	if first := doc.Find("head > meta").First(); first.AttrOr("charset", "") != "utf-8" {
		t.Error("the first meta of head is not charset=utf-8")
	}
	if doc.Find(`meta[name="viewport"][content*="width=device-width"]`).Length() != 1 {
		t.Error("no viewport meta")
	}
	if strings.TrimSpace(doc.Find("title").Text()) == "" {
		t.Error("no title")
	}
	for _, landmark := range []string{"header", "main#main", "footer"} {
		if n := doc.Find(landmark).Length(); n != 1 {
			t.Errorf("%d %s, want 1", n, landmark)
		}
	}

	// Headings: one h1, first, and no level skipped.
	if n := doc.Find("h1").Length(); n != 1 {
		t.Errorf("%d h1, want 1", n)
	}
	level := 0
	doc.Find("h1, h2, h3, h4, h5, h6").Each(func(_ int, h *goquery.Selection) {
		l := int(goquery.NodeName(h)[1] - '0')
		if l > level+1 {
			t.Errorf("heading %s %q follows h%d", goquery.NodeName(h), h.Text(), level)
		}
		level = l
	})

	// Ids: unique, and every reference to one resolves.
	ids := map[string]int{}
	doc.Find("[id]").Each(func(_ int, e *goquery.Selection) { ids[e.AttrOr("id", "")]++ })
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q used %d times", id, n)
		}
	}
	refs := func(selector, attr string) {
		doc.Find(selector).Each(func(_ int, e *goquery.Selection) {
			for _, id := range strings.Fields(strings.TrimPrefix(e.AttrOr(attr, ""), "#")) {
				if ids[id] == 0 {
					t.Errorf("%s=%q refers to no element", attr, id)
				}
			}
		})
	}
	refs("[aria-labelledby]", "aria-labelledby")
	refs("[aria-describedby]", "aria-describedby")
	refs(`a[href^="#"]`, "href")
	refs("label[for]", "for")

	// Every field has a label.
	fields := `input:not([type="hidden"]):not([type="submit"]), select, textarea`
	doc.Find(fields).Each(func(_ int, f *goquery.Selection) {
		id := f.AttrOr("id", "")
		if id == "" || doc.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("field %s %q has no label of its own", goquery.NodeName(f), f.AttrOr("name", ""))
		}
	})

	// Every link goes somewhere, and no link leaves for another site.
	doc.Find("a").Each(func(_ int, a *goquery.Selection) {
		href, ok := a.Attr("href")
		if !ok || href == "" {
			t.Errorf("link %q has no href", a.Text())
		}
		if strings.Contains(href, "://") {
			t.Errorf("link to another site: %s", href)
		}
	})
}
