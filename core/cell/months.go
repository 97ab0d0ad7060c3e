package cell

import "encoding/binary"

// ISOMonths reads the UTC months of a column of ISO timestamp cells (a
// survey by month) with the verdict of Civil.Parse and the month of
// Civil.Month, but without parsing each cell in full: exports write one
// timestamp shape, and their dates repeat (a day has many answers).
//
// A cell of the shapes
//
//	YYYY-MM-DDTHH:MM:SSZ   YYYY-MM-DDTHH:MM:SS   YYYY-MM-DD HH:MM:SS
//
// whose ten date bytes equal those of a cell Parse already accepted in one
// of these shapes is decided by its clock alone: the date is a real one
// (Parse checked it), there is nothing to trim (it begins with a digit and
// ends with a digit or Z) and no offset (these shapes take none), so Parse
// accepts it exactly when HH:MM:SS is in range, and its UTC month is the
// written one. Every other cell — another shape, a date not seen yet or
// evicted, a clock out of range — goes through Parse. The dates live in a
// direct-mapped table with an entry for each day of four years.
//
// Why: parsing and bucketing the timestamp was ~40 % of the survey
// accumulator's time under js/wasm, where each of Parse's calls (Trim,
// parseISO, parseClock, Month) costs more than its work.
type ISOMonths struct {
	dates [dateSlots]knownDate
}

const dateSlots = 2048 // ≥ 4 years × 12 months × 32 days (see dateSlot)

// knownDate is a date Parse accepted: the cell's bytes 0–7 ("YYYY-MM-"),
// 8–9 ("DD") and its month. A zero entry matches no cell (its bytes
// would be NUL).
type knownDate struct {
	word  uint64
	day   uint16
	month int32
}

// ColumnSpans sets months[i] for cell i of a column given as spans of
// buf, as ingest.Column.Spans gives them: cell i is buf[a:b], a = int32 of
// the low 32 bits of spans[i] and b its high 32 bits, except that a < 0
// marks a quoted cell that needs unescaping; cellAt(i) gives the text of
// any cell (ingest.Column.Cell), and is asked for the cells the table
// does not decide. months[i] is the cell's UTC month (y·12 + m − 1, as
// Civil.Month) when Parse accepts it, else −1 − the Reason Parse gives
// (Blank or BadTimestamp). A month is never negative (years start at 1).
func (m *ISOMonths) ColumnSpans(buf []byte, spans []uint64, cellAt func(i int) []byte, months []int32) {
	spans = spans[:len(months)]
	for i := 0; i < len(spans); i++ {
		if i = m.knownSpans(buf, spans, i, months); i == len(spans) {
			break
		}
		months[i] = m.parse(cellAt(i))
	}
}

// spanBounds decodes a span of ingest.Column.Spans (ingest.SpanBounds;
// cell cannot import ingest, which imports it).
func spanBounds(sp uint64) (a, b int) { return int(int32(uint32(sp))), int(sp >> 32) }

// knownSpansGo sets months[i] from row i on, the cell of row i being the
// span spans[i] of buf, while the cell lies in buf, is of a fast shape,
// its date is in the table and its clock in range; it returns the row it
// stopped at (len(spans): none). It is knownSpans except on amd64 and in
// wasm.
func (m *ISOMonths) knownSpansGo(buf []byte, spans []uint64, i int, months []int32) int {
	for ; i < len(spans); i++ {
		a, e := spanBounds(spans[i])
		if a < 0 || e > len(buf) || a > e {
			break
		}
		b := buf[a:e]
		if !fastShape(b) {
			break
		}
		w, day := dateKey(b)
		d := &m.dates[dateSlot(w, day)]
		if d.word != w || d.day != day {
			break
		}
		v, ok := digits8(binary.LittleEndian.Uint64(b[11:]), timeSep, timeVal)
		if !ok {
			break
		}
		if p := pairs(v); byteAt(p, 0) > 23 || byteAt(p, 3) > 59 || byteAt(p, 6) > 59 {
			break
		}
		months[i] = d.month
	}
	return i
}

// parse is ColumnSpans for one cell, through Parse; an accepted cell of the
// fast shapes leaves its date in the table.
func (m *ISOMonths) parse(b []byte) int32 {
	var c Civil
	if r := c.Parse(b, ISO); r != OK {
		return -1 - int32(r)
	}
	month := c.Month()
	if fastShape(b) {
		w, day := dateKey(b)
		m.dates[dateSlot(w, day)] = knownDate{word: w, day: day, month: month}
	}
	return month
}

// fastShape reports whether b has the length and separators of one of
// the shapes ColumnSpans decides by the clock alone.
func fastShape(b []byte) bool {
	n := len(b)
	return (n == 20 && b[19] == 'Z' && b[10] == 'T') || (n == 19 && (b[10] == 'T' || b[10] == ' '))
}

// dateKey is the date of a cell of a fast shape: bytes 0–7 and 8–9.
func dateKey(b []byte) (uint64, uint16) {
	return binary.LittleEndian.Uint64(b), uint16(b[8]) | uint16(b[9])<<8
}

// dateSlot is the table entry of a date: its year modulo 4, month and day
// (32 entries a month), so that the dates of any four years in a row have
// entries of their own (a hash of the bytes left a third of a year's dates
// evicting each other). Bytes that are not digits give some entry, which
// then does not match.
func dateSlot(w uint64, day uint16) int {
	y := uint(byte(w>>16)-'0')*10 + uint(byte(w>>24)-'0')
	mo := uint(byte(w>>40)-'0')*10 + uint(byte(w>>48)-'0')
	d := uint(byte(day)-'0')*10 + uint(byte(day>>8)-'0')
	return int(((y&3*12+mo)*32 + d) & (dateSlots - 1))
}
