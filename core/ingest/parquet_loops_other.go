//go:build !wasm || purego

package ingest

func int64sInRange(vs []int64, lo, hi int64) int { return int64sInRangeGo(vs, lo, hi) }

func scaleInt64s(dst, vs []int64, k int64) { scaleInt64sGo(dst, vs, k) }

func spreadCodes(dst, lv, idx []int32, maxDef, off int32) int {
	return spreadCodesGo(dst, lv, idx, maxDef, off)
}

func indicesBelow(idx []int32, lim int32) bool { return indicesBelowGo(idx, lim) }
