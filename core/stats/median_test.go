package stats

import (
	"fmt"
	"math"
	"testing"
)

func TestMedianOracle(t *testing.T) {
	t.Parallel()
	or, _ := refs(t)
	// tickets_main ART/FRT medians overall and per segment (hours): numpy.median,
	// oracle.median_order_stat_ci, scipy.stats.mstats.median_cihs.
	if len(or.Median) < 10 {
		t.Fatalf("only %d oracle median cases", len(or.Median))
	}
	for _, c := range or.Median {
		n := len(c.Sorted)
		name := fmt.Sprintf("n=%d", n)
		checkNear(t, "Median "+name, Median(c.Sorted), c.Value, 0)
		iv, rlo, rhi, cov, ok := MedianOrderStat(c.Sorted, c.Conf)
		if c.CI.Lo == nil {
			if ok {
				t.Errorf("MedianOrderStat %s ok, want undefined", name)
			}
		} else {
			if !ok {
				t.Fatalf("MedianOrderStat %s not ok", name)
			}
			checkInterval(t, "MedianOrderStat "+name, iv, Interval{*c.CI.Lo, *c.CI.Hi}, 0)
			if rlo != c.CI.RankLo || rhi != c.CI.RankHi {
				t.Errorf("ranks %s = %d,%d, want %d,%d", name, rlo, rhi, c.CI.RankLo, c.CI.RankHi)
			}
			checkNear(t, "coverage "+name, cov, c.CI.AchievedCoverage, 1e-12)
		}
		hs, ok := MedianHS(c.Sorted, c.Conf)
		if c.Alt.HS == nil {
			if ok {
				t.Errorf("MedianHS %s ok, want scipy's IndexError", name)
			}
			continue
		}
		if !ok {
			t.Fatalf("MedianHS %s not ok", name)
		}
		checkInterval(t, "MedianHS "+name, hs, Interval{*c.Alt.HS.Lo, *c.Alt.HS.Hi}, 1e-9*math.Max(1, *c.Alt.HS.Hi))
	}
}

func TestMedianScipyGrid(t *testing.T) {
	t.Parallel()
	_, ref := refs(t)
	// n = 1..40, 50, 99..101, 257, 1000 lognormal samples, conf 0.9/0.95/0.99.
	for _, c := range ref.Median.Cases {
		n := len(c.Sorted)
		name := fmt.Sprintf("n=%d conf=%v", n, c.Conf)
		checkNear(t, "Median "+name, Median(c.Sorted), c.Median, 0)
		iv, rlo, rhi, cov, ok := MedianOrderStat(c.Sorted, c.Conf)
		if c.OrderStat == nil {
			if ok {
				t.Errorf("MedianOrderStat %s = %v ok, want undefined", name, iv)
			}
		} else if !ok {
			t.Errorf("MedianOrderStat %s undefined, want %v", name, c.OrderStat)
		} else {
			want := c.OrderStat
			checkInterval(t, "MedianOrderStat "+name, iv, Interval{want[0], want[1]}, 0)
			if rlo != int(want[2]) || rhi != int(want[3]) {
				t.Errorf("ranks %s = %d,%d, want %v,%v", name, rlo, rhi, want[2], want[3])
			}
			checkNear(t, "coverage "+name, cov, want[4], 1e-12)
		}
		hs, ok := MedianHS(c.Sorted, c.Conf)
		if c.HS == nil {
			if ok {
				t.Errorf("MedianHS %s = %v ok, want scipy's IndexError", name, hs)
			}
			continue
		}
		if !ok {
			t.Errorf("MedianHS %s undefined, want %v", name, c.HS)
			continue
		}
		checkInterval(t, "MedianHS "+name, hs, Interval{c.HS[0], c.HS[1]}, 1e-9*math.Max(1, c.HS[1]))
	}
}

func TestMedianHand(t *testing.T) {
	t.Parallel()
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}
	// metrics.md §4.4: n=20 → [x₆, x₁₅], coverage 95.9 %; n=6 → [x₁, x₆], 96.9 %.
	iv, rlo, rhi, cov, ok := MedianOrderStat(x, 0.95)
	if !ok || rlo != 6 || rhi != 15 || iv != (Interval{6, 15}) {
		t.Errorf("n=20: %v ranks %d,%d ok %v, want [6,15]", iv, rlo, rhi, ok)
	}
	checkNear(t, "n=20 coverage", cov, 0.9586105346679688, 1e-15) // 1 − 2·P(Bin(20,½) ≤ 5) = 1 − 2·21700/2²⁰
	iv, rlo, rhi, cov, ok = MedianOrderStat(x[:6], 0.95)
	if !ok || rlo != 1 || rhi != 6 || iv != (Interval{1, 6}) {
		t.Errorf("n=6: %v ranks %d,%d ok %v", iv, rlo, rhi, ok)
	}
	checkNear(t, "n=6 coverage", cov, 1-2.0/64, 1e-15)
	if _, _, _, _, ok := MedianOrderStat(x[:5], 0.95); ok {
		t.Error("n=5 should be undefined at 95 %")
	}
	// numpy.median: mean of the middle pair for even n.
	checkNear(t, "Median even", Median([]float64{1, 2, 4, 10}), 3, 0)
	checkNear(t, "Median odd", Median([]float64{1, 2, 4}), 2, 0)
	if !math.IsNaN(Median(nil)) {
		t.Error("Median(nil) should be NaN")
	}
	if _, ok := MedianHS(nil, 0.95); ok {
		t.Error("MedianHS(nil) should not be ok")
	}
}

func TestBinomHalfPPF(t *testing.T) {
	t.Parallel()
	_, ref := refs(t)
	// int(scipy.stats.binom._ppf(q, n, 0.5)), n = 1..3000 (boost): the rank
	// median_cihs starts from.
	for _, c := range ref.BinomPPF.Cases {
		for i, want := range c.K {
			n := i + 1
			if got := binomHalfPPF(c.Q, n); got != want {
				t.Errorf("binomHalfPPF(%v, %d) = %d, want %d", c.Q, n, got, want)
			}
		}
	}
}

func TestPanicsUnsorted(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("Median of unsorted data did not panic")
		}
	}()
	Median([]float64{3, 1, 2})
}
