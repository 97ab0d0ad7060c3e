//go:build wasm && !purego

package metric

// countOverall1, countOverall2 and countGroups are countOverall1Go,
// countOverall2Go and countGroupsGo in hand-written WebAssembly
// (count_wasm.s): the Go compiler's wasm code jumps between basic blocks
// through a br_table at the top of the function, an indirect jump per
// row and group column here.
func countOverall1(c []int64, slots, g0 []int32, w int32) {
	g0 = g0[:len(slots)]
	if len(slots) > 0 {
		countWasm(&c[0], len(c), &slots[0], len(slots), &g0[0], nil, int(w), 1)
	}
}

func countOverall2(c []int64, slots, g0, g1 []int32, w int32) {
	g0, g1 = g0[:len(slots)], g1[:len(slots)]
	if len(slots) > 0 {
		countWasm(&c[0], len(c), &slots[0], len(slots), &g0[0], &g1[0], int(w), 1)
	}
}

func countGroups(c []int64, slots, gids []int32, w int32) {
	slots = slots[:len(gids)]
	if len(gids) > 0 {
		countWasm(&c[0], len(c), &slots[0], len(slots), &gids[0], nil, int(w), 0)
	}
}

// countWasm bumps, for each of the n rows, c[slot] if overall is 1, and
// c[g*w+slot] for its group g in g0 and in g1 (when not nil) unless g < 0.
// An index outside c traps, as a bounds check would panic.
//
//go:noescape
func countWasm(c *int64, clen int, slots *int32, n int, g0, g1 *int32, w, overall int)
