//go:build amd64 && !purego

#include "go_asm.h"
#include "textflag.h"

// walkAsm is walker.walkGo (csv_fast.go) for what a survey export is made
// of, in hand-written amd64 assembly: the same loop, and the same cases
// left to walkGo, as csv_walk_wasm.s; see csv_walk_asm.go for why. Each
// block below says which lines of walkGo it does.
//
// Registers:
//   DI w         R8 wbase     R9 d         R10 sp       R11 fs
//   R12 nf       R13 row      SI &fields[0]             DX len(fields)-1
//   R15 &spans[0]            AX, BX, CX, R14 temporaries
// w.next, w.data and w.win are read from w where they are needed (once a
// block at most). Crossing a quoted field uses R9, R10, R11, SI, DX and
// R15 for its own state and loads them again from w afterwards.
//
// A span's index is not bounds-checked: index sets maxRow to at most the
// rows the spans have room for, so wslot + row&rmask < len(spans).

// POSBELOW sets AX to pos (wbase + the lowest bit of BX).
#define POSBELOW BSFQ BX, AX; ADDQ R8, AX

// DROPLOW(r, t) drops r's lowest set bit (r &= r-1, through t), setting
// the zero flag if none is left.
#define DROPLOW(r, t) LEAQ -1(r), t; ANDQ t, r

// SPANAT(k, t) stores span(fs, pos) = uint32(fs) | pos<<32 (pos in AX)
// at spans[k], then sets fs = pos + 1. It uses t.
#define SPANAT(k, t) MOVQ AX, t; SHLQ $32, t; MOVL R11, R11; ORQ t, R11; MOVQ R11, (R15)(k*8); LEAQ 1(AX), R11

// SLOT(t) sets CX, a field's index nf, to the index of its span in row
// row: fields[nf].wslot + row&fields[nf].rmask (the trash slot when the
// field is not selected). It uses t.
#define SLOT(t) SHLQ $4, CX; MOVLQSX fieldSel_rmask(SI)(CX*1), t; ANDQ R13, t; MOVLQSX fieldSel_wslot(SI)(CX*1), CX; ADDQ t, CX

// NFCLAMP(r) sets r to min(nf, len(fields)-1): the entry of fields that
// field nf takes (the last one for any field past the header's).
#define NFCLAMP(r) MOVQ R12, r; CMPQ r, DX; CMOVQGT DX, r

// RELOAD loads SI, DX and R15 from w again.
#define RELOAD MOVQ walker_fields(DI), SI; MOVQ walker_fields+8(DI), DX; DECQ DX; MOVQ walker_spans(DI), R15

// func walkAsm(w *walker) int
TEXT ·walkAsm(SB), NOSPLIT, $0-16
	MOVQ w+0(FP), DI
	MOVQ walker_wbase(DI), R8
	MOVQ walker_d(DI), R9
	MOVQ walker_sp(DI), R10
	MOVQ walker_fs(DI), R11
	MOVQ walker_nf(DI), R12
	MOVQ walker_row(DI), R13
	RELOAD

main: // walkGo's for
	// for d|sp == 0: the next block of the window, or walkMasks.
	MOVQ R9, AX
	ORQ  R10, AX
	JNZ  block
	MOVQ walker_next(DI), CX
	TESTQ CX, CX
	JS   masks
	LEAQ 1(CX), AX
	CMPQ AX, walker_win+8(DI)
	JGE  masks
	MOVQ walker_win(DI), BX
	MOVQ (BX)(CX*8), R9
	MOVQ 8(BX)(CX*8), R10
	ADDQ $2, CX
	MOVQ CX, walker_next(DI)
	ADDQ $64, R8
	JMP  main

block:
	// below (BX) := d & (sp&-sp - 1): the delimiters before the next
	// special (all of d when sp == 0).
	MOVQ R10, BX
	NEGQ BX
	ANDQ R10, BX
	DECQ BX
	ANDQ R9, BX
	JZ   special
	// d &^= below
	MOVQ BX, AX
	NOTQ AX
	ANDQ AX, R9
	// None of them selected (fields[min(nf, last)].next > nf and nf +
	// popcount(below) <= next): skip them all, fs after the last.
	NFCLAMP(CX)
	SHLQ $4, CX
	MOVLQSX fieldSel_next(SI)(CX*1), CX
	CMPQ CX, R12
	JLE  take
	// popcount(below) into AX: POPCNT where the CPU has it (walkPOPCNT),
	// else SWAR (POPCNT is not part of GOAMD64=v1), fs kept in X0
	// meanwhile.
	CMPB ·walkPOPCNT(SB), $0
	JEQ  swarcount
	POPCNTQ BX, AX
	JMP  popped

swarcount:
	MOVQ R11, X0
	MOVQ BX, AX
	SHRQ $1, AX
	MOVQ $0x5555555555555555, R14
	ANDQ R14, AX
	MOVQ BX, R14
	SUBQ AX, R14
	MOVQ $0x3333333333333333, AX
	MOVQ R14, R11
	ANDQ AX, R11
	SHRQ $2, R14
	ANDQ AX, R14
	ADDQ R11, R14
	MOVQ R14, AX
	SHRQ $4, AX
	ADDQ R14, AX
	MOVQ $0x0F0F0F0F0F0F0F0F, R14
	ANDQ R14, AX
	MOVQ $0x0101010101010101, R14
	IMULQ R14, AX
	SHRQ $56, AX
	MOVQ X0, R11

popped:
	ADDQ R12, AX
	CMPQ AX, CX
	JGT  take
	MOVQ AX, R12
	BSRQ BX, AX
	LEAQ 1(R8)(AX*1), R11
	JMP  main

take:
	// One at a time, a span each. The first field after a quoted one (fs
	// < 0: its span is set already) writes nothing.
	TESTQ R11, R11
	JNS  fields
	POSBELOW
	LEAQ 1(AX), R11
	INCQ R12
	DROPLOW(BX, AX)
	JZ   main

fields:
	POSBELOW
	// The span of field min(nf, last).
	NFCLAMP(CX)
	SLOT(R14)
	SPANAT(CX, R14)
	INCQ R12
	DROPLOW(BX, AX)
	JNZ  fields
	JMP  main

special:
	// The special byte: pos (AX) and its byte c (CX). Its bit stays in sp
	// until it is handled, so that a punt leaves it to walkGo.
	BSFQ R10, AX
	ADDQ R8, AX
	MOVQ walker_data(DI), BX
	MOVBLZX (BX)(AX*1), CX
	CMPB CX, $10
	JEQ  lineend
	CMPB CX, $13
	JEQ  lineend
	CMPB CX, $34
	JNE  other
	CMPQ AX, R11
	JEQ  quoted

other:
	// A literal quote or a control byte: go on.
	DROPLOW(R10, CX)
	JMP  main

lineend:
	// To walkGo: an empty line (nf == 0 && fs == pos), a row with too few
	// or too many fields, a pending lenient quote.
	TESTQ R12, R12
	JNZ  counted
	CMPQ R11, AX
	JEQ  punt

counted:
	LEAQ 1(R12), R14
	CMPQ R14, DX
	JNE  punt
	CMPQ walker_pendLenient(DI), $0
	JNE  punt
	// p (R14) = pos+1, after the LF of a CRLF.
	LEAQ 1(AX), R14
	CMPB CX, $13
	JNE  row

	// A lone CR: to walkGo.
	CMPB (BX)(R14*1), $10
	JNE  punt
	// CRLF: the LF is not a line of its own. Its bit is in this block or
	// the first of the next in the window; beyond it (walkGo's skipLF),
	// to walkGo.
	LEAQ 64(R8), CX
	CMPQ R14, CX
	JGE  lfnext
	MOVQ R14, CX
	SUBQ R8, CX
	BTRQ CX, R10
	INCQ R14
	JMP  row

lfnext:
	MOVQ walker_next(DI), CX
	TESTQ CX, CX
	JS   punt
	LEAQ 1(CX), BX
	CMPQ BX, walker_win+8(DI)
	JGE  punt
	MOVQ walker_win(DI), BX
	ANDQ $-2, 8(BX)(CX*8)
	INCQ R14

row:
	// The row is complete: the line end's bit, the line, the last
	// field's span (to the trash slot if it was quoted: fs < 0, its span
	// set already; a branch here mispredicted on a third of the bench
	// survey's rows), the next row.
	DROPLOW(R10, CX)
	INCQ walker_line(DI)
	MOVQ R12, CX // nf == last-1: no clamping
	SLOT(BX)
	MOVQ walker_spans+8(DI), BX
	DECQ BX
	TESTQ R11, R11
	CMOVQLT BX, CX
	SPANAT(CX, BX)
	INCQ R13
	MOVQ R14, R11
	XORL R12, R12
	MOVQ R14, walker_recStart(DI)
	MOVQ walker_line(DI), CX
	MOVQ CX, walker_recLine(DI)
	// row == maxRow || p >= stopAt: walkFull.
	CMPQ R13, walker_maxRow(DI)
	JEQ  full
	CMPQ R14, walker_stopAt(DI)
	JGE  full
	JMP  main

quoted:
	// A quote opening a field (pos == fs): crossed on the special bits,
	// as walkGo does; one it cannot cross, to walkGo. d and sp are saved
	// in w (restored on a punt); the scan's state: R9 base, R10 the
	// special bits after the opening quote, R14 the next block's index in
	// win, DX the second quote of a "" pair (-1: none), SI lines, BX
	// &data[0], CX the position of a special byte, R11 and R15
	// temporaries. On success R15 holds q, the byte after the closing
	// quote.
	MOVQ R9, walker_d(DI)
	MOVQ R10, walker_sp(DI)
	MOVQ R8, R9
	DROPLOW(R10, CX)
	MOVQ walker_next(DI), R14
	MOVQ $-1, DX
	XORL SI, SI

scan:
	TESTQ R10, R10
	JNZ  scanbit
	TESTQ R14, R14
	JS   qfail
	LEAQ 1(R14), CX
	CMPQ CX, walker_win+8(DI)
	JGE  qfail
	ADDQ $64, R9
	MOVQ walker_win(DI), CX
	MOVQ 8(CX)(R14*8), R10
	ADDQ $2, R14
	JMP  scan

scanbit:
	BSFQ R10, CX
	ADDQ R9, CX
	DROPLOW(R10, R11)
	MOVBLZX (BX)(CX*1), R11
	CMPB R11, $34
	JNE  qother
	// The second quote of a pair.
	CMPQ CX, DX
	JEQ  scan
	// A pair.
	MOVBLZX 1(BX)(CX*1), R11
	CMPB R11, $34
	JNE  qclose
	LEAQ 1(CX), DX
	JMP  scan

qclose:
	// The closing quote: a delimiter or line end after it (w.stop), else
	// to walkGo.
	MOVQ walker_stop(DI), R15
	CMPB (R15)(R11*1), $0
	JEQ  qfail
	LEAQ 1(CX), R15
	JMP  found

qother:
	// A line inside the field: an LF, or a CR not followed by one (a
	// CRLF counts at its LF).
	CMPB R11, $10
	JEQ  qline
	CMPB R11, $13
	JNE  scan
	CMPB 1(BX)(CX*1), $10
	JEQ  scan

qline:
	INCQ SI
	JMP  scan

found:
	// q (R15) beyond the safe region, or past the window: to walkGo.
	// CX = off = q - mbase, R10 = 2*(off>>6).
	MOVQ walker_data+8(DI), CX
	SUBQ $65, CX
	CMPQ R15, CX
	JGT  qfail
	MOVQ R15, CX
	SUBQ walker_mbase(DI), CX
	MOVQ CX, R10
	SARQ $6, R10
	SHLQ $1, R10
	CMPQ R10, walker_win+8(DI)
	JGE  qfail
	// w.line += lines
	ADDQ SI, walker_line(DI)
	// The field's span: span(-pos-1, 0) if escaped, else span(pos+1,
	// q-1), into R11; then the registers the scan used, from w.
	TESTQ DX, DX
	JS   plain
	MOVQ AX, R11
	NOTQ R11
	MOVL R11, R11
	JMP  spanned

plain:
	LEAQ -1(R15), R11
	SHLQ $32, R11
	LEAQ 1(AX), BX
	MOVL BX, BX
	ORQ  BX, R11

spanned:
	RELOAD
	// The span goes to fields[min(nf, last)].slot + row, if selected.
	NFCLAMP(R9)
	SHLQ $4, R9
	MOVLQSX fieldSel_slot(SI)(R9*1), R9
	TESTQ R9, R9
	JS   seek
	ADDQ R13, R9
	MOVQ R11, (R15)(R9*8)

seek:
	// fs = -1; on to q: wbase, d and sp of its block, from q on
	// (keep = ^0 << (off&63)).
	MOVQ $-1, R11
	MOVQ CX, R8
	ANDQ $-64, R8
	ADDQ walker_mbase(DI), R8
	MOVQ $-1, R14
	SHLQ CX, R14
	MOVQ walker_win(DI), BX
	MOVQ (BX)(R10*8), R9
	ANDQ R14, R9
	MOVQ 8(BX)(R10*8), AX
	ANDQ R14, AX
	ADDQ $2, R10
	MOVQ R10, walker_next(DI)
	MOVQ AX, R10
	JMP  main

qfail:
	// To walkGo, as it was at the opening quote.
	MOVQ walker_d(DI), R9
	MOVQ walker_sp(DI), R10
	MOVQ AX, R11
	RELOAD
	JMP  punt

masks:
	MOVQ $const_walkMasks, AX
	JMP  exit

full:
	MOVQ $const_walkFull, AX
	JMP  exit

punt:
	MOVQ $const_walkPunt, AX

exit:
	MOVQ R8, walker_wbase(DI)
	MOVQ R9, walker_d(DI)
	MOVQ R10, walker_sp(DI)
	MOVQ R11, walker_fs(DI)
	MOVQ R12, walker_nf(DI)
	MOVQ R13, walker_row(DI)
	MOVQ AX, ret+8(FP)
	RET

// func cpuHasPOPCNT() bool
TEXT ·cpuHasPOPCNT(SB), NOSPLIT, $0-1
	MOVL $1, AX
	XORL CX, CX
	CPUID
	SHRL $23, CX
	ANDL $1, CX
	MOVB CX, ret+0(FP)
	RET
