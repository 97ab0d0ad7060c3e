//go:build amd64 && !purego

#include "textflag.h"

// func masksSSE2(win *uint64, data *byte, blocks int, delim byte)
//
// For each block of 64 bytes at data: win[0] = bit j set iff byte j is the
// delimiter; win[1] = bit j set iff byte j is a quote or below 0x0E. Then
// win += 2, data += 64.
TEXT ·masksSSE2(SB), NOSPLIT, $0-25
	MOVQ win+0(FP), DI
	MOVQ data+8(FP), SI
	MOVQ blocks+16(FP), CX
	MOVBQZX delim+24(FP), AX

	// X8 = the delimiter in every byte, X9 = '"' in every byte,
	// X10 = 0x0D in every byte.
	MOVQ $0x0101010101010101, BX
	IMULQ BX, AX
	MOVQ AX, X8
	PUNPCKLQDQ X8, X8
	MOVQ $0x2222222222222222, AX
	MOVQ AX, X9
	PUNPCKLQDQ X9, X9
	MOVQ $0x0D0D0D0D0D0D0D0D, AX
	MOVQ AX, X10
	PUNPCKLQDQ X10, X10

	TESTQ CX, CX
	JLE done

loop:
	MOVOU 0(SI), X0
	MOVOU 16(SI), X1
	MOVOU 32(SI), X2
	MOVOU 48(SI), X3

	// Delimiters: bytes equal to X8.
	MOVO X0, X4
	PCMPEQB X8, X4
	PMOVMSKB X4, R8
	MOVO X1, X4
	PCMPEQB X8, X4
	PMOVMSKB X4, R9
	MOVO X2, X4
	PCMPEQB X8, X4
	PMOVMSKB X4, R10
	MOVO X3, X4
	PCMPEQB X8, X4
	PMOVMSKB X4, R11
	SHLQ $16, R9
	SHLQ $32, R10
	SHLQ $48, R11
	ORQ R9, R8
	ORQ R11, R10
	ORQ R10, R8
	MOVQ R8, 0(DI)

	// Specials: bytes equal to '"', or x with min(x, 0x0D) == x.
	MOVO X0, X4
	PCMPEQB X9, X4
	MOVO X0, X5
	PMINUB X10, X5
	PCMPEQB X0, X5
	POR X5, X4
	PMOVMSKB X4, R8
	MOVO X1, X4
	PCMPEQB X9, X4
	MOVO X1, X5
	PMINUB X10, X5
	PCMPEQB X1, X5
	POR X5, X4
	PMOVMSKB X4, R9
	MOVO X2, X4
	PCMPEQB X9, X4
	MOVO X2, X5
	PMINUB X10, X5
	PCMPEQB X2, X5
	POR X5, X4
	PMOVMSKB X4, R10
	MOVO X3, X4
	PCMPEQB X9, X4
	MOVO X3, X5
	PMINUB X10, X5
	PCMPEQB X3, X5
	POR X5, X4
	PMOVMSKB X4, R11
	SHLQ $16, R9
	SHLQ $32, R10
	SHLQ $48, R11
	ORQ R9, R8
	ORQ R11, R10
	ORQ R10, R8
	MOVQ R8, 8(DI)

	ADDQ $64, SI
	ADDQ $16, DI
	DECQ CX
	JNZ loop

done:
	RET
