package ingest

import (
	"errors"
	"io"
)

// Reading one CSV file in parts, so that several workers (Web Workers in
// the browser, goroutines natively) each take a byte range and their
// accumulators are merged.
//
// The hard part is where a record begins. A line break inside a quoted
// field is not a record boundary, and from an arbitrary offset nobody can
// tell whether it lies inside quotes without reading from the start of the
// file. So a part speculates and the merge verifies (the scheme of Ge et
// al., "Speculative Distributed CSV Data Parsing for Big Data Analytics",
// SIGMOD 2019):
//
//   - speculate: of the states the first byte of a part can be in —
//     outside or inside a quoted field — findRecordStart takes the one
//     under which the next records have as many fields as the header, and
//     the part starts after the first record end under that state;
//   - verify: part i must begin exactly where part i−1's last record
//     ended (Tally.Began == previous Tally.Ended: part i−1 reads on past
//     its range to the end of the record it is in). A part that does not
//     is read again from that offset with RangeOptions.Exact, so the merged
//     result is the one pass's, whatever the file holds (a quote that
//     never closes, bare quotes, one giant cell).
//
// Only UTF-8 text can be split: its scanner positions are file offsets.
// Windows-1252 and UTF-16 files are transcoded, and are read in one part.

// Tally is what a CSV reader counted over the records it read. Summed over
// the parts of a file (MergeCSVInfo) it equals what one pass counts.
type Tally struct {
	Rows int64 `json:"rows"`
	// Lines is the number of line breaks consumed.
	Lines int64 `json:"lines"`
	// FirstRagged and FirstLenient are line numbers within the part
	// (1 = the part's first line).
	Ragged       int64 `json:"ragged,omitempty"`
	FirstRagged  int64 `json:"first_ragged,omitempty"`
	Lenient      int64 `json:"lenient,omitempty"`
	FirstLenient int64 `json:"first_lenient,omitempty"`
	InvalidUTF8  int64 `json:"invalid_utf8,omitempty"`
	// Began is the file offset of the part's first record, -1 when
	// speculation found no record start in its window; Ended is the
	// offset just after its last record (where the next part must begin).
	Began int64 `json:"began"`
	Ended int64 `json:"ended"`
}

// CSVLayout is what the parts of a CSV file share: read once, from the
// start of the file, before the parts are handed out.
type CSVLayout struct {
	// Info is the reader's Info at the end of the header (no rows yet).
	Info      Info     `json:"info"`
	Delimiter byte     `json:"delimiter"`
	Header    []string `json:"header"`
	// DataStart is the file offset of the first data row (after the
	// header, any extra header rows, and a BOM).
	DataStart int64 `json:"data_start"`
	// Head counts the header section: its lines, quirks and invalid UTF-8.
	Head Tally `json:"head"`
	// Fixed are the warnings that do not depend on the rows (header
	// renames, a misleading file extension).
	Fixed []string `json:"fixed,omitempty"`
}

// LayoutOf returns the layout of a CSV source that has not returned a
// batch yet, and false when the file cannot be read in parts (Parquet,
// or text that is not UTF-8). r must read the same file.
func LayoutOf(src Source, r io.ReaderAt) (CSVLayout, bool, error) {
	var fixed []string
	if n, ok := src.(*notedSource); ok {
		fixed = append(fixed, n.note)
		src = n.Source
	}
	c, ok := src.(*csvSource)
	if !ok || c.utf8 == nil || c.rows > 0 || c.err != nil || c.done {
		return CSVLayout{}, false, nil
	}
	l := CSVLayout{
		Info:      c.info,
		Delimiter: c.sc.delim,
		Header:    c.header,
		DataStart: c.offset(c.sc.pos),
		Fixed:     append(fixed, c.warnings...),
	}
	l.Info.Warnings = nil
	s := c.sc
	l.Head = Tally{Lines: s.line - 1, Ragged: s.ragged, FirstRagged: s.firstRagged,
		Lenient: s.lenient, FirstLenient: s.firstLenient, Began: 0, Ended: l.DataStart}
	head := make([]byte, l.DataStart)
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return CSVLayout{}, false, c.ioError(err)
	}
	l.Head.InvalidUTF8 = countInvalidUTF8(head)
	return l, true, nil
}

// RangeOptions say which part of a CSV file to read.
type RangeOptions struct {
	Name    string
	Layout  CSVLayout
	Columns []string // as Options.Columns
	// The part holds the records that begin in [Start, End).
	Start, End int64
	// Exact says a record is known to begin at Start (the first part, or a
	// part read again after a failed verification); otherwise the part
	// speculates (findRecordStart).
	Exact bool
	// CellSpans is Options.CellSpans.
	CellSpans bool
}

// speculateWindow is how much of the file after a part's start
// findRecordStart looks at.
const speculateWindow = 1 << 20

// OpenCSVRange opens one part of a CSV file laid out as o.Layout. Its
// batches hold the records that begin in [o.Start, o.End), read on past
// End to the end of the last one; its Tally says where it began and ended.
func OpenCSVRange(r io.ReaderAt, size int64, o RangeOptions) (Source, error) {
	return openCSVRange(r, size, o, csvConfig{bufSize: defaultBufSize, maxRecord: MaxRecordBytes})
}

func openCSVRange(r io.ReaderAt, size int64, o RangeOptions, cfg csvConfig) (*csvSource, error) {
	l := o.Layout
	start := min(o.Start, size)
	c := &csvSource{name: o.Name, noFast: cfg.noFast, header: l.Header, stopAt: o.End}
	c.info = l.Info
	c.info.Name = o.Name
	if !o.Exact {
		var err error
		if start, err = findRecordStart(r, size, start, l.Delimiter, len(l.Header)); err != nil {
			return nil, c.ioError(err)
		}
	}
	c.began = start
	if start < 0 {
		// No record start in sight: this part waits for the previous
		// one's end and is read again (see Tally.Began).
		start, c.done = o.End, true
	}
	if start >= o.End {
		c.done = true
	}
	c.base = start
	c.counter = &countingReader{r: io.NewSectionReader(r, start, size-start)}
	c.utf8 = &utf8Checker{r: c.counter}
	c.sc = newScanner(c.utf8, l.Delimiter, nil, 0, false, cfg.bufSize, cfg.maxRecord)
	if err := c.selectColumns(o.Columns, nil); err != nil {
		return nil, err
	}
	c.batch.Cols = c.sel
	c.sc.cellSpans = o.CellSpans || cfg.cellSpans
	c.sc.setSelection(c.sel)
	return c, nil
}

// offset is the file offset of scanner position p. It holds for UTF-8
// text, where the scanner sees the file's bytes after base unchanged.
func (c *csvSource) offset(p int) int64 {
	return c.base + c.sc.fed - int64(c.sc.end-p)
}

// Tally reports what the source counted; Began and Ended are meaningful
// once Next has returned io.EOF.
func (c *csvSource) Tally() Tally {
	s := c.sc
	t := Tally{Rows: c.rows, Lines: s.line - 1, Ragged: s.ragged, FirstRagged: s.firstRagged,
		Lenient: s.lenient, FirstLenient: s.firstLenient, Began: c.began, Ended: c.offset(s.pos)}
	if c.began < 0 {
		t.Ended = c.stopAt
	}
	if c.utf8 != nil {
		// The checker has seen everything read into the buffer; the bytes
		// after the last record (read ahead, the next part's) are not ours.
		// They start after a line end, so a character never straddles.
		t.InvalidUTF8 = c.utf8.invalid - countInvalidUTF8(s.buf[s.pos:max(s.pos, s.end-c.utf8.nt)])
	}
	return t
}

// Tallier is a source that can report its Tally (a CSV source).
type Tallier interface{ Tally() Tally }

// MergeCSVInfo is the Info of a whole file read in parts, the parts'
// tallies in file order (verified: each began where the previous ended).
func MergeCSVInfo(l CSVLayout, size int64, parts []Tally) Info {
	in := l.Info
	h := l.Head // the header section counts too ("a"b in a header)
	total := Tally{InvalidUTF8: h.InvalidUTF8, Ragged: h.Ragged, FirstRagged: h.FirstRagged, Lenient: h.Lenient, FirstLenient: h.FirstLenient}
	lines := l.Head.Lines
	for _, t := range parts {
		if t.Ragged > 0 {
			if total.Ragged == 0 {
				total.FirstRagged = lines + t.FirstRagged
			}
			total.Ragged += t.Ragged
		}
		if t.Lenient > 0 {
			if total.Lenient == 0 {
				total.FirstLenient = lines + t.FirstLenient
			}
			total.Lenient += t.Lenient
		}
		total.InvalidUTF8 += t.InvalidUTF8
		total.Rows += t.Rows
		lines += t.Lines
	}
	in.Bytes = size
	in.Rows = total.Rows
	in.RaggedRows = total.Ragged
	in.Warnings = csvWarnings(l.Fixed, total)
	return in
}

// findRecordStart speculates where the first record beginning at or after
// start is: it tries the states the byte at start can be in (the first of
// a record, in the middle of an unquoted field, the first of a field,
// inside a quoted field), and keeps the one under which the following
// records (up to 16, in a window of speculateWindow bytes) most often
// have ncols fields; a tie goes to the first, the common case. It returns
// -1 when neither state finds a record end in the window.
func findRecordStart(r io.ReaderAt, size, start int64, delim byte, ncols int) (int64, error) {
	if start <= 0 {
		return 0, nil
	}
	if start >= size {
		return size, nil
	}
	data := make([]byte, 1+min(speculateWindow, size-start))
	n, err := r.ReadAt(data, start-1)
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, err
	}
	prev, data := data[0], data[1:n]
	atEOF := start+int64(len(data)) >= size
	best, bestFit := int64(-1), -1
	for _, h := range []struct{ begins, inQuote, mid bool }{{true, false, false}, {false, false, true}, {false, false, false}, {false, true, false}} {
		at := 0
		if h.begins {
			// A record begins right at start (after a line end).
			if prev != '\n' && prev != '\r' {
				continue
			}
		} else if at, _ = nextRecord(data, 0, delim, h.inQuote, h.mid, atEOF); at < 0 {
			continue
		}
		fit := 0
		for k, p := 0, at; k < 16 && p < len(data); k++ {
			end, fields := nextRecord(data, p, delim, false, false, atEOF)
			if end < 0 {
				break
			}
			if fields == ncols {
				fit++
			}
			p = end
		}
		if fit > bestFit {
			best, bestFit = start+int64(at), fit
		}
	}
	return best, nil
}

// nextRecord parses one record of data from i with the quoting rules of
// the scanner (a quote opens a quoted field only at the start of a field;
// "" inside one is a quote), starting inside a quoted field if inQuote,
// and in the middle of a field if mid. It returns the offset after the
// record's line end and its number of fields, or -1 when data ends first
// (a lone CR at the end is undecided unless atEOF). An empty line counts
// as a record of one field here.
func nextRecord(data []byte, i int, delim byte, inQuote, mid, atEOF bool) (int, int) {
	fields := 1
	fieldStart := !mid
	for i < len(data) {
		if inQuote {
			for {
				if i >= len(data) {
					return -1, 0
				}
				if data[i] == '"' {
					if i+1 < len(data) && data[i+1] == '"' {
						i += 2
						continue
					}
					if i+1 >= len(data) && !atEOF {
						return -1, 0 // "" or " then the end: undecided
					}
					i++
					break
				}
				i++
			}
			inQuote, fieldStart = false, false
			continue
		}
		switch b := data[i]; {
		case b == '\n':
			return i + 1, fields
		case b == '\r':
			if i+1 < len(data) {
				if data[i+1] == '\n' {
					return i + 2, fields
				}
				return i + 1, fields
			}
			if atEOF {
				return i + 1, fields
			}
			return -1, 0
		case b == delim:
			fields++
			fieldStart = true
			i++
		case b == '"' && fieldStart:
			inQuote = true
			i++
		default:
			fieldStart = false
			i++
		}
	}
	return -1, 0
}
