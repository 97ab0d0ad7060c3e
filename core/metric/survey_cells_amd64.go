//go:build amd64 && !purego

package metric

import "unsafe"

// shortSlot[int32] is 24 bytes: word, n, g, as shortGroupsSpansLoop reads
// it (a constant that would be negative does not compile).
const (
	_ = uint(24 - unsafe.Sizeof(shortSlot[int32]{}))
	_ = uint(unsafe.Sizeof(shortSlot[int32]{}) - 24)
)
