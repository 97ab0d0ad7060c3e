//go:build js && wasm

package ingest

import "encoding/binary"

// copy32 copies 32 bytes as four 8-byte words: wasm has no 16-byte moves,
// and the copy builtin calls memmove.
func copy32(dst, src []byte) {
	dst, src = dst[:32], src[:32]
	binary.LittleEndian.PutUint64(dst[0:8], binary.LittleEndian.Uint64(src[0:8]))
	binary.LittleEndian.PutUint64(dst[8:16], binary.LittleEndian.Uint64(src[8:16]))
	binary.LittleEndian.PutUint64(dst[16:24], binary.LittleEndian.Uint64(src[16:24]))
	binary.LittleEndian.PutUint64(dst[24:32], binary.LittleEndian.Uint64(src[24:32]))
}
