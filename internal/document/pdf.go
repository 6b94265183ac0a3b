package document

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
)

// pdfTail is how near the end %%EOF must be; writers may add a little after
// it (line ends, padding).
const pdfTail = 1024

// maxInflate bounds the bytes checkPDF inflates from a PDF's object streams,
// so that a compressed bomb costs little.
const maxInflate = 4 * MaxPDF

// pdfHeader is the header of every PDF version there is.
var pdfHeader = regexp.MustCompile(`^%PDF-(1\.[0-7]|2\.0)`)

// checkPDF shows data to be a PDF that is safe for staff to open, and keeps
// it as it is. It wants the header at the start, a startxref that points
// into the file and %%EOF near the end. It refuses a PDF that is encrypted
// (it cannot be read, nor checked) or that names JavaScript, a launch action
// or an embedded file anywhere: in the file as stored and in every object
// stream, where compressed objects hide from a plain search. Names are
// compared after their #xx escapes are undone, so /J#61vaScript is caught.
//
// NOTE: this is a search for names, not a PDF parser. It may refuse a rare
// innocent file whose binary data (a picture) happens to hold such a name;
// it never lets one through that names them in a place a reader looks.
func checkPDF(data []byte) (File, error) {
	if len(data) > MaxPDF {
		return File{}, refuse(KeyTooBig, map[string]any{"Max": MaxPDF / megabyte})
	}
	if !pdfHeader.Match(data) {
		return File{}, refuseErr(KeyBroken, nil, errors.New("PDF: no known version in the header"))
	}
	eof := bytes.LastIndex(data, []byte("%%EOF"))
	if eof < 0 || eof < len(data)-pdfTail {
		return File{}, refuseErr(KeyBroken, nil, errors.New("PDF: no %%EOF at the end"))
	}
	if err := checkStartXref(data[:eof]); err != nil {
		return File{}, refuseErr(KeyBroken, nil, err)
	}

	if name, ok := unsafeName(data); ok {
		return File{}, refuseErr(KeyPDFUnsafe, nil, fmt.Errorf("PDF names /%s", name))
	}
	if err := checkObjectStreams(data); err != nil {
		return File{}, refuseErr(KeyPDFUnsafe, nil, err)
	}
	return File{ContentType: PDF, Ext: ".pdf", Data: data}, nil
}

// checkStartXref wants the last startxref before %%EOF to give an offset
// inside the file.
func checkStartXref(data []byte) error {
	i := bytes.LastIndex(data, []byte("startxref"))
	if i < 0 {
		return errors.New("PDF: no startxref")
	}
	rest := bytes.TrimLeft(data[i+len("startxref"):], " \t\r\n\f\x00")
	n := 0
	for n < len(rest) && n < 12 && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	off, err := strconv.Atoi(string(rest[:n]))
	if err != nil || off >= i {
		return fmt.Errorf("PDF: startxref %q does not point into the file", rest[:n])
	}
	return nil
}

// unsafeNames are the PDF names that make a file unsafe to open: it is
// encrypted, runs a script, starts a program or carries a file.
var unsafeNames = map[string]bool{
	"Encrypt":       true,
	"JavaScript":    true,
	"JS":            true,
	"Launch":        true,
	"EmbeddedFile":  true,
	"EmbeddedFiles": true,
}

// unsafeName returns the first unsafe name in b.
func unsafeName(b []byte) (string, bool) {
	for name := range pdfNames(b) {
		if unsafeNames[name] {
			return name, true
		}
	}
	return "", false
}

// pdfNames yields every name (/Something) in b, with #xx escapes undone.
func pdfNames(b []byte) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		for i := 0; i < len(b); i++ {
			if b[i] != '/' {
				continue
			}
			var name []byte
			j := i + 1
			for ; j < len(b) && isRegular(b[j]); j++ {
				c := b[j]
				if c == '#' && j+2 < len(b) {
					if v, err := strconv.ParseUint(string(b[j+1:j+3]), 16, 8); err == nil {
						c = byte(v)
						j += 2
					}
				}
				name = append(name, c)
			}
			if !yield(string(name)) {
				return
			}
			i = j - 1
		}
	}
}

// isRegular reports whether c is a regular character of PDF syntax: neither
// white space nor a delimiter.
func isRegular(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ', '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return false
	}
	return true
}

// checkObjectStreams inflates every object stream (a stream whose
// dictionary says /Type /ObjStm) and looks for unsafe names inside. An
// object stream that cannot be inflated, or inflates past maxInflate, is
// refused: what cannot be read cannot be vouched for.
//
// The dictionary of a stream is taken to be everything since the end of the
// stream before it, which may hold a little more than the dictionary but
// never less.
func checkObjectStreams(data []byte) error {
	budget := int64(maxInflate)
	from := 0
	for {
		kw, body, next, ok := nextStream(data, from)
		if !ok {
			return nil
		}
		dict := data[from:kw]
		from = next

		var isObjStm, filtered bool
		for name := range pdfNames(dict) {
			isObjStm = isObjStm || name == "ObjStm"
			filtered = filtered || name == "Filter"
		}
		if !isObjStm {
			continue
		}

		// An unfiltered object stream was searched with the rest of the file.
		zr, err := zlib.NewReader(bytes.NewReader(body))
		if err != nil {
			if !filtered {
				continue
			}
			return fmt.Errorf("PDF: object stream cannot be read: %w", err)
		}
		plain, err := io.ReadAll(io.LimitReader(zr, budget+1))
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, zlib.ErrChecksum) {
			return fmt.Errorf("PDF: object stream cannot be read: %w", err)
		}
		budget -= int64(len(plain))
		if budget < 0 {
			return errors.New("PDF: object streams inflate too far")
		}
		if name, ok := unsafeName(plain); ok {
			return fmt.Errorf("PDF names /%s in an object stream", name)
		}
	}
}

// nextStream finds the first stream at or after from: where its keyword
// stands, its body (between the keyword's line end and endstream) and where
// the search goes on.
func nextStream(data []byte, from int) (kw int, body []byte, next int, ok bool) {
	for from < len(data) {
		i := bytes.Index(data[from:], []byte("stream"))
		if i < 0 {
			return 0, nil, 0, false
		}
		i += from
		start := i + len("stream")
		from = start

		// The keyword, not the end of "endstream" nor part of a name.
		if i > 0 && isRegular(data[i-1]) {
			continue
		}
		switch {
		case bytes.HasPrefix(data[start:], []byte("\r\n")):
			start += 2
		case bytes.HasPrefix(data[start:], []byte("\n")):
			start++
		default:
			continue
		}
		end := bytes.Index(data[start:], []byte("endstream"))
		if end < 0 {
			return i, data[start:], len(data), true
		}
		return i, data[start : start+end], start + end + len("endstream"), true
	}
	return 0, nil, 0, false
}
