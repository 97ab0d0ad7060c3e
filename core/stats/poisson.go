package stats

import "gonum.org/v1/gonum/mathext"

// Garwood returns Garwood's exact central confidence interval for the mean
// of a Poisson count k:
//
//	Lo = χ²(α/2; 2k)/2 = Γ⁻¹(α/2; k)        (0 when k = 0)
//	Hi = χ²(1−α/2; 2k+2)/2 = Γ⁻¹(1−α/2; k+1)
//
// where χ²(q; ν) is the chi-squared quantile and Γ⁻¹(q; a) the inverse of the
// regularized lower incomplete gamma function (gonum mathext.GammaIncRegInv).
// Garwood (1936) Biometrika 28:437; Porter (2025) arXiv:2509.02852; oracle.py
// poisson_count, scipy.stats.chi2.ppf(alpha/2, 2k)/2 and
// chi2.ppf(1-alpha/2, 2k+2)/2 (statsmodels 0.13 has no one-sample Poisson
// interval).
//
// The interval is central, α/2 in each tail, also at k = 0: Garwood(0, 0.95)
// is [0, 3.689], not the one-sided 2.996 some tools report (metrics.md §6.7).
// Its coverage is at least conf for every mean. Garwood panics if k < 0 or
// conf is not in (0, 1).
func Garwood(k int64, conf float64) Interval {
	checkConf(conf)
	if k < 0 {
		panic("stats: negative count")
	}
	alpha := 1 - conf
	fk := float64(k)
	iv := Interval{0, mathext.GammaIncRegInv(fk+1, 1-alpha/2)}
	if k > 0 {
		iv.Lo = mathext.GammaIncRegInv(fk, alpha/2)
	}
	return iv
}
