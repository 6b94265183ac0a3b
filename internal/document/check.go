package document

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"

	"sakura/internal/errs"
)

// The catalogue keys of Check's refusals.
const (
	KeyEmpty     = "document.empty"
	KeyType      = "document.type"
	KeyTooBig    = "document.too_big"
	KeyPixels    = "document.too_many_pixels"
	KeyBroken    = "document.broken"
	KeyPDFUnsafe = "document.pdf_unsafe"
	KeyTotal     = "document.total"
)

// jpegQuality is the quality of every JPEG Check writes: small enough for a
// phone photo to fit the limits, good enough to read a scan.
const jpegQuality = 85

// megabyte is the unit the refusals count in.
const megabyte = 1 << 20

// Check reads an upload of the given kind and returns what is to be stored.
// The type is decided by the content alone (the name and the type the
// browser sent are ignored), by the leading magic bytes of JPEG, PNG and PDF;
// every file is then checked in full for its type.
//
// An image is refused above MaxPixels before it is decoded, then decoded,
// turned upright by its EXIF orientation, scaled down to MaxSide, laid on
// white (a JPEG has no transparency) and encoded anew, which drops EXIF,
// colour profiles, comments and anything appended after the image. Photos
// and JPEGs become JPEGs; a PNG medical document or certificate stays a PNG
// only when that is smaller than the JPEG, as it is for most scans of text.
//
// A PDF is checked by checkPDF and kept byte for byte.
//
// Refusals are *errs.Error of kind errs.Invalid with a catalogue key
// (KeyEmpty, KeyType, KeyTooBig, KeyPixels, KeyBroken, KeyPDFUnsafe) and
// Args; an unknown kind is a caller's bug and an internal error.
func Check(kind Kind, data []byte) (File, error) {
	if !kind.Valid() {
		return File{}, fmt.Errorf("check document: unknown kind %q", kind)
	}
	if len(data) == 0 {
		return File{}, refuse(KeyEmpty, nil)
	}
	if len(data) > MaxUpload {
		return File{}, refuse(KeyTooBig, map[string]any{"Max": MaxUpload / megabyte})
	}

	ct := sniff(data)
	if !kind.Accepts(ct) {
		return File{}, refuse(KeyType, map[string]any{"Types": typeNames(kind)})
	}

	var (
		f   File
		err error
	)
	if ct == PDF {
		f, err = checkPDF(data)
	} else {
		f, err = checkImage(kind, ct, data)
	}
	if err != nil {
		return File{}, err
	}

	// A shrunk image is almost always far below this; a PDF is held to
	// MaxPDF, which is not larger.
	if len(f.Data) > MaxTotal {
		return File{}, refuse(KeyTooBig, map[string]any{"Max": MaxTotal / megabyte})
	}
	f.Kind = kind
	f.Size = int64(len(f.Data))
	sum := sha256.Sum256(f.Data)
	f.SHA256 = hex.EncodeToString(sum[:])
	return f, nil
}

// CheckTotal refuses, with KeyTotal, documents of one application whose
// sizes add up to more than MaxTotal.
func CheckTotal(sizes ...int64) error {
	var sum int64
	for _, n := range sizes {
		sum += max(n, 0)
	}
	if sum > MaxTotal {
		return refuse(KeyTotal, map[string]any{"Max": MaxTotal / megabyte})
	}
	return nil
}

// refuse makes the error Check returns for a file it will not take.
func refuse(key string, args map[string]any) error {
	return &errs.Error{Kind: errs.Invalid, Key: key, Args: args}
}

// refuseErr is refuse with an internal cause kept for the logs.
func refuseErr(key string, args map[string]any, err error) error {
	return &errs.Error{Kind: errs.Invalid, Key: key, Args: args, Err: err}
}

// typeNames lists, for a refusal, the file types a kind takes.
func typeNames(kind Kind) string {
	if kind == Photo {
		return "JPEG, PNG"
	}
	return "PDF, JPEG, PNG"
}

// sniff names the type of data by its first bytes: JPEG, PNG, PDF or "".
func sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xFF\xD8\xFF")):
		return JPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1A\n")):
		return PNG
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return PDF
	}
	return ""
}

// checkImage decodes a JPEG or PNG and encodes it anew, shrunk.
func checkImage(kind Kind, ct string, data []byte) (File, error) {
	// The header alone says how big the picture is; refuse a bomb before
	// decoding allocates for it.
	var (
		cfg image.Config
		err error
	)
	if ct == JPEG {
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	} else {
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	}
	if err != nil {
		return File{}, refuseErr(KeyBroken, nil, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return File{}, refuse(KeyBroken, nil)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return File{}, refuse(KeyPixels, map[string]any{"Max": MaxPixels / 1_000_000})
	}

	var src image.Image
	if ct == JPEG {
		src, err = jpeg.Decode(bytes.NewReader(data))
	} else {
		src, err = png.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return File{}, refuseErr(KeyBroken, nil, err)
	}

	img := orient(shrink(src), exifOrientation(ct, data))

	// Photos and JPEGs are written as JPEG; a PNG document keeps PNG only
	// when that is the smaller of the two.
	var out bytes.Buffer
	if err := jpeg.Encode(&out, img, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return File{}, fmt.Errorf("encode JPEG: %w", err)
	}
	f := File{ContentType: JPEG, Ext: ".jpg", Data: out.Bytes()}
	if ct == PNG && kind != Photo {
		var p bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&p, img); err != nil {
			return File{}, fmt.Errorf("encode PNG: %w", err)
		}
		if p.Len() < out.Len() {
			f = File{ContentType: PNG, Ext: ".png", Data: p.Bytes()}
		}
	}
	b := img.Bounds()
	f.Width, f.Height = b.Dx(), b.Dy()
	return f, nil
}
