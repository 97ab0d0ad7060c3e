//go:build amd64 && !purego

package metric

import "unsafe"

// shortGroupsSpans and tableSlotsSpans are shortGroupsSpansGo and
// tableSlotsSpansGo in hand-written amd64 assembly
// (survey_cells_amd64.s), as shortGroups and tableSlots are in
// WebAssembly in the wasm build. The Go compiler's loops kept some of
// their variables on the stack (shortGroupsGo stored the cell's slice
// header there on every row) and took ~60 and ~30 instructions a cell of
// the bench survey (cachegrind); together with the months of its
// timestamps they were ~17% of the native CLI's time on it (perf).
//
// Unlike the wasm kernels, whose loads outside linear memory trap, these
// check every cell against the data they may read: a cell whose end is
// before its start or past the data stops the loop, as a cell the fast
// path does not take would, and the caller's Go decides it.

// shortSlot[int32] is 24 bytes: word, n, g, as shortGroupsAsm reads it
// (a constant that would be negative does not compile).
const (
	_ = uint(24 - unsafe.Sizeof(shortSlot[int32]{}))
	_ = uint(unsafe.Sizeof(shortSlot[int32]{}) - 24)
)

// spanKernels: the survey's cell loops are assembly that reads spans.
const spanKernels = true

// shortGroups and tableSlots take text cells — from Parquet, or a CSV
// read without ingest.Options.CellSpans — with the Go loops.
func shortGroups(c *shortCache[int32], data []byte, ends []int32, i int, start int32, gids []int32) (int, int32) {
	return shortGroupsGo(c, data, ends, i, start, gids)
}

func tableSlots(t *scoreTable, data []byte, ends []int32, i int, start int32, slots []int32) (int, int32) {
	return tableSlotsGo(t, data, ends, i, start, slots)
}

func shortGroupsSpans(c *shortCache[int32], buf []byte, spans []uint64, i int, gids []int32) int {
	if i >= len(spans) {
		return i
	}
	_ = gids[len(spans)-1]
	return shortGroupsSpansAsm(unsafe.Pointer(&c.slots[0]), unsafe.SliceData(buf), len(buf), cap(buf), &spans[0], len(spans), i, &gids[0])
}

// shortGroupsSpansAsm is shortGroupsSpans' loop: slots is the cache's
// first shortSlot[int32]; bufLen bytes of buf hold cells, bufCap are
// readable.
//
//go:noescape
func shortGroupsSpansAsm(slots unsafe.Pointer, buf *byte, bufLen, bufCap int, spans *uint64, n, i int, gids *int32) int

func tableSlotsSpans(t *scoreTable, buf []byte, spans []uint64, i int, slots []int32) int {
	if i >= len(spans) {
		return i
	}
	_ = slots[len(spans)-1]
	return tableSlotsSpansAsm(&t.one[0], &t.two[0], int(t.blank), unsafe.SliceData(buf), len(buf), &spans[0], len(spans), i, &slots[0])
}

// tableSlotsSpansAsm is tableSlotsSpans' loop.
//
//go:noescape
func tableSlotsSpansAsm(one, two *int32, blank int, buf *byte, bufLen int, spans *uint64, n, i int, slots *int32) int
