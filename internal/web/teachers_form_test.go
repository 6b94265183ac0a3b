package web

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/teacher"
)

func TestParseTeacherForm(t *testing.T) {
	tests := []struct {
		query  string
		want   teacher.Query
		errors []string
	}{
		{"", teacher.Query{PerPage: 20}, nil},
		{"q=+Айгүл+&school=12&category=expert&language=ru&exp_min=5&exp_max=20&sort=name&page=3",
			teacher.Query{Text: "Айгүл", School: 12, Category: teacher.Expert, Language: "ru",
				MinExperience: 5, MaxExperience: 20, Sort: teacher.SortName, Page: 3, PerPage: 20}, nil},
		{"school=x&category=boss&language=de&exp_min=-1&exp_max=99&sort=salary&page=0",
			teacher.Query{Page: 1, PerPage: 20},
			[]string{"category", "exp_max", "exp_min", "language", "page", "school", "sort"}},
		{"exp_min=20&exp_max=10", teacher.Query{MinExperience: 20, PerPage: 20}, []string{"exp_max"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			f := parseTeacherForm(v)
			if diff := cmp.Diff(tt.want, f.Query); diff != "" {
				t.Errorf("query mismatch (-want +got):\n%s", diff)
			}
			var fields []string
			for _, k := range []string{"category", "exp_max", "exp_min", "language", "page", "q", "school", "sort"} {
				if f.Errors[k] != "" {
					fields = append(fields, k)
				}
			}
			if diff := cmp.Diff(tt.errors, fields); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParseTeacherForm checks that no query string makes the form panic or
// ask for a search out of bounds.
func FuzzParseTeacherForm(f *testing.F) {
	for _, s := range []string{"", "q=a&page=2", "school=1&exp_min=3&exp_max=2", "sort=name&page=100001", "q=%ff%fe", "school=-5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, _ := url.ParseQuery(raw)
		form := parseTeacherForm(v)
		q := form.Query
		if q.Page < 0 || q.Page > 100000 || q.MinExperience < 0 || q.MaxExperience < 0 || q.School < 0 {
			t.Errorf("%q: query out of bounds: %+v", raw, q)
		}
		if q.MaxExperience > 0 && q.MinExperience > q.MaxExperience {
			t.Errorf("%q: empty experience range %+v", raw, q)
		}
		_ = form.values()
	})
}
