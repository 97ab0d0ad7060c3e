// Package stats holds cxaudit's confidence-interval methods as pure
// functions: binomial proportions, the Net Promoter Score, means, two-sample
// differences, Poisson counts, medians, the bootstrap, Holm's adjustment and
// sample-size planning.
//
// Every function reproduces the reference oracle (../shared/oracle/oracle.py),
// which is built on scipy 1.10.1 and statsmodels 0.13.5; each doc comment names
// the library call it matches, its formula and its special cases. The
// statistical spec, with sources and the places where sources disagree, is
// ../shared/docs/metrics.md.
//
// Conventions:
//   - Probabilities and proportions are on the 0..1 scale, NPS on −1..1;
//     callers scale to percent.
//   - conf is the two-sided confidence level in (0, 1); every function panics
//     for a conf outside (0, 1), for negative counts and for k > n (programmer
//     errors, gonum style). A value that is undefined for valid data (an
//     interval for n = 1, a bootstrap on constant data) is reported as NaN or
//     ok = false, never as a made-up number.
//   - Intervals are equal-tailed: α = 1 − conf, α/2 in each tail.
//
// The functions allocate only where they have to (the bootstrap keeps its B
// replicates) and are safe for concurrent use.
package stats

import (
	"math"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is a two-sided confidence interval [Lo, Hi].
type Interval struct{ Lo, Hi float64 }

// Z returns the two-sided standard-normal critical value
//
//	z = Φ⁻¹(1 − (1 − conf)/2)
//
// (1.959963984540054 at conf = 0.95). It is what the oracle's zcrit computes,
// scipy.stats.norm.ppf(1 - (1-conf)/2); statsmodels' norm.isf(alpha/2) agrees
// to within an ulp. Z panics if conf is not in (0, 1).
func Z(conf float64) float64 {
	checkConf(conf)
	return distuv.UnitNormal.Quantile(1 - (1-conf)/2)
}

// TCrit returns the two-sided Student t critical value
//
//	t = t⁻¹(1 − (1 − conf)/2; df),
//
// the quantile scipy.stats.t.ppf(1 - (1-conf)/2, df) that statsmodels'
// confidence intervals use. df may be fractional (Welch–Satterthwaite).
//
// gonum's inverse incomplete beta function (cephes incbi, up to ~1e-9
// relative error) gives a start that Newton steps on the two-sided tail
//
//	P(|T| > t) = I_{ν/(ν+t²)}(ν/2, ½) = 1 − I_{t²/(ν+t²)}(½, ν/2)
//
// refine (with whichever form has the smaller argument); for df ≥ 10⁴ the
// Cornish–Fisher expansion is used instead (tQuantileLargeDF). The result is
// within 1e-13 relative of mpmath for df from 1 to 10⁷. scipy 1.10's t.ppf
// (CDFLIB cdft through special.stdtrit) stops its search earlier, with
// relative errors up to ~1e-8: t⁻¹(0.975; 2) is 4.302652729911275 in scipy
// and 4.30265272974946 exactly. So TCrit and the oracle's t_crit agree to
// ~1e-8 relative, far inside the oracle's 1e-6 tolerance in reported units.
//
// Special cases: df = +Inf gives Z(conf); df ≤ 0 or NaN gives NaN. TCrit
// panics if conf is not in (0, 1).
func TCrit(conf float64, df float64) float64 {
	checkConf(conf)
	switch {
	case math.IsNaN(df) || df <= 0:
		return math.NaN()
	case math.IsInf(df, 1):
		return Z(conf)
	}
	if df >= 1e4 {
		return tQuantileLargeDF(Z(conf), df)
	}
	alpha := 1 - conf
	x := mathext.InvRegIncBeta(df/2, 0.5, alpha)
	t := math.Sqrt(df * (1 - x) / x)
	if math.IsNaN(t) || math.IsInf(t, 0) {
		return t
	}
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	for range 6 {
		pdf := st.Prob(t)
		if !(pdf > 0) {
			break
		}
		step := (tTwoSidedTail(t, df) - alpha) / (2 * pdf)
		t += step
		if math.Abs(step) <= 1e-15*t {
			break
		}
	}
	return t
}

// tQuantileLargeDF returns the t quantile for the normal quantile z by the
// Cornish–Fisher expansion in 1/ν (Abramowitz & Stegun 26.7.5):
//
//	t = z + g₁/ν + g₂/ν² + g₃/ν³ + g₄/ν⁴
//	g₁ = (z³ + z)/4
//	g₂ = (5z⁵ + 16z³ + 3z)/96
//	g₃ = (3z⁷ + 19z⁵ + 17z³ − 15z)/384
//	g₄ = (79z⁹ + 776z⁷ + 1482z⁵ − 1920z³ − 945z)/92160
//
// For ν ≥ 10⁴ the omitted O(ν⁻⁵) term is below 1e-18, while the incomplete
// beta route loses precision there (gonum evaluates its prefactor through
// lgamma differences: ~1e-11 relative at ν = 10⁵, ~1e-9 at 10⁷).
func tQuantileLargeDF(z, df float64) float64 {
	z2 := z * z
	g1 := (z2 + 1) * z / 4
	g2 := ((5*z2+16)*z2 + 3) * z / 96
	g3 := (((3*z2+19)*z2+17)*z2 - 15) * z / 384
	g4 := ((((79*z2+776)*z2+1482)*z2-1920)*z2 - 945) * z / 92160
	return z + (g1+(g2+(g3+g4/df)/df)/df)/df
}

// tTwoSidedTail returns P(|T| > |t|) for Student's t with df degrees of
// freedom, from whichever incomplete-beta form has the smaller argument.
func tTwoSidedTail(t, df float64) float64 {
	t2 := t * t
	x := df / (df + t2)
	if x < 0.5 {
		return mathext.RegIncBeta(df/2, 0.5, x)
	}
	return 1 - mathext.RegIncBeta(0.5, df/2, t2/(df+t2))
}

// ndtr is the standard normal CDF Φ(x), computed the way scipy.special.ndtr
// (cephes) does: 0.5 + 0.5·erf(x/√2) near 0, erfc in the tails.
func ndtr(x float64) float64 {
	if math.IsNaN(x) {
		return math.NaN()
	}
	y := x / math.Sqrt2
	if math.Abs(y) < 1/math.Sqrt2 {
		return 0.5 + 0.5*math.Erf(y)
	}
	r := 0.5 * math.Erfc(math.Abs(y))
	if y > 0 {
		return 1 - r
	}
	return r
}

// ndtri is Φ⁻¹(p) with ndtri(0) = −Inf and ndtri(1) = +Inf, NaN outside [0, 1]
// (scipy.special.ndtri).
func ndtri(p float64) float64 {
	switch {
	case math.IsNaN(p) || p < 0 || p > 1:
		return math.NaN()
	case p == 0:
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	}
	return mathext.NormalQuantile(p)
}

// normTwoSidedP returns the two-sided normal p-value 2·(1 − Φ(|z|)), computed
// as erfc(|z|/√2) so that small p-values keep their precision
// (2·scipy.stats.norm.sf(abs(z))). NaN stays NaN.
func normTwoSidedP(z float64) float64 {
	return math.Erfc(math.Abs(z) / math.Sqrt2)
}

// betaQuantile returns x with I_x(a, b) = p: gonum's InvRegIncBeta refined by
// Newton steps on mathext.RegIncBeta, which brings it from cephes incbi's
// ~1e-9 to ~1e-15 (the precision of scipy's boost-based beta.ppf).
func betaQuantile(a, b, p float64) float64 {
	switch {
	case p <= 0:
		return 0
	case p >= 1:
		return 1
	}
	x := mathext.InvRegIncBeta(a, b, p)
	d := distuv.Beta{Alpha: a, Beta: b}
	for range 6 {
		pdf := d.Prob(x)
		if !(pdf > 0) || math.IsInf(pdf, 0) {
			break
		}
		step := (mathext.RegIncBeta(a, b, x) - p) / pdf
		nx := x - step
		if !(nx > 0 && nx < 1) {
			break
		}
		x = nx
		if math.Abs(step) <= 1e-16*x {
			break
		}
	}
	return x
}

func checkConf(conf float64) {
	if !(conf > 0 && conf < 1) {
		panic("stats: confidence level not in (0, 1)")
	}
}

func checkCount(k, n int) {
	if n <= 0 {
		panic("stats: n must be positive")
	}
	if k < 0 || k > n {
		panic("stats: count k outside [0, n]")
	}
}

func clip(x, lo, hi float64) float64 {
	return math.Min(math.Max(x, lo), hi)
}
