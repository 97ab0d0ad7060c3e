package stats

import "math"

// NPSAdjusted is the adjusted-Wald NPS interval with its ingredients, on the
// −1..1 scale. Lo and Hi are NOT clipped to [−1, 1]; callers clip (the
// oracle reports both).
type NPSAdjusted struct {
	Center float64 // c = p′ − d′, the adjusted NPS the interval is centred on
	SE     float64 // √(Var/n′)
	Var    float64 // per-respondent variance p′ + d′ − c²
	NAdj   float64 // n′ = n + 3
	Lo, Hi float64 // c ∓ z·SE, unclipped
}

// NPSAdjustedWald returns the adjusted-Wald interval for the Net Promoter
// Score from P promoters, Pa passives and D detractors (n = P + Pa + D), with
// 3 pseudo-observations (¾ promoter, 1½ passive, ¾ detractor):
//
//	n′ = n + 3,  p′ = (P + ¾)/n′,  d′ = (D + ¾)/n′
//	c = p′ − d′,  Var = p′ + d′ − c²,  SE = √(Var/n′)
//	[c − z·SE, c + z·SE]
//
// Rocks (2016) Am Stat 70:365 (R package NPS, nps_test(test="adjusted.wald",
// pseudo_observations=c(0.75, 1.5, 0.75))); Lewis & Sauro, MeasuringU 2021;
// oracle.py nps_adjusted (no library has it). metrics.md §2 makes it the
// primary NPS interval.
//
// The interval is centred on the adjusted score c, not on the observed
// (P − D)/n, so for tiny n the observed NPS can lie outside it (n = 1
// promoter: [−0.485, 0.985]; metrics.md §6.1). Var > 0 always, so the
// interval never has zero width. NPSAdjustedWald panics if a count is
// negative, n = 0 or conf is not in (0, 1).
func NPSAdjustedWald(P, Pa, D int, conf float64) NPSAdjusted {
	checkNPS(P, Pa, D)
	z := Z(conf)
	na := float64(P+Pa+D) + 3
	p := (float64(P) + 0.75) / na
	d := (float64(D) + 0.75) / na
	c := p - d
	v := p + d - c*c
	se := math.Sqrt(v / na)
	return NPSAdjusted{Center: c, SE: se, Var: v, NAdj: na, Lo: c - z*se, Hi: c + z*se}
}

// NPSWald returns the plain Wald interval for the NPS, the mean of the
// −1/0/+1 scores with the trinomial variance:
//
//	p = P/n,  d = D/n,  Var = p + d − (p − d)²,  se = √(Var/n)
//	(p − d) ± z·se, clipped to [−1, 1]
//
// Rocks (2016) eq. for Var (R NPS::npvar); oracle.py ci_alternatives "wald".
// Reported to show its failure: it has zero width when every respondent is a
// promoter, every one a detractor or every one a passive, and under-covers
// badly for high NPS at small n (metrics.md §7). NPSWald panics if a count is
// negative, n = 0 or conf is not in (0, 1).
func NPSWald(P, Pa, D int, conf float64) (iv Interval, se float64) {
	checkNPS(P, Pa, D)
	z := Z(conf)
	n := float64(P + Pa + D)
	p, d := float64(P)/n, float64(D)/n
	se = math.Sqrt(math.Max(p+d-(p-d)*(p-d), 0) / n)
	nps := p - d
	return Interval{math.Max(nps-z*se, -1), math.Min(nps+z*se, 1)}, se
}

// NPSTango returns the score ("iterative") interval for NPS = p_pro − p_det,
// the set of Δ whose score statistic lies within ±z:
//
//	T(Δ) = (P − D − nΔ) / √(n(2q(Δ) + Δ(1 − Δ)))
//	q(Δ) = (−B + √(B² − 8nC)) / (4n)      (restricted MLE of the detractor share)
//	B = −D − P + (2n − P + D)Δ,  C = −DΔ(1 − Δ)
//	CI = {Δ : −z ≤ T(Δ) ≤ z}
//
// Tango (1998) Stat Med 17:891 (score interval for a paired difference of
// proportions, here the promoter and detractor shares of one multinomial);
// Rocks (2016), whose "iterative score" method it is; oracle.py nps_tango.
// T decreases in Δ, and each bound is found by 100 bisection steps on [−1,
// NPS] and [NPS, 1], exactly as the oracle does, so results agree to ~1e-15.
//
// Special cases: all detractors (D = n) give Lo = −1, all promoters (P = n)
// give Hi = 1. Unlike the adjusted Wald interval it always contains the
// observed NPS. NPSTango panics if n ≤ 0, P or D is negative, P + D > n or
// conf is not in (0, 1).
func NPSTango(P, D, n int, conf float64) Interval {
	if n <= 0 || P < 0 || D < 0 || P+D > n {
		panic("stats: NPS counts need n > 0, P, D ≥ 0 and P + D ≤ n")
	}
	z := Z(conf)
	fP, fD, fn := float64(P), float64(D), float64(n)
	nps := (fP - fD) / fn
	T := func(d float64) float64 {
		B := -fD - fP + (2*fn-fP+fD)*d
		C := -fD * d * (1 - d)
		q := (-B + math.Sqrt(math.Max(B*B-8*fn*C, 0))) / (4 * fn)
		v := math.Max(2*q+d*(1-d), 1e-300)
		return (fP - fD - fn*d) / math.Sqrt(fn*v)
	}
	const iters = 100
	a, b := -1.0, nps // lower bound: T(lo) = +z
	for range iters {
		m := (a + b) / 2
		if T(m) > z {
			a = m
		} else {
			b = m
		}
	}
	lo := (a + b) / 2
	if D == n {
		lo = -1
	}
	a, b = nps, 1.0 // upper bound: T(hi) = −z
	for range iters {
		m := (a + b) / 2
		if T(m) < -z {
			b = m
		} else {
			a = m
		}
	}
	hi := (a + b) / 2
	if P == n {
		hi = 1
	}
	return Interval{lo, hi}
}

// NPSAdjustedWaldDiff compares two NPS, a and b, each given as counts
// {promoters, passives, detractors}, with the adjusted-Wald difference:
//
//	(c_a, Var_a, n′_a), (c_b, Var_b, n′_b) as in NPSAdjustedWald
//	center = c_a − c_b,  se = √(Var_a/n′_a + Var_b/n′_b)
//	iv = center ± z·se, clipped to [−2, 2]
//	p  = 2·(1 − Φ(|center/se|))
//
// MeasuringU 2021 "How to Statistically Compare Two Net Promoter Scores" and
// "Evaluating NPS Significance Tests"; the same construction as Rocks' R
// package, but with the signed difference rather than Rocks' |NPS₁ − NPS₂|
// (metrics.md §6.2); oracle.py nps_diff. The interval is centred on the
// difference of the adjusted scores, not of the observed ones.
//
// p is NaN if se = 0, which cannot happen with the pseudo-observations.
// NPSAdjustedWaldDiff panics if a group has a negative count or n = 0, or if
// conf is not in (0, 1).
func NPSAdjustedWaldDiff(a, b [3]int, conf float64) (center, se float64, iv Interval, p float64) {
	ra := NPSAdjustedWald(a[0], a[1], a[2], conf)
	rb := NPSAdjustedWald(b[0], b[1], b[2], conf)
	z := Z(conf)
	se = math.Sqrt(ra.Var/ra.NAdj + rb.Var/rb.NAdj)
	center = ra.Center - rb.Center
	iv = Interval{math.Max(center-z*se, -2), math.Min(center+z*se, 2)}
	p = math.NaN()
	if se > 0 {
		p = normTwoSidedP(center / se)
	}
	return center, se, iv, p
}

func checkNPS(P, Pa, D int) {
	if P < 0 || Pa < 0 || D < 0 {
		panic("stats: negative NPS count")
	}
	if P+Pa+D == 0 {
		panic("stats: NPS of zero respondents")
	}
}
