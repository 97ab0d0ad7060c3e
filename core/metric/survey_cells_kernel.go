//go:build (amd64 || wasm) && !purego

package metric

import "unsafe"

// shortGroupsSpans and tableSlotsSpans are shortGroupsSpansGo and
// tableSlotsSpansGo in hand-written assembly: amd64 assembly in
// survey_cells_amd64.s, WebAssembly in survey_loops_wasm.s. Natively the
// Go compiler's loops kept some of their variables on the stack (the
// segment loop stored the cell's slice header there on every row) and
// took ~60 and ~30 instructions a cell of the bench survey (cachegrind);
// together with the months of its timestamps they were ~17% of the native
// CLI's time on it (perf). In wasm its code jumps between basic blocks
// through one br_table, an indirect jump per branch taken.
//
// They stop at the same rows as the Go loops, for the caller's Go to
// decide, and check every span against the buffer they may read: a cell
// marked quoted (a negative start), ending past the data or before its
// start stops them. (A load outside wasm's linear memory would trap, but
// one inside it, outside the buffer, would read other memory.)

func shortGroupsSpans(c *shortCache[int32], buf []byte, spans []uint64, i int, gids []int32) int {
	if i >= len(spans) {
		return i
	}
	_ = gids[len(spans)-1]
	return shortGroupsSpansLoop(unsafe.Pointer(&c.slots[0]), unsafe.SliceData(buf), len(buf), cap(buf), &spans[0], len(spans), i, &gids[0])
}

// shortGroupsSpansLoop is shortGroupsSpans' loop: slots is the cache's
// first shortSlot[int32]; bufLen bytes of buf hold cells, bufCap are
// readable.
//
//go:noescape
func shortGroupsSpansLoop(slots unsafe.Pointer, buf *byte, bufLen, bufCap int, spans *uint64, n, i int, gids *int32) int

func tableSlotsSpans(t *scoreTable, buf []byte, spans []uint64, i int, slots []int32) int {
	if i >= len(spans) {
		return i
	}
	_ = slots[len(spans)-1]
	return tableSlotsSpansLoop(&t.one[0], &t.two[0], int(t.blank), unsafe.SliceData(buf), len(buf), &spans[0], len(spans), i, &slots[0])
}

// tableSlotsSpansLoop is tableSlotsSpans' loop.
//
//go:noescape
func tableSlotsSpansLoop(one, two *int32, blank int, buf *byte, bufLen int, spans *uint64, n, i int, slots *int32) int
