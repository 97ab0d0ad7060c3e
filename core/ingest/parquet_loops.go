// Loops of the Parquet reader over a page's values, in Go. In the wasm
// build each has a twin in hand-written WebAssembly (parquet_loops_wasm.go,
// .s), compared with it by TestParquetLoopsAgree; other builds call these
// (parquet_loops_other.go).

package ingest

// int64sInRangeGo returns the index of the first of vs outside [lo, hi],
// or len(vs). It is int64sInRange except in wasm.
func int64sInRangeGo(vs []int64, lo, hi int64) int {
	for i, v := range vs {
		if v < lo || v > hi {
			return i
		}
	}
	return len(vs)
}

// scaleInt64sGo sets dst[i] = vs[i]*k for every i of dst (vs at least as
// long). It is scaleInt64s except in wasm.
func scaleInt64sGo(dst, vs []int64, k int64) {
	vs = vs[:len(dst)]
	for i, v := range vs {
		dst[i] = v * k
	}
}

// spreadCodesGo sets dst[i], for each row i of a page with nulls, to the
// next of the dictionary indices idx plus off where the row's definition
// level lv[i] is maxDef, and to -1 (null) elsewhere; it returns how many
// indices it took. It is spreadCodes except in wasm.
func spreadCodesGo(dst, lv, idx []int32, maxDef, off int32) int {
	lv = lv[:len(dst)]
	j := 0
	for i, l := range lv {
		x := int32(-1)
		if l == maxDef {
			x = idx[j] + off
			j++
		}
		dst[i] = x
	}
	return j
}

// indicesBelowGo reports whether every index of idx, each in [0, 2^30),
// is at most lim, without a branch per index: lim-x is negative for any
// x > lim (a compare and branch per index took 60 % of decoding them). It
// is indicesBelow except in wasm.
func indicesBelowGo(idx []int32, lim int32) bool {
	bad := int32(0)
	for _, x := range idx {
		bad |= lim - x
	}
	return bad >= 0
}
