package ingest

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestParquetLoopsAgree compares int64sInRange, scaleInt64s, spreadCodes
// and indicesBelow (hand-written WebAssembly in the wasm build) with their
// Go loops: values on and around the bounds and at the extremes of int64
// and int32, products that overflow, definition levels of every value up
// to maxDef.
func TestParquetLoopsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	for it := range 1000 {
		lo, hi := rng.Int64N(1000)-500, rng.Int64N(1000)+500
		if it%7 == 0 {
			lo, hi = math.MinInt64, math.MaxInt64
		}
		vs := make([]int64, rng.IntN(70))
		for i := range vs {
			switch rng.IntN(6) {
			case 0:
				vs[i] = []int64{lo, hi, lo - 1, hi + 1, math.MinInt64, math.MaxInt64}[rng.IntN(6)]
			case 1:
				vs[i] = int64(rng.Uint64())
			default: // around the middle of [lo, hi], mostly inside
				vs[i] = lo/2 + hi/2 + rng.Int64N(1001) - 500
			}
		}
		if got, want := int64sInRange(vs, lo, hi), int64sInRangeGo(vs, lo, hi); got != want {
			t.Fatalf("iteration %d: int64sInRange(%v, %d, %d) = %d, want %d", it, vs, lo, hi, got, want)
		}

		k := []int64{1000, 1, -3, 1 << 40}[rng.IntN(4)]
		n := rng.IntN(len(vs) + 1)
		d1, d2 := make([]int64, n), make([]int64, n)
		scaleInt64s(d1, vs, k)
		scaleInt64sGo(d2, vs, k)
		if !slices.Equal(d1, d2) {
			t.Fatalf("iteration %d: scaleInt64s by %d: %v, want %v", it, k, d1, d2)
		}

		maxDef := int32(1 + rng.IntN(3))
		lv := make([]int32, rng.IntN(70))
		nn := 0
		for i := range lv {
			lv[i] = int32(rng.IntN(int(maxDef) + 1))
			if lv[i] == maxDef {
				nn++
			}
		}
		idx := make([]int32, nn+rng.IntN(3))
		for i := range idx {
			idx[i] = int32(rng.IntN(1 << 20))
		}
		off := int32(rng.IntN(100))
		if it%11 == 0 {
			off = math.MaxInt32 // the sum wraps, as int32 arithmetic does
		}
		lim := int32(rng.IntN(1 << 20))
		if it%13 == 0 {
			lim = []int32{0, math.MaxInt32, math.MinInt32, -1}[rng.IntN(4)]
		}
		below := make([]int32, rng.IntN(70))
		for i := range below {
			below[i] = int32(rng.Int64N(max(int64(lim)+2, 2)) - 1) // -1 to lim (and lim+1)
			if rng.IntN(40) == 0 {
				below[i] = []int32{lim + 1, math.MinInt32, math.MaxInt32, -1}[rng.IntN(4)]
			}
		}
		if got, want := indicesBelow(below, lim), indicesBelowGo(below, lim); got != want {
			t.Fatalf("iteration %d: indicesBelow(%v, %d) = %v, want %v", it, below, lim, got, want)
		}

		c1, c2 := make([]int32, len(lv)), make([]int32, len(lv))
		j1, j2 := spreadCodes(c1, lv, idx, maxDef, off), spreadCodesGo(c2, lv, idx, maxDef, off)
		if j1 != j2 || !slices.Equal(c1, c2) {
			t.Fatalf("iteration %d: spreadCodes: %d, %v; want %d, %v", it, j1, c1, j2, c2)
		}
	}
}
