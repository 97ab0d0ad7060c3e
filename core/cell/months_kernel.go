//go:build (amd64 || wasm) && !purego

package cell

import "unsafe"

// knownSpans is knownSpansGo in hand-written assembly: amd64 assembly in
// months_amd64.s, WebAssembly in months_wasm.s. The Go loop took ~140
// instructions a cell of the bench survey's timestamps natively
// (cachegrind) and ~7.5% of the native CLI's time on it (perf); in wasm
// the Go compiler's code jumps between basic blocks through a br_table at
// the top of the function, an indirect jump per branch taken, and the
// fast path has several per cell. Both stop at the same rows as the Go
// loop, and check each span against the buffer: a load outside wasm's
// linear memory would trap, but one inside it, outside the buffer, would
// read other memory.
func (m *ISOMonths) knownSpans(buf []byte, spans []uint64, i int, months []int32) int {
	if i >= len(spans) {
		return i
	}
	_ = months[len(spans)-1]
	return knownSpansLoop(&m.dates[0], unsafe.SliceData(buf), len(buf), &spans[0], len(spans), i, &months[0])
}

// knownSpansLoop is knownSpans' loop.
//
//go:noescape
func knownSpansLoop(dates *knownDate, buf *byte, bufLen int, spans *uint64, n, i int, months *int32) int
