// Package document checks the files parents upload with an application (a
// child's photo, medical certificates, a birth certificate) and keeps them
// behind a Store.
//
// Check decides a file's type by its content alone, never by its name:
// images are decoded, shrunk and encoded anew, which drops EXIF and every
// other piece of metadata; PDFs are kept as sent once they are shown to be
// PDFs that carry no scripts, launch actions, attachments or encryption.
// What Check returns is what gets stored and, later, served.
package document

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
)

// Kind is what a document is for; it decides which types are accepted.
type Kind string

// The kinds of document a grade-1 application carries.
const (
	// Photo is the child's photo: JPEG or PNG, always stored as JPEG.
	Photo Kind = "photo"
	// Medical is a medical certificate (forms 065/у, 052-2/у): PDF, JPEG or
	// PNG.
	Medical Kind = "medical"
	// BirthCertificate is a birth certificate, asked for when the birth is
	// not in the civil registry: PDF, JPEG or PNG.
	BirthCertificate Kind = "birth_certificate"
	// Scan is a scanned paper of another service: a report card, a
	// certificate of education, the proof of a category of help: PDF, JPEG
	// or PNG.
	Scan Kind = "scan"
)

// The content types Check recognises.
const (
	JPEG = "image/jpeg"
	PNG  = "image/png"
	PDF  = "application/pdf"
)

// accepted lists the content types each kind takes.
var accepted = map[Kind][]string{
	Photo:            {JPEG, PNG},
	Medical:          {PDF, JPEG, PNG},
	BirthCertificate: {PDF, JPEG, PNG},
	Scan:             {PDF, JPEG, PNG},
}

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool {
	_, ok := accepted[k]
	return ok
}

// Accepts reports whether a document of kind k may have the content type.
func (k Kind) Accepts(contentType string) bool {
	return slices.Contains(accepted[k], contentType)
}

// Limits. Sizes are in bytes; a megabyte here is 2²⁰ bytes, the larger
// reading of the rules' "5 MB", so that no file the rules allow is refused.
const (
	// MaxUpload is how much of one uploaded file is read before checking;
	// the web layer caps the request body with it. Photos from phones and
	// scans are often larger than MaxTotal before they are shrunk.
	MaxUpload = 20 << 20

	// MaxPixels bounds an image's width × height, read from its header
	// before anything is decoded, so that a small file claiming a huge
	// picture (a decompression bomb) is refused cheaply. Decoding an image
	// of MaxPixels takes about 4 bytes a pixel.
	MaxPixels = 40_000_000

	// MaxSide is the longest side of a stored image; larger ones are scaled
	// down to it. 2000 px keeps an A4 scan readable.
	MaxSide = 2000

	// MaxTotal is the most one application's documents may weigh together,
	// after shrinking, as the admission rules say.
	MaxTotal = 5 << 20

	// MaxPDF is the most one PDF may weigh; PDFs are stored as sent.
	MaxPDF = 5 << 20
)

// File is a checked document, ready to store: Data is what was made of the
// upload (an image encoded anew, or the PDF as sent).
type File struct {
	Kind        Kind
	ContentType string // JPEG, PNG or PDF
	Ext         string // ".jpg", ".png" or ".pdf", for the download's name
	Data        []byte
	Size        int64  // len(Data)
	SHA256      string // of Data, in hex
	Width       int    // in pixels; zero for a PDF
	Height      int
}

// Store keeps documents' bytes under opaque keys made by NewKey. It never
// sits under the web root; the web layer decides who may read what.
type Store interface {
	// Put stores data under key, replacing whatever was there. A key that
	// NewKey could not have made is refused with an errs.Invalid error.
	Put(ctx context.Context, key string, data []byte) error

	// Get returns the data stored under key, or an error matching
	// errs.ErrNotFound when there is none.
	Get(ctx context.Context, key string) ([]byte, error)

	// Delete removes the data under key; a key with nothing under it is not
	// an error.
	Delete(ctx context.Context, key string) error
}

// keyLen is the length of a key: 128 random bits in hex.
const keyLen = 32

// NewKey returns a new random key: 128 bits from the system's secure
// source, in lower-case hex.
func NewKey() string {
	b := make([]byte, keyLen/2)
	rand.Read(b) // never fails: crypto/rand.Read panics instead
	return hex.EncodeToString(b)
}

// ValidKey reports whether key has the form NewKey gives: 32 lower-case hex
// digits. Stores refuse any other key, so that no key can name a path.
func ValidKey(key string) bool {
	if len(key) != keyLen {
		return false
	}
	for i := range len(key) {
		c := key[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
