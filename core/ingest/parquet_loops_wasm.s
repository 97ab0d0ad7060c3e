//go:build wasm && !purego

#include "textflag.h"

// The loops of parquet_loops.go, in hand-written WebAssembly (see
// parquet_loops_wasm.go).

// AT(base, i, shift) pushes the address of element i of base (elements
// of 1<<shift bytes), as an i32.
#define AT(base, i, shift) Get base; Get i; I64Const $shift; I64Shl; I64Add; I32WrapI64
// INC(r): r++.
#define INC(r) Get r; I64Const $1; I64Add; Set r
// UNTIL(i, n) leaves the loop's block once i >= n.
#define UNTIL(i, n) Get i; Get n; I64GeS; BrIf $1

// func int64sInRangeWasm(vs *int64, n int, lo, hi int64) int
//
// Registers: R0 vs, R1 n, R2 lo, R3 hi, R4 i, R5 vs[i].
TEXT ·int64sInRangeWasm(SB), NOSPLIT, $0-40
	I64Load vs+0(FP)
	Set R0
	I64Load n+8(FP)
	Set R1
	I64Load lo+16(FP)
	Set R2
	I64Load hi+24(FP)
	Set R3
	I64Const $0
	Set R4

	Block
	Loop
		UNTIL(R4, R1)
		AT(R0, R4, 3)
		I64Load $0
		Tee R5
		Get R2
		I64LtS
		Get R5
		Get R3
		I64GtS
		I32Or
		BrIf $1
		INC(R4)
		Br $0
	End
	End

	Get SP
	Get R4
	I64Store ret+32(FP)
	RET

// func scaleInt64sWasm(dst, vs *int64, n int, k int64)
//
// Registers: R0 dst, R1 vs, R2 n, R3 k, R4 i.
TEXT ·scaleInt64sWasm(SB), NOSPLIT, $0-32
	I64Load dst+0(FP)
	Set R0
	I64Load vs+8(FP)
	Set R1
	I64Load n+16(FP)
	Set R2
	I64Load k+24(FP)
	Set R3
	I64Const $0
	Set R4

	Block
	Loop
		UNTIL(R4, R2)
		AT(R0, R4, 3)
		AT(R1, R4, 3)
		I64Load $0
		Get R3
		I64Mul
		I64Store $0
		INC(R4)
		Br $0
	End
	End
	RET

// func spreadCodesWasm(dst, lv *int32, n int, idx *int32, nidx, maxDef, off int) int
//
// Registers: R0 dst, R1 lv, R2 n, R3 idx, R4 nidx, R5 maxDef, R6 off,
// R7 i, R8 j, R9 the code.
TEXT ·spreadCodesWasm(SB), NOSPLIT, $0-64
	I64Load dst+0(FP)
	Set R0
	I64Load lv+8(FP)
	Set R1
	I64Load n+16(FP)
	Set R2
	I64Load idx+24(FP)
	Set R3
	I64Load nidx+32(FP)
	Set R4
	I64Load maxDef+40(FP)
	Set R5
	I64Load off+48(FP)
	Set R6
	I64Const $0
	Set R7
	I64Const $0
	Set R8

	Block
	Loop
		UNTIL(R7, R2)
		I64Const $-1
		Set R9
		AT(R1, R7, 2)
		I64Load32S $0
		Get R5
		I64Eq
		If
			// idx[j] + off, trapping past idx
			Get R8
			Get R4
			I64GeU
			If
				Unreachable
			End
			AT(R3, R8, 2)
			I64Load32S $0
			Get R6
			I64Add
			Set R9
			INC(R8)
		End
		AT(R0, R7, 2)
		Get R9
		I64Store32 $0
		INC(R7)
		Br $0
	End
	End

	Get SP
	Get R8
	I64Store ret+56(FP)
	RET

// func indicesBelowWasm(idx *int32, n, lim int) int
//
// indicesBelowGo's loop, in int32 arithmetic as Go's: 1 if the OR of
// lim-x over idx is not negative, else 0.
// Registers: R0 idx, R1 n, R2 lim, R3 i, R4 the OR.
TEXT ·indicesBelowWasm(SB), NOSPLIT, $0-32
	I64Load idx+0(FP)
	Set R0
	I64Load n+8(FP)
	Set R1
	I64Load lim+16(FP)
	Set R2
	I64Const $0
	Set R3
	I64Const $0
	Set R4

	Block
	Loop
		UNTIL(R3, R1)
		Get R4
		Get R2
		AT(R0, R3, 2)
		I64Load32S $0
		I64Sub
		I64Or
		Set R4
		INC(R3)
		Br $0
	End
	End

	// The OR of the low 32 bits: its bit 31 is the sign.
	Get SP
	Get R4
	I64Const $0x80000000
	I64And
	I64Eqz
	I64ExtendI32U
	I64Store ret+24(FP)
	RET
