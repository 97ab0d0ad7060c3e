package stats

import (
	"fmt"
	"math"
	"testing"
)

func TestIndexUniform(t *testing.T) {
	t.Parallel()
	// rng.index and the two-per-draw path of resampleMeans (index32 is its
	// rejection branch) must be exactly uniform. n = 3·2³⁰ makes index32 reject
	// a third of its draws, so the rejection logic is exercised; 8 equal
	// buckets, χ²(7) 99.99 % point = 29.9.
	r := newRNG(99)
	const draws = 80000
	for _, tc := range []struct {
		name string
		n    uint64
		draw func(n uint64) uint64
	}{
		{"index n=7", 7, r.index},
		{"index n=3·2⁶²", 3 << 62, r.index},
		{"index32 n=3·2³⁰", 3 << 30, func(n uint64) uint64 {
			return r.index32(n, uint32(-uint32(n)%uint32(n))) >> 32
		}},
	} {
		var bucket [8]float64
		for range draws {
			x := tc.draw(tc.n)
			if x >= tc.n {
				t.Fatalf("%s: %d out of range", tc.name, x)
			}
			// bucket = ⌊8x/n⌋ without overflow
			bucket[int(float64(x)/float64(tc.n)*8)]++
		}
		chi2 := 0.0
		for i, o := range bucket {
			// expected share of bucket i: exact for n = 7 (7 values, 8 buckets → uneven)
			lo := math.Ceil(float64(i) * float64(tc.n) / 8)
			hi := math.Ceil(float64(i+1) * float64(tc.n) / 8)
			e := (hi - lo) / float64(tc.n) * draws
			if e == 0 {
				if o != 0 {
					t.Errorf("%s: bucket %d has %v draws, expected none", tc.name, i, o)
				}
				continue
			}
			chi2 += (o - e) * (o - e) / e
		}
		if chi2 > 29.9 {
			t.Errorf("%s: χ² = %.1f > 29.9, buckets %v", tc.name, chi2, bucket)
		}
	}
}

func TestNonIntegerHistogram(t *testing.T) {
	t.Parallel()
	// Non-integer values in the histogram form: same moments as the raw form
	// (sums are no longer exact, ties are irrelevant for such data).
	v := []float64{0.25, 1.5, 2.75}
	c := []int64{10, 20, 30}
	raw := expand(v, c)
	h, ok := newHist(v, c)
	m, a, _ := rawMoments(raw)
	if !ok || math.Abs(h.mean-m) > 1e-15 || math.Abs(h.accel-a) > 1e-15 {
		t.Errorf("hist mean/accel %v %v, raw %v %v", h.mean, h.accel, m, a)
	}
	ivh, okh := BootstrapMeanBCaHist(v, c, 20000, 5, 0.95)
	ivr, okr := BootstrapMeanBCa(raw, 20000, 5, 0.95)
	if !okh || !okr {
		t.Fatal("not ok")
	}
	// Two independent bootstraps: bounds agree to Monte Carlo error (≈0.01 here).
	checkInterval(t, "hist vs raw", ivh, ivr, 0.03)
}

func TestPanics(t *testing.T) {
	t.Parallel()
	for name, f := range map[string]func(){
		"conf 0":          func() { Z(0) },
		"conf 1":          func() { Wilson(1, 2, 1) },
		"conf NaN":        func() { TCrit(math.NaN(), 3) },
		"n 0":             func() { Wilson(0, 0, 0.95) },
		"k > n":           func() { ClopperPearson(3, 2, 0.95) },
		"k < 0":           func() { Jeffreys(-1, 2, 0.95) },
		"nps empty":       func() { NPSAdjustedWald(0, 0, 0, 0.95) },
		"nps negative":    func() { NPSWald(-1, 2, 0, 0.95) },
		"tango P+D > n":   func() { NPSTango(3, 3, 5, 0.95) },
		"garwood k < 0":   func() { Garwood(-1, 0.95) },
		"boot B 0":        func() { BootstrapMeanBCa([]float64{1, 2}, 0, 1, 0.95) },
		"hist lengths":    func() { BootstrapMeanBCaHist([]float64{1, 2}, []int64{1}, 9, 1, 0.95) },
		"hist negative":   func() { BootstrapMeanPercentileHist([]float64{1, 2}, []int64{1, -1}, 9, 1, 0.95) },
		"unsorted":        func() { MedianOrderStat([]float64{2, 1}, 0.95) },
		"sample size m 0": func() { SampleSizeProportion(0, 0.5, 0.95) },
		"sample size nps": func() { SampleSizeNPS(0.05, 0.7, 0.5, 0.95) },
		"prop diff empty": func() { PropDiffP(0, 0, 1, 2) },
	} {
		func() {
			defer func() {
				r := recover()
				if r == nil {
					t.Errorf("%s: no panic", name)
				} else if s := fmt.Sprint(r); len(s) < 7 || s[:7] != "stats: " {
					t.Errorf("%s: panic %q does not start with \"stats: \"", name, s)
				}
			}()
			f()
		}()
	}
}
