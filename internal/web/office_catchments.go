package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"sakura/internal/account"
	"sakura/internal/address"
	"sakura/internal/catchment"
	"sakura/internal/document"
	"sakura/internal/errs"
	"sakura/internal/importer"
	"sakura/internal/school"
	"sakura/internal/staff"
)

// The catchments of a city's schools, kept by the department's operators:
// an upload (the files `sakura import catchments` reads), checked whole by
// the importer and shown on the map, then saved. Between the two the bytes
// wait in the document store under a fresh random key, behind a header that
// names the operator, the city and the school year; the save reads them
// back, refuses them to anyone else and checks them again.

// Limits of an upload.
const (
	// maxCatchmentsFile is the largest catchments file the office takes.
	maxCatchmentsFile = 20 << 20
	// maxCatchmentsRequest bounds the upload's body: the file and the form
	// around it.
	maxCatchmentsRequest = maxCatchmentsFile + 1<<20
	// catchmentsMapBuildings caps the buildings a building list's preview
	// puts on the map; the table counts them all.
	catchmentsMapBuildings = 5000
)

// The two formats of a catchments file.
const (
	formatCSV     = "csv"
	formatGeoJSON = "geojson"
)

// errCatchmentsBusy answers an upload when every slot for checking one is
// taken, so that a rush of large files waits instead of exhausting memory.
var errCatchmentsBusy = &errs.Error{Kind: errs.Unavailable, Key: "office.catchments.busy",
	RetryAfter: 5 * time.Second}

// catchmentsView is the data of the catchments page: the upload form, or the
// preview of an upload with its Save form.
type catchmentsView struct {
	Nav      officeNav
	Form     form
	Years    []option
	MaxMB    int
	Now      []catchmentsNow
	Problems []string // the importer's messages, as it wrote them
	More     int      // problems beyond those listed
	Preview  *catchmentsPreview
}

// catchmentsNow is what the city holds for one school year.
type catchmentsNow struct {
	Year      string
	Schools   int
	Areas     int
	Buildings int
}

// catchmentsPreview is an upload checked and waiting to be saved.
type catchmentsPreview struct {
	Key       string // the upload's key in the document store
	Year      int
	YearText  string
	File      string
	Format    string // formatCSV or formatGeoJSON
	Schools   int
	Buildings int
	Areas     int
	Replaces  string // what saving replaces
	Removed   string // the catchments saving removes, or ""
	MapJSON   string
	Cluster   bool   // buildings, many: cluster the markers
	MapNote   string // the map shows only some of the buildings
	Rows      []catchmentRow
	SaveURL   string
	BackURL   string
}

// catchmentRow is one school of the preview's table: its count in the file
// (areas or buildings, by the file's format) and now.
type catchmentRow struct {
	School   string
	BIN      string
	InFile   int
	Now      int
	Note     string // what saving does to a school the file leaves out
	Removed  bool   // saving leaves the school without a catchment that year
	sortName string
	number   int
}

// catchmentsUpload is the header kept before an upload's bytes: whose it is
// and what it is for.
type catchmentsUpload struct {
	User int64  `json:"user"`
	City string `json:"city"`
	Year int    `json:"year"`
	Name string `json:"name"`
}

// uploadMagic opens what the document store keeps of an upload.
const uploadMagic = "sakura catchments upload\n"

// packUpload puts the header before the file's bytes.
func packUpload(u catchmentsUpload, data []byte) ([]byte, error) {
	head, err := json.Marshal(u)
	if err != nil {
		return nil, fmt.Errorf("pack upload: %w", err)
	}
	out := make([]byte, 0, len(uploadMagic)+len(head)+1+len(data))
	out = append(out, uploadMagic...)
	out = append(out, head...)
	out = append(out, '\n')
	return append(out, data...), nil
}

// unpackUpload splits what packUpload made; ok is false for anything else.
func unpackUpload(blob []byte) (u catchmentsUpload, data []byte, ok bool) {
	rest, found := bytes.CutPrefix(blob, []byte(uploadMagic))
	if !found {
		return u, nil, false
	}
	head, data, found := bytes.Cut(rest, []byte{'\n'})
	if !found || json.Unmarshal(head, &u) != nil {
		return catchmentsUpload{}, nil, false
	}
	return u, data, true
}

// operatorCity is the city whose catchments the staff member keeps.
func operatorCity(o *office) (string, error) {
	if o.user.City == "" {
		return "", errForbidden
	}
	return o.user.City, nil
}

// catchmentYears are the school years an upload may be for: the one in
// force, as the find-school page answers it, and the next.
func (h *server) catchmentYears(r *http.Request, city string) []int {
	y := school.SchoolYear(h.now())
	if h.places != nil {
		if idx, err := h.places.City(r.Context(), city); err == nil {
			y = idx.Year
		}
	}
	return []int{y, y + 1}
}

// yearText writes a school year as 2026–2027.
func yearText(y int) string { return strconv.Itoa(y) + "–" + strconv.Itoa(y+1) }

// parseYear reads a school year the form sent, when it is one of years.
func parseYear(s string, years []int) (int, bool) {
	y, err := strconv.Atoi(strings.TrimSpace(s))
	return y, err == nil && slices.Contains(years, y)
}

// officeCatchments shows the upload form: the school year, the file, the
// formats, and what the city holds now.
func (h *server) officeCatchments(w http.ResponseWriter, r *http.Request, o *office) error {
	city, err := operatorCity(o)
	if err != nil {
		return err
	}
	v, err := h.catchmentsForm(r, o, city, form{Values: map[string]string{}})
	if err != nil {
		return err
	}
	return h.officePage(w, r, o.lang, http.StatusOK, "office_catchments",
		o.tr.T("office.catchments.title"), v)
}

// catchmentsForm is the view of the upload form with fm's values and
// errors.
func (h *server) catchmentsForm(r *http.Request, o *office, city string, fm form) (catchmentsView, error) {
	v := catchmentsView{Nav: h.officeNav(r, o, "catchments"), Form: fm, MaxMB: maxCatchmentsFile >> 20}
	years := h.catchmentYears(r, city)
	chosen, ok := parseYear(fm.Value("year"), years)
	if !ok {
		chosen = years[0]
	}
	for i, y := range years {
		label := yearText(y)
		if i == 0 {
			label += " · " + o.tr.T("office.catchments.year.current")
		}
		v.Years = append(v.Years, option{Value: strconv.Itoa(y), Label: label, Selected: y == chosen})
		cs, err := h.office.Catchments(r.Context(), city, y)
		if err != nil {
			return v, fmt.Errorf("office catchments: %w", err)
		}
		n := countCatchments(cs)
		n.Year = yearText(y)
		v.Now = append(v.Now, n)
	}
	return v, nil
}

// countCatchments counts the schools with a catchment, the areas and the
// buildings in lists.
func countCatchments(cs []catchment.Catchment) catchmentsNow {
	var n catchmentsNow
	for _, c := range cs {
		n.Schools++
		if len(c.Area) > 0 {
			n.Areas++
		}
		n.Buildings += len(c.Buildings)
	}
	return n
}

// refuseCatchments shows the upload form again with the errors, and the
// importer's problems when there are any, with status 400.
func (h *server) refuseCatchments(w http.ResponseWriter, r *http.Request, o *office, city, year string,
	bad []fieldError, problems *importer.Error) error {
	v, err := h.catchmentsForm(r, o, city, form{Values: map[string]string{"year": year}, Errors: bad})
	if err != nil {
		return err
	}
	if problems != nil {
		for _, p := range problems.Problems {
			v.Problems = append(v.Problems, p.String())
		}
		v.More = problems.More
	}
	return h.officePage(w, r, o.lang, http.StatusBadRequest, "office_catchments",
		o.tr.T("office.catchments.title"), v)
}

// fileError is a message next to the file field.
func fileError(o *office, key string, args ...any) []fieldError {
	return []fieldError{{Field: "file", Message: o.tr.T(key, args...)}}
}

// problemsError is the message next to the file field for a file the
// importer found problems in.
func problemsError(o *office, p *importer.Error, key string) []fieldError {
	return []fieldError{{Field: "file", Message: o.tr.N(key, len(p.Problems)+p.More)}}
}

// officeCatchmentsPreview checks an uploaded file whole and shows either
// every problem found, next to the file field, or the file on the map with
// its schools, what saving replaces, and the Save button. Nothing is written
// but the upload itself, kept for the save.
func (h *server) officeCatchmentsPreview(w http.ResponseWriter, r *http.Request, o *office) error {
	city, err := operatorCity(o)
	if err != nil {
		return err
	}
	release, err := h.uploadSlot(errCatchmentsBusy)
	if err != nil {
		return err
	}
	defer release()

	r.Body = http.MaxBytesReader(w, r.Body, maxCatchmentsRequest)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return h.refuseCatchments(w, r, o, city, "",
				fileError(o, "office.catchments.file.too_big", "MB", maxCatchmentsFile>>20), nil)
		}
		return &errs.Error{Kind: errs.Invalid, Key: "cabinet.form_broken", Err: err}
	}
	defer r.MultipartForm.RemoveAll()

	yearValue := strings.TrimSpace(r.FormValue("year"))
	if len(yearValue) > 10 {
		yearValue = yearValue[:10]
	}
	var bad []fieldError
	year, ok := parseYear(yearValue, h.catchmentYears(r, city))
	if !ok {
		bad = append(bad, fieldError{Field: "year", Message: o.tr.T("office.catchments.year.invalid")})
	}
	data, name, fileBad, err := readCatchmentsFile(r, o)
	if err != nil {
		return err
	}
	bad = append(bad, fileBad...)
	if len(bad) > 0 {
		return h.refuseCatchments(w, r, o, city, yearValue, bad, nil)
	}

	c, problems, err := h.readCatchments(r.Context(), city, name, data)
	if err != nil {
		return err
	}
	if problems != nil {
		return h.refuseCatchments(w, r, o, city, yearValue,
			problemsError(o, problems, "office.catchments.problems"), problems)
	}
	if len(c.Links) == 0 && len(c.Areas) == 0 {
		return h.refuseCatchments(w, r, o, city, yearValue,
			fileError(o, "office.catchments.file.nothing"), nil)
	}

	key := document.NewKey()
	blob, err := packUpload(catchmentsUpload{User: o.user.ID, City: city, Year: year, Name: name}, data)
	if err != nil {
		return err
	}
	if err := h.docs.Put(r.Context(), key, blob); err != nil {
		return fmt.Errorf("office catchments: keep upload: %w", err)
	}
	p, err := h.catchmentsPreview(r, o, city, year, name, c)
	if err != nil {
		return err
	}
	p.Key = key
	v := catchmentsView{Nav: h.officeNav(r, o, "catchments"), Form: form{Values: map[string]string{}},
		MaxMB: maxCatchmentsFile >> 20, Preview: p}
	return h.officePage(w, r, o.lang, http.StatusOK, "office_catchments",
		o.tr.T("office.catchments.preview.title"), v)
}

// readCatchmentsFile reads the uploaded file and its name. A file missing,
// empty, too large or neither GeoJSON nor CSV comes back as a message for
// the file field; err is a form that cannot be read at all.
func readCatchmentsFile(r *http.Request, o *office) (data []byte, name string, bad []fieldError, err error) {
	file, header, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return nil, "", fileError(o, "office.catchments.file.missing"), nil
	}
	if err != nil {
		return nil, "", nil, &errs.Error{Kind: errs.Invalid, Key: "cabinet.form_broken", Err: err}
	}
	defer file.Close()
	data, err = io.ReadAll(io.LimitReader(file, maxCatchmentsFile+1))
	if err != nil {
		return nil, "", nil, fmt.Errorf("read upload: %w", err)
	}
	if len(data) > maxCatchmentsFile {
		return nil, "", fileError(o, "office.catchments.file.too_big", "MB", maxCatchmentsFile>>20), nil
	}
	format := catchmentsFormat(data)
	switch format {
	case "empty":
		return nil, "", fileError(o, "office.catchments.file.empty"), nil
	case "":
		return nil, "", fileError(o, "office.catchments.file.format"), nil
	}
	return data, uploadName(header.Filename, format), nil, nil
}

// catchmentsFormat tells a GeoJSON file (it starts with '{', as the importer
// decides) from a CSV one (any other text), by content alone: "empty" for a
// file of nothing but spaces, "" for one that is neither (a spreadsheet, a
// PDF, an image, a JSON array, XML or HTML such as a KML export).
func catchmentsFormat(data []byte) string {
	head := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(head) == 0 {
		return "empty"
	}
	switch head[0] {
	case '{':
		return formatGeoJSON
	case '[', '<':
		return ""
	}
	if strings.HasPrefix(http.DetectContentType(data), "text/plain") {
		return formatCSV
	}
	return ""
}

// uploadName keeps a short, safe form of an uploaded file's name, for the
// importer's messages; a name missing is made from the format.
func uploadName(name, format string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 32 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	if rs := []rune(name); len(rs) > 80 {
		name = string(rs[:80])
	}
	if strings.TrimSpace(name) == "" {
		name = "catchments." + format
	}
	return name
}

// readCatchments checks a file with the importer against what the city
// holds. The file's problems come back as problems; err is a fault of ours.
func (h *server) readCatchments(ctx context.Context, city, name string, data []byte,
) (importer.Catchments, *importer.Error, error) {
	known, err := h.office.ImportKnown(ctx, city)
	if err != nil {
		return importer.Catchments{}, nil, fmt.Errorf("office catchments: %w", err)
	}
	c, err := importer.ReadCatchments(name, data, known)
	var problems *importer.Error
	if errors.As(err, &problems) {
		return importer.Catchments{}, problems, nil
	}
	if err != nil {
		return importer.Catchments{}, nil, fmt.Errorf("office catchments: %w", err)
	}
	return c, nil, nil
}

// fileCounts counts what a file holds: its schools, buildings and areas.
func fileCounts(c importer.Catchments) (schools, buildings, areas int) {
	seen := map[string]bool{}
	for _, l := range c.Links {
		seen[l.SchoolBIN] = true
	}
	for _, a := range c.Areas {
		seen[a.SchoolBIN] = true
	}
	return len(seen), len(c.Links), len(c.Areas)
}

// catchmentsPreview describes what saving c would do to the city's
// catchments of the year: the map, the schools with their counts in the
// file and now, and what is replaced or removed.
func (h *server) catchmentsPreview(r *http.Request, o *office, city string, year int, name string,
	c importer.Catchments) (*catchmentsPreview, error) {
	ctx := r.Context()
	schools, err := h.office.Schools(ctx, city)
	if err != nil {
		return nil, fmt.Errorf("office catchments: %w", err)
	}
	now, err := h.office.Catchments(ctx, city, year)
	if err != nil {
		return nil, fmt.Errorf("office catchments: %w", err)
	}
	byBIN := make(map[string]school.School, len(schools))
	byID := make(map[int64]school.School, len(schools))
	for _, s := range schools {
		byID[s.ID] = s
		if s.BIN != "" {
			byBIN[s.BIN] = s
		}
	}
	current := make(map[int64]catchment.Catchment, len(now))
	for _, x := range now {
		current[x.SchoolID] = x
	}

	p := &catchmentsPreview{Year: year, YearText: yearText(year), File: name, Format: formatCSV,
		SaveURL: officeURL(o.lang, "catchments/save"), BackURL: officeURL(o.lang, "catchments")}
	p.Schools, p.Buildings, p.Areas = fileCounts(c)
	if len(c.Areas) > 0 {
		p.Format = formatGeoJSON
	}
	geojson := p.Format == formatGeoJSON

	// The half of a catchment the file replaces, counted: an area (0 or 1)
	// or the buildings of the list.
	replaced := func(x catchment.Catchment) int {
		if geojson {
			return min(len(x.Area), 1)
		}
		return len(x.Buildings)
	}
	inFile := map[string]int{}
	for _, l := range c.Links {
		inFile[l.SchoolBIN]++
	}
	for _, a := range c.Areas {
		inFile[a.SchoolBIN]++
	}
	rowOf := func(s school.School, n int) catchmentRow {
		return catchmentRow{School: s.Name.In(o.lang), BIN: s.BIN, InFile: n, Now: replaced(current[s.ID]),
			sortName: strings.ToLower(s.Name.In(o.lang)), number: s.Number}
	}
	var rows []catchmentRow
	for bin, n := range inFile {
		row := rowOf(byBIN[bin], n)
		if _, ok := current[byBIN[bin].ID]; !ok {
			row.Note = o.tr.T("office.catchments.row.new")
		}
		rows = append(rows, row)
	}
	removed := 0
	for _, x := range now {
		s, ok := byID[x.SchoolID]
		if !ok || replaced(x) == 0 || (s.BIN != "" && inFile[s.BIN] > 0) {
			continue
		}
		row := rowOf(s, 0)
		if geojson {
			row.Removed = len(x.Buildings) == 0
		} else {
			row.Removed = len(x.Area) == 0
		}
		switch {
		case row.Removed:
			row.Note = o.tr.T("office.catchments.row.removed")
			removed++
		case geojson:
			row.Note = o.tr.T("office.catchments.row.list_stays")
		default:
			row.Note = o.tr.T("office.catchments.row.area_stays")
		}
		rows = append(rows, row)
	}
	slices.SortFunc(rows, func(a, b catchmentRow) int {
		switch {
		case a.number != b.number && a.number > 0 && b.number > 0:
			return a.number - b.number
		case a.number != b.number:
			return b.number - a.number // numbered schools first
		}
		return strings.Compare(a.sortName, b.sortName)
	})
	p.Rows = rows

	p.Replaces = o.tr.T("office.catchments.replace."+p.Format, "Year", p.YearText)
	if removed > 0 {
		p.Removed = o.tr.N("office.catchments.removed."+p.Format, removed, "Year", p.YearText)
	}

	p.MapJSON, err = h.catchmentsMap(r, o, city, c, byBIN, p)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// catchmentsMap is the preview's map: the areas of the file with their
// schools, or the buildings of the file, by school.
func (h *server) catchmentsMap(r *http.Request, o *office, city string, c importer.Catchments,
	byBIN map[string]school.School, p *catchmentsPreview) (string, error) {
	fc := placeCollection{Type: "FeatureCollection", Features: []placeFeature{}}
	base := "/" + string(o.lang) + "/" + city
	binLabel := o.tr.T("office.catchments.table.bin")
	if len(c.Areas) > 0 {
		for _, a := range c.Areas {
			s := byBIN[a.SchoolBIN]
			fc.Features = append(fc.Features, placePolygon(a.Area, map[string]any{
				"kind": "catchment", "name": s.Name.In(o.lang), "note": binLabel + " " + a.SchoolBIN,
			}))
		}
		for _, a := range c.Areas {
			fc.Features = append(fc.Features, placeSchool(byBIN[a.SchoolBIN], o.lang, base))
		}
	} else {
		buildings, err := h.office.Buildings(r.Context(), city)
		if err != nil {
			return "", fmt.Errorf("office catchments: %w", err)
		}
		byCode := make(map[string]address.Building, len(buildings))
		for _, b := range buildings {
			byCode[b.Code] = b
		}
		var idx *catchment.CityIndex
		if h.places != nil {
			idx, _ = h.places.City(r.Context(), city) // without it, buildings are named by code
		}
		for _, l := range c.Links {
			if len(fc.Features) == catchmentsMapBuildings {
				p.MapNote = o.tr.T("office.catchments.map.capped", "Shown", catchmentsMapBuildings,
					"Count", len(c.Links))
				break
			}
			b, ok := byCode[l.BuildingCode]
			if !ok {
				continue
			}
			label := l.BuildingCode
			if idx != nil {
				if _, st, ok := idx.Addresses.Building(b.ID); ok {
					label = address.HouseText(st, b.Number).In(o.lang)
				}
			}
			fc.Features = append(fc.Features, placePoint(b.Location, map[string]any{
				"name": label, "note": byBIN[l.SchoolBIN].Name.In(o.lang),
			}))
		}
		p.Cluster = true
	}
	out, err := json.Marshal(fc)
	if err != nil {
		return "", fmt.Errorf("office catchments map: %w", err)
	}
	return string(out), nil
}

// catchmentsAudit is what the audit log keeps of a save: the school year
// and the counts, before (the city's catchments of the year) and after (the
// file saved).
type catchmentsAudit struct {
	Year      int `json:"year"`
	Schools   int `json:"schools"`
	Buildings int `json:"buildings"`
	Areas     int `json:"areas"`
}

func auditJSON(a catchmentsAudit) string {
	b, _ := json.Marshal(a) // a struct of numbers always marshals
	return string(b)
}

// officeCatchmentsSave saves the upload the preview showed: it reads the
// bytes back, refuses an upload that is not this operator's for this city
// and year as not found, checks them again (the city's schools and
// buildings may have changed since), writes them with the audit line and
// rebuilds the city's indexes in this process before going back to the
// form.
func (h *server) officeCatchmentsSave(w http.ResponseWriter, r *http.Request, o *office) error {
	city, err := operatorCity(o)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	release, err := h.uploadSlot(errCatchmentsBusy)
	if err != nil {
		return err
	}
	defer release()

	ctx := r.Context()
	key := r.PostFormValue("upload")
	year, ok := parseYear(r.PostFormValue("year"), h.catchmentYears(r, city))
	if !ok || !document.ValidKey(key) {
		return fmt.Errorf("catchments upload: %w", errs.ErrNotFound)
	}
	blob, err := h.docs.Get(ctx, key)
	if err != nil {
		return fmt.Errorf("catchments upload: %w", err)
	}
	up, data, ok := unpackUpload(blob)
	if !ok || up.User != o.user.ID || up.City != city || up.Year != year {
		return fmt.Errorf("catchments upload of another operator, city or year: %w", errs.ErrNotFound)
	}

	c, problems, err := h.readCatchments(ctx, city, up.Name, data)
	if err != nil {
		return err
	}
	if problems != nil {
		return h.refuseCatchments(w, r, o, city, strconv.Itoa(year),
			problemsError(o, problems, "office.catchments.changed"), problems)
	}
	if len(c.Links) == 0 && len(c.Areas) == 0 {
		return h.refuseCatchments(w, r, o, city, strconv.Itoa(year),
			fileError(o, "office.catchments.file.nothing"), nil)
	}

	before, err := h.office.Catchments(ctx, city, year)
	if err != nil {
		return fmt.Errorf("office catchments: %w", err)
	}
	was := countCatchments(before)
	after := catchmentsAudit{Year: year}
	after.Schools, after.Buildings, after.Areas = fileCounts(c)
	e := staff.AuditEntry{At: h.now(), UserID: o.user.ID, Actor: o.user.Name, City: city,
		Action: "catchments.import", Object: "city:" + city,
		Before: auditJSON(catchmentsAudit{Year: year, Schools: was.Schools, Buildings: was.Buildings,
			Areas: was.Areas}),
		After: auditJSON(after), Client: account.MaskAddr(o.client.Addr)}
	if err := h.office.SaveCatchments(ctx, city, year, c, e); err != nil {
		return fmt.Errorf("office catchments: %w", err)
	}
	h.cityChanged(city)
	if err := h.docs.Delete(ctx, key); err != nil {
		h.log.LogAttrs(ctx, slog.LevelWarn, "delete catchments upload", requestAttrs(r),
			slog.Any("error", err))
	}
	http.Redirect(w, r, officeURL(o.lang, "catchments")+"?done=catchments", http.StatusSeeOther)
	return nil
}

// cityChanged rebuilds the city's in-memory indexes in this process now,
// after the back office changed its reference data, so that the public
// pages and the API answer from what was just saved; other processes
// rebuild theirs when they notice the city's new data version.
func (h *server) cityChanged(city string) {
	if h.changed != nil {
		h.changed(city)
	}
}
