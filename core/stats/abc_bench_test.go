package stats

import (
	"fmt"
	"testing"
)

// BenchmarkBootstrapMeanABC: the analytic large-n path, two passes over
// the values (n = 10⁶ is a 1M-ticket export's resolution times): 44 µs and
// 4 ms natively, 11 ms at n = 10⁶ under js/wasm.
//
//	go test -run '^$' -bench 'ABC|BCaLarge' ./core/stats/
func BenchmarkBootstrapMeanABC(b *testing.B) {
	for _, n := range []int{13422, 1000000} {
		x := lognormalDurations(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				BootstrapMeanABC(x, 0.95)
			}
		})
	}
}

// BenchmarkBootstrapMeanBCaLarge is the Monte-Carlo BCa at n = 3 355, the
// largest sample core/metric still resamples at B = 9 999 (B·n ≤ 2²⁵), at
// 4× that, and, with CXAUDIT_LONG_TESTS=1, at n = 10⁶ with B = 999 (a tenth
// of the default B; measured 27 s, so ≈ 4.5 min at B = 9 999).
func BenchmarkBootstrapMeanBCaLarge(b *testing.B) {
	cases := []struct{ n, B int }{{3355, 9999}, {13422, 9999}}
	if longTests {
		cases = append(cases, struct{ n, B int }{1000000, 999})
	}
	for _, c := range cases {
		x := lognormalDurations(c.n)
		b.Run(fmt.Sprintf("n=%d/B=%d", c.n, c.B), func(b *testing.B) {
			for b.Loop() {
				BootstrapMeanBCa(x, c.B, 1, 0.95)
			}
		})
	}
}
