//go:build wasm && !purego

package ingest

// copyShort is copyShortGo in hand-written WebAssembly (csv_short_wasm.s):
// the Go compiler's wasm code jumps between basic blocks through a
// br_table at the top of the function, so its loop paid an indirect jump
// per cell, and it kept some of its values on its stack in linear memory.
func copyShort(dst []byte, o int, ends []int32, spans []uint64, buf []byte) (int, int) {
	n := min(len(ends), len(spans))
	if n == 0 || len(dst) < 32 || len(buf) < 32 {
		return copyShortGo(dst, o, ends, spans, buf)
	}
	return copyShortWasm(&dst[0], len(dst), o, &ends[0], &spans[0], n, &buf[0], len(buf))
}

// copyShortWasm is copyShort's loop, in csv_short_wasm.s: dst, ends,
// spans and buf are the first elements of the slices (n spans and ends,
// dstLen and bufLen bytes; both at least 32).
//
//go:noescape
func copyShortWasm(dst *byte, dstLen, o int, ends *int32, spans *uint64, n int, buf *byte, bufLen int) (int, int)
