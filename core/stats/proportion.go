package stats

import "math"

// Wilson returns the Wilson score interval for k successes in n trials:
//
//	p̂ = k/n
//	centre = (p̂ + z²/2n) / (1 + z²/n)
//	half   = z·√(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n)
//	[centre − half, centre + half] clipped to [0, 1]
//
// with z = Z(conf). Wilson (1927) JASA 22:209; Newcombe (1998a) Stat Med
// 17:857; statsmodels proportion_confint(k, n, alpha=1-conf, method='wilson').
// metrics.md §2 makes it the primary interval for every proportion.
//
// Special cases: k = 0 gives Lo = 0 and k = n gives Hi = 1 exactly, as the
// formula does in exact arithmetic (statsmodels returns rounding noise such as
// −1e−17 or 2.8e−17 there; oracle.py clips the negative kind). The
// interval is never empty and never degenerate. Wilson panics if n ≤ 0, k is
// outside [0, n] or conf is not in (0, 1).
func Wilson(k, n int, conf float64) Interval {
	iv := wilsonRaw(k, n, conf)
	iv = Interval{clip(iv.Lo, 0, 1), clip(iv.Hi, 0, 1)}
	if k == 0 {
		iv.Lo = 0
	}
	if k == n {
		iv.Hi = 1
	}
	return iv
}

// wilsonRaw is statsmodels' Wilson interval without the clip (what
// confint_proportions_2indep(method='newcomb') uses).
func wilsonRaw(k, n int, conf float64) Interval {
	checkCount(k, n)
	z := Z(conf)
	fn := float64(n)
	q := float64(k) / fn
	z2 := z * z
	denom := 1 + z2/fn
	centre := (q + z2/(2*fn)) / denom
	dist := z * math.Sqrt(q*(1-q)/fn+z2/(4*fn*fn)) / denom
	return Interval{centre - dist, centre + dist}
}

// AgrestiCoull returns the Agresti–Coull ("adjusted Wald") interval:
//
//	ñ = n + z²,  p̃ = (k + z²/2)/ñ
//	p̃ ± z·√(p̃(1−p̃)/ñ), clipped to [0, 1]
//
// Agresti & Coull (1998) Am Stat 52:119; the interval MeasuringU's calculator
// recommends (Sauro & Lewis 2005, with z² rather than the "+2/+4" shortcut,
// metrics.md §6.4); statsmodels proportion_confint(method='agresti_coull').
// The interval is centred on p̃, not on k/n. AgrestiCoull panics if n ≤ 0, k
// is outside [0, n] or conf is not in (0, 1).
func AgrestiCoull(k, n int, conf float64) Interval {
	checkCount(k, n)
	z := Z(conf)
	z2 := z * z
	nc := float64(n) + z2
	qc := (float64(k) + z2/2) / nc
	d := z * math.Sqrt(qc*(1-qc)/nc)
	return Interval{clip(qc-d, 0, 1), clip(qc+d, 0, 1)}
}

// Jeffreys returns the equal-tailed Jeffreys interval, the α/2 and 1 − α/2
// quantiles of the Beta(k + ½, n − k + ½) posterior:
//
//	[B⁻¹(α/2; k+½, n−k+½), B⁻¹(1−α/2; k+½, n−k+½)]
//
// Brown, Cai & DasGupta (2001) Stat Sci 16:101; statsmodels
// proportion_confint(method='jeffreys'), i.e. scipy.stats.beta.interval.
//
// It does NOT apply Brown et al.'s boundary modification (Lo = 0 at k = 0,
// Hi = 1 at k = n): like statsmodels, at k = 0 Lo is a small positive number
// (metrics.md §6.6). Jeffreys panics if n ≤ 0, k is outside [0, n] or conf is
// not in (0, 1).
func Jeffreys(k, n int, conf float64) Interval {
	checkCount(k, n)
	alpha := 1 - conf
	a, b := float64(k)+0.5, float64(n-k)+0.5
	return Interval{
		clip(betaQuantile(a, b, alpha/2), 0, 1),
		clip(1-betaQuantile(b, a, alpha/2), 0, 1),
	}
}

// ClopperPearson returns the Clopper–Pearson "exact" interval:
//
//	Lo = B⁻¹(α/2; k, n−k+1)      (0 when k = 0)
//	Hi = B⁻¹(1−α/2; k+1, n−k)    (1 when k = n)
//
// Clopper & Pearson (1934) Biometrika 26:404; statsmodels
// proportion_confint(method='beta'). Its coverage is at least conf for every
// true p (it is conservative). ClopperPearson panics if n ≤ 0, k is outside
// [0, n] or conf is not in (0, 1).
func ClopperPearson(k, n int, conf float64) Interval {
	checkCount(k, n)
	alpha := 1 - conf
	fk, fn := float64(k), float64(n)
	iv := Interval{0, 1}
	if k > 0 {
		iv.Lo = betaQuantile(fk, fn-fk+1, alpha/2)
	}
	if k < n {
		// Upper quantile by symmetry: B⁻¹(1−q; a, b) = 1 − B⁻¹(q; b, a).
		iv.Hi = 1 - betaQuantile(fn-fk, fk+1, alpha/2)
	}
	return iv
}

// Wald returns the textbook normal-approximation interval
//
//	p̂ ± z·√(p̂(1−p̂)/n), clipped to [0, 1]
//
// statsmodels proportion_confint(method='normal'). It is reported only to show
// its failure: it has zero width at k = 0 and k = n, and covers far below conf
// for p near 0 or 1 (metrics.md §7). Wald panics if n ≤ 0, k is outside [0, n]
// or conf is not in (0, 1).
func Wald(k, n int, conf float64) Interval {
	checkCount(k, n)
	z := Z(conf)
	q := float64(k) / float64(n)
	d := z * math.Sqrt(q*(1-q)/float64(n))
	return Interval{clip(q-d, 0, 1), clip(q+d, 0, 1)}
}

// NewcombeDiff returns Newcombe's hybrid score interval for p₁ − p₂ (method 10
// of Newcombe 1998b), built from the two Wilson intervals (lᵢ, uᵢ):
//
//	δ = p̂₁ − p̂₂
//	Lo = δ − √((p̂₁ − l₁)² + (u₂ − p̂₂)²)
//	Hi = δ + √((u₁ − p̂₁)² + (p̂₂ − l₂)²)
//
// Newcombe (1998b) Stat Med 17:873; statsmodels
// confint_proportions_2indep(k1, n1, k2, n2, method='newcomb', compare='diff',
// alpha=1-conf), which uses the unclipped Wilson bounds. The result always lies
// in [−1, 1] and is not clipped further. It is not symmetric about δ.
// NewcombeDiff panics if a group is empty, a count is outside [0, n] or conf is
// not in (0, 1).
func NewcombeDiff(k1, n1, k2, n2 int, conf float64) Interval {
	w1 := wilsonRaw(k1, n1, conf)
	w2 := wilsonRaw(k2, n2, conf)
	p1 := float64(k1) / float64(n1)
	p2 := float64(k2) / float64(n2)
	d := p1 - p2
	return Interval{
		d - math.Sqrt((p1-w1.Lo)*(p1-w1.Lo)+(w2.Hi-p2)*(w2.Hi-p2)),
		d + math.Sqrt((p2-w2.Lo)*(p2-w2.Lo)+(w1.Hi-p1)*(w1.Hi-p1)),
	}
}

// WaldDiff returns the Wald interval for p₁ − p₂:
//
//	(p̂₁ − p̂₂) ± z·√(p̂₁(1−p̂₁)/n₁ + p̂₂(1−p̂₂)/n₂)
//
// statsmodels confint_proportions_2indep(method='wald', compare='diff'). Like
// statsmodels and the oracle it is NOT clipped, so it can leave [−1, 1], and it
// has zero width when both proportions are 0 or 1. Reported as an alternative
// only. WaldDiff panics if a group is empty, a count is outside [0, n] or conf
// is not in (0, 1).
func WaldDiff(k1, n1, k2, n2 int, conf float64) Interval {
	checkCount(k1, n1)
	checkCount(k2, n2)
	z := Z(conf)
	p1 := float64(k1) / float64(n1)
	p2 := float64(k2) / float64(n2)
	d := z * math.Sqrt(p1*(1-p1)/float64(n1)+p2*(1-p2)/float64(n2))
	return Interval{p1 - p2 - d, p1 - p2 + d}
}

// PropDiffP returns the two-sided p-value for H₀: p₁ = p₂ from the score test
// with the N/(N−1) variance correction:
//
//	p̄ = (k₁ + k₂)/(n₁ + n₂),  N = n₁ + n₂
//	z = (p̂₁ − p̂₂) / √(p̄(1−p̄)(1/n₁ + 1/n₂) · N/(N−1))
//	p = 2·(1 − Φ(|z|))
//
// This is statsmodels test_proportions_2indep(k1, n1, k2, n2, method='score',
// compare='diff') (Miettinen & Nurminen 1985, Stat Med 4:213; statsmodels
// 0.13.5 always applies the N/(N−1) correction for compare='diff'), and it is
// the "N−1" chi-squared test, z² = (N−1)/N · Pearson χ², that Campbell (2007,
// Stat Med 26:3661) recommends for 2×2 tables when every expected count is at
// least 1, and that MeasuringU's "N−1 two-proportion test" implements (Sauro &
// Lewis 2016 ch. 5). PropDiffP does not switch to Fisher's exact test for
// smaller expected counts, as Campbell advises. It was chosen over the plain pooled z
// test (statsmodels proportions_ztest, z larger by √(N/(N−1))) for its better
// small-sample type-I error, and over the statsmodels default (Agresti–Caffo
// Wald) because a score test uses the null variance. It is not an inversion of
// NewcombeDiff, so in borderline cases p < α can occur while the Newcombe
// interval just contains 0, or the reverse.
//
// Special cases: when p̄ is 0 or 1 (all failures or all successes in both
// groups) the statistic is 0/0 and PropDiffP returns NaN, where statsmodels
// also gives nan. PropDiffP panics if a group is empty or a count is outside
// [0, n].
func PropDiffP(k1, n1, k2, n2 int) float64 {
	checkCount(k1, n1)
	checkCount(k2, n2)
	f1, f2 := float64(n1), float64(n2)
	nn := f1 + f2
	pooled := float64(k1+k2) / nn
	v := pooled*(1-pooled)/f1 + pooled*(1-pooled)/f2
	v *= nn / (nn - 1)
	if !(v > 0) {
		return math.NaN()
	}
	z := (float64(k1)/f1 - float64(k2)/f2) / math.Sqrt(v)
	return normTwoSidedP(z)
}
