package stats_test

import (
	"fmt"

	"github.com/cxaudit/cxaudit/core/stats"
)

// CSAT top-2-box: 2 of 3 respondents satisfied (survey_n3 of the oracle cases).
func ExampleWilson() {
	iv := stats.Wilson(2, 3, 0.95)
	fmt.Printf("CSAT 66.7 %%, 95 %% CI [%.2f, %.2f] %%\n", 100*iv.Lo, 100*iv.Hi)
	// Output: CSAT 66.7 %, 95 % CI [20.77, 93.85] %
}

// 45 promoters, 35 passives, 20 detractors: NPS +25 (metrics.md §4.1).
func ExampleNPSAdjustedWald() {
	r := stats.NPSAdjustedWald(45, 35, 20, 0.95)
	fmt.Printf("n′ = %.0f, centre %.2f, CI [%.2f, %.2f]\n", r.NAdj, 100*r.Center, 100*max(r.Lo, -1), 100*min(r.Hi, 1))
	tg := stats.NPSTango(45, 20, 100, 0.95)
	fmt.Printf("Tango score CI [%.2f, %.2f]\n", 100*tg.Lo, 100*tg.Hi)
	// Output:
	// n′ = 103, centre 24.27, CI [9.48, 39.06]
	// Tango score CI [9.41, 39.26]
}

// 176 tickets opened in a month.
func ExampleGarwood() {
	iv := stats.Garwood(176, 0.95)
	fmt.Printf("[%.2f, %.2f]\n", iv.Lo, iv.Hi)
	// Output: [150.96, 204.01]
}

func ExampleMedianOrderStat() {
	hours := []float64{0.5, 1, 1.5, 2, 3, 4, 5, 6, 8, 9, 12, 15, 20, 24, 30, 36, 48, 60, 72, 96}
	iv, lo, hi, cov, ok := stats.MedianOrderStat(hours, 0.95)
	fmt.Println(stats.Median(hours), iv, lo, hi, ok)
	fmt.Printf("achieved coverage %.4f\n", cov)
	// Output:
	// 10.5 {4 30} 6 15 true
	// achieved coverage 0.9586
}

// Ratings 1..5 kept as a histogram: the bootstrap costs O(B·k), whatever n.
// (scipy.stats.bootstrap on the 1000 raw ratings, random_state=20240501,
// gives [3.965, 4.09]; the draws differ, the distribution does not.)
func ExampleBootstrapMeanBCaHist() {
	v := []float64{1, 2, 3, 4, 5}
	c := []int64{30, 50, 150, 400, 370}
	iv, ok := stats.BootstrapMeanBCaHist(v, c, 9999, 20240501, 0.95)
	fmt.Printf("mean 4.03, BCa [%.2f, %.2f] %v\n", iv.Lo, iv.Hi, ok)
	_, ok = stats.BootstrapMeanBCaHist([]float64{5}, []int64{12}, 9999, 1, 0.95)
	fmt.Println("constant data:", ok)
	// Output:
	// mean 4.03, BCa [3.97, 4.09] true
	// constant data: false
}

func ExampleHolm() {
	fmt.Println(stats.Holm([]float64{0.01, 0.04, 0.03, 0.005}))
	// Output: [0.03 0.06 0.06 0.02]
}
