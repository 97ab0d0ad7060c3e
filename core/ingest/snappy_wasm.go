//go:build wasm && !purego

package ingest

import "encoding/binary"

// snappyDecode decodes the Snappy block src into dst (of the block's
// decoded length), as snappy.Decode does. Its elements are decoded in
// hand-written WebAssembly (snappy_wasm.s): golang/snappy's Go decoder,
// compiled to wasm, jumps through a br_table for every branch and calls
// runtime.memmove (memory.copy, a call out of the wasm code in V8) for
// every copy, however short: the two were ~20 % of a wasm Parquet pass
// over the benchmark survey.
func snappyDecode(dst, src []byte) ([]byte, error) {
	n, k := binary.Uvarint(src)
	if k <= 0 || n != uint64(len(dst)) {
		return nil, errSnappy
	}
	src = src[k:]
	if len(dst) == 0 || len(src) == 0 {
		if len(dst) != 0 || len(src) != 0 {
			return nil, errSnappy
		}
		return dst, nil
	}
	if snappyWasm(&dst[0], len(dst), &src[0], len(src)) != 0 {
		return nil, errSnappy
	}
	return dst, nil
}

// snappyWasm decodes the elements of a Snappy block (after its preamble)
// at src into dst, which they must fill: 0, or 1 if the block is corrupt.
//
//go:noescape
func snappyWasm(dst *byte, dstLen int, src *byte, srcLen int) int
