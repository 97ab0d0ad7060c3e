//go:build wasm && !purego

#include "textflag.h"

// The constants of masks8 (csv_fast.go), as signed 64-bit immediates.
#define LO7 $0x7F7F7F7F7F7F7F7F
#define LO8 $0x0101010101010101
#define HI8 $-0x7F7F7F7F7F7F7F80 // 0x8080808080808080
#define CTL8 $0x0E0E0E0E0E0E0E0E
#define QUOTE8 $0x2222222222222222
#define GATHER $0x0002040810204081

// WORD(off, shift) adds the masks of the 8 bytes at R1+off to R4
// (delimiters) and R5 (specials), at bit shift, as masks8 computes them:
//   x = the word, v = x^dm, q = x^quote8
//   d = ^((v&lo7 + lo7) | v) & hi8
//   s = ((q-lo8)&^q | (x-ctl8)&^x) & hi8
// each gathered into one byte by d*gather>>56. R6 holds x, R7 v, then q.
#define WORD(off, shift) \
	Get R1; I32WrapI64; I64Load $off; Tee R6; \
	Get R3; I64Xor; Tee R7; \
	I64Const LO7; I64And; I64Const LO7; I64Add; Get R7; I64Or; \
	I64Const HI8; I64And; I64Const HI8; I64Xor; \
	I64Const GATHER; I64Mul; I64Const $56; I64ShrU; I64Const $shift; I64Shl; \
	Get R4; I64Or; Set R4; \
	Get R6; I64Const QUOTE8; I64Xor; Tee R7; \
	I64Const LO8; I64Sub; Get R7; I64Const $-1; I64Xor; I64And; \
	Get R6; I64Const CTL8; I64Sub; Get R6; I64Const $-1; I64Xor; I64And; \
	I64Or; I64Const HI8; I64And; \
	I64Const GATHER; I64Mul; I64Const $56; I64ShrU; I64Const $shift; I64Shl; \
	Get R5; I64Or; Set R5

// func masksWasm(win *uint64, data *byte, blocks int, dm uint64)
//
// For each block of 64 bytes at data: win[0] = its delimiter mask, win[1]
// its special mask (masks64's). Then win += 2, data += 64.
TEXT ·masksWasm(SB), NOSPLIT, $0-32
	I64Load win+0(FP)
	Set R0
	I64Load data+8(FP)
	Set R1
	I64Load blocks+16(FP)
	Set R2
	I64Load dm+24(FP)
	Set R3

	Block
	Loop
		Get R2
		I64Eqz
		BrIf $1

		I64Const $0
		Set R4
		I64Const $0
		Set R5
		WORD(0, 0)
		WORD(8, 8)
		WORD(16, 16)
		WORD(24, 24)
		WORD(32, 32)
		WORD(40, 40)
		WORD(48, 48)
		WORD(56, 56)

		Get R0
		I32WrapI64
		Get R4
		I64Store $0
		Get R0
		I32WrapI64
		Get R5
		I64Store $8

		Get R0
		I64Const $16
		I64Add
		Set R0
		Get R1
		I64Const $64
		I64Add
		Set R1
		Get R2
		I64Const $1
		I64Sub
		Set R2
		Br $0
	End
	End
	RET
