package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"sakura/internal/i18n"
	"sakura/internal/web"
	"sakura/internal/web/webtest"
)

// MustCatalog loads the catalogues, to compare pages with their wording.
func MustCatalog(tb testing.TB) *i18n.Catalog {
	tb.Helper()
	c, err := i18n.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// text returns the trimmed text of the first match of selector.
func text(doc *goquery.Document, selector string) string {
	return strings.Join(strings.Fields(doc.Find(selector).First().Text()), " ")
}

func TestNewConfig(t *testing.T) {
	db := webtest.Start(t, webtest.Options{}).DB
	tests := []struct {
		name string
		cfg  web.Config
	}{
		{"no cities", web.Config{}},
		{"demo without people", web.Config{Cities: db, Outbox: db, Demo: true}},
		{"demo without outbox", web.Config{Cities: db, People: db, Demo: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := web.New(tt.cfg); err == nil {
				t.Error("New succeeded, want an error")
			}
		})
	}
}

// TestPages asks for every page and checks the status, the language and the
// heading.
func TestPages(t *testing.T) {
	s := webtest.Start(t, webtest.Options{})
	cat := MustCatalog(t)
	kk, ru, en := cat.Translator(i18n.KK), cat.Translator(i18n.RU), cat.Translator(i18n.EN)

	type want struct {
		status int
		lang   i18n.Lang
		h1     string
	}
	tests := []struct {
		path   string
		header []string
		want   want
	}{
		// The start page speaks the remembered language, else Accept-Language, else Kazakh.
		{"/", nil, want{200, "kk", kk.T("choose.title")}},
		{"/", []string{"Accept-Language", "ru-RU,ru;q=0.9"}, want{200, "ru", ru.T("choose.title")}},
		{"/", []string{"Accept-Language", "de-DE"}, want{200, "kk", kk.T("choose.title")}},
		{"/?change=1", []string{"Cookie", "sakura_lang=en; sakura_city=astana"}, want{200, "en", en.T("choose.title")}},
		{"/?lang=ru", nil, want{200, "ru", ru.T("choose.title")}},
		{"/", []string{"Cookie", "sakura_lang=ru; sakura_city=atlantis"}, want{200, "ru", ru.T("choose.title")}},

		// The home page of a city.
		{"/kk/almaty/", nil, want{200, "kk", "Алматы: мектеп қызметтері"}},
		{"/ru/astana/", nil, want{200, "ru", "Астана: школьные услуги"}},
		{"/en/almaty/", nil, want{200, "en", "Almaty: school services"}},

		// Services not built yet.
		{"/kk/almaty/map", nil, want{200, "kk", kk.T("service.map.title")}},
		{"/ru/almaty/find-school", nil, want{200, "ru", ru.T("service.find_school.title")}},
		{"/en/astana/schools", nil, want{200, "en", en.T("service.schools.title")}},
		{"/kk/astana/teachers", nil, want{200, "kk", kk.T("service.teachers.title")}},
		{"/ru/almaty/apply/grade1", nil, want{200, "ru", ru.T("service.grade1.title")}},
		{"/en/almaty/apply/transfer", nil, want{200, "en", en.T("service.transfer.title")}},
		{"/kk/almaty/apply/grade10", nil, want{200, "kk", kk.T("service.grade10.title")}},
		{"/ru/almaty/apply/meals", nil, want{200, "ru", ru.T("service.meals.title")}},
		{"/en/almaty/apply/camp", nil, want{200, "en", en.T("service.camp.title")}},
		{"/kk/almaty/apply/transport", nil, want{200, "kk", kk.T("service.transport.title")}},
		{"/kk/cabinet", nil, want{200, "kk", kk.T("cabinet.signin.title")}},
		{"/en/office", nil, want{200, "en", en.T("office.signin.title")}},

		// Not found, in the visitor's language.
		{"/ru/atlantis/", nil, want{404, "ru", ru.T("error.not_found.title")}},
		{"/en/almaty/nowhere", nil, want{404, "en", en.T("error.not_found.title")}},
		{"/ru/almaty/apply/nothing", nil, want{404, "ru", ru.T("error.not_found.title")}},
		{"/de/almaty/", nil, want{404, "kk", kk.T("error.not_found.title")}},
		{"/de/almaty/", []string{"Accept-Language", "en"}, want{404, "en", en.T("error.not_found.title")}},
		{"/de/cabinet", []string{"Cookie", "sakura_lang=ru"}, want{404, "ru", ru.T("error.not_found.title")}},
		{"/no/such/page/at/all", []string{"Cookie", "sakura_lang=en"}, want{404, "en", en.T("error.not_found.title")}},
		{"/dev/outbox", nil, want{404, "kk", kk.T("error.not_found.title")}},
		{"/static/site.css", nil, want{404, "kk", kk.T("error.not_found.title")}},
	}
	for _, tt := range tests {
		t.Run(tt.path+strings.Join(tt.header, " "), func(t *testing.T) {
			resp := s.Get(t, tt.path, tt.header...)
			doc := resp.Doc(t)
			lang, _ := doc.Find("html").Attr("lang")
			got := want{resp.Status, i18n.Lang(lang), text(doc, "h1")}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("GET %s mismatch (-want +got):\n%s", tt.path, diff)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	s := webtest.Start(t, webtest.Options{})
	tests := []struct {
		name     string
		path     string
		header   []string
		status   int
		location string
	}{
		{"returning visitor", "/", []string{"Cookie", "sakura_lang=ru; sakura_city=astana"}, 302, "/ru/astana/"},
		{"no trailing slash", "/en/almaty", nil, 301, "/en/almaty/"},
		{"remembered city gone", "/", []string{"Cookie", "sakura_lang=ru; sakura_city=atlantis"}, 200, ""},
		{"only the language remembered", "/", []string{"Cookie", "sakura_lang=ru"}, 200, ""},
		{"asked to change", "/?change=1", []string{"Cookie", "sakura_lang=ru; sakura_city=astana"}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.Get(t, tt.path, tt.header...)
			if resp.Status != tt.status || resp.Header.Get("Location") != tt.location {
				t.Errorf("GET %s = %d to %q, want %d to %q",
					tt.path, resp.Status, resp.Header.Get("Location"), tt.status, tt.location)
			}
		})
	}
}

// TestHomeSections checks that the home page links every service of the
// seed's sections, and the header its city, language switch and cabinet.
func TestHomeSections(t *testing.T) {
	s := webtest.Start(t, webtest.Options{})
	doc := s.Get(t, "/ru/almaty/").Doc(t)

	var got []string
	doc.Find("main section").Each(func(_ int, sec *goquery.Selection) {
		got = append(got, "## "+text(goquery.NewDocumentFromNode(sec.Nodes[0]), "h2"))
		sec.Find("a").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			got = append(got, href+" "+strings.Join(strings.Fields(a.Find(".card-title").Text()), " "))
		})
	})
	want := []string{
		"## Полезная информация",
		"/ru/almaty/map Карта школ",
		"/ru/almaty/find-school Поиск школы по адресу",
		"/ru/almaty/schools Реестр школ",
		"/ru/almaty/teachers Реестр педагогов",
		"## Приём в школу",
		"/ru/almaty/apply/grade1 Заявление в 1 класс",
		"/ru/almaty/apply/transfer Заявление на перевод",
		"/ru/almaty/apply/grade10 Заявление в 10 (11) класс",
		"## Социальная помощь",
		"/ru/almaty/apply/meals Льготное питание",
		"/ru/almaty/apply/camp Путёвка в летний лагерь",
		"## Обеспечение учебного процесса",
		"/ru/almaty/apply/transport Подвоз к школе",
		"## Личный кабинет",
		"/ru/cabinet ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("home sections mismatch (-want +got):\n%s", diff)
	}

	header := doc.Find("header")
	if href, _ := header.Find("a.city").Attr("href"); href != "/?change=1" {
		t.Errorf("city link goes to %q, want the start page", href)
	}
	if got := text(doc, "header a.city .city-name"); got != "Алматы" {
		t.Errorf("header city = %q", got)
	}
	if href, _ := header.Find("a.cabinet").Attr("href"); href != "/ru/cabinet" {
		t.Errorf("cabinet link = %q", href)
	}
	var nav []string
	header.Find("nav.sections a").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		nav = append(nav, href)
	})
	wantNav := []string{"/ru/almaty/#info", "/ru/almaty/#admission", "/ru/almaty/#social", "/ru/almaty/#process"}
	if diff := cmp.Diff(wantNav, nav); diff != "" {
		t.Errorf("section navigation mismatch (-want +got):\n%s", diff)
	}
	if n := doc.Find("footer").Length(); n != 1 {
		t.Errorf("%d footers", n)
	}
}

// TestLanguageSwitch checks that the switch links the same page, path and
// query, in each language, and marks the current one.
func TestLanguageSwitch(t *testing.T) {
	s := webtest.Start(t, webtest.Options{})
	type link struct {
		Href, Lang, Current string
	}
	tests := []struct {
		path string
		want []link
	}{
		{"/ru/almaty/schools?q=%D0%BB%D0%B8%D1%86%D0%B5%D0%B9&page=2", []link{
			{"/kk/almaty/schools?page=2&q=%D0%BB%D0%B8%D1%86%D0%B5%D0%B9", "kk", ""},
			{"/ru/almaty/schools?page=2&q=%D0%BB%D0%B8%D1%86%D0%B5%D0%B9", "ru", "page"},
			{"/en/almaty/schools?page=2&q=%D0%BB%D0%B8%D1%86%D0%B5%D0%B9", "en", ""},
		}},
		{"/en/almaty/", []link{
			{"/kk/almaty/", "kk", ""}, {"/ru/almaty/", "ru", ""}, {"/en/almaty/", "en", "page"},
		}},
		{"/kk/cabinet", []link{
			{"/kk/cabinet", "kk", "page"}, {"/ru/cabinet", "ru", ""}, {"/en/cabinet", "en", ""},
		}},
		{"/", []link{
			{"/?change=1&lang=kk", "kk", "page"}, {"/?change=1&lang=ru", "ru", ""}, {"/?change=1&lang=en", "en", ""},
		}},
		{"/nowhere?x=1", []link{
			{"/nowhere?lang=kk&x=1", "kk", "page"},
			{"/nowhere?lang=ru&x=1", "ru", ""},
			{"/nowhere?lang=en&x=1", "en", ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var got []link
			s.Get(t, tt.path).Doc(t).Find("nav.langs a").Each(func(_ int, a *goquery.Selection) {
				href, _ := a.Attr("href")
				lang, _ := a.Attr("lang")
				current, _ := a.Attr("aria-current")
				got = append(got, link{href, lang, current})
			})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("language switch of %s mismatch (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}

// TestRemember checks the cookies: a city page remembers its language and
// city, so that the start page opens it next time.
func TestRemember(t *testing.T) {
	s := webtest.Start(t, webtest.Options{})
	resp := s.Get(t, "/en/astana/map", "Cookie", "sakura_lang=kk; sakura_city=almaty")
	if lang, city := resp.Cookie("sakura_lang"), resp.Cookie("sakura_city"); lang != "en" || city != "astana" {
		t.Errorf("cookies set to %q, %q; want en, astana", lang, city)
	}

	resp = s.Get(t, "/en/astana/", "Cookie", "sakura_lang=en; sakura_city=astana")
	if sc := resp.Header.Values("Set-Cookie"); len(sc) != 0 {
		t.Errorf("cookies set again although unchanged: %q", sc)
	}

	resp = s.Get(t, "/ru/cabinet", "Cookie", "sakura_lang=en; sakura_city=astana")
	if lang, city := resp.Cookie("sakura_lang"), resp.Cookie("sakura_city"); lang != "ru" || city != "" {
		t.Errorf("cabinet set cookies %q, %q; want ru and no city", lang, city)
	}
	doc := resp.Doc(t)
	if got := text(doc, "header a.city .city-name"); got != "Астана" {
		t.Errorf("cabinet header shows city %q, want the remembered Астана", got)
	}
}

func TestChooseSave(t *testing.T) {
	s := webtest.Start(t, webtest.Options{})
	cat := MustCatalog(t)

	post := func(t *testing.T, form string, header ...string) *webtest.Response {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, s.URL+"/", strings.NewReader(form))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		return s.Do(t, req)
	}

	t.Run("valid", func(t *testing.T) {
		resp := post(t, "city=astana&lang=ru")
		if resp.Status != http.StatusSeeOther || resp.Header.Get("Location") != "/ru/astana/" {
			t.Errorf("POST / = %d to %q, want 303 to /ru/astana/", resp.Status, resp.Header.Get("Location"))
		}
		if lang, city := resp.Cookie("sakura_lang"), resp.Cookie("sakura_city"); lang != "ru" || city != "astana" {
			t.Errorf("cookies %q, %q", lang, city)
		}
	})

	t.Run("no city", func(t *testing.T) {
		resp := post(t, "lang=en")
		if resp.Status != http.StatusUnprocessableEntity {
			t.Errorf("status %d, want 422", resp.Status)
		}
		doc := resp.Doc(t)
		if got, want := text(doc, "#city-error"), cat.Translator(i18n.EN).T("choose.error.city"); got != want {
			t.Errorf("city error = %q, want %q", got, want)
		}
		if d, _ := doc.Find("#city-error").Parent().Attr("aria-describedby"); d != "city-error" {
			t.Errorf("the city fieldset is not described by its error")
		}
		if _, checked := doc.Find("#lang-en").Attr("checked"); !checked {
			t.Error("the chosen language is not kept")
		}
		if resp.Cookie("sakura_city") != "" {
			t.Error("a cookie was set for a wrong form")
		}
	})

	t.Run("unknown city and language", func(t *testing.T) {
		resp := post(t, "city=atlantis&lang=de", "Accept-Language", "ru")
		doc := resp.Doc(t)
		if resp.Status != http.StatusUnprocessableEntity || doc.Find(".field-error").Length() != 2 {
			t.Errorf("status %d with %d field errors, want 422 with 2",
				resp.Status, doc.Find(".field-error").Length())
		}
		if lang, _ := doc.Find("html").Attr("lang"); lang != "ru" {
			t.Errorf("page in %q, want the visitor's ru", lang)
		}
	})

	t.Run("cross-origin", func(t *testing.T) {
		resp := post(t, "city=astana&lang=ru", "Sec-Fetch-Site", "cross-site", "Accept-Language", "en")
		if resp.Status != http.StatusForbidden {
			t.Fatalf("status %d, want 403", resp.Status)
		}
		want := cat.Translator(i18n.EN).T("error.cross_origin")
		if got := text(resp.Doc(t), "main p.lead"); got != want {
			t.Errorf("message %q, want %q", got, want)
		}
	})

	t.Run("wrong method", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPut, s.URL+"/healthz", nil)
		resp := s.Do(t, req)
		if resp.Status != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("PUT /healthz = %d, Allow %q; want 405, GET, HEAD", resp.Status, resp.Header.Get("Allow"))
		}
		if got := text(resp.Doc(t), "h1"); got != cat.Translator(i18n.KK).T("error.method.title") {
			t.Errorf("h1 = %q", got)
		}
	})
}
