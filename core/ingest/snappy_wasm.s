//go:build wasm && !purego

#include "textflag.h"

// func snappyWasm(dst *byte, dstLen int, src *byte, srcLen int) int
//
// Decodes the elements of a Snappy block — what follows its preamble
// (https://github.com/google/snappy/blob/main/format_description.txt) —
// at src (srcLen bytes, at least 1) into dst (dstLen bytes, at least 1),
// which they must fill exactly. Returns 0, or 1 if the block is corrupt.
// Every read stays within src and every write within dst, whatever the
// input: a length or offset that points outside is corruption.
//
// Registers: R0 d (next byte out), R1 dst+dstLen, R2 s (next byte in),
// R3 src+srcLen, R4 dst, R5 the tag, R6 the length, R7 the offset,
// R8 a temporary, R9 the result.

// ADDR(r) pushes r as an address.
#define ADDR(r) Get r; I32WrapI64
// LEFT(end, p) pushes end-p: the bytes left.
#define LEFT(end, p) Get end; Get p; I64Sub
// ADVANCE(r, k) adds the constant k to r.
#define ADVANCE(r, k) Get r; I64Const $k; I64Add; Set r
// COPY copies from R8 to R0 until R0 reaches R6, k bytes at a time
// (load and store k bytes).
#define COPY(load, store, k) Loop; ADDR(R0); ADDR(R8); load $0; store $0; ADVANCE(R8, k); \
	Get R0; I64Const $k; I64Add; Tee R0; Get R6; I64LtU; BrIf $0; End

TEXT ·snappyWasm(SB), NOSPLIT, $0-40
	I64Load dst+0(FP)
	Tee R0
	Set R4
	Get R0
	I64Load dstLen+8(FP)
	I64Add
	Set R1
	I64Load src+16(FP)
	Tee R2
	I64Load srcLen+24(FP)
	I64Add
	Set R3
	I64Const $1
	Set R9

	Block
	Loop
		// The end of the block: it is whole if dst is full.
		Get R2
		Get R3
		I64GeU
		If
			Get R0
			Get R1
			I64Eq
			If
				I64Const $0
				Set R9
			End
			Br $2
		End

		ADDR(R2)
		I64Load8U $0
		Set R5
		Get R5
		I64Const $3
		I64And
		I64Eqz
		If
			// A literal: its length-1 in the tag's upper six bits, or
			// (60–63) in the 1–4 bytes after the tag, little-endian.
			Get R5
			I64Const $2
			I64ShrU
			Set R6
			Get R6
			I64Const $60
			I64LtU
			If
				ADVANCE(R2, 1)
			Else
				Get R6
				I64Const $59
				I64Sub
				Set R8
				LEFT(R3, R2)
				Get R8
				I64LeU
				BrIf $3
				I64Const $0
				Set R6
				I64Const $0
				Set R7
				Loop
					Get R6
					Get R2
					Get R7
					I64Add
					I32WrapI64
					I64Load8U $1
					Get R7
					I64Const $3
					I64Shl
					I64Shl
					I64Or
					Set R6
					Get R7
					I64Const $1
					I64Add
					Tee R7
					Get R8
					I64LtU
					BrIf $0
				End
				Get R2
				Get R8
				I64Add
				I64Const $1
				I64Add
				Set R2
			End
			ADVANCE(R6, 1)
			LEFT(R3, R2)
			Get R6
			I64LtU
			LEFT(R1, R0)
			Get R6
			I64LtU
			I32Or
			BrIf $2

			// Up to 16 bytes with room for 16 on both sides: two words
			// (the bytes written past the literal are overwritten by
			// what follows it); longer ones with memory.copy.
			Get R6
			I64Const $16
			I64LeU
			LEFT(R3, R2)
			I64Const $16
			I64GeU
			I32And
			LEFT(R1, R0)
			I64Const $16
			I64GeU
			I32And
			If
				ADDR(R0)
				ADDR(R2)
				I64Load $0
				I64Store $0
				ADDR(R0)
				ADDR(R2)
				I64Load $8
				I64Store $8
			Else
				ADDR(R0)
				ADDR(R2)
				Get R6
				I32WrapI64
				MemoryCopy
			End
			Get R0
			Get R6
			I64Add
			Set R0
			Get R2
			Get R6
			I64Add
			Set R2
			Br $1
		End

		// A copy: tag 1 has a length of 4–11 and an 11-bit offset; tags
		// 2 and 3 a length of 1–64 and a 16- or 32-bit offset after them.
		Get R5
		I64Const $3
		I64And
		Set R8
		Get R8
		I64Const $1
		I64Eq
		If
			LEFT(R3, R2)
			I64Const $2
			I64LtU
			BrIf $2
			Get R5
			I64Const $2
			I64ShrU
			I64Const $7
			I64And
			I64Const $4
			I64Add
			Set R6
			Get R5
			I64Const $5
			I64ShrU
			I64Const $8
			I64Shl
			ADDR(R2)
			I64Load8U $1
			I64Or
			Set R7
			ADVANCE(R2, 2)
		Else
			Get R5
			I64Const $2
			I64ShrU
			I64Const $1
			I64Add
			Set R6
			Get R8
			I64Const $2
			I64Eq
			If
				LEFT(R3, R2)
				I64Const $3
				I64LtU
				BrIf $3
				ADDR(R2)
				I64Load16U $1
				Set R7
				ADVANCE(R2, 3)
			Else
				LEFT(R3, R2)
				I64Const $5
				I64LtU
				BrIf $3
				ADDR(R2)
				I64Load32U $1
				Set R7
				ADVANCE(R2, 5)
			End
		End

		// The offset must reach back into what is written (0 is corrupt),
		// the length fit in what is left.
		Get R7
		I64Eqz
		Get R7
		LEFT(R0, R4)
		I64GtU
		I32Or
		LEFT(R1, R0)
		Get R6
		I64LtU
		I32Or
		BrIf $1

		// From R8 = d-offset to d, forwards: a word at a time when the
		// offset is 8 or more (each word read is written already) and
		// there is room for the last word's overrun, else a byte at a
		// time (an offset under the length repeats the bytes).
		Get R0
		Get R7
		I64Sub
		Set R8
		Get R0
		Get R6
		I64Add
		Set R6
		Get R7
		I64Const $8
		I64GeU
		LEFT(R1, R6)
		I64Const $8
		I64GeU
		I32And
		If
			COPY(I64Load, I64Store, 8)
			Get R6
			Set R0
		Else
			COPY(I64Load8U, I64Store8, 1)
		End
		Br $0
	End
	End

	Get SP
	Get R9
	I64Store ret+32(FP)
	RET
