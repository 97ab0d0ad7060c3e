//go:build amd64 && !purego

package cell

import "unsafe"

// known is knownGo in hand-written amd64 assembly (months_amd64.s), as it
// is in WebAssembly in the wasm build: knownGo took ~140 instructions a
// cell of the bench survey's timestamps (cachegrind) and ~7.5% of the
// native CLI's time on it (perf). It stops at the same rows. Unlike the
// wasm kernel, whose stray loads trap, it checks each cell against the
// data: one that ends before its start or past the data stops it.
func (m *ISOMonths) known(data []byte, ends []int32, i int, start int32, months []int32) (int, int32) {
	if i >= len(ends) || start < 0 {
		return m.knownGo(data, ends, i, start, months)
	}
	_ = months[len(ends)-1]
	r, st := knownAsm(&m.dates[0], unsafe.SliceData(data), len(data), &ends[0], len(ends), i, int(start), &months[0])
	return r, int32(st)
}

// knownAsm is known's loop, in months_amd64.s.
//
//go:noescape
func knownAsm(dates *knownDate, data *byte, dataLen int, ends *int32, n, i, start int, months *int32) (int, int)

// knownAsm reads a knownDate as word (8 bytes), day (2), padding, month
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
