package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
)

func TestBootstrapGivenDistribution(t *testing.T) {
	t.Parallel()
	_, ref := refs(t)
	// scipy.stats.bootstrap((x,), np.mean, n_resamples=B, method=m,
	// confidence_level=conf, random_state=s, vectorized=True) with its
	// res.bootstrap_distribution: feeding scipy's own resample means to our
	// interval code must give scipy's interval (z₀ with ties, jackknife a,
	// numpy percentile), since only the random draws differ.
	if len(ref.BootGiven.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range ref.BootGiven.Cases {
		name := fmt.Sprintf("%s n=%d B=%d conf=%v", c.Method, len(c.X), len(c.ThetaB), c.Conf)
		want := Interval{deref(c.CI[0]), deref(c.CI[1])}
		mean, accel, good := rawMoments(c.X)
		if !good {
			t.Fatalf("%s: bad data", name)
		}
		var got Interval
		switch c.Method {
		case "BCa":
			var ok bool
			got, ok = bcaInterval(slices.Clone(c.ThetaB), mean, accel, c.Conf)
			if !ok {
				t.Errorf("%s: not ok", name)
			}
			// The histogram route must compute the same θ̂ and a.
			v, cnt := histOf(c.X)
			h, _ := newHist(v, cnt)
			checkNear(t, name+" hist mean", h.mean, mean, 1e-12*math.Abs(mean))
			checkNear(t, name+" hist accel", h.accel, accel, 1e-12)
		default:
			got = percentileInterval(slices.Clone(c.ThetaB), c.Conf)
		}
		checkInterval(t, name, got, want, 1e-12*math.Max(1, math.Abs(want.Hi)))
	}
}

func TestPercentileNumpy(t *testing.T) {
	t.Parallel()
	_, ref := refs(t)
	// numpy.percentile(a, q), default method='linear'.
	for _, c := range ref.Percentile.Cases {
		a := slices.Clone(ref.Percentile.A) // in the reference's order
		checkNear(t, fmt.Sprintf("percentile(%v)", c[0]), percentile(a, c[0]), c[1], 0)
	}
}

// TestPercentileBySelection: percentile (by selection, on an unsorted
// slice) equals the same formula on the sorted slice, bit for bit, for
// slices with and without many equal values and every kind of
// percentile (ends, integral and fractional virtual indices, g = ½).
func TestPercentileBySelection(t *testing.T) {
	t.Parallel()
	sorted := func(s []float64, pct float64) float64 { // the former sort-based form
		n := len(s)
		h := float64(n-1) * (pct / 100)
		switch {
		case h >= float64(n-1):
			return s[n-1]
		case h < 0:
			return s[0]
		}
		lo := math.Floor(h)
		g := h - lo
		a, b := s[int(lo)], s[int(lo)+1]
		if g >= 0.5 {
			return b - (b-a)*(1-g)
		}
		return a + (b-a)*g
	}
	r := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct {
		name     string
		n, grid  int // grid > 0: values on a grid of that many points (ties)
		pcts     []float64
		shuffled bool
	}{
		{"one value", 1, 0, []float64{0, 50, 100}, true},
		{"two values", 2, 0, []float64{0, 25, 50, 75, 100}, true},
		{"continuous", 9999, 0, []float64{0, 0.01, 2.5, 50, 97.5, 99.99, 100, -1, 101}, true},
		{"ties, 5-point grid", 9999, 5, []float64{2.5, 50, 97.5}, true},
		{"ties, 40-point grid", 9999, 40, []float64{0.7, 2.5, 33.3, 97.5}, true},
		{"already sorted", 1000, 0, []float64{2.5, 97.5}, false},
		{"all equal", 500, 1, []float64{2.5, 97.5}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vals := make([]float64, tc.n)
			for i := range vals {
				if tc.grid > 0 {
					vals[i] = float64(r.IntN(tc.grid)) / 7
				} else {
					vals[i] = r.NormFloat64()
				}
			}
			if !tc.shuffled {
				slices.Sort(vals)
			}
			ref := slices.Sorted(slices.Values(vals))
			for _, p := range append(tc.pcts, 100*r.Float64(), 100*r.Float64()) {
				s := slices.Clone(vals)
				if got, want := percentile(s, p), sorted(ref, p); got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Errorf("percentile %v: %v, sorted form %v", p, got, want)
				}
				// The same slice again, as bcaInterval asks twice.
				if got, want := percentile(s, 100-p), sorted(ref, 100-p); got != want {
					t.Errorf("percentile %v after %v: %v, sorted form %v", 100-p, p, got, want)
				}
			}
		})
	}
}

// bootCase is one bootstrap interval of the oracle with its data.
type bootCase struct {
	name     string
	raw      []float64 // raw values (expanded from the histogram when hist)
	v        []float64 // histogram, nil for continuous data
	c        []int64
	B        int
	seed     uint64
	conf     float64
	lo, hi   float64
	tol      float64 // the oracle's tolerance (4 × Monte Carlo SD), same units
	scale    float64 // reported units per unit of the statistic
	isPctile bool
}

func oracleBootCases(t *testing.T) []bootCase {
	or, _ := refs(t)
	var cases []bootCase
	for _, m := range or.Mean {
		if m.BCa == nil || m.BCa.Lo == nil {
			continue
		}
		bc := bootCase{name: fmt.Sprintf("mean n=%d x̄=%.4g", m.N, m.Mean), B: m.Boot.NResamples,
			seed: m.Boot.Seed, conf: m.Conf, lo: *m.BCa.Lo, hi: *m.BCa.Hi, tol: *m.BCa.Tolerance, scale: 1}
		if m.Raw != nil {
			bc.raw = m.Raw
		} else {
			bc.v, bc.c = m.HistV, m.HistC
			bc.raw = expand(m.HistV, m.HistC)
		}
		cases = append(cases, bc)
	}
	for _, p := range or.NPS {
		b, ok := p.Alt["bootstrap_percentile"]
		if !ok || b.Lo == nil {
			continue
		}
		v, c := []float64{-1, 0, 1}, []int64{int64(p.D), int64(p.Pa), int64(p.P)}
		cases = append(cases, bootCase{name: fmt.Sprintf("nps %v", [3]int{p.P, p.Pa, p.D}), raw: expand(v, c), v: v, c: c,
			B: p.Boot.NResamples, seed: p.Boot.Seed, conf: p.Conf, lo: *b.Lo, hi: *b.Hi, tol: *b.Tolerance,
			scale: 100, isPctile: true})
	}
	return cases
}

func TestBootstrapOracle(t *testing.T) {
	t.Parallel()
	// survey_main / survey_edge_groups means (BCa) and NPS (percentile on the
	// −1/0/+1 scores), tickets_main ART, FRT and replies per resolution (BCa),
	// overall and per segment: each bound within 2 × the oracle's tolerance
	// (../shared/oracle/README.md). Different RNGs, so not closer than that.
	cases := oracleBootCases(t)
	if len(cases) < 30 {
		t.Fatalf("only %d bootstrap cases", len(cases))
	}
	short := testing.Short() || runtime.GOARCH == "wasm"
	for i, bc := range cases {
		check := func(form string, iv Interval, ok bool) {
			t.Helper()
			if !ok {
				t.Errorf("%s %s: not ok", bc.name, form)
				return
			}
			checkNear(t, bc.name+" "+form+" lo", bc.scale*iv.Lo, bc.lo, 2*bc.tol)
			checkNear(t, bc.name+" "+form+" hi", bc.scale*iv.Hi, bc.hi, 2*bc.tol)
		}
		seed := bc.seed + uint64(i)
		// The raw form on every case, except large integer-valued samples in
		// short mode (their histogram form below covers them).
		if !(short && bc.v != nil && len(bc.raw) > 500) {
			if bc.isPctile {
				iv, ok := BootstrapMeanPercentile(bc.raw, bc.B, seed, bc.conf)
				check("raw", iv, ok)
			} else {
				iv, ok := BootstrapMeanBCa(bc.raw, bc.B, seed, bc.conf)
				check("raw", iv, ok)
			}
		}
		if bc.v != nil {
			if bc.isPctile {
				iv, ok := BootstrapMeanPercentileHist(bc.v, bc.c, bc.B, seed, bc.conf)
				check("hist", iv, ok)
			} else {
				iv, ok := BootstrapMeanBCaHist(bc.v, bc.c, bc.B, seed, bc.conf)
				check("hist", iv, ok)
			}
		}
	}
}

func TestBootstrapSpecialCases(t *testing.T) {
	t.Parallel()
	// Constant data: BCa undefined (metrics.md §4.3), percentile [c, c] as scipy.
	for _, c := range []float64{2, 0.1, 1.0 / 3} {
		x := []float64{c, c, c, c, c, c, c, c, c, c, c, c}
		if iv, ok := BootstrapMeanBCa(x, 999, 1, 0.95); ok || !math.IsNaN(iv.Lo) {
			t.Errorf("BCa on constant %v = %v, %v; want NaN, false", c, iv, ok)
		}
		if iv, ok := BootstrapMeanBCaHist([]float64{c, 7, c}, []int64{12, 0, 5}, 999, 1, 0.95); ok || !math.IsNaN(iv.Hi) {
			t.Errorf("BCaHist on constant %v = %v, %v; want NaN, false", c, iv, ok)
		}
		if iv, ok := BootstrapMeanPercentile(x, 999, 1, 0.95); !ok || math.Abs(iv.Lo-c) > 1e-15 || math.Abs(iv.Hi-c) > 1e-15 {
			t.Errorf("percentile on constant %v = %v, %v", c, iv, ok)
		}
		if iv, ok := BootstrapMeanPercentileHist([]float64{c}, []int64{12}, 999, 1, 0.95); !ok || math.Abs(iv.Lo-c) > 1e-15 {
			t.Errorf("percentile hist on constant %v = %v, %v", c, iv, ok)
		}
	}
	// Empty and non-finite input.
	if _, ok := BootstrapMeanBCa(nil, 99, 1, 0.95); ok {
		t.Error("BCa(nil) ok")
	}
	if _, ok := BootstrapMeanPercentile([]float64{1, math.NaN(), 3}, 99, 1, 0.95); ok {
		t.Error("percentile with NaN ok")
	}
	if _, ok := BootstrapMeanPercentileHist([]float64{1, 2}, []int64{0, 0}, 99, 1, 0.95); ok {
		t.Error("percentile hist with n = 0 ok")
	}
	// z₀ = −∞ (every θ* above θ̂) makes α₁ NaN in scipy: undefined.
	if _, ok := bcaInterval([]float64{2, 3, 4}, 1, 0.1, 0.95); ok {
		t.Error("BCa with all θ* > θ̂ ok")
	}
	// Determinism: same seed, same bytes; another seed, other numbers.
	x := []float64{3.1, 1.4, 4.1, 1.5, 5.9, 9.2, 2.6, 6.5, 5.3, 3.5, 5.8, 8.9, 9.7, 7.9, 9.3}
	a, _ := BootstrapMeanBCa(x, 2000, 42, 0.95)
	b, _ := BootstrapMeanBCa(x, 2000, 42, 0.95)
	c, _ := BootstrapMeanBCa(x, 2000, 43, 0.95)
	if a != b || a == c {
		t.Errorf("seeding: %v %v %v", a, b, c)
	}
	v, cnt := histOf(x)
	a, _ = BootstrapMeanBCaHist(v, cnt, 2000, 42, 0.95)
	b, _ = BootstrapMeanBCaHist(v, cnt, 2000, 42, 0.95)
	if a != b {
		t.Errorf("hist seeding: %v %v", a, b)
	}
}

func TestHistMatchesRawDistribution(t *testing.T) {
	t.Parallel()
	// The histogram resampler must give the distribution of the mean of n
	// draws with replacement: E θ* = x̄, Var θ* = m₂/n, E(θ* − x̄)³ = m₃/n²
	// (mᵣ the r-th central moment of the data, ddof = 0). Both forms are
	// checked against these exact values; 5 standard errors.
	B := 200000
	if testing.Short() || runtime.GOARCH == "wasm" {
		B = 40000
	}
	for _, tc := range []struct {
		v []float64
		c []int64
	}{
		{[]float64{1, 2, 3, 4, 5}, []int64{3, 5, 9, 40, 43}},                      // CSAT-like, skewed
		{[]float64{-1, 0, 1}, []int64{20, 35, 45}},                                // NPS scores
		{[]float64{0, 1, 2, 3, 5, 8, 13}, []int64{1000, 700, 400, 200, 90, 9, 1}}, // counts, n = 2400
	} {
		raw := expand(tc.v, tc.c)
		n := float64(len(raw))
		var m1, m2, m3 float64
		for _, x := range raw {
			m1 += x
		}
		m1 /= n
		for _, x := range raw {
			d := x - m1
			m2 += d * d / n
			m3 += d * d * d / n
		}
		h, _ := newHist(tc.v, tc.c)
		forms := map[string][]float64{
			"hist": h.resampleMeans(B, newRNG(7)),
		}
		if len(raw) <= 200 {
			forms["raw"] = resampleMeans(raw, B, newRNG(7))
		}
		for form, theta := range forms {
			var s1, s2, s3, s4 float64
			for _, th := range theta {
				d := th - m1
				s1 += d
				s2 += d * d
				s3 += d * d * d
				s4 += d * d * d * d
			}
			fb := float64(B)
			mean, v2, v3 := s1/fb, s2/fb, s3/fb
			wantV, wantM3 := m2/n, m3/(n*n)
			name := fmt.Sprintf("%s n=%v", form, n)
			checkNear(t, name+" mean", mean, 0, 5*math.Sqrt(wantV/fb))
			checkNear(t, name+" variance", v2, wantV, 5*math.Sqrt((s4/fb-wantV*wantV)/fb))
			// sd of the third-moment estimate ≈ √(E d⁶/B) ≈ √(15)·σ³/√B for a near-normal θ*.
			checkNear(t, name+" third moment", v3, wantM3, 5*math.Sqrt(15/fb)*math.Pow(wantV, 1.5))
		}
	}
}

func TestBinomialSampler(t *testing.T) {
	t.Parallel()
	// Goodness of fit of rng.binomial to the exact pmf (chi-squared over cells
	// with expected count ≥ 5, tails pooled), covering inversion (n·p < 30) and
	// BTPE (n·p ≥ 30, both the recursive and the squeeze/Stirling acceptance
	// paths), and p > ½ by symmetry.
	draws := 200000
	if testing.Short() || runtime.GOARCH == "wasm" {
		draws = 50000
	}
	r := newRNG(2024)
	for _, tc := range []struct {
		n int64
		p float64
	}{{10, 0.3}, {100, 0.02}, {25, 0.99}, {59, 0.5}, {100, 0.5}, {1000, 0.3}, {5000, 0.9}, {200000, 0.01}, {10000000, 0.4}} {
		mean := float64(tc.n) * tc.p
		sd := math.Sqrt(mean * (1 - tc.p))
		lo := max(int64(0), int64(mean-8*sd))
		hi := min(tc.n, int64(mean+8*sd)+1)
		counts := make([]float64, hi-lo+1)
		for range draws {
			x := r.binomial(tc.n, tc.p)
			if x < 0 || x > tc.n {
				t.Fatalf("Bin(%d,%v) drew %d", tc.n, tc.p, x)
			}
			counts[min(max(x, lo), hi)-lo]++
		}
		// Exact pmf via log-gamma, pooling cells until expected ≥ 5.
		lg := func(k int64) float64 { v, _ := math.Lgamma(float64(k) + 1); return v }
		chi2, df := 0.0, -1
		var obs, exp float64
		for k := lo; k <= hi; k++ {
			pk := math.Exp(lg(tc.n) - lg(k) - lg(tc.n-k) + float64(k)*math.Log(tc.p) + float64(tc.n-k)*math.Log1p(-tc.p))
			obs += counts[k-lo]
			exp += pk * float64(draws)
			if exp >= 5 || k == hi {
				chi2 += (obs - exp) * (obs - exp) / exp
				df++
				obs, exp = 0, 0
			}
		}
		// Wilson–Hilferty 99.99 % point of χ²(df): z = 3.719.
		f := float64(df)
		crit := f * math.Pow(1-2/(9*f)+3.719*math.Sqrt(2/(9*f)), 3)
		if chi2 > crit {
			t.Errorf("Bin(%d, %v): χ² = %.1f on %d df > %.1f", tc.n, tc.p, chi2, df, crit)
		}
	}
}

func histOf(x []float64) ([]float64, []int64) {
	s := slices.Clone(x)
	slices.Sort(s)
	var v []float64
	var c []int64
	for i, xi := range s {
		if i == 0 || xi != s[i-1] {
			v = append(v, xi)
			c = append(c, 0)
		}
		c[len(c)-1]++
	}
	return v, c
}

func expand(v []float64, c []int64) []float64 {
	var out []float64
	for i := range v {
		for range c[i] {
			out = append(out, v[i])
		}
	}
	return out
}
