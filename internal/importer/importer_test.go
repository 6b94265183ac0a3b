package importer_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/city"
	"sakura/internal/i18n"
	"sakura/internal/importer"
	"sakura/internal/school"
)

func mustRead(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// vkoKnown is a test city with the districts the registry sample names.
func vkoKnown() importer.Known {
	d := func(slug, ru string) city.District { return city.District{Slug: slug, Name: i18n.Text{RU: ru, KK: ru}} }
	return importer.Known{City: "vko", Districts: []city.District{
		d("katon-karagay", "Катон-Карагайский район"), d("tarbagatay", "Тарбагатайский район"),
		d("ulan", "Уланский район"), d("oskemen", "Усть-Каменогорск Г.А."),
		d("samar", "район Самар"), d("ulken-naryn", "район Үлкен Нарын"),
	}}
}

func TestReadRealFiles(t *testing.T) {
	ds, err := importer.ReadDistricts("astana_districts_osm.geojson", mustRead(t, "astana_districts_osm.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, d := range ds {
		slugs = append(slugs, d.Slug)
		if len(d.Boundary) == 0 || len(d.Boundary[0][0]) < 3 {
			t.Errorf("district %s has no boundary", d.Slug)
		}
	}
	if diff := cmp.Diff([]string{"esil", "almaty", "saryarka", "baikonur", "nura"}, slugs); diff != "" {
		t.Errorf("districts (-want +got):\n%s", diff)
	}

	schools, err := importer.ReadSchools("vko.json", mustRead(t, "vko_schools_egov_sample20.json"), vkoKnown())
	if err != nil {
		t.Fatal(err)
	}
	if len(schools) != 20 {
		t.Fatalf("read %d schools, want 20", len(schools))
	}
	first := schools[0]
	if first.Line != 2 || first.School.BIN != "" || first.School.RegistryID != "16270" || first.School.District != "samar" ||
		first.School.Type != school.Basic || first.School.Ownership != school.Public {
		t.Errorf("first school = line %d %+v", first.Line, first.School)
	}
}

func TestBadInput(t *testing.T) {
	k := vkoKnown()
	k.Schools = map[string]bool{}
	header := "bin,name_kk,name_ru,type,ownership,languages,district,lat,lon\n"
	good := "000740001307,Мектеп,Школа,general,public,kk|ru,samar,49.9,82.6\n"

	tests := []struct {
		name string
		read func() error
		want string
	}{
		{"CP1251", func() error {
			_, err := importer.ReadSchools("s.csv", []byte(header+"000740001307,\xcc\xe5\xea\xf2\xe5\xef,\xd8\xea\xee\xeb\xe0,general,public,kk,samar,49.9,82.6\n"), k)
			return err
		}, "s.csv:2: the file is not UTF-8 but probably Windows-1251 (CP1251): byte 0xCC at column 14 is not valid UTF-8; save the file as UTF-8"},
		{"polygon that does not close", func() error {
			_, err := importer.ReadDistricts("d.geojson", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature",
				"properties":{"id":"samar","name_kk":"Самар","name_ru":"Самар"},
				"geometry":{"type":"Polygon","coordinates":[[[82,49],[83,49],[83,50],[82,50.5]]]}}]}`))
			return err
		}, "d.geojson: feature 0: polygon 0 ring 0 does not close: its last position [82 50.5] is not its first [82 49]"},
		{"too few points", func() error {
			_, err := importer.ReadDistricts("d.geojson", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature",
				"properties":{"id":"samar","name_kk":"Самар","name_ru":"Самар"},
				"geometry":{"type":"Polygon","coordinates":[[[82,49],[83,49],[82,49]]]}}]}`))
			return err
		}, "d.geojson: feature 0: polygon 0 ring 0 has 3 positions, at least 4 are needed"},
		{"wrong BIN", func() error {
			_, err := importer.ReadSchools("s.csv", []byte(header+strings.Replace(good, "000740001307", "000740001308", 1)), k)
			return err
		}, `s.csv:2: bin "000740001308" is not a valid BIN: `},
		{"duplicate key", func() error {
			_, err := importer.ReadSchools("s.csv", []byte(header+good+good), k)
			return err
		}, "s.csv:3: BIN 000740001307 appears again (first on line 2)"},
		{"5,000-character field", func() error {
			_, err := importer.ReadSchools("s.csv", []byte(header+strings.Replace(good, "Школа", strings.Repeat("я", 5000), 1)), k)
			return err
		}, `s.csv:2: column "name_ru" is 5000 characters long, at most 1000`},
		{"unknown district and code", func() error {
			_, err := importer.ReadSchools("s.csv", []byte(header+strings.Replace(good, "general,public,kk|ru,samar", "college,public,kk|de,nowhere", 1)), k)
			return err
		}, `s.csv:2: type: unknown code "college"`},
		{"missing column", func() error {
			_, err := importer.ReadSchools("s.csv", []byte("bin,name_kk\n"), k)
			return err
		}, `s.csv:1: missing column "name_ru"`},
		{"building in two catchments", func() error {
			k := k
			k.Schools = map[string]bool{"000740001307": true}
			k.Buildings = map[string]bool{"B1": true}
			_, err := importer.ReadCatchments("c.csv", []byte("school_bin,building_code\n000740001307,B1\n000740001307,B1\n"), k)
			return err
		}, "c.csv:3: building B1 is already in a catchment on line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.read()
			var problems *importer.Error
			if !errors.As(err, &problems) {
				t.Fatalf("got %v, want an *importer.Error", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("problems:\n%s\nwant one starting %q", err, tt.want)
			}
		})
	}
}

func TestProblemsAreCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("bin,name_kk,name_ru,type,ownership,languages,district,lat,lon\n")
	for range 300 {
		b.WriteString("1,a,b,c,d,e,f,g,h\n")
	}
	_, err := importer.ReadSchools("s.csv", []byte(b.String()), vkoKnown())
	var problems *importer.Error
	if !errors.As(err, &problems) || len(problems.Problems) != importer.MaxProblems || problems.More == 0 {
		t.Fatalf("got %d problems and %d more", len(problems.Problems), problems.More)
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("bin,name_kk,name_ru,type,ownership,languages,district,lat,lon\n000740001307,a,b,general,public,kk,samar,1,2\n"))
	f.Add([]byte("code,district,street_kind,street_kk,street_ru,number,lat,lon\nX,samar,street,А,А,12А,1,2\n"))
	f.Add([]byte("school_bin,surname,name,category,subjects,languages,experience,indicators\n000740001307,А,Б,expert,primary,kk,3,rating=50/3\n"))
	f.Add([]byte("school_bin,building_code\n\"000740001307\",\"B\n"))
	f.Add([]byte("\xef\xbb\xbfa;b\n\xff"))
	k := vkoKnown()
	k.Schools = map[string]bool{"000740001307": true}
	k.Buildings = map[string]bool{"B": true}
	f.Fuzz(func(t *testing.T, data []byte) {
		importer.ReadSchools("f", data, k)
		importer.ReadAddresses("f", data, k)
		importer.ReadTeachers("f", data, k, nil)
		importer.ReadCatchments("f", data, k)
	})
}

func FuzzReadGeoJSON(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a","name_kk":"А","name_ru":"А","school_bin":"000740001307"},"geometry":{"type":"Polygon","coordinates":[[[1,1],[2,1],[2,2],[1,1]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"geometry":{"type":"MultiPolygon","coordinates":[[[[1]]]]}}]}`))
	f.Add([]byte(`[{"registry_id":1,"name":"x","latitude":1,"longitude":2,"district":"район Самар"}]`))
	k := vkoKnown()
	k.Schools = map[string]bool{"000740001307": true}
	f.Fuzz(func(t *testing.T, data []byte) {
		importer.ReadDistricts("f", data)
		importer.ReadCatchments("f", data, k)
		importer.ReadSchools("f", data, k)
	})
}

// BenchmarkReadAddresses reads and checks an address register the size of
// the demo Astana's (25,000 buildings).
func BenchmarkReadAddresses(b *testing.B) {
	var buf strings.Builder
	buf.WriteString("code,district,street_kind,street_kk,street_ru,old_names,number,lat,lon,residential\n")
	for i := range 25000 {
		fmt.Fprintf(&buf, "71%08d,samar,street,Көше %d,Улица %d,Старая %d,%dА,49.%04d,82.%04d,1\n",
			i, i/100, i/100, i/100, i%100+1, i%10000, i%9999)
	}
	data := []byte(buf.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := importer.ReadAddresses("a.csv", data, vkoKnown()); err != nil {
			b.Fatal(err)
		}
	}
}
