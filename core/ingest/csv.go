package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Limits of the CSV reader. They exist to protect a browser tab: a wasm
// instance has a few GiB of memory at most and a file is untrusted input,
// so no input may make the reader hold an unbounded amount. Memory is at
// most the sniffing prefix (SniffBytes, reused as the first read buffer),
// one read buffer (256 KiB, grown only for a record longer than it, up to
// MaxRecordBytes), one batch (at most BatchRows rows, cut earlier after
// MaxBatchBytes of records) and a 32 KiB index of the batch's cells
// (with Options.CellSpans, 32 KiB a selected column, 4 MiB at most). That
// is about 1 MiB for an ordinary survey, and bounded — under 80 MiB —
// for a file made of MaxRecordBytes records (the buffer may hold the two
// records peeked at under the header plus one more).
const (
	// MaxColumns is the most columns a header may have. A wider header is
	// an error; data rows with more cells than the header lose the extra
	// cells (counted as ragged), which costs no memory.
	MaxColumns = 16384
	// MaxRecordBytes is the longest record (one row, with the line breaks
	// of its quoted fields), in bytes of UTF-8. A longer one is an error
	// naming its line and the column being read — typically a quote that
	// is never closed and swallows the rest of the file. 16 MiB keeps
	// such a file within a Cloudflare Worker's 128 MB (at 64 MiB workerd
	// grew by 285 MB on it).
	MaxRecordBytes = 16 << 20
	// MaxBatchBytes is the size of records after which a batch is cut
	// short of BatchRows (it may exceed it by its last record), so that rows
	// of huge free-text answers cannot make one batch hold gigabytes.
	MaxBatchBytes = 16 << 20
)

// defaultBufSize is the read buffer of the CSV reader. 256 KiB amortises
// refills (each parses one partial record twice) and is a comfortable
// chunk to ask of a browser File.
const defaultBufSize = 256 << 10

// csvConfig holds the knobs tests turn: a tiny buffer moves record
// boundaries across refills, a small record limit tests the limit.
type csvConfig struct {
	bufSize   int
	maxRecord int
	noFast    bool // parse every record with scanner.record (the reference)
	cellSpans bool // as Options.CellSpans
}

// OpenCSV opens a CSV file for streaming. It reads the first SniffBytes to
// sniff what Options leave open, then the header (and extra header rows),
// and returns a Source whose batches hold the data rows.
//
// What it accepts (the rules of metrics.md §1, and what pandas and Python's
// csv module do with the same files):
//   - RFC 4180 quoting: a field starting with a quote runs to the closing
//     quote and may hold delimiters and line breaks; "" inside is one quote.
//     A quote elsewhere in a field is an ordinary character. Text after a
//     closing quote is kept ("a"b is ab) and counted in a warning. A quote
//     that is never closed is an *Error naming the line where it opened.
//   - Line ends LF, CRLF or a lone CR, mixed freely. Cells keep their bytes
//     exactly, including the line breaks inside quoted fields.
//   - Completely empty lines are skipped (they are not rows).
//   - The delimiter is sniffed among , ; tab | (see sniffDelimiter) unless
//     Options.Delimiter is set.
//   - The encoding is sniffed (see sniffEncoding): UTF-8 with or without
//     BOM, UTF-16 LE/BE with BOM, else Windows-1252; Options.Encoding
//     overrides. Everything is converted to UTF-8 while streaming. Invalid
//     UTF-8 after the sniffed prefix is passed through and counted in one
//     warning.
//   - Header names are trimmed; blank names become "column_N" and repeated
//     names get " (2)", " (3)", … (see columnNames), each rename a warning.
//   - Options.SkipRowsAfterHeader skips extra header rows; -1 recognises
//     Qualtrics and SurveyMonkey exports (see detectSkipRows).
//   - Rows with fewer cells than the header are padded with empty cells,
//     extra cells are dropped; both are counted in Info.RaggedRows.
//
// Errors about the input are *Error with File = Options.Name, Row = the
// 1-based line number and Column when known; an empty file (no record) is
// the *Error "file is empty"; a file with only a header has no rows and no
// error. Errors from r itself are returned wrapped. See MaxColumns and
// MaxRecordBytes for the limits.
func OpenCSV(r io.Reader, opts Options) (Source, error) {
	src, err := openCSV(r, opts, csvConfig{bufSize: defaultBufSize, maxRecord: MaxRecordBytes})
	if err != nil {
		return nil, err
	}
	return src, nil
}

type csvSource struct {
	name     string
	info     Info     // the fixed part: format, delimiter, encoding, header rows
	warnings []string // fixed warnings (header renames)
	header   []string
	counter  *countingReader
	utf8     *utf8Checker // nil unless the text is read as UTF-8
	sc       *scanner
	sel      []*Column // one per header column, nil when not selected
	noFast   bool
	batch    Batch
	rows     int64
	err      error // sticky: returned by every Next after it happened
	done     bool

	// Reading in parts (csv_range.go); UTF-8 text only, where scanner
	// positions map to file offsets.
	base   int64 // file offset of the scanner's first byte (after a BOM)
	began  int64 // file offset where this source's first record begins
	stopAt int64 // stop at the first record beginning at or after this offset; -1: read to the end
}

func openCSV(r io.Reader, opts Options, cfg csvConfig) (*csvSource, error) {
	c := &csvSource{name: opts.Name, counter: &countingReader{r: r}, noFast: cfg.noFast, stopAt: -1}
	c.info = Info{Name: opts.Name, Format: "csv"}

	// The prefix is read in two steps so that a small file costs a small
	// buffer: 4 KiB first, the rest of SniffBytes if the file goes on.
	prefix := make([]byte, 4<<10)
	n, atEOF, err := readFull(c.counter, prefix)
	if err == nil && !atEOF {
		prefix = append(prefix, make([]byte, SniffBytes-len(prefix))...)
		var m int
		m, atEOF, err = readFull(c.counter, prefix[n:])
		n += m
	}
	if err != nil {
		return nil, c.ioError(err)
	}
	prefix = prefix[:n]

	enc, bom := "", 0
	if opts.Encoding != "" {
		e, ok := normEncoding(opts.Encoding)
		if !ok {
			return nil, &Error{File: c.name, Msg: fmt.Sprintf("unsupported encoding %q (supported: utf-8, utf-8-sig, utf-16le, utf-16be, windows-1252)", opts.Encoding)}
		}
		enc, bom = e, bomLen(e, prefix)
		if enc == encUTF8 || enc == encUTF8BOM {
			enc = encUTF8
			if bom > 0 {
				enc = encUTF8BOM
			}
		}
	} else {
		enc, bom = sniffEncoding(prefix, atEOF)
	}
	c.info.Encoding = enc
	c.base = int64(bom)

	text := prefix[bom:] // the sample the delimiter is sniffed from, as UTF-8
	var rd io.Reader
	var buf []byte // the scanner's first buffer, holding text[:end]
	end := 0
	rest := func() io.Reader { // the text after the prefix
		r := io.Reader(bytes.NewReader(prefix[bom:]))
		if !atEOF {
			r = io.MultiReader(r, c.counter)
		}
		return r
	}
	switch enc {
	case encUTF8, encUTF8BOM:
		c.utf8 = &utf8Checker{r: c.counter}
		rd = c.utf8
		if cfg.bufSize >= cap(prefix) {
			// The prefix is the scanner's first buffer: no copy.
			end = copy(prefix, prefix[bom:])
			buf, text = prefix[:cap(prefix)], prefix[:end]
			c.utf8.check(text, atEOF)
		} else {
			c.utf8.r = rest()
		}
	case encWindows1252:
		// Delimiters, quotes and line ends are ASCII, the same bytes in
		// Windows-1252 and UTF-8: the raw sample sniffs as well.
		rd = newTranscoder(rest(), decode1252)
	case encUTF16LE, encUTF16BE:
		conv := decodeUTF16LE
		if enc == encUTF16BE {
			conv = decodeUTF16BE
		}
		out := make([]byte, len(text)*3/2+8)
		nd, _ := conv(out, text, atEOF)
		text = out[:nd]
		rd = newTranscoder(rest(), conv)
	}
	if opts.Encoding == "" && opts.Delimiter == 0 {
		if err := binaryError(c.name, text); err != nil { // binary.go
			return nil, err
		}
	}

	delim := opts.Delimiter
	if delim == 0 {
		delim = sniffDelimiter(text, atEOF)
	} else if delim == '"' || delim == '\n' || delim == '\r' || delim >= 0x80 {
		return nil, &Error{File: c.name, Msg: fmt.Sprintf("invalid delimiter %q: it must be an ASCII character other than a quote or a line end", delim)}
	}
	c.info.Delimiter = string(delim)
	c.sc = newScanner(rd, delim, buf, end, atEOF && buf != nil, cfg.bufSize, cfg.maxRecord)

	// Header.
	var rec Column
	ok, err := c.readRecord(modeRecord, &rec)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &Error{File: c.name, Msg: "file is empty"}
	}
	raw := cellStrings(&rec)
	c.header, c.warnings = columnNames(raw)

	// Extra header rows.
	skip := opts.SkipRowsAfterHeader
	if skip < 0 {
		skip, err = c.detectSkip(raw, &rec)
		if err != nil {
			return nil, err
		}
	}
	skipped := 0
	for skipped < skip {
		ok, err := c.readRecord(modeSkip, nil)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		skipped++
	}
	c.info.SkipRowsAfterHeader = skipped
	c.info.HeaderRows = 1 + skipped

	if err := c.selectColumns(opts.Columns, opts.Require); err != nil {
		return nil, err
	}
	c.batch.Cols = c.sel
	c.sc.cellSpans = opts.CellSpans || cfg.cellSpans
	c.sc.setSelection(c.sel)
	return c, nil
}

// detectSkip peeks at the two records after the header, decides how many
// are extra header rows (detectSkipRows), and rewinds to the first of them.
// A record that cannot be read here (a parse error) ends the peek; reading
// it again as data reports the error.
func (c *csvSource) detectSkip(raw []string, rec *Column) (int, error) {
	s := c.sc
	mark, line := s.pos, s.line
	// The peeked records are read again as rows: what they count now
	// must not count twice.
	ragged, firstRagged, lenient, firstLenient := s.ragged, s.firstRagged, s.lenient, s.firstLenient
	defer func() {
		s.ragged, s.firstRagged, s.lenient, s.firstLenient = ragged, firstRagged, lenient, firstLenient
	}()
	s.mark = mark
	var rows [2][]string
	for i := range rows {
		ok, err := c.readRecord(modeRecord, rec)
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				break
			}
			return 0, err
		}
		if !ok {
			break
		}
		rows[i] = cellStrings(rec)
	}
	s.pos, s.line = s.mark, line
	s.mark = -1
	k, _ := detectSkipRows(raw, rows[0], rows[1])
	return k, nil
}

// selectColumns sets up the column of each selected header column, after
// checking that every selected and required column is in the header.
func (c *csvSource) selectColumns(names, require []string) error {
	c.sel = make([]*Column, len(c.header))
	if names == nil {
		for i := range c.sel {
			c.sel[i] = new(Column)
		}
		return CheckColumns(c.name, c.header, require)
	}
	if err := CheckColumns(c.name, c.header, names, require); err != nil {
		return err
	}
	pos := make(map[string]int, len(c.header))
	for i, h := range c.header {
		pos[h] = i
	}
	for _, n := range names {
		if i := pos[n]; c.sel[i] == nil {
			c.sel[i] = new(Column)
		}
	}
	return nil
}

// readRecord reads one record in mode (modeRecord: into rec; modeSkip),
// refilling as needed. It returns false at the end of the input.
func (c *csvSource) readRecord(mode int, rec *Column) (bool, error) {
	for {
		if rec != nil {
			rec.Reset()
		}
		switch c.sc.record(mode, nil, rec) {
		case recOK:
			return true, nil
		case recEOF:
			return false, nil
		case recErr:
			return false, c.scanError()
		default: // recMore
			if err := c.fill(); err != nil {
				return false, err
			}
		}
	}
}

func (c *csvSource) Header() []string { return c.header }

// Next returns the next batch of up to BatchRows rows (fewer once the
// cells pass MaxBatchBytes). Rows read before an error are returned first;
// the error comes with the following call, and with every call after.
func (c *csvSource) Next() (*Batch, error) {
	if c.err != nil {
		return nil, c.err
	}
	if c.done {
		return nil, io.EOF
	}
	b := &c.batch
	b.Reset()
	b.FirstRow = c.rows + 1
	s := c.sc
	if s.cellSpans {
		s.openSpans()
		defer s.closeSpans()
	}
	size := 0
	rows := 0
loop:
	for rows < BatchRows && size < MaxBatchBytes {
		start := s.pos
		budget := MaxBatchBytes - size
		if c.stopAt >= 0 {
			// A part ends before the first record that begins at or
			// after stopAt (the next part's first record).
			left := c.stopAt - c.offset(s.pos)
			if left <= 0 {
				c.done = true
				break
			}
			budget = int(min(int64(budget), left))
		}
		if !c.noFast {
			if k := s.fast(BatchRows-rows, budget); k > 0 {
				rows += k
				size += s.pos - start
				start = s.pos
			}
			if rows == BatchRows || size >= MaxBatchBytes {
				break
			}
			if c.stopAt >= 0 && c.offset(s.pos) >= c.stopAt {
				c.done = true
				break
			}
		}
		switch s.record(modeRow, c.sel, nil) {
		case recOK:
			rows++
			size += s.pos - start
		case recMore:
			c.rollback(rows)
			if s.cellSpans && rows > 0 {
				// A refill moves the bytes the batch's spans point at:
				// the batch ends here, and the next one refills first.
				break loop
			}
			if err := c.fill(); err != nil {
				c.err = err
				break loop
			}
		case recEOF:
			c.done = true
			break loop
		case recErr:
			c.rollback(rows)
			c.err = c.scanError()
			break loop
		}
	}
	b.Rows = rows
	c.rows += int64(rows)
	if rows == 0 {
		if c.err != nil {
			return nil, c.err
		}
		return nil, io.EOF
	}
	return b, nil
}

// rollback drops the cells a half-parsed record appended after the first
// rows rows.
func (c *csvSource) rollback(rows int) {
	for _, col := range c.sel {
		if col != nil {
			col.Truncate(rows)
		}
	}
}

func (c *csvSource) fill() error {
	s := c.sc
	err := s.fill()
	if err == nil {
		return nil
	}
	if _, ok := err.(errTooLong); ok {
		msg := fmt.Sprintf("record longer than %s", sizeString(s.maxRecord))
		if s.quoteLine > 0 {
			msg += fmt.Sprintf(": the quoted field opened on line %d is probably never closed", s.quoteLine)
		}
		return &Error{File: c.name, Row: s.line, Column: c.colName(s.moreField), Msg: msg}
	}
	return c.ioError(err)
}

func (c *csvSource) scanError() error {
	s := c.sc
	return &Error{File: c.name, Row: s.errLine, Column: c.colName(s.moreField), Msg: s.errMsg}
}

func (c *csvSource) ioError(err error) error {
	name := c.name
	if name == "" {
		name = "input"
	}
	return fmt.Errorf("%s: read error: %w", name, err)
}

func (c *csvSource) colName(i int) string {
	if i >= 0 && i < len(c.header) {
		return c.header[i]
	}
	return ""
}

// Info reports what the reader found so far. Bytes counts the bytes taken
// from the input, which runs ahead of Rows by up to one read buffer.
func (c *csvSource) Info() Info {
	in := c.info
	in.Bytes = c.counter.n
	in.Rows = c.rows
	in.RaggedRows = c.sc.ragged
	t := Tally{Ragged: c.sc.ragged, FirstRagged: c.sc.firstRagged, Lenient: c.sc.lenient, FirstLenient: c.sc.firstLenient}
	if c.utf8 != nil {
		t.InvalidUTF8 = c.utf8.invalid
	}
	in.Warnings = csvWarnings(c.warnings, t)
	return in
}

// csvWarnings lists the fixed warnings (header renames), then those of
// the counters of t: one pass and a merge of parts say the same.
func csvWarnings(fixed []string, t Tally) []string {
	w := append([]string(nil), fixed...)
	if t.Ragged == 1 {
		w = append(w, fmt.Sprintf("1 row has a different number of cells than the header (on line %d): a short row was padded with blank cells, extra cells dropped", t.FirstRagged))
	} else if t.Ragged > 0 {
		w = append(w, fmt.Sprintf("%d rows have a different number of cells than the header (first on line %d): short rows were padded with blank cells, extra cells dropped", t.Ragged, t.FirstRagged))
	}
	if t.Lenient == 1 {
		w = append(w, fmt.Sprintf("1 quoted field has text after the closing quote (on line %d); the text was kept", t.FirstLenient))
	} else if t.Lenient > 0 {
		w = append(w, fmt.Sprintf("%d quoted fields have text after the closing quote (first on line %d); the text was kept", t.Lenient, t.FirstLenient))
	}
	if t.InvalidUTF8 == 1 {
		w = append(w, "1 invalid UTF-8 sequence in a file read as UTF-8; its bytes were kept as they are")
	} else if t.InvalidUTF8 > 0 {
		w = append(w, fmt.Sprintf("%d invalid UTF-8 sequences in a file read as UTF-8; their bytes were kept as they are", t.InvalidUTF8))
	}
	return w
}

// cellStrings returns the cells of a column as strings.
func cellStrings(c *Column) []string {
	out := make([]string, c.Len())
	for i := range out {
		out[i] = string(c.Cell(i))
	}
	return out
}

func sizeString(n int) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// readFull reads into b until it is full or the input ends (atEOF), like
// io.ReadFull but giving up on a reader that keeps returning nothing.
func readFull(r io.Reader, b []byte) (n int, atEOF bool, err error) {
	for zero := 0; n < len(b); {
		m, err := r.Read(b[n:])
		n += m
		if err == io.EOF {
			return n, true, nil
		}
		if err != nil {
			return n, false, err
		}
		if m == 0 {
			if zero++; zero > 100 {
				return n, false, io.ErrNoProgress
			}
		}
	}
	return n, false, nil
}

// countingReader counts the bytes read through it, for Info.Bytes.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
