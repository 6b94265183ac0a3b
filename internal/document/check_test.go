package document

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/errs"
)

// ---- Fixtures, made here rather than committed. ----

// halves is a w×h picture, red on the left and blue on the right.
func halves(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{R: 220, G: 20, B: 20, A: 255}
			if x >= w/2 {
				c = color.RGBA{R: 20, G: 20, B: 220, A: 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func mustJPEG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func mustPNG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// exifSecret is written into the EXIF of test photos, where a phone writes
// its make, the owner's name or the place; it must not survive Check.
const exifSecret = "SECRET-43.2389N-76.8897E"

// withExif puts an APP1 Exif segment right after a JPEG's SOI: a big-endian
// TIFF header whose first IFD holds the orientation and an ASCII Artist tag
// with exifSecret.
func withExif(jpg []byte, orientation uint16) []byte {
	var t bytes.Buffer
	be := binary.BigEndian
	t.WriteString("MM\x00\x2A")
	binary.Write(&t, be, uint32(8)) // IFD0 follows
	binary.Write(&t, be, uint16(2)) // entries
	// Orientation: SHORT, count 1, value in the first two bytes.
	binary.Write(&t, be, []uint16{0x0112, 3})
	binary.Write(&t, be, uint32(1))
	binary.Write(&t, be, []uint16{orientation, 0})
	// Artist: ASCII, stored after the IFD.
	secret := exifSecret + "\x00"
	binary.Write(&t, be, []uint16{0x013B, 2})
	binary.Write(&t, be, uint32(len(secret)))
	binary.Write(&t, be, uint32(8+2+2*12+4))
	binary.Write(&t, be, uint32(0)) // no next IFD
	t.WriteString(secret)

	seg := append([]byte("Exif\x00\x00"), t.Bytes()...)
	var out bytes.Buffer
	out.Write(jpg[:2])
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, be, uint16(len(seg)+2))
	out.Write(seg)
	out.Write(jpg[2:])
	return out.Bytes()
}

// jpegSegments lists the markers of a JPEG's segments up to the scan.
func jpegSegments(data []byte) []byte {
	var markers []byte
	for p := 2; p+4 <= len(data) && data[p] == 0xFF; {
		m := data[p+1]
		markers = append(markers, m)
		if m == 0xDA {
			break
		}
		p += 2 + int(binary.BigEndian.Uint16(data[p+2:]))
	}
	return markers
}

// pngHeader is a PNG signature and an IHDR chunk claiming w×h, 8-bit RGBA,
// and no pixels at all.
func pngHeader(w, h uint32) []byte {
	var ihdr bytes.Buffer
	ihdr.WriteString("IHDR")
	binary.Write(&ihdr, binary.BigEndian, []uint32{w, h})
	ihdr.Write([]byte{8, 6, 0, 0, 0})

	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1A\n")
	binary.Write(&b, binary.BigEndian, uint32(ihdr.Len()-4))
	b.Write(ihdr.Bytes())
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(ihdr.Bytes()))
	return b.Bytes()
}

// makePDF writes a one-page PDF with a correct cross-reference table.
// catalog is added to the catalogue's dictionary and objects follow the
// page as objects 4, 5, …; trailer is added to the trailer's dictionary.
func makePDF(catalog, trailer string, objects ...string) []byte {
	objs := append([]string{
		"<< /Type /Catalog /Pages 2 0 R " + catalog + ">>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
	}, objects...)

	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n",
		len(objs)+1, trailer, xref)
	return b.Bytes()
}

// objStm is an object stream, compressed, holding one object.
func objStm(obj string) string {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	fmt.Fprintf(w, "6 0 %s", obj)
	w.Close()
	return fmt.Sprintf("<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream",
		z.Len(), z.Bytes())
}

// refusal returns the key of an *errs.Error of kind Invalid, or describes
// what err is instead.
func refusal(err error) string {
	var e *errs.Error
	switch {
	case err == nil:
		return "<nil>"
	case !errors.As(err, &e) || e.Kind != errs.Invalid:
		return "not a refusal: " + err.Error()
	}
	return e.Key
}

// ---- Tests. ----

// TestCheckRefuses: each bad upload is refused with the key that tells the
// parent what is wrong.
func TestCheckRefuses(t *testing.T) {
	small := mustJPEG(t, halves(64, 48))
	smallPNG := mustPNG(t, halves(64, 48))
	pdf := makePDF("", "")
	elf := append([]byte("\x7FELF\x02\x01\x01\x00"), make([]byte, 120)...)
	zip := append([]byte("PK\x03\x04\x14\x00\x00\x00"), make([]byte, 120)...)
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 120)...)

	// A JPEG whose frame header claims 60000×60000.
	hugeJPEG := bytes.Clone(small)
	sof := bytes.Index(hugeJPEG, []byte{0xFF, 0xC0})
	binary.BigEndian.PutUint16(hugeJPEG[sof+5:], 60000)
	binary.BigEndian.PutUint16(hugeJPEG[sof+7:], 60000)

	tests := []struct {
		name string
		kind Kind
		data []byte
		want string
	}{
		{"empty", Medical, nil, KeyEmpty},
		{"executable renamed to photo.jpg", Photo, elf, KeyType},
		{"executable renamed to form.pdf", Medical, elf, KeyType},
		{"Windows program as a photo", Photo, exe, KeyType},
		{"ZIP as a certificate", BirthCertificate, zip, KeyType},
		{"plain text", Medical, []byte("hello, this is not a scan"), KeyType},
		{"PDF as a photo", Photo, pdf, KeyType},
		{"HTML with a JPEG's name", Photo, []byte("<html><script>alert(1)</script>"), KeyType},
		{"40 MB scan", Medical, append(bytes.Clone(small), make([]byte, 40<<20)...), KeyTooBig},
		{"PNG claiming 100000×100000", Photo, pngHeader(100000, 100000), KeyPixels},
		{"PNG claiming 7000×7000", Medical, pngHeader(7000, 7000), KeyPixels},
		{"JPEG claiming 60000×60000", Photo, hugeJPEG, KeyPixels},
		{"truncated JPEG", Photo, small[:len(small)/2], KeyBroken},
		{"JPEG magic only", Photo, []byte("\xFF\xD8\xFF\xE0"), KeyBroken},
		{"truncated PNG", Medical, smallPNG[:len(smallPNG)/2], KeyBroken},
		{"PNG header without pixels", Photo, pngHeader(10, 10), KeyBroken},
		{"PNG of zero width", Photo, pngHeader(0, 10), KeyBroken},
		{"truncated PDF", Medical, pdf[:len(pdf)/2], KeyBroken},
		{"PDF without startxref", Medical, bytes.Replace(pdf, []byte("startxref"), []byte("startxxxx"), 1), KeyBroken},
		{"PDF with startxref past the end", Medical, bytes.Replace(pdf, []byte("startxref\n"), []byte("startxref\n9"), 1), KeyBroken},
		{"PDF of an unknown version", Medical, append([]byte("%PDF-3.1"), pdf[8:]...), KeyBroken},
		{"PDF header only", Medical, []byte("%PDF-1.4\n"), KeyBroken},
		{"PDF with %%EOF far from the end", Medical, append(bytes.Clone(pdf), make([]byte, 4096)...), KeyBroken},
		{"PDF over 5 MB", Medical, makePDF("", "", "<< /Pad ("+strings.Repeat("x", MaxPDF)+") >>"), KeyTooBig},
		{"PDF with JavaScript", Medical, makePDF("/OpenAction 4 0 R ", "", "<< /S /JavaScript /JS (app.alert(1)) >>"), KeyPDFUnsafe},
		{"PDF with a JS entry only", Medical, makePDF("/OpenAction 4 0 R ", "", "<< /S /Rendition /JS 5 0 R >>"), KeyPDFUnsafe},
		{"PDF with an escaped name", Medical, makePDF("/OpenAction 4 0 R ", "", "<< /S /J#61vaScr#69pt >>"), KeyPDFUnsafe},
		{"PDF that launches a program", BirthCertificate, makePDF("/OpenAction 4 0 R ", "", "<< /S /Launch /F (cmd.exe) >>"), KeyPDFUnsafe},
		{"PDF with an attachment", Medical, makePDF("/Names << /EmbeddedFiles 4 0 R >> ", "", "<< /Names [] >>"), KeyPDFUnsafe},
		{"encrypted PDF", Medical, makePDF("", "/Encrypt 4 0 R ", "<< /Filter /Standard /V 2 >>"), KeyPDFUnsafe},
		{"PDF hiding JavaScript in an object stream", Medical, makePDF("/OpenAction 6 0 R ", "", objStm("<< /S /JavaScript /JS (app.alert(1)) >>")), KeyPDFUnsafe},
		{"PDF with an object stream that does not inflate", Medical, makePDF("", "", "<< /Type /ObjStm /N 1 /First 4 /Filter /LZWDecode >>\nstream\n\x80\x0B\x60\x50\nendstream"), KeyPDFUnsafe},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Check(tt.kind, tt.data)
			if got := refusal(err); got != tt.want {
				t.Errorf("Check: %s, want %s", got, tt.want)
			}
			if f.Data != nil {
				t.Errorf("a refusal returned %d bytes of data", len(f.Data))
			}
		})
	}
}

// TestCheckRefusalArgs: the limits a parent is told come with the key.
func TestCheckRefusalArgs(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		data []byte
		want map[string]any
	}{
		{"upload", Photo, make([]byte, MaxUpload+1), map[string]any{"Max": 20}},
		{"pixels", Photo, pngHeader(100000, 100000), map[string]any{"Max": 40}},
		{"PDF", Medical, makePDF("", "", "<< /Pad ("+strings.Repeat("x", MaxPDF)+") >>"), map[string]any{"Max": 5}},
		{"photo type", Photo, []byte("GIF89a"), map[string]any{"Types": "JPEG, PNG"}},
		{"medical type", Medical, []byte("GIF89a"), map[string]any{"Types": "PDF, JPEG, PNG"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "upload" {
				copy(tt.data, "\xFF\xD8\xFF")
			}
			_, err := Check(tt.kind, tt.data)
			var e *errs.Error
			if !errors.As(err, &e) {
				t.Fatalf("Check: %v, want an *errs.Error", err)
			}
			if diff := cmp.Diff(tt.want, e.Args); diff != "" {
				t.Errorf("Args mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckUnknownKind(t *testing.T) {
	_, err := Check("passport", makePDF("", ""))
	if err == nil || errs.KindOf(err) != errs.Internal {
		t.Errorf("Check of an unknown kind: %v, want an internal error", err)
	}
}

// TestCheckJPEGWithExif: a phone photo loses its EXIF, is turned upright
// by it, and still decodes.
func TestCheckJPEGWithExif(t *testing.T) {
	// Stored 40×20, red left and blue right; orientation 6 says "turn a
	// quarter clockwise to view", which puts red on top.
	in := withExif(mustJPEG(t, halves(40, 20)), 6)
	if !bytes.Contains(in, []byte("Exif")) || !bytes.Contains(in, []byte(exifSecret)) {
		t.Fatal("the fixture has no EXIF")
	}
	if _, err := jpeg.Decode(bytes.NewReader(in)); err != nil {
		t.Fatalf("the fixture does not decode: %v", err)
	}

	f, err := Check(Photo, in)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	for _, s := range []string{"Exif", exifSecret} {
		if bytes.Contains(f.Data, []byte(s)) {
			t.Errorf("output still holds %q", s)
		}
	}
	if m := jpegSegments(f.Data); bytes.IndexByte(m, 0xE1) >= 0 {
		t.Errorf("output has an APP1 segment: markers % X", m)
	}

	img, err := jpeg.Decode(bytes.NewReader(f.Data))
	if err != nil {
		t.Fatalf("output does not decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 20 || b.Dy() != 40 || f.Width != 20 || f.Height != 40 {
		t.Errorf("output is %v, File says %d×%d; want 20×40, turned", b.Size(), f.Width, f.Height)
	}
	if !reddish(img.At(10, 5)) || reddish(img.At(10, 35)) {
		t.Errorf("top %v, bottom %v; want red on top after turning", img.At(10, 5), img.At(10, 35))
	}

	want := File{Kind: Photo, ContentType: JPEG, Ext: ".jpg", Size: int64(len(f.Data)), Width: 20, Height: 40}
	sum := sha256.Sum256(f.Data)
	want.SHA256 = hex.EncodeToString(sum[:])
	if diff := cmp.Diff(want, f, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Data" }, cmp.Ignore())); diff != "" {
		t.Errorf("File mismatch (-want +got):\n%s", diff)
	}
}

func reddish(c color.Color) bool {
	r, _, b, _ := c.RGBA()
	return r > 2*b
}

// TestOrient turns a 3×2 picture by each EXIF orientation.
func TestOrient(t *testing.T) {
	// A B C
	// D E F
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i, c := range "ABCDEF" {
		src.SetRGBA(i%3, i/3, color.RGBA{R: uint8(c), A: 255})
	}
	want := map[int][]string{
		1: {"ABC", "DEF"},
		2: {"CBA", "FED"},
		3: {"FED", "CBA"},
		4: {"DEF", "ABC"},
		5: {"AD", "BE", "CF"},
		6: {"DA", "EB", "FC"},
		7: {"FC", "EB", "DA"},
		8: {"CF", "BE", "AD"},
	}
	for o := 1; o <= 8; o++ {
		img := orient(src, o)
		var rows []string
		for y := range img.Bounds().Dy() {
			var row []byte
			for x := range img.Bounds().Dx() {
				row = append(row, img.RGBAAt(x, y).R)
			}
			rows = append(rows, string(row))
		}
		if diff := cmp.Diff(want[o], rows); diff != "" {
			t.Errorf("orientation %d mismatch (-want +got):\n%s", o, diff)
		}
	}
}

// scan is a w×h page: white, with one-pixel black lines of "text".
func scan(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	for y := h / 10; y < h*9/10; y += max(1, h/40) {
		for x := w / 10; x < w*9/10; x++ {
			img.SetGray(x, y, color.Gray{})
		}
	}
	return img
}

// TestCheckShrinks: large images come out at MaxSide or less, proportions
// kept, in the type the rules choose.
func TestCheckShrinks(t *testing.T) {
	tests := []struct {
		name         string
		kind         Kind
		data         func(testing.TB) []byte // made in the subtest, which runs in parallel
		wantType     string
		wantW, wantH int
	}{
		{"5000×5000 PNG scan", Medical, func(tb testing.TB) []byte { return mustPNG(tb, scan(5000, 5000)) }, PNG, 2000, 2000},
		{"2500×2500 PNG photo", Photo, func(tb testing.TB) []byte { return mustPNG(tb, scan(2500, 2500)) }, JPEG, 2000, 2000},
		{"3000×1500 JPEG", BirthCertificate, func(tb testing.TB) []byte { return mustJPEG(tb, halves(3000, 1500)) }, JPEG, 2000, 1000},
		{"1000×3001 JPEG", Medical, func(tb testing.TB) []byte { return mustJPEG(tb, halves(1000, 3001)) }, JPEG, 666, 2000},
		{"small JPEG kept in size", Photo, func(tb testing.TB) []byte { return mustJPEG(tb, halves(300, 400)) }, JPEG, 300, 400},
		{"small PNG photo becomes JPEG", Photo, func(tb testing.TB) []byte { return mustPNG(tb, halves(300, 400)) }, JPEG, 300, 400},
		{"colourful PNG document becomes JPEG", Medical, func(tb testing.TB) []byte { return mustPNG(tb, noise(600, 400)) }, JPEG, 600, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := Check(tt.kind, tt.data(t))
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if f.ContentType != tt.wantType || f.Width != tt.wantW || f.Height != tt.wantH {
				t.Errorf("Check gave %s %d×%d, want %s %d×%d",
					f.ContentType, f.Width, f.Height, tt.wantType, tt.wantW, tt.wantH)
			}
			img := mustDecode(t, f)
			if got := img.Bounds().Size(); got != image.Pt(tt.wantW, tt.wantH) {
				t.Errorf("the data decodes to %v, want %d×%d", got, tt.wantW, tt.wantH)
			}
			if f.Size != int64(len(f.Data)) || f.Size > MaxTotal {
				t.Errorf("Size %d for %d bytes; limit %d", f.Size, len(f.Data), MaxTotal)
			}
		})
	}
}

// noise is a w×h picture of random colours, which PNG cannot shrink.
func noise(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	x := uint32(1)
	for i := range img.Pix {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		img.Pix[i] = byte(x)
		if i%4 == 3 {
			img.Pix[i] = 0xFF
		}
	}
	return img
}

// TestCheckTransparentPNG: a transparent background turns white, not black.
func TestCheckTransparentPNG(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 40, 40))
	img.SetNRGBA(20, 20, color.NRGBA{A: 255})
	f, err := Check(Photo, mustPNG(t, img))
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if r, g, b, _ := mustDecode(t, f).At(2, 2).RGBA(); r < 0xF000 || g < 0xF000 || b < 0xF000 {
		t.Errorf("a transparent corner came out %v, want white", []uint32{r, g, b})
	}
}

// TestCheckBombCheaply: a PNG claiming 100000×100000 pixels is refused from
// its header, without allocating for the pixels (40 GB).
func TestCheckBombCheaply(t *testing.T) {
	data := pngHeader(100000, 100000)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Check(Photo, data)
	runtime.ReadMemStats(&after)
	if got := refusal(err); got != KeyPixels {
		t.Fatalf("Check: %s, want %s", got, KeyPixels)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("refusing the bomb allocated %d bytes, want well under 1 MB", n)
	}
}

// TestCheckPDF: a real PDF is kept byte for byte.
func TestCheckPDF(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		data []byte
	}{
		{"one page", Medical, makePDF("", "")},
		{"with CRLF and trailing blank lines", BirthCertificate,
			append(bytes.ReplaceAll(makePDF("", ""), []byte("%%EOF\n"), []byte("%%EOF\r\n")), "\r\n\r\n"...)},
		{"with a harmless object stream", Medical, makePDF("", "", objStm("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"))},
		{"with a link", Medical, makePDF("", "", "<< /S /URI /URI (https://egov.kz) >>")},
		{"a name that only begins like JS", Medical, makePDF("", "", "<< /JSON 1 /Launcher 2 >>")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Check(tt.kind, tt.data)
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if f.ContentType != PDF || f.Ext != ".pdf" || !bytes.Equal(f.Data, tt.data) {
				t.Errorf("Check gave %s %s of %d bytes, want the PDF as sent", f.ContentType, f.Ext, len(f.Data))
			}
		})
	}
}

func TestCheckTotal(t *testing.T) {
	tests := []struct {
		sizes []int64
		want  string
	}{
		{nil, "<nil>"},
		{[]int64{MaxTotal}, "<nil>"},
		{[]int64{2 << 20, 2 << 20, 1 << 20}, "<nil>"},
		{[]int64{2 << 20, 2 << 20, 1<<20 + 1}, KeyTotal},
		{[]int64{MaxTotal + 1}, KeyTotal},
	}
	for _, tt := range tests {
		if got := refusal(CheckTotal(tt.sizes...)); got != tt.want {
			t.Errorf("CheckTotal(%v) = %s, want %s", tt.sizes, got, tt.want)
		}
	}
}

// mustDecode decodes a checked image by its declared type alone.
func mustDecode(tb testing.TB, f File) image.Image {
	tb.Helper()
	var (
		img image.Image
		err error
	)
	switch f.ContentType {
	case JPEG:
		img, err = jpeg.Decode(bytes.NewReader(f.Data))
	case PNG:
		img, err = png.Decode(bytes.NewReader(f.Data))
	default:
		tb.Fatalf("not an image: %s", f.ContentType)
	}
	if err != nil {
		tb.Fatalf("the %s does not decode: %v", f.ContentType, err)
	}
	return img
}

// FuzzCheck: no input makes Check panic, and whatever it accepts is a
// well-formed file of a type the kind allows.
func FuzzCheck(f *testing.F) {
	kinds := []Kind{Photo, Medical, BirthCertificate}
	small := mustJPEG(f, halves(32, 24))
	seeds := [][]byte{
		small,
		withExif(small, 8),
		mustPNG(f, halves(24, 32)),
		mustPNG(f, scan(64, 64)),
		makePDF("", ""),
		makePDF("", "", objStm("<< /S /JavaScript >>")),
		[]byte("\x7FELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3E\x00"),
		[]byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"),
		pngHeader(100000, 100000),
		{0x3A, 0x9F, 0x00, 0xFF, 0xD8, 0x12, 0x77, 0xC4, 0x01, 0xEE, 0x5B, 0x80},
	}
	for i, s := range seeds {
		f.Add(uint8(i), s)
	}

	f.Fuzz(func(t *testing.T, k uint8, data []byte) {
		kind := kinds[int(k)%len(kinds)]
		got, err := Check(kind, data)
		if err != nil {
			if errs.KindOf(err) != errs.Invalid {
				t.Fatalf("Check failed without refusing: %v", err)
			}
			return
		}

		if !kind.Accepts(got.ContentType) || got.Kind != kind {
			t.Fatalf("%s accepted as %s", got.ContentType, kind)
		}
		sum := sha256.Sum256(got.Data)
		if got.Size != int64(len(got.Data)) || got.SHA256 != hex.EncodeToString(sum[:]) || got.Size > MaxTotal {
			t.Fatalf("Size %d and SHA256 %s do not describe %d bytes", got.Size, got.SHA256, len(got.Data))
		}
		if got.ContentType == PDF {
			if !bytes.Equal(got.Data, data) {
				t.Fatal("a PDF was changed")
			}
			return
		}

		img := mustDecode(t, got)
		b := img.Bounds()
		if b.Dx() != got.Width || b.Dy() != got.Height || max(b.Dx(), b.Dy()) > MaxSide {
			t.Fatalf("image is %v, File says %d×%d", b.Size(), got.Width, got.Height)
		}
		if got.ContentType == JPEG {
			for _, m := range jpegSegments(got.Data) {
				if m >= 0xE1 && m <= 0xEF || m == 0xFE {
					t.Fatalf("output JPEG carries metadata segment %X", m)
				}
			}
		}
	})
}

// TestShrink: area averaging keeps a flat colour flat to the last row and
// column, keeps halves apart and keeps thin lines visible.
func TestShrink(t *testing.T) {
	t.Parallel()
	flat := image.NewGray(image.Rect(0, 0, 3001, 1999))
	for i := range flat.Pix {
		flat.Pix[i] = 128
	}
	img := shrink(flat)
	if got := img.Bounds().Size(); got != image.Pt(2000, 1332) {
		t.Fatalf("shrink gave %v, want 2000×1332", got)
	}
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			if c := img.RGBAAt(x, y); c.R < 127 || c.R > 129 || c.A != 255 {
				t.Fatalf("pixel (%d, %d) is %v, want the flat grey 128", x, y, c)
			}
		}
	}

	img = shrink(halves(2400, 1200))
	if !reddish(img.At(10, 500)) || reddish(img.At(1990, 500)) {
		t.Errorf("halves: left %v, right %v", img.At(10, 500), img.At(1990, 500))
	}

	// One-pixel lines every 125 rows of 5000 become grey lines, not gaps.
	img = shrink(scan(5000, 5000))
	dark := 0
	for y := range img.Bounds().Dy() {
		if img.RGBAAt(1000, y).R < 230 {
			dark++
		}
	}
	if dark < 30 {
		t.Errorf("%d rows of the shrunk scan are dark at x=1000, want the 32 lines", dark)
	}
}

// TestCheckMemory: shrinking a 12-megapixel photo costs about what decoding
// it does, not hundreds of megabytes of scaling buffers.
func TestCheckMemory(t *testing.T) {
	data := mustJPEG(t, halves(4000, 3000))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := Check(Photo, data); err != nil {
		t.Fatalf("Check: %v", err)
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 80<<20 {
		t.Errorf("Check allocated %d MB for a 12-megapixel photo, want under 80", n>>20)
	}
}
