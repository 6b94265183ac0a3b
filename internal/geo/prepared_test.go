package geo

import (
	"math"
	"math/rand/v2"
	"testing"
)

// star returns a ring of n points at random distances from the centre, a
// jagged shape with many edges.
func star(r *rand.Rand, centre Point, n int) Ring {
	ring := make(Ring, n)
	for i := range ring {
		angle := 2 * math.Pi * float64(i) / float64(n)
		dist := 0.2 + r.Float64()
		ring[i] = Point{centre.Lat + dist*math.Sin(angle), centre.Lon + dist*math.Cos(angle)}
	}
	return ring
}

func TestPreparedAgreesWithContains(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name  string
		shape MultiPolygon
	}{
		{"square", MultiPolygon{{square(0, 0)}}},
		{"u shape", MultiPolygon{{uShape}}},
		{"square with a hole", MultiPolygon{{Ring{{0, 0}, {0, 3}, {3, 3}, {3, 0}}, square(1, 1)}}},
		{"hole poking out", MultiPolygon{{square(0, 0), square(0.5, 0.5)}}},
		{"two stars", MultiPolygon{{star(r, Point{0, 0}, 700)}, {star(r, Point{1.5, 1.5}, 50)}}},
		{"flat ring", MultiPolygon{{Ring{{1, 0}, {1, 1}, {1, 2}}}}},
		{"empty", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prepared := Prepare(tt.shape)
			inside := 0
			for range 20000 {
				p := Point{r.Float64()*4 - 1, r.Float64()*4 - 1}
				want := tt.shape.Contains(p)
				if got := prepared.Contains(p); got != want {
					t.Fatalf("Contains(%v) = %v, want %v", p, got, want)
				}
				if want {
					inside++
				}
			}
			// The vertices themselves are the hardest cases.
			for _, pg := range tt.shape {
				for _, ring := range pg {
					for _, p := range ring {
						if got, want := prepared.Contains(p), tt.shape.Contains(p); got != want {
							t.Fatalf("Contains(vertex %v) = %v, want %v", p, got, want)
						}
					}
				}
			}
			t.Logf("%d of 20000 points inside", inside)
		})
	}
}

func BenchmarkPreparedContains(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	shape := MultiPolygon{{star(r, Point{0, 0}, 700)}}
	prepared := Prepare(shape)
	p := Point{0.3, 0.2}
	b.Run("prepared", func(b *testing.B) {
		for b.Loop() {
			prepared.Contains(p)
		}
	})
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			shape.Contains(p)
		}
	})
}
