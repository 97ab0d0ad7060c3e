package stats

import (
	"fmt"
	"math"
	"testing"
)

func TestHolm(t *testing.T) {
	t.Parallel()
	_, ref := refs(t)
	// statsmodels.stats.multitest.multipletests(p, method='holm')[1].
	for _, c := range ref.Holm.Cases {
		got := Holm(c.P)
		for i := range got {
			checkNear(t, fmt.Sprintf("Holm(%v)[%d]", c.P, i), got[i], c.Adj[i], 1e-15)
		}
	}
	// NaN entries stay NaN and do not count: same as the NaN-free call.
	nan := math.NaN()
	got := Holm([]float64{0.01, nan, 0.04, 0.03, nan, 0.005})
	want := Holm([]float64{0.01, 0.04, 0.03, 0.005})
	for i, j := range []int{0, -1, 1, 2, -1, 3} {
		if j < 0 {
			if !math.IsNaN(got[i]) {
				t.Errorf("Holm NaN entry %d = %v", i, got[i])
			}
			continue
		}
		checkNear(t, fmt.Sprintf("Holm with NaN [%d]", i), got[i], want[j], 0)
	}
	if Holm(nil) != nil || len(Holm([]float64{})) != 0 {
		t.Error("Holm of empty input")
	}
}

func TestSampleSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		got  int
		want int
	}{
		// z²·p(1−p)/m² = 1.959964²·0.25/0.0025 = 384.15 → 385 (the textbook 385).
		{"proportion p=.5 m=.05", SampleSizeProportion(0.05, 0.5, 0.95), 385},
		// 1.959964²·0.25/0.03² = 1067.07 → 1068.
		{"proportion p=.5 m=.03", SampleSizeProportion(0.03, 0.5, 0.95), 1068},
		// 1.959964²·0.0475/0.0025 = 72.99 → 73.
		{"proportion p=.95 m=.05", SampleSizeProportion(0.05, 0.95, 0.95), 73},
		// 2.575829²·0.25/0.05² = 663.49 → 664.
		{"proportion 99%", SampleSizeProportion(0.05, 0.5, 0.99), 664},
		{"proportion p=0", SampleSizeProportion(0.05, 0, 0.95), 1},
		// NPS worst case p=d=½: Var = 1, n′ = 3.841459/0.0025 = 1536.58, n = ⌈1533.58⌉ = 1534.
		{"nps worst m=.05", SampleSizeNPS(0.05, 0.5, 0.5, 0.95), 1534},
		// typical (0.45, 0.2): Var = 0.65 − 0.0625 = 0.5875, n′ = 902.74, n = 900.
		{"nps typical m=.05", SampleSizeNPS(0.05, 0.45, 0.2, 0.95), 900},
		// ±10 points: n′ = 0.5875·3.841459/0.01 = 225.69, n = 223.
		{"nps typical m=.10", SampleSizeNPS(0.10, 0.45, 0.2, 0.95), 223},
		{"nps all promoters", SampleSizeNPS(0.05, 1, 0, 0.95), 1},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s = %d, want %d", tc.name, tc.got, tc.want)
		}
	}
	// The planned n delivers the margin: Wald at p and adjusted-Wald NPS at
	// the expected shares have half-width ≤ m, and n − 1 does not.
	for _, m := range []float64{0.02, 0.05, 0.1} {
		for _, p := range []float64{0.5, 0.8, 0.95} {
			n := SampleSizeProportion(m, p, 0.95)
			half := func(n int) float64 { return Z(0.95) * math.Sqrt(p*(1-p)/float64(n)) }
			if half(n) > m || half(n-1) <= m {
				t.Errorf("SampleSizeProportion(%v,%v) = %d: half-widths %v, %v", m, p, n, half(n), half(n-1))
			}
		}
		for _, s := range [][2]float64{{0.45, 0.2}, {0.5, 0.4}, {0.15, 0.55}} {
			n := SampleSizeNPS(m, s[0], s[1], 0.95)
			v := s[0] + s[1] - (s[0]-s[1])*(s[0]-s[1])
			half := func(n int) float64 { return Z(0.95) * math.Sqrt(v/float64(n+3)) }
			if half(n) > m || half(n-1) <= m {
				t.Errorf("SampleSizeNPS(%v,%v) = %d: half-widths %v, %v", m, s, n, half(n), half(n-1))
			}
		}
	}
	// SampleSizeProportion's doc: at p = .95, m = .05 the Wilson half-width at
	// n = 73 is 0.054 (the plain formula falls a little short for extreme p).
	w := Wilson(int(math.Round(0.95*73)), 73, 0.95) // k = 69, p̂ = 0.945
	if hw := (w.Hi - w.Lo) / 2; hw < 0.05 || hw > 0.056 {
		t.Errorf("Wilson half-width at n=73, p̂≈.95 = %v", hw)
	}
}
