package address

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"sakura/internal/i18n"
)

// Index answers address questions about one city from memory: suggestions
// as a parent types, and which building a short address names. It is built
// once from the city's register and only read afterwards, so any number of
// goroutines may use it at once.
type Index struct {
	streets   []indexedStreet
	buildings map[int64][]Building // by street, in number order
	numbers   map[int64][]string   // their numbers normalised, in the same order
	byNumber  map[houseKey]int     // position in buildings[street]
	byID      map[int64]houseRef
	byLetter  map[rune][]int // streets with a name word starting with the letter
}

// indexedStreet is a street with the forms of its names the index compares.
type indexedStreet struct {
	street Street
	text   i18n.Text // the name with its kind, in each language
	names  []name
}

// name is one form of a street's name: its folded words and their stems.
type name struct {
	folded string
	words  []string
	stems  []string
	old    bool // a former name
}

type houseKey struct {
	street int64
	number string
}

type houseRef struct {
	street int64
	pos    int
}

// Suggestion is a street, or a building on it, that a query may mean.
type Suggestion struct {
	Street   Street
	Building *Building // nil when the suggestion is the street alone
	Text     i18n.Text // «Абай даңғылы, 150», «пр. Абая, 150», "150 Abay Avenue"
	score    int
}

// Resolution is what a query names: the building, when the index finds
// exactly one, and otherwise the near misses a parent may have meant.
type Resolution struct {
	Query      Query
	Building   *Building // nil when the query names no building
	Street     *Street   // the building's street
	Text       i18n.Text // the building's address, when found
	NearMisses []Suggestion
}

// NewIndex builds the index of a city's streets and buildings. Buildings on
// a street the list does not hold are left out.
func NewIndex(streets []Street, buildings []Building) *Index {
	x := &Index{
		buildings: make(map[int64][]Building, len(streets)),
		numbers:   make(map[int64][]string, len(streets)),
		byNumber:  make(map[houseKey]int, len(buildings)),
		byID:      make(map[int64]houseRef, len(buildings)),
		byLetter:  make(map[rune][]int),
	}
	known := make(map[int64]bool, len(streets))
	for _, s := range streets {
		known[s.ID] = true
		is := indexedStreet{street: s, text: StreetText(s)}
		seen := map[string]bool{}
		add := func(n string, old bool) {
			n = StreetKey(n)
			if n == "" || seen[n] {
				return
			}
			seen[n] = true
			words := strings.Fields(n)
			is.names = append(is.names, name{folded: n, words: words, stems: stems(words), old: old})
		}
		for _, n := range []string{s.Name.KK, s.Name.RU, s.Name.EN} {
			add(n, false)
			add(strings.ReplaceAll(n, "-", " "), false) // «Самал 2», «Е 246»
		}
		for _, o := range s.OldNames {
			add(o, true)
			add(strings.ReplaceAll(o, "-", " "), true)
		}
		x.streets = append(x.streets, is)
	}
	slices.SortFunc(x.streets, func(a, b indexedStreet) int { return cmp.Compare(a.street.ID, b.street.ID) })
	for i, is := range x.streets {
		seen := map[rune]bool{}
		for _, n := range is.names {
			for _, w := range n.words {
				r, _ := utf8.DecodeRuneInString(w)
				if !seen[r] {
					seen[r] = true
					x.byLetter[r] = append(x.byLetter[r], i)
				}
			}
		}
	}

	for _, b := range buildings {
		if known[b.StreetID] {
			x.buildings[b.StreetID] = append(x.buildings[b.StreetID], b)
		}
	}
	for street, list := range x.buildings {
		slices.SortFunc(list, func(a, b Building) int { return compareNumbers(a.Number, b.Number) })
		numbers := make([]string, len(list))
		for i, b := range list {
			numbers[i] = NormalizeNumber(b.Number)
			x.byNumber[houseKey{street, numbers[i]}] = i
			x.byID[b.ID] = houseRef{street, i}
		}
		x.numbers[street] = numbers
	}
	return x
}

// Len returns the number of streets and of buildings the index holds.
func (x *Index) Len() (streets, buildings int) {
	return len(x.streets), len(x.byID)
}

// Building returns the building with the id, its street and its address.
func (x *Index) Building(id int64) (Building, Street, bool) {
	ref, ok := x.byID[id]
	if !ok {
		return Building{}, Street{}, false
	}
	s := x.street(ref.street)
	return x.buildings[ref.street][ref.pos], s.street, true
}

// street returns the indexed street with the id; the id is known.
func (x *Index) street(id int64) *indexedStreet {
	i, _ := slices.BinarySearchFunc(x.streets, id, func(s indexedStreet, id int64) int {
		return cmp.Compare(s.street.ID, id)
	})
	return &x.streets[i]
}

// Scores of a street name against a query, best first.
const (
	scoreExact  = 100 // the same words
	scoreStem   = 90  // the same stems: Абая and Абай
	scorePrefix = 70  // each word typed is the start of the name's word
	scoreAny    = 50  // each word typed starts some word of the name
	scoreFuzzy  = 30  // a word or two mistyped
)

// matchStreets scores every street against the street part of a query and
// returns those scoring at least floor, best first. Fuzzy matching runs
// only when fuzzy is true.
func (x *Index) matchStreets(street string, floor int, fuzzy bool) []scored {
	words := strings.Fields(street)
	if len(words) == 0 {
		return nil
	}
	qs := stems(words)
	var out []scored

	// Every match has a name word starting as the first word typed does.
	first, _ := utf8.DecodeRuneInString(words[0])
	for _, i := range x.byLetter[first] {
		best := 0
		for _, n := range x.streets[i].names {
			s := scoreName(street, words, qs, n)
			if s > 0 && n.old {
				s-- // a current name wins a tie
			}
			best = max(best, s)
		}
		if best >= floor {
			out = append(out, scored{i, best})
		}
	}
	if len(out) == 0 && fuzzy {
		for i := range x.streets {
			best := 0
			for _, n := range x.streets[i].names {
				if d := distance(street, n.folded, 2); d <= maxTypos(street) {
					best = max(best, scoreFuzzy-5*d)
				}
			}
			if best > 0 {
				out = append(out, scored{i, best})
			}
		}
	}
	slices.SortFunc(out, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		sa, sb := x.streets[a.pos].names[0].folded, x.streets[b.pos].names[0].folded
		if c := cmp.Compare(len(sa), len(sb)); c != 0 {
			return c
		}
		return cmp.Compare(sa, sb)
	})
	return out
}

type scored struct{ pos, score int }

// scoreName scores one form of a street's name against the query's words.
func scoreName(street string, words, qs []string, n name) int {
	switch {
	case street == n.folded:
		return scoreExact
	case slices.Equal(qs, n.stems):
		return scoreStem
	}
	if len(words) <= len(n.words) {
		prefix := true
		for i, w := range qs {
			if !strings.HasPrefix(n.words[i], w) && !strings.HasPrefix(n.words[i], words[i]) {
				prefix = false
				break
			}
		}
		if prefix {
			return scorePrefix
		}
	}
	for i, w := range qs {
		found := false
		for _, nw := range n.words {
			if strings.HasPrefix(nw, w) || strings.HasPrefix(nw, words[i]) {
				found = true
				break
			}
		}
		if !found {
			return 0
		}
	}
	return scoreAny
}

// maxTypos is how many mistakes a street name of this length may hold.
func maxTypos(s string) int {
	switch n := utf8.RuneCountInString(s); {
	case n >= 8:
		return 2
	case n >= 4:
		return 1
	}
	return 0
}

// stems returns the words without a final vowel, which is how Russian
// genitive names meet their Kazakh forms: абая and абаи are both аба.
func stems(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = stem(w)
	}
	return out
}

func stem(w string) string {
	if utf8.RuneCountInString(w) <= 3 {
		return w
	}
	r, size := utf8.DecodeLastRuneInString(w)
	if strings.ContainsRune("аяыиоеуaeiouy", r) {
		return w[:len(w)-size]
	}
	return w
}

// Suggest returns up to limit streets and buildings the query may mean,
// best first. A query with a house number suggests buildings whose number
// starts with it; one without suggests streets.
func (x *Index) Suggest(query string, limit int) []Suggestion {
	if limit <= 0 {
		return nil
	}
	q := Parse(query)
	if q.Street == "" {
		// A number alone may start a numbered street: «№ 134».
		q = Query{Street: StreetKey(query)}
		if q.Street == "" {
			return nil
		}
	}
	streets := x.matchStreets(q.Street, scoreAny, true)

	var out []Suggestion
	if q.Number == "" {
		for _, s := range streets {
			if len(out) == limit {
				break
			}
			is := &x.streets[s.pos]
			out = append(out, Suggestion{Street: is.street, Text: is.text, score: s.score})
		}
		return out
	}

	// Buildings: the exact number on each street first, then numbers that
	// start with what was typed, street by street.
	streets = streets[:min(len(streets), 8)]
	for _, s := range streets {
		is := &x.streets[s.pos]
		if i, ok := x.byNumber[houseKey{is.street.ID, q.Number}]; ok {
			out = append(out, x.suggestion(is, i, s.score+20))
		}
	}
	for _, s := range streets {
		is := &x.streets[s.pos]
		for i, n := range x.numbers[is.street.ID] {
			if len(out) >= limit*2 {
				break
			}
			if n != q.Number && strings.HasPrefix(n, q.Number) {
				out = append(out, x.suggestion(is, i, s.score))
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Suggestion) int { return cmp.Compare(b.score, a.score) })
	return out[:min(len(out), limit)]
}

// suggestion is the building at position i on the street.
func (x *Index) suggestion(is *indexedStreet, i, score int) Suggestion {
	b := x.buildings[is.street.ID][i]
	return Suggestion{Street: is.street, Building: &b, Text: HouseText(is.street, b.Number), score: score}
}

// Resolve finds the building a query names. When it finds none, the
// resolution holds near misses: other numbers on the same street, then the
// same number on streets with similar names.
func (x *Index) Resolve(query string) Resolution {
	q := Parse(query)
	res := Resolution{Query: q}
	if q.Street == "" {
		return res
	}
	streets := x.matchStreets(q.Street, scoreStem, false)
	if q.Number == "" {
		res.NearMisses = x.Suggest(query, 5)
		return res
	}

	for _, s := range streets {
		is := &x.streets[s.pos]
		if i, ok := x.byNumber[houseKey{is.street.ID, q.Number}]; ok {
			b := x.buildings[is.street.ID][i]
			res.Building, res.Street, res.Text = &b, &is.street, HouseText(is.street, b.Number)
			return res
		}
	}

	// The same street, the nearest numbers.
	want := leadingNumber(q.Number)
	for _, s := range streets[:min(len(streets), 2)] {
		is := &x.streets[s.pos]
		list := x.buildings[is.street.ID]
		order := make([]int, len(list))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int {
			da, db := abs(leadingNumber(list[a].Number)-want), abs(leadingNumber(list[b].Number)-want)
			return cmp.Compare(da, db)
		})
		for _, i := range order[:min(len(order), 4)] {
			res.NearMisses = append(res.NearMisses, x.suggestion(is, i, s.score))
		}
	}

	// Other streets, with that number.
	for _, s := range x.matchStreets(q.Street, scoreFuzzy-10, true) {
		if len(res.NearMisses) >= 8 {
			break
		}
		is := &x.streets[s.pos]
		if s.score >= scoreStem {
			continue // already offered above
		}
		if i, ok := x.byNumber[houseKey{is.street.ID, q.Number}]; ok {
			res.NearMisses = append(res.NearMisses, x.suggestion(is, i, s.score))
		}
	}
	return res
}

// compareNumbers orders house numbers as people read them: 2, 9А, 10, 10/1.
func compareNumbers(a, b string) int {
	if c := cmp.Compare(leadingNumber(a), leadingNumber(b)); c != 0 {
		return c
	}
	return cmp.Compare(a, b)
}

// leadingNumber returns the number a house number starts with.
func leadingNumber(s string) int {
	end := 0
	for end < len(s) && end < 9 && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.Atoi(s[:end])
	return n
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// distance returns the edit distance between a and b, or limit+1 once it is
// sure to exceed limit.
func distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if abs(len(ra)-len(rb)) > limit {
		return limit + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			low = min(low, cur[j])
		}
		if low > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
