package teacher

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"sakura/internal/citycache"
	"sakura/internal/errs"
	"sakura/internal/geo"
	"sakura/internal/i18n"
)

// Store reads a city's teachers. The SQL store implements it.
type Store interface {
	// Teachers returns every teacher of the city, ordered by id.
	Teachers(ctx context.Context, city string) ([]Teacher, error)
	// Teacher returns one teacher of the city, or an error matching
	// errs.ErrNotFound; a teacher of another city is not found.
	Teacher(ctx context.Context, city string, id int64) (Teacher, error)
	// TeacherSchools returns the id, number, name and place of every
	// school of the city, ordered by id.
	TeacherSchools(ctx context.Context, city string) ([]SchoolRef, error)
}

// Shown reports whether the figure rests on enough observations to be
// shown: at least MinObservations.
func (i Indicator) Shown() bool { return i.Observations >= MinObservations }

// Indicator returns the teacher's figure with the code, and whether the
// teacher has one.
func (t Teacher) Indicator(code string) (Indicator, bool) {
	for _, ind := range t.Indicators {
		if ind.Code == code {
			return ind, true
		}
	}
	return Indicator{}, false
}

// Rating returns the teacher's overall rating, and whether it can be shown:
// false when the teacher has none or it rests on too few observations.
func (t Teacher) Rating() (float64, bool) {
	ind, ok := t.Indicator(IndicatorRating)
	if !ok || !ind.Shown() {
		return 0, false
	}
	return ind.Value, true
}

// FullName returns the surname, name and patronymic, as Kazakhstan writes
// them.
func (t Teacher) FullName() string {
	return strings.TrimSpace(t.Surname + " " + t.Name + " " + t.Patronymic)
}

// SchoolRef names a teacher's school.
type SchoolRef struct {
	ID       int64     `json:"id"`
	Number   int       `json:"number,omitempty"`
	Name     i18n.Text `json:"name"`
	Location geo.Point `json:"location"`
}

// Entry is a teacher of the registry with their school.
type Entry struct {
	Teacher
	School SchoolRef
}

// Sort is an order of the registry.
type Sort string

// The registry's orders. SortRating puts the best rated first and the
// teachers without a shown rating last.
const (
	SortRating     Sort = "rating"
	SortExperience Sort = "experience"
	SortName       Sort = "name"
)

// Sorts lists the orders, the default first.
func Sorts() []Sort { return []Sort{SortRating, SortExperience, SortName} }

// MaxPerPage is the largest page a search returns.
const MaxPerPage = 100

// Query is a search of a city's registry. Zero fields do not filter.
type Query struct {
	Text          string    // words of the name, in any case and order
	School        int64     // the school's id
	Category      Category  // the qualification category
	Language      i18n.Lang // a language the teacher teaches in
	MinExperience int       // years, at least
	MaxExperience int       // years, at most; 0 means no bound
	Sort          Sort      // SortRating when empty
	Page          int       // from 1; 1 when zero
	PerPage       int       // 20 when zero, at most MaxPerPage
}

// Result is one page of a search, and how many teachers match in all.
type Result struct {
	Total int
	Items []Entry
}

// Registry answers searches of the teacher registry. The web layer gets one
// through its configuration; [Index] is the implementation.
type Registry interface {
	// Search returns the page of the city's teachers that q asks for.
	Search(ctx context.Context, city string, q Query) (Result, error)
	// Teacher returns one teacher of the city with their school, or an
	// error matching errs.ErrNotFound.
	Teacher(ctx context.Context, city string, id int64) (Entry, error)
	// Schools returns the schools that have teachers in the registry, by
	// number then name, for the school filter.
	Schools(ctx context.Context, city string) ([]SchoolRef, error)
}

// Index is the registry of every city in memory, built from the store on
// first use and kept until Invalidate. Searches scan a few thousand
// prepared entries in an order sorted beforehand, so they never sort.
type Index struct {
	store Store
	cache *citycache.Cache[*cityIndex]
}

// cityIndex is one city's registry, prepared for searching.
type cityIndex struct {
	entries []Entry
	keys    []string       // the lower-cased full name of each entry
	byID    map[int64]int  // entry position by teacher id
	orders  map[Sort][]row // the filter fields of every entry, in each order
	schools []SchoolRef
}

// row is what the filters look at of an entry, packed small so that a
// search reads the rows of an order one after the other.
type row struct {
	entry      int32
	experience int32
	school     int64
	category   Category
	langs      uint8 // a bit per language: 1 kk, 2 ru, 4 en
}

// langBit returns the bit of lang in row.langs.
func langBit(lang i18n.Lang) uint8 {
	switch lang {
	case i18n.KK:
		return 1
	case i18n.RU:
		return 2
	case i18n.EN:
		return 4
	}
	return 0
}

// NewIndex returns an index reading teachers and their schools from store.
func NewIndex(store Store) *Index {
	x := &Index{store: store}
	x.cache = citycache.New("teacher registry", x.build)
	return x
}

// Invalidate drops the city's index, so that the next search rebuilds it
// from the store. Importers call it after changing a city's data.
func (x *Index) Invalidate(city string) { x.cache.Invalidate(city) }

// Warm builds the city's index now, if it is not built yet.
func (x *Index) Warm(ctx context.Context, city string) error { return x.cache.Warm(ctx, city) }

// city returns the city's index, building it on first use.
func (x *Index) city(ctx context.Context, city string) (*cityIndex, error) {
	return x.cache.Get(ctx, city)
}

// build reads the city's teachers and schools and prepares the index.
func (x *Index) build(ctx context.Context, city string) (*cityIndex, error) {
	teachers, err := x.store.Teachers(ctx, city)
	if err != nil {
		return nil, fmt.Errorf("build teacher index of %s: %w", city, err)
	}
	schools, err := x.store.TeacherSchools(ctx, city)
	if err != nil {
		return nil, fmt.Errorf("build teacher index of %s: %w", city, err)
	}

	refs := make(map[int64]SchoolRef, len(schools))
	for _, s := range schools {
		refs[s.ID] = s
	}
	ci := &cityIndex{
		entries: make([]Entry, len(teachers)),
		keys:    make([]string, len(teachers)),
		byID:    make(map[int64]int, len(teachers)),
		orders:  make(map[Sort][]row, 3),
	}
	taught := make(map[int64]bool)
	for i, t := range teachers {
		ci.entries[i] = Entry{Teacher: t, School: refs[t.SchoolID]}
		ci.keys[i] = fold(t.FullName())
		ci.byID[t.ID] = i
		taught[t.SchoolID] = true
	}
	for _, s := range schools {
		if taught[s.ID] {
			ci.schools = append(ci.schools, refs[s.ID])
		}
	}
	slices.SortStableFunc(ci.schools, func(a, b SchoolRef) int {
		if a.Number != b.Number {
			return a.Number - b.Number
		}
		return strings.Compare(a.Name.KK, b.Name.KK)
	})

	// Names sort by Kazakh collation, so that ә follows а, not я.
	coll := collate.New(language.Kazakh, collate.IgnoreCase)
	var buf collate.Buffer
	sortKeys := make([][]byte, len(teachers))
	for i, t := range teachers {
		sortKeys[i] = slices.Clone(coll.KeyFromString(&buf, t.FullName()))
		buf.Reset()
	}
	byName := func(a, b int) int {
		if c := strings.Compare(string(sortKeys[a]), string(sortKeys[b])); c != 0 {
			return c
		}
		return int(ci.entries[a].ID - ci.entries[b].ID)
	}
	order := func(cmp func(a, b int) int) []row {
		o := make([]int, len(teachers))
		for i := range o {
			o[i] = i
		}
		slices.SortFunc(o, cmp)
		rows := make([]row, len(o))
		for j, i := range o {
			e := &ci.entries[i]
			rows[j] = row{entry: int32(i), experience: int32(e.Experience), school: e.SchoolID,
				category: e.Category}
			for _, l := range e.Languages {
				rows[j].langs |= langBit(l)
			}
		}
		return rows
	}
	ci.orders[SortName] = order(byName)
	ci.orders[SortExperience] = order(func(a, b int) int {
		if d := ci.entries[b].Experience - ci.entries[a].Experience; d != 0 {
			return d
		}
		return byName(a, b)
	})
	ci.orders[SortRating] = order(func(a, b int) int {
		ra, oka := ci.entries[a].Rating()
		rb, okb := ci.entries[b].Rating()
		switch {
		case oka != okb && oka:
			return -1
		case oka != okb:
			return 1
		case ra > rb:
			return -1
		case ra < rb:
			return 1
		}
		return byName(a, b)
	})
	return ci, nil
}

// Search returns the page of the city's teachers that q asks for. A city
// with no teachers has an empty registry.
func (x *Index) Search(ctx context.Context, city string, q Query) (Result, error) {
	ci, err := x.city(ctx, city)
	if err != nil {
		return Result{}, err
	}

	q = q.normal()
	words := strings.Fields(fold(q.Text))
	start := (q.Page - 1) * q.PerPage
	res := Result{Items: []Entry{}}
	lang := langBit(q.Language)
	rows := ci.orders[q.Sort]
	for j := range rows {
		if !ci.matches(&rows[j], &q, lang, words) {
			continue
		}
		if res.Total >= start && len(res.Items) < q.PerPage {
			res.Items = append(res.Items, ci.entries[rows[j].entry])
		}
		res.Total++
	}
	return res, nil
}

// normal returns q with its defaults filled in and its page size bounded.
func (q Query) normal() Query {
	if !slices.Contains(Sorts(), q.Sort) {
		q.Sort = SortRating
	}
	q.Page = max(q.Page, 1)
	if q.PerPage <= 0 {
		q.PerPage = 20
	}
	q.PerPage = min(q.PerPage, MaxPerPage)
	return q
}

// matches reports whether the entry of r passes every filter of q; lang is
// the bit of q.Language.
func (ci *cityIndex) matches(r *row, q *Query, lang uint8, words []string) bool {
	switch {
	case q.School != 0 && r.school != q.School,
		q.Category != "" && r.category != q.Category,
		q.Language != "" && r.langs&lang == 0,
		int(r.experience) < q.MinExperience,
		q.MaxExperience > 0 && int(r.experience) > q.MaxExperience:
		return false
	}
	for _, w := range words {
		if !strings.Contains(ci.keys[r.entry], w) {
			return false
		}
	}
	return true
}

// Teacher returns one teacher of the city with their school.
func (x *Index) Teacher(ctx context.Context, city string, id int64) (Entry, error) {
	ci, err := x.city(ctx, city)
	if err != nil {
		return Entry{}, err
	}
	i, ok := ci.byID[id]
	if !ok {
		return Entry{}, fmt.Errorf("teacher %d of %s: %w", id, city, errs.ErrNotFound)
	}
	return ci.entries[i], nil
}

// Schools returns the schools that have teachers, by number then name.
func (x *Index) Schools(ctx context.Context, city string) ([]SchoolRef, error) {
	ci, err := x.city(ctx, city)
	if err != nil {
		return nil, err
	}
	return ci.schools, nil
}

// fold prepares a name for matching: lower case, ё as е, and the Latin
// letters that look Cyrillic read as Cyrillic, so that a name typed on a
// Latin keyboard layout by mistake is still found.
func fold(s string) string {
	return lookalikes.Replace(strings.ToLower(s))
}

var lookalikes = strings.NewReplacer(
	"ё", "е", "a", "а", "c", "с", "e", "е", "o", "о", "p", "р", "x", "х", "y", "у", "k", "к",
)
