package demo

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"sakura/internal/geo"
	"sakura/internal/i18n"
)

// cityDef is everything that makes one demo city differ from the other: its
// reference data, its tables of streets, and the shares its people and
// schools are drawn with.
type cityDef struct {
	slug      string
	name      i18n.Text
	centre    geo.Point
	zoom      int
	districts []districtDef // ordered by slug
	streets   []streetDef
	numbered  []numberedDef

	idBase     int64  // every id of the city is idBase plus a running number
	codePrefix string // the first digits of its address registration codes
	landline   string // the telephone prefix of its schools: +7727 or +77172
	// localDigits is how many digits follow the landline prefix.
	localDigits int
	// density scales how closely buildings stand along the streets, to bring
	// the city's building count near its target.
	density float64

	schools  int // how many schools, about the real count
	private  int // how many of them are private
	families int

	// serials is the range of IIN and BIN serial numbers the city draws
	// from, so that no number repeats across the two cities.
	serials [2]int
	// The share of schools teaching in Kazakh only and in Russian only; the
	// rest teach in both.
	kkOnly, ruOnly float64
	// The shares of Kazakh families writing a Kazakh patronymic (-ұлы,
	// -қызы) and a Russian-style one (-ович, -овна); the rest are Russian or
	// of other origins.
	kazakhKK, kazakhRU float64
	// crowding is how much fuller than their design capacity the schools
	// are, on average, before the outskirts add their own.
	crowding float64
}

// districtDef is a district of a demo city and where in it people live.
type districtDef struct {
	slug     string
	name     i18n.Text
	boundary geo.MultiPolygon
	// core is the centre of the district's built-up area, and spread how
	// far (in metres) streets placed at random stray from it.
	core   geo.Point
	spread float64
	// outskirts marks a district of private houses on small plots, whose
	// schools are the most crowded.
	outskirts bool
	// schools is the district's share of the city's schools, a weight.
	schools float64
}

// districtName returns a district's names from its Kazakh name, its full
// Russian name and its English name: «Әуезов ауданы», «Ауэзовский район»,
// "Auezov district".
func districtName(kk, ru, en string) i18n.Text {
	return i18n.Text{KK: kk + " ауданы", RU: ru, EN: en + " district"}
}

// pt is a point written latitude first, as on a map.
func pt(lat, lon float64) geo.Point { return geo.Point{Lat: lat, Lon: lon} }

// poly is a polygon of one ring.
func poly(points ...geo.Point) geo.MultiPolygon {
	return geo.MultiPolygon{{geo.Ring(points)}}
}

// almaty returns Almaty's definition. Almaty has no open boundary file, so
// its districts are rough polygons that share their vertices, drawn around
// their real positions: Almaly in the centre, Medeu to the east and
// south-east, Bostandyk south, Auezov west, Alatau north-west, Nauryzbay far
// west and south-west, Zhetysu north, Turksib north-east.
func almaty() cityDef {
	var (
		a = pt(43.262, 76.878) // Raiymbek at the western edge of Almaly
		b = pt(43.262, 76.951) // Raiymbek at Dostyk
		c = pt(43.236, 76.951) // Dostyk below Abay
		d = pt(43.236, 76.878)
		e = pt(43.195, 76.870)
		f = pt(43.198, 76.800)
		g = pt(43.258, 76.790)
		h = pt(43.205, 76.965)
		i = pt(43.150, 76.985) // the foothills
		j = pt(43.165, 76.860)
		l = pt(43.305, 76.868)
		m = pt(43.330, 76.815)
		n = pt(43.300, 76.745)
		o = pt(43.258, 76.740)
		p = pt(43.170, 76.720)
		q = pt(43.230, 76.700)
		r = pt(43.318, 76.905)
		s = pt(43.300, 76.938)
		t = pt(43.370, 76.930) // north of the airport
		u = pt(43.370, 77.040)
		v = pt(43.262, 77.060)
		w = pt(43.200, 77.080)
		x = pt(43.140, 77.060) // towards Medeu and Shymbulak
	)
	return cityDef{
		slug:   "almaty",
		name:   i18n.Text{KK: "Алматы", RU: "Алматы", EN: "Almaty"},
		centre: pt(43.238, 76.945),
		zoom:   12,
		districts: []districtDef{
			{
				slug: "alatau", name: districtName("Алатау", "Алатауский район", "Alatau"),
				boundary: poly(g, o, n, m, l, a), core: pt(43.285, 76.815), spread: 3000,
				outskirts: true, schools: 52,
			},
			{
				slug: "almaly", name: districtName("Алмалы", "Алмалинский район", "Almaly"),
				boundary: poly(a, b, c, d), core: pt(43.249, 76.915), spread: 1800,
				schools: 38,
			},
			{
				slug: "auezov", name: districtName("Әуезов", "Ауэзовский район", "Auezov"),
				boundary: poly(g, a, d, e, f), core: pt(43.228, 76.845), spread: 2200,
				schools: 58,
			},
			{
				slug: "bostandyk", name: districtName("Бостандық", "Бостандыкский район", "Bostandyk"),
				boundary: poly(d, c, h, i, j, e), core: pt(43.210, 76.910), spread: 2200,
				schools: 55,
			},
			{
				slug: "medeu", name: districtName("Медеу", "Медеуский район", "Medeu"),
				boundary: poly(b, v, w, x, i, h, c), core: pt(43.240, 76.985), spread: 2500,
				schools: 40,
			},
			{
				slug: "nauryzbay", name: districtName("Наурызбай", "Наурызбайский район", "Nauryzbay"),
				boundary: poly(o, g, f, e, j, p, q), core: pt(43.215, 76.765), spread: 2800,
				outskirts: true, schools: 30,
			},
			{
				slug: "turksib", name: districtName("Түрксіб", "Турксибский район", "Turksib"),
				boundary: poly(b, s, r, t, u, v), core: pt(43.312, 76.975), spread: 3000,
				outskirts: true, schools: 45,
			},
			{
				slug: "zhetysu", name: districtName("Жетісу", "Жетысуский район", "Zhetysu"),
				boundary: poly(a, l, r, s, b), core: pt(43.285, 76.910), spread: 2000,
				schools: 35,
			},
		},
		streets:     almatyStreets(),
		idBase:      0,
		codePrefix:  "75",
		landline:    "+7727",
		localDigits: 7,
		density:     1.48,
		schools:     353,
		private:     32,
		families:    2500,
		serials:     [2]int{1, 4999},
		kkOnly:      0.45,
		ruOnly:      0.15,
		kazakhKK:    0.35,
		kazakhRU:    0.30,
		crowding:    1.15,
	}
}

// astanaDistrictsJSON holds the OpenStreetMap boundaries of five districts
// of Astana; data/README.md gives the source and licence.
//
//go:embed data/astana_districts_osm.geojson
var astanaDistrictsJSON []byte

// astana returns Astana's definition, its boundaries read from the embedded
// OpenStreetMap file.
func astana() cityDef {
	osm := astanaBoundaries(astanaDistrictsJSON)

	// The Esil relation still draws the district as it was before Nura was
	// split from it in 2018, so Nura lies inside it: cut Nura out as a hole.
	yesil := osm["esil"]
	for i := range yesil {
		for _, nura := range osm["nura"] {
			if yesil[i][0].Contains(nura[0].Centroid()) {
				yesil[i] = append(yesil[i], nura[0])
			}
		}
	}

	// Sarayshyk was split from Almaty district in 2024 and is not in the
	// file. NOTE: its boundary here is the southern part of Almaty district's
	// main polygon below a straight line roughly along the river; a plausible
	// approximation, not the legal one.
	almatyDistrict := osm["almaty"]
	north, south := almatyDistrict[0][0].Split(pt(51.150, 71.430), pt(51.112, 71.760))
	almatyDistrict[0] = geo.Polygon{north}
	sarayshyk := geo.MultiPolygon{{south}}

	return cityDef{
		slug:   "astana",
		name:   i18n.Text{KK: "Астана", RU: "Астана", EN: "Astana"},
		centre: pt(51.128, 71.430),
		zoom:   11,
		districts: []districtDef{
			{
				slug: "almaty", name: districtName("Алматы", "район Алматы", "Almaty"),
				boundary: almatyDistrict, core: pt(51.160, 71.500), spread: 3000,
				schools: 40,
			},
			{
				slug: "baikonur", name: districtName("Байқоңыр", "район Байконур", "Baikonur"),
				boundary: osm["baikonur"], core: pt(51.172, 71.440), spread: 2500,
				schools: 34,
			},
			{
				slug: "nura", name: districtName("Нұра", "район Нура", "Nura"),
				boundary: osm["nura"], core: pt(51.110, 71.375), spread: 3500,
				outskirts: true, schools: 33,
			},
			{
				slug: "sarayshyk", name: districtName("Сарайшық", "район Сарайшык", "Sarayshyk"),
				boundary: sarayshyk, core: pt(51.120, 71.500), spread: 3000,
				outskirts: true, schools: 28,
			},
			{
				slug: "saryarka", name: districtName("Сарыарқа", "район Сарыарка", "Saryarka"),
				boundary: osm["saryarka"], core: pt(51.180, 71.395), spread: 2800,
				schools: 34,
			},
			{
				slug: "yesil", name: districtName("Есіл", "район Есиль", "Yesil"),
				boundary: yesil, core: pt(51.115, 71.430), spread: 3000,
				schools: 37,
			},
		},
		streets:     astanaStreets(),
		numbered:    astanaNumbered(),
		idBase:      1_000_000,
		codePrefix:  "71",
		landline:    "+77172",
		localDigits: 6,
		density:     1.07,
		schools:     206,
		private:     14,
		families:    1500,
		serials:     [2]int{5000, 9999},
		kkOnly:      0.62,
		ruOnly:      0.06,
		kazakhKK:    0.55,
		kazakhRU:    0.25,
		crowding:    1.05,
	}
}

// astanaBoundaries reads the district boundaries of a GeoJSON feature
// collection, by the id property of each feature. The data is embedded and
// tested, so a fault in it is a fault of the program.
func astanaBoundaries(data []byte) map[string]geo.MultiPolygon {
	var fc struct {
		Features []struct {
			Properties struct {
				ID string `json:"id"`
			} `json:"properties"`
			Geometry struct {
				Type        string           `json:"type"`
				Coordinates [][][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		panic(fmt.Sprintf("demo: read the Astana boundaries: %v", err))
	}

	out := make(map[string]geo.MultiPolygon, len(fc.Features))
	for _, f := range fc.Features {
		if f.Geometry.Type != "MultiPolygon" {
			panic(fmt.Sprintf("demo: Astana district %q is a %s", f.Properties.ID, f.Geometry.Type))
		}
		var mp geo.MultiPolygon
		for _, polygon := range f.Geometry.Coordinates {
			var pg geo.Polygon
			for _, ring := range polygon {
				r := make(geo.Ring, 0, len(ring))
				for _, c := range ring {
					r = append(r, geo.Point{Lat: c[1], Lon: c[0]}) // GeoJSON is lon, lat
				}
				if len(r) > 1 && r[0] == r[len(r)-1] {
					r = r[:len(r)-1]
				}
				pg = append(pg, r)
			}
			mp = append(mp, pg)
		}
		out[f.Properties.ID] = mp
	}
	return out
}

// locator finds which district of a city a point lies in.
type locator struct {
	slugs  []string
	shapes []*geo.Prepared
	sw, ne []geo.Point // the bounds of each shape, to skip most tests
}

func newLocator(districts []districtDef) *locator {
	l := &locator{}
	for _, d := range districts {
		sw, ne := d.boundary.Bounds()
		l.slugs = append(l.slugs, d.slug)
		l.shapes = append(l.shapes, geo.Prepare(d.boundary))
		l.sw, l.ne = append(l.sw, sw), append(l.ne, ne)
	}
	return l
}

// district returns the slug of the district holding p, or "" when no
// district or more than one claims it (a sliver where two boundaries drawn
// separately disagree), so that every point placed belongs to exactly one.
func (l *locator) district(p geo.Point) string {
	found := ""
	for i, shape := range l.shapes {
		sw, ne := l.sw[i], l.ne[i]
		if p.Lat < sw.Lat || p.Lat > ne.Lat || p.Lon < sw.Lon || p.Lon > ne.Lon {
			continue
		}
		if shape.Contains(p) {
			if found != "" {
				return ""
			}
			found = l.slugs[i]
		}
	}
	return found
}
