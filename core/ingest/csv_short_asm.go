//go:build (amd64 || wasm) && !purego

package ingest

// copyShort is copyShortGo in hand-written assembly (csv_short_amd64.s,
// csv_short_wasm.s). In wasm, the Go compiler's code jumps between basic
// blocks through a br_table at the top of the function, so its loop paid
// an indirect jump per cell, and it kept some of its values on its stack
// in linear memory. On amd64 its loop took ~36 instructions a cell of the
// bench survey (cachegrind), 11 of them for the four bounds tests; the
// assembly takes ~21, the call included.
func copyShort(dst []byte, o int, ends []int32, spans []uint64, buf []byte) (int, int) {
	n := min(len(ends), len(spans))
	if n == 0 || len(dst) < 32 || len(buf) < 32 {
		return copyShortGo(dst, o, ends, spans, buf)
	}
	return copyShortAsm(&dst[0], len(dst), o, &ends[0], &spans[0], n, &buf[0], len(buf))
}

// copyShortAsm is copyShort's loop: dst, ends, spans and buf are the
// first elements of the slices (n spans and ends, dstLen and bufLen
// bytes; both at least 32).
//
//go:noescape
func copyShortAsm(dst *byte, dstLen, o int, ends *int32, spans *uint64, n int, buf *byte, bufLen int) (int, int)
