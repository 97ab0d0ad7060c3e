//go:build amd64 && !purego

package cell

import "unsafe"

// knownSpansLoop (months_kernel.go, months_amd64.s) reads a knownDate as
// word (8 bytes), day (2), padding, month at 12, 16 bytes in all (a
// constant that would be negative does not compile). The wasm kernel
// reads the same layout, which is the same under js/wasm.
const (
	_ = uint(16 - unsafe.Sizeof(knownDate{}))
	_ = uint(unsafe.Sizeof(knownDate{}) - 16)
	_ = uint(12 - unsafe.Offsetof(knownDate{}.month))
	_ = uint(unsafe.Offsetof(knownDate{}.month) - 12)
	_ = uint(8 - unsafe.Offsetof(knownDate{}.day))
	_ = uint(unsafe.Offsetof(knownDate{}.day) - 8)
)
