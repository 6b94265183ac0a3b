// Package importer reads the files an education department hands over to
// replace a demo city with a real one: schools, the address register,
// catchments, teachers and district boundaries, as CSV, GeoJSON or the
// national registry's JSON. It checks every row before anything is written
// and reports every problem as FILE:LINE: reason (FILE: feature N: reason
// for GeoJSON). It knows nothing of SQL: the store writes what it returns.
package importer

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"sakura/internal/city"
)

// MaxProblems caps the problems one file reports; the rest are counted.
const MaxProblems = 100

// MaxField is the longest a single field may be, in characters.
const MaxField = 1000

// Known is what the database already holds for the city, against which
// references in a file are checked.
type Known struct {
	City      string
	Districts []city.District
	Schools   map[string]bool // BINs
	Buildings map[string]bool // registration codes
}

func (k Known) district(slug string) bool {
	_, ok := city.City{Districts: k.Districts}.District(slug)
	return ok
}

// Problem is one thing wrong with an input file. Line is 0 for a problem
// of the whole file; Feature is the index of a GeoJSON feature, or -1.
type Problem struct {
	File    string
	Line    int
	Feature int
	Reason  string
}

func (p Problem) String() string {
	switch {
	case p.Feature >= 0:
		return fmt.Sprintf("%s: feature %d: %s", p.File, p.Feature, p.Reason)
	case p.Line > 0:
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Reason)
	}
	return p.File + ": " + p.Reason
}

// Error is every problem found in a file; when a reader returns one,
// nothing of the file may be written.
type Error struct {
	Problems []Problem
	More     int // problems beyond MaxProblems, not listed
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n… and %d more problems", e.More)
	}
	return b.String()
}

// report collects the problems of one file.
type report struct {
	file string
	err  Error
}

func (r *report) add(line int, format string, args ...any) {
	r.put(Problem{File: r.file, Line: line, Feature: -1, Reason: fmt.Sprintf(format, args...)})
}

func (r *report) feature(i int, format string, args ...any) {
	r.put(Problem{File: r.file, Feature: i, Reason: fmt.Sprintf(format, args...)})
}

func (r *report) put(p Problem) {
	if len(r.err.Problems) >= MaxProblems {
		r.err.More++
		return
	}
	r.err.Problems = append(r.err.Problems, p)
}

func (r *report) failed() bool { return len(r.err.Problems) > 0 }

func (r *report) result() error {
	if !r.failed() {
		return nil
	}
	e := r.err
	return &e
}

var bom = []byte("\xef\xbb\xbf")

// text checks that data is UTF-8 and returns it without a byte-order mark.
// A file in another encoding is refused at its first bad line, naming the
// encoding it probably is.
func text(r *report, data []byte) ([]byte, bool) {
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}), bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		r.add(1, "the file is UTF-16; save it as UTF-8")
		return nil, false
	}
	data = bytes.TrimPrefix(data, bom)
	if utf8.Valid(data) {
		return data, true
	}

	line, col := 1, 1
	rest := data
	for len(rest) > 0 {
		c, size := utf8.DecodeRune(rest)
		if c == utf8.RuneError && size <= 1 {
			break
		}
		if c == '\n' {
			line, col = line+1, 0
		}
		col++
		rest = rest[size:]
	}
	guess := "not UTF-8"
	if looksCP1251(data) {
		guess = "not UTF-8 but probably Windows-1251 (CP1251)"
	}
	r.add(line, "the file is %s: byte 0x%02X at column %d is not valid UTF-8; save the file as UTF-8",
		guess, rest[0], col)
	return nil, false
}

// looksCP1251 reports whether most high bytes of data fall in the range
// where Windows-1251 keeps the Cyrillic letters.
func looksCP1251(data []byte) bool {
	var high, cyr int
	for _, c := range data {
		if c >= 0x80 {
			high++
			if c >= 0xC0 || c == 0xA8 || c == 0xB8 || c == 0xAA || c == 0xBA || c == 0xB2 || c == 0xB3 {
				cyr++
			}
		}
	}
	return high > 0 && cyr*10 >= high*7
}

// firstByte returns the first byte of data that is not white space.
func firstByte(data []byte) byte {
	data = bytes.TrimPrefix(data, bom)
	for _, c := range data {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}
