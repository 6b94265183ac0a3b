package chart

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
)

// node is an element of a parsed chart.
type node struct {
	name  string
	attrs map[string]string
	text  string
	kids  []*node
}

// parse reads the SVG as XML, failing the test when it is not well formed.
func parse(t *testing.T, svg string) *node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed SVG: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
	if root == nil {
		t.Fatal("no root element")
	}
	return root
}

// all returns the elements named name under n, in document order; "*"
// is every element.
func (n *node) all(name string) []*node {
	var out []*node
	for _, k := range n.kids {
		if k.name == name || name == "*" {
			out = append(out, k)
		}
		out = append(out, k.all(name)...)
	}
	return out
}

// TestSVGAccessible: the chart names itself by its title and description,
// escapes every text, and scales by its viewBox.
func TestSVGAccessible(t *testing.T) {
	b := Bars{ID: `seats" onload="x`, Title: `Seats <script>alert(1)</script>`, Desc: "A & B",
		Categories: []string{`School "No. 1" <b>`, "School 2"},
		Series:     []Series{{Name: "Taken", Values: []int{3, 0}}, {Name: "Free & open", Values: []int{1, 4}}},
		Horizontal: true}
	root := parse(t, string(b.SVG()))

	if root.name != "svg" || root.attrs["role"] != "img" || root.attrs["width"] != "100%" ||
		!strings.HasPrefix(root.attrs["viewBox"], "0 0 720 ") {
		t.Fatalf("root %s %v", root.name, root.attrs)
	}
	if _, ok := root.attrs["onload"]; ok {
		t.Error("the id broke out of its attribute")
	}
	if _, ok := root.attrs["style"]; ok {
		t.Error("a style attribute, which the Content-Security-Policy blocks")
	}
	ids := strings.Fields(root.attrs["aria-labelledby"])
	if len(ids) != 2 {
		t.Fatalf("aria-labelledby %q", root.attrs["aria-labelledby"])
	}
	byID := map[string]*node{}
	for _, k := range root.kids {
		if id := k.attrs["id"]; id != "" {
			byID[id] = k
		}
	}
	if n := byID[ids[0]]; n == nil || n.name != "title" || n.text != b.Title {
		t.Errorf("the label's first part is %+v, want the title %q", n, b.Title)
	}
	if n := byID[ids[1]]; n == nil || n.name != "desc" || n.text != b.Desc {
		t.Errorf("the label's second part is %+v, want the description %q", n, b.Desc)
	}
	var texts []string
	for _, n := range root.all("text") {
		texts = append(texts, n.text)
	}
	for _, want := range []string{"Taken", "Free & open", `School "No. 1" <b>`, "School 2"} {
		found := false
		for _, got := range texts {
			found = found || got == want
		}
		if !found {
			t.Errorf("no text %q among %q", want, texts)
		}
	}
	for _, n := range root.all("*") {
		if _, ok := n.attrs["style"]; ok {
			t.Errorf("%s has a style attribute", n.name)
		}
	}
}

// box is one bar segment of a chart.
type box struct{ x, y, w, h float64 }

// boxes reads the rectangles of a bar path, written as M x y h w v h h -w z.
func boxes(t *testing.T, d string) []box {
	t.Helper()
	var out []box
	for _, sub := range strings.Split(strings.TrimSuffix(d, "z"), "z") {
		var b box
		var back float64
		if _, err := fmt.Sscanf(sub, "M%g %gh%gv%gh%g", &b.x, &b.y, &b.w, &b.h, &back); err != nil || back != -b.w {
			t.Fatalf("bar %q of %q: %v", sub, d, err)
		}
		out = append(out, b)
	}
	return out
}

// TestSVGStacks: each non-zero value is one bar segment in its series'
// colour, stacked on the segments below it, and each bar's column shows
// its figures to a pointer.
func TestSVGStacks(t *testing.T) {
	b := Bars{ID: "apps", Title: "Applications", Desc: "by day",
		Categories: []string{"01.04", "02.04", "03.04"},
		Series: []Series{{Name: "Submitted", Color: "#111111", Values: []int{2, 0, 5}},
			{Name: "Accepted", Color: "#222222", Values: []int{3, 1, 0}}}}
	root := parse(t, string(b.SVG()))
	groups := map[string]*node{}
	for _, g := range root.all("g") {
		groups[g.attrs["class"]] = g
	}

	paths := groups["bars"].all("path")
	if len(paths) != 2 || paths[0].attrs["fill"] != "#111111" || paths[1].attrs["fill"] != "#222222" {
		t.Fatalf("want a path per series in its colour, got %+v", paths)
	}
	submitted, accepted := boxes(t, paths[0].attrs["d"]), boxes(t, paths[1].attrs["d"])
	if len(submitted) != 2 || len(accepted) != 2 {
		t.Fatalf("segments %v and %v, want one per non-zero value", submitted, accepted)
	}
	// 01.04: accepted (3) sits on submitted (2), in the same column; the
	// whole stack of five reaches the top of the axis, 0…5.
	s, a := submitted[0], accepted[0]
	if math.Abs(a.y+a.h-s.y) > 0.15 || a.x != s.x || math.Abs(a.h/s.h-1.5) > 0.01 {
		t.Errorf("01.04: accepted %v does not sit on submitted %v", a, s)
	}
	if submitted[1].x <= accepted[1].x || math.Abs(submitted[1].h-s.h*2.5) > 0.15 {
		t.Errorf("03.04's submitted %v is not right of 02.04's accepted %v at 2.5 times %v",
			submitted[1], accepted[1], s)
	}
	var axis []string
	for _, n := range groups["axis"].all("text") {
		axis = append(axis, n.text)
	}
	if !reflect.DeepEqual(axis, []string{"0", "1", "2", "3", "4", "5"}) {
		t.Errorf("axis %q", axis)
	}
	var tips []string
	for _, r := range groups["tips"].all("title") {
		tips = append(tips, r.text)
	}
	want := []string{"01.04: Submitted 2, Accepted 3", "02.04: Accepted 1", "03.04: Submitted 5"}
	if !reflect.DeepEqual(tips, want) {
		t.Errorf("tooltips %q, want %q", tips, want)
	}
}

// TestNiceTicks: about five round steps from zero to at least the top.
func TestNiceTicks(t *testing.T) {
	for top, want := range map[int][]int{
		1:   {0, 1},
		5:   {0, 1, 2, 3, 4, 5},
		7:   {0, 2, 4, 6, 8},
		30:  {0, 10, 20, 30},
		120: {0, 50, 100, 150},
		999: {0, 200, 400, 600, 800, 1000},
	} {
		if got := niceTicks(top); !reflect.DeepEqual(got, want) {
			t.Errorf("niceTicks(%d) = %v, want %v", top, got, want)
		}
	}
}

// TestTruncate: a long label ends in an ellipsis within its room; a short
// one stays.
func TestTruncate(t *testing.T) {
	if got := truncate("School 2", 100); got != "School 2" {
		t.Errorf("short label %q", got)
	}
	long := strings.Repeat("Мектеп ", 20)
	got := truncate(long, 100)
	if !strings.HasSuffix(got, "…") || textWidth(got) > 100 {
		t.Errorf("long label %q, %.0f wide", got, textWidth(got))
	}
}
