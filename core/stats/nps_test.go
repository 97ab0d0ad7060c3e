package stats

import (
	"fmt"
	"math"
	"testing"
)

func TestNPSHand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		P, Pa, D         int
		adjLo, adjHi     float64 // unclipped adjusted Wald, NPS points
		tangoLo, tangoHi float64
		src              string
	}{
		// survey_n3.expected.json overall nps (1,1,1).
		{1, 1, 1, -61.11261433804317, 61.11261433804317, -69.24047419873769, 69.24047419873769, "survey_n3"},
		// metrics.md §4.1 worked check (selftest): P=45, passives=35, D=20 → [9.48, 39.06].
		{45, 35, 20, 9.48, 39.06, math.NaN(), math.NaN(), "metrics.md §4.1 (2 decimals)"},
	}
	for _, tc := range tests {
		r := NPSAdjustedWald(tc.P, tc.Pa, tc.D, 0.95)
		tol := 1e-7
		if tc.src != "survey_n3" {
			tol = 0.005
		}
		checkInterval(t, fmt.Sprintf("NPSAdjustedWald%v %s", [3]int{tc.P, tc.Pa, tc.D}, tc.src),
			Interval{100 * r.Lo, 100 * r.Hi}, Interval{tc.adjLo, tc.adjHi}, tol)
		if !math.IsNaN(tc.tangoLo) {
			iv := NPSTango(tc.P, tc.D, tc.P+tc.Pa+tc.D, 0.95)
			checkInterval(t, "NPSTango "+tc.src, Interval{100 * iv.Lo, 100 * iv.Hi}, Interval{tc.tangoLo, tc.tangoHi}, 1e-7)
		}
	}
	// metrics.md §4.1: n′=103, p′=0.44417, d′=0.20146, c=0.24272. Its "SE=0.07549"
	// is a slip: √(Var/n′) = 0.0754738 with Var = 0.586719, and only
	// 0.07547 reproduces its own interval [9.48, 39.06] (0.07549 gives 39.07).
	r := NPSAdjustedWald(45, 35, 20, 0.95)
	checkNear(t, "NAdj", r.NAdj, 103, 0)
	checkNear(t, "Center", r.Center, 0.24272, 5e-6)
	checkNear(t, "p′", (45+0.75)/r.NAdj, 0.44417, 5e-6)
	checkNear(t, "d′", (20+0.75)/r.NAdj, 0.20146, 5e-6)
	checkNear(t, "SE", r.SE, 0.0754738316149627, 1e-15)
	// metrics.md §6.1: n=1 promoter → adjusted Wald [−48.5, 98.5], Tango [−58.7, 100];
	// n=12 all promoters → [54.2, 100] after clipping.
	r = NPSAdjustedWald(1, 0, 0, 0.95)
	checkInterval(t, "n=1 promoter", Interval{100 * r.Lo, 100 * r.Hi}, Interval{-48.5, 98.5}, 0.05)
	iv := NPSTango(1, 0, 1, 0.95)
	checkInterval(t, "n=1 promoter Tango", Interval{100 * iv.Lo, 100 * iv.Hi}, Interval{-58.7, 100}, 0.05)
	r = NPSAdjustedWald(12, 0, 0, 0.95)
	checkNear(t, "n=12 promoters Lo", 100*r.Lo, 54.2, 0.05)
	if !(r.Hi > 1) {
		t.Errorf("n=12 promoters unclipped Hi = %v, want > 1 (unclipped)", r.Hi)
	}
}

func TestNPSOracle(t *testing.T) {
	t.Parallel()
	or, _ := refs(t)
	// Every NPS block of ../shared/oracle/cases/*.expected.json (NPS points).
	for _, c := range or.NPS {
		name := fmt.Sprintf("%v", [3]int{c.P, c.Pa, c.D})
		r := NPSAdjustedWald(c.P, c.Pa, c.D, c.Conf)
		checkNear(t, "center"+name, 100*r.Center, c.CI.Center, 1e-7)
		checkNear(t, "se"+name, 100*r.SE, c.CI.SE, 1e-7)
		checkNear(t, "n_adj"+name, r.NAdj, c.CI.NAdj, 0)
		checkInterval(t, "adjusted"+name, Interval{100 * r.Lo, 100 * r.Hi}, Interval{c.CI.UnclippedLo, c.CI.UnclippedHi}, 1e-7)
		checkInterval(t, "adjusted clipped"+name, Interval{100 * math.Max(r.Lo, -1), 100 * math.Min(r.Hi, 1)}, Interval{c.CI.Lo, c.CI.Hi}, 1e-7)

		w, se := NPSWald(c.P, c.Pa, c.D, c.Conf)
		checkInterval(t, "wald"+name, Interval{100 * w.Lo, 100 * w.Hi}, Interval{*c.Alt["wald"].Lo, *c.Alt["wald"].Hi}, 1e-7)
		checkNear(t, "wald se"+name, 100*se, *c.Alt["wald"].SE, 1e-7)

		n := c.P + c.Pa + c.D
		tg := NPSTango(c.P, c.D, n, c.Conf)
		checkInterval(t, "tango"+name, Interval{100 * tg.Lo, 100 * tg.Hi}, Interval{*c.Alt["tango_score"].Lo, *c.Alt["tango_score"].Hi}, 1e-7)

		// Trinomial t (oracle: DescrStatsW(scores).tconfint_mean, clipped to ±100).
		if want, ok := c.Alt["trinomial_t"]; ok {
			iv, tc, se := TMean(n, *c.ScoresMean, *c.ScoresSD, c.Conf)
			got := Interval{100 * math.Max(iv.Lo, -1), 100 * math.Min(iv.Hi, 1)}
			checkInterval(t, "trinomial t"+name, got, Interval{*want.Lo, *want.Hi}, 100*tTol(tc*se))
		}
	}
}

func TestNPSScipyGrid(t *testing.T) {
	t.Parallel()
	_, ref := refs(t)
	// oracle.nps_tango / oracle.nps_adjusted at conf 0.9, 0.95, 0.99 (−1..1).
	for _, c := range ref.NPS.Cases {
		name := fmt.Sprintf("(P=%d,D=%d,n=%d,%v)", c.P, c.D, c.N, c.Conf)
		checkInterval(t, "NPSTango"+name, NPSTango(c.P, c.D, c.N, c.Conf), Interval{c.Tango[0], c.Tango[1]}, tolAnalytic)
		r := NPSAdjustedWald(c.P, c.N-c.P-c.D, c.D, c.Conf)
		checkInterval(t, "NPSAdjustedWald"+name, Interval{r.Lo, r.Hi}, Interval{c.Adj.Lo, c.Adj.Hi}, tolAnalytic)
		checkNear(t, "Var"+name, r.Var, c.Adj.Var, tolAnalytic)
	}
}

func TestNPSDiffOracle(t *testing.T) {
	t.Parallel()
	or, _ := refs(t)
	// Comparisons of survey_main, survey_edge_groups, qualtrics (NPS points).
	if len(or.NPSDiff) == 0 {
		t.Fatal("no nps_diff cases")
	}
	for _, c := range or.NPSDiff {
		name := fmt.Sprintf("%v vs %v", c.A, c.B)
		center, se, iv, p := NPSAdjustedWaldDiff(c.A, c.B, c.Conf)
		checkNear(t, "center "+name, 100*center, c.Out.CI.Center, 1e-7)
		checkNear(t, "se "+name, 100*se, c.Out.CI.SE, 1e-7)
		checkInterval(t, "iv "+name, Interval{100 * iv.Lo, 100 * iv.Hi}, Interval{c.Out.CI.Lo, c.Out.CI.Hi}, 1e-7)
		checkNear(t, "p "+name, p, deref(c.Out.P), 1e-12)
	}
}
