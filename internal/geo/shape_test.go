package geo

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// square is the ring of the unit square with its south-west corner at
// (lat, lon), counter-clockwise.
func square(lat, lon float64) Ring {
	return Ring{{lat, lon}, {lat, lon + 1}, {lat + 1, lon + 1}, {lat + 1, lon}}
}

// uShape is a U open to the north: two arms joined along the south.
var uShape = Ring{{0, 0}, {0, 3}, {3, 3}, {3, 2}, {1, 2}, {1, 1}, {3, 1}, {3, 0}}

var approx = cmpopts.EquateApprox(0, 1e-9)

func TestOffset(t *testing.T) {
	start := Point{Lat: 43.238, Lon: 76.945}
	tests := []struct {
		name        string
		north, east float64
	}{
		{"north", 1000, 0},
		{"east", 0, 1000},
		{"south-west", -300, -400},
		{"nowhere", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Offset(start, tt.north, tt.east)
			want := math.Hypot(tt.north, tt.east)
			if got := Distance(start, p); math.Abs(got-want) > want*0.001+0.01 {
				t.Errorf("Distance(start, Offset(start, %v, %v)) = %.2f m, want %.2f m",
					tt.north, tt.east, got, want)
			}
			if tt.north > 0 && p.Lat <= start.Lat || tt.east < 0 && p.Lon >= start.Lon {
				t.Errorf("Offset(start, %v, %v) = %v, went the wrong way", tt.north, tt.east, p)
			}
		})
	}
}

func TestRingAreaAndCentroid(t *testing.T) {
	tests := []struct {
		name     string
		ring     Ring
		area     float64
		centroid Point
	}{
		{"unit square", square(10, 20), 1, Point{10.5, 20.5}},
		{"clockwise square", Ring{{0, 0}, {2, 0}, {2, 2}, {0, 2}}, -4, Point{1, 1}},
		{"triangle", Ring{{0, 0}, {0, 3}, {3, 0}}, 4.5, Point{1, 1}},
		{"u shape", uShape, 7, Point{9.5 / 7, 1.5}},
		{"a line", Ring{{0, 0}, {0, 2}}, 0, Point{0, 1}},
		{"empty", nil, 0, Point{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.ring.Area(); math.Abs(got-tt.area) > 1e-9 {
				t.Errorf("Area() = %v, want %v", got, tt.area)
			}
			if diff := cmp.Diff(tt.centroid, tt.ring.Centroid(), approx); diff != "" {
				t.Errorf("Centroid() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRingSplit(t *testing.T) {
	tests := []struct {
		name                string
		ring                Ring
		a, b                Point
		leftArea, rightArea float64
		leftIn, rightIn     Point // a point expected on each side
	}{
		{
			name: "square across the middle, line going east",
			ring: square(0, 0), a: Point{0.25, -1}, b: Point{0.25, 2},
			leftArea: 0.75, rightArea: 0.25,
			leftIn: Point{0.8, 0.5}, rightIn: Point{0.1, 0.5},
		},
		{
			name: "square along its diagonal",
			ring: square(0, 0), a: Point{0, 0}, b: Point{1, 1},
			leftArea: 0.5, rightArea: 0.5,
			leftIn: Point{0.8, 0.2}, rightIn: Point{0.2, 0.8},
		},
		{
			name: "u shape across both arms",
			ring: uShape, a: Point{2, 5}, b: Point{2, -5},
			leftArea: 5, rightArea: 2,
			leftIn: Point{0.5, 1.5}, rightIn: Point{2.5, 2.5},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			left, right := tt.ring.Split(tt.a, tt.b)
			if got := math.Abs(left.Area()); math.Abs(got-tt.leftArea) > 1e-9 {
				t.Errorf("left area = %v, want %v", got, tt.leftArea)
			}
			if got := math.Abs(right.Area()); math.Abs(got-tt.rightArea) > 1e-9 {
				t.Errorf("right area = %v, want %v", got, tt.rightArea)
			}
			if !left.Contains(tt.leftIn) || right.Contains(tt.leftIn) {
				t.Errorf("%v should be in the left part only", tt.leftIn)
			}
			if !right.Contains(tt.rightIn) || left.Contains(tt.rightIn) {
				t.Errorf("%v should be in the right part only", tt.rightIn)
			}
			for _, p := range []Point{tt.leftIn, tt.rightIn} {
				if tt.ring.Contains(p) != (left.Contains(p) || right.Contains(p)) {
					t.Errorf("%v: the parts disagree with the whole ring", p)
				}
			}
			if notch := (Point{2.5, 1.5}); tt.name == "u shape across both arms" && right.Contains(notch) {
				t.Errorf("the notch %v is in the right part", notch)
			}
		})
	}

	t.Run("line missing the ring", func(t *testing.T) {
		left, right := square(0, 0).Split(Point{5, 0}, Point{5, 1})
		if len(left) != 0 {
			t.Errorf("left = %v, want empty", left)
		}
		if diff := cmp.Diff(square(0, 0), right); diff != "" {
			t.Errorf("right mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestConvexHull(t *testing.T) {
	tests := []struct {
		name   string
		points []Point
		want   Ring
	}{
		{
			name:   "square with inner and edge points",
			points: []Point{{1, 1}, {0, 0}, {2, 2}, {0.5, 0.5}, {0, 2}, {2, 0}, {1, 0}, {0, 0}},
			want:   Ring{{0, 0}, {0, 2}, {2, 2}, {2, 0}},
		},
		{
			name:   "triangle",
			points: []Point{{0, 0}, {3, 1}, {0, 2}, {1, 1}},
			want:   Ring{{0, 0}, {0, 2}, {3, 1}},
		},
		{
			name:   "points on a line",
			points: []Point{{0, 0}, {1, 1}, {2, 2}},
			want:   Ring{{0, 0}, {2, 2}},
		},
		{
			name:   "one point twice",
			points: []Point{{5, 5}, {5, 5}},
			want:   Ring{{5, 5}},
		},
		{name: "none", points: nil, want: Ring{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ConvexHull(tt.points)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ConvexHull mismatch (-want +got):\n%s", diff)
			}
			if len(got) >= 3 && got.Area() <= 0 {
				t.Errorf("hull %v is not counter-clockwise", got)
			}
		})
	}
}
