package stats

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// Median returns the sample median of values sorted in ascending order:
//
//	x₍ₘ₊₁₎                  for odd n = 2m + 1
//	(x₍ₘ₎ + x₍ₘ₊₁₎)/2       for even n = 2m
//
// numpy.median. It does NOT use gonum's stat.Quantile: its Empirical kind
// returns the lower middle value for even n, and LinInterp (Hyndman–Fan type 4)
// misplaces odd-n medians (metrics.md §4.4).
//
// Median returns NaN for empty input and panics if sorted is not sorted.
func Median(sorted []float64) float64 {
	checkSorted(sorted)
	n := len(sorted)
	switch {
	case n == 0:
		return math.NaN()
	case n%2 == 1:
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// MedianOrderStat returns the distribution-free order-statistic interval for
// the median of values sorted in ascending order. With B ~ Binomial(n, ½),
//
//	j  = max{ j ≥ 0 : P(B ≤ j) ≤ α/2 }
//	iv = [x₍ⱼ₊₁₎, x₍ₙ₋ⱼ₎]          (1-based order statistics)
//	coverage = 1 − 2·P(B ≤ j) ≥ conf
//
// Conover (1999) Practical Nonparametric Statistics §3.2; Hahn & Meeker (1991);
// oracle.py median_order_stat_ci, which takes j from scipy.stats.binom and
// allows P(B ≤ j) to exceed α/2 by 1e-12 (so does this function). rankLo = j+1
// and rankHi = n−j are the 1-based ranks of the bounds; coverage is the
// achieved (not nominal) coverage, e.g. n = 6: [x₁, x₆], 0.969; n = 20:
// [x₆, x₁₅], 0.959 at conf = 0.95.
//
// ok is false when no j exists, i.e. even [min, max] covers less than conf
// (n ≤ 5 at 95 %), and for empty input. The binomial CDF comes from gonum's
// regularized incomplete beta function, P(B ≤ j) = I_½(n − j, j + 1).
// MedianOrderStat panics if sorted is not sorted or conf is not in (0, 1).
func MedianOrderStat(sorted []float64, conf float64) (iv Interval, rankLo, rankHi int, coverage float64, ok bool) {
	checkConf(conf)
	checkSorted(sorted)
	n := len(sorted)
	if n == 0 {
		return Interval{math.NaN(), math.NaN()}, 0, 0, math.NaN(), false
	}
	thr := (1-conf)/2 + 1e-12
	// Start near the normal approximation and walk to the exact rank.
	j := int(math.Floor(float64(n)/2 - Z(conf)*math.Sqrt(float64(n))/2))
	j = min(max(j, -1), n-1)
	for j >= 0 && binomHalfCDF(j, n) > thr {
		j--
	}
	for j+1 < n && binomHalfCDF(j+1, n) <= thr {
		j++
	}
	if j < 0 {
		return Interval{math.NaN(), math.NaN()}, 0, 0, math.NaN(), false
	}
	coverage = 1 - 2*binomHalfCDF(j, n)
	return Interval{sorted[j], sorted[n-1-j]}, j + 1, n - j, coverage, true
}

// MedianHS returns the Hettmansperger–Sheather interpolated order-statistic
// interval for the median of values sorted in ascending order, exactly as
// scipy.stats.mstats.median_cihs(x, alpha=1-conf) computes it. With
// α = min(1 − conf, conf), B ~ Binomial(n, ½) and F its CDF:
//
//	k  = smallest k with F(k) ≥ α/2  (scipy binom.ppf)
//	g(k) = F(n−k) − F(k−1); if g(k) < 1 − α then k = k − 1
//	I  = (g(k) − 1 + α) / (g(k) − g(k+1)),  λ = (n−k)·I / (k + (n−2k)·I)
//	Lo = λ·x[k] + (1−λ)·x[k−1],  Hi = λ·x[n−k−1] + (1−λ)·x[n−k]   (0-based)
//
// Hettmansperger & Sheather (1986) Stat Probab Lett 4:75. The interval
// interpolates between the order statistics bracketing the conf level, so its
// coverage is close to conf rather than above it.
//
// ok is false where scipy raises IndexError (k = 0 makes x[n−k] = x[n]; this
// happens exactly when MedianOrderStat is undefined: n ≤ 5 at 95 %, n ≤ 4 at
// 90 %, n ≤ 7 at 99 %), for empty input, and if the result is NaN. Indices
// follow Python's rules (x[−1] is the last element), so the function fails
// exactly where scipy does. MedianHS panics if sorted is not sorted or conf is
// not in (0, 1).
func MedianHS(sorted []float64, conf float64) (iv Interval, ok bool) {
	checkConf(conf)
	checkSorted(sorted)
	nan := Interval{math.NaN(), math.NaN()}
	n := len(sorted)
	if n == 0 {
		return nan, false
	}
	alpha := math.Min(1-conf, conf)
	k := binomHalfPPF(alpha/2, n)
	gk := binomHalfCDF(n-k, n) - binomHalfCDF(k-1, n)
	if gk < 1-alpha {
		k--
		gk = binomHalfCDF(n-k, n) - binomHalfCDF(k-1, n)
	}
	gkk := binomHalfCDF(n-k-1, n) - binomHalfCDF(k, n)
	I := (gk - 1 + alpha) / (gk - gkk)
	lambda := float64(n-k) * I / (float64(k) + float64(n-2*k)*I)
	x0, ok0 := pyIndex(sorted, k)
	x1, ok1 := pyIndex(sorted, k-1)
	x2, ok2 := pyIndex(sorted, n-k-1)
	x3, ok3 := pyIndex(sorted, n-k)
	if !(ok0 && ok1 && ok2 && ok3) {
		return nan, false
	}
	iv = Interval{lambda*x0 + (1-lambda)*x1, lambda*x2 + (1-lambda)*x3}
	if math.IsNaN(iv.Lo) || math.IsNaN(iv.Hi) {
		return nan, false
	}
	return iv, true
}

// pyIndex indexes x the way Python does: negative indices count from the
// end; ok is false where Python raises IndexError.
func pyIndex(x []float64, i int) (float64, bool) {
	if i < 0 {
		i += len(x)
	}
	if i < 0 || i >= len(x) {
		return 0, false
	}
	return x[i], true
}

// binomHalfCDF returns P(B ≤ j) for B ~ Binomial(n, ½): 0 for j < 0, 1 for
// j ≥ n, else I_½(n − j, j + 1).
func binomHalfCDF(j, n int) float64 {
	switch {
	case j < 0:
		return 0
	case j >= n:
		return 1
	}
	return mathext.RegIncBeta(float64(n-j), float64(j+1), 0.5)
}

// binomHalfPPF returns the smallest k ≥ 0 with P(B ≤ k) ≥ q for
// B ~ Binomial(n, ½), q in (0, 1): scipy.stats.binom.ppf(q, n, 0.5).
func binomHalfPPF(q float64, n int) int {
	k := int(math.Floor(float64(n)/2 + ndtri(q)*math.Sqrt(float64(n))/2))
	k = min(max(k, 0), n)
	for k > 0 && binomHalfCDF(k-1, n) >= q {
		k--
	}
	for k < n && binomHalfCDF(k, n) < q {
		k++
	}
	return k
}

func checkSorted(x []float64) {
	if !slices.IsSorted(x) {
		panic("stats: values are not sorted")
	}
}
