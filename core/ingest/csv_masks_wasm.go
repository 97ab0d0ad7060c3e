//go:build wasm && !purego

package ingest

// masksWindow computes the masks of len(win)/2 blocks of 64 bytes of data
// into win (win[2i], win[2i+1]: delimiters and specials of block i), as
// masks64 does for each, in hand-written WebAssembly (csv_masks_wasm.s):
// the same word operations, but the Go compiler's wasm code for masks64
// kept only 16 values in wasm locals and spilled the rest to its stack in
// linear memory (35 loads and 14 stores a block, for 8 loads of data).
// Its share of a wasm CSV pass (BenchmarkCSV, node's profiler) fell by a
// quarter.
func masksWindow(win []uint64, data []byte, dm uint64) {
	if len(win) < 2 {
		return
	}
	_ = data[32*(len(win)&^1)-1] // the blocks lie in data
	masksWasm(&win[0], &data[0], len(win)/2, dm)
}

// masksWasm is masksWindow's loop, in csv_masks_wasm.s.
//
//go:noescape
func masksWasm(win *uint64, data *byte, blocks int, dm uint64)
