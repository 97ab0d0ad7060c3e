//go:build (amd64 || wasm) && !purego

package ingest

import "unsafe"

// Both walkAsm index the fields by nf<<4: a fieldSel must be 16 bytes (a
// constant that would be negative does not compile).
const (
	_ = uint(16 - unsafe.Sizeof(fieldSel{}))
	_ = uint(unsafe.Sizeof(fieldSel{}) - 16)
)

// walk is walkAsm, hand-written assembly (csv_walk_amd64.s,
// csv_walk_wasm.s), and walkGo for each special byte walkAsm leaves to
// it: one at a time, so that a file with many such rows still runs mostly
// in walkAsm.
//
// Why, in wasm: the Go compiler's wasm code jumps between basic blocks by
// setting a block number and branching to a br_table at the top of the
// function, so every taken branch of walkGo is an indirect jump through
// one table, whose target depends on the data (delimiter, line end,
// quote, next block); and it keeps only 16 values in wasm locals, the
// rest on its stack in linear memory. The wasm walkAsm is the same loop
// in structured wasm (loop, block, br_if), its state in locals.
//
// Why, on amd64: walkGo was ~40% of a native survey pass, at ~545
// instructions a row of the bench survey (cachegrind): ~33 a delimiter,
// where the compiler clamps nf with a branch, spills the loop's variables
// and moves registers around at the back edges. The amd64 walkAsm keeps
// the walker's state in registers, ~20 instructions a delimiter.
//
// walkAsm does the window's blocks, delimiters (skipped or a span each),
// rows that end in LF or CRLF with the header's count of fields, and
// quoted fields it can cross in the window. It leaves to walkGo, without
// having consumed the special byte it stopped at: empty lines, rows with
// too few or too many fields, a lone CR, a CRLF whose LF is past the
// window, a pending lenient quote, and quoted fields it cannot cross.
func (w *walker) walk() int {
	for {
		if r := walkAsm(w); r != walkPunt {
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

// walkAsm is walk's loop, in csv_walk_amd64.s or csv_walk_wasm.s. It
// returns walkMasks, walkFull or walkPunt (walkGo goes on from here).
//
//go:noescape
func walkAsm(w *walker) int
