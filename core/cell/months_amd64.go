//go:build amd64 && !purego

package cell

import "unsafe"

// known is knownGo: on amd64 the assembly takes cells as spans (a CSV
// read with ingest.Options.CellSpans), and a column of text cells — from
// Parquet, or a CSV read without spans — takes the Go loop.
func (m *ISOMonths) known(data []byte, ends []int32, i int, start int32, months []int32) (int, int32) {
	return m.knownGo(data, ends, i, start, months)
}

// knownSpans is knownSpansGo in hand-written amd64 assembly
// (months_amd64.s), as known is in WebAssembly in the wasm build: knownGo
// took ~140 instructions a cell of the bench survey's timestamps
// (cachegrind) and ~7.5% of the native CLI's time on it (perf). It stops
// at the same rows.
func (m *ISOMonths) knownSpans(buf []byte, spans []uint64, i int, months []int32) int {
	if i >= len(spans) {
		return i
	}
	_ = months[len(spans)-1]
	return knownSpansAsm(&m.dates[0], unsafe.SliceData(buf), len(buf), &spans[0], len(spans), i, &months[0])
}

// knownSpansAsm is knownSpans' loop, in months_amd64.s.
//
//go:noescape
func knownSpansAsm(dates *knownDate, buf *byte, bufLen int, spans *uint64, n, i int, months *int32) int

// knownSpansAsm reads a knownDate as word (8 bytes), day (2), padding, month
// at 12, 16 bytes in all (a constant that would be negative does not
// compile).
const (
	_ = uint(16 - unsafe.Sizeof(knownDate{}))
	_ = uint(unsafe.Sizeof(knownDate{}) - 16)
	_ = uint(12 - unsafe.Offsetof(knownDate{}.month))
	_ = uint(unsafe.Offsetof(knownDate{}.month) - 12)
	_ = uint(8 - unsafe.Offsetof(knownDate{}.day))
	_ = uint(unsafe.Offsetof(knownDate{}.day) - 8)
)
