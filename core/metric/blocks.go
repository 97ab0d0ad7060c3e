// Package metric holds one accumulator per dataset kind (survey, tickets,
// customers, events). An accumulator takes batches of rows (Add), combines
// with another accumulator over other rows (Merge) and renders its part of
// the result document (Result). The state of every accumulator is exactly
// mergeable, so chunked streaming and several workers give the same result
// as one pass.
//
// The statistics themselves live in core/stats; this package applies the
// input rules of metrics.md §1 and shapes the numbers into the objects of
// result-schema.md, field for field as the oracle (../shared/oracle) does.
package metric

import (
	"fmt"
	"math"
	"sort"

	"github.com/cxaudit/cxaudit/core/cell"
	"github.com/cxaudit/cxaudit/core/report"
	"github.com/cxaudit/cxaudit/core/stats"
)

// Object is a JSON object of the result document.
type Object = report.Object

// boot configures bootstrap intervals; a nil *boot means "no bootstrap".
type boot struct {
	B    int
	Seed uint64
}

// bootMinN is the smallest sample a bootstrap interval is computed for
// (metrics.md §4.3, spec decision: resampling fewer values is meaningless).
const bootMinN = 10

// reasons counts excluded cells by cell.Reason.
type reasons [cell.NumReasons]int64

func (r *reasons) add(o *reasons) {
	for i := range r {
		r[i] += o[i]
	}
}

// object renders the non-zero counts as {reason: count}.
func (r *reasons) object() Object {
	out := Object{}
	for i, c := range r {
		if i != int(cell.OK) && c != 0 {
			out[cell.Reason(i).String()] = c
		}
	}
	return out
}

// pct scales an interval on 0..1 to percent.
func pctCI(iv stats.Interval) Object {
	return Object{"lo": 100 * clip01(iv.Lo), "hi": 100 * clip01(iv.Hi)}
}

func clip01(x float64) float64 { return math.Min(math.Max(x, 0), 1) }

// proportionBlock is a binomial proportion k/n in percent with its Wilson
// interval and the alternatives the oracle reports (Agresti–Coull,
// Jeffreys, Clopper–Pearson, Wald), each clipped to [0, 100].
func proportionBlock(k, n int64, conf float64) Object {
	if n == 0 {
		return Object{"k": int64(0), "n": int64(0), "value": nil, "ci": nil, "note": "no valid observations"}
	}
	ki, ni := int(k), int(n)
	ci := pctCI(stats.Wilson(ki, ni, conf))
	ci["method"] = "wilson"
	return Object{
		"k": k, "n": n, "value": 100 * float64(k) / float64(n),
		"ci": ci,
		"ci_alternatives": Object{
			"agresti_coull":   pctCI(stats.AgrestiCoull(ki, ni, conf)),
			"jeffreys":        pctCI(stats.Jeffreys(ki, ni, conf)),
			"clopper_pearson": pctCI(stats.ClopperPearson(ki, ni, conf)),
			"wald":            pctCI(stats.Wald(ki, ni, conf)),
		},
	}
}

// merge copies the keys of src into dst and returns dst.
func merge(dst, src Object) Object {
	for k, v := range src {
		dst[k] = v
	}
	return dst
}

// hist is a histogram of integer values: count[v-lo]. Rating scales and
// reply counts are small integers, so a histogram holds everything the
// mean, its t and bootstrap intervals, NPS and top-box shares need, in
// memory independent of the number of rows.
type hist struct {
	lo    int64
	count []int64
	extra map[int64]int64 // values outside [lo, lo+len(count)) (reply counts)
}

func newHist(lo, hi int64) hist { return hist{lo: lo, count: make([]int64, hi-lo+1)} }

func (h *hist) add(v int64) {
	if i := v - h.lo; i >= 0 && i < int64(len(h.count)) {
		h.count[i]++
		return
	}
	if h.extra == nil {
		h.extra = map[int64]int64{}
	}
	h.extra[v]++
}

func (h *hist) merge(o *hist) {
	for i, c := range o.count {
		h.count[i] += c
	}
	for v, c := range o.extra {
		if h.extra == nil {
			h.extra = map[int64]int64{}
		}
		h.extra[v] += c
	}
}

// values returns the distinct values in increasing order with their counts.
func (h *hist) values() ([]float64, []int64) {
	type vc struct{ v, c int64 }
	var all []vc
	for i, c := range h.count {
		if c > 0 {
			all = append(all, vc{h.lo + int64(i), c})
		}
	}
	for v, c := range h.extra {
		all = append(all, vc{v, c})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v < all[j].v })
	vs := make([]float64, len(all))
	cs := make([]int64, len(all))
	for i, e := range all {
		vs[i], cs[i] = float64(e.v), e.c
	}
	return vs, cs
}

// total returns the number of values.
func (h *hist) total() int64 {
	var n int64
	for _, c := range h.count {
		n += c
	}
	for _, c := range h.extra {
		n += c
	}
	return n
}

// countRange returns how many values lie in [a, b].
func (h *hist) countRange(a, b int64) int64 {
	var k int64
	vs, cs := h.values()
	for i, v := range vs {
		if int64(v) >= a && int64(v) <= b {
			k += cs[i]
		}
	}
	return k
}

// moments returns n, the sum, the mean and the sample standard deviation
// (n−1 denominator) of a histogram; the sum of integers is exact.
func moments(vs []float64, cs []int64) (n int64, sum, mean, sd float64) {
	var isum int64
	for i, v := range vs {
		n += cs[i]
		isum += int64(v) * cs[i]
	}
	if n == 0 {
		return 0, 0, math.NaN(), math.NaN()
	}
	sum = float64(isum)
	mean = sum / float64(n)
	if n < 2 {
		return n, sum, mean, math.NaN()
	}
	var ss float64
	for i, v := range vs {
		d := v - mean
		ss += float64(cs[i]) * d * d
	}
	return n, sum, mean, math.Sqrt(ss / float64(n-1))
}

// rawMoments is moments for raw values (Neumaier-compensated sums).
func rawMoments(x []float64) (n int64, sum, mean, sd float64) {
	n = int64(len(x))
	if n == 0 {
		return 0, 0, math.NaN(), math.NaN()
	}
	sum = kahanSum(x, 0)
	mean = sum / float64(n)
	if n < 2 {
		return n, sum, mean, math.NaN()
	}
	var ss, c float64
	for _, v := range x {
		d := (v - mean) * (v - mean)
		t := ss + d
		if math.Abs(ss) >= math.Abs(d) {
			c += (ss - t) + d
		} else {
			c += (d - t) + ss
		}
		ss = t
	}
	return n, sum, mean, math.Sqrt((ss + c) / float64(n-1))
}

// kahanSum returns Σ(x − shift) with Neumaier's compensated summation.
func kahanSum(x []float64, shift float64) float64 {
	var s, c float64
	for _, v := range x {
		v -= shift
		t := s + v
		if math.Abs(s) >= math.Abs(v) {
			c += (s - t) + v
		} else {
			c += (v - t) + s
		}
		s = t
	}
	return s + c
}

// meanSample is what a mean block needs: moments, and a way to bootstrap.
type meanSample struct {
	n               int64
	sum, mean, sd   float64
	bca, percentile func(b boot, conf float64) (stats.Interval, bool)
	// abc, set for raw values only, is the analytic large-n form of bca
	// (stats.BootstrapMeanABC), used instead of it when resampling would
	// cost too much (analyticBCa). A histogram's bootstrap costs O(B·k)
	// whatever n, so it never needs one.
	abc func(conf float64) (stats.Interval, bool)
	// mcMaxN is the largest raw sample the document's resampling budget
	// leaves to Monte Carlo (bcaDocCut); math.MaxInt64 when not capped.
	mcMaxN int64
}

// bcaGroupBudget is the most Monte-Carlo work one BCa interval of raw
// values may take, counted in resampled values B·n; above it the interval
// is the ABC approximation of BCa (stats.BootstrapMeanABC), which needs no
// resampling. 2²⁵ ≈ 3.4·10⁷ is n > 3 355 at the default B = 9 999.
//
// Measured (BenchmarkBootstrapMeanBCa and BenchmarkBootstrapMeanBCaLarge,
// go test -run '^$' -bench 'BCa' ./core/stats/, 2-core VM, other jobs
// running): a resampled value costs 2–3.5 ns natively while x fits the
// CPU cache (n = 1 000: 21 ms; n = 3 355: 65–117 ms; n = 13 422: 0.32–0.49 s)
// and 27 ns at n = 10⁶ (B = 999: 27 s, so B = 9 999 would take 4.5 min);
// under js/wasm (node 20) n = 3 355 takes 0.46 s and n = 13 422 1.5 s. So
// at 2²⁵ one interval takes at most ~0.1 s natively and ~0.5 s in the
// page, where ART and FRT of every group each take one; at 2²⁷ (n > 13 422)
// it would be 1.5 s in the page. The ABC interval of 10⁶ values takes
// 2.5–4 ms natively, 11 ms under wasm.
//
// Switching costs no accuracy: ABC agrees with BCa at B → ∞ to O_p(n^{−3/2})
// (DiCiccio & Efron 1992), and on lognormal durations (σ = 1.3) its
// endpoints were within 0.013·σ̂ of a B = 199 999 BCa from n = 300 on,
// while a B = 9 999 BCa endpoint has a Monte-Carlo SD of about 0.03·σ̂
// (core/stats TestABCAgreesWithBCa).
const bcaGroupBudget = 1 << 25

// bcaDocBudget caps the Monte-Carlo work of all the BCa intervals of raw
// values in one result document (a tickets file's ART and FRT, overall and
// for every segment value): 2²⁸ ≈ 2.7·10⁸ resampled values, about 0.5–0.9 s
// natively and 3–4 s in the page at the rates above. bcaGroupBudget alone
// does not bound the document: 1M tickets over a segment column of 300
// values of 3 333 tickets each would resample 2 × 300 × 3.3·10⁷ values
// (≈ 40–70 s natively, 3–5 min in the page). When the intervals under
// bcaGroupBudget would exceed it, the largest samples get ABC (bcaDocCut).
// The oracle's tickets case (1 500 tickets, two segment columns) resamples
// 8.5·10⁷ values and is not affected.
const bcaDocBudget = 1 << 28

// bcaDocCut returns the largest n for which raw samples keep the
// Monte-Carlo BCa so that, with B resamples, all of them together stay
// within bcaDocBudget: sizes lists the n of every raw sample of the
// document that gets a BCa interval (n ≥ bootMinN). Samples are left to
// Monte Carlo smallest first, and all samples of one size alike, so the
// cut depends only on the multiset of sizes (not on group order, parts or
// merges). math.MaxInt64 when everything fits.
func bcaDocCut(B int, sizes []int64) int64 {
	var mc []int64
	for _, n := range sizes {
		if n >= bootMinN && !overGroupBudget(B, n) {
			mc = append(mc, n)
		}
	}
	sort.Slice(mc, func(i, j int) bool { return mc[i] < mc[j] })
	var work int64
	for _, n := range mc {
		work += int64(B) * n
		if work > bcaDocBudget {
			return n - 1
		}
	}
	return math.MaxInt64
}

func overGroupBudget(B int, n int64) bool { return int64(B)*n > bcaGroupBudget }

// analyticBCa says whether the BCa interval of s is the ABC approximation,
// and why (the note of the ci object); "" means Monte Carlo.
func analyticBCa(s meanSample, b boot) string {
	const how = "BCa approximated analytically (ABC, DiCiccio & Efron 1992); no resampling"
	switch {
	case s.abc == nil:
		return ""
	case overGroupBudget(b.B, s.n):
		return fmt.Sprintf("n=%d > %d (B*n above 2^25): %s", s.n, bcaGroupBudget/int64(b.B), how)
	case s.n > s.mcMaxN:
		return fmt.Sprintf("n=%d > %d (this file's BCa resampling is capped at 2^28 values): %s", s.n, s.mcMaxN, how)
	}
	return ""
}

func histSample(h *hist) meanSample {
	vs, cs := h.values()
	n, sum, mean, sd := moments(vs, cs)
	return meanSample{n: n, sum: sum, mean: mean, sd: sd,
		bca: func(b boot, conf float64) (stats.Interval, bool) {
			return stats.BootstrapMeanBCaHist(vs, cs, b.B, b.Seed, conf)
		},
		percentile: func(b boot, conf float64) (stats.Interval, bool) {
			return stats.BootstrapMeanPercentileHist(vs, cs, b.B, b.Seed, conf)
		}}
}

// rawSample sorts x (so the bootstrap does not depend on row order, and
// merged accumulators give the same bytes) and wraps it. Its BCa interval
// becomes the ABC approximation above bcaGroupBudget (analyticBCa). The
// percentile bootstrap has no such switch: only NPS asks for it, on a
// histogram of −1/0/+1 scores (npsBlock), never on raw values.
func rawSample(x []float64) meanSample {
	sort.Float64s(x)
	n, sum, mean, sd := rawMoments(x)
	return meanSample{n: n, sum: sum, mean: mean, sd: sd, mcMaxN: math.MaxInt64,
		bca: func(b boot, conf float64) (stats.Interval, bool) {
			return stats.BootstrapMeanBCa(x, b.B, b.Seed, conf)
		},
		percentile: func(b boot, conf float64) (stats.Interval, bool) {
			return stats.BootstrapMeanPercentile(x, b.B, b.Seed, conf)
		},
		abc: func(conf float64) (stats.Interval, bool) {
			// Every resample mean, hence every BCa endpoint, lies in
			// [min x, max x]; ABC's closed form can leave that range at
			// tiny n (0 ×9 and 100: lo = −0.95), so it is kept inside.
			iv, ok := stats.BootstrapMeanABC(x, conf)
			if ok {
				iv.Lo, iv.Hi = math.Max(iv.Lo, x[0]), math.Min(iv.Hi, x[len(x)-1])
			}
			return iv, ok
		}}
}

// bootstrapObject renders a bootstrap interval (BCa or percentile) the way
// the oracle does: null bounds with a note for n < 10 or degenerate data.
// A BCa interval computed by ABC instead of resampling (analyticBCa) keeps
// "method": "bootstrap_bca" and says so in "algorithm": "abc" and "note";
// it has no n_resamples or seed.
func bootstrapObject(s meanSample, b boot, conf float64, method string, scale float64) Object {
	name := "bootstrap_" + method
	if s.n < bootMinN {
		return Object{"method": name, "lo": nil, "hi": nil,
			"note": fmt.Sprintf("n=%d < %d: bootstrap interval not computed", s.n, bootMinN)}
	}
	if method == "bca" {
		if note := analyticBCa(s, b); note != "" {
			iv, ok := s.abc(conf)
			if !ok || math.IsNaN(iv.Lo) || math.IsNaN(iv.Hi) {
				return Object{"method": name, "algorithm": "abc", "lo": nil, "hi": nil,
					"note": "degenerate data (e.g. all values equal): bootstrap interval undefined"}
			}
			return Object{"method": name, "algorithm": "abc", "lo": scale * iv.Lo, "hi": scale * iv.Hi, "note": note}
		}
	}
	run := s.bca
	if method == "percentile" {
		run = s.percentile
	}
	iv, ok := run(b, conf)
	if !ok || math.IsNaN(iv.Lo) || math.IsNaN(iv.Hi) {
		return Object{"method": name, "lo": nil, "hi": nil,
			"note": "degenerate data (e.g. all values equal): bootstrap interval undefined"}
	}
	return Object{"method": name, "lo": scale * iv.Lo, "hi": scale * iv.Hi,
		"n_resamples": b.B, "seed": b.Seed}
}

// meanBlock is a mean with its Student-t interval clipped to [lo, hi]
// (the scale, or [0, ∞) for durations and counts) and, when b is not nil,
// a BCa bootstrap interval. primaryBCa puts BCa in "ci" and t under
// ci_alternatives.student_t (durations, metrics.md §2); otherwise t is
// primary and BCa is the alternative.
func meanBlock(s meanSample, conf float64, b *boot, lo, hi float64, primaryBCa bool) Object {
	if s.n == 0 {
		return Object{"n": int64(0), "value": nil, "ci": nil, "note": "no valid observations"}
	}
	out := Object{"n": s.n, "value": s.mean, "sum": s.sum}
	if s.n < 2 {
		out["sd"] = nil
		out["ci"] = nil
		out["note"] = "n=1: standard deviation and interval undefined"
		return out
	}
	out["sd"] = s.sd
	iv, tcrit, se := stats.TMean(int(s.n), s.mean, s.sd, conf)
	clo, chi := math.Max(iv.Lo, lo), math.Min(iv.Hi, hi)
	t := Object{"method": "student_t", "lo": clo, "hi": chi, "df": s.n - 1,
		"t_crit": tcrit, "se": se, "clipped": clo != iv.Lo || chi != iv.Hi,
		"unclipped_lo": iv.Lo, "unclipped_hi": iv.Hi}
	if s.sd == 0 {
		t["note"] = "zero variance: interval has zero width"
	}
	if b == nil {
		out["ci"] = t
		return out
	}
	bca := bootstrapObject(s, *b, conf, "bca", 1)
	if primaryBCa {
		out["ci"] = bca
		out["ci_alternatives"] = Object{"student_t": t}
	} else {
		out["ci"] = t
		out["ci_alternatives"] = Object{"bootstrap_bca": bca}
	}
	return out
}

// medianBlock is the sample median of sorted values with its
// order-statistic interval and the Hettmansperger–Sheather alternative.
func medianBlock(sorted []float64, conf float64) Object {
	n := len(sorted)
	if n == 0 {
		return Object{"n": 0, "value": nil, "ci": nil}
	}
	out := Object{"n": n, "value": stats.Median(sorted)}
	iv, rlo, rhi, cov, ok := stats.MedianOrderStat(sorted, conf)
	if ok {
		out["ci"] = Object{"method": "order_statistic", "lo": iv.Lo, "hi": iv.Hi,
			"rank_lo": rlo, "rank_hi": rhi, "achieved_coverage": cov}
	} else {
		out["ci"] = Object{"method": "order_statistic", "lo": nil, "hi": nil,
			"note": fmt.Sprintf("n=%d too small: even [min, max] covers only %.2f%%", n, 100*(1-2*math.Pow(0.5, float64(n))))}
	}
	if hs, ok := stats.MedianHS(sorted, conf); ok {
		out["ci_alternatives"] = Object{"hettmansperger_sheather": Object{"lo": report.Float(hs.Lo), "hi": report.Float(hs.Hi)}}
	} else {
		out["ci_alternatives"] = Object{"hettmansperger_sheather": nil}
	}
	return out
}

// garwoodBlock is a count with its Garwood exact Poisson interval.
func garwoodBlock(k int64, conf float64) Object {
	iv := stats.Garwood(k, conf)
	return Object{"value": k, "ci": Object{"method": "garwood_exact_poisson", "lo": iv.Lo, "hi": iv.Hi}}
}
