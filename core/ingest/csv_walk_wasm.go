//go:build wasm && !purego

package ingest

// walk is walkWasm, hand-written WebAssembly (csv_walk_wasm.s), and
// walkGo for each special byte walkWasm leaves to it: one at a time, so
// that a file with many such rows still runs mostly in walkWasm.
//
// Why: the Go compiler's wasm code jumps between basic blocks by setting
// a block number and branching to a br_table at the top of the function,
// so every taken branch of walkGo is an indirect jump through one table,
// whose target depends on the data (delimiter, line end, quote, next
// block); and it keeps only 16 values in wasm locals, the rest on its
// stack in linear memory. walkWasm is the same loop in structured wasm
// (loop, block, br_if), its state in locals.
//
// walkWasm does the window's blocks, delimiters (skipped or a span each),
// rows that end in LF or CRLF with the header's count of fields, and
// quoted fields it can cross in the window. It leaves to walkGo, without
// having consumed the special byte it stopped at: empty lines, rows with
// too few or too many fields, a lone CR, a CRLF whose LF is past the
// window, a pending lenient quote, and quoted fields it cannot cross.
func (w *walker) walk() int {
	for {
		if r := walkWasm(w); r != walkPunt {
			return r
		}
		w.step, w.stepped = true, false
		r := w.walkGo()
		w.step = false
		if r != walkPunt {
			return r
		}
	}
}

// walkWasm is walk's loop, in csv_walk_wasm.s. It returns walkMasks,
// walkFull or walkPunt (walkGo goes on from here).
//
//go:noescape
func walkWasm(w *walker) int
