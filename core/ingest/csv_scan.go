package ingest

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/bits"
	"strconv"
)

// The scanner splits UTF-8 text into records and appends their fields to
// columns. It is the hot path of the whole pipeline (every byte of a CSV
// passes through it once), so:
//
//   - it works on one read buffer, refilled in place; a record never
//     straddles a refill because a record that reaches the end of the buffer
//     is dropped and parsed again once the buffer has been shifted and
//     refilled (at most once per refill, so the cost is one partial record
//     per 256 KiB);
//   - fields are appended into the column arenas: no per-field or per-row
//     allocation, and fields of unselected columns are never copied
//     (with cellSpans, only their spans are: see Options.CellSpans);
//   - it has two parsers. record, below, is the reference: it handles
//     everything (headers, the end of the buffer, the end of the file,
//     errors) one record at a time. The fast path (csv_fast.go) parses the
//     bulk of the rows from bit masks and falls back to record for anything
//     it does not handle; tests run every case through both.
type scanner struct {
	rd   io.Reader // UTF-8 text
	buf  []byte
	end  int  // buf[:end] holds data
	pos  int  // start of the next record
	mark int  // -1, or a position that a refill must keep (header peeking)
	eof  bool // rd is exhausted: nothing follows buf[:end]

	target int   // the size the buffer grows to while the input lasts
	fills  int   // refills so far: positions in buf change with each
	fed    int64 // bytes of rd put into buf so far (with the initial end)

	delim byte
	stop  [256]bool // delim, '\n', '\r': the bytes that end an unquoted field
	dmask uint64    // delim in every byte, for the 8-byte scan

	line      int64 // 1-based line number of the line at pos
	maxRecord int   // longest record allowed, in bytes

	// Counters, committed only when a record is complete (a record that
	// is parsed twice across a refill counts once).
	ragged, firstRagged   int64 // count, line of the first
	lenient, firstLenient int64

	// After recMore or recErr: the field being parsed and, if it is quoted,
	// the line where its quote opened.
	moreField int
	quoteLine int64
	errMsg    string
	errLine   int64

	// The fast path's selection and index (csv_fast.go).
	fsel      []fieldSel // per header column, and one for the fields beyond
	selCols   []*Column  // the selected columns, in slot order
	cols      []*Column  // one per header column, nil when not selected
	spans     []uint64
	spanRows  int // rows of a chunk the spans have room for
	chunkRows int // the most rows of a chunk
	w         walker
	// cellSpans: the selected columns of a batch are spans of buf
	// (Column.Spans) rather than copies of their cells.
	cellSpans bool
}

const (
	lo8 = 0x0101010101010101
	hi8 = 0x8080808080808080
	lf8 = '\n' * lo8
	cr8 = '\r' * lo8
)

// newScanner returns a scanner of rd. buf[:end] holds text already read
// (eof: all of it); buf may be nil. The buffer grows to bufSize as the
// input proves longer than it, so that small files cost small buffers.
func newScanner(rd io.Reader, delim byte, buf []byte, end int, eof bool, bufSize, maxRecord int) *scanner {
	if buf == nil {
		buf = make([]byte, min(bufSize, 64<<10))
	}
	s := &scanner{rd: rd, buf: buf, end: end, eof: eof, target: bufSize, mark: -1, delim: delim, line: 1, maxRecord: maxRecord, fed: int64(end)}
	s.stop[delim] = true
	s.stop['\n'] = true
	s.stop['\r'] = true
	s.dmask = uint64(delim) * lo8
	return s
}

// Record modes: how the fields of a record are stored.
const (
	modeRow    = iota // into cols[i] (nil: dropped); pad or drop to len(cols)
	modeRecord        // every field into one column, as consecutive cells
	modeSkip          // dropped
)

// Results of record.
const (
	recOK   = iota
	recMore // the record reaches the end of the buffer: fill, then retry
	recEOF  // no more records
	recErr  // bad input: errMsg, errLine
)

// scanUnquoted returns the index of the first delimiter, CR or LF in data
// at or after p, or len(data). (A quote inside an unquoted field is
// literal, so it need not stop the scan.)
//
// The 8-byte loop tests a word for each of the three bytes with the
// classic has-zero-byte trick, (x-0x01…)&^x&0x80…, whose lowest set bit is
// exact (false positives can only appear above a true zero byte).
func (s *scanner) scanUnquoted(data []byte, p int) int {
	dm := s.dmask
	for p+8 <= len(data) {
		x := binary.LittleEndian.Uint64(data[p:])
		a, b, c := x^dm, x^lf8, x^cr8
		m := (a-lo8)&^a | (b-lo8)&^b | (c-lo8)&^c
		if m&hi8 != 0 {
			return p + bits.TrailingZeros64(m&hi8)>>3
		}
		p += 8
	}
	for p < len(data) && !s.stop[data[p]] {
		p++
	}
	return p
}

// record parses the record at s.pos. On recOK it has appended the fields
// (by mode) and advanced s.pos and s.line past the record; on recMore
// nothing is committed except skipped empty lines, and the caller must
// undo the cells appended so far (rollback), fill and call again.
//
// Empty lines (nothing between two line ends) are skipped: they carry no
// cells, and spreadsheets leave them at the end of exports. A line with
// only a delimiter or spaces is a row.
func (s *scanner) record(mode int, cols []*Column, rec *Column) int {
	data := s.buf[:s.end]
	n := len(data)
	p := s.pos
	line := s.line
	eof := s.eof
	for {
		if p >= n {
			s.pos, s.line = p, line
			if eof {
				return recEOF
			}
			s.moreField, s.quoteLine = 0, 0
			return recMore
		}
		c := data[p]
		if c == '\n' {
			p++
			line++
			continue
		}
		if c != '\r' {
			break
		}
		if p+1 < n {
			if data[p+1] == '\n' {
				p++
			}
		} else if !eof {
			s.pos, s.line = p, line
			s.moreField, s.quoteLine = 0, 0
			return recMore
		}
		p++
		line++
	}
	s.pos, s.line = p, line
	recLine := line

	delim := s.delim
	nf := 0
	var lenient int64
	for {
		var col *Column
		switch {
		case mode == modeRecord:
			col = rec
		case nf < len(cols):
			col = cols[nf]
		}
		spans := col != nil && col.form == formSpans
		if p < n && data[p] == '"' {
			into := col
			if spans {
				into = nil
			}
			q, lines, flags, st := s.quoted(data, p, into, eof, nf, line)
			if st != recOK {
				return st
			}
			if flags&quoteAfter != 0 {
				lenient++
			}
			line += lines
			switch {
			case spans && flags == 0:
				col.spans = append(col.spans, span(p+1, q-1))
			case spans:
				col.spans = append(col.spans, span(-p-1, 0))
			case col != nil:
				col.ends = append(col.ends, int32(len(col.data)))
			}
			p = q
		} else {
			q := s.scanUnquoted(data, p)
			if q == n && !eof {
				s.moreField, s.quoteLine = nf, 0
				return recMore
			}
			switch {
			case spans:
				col.spans = append(col.spans, span(p, q))
			case col != nil:
				col.data = append(col.data, data[p:q]...)
				col.ends = append(col.ends, int32(len(col.data)))
			}
			p = q
		}
		nf++
		if p >= n {
			break // end of file ends the record
		}
		c := data[p]
		if c == delim {
			p++
			if mode == modeRecord && nf >= MaxColumns {
				s.errMsg = "too many columns: the header has more than " + strconv.Itoa(MaxColumns)
				s.errLine, s.moreField = line, -1
				return recErr
			}
			continue
		}
		if c == '\r' {
			if p+1 < n {
				if data[p+1] == '\n' {
					p++
				}
			} else if !eof {
				s.moreField, s.quoteLine = nf-1, 0
				return recMore
			}
		}
		p++
		line++
		break
	}
	if mode == modeRow {
		if nf < len(cols) {
			for _, col := range cols[nf:] {
				switch {
				case col == nil:
				case col.form == formSpans:
					col.spans = append(col.spans, 0) // an empty cell
				default:
					col.ends = append(col.ends, int32(len(col.data)))
				}
			}
			s.addRagged(recLine)
		} else if nf > len(cols) {
			s.addRagged(recLine)
		}
	}
	if lenient > 0 {
		if s.lenient == 0 {
			s.firstLenient = recLine
		}
		s.lenient += lenient
	}
	s.pos, s.line = p, line
	return recOK
}

func (s *scanner) addRagged(line int64) {
	if s.ragged == 0 {
		s.firstRagged = line
	}
	s.ragged++
}

// Flags of a quoted field.
const (
	quoteAfter   = 1 << iota // text after the closing quote ("a"b)
	quoteEscaped             // a doubled quote inside
)

// quoted parses the quoted field whose opening quote is at p, appending
// its content to col (unless nil). It returns the position after the field
// (a delimiter, a line end or the end of data), the line ends inside it,
// its flags, and recOK, recMore (the field reaches the end of data and
// more may follow) or recErr (not closed before the end of the file). line
// and nf locate errors.
func (s *scanner) quoted(data []byte, p int, col *Column, eof bool, nf int, line int64) (int, int64, int, int) {
	flags := 0
	n := len(data)
	q := p + 1
	for {
		i := bytes.IndexByte(data[q:], '"')
		if i < 0 {
			if eof {
				s.errMsg = "quoted field is not closed: the quote opened on this line has no closing quote before the end of the file"
				s.errLine, s.moreField = line, nf
				return 0, 0, 0, recErr
			}
			s.moreField, s.quoteLine = nf, line
			return 0, 0, 0, recMore
		}
		i += q
		if i+1 >= n && !eof {
			// Is it "" or the closing quote? The next byte decides.
			s.moreField, s.quoteLine = nf, line
			return 0, 0, 0, recMore
		}
		if i+1 < n && data[i+1] == '"' {
			if col != nil {
				col.data = append(col.data, data[q:i+1]...)
			}
			q = i + 2
			flags |= quoteEscaped
			continue
		}
		if col != nil {
			col.data = append(col.data, data[q:i]...)
		}
		lines := countLines(data[p+1 : i])
		p = i + 1
		if p == n || s.stop[data[p]] {
			return p, lines, flags, recOK
		}
		// Text after the closing quote ("a"b): kept, as Python's csv
		// module and pandas do, and counted for a warning.
		q = s.scanUnquoted(data, p)
		if q == n && !eof {
			s.moreField, s.quoteLine = nf, 0
			return 0, 0, 0, recMore
		}
		if col != nil {
			col.data = append(col.data, data[p:q]...)
		}
		return q, lines, flags | quoteAfter, recOK
	}
}

// appendQuoted appends the content of the complete quoted field at p of
// data (as scanner.quoted found it) to d; stop holds the bytes that end an
// unquoted field (the text after a closing quote runs to one of them).
func appendQuoted(d, data []byte, p int, stop *[256]bool) []byte {
	q := p + 1
	for {
		i := q + bytes.IndexByte(data[q:], '"')
		if i+1 < len(data) && data[i+1] == '"' {
			d = append(d, data[q:i+1]...)
			q = i + 2
			continue
		}
		d = append(d, data[q:i]...)
		p = i + 1
		e := p
		for e < len(data) && !stop[data[e]] {
			e++
		}
		return append(d, data[p:e]...)
	}
}

// countLines counts the line ends in b: LF, CRLF and a lone CR each count
// one, as they do between records.
func countLines(b []byte) int64 {
	n := int64(bytes.Count(b, []byte{'\n'}))
	if bytes.IndexByte(b, '\r') >= 0 {
		for i, c := range b {
			if c == '\r' && (i+1 == len(b) || b[i+1] != '\n') {
				n++
			}
		}
	}
	return n
}

// errTooLong is returned by fill when one record outgrows maxRecord.
type errTooLong struct{}

func (errTooLong) Error() string { return "record too long" }

// fill makes room and reads more input after recMore: it shifts the
// buffer so that the current record (or the mark) starts it, grows the
// buffer when that record already fills it, and reads until the buffer is
// full or the input ends. Reading until full keeps refills — and records
// parsed twice — rare even when the host hands over small chunks.
func (s *scanner) fill() error {
	s.fills++
	keep := s.pos
	if s.mark >= 0 && s.mark < keep {
		keep = s.mark
	}
	if keep > 0 {
		copy(s.buf, s.buf[keep:s.end])
		s.end -= keep
		s.pos -= keep
		if s.mark >= 0 {
			s.mark -= keep
		}
	}
	if s.end == len(s.buf) {
		// The record being parsed fills the buffer: grow it, up to the
		// record limit (the part before pos is the peek mark's, itself
		// made of records within the limit).
		if s.end-s.pos > s.maxRecord {
			return errTooLong{}
		}
		size := min(max(2*len(s.buf), 64), s.pos+s.maxRecord+1)
		nb := make([]byte, size)
		copy(nb, s.buf[:s.end])
		s.buf = nb
	} else if len(s.buf) < s.target {
		nb := make([]byte, min(2*len(s.buf), s.target))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	zero := 0
	for s.end < len(s.buf) {
		n, err := s.rd.Read(s.buf[s.end:])
		s.end += n
		s.fed += int64(n)
		if err == io.EOF {
			s.eof = true
			return nil
		}
		if err != nil {
			return err
		}
		if n == 0 {
			if zero++; zero > 100 {
				return io.ErrNoProgress
			}
		}
	}
	return nil
}
