// Package chart draws bar and stacked-bar charts as inline SVG, on the
// server: no script, no font of its own and no request anywhere. A chart
// scales to the width of its container through its viewBox, and names
// itself to assistive technology with role="img" and a title and a
// description. It is styled by presentation attributes only, which a
// Content-Security-Policy without 'unsafe-inline' styles allows; text takes
// the page's font and colour.
//
// A picture is for the eye: a page gives its figures as a table too.
package chart

import (
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Palette are the colours series take in order when they name none: each
// has a contrast of at least 3:1 against white, and they stay apart for
// the common kinds of colour blindness.
var Palette = []string{"#0a58a8", "#b35900", "#1a7f37", "#7a1f45", "#5a5058", "#b3261e", "#6b3e26", "#005f73"}

// Series is one layer of a chart: its name in the legend, its colour, and
// a value for each category. A negative value counts as zero.
type Series struct {
	Name   string
	Color  string // a CSS colour such as #1a7f37; "" takes the next of Palette
	Values []int
}

// Bars is a bar chart: a bar per category, with its series stacked in
// their order. One series makes plain bars.
type Bars struct {
	// ID is unique on the page: the ids of the chart's title and
	// description start with it.
	ID         string
	Title      string // what the chart shows, for its accessible name
	Desc       string // the gist of the figures, said after the title
	Categories []string
	Series     []Series
	// Horizontal draws the bars from left to right with the categories'
	// labels on the left, for long labels such as school names;
	// otherwise the bars stand on the labels, as days do.
	Horizontal bool
}

// The geometry, in user units of the viewBox.
const (
	width     = 720.0 // the viewBox's width; the element fills its container
	fontSize  = 12.0
	charWidth = 0.62 * fontSize // an estimate of the width of a character of the page's font
	pad       = 8.0
	legendRow = 20.0
	swatch    = 12.0
	plotTall  = 240.0 // the height of a vertical chart's plot
	rowTall   = 22.0  // the height of a horizontal chart's row
	barTall   = 14.0  // the thickness of a horizontal chart's bar
	gridColor = "#d9cdd3"
)

// SVG renders the chart as an <svg> element, every text escaped.
func (b Bars) SVG() template.HTML {
	id := cleanID(b.ID)
	var w svgWriter
	top := pad
	legendEnd := b.legend(&w, top)
	if legendEnd > top {
		top = legendEnd + pad
	}
	var height float64
	var body svgWriter
	if b.Horizontal {
		height = b.horizontal(&body, top)
	} else {
		height = b.vertical(&body, top)
	}

	var out strings.Builder
	out.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 `)
	out.WriteString(num(width) + " " + num(height))
	out.WriteString(`" width="100%" role="img" aria-labelledby="` + id + `-title ` + id + `-desc"`)
	out.WriteString(` font-size="` + num(fontSize) + `" fill="currentColor">`)
	out.WriteString(`<title id="` + id + `-title">` + esc(b.Title) + `</title>`)
	out.WriteString(`<desc id="` + id + `-desc">` + esc(b.Desc) + `</desc>`)
	out.WriteString(w.String())
	out.WriteString(body.String())
	out.WriteString(`</svg>`)
	return template.HTML(out.String())
}

// color is the colour of the i-th series.
func (b Bars) color(i int) string {
	if c := b.Series[i].Color; c != "" {
		return c
	}
	return Palette[i%len(Palette)]
}

// value is the i-th series' value for category c, never below zero.
func (b Bars) value(i, c int) int {
	if v := b.Series[i].Values; c < len(v) && v[c] > 0 {
		return v[c]
	}
	return 0
}

// total is the height of category c's stack.
func (b Bars) total(c int) int {
	t := 0
	for i := range b.Series {
		t += b.value(i, c)
	}
	return t
}

// legend writes a swatch and the name of each series, in rows that wrap
// at the width, from y; it returns where it ends. A single series needs
// no legend: the title names it.
func (b Bars) legend(w *svgWriter, y float64) float64 {
	if len(b.Series) < 2 {
		return y
	}
	x, row := pad, y
	w.raw(`<g class="legend">`)
	for i, s := range b.Series {
		item := swatch + 6 + textWidth(s.Name) + 18
		if x > pad && x+item > width-pad {
			x, row = pad, row+legendRow
		}
		w.rect(x, row+(legendRow-swatch)/2-2, swatch, swatch, b.color(i))
		w.text(x+swatch+6, row+legendRow/2+2, "start", s.Name)
		x += item
	}
	w.raw(`</g>`)
	return row + legendRow
}

// vertical writes a chart whose bars stand on their labels, from top, and
// returns its height.
func (b Bars) vertical(w *svgWriter, top float64) float64 {
	n := len(b.Categories)
	ticks := niceTicks(b.max())
	left := pad + textWidth(strconv.Itoa(ticks[len(ticks)-1])) + 6
	right := width - pad
	bottom := top + plotTall
	scale := plotTall / float64(ticks[len(ticks)-1])

	w.raw(`<g class="grid" stroke="` + gridColor + `" stroke-width="1">`)
	for _, t := range ticks {
		y := bottom - float64(t)*scale
		w.line(left, y, right, y)
	}
	w.raw(`</g><g class="axis" text-anchor="end">`)
	for _, t := range ticks {
		w.text(left-6, bottom-float64(t)*scale+4, "", strconv.Itoa(t))
	}
	w.raw(`</g>`)

	if n > 0 {
		slot := (right - left) / float64(n)
		bar := math.Max(slot*0.8, math.Min(slot, 1))
		// A path per series, each bar a rectangle on the ones below it.
		base := make([]float64, n)
		w.raw(`<g class="bars" stroke="#ffffff" stroke-width="0.5" shape-rendering="crispEdges">`)
		for i := range b.Series {
			var d strings.Builder
			for c := range n {
				if v := b.value(i, c); v > 0 {
					h := float64(v) * scale
					base[c] += h
					d.WriteString("M" + num(left+float64(c)*slot+(slot-bar)/2) + " " + num(bottom-base[c]) +
						"h" + num(bar) + "v" + num(h) + "h-" + num(bar) + "z")
				}
			}
			w.path(d.String(), b.color(i))
		}
		w.raw(`</g>`)
		// Over each bar, the whole height of the plot shows its figures
		// to a pointer.
		w.raw(`<g class="tips" fill="transparent">`)
		for c := range n {
			w.raw(`<rect x="` + num(left+float64(c)*slot) + `" y="` + num(top) + `" width="` + num(slot) +
				`" height="` + num(plotTall) + `">` + b.tooltip(c) + `</rect>`)
		}
		w.raw(`</g>`)

		// A label on every k-th bar, so that labels never overlap.
		widest := 0.0
		for _, l := range b.Categories {
			widest = math.Max(widest, textWidth(l))
		}
		every := max(1, int(math.Ceil((widest+pad)/slot)))
		w.raw(`<g class="labels" text-anchor="middle">`)
		for c := 0; c < n; c += every {
			w.text(left+(float64(c)+0.5)*slot, bottom+fontSize+6, "", b.Categories[c])
		}
		w.raw(`</g>`)
	}
	w.raw(`<line x1="` + num(left) + `" y1="` + num(bottom) + `" x2="` + num(right) + `" y2="` + num(bottom) +
		`" stroke="currentColor" stroke-width="1"/>`)
	return bottom + fontSize + 6 + pad
}

// horizontal writes a chart whose bars run from their labels on the left,
// from top, and returns its height.
func (b Bars) horizontal(w *svgWriter, top float64) float64 {
	n := len(b.Categories)
	ticks := niceTicks(b.max())
	label := 0.0
	for _, l := range b.Categories {
		label = math.Max(label, textWidth(l))
	}
	label = math.Min(label, width*0.4)
	left := pad + label + 6
	right := width - pad - textWidth(strconv.Itoa(ticks[len(ticks)-1]))/2
	bottom := top + float64(n)*rowTall
	scale := (right - left) / float64(ticks[len(ticks)-1])

	w.raw(`<g class="grid" stroke="` + gridColor + `" stroke-width="1">`)
	for _, t := range ticks {
		x := left + float64(t)*scale
		w.line(x, top, x, bottom)
	}
	w.raw(`</g><g class="axis" text-anchor="middle">`)
	for _, t := range ticks {
		w.text(left+float64(t)*scale, bottom+fontSize+6, "", strconv.Itoa(t))
	}
	w.raw(`</g><g class="labels" text-anchor="end">`)
	for c, l := range b.Categories {
		w.text(left-6, top+float64(c)*rowTall+rowTall/2+4, "", truncate(l, label))
	}
	w.raw(`</g>`)

	// A path per series, each bar a rectangle after the ones before it.
	base := make([]float64, n)
	w.raw(`<g class="bars" stroke="#ffffff" stroke-width="0.5" shape-rendering="crispEdges">`)
	for i := range b.Series {
		var d strings.Builder
		for c := range n {
			if v := b.value(i, c); v > 0 {
				l := float64(v) * scale
				d.WriteString("M" + num(left+base[c]) + " " + num(top+float64(c)*rowTall+(rowTall-barTall)/2) +
					"h" + num(l) + "v" + num(barTall) + "h-" + num(l) + "z")
				base[c] += l
			}
		}
		w.path(d.String(), b.color(i))
	}
	w.raw(`</g><g class="tips" fill="transparent">`)
	for c := range n {
		w.raw(`<rect x="0" y="` + num(top+float64(c)*rowTall) + `" width="` + num(width) + `" height="` +
			num(rowTall) + `">` + b.tooltip(c) + `</rect>`)
	}
	w.raw(`</g>`)
	w.raw(`<line x1="` + num(left) + `" y1="` + num(top) + `" x2="` + num(left) + `" y2="` + num(bottom) +
		`" stroke="currentColor" stroke-width="1"/>`)
	return bottom + fontSize + 6 + pad
}

// tooltip is the <title> of category c's bar, which a pointer shows: the
// label and each series' value.
func (b Bars) tooltip(c int) string {
	var parts []string
	for i, s := range b.Series {
		if v := b.value(i, c); v > 0 || len(b.Series) == 1 {
			if len(b.Series) == 1 {
				parts = append(parts, strconv.Itoa(v))
			} else {
				parts = append(parts, s.Name+" "+strconv.Itoa(v))
			}
		}
	}
	label := ""
	if c < len(b.Categories) {
		label = b.Categories[c]
	}
	return `<title>` + esc(label+": "+strings.Join(parts, ", ")) + `</title>`
}

// max is the highest stack, at least 1.
func (b Bars) max() int {
	m := 1
	for c := range b.Categories {
		m = max(m, b.total(c))
	}
	return m
}

// niceTicks returns the values of the value axis: from 0 up to the first
// round step at or above top, in steps of 1, 2 or 5 times a power of ten,
// about five of them.
func niceTicks(top int) []int {
	step := 1
	for _, base := range []int{1, 10, 100, 1000, 10000, 100000, 1000000} {
		found := false
		for _, m := range []int{1, 2, 5} {
			if top <= base*m*5 {
				step, found = base*m, true
				break
			}
		}
		if found {
			break
		}
		step = base * 10
	}
	var out []int
	for v := 0; ; v += step {
		out = append(out, v)
		if v >= top {
			return out
		}
	}
}

// textWidth estimates the width of s in the page's font.
func textWidth(s string) float64 {
	return float64(utf8.RuneCountInString(s)) * charWidth
}

// truncate shortens s with an ellipsis to fit in room; the table beside
// the chart has it whole.
func truncate(s string, room float64) string {
	if textWidth(s) <= room {
		return s
	}
	r := []rune(s)
	keep := max(1, int(room/charWidth)-1)
	if keep >= len(r) {
		return s
	}
	return strings.TrimSpace(string(r[:keep])) + "…"
}

// cleanID keeps the letters, digits, hyphens and underscores of an id, so
// that it is safe in an attribute and an IDREF.
func cleanID(id string) string {
	var b strings.Builder
	for _, r := range id {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "chart"
	}
	return "chart-" + b.String()
}

// esc escapes text for an element's content or a quoted attribute.
func esc(s string) string { return template.HTMLEscapeString(s) }

// num writes a coordinate with at most one decimal.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// svgWriter collects the elements of a chart.
type svgWriter struct{ strings.Builder }

func (w *svgWriter) raw(s string) { w.WriteString(s) }

func (w *svgWriter) rect(x, y, wd, h float64, fill string) {
	w.WriteString(`<rect x="` + num(x) + `" y="` + num(y) + `" width="` + num(wd) + `" height="` + num(h) +
		`" fill="` + esc(fill) + `"/>`)
}

// path writes a filled path; an empty one is left out.
func (w *svgWriter) path(d, fill string) {
	if d != "" {
		w.WriteString(`<path d="` + d + `" fill="` + esc(fill) + `"/>`)
	}
}

func (w *svgWriter) line(x1, y1, x2, y2 float64) {
	w.WriteString(`<line x1="` + num(x1) + `" y1="` + num(y1) + `" x2="` + num(x2) + `" y2="` + num(y2) + `"/>`)
}

// text writes a text at x, y; anchor "" keeps the group's.
func (w *svgWriter) text(x, y float64, anchor, s string) {
	w.WriteString(`<text x="` + num(x) + `" y="` + num(y) + `"`)
	if anchor != "" {
		w.WriteString(` text-anchor="` + anchor + `"`)
	}
	w.WriteString(`>` + esc(s) + `</text>`)
}
