//go:build js && wasm

package ingest

import "unsafe"

// copy32 copies 32 bytes as four 8-byte words. Neither a [16]byte copy
// (memmove in wasm) nor encoding/binary's Uint64 (too costly for the
// inliner there: copy32 was a call per cell, 5 % of a wasm CSV pass)
// does; words read through a pointer are one i64.load each, and wasm
// allows unaligned loads. All four are read before any is written.
func copy32(dst, src []byte) {
	_, _ = dst[31], src[31]
	d := (*[4]uint64)(unsafe.Pointer(unsafe.SliceData(dst)))
	s := (*[4]uint64)(unsafe.Pointer(unsafe.SliceData(src)))
	d[0], d[1], d[2], d[3] = s[0], s[1], s[2], s[3]
}
