package ingest

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// The fast path. Records that lie wholly inside the buffer are parsed from
// bit masks of their structural bytes, 64 bytes at a time, instead of by
// searching for the end of each field; anything unusual is left to
// scanner.record, the reference parser.
//
// Why masks: fields of a survey export are short (about 8 bytes), so a
// search per field pays a mispredicted branch per field — whether the field
// ends in this word or the next is random. The first version (an 8-byte
// scan per field, appending to the columns as it went) read the 1M-row
// benchmark survey (BenchmarkCSV) at ~260 MB/s with all columns and ~400
// MB/s with two. The steps since, guided by cachegrind instruction counts
// because timings on the shared machine varied by ±30%:
//
//   - masks instead of per-field scans;
//   - two passes per chunk of rows: index records where each selected cell
//     is, copyCells copies them column by column (one column's arena stays
//     in registers instead of three slice headers reloaded per cell);
//   - the chunk's index is kept under 32 KiB, column-major, so that it is
//     still in the L1 cache when copied;
//   - the hot loops (walker.walk, copyShort) are leaf functions with few
//     variables: with a call anywhere in a loop the Go compiler spilled its
//     variables to the stack on every iteration (bits.OnesCount64 is such a
//     call unless GOAMD64=v2, hence popcount);
//   - delimiters have a mask of their own, exact, so the walker need not
//     look at their bytes, and fields of unselected columns are skipped by
//     counting bits rather than one by one;
//   - a quoted field is crossed on the special bits the walker has already
//     (in the walker's loop) rather than by scanner.quoted's three calls;
//   - on amd64 the masks are computed with SSE2 (csv_masks_amd64.s), a
//     byte compare per 16 bytes instead of ~25 word operations per 8
//     (~435 → ~470 MB/s with all columns, ~810 → ~1080 with none);
//   - in the wasm build the walker, the masks and the copy of short cells
//     are hand-written WebAssembly (csv_walk_wasm.s, csv_masks_wasm.s,
//     csv_short_wasm.s; see csv_walk_asm.go for why): a wasm CSV pass of
//     the 1M-row bench file 0.65–0.93 → 0.46–0.57 s with the survey
//     accumulator's loops done the same way;
//   - on amd64 the walker is hand-written assembly too (csv_walk_amd64.s):
//     545 → 317 instructions a row of the bench survey (cachegrind), and
//     a native pass of it (BenchmarkSurveyFile) ~205 → ~185 ms;
//   - for a consumer that reads spans (Options.CellSpans: the survey)
//     the walker writes the batch's spans straight into its columns and
//     nothing is copied: ~169 → ~153 ms natively.
//
// Result: ~440–480 MB/s with all ten columns, ~1000–1100 MB/s with none
// (parsing only); encoding/csv reads similar data at ~130 MB/s. Under
// js/wasm (node) the same code runs 3–5× slower.
//
// Per 64-byte block there are two masks. delims marks the delimiter bytes,
// exactly: ((v&0x7F…)+0x7F…|v) has the top bit of each byte set unless the
// byte of v = x^delim×0x01… is zero. specials marks the quotes and every
// byte below 0x0E (LF, CR and, harmlessly, the other control characters),
// with the cheaper test (v-0x01…)&^v&0x80…, which can also set a false bit
// just above a true one; the walker looks at each special byte anyway, so a
// false bit only costs a step. The eight top bits of a word are gathered
// into one byte by a multiplication. (This is the portable code: amd64
// uses masksSSE2, whose specials are exact, and wasm the same operations
// written in WebAssembly, masksWasm; see masksWindow.)

const (
	lo7    = 0x7F * lo8
	ctl8   = 0x0E * lo8 // bytes below 0x0E: LF (0x0A), CR (0x0D), …
	quote8 = '"' * lo8
	gather = 0x0002040810204081 // moves bit 8j+7 to bit 56+j
)

// masks64 returns the delimiter and special masks of b[0:64]. (Unrolled:
// the loop version cost ~60% more instructions.)
func masks64(data []byte, dm uint64) (delims, specials uint64) {
	b := (*[64]byte)(data[:64])
	d0, s0 := masks8(binary.LittleEndian.Uint64(b[0:8]), dm)
	d1, s1 := masks8(binary.LittleEndian.Uint64(b[8:16]), dm)
	d2, s2 := masks8(binary.LittleEndian.Uint64(b[16:24]), dm)
	d3, s3 := masks8(binary.LittleEndian.Uint64(b[24:32]), dm)
	d4, s4 := masks8(binary.LittleEndian.Uint64(b[32:40]), dm)
	d5, s5 := masks8(binary.LittleEndian.Uint64(b[40:48]), dm)
	d6, s6 := masks8(binary.LittleEndian.Uint64(b[48:56]), dm)
	d7, s7 := masks8(binary.LittleEndian.Uint64(b[56:64]), dm)
	delims = d0 | d1<<8 | d2<<16 | d3<<24 | d4<<32 | d5<<40 | d6<<48 | d7<<56
	specials = s0 | s1<<8 | s2<<16 | s3<<24 | s4<<32 | s5<<40 | s6<<48 | s7<<56
	return delims, specials
}

// masks8 returns the delimiter and special bits of the 8 bytes of x, bit j
// for byte j.
func masks8(x, dm uint64) (d, s uint64) {
	v, q := x^dm, x^quote8
	d = ^((v&lo7 + lo7) | v) & hi8
	s = ((q-lo8)&^q | (x-ctl8)&^x) & hi8
	return d * gather >> 56, s * gather >> 56
}

// setSelection prepares the fast path for cols (one per header column,
// nil when not selected).
func (s *scanner) setSelection(cols []*Column) {
	s.cols = cols
	nsel := 0
	for _, c := range cols {
		if c != nil {
			nsel++
		}
	}
	// A chunk's spans take at most 32 KiB, to stay in the L1 cache
	// between index and copyCells: with 4096-row chunks (320 KiB for ten
	// columns, row-major) copying all columns was ~25% slower. They start
	// at 64 rows and grow while chunks fill up, so small files stay cheap.
	s.chunkRows = max(1, min(BatchRows, (32<<10)/8/max(nsel, 1)))
	s.selCols = s.selCols[:0]
	for _, c := range cols {
		if c != nil {
			s.selCols = append(s.selCols, c)
		}
	}
	s.fsel = make([]fieldSel, len(cols)+1)
	next := int32(1 << 30)
	s.fsel[len(cols)] = fieldSel{slot: -1, next: next}
	for i := len(cols) - 1; i >= 0; i-- {
		if cols[i] != nil {
			next = int32(i)
		}
		s.fsel[i].next = next
	}
	if s.cellSpans && len(s.selCols) > maxSpanCols {
		s.cellSpans = false // the cells are copied, with a 32 KiB index
	}
	first := min(s.chunkRows, 64)
	if s.cellSpans {
		// The walker writes the spans of a whole batch in place: each
		// selected column's spans are a BatchRows stretch of s.spans
		// (openSpans, aimSpans), never regrown.
		first = BatchRows
	}
	s.setSpanRows(cols, first)
	s.w.win = make([]uint64, 0, 2*64)
}

// maxSpanCols is the most selected columns a batch of spans is made for:
// its index takes 32 KiB a column (BatchRows spans), 4 MiB at most.
const maxSpanCols = 128

// openSpans makes the selected columns, just reset for a new batch,
// columns of spans, each over its stretch of s.spans.
func (s *scanner) openSpans() {
	for j, col := range s.selCols {
		col.form, col.stop = formSpans, &s.stop
		col.spans = s.spans[j*BatchRows : j*BatchRows : (j+1)*BatchRows]
	}
}

// aimSpans points the walker's writes at the selected columns' spans,
// after the rows they hold.
func (s *scanner) aimSpans() {
	if len(s.selCols) == 0 {
		return
	}
	j, rows := 0, len(s.selCols[0].spans)
	for i, c := range s.cols {
		if c != nil {
			f := &s.fsel[i]
			f.slot = int32(j*BatchRows + rows)
			f.wslot = f.slot
			j++
		}
	}
}

// closeSpans gives the selected columns the buffer their spans point
// into, as the batch is handed over.
func (s *scanner) closeSpans() {
	for _, col := range s.selCols {
		if col.form == formSpans {
			col.base = s.buf[:s.end]
		}
	}
}

// setSpanRows sizes the index for chunks of n rows.
func (s *scanner) setSpanRows(cols []*Column, n int) {
	s.spanRows = n
	s.spans = make([]uint64, n*len(s.selCols)+1)
	trash := int32(len(s.spans) - 1)
	j := 0
	for i := range s.fsel {
		f := &s.fsel[i]
		f.slot, f.wslot, f.rmask = -1, trash, 0
		if i < len(cols) && cols[i] != nil {
			f.slot = int32(n * j)
			f.wslot, f.rmask = f.slot, -1
			j++
		}
	}
}

// fieldSel says what the fast path does with field i of a record.
type fieldSel struct {
	slot int32 // offset of its column's spans, or -1 if it is not selected
	next int32 // the first selected field at or after i (1<<30: none)
	// For walk's branch-free writes: the span of row r goes to
	// wslot + r&rmask, which is slot + r for a selected field and the
	// trash slot (the last of the spans) for one that is not.
	wslot, rmask int32
}

// fast parses records into the selected columns from s.pos while they lie
// in whole blocks of the buffer, up to maxRows rows and until budget bytes
// have been consumed. It returns the number of rows appended.
func (s *scanner) fast(maxRows, budget int) int {
	total := 0
	start := s.pos
	for total < maxRows {
		if s.cellSpans {
			s.aimSpans()
		}
		rows, done := s.index(min(s.spanRows, maxRows-total), budget-(s.pos-start))
		if s.cellSpans {
			for _, col := range s.selCols {
				col.spans = col.spans[:len(col.spans)+rows]
			}
		} else {
			s.copyCells(rows)
		}
		total += rows
		if done {
			break
		}
		if rows == s.spanRows && s.spanRows < s.chunkRows {
			s.setSpanRows(s.cols, min(2*s.spanRows, s.chunkRows))
		}
	}
	return total
}

// A span is a cell's place in the buffer: start in the low 32 bits, end in
// the high ones. A negative start -(q+1) marks a quoted field at q that
// needs unescaping.
func span(a, b int) uint64 { return uint64(uint32(int32(a))) | uint64(b)<<32 }

// SpanBounds decodes a span, as Column.Spans gives them: the cell is
// buf[a:b], unless a < 0 (a quoted cell that needs unescaping).
func SpanBounds(sp uint64) (a, b int) { return int(int32(uint32(sp))), int(sp >> 32) }

// copyCells appends the cells indexed in s.spans for rows rows to the
// selected columns.
func (s *scanner) copyCells(rows int) {
	for j, col := range s.selCols {
		spans := s.spans[s.spanRows*j:][:rows]
		col.data, col.ends = appendSpanCells(col.data, col.ends, spans, s.buf[:s.end], &s.stop)
	}
}

// appendSpanCells appends the cells of spans, spans of buf, to a column's
// arena d and ends e: short cells through copyShort, the others one by
// one; stop holds the bytes that end an unquoted field. buf's capacity
// must be the whole read buffer (copyShort reads 32 bytes at a time).
func appendSpanCells(d []byte, e []int32, spans []uint64, buf []byte, stop *[256]bool) ([]byte, []int32) {
	if cap(e)-len(e) < len(spans) {
		e = slices.Grow(e, len(spans))
	}
	all := buf[:cap(buf)]
	for len(spans) > 0 {
		o, i := copyShort(d[:cap(d)], len(d), e[len(e):cap(e)], spans, all)
		d, e = d[:o], e[:len(e)+i]
		if i == len(spans) {
			break
		}
		a, b := SpanBounds(spans[i])
		if a < 0 {
			d = appendQuoted(d, buf, -a-1, stop)
		} else {
			d = append(d, buf[a:b]...)
		}
		e = append(e, int32(len(d)))
		spans = spans[i+1:]
	}
	return d, e
}

// copyShortGo copies cells into dst from offset o, their ends into ends,
// while they are short (≤ 32 bytes, copied as two 16-byte words into
// spare capacity: cheaper than calling memmove; a [32]byte copy would call
// it) and need no unescaping. It returns the new offset and the number of
// cells copied. It is copyShort except on amd64 and in wasm
// (csv_short_asm.go).
func copyShortGo(dst []byte, o int, ends []int32, spans []uint64, buf []byte) (int, int) {
	n := min(len(ends), len(spans))
	i := 0
	for ; i < n; i++ {
		a, b := SpanBounds(spans[i])
		if a < 0 || a > len(buf)-32 || uint(b-a) > 32 || o > len(dst)-32 {
			break
		}
		copy32(dst[o:o+32], buf[a:a+32])
		o += b - a
		ends[i] = int32(o)
	}
	return o, i
}

// walker is the state of index. It lives in a struct so that walk, the hot
// loop, can be a leaf function: it loads the state into locals, runs
// without calling anything, and stores it back when it returns.
type walker struct {
	data     []byte
	win      []uint64 // the window: win[2i], win[2i+1] are the masks of data[mbase+64i:][:64]
	mbase    int
	fill     int        // s.fills when the window was computed
	next     int        // index in win of the masks after the current block
	wbase    int        // position of the current block
	d, sp    uint64     // its delimiter and special bits not walked yet
	skipLF   int        // the LF of a CRLF at the start of the next window, or -1
	fields   []fieldSel // per header column, and one for the fields beyond
	spans    []uint64   //
	fs, nf   int        // start of the current field (-1: quoted, its span set), its index
	row      int        // complete rows: offset of the current row in a column's spans
	maxRow   int        //
	stopAt   int        // the budget: stop after a record ending at or beyond this position
	recStart int        // start of the current record
	line     int64      // current line
	recLine  int64      // line of the current record's start
	qpos     int        // after walkQuote: the opening quote
	step     bool       // walkGo stops before its second special byte (walkPunt)
	stepped  bool       // it has handled one
	stop     *[256]bool // the scanner's stop bytes

	ragged, firstRagged   int64
	lenient, firstLenient int64
	pendLenient           int64 // in the current record, not yet committed
}

// Results of walk.
const (
	walkMasks = iota // the window is used up
	walkQuote        // a quote opens a field at qpos
	walkFull         // maxRows rows, or the budget is used
	walkPunt         // walkAsm: walkGo goes on; walkGo with step: it stopped
)

// walkGo handles the delimiters and line ends of the window and stops for
// anything else its caller must do. It is walk, except on amd64 and in
// wasm (csv_walk_asm.go), where it does what walkAsm leaves.
//
// Delimiters below the next special byte end fields one after the other.
// If none of those fields is selected they are skipped at once: nf grows by
// their count and the next field starts after the last one. Otherwise they
// are taken one at a time, with no need to look at their bytes, and with
// no branch but the loop's: Go's js/wasm code jumps between basic blocks
// through one br_table at the top of the function, so every taken branch
// is an indirect jump there. (Writing unselected fields to a trash slot
// instead of branching around them made a wasm CSV pass of the benchmark
// survey ~10% faster; native code did not change measurably.)
//
// Only the variables of the delimiter path are locals; the others are
// used through w, so that the compiler has registers enough for the hot
// ones (it spilled and reloaded them on every step otherwise).
func (w *walker) walkGo() int {
	wbase, d, sp := w.wbase, w.d, w.sp
	fields := w.fields
	fs, nf, row := w.fs, w.nf, w.row
	res := walkMasks
	for {
		for d|sp == 0 {
			i := w.next
			if i < 0 || i+1 >= len(w.win) {
				goto out
			}
			d, sp, w.next, wbase = w.win[i], w.win[i+1], i+2, wbase+64
		}
		if below := d & (sp&-sp - 1); below != 0 { // sp == 0: all of d
			f := fields[min(nf, len(fields)-1)]
			if next := int(f.next); next > nf {
				// None of these fields is selected: skip them all.
				if n := popcount(below); nf+n <= next {
					nf += n
					fs = wbase + 64 - bits.LeadingZeros64(below)
					d &^= below
					continue
				}
			}
			// At least one of these fields is selected: take them one at
			// a time, without a branch per field; an unselected one, or
			// the end of a quoted field (fs < 0, its span set already),
			// writes to the trash slot.
			d &^= below
			spans, trash := w.spans, len(w.spans)-1
			for {
				f := fields[min(nf, len(fields)-1)]
				pos := wbase + bits.TrailingZeros64(below)
				k := int(f.wslot) + row&int(f.rmask)
				if fs < 0 {
					k = trash
				}
				spans[k] = span(fs, pos)
				nf++
				fs = pos + 1
				below &= below - 1
				if below == 0 {
					break
				}
			}
			continue
		}
		if w.step {
			// One special byte only (see walk in csv_walk_asm.go).
			if w.stepped {
				res = walkPunt
				goto out
			}
			w.stepped = true
		}
		pos := wbase + bits.TrailingZeros64(sp)
		sp &= sp - 1
		data := w.data
		c := data[pos]
		if c == '\n' || c == '\r' {
			p := pos + 1
			if c == '\r' && data[p] == '\n' {
				// CRLF: the LF is not a line of its own.
				switch {
				case p < wbase+64:
					sp &^= 1 << (p - wbase)
				case w.next >= 0 && w.next+1 < len(w.win):
					w.win[w.next+1] &^= 1
				default:
					w.skipLF = p
				}
				p++
			}
			w.line++
			if nf == 0 && fs == pos {
				// An empty line: skip it, it is not a row.
				fs, w.recStart, w.recLine = p, p, w.line
				continue
			}
			spans, last := w.spans, len(fields)-1
			if k := int(fields[min(nf, last)].slot); fs >= 0 && k >= 0 && k+row < len(spans) {
				spans[k+row] = span(fs, pos)
			}
			nf++
			if nf != last {
				for _, f := range fields[min(nf, last):last] {
					if k := int(f.slot); k >= 0 && k+row < len(spans) {
						spans[k+row] = 0
					}
				}
				if w.ragged == 0 {
					w.firstRagged = w.recLine
				}
				w.ragged++
			}
			if w.pendLenient != 0 {
				if w.lenient == 0 {
					w.firstLenient = w.recLine
				}
				w.lenient += w.pendLenient
				w.pendLenient = 0
			}
			row++
			fs, nf = p, 0
			w.recStart, w.recLine = p, w.line
			if row == w.maxRow || p >= w.stopAt {
				res = walkFull
				goto out
			}
			continue
		}
		if c == '"' && pos == fs {
			// A quoted field. The common case — it ends in the window
			// and a delimiter or line end follows its closing quote — is
			// crossed here on the window's special bits: its quotes and
			// line ends are special bytes, so no byte needs to be
			// scanned. Free-text answers are often quoted and often not
			// selected (a third of the bench file's rows): scanner.quoted's
			// three calls (IndexByte, Count and IndexByte again for CR)
			// took about as long as parsing the rest of the row, and
			// crossing the field in a function of its own, leaving walk
			// (storing and loading the walker) cost ~15% of walk's time in
			// wasm. Anything else goes back to index, which calls quoted.
			q, lines := -1, int64(0)
			base, qs, nx := wbase, sp, w.next
			// pair: the second quote of the last "" pair (-1: none yet); a
			// field with one needs unescaping.
			pair := -1
		scan:
			for {
				for qs == 0 {
					if nx < 0 || nx+1 >= len(w.win) {
						break scan
					}
					base, qs, nx = base+64, w.win[nx+1], nx+2
				}
				p := base + bits.TrailingZeros64(qs)
				qs &= qs - 1
				switch data[p] {
				case '"':
					if p == pair {
						continue
					}
					if data[p+1] == '"' {
						pair = p + 1
						continue
					}
					if w.stop[data[p+1]] {
						q = p + 1
					}
					break scan
				case '\n':
					lines++
				case '\r':
					if data[p+1] != '\n' {
						lines++ // a lone CR; a CRLF counts at its LF
					}
				}
			}
			off := q - w.mbase
			if q < 0 || q > len(data)-65 || 2*(off>>6) >= len(w.win) {
				w.qpos = pos
				res = walkQuote
				goto out
			}
			w.line += lines
			if f := fields[min(nf, len(fields)-1)]; f.slot >= 0 {
				if pair >= 0 {
					w.spans[int(f.slot)+row] = span(-pos-1, 0)
				} else {
					w.spans[int(f.slot)+row] = span(pos+1, q-1)
				}
			}
			fs = -1
			i := off >> 6
			keep := ^uint64(0) << (off & 63)
			wbase = w.mbase + i<<6
			d, sp, w.next = w.win[2*i]&keep, w.win[2*i+1]&keep, 2*i+2
			continue
		}
		// Otherwise a false positive, a literal quote or a control byte.
	}
out:
	w.wbase, w.d, w.sp = wbase, d, sp
	w.fs, w.nf, w.row = fs, nf, row
	return res
}

// popcount is bits.OnesCount64 without its call: unless the build targets
// GOAMD64=v2, bits.OnesCount64 checks for the POPCNT instruction and may
// call a fallback, and that call made walk spill its registers.
func popcount(x uint64) int {
	x -= x >> 1 & 0x5555555555555555
	x = x&0x3333333333333333 + x>>2&0x3333333333333333
	x = (x + x>>4) & 0x0F0F0F0F0F0F0F0F
	return int(x * lo8 >> 56)
}

// window computes the masks of the blocks from position at, up to 64 of
// them and none starting beyond limit, and points the walker at bit at.
func (w *walker) window(at, limit int, dm uint64) {
	n := min(cap(w.win)/2, (limit-at)/64+1)
	w.win = w.win[:2*n]
	masksWindow(w.win, w.data[at:], dm)
	if w.skipLF == at {
		w.win[1] &^= 1
	}
	w.skipLF = -1
	w.mbase = at
	w.wbase, w.d, w.sp, w.next = at, w.win[0], w.win[1], 2
}

// seek points the walker at position p (at or after the current one),
// computing a new window if p is beyond this one. It returns false if p is
// beyond limit.
func (w *walker) seek(p, limit int, dm uint64) bool {
	off := p - w.mbase
	if i := off >> 6; 2*i < len(w.win) {
		keep := ^uint64(0) << (off & 63)
		w.wbase = w.mbase + i<<6
		w.d, w.sp = w.win[2*i]&keep, w.win[2*i+1]&keep
		w.next = 2*i + 2
		return true
	}
	if p > limit {
		return false
	}
	w.window(p, limit, dm)
	return true
}

// index parses, from s.pos, up to maxRows complete records lying in the
// safe region of the buffer (no block of the masks beyond limit) and
// records the span of each selected cell in s.spans. It stops early, with
// done set, at a record it cannot finish there — the caller parses that one
// with record — or when budget bytes are consumed.
func (s *scanner) index(maxRows, budget int) (rows int, done bool) {
	data := s.buf[:s.end]
	limit := len(data) - 65 // a block at base <= limit has a byte after it
	p := s.pos
	if p > limit || maxRows <= 0 {
		return 0, true
	}
	w := &s.w
	// The window of the previous chunk is still good if the buffer has not
	// been refilled since: seek in it rather than compute its masks again.
	keep := w.fill == s.fills && len(w.win) > 0 && p >= w.mbase && p < w.mbase+32*len(w.win)
	win, mbase := w.win, w.mbase
	*w = walker{
		data: data, win: win, mbase: mbase, fill: s.fills, skipLF: -1, fields: s.fsel, spans: s.spans, stop: &s.stop,
		fs: p, maxRow: maxRows, stopAt: p + budget, recStart: p, line: s.line, recLine: s.line,
	}
	if !keep || !w.seek(p, limit, s.dmask) {
		w.win = w.win[:cap(w.win)]
		w.window(p, limit, s.dmask)
	}
	for {
		switch w.walk() {
		case walkMasks:
			next := w.mbase + 32*len(w.win)
			if next > limit {
				return s.endIndex(true)
			}
			w.window(next, limit, s.dmask)
		case walkQuote:
			// A quoted field walk could not cross: one that runs past the
			// window or has text after its closing quote.
			pos := w.qpos
			q, lines, flags, st := s.quoted(data, pos, nil, false, w.nf, w.line)
			if st != recOK {
				return s.endIndex(true)
			}
			if q > limit {
				return s.endIndex(true)
			}
			if flags&quoteAfter != 0 {
				w.pendLenient++
			}
			w.line += lines
			if w.nf < len(w.fields) {
				if k := int(w.fields[w.nf].slot); k >= 0 {
					k += w.row
					if flags == 0 {
						w.spans[k] = span(pos+1, q-1)
					} else {
						w.spans[k] = span(-pos-1, 0)
					}
				}
			}
			w.fs = -1
			if !w.seek(q, limit, s.dmask) {
				return s.endIndex(true)
			}
		case walkFull:
			return s.endIndex(w.recStart-p >= budget)
		}
	}
}

// endIndex commits what index found: the complete rows and their
// counters; a record in progress is left to be parsed again.
func (s *scanner) endIndex(done bool) (int, bool) {
	w := &s.w
	s.pos, s.line = w.recStart, w.recLine
	if w.ragged > 0 {
		if s.ragged == 0 {
			s.firstRagged = w.firstRagged
		}
		s.ragged += w.ragged
	}
	if w.lenient > 0 {
		if s.lenient == 0 {
			s.firstLenient = w.firstLenient
		}
		s.lenient += w.lenient
	}
	return w.row, done
}
