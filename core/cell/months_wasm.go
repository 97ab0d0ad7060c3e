//go:build wasm && !purego

package cell

import "unsafe"

// known is knownGo in hand-written WebAssembly (months_wasm.s): the Go
// compiler's wasm code jumps between basic blocks through a br_table at
// the top of the function, an indirect jump per branch taken, and the
// fast path has several per cell. It stops at the same rows.
func (m *ISOMonths) known(data []byte, ends []int32, i int, start int32, months []int32) (int, int32) {
	if i >= len(ends) {
		return i, start
	}
	_ = months[len(ends)-1]
	_ = data[:ends[len(ends)-1]] // the cells lie in data
	r, st := knownWasm(&m.dates[0], unsafe.SliceData(data), &ends[0], len(ends), i, int(start), &months[0])
	return r, int32(st)
}

// knownWasm is known's loop, in months_wasm.s.
//
//go:noescape
func knownWasm(dates *knownDate, data *byte, ends *int32, n, i, start int, months *int32) (int, int)

func (m *ISOMonths) knownSpans(buf []byte, spans []uint64, i int, months []int32) int {
	return m.knownSpansGo(buf, spans, i, months)
}
