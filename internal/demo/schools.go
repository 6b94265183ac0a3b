package demo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"

	"sakura/internal/address"
	"sakura/internal/geo"
	"sakura/internal/i18n"
	"sakura/internal/iin"
	"sakura/internal/school"
)

// specialDef is a specialised school of a city: a Nazarbayev Intellectual
// School, a lyceum for gifted children. A name with a %d takes a number
// from the city's numbering.
type specialDef struct {
	name     i18n.Text
	mail     string // the e-mail's local part and domain, before the city
	founded  int
	profiles []string
}

// specialSchools returns the specialised schools of a city.
func specialSchools(slug string) []specialDef {
	nisFM := specialDef{
		name: i18n.Text{
			KK: "Физика-математика бағытындағы Назарбаев Зияткерлік мектебі",
			RU: "Назарбаев Интеллектуальная школа физико-математического направления",
			EN: "Nazarbayev Intellectual School of Physics and Mathematics",
		},
		mail: "fm@nis", founded: 2012,
		profiles: []string{school.ProfileNaturalMath, school.ProfileEngineering, school.ProfileICT},
	}
	nisCB := specialDef{
		name: i18n.Text{
			KK: "Химия-биология бағытындағы Назарбаев Зияткерлік мектебі",
			RU: "Назарбаев Интеллектуальная школа химико-биологического направления",
			EN: "Nazarbayev Intellectual School of Chemistry and Biology",
		},
		mail: "hb@nis", founded: 2013,
		profiles: []string{school.ProfileNaturalMath, school.ProfileMedicine},
	}
	gifted := specialDef{
		name: i18n.Text{
			KK: "Дарынды балаларға арналған № %d мамандандырылған лицей",
			RU: "Специализированный лицей № %d для одарённых детей",
			EN: "Specialised lyceum No. %d for gifted children",
		},
		founded:  1994,
		profiles: []string{school.ProfileNaturalMath, school.ProfileICT},
	}
	bilim := specialDef{
		name: i18n.Text{
			KK: "№ %d «Білім-инновация» лицей-интернаты",
			RU: "Лицей-интернат «Білім-инновация» № %d",
			EN: "Bilim-Innovation boarding lyceum No. %d",
		},
		founded:  2008,
		profiles: []string{school.ProfileNaturalMath, school.ProfileEngineering},
	}
	if slug == "astana" {
		nisIB := specialDef{
			name: i18n.Text{
				KK: "Халықаралық бакалавриат бағдарламасы бойынша Назарбаев Зияткерлік мектебі",
				RU: "Назарбаев Интеллектуальная школа Международного бакалавриата",
				EN: "Nazarbayev Intellectual School of International Baccalaureate",
			},
			mail: "ib@nis", founded: 2010,
			profiles: []string{school.ProfileNaturalMath, school.ProfileSocialHumanities},
		}
		return []specialDef{nisFM, nisCB, nisIB, gifted, bilim, bilim}
	}
	rfmsh := specialDef{
		name: i18n.Text{
			KK: "Республикалық физика-математика мектебі",
			RU: "Республиканская физико-математическая школа",
			EN: "Republican Physics and Mathematics School",
		},
		mail: "info@rfmsh", founded: 1972,
		profiles: []string{school.ProfileNaturalMath, school.ProfileICT, school.ProfileEngineering},
	}
	return []specialDef{nisFM, nisCB, rfmsh, gifted, gifted, bilim, bilim}
}

// privateWords are the proper names private schools take.
func privateWords() []string {
	return []string{
		"Зерде", "Өркен", "Дарын", "Ұшқын", "Самға", "Парасат", "Кемел", "Білгір", "Ойлан",
		"Азат", "Мұрагер", "Нұрлы болашақ", "Ақ Орда", "Шаңырақ", "Алтын бесік", "Зияткер",
		"Ақниет", "Талап", "Жігер", "Арман", "Сенім", "Бірлік", "Игілік", "Ақыл", "Қанат",
		"Тұлпар", "Жұлдыз", "Шабыт", "Айдын", "Бастау", "Өрлеу", "Сұңқар", "Көшбасшы",
		"Ізденіс", "Ынта", "Ақжол", "Мирас", "Дана", "Ойшыл", "Ұлағат",
	}
}

// slot is a school before it has a place in the register.
type slot struct {
	district  string
	typ       school.Type
	ownership school.Ownership
	number    int
	name      i18n.Text
	email     string
	website   string
	founded   int
	profiles  []string // fixed profiles of a specialised school
}

// schools makes the city's schools, each with its own new building beside
// a residential one (its anchor, returned by school), and returns the
// buildings with the schools' added.
func (g *gen) schools(streets []address.Street, buildings []address.Building) (
	[]school.School, []address.Building, map[int64]int) {
	r := g.rand("schools")
	slots := g.slots(r)

	// Index the residential buildings by district, and the buildings by
	// street: each street's are a run of the list.
	homes := make(map[string][]int)
	runs := make(map[int64][2]int)
	for i, b := range buildings {
		if b.Residential {
			homes[b.District] = append(homes[b.District], i)
		}
		run, ok := runs[b.StreetID]
		if !ok {
			run[0] = i
		}
		run[1] = i + 1
		runs[b.StreetID] = run
	}
	streetByID := make(map[int64]address.Street, len(streets))
	for _, s := range streets {
		streetByID[s.ID] = s
	}

	var near []address.Building // the schools' buildings so far

	// taken reports whether a number is taken on a street, by the schools
	// too.
	taken := func(street int64) func(string) bool {
		return func(number string) bool {
			for _, b := range buildings[runs[street][0]:runs[street][1]] {
				if b.Number == number {
					return true
				}
			}
			return slices.ContainsFunc(near, func(b address.Building) bool {
				return b.StreetID == street && b.Number == number
			})
		}
	}

	bins, phones := make(map[string]bool), make(map[string]bool)
	anchors := make(map[int64]int)

	var schools []school.School
	for _, sl := range slots {
		anchor := g.anchor(r, homes[sl.district], buildings, near)
		a := buildings[anchor]
		st := streetByID[a.StreetID]
		b := address.Building{
			ID:       g.id(len(buildings) + 1),
			City:     g.def.slug,
			StreetID: a.StreetID,
			District: sl.district,
			Number:   freeNumber(a.Number, taken(a.StreetID)),
			Code:     g.code(len(buildings)),
			Location: g.beside(r, a.Location, sl.district),
		}
		buildings = append(buildings, b)
		near = append(near, b)

		s := g.school(r, sl, bins, phones)
		s.ID = g.id(len(schools) + 1)
		s.BuildingID = b.ID
		s.Address = addressText(g.def.name, st, b.Number)
		s.Location = b.Location
		schools = append(schools, s)
		anchors[s.ID] = anchor
	}
	return schools, buildings, anchors
}

// slots decides what the city's schools are and which district each is
// in, ordered as the register lists them: by number, then by name.
func (g *gen) slots(r *rand.Rand) []slot {
	// Share the schools among the districts by their weights.
	quota := make(map[string]int)
	var weights float64
	for _, d := range g.def.districts {
		weights += d.schools
	}
	left := g.def.schools
	for _, d := range g.def.districts {
		quota[d.slug] = int(float64(g.def.schools) * d.schools / weights)
		left -= quota[d.slug]
	}
	for i := 0; left > 0; i, left = i+1, left-1 {
		quota[g.def.districts[i%len(g.def.districts)].slug]++
	}

	// Specialised and private schools first, leaving every district at
	// least four public schools to serve its catchments.
	var slots []slot
	for _, sp := range specialSchools(g.def.slug) {
		sl := slot{district: g.drawDistrict(r, quota, false), typ: school.Specialised,
			ownership: school.Public, name: sp.name, founded: sp.founded, profiles: sp.profiles}
		if sp.mail != "" {
			sl.email = fmt.Sprintf("%s.%s.edu.kz", sp.mail, g.def.slug)
		}
		slots = append(slots, sl)
	}
	words := privateWords()
	r.Shuffle(len(words), func(i, j int) { words[i], words[j] = words[j], words[i] })
	for _, word := range words[:g.def.private] {
		slots = append(slots, g.privateSlot(r, g.drawDistrict(r, quota, true), word))
	}
	for _, d := range g.def.districts {
		for range quota[d.slug] {
			slots = append(slots, slot{district: d.slug, typ: publicType(r, d.outskirts),
				ownership: school.Public})
		}
	}

	// Number the public schools, the outskirts' mostly later (they are
	// newer), with a few numbers left unused by closed schools.
	var numbered []int
	key := make(map[int]float64)
	for i, sl := range slots {
		numberedSpecial := strings.Contains(sl.name.RU, "%d")
		if sl.ownership == school.Public && (sl.typ != school.Specialised || numberedSpecial) {
			numbered = append(numbered, i)
			key[i] = r.Float64() * 1.3
			if g.district(sl.district).outskirts {
				key[i]++
			}
		}
	}
	slices.SortStableFunc(numbered, func(a, b int) int { return cmp.Compare(key[a], key[b]) })
	n := 0
	for rank, i := range numbered {
		n += 1 + r.IntN(25)/24
		g.numberSlot(r, &slots[i], n, float64(rank)/float64(len(numbered)))
	}

	slices.SortStableFunc(slots, func(a, b slot) int {
		if c := cmp.Compare(unnumbered(a), unnumbered(b)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.number, b.number); c != 0 {
			return c
		}
		return cmp.Compare(a.name.RU, b.name.RU)
	})
	return slots
}

// unnumbered is 1 for a school without a number, which the register lists
// after the numbered ones, and 0 for the others.
func unnumbered(sl slot) int {
	if sl.number == 0 {
		return 1
	}
	return 0
}

// drawDistrict draws a district for a school without a catchment, in
// proportion to the schools still to place there, never taking one of the
// last four. Private schools prefer the city proper.
func (g *gen) drawDistrict(r *rand.Rand, quota map[string]int, private bool) string {
	var total float64
	weight := make([]float64, len(g.def.districts))
	for i, d := range g.def.districts {
		if quota[d.slug] > 4 {
			weight[i] = float64(quota[d.slug])
			if private && !d.outskirts {
				weight[i] *= 2
			}
		}
		total += weight[i]
	}
	x := r.Float64() * total
	for i, d := range g.def.districts {
		if x < weight[i] || i == len(g.def.districts)-1 {
			quota[d.slug]--
			return d.slug
		}
		x -= weight[i]
	}
	panic("unreachable")
}

// privateSlot is a private school with a proper name.
func (g *gen) privateSlot(r *rand.Rand, district, word string) slot {
	ru := kkToRu(word)
	en := latin(word)
	sl := slot{district: district, ownership: school.Private, founded: between(r, 1995, 2022)}
	switch r.IntN(4) {
	case 0:
		sl.typ = school.Lyceum
		sl.name = i18n.Text{
			KK: "«" + word + "» мектеп-лицейі",
			RU: "Школа-лицей «" + ru + "»",
			EN: en + " School-Lyceum",
		}
	case 1:
		sl.typ = school.Gymnasium
		sl.name = i18n.Text{
			KK: "«" + word + "» мектеп-гимназиясы",
			RU: "Школа-гимназия «" + ru + "»",
			EN: en + " School-Gymnasium",
		}
	case 2:
		sl.typ = school.General
		sl.name = i18n.Text{
			KK: "«" + word + "» халықаралық мектебі",
			RU: "Международная школа «" + ru + "»",
			EN: en + " International School",
		}
	default:
		sl.typ = school.General
		sl.name = i18n.Text{
			KK: "«" + word + "» жеке мектебі",
			RU: "Частная школа «" + ru + "»",
			EN: en + " Private School",
		}
	}
	host := strings.ReplaceAll(strings.ToLower(en), " ", "-") + "-school.kz"
	sl.email = "info@" + host
	if chance(r, 0.8) {
		sl.website = "https://" + host
	}
	return sl
}

// publicType draws the type of a public school: in the outskirts more
// general and basic schools, fewer gymnasiums and lyceums.
func publicType(r *rand.Rand, outskirts bool) school.Type {
	types := []school.Type{school.Gymnasium, school.Lyceum, school.Basic, school.Primary}
	odds := []float64{0.25, 0.14, 0.03, 0.02}
	if outskirts {
		odds = []float64{0.12, 0.08, 0.07, 0.03}
	}
	x := r.Float64()
	for i, typ := range types {
		if x < odds[i] {
			return typ
		}
		x -= odds[i]
	}
	return school.General
}

// numberSlot gives a public school its number, name, mail and founding
// year; age is its rank in the numbering, 0 for the oldest, towards 1.
func (g *gen) numberSlot(r *rand.Rand, sl *slot, number int, age float64) {
	sl.number = number
	sl.email = fmt.Sprintf("school%d@%s.edu.kz", number, g.def.slug)
	if chance(r, 0.55) {
		sl.website = fmt.Sprintf("https://school%d.%s.edu.kz", number, g.def.slug)
	}
	if sl.typ != school.Specialised {
		oldest := 1934.0
		if g.def.slug == "astana" {
			oldest = 1954
		}
		year := oldest + age*(2024-oldest) + r.NormFloat64()*4
		sl.founded = int(math.Min(2025, math.Max(oldest-3, math.Round(year))))
	}

	var kk, ru, en string
	switch sl.typ {
	case school.Specialised:
		kk, ru, en = sl.name.KK, sl.name.RU, sl.name.EN
	case school.Gymnasium:
		kk, ru, en = "№ %d мектеп-гимназиясы", "Школа-гимназия № %d", "School-gymnasium No. %d"
	case school.Lyceum:
		kk, ru, en = "№ %d мектеп-лицейі", "Школа-лицей № %d", "School-lyceum No. %d"
	case school.Basic:
		kk, ru, en = "№ %d негізгі орта мектеп", "Основная средняя школа № %d",
			"Basic school No. %d"
	case school.Primary:
		kk, ru, en = "№ %d бастауыш мектеп", "Начальная школа № %d", "Primary school No. %d"
	default:
		kk, ru, en = "№ %d жалпы білім беретін мектеп", "Общеобразовательная школа № %d",
			"General school No. %d"
	}
	sl.name = i18n.Text{
		KK: fmt.Sprintf(kk, number),
		RU: fmt.Sprintf(ru, number),
		EN: fmt.Sprintf(en, number),
	}
}

// anchor picks the residential building a new school is built beside: one
// of the district's, away from the schools already there when it can.
func (g *gen) anchor(r *rand.Rand, homes []int, buildings, near []address.Building) int {
	if len(homes) == 0 {
		panic("demo: a school is due in a district of " + g.def.slug + " where nobody lives")
	}
	best, bestGap := homes[0], -1.0
	for range 40 {
		i := pick(r, homes)
		gap := math.Inf(1)
		for _, s := range near {
			if s.District == buildings[i].District {
				gap = math.Min(gap, flatDistance(buildings[i].Location, s.Location))
			}
		}
		if gap > 400 {
			return i
		}
		if gap > bestGap {
			best, bestGap = i, gap
		}
	}
	return best
}

// beside returns a point 30 to 50 metres from p in the same district, or p
// itself when every try leaves it.
func (g *gen) beside(r *rand.Rand, p geo.Point, district string) geo.Point {
	for range 8 {
		angle, dist := r.Float64()*2*math.Pi, 30+20*r.Float64()
		q := round6(geo.Offset(p, dist*math.Cos(angle), dist*math.Sin(angle)))
		if g.loc.district(q) == district {
			return q
		}
	}
	return p
}

// freeNumber returns a number for a new building beside the house numbered
// near: the same number with the first letter not taken on the street (12А,
// 12Б, …), or the number with a block (12к7) when all are.
func freeNumber(near string, taken func(string) bool) string {
	base := near
	if i := strings.IndexFunc(near, func(c rune) bool { return !unicode.IsDigit(c) }); i >= 0 {
		base = near[:i]
	}
	for _, letter := range []string{"А", "Б", "В", "Г", "Д", "Е", "Ж"} {
		if !taken(base + letter) {
			return base + letter
		}
	}
	for k := 7; ; k++ {
		if n := fmt.Sprintf("%sк%d", base, k); !taken(n) {
			return n
		}
	}
}

// metresPerDegree is the length of a degree of latitude, near enough.
const metresPerDegree = 111_195

// flatDistance returns the distance between two nearby points in metres,
// treating the ground as flat: cheaper than geo.Distance, as good within a
// city.
func flatDistance(a, b geo.Point) float64 {
	north := (b.Lat - a.Lat) * metresPerDegree
	east := (b.Lon - a.Lon) * metresPerDegree * math.Cos(a.Lat*math.Pi/180)
	return math.Hypot(north, east)
}

// school fills a school's passport from its slot.
func (g *gen) school(r *rand.Rand, sl slot, bins, phones map[string]bool) school.School {
	outskirts := g.district(sl.district).outskirts
	s := school.School{
		City:      g.def.slug,
		BIN:       g.bin(r, sl.founded, bins),
		Number:    sl.number,
		Name:      sl.name,
		Type:      sl.typ,
		Ownership: sl.ownership,
		Languages: g.languages(r, sl),
		District:  sl.district,
		Phone:     g.landline(r, phones),
		Email:     sl.email,
		Website:   sl.website,
		Founded:   sl.founded,
	}
	s.Director = directorStyle(r, s.Languages).fullName(r, !chance(r, 0.75))

	// Design capacity by the era the school was built in; pupils by how
	// crowded the city and the district are.
	switch {
	case sl.ownership == school.Private:
		s.Capacity = pick(r, []int{180, 250, 300, 400, 500, 600, 800})
	case sl.typ == school.Specialised:
		s.Capacity = pick(r, []int{540, 720, 900, 1000})
	case sl.typ == school.Primary:
		s.Capacity = pick(r, []int{240, 320, 400})
	case sl.founded < 1970:
		s.Capacity = pick(r, []int{520, 640, 784, 964, 1176})
	case sl.founded < 2000:
		s.Capacity = pick(r, []int{964, 1176, 1200, 1500})
	default:
		s.Capacity = pick(r, []int{1200, 1500, 1800, 2000, 2500, 3000})
	}
	load := 0.6 + 0.35*r.Float64()
	if sl.ownership == school.Public && sl.typ != school.Specialised {
		load = g.def.crowding * (0.75 + 0.6*r.Float64())
		if outskirts {
			load *= 1.45
		}
	}
	s.Pupils = int(math.Round(float64(s.Capacity)*load/5)) * 5
	s.Shifts = min(3, max(1, int(math.Ceil(load))))
	s.StartTimes = pick(r, map[int][][]string{
		1: {{"08:00"}, {"08:30"}},
		2: {{"08:00", "13:00"}, {"08:00", "13:30"}, {"08:30", "14:00"}},
		3: {{"07:45", "11:45", "15:30"}, {"08:00", "12:00", "16:00"}},
	}[s.Shifts])

	// Planned classes: about one class of 25 per grade and 275 pupils.
	perGrade := float64(s.Pupils) / 11 / 25
	switch s.Type {
	case school.Specialised:
		s.Grade10Classes = between(r, 2, 4)
	case school.Primary:
		s.Grade1Classes = clamp(int(math.Round(float64(s.Pupils)/4/25)), 2, 8)
	case school.Basic:
		s.Grade1Classes = clamp(int(math.Round(perGrade)), 2, 8)
	default:
		s.Grade1Classes = clamp(int(math.Round(perGrade)), 2, 8)
		s.Grade10Classes = clamp(int(math.Round(perGrade*0.55)), 0, 4)
	}

	s.Profiles = sl.profiles
	if s.Profiles == nil && s.Grade10Classes > 0 {
		s.Profiles = profiles(r, outskirts)
	}
	s.Facilities = facilities(r, s)
	s.Accessibility = accessibility(r, s.Founded)
	return s
}

// clamp returns v limited to [lo, hi].
func clamp(v, lo, hi int) int { return min(hi, max(lo, v)) }

// languages draws the languages of instruction of a school.
func (g *gen) languages(r *rand.Rand, sl slot) []i18n.Lang {
	kk, ru := g.def.kkOnly, g.def.ruOnly
	switch {
	case sl.typ == school.Specialised:
		return []i18n.Lang{i18n.KK, i18n.RU}
	case sl.ownership == school.Private:
		kk, ru = 0.15, 0.3
	}
	switch x := r.Float64(); {
	case x < kk:
		return []i18n.Lang{i18n.KK}
	case x < kk+ru:
		return []i18n.Lang{i18n.RU}
	default:
		return []i18n.Lang{i18n.KK, i18n.RU}
	}
}

// directorStyle draws how a director of a school with the languages writes
// their name.
func directorStyle(r *rand.Rand, langs []i18n.Lang) style {
	x := r.Float64()
	switch {
	case len(langs) == 1 && langs[0] == i18n.KK:
		x *= 0.95 // Kazakh-medium schools: Kazakh names, rarely Russian-style
	case len(langs) == 1:
		x = 0.3 + 0.7*x // Russian-medium schools: no -ұлы, -қызы
	}
	switch {
	case x < 0.5:
		return kazakhKK
	case x < 0.85:
		return kazakhRU
	default:
		return russian
	}
}

// landline draws a school's telephone number, unique in the city.
func (g *gen) landline(r *rand.Rand, used map[string]bool) string {
	lo := int(math.Pow10(g.def.localDigits - 1))
	for {
		n := fmt.Sprintf("%s%d", g.def.landline, between(r, 2*lo, 6*lo-1))
		if !used[n] {
			used[n] = true
			return n
		}
	}
}

// bin draws a valid business identification number for a school, unique
// across both cities: registered (YYMM) in its founding year or, for an
// older school, when it re-registered after 1997; a legal entity (4), head
// office (0); a serial from the city's range; the check digit.
func (g *gen) bin(r *rand.Rand, founded int, used map[string]bool) string {
	for {
		year := max(founded, between(r, 1997, 2008))
		s := fmt.Sprintf("%02d%02d40%05d", year%100, between(r, 1, 12),
			between(r, g.def.serials[0]*10, g.def.serials[1]*10+9))
		d, err := iin.CheckDigit(s)
		if err != nil || used[s] {
			continue
		}
		used[s] = true
		return fmt.Sprintf("%s%d", s, d)
	}
}

// profiles draws the grade 10–11 profiles of a public school.
func profiles(r *rand.Rand, outskirts bool) []string {
	odds := map[string]float64{
		school.ProfileNaturalMath: 0.8, school.ProfileSocialHumanities: 0.7, school.ProfileEngineering: 0.12,
		school.ProfileICT: 0.15, school.ProfileAgriculture: 0.02, school.ProfileTransport: 0.04,
		school.ProfileServices: 0.05, school.ProfileArts: 0.06, school.ProfileMedicine: 0.06,
	}
	if outskirts {
		odds[school.ProfileAgriculture] = 0.1
	}
	var out []string
	for _, p := range school.Profiles() {
		if chance(r, odds[p]) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		out = []string{school.ProfileNaturalMath}
	}
	return out
}

// facilities draws what a school's building has; newer and bigger
// buildings have more.
func facilities(r *rand.Rand, s school.School) []string {
	modern := s.Founded >= 2010
	big := s.Capacity >= 1500
	odds := map[string]float64{
		school.FacilityLibrary: 1, school.FacilityCanteen: 1, school.FacilityGym: 0.97, school.FacilityMedicalRoom: 1,
		school.FacilityComputerLab: 0.9, school.FacilityAssemblyHall: 0.7, school.FacilityStadium: 0.55,
		school.FacilityRobotics: 0.2, school.FacilityPool: 0.06,
	}
	if modern {
		odds[school.FacilityRobotics], odds[school.FacilityAssemblyHall], odds[school.FacilityComputerLab] = 0.6, 0.95, 1
	}
	if modern && big {
		odds[school.FacilityPool], odds[school.FacilityStadium] = 0.35, 0.8
	}
	var out []string
	for _, f := range school.Facilities() {
		if chance(r, odds[f]) {
			out = append(out, f)
		}
	}
	return out
}

// accessibility draws what a school offers pupils with disabilities;
// buildings of the last fifteen years were built for it.
func accessibility(r *rand.Rand, founded int) []string {
	odds := map[string]float64{
		school.AccessRamp: 0.8, school.AccessToilet: 0.35, school.AccessLift: 0.06, school.AccessTactilePaving: 0.2,
		school.AccessSignLanguage: 0.03,
	}
	if founded >= 2012 {
		odds[school.AccessRamp], odds[school.AccessToilet] = 1, 0.9
		odds[school.AccessLift], odds[school.AccessTactilePaving] = 0.6, 0.5
	}
	var out []string
	for _, a := range school.Accessibility() {
		if chance(r, odds[a]) {
			out = append(out, a)
		}
	}
	return out
}
