//go:build amd64 && !purego

#include "textflag.h"

// DIG(off, r) sets r to the cell's byte at off less '0', mod 256
// (uint(byte(…)-'0') in dateSlot).
#define DIG(off, r) MOVBQZX off(R14), r; SUBQ $48, r; ANDQ $255, r

// TIMES10(r) multiplies r by 10.
#define TIMES10(r) LEAQ (r)(r*4), r; SHLQ $1, r

// func knownSpansLoop(dates *knownDate, buf *byte, bufLen int, spans *uint64, n, i int, months *int32) int
//
// knownSpansGo's loop (months.go): for rows i, i+1, … < n, the cell b of
// span spans[i] (start in the low 32 bits, end in the high ones; its end
// at most bufLen), while
//   - its start is not negative (a quoted cell that needs unescaping),
//   - b is of a fast shape (fastShape),
//   - the entry of its date (dateSlot of dateKey) holds that date,
//   - its HH:MM:SS at b[11:] are digits and colons in range (digits8,
//     pairs),
// months[i] = the entry's month. Returns i.
//
// Registers: DI dates, SI buf, R8 bufLen, R9 spans, R10 n, BX i,
// R11 start, R12 months, R15 end, R14 the cell's address, AX its date
// word then its clock, CX its day bytes, R13 the entry then its month,
// DX a temporary.
TEXT ·knownSpansLoop(SB), NOSPLIT, $0-64
	MOVQ dates+0(FP), DI
	MOVQ buf+8(FP), SI
	MOVQ bufLen+16(FP), R8
	MOVQ spans+24(FP), R9
	MOVQ n+32(FP), R10
	MOVQ i+40(FP), BX
	MOVQ months+48(FP), R12

kloop:
	CMPQ BX, R10
	JGE  kdone
	MOVQ (R9)(BX*8), R15
	MOVLQSX R15, R11
	SHRQ $32, R15
	TESTQ R11, R11
	JS   kdone // quoted: needs unescaping
	CMPQ R15, R8
	JA   kdone // past the data
	MOVQ R15, DX
	SUBQ R11, DX
	LEAQ (SI)(R11*1), R14

	// fastShape: 20 bytes ending in Z with a T at 10, or 19 with a T or
	// space at 10. (A negative length is neither.)
	CMPQ DX, $20
	JEQ  k20
	CMPQ DX, $19
	JNE  kdone
	MOVBQZX 10(R14), DX
	CMPQ DX, $84 // 'T'
	JEQ  kshape
	CMPQ DX, $32 // ' '
	JNE  kdone
	JMP  kshape

k20:
	CMPB 19(R14), $90 // 'Z'
	JNE  kdone
	CMPB 10(R14), $84 // 'T'
	JNE  kdone

kshape:
	// dateKey, dateSlot: ((y&3*12 + mo)*32 + d) & (dateSlots-1), each
	// two-digit number from its bytes less '0' (mod 256).
	MOVQ (R14), AX
	MOVWQZX 8(R14), CX
	DIG(2, R13)
	TIMES10(R13)
	DIG(3, DX)
	ADDQ DX, R13
	ANDQ $3, R13
	IMULQ $12, R13
	DIG(5, DX)
	TIMES10(DX)
	ADDQ DX, R13
	DIG(6, DX)
	ADDQ DX, R13
	SHLQ $5, R13
	DIG(8, DX)
	TIMES10(DX)
	ADDQ DX, R13
	DIG(9, DX)
	ADDQ DX, R13
	ANDQ $2047, R13
	SHLQ $4, R13
	ADDQ DI, R13

	// The entry holds this date? Then its month.
	CMPQ AX, (R13)
	JNE  kdone
	CMPW CX, 8(R13)
	JNE  kdone
	MOVL 12(R13), R13

	// digits8(b[11:19], timeSep, timeVal): the colons at 2 and 5, digits
	// elsewhere (CX: y, with '0' for the colons).
	MOVQ 11(R14), AX
	MOVQ $0x0000FF0000FF0000, DX
	MOVQ AX, CX
	ANDQ DX, CX
	MOVQ $0x00003A00003A0000, R14
	CMPQ CX, R14
	JNE  kdone
	NOTQ DX
	ANDQ DX, AX
	MOVQ $0x0000300000300000, R14
	ORQ  R14, AX
	MOVQ $0xF0F0F0F0F0F0F0F0, DX
	MOVQ $0x3030303030303030, R14
	MOVQ AX, CX
	ANDQ DX, CX
	CMPQ CX, R14
	JNE  kdone
	MOVQ $0x0606060606060606, CX
	ADDQ AX, CX
	ANDQ DX, CX
	CMPQ CX, R14
	JNE  kdone

	// pairs: p = v*10 + v>>8, v the digit values (colons 0); HH <= 23,
	// MM <= 59, SS <= 59 (bytes 0, 3 and 6 of p).
	MOVQ $0x0F0F000F0F000F0F, CX
	ANDQ CX, AX
	MOVQ AX, CX
	SHRQ $8, CX
	TIMES10(AX)
	ADDQ CX, AX
	CMPB AL, $23
	JA   kdone
	MOVQ AX, CX
	SHRQ $24, CX
	CMPB CL, $59
	JA   kdone
	SHRQ $48, AX
	CMPB AL, $59
	JA   kdone

	// months[i] = the entry's month; on.
	MOVL R13, (R12)(BX*4)
	INCQ BX
	JMP  kloop

kdone:
	MOVQ BX, ret+56(FP)
	RET
