package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"sakura/internal/web/webtest"
)

// names returns the teacher names the registry page lists, in order.
func names(doc *goquery.Document) []string {
	out := []string{}
	doc.Find(".teacher-list .teacher-item h3 a").Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.Text())
	})
	return out
}

func TestTeacherRegistry(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Cities: webtest.TeacherCities()})

	tests := []struct {
		name   string
		path   string
		status int
		want   []string
	}{
		{"all, best rated first", "/ru/almaty/teachers", 200, []string{
			"Ахметова Гүлнар Серікқызы", "Серікбаев Ерлан Болатұлы", "Иванова Елена Петровна",
			"Петров Олег Иванович", "Әбілова Дана", "Жұмабек Арман"}},
		{"school and sort by experience", "/kk/almaty/teachers?school=12&sort=experience", 200, []string{
			"Иванова Елена Петровна", "Петров Олег Иванович", "Жұмабек Арман"}},
		{"category, language and experience", "/en/almaty/teachers?category=expert&language=kk&exp_min=10&exp_max=20",
			200, []string{"Ахметова Гүлнар Серікқызы"}},
		{"name", "/en/almaty/teachers?q=" + url.QueryEscape("олег петров"), 200, []string{"Петров Олег Иванович"}},
		{"another city's teachers are not listed", "/ru/astana/teachers", 200, []string{"Сапарова Мадина Қайратқызы"}},
		{"a bad filter is dropped and named", "/ru/almaty/teachers?exp_min=ten&category=teacher", 400, []string{
			"Әбілова Дана", "Жұмабек Арман"}},
		{"a 5,000-character name", "/kk/almaty/teachers?q=" + strings.Repeat("ә", 5000), 400, []string{
			"Ахметова Гүлнар Серікқызы", "Серікбаев Ерлан Болатұлы", "Иванова Елена Петровна",
			"Петров Олег Иванович", "Әбілова Дана", "Жұмабек Арман"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.Get(t, tt.path)
			if resp.Status != tt.status {
				t.Fatalf("status %d, want %d", resp.Status, tt.status)
			}
			doc := resp.Doc(t)
			if diff := cmp.Diff(tt.want, names(doc)); diff != "" {
				t.Errorf("teachers mismatch (-want +got):\n%s", diff)
			}
			if tt.status == 400 && doc.Find(".field-error").Length() == 0 {
				t.Error("no message next to the wrong field")
			}
		})
	}

	t.Run("the filters stay in the form", func(t *testing.T) {
		doc := s.Get(t, "/en/almaty/teachers?school=12&category=master&language=ru&exp_min=5&sort=name&q=Ivan").Doc(t)
		checks := map[string]string{
			`#tf-school option[selected]`:   "12",
			`#tf-category option[selected]`: "master",
			`#tf-language option[selected]`: "ru",
			`#tf-sort option[selected]`:     "name",
		}
		for sel, want := range checks {
			if got, _ := doc.Find(sel).Attr("value"); got != want {
				t.Errorf("%s = %q, want %q", sel, got, want)
			}
		}
		if got, _ := doc.Find("#tf-exp-min").Attr("value"); got != "5" {
			t.Errorf("exp_min kept as %q", got)
		}
		if got, _ := doc.Find("#tf-q").Attr("value"); got != "Ivan" {
			t.Errorf("q kept as %q", got)
		}
	})

	t.Run("an empty search says what to drop", func(t *testing.T) {
		doc := s.Get(t, "/en/almaty/teachers?category=master&language=kk").Doc(t)
		var links []string
		doc.Find(".empty .relax a").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			links = append(links, href)
		})
		want := []string{"/en/almaty/teachers?language=kk", "/en/almaty/teachers?category=master"}
		if diff := cmp.Diff(want, links); diff != "" {
			t.Errorf("relax links mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("a rating on too few observations is not shown", func(t *testing.T) {
		doc := s.Get(t, "/en/almaty/teachers?q=Дана").Doc(t)
		if got := doc.Find(".teacher-item .rating").Text(); got != "not shown: too few observations" {
			t.Errorf("rating %q", got)
		}
		doc = s.Get(t, "/ru/almaty/teachers?q=Ахметова").Doc(t)
		if got := doc.Find(".teacher-item .rating").Text(); got != "92,5" {
			t.Errorf("rating %q, want 92,5", got)
		}
	})

	t.Run("pages keep the filters", func(t *testing.T) {
		// 6 teachers fit one page of 20: there is no pager.
		doc := s.Get(t, "/en/almaty/teachers?language=ru").Doc(t)
		if doc.Find("nav.pager").Length() != 0 {
			t.Error("a pager on a single page")
		}
		resp := s.Get(t, "/en/almaty/teachers?language=ru&page=3")
		if resp.Status != 200 || resp.Doc(t).Find(".teacher-item").Length() != 0 {
			t.Errorf("page past the last: status %d", resp.Status)
		}
		if prev, _ := resp.Doc(t).Find(`a[rel="prev"]`).Attr("href"); prev != "/en/almaty/teachers?language=ru" {
			t.Errorf("prev link %q", prev)
		}
	})
}

func TestTeacherCard(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Cities: webtest.TeacherCities()})

	t.Run("figures with how they are made", func(t *testing.T) {
		resp := s.Get(t, "/ru/almaty/teachers/101")
		if resp.Status != 200 {
			t.Fatalf("status %d", resp.Status)
		}
		doc := resp.Doc(t)
		if h1 := doc.Find("main h1").Text(); h1 != "Ахметова Гүлнар Серікқызы" {
			t.Errorf("h1 %q", h1)
		}
		if got := doc.Find("#figure-rating .figure-value strong").Text(); got != "92,5" {
			t.Errorf("rating %q", got)
		}
		if got := doc.Find("#figure-rating .figure-obs").Text(); got != "40 наблюдений" {
			t.Errorf("rating observations %q", got)
		}
		if n := doc.Find(".figure .figure-how").Length(); n != 5 {
			t.Errorf("%d figures say how they are made, want 5", n)
		}
		// Olympiad results rest on 3 pupils: too few.
		if got := doc.Find("#figure-olympiad-results .figure-hidden").Text(); !strings.Contains(got, "5") {
			t.Errorf("thin figure says %q", got)
		}
		if doc.Find("#figure-olympiad-results .figure-value strong").Length() != 0 {
			t.Error("a figure on 3 observations is shown")
		}
		if href, _ := doc.Find(".teacher-facts a").Attr("href"); href != "/ru/almaty/schools/11" {
			t.Errorf("school link %q", href)
		}
	})

	t.Run("a thin rating says why", func(t *testing.T) {
		doc := s.Get(t, "/kk/almaty/teachers/104").Doc(t)
		if doc.Find("#figure-rating .figure-hidden").Length() != 1 {
			t.Error("the rating on 3 observations is not explained")
		}
	})

	t.Run("a teacher without figures", func(t *testing.T) {
		doc := s.Get(t, "/en/almaty/teachers/105").Doc(t)
		if got := doc.Find(".teacher-figures > p").Last().Text(); got != "This teacher has no figures yet." {
			t.Errorf("card says %q", got)
		}
	})

	for _, path := range []string{
		"/en/almaty/teachers/1000101", // Astana's teacher
		"/en/almaty/teachers/999",
		"/en/almaty/teachers/abc",
		"/en/almaty/teachers/-1",
		"/en/almaty/teachers/99999999999999999999999",
	} {
		t.Run("not found "+path, func(t *testing.T) {
			resp := s.Get(t, path)
			if resp.Status != http.StatusNotFound {
				t.Fatalf("status %d, want 404", resp.Status)
			}
			if got := resp.Doc(t).Find("main").Text(); !strings.Contains(got, "There is no such teacher") {
				t.Errorf("page says %q", got)
			}
		})
	}
}
