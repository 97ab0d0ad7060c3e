//go:build wasm && !purego

#include "textflag.h"

// func copyShortAsm(dst *byte, dstLen, o int, ends *int32, spans *uint64, n int, buf *byte, bufLen int) (int, int)
//
// For i = 0, 1, … < n, while span i = [a, b) (a in its low 32 bits, signed;
// b in its high ones) has 0 <= a <= bufLen-32, b-a <= 32 (unsigned), and
// o <= dstLen-32: the 32 bytes at buf+a go to dst+o, o += b-a, ends[i] =
// o. Returns o and i, as copyShortGo does.
//
// Registers: R0 dst, R1 dstLen-32, R2 o, R3 ends, R4 the next span,
// R5 n, R6 buf, R7 bufLen-32, R8 i, R9 a, R10 b, R11 b-a, R12 dst+o,
// R13 buf+a.
TEXT ·copyShortAsm(SB), NOSPLIT, $0-80
	I64Load dst+0(FP)
	Set R0
	I64Load dstLen+8(FP)
	I64Const $32
	I64Sub
	Set R1
	I64Load o+16(FP)
	Set R2
	I64Load ends+24(FP)
	Set R3
	I64Load spans+32(FP)
	Set R4
	I64Load n+40(FP)
	Set R5
	I64Load buf+48(FP)
	Set R6
	I64Load bufLen+56(FP)
	I64Const $32
	I64Sub
	Set R7
	I64Const $0
	Set R8

	Block
	Loop
		Get R8
		Get R5
		I64GeS
		BrIf $1

		// a, b
		Get R4
		I32WrapI64
		I64Load $0
		Tee R10
		I64Const $32
		I64ShrU
		Get R10
		I64Extend32S
		Tee R9
		I64Sub
		Set R11
		Get R10
		I64Const $32
		I64ShrU
		Set R10

		// Stop at a < 0, a > bufLen-32, b-a > 32 or o > dstLen-32.
		Get R9
		I64Const $0
		I64LtS
		Get R9
		Get R7
		I64GtS
		I32Or
		Get R11
		I64Const $32
		I64GtU
		I32Or
		Get R2
		Get R1
		I64GtS
		I32Or
		BrIf $1

		Get R0
		Get R2
		I64Add
		Set R12
		Get R6
		Get R9
		I64Add
		Set R13

		// The 32 bytes, as four words (dst and buf do not overlap).
		Get R12
		I32WrapI64
		Get R13
		I32WrapI64
		I64Load $0
		I64Store $0
		Get R12
		I32WrapI64
		Get R13
		I32WrapI64
		I64Load $8
		I64Store $8
		Get R12
		I32WrapI64
		Get R13
		I32WrapI64
		I64Load $16
		I64Store $16
		Get R12
		I32WrapI64
		Get R13
		I32WrapI64
		I64Load $24
		I64Store $24

		// o += b-a; ends[i] = o
		Get R2
		Get R11
		I64Add
		Set R2
		Get R3
		Get R8
		I64Const $2
		I64Shl
		I64Add
		I32WrapI64
		Get R2
		I64Store32 $0

		Get R8
		I64Const $1
		I64Add
		Set R8
		Get R4
		I64Const $8
		I64Add
		Set R4
		Br $0
	End
	End

	Get SP
	Get R2
	I64Store ret+64(FP)
	Get SP
	Get R8
	I64Store ret1+72(FP)
	RET
