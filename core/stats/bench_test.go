package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// lognormalDurations returns n lognormal "hours" (median 18 h, σ = 1.3, as
// in metrics.md §7), seeded.
func lognormalDurations(n int) []float64 {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, n)
	for i := range x {
		x[i] = 18 * exp(1.3*r.NormFloat64())
	}
	return x
}

func BenchmarkBootstrapMeanBCa(b *testing.B) {
	for _, n := range []int{1000, 1400, 10000} {
		x := lognormalDurations(n)
		b.Run(fmt.Sprintf("n=%d/B=9999", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				BootstrapMeanBCa(x, 9999, 1, 0.95)
			}
		})
	}
}

func BenchmarkBootstrapMeanBCaHist(b *testing.B) {
	// NPS 0..10 ratings (k = 11) at n = 10³ and 10⁶: cost does not grow with n.
	for _, n := range []int64{1000, 1000000} {
		v := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
		share := []float64{0.03, 0.01, 0.02, 0.03, 0.03, 0.08, 0.05, 0.15, 0.15, 0.2, 0.25}
		c := make([]int64, len(v))
		for i := range c {
			c[i] = int64(share[i] * float64(n))
		}
		b.Run(fmt.Sprintf("n=%d/k=11/B=9999", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				BootstrapMeanBCaHist(v, c, 9999, 1, 0.95)
			}
		})
	}
}

func BenchmarkNPSTango(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		NPSTango(450, 200, 1000, 0.95)
	}
}

func BenchmarkMedianHS(b *testing.B) {
	x := lognormalDurations(10000)
	sortFloats(x)
	b.ReportAllocs()
	for b.Loop() {
		MedianHS(x, 0.95)
	}
}

func exp(x float64) float64 { return math.Exp(x) }

func sortFloats(x []float64) { slices.Sort(x) }
