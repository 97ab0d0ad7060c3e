//go:build amd64 && !purego

#include "textflag.h"

// func copyShortAsm(dst *byte, dstLen, o int, ends *int32, spans *uint64, n int, buf *byte, bufLen int) (int, int)
//
// For i = 0, 1, … < n, while span i = [a, b) (a in its low 32 bits, signed;
// b in its high ones) has 0 <= a <= bufLen-32, b-a <= 32 (unsigned), and
// o <= dstLen-32: the 32 bytes at buf+a go to dst+o, o += b-a, ends[i] =
// o. Returns o and i, as copyShortGo does. (dstLen and bufLen are at
// least 32: copyShort checks.)
//
// Registers: DI dst, R8 dstLen-32, AX o, R9 ends, SI spans, CX n,
// R10 buf, R11 bufLen-32, BX i, R12 the span and b, R13 a, R14 b-a.
TEXT ·copyShortAsm(SB), NOSPLIT, $0-80
	MOVQ dst+0(FP), DI
	MOVQ dstLen+8(FP), R8
	SUBQ $32, R8
	MOVQ o+16(FP), AX
	MOVQ ends+24(FP), R9
	MOVQ spans+32(FP), SI
	MOVQ n+40(FP), CX
	MOVQ buf+48(FP), R10
	MOVQ bufLen+56(FP), R11
	SUBQ $32, R11
	XORL BX, BX

loop:
	CMPQ BX, CX
	JGE  done
	MOVQ (SI)(BX*8), R12
	MOVLQSX R12, R13
	SHRQ $32, R12
	// 0 <= a <= bufLen-32: one unsigned test (bufLen-32 >= 0).
	CMPQ R13, R11
	JA   done
	MOVQ R12, R14
	SUBQ R13, R14
	CMPQ R14, $32
	JA   done
	CMPQ AX, R8
	JGT  done
	MOVOU (R10)(R13*1), X0
	MOVOU 16(R10)(R13*1), X1
	MOVOU X0, (DI)(AX*1)
	MOVOU X1, 16(DI)(AX*1)
	ADDQ R14, AX
	MOVL AX, (R9)(BX*4)
	INCQ BX
	JMP  loop

done:
	MOVQ AX, ret+64(FP)
	MOVQ BX, ret1+72(FP)
	RET
