package school

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"sakura/internal/city"
	"sakura/internal/errs"
	"sakura/internal/i18n"
)

// Sort is an order of the registry.
type Sort string

// The orders of the registry.
const (
	ByNumber   Sort = "number"   // school number, unnumbered schools last
	ByName     Sort = "name"     // name in the page's language
	ByDistrict Sort = "district" // district, then number
	ByFree     Sort = "free"     // free grade-1 seats, most first
)

// Sorts returns every order, the default first.
func Sorts() []Sort { return []Sort{ByNumber, ByName, ByDistrict, ByFree} }

// Paging bounds.
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
	MaxQuery       = 200 // runes of free text
)

// Filter is a search of the registry as the URL holds it, shared by the
// registry page, the map page and the API. The zero value finds every
// school, numbered order, first page.
type Filter struct {
	Query     string    // free text: name in any language, number, address
	Language  i18n.Lang // language of instruction; "" for any
	Type      Type      // "" for any
	Ownership Ownership // "" for any
	District  string    // district slug; "" for any
	Sort      Sort      // "" means ByNumber
	Page      int       // from 1; 0 means 1
	PerPage   int       // 0 means DefaultPerPage
}

// The query parameters of a Filter.
const (
	ParamQuery     = "q"
	ParamLanguage  = "language"
	ParamType      = "type"
	ParamOwnership = "ownership"
	ParamDistrict  = "district"
	ParamSort      = "sort"
	ParamPage      = "page"
	ParamPerPage   = "per_page"
)

// FilterError lists the query parameters a Filter could not take, each
// with the catalogue key of its message.
type FilterError struct {
	Fields map[string]string // parameter → message key
}

func (e *FilterError) Error() string {
	names := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		names = append(names, k)
	}
	slices.Sort(names)
	return "bad filter: " + strings.Join(names, ", ")
}

// ParseFilter reads a Filter from URL query values; districts are checked
// against c. Every parameter it cannot take is left at its zero value and
// reported: the error is an *errs.Error of kind Invalid, keyed by the first
// bad parameter's message, wrapping a *FilterError with all of them. The
// Filter returned holds every parameter that was good.
func ParseFilter(q url.Values, c city.City) (Filter, error) {
	var f Filter
	bad := map[string]string{}

	f.Query = strings.TrimSpace(q.Get(ParamQuery))
	if utf8.RuneCountInString(f.Query) > MaxQuery || !utf8.ValidString(f.Query) {
		f.Query = ""
		bad[ParamQuery] = "schools.error.query"
	}

	if v := q.Get(ParamLanguage); v != "" {
		if lang, ok := i18n.ParseLang(v); ok {
			f.Language = lang
		} else {
			bad[ParamLanguage] = "schools.error.language"
		}
	}
	if v := q.Get(ParamType); v != "" {
		if slices.Contains(Types(), Type(v)) {
			f.Type = Type(v)
		} else {
			bad[ParamType] = "schools.error.type"
		}
	}
	if v := q.Get(ParamOwnership); v != "" {
		if slices.Contains(Ownerships(), Ownership(v)) {
			f.Ownership = Ownership(v)
		} else {
			bad[ParamOwnership] = "schools.error.ownership"
		}
	}
	if v := q.Get(ParamDistrict); v != "" {
		if _, ok := c.District(v); ok {
			f.District = v
		} else {
			bad[ParamDistrict] = "schools.error.district"
		}
	}
	if v := q.Get(ParamSort); v != "" {
		if slices.Contains(Sorts(), Sort(v)) {
			f.Sort = Sort(v)
		} else {
			bad[ParamSort] = "schools.error.sort"
		}
	}
	if v := q.Get(ParamPage); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= 1_000_000 {
			f.Page = n
		} else {
			bad[ParamPage] = "schools.error.page"
		}
	}
	if v := q.Get(ParamPerPage); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= MaxPerPage {
			f.PerPage = n
		} else {
			bad[ParamPerPage] = "schools.error.per_page"
		}
	}

	// Defaults are written as zero values, so that a filter and its URL
	// have one form each.
	if f.Sort == ByNumber {
		f.Sort = ""
	}
	if f.Page == 1 {
		f.Page = 0
	}
	if f.PerPage == DefaultPerPage {
		f.PerPage = 0
	}

	if len(bad) == 0 {
		return f, nil
	}
	fe := &FilterError{Fields: bad}
	key := ""
	for _, p := range []string{ParamQuery, ParamLanguage, ParamType, ParamOwnership,
		ParamDistrict, ParamSort, ParamPage, ParamPerPage} {
		if k, ok := bad[p]; ok {
			key = k
			break
		}
	}
	return f, &errs.Error{Kind: errs.Invalid, Key: key,
		Args: map[string]any{"Max": MaxPerPage, "MaxQuery": MaxQuery}, Err: fe}
}

// FilterErrorOf returns the *FilterError in err's chain, or nil.
func FilterErrorOf(err error) *FilterError {
	var fe *FilterError
	if errors.As(err, &fe) {
		return fe
	}
	return nil
}

// Values returns the filter as URL query values, leaving out what is at its
// default, so that links stay short and a search can be shared.
func (f Filter) Values() url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set(ParamQuery, f.Query)
	set(ParamLanguage, string(f.Language))
	set(ParamType, string(f.Type))
	set(ParamOwnership, string(f.Ownership))
	set(ParamDistrict, f.District)
	if f.Sort != "" && f.Sort != ByNumber {
		set(ParamSort, string(f.Sort))
	}
	if f.Page > 1 {
		set(ParamPage, strconv.Itoa(f.Page))
	}
	if f.PerPage != 0 && f.PerPage != DefaultPerPage {
		set(ParamPerPage, strconv.Itoa(f.PerPage))
	}
	return q
}

// Narrowed reports whether the filter leaves out any school.
func (f Filter) Narrowed() bool {
	return f.Query != "" || f.Language != "" || f.Type != "" || f.Ownership != "" || f.District != ""
}

// Without returns the filter without the narrowing parameter param, back
// on the first page: a way to relax a search that found nothing.
func (f Filter) Without(param string) Filter {
	switch param {
	case ParamQuery:
		f.Query = ""
	case ParamLanguage:
		f.Language = ""
	case ParamType:
		f.Type = ""
	case ParamOwnership:
		f.Ownership = ""
	case ParamDistrict:
		f.District = ""
	}
	f.Page = 0
	return f
}

func (f Filter) perPage() int {
	if f.PerPage == 0 {
		return DefaultPerPage
	}
	return f.PerPage
}

func (f Filter) page() int { return max(1, f.Page) }
