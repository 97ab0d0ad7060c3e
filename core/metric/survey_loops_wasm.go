//go:build wasm && !purego

package metric

import (
	"unsafe"

	"github.com/cxaudit/cxaudit/core/cell"
	"github.com/cxaudit/cxaudit/core/ingest"
)

// countOverall1, countOverall2 and countGroups are countOverall1Go,
// countOverall2Go and countGroupsGo in hand-written WebAssembly
// (survey_loops_wasm.s): the Go compiler's wasm code jumps between basic
// blocks through a br_table at the top of the function, an indirect jump
// per row and group column here.
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

// codedSlots and intSlots are codedSlotsGo and intSlotsGo in hand-written
// WebAssembly (codedSlotsWasm, intSlotsWasm). A code outside dictSlots
// traps, as a bounds check would panic.
func codedSlots(codes, dictSlots []int32, blank int32, slots []int32) {
	codes = codes[:len(slots)]
	if len(slots) > 0 {
		codedSlotsWasm(&codes[0], len(slots), unsafe.SliceData(dictSlots), len(dictSlots), int(blank), &slots[0])
	}
}

func intSlots(v []int64, lo, hi int64, blank, outOfRange int32, slots []int32) {
	v = v[:len(slots)]
	if len(slots) > 0 {
		intSlotsWasm(&v[0], len(slots), lo, hi, int(blank), int(outOfRange), &slots[0])
	}
}

//go:noescape
func codedSlotsWasm(codes *int32, n int, dictSlots *int32, dictLen, blank int, slots *int32)

//go:noescape
func intSlotsWasm(v *int64, n int, lo, hi int64, blank, outOfRange int, slots *int32)

// dictGroups is dictGroupsGo in hand-written WebAssembly (dictGroupsWasm);
// it stops at the same rows. A code outside byEntry traps, as a bounds
// check would panic.
func dictGroups(byEntry []*int32, codes []int32, i int, gids []int32) int {
	if i >= len(codes) {
		return i
	}
	_ = gids[len(codes)-1]
	return dictGroupsWasm(&byEntry[0], len(byEntry), &codes[0], len(codes), i, &gids[0])
}

//go:noescape
func dictGroupsWasm(byEntry **int32, entries int, codes *int32, n, i int, gids *int32) int

// dayMonths is dayMonthsGo in hand-written WebAssembly (dayMonthsWasm);
// it stops at the same rows. It finds a day without a 64-bit division
// (see the .s).
func dayMonths(times []int64, group *[366]groupID, start, end int64, i int, months []int32) (int, int64) {
	if i >= len(times) {
		return i, 0
	}
	_ = months[len(times)-1]
	return dayMonthsWasm(&times[0], len(times), i, &group[0], start*cell.MicrosPerDay, end-start, &months[0], ingest.NullTime)
}

// dayMonthsWasm is dayMonths' loop, in survey_loops_wasm.s: the days held
// begin at startUs (microseconds) and number days (at most 366).
//
//go:noescape
func dayMonthsWasm(times *int64, n, i int, group *int32, startUs, days int64, months *int32, null int64) (int, int64)

// monthHints is monthHintsGo in hand-written WebAssembly
// (monthHintsWasm); it stops at the same rows. A reason outside rs traps,
// as a bounds check would panic.
func monthHints(hint *monthCache, months []int32, i int, rs *reasons) int {
	if i >= len(months) {
		return i
	}
	return monthHintsWasm(&hint[0], &months[0], len(months), i, &rs[0], len(rs))
}

// monthHintsWasm is monthHints' loop, in survey_loops_wasm.s (hint has 32
// entries, rs nreasons).
//
//go:noescape
func monthHintsWasm(hint *monthHint, months *int32, n, i int, rs *int64, nreasons int) int
