//go:build amd64 && !purego

#include "textflag.h"

// func shortGroupsSpansLoop(slots unsafe.Pointer, buf *byte, bufLen, bufCap int, spans *uint64, n, i int, gids *int32) int
//
// For rows i, i+1, … < n, the cell of span spans[i] (start in the low 32
// bits, end in the high ones; ingest.Column.Spans): while its start is
// not negative (a quoted cell that needs unescaping), its end at most
// bufLen, it is at most 8 bytes long (and not of negative length) with 8
// bytes readable from its start (cellWord's load), and the cache's slot
// for its word (shortIndex) holds that word and length (shortCache.get),
// gids[i] = *slot.g. Returns i. A shortSlot[int32] is word (8 bytes), n
// (8), g (8).
//
// Registers: DI slots, SI buf, R8 bufCap-8, R9 spans, R10 n, BX i,
// R11 start, R12 gids, R13 the hash multiplier, R15 end, DX length,
// AX word, CX and R14 temporaries.
TEXT ·shortGroupsSpansLoop(SB), NOSPLIT, $0-72
	MOVQ slots+0(FP), DI
	MOVQ buf+8(FP), SI
	MOVQ bufCap+24(FP), R8
	SUBQ $8, R8
	MOVQ spans+32(FP), R9
	MOVQ n+40(FP), R10
	MOVQ i+48(FP), BX
	MOVQ gids+56(FP), R12
	MOVQ $0x9E3779B97F4A7C15, R13

sgloop:
	CMPQ BX, R10
	JGE  sgdone
	MOVQ (R9)(BX*8), R15
	MOVLQSX R15, R11
	SHRQ $32, R15
	TESTQ R11, R11
	JS   sgdone // quoted: needs unescaping
	CMPQ R15, bufLen+16(FP)
	JA   sgdone // past the data
	MOVQ R15, DX
	SUBQ R11, DX
	CMPQ DX, $8
	JA   sgdone // longer than 8, or negative
	CMPQ R11, R8
	JGT  sgdone // fewer than 8 bytes readable from start
	// word = the 8 bytes at start, masked to length: ^0 >> (64 - 8·length),
	// 0 for an empty cell (a shift by 64 would be one by 0).
	MOVQ (SI)(R11*1), AX
	LEAQ (DX*8), CX
	NEGQ CX
	ADDQ $64, CX
	MOVQ $-1, R14
	SHRQ CX, R14
	TESTQ DX, DX
	CMOVQEQ DX, R14
	ANDQ R14, AX
	// the slot: slots + 24·(word·0x9E3779B97F4A7C15 >> 58)
	MOVQ AX, R14
	IMULQ R13, R14
	SHRQ $58, R14
	LEAQ (R14)(R14*2), R14
	// stop unless slot.word == word and slot.n == length+1
	CMPQ AX, (DI)(R14*8)
	JNE  sgdone
	INCQ DX
	CMPQ DX, 8(DI)(R14*8)
	JNE  sgdone
	// gids[i] = *slot.g
	MOVQ 16(DI)(R14*8), AX
	MOVL (AX), AX
	MOVL AX, (R12)(BX*4)
	INCQ BX
	JMP  sgloop

sgdone:
	MOVQ BX, ret+64(FP)
	RET

// func tableSlotsSpansLoop(one, two *int32, blank int, buf *byte, bufLen int, spans *uint64, n, i int, slots *int32) int
//
// For rows i, i+1, … < n, the cell of span spans[i] (as in
// shortGroupsSpansLoop; its start not negative, its end at most bufLen,
// its start at most its end): slots[i] = blank for an empty cell, one[b0]
// for one byte, two[10·(b0-'0')+b1-'0'] for two digits; any other cell
// stops the loop. Returns i.
//
// Registers: DI one, SI two, R8 blank, R9 buf, R10 bufLen, R11 spans,
// R12 n, BX i, R13 start, R14 slots, R15 end, DX length, AX the slot,
// CX b1-'0'.
TEXT ·tableSlotsSpansLoop(SB), NOSPLIT, $0-80
	MOVQ one+0(FP), DI
	MOVQ two+8(FP), SI
	MOVQ blank+16(FP), R8
	MOVQ buf+24(FP), R9
	MOVQ bufLen+32(FP), R10
	MOVQ spans+40(FP), R11
	MOVQ n+48(FP), R12
	MOVQ i+56(FP), BX
	MOVQ slots+64(FP), R14

tsloop:
	CMPQ BX, R12
	JGE  tsdone
	MOVQ (R11)(BX*8), R15
	MOVLQSX R15, R13
	SHRQ $32, R15
	TESTQ R13, R13
	JS   tsdone // quoted: needs unescaping
	CMPQ R15, R10
	JA   tsdone // past the data
	MOVQ R15, DX
	SUBQ R13, DX
	CMPQ DX, $1
	JEQ  tsone
	JB   tsblank // 0 (a negative length is above 2, unsigned)
	CMPQ DX, $2
	JNE  tsdone
	// Two digits, else done.
	MOVBQZX (R9)(R13*1), AX
	SUBQ $48, AX
	CMPQ AX, $10
	JAE  tsdone
	MOVBQZX 1(R9)(R13*1), CX
	SUBQ $48, CX
	CMPQ CX, $10
	JAE  tsdone
	LEAQ (AX)(AX*4), AX
	LEAQ (CX)(AX*2), AX
	MOVL (SI)(AX*4), AX
	JMP  tsstore

tsone:
	MOVBQZX (R9)(R13*1), AX
	MOVL (DI)(AX*4), AX
	JMP  tsstore

tsblank:
	MOVL R8, AX

tsstore:
	MOVL AX, (R14)(BX*4)
	INCQ BX
	JMP  tsloop

tsdone:
	MOVQ BX, ret+72(FP)
	RET
