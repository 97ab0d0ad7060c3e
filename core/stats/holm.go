package stats

import (
	"math"
	"slices"
)

// Holm returns Holm's step-down adjusted p-values, in the order of p. With
// the m non-NaN p-values sorted ascending, p₍₁₎ ≤ … ≤ p₍ₘ₎,
//
//	p̃₍ᵢ₎ = min(1, max_{j ≤ i} (m − j + 1)·p₍ⱼ₎)
//
// Holm (1979) Scand J Stat 6:65; statsmodels.stats.multitest.multipletests(p,
// method='holm')[1]. Rejecting where p̃ ≤ α controls the family-wise error
// rate at α under any dependence between the tests.
//
// NaN entries (tests that could not be computed) stay NaN in the output and
// are not counted in m. Ties get equal adjusted values whatever their order.
// The input is not modified; Holm returns a new slice (nil for nil input).
// Values outside [0, 1] are not checked.
func Holm(p []float64) []float64 {
	if p == nil {
		return nil
	}
	out := make([]float64, len(p))
	idx := make([]int, 0, len(p))
	for i, v := range p {
		if math.IsNaN(v) {
			out[i] = math.NaN()
			continue
		}
		idx = append(idx, i)
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	m := len(idx)
	run := 0.0
	for j, i := range idx {
		run = math.Max(run, float64(m-j)*p[i])
		out[i] = math.Min(run, 1)
	}
	return out
}
