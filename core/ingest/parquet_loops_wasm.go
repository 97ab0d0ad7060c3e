//go:build wasm && !purego

package ingest

// int64sInRange, scaleInt64s, spreadCodes and indicesBelow are their Go
// loops (parquet_loops.go) in hand-written WebAssembly
// (parquet_loops_wasm.s): the Go compiler's wasm code jumps between basic
// blocks through a br_table at the top of the function, an indirect jump
// per value here. A Parquet survey's timestamps went through the first
// two and its nullable dictionary columns through the third; every
// dictionary index of a page goes through the fourth.
func int64sInRange(vs []int64, lo, hi int64) int {
	if len(vs) == 0 {
		return 0
	}
	return int64sInRangeWasm(&vs[0], len(vs), lo, hi)
}

func scaleInt64s(dst, vs []int64, k int64) {
	if len(dst) == 0 {
		return
	}
	vs = vs[:len(dst)]
	scaleInt64sWasm(&dst[0], &vs[0], len(dst), k)
}

// spreadCodes traps on an index past idx, as a bounds check would panic.
func spreadCodes(dst, lv, idx []int32, maxDef, off int32) int {
	if len(dst) == 0 {
		return 0
	}
	lv = lv[:len(dst)]
	var idx0 *int32
	if len(idx) > 0 {
		idx0 = &idx[0]
	}
	return spreadCodesWasm(&dst[0], &lv[0], len(dst), idx0, len(idx), int(maxDef), int(off))
}

func indicesBelow(idx []int32, lim int32) bool {
	if len(idx) == 0 {
		return true
	}
	return indicesBelowWasm(&idx[0], len(idx), int(lim)) != 0
}

//go:noescape
func int64sInRangeWasm(vs *int64, n int, lo, hi int64) int

//go:noescape
func scaleInt64sWasm(dst, vs *int64, n int, k int64)

//go:noescape
func spreadCodesWasm(dst, lv *int32, n int, idx *int32, nidx, maxDef, off int) int

//go:noescape
func indicesBelowWasm(idx *int32, n, lim int) int
