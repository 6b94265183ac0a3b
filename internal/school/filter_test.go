package school_test

import (
	"errors"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/city"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/school"
)

var testCity = city.City{Slug: "almaty", Districts: []city.District{{Slug: "medeu"}, {Slug: "almaly"}}}

func TestParseFilter(t *testing.T) {
	long := string(make([]rune, school.MaxQuery+1))
	tests := []struct {
		query string
		want  school.Filter
		bad   []string // parameters refused
	}{
		{"", school.Filter{}, nil},
		{"q=+Абай+150+&language=kk&type=gymnasium&ownership=public&district=medeu&sort=free&page=3&per_page=50",
			school.Filter{Query: "Абай 150", Language: i18n.KK, Type: school.Gymnasium, Ownership: school.Public,
				District: "medeu", Sort: school.ByFree, Page: 3, PerPage: 50}, nil},
		{"language=de", school.Filter{}, []string{"language"}},
		{"type=university&ownership=state", school.Filter{}, []string{"type", "ownership"}},
		{"district=bostandyk&language=ru", school.Filter{Language: i18n.RU}, []string{"district"}},
		{"sort=random", school.Filter{}, []string{"sort"}},
		{"page=0", school.Filter{}, []string{"page"}},
		{"page=-1&per_page=101", school.Filter{}, []string{"page", "per_page"}},
		{"page=abc&per_page=1e3", school.Filter{}, []string{"page", "per_page"}},
		{"page=99999999999999999999", school.Filter{}, []string{"page"}},
		{"q=" + url.QueryEscape(long), school.Filter{}, []string{"q"}},
		{"q=%ff%fe", school.Filter{}, []string{"q"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := school.ParseFilter(q, testCity)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("filter mismatch (-want +got):\n%s", diff)
			}
			var bad []string
			if fe := school.FilterErrorOf(err); fe != nil {
				for _, p := range []string{"q", "language", "type", "ownership", "district", "sort", "page", "per_page"} {
					if fe.Fields[p] != "" {
						bad = append(bad, p)
					}
				}
			}
			if diff := cmp.Diff(tt.bad, bad); diff != "" {
				t.Errorf("refused parameters mismatch (-want +got):\n%s", diff)
			}
			if (err != nil) != (len(tt.bad) > 0) {
				t.Errorf("error = %v", err)
			}
			if err != nil && (errs.KindOf(err) != errs.Invalid || !errors.As(err, new(*errs.Error))) {
				t.Errorf("error %v is not Invalid", err)
			}
		})
	}
}

// TestFilterValues checks that a filter survives the URL: Values then
// ParseFilter gives it back, and Without drops one filter.
func TestFilterValues(t *testing.T) {
	f := school.Filter{Query: "№ 12", Language: i18n.RU, Type: school.Lyceum, Ownership: school.Private,
		District: "almaly", Sort: school.ByName, Page: 2, PerPage: 10}
	got, err := school.ParseFilter(f.Values(), testCity)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f, got); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}

	if got := (school.Filter{Sort: school.ByNumber, PerPage: school.DefaultPerPage, Page: 1}).Values(); len(got) != 0 {
		t.Errorf("defaults give %v, want no parameters", got)
	}
	if got := f.Without(school.ParamType).Values().Encode(); got !=
		"district=almaly&language=ru&ownership=private&per_page=10&q=%E2%84%96+12&sort=name" {
		t.Errorf("Without(type) = %s", got)
	}
	if !f.Narrowed() || (school.Filter{Sort: school.ByFree}).Narrowed() {
		t.Error("Narrowed is wrong")
	}
}

func TestSeats(t *testing.T) {
	tests := []struct {
		classes, taken int
		want           school.Seats
	}{
		{4, 0, school.Seats{Planned: 4 * 25, Free: 4 * 25}},
		{2, 30, school.Seats{Planned: 2 * 25, Taken: 30, Free: 2*25 - 30}},
		{1, 40, school.Seats{Planned: 25, Taken: 40, Free: 0}},
		{0, 0, school.Seats{}},
	}
	for _, tt := range tests {
		if got := school.NewSeats(tt.classes, 25, tt.taken); got != tt.want {
			t.Errorf("NewSeats(%d, 25, %d) = %+v, want %+v", tt.classes, tt.taken, got, tt.want)
		}
	}
}

func TestSortHouses(t *testing.T) {
	got := []string{"150/230", "12Б", "2", "12А", "10", "58к1", "12"}
	school.SortHouses(got)
	want := []string{"2", "10", "12", "12А", "12Б", "58к1", "150/230"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SortHouses mismatch (-want +got):\n%s", diff)
	}
}

// FuzzParseFilter checks that no query breaks the parser and that what it
// accepts survives the URL.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"", "q=Абай&language=kk", "page=0", "per_page=100&sort=free", "q=%ff", "district=medeu&q=%E2%84%96"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		got, err := school.ParseFilter(q, testCity)
		if err != nil && school.FilterErrorOf(err) == nil {
			t.Fatalf("error without fields: %v", err)
		}
		again, err := school.ParseFilter(got.Values(), testCity)
		if err != nil {
			t.Fatalf("ParseFilter(Values()) of %q: %v", raw, err)
		}
		if again != got {
			t.Fatalf("round trip of %q: %+v, then %+v", raw, got, again)
		}
	})
}
