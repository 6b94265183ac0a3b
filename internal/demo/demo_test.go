package demo

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/address"
	"sakura/internal/catchment"
	"sakura/internal/dataset"
	"sakura/internal/geo"
	"sakura/internal/i18n"
	"sakura/internal/iin"
	"sakura/internal/person"
	"sakura/internal/school"
)

// demoCities returns the demo cities, made once for all tests.
var demoCities = sync.OnceValue(Cities)

// mustCity returns the demo city with the slug.
func mustCity(tb testing.TB, slug string) dataset.City {
	tb.Helper()
	for _, c := range demoCities() {
		if c.City.Slug == slug {
			return c
		}
	}
	tb.Fatalf("no demo city %q", slug)
	return dataset.City{}
}

func TestCitiesAndDistricts(t *testing.T) {
	tests := []struct {
		slug      string
		name      i18n.Text
		districts []string
	}{
		{
			slug: "almaty", name: i18n.Text{KK: "Алматы", RU: "Алматы", EN: "Almaty"},
			districts: []string{
				"alatau", "almaly", "auezov", "bostandyk", "medeu", "nauryzbay", "turksib", "zhetysu",
			},
		},
		{
			slug: "astana", name: i18n.Text{KK: "Астана", RU: "Астана", EN: "Astana"},
			districts: []string{"almaty", "baikonur", "nura", "sarayshyk", "saryarka", "yesil"},
		},
	}
	cities := demoCities()
	if len(cities) != len(tests) {
		t.Fatalf("got %d cities, want %d", len(cities), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			c := cities[i].City
			if c.Slug != tt.slug {
				t.Fatalf("city %d is %q, want %q", i, c.Slug, tt.slug)
			}
			if diff := cmp.Diff(tt.name, c.Name); diff != "" {
				t.Errorf("name mismatch (-want +got):\n%s", diff)
			}
			var slugs []string
			for _, d := range c.Districts {
				slugs = append(slugs, d.Slug)
				if d.City != c.Slug || d.Name.KK == "" || d.Name.RU == "" || d.Name.EN == "" {
					t.Errorf("district %+v lacks its city or a name", d.Name)
				}
				if len(d.Boundary) == 0 {
					t.Errorf("district %s has no boundary", d.Slug)
				}
			}
			if diff := cmp.Diff(tt.districts, slugs); diff != "" {
				t.Errorf("districts mismatch (-want +got):\n%s", diff)
			}
			if c.Zoom < 10 || c.Zoom > 13 {
				t.Errorf("zoom %d, want a city-wide 10..13", c.Zoom)
			}
			if found := districtsOf(cities[i], c.Centre); len(found) != 1 {
				t.Errorf("the centre %v is in districts %v, want one", c.Centre, found)
			}
		})
	}
}

func TestCounts(t *testing.T) {
	tests := []struct {
		slug              string
		schools, families int
		buildings         [2]int // at least, at most
		streets           int    // at least
	}{
		{slug: "almaty", schools: 330, families: 2500, buildings: [2]int{35000, 45000}, streets: 200},
		{slug: "astana", schools: 200, families: 1500, buildings: [2]int{20000, 30000}, streets: 200},
	}
	for _, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			c := mustCity(t, tt.slug)
			if len(c.Schools) < tt.schools {
				t.Errorf("%d schools, want at least %d", len(c.Schools), tt.schools)
			}
			if n := len(c.Buildings); n < tt.buildings[0] || n > tt.buildings[1] {
				t.Errorf("%d buildings, want %d..%d", n, tt.buildings[0], tt.buildings[1])
			}
			if len(c.Streets) < tt.streets {
				t.Errorf("%d streets, want at least %d", len(c.Streets), tt.streets)
			}
			residential := 0
			for _, b := range c.Buildings {
				if b.Residential {
					residential++
				}
			}
			if share := float64(residential) / float64(len(c.Buildings)); share < 0.8 || share > 0.97 {
				t.Errorf("%.0f%% of buildings residential, want most but not all", share*100)
			}
			if got := len(families(c)); got != tt.families {
				t.Errorf("%d families, want %d", got, tt.families)
			}
		})
	}
}

// families groups a city's people into families: the children linked to
// the same adults.
func families(c dataset.City) map[string][]string {
	out := make(map[string][]string)
	adults := make(map[string][]string)
	for _, l := range c.Links {
		adults[l.ChildIIN] = append(adults[l.ChildIIN], l.ParentIIN)
	}
	for child, parents := range adults {
		key := strings.Join(parents, "+")
		out[key] = append(out[key], child)
	}
	return out
}

// districtsOf returns the districts of the city whose boundary holds p.
func districtsOf(c dataset.City, p geo.Point) []string {
	var out []string
	for _, d := range c.City.Districts {
		if d.Boundary.Contains(p) {
			out = append(out, d.Slug)
		}
	}
	return out
}

func TestEveryPointInItsDistrict(t *testing.T) {
	for _, c := range demoCities() {
		t.Run(c.City.Slug, func(t *testing.T) {
			for _, b := range c.Buildings {
				if found := districtsOf(c, b.Location); len(found) != 1 || found[0] != b.District {
					t.Fatalf("building %d (%s) at %v is in districts %v", b.ID, b.District, b.Location, found)
				}
			}
			for _, s := range c.Schools {
				if found := districtsOf(c, s.Location); len(found) != 1 || found[0] != s.District {
					t.Fatalf("school %d (%s) at %v is in districts %v", s.ID, s.District, s.Location, found)
				}
			}

			// A street's district is where most of its buildings are.
			count := make(map[int64]map[string]int)
			for _, b := range c.Buildings {
				if count[b.StreetID] == nil {
					count[b.StreetID] = make(map[string]int)
				}
				count[b.StreetID][b.District]++
			}
			for _, s := range c.Streets {
				for d, n := range count[s.ID] {
					if n > count[s.ID][s.District] {
						t.Errorf("street %s is in %s, but more of its buildings are in %s",
							s.Name.RU, s.District, d)
					}
				}
			}
		})
	}
}

func TestIdentifiersUnique(t *testing.T) {
	seen := make(map[string]string)
	unique := func(t *testing.T, kind string, key any, what string) {
		t.Helper()
		k := fmt.Sprintf("%s %v", kind, key)
		if prev, ok := seen[k]; ok {
			t.Errorf("%s %v of %s is also that of %s", kind, key, what, prev)
		}
		seen[k] = what
	}

	for _, c := range demoCities() {
		for _, s := range c.Streets {
			unique(t, "street id", s.ID, s.Name.RU)
			unique(t, "street name", c.City.Slug+"/"+string(s.Kind)+"/"+s.Name.RU, s.Name.RU)
		}
		for _, b := range c.Buildings {
			unique(t, "building id", b.ID, b.Number)
			unique(t, "code", b.Code, b.Number)
			unique(t, "address", fmt.Sprint(b.StreetID, "/", b.Number), b.Code)
			if len(b.Code) != 16 || strings.Trim(b.Code, "0123456789") != "" {
				t.Errorf("building %d has code %q, want 16 digits", b.ID, b.Code)
			}
		}
		for _, s := range c.Schools {
			unique(t, "school id", s.ID, s.Name.RU)
			unique(t, "BIN", s.BIN, s.Name.RU)
			unique(t, "school name", c.City.Slug+"/"+s.Name.RU, s.Name.RU)
			unique(t, "school phone", s.Phone, s.Name.RU)
			unique(t, "school building", s.BuildingID, s.Name.RU)
		}
		for _, tc := range c.Teachers {
			unique(t, "teacher id", tc.ID, tc.Surname)
		}
		for _, ca := range c.Catchments {
			unique(t, "catchment id", ca.ID, fmt.Sprint(ca.SchoolID))
			unique(t, "catchment school", ca.SchoolID, fmt.Sprint(ca.ID))
		}
		for _, p := range c.People {
			unique(t, "IIN", p.IIN, p.Surname+" "+p.Name)
			if p.Phone != "" {
				unique(t, "phone", p.Phone, p.Surname+" "+p.Name)
			}
		}
	}
}

func TestIINsAndBINsValid(t *testing.T) {
	phone := regexp.MustCompile(`^\+77(01|07|47|77)\d{7}$`)
	for _, c := range demoCities() {
		t.Run(c.City.Slug, func(t *testing.T) {
			for _, s := range c.Schools {
				if _, err := iin.ParseBIN(s.BIN, time.Now()); err != nil {
					t.Errorf("school %s: BIN %s: %v", s.Name.RU, s.BIN, err)
				}
				month, kind, office := s.BIN[2:4], s.BIN[4], s.BIN[5]
				if month < "01" || month > "12" || kind != '4' || office < '0' || office > '3' {
					t.Errorf("school %s: BIN %s is not a legal entity's registered YYMM", s.Name.RU, s.BIN)
				}
			}
			for _, p := range c.People {
				n, err := iin.Parse(p.IIN, Today())
				if err != nil {
					t.Errorf("%s %s: IIN %s: %v", p.Surname, p.Name, p.IIN, err)
					continue
				}
				if !n.BirthDate.Equal(p.BirthDate) || n.Male != (p.Sex == person.Male) {
					t.Errorf("%s %s: IIN %s says %v, male %v; the person %v, %s",
						p.Surname, p.Name, p.IIN, n.BirthDate, n.Male, p.BirthDate, p.Sex)
				}
				if p.City != c.City.Slug {
					t.Errorf("%s %s is of city %q", p.Surname, p.Name, p.City)
				}
				if p.Phone != "" && !phone.MatchString(p.Phone) {
					t.Errorf("%s %s: phone %q is not a Kazakh mobile in E.164", p.Surname, p.Name, p.Phone)
				}
			}
		})
	}
}

func TestCatchments(t *testing.T) {
	for _, c := range demoCities() {
		t.Run(c.City.Slug, func(t *testing.T) {
			schools := make(map[int64]school.School)
			for _, s := range c.Schools {
				schools[s.ID] = s
			}
			buildings := make(map[int64]address.Building)
			for _, b := range c.Buildings {
				buildings[b.ID] = b
			}

			in := make(map[int64]int64) // building → school
			for _, ca := range c.Catchments {
				s, ok := schools[ca.SchoolID]
				switch {
				case !ok:
					t.Fatalf("catchment %d: no school %d in %s", ca.ID, ca.SchoolID, c.City.Slug)
				case s.Ownership != school.Public || s.Type == school.Specialised:
					t.Errorf("catchment %d belongs to %s, a %s %s school",
						ca.ID, s.Name.RU, s.Ownership, s.Type)
				case ca.City != c.City.Slug || ca.Year != CatchmentYear:
					t.Errorf("catchment %d is of %s %d", ca.ID, ca.City, ca.Year)
				case len(ca.Buildings) == 0 || len(ca.Area) != 1 || len(ca.Area[0]) < 3:
					t.Errorf("catchment %d of %s has %d buildings and area %v", ca.ID, s.Name.RU,
						len(ca.Buildings), ca.Area)
				case !slices.IsSorted(ca.Buildings):
					t.Errorf("catchment %d: buildings not sorted", ca.ID)
				}
				for _, id := range ca.Buildings {
					b, ok := buildings[id]
					if !ok || !b.Residential || b.District != s.District {
						t.Errorf("catchment %d of %s (%s) holds building %d: %+v",
							ca.ID, s.Name.RU, s.District, id, b)
					}
					if prev, dup := in[id]; dup {
						t.Errorf("building %d is in two catchments, of schools %d and %d",
							id, prev, ca.SchoolID)
					}
					in[id] = ca.SchoolID
					if !ca.Area.Contains(b.Location) {
						t.Errorf("building %d lies outside the area of catchment %d", id, ca.ID)
					}
				}
			}

			for _, b := range c.Buildings {
				if _, ok := in[b.ID]; b.Residential && !ok {
					t.Errorf("residential building %d (%s, %s) is in no catchment", b.ID, b.District, b.Number)
				}
			}
			for _, s := range c.Schools {
				serves := s.Ownership == school.Public && s.Type != school.Specialised
				has := slices.ContainsFunc(c.Catchments, func(ca catchment.Catchment) bool {
					return ca.SchoolID == s.ID
				})
				if has != serves {
					t.Errorf("school %s (%s, %s): has a catchment %v, want %v",
						s.Name.RU, s.Ownership, s.Type, has, serves)
				}
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	// cmp.Diff takes seconds over some 80,000 rows; DeepEqual says whether
	// to ask it where they differ.
	if first, second := demoCities(), Cities(); !reflect.DeepEqual(first, second) {
		t.Errorf("two calls differ (-first +second):\n%s", cmp.Diff(first, second))
	}

	// Another seed makes other cities on the same reference data.
	a, b := demoCities()[0], generate(almaty(), DefaultSeed+1)
	if diff := cmp.Diff(a.City, b.City); diff != "" {
		t.Errorf("the reference data depends on the seed (-default +other):\n%s", diff)
	}
	if a.Buildings[100].Location == b.Buildings[100].Location || a.People[10].IIN == b.People[10].IIN {
		t.Errorf("seeds %d and %d made the same buildings and people", DefaultSeed, DefaultSeed+1)
	}
}

func TestVariety(t *testing.T) {
	for _, c := range demoCities() {
		t.Run(c.City.Slug, func(t *testing.T) {
			distinct := func(what string, min int, values func(yield func(string))) {
				t.Helper()
				seen := make(map[string]bool)
				values(func(v string) { seen[v] = true })
				if len(seen) < min {
					t.Errorf("%d distinct %s, want at least %d", len(seen), what, min)
				}
			}
			distinct("surnames", 100, func(yield func(string)) {
				for _, p := range c.People {
					yield(strings.TrimSuffix(p.Surname, "а"))
				}
			})
			distinct("first names", 150, func(yield func(string)) {
				for _, p := range c.People {
					yield(p.Name)
				}
			})
			distinct("teachers' names", 100, func(yield func(string)) {
				for _, tc := range c.Teachers {
					yield(tc.Name)
				}
			})
			distinct("directors", len(c.Schools)*9/10, func(yield func(string)) {
				for _, s := range c.Schools {
					yield(s.Director)
				}
			})
			distinct("school founding years", 40, func(yield func(string)) {
				for _, s := range c.Schools {
					yield(fmt.Sprint(s.Founded))
				}
			})
			distinct("capacities", 8, func(yield func(string)) {
				for _, s := range c.Schools {
					yield(fmt.Sprint(s.Capacity))
				}
			})
		})
	}
}

func BenchmarkCities(b *testing.B) {
	for b.Loop() {
		Cities()
	}
}

// TestApplications: the demo's applications are of distinct children born
// in 2021, none of the first family's; a catchment one goes to the school
// whose catchment lists the home, a quota one to another school.
func TestApplications(t *testing.T) {
	for _, d := range Cities() {
		apps := Applications(d, 12)
		if len(apps) != 12 {
			t.Fatalf("%s: %d applications", d.City.Slug, len(apps))
		}
		serving := map[int64]int64{}
		for _, c := range d.Catchments {
			for _, b := range c.Buildings {
				serving[b] = c.SchoolID
			}
		}
		children := map[string]bool{}
		quota := 0
		for _, a := range apps {
			if a.Parent.IIN == d.People[0].IIN || children[a.Child.IIN] || a.Child.BirthDate.Year() != 2021 {
				t.Errorf("%s: application of %s for %s", d.City.Slug, a.Parent.IIN, a.Child.IIN)
			}
			children[a.Child.IIN] = true
			home := serving[a.Answers.BuildingID]
			switch a.Answers.Basis {
			case "catchment":
				if a.Answers.SchoolID != home {
					t.Errorf("%s: a catchment application to school %d, the home's is %d", d.City.Slug, a.Answers.SchoolID, home)
				}
			case "quota":
				quota++
				if a.Answers.SchoolID == home {
					t.Errorf("%s: a quota application to the home's own school %d", d.City.Slug, home)
				}
			}
			if a.Answers.Address == "" || len(a.Answers.Consents) != 4 {
				t.Errorf("%s: answers %+v", d.City.Slug, a.Answers)
			}
		}
		if quota != 3 {
			t.Errorf("%s: %d quota applications of 12", d.City.Slug, quota)
		}
	}
}
