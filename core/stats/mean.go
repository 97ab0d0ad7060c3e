package stats

import "math"

// TMean returns the Student t interval for a mean from its summary
// statistics, n values with sample mean x̄ and standard deviation s (ddof = 1):
//
//	se = s/√n,  t = TCrit(conf, n − 1)
//	x̄ ± t·se
//
// Student (1908); Sauro & Lewis, Quantifying the User Experience (t for
// rating-scale means at any n); statsmodels DescrStatsW(x).tconfint_mean(
// alpha=1-conf). The interval is NOT clipped: callers clip to the scale (a
// rating's [min, max], [0, ∞) for durations), which loses no coverage.
//
// Special cases: s = 0 gives a zero-width interval [x̄, x̄]; n < 2 gives NaN
// for all results (the interval is undefined, statsmodels returns nan). TMean
// panics if conf is not in (0, 1).
func TMean(n int, mean, sd, conf float64) (iv Interval, tcrit, se float64) {
	checkConf(conf)
	if n < 2 {
		nan := math.NaN()
		return Interval{nan, nan}, nan, nan
	}
	se = sd / math.Sqrt(float64(n))
	tcrit = TCrit(conf, float64(n-1))
	return Interval{mean - tcrit*se, mean + tcrit*se}, tcrit, se
}

// WelchDiff returns Welch's interval for the difference of two means, from
// each group's size, mean and sample variance (ddof = 1), with the
// Welch–Satterthwaite degrees of freedom, and the two-sided p-value of
// Welch's t test of equal means:
//
//	vᵢ = varᵢ/nᵢ,  se = √(v_a + v_b)
//	df = 1 / ((v_a/(v_a+v_b))²/(n_a−1) + (v_b/(v_a+v_b))²/(n_b−1))
//	iv = (x̄_a − x̄_b) ± TCrit(conf, df)·se
//	p  = P(|T_df| > |x̄_a − x̄_b|/se)
//
// Welch (1947) Biometrika 34:28; statsmodels CompareMeans(DescrStatsW(a),
// DescrStatsW(b)).tconfint_diff(alpha=1-conf, usevar='unequal') and
// .ttest_ind(usevar='unequal') (same formula as its dof_satt). Not clipped.
//
// Special cases: a group with n < 2, or both variances 0 (se = 0, df = 0/0),
// give NaN for the interval, df and p, as statsmodels does (nan). WelchDiff
// panics if conf is not in (0, 1).
func WelchDiff(na int, meanA, varA float64, nb int, meanB, varB float64, conf float64) (iv Interval, df, p float64) {
	checkConf(conf)
	nan := math.NaN()
	if na < 2 || nb < 2 {
		return Interval{nan, nan}, nan, nan
	}
	fa, fb := float64(na), float64(nb)
	va, vb := varA/fa, varB/fb
	sum := va + vb
	if !(sum > 0) {
		return Interval{nan, nan}, nan, nan
	}
	za := (va / sum) * (va / sum) / (fa - 1)
	zb := (vb / sum) * (vb / sum) / (fb - 1)
	df = 1 / (za + zb)
	se := math.Sqrt(sum)
	diff := meanA - meanB
	t := TCrit(conf, df)
	p = tTwoSidedTail(diff/se, df)
	return Interval{diff - t*se, diff + t*se}, df, p
}
