// Package ingest streams tabular files (CSV, Parquet) into column batches.
//
// Both readers produce the same thing: a header (column names) and a
// sequence of Batches, each holding up to BatchRows rows column by column as
// raw cell bytes. Cell values are text in both formats, so the rules of
// metrics.md §1 (blank, non_numeric, "9.0" accepted, …) apply identically;
// Parquet values are rendered in canonical text (see parquet.go).
//
// A reader never holds the whole file: memory is one batch plus the
// reader's own buffer.
package ingest

import (
	"fmt"
	"io"
	"math"
	"strconv"
)

// BatchRows is the number of rows a reader puts in one batch at most.
const BatchRows = 4096

// Column holds the cells of one column of a batch. All cells live in one
// byte arena, so a batch costs no allocation per cell.
//
// A Parquet reader may hand over a column in one of two other forms,
// which skip making text that a consumer would only parse back:
// dictionary codes (Coded) or UTC timestamps (Times). Every method works
// on every form — Cell, Raw and Append turn the column into text first,
// the exact text the reader would have made — so a consumer that knows
// nothing of the forms gets what it always got, and one that asks for a
// form gets the same cells faster.
type Column struct {
	data []byte
	ends []int32

	form  uint8   // formText, formCoded or formTimes
	dict  *Dict   // formCoded: the dictionary the codes index
	codes []int32 // formCoded: a dictionary entry per cell, -1 for an empty cell
	times []int64 // formTimes: microseconds since 1970 UTC per cell, NullTime for an empty cell
	ints  []int64 // formInts: the integer per cell, NullInt for an empty cell

	// formSpans: the cells are spans of base, the CSV reader's buffer,
	// as Spans describes them; a quoted one is unescaped with stop, the
	// reader's field-ending bytes.
	base  []byte
	spans []uint64
	stop  *[256]bool

	textSpans []uint64 // Spans of a text column: spans of data
}

const (
	formText = iota
	formCoded
	formTimes
	formInts
	formSpans
)

// NullTime marks an empty cell in Times.
const NullTime = math.MinInt64

// NullInt marks an empty cell in Ints (no INT32 value is that small).
const NullInt = math.MinInt64

// Dict is a dictionary of cell texts (a Parquet column chunk's): entry i
// is Text[Ends[i-1]:Ends[i]], from 0 for i = 0. A reader makes a new Dict
// for every dictionary it reads, so a consumer may key what it derives
// from the entries by the pointer.
type Dict struct {
	Text []byte
	Ends []int32
}

// Len returns the number of entries.
func (d *Dict) Len() int { return len(d.Ends) }

// Entry returns entry i.
func (d *Dict) Entry(i int32) []byte {
	start := int32(0)
	if i > 0 {
		start = d.Ends[i-1]
	}
	return d.Text[start:d.Ends[i]]
}

// Len returns the number of cells.
func (c *Column) Len() int {
	switch c.form {
	case formCoded:
		return len(c.codes)
	case formTimes:
		return len(c.times)
	case formInts:
		return len(c.ints)
	case formSpans:
		return len(c.spans)
	}
	return len(c.ends)
}

// Spans returns the cells as spans of buf: cell i is buf[a:b] with a =
// int32(uint32(spans[i])) and b = spans[i]>>32, except when a < 0, which
// marks a quoted cell that needs unescaping: Cell(i) gives its text (and
// turns the column into text). A CSV reader opened with CellSpans hands
// its columns over as spans of its read buffer, so no cell is copied;
// any other column is turned into text first (as Raw does) and spans of
// its arena are made. buf's capacity may run past its length (the rest
// of the read buffer): a consumer may load a short cell as whole words
// where they lie within cap(buf). The slices are valid until the batch is
// reused and must not be written.
func (c *Column) Spans() (buf []byte, spans []uint64) {
	if c.form == formSpans {
		return c.base, c.spans
	}
	if c.form != formText {
		c.text()
	}
	c.textSpans = c.textSpans[:0]
	start := 0
	for _, end := range c.ends {
		c.textSpans = append(c.textSpans, span(start, int(end)))
		start = int(end)
	}
	return c.data, c.textSpans
}

// Coded returns the column as dictionary codes, when the reader gave it
// so: cell i is d.Entry(codes[i]), or empty when codes[i] < 0. The slices
// are valid until the batch is reused and must not be written.
func (c *Column) Coded() (d *Dict, codes []int32, ok bool) {
	if c.form != formCoded {
		return nil, nil, false
	}
	return c.dict, c.codes, true
}

// Times returns the column as UTC timestamps in microseconds, when the
// reader gave it so: cell i is empty when us[i] == NullTime, otherwise an
// ISO 8601 timestamp "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" of a year 1–9999
// (cell.Timestamp of the text gives us[i] back). The slice is valid until
// the batch is reused and must not be written.
func (c *Column) Times() (us []int64, ok bool) {
	if c.form != formTimes {
		return nil, false
	}
	return c.times, true
}

// Ints returns the column as integers, when the reader gave it so (a
// Parquet INT32 column): cell i is empty when v[i] == NullInt, otherwise
// the decimal text of v[i] (strconv.FormatInt). The slice is valid until
// the batch is reused and must not be written.
func (c *Column) Ints() (v []int64, ok bool) {
	if c.form != formInts {
		return nil, false
	}
	return c.ints, true
}

// text turns a coded, timestamp or integer column into text, in place.
func (c *Column) text() {
	switch c.form {
	case formCoded:
		d := c.dict
		data, ends := c.data[:0], c.ends[:0]
		for _, x := range c.codes {
			if x >= 0 {
				data = append(data, d.Entry(x)...)
			}
			ends = append(ends, int32(len(data)))
		}
		c.data, c.ends = data, ends
		c.codes, c.dict = c.codes[:0], nil
	case formTimes:
		data, ends := c.data[:0], c.ends[:0]
		for _, us := range c.times {
			if us != NullTime {
				data = appendMicros(data, us)
			}
			ends = append(ends, int32(len(data)))
		}
		c.data, c.ends = data, ends
		c.times = c.times[:0]
	case formInts:
		data, ends := c.data[:0], c.ends[:0]
		for _, v := range c.ints {
			if v != NullInt {
				data = strconv.AppendInt(data, v, 10)
			}
			ends = append(ends, int32(len(data)))
		}
		c.data, c.ends = data, ends
		c.ints = c.ints[:0]
	case formSpans:
		c.data, c.ends = appendSpanCells(c.data[:0], c.ends[:0], c.spans, c.base, c.stop)
		c.spans, c.base = c.spans[:0], nil
	}
	c.form = formText
}

// into makes the column one of form f (a coded column: of dictionary d)
// to append to, and reports whether it is: it is when it already is, or
// holds no cell; a column holding other cells is turned into text and
// the reader appends text.
func (c *Column) into(f uint8, d *Dict) bool {
	switch {
	case c.form == f && c.dict == d:
		return true
	case c.Len() == 0:
		c.form, c.dict = f, d
		c.codes, c.times, c.ints = c.codes[:0], c.times[:0], c.ints[:0]
		return true
	}
	c.text()
	return false
}

// size estimates the column's bytes, for keeping batches near
// MaxBatchBytes.
func (c *Column) size() int {
	return len(c.data) + 4*len(c.codes) + 8*len(c.times) + 8*len(c.ints)
}

// Cell returns cell i. The slice is valid until the batch is reused.
func (c *Column) Cell(i int) []byte {
	if c.form == formSpans {
		if a, b := SpanBounds(c.spans[i]); a >= 0 {
			return c.base[a:b:b]
		}
	}
	if c.form != formText {
		c.text()
	}
	start := int32(0)
	if i > 0 {
		start = c.ends[i-1]
	}
	return c.data[start:c.ends[i]]
}

// Raw returns the column's arena and the end of each cell in it: cell i
// is data[ends[i-1]:ends[i]], from 0 for i = 0. A loop over a whole column
// walks them directly; Cell(i) per row reloads both slices and tests i.
// The slices are valid until the batch is reused and must not be written.
func (c *Column) Raw() (data []byte, ends []int32) {
	if c.form != formText {
		c.text()
	}
	return c.data, c.ends
}

// Append adds a cell (copying b).
func (c *Column) Append(b []byte) {
	if c.form != formText {
		c.text()
	}
	c.data = append(c.data, b...)
	c.ends = append(c.ends, int32(len(c.data)))
}

// AppendString adds a cell (copying s).
func (c *Column) AppendString(s string) {
	if c.form != formText {
		c.text()
	}
	c.data = append(c.data, s...)
	c.ends = append(c.ends, int32(len(c.data)))
}

// Truncate keeps the first n cells (fewer when the column has fewer),
// dropping what a half-read record appended after them.
func (c *Column) Truncate(n int) {
	switch c.form {
	case formCoded:
		c.codes = c.codes[:min(n, len(c.codes))]
		return
	case formTimes:
		c.times = c.times[:min(n, len(c.times))]
		return
	case formInts:
		c.ints = c.ints[:min(n, len(c.ints))]
		return
	case formSpans:
		c.spans = c.spans[:min(n, len(c.spans))]
		return
	}
	if len(c.ends) > n {
		c.ends = c.ends[:n]
	}
	end := int32(0)
	if len(c.ends) > 0 {
		end = c.ends[len(c.ends)-1]
	}
	c.data = c.data[:end]
}

// Reset empties the column, keeping its memory.
func (c *Column) Reset() {
	c.data = c.data[:0]
	c.ends = c.ends[:0]
	c.codes = c.codes[:0]
	c.times = c.times[:0]
	c.ints = c.ints[:0]
	c.spans, c.base = c.spans[:0], nil
	c.form, c.dict = formText, nil
}

// Batch is a run of consecutive rows, column by column.
type Batch struct {
	// Rows is the number of rows in the batch.
	Rows int
	// FirstRow is the 1-based data row number of the first row (the first
	// row after the header and any extra header rows is row 1).
	FirstRow int64
	// Cols has one entry per header column; an entry is nil when the column
	// was not selected (Options.Columns), otherwise it has Rows cells.
	Cols []*Column
}

// Reset empties every column, keeping memory for reuse.
func (b *Batch) Reset() {
	b.Rows = 0
	for _, c := range b.Cols {
		if c != nil {
			c.Reset()
		}
	}
}

// Source is an opened file: its header, then batches until io.EOF.
type Source interface {
	// Header returns the column names, in file order.
	Header() []string
	// Next returns the next batch, or io.EOF after the last one. The batch
	// (and its cells) may be reused by the following call.
	Next() (*Batch, error)
	// Info describes what the reader found (format, delimiter, encoding,
	// header rows, problems counted so far).
	Info() Info
}

// Info describes an opened file. Hosts copy it into the result's "source".
type Info struct {
	Name      string `json:"name,omitempty"`
	Format    string `json:"format"` // "csv" or "parquet"
	Bytes     int64  `json:"bytes"`
	Delimiter string `json:"delimiter,omitempty"`
	Encoding  string `json:"encoding,omitempty"`
	// HeaderRows is the number of header rows, including the extra ones
	// skipped under the header (Qualtrics: 3).
	HeaderRows int `json:"header_rows,omitempty"`
	// SkipRowsAfterHeader is the number of extra header rows skipped.
	SkipRowsAfterHeader int `json:"skip_rows_after_header"`
	// RaggedRows counts rows with fewer or more cells than the header; short
	// rows are padded with empty (blank) cells, extra cells are dropped.
	RaggedRows int64 `json:"ragged_rows,omitempty"`
	// Rows is the number of data rows read so far.
	Rows int64 `json:"rows"`
	// RowGroups is the number of Parquet row groups.
	RowGroups int `json:"row_groups,omitempty"`
	// Warnings are problems that did not stop reading.
	Warnings []string `json:"warnings,omitempty"`
}

// Options configure a reader. The zero value sniffs everything and reads
// every column.
type Options struct {
	// Name is the file name used in error messages.
	Name string
	// Delimiter is ',', ';', '\t' or '|'; 0 sniffs it (CSV only).
	Delimiter byte
	// Encoding is "utf-8", "utf-8-sig", "utf-16le", "utf-16be" or
	// "windows-1252"; "" sniffs it (CSV only).
	Encoding string
	// SkipRowsAfterHeader is the number of extra header rows; -1 detects
	// the Qualtrics (2) and SurveyMonkey (1) layouts (CSV only).
	SkipRowsAfterHeader int
	// Columns selects the columns to read by name; nil reads all. Unselected
	// columns are nil in every batch (and Parquet skips their pages).
	Columns []string
	// Require names columns that must be in the header although they are
	// not read (a plan's id column, which no metric reads): a missing one
	// fails the open as a missing selected column does.
	Require []string
	// RowGroups, when To > 0, reads only the Parquet row groups [From, To):
	// one part of a file read by several workers.
	RowGroups RowGroupRange
	// ParquetFooter, when not nil, is the file's footer as an earlier
	// open read it (FooterOf): a part of a prepared file does not read
	// the magic number, the trailer and the footer again (three reads of
	// the file, serial, before its first column in a browser).
	ParquetFooter []byte
	// Limit, when > 0, ends a Parquet source after Limit rows: a sample,
	// such as detection reads. A Snappy page holding rows past the sample
	// is then decompressed only as far as the sample's rows need
	// (parquet_sample.go). CSV ignores it: it parses only the batches
	// asked for, and no page stands behind them.
	Limit int
	// CellSpans lets a CSV reader hand over the selected columns as spans
	// of its read buffer (Column.Spans) instead of copying their cells,
	// for a consumer that reads spans. Every Column method still works
	// (Raw copies the cells then). A batch then also ends where the
	// buffer is refilled (every ~2 700 rows of the bench survey), as a
	// refill moves the bytes. The index of a batch of spans takes 32 KiB
	// a selected column, so with more than 128 of them the reader copies
	// the cells as without CellSpans. Parquet ignores it.
	CellSpans bool
}

// RowGroupRange is a range [From, To) of Parquet row groups.
type RowGroupRange struct{ From, To int }

// Error is bad input, located as precisely as known. Its message names the
// file, the row and the column where they apply.
type Error struct {
	File   string // file name ("" when unknown)
	Row    int64  // 1-based line (CSV) or row (Parquet) number; 0 when unknown
	Column string // column name; "" when unknown
	Msg    string
}

func (e *Error) Error() string {
	s := e.File
	if s == "" {
		s = "input"
	}
	if e.Row > 0 {
		s += fmt.Sprintf(": row %d", e.Row)
	}
	if e.Column != "" {
		s += fmt.Sprintf(": column %q", e.Column)
	}
	return s + ": " + e.Msg
}

// ReadAll drains a source into memory: for tests and small files only.
// It returns the header and the cells as rows of strings.
func ReadAll(src Source) ([]string, [][]string, error) {
	var rows [][]string
	header := src.Header()
	for {
		b, err := src.Next()
		if err == io.EOF {
			return header, rows, nil
		}
		if err != nil {
			return header, rows, err
		}
		rows = b.appendRows(rows)
	}
}

// appendRows appends the batch's rows, as text, to rows.
func (b *Batch) appendRows(rows [][]string) [][]string {
	for i := 0; i < b.Rows; i++ {
		row := make([]string, len(b.Cols))
		for j, c := range b.Cols {
			if c != nil {
				row[j] = string(c.Cell(i))
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// Clone returns a deep copy of the batch, safe to keep after Next.
func (b *Batch) Clone() *Batch {
	c := &Batch{Rows: b.Rows, FirstRow: b.FirstRow, Cols: make([]*Column, len(b.Cols))}
	for i, col := range b.Cols {
		if col != nil {
			if col.form == formSpans {
				col.text() // the spans point into the reader's buffer
			}
			// The Dict is never written after it is made: sharing it is safe.
			c.Cols[i] = &Column{data: append([]byte(nil), col.data...), ends: append([]int32(nil), col.ends...),
				form: col.form, dict: col.dict, codes: append([]int32(nil), col.codes...),
				times: append([]int64(nil), col.times...), ints: append([]int64(nil), col.ints...)}
		}
	}
	return c
}
