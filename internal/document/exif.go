package document

import (
	"bytes"
	"encoding/binary"
	"image"
)

// exifOrientation returns the EXIF orientation (1 to 8) of a JPEG, or 1
// when there is none or it cannot be read. Phones store photos as the
// sensor saw them and say in EXIF how to turn them; since Check drops EXIF,
// it must do the turning itself.
func exifOrientation(ct string, data []byte) int {
	if ct != JPEG {
		return 1
	}

	// Walk the segments before the image data: FF marker, then a two-byte
	// length that counts itself.
	p := 2
	for p+4 <= len(data) {
		if data[p] != 0xFF {
			return 1
		}
		marker := data[p+1]
		if marker == 0xFF { // fill byte
			p++
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[p+2:]))
		if n < 2 || p+2+n > len(data) {
			return 1
		}
		seg := data[p+4 : p+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return tiffOrientation(seg[6:])
		}
		p += 2 + n
	}
	return 1
}

// tiffOrientation reads tag 0x0112 of the first IFD of a TIFF header.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 1
	}
	off := int64(order.Uint32(t[4:]))
	if off < 8 || off+2 > int64(len(t)) {
		return 1
	}
	count := int64(order.Uint16(t[off:]))
	for i := range count {
		e := off + 2 + 12*i
		if e+12 > int64(len(t)) {
			return 1
		}
		tag, typ := order.Uint16(t[e:]), order.Uint16(t[e+2:])
		if tag == 0x0112 && typ == 3 { // orientation, SHORT
			if v := int(order.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}

// orient turns img upright by an EXIF orientation: 2 to 4 mirror and turn
// it half way, 5 to 8 swap its sides.
func orient(img *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return img
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}

	// For each pixel of the upright image, where it lies in the stored one.
	var from func(x, y int) (int, int)
	switch o {
	case 2: // mirrored
		from = func(x, y int) (int, int) { return w - 1 - x, y }
	case 3: // upside down
		from = func(x, y int) (int, int) { return w - 1 - x, h - 1 - y }
	case 4: // mirrored upside down
		from = func(x, y int) (int, int) { return x, h - 1 - y }
	case 5: // mirrored, turned
		from = func(x, y int) (int, int) { return y, x }
	case 6: // needs a quarter turn clockwise
		from = func(x, y int) (int, int) { return y, h - 1 - x }
	case 7: // mirrored, turned the other way
		from = func(x, y int) (int, int) { return w - 1 - y, h - 1 - x }
	case 8: // needs a quarter turn anticlockwise
		from = func(x, y int) (int, int) { return w - 1 - y, x }
	}

	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			sx, sy := from(x, y)
			s := img.PixOffset(sx+img.Rect.Min.X, sy+img.Rect.Min.Y)
			d := dst.PixOffset(x, y)
			copy(dst.Pix[d:d+4], img.Pix[s:s+4])
		}
	}
	return dst
}
