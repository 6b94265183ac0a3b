package document

import (
	"image"
	"image/color"
	"image/draw"
	"math"
)

// shrink draws src on a white canvas, scaled down so that its longest side
// is at most MaxSide. The canvas is opaque, so that transparent parts of a
// PNG come out white rather than black in a JPEG.
//
// Scaling averages every source pixel into the one or two output pixels it
// overlaps, weighted by the overlap (area averaging): no pixel is skipped,
// so thin lines of text survive, and only two output rows are held at a
// time. A separable kernel scaler (golang.org/x/image/draw's CatmullRom)
// would hold 32 bytes per (output column × source row), some 200 MB for a
// phone photo; this needs one source row.
func shrink(src image.Image) *image.RGBA {
	sb := src.Bounds()
	sw, sh := sb.Dx(), sb.Dy()
	dw, dh := sw, sh
	if long := max(sw, sh); long > MaxSide {
		dw = max(1, int(int64(sw)*MaxSide/int64(long)))
		dh = max(1, int(int64(sh)*MaxSide/int64(long)))
	}

	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	if dw == sw && dh == sh {
		draw.Draw(dst, dst.Bounds(), src, sb.Min, draw.Over)
		return dst
	}

	xs := overlaps(sw, dw)
	ys := overlaps(sh, dh)

	// row is one source row laid on white; acc[0] and acc[1] gather the
	// output rows the current source row falls in.
	row := image.NewRGBA(image.Rect(0, 0, sw, 1))
	var acc [2][]float64
	acc[0], acc[1] = make([]float64, 4*dw), make([]float64, 4*dw)
	line := make([]float64, 4*dw)
	cur := 0 // the output row acc[0] holds

	for sy := range sh {
		draw.Draw(row, row.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		draw.Draw(row, row.Bounds(), src, image.Pt(sb.Min.X, sb.Min.Y+sy), draw.Over)

		// Scale the row across.
		clear(line)
		for sx, o := range xs {
			p := row.Pix[4*sx : 4*sx+4]
			for c := range 4 {
				v := float64(p[c])
				line[4*o.d+c] += o.w * v
				if o.d+1 < dw {
					line[4*(o.d+1)+c] += (o.rest) * v
				}
			}
		}

		// Then into the output rows it overlaps, writing out those done.
		o := ys[sy]
		for o.d > cur {
			flush(dst, cur, acc[0])
			acc[0], acc[1] = acc[1], acc[0]
			clear(acc[1])
			cur++
		}
		for i, v := range line {
			acc[0][i] += o.w * v
			acc[1][i] += o.rest * v
		}
	}
	for ; cur < dh; cur++ {
		flush(dst, cur, acc[0])
		acc[0], acc[1] = acc[1], acc[0]
		clear(acc[1])
	}
	return dst
}

// overlap says how one source pixel falls on the output: weight w on output
// pixel d and the rest on d+1, in output pixels (a source pixel is 1/scale
// of an output pixel wide, so it covers at most two).
type overlap struct {
	d       int
	w, rest float64
}

// overlaps maps each of n source pixels onto m ≤ n output pixels.
func overlaps(n, m int) []overlap {
	out := make([]overlap, n)
	k := float64(m) / float64(n)
	for i := range out {
		lo, hi := float64(i)*k, float64(i+1)*k
		d := min(int(lo), m-1)
		w := min(hi, float64(d+1)) - lo
		out[i] = overlap{d: d, w: w, rest: (hi - lo) - w}
	}
	return out
}

// flush writes the gathered output row y.
func flush(dst *image.RGBA, y int, acc []float64) {
	p := dst.Pix[y*dst.Stride : y*dst.Stride+len(acc)]
	for i, v := range acc {
		p[i] = uint8(min(255, max(0, math.Round(v))))
	}
}
