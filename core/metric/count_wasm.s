//go:build wasm && !purego

#include "textflag.h"

// BUMP(r): c[r]++, trapping if r >= clen (unsigned: also r < 0).
#define BUMP(r) \
	Get r; Get R1; I64GeU; If; Unreachable; End; \
	Get R0; Get r; I64Const $3; I64Shl; I64Add; I32WrapI64; \
	Get R0; Get r; I64Const $3; I64Shl; I64Add; I32WrapI64; I64Load $0; \
	I64Const $1; I64Add; I64Store $0

// GROUP(p): for the group g = p[i] (a pointer to int32s; none if p is
// nil): unless g < 0, c[g*w+slot]++. R9 holds slot, R10 the index.
#define GROUP(p) \
	Get p; I64Eqz; I32Eqz; If; \
		Get p; Get R7; I64Const $2; I64Shl; I64Add; I32WrapI64; I64Load32S $0; Tee R10; \
		I64Const $0; I64GeS; If; \
			Get R10; Get R6; I64Mul; Get R9; I64Add; Set R10; \
			BUMP(R10); \
		End; \
	End

// func countWasm(c *int64, clen int, slots *int32, n int, g0, g1 *int32, w, overall int)
//
// Registers: R0 c, R1 clen, R2 slots, R3 n, R4 g0, R5 g1, R6 w, R7 i,
// R8 overall, R9 slot, R10 an index into c.
TEXT ·countWasm(SB), NOSPLIT, $0-64
	I64Load c+0(FP)
	Set R0
	I64Load clen+8(FP)
	Set R1
	I64Load slots+16(FP)
	Set R2
	I64Load n+24(FP)
	Set R3
	I64Load g0+32(FP)
	Set R4
	I64Load g1+40(FP)
	Set R5
	I64Load w+48(FP)
	Set R6
	I64Load overall+56(FP)
	Set R8
	I64Const $0
	Set R7

	Block
	Loop
		Get R7
		Get R3
		I64GeS
		BrIf $1

		Get R2
		Get R7
		I64Const $2
		I64Shl
		I64Add
		I32WrapI64
		I64Load32S $0
		Set R9
		Get R8
		I64Eqz
		I32Eqz
		If
			BUMP(R9)
		End
		GROUP(R4)
		GROUP(R5)

		Get R7
		I64Const $1
		I64Add
		Set R7
		Br $0
	End
	End
	RET
