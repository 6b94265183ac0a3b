package importer

import (
	"fmt"
	"regexp"

	"sakura/internal/address"
	"sakura/internal/geo"
	"sakura/internal/i18n"
)

// Address is one building of an import with the street it stands on.
// Streets are keyed by kind and Russian name, buildings by registration
// code.
type Address struct {
	Line     int
	Street   address.Street
	Building address.Building
}

// StreetKinds lists the street kinds a file may name.
var StreetKinds = []address.StreetKind{
	address.KindStreet, address.KindAvenue, address.KindBoulevard, address.KindLane,
	address.KindMicrodistrict, address.KindHighway,
}

var addressRequired = []string{"code", "district", "street_kind", "street_kk", "street_ru", "number", "lat", "lon"}
var addressOptional = []string{"street_en", "old_names", "residential"}

// houseNumber is a building number as written: 12, 12А, 150/230, 58к1.
var houseNumber = regexp.MustCompile(`^[0-9]{1,5}[\p{L}]?([/-][0-9]{1,5}[\p{L}]?)?(к[0-9]{1,3})?$`)

// ReadAddresses reads an addresses CSV: one row per building.
func ReadAddresses(name string, data []byte, k Known) ([]Address, error) {
	r := &report{file: name}
	t, _ := readCSV(r, data, addressRequired, addressOptional)
	if t == nil {
		return nil, r.result()
	}

	var out []Address
	codes := map[string]int{}
	houses := map[string]int{}
	for _, rw := range t.rows {
		st := address.Street{
			City:     k.City,
			District: rw.required("district"),
			Kind:     code(rw, "street_kind", StreetKinds),
			Name:     i18n.Text{KK: rw.required("street_kk"), RU: rw.required("street_ru"), EN: rw.get("street_en")},
			OldNames: rw.list("old_names", nil),
		}
		b := address.Building{
			City:        k.City,
			District:    st.District,
			Number:      rw.required("number"),
			Code:        rw.required("code"),
			Location:    geo.Point{Lat: rw.float("lat", -90, 90), Lon: rw.float("lon", -180, 180)},
			Residential: rw.bool("residential"),
		}
		if _, ok := t.cols["residential"]; !ok {
			b.Residential = true
		}
		if st.District != "" && !k.district(st.District) {
			rw.fail("district %q is not a district of %s", st.District, k.City)
		}
		if b.Number != "" && !houseNumber.MatchString(b.Number) {
			rw.fail("number %q is not a house number like 12, 12А, 150/230 or 58к1", b.Number)
		}
		if b.Code != "" {
			if prev, dup := codes[b.Code]; dup {
				rw.fail("code %s appears again (first on line %d)", b.Code, prev)
			}
			codes[b.Code] = rw.line
		}
		house := fmt.Sprintf("%s|%s|%s", st.Kind, st.Name.RU, b.Number)
		if prev, dup := houses[house]; dup && b.Number != "" {
			rw.fail("%s %s, %s appears again (first on line %d)", st.Kind, st.Name.RU, b.Number, prev)
		}
		houses[house] = rw.line
		out = append(out, Address{Line: rw.line, Street: st, Building: b})
	}
	if err := r.result(); err != nil {
		return nil, err
	}
	return out, nil
}
