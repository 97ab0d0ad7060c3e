//go:build amd64 && !purego

package metric

import "unsafe"

// shortGroups and tableSlots are shortGroupsGo and tableSlotsGo in
// hand-written amd64 assembly (survey_cells_amd64.s), as they are in
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

func shortGroups(c *shortCache[int32], data []byte, ends []int32, i int, start int32, gids []int32) (int, int32) {
	if i >= len(ends) || start < 0 {
		return shortGroupsGo(c, data, ends, i, start, gids)
	}
	_ = gids[len(ends)-1]
	r, st := shortGroupsAsm(unsafe.Pointer(&c.slots[0]), unsafe.SliceData(data), cap(data), &ends[0], len(ends), i, int(start), &gids[0])
	return r, int32(st)
}

// shortGroupsAsm is shortGroups' loop: slots is the cache's first
// shortSlot[int32]; the cell of row i is at data+start, up to ends[i];
// dataCap bytes are readable from data.
//
//go:noescape
func shortGroupsAsm(slots unsafe.Pointer, data *byte, dataCap int, ends *int32, n, i, start int, gids *int32) (int, int)

func tableSlots(t *scoreTable, data []byte, ends []int32, i int, start int32, slots []int32) (int, int32) {
	if i >= len(ends) || start < 0 {
		return tableSlotsGo(t, data, ends, i, start, slots)
	}
	_ = slots[len(ends)-1]
	r, st := tableSlotsAsm(&t.one[0], &t.two[0], int(t.blank), unsafe.SliceData(data), len(data), &ends[0], len(ends), i, int(start), &slots[0])
	return r, int32(st)
}

// tableSlotsAsm is tableSlots' loop: the cell of row i is data[start:
// ends[i]], within data's dataLen bytes.
//
//go:noescape
func tableSlotsAsm(one, two *int32, blank int, data *byte, dataLen int, ends *int32, n, i, start int, slots *int32) (int, int)
