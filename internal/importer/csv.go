package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"sakura/internal/i18n"
	"sakura/internal/iin"
)

// table is a CSV file read by its header: columns in any order, each named
// once, every required one present and no unknown one.
type table struct {
	r    *report
	cols map[string]int
	rows []row
}

// row is one record of a table with the line it starts on.
type row struct {
	t      *table
	line   int
	fields []string
}

// readCSV reads a comma- (or semicolon-) separated file with a header line.
// It reports what is wrong with the encoding, the header and the shape of
// each record, and returns false when the rows cannot be read at all.
func readCSV(r *report, data []byte, required, optional []string) (*table, bool) {
	data, ok := text(r, data)
	if !ok {
		return nil, false
	}

	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	if head, _, _ := bytes.Cut(data, []byte("\n")); bytes.Count(head, []byte(";")) > bytes.Count(head, []byte(",")) {
		cr.Comma = ';'
	}

	header, err := cr.Read()
	if err != nil {
		r.add(1, "no header line: %v", csvReason(err))
		return nil, false
	}
	t := &table{r: r, cols: make(map[string]int, len(header))}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := t.cols[h]; dup {
			r.add(1, "column %q appears twice", h)
			continue
		}
		if !slices.Contains(required, h) && !slices.Contains(optional, h) {
			all := append(slices.Clone(required), optional...)
			r.add(1, "unknown column %q; the columns are %s", h, strings.Join(all, ", "))
			continue
		}
		t.cols[h] = i
	}
	for _, c := range required {
		if _, ok := t.cols[c]; !ok {
			r.add(1, "missing column %q", c)
		}
	}
	if r.failed() {
		return nil, false
	}

	for {
		line, _ := cr.FieldPos(0)
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				r.add(pe.StartLine, "%s", csvReason(pe.Err))
				return t, false
			}
			r.add(line, "%s", csvReason(err))
			return t, false
		}
		line, _ = cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			r.add(line, "%d fields, the header has %d", len(rec), len(header))
			continue
		}
		tooLong := false
		for i, f := range rec {
			if n := utf8.RuneCountInString(f); n > MaxField {
				r.add(line, "column %q is %d characters long, at most %d", header[i], n, MaxField)
				tooLong = true
			}
		}
		if !tooLong {
			t.rows = append(t.rows, row{t: t, line: line, fields: rec})
		}
	}
	return t, true
}

func csvReason(err error) string {
	switch {
	case errors.Is(err, io.EOF):
		return "the file is empty"
	case errors.Is(err, csv.ErrQuote), errors.Is(err, csv.ErrBareQuote):
		return "a quote is not closed or stands inside an unquoted field"
	}
	return err.Error()
}

// get returns the trimmed field of the column, or "" when the file has no
// such column.
func (rw row) get(col string) string {
	i, ok := rw.t.cols[col]
	if !ok {
		return ""
	}
	return strings.TrimSpace(rw.fields[i])
}

func (rw row) fail(format string, args ...any) { rw.t.r.add(rw.line, format, args...) }

// required returns the field, reporting it when empty.
func (rw row) required(col string) string {
	v := rw.get(col)
	if v == "" {
		rw.fail("%s is required", col)
	}
	return v
}

// int returns the field as a whole number in [lo, hi]; empty is 0.
func (rw row) int(col string, lo, hi int) int {
	v := rw.get(col)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		rw.fail("%s %q is not a whole number from %d to %d", col, v, lo, hi)
		return 0
	}
	return n
}

// float returns the required field as a finite number in [lo, hi].
func (rw row) float(col string, lo, hi float64) float64 {
	v := rw.required(col)
	if v == "" {
		return 0
	}
	f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
	if err != nil || math.IsNaN(f) || f < lo || f > hi {
		rw.fail("%s %q is not a number from %g to %g", col, v, lo, hi)
		return 0
	}
	return f
}

// bool reads yes/no in the forms a spreadsheet writes.
func (rw row) bool(col string) bool {
	switch v := strings.ToLower(rw.get(col)); v {
	case "1", "true", "yes", "y", "да", "иә":
		return true
	case "", "0", "false", "no", "n", "нет", "жоқ":
		return false
	default:
		rw.fail("%s %q is not yes or no (1/0, true/false)", col, v)
		return false
	}
}

// list splits a |-separated field, checking each item against known when
// it is not nil.
func (rw row) list(col string, known []string) []string {
	v := rw.get(col)
	if v == "" {
		return []string{}
	}
	var out []string
	for item := range strings.SplitSeq(v, "|") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if known != nil && !slices.Contains(known, item) {
			rw.fail("%s: unknown code %q; known: %s", col, item, strings.Join(known, ", "))
			continue
		}
		if slices.Contains(out, item) {
			rw.fail("%s: %q appears twice", col, item)
			continue
		}
		out = append(out, item)
	}
	return out
}

// langs reads a |-separated list of the portal's languages.
func (rw row) langs(col string, required bool) []i18n.Lang {
	codes := rw.list(col, []string{string(i18n.KK), string(i18n.RU), string(i18n.EN)})
	if required && len(codes) == 0 && rw.get(col) == "" {
		rw.fail("%s is required", col)
	}
	out := make([]i18n.Lang, len(codes))
	for i, c := range codes {
		out[i] = i18n.Lang(c)
	}
	return out
}

// bin reads a required business identification number.
func (rw row) bin(col string) string {
	v := rw.required(col)
	if v == "" {
		return ""
	}
	if _, err := iin.ParseBIN(v, time.Now()); err != nil {
		rw.fail("%s %q is not a valid BIN: %v", col, v, err)
		return ""
	}
	return v
}

// code checks the field against a closed list of codes.
func code[T ~string](rw row, col string, known []T) T {
	v := rw.required(col)
	if v == "" {
		return ""
	}
	if !slices.Contains(known, T(v)) {
		names := make([]string, len(known))
		for i, k := range known {
			names[i] = string(k)
		}
		rw.fail("%s: unknown code %q; known: %s", col, v, strings.Join(names, ", "))
		return ""
	}
	return T(v)
}
