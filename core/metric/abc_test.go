package metric

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cxaudit/cxaudit/core/plan"
	"github.com/cxaudit/cxaudit/core/stats"
)

// ticketRows writes n resolved tickets with lognormal resolution times
// (median 18 h, σ = 1.3, whole seconds), no first response, and a segment
// column seg whose value for ticket i is segOf(i), as CSV; it returns the
// CSV and the durations in hours as the accumulator computes them.
func ticketRows(n int, seed uint64, segOf func(i int) string) (string, []float64) {
	r := rand.New(rand.NewPCG(seed, 3))
	var b strings.Builder
	b.WriteString("created_at,resolved_at,seg\n")
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	hrs := make([]float64, n)
	for i := range n {
		secs := int64(18*3600*math.Exp(1.3*r.NormFloat64())) + 1
		c := start.Add(time.Duration(i) * time.Minute)
		e := c.Add(time.Duration(secs) * time.Second)
		fmt.Fprintf(&b, "%s,%s,%s\n", c.Format("2006-01-02T15:04:05Z"), e.Format("2006-01-02T15:04:05Z"), segOf(i))
		hrs[i] = hours(c.UnixMicro(), e.UnixMicro())
	}
	return b.String(), hrs
}

// runTickets analyses a tickets CSV with plan options extra (JSON members).
func runTickets(t testing.TB, extra, csv string) Object {
	t.Helper()
	return ResultOfCSV(t, `{"kind":"tickets","columns":{"created_at":"created_at","resolved_at":"resolved_at"}`+extra+`}`, csv)
}

func ciOf(t *testing.T, o Object, path ...string) Object {
	t.Helper()
	for _, k := range path {
		next, ok := o[k].(Object)
		if !ok {
			t.Fatalf("no object at %v (%s)", path, k)
		}
		o = next
	}
	return o
}

// TestTicketsABCThreshold: with B = 9 999, 3 355 resolved tickets
// (B·n = 33 546 645 ≤ 2²⁵) get the Monte-Carlo BCa exactly as before
// (n_resamples, seed, no algorithm); 3 356 get the ABC interval of
// stats.BootstrapMeanABC, with "algorithm": "abc", a note, and neither
// n_resamples nor seed. A plan's B = 100 000 moves the switch to n > 335.
func TestTicketsABCThreshold(t *testing.T) {
	t.Parallel()
	none := func(int) string { return "x" }
	for _, c := range []struct {
		n     int
		extra string
		abc   bool
		note  string
	}{
		{3355, "", false, ""},
		{3356, "", true, "n=3356 > 3355 (B*n above 2^25): BCa approximated analytically (ABC, DiCiccio & Efron 1992); no resampling"},
		{335, `,"bootstrap":{"n_resamples":100000,"seed":5}`, false, ""},
		{336, `,"bootstrap":{"n_resamples":100000,"seed":5}`, true, "n=336 > 335 (B*n above 2^25): BCa approximated analytically (ABC, DiCiccio & Efron 1992); no resampling"},
	} {
		csv, hrs := ticketRows(c.n, 1, none)
		out := runTickets(t, c.extra, csv)
		ci := ciOf(t, out, "overall", "art_hours", "ci")
		name := fmt.Sprintf("n=%d%s", c.n, c.extra)
		if ci["method"] != "bootstrap_bca" {
			t.Errorf("%s: method %v", name, ci["method"])
		}
		_, hasB := ci["n_resamples"]
		_, hasSeed := ci["seed"]
		if !c.abc {
			if _, ok := ci["algorithm"]; ok || !hasB || !hasSeed || len(ci) != 5 {
				t.Errorf("%s: Monte-Carlo BCa expected, got %v", name, ci)
			}
			continue
		}
		if ci["algorithm"] != "abc" || ci["note"] != c.note || hasB || hasSeed || len(ci) != 5 {
			t.Errorf("%s: got %v", name, ci)
		}
		sort.Float64s(hrs)
		want, _ := stats.BootstrapMeanABC(hrs, 0.95)
		if ci["lo"] != want.Lo || ci["hi"] != want.Hi {
			t.Errorf("%s: [%v, %v], want %v", name, ci["lo"], ci["hi"], want)
		}
		// n is reported as before.
		if get := ciOf(t, out, "overall", "art_hours"); get["n"] != int64(c.n) {
			t.Errorf("%s: n = %v", name, get["n"])
		}
	}
}

// TestTicketsABCDocumentCap: B = 100 000 leaves the document 2²⁸/10⁵ =
// 2 684 resampled values. Segment groups of 50, 100, 200 and nine of 300
// tickets (3 050 in all, so the overall group is above the per-interval
// budget): smallest first, 50 + 100 + 200 + 8·300 = 2 750 > 2 684, so the
// groups of 300 all get ABC (one size, one treatment) and the others keep
// Monte Carlo.
func TestTicketsABCDocumentCap(t *testing.T) {
	t.Parallel()
	sizes := []int{50, 100, 200, 300, 300, 300, 300, 300, 300, 300, 300, 300}
	var segOf []string
	for g, n := range sizes {
		for range n {
			segOf = append(segOf, fmt.Sprintf("s%02d", g))
		}
	}
	csv, _ := ticketRows(len(segOf), 2, func(i int) string { return segOf[i] })
	out := runTickets(t, `,"bootstrap":{"n_resamples":100000,"seed":5},"segments":["seg"]`, csv)
	if ci := ciOf(t, out, "overall", "art_hours", "ci"); ci["algorithm"] != "abc" ||
		ci["note"] != "n=3050 > 335 (B*n above 2^25): BCa approximated analytically (ABC, DiCiccio & Efron 1992); no resampling" {
		t.Errorf("overall: %v", ci)
	}
	for g, n := range sizes {
		ci := ciOf(t, out, "by_segment", "seg", fmt.Sprintf("s%02d", g), "art_hours", "ci")
		if n < 300 {
			if _, ok := ci["algorithm"]; ok || ci["n_resamples"] != 100000 {
				t.Errorf("s%02d (n=%d): %v", g, n, ci)
			}
			continue
		}
		want := "n=300 > 299 (this file's BCa resampling is capped at 2^28 values): BCa approximated analytically (ABC, DiCiccio & Efron 1992); no resampling"
		if ci["algorithm"] != "abc" || ci["note"] != want || ci["lo"] == nil {
			t.Errorf("s%02d (n=%d): %v", g, n, ci)
		}
	}
}

func TestBCaDocCut(t *testing.T) {
	t.Parallel()
	const max = math.MaxInt64
	for _, c := range []struct {
		B     int
		sizes []int64
		want  int64
	}{
		{9999, nil, max},
		{9999, []int64{1391, 1461, 402, 418, 616, 649, 150, 157, 223, 237, 1, 1, 226, 241, 418, 438, 743, 778, 3, 3}, max}, // tickets_main: 8.5·10⁷
		{9999, []int64{1000000, 1000000, 5}, max},                                         // above the group budget or under 10: not counted
		{9999, []int64{3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000}, 2999}, // the 9th makes 2.7·10⁸ > 2²⁸: all of one size go
		{9999, []int64{9, 20000, 3300, 3300, 3300, 3300, 3300, 3300, 3300, 3300, 845, 12}, 3299},
		{100000, []int64{50, 100, 200, 300, 300, 300, 300, 300, 300, 300, 300, 300, 3050}, 299},
		{100000, []int64{2685}, max}, // over the group budget (335) anyway
	} {
		if got := bcaDocCut(c.B, c.sizes); got != c.want {
			t.Errorf("bcaDocCut(%d, %v) = %d, want %d", c.B, c.sizes, got, c.want)
		}
	}
}

// TestABCKeptInRange: every BCa endpoint is a resample mean, so inside
// [min x, max x]; ABC's closed form is held there too (here at n = 10,
// which only the document cap can send to ABC: unclipped lo = −0.946).
func TestABCKeptInRange(t *testing.T) {
	t.Parallel()
	s := rawSample([]float64{100, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	s.mcMaxN = 9
	ci := bootstrapObject(s, boot{B: 9999, Seed: 1}, 0.95, "bca", 1)
	if ci["algorithm"] != "abc" || ci["lo"] != 0.0 {
		t.Errorf("got %v, want lo = 0", ci)
	}
	if hi, _ := ci["hi"].(float64); !(hi > 10 && hi < 100) {
		t.Errorf("hi = %v", ci["hi"])
	}
	// Constant data: undefined, as the Monte-Carlo BCa.
	s = rawSample([]float64{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2})
	s.mcMaxN = 5
	if ci := bootstrapObject(s, boot{B: 9999, Seed: 1}, 0.95, "bca", 1); ci["lo"] != nil || ci["algorithm"] != "abc" {
		t.Errorf("constant: %v", ci)
	}
}

// BenchmarkARTInterval1M: the mean block of 10⁶ resolution times (t and
// BCa intervals), as a 1M-ticket export's art_hours. The BCa interval is
// now the ABC one; by Monte Carlo (B = 9 999) it took about 4.5 minutes
// (27 ns per resampled value once x no longer fits the CPU cache).
//
//	go test -run '^$' -bench ARTInterval ./core/metric/
func BenchmarkARTInterval1M(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 1000000)
	for i := range x {
		x[i] = 18 * math.Exp(1.3*r.NormFloat64())
	}
	s := rawSample(x)
	bt := &boot{B: 9999, Seed: 1}
	inf := math.Inf(1)
	b.ReportAllocs()
	for b.Loop() {
		o := meanBlock(s, 0.95, bt, 0, inf, true)
		if o["ci"].(Object)["algorithm"] != "abc" {
			b.Fatal("not ABC")
		}
	}
}

// BenchmarkTicketsResult1M: the whole tickets result (ART and FRT with
// their medians, overall and over a 4-value segment column) for 10⁶
// resolved tickets already accumulated.
func BenchmarkTicketsResult1M(b *testing.B) {
	p, err := plan.Parse(strings.NewReader(`{"kind":"tickets","columns":{"created_at":"c","first_response_at":"f","resolved_at":"r"},"segments":["s"]}`))
	if err != nil {
		b.Fatal(err)
	}
	tk, err := NewTickets(p, "bench", []string{"c", "f", "r", "s"})
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 1000000 {
		g := tk.segs[0].group([]byte{byte('a' + i%4)}, newTicketGroup)
		art, frt := 18*math.Exp(1.3*r.NormFloat64()), 2*math.Exp(r.NormFloat64())
		for _, grp := range []*ticketGroup{tk.overall, g} {
			grp.tickets++
			grp.art = append(grp.art, art)
			grp.frt = append(grp.frt, frt)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		tk.Result()
	}
}
