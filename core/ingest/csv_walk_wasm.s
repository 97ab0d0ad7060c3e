//go:build wasm && !purego

#include "go_asm.h"
#include "textflag.h"

// walkAsm is walker.walkGo (csv_fast.go) for what a survey export is
// made of, in hand-written WebAssembly; see csv_walk_asm.go for why and
// for what it leaves to walkGo. Each block below says which lines of
// walkGo it does.
//
// Registers (wasm locals, i64):
//   R0 w        R1 wbase    R2 d        R3 sp       R4 fs      R5 nf
//   R6 row      R7 &fields[0] (or a temporary in a quoted field)
//   R8 len(fields)-1 (or a temporary)   R9 &data[0]  R10 &win[0]
//   R11 next    R12 below, then pos, then the result
//   R13–R15 temporaries
// Walker fields used once in a while are read from w.

#define W Get R0; I32WrapI64
#define LOADW(off) W; I64Load $off
#define SETW(off, r) Get R0; I32WrapI64; Get r; I64Store $off

// FIELDS sets R7 and R8 (&fields[0], len(fields)-1).
#define FIELDS LOADW(walker_fields); Set R7; LOADW(walker_fields+8); I64Const $1; I64Sub; Set R8

// FIELD pushes the address of fields[min(nf, len(fields)-1)] as an i32.
#define FIELD Get R5; Get R8; Get R5; Get R8; I64LtS; Select; I64Const $4; I64Shl; Get R7; I64Add; I32WrapI64

// SLOT pushes the address of the span of field nf of row row: its
// column's slot, or the trash slot (the last of the spans) when it is not
// selected (fieldSel.wslot + row&fieldSel.rmask) or when fs < 0 (a quoted
// field's span, set already).
#define SLOT LOADW(walker_spans); \
	FIELD; I64Load32S $fieldSel_wslot; Get R6; FIELD; I64Load32S $fieldSel_rmask; I64And; I64Add; \
	LOADW(walker_spans+8); I64Const $1; I64Sub; \
	Get R4; I64Const $0; I64GeS; Select; \
	I64Const $3; I64Shl; I64Add; I32WrapI64

// SPAN pushes span(fs, pos) for pos in r: uint32(fs) | pos<<32.
#define SPAN(r) Get R4; I64Const $0xFFFFFFFF; I64And; Get r; I64Const $32; I64Shl; I64Or

// DROPLOW(r) pushes r&(r-1): r without its lowest set bit.
#define DROPLOW(r) Get r; Get r; I64Const $1; I64Sub; I64And

// WINAT(r) pushes the address of win[r] as an i32.
#define WINAT(r) Get R10; Get r; I64Const $3; I64Shl; I64Add; I32WrapI64

// WINLEN pushes len(w.win).
#define WINLEN LOADW(walker_win+8)

// QP pushes the position of the lowest special bit in the quoted field
// being crossed (base R13, bits R14); QBYTE(off) the byte at QP+off.
#define QP Get R13; Get R14; I64Ctz; I64Add
#define QBYTE(off) Get R9; QP; I64Add; I32WrapI64; I64Load8U $off
#define QNEXT DROPLOW(R14); Set R14

#define PUNT $const_walkPunt

// func walkAsm(w *walker) int
TEXT ·walkAsm(SB), NOSPLIT, $0-16
	I64Load w+0(FP)
	Set R0
	LOADW(walker_wbase)
	Set R1
	LOADW(walker_d)
	Set R2
	LOADW(walker_sp)
	Set R3
	LOADW(walker_fs)
	Set R4
	LOADW(walker_nf)
	Set R5
	LOADW(walker_row)
	Set R6
	FIELDS
	LOADW(walker_data)
	Set R9
	LOADW(walker_win)
	Set R10
	LOADW(walker_next)
	Set R11

	Block // exit, with the result in R12
	Loop // main: walkGo's for
		// for d|sp == 0: the next block of the window, or walkMasks.
		Block
		Loop
			Get R2
			Get R3
			I64Or
			I64Const $0
			I64Ne
			BrIf $1
			Get R11
			I64Const $0
			I64LtS
			Get R11
			I64Const $1
			I64Add
			WINLEN
			I64GeS
			I32Or
			If
				I64Const $const_walkMasks
				Set R12
				Br $4 // exit
			End
			WINAT(R11)
			I64Load $0
			Set R2
			WINAT(R11)
			I64Load $8
			Set R3
			Get R11
			I64Const $2
			I64Add
			Set R11
			Get R1
			I64Const $64
			I64Add
			Set R1
			Br $0
		End
		End

		// below := d & (sp&-sp - 1): the delimiters before the next special.
		Get R2
		Get R3
		I64Const $0
		Get R3
		I64Sub
		I64And
		I64Const $1
		I64Sub
		I64And
		Tee R12
		I64Const $0
		I64Ne
		If
			// d &^= below
			Get R2
			Get R12
			I64Const $-1
			I64Xor
			I64And
			Set R2
			// None of them selected (fields[nf].next > nf and nf +
			// popcount(below) <= next): skip them all.
			FIELD
			I64Load32S $fieldSel_next
			Get R5
			I64GtS
			If
				Get R5
				Get R12
				I64Popcnt
				I64Add
				Tee R14
				FIELD
				I64Load32S $fieldSel_next
				I64LeS
				If
					Get R14
					Set R5
					Get R1
					I64Const $64
					I64Add
					Get R12
					I64Clz
					I64Sub
					Set R4
					Br $3 // main
				End
			End
			// Otherwise one at a time, a span each (see SLOT).
			Loop
				Get R1
				Get R12
				I64Ctz
				I64Add
				Set R14 // pos
				SLOT
				SPAN(R14)
				I64Store $0
				Get R5
				I64Const $1
				I64Add
				Set R5
				Get R14
				I64Const $1
				I64Add
				Set R4
				DROPLOW(R12)
				Tee R12
				I64Const $0
				I64Ne
				BrIf $0
			End
			Br $1 // main
		End

		// The special byte: pos (R12) and its byte c (R13). Its bit stays
		// in sp until it is handled, so that a punt leaves it to walkGo.
		Get R1
		Get R3
		I64Ctz
		I64Add
		Set R12
		Get R9
		Get R12
		I64Add
		I32WrapI64
		I64Load8U $0
		Set R13

		// A line end, LF or CR.
		Get R13
		I64Const $10
		I64Eq
		Get R13
		I64Const $13
		I64Eq
		I32Or
		If
			// To walkGo: an empty line (nf == 0 && fs == pos), a row
			// with too few or too many fields, a pending lenient quote.
			Get R5
			I64Eqz
			Get R4
			Get R12
			I64Eq
			I32And
			Get R5
			I64Const $1
			I64Add
			Get R8
			I64Ne
			I32Or
			LOADW(walker_pendLenient)
			I64Const $0
			I64Ne
			I32Or
			If
				I64Const PUNT
				Set R12
				Br $3 // exit
			End
			// p (R14) = pos+1, after the LF of a CRLF.
			Get R12
			I64Const $1
			I64Add
			Set R14
			Get R13
			I64Const $13
			I64Eq
			If
				// A lone CR: to walkGo.
				Get R9
				Get R14
				I64Add
				I32WrapI64
				I64Load8U $0
				I64Const $10
				I64Ne
				If
					I64Const PUNT
					Set R12
					Br $4 // exit
				End
				// CRLF: the LF is not a line of its own. Its bit is in
				// this block, or the first of the next in the window;
				// beyond it (walkGo's skipLF), to walkGo.
				Get R14
				Get R1
				I64Const $64
				I64Add
				I64LtS
				If
					Get R3
					I64Const $1
					Get R14
					Get R1
					I64Sub
					I64Shl
					I64Const $-1
					I64Xor
					I64And
					Set R3
				Else
					Get R11
					I64Const $0
					I64GeS
					Get R11
					I64Const $1
					I64Add
					WINLEN
					I64LtS
					I32And
					I32Eqz
					If
						I64Const PUNT
						Set R12
						Br $5 // exit
					End
					WINAT(R11)
					WINAT(R11)
					I64Load $8
					I64Const $-2
					I64And
					I64Store $8
				End
				Get R14
				I64Const $1
				I64Add
				Set R14
			End
			// The row is complete: the line end's bit, the line, the
			// last field's span, the next row.
			DROPLOW(R3)
			Set R3
			W
			LOADW(walker_line)
			I64Const $1
			I64Add
			I64Store $walker_line
			SLOT
			SPAN(R12)
			I64Store $0
			Get R6
			I64Const $1
			I64Add
			Set R6
			Get R14
			Set R4
			I64Const $0
			Set R5
			SETW(walker_recStart, R14)
			W
			LOADW(walker_line)
			I64Store $walker_recLine
			// row == maxRow || p >= stopAt: walkFull.
			Get R6
			LOADW(walker_maxRow)
			I64Eq
			Get R14
			LOADW(walker_stopAt)
			I64GeS
			I32Or
			If
				I64Const $const_walkFull
				Set R12
				Br $3 // exit
			End
			Br $1 // main
		End

		// A quote opening a field (pos == fs): crossed on the special
		// bits, as walkGo does; one it cannot cross, to walkGo.
		Get R13
		I64Const $34
		I64Eq
		Get R12
		Get R4
		I64Eq
		I32And
		If
			// R13 base, R14 the special bits after the opening quote,
			// R15 the next block's index in win, R7 the second quote of
			// a "" pair (-1: none), R8 lines.
			Get R1
			Set R13
			DROPLOW(R3)
			Set R14
			Get R11
			Set R15
			I64Const $-1
			Set R7
			I64Const $0
			Set R8
			Block // fail
			Block // found: the byte after the closing quote in R14
			Loop // scan
				Block
				Loop
					Get R14
					I64Const $0
					I64Ne
					BrIf $1
					Get R15
					I64Const $0
					I64LtS
					Get R15
					I64Const $1
					I64Add
					WINLEN
					I64GeS
					I32Or
					BrIf $4 // fail
					Get R13
					I64Const $64
					I64Add
					Set R13
					WINAT(R15)
					I64Load $8
					Set R14
					Get R15
					I64Const $2
					I64Add
					Set R15
					Br $0
				End
				End
				QBYTE(0)
				I64Const $34
				I64Eq
				If
					// The second quote of a pair.
					QP
					Get R7
					I64Eq
					If
						QNEXT
						Br $2 // scan
					End
					// A pair.
					QBYTE(1)
					I64Const $34
					I64Eq
					If
						QP
						I64Const $1
						I64Add
						Set R7
						QNEXT
						Br $2 // scan
					End
					// The closing quote: a delimiter or line end after
					// it (w.stop), else to walkGo.
					LOADW(walker_stop)
					QBYTE(1)
					I64Add
					I32WrapI64
					I64Load8U $0
					I64Eqz
					BrIf $3 // fail
					QP
					I64Const $1
					I64Add
					Set R14
					Br $2 // found
				End
				// A line inside the field: an LF, or a CR not followed by
				// one (a CRLF counts at its LF).
				QBYTE(0)
				I64Const $10
				I64Eq
				QBYTE(0)
				I64Const $13
				I64Eq
				QBYTE(1)
				I64Const $10
				I64Ne
				I32And
				I32Or
				If
					Get R8
					I64Const $1
					I64Add
					Set R8
				End
				QNEXT
				Br $0 // scan
			End
			End // found
			// q (R14) beyond the safe region, or past the window: to
			// walkGo. R15 = q - mbase.
			Get R14
			LOADW(walker_data+8)
			I64Const $65
			I64Sub
			I64GtS
			Get R14
			LOADW(walker_mbase)
			I64Sub
			Tee R15
			I64Const $6
			I64ShrS
			I64Const $1
			I64Shl
			WINLEN
			I64GeS
			I32Or
			BrIf $0 // fail
			// w.line += lines
			W
			LOADW(walker_line)
			Get R8
			I64Add
			I64Store $walker_line
			// The field's span: span(-pos-1, 0) if escaped, else
			// span(pos+1, q-1); into R13, then to its slot.
			I64Const $0
			Get R12
			I64Sub
			I64Const $1
			I64Sub
			I64Const $0xFFFFFFFF
			I64And
			Get R12
			I64Const $1
			I64Add
			I64Const $0xFFFFFFFF
			I64And
			Get R14
			I64Const $1
			I64Sub
			I64Const $32
			I64Shl
			I64Or
			Get R7
			I64Const $0
			I64GeS
			Select
			Set R13
			FIELDS
			SLOT
			Get R13
			I64Store $0
			// fs = -1; seek to q: wbase, d and sp of its block, from q on.
			I64Const $-1
			Set R4
			LOADW(walker_mbase)
			Get R15
			I64Const $6
			I64ShrS
			I64Const $6
			I64Shl
			I64Add
			Set R1
			Get R15
			I64Const $6
			I64ShrS
			I64Const $1
			I64Shl
			Set R14 // 2i
			I64Const $-1
			Get R15
			I64Shl
			Set R15 // keep
			WINAT(R14)
			I64Load $0
			Get R15
			I64And
			Set R2
			WINAT(R14)
			I64Load $8
			Get R15
			I64And
			Set R3
			Get R14
			I64Const $2
			I64Add
			Set R11
			Br $2 // main
			End // fail
			I64Const PUNT
			Set R12
			Br $2 // exit
		End

		// Anything else (a false bit of the masks, a literal quote, a
		// control byte): go on.
		DROPLOW(R3)
		Set R3
		Br $0 // main
	End
	End

	SETW(walker_wbase, R1)
	SETW(walker_d, R2)
	SETW(walker_sp, R3)
	SETW(walker_fs, R4)
	SETW(walker_nf, R5)
	SETW(walker_row, R6)
	SETW(walker_next, R11)
	Get SP
	Get R12
	I64Store ret+8(FP)
	RET
