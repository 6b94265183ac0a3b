package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"regexp"
	"strings"

	"sakura/internal/city"
	"sakura/internal/geo"
	"sakura/internal/i18n"
	"sakura/internal/school"
)

// School is one school of an import, keyed by its BIN, with the
// registration code of its building when the file names one.
type School struct {
	Line         int
	School       school.School
	BuildingCode string
}

var schoolRequired = []string{"bin", "name_kk", "name_ru", "type", "ownership", "languages", "district", "lat", "lon"}

var schoolOptional = []string{
	"number", "name_en", "building_code", "address_kk", "address_ru", "address_en",
	"phone", "email", "website", "director", "founded", "shifts", "start_times", "capacity", "pupils",
	"grade1_classes", "grade10_classes", "profiles", "facilities", "accessibility",
}

var startTime = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// ReadSchools reads a schools file: the CSV of the README, or, when its
// first non-space byte is '[', the national registry's JSON export.
func ReadSchools(name string, data []byte, k Known) ([]School, error) {
	if firstByte(data) == '[' {
		return readRegistryJSON(name, data, k)
	}

	r := &report{file: name}
	t, _ := readCSV(r, data, schoolRequired, schoolOptional)
	if t == nil {
		return nil, r.result()
	}

	var out []School
	seen := map[string]int{}
	for _, rw := range t.rows {
		s := school.School{
			City:           k.City,
			BIN:            rw.bin("bin"),
			Number:         rw.int("number", 0, 99999),
			Name:           i18n.Text{KK: rw.required("name_kk"), RU: rw.required("name_ru"), EN: rw.get("name_en")},
			Type:           code(rw, "type", school.Types()),
			Ownership:      code(rw, "ownership", school.Ownerships()),
			Languages:      rw.langs("languages", true),
			District:       rw.required("district"),
			Address:        i18n.Text{KK: rw.get("address_kk"), RU: rw.get("address_ru"), EN: rw.get("address_en")},
			Location:       geo.Point{Lat: rw.float("lat", -90, 90), Lon: rw.float("lon", -180, 180)},
			Phone:          rw.get("phone"),
			Email:          rw.get("email"),
			Website:        rw.get("website"),
			Director:       rw.get("director"),
			Founded:        rw.int("founded", 1800, 2100),
			Shifts:         rw.int("shifts", 0, 3),
			StartTimes:     rw.list("start_times", nil),
			Capacity:       rw.int("capacity", 0, 20000),
			Pupils:         rw.int("pupils", 0, 20000),
			Grade1Classes:  rw.int("grade1_classes", 0, 50),
			Grade10Classes: rw.int("grade10_classes", 0, 50),
			Profiles:       rw.list("profiles", school.Profiles()),
			Facilities:     rw.list("facilities", school.Facilities()),
			Accessibility:  rw.list("accessibility", school.Accessibility()),
		}
		for _, st := range s.StartTimes {
			if !startTime.MatchString(st) {
				rw.fail("start_times: %q is not a time like 08:00", st)
			}
		}
		if s.Shifts > 0 && len(s.StartTimes) > 0 && len(s.StartTimes) != s.Shifts {
			rw.fail("%d shifts but %d start times", s.Shifts, len(s.StartTimes))
		}
		if s.Pupils > 0 && s.Capacity == 0 && rw.get("capacity") != "" {
			rw.fail("capacity is 0 but the school has pupils")
		}
		if s.District != "" && !k.district(s.District) {
			rw.fail("district %q is not a district of %s", s.District, k.City)
		}
		if c := rw.get("building_code"); c != "" && !k.Buildings[c] {
			rw.fail("building %s is not in the address register of %s; import addresses first", c, k.City)
		}
		if s.Email != "" && !strings.Contains(s.Email, "@") {
			rw.fail("email %q is not an e-mail address", s.Email)
		}
		if s.BIN != "" {
			if prev, dup := seen[s.BIN]; dup {
				rw.fail("BIN %s appears again (first on line %d)", s.BIN, prev)
			}
			seen[s.BIN] = rw.line
		}
		out = append(out, School{Line: rw.line, School: s, BuildingCode: rw.get("building_code")})
	}
	if err := r.result(); err != nil {
		return nil, err
	}
	return out, nil
}

// registryRecord is one school of the national registry's JSON export.
type registryRecord struct {
	RegistryID json.RawMessage `json:"registry_id"`
	Name       string          `json:"name"`
	District   string          `json:"district"`
	Address    string          `json:"address"`
	Latitude   *float64        `json:"latitude"`
	Longitude  *float64        `json:"longitude"`
}

// readRegistryJSON reads the registry's export: names, address, district
// and coordinates. The rest of the passport stays empty; the type and the
// form of ownership are read from the official name.
func readRegistryJSON(name string, data []byte, k Known) ([]School, error) {
	r := &report{file: name}
	data, ok := text(r, data)
	if !ok {
		return nil, r.result()
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil {
		r.add(1, "not a JSON array: %v", err)
		return nil, r.result()
	}
	var out []School
	seen := map[string]int{}
	for i := 0; dec.More(); i++ {
		line := lineAt(data, dec.InputOffset())
		var rec registryRecord
		if err := dec.Decode(&rec); err != nil {
			r.add(line, "record %d is not a school object: %v", i, err)
			return nil, r.result()
		}
		line = lineOfObject(data, line)

		id := strings.Trim(string(rec.RegistryID), `"`)
		switch {
		case id == "" || id == "null":
			r.add(line, "registry_id is required")
		case len(id) > 20 || strings.ContainsAny(id, " \t\n\"\\"):
			r.add(line, "registry_id %q is not an id", id)
		}
		if rec.Name == "" {
			r.add(line, "name is required")
		}
		for _, f := range []string{rec.Name, rec.Address, rec.District} {
			if n := len([]rune(f)); n > MaxField {
				r.add(line, "a field is %d characters long, at most %d", n, MaxField)
			}
		}
		if rec.Latitude == nil || rec.Longitude == nil ||
			math.Abs(*rec.Latitude) > 90 || math.Abs(*rec.Longitude) > 180 {
			r.add(line, "latitude and longitude are required, within ±90 and ±180")
			rec.Latitude, rec.Longitude = new(float64), new(float64)
		}
		district := k.districtNamed(rec.District)
		if district == "" {
			r.add(line, "district %q is not a district of %s", rec.District, k.City)
		}
		if prev, dup := seen[id]; dup {
			r.add(line, "registry_id %s appears again (first on line %d)", id, prev)
		}
		seen[id] = line

		out = append(out, School{Line: line, School: school.School{
			City:          k.City,
			RegistryID:    id,
			Name:          i18n.Text{KK: rec.Name, RU: rec.Name},
			Type:          typeFromName(rec.Name),
			Ownership:     ownershipFromName(rec.Name),
			Languages:     []i18n.Lang{},
			District:      district,
			Address:       i18n.Text{KK: rec.Address, RU: rec.Address},
			Location:      geo.Point{Lat: *rec.Latitude, Lon: *rec.Longitude},
			StartTimes:    []string{},
			Profiles:      []string{},
			Facilities:    []string{},
			Accessibility: []string{},
		}})
	}
	if _, err := dec.Token(); err != nil && !errors.Is(err, io.EOF) {
		r.add(lineAt(data, dec.InputOffset()), "the JSON array does not end: %v", err)
	}
	if err := r.result(); err != nil {
		return nil, err
	}
	return out, nil
}

// lineAt returns the line of the byte at offset.
func lineAt(data []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(data)))
	return 1 + bytes.Count(data[:offset], []byte("\n"))
}

// lineOfObject moves from the line where the decoder stood (after the
// previous value's comma) to the line of the object's opening brace.
func lineOfObject(data []byte, line int) int {
	start := 0
	for l := 1; l < line && start < len(data); l++ {
		i := bytes.IndexByte(data[start:], '\n')
		if i < 0 {
			return line
		}
		start += i + 1
	}
	if i := bytes.IndexByte(data[start:], '{'); i >= 0 {
		return line + bytes.Count(data[start:start+i], []byte("\n"))
	}
	return line
}

// MatchDistricts gives each district read from a file the slug of the
// city's district it is, matched by slug or else by its Kazakh or Russian
// name (the words for "district" aside), so that OpenStreetMap's "esil"
// updates the city's "yesil". A district matching none keeps its slug.
func MatchDistricts(ds []city.District, k Known) []city.District {
	out := make([]city.District, len(ds))
	for i, d := range ds {
		if !k.district(d.Slug) {
			if slug := k.districtNamed(d.Name.KK); slug != "" {
				d.Slug = slug
			} else if slug := k.districtNamed(d.Name.RU); slug != "" {
				d.Slug = slug
			}
		}
		out[i] = d
	}
	return out
}

// districtNamed finds the district whose slug or Kazakh or Russian name is
// the text, the words for "district" aside; "" when none is.
func (k Known) districtNamed(text string) string {
	want := districtKey(text)
	if want == "" {
		return ""
	}
	for _, d := range k.Districts {
		if districtKey(d.Slug) == want || districtKey(d.Name.RU) == want || districtKey(d.Name.KK) == want {
			return d.Slug
		}
	}
	return ""
}

// districtKey lowercases a district name and drops the words for district.
func districtKey(s string) string {
	var words []string
	for w := range strings.FieldsSeq(strings.ToLower(s)) {
		switch w {
		case "район", "ауданы", "district":
			continue
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}

// typeFromName reads the school type from an official Russian or Kazakh
// name; a general school when the name says nothing more.
func typeFromName(name string) school.Type {
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "гимназия"):
		return school.Gymnasium
	case strings.Contains(n, "лицей"):
		return school.Lyceum
	case strings.Contains(n, "начальная"), strings.Contains(n, "бастауыш"):
		return school.Primary
	case strings.Contains(n, "основная"), strings.Contains(n, "негізгі"):
		return school.Basic
	case strings.Contains(n, "специализ"), strings.Contains(n, "мамандандырылған"):
		return school.Specialised
	}
	return school.General
}

// ownershipFromName reads the form of ownership from an official name:
// state institutions (КГУ, ГУ, коммунальное, мемлекеттік) are public.
func ownershipFromName(name string) school.Ownership {
	n := strings.ToLower(name)
	for _, w := range []string{"частн", "тоо ", "товарищество", "жшс", "жеке"} {
		if strings.Contains(n, w) {
			return school.Private
		}
	}
	return school.Public
}
