package school

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"sakura/internal/campaign"
	"sakura/internal/citycache"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/teacher"
)

// Listing is a school as the registry shows it, with this year's seats.
type Listing struct {
	*School
	Grade1  Seats
	Grade10 Seats
}

// Result is one page of a search.
type Result struct {
	Total   int       // schools matching, on every page
	Page    int       // from 1
	PerPage int       // schools a page
	Pages   int       // at least 1
	Items   []Listing // this page's schools, in order
}

// Registry is the public school data of each city in memory, loaded from a
// Store on first use and kept until Invalidate. Searches, filters and
// passports read it without touching the database; it is safe for
// concurrent use. The Schools it returns are shared: callers must not
// change them.
//
// The seats are apart: decisions change them all day, so they are read
// again at most SeatsMaxAge after they were read, in the background, and
// public pages show them at most that late.
type Registry struct {
	store Store
	seats SeatStore
	now   func() time.Time // decides the campaign year
	cache *citycache.Cache[*index]
	free  *citycache.Cache[*seatIndex]
}

// SeatsMaxAge is how old the seats public pages show may be.
const SeatsMaxAge = 15 * time.Second

// NewRegistry returns a registry reading schools from store and their
// seats from seats, in the campaign year in force at now (nil: time.Now).
func NewRegistry(store Store, seats SeatStore, now func() time.Time) *Registry {
	if now == nil {
		now = time.Now
	}
	r := &Registry{store: store, seats: seats, now: now}
	r.cache = citycache.New("school registry", r.build)
	r.free = citycache.WithMaxAge("school seats", SeatsMaxAge, r.buildSeats)
	return r
}

// Invalidate drops what the registry holds about city, so that the next
// call loads it afresh. Importers call it after changing a city's schools.
func (r *Registry) Invalidate(city string) {
	r.cache.Invalidate(city)
	r.free.Invalidate(city)
}

// Warm loads city now, if it is not loaded yet, so that the first visitor
// does not wait for it.
func (r *Registry) Warm(ctx context.Context, city string) error { return r.cache.Warm(ctx, city) }

// index returns the index of city, loading it once however many requests
// ask at the same time.
func (r *Registry) index(ctx context.Context, city string) (*index, error) {
	return r.cache.Get(ctx, city)
}

// index is one city's schools with what searching them needs.
type index struct {
	schools []School // by id
	byID    map[int64]int
	hay     []string            // folded text each school is found by
	order   map[Sort][]int      // positions in each order but ByName and ByFree
	byName  map[i18n.Lang][]int // positions in name order per language
}

// seatIndex is the seats of one city's schools, by their position in the
// index they were counted for.
type seatIndex struct {
	of      *index
	grade1  []Seats
	grade10 []Seats
	byFree  []int // positions, the most free grade-1 seats first
}

func (r *Registry) build(ctx context.Context, city string) (*index, error) {
	schools, err := r.store.Schools(ctx, city)
	if err != nil {
		return nil, fmt.Errorf("load school registry of %s: %w", city, err)
	}

	n := len(schools)
	x := &index{
		schools: schools,
		byID:    make(map[int64]int, n),
		hay:     make([]string, n),
		order:   make(map[Sort][]int),
		byName:  make(map[i18n.Lang][]int),
	}
	for i := range schools {
		s := &schools[i]
		x.byID[s.ID] = i
		x.hay[i] = " " + fold(strings.Join([]string{
			strconv.Itoa(s.Number), s.Name.KK, s.Name.RU, s.Name.EN,
			s.Address.KK, s.Address.RU, s.Address.EN, s.BIN,
		}, " ")) + " "
	}

	// Each order is computed once; a search walks one and filters.
	positions := func(less func(a, b int) int) []int {
		p := make([]int, n)
		for i := range p {
			p[i] = i
		}
		slices.SortStableFunc(p, less)
		return p
	}
	byNumber := func(a, b int) int {
		na, nb := schools[a].Number, schools[b].Number
		if (na == 0) != (nb == 0) {
			return cmp.Compare(nb, na) // unnumbered last
		}
		return cmp.Or(cmp.Compare(na, nb), cmp.Compare(schools[a].ID, schools[b].ID))
	}
	x.order[ByNumber] = positions(byNumber)
	x.order[ByDistrict] = positions(func(a, b int) int {
		return cmp.Or(cmp.Compare(schools[a].District, schools[b].District), byNumber(a, b))
	})
	for _, lang := range i18n.Langs {
		tag := map[i18n.Lang]language.Tag{i18n.KK: language.Kazakh, i18n.RU: language.Russian,
			i18n.EN: language.English}[lang]
		col := collate.New(tag, collate.IgnoreCase, collate.Numeric)
		x.byName[lang] = positions(func(a, b int) int {
			return cmp.Or(col.CompareString(schools[a].Name.In(lang), schools[b].Name.In(lang)),
				byNumber(a, b))
		})
	}
	return x, nil
}

// matcher is a compiled Filter.
type matcher struct {
	f      Filter
	words  []string // folded words of the query, each " word " when a number
	number int      // the school number, when the query is one number alone
}

// newMatcher compiles f. A query of one number alone («12», «№ 12») finds
// the school of that number; with words beside it («Абай 150») a number is
// a whole number of the name or the address.
func newMatcher(f Filter) matcher {
	m := matcher{f: f}
	words := strings.Fields(fold(f.Query))
	if len(words) == 1 && isNumber(words[0]) && len(words[0]) < 7 {
		m.number, _ = strconv.Atoi(words[0])
		if m.number > 0 {
			return m
		}
	}
	for _, w := range words {
		if isNumber(w) {
			w = " " + w + " " // a number matches a whole number only
		}
		m.words = append(m.words, w)
	}
	return m
}

func (m matcher) match(x *index, i int) bool {
	s := &x.schools[i]
	f := m.f
	if f.Type != "" && s.Type != f.Type ||
		f.Ownership != "" && s.Ownership != f.Ownership ||
		f.District != "" && s.District != f.District ||
		f.Language != "" && !slices.Contains(s.Languages, f.Language) {
		return false
	}
	if m.number != 0 && s.Number != m.number {
		return false
	}
	for _, w := range m.words {
		if !strings.Contains(x.hay[i], w) {
			return false
		}
	}
	return true
}

// buildSeats counts the seats of city's schools in the campaign year in
// force, with the campaign's class size.
func (r *Registry) buildSeats(ctx context.Context, city string) (*seatIndex, error) {
	x, err := r.index(ctx, city)
	if err != nil {
		return nil, err
	}
	year := campaign.YearAt(r.now())
	c, err := r.seats.Campaign(ctx, city, year)
	if err != nil {
		return nil, fmt.Errorf("seats of %s: %w", city, err)
	}
	plans, err := r.seats.SeatPlans(ctx, city, year)
	if err != nil {
		return nil, fmt.Errorf("seats of %s: %w", city, err)
	}
	n := len(x.schools)
	si := &seatIndex{of: x, grade1: make([]Seats, n), grade10: make([]Seats, n), byFree: make([]int, n)}
	for i := range x.schools {
		s := &x.schools[i]
		p, ok := plans[s.ID]
		if !ok {
			p = Plan{Grade1Classes: s.Grade1Classes, Grade10Classes: s.Grade10Classes}
		}
		si.grade1[i] = NewSeats(p.Grade1Classes, c.ClassSize, p.Grade1Taken)
		si.grade10[i] = NewSeats(p.Grade10Classes, c.ClassSize, p.Grade10Taken)
		si.byFree[i] = i
	}
	number := x.order[ByNumber]
	rank := make([]int, n)
	for k, i := range number {
		rank[i] = k
	}
	slices.SortStableFunc(si.byFree, func(a, b int) int {
		return cmp.Or(cmp.Compare(si.grade1[b].Free, si.grade1[a].Free), cmp.Compare(rank[a], rank[b]))
	})
	return si, nil
}

// seatsOf returns the seats counted for x, counting them again when they
// were counted for an index that has since been rebuilt.
func (r *Registry) seatsOf(ctx context.Context, city string, x *index) (*seatIndex, error) {
	si, err := r.free.Get(ctx, city)
	if err == nil && si.of != x {
		r.free.Invalidate(city)
		si, err = r.free.Get(ctx, city)
	}
	if err != nil {
		return nil, err
	}
	if si.of != x {
		return nil, fmt.Errorf("seats of %s: the registry changed while they were counted", city)
	}
	return si, nil
}

func (x *index) ordered(f Filter, lang i18n.Lang, si *seatIndex) []int {
	if f.Sort == ByFree {
		return si.byFree
	}
	if f.Sort == ByName {
		if p, ok := x.byName[lang]; ok {
			return p
		}
		return x.byName[i18n.KK]
	}
	if p, ok := x.order[f.Sort]; ok {
		return p
	}
	return x.order[ByNumber]
}

func (x *index) listing(i int, si *seatIndex) Listing {
	return Listing{School: &x.schools[i], Grade1: si.grade1[i], Grade10: si.grade10[i]}
}

// indexes returns city's index and its seats.
func (r *Registry) indexes(ctx context.Context, city string) (*index, *seatIndex, error) {
	x, err := r.index(ctx, city)
	if err != nil {
		return nil, nil, err
	}
	si, err := r.seatsOf(ctx, city, x)
	if err != nil {
		return nil, nil, err
	}
	return x, si, nil
}

// Search returns the page of city's schools that f asks for; names sort in
// lang. A page past the last is empty, with the total still counted.
func (r *Registry) Search(ctx context.Context, city string, lang i18n.Lang, f Filter) (Result, error) {
	x, si, err := r.indexes(ctx, city)
	if err != nil {
		return Result{}, err
	}

	m := newMatcher(f)
	res := Result{Page: f.page(), PerPage: f.perPage()}
	first := (res.Page - 1) * res.PerPage
	for _, i := range x.ordered(f, lang, si) {
		if !m.match(x, i) {
			continue
		}
		if res.Total >= first && len(res.Items) < res.PerPage {
			res.Items = append(res.Items, x.listing(i, si))
		}
		res.Total++
	}
	res.Pages = max(1, (res.Total+res.PerPage-1)/res.PerPage)
	return res, nil
}

// All returns every school of city that f lets through, in f's order and
// ignoring its paging: what a map or an export shows.
func (r *Registry) All(ctx context.Context, city string, lang i18n.Lang, f Filter) ([]Listing, error) {
	x, si, err := r.indexes(ctx, city)
	if err != nil {
		return nil, err
	}

	m := newMatcher(f)
	var out []Listing
	for _, i := range x.ordered(f, lang, si) {
		if m.match(x, i) {
			out = append(out, x.listing(i, si))
		}
	}
	return out, nil
}

// School returns one school of city with its seats, or an error matching
// errs.ErrNotFound; a school of another city is not found.
func (r *Registry) School(ctx context.Context, city string, id int64) (Listing, error) {
	x, si, err := r.indexes(ctx, city)
	if err != nil {
		return Listing{}, err
	}
	i, ok := x.byID[id]
	if !ok {
		return Listing{}, fmt.Errorf("school %d of %s: %w", id, city, errs.ErrNotFound)
	}
	return x.listing(i, si), nil
}

// Service is everything the public pages read about schools: the registry
// in memory, and the passport's catchment and teachers from a
// PassportStore, kept in memory once read until the city is invalidated.
type Service struct {
	*Registry
	passports PassportStore
	now       func() time.Time // decides the school year

	mu     sync.Mutex
	extras map[string]map[extraKey]any // city → (school, year, what) → value
}

type extraKey struct {
	school int64
	year   int // 0 for teachers
}

// NewService returns the school service over a store that holds schools,
// their seats, campaigns, catchments and teachers; now tells the date,
// which decides the school year whose catchment a passport shows and the
// campaign whose seats it counts (nil means time.Now).
func NewService(store interface {
	Store
	SeatStore
	PassportStore
}, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{Registry: NewRegistry(store, store, now), passports: store, now: now,
		extras: make(map[string]map[extraKey]any)}
}

// Passport is everything a school's passport shows.
type Passport struct {
	Listing
	Territory Territory         // the catchment in force this school year
	Teachers  []teacher.Teacher // the primary teachers
	Photos    []Photo           // the photos its staff uploaded
}

// Passport returns the passport of one school of the city, or an error
// matching errs.ErrNotFound. What it returns is shared: do not change it.
func (s *Service) Passport(ctx context.Context, city string, id int64) (Passport, error) {
	l, err := s.School(ctx, city, id)
	if err != nil {
		return Passport{}, err
	}
	t, err := s.Territory(ctx, city, id, SchoolYear(s.now()))
	if err != nil {
		return Passport{}, err
	}
	teachers, err := s.SchoolTeachers(ctx, city, id)
	if err != nil {
		return Passport{}, err
	}
	photos, err := cached(s, city, extraKey{id, photosYear}, func() ([]Photo, error) {
		return s.passports.SchoolPhotos(ctx, city, id)
	})
	if err != nil {
		return Passport{}, err
	}
	return Passport{Listing: l, Territory: t, Teachers: teachers, Photos: photos}, nil
}

// photosYear is the year of the extras key that keeps a school's photos.
const photosYear = -1

// Invalidate drops what the service holds about city.
func (s *Service) Invalidate(city string) {
	s.Registry.Invalidate(city)
	s.mu.Lock()
	delete(s.extras, city)
	s.mu.Unlock()
}

// cached returns the value kept for city and k, or loads and keeps it.
func cached[T any](s *Service, city string, k extraKey, load func() (T, error)) (T, error) {
	s.mu.Lock()
	v, ok := s.extras[city][k]
	s.mu.Unlock()
	if ok {
		return v.(T), nil
	}

	got, err := load()
	if err != nil {
		return got, err
	}
	s.mu.Lock()
	if s.extras[city] == nil {
		s.extras[city] = make(map[extraKey]any)
	}
	s.extras[city][k] = got
	s.mu.Unlock()
	return got, nil
}

// Territory returns the school's catchment for the latest school year up
// to year (see PassportStore). The result is shared: do not change it.
func (s *Service) Territory(ctx context.Context, city string, schoolID int64, year int) (Territory, error) {
	return cached(s, city, extraKey{schoolID, year}, func() (Territory, error) {
		return s.passports.Territory(ctx, city, schoolID, year)
	})
}

// SchoolTeachers returns the school's primary teachers (see
// PassportStore). The result is shared: do not change it.
func (s *Service) SchoolTeachers(ctx context.Context, city string, schoolID int64) ([]teacher.Teacher, error) {
	return cached(s, city, extraKey{schoolID, 0}, func() ([]teacher.Teacher, error) {
		return s.passports.SchoolTeachers(ctx, city, schoolID)
	})
}
