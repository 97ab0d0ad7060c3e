//go:build wasm && !purego

#include "textflag.h"

// DIGIT(r, shift) pushes the byte of r at bit shift less '0', mod 256
// (uint(byte(r>>shift)-'0') in dateSlot).
#define DIGIT(r, shift) Get r; I64Const $shift; I64ShrU; I64Const $48; I64Sub; I64Const $255; I64And

// OVER(shift, max) pushes whether the byte of R13 at bit shift exceeds max.
#define OVER(shift, max) Get R13; I64Const $shift; I64ShrU; I64Const $255; I64And; I64Const $max; I64GtU

// func knownSpansLoop(dates *knownDate, buf *byte, bufLen int, spans *uint64, n, i int, months *int32) int
//
// knownSpansGo's loop (months.go): for rows i, i+1, … < n, the cell b of
// span spans[i] (start in the low 32 bits, end in the high ones; see
// ingest.Column.Spans), while
//   - its start is not negative (a quoted cell that needs unescaping)
//     and its end at most bufLen,
//   - b is of a fast shape (fastShape),
//   - the entry of its date (dateSlot of dateKey) holds that date,
//   - its HH:MM:SS at b[11:] are digits and colons in range (digits8,
//     pairs),
// months[i] = the entry's month. Returns i. A knownDate is word (8
// bytes), day (2), padding (2), month (4).
//
// Registers: R0 dates, R1 buf, R2 spans, R3 n, R4 i, R5 start, R6 months,
// R7 end, R8 the cell's length, then its address, R9 its date word,
// R10 its day bytes, R11 the entry's address, R12 byte 10, then the clock,
// R13 the clock's digits, R14 bufLen.
TEXT ·knownSpansLoop(SB), NOSPLIT, $0-64
	I64Load dates+0(FP)
	Set R0
	I64Load buf+8(FP)
	Set R1
	I64Load bufLen+16(FP)
	Set R14
	I64Load spans+24(FP)
	Set R2
	I64Load n+32(FP)
	Set R3
	I64Load i+40(FP)
	Set R4
	I64Load months+48(FP)
	Set R6

	Block // done
	Loop
		Get R4
		Get R3
		I64GeS
		BrIf $1

		// The span: start (signed) in R5, end in R7; stop at a negative
		// start or an end past the buffer.
		Get R2
		Get R4
		I64Const $3
		I64Shl
		I64Add
		I32WrapI64
		I64Load $0
		Tee R7
		I32WrapI64
		I64ExtendI32S
		Tee R5
		I64Const $0
		I64LtS
		Get R7
		I64Const $32
		I64ShrU
		Tee R7
		Get R14
		I64GtU
		I32Or
		BrIf $1
		Get R7
		Get R5
		I64Sub
		Set R8

		// fastShape: 20 bytes ending in Z with a T at 10, or 19 with a
		// T or space at 10.
		Get R8
		I64Const $19
		I64Ne
		Get R8
		I64Const $20
		I64Ne
		I32And
		BrIf $1
		Get R1
		Get R5
		I64Add
		I32WrapI64
		I64Load8U $10
		Set R12
		Get R8
		I64Const $20
		I64Eq
		Get R1
		Get R5
		I64Add
		Set R8 // now the cell's address
		If
			Get R8
			I32WrapI64
			I64Load8U $19
			I64Const $90 // 'Z'
			I64Ne
			Get R12
			I64Const $84 // 'T'
			I64Ne
			I32Or
			BrIf $2
		Else
			Get R12
			I64Const $84 // 'T'
			I64Ne
			Get R12
			I64Const $32 // ' '
			I64Ne
			I32And
			BrIf $2
		End

		// dateKey, dateSlot: ((y&3*12 + mo)*32 + d) & (dateSlots-1), each
		// two-digit number from its bytes less '0' (mod 256).
		Get R8
		I32WrapI64
		I64Load $0
		Set R9
		Get R8
		I32WrapI64
		I64Load16U $8
		Set R10
		DIGIT(R9, 16)
		I64Const $10
		I64Mul
		DIGIT(R9, 24)
		I64Add
		I64Const $3
		I64And
		I64Const $12
		I64Mul
		DIGIT(R9, 40)
		I64Const $10
		I64Mul
		I64Add
		DIGIT(R9, 48)
		I64Add
		I64Const $32
		I64Mul
		DIGIT(R10, 0)
		I64Const $10
		I64Mul
		I64Add
		DIGIT(R10, 8)
		I64Add
		I64Const $2047
		I64And
		I64Const $4
		I64Shl
		Get R0
		I64Add
		Set R11

		// The entry holds this date?
		Get R11
		I32WrapI64
		I64Load $0
		Get R9
		I64Ne
		Get R11
		I32WrapI64
		I64Load16U $8
		Get R10
		I64Ne
		I32Or
		BrIf $1

		// digits8(b[11:19], timeSep, timeVal): the colons at 2 and 5,
		// digits elsewhere; y has '0' for the colons.
		Get R8
		I32WrapI64
		I64Load $11
		Tee R12
		I64Const $0x0000FF0000FF0000
		I64And
		I64Const $0x00003A00003A0000
		I64Ne
		BrIf $1
		Get R12
		I64Const $-280375481794561 // ^timeSep
		I64And
		I64Const $0x0000300000300000
		I64Or
		Tee R12
		I64Const $-1085102592571150096 // 0xF0F0F0F0F0F0F0F0
		I64And
		I64Const $0x3030303030303030
		I64Ne
		Get R12
		I64Const $0x0606060606060606
		I64Add
		I64Const $-1085102592571150096
		I64And
		I64Const $0x3030303030303030
		I64Ne
		I32Or
		BrIf $1
		// pairs: p = v*10 + v>>8, v the digit values (colons 0)
		Get R12
		I64Const $0x0F0F000F0F000F0F // 0x0F… &^ timeSep
		I64And
		Tee R13
		I64Const $10
		I64Mul
		Get R13
		I64Const $8
		I64ShrU
		I64Add
		Set R13
		// HH <= 23, MM <= 59, SS <= 59 (bytes 0, 3 and 6 of p)
		OVER(0, 23)
		OVER(24, 59)
		I32Or
		OVER(48, 59)
		I32Or
		BrIf $1

		// months[i] = the entry's month; on.
		Get R6
		Get R4
		I64Const $2
		I64Shl
		I64Add
		I32WrapI64
		Get R11
		I32WrapI64
		I32Load $12
		I32Store $0
		Get R4
		I64Const $1
		I64Add
		Set R4
		Br $0 // the next row
	End
	End

	Get SP
	Get R4
	I64Store ret+56(FP)
	RET
