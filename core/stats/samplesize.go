package stats

import "math"

// SampleSizeProportion returns the number of responses needed for a
// proportion interval of half-width margin (0..1 scale) when the true
// proportion is about p, from the normal-approximation margin of error:
//
//	n = ⌈z²·p(1 − p)/m²⌉,  z = Z(conf)
//
// Cochran (1977) Sampling Techniques §4.4; Sauro & Lewis (2016) Quantifying
// the User Experience ch. 6; MeasuringU's sample-size calculators. p = 0.5 is
// the worst case (n = 385 for m = 0.05 at 95 %).
//
// Why this form: MeasuringU's adjusted-Wald version subtracts z² (n = z²p̃(1 −
// p̃)/m² − z², about 4 fewer at 95 %). For p = ½ that smaller n is exactly what
// the Wilson interval, cxaudit's primary method, needs (its half-width at p̂ = ½
// is z/(2√(n + z²))), so the plain form is conservative by z² there; for p
// between 0.15 and 0.85 the Wilson half-width at p̂ = p is below the Wald one
// at any n, so the plain form is again sufficient; for more extreme p it can
// fall a little short (p = 0.95, m = 0.05: n = 73 gives a Wilson half-width of
// 0.054). The planner keeps the classical, documented formula, which the CLI
// labels "normal-approximation margin z·√(p(1−p)/n)".
//
// Special cases: the result is at least 1 (p = 0 or 1 gives 1). A relative
// slack of 1e-12 keeps rounding noise from adding one (an exact integer
// z²p(1−p)/m² is not rounded up). It panics unless margin > 0, 0 ≤ p ≤ 1 and
// conf is in (0, 1).
func SampleSizeProportion(margin, p, conf float64) int {
	if !(margin > 0) || !(p >= 0 && p <= 1) {
		panic("stats: sample size needs margin > 0 and p in [0, 1]")
	}
	z := Z(conf)
	return ceilAtLeast1(z * z * p * (1 - p) / (margin * margin))
}

// SampleSizeNPS returns the number of responses needed for the adjusted-Wald
// NPS interval (NPSAdjustedWald) to have half-width margin on the −1..1 scale
// (0.05 = 5 NPS points), given the expected promoter and detractor shares:
//
//	Var = p + d − (p − d)²
//	n′  = z²·Var/m²,   n = ⌈n′ − 3⌉
//
// The half-width of the adjusted-Wald interval is z·√(Var/n′) with n′ = n + 3,
// so n′ responses-plus-pseudo-observations are needed, 3 of which are the
// pseudo-observations. Rocks (2016) Am Stat 70:365 (Var, adjusted Wald); Lewis
// & Sauro, MeasuringU 2021 "Confidence Intervals for Net Promoter Scores" and
// its NPS sample-size article. The worst case p = d = ½ (Var = 1) needs 1534
// responses for ±5 points at 95 %.
//
// Var is evaluated at the expected shares, not at the pseudo-count-adjusted
// ones; the difference is O(1/n). The result is at least 1, with the same 1e-12
// slack as SampleSizeProportion. It panics unless margin > 0, p, d ≥ 0,
// p + d ≤ 1 and conf is in (0, 1).
func SampleSizeNPS(margin, promoters, detractors float64, conf float64) int {
	p, d := promoters, detractors
	if !(margin > 0) || !(p >= 0 && d >= 0 && p+d <= 1+1e-12) {
		panic("stats: NPS sample size needs margin > 0, shares ≥ 0 summing to at most 1")
	}
	z := Z(conf)
	v := p + d - (p-d)*(p-d)
	return ceilAtLeast1(z*z*v/(margin*margin) - 3)
}

func ceilAtLeast1(x float64) int {
	n := math.Ceil(x - 1e-12*math.Abs(x))
	if n < 1 {
		return 1
	}
	return int(n)
}
