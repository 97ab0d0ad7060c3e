//go:build wasm && !purego

#include "go_asm.h"
#include "textflag.h"

// CELLBYTE(k) pushes byte k of the cell at buf+start (tableSlotsSpansLoop:
// R3 buf, R7 start).
#define CELLBYTE(k) Get R3; Get R7; I64Add; I32WrapI64; I64Load8U $k

// AT32(base, i) pushes the address of the int32 at base + 4*i, as an i32.
#define AT32(base, i) Get base; Get i; I64Const $2; I64Shl; I64Add; I32WrapI64

// AT64(base, i) pushes the address of the int64 at base + 8*i, as an i32.
#define AT64(base, i) Get base; Get i; I64Const $3; I64Shl; I64Add; I32WrapI64

// INT32AT takes a base and an index from the stack (the index on top)
// and pushes the int32 at base + 4*index.
#define INT32AT I64Const $2; I64Shl; I64Add; I32WrapI64; I64Load32S $0

// NEXT(r): r++, and on to the next turn of the loop.
#define NEXT(r) Get r; I64Const $1; I64Add; Set r; Br $0

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

		AT32(R2, R7)
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

		NEXT(R7)
	End
	End
	RET

// SPAN(spans, i, start, end, bufLen) sets start to the start of span i
// (its low 32 bits, signed) and end to its end (the high 32), and pushes
// whether the cell is out of the buffer: a negative start (a quoted cell
// that needs unescaping) or an end past bufLen.
#define SPAN(spans, i, start, end, bufLen) \
	AT64(spans, i); I64Load $0; Tee end; I32WrapI64; I64ExtendI32S; Tee start; \
	I64Const $0; I64LtS; \
	Get end; I64Const $32; I64ShrU; Tee end; Get bufLen; I64GtU; I32Or

// func shortGroupsSpansLoop(slots unsafe.Pointer, buf *byte, bufLen, bufCap int, spans *uint64, n, i int, gids *int32) int
//
// For rows i, i+1, … < n, the cell of span spans[i] (see SPAN): while it
// lies in buf, is at most 8 bytes long with 8 bytes readable from its
// start (cellWord's load), and the cache's slot for its word (shortIndex)
// holds that word and length (shortCache.get), gids[i] = *slot.g. Returns
// i. A shortSlot[int32] is word (8 bytes), n (8), g (8).
//
// Registers: R0 slots, R1 buf, R2 bufCap, R3 spans, R4 n, R5 i, R6 start,
// R7 gids, R8 end, R9 length, R10 word, R11 the slot's address, R12
// bufLen.
TEXT ·shortGroupsSpansLoop(SB), NOSPLIT, $0-72
	I64Load slots+0(FP)
	Set R0
	I64Load buf+8(FP)
	Set R1
	I64Load bufLen+16(FP)
	Set R12
	I64Load bufCap+24(FP)
	Set R2
	I64Load spans+32(FP)
	Set R3
	I64Load n+40(FP)
	Set R4
	I64Load i+48(FP)
	Set R5
	I64Load gids+56(FP)
	Set R7

	Block
	Loop
		Get R5
		Get R4
		I64GeS
		BrIf $1

		SPAN(R3, R5, R6, R8, R12)
		BrIf $1

		// length; stop unless length <= 8 and start+8 <= bufCap.
		Get R8
		Get R6
		I64Sub
		Tee R9
		I64Const $8
		I64GtU
		Get R6
		I64Const $8
		I64Add
		Get R2
		I64GtS
		I32Or
		BrIf $1

		// word = the 8 bytes at start, masked to length (all ones for 8:
		// wasm shifts by 64 mod 64).
		Get R1
		Get R6
		I64Add
		I32WrapI64
		I64Load $0
		I64Const $-1
		I64Const $1
		Get R9
		I64Const $3
		I64Shl
		I64Shl
		I64Const $1
		I64Sub
		Get R9
		I64Const $8
		I64Eq
		Select
		I64And
		Tee R10

		// the slot: slots + 24*(word*0x9E3779B97F4A7C15 >> 58)
		I64Const $-7046029254386353131
		I64Mul
		I64Const $58
		I64ShrU
		I64Const $24
		I64Mul
		Get R0
		I64Add
		Set R11

		// stop unless slot.word == word and slot.n == length+1
		Get R11
		I32WrapI64
		I64Load $0
		Get R10
		I64Ne
		Get R11
		I32WrapI64
		I64Load $8
		Get R9
		I64Const $1
		I64Add
		I64Ne
		I32Or
		BrIf $1

		// gids[i] = *slot.g
		AT32(R7, R5)
		Get R11
		I32WrapI64
		I64Load $16
		I32WrapI64
		I32Load $0
		I32Store $0

		NEXT(R5)
	End
	End

	Get SP
	Get R5
	I64Store ret+64(FP)
	RET

// func tableSlotsSpansLoop(one, two *int32, blank int, buf *byte, bufLen int, spans *uint64, n, i int, slots *int32) int
//
// For rows i, i+1, … < n, the cell of span spans[i] (see SPAN), while it
// lies in buf: slots[i] = blank for an empty cell, one[b0] for one byte,
// two[10*(b0-'0')+b1-'0'] for two digits; any other cell stops the loop.
// Returns i.
//
// Registers: R0 one, R1 two, R2 blank, R3 buf, R4 spans, R5 n, R6 i,
// R7 start, R8 slots, R9 end, R10 length, R11 the slot, R12 b0-'0',
// R13 b1-'0', R14 bufLen.
TEXT ·tableSlotsSpansLoop(SB), NOSPLIT, $0-80
	I64Load one+0(FP)
	Set R0
	I64Load two+8(FP)
	Set R1
	I64Load blank+16(FP)
	Set R2
	I64Load buf+24(FP)
	Set R3
	I64Load bufLen+32(FP)
	Set R14
	I64Load spans+40(FP)
	Set R4
	I64Load n+48(FP)
	Set R5
	I64Load i+56(FP)
	Set R6
	I64Load slots+64(FP)
	Set R8

	Block // done
	Loop
		Get R6
		Get R5
		I64GeS
		BrIf $1

		SPAN(R4, R6, R7, R9, R14)
		BrIf $1
		Get R9
		Get R7
		I64Sub
		Set R10

		Block // slot found, in R11
			Get R10
			I64Eqz
			If
				Get R2
				Set R11
				Br $1
			End
			Get R10
			I64Const $1
			I64Eq
			If
				Get R0
				CELLBYTE(0)
				INT32AT
				Set R11
				Br $1
			End
			// Two digits, else done.
			Get R10
			I64Const $2
			I64Ne
			BrIf $2
			CELLBYTE(0)
			I64Const $48
			I64Sub
			Tee R12
			I64Const $10
			I64GeU
			CELLBYTE(1)
			I64Const $48
			I64Sub
			Tee R13
			I64Const $10
			I64GeU
			I32Or
			BrIf $2
			Get R1
			Get R12
			I64Const $10
			I64Mul
			Get R13
			I64Add
			INT32AT
			Set R11
		End

		AT32(R8, R6)
		Get R11
		I64Store32 $0
		NEXT(R6)
	End
	End

	Get SP
	Get R6
	I64Store ret+72(FP)
	RET

// func codedSlotsWasm(codes *int32, n int, dictSlots *int32, dictLen, blank int, slots *int32)
//
// slots[i] = blank if codes[i] < 0, else dictSlots[codes[i]] (trapping
// if codes[i] >= dictLen), for i < n.
//
// Registers: R0 codes, R1 n, R2 dictSlots, R3 dictLen, R4 blank, R5 slots,
// R6 i, R7 the code.
TEXT ·codedSlotsWasm(SB), NOSPLIT, $0-48
	I64Load codes+0(FP)
	Set R0
	I64Load n+8(FP)
	Set R1
	I64Load dictSlots+16(FP)
	Set R2
	I64Load dictLen+24(FP)
	Set R3
	I64Load blank+32(FP)
	Set R4
	I64Load slots+40(FP)
	Set R5
	I64Const $0
	Set R6

	Block
	Loop
		Get R6
		Get R1
		I64GeS
		BrIf $1
		AT32(R0, R6)
		I64Load32S $0
		Set R7
		Get R7
		Get R3
		I64GeS
		If
			Unreachable
		End
		// select(blank, dictSlots[max(code, 0)], code < 0)
		AT32(R5, R6)
		Get R4
		Get R2
		I64Const $0
		Get R7
		Get R7
		I64Const $0
		I64LtS
		Select
		INT32AT
		Get R7
		I64Const $0
		I64LtS
		Select
		I64Store32 $0
		NEXT(R6)
	End
	End
	RET

// func intSlotsWasm(v *int64, n int, lo, hi int64, blank, outOfRange int, slots *int32)
//
// slots[i] = blank if v[i] is NullInt (the smallest int64), v[i]-lo if
// lo <= v[i] <= hi, else outOfRange, for i < n.
//
// Registers: R0 v, R1 n, R2 lo, R3 hi, R4 blank, R5 outOfRange, R6 slots,
// R7 i, R8 the value.
TEXT ·intSlotsWasm(SB), NOSPLIT, $0-56
	I64Load v+0(FP)
	Set R0
	I64Load n+8(FP)
	Set R1
	I64Load lo+16(FP)
	Set R2
	I64Load hi+24(FP)
	Set R3
	I64Load blank+32(FP)
	Set R4
	I64Load outOfRange+40(FP)
	Set R5
	I64Load slots+48(FP)
	Set R6
	I64Const $0
	Set R7

	Block
	Loop
		Get R7
		Get R1
		I64GeS
		BrIf $1
		Get R0
		Get R7
		I64Const $3
		I64Shl
		I64Add
		I32WrapI64
		I64Load $0
		Set R8
		AT32(R6, R7)
		// select(blank, select(v-lo, outOfRange, lo <= v <= hi), v == NullInt)
		Get R4
		Get R8
		Get R2
		I64Sub
		Get R5
		Get R8
		Get R2
		I64GeS
		Get R8
		Get R3
		I64LeS
		I32And
		Select
		Get R8
		I64Const $-9223372036854775808
		I64Eq
		Select
		I64Store32 $0
		NEXT(R7)
	End
	End
	RET

// func dictGroupsWasm(byEntry **int32, entries int, codes *int32, n, i int, gids *int32) int
//
// For rows i, i+1, … < n: the row's entry x = codes[i] (entries-1 if it
// is < 0; trapping if x >= entries); while byEntry[x] is not nil,
// gids[i] = *byEntry[x]. Returns the row it stopped at.
//
// Registers: R0 byEntry, R1 entries, R2 codes, R3 n, R4 i, R5 gids,
// R6 the entry, R7 its group's address.
TEXT ·dictGroupsWasm(SB), NOSPLIT, $0-56
	I64Load byEntry+0(FP)
	Set R0
	I64Load entries+8(FP)
	Set R1
	I64Load codes+16(FP)
	Set R2
	I64Load n+24(FP)
	Set R3
	I64Load i+32(FP)
	Set R4
	I64Load gids+40(FP)
	Set R5

	Block
	Loop
		Get R4
		Get R3
		I64GeS
		BrIf $1
		// x = codes[i], or entries-1 for a null
		Get R1
		I64Const $1
		I64Sub
		AT32(R2, R4)
		I64Load32S $0
		Tee R6
		Get R6
		I64Const $0
		I64LtS
		Select
		Tee R6
		Get R1
		I64GeS
		If
			Unreachable
		End
		// stop at a nil group
		Get R0
		Get R6
		I64Const $3
		I64Shl
		I64Add
		I32WrapI64
		I64Load $0
		Tee R7
		I64Eqz
		BrIf $1
		AT32(R5, R4)
		Get R7
		I32WrapI64
		I32Load $0
		I32Store $0
		NEXT(R4)
	End
	End

	Get SP
	Get R4
	I64Store ret+48(FP)
	RET

// func dayMonthsWasm(times *int64, n, i int, group *int32, startUs, days int64, months *int32, null int64) (int, int64)
//
// dayMonthsGo's loop. The day index of a timestamp us is
// k = floor(x / D), x = us-startUs, D = MicrosPerDay, for 0 <= x < days*D
// (else the row stops the loop); a 64-bit division per row was the slow
// part in wasm. Here k is x times 1/D in float64, truncated, which is
// exact: x < 2^53 is exact in float64, and the product is within a few
// units in the last place of x/D (at most 366·2^-51 ≈ 1.6e-13), while
// an x/D that is not a whole number is at least 1/D ≈ 1.2e-11 below the
// next one. A whole x/D = k could come out a hair under k only if 1/D
// rounded down by more than half an ulp's worth at k: TestDayMonthsAgree
// checks the first and the last microsecond of every day of a leap year
// (and every row it sets) against cell.Day.
//
// Registers: R0 times, R1 n, R2 i, R3 group, R4 startUs, R5 days*D,
// R6 months, R7 null, R8 blanks, R9 us, then x, then the group, R10 k,
// R11 D; F16 1/D (float64).
TEXT ·dayMonthsWasm(SB), NOSPLIT, $0-80
	I64Load times+0(FP)
	Set R0
	I64Load n+8(FP)
	Set R1
	I64Load i+16(FP)
	Set R2
	I64Load group+24(FP)
	Set R3
	I64Load startUs+32(FP)
	Set R4
	I64Const $86400000000
	Set R11
	I64Load days+40(FP)
	Get R11
	I64Mul
	Set R5
	I64Load months+48(FP)
	Set R6
	I64Load null+56(FP)
	Set R7
	I64Const $0
	Set R8
	F64Const $1.0
	Get R11
	F64ConvertI64S
	F64Div
	Set F16

	Block
	Loop
		Get R2
		Get R1
		I64GeS
		BrIf $1
		Get R0
		Get R2
		I64Const $3
		I64Shl
		I64Add
		I32WrapI64
		I64Load $0
		Tee R9
		Get R7
		I64Eq
		If
			// An empty cell: -1, counted.
			Get R8
			I64Const $1
			I64Add
			Set R8
			AT32(R6, R2)
			I32Const $-1
			I32Store $0
			Get R2
			I64Const $1
			I64Add
			Set R2
			Br $1 // the loop (NEXT's Br $0 would end the If)
		End
		// x = us-startUs; stop unless 0 <= x < days*D (unsigned).
		Get R9
		Get R4
		I64Sub
		Tee R9
		Get R5
		I64GeU
		BrIf $1
		// k = trunc(x * (1/D)).
		Get R9
		F64ConvertI64S
		Get F16
		F64Mul
		I64TruncF64S
		Set R10
		// Stop at a group not known yet.
		AT32(R3, R10)
		I64Load32S $0
		Tee R9
		I64Const $0
		I64LtS
		BrIf $1
		AT32(R6, R2)
		Get R9
		I64Store32 $0
		NEXT(R2)
	End
	End

	Get SP
	Get R2
	I64Store ret+64(FP)
	Get SP
	Get R8
	I64Store ret1+72(FP)
	RET

// func monthHintsWasm(hint *monthHint, months *int32, n, i int, rs *int64, nreasons int) int
//
// monthHintsGo's loop. Registers: R0 hint, R1 months, R2 n, R3 i, R4 rs,
// R5 nreasons, R6 the month m, R7 the reason -1-m, then the entry's
// address, R8 its group.
TEXT ·monthHintsWasm(SB), NOSPLIT, $0-56
	I64Load hint+0(FP)
	Set R0
	I64Load months+8(FP)
	Set R1
	I64Load n+16(FP)
	Set R2
	I64Load i+24(FP)
	Set R3
	I64Load rs+32(FP)
	Set R4
	I64Load nreasons+40(FP)
	Set R5

	Block
	Loop
		Get R3
		Get R2
		I64GeS
		BrIf $1
		AT32(R1, R3)
		I64Load32S $0
		Tee R6
		I64Const $0
		I64LtS
		If
			// An exclusion: rs[-1-m]++, and -1.
			I64Const $-1
			Get R6
			I64Sub
			Tee R7
			Get R5
			I64GeU
			If
				Unreachable
			End
			AT64(R4, R7)
			AT64(R4, R7)
			I64Load $0
			I64Const $1
			I64Add
			I64Store $0
			AT32(R1, R3)
			I32Const $-1
			I32Store $0
			Get R3
			I64Const $1
			I64Add
			Set R3
			Br $1 // the loop
		End
		// monthCache.lookup: the entry hint[m%32]; stop unless it holds m
		// (and a group).
		Get R0
		Get R6
		I64Const $31
		I64And
		I64Const $3
		I64Shl
		I64Add
		Tee R7
		I32WrapI64
		I64Load32S $monthHint_g
		Tee R8
		I64Eqz
		Get R7
		I32WrapI64
		I64Load32S $monthHint_month
		Get R6
		I64Ne
		I32Or
		BrIf $1
		AT32(R1, R3)
		Get R8
		I64Store32 $0
		NEXT(R3)
	End
	End

	Get SP
	Get R3
	I64Store ret+48(FP)
	RET
