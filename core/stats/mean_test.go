package stats

import (
	"fmt"
	"math"
	"testing"
)

// tTol is the tolerance for a t-based bound ±t·se: scipy's t.ppf is good to
// ~1e-8 relative (TCrit's doc), so allow 2e-8 of the half-width.
func tTol(halfWidth float64) float64 { return 1e-10 + 2e-8*math.Abs(halfWidth) }

func TestTMean(t *testing.T) {
	t.Parallel()
	or, ref := refs(t)
	// survey_n3.expected.json csat_mean: n=3, mean 11/3, sd 1.5275252316519465 →
	// unclipped [-0.12791636707279785, 7.461249700406131], se 0.8819171036881969.
	iv, tc, se := TMean(3, 11.0/3, 1.5275252316519465, 0.95)
	checkInterval(t, "survey_n3 csat_mean", iv, Interval{-0.12791636707279785, 7.461249700406131}, 1e-8)
	checkNear(t, "t_crit", tc, 4.302652729911275, 1e-9)
	checkNear(t, "se", se, 0.8819171036881969, 1e-15)

	// Every mean block of the oracle cases (scale points, hours, replies).
	for _, c := range or.Mean {
		iv, tc, se := TMean(c.N, c.Mean, c.SD, c.Conf)
		name := fmt.Sprintf("n=%d mean=%v", c.N, c.Mean)
		checkNear(t, "t_crit "+name, tc, c.T.TCrit, 2e-8*c.T.TCrit)
		checkNear(t, "se "+name, se, c.T.SE, 1e-12*math.Max(1, c.T.SE))
		checkInterval(t, name, iv, Interval{c.T.UnclippedLo, c.T.UnclippedHi}, tTol(tc*se))
	}
	// statsmodels DescrStatsW(a).tconfint_mean(alpha=1-conf) on synthetic data.
	for _, c := range ref.TMean.Cases {
		iv, tc, se := TMean(c.N, c.Mean, c.SD, c.Conf)
		checkInterval(t, fmt.Sprintf("synthetic n=%d conf=%v", c.N, c.Conf), iv, Interval{c.CI[0], c.CI[1]}, tTol(tc*se))
	}
	// Special cases: sd = 0 gives zero width, n < 2 gives NaN.
	if iv, _, _ := TMean(12, 5, 0, 0.95); iv.Lo != 5 || iv.Hi != 5 {
		t.Errorf("TMean with sd 0 = %v, want [5, 5]", iv)
	}
	if iv, tc, se := TMean(1, 5, math.NaN(), 0.95); !math.IsNaN(iv.Lo) || !math.IsNaN(iv.Hi) || !math.IsNaN(tc) || !math.IsNaN(se) {
		t.Errorf("TMean n=1 = %v %v %v, want NaN", iv, tc, se)
	}
}

func TestWelchDiff(t *testing.T) {
	t.Parallel()
	or, ref := refs(t)
	// Oracle comparisons: statsmodels CompareMeans.tconfint_diff(usevar='unequal');
	// a null CI (both variances 0) must come out NaN.
	for _, c := range or.MeanDiff {
		iv, df, _ := WelchDiff(c.NA, c.MeanA, c.VarA, c.NB, c.MeanB, c.VarB, c.Conf)
		name := fmt.Sprintf("oracle %d/%v/%v vs %d/%v/%v", c.NA, c.MeanA, c.VarA, c.NB, c.MeanB, c.VarB)
		if c.CI.Lo == nil {
			if !math.IsNaN(iv.Lo) || !math.IsNaN(df) {
				t.Errorf("%s = %v df %v, want NaN", name, iv, df)
			}
			continue
		}
		half := (iv.Hi - iv.Lo) / 2
		checkInterval(t, name, iv, Interval{*c.CI.Lo, *c.CI.Hi}, tTol(half))
	}
	// Synthetic: tconfint_diff and ttest_ind(usevar='unequal') → (t, p, df).
	for _, c := range ref.Welch.Cases {
		iv, df, p := WelchDiff(c.NA, c.MeanA, c.VarA, c.NB, c.MeanB, c.VarB, c.Conf)
		name := fmt.Sprintf("synthetic %d vs %d conf %v", c.NA, c.NB, c.Conf)
		checkNear(t, "df "+name, df, c.DF, 1e-12*c.DF)
		checkNear(t, "p "+name, p, c.P, 1e-12+1e-10*c.P)
		checkInterval(t, name, iv, Interval{c.CI[0], c.CI[1]}, tTol((iv.Hi-iv.Lo)/2))
	}
	if iv, df, p := WelchDiff(1, 3, 0, 5, 2, 1, 0.95); !math.IsNaN(iv.Lo) || !math.IsNaN(df) || !math.IsNaN(p) {
		t.Errorf("WelchDiff with n=1 = %v %v %v, want NaN", iv, df, p)
	}
}

func TestGarwood(t *testing.T) {
	t.Parallel()
	or, ref := refs(t)
	tests := []struct {
		k      int64
		lo, hi float64
		src    string
	}{
		// metrics.md §4.5 and the brief (scipy.stats.chi2.ppf).
		{1, 0.025317807984289897, 5.571643390938898, "chi2.ppf(0.025,2)/2, chi2.ppf(0.975,4)/2"},
		{176, 150.95785199113416, 204.00948148383256, "chi2.ppf(0.025,352)/2, chi2.ppf(0.975,354)/2"},
		{0, 0, 3.6888794541139363, "0, chi2.ppf(0.975,2)/2 = −ln(0.025)"},
	}
	for _, tc := range tests {
		checkInterval(t, fmt.Sprintf("Garwood(%d) %s", tc.k, tc.src), Garwood(tc.k, 0.95), Interval{tc.lo, tc.hi}, 1e-12*math.Max(1, tc.hi))
	}
	// Oracle volumes and MAU (tickets_main, events_main).
	for _, c := range or.Garwood {
		checkInterval(t, fmt.Sprintf("oracle Garwood(%d)", c.K), Garwood(c.K, c.Conf), Interval{c.CI.Lo, c.CI.Hi}, 1e-12*math.Max(1, c.CI.Hi))
	}
	// k from 0 to 10⁷, conf 0.8..0.99.
	for _, c := range ref.Garwood.Cases {
		k := int64(c[0])
		checkInterval(t, fmt.Sprintf("Garwood(%d, %v)", k, c[1]), Garwood(k, c[1]), Interval{c[2], c[3]}, 1e-13*math.Max(1, c[3]))
	}
}
