// Package demo generates the portal's two demo cities, Almaty and Astana:
// districts, streets and buildings, schools with their passports,
// catchments for the school year 2026–27, primary-school teachers, and
// families to sign in with. The data is made up but true to life: real
// district and street names in Kazakh, Russian and English, house numbers
// as they are written (12, 12А, 150/230, 58к1), valid IINs and BINs.
//
// Generation is deterministic: the same seed gives the same cities on every
// call and every machine (math/rand/v2 streams seeded per city and per step,
// no map order, no clock). Ages are reckoned from [Today], 3 December 2026.
// Ids are unique across both cities: Almaty's count from 1, Astana's from
// 1,000,001.
//
// Astana's district boundaries come from OpenStreetMap (© OpenStreetMap
// contributors, ODbL 1.0; see data/README.md), with Sarayshyk derived from
// them; Almaty's are rough polygons drawn for the demo.
//
// The codes the data uses, all lower-case snake_case, are exported as
// constants (the school codes in package school) and listed by
// [school.Profiles], [school.Facilities], [school.Accessibility],
// [teacher.Subjects] and [teacher.Indicators], so that pages can translate them:
//
//   - profiles (grades 10–11): natural_math, social_humanities, engineering,
//     ict, agriculture, transport, services, arts, medicine;
//   - facilities: library, canteen, gym, medical_room, computer_lab,
//     assembly_hall, stadium, robotics, pool;
//   - accessibility: ramp, accessible_toilet, lift, tactile_paving,
//     sign_language;
//   - teachers' subjects: primary, kazakh_language, russian_language,
//     english, mathematics, music, physical_education, art;
//   - teachers' indicators: rating, lesson_observation, pupil_progress,
//     parent_survey, olympiad_results;
//   - relations of a parent to a child: mother, father, guardian.
//
// The first family of each city comes first in its People, mother first, so
// that docs and tests can name it: the Сейітовs in Almaty ([AlmatyMotherIIN]
// and the constants beside it), the Ивановs in Astana ([AstanaMotherIIN]).
package demo

import (
	"hash/fnv"
	"math/rand/v2"
	"sync"
	"time"

	"sakura/internal/campaign"
	"sakura/internal/dataset"
)

// DefaultSeed is the seed of [Cities]: the demo's reference date as a
// number.
const DefaultSeed uint64 = 20261203

// CatchmentYear is the year the school year of the catchments starts in.
const CatchmentYear = 2026

// Today returns the demo's reference date, 3 December 2026 (UTC): the day
// the ages of its people are reckoned from.
func Today() time.Time {
	return time.Date(2026, time.December, 3, 0, 0, 0, 0, time.UTC)
}

// The first family of Almaty: Айгүл and Нұрлан Сейітов, with Әлихан (born
// 15.03.2021, a grade-1 applicant for 2027) and Аяла (born 02.10.2016).
const (
	AlmatyMotherIIN   = "900725400016"
	AlmatyMotherPhone = "+77010000001"
	AlmatyFatherIIN   = "880412300011"
	AlmatyFatherPhone = "+77010000002"
	AlmatyChildIIN    = "210315500019" // Әлихан
	AlmatySiblingIIN  = "161002600014" // Аяла
)

// The first family of Astana: Елена and Андрей Иванов, with Максим (born
// 20.05.2021, a grade-1 applicant for 2027) and София (born 08.11.2020,
// who turned 6 after 1 September 2026).
const (
	AstanaMotherIIN   = "870214450016"
	AstanaMotherPhone = "+77010000003"
	AstanaFatherIIN   = "850930350019"
	AstanaFatherPhone = "+77010000004"
	AstanaChildIIN    = "210520550018" // Максим
	AstanaSiblingIIN  = "201108650017" // София
)

// Cities returns the demo cities made from [DefaultSeed]: Almaty, then
// Astana.
func Cities() []dataset.City {
	return Generate(DefaultSeed)
}

// Generate returns the demo cities made from seed: Almaty, then Astana. The
// two are independent, so they are made side by side.
func Generate(seed uint64) []dataset.City {
	defs := []func() cityDef{almaty, astana}
	out := make([]dataset.City, len(defs))
	var wg sync.WaitGroup
	for i, def := range defs {
		wg.Go(func() { out[i] = generate(def(), seed) })
	}
	wg.Wait()
	return out
}

// gen makes one city.
type gen struct {
	def  cityDef
	seed uint64
	loc  *locator
}

// generate makes one city in steps, each drawing from its own random
// stream, so that a change to one step leaves the others' output alone.
func generate(def cityDef, seed uint64) dataset.City {
	g := &gen{def: def, seed: seed, loc: newLocator(def.districts)}

	streets, buildings := g.addresses()
	schools, buildings, anchors := g.schools(streets, buildings)
	catchments := g.catchments(schools, buildings, anchors)
	teachers := g.teachers(schools)
	people, links := g.families()

	return dataset.City{
		City:       g.city(),
		Streets:    streets,
		Buildings:  buildings,
		Schools:    schools,
		Teachers:   teachers,
		Catchments: catchments,
		People:     people,
		Links:      links,
	}
}

// rand returns the random stream of one step of the city.
func (g *gen) rand(step string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(g.def.slug + "/" + step))
	return rand.New(rand.NewPCG(g.seed, h.Sum64()))
}

// id returns the n-th id (from 1) of the city.
func (g *gen) id(n int) int64 {
	return g.def.idBase + int64(n)
}

// district returns the definition of the district with the slug.
func (g *gen) district(slug string) districtDef {
	for _, d := range g.def.districts {
		if d.slug == slug {
			return d
		}
	}
	panic("demo: no district " + slug + " in " + g.def.slug)
}

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool {
	return r.Float64() < p
}

// between returns a uniform random integer in [lo, hi].
func between(r *rand.Rand, lo, hi int) int {
	return lo + r.IntN(hi-lo+1)
}

// pick returns a random element of list.
func pick[T any](r *rand.Rand, list []T) T {
	return list[r.IntN(len(list))]
}

// Campaign is the demo's grade-1 campaign of a city: the school year 2027,
// whose window the demo opens early, from 1 November 2026, so that
// applications can be tried today; otherwise the model rules. Grades 10
// and 11 of that year open early too. The demo writes it into the
// database, where the department may change it.
func Campaign(city string) campaign.Campaign {
	c := campaign.Default(city, 2027)
	c.Opens = demoOpens
	c.Grade10.Window.From = demoOpens
	return c
}

// demoOpens is when the demo opens the windows the model rules open later.
var demoOpens = time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)

// Campaigns are the campaigns the demo writes for a city: grade 1 and
// grade 10 of 2027 (Campaign), and the school year 2026/27 of transfers,
// meals, transport and the camps of its summer, whose window (April and
// May by the model rules) the demo opens early too.
func Campaigns(city string) []campaign.Campaign {
	now := campaign.Default(city, 2026)
	now.Camp.Window.From = demoOpens
	return []campaign.Campaign{now, Campaign(city)}
}
