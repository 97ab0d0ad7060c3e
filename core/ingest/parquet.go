package ingest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Parquet reader.
//
// OpenParquet reads the footer (FileMetaData) through io.ReaderAt, then
// Next streams row groups page by page: for each selected column, the
// column chunk's byte range is read in windows, each page is decompressed
// and its definition levels and values decoded into per-batch buffers,
// and each value is rendered as canonical text into the batch (below).
// Unselected column chunks are never read. Memory is one batch, one
// read window and one decompressed page per selected column.
//
// The page decoder is cxaudit's own (parquet_decode.go, parquet_thrift.go,
// parquet_codec.go). On the fixtures in testdata/parquet,
// github.com/xitongsys/parquet-go v1.6.2 (ReadColumnByIndex) ran out of
// memory on every DATA_PAGE_V2 file of arrow-rs and hyparquet-writer,
// returned 0 values without an error for LZ4, LZ4_RAW and BROTLI files
// and for 4 of 26 columns of arrow_types_plain_v2, and could not parse
// hyparquet_types' footer; it took 560–1000 ms for one INT32 column of
// 1M rows (values boxed in interface{}) where this reader takes 15–50 ms
// including the text, and it adds 5.0 MB to the wasm binary where this
// reader adds 0.4 MB.
//
// No silent loss: every column chunk must deliver exactly the row group's
// num_rows values — fewer or more is an *Error naming the file, the
// column and the row group — and every declared size is checked against
// the bytes that hold it before anything is allocated.
//
// Canonical text, identical to what the same value looks like in a CSV
// cell so that both formats give the same metrics:
//
//	null                                    ""  (blank)
//	BOOLEAN                                 "true" / "false"
//	INT32, INT64, INTEGER(signed or not)    decimal integer
//	FLOAT, DOUBLE (FLOAT16)                 strconv.FormatFloat(v, 'f', -1, 32|64): "9", "7.5", "NaN", "+Inf"
//	DECIMAL(scale s), any physical type     exact, s fraction digits: "12.50"
//	DATE                                    "YYYY-MM-DD"
//	TIMESTAMP (ms, µs, ns), INT96           cell.FormatTimestamp: "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" (ns floored to µs)
//	TIME (ms, µs, ns)                       "HH:MM:SS[.ffffff]"
//	BYTE_ARRAY (STRING, ENUM, JSON, …)      the bytes
//	FIXED_LEN_BYTE_ARRAY                    UUID: "8-4-4-4-12" lowercase hex; else the bytes
//
// Timestamps of years outside 0000–9999 are written with a sign ("+10000-01-01T…Z",
// "-0001-…"), which the metrics count as bad timestamps rather than
// misreading them. Nested columns (lists, maps) are skipped with a
// warning; fields of plain structs are columns named "parent.child".

const (
	// maxPageBytes bounds the declared (uncompressed) size of one page.
	// Writers cut pages at about 1 MiB; 256 MiB leaves room for huge
	// single values and stops a corrupt header from asking for gigabytes.
	maxPageBytes = 256 << 20
	// maxFooterBytes bounds the footer.
	maxFooterBytes = 256 << 20
	// readWindowBudget is shared by the selected columns' read windows.
	readWindowBudget = 16 << 20
	// maxDecimalBytes bounds a BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY decimal
	// (precision ≤ 300 digits).
	maxDecimalBytes = 128
	// maxDecimalScale bounds a DECIMAL's scale.
	maxDecimalScale = 1000
)

// OpenParquet opens a Parquet file of size bytes. It reads the footer and
// checks every selected column chunk's place in the file; rows come with
// Next. Any panic while decoding (there should be none) becomes an *Error.
func OpenParquet(r io.ReaderAt, size int64, opts Options) (src Source, err error) {
	defer func() {
		if p := recover(); p != nil {
			src, err = nil, &Error{File: opts.Name, Msg: fmt.Sprintf("corrupt Parquet file (decoder failure: %v)", p)}
		}
	}()
	s, err := openParquet(r, size, opts)
	if err != nil {
		return nil, err
	}
	return s, nil
}

type pqSource struct {
	r         io.ReaderAt
	size      int64
	name      string
	meta      *fileMeta
	footer    []byte            // the raw footer (FooterOf)
	leaves    []*pqLeaf         // exposed columns, in header order
	allLeaves []*pqLeaf         // every primitive column, nested ones included
	nested    map[string]string // skipped nested columns → what they are
	header    []string
	warnings  []string
	cols      []*pqColumn // readers of the selected columns
	batch     Batch
	rg        int   // current row group (-1 before the first)
	rgEnd     int   // row groups from rgEnd on are not read (-1: all are)
	inGroup   bool  // a row group has been started
	rgLeft    int64 // rows of it not yet returned
	rows      int64
	limit     int64 // Options.Limit
	err       error
	done      bool
}

// pqLeaf is a primitive column of the schema.
type pqLeaf struct {
	name   string // path joined with "."
	path   []string
	el     *schemaElement
	index  int // position among all leaves (= in a row group's columns)
	maxDef int
	maxRep int
	kind   int
	scale  int   // DECIMAL
	unit   int16 // TIME, TIMESTAMP
}

func (s *pqSource) errorf(column string, format string, args ...any) *Error {
	return &Error{File: s.name, Column: column, Msg: fmt.Sprintf(format, args...)}
}

func openParquet(r io.ReaderAt, size int64, opts Options) (*pqSource, error) {
	s := &pqSource{r: r, size: size, name: opts.Name, rg: -1, rgEnd: -1, limit: int64(max(opts.Limit, 0))}
	if g := opts.RowGroups; g.To > 0 {
		s.rg, s.rgEnd = g.From-1, g.To
	}
	if size < 12 {
		return nil, s.errorf("", "not a Parquet file: %d bytes is too short (a Parquet file has at least 12)", size)
	}
	footer := opts.ParquetFooter
	if footer == nil {
		var err error
		if footer, err = s.readFooter(); err != nil {
			return nil, err
		}
	} else if err := s.checkFooterLen(int64(len(footer))); err != nil {
		return nil, err
	}
	s.footer = footer
	dataEnd := size - 8 - int64(len(footer))
	meta, err := readFileMeta(footer)
	if err != nil {
		return nil, s.errorf("", "corrupt Parquet footer: %v", err)
	}
	if meta.encrypted {
		return nil, s.errorf("", "encrypted Parquet files are not supported")
	}
	s.meta = meta
	if err := s.buildSchema(); err != nil {
		return nil, err
	}
	if err := s.selectColumns(opts.Columns, opts.Require); err != nil {
		return nil, err
	}
	if err := s.checkRowGroups(dataEnd); err != nil {
		return nil, err
	}
	return s, nil
}

// readFooter checks the magic numbers at both ends and reads the footer.
func (s *pqSource) readFooter() ([]byte, error) {
	r, size := s.r, s.size
	var head, tail [8]byte
	if err := readFullAt(r, head[:4], 0); err != nil {
		return nil, s.ioError(err)
	}
	if string(head[:4]) != parquetMagic {
		return nil, s.errorf("", "not a Parquet file: it does not start with %q", parquetMagic)
	}
	if err := readFullAt(r, tail[:], size-8); err != nil {
		return nil, s.ioError(err)
	}
	switch string(tail[4:]) {
	case parquetMagic:
	case "PARE":
		return nil, s.errorf("", "encrypted Parquet files are not supported")
	default:
		return nil, s.errorf("", "truncated or corrupt Parquet file: it does not end with %q (was it cut short?)", parquetMagic)
	}
	footerLen := int64(binary.LittleEndian.Uint32(tail[:4]))
	if err := s.checkFooterLen(footerLen); err != nil {
		return nil, err
	}
	footer := make([]byte, footerLen)
	if err := readFullAt(r, footer, size-8-footerLen); err != nil {
		return nil, s.ioError(err)
	}
	return footer, nil
}

// checkFooterLen refuses a footer of n bytes that the file cannot hold
// beside its magic numbers, or that is over maxFooterBytes.
func (s *pqSource) checkFooterLen(n int64) error {
	if n > s.size-12 {
		return s.errorf("", "corrupt Parquet file: its footer length (%d bytes) is larger than the file (%d bytes)", n, s.size)
	}
	if n > maxFooterBytes {
		return s.errorf("", "Parquet footer of %d bytes is larger than the %d MiB limit", n, maxFooterBytes>>20)
	}
	return nil
}

// FooterOf returns the footer a Parquet source was opened with (for
// Options.ParquetFooter), or nil for any other source.
func FooterOf(src Source) []byte {
	if n, ok := src.(*notedSource); ok {
		src = n.Source
	}
	if p, ok := src.(*pqSource); ok {
		return p.footer
	}
	return nil
}

func readFullAt(r io.ReaderAt, b []byte, off int64) error {
	n, err := r.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}

func (s *pqSource) ioError(err error) error {
	return fmt.Errorf("%s: read error: %w", displayName(s.name), err)
}

// buildSchema walks the flattened schema tree into leaves and exposes
// those that repeat nowhere on their path.
func (s *pqSource) buildSchema() error {
	sc := s.meta.schema
	if len(sc) == 0 {
		return s.errorf("", "corrupt Parquet footer: the schema is empty")
	}
	var all []*pqLeaf
	nested := map[string]string{} // top-level field → what it is
	var nestedOrder []string
	i := 1
	var walk func(n int, path []string, def, rep, depth int) error
	walk = func(n int, path []string, def, rep, depth int) error {
		if depth > 64 {
			return s.errorf("", "corrupt Parquet schema: nested more than 64 levels deep")
		}
		for c := 0; c < n; c++ {
			if i >= len(sc) {
				return s.errorf("", "corrupt Parquet schema: it declares more fields than it has")
			}
			el := &sc[i]
			i++
			d, r := def, rep
			switch el.repetition {
			case repOptional:
				d++
			case repRepeated:
				d++
				r++
			}
			p := append(append([]string(nil), path...), el.name)
			if el.numChildren < 0 || int(el.numChildren) > len(sc)-i {
				return s.errorf(strings.Join(p, "."), "corrupt Parquet schema: %d children", el.numChildren)
			}
			if depth == 0 && (r > 0 || el.converted == ctList || el.converted == ctMap || el.converted == ctMapKeyValue || el.logical.kind == ltList || el.logical.kind == ltMap) {
				if _, ok := nested[el.name]; !ok {
					nestedOrder = append(nestedOrder, el.name)
				}
				nested[el.name] = nestedWhat(el)
			}
			if el.numChildren > 0 || el.typ < 0 {
				if err := walk(int(el.numChildren), p, d, r, depth+1); err != nil {
					return err
				}
				continue
			}
			all = append(all, &pqLeaf{name: strings.Join(p, "."), path: p, el: el, index: len(all), maxDef: d, maxRep: r})
		}
		return nil
	}
	if sc[0].numChildren < 0 {
		return s.errorf("", "corrupt Parquet schema")
	}
	if err := walk(int(sc[0].numChildren), nil, 0, 0, 0); err != nil {
		return err
	}
	if i != len(sc) {
		return s.errorf("", "corrupt Parquet schema: %d of its %d fields are outside the tree", len(sc)-i, len(sc))
	}
	var raw []string
	for _, l := range all {
		if _, skip := nested[l.path[0]]; skip {
			continue
		}
		if l.maxRep > 0 { // a repeated field inside a struct
			nestedOrder = append(nestedOrder, l.name)
			nested[l.name] = "repeated"
			continue
		}
		if err := l.setKind(); err != nil {
			return s.errorf(l.name, "%v", err)
		}
		s.leaves = append(s.leaves, l)
		raw = append(raw, l.name)
	}
	s.allLeaves = all
	s.nested = nested
	s.header, s.warnings = columnNames(raw)
	if len(nestedOrder) > 0 {
		list := make([]string, len(nestedOrder))
		for k, n := range nestedOrder {
			list[k] = fmt.Sprintf("%q (%s)", n, nested[n])
		}
		s.warnings = append(s.warnings, fmt.Sprintf("nested columns skipped (lists and maps are not read): %s", strings.Join(list, ", ")))
	}
	return nil
}

func nestedWhat(el *schemaElement) string {
	switch {
	case el.logical.kind == ltMap || el.converted == ctMap || el.converted == ctMapKeyValue:
		return "MAP"
	case el.logical.kind == ltList || el.converted == ctList:
		return "LIST"
	case el.repetition == repRepeated:
		return "repeated"
	}
	return "nested"
}

// selectColumns makes a reader for each selected column, after checking
// that every selected and required column is in the header.
func (s *pqSource) selectColumns(names, require []string) error {
	for _, list := range [][]string{names, require} {
		for _, n := range list {
			if what, isNested := s.nested[n]; isNested {
				return s.errorf(n, "a nested column (%s); lists and maps are not read", what)
			}
		}
	}
	if err := CheckColumns(s.name, s.header, names, require); err != nil {
		return err
	}
	sel := make([]bool, len(s.leaves))
	if names == nil {
		for i := range sel {
			sel[i] = true
		}
	} else {
		pos := make(map[string]int, len(s.header))
		for i, h := range s.header {
			pos[h] = i
		}
		for _, n := range names {
			sel[pos[n]] = true
		}
	}
	s.batch.Cols = make([]*Column, len(s.leaves))
	n := 0
	for i, ok := range sel {
		if ok {
			n++
			s.batch.Cols[i] = new(Column)
		}
	}
	window := int64(readWindowBudget)
	if n > 0 {
		window = max(64<<10, min(1<<20, readWindowBudget/int64(n)))
	}
	if s.limit > 0 {
		// A sample reads the start of each page (samplePage), not the
		// whole column chunk: 2.1 MB → ~0.1 MB on the bench's file.
		window = int64(sampleWindow)
	}
	for i, ok := range sel {
		if ok {
			s.cols = append(s.cols, &pqColumn{src: s, leaf: s.leaves[i], name: s.header[i], out: s.batch.Cols[i], window: int(window)})
		}
	}
	return nil
}

// checkRowGroups checks the row counts and every selected column chunk's
// metadata and byte range, so that Next fails only on what the pages hold.
func (s *pqSource) checkRowGroups(dataEnd int64) error {
	var total int64
	for g := range s.meta.rowGroups {
		rg := &s.meta.rowGroups[g]
		if rg.numRows < 0 || rg.numRows > 1<<53 {
			return s.errorf("", "corrupt Parquet footer: row group %d has %d rows", g+1, rg.numRows)
		}
		total += rg.numRows
		if len(rg.columns) != len(s.allLeaves) {
			return s.errorf("", "corrupt Parquet footer: row group %d has %d column chunks for %d columns", g+1, len(rg.columns), len(s.allLeaves))
		}
		for _, c := range s.cols {
			ch := &rg.columns[c.leaf.index]
			if ch.encrypted {
				return s.errorf(c.name, "encrypted columns are not supported")
			}
			if ch.filePath != "" {
				return s.errorf(c.name, "row group %d is stored in another file (%q), which cannot be read from here", g+1, ch.filePath)
			}
			m := ch.meta
			if m == nil {
				return s.errorf(c.name, "corrupt Parquet footer: row group %d has no metadata for the column", g+1)
			}
			if m.typ != c.leaf.el.typ {
				return s.errorf(c.name, "corrupt Parquet footer: row group %d says the column is of type %s, the schema says %s", g+1, typeName(m.typ), typeName(c.leaf.el.typ))
			}
			if len(m.path) > 0 && strings.Join(m.path, "\x00") != strings.Join(c.leaf.path, "\x00") {
				return s.errorf(c.name, "corrupt Parquet footer: row group %d has the chunk of %q where the schema has this column", g+1, strings.Join(m.path, "."))
			}
			if !codecSupported(m.codec) {
				return s.errorf(c.name, "compressed with %s, which cxaudit does not read (it reads uncompressed, SNAPPY, GZIP, ZSTD and LZ4): save the file with one of those", codecName(m.codec))
			}
			start := m.dataPageOffset
			if m.dictPageOffset > 0 && m.dictPageOffset < start {
				start = m.dictPageOffset
			}
			if start < 4 || m.totalCompressed < 0 || m.totalCompressed > dataEnd-start {
				return s.errorf(c.name, "truncated or corrupt Parquet file: row group %d's column chunk (bytes %d to %d) lies outside the data part of the file (bytes 4 to %d)", g+1, start, start+m.totalCompressed, dataEnd)
			}
		}
	}
	if total != s.meta.numRows {
		return s.errorf("", "corrupt Parquet footer: it says %d rows, its row groups hold %d", s.meta.numRows, total)
	}
	return nil
}

func typeName(t int32) string {
	switch t {
	case ptBoolean:
		return "BOOLEAN"
	case ptInt32:
		return "INT32"
	case ptInt64:
		return "INT64"
	case ptInt96:
		return "INT96"
	case ptFloat:
		return "FLOAT"
	case ptDouble:
		return "DOUBLE"
	case ptByteArray:
		return "BYTE_ARRAY"
	case ptFixed:
		return "FIXED_LEN_BYTE_ARRAY"
	}
	return fmt.Sprintf("type %d", t)
}

func (s *pqSource) Header() []string { return s.header }

// Info reports the file's row groups and the rows returned so far.
func (s *pqSource) Info() Info {
	return Info{
		Name:      s.name,
		Format:    "parquet",
		Bytes:     s.size,
		Rows:      s.rows,
		RowGroups: len(s.meta.rowGroups),
		Warnings:  append([]string(nil), s.warnings...),
	}
}

// Next returns the next batch of up to BatchRows rows (fewer once the
// cells pass MaxBatchBytes); a batch may span row groups. Rows read
// before an error are returned first; the error comes with the following
// call, and with every call after.
func (s *pqSource) Next() (b *Batch, err error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.done {
		return nil, io.EOF
	}
	defer func() {
		if p := recover(); p != nil {
			s.err = &Error{File: s.name, Msg: fmt.Sprintf("corrupt Parquet file (decoder failure: %v)", p)}
			b, err = nil, s.err
		}
	}()
	b = &s.batch
	b.Reset()
	b.FirstRow = s.rows + 1
	rows, size := 0, 0
	for rows < BatchRows && size < MaxBatchBytes {
		if s.limit > 0 && s.rows+int64(rows) >= s.limit {
			s.done = true // the sample is complete
			break
		}
		if s.rgLeft == 0 {
			if err := s.nextRowGroup(); err != nil {
				s.err = err
				break
			}
			if s.done {
				break
			}
			continue
		}
		k := int(min(int64(BatchRows-rows), s.rgLeft))
		if s.limit > 0 {
			k = int(min(int64(k), s.limit-s.rows-int64(rows)))
		}
		if rows > 0 {
			// Keep a batch near MaxBatchBytes when cells are large.
			perRow := size/rows + 1
			k = max(1, min(k, (MaxBatchBytes-size)/perRow))
		} else {
			k = min(k, 1024)
		}
		var failed error
		for _, c := range s.cols {
			if err := c.read(k); err != nil {
				failed = err
				break
			}
		}
		if failed != nil {
			s.err = failed
			s.rollback(rows)
			break
		}
		rows += k
		s.rgLeft -= int64(k)
		size = 0
		for _, c := range s.cols {
			size += c.out.size()
		}
	}
	b.Rows = rows
	s.rows += int64(rows)
	if rows == 0 {
		if s.err != nil {
			return nil, s.err
		}
		return nil, io.EOF
	}
	return b, nil
}

// rollback drops cells after the first rows rows.
func (s *pqSource) rollback(rows int) {
	for _, c := range s.cols {
		c.out.Truncate(rows)
	}
}

// nextRowGroup finishes the current row group (every column must have
// no values left) and starts the next, or sets done.
func (s *pqSource) nextRowGroup() error {
	if s.inGroup {
		for _, c := range s.cols {
			if err := c.finish(); err != nil {
				return err
			}
		}
	}
	for {
		s.rg++
		if s.rg >= len(s.meta.rowGroups) || (s.rgEnd >= 0 && s.rg >= s.rgEnd) {
			s.done = true
			return nil
		}
		rg := &s.meta.rowGroups[s.rg]
		if rg.numRows == 0 {
			continue
		}
		s.rgLeft = rg.numRows
		s.inGroup = true
		for _, c := range s.cols {
			c.start(s.rg, rg)
		}
		return nil
	}
}

// ---------------------------------------------------------------- columns

// pqColumn reads one selected column, row group by row group.
type pqColumn struct {
	src    *pqSource
	leaf   *pqLeaf
	name   string
	out    *Column
	window int
	// row group
	rg     int
	rgRows int64
	rgDone int64
	codec  int32
	cr     pqChunkReader
	// dictionary, rendered as text: a new Dict per dictionary page, as
	// batch columns may hold codes of the previous one (Column.Coded)
	hasDict bool
	dict    *Dict
	dictMax int // longest entry
	// merged is mergedOf's entries, then dict's: the dictionary of a
	// batch column holding codes of two row groups (see render).
	merged, mergedOf, mergedWith *Dict
	// page
	left      int // rows (levels) of the page not yet read
	nonNull   int // values read from the page
	expectNN  int // v2: values the page holds (num_values − num_nulls); -1 for v1
	levels    pqLevelReader
	rle       rleDecoder
	bitPacked bitPackedLevels
	dec       valueDecoder
	plain     plainDecoder
	dictPage  bool
	pageBuf   []byte // decompressed page
	sample    snappyPrefix
	sampleBuf []byte // the compressed bytes samplePage read on
	taken     int64  // rows read, over all row groups (for Options.Limit)
	lv        []int32
	vals      pqValues
}

func (c *pqColumn) errorf(format string, args ...any) *Error {
	return &Error{File: c.src.name, Column: c.name, Msg: fmt.Sprintf(format, args...)}
}

// pageError locates a decoding error.
func (c *pqColumn) pageError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if err == errPqPageShort {
		return c.errorf("row group %d: corrupt page: its data ends before its values do", c.rg+1)
	}
	return c.errorf("row group %d: corrupt page: %v", c.rg+1, err)
}

func (c *pqColumn) start(g int, rg *rowGroup) {
	m := rg.columns[c.leaf.index].meta
	startOff := m.dataPageOffset
	if m.dictPageOffset > 0 && m.dictPageOffset < startOff {
		startOff = m.dictPageOffset
	}
	c.rg = g
	c.rgRows = rg.numRows
	c.rgDone = 0
	c.codec = m.codec
	c.cr.reset(c.src.r, startOff, startOff+m.totalCompressed, c.window)
	c.hasDict = false
	c.left = 0
}

// read appends k rows of the column to its batch column.
func (c *pqColumn) read(k int) error {
	maxDef := int32(c.leaf.maxDef)
	for k > 0 {
		if c.left == 0 {
			if err := c.nextDataPage(); err != nil {
				return err
			}
			continue
		}
		m := min(k, c.left)
		nn := m
		var lv []int32
		levels := maxDef > 0
		if levels && c.levels == &c.rle {
			// A column without nulls has one run of maxDef per page:
			// take m of it without writing out and counting the levels.
			all, err := c.rle.take(maxDef, m)
			if err != nil {
				return c.pageError(err)
			}
			levels = !all
		}
		if levels {
			c.lv = pqGrow(c.lv, m)
			lv = c.lv
			if err := c.levels.read(lv); err != nil {
				return c.pageError(err)
			}
			nn = 0
			for _, l := range lv {
				if l == maxDef {
					nn++
				} else if uint32(l) > uint32(maxDef) {
					return c.errorf("row group %d: corrupt page: definition level %d above the column's maximum %d", c.rg+1, l, maxDef)
				}
			}
		}
		if nn > 0 {
			if err := c.dec.decode(&c.vals, nn); err != nil {
				return c.pageError(err)
			}
		}
		if err := c.render(lv, nn, m); err != nil {
			return err
		}
		c.nonNull += nn
		c.left -= m
		c.rgDone += int64(m)
		c.taken += int64(m)
		k -= m
		if c.left == 0 {
			if err := c.endPage(); err != nil {
				return err
			}
		}
	}
	return nil
}

// render appends m rows, nn of them not null: nulls (level below maxDef)
// as empty cells, the decoded values as canonical text — or, for a
// consumer that asks (Column.Coded, Column.Times, Column.Ints),
// dictionary-encoded values as codes, timestamps as microseconds and
// INT32 values as integers, which the column turns into that same text
// when anything asks for text.
func (c *pqColumn) render(lv []int32, nn, m int) error {
	out := c.out
	maxDef := int32(c.leaf.maxDef)
	j := 0
	if c.dictPage {
		// Hottest path: the cells as codes of the dictionary, for a
		// consumer that derives what it needs once per entry.
		d, off := c.codeDict()
		if out.into(formCoded, d) {
			codes, idx := out.codes, c.vals.idx
			switch {
			case nn == m && off == 0:
				codes = append(codes, idx[:m]...)
			case nn == m:
				n := len(codes)
				codes = slices.Grow(codes, m)[:n+m]
				for i, x := range idx[:m] {
					codes[n+i] = x + off
				}
			default: // nulls: lv is not nil
				n := len(codes)
				codes = slices.Grow(codes, m)[:n+m]
				spreadCodes(codes[n:], lv[:m], idx, maxDef, off)
			}
			out.codes = codes
			return nil
		}
		// Hot path (dictionary-encoded columns are the common case): room
		// for the whole step is made once, then entries are copied by hand,
		// short ones without memmove; ~2× faster than append per cell.
		idx := c.vals.idx
		out.ends = slices.Grow(out.ends, m)
		out.data = slices.Grow(out.data, m*c.dictMax)
		data := out.data
		n := len(data)
		data = data[:cap(data)]
		text, ends := c.dict.Text, c.dict.Ends
		for i := 0; i < m; i++ {
			if lv == nil || lv[i] == maxDef {
				x := idx[j]
				j++
				start := int32(0)
				if x > 0 {
					start = ends[x-1]
				}
				e := text[start:ends[x]]
				if len(e) <= 8 {
					for k := range e {
						data[n+k] = e[k]
					}
				} else {
					copy(data[n:], e)
				}
				n += len(e)
			}
			out.ends = append(out.ends, int32(n))
		}
		out.data = data[:n]
		return nil
	}
	l := c.leaf
	if l.kind == kTimestamp && l.timesInRange(c.vals.i64[:nn]) {
		if out.into(formTimes, nil) {
			times := out.times
			n := len(times)
			times = slices.Grow(times, m)[:n+m]
			l.micros(times[n:], c.vals.i64[:nn], lv, maxDef)
			out.times = times
			return nil
		}
	}
	if l.kind == kInt32 {
		if out.into(formInts, nil) {
			ints := out.ints
			n := len(ints)
			ints = slices.Grow(ints, m)[:n+m]
			vals := c.vals.i32[:nn]
			for i := range m {
				if lv == nil || lv[i] == maxDef {
					ints[n+i] = int64(vals[j])
					j++
				} else {
					ints[n+i] = NullInt
				}
			}
			out.ints = ints
			return nil
		}
	}
	if out.form != formText {
		out.text() // a page of another encoding than the previous one
	}
	if l.kind == kDecimalBytes {
		for _, b := range c.vals.bin {
			if len(b) > maxDecimalBytes {
				return c.errorf("row group %d: DECIMAL value of %d bytes (the limit is %d)", c.rg+1, len(b), maxDecimalBytes)
			}
		}
	}
	for i := 0; i < m; i++ {
		if lv == nil || lv[i] == maxDef {
			out.data = l.appendValue(out.data, &c.vals, j)
			j++
		}
		out.ends = append(out.ends, int32(len(out.data)))
	}
	return nil
}

// Merged dictionaries stay small: beyond these, a batch column that holds
// codes of two row groups' different dictionaries becomes text.
const (
	maxMergedEntries = 1 << 16
	maxMergedBytes   = 1 << 20
)

// codeDict returns the dictionary the batch column's codes of this page
// index and what to add to the page's indices. That is the page's own
// dictionary, unless the batch column already holds codes of an earlier
// row group's different one: then a dictionary of both, the earlier
// entries first (their codes stay as they are), the page's indices
// shifted past them — or, when that would grow large, the page's own
// (and Column.into turns the column into text).
func (c *pqColumn) codeDict() (*Dict, int32) {
	out := c.out
	if out.form != formCoded || out.dict == c.dict || len(out.codes) == 0 {
		return c.dict, 0
	}
	if out.dict != c.merged || c.mergedWith != c.dict {
		prev := out.dict
		if prev.Len()+c.dict.Len() > maxMergedEntries || len(prev.Text)+len(c.dict.Text) > maxMergedBytes {
			return c.dict, 0
		}
		m := &Dict{Text: append(slices.Clip(prev.Text), c.dict.Text...), Ends: append(slices.Clip(prev.Ends), c.dict.Ends...)}
		for i := prev.Len(); i < m.Len(); i++ {
			m.Ends[i] += int32(len(prev.Text))
		}
		c.merged, c.mergedOf, c.mergedWith = m, prev, c.dict
		out.dict = m // the codes it holds index prev, a prefix of m
	}
	return c.merged, int32(c.mergedOf.Len())
}

// endPage checks that the page held exactly the values it declared.
func (c *pqColumn) endPage() error {
	if c.expectNN >= 0 && c.nonNull != c.expectNN {
		return c.errorf("row group %d: corrupt page: it has %d values, its header says %d (num_values − num_nulls)", c.rg+1, c.nonNull, c.expectNN)
	}
	if c.dec == &c.plain {
		if n := c.plain.leftover(); n > 0 {
			return c.errorf("row group %d: a page holds more values than its header counts (%d values past the last row); they would be lost", c.rg+1, n)
		}
	}
	return nil
}

// finish checks, at the end of a row group, that the column chunk holds
// no further values.
func (c *pqColumn) finish() error {
	if c.left > 0 {
		return c.errorf("row group %d has more values than its %d rows", c.rg+1, c.rgRows)
	}
	for c.cr.pos < c.cr.end {
		h, _, err := c.cr.next()
		if err != nil {
			return c.chunkError(err)
		}
		if (h.typ == pageData || h.typ == pageDataV2) && h.numValues > 0 {
			return c.errorf("row group %d has more values than its %d rows", c.rg+1, c.rgRows)
		}
	}
	return nil
}

func (c *pqColumn) chunkError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if ce, ok := err.(pqChunkErr); ok {
		return c.errorf("row group %d: %s", c.rg+1, string(ce))
	}
	return &Error{File: c.src.name, Column: c.name, Msg: fmt.Sprintf("row group %d: read error: %v", c.rg+1, err)}
}

// nextDataPage reads pages up to the next data page with values,
// loading the dictionary on the way.
func (c *pqColumn) nextDataPage() error {
	for {
		if c.cr.pos >= c.cr.end {
			return c.errorf("row group %d has %d values, expected %d", c.rg+1, c.rgDone, c.rgRows)
		}
		h, err := c.cr.header()
		if err != nil {
			return c.chunkError(err)
		}
		want := -1 // rows of the page a sample wants (sampleWant)
		if (h.typ == pageData || h.typ == pageDataV2) && h.hasSub && h.numValues > 0 {
			want = c.sampleWant(h)
		}
		if want >= 0 {
			// Only the start of the body, for samplePage (which reads on
			// as it needs, from the body's place in the file); v2's
			// levels come first.
			lead := 0
			if h.typ == pageDataV2 {
				lead = int(max(h.repLen, 0) + max(h.defLen, 0))
			}
			body, err := c.cr.body(min(int(h.compressed), lead+sampleWindow))
			if err != nil {
				return c.chunkError(err)
			}
			err = c.startPage(h, body, want)
			c.cr.skip()
			return err
		}
		body, err := c.cr.body(int(h.compressed))
		if err != nil {
			return c.chunkError(err)
		}
		c.cr.skip()
		switch h.typ {
		case pageDictionary:
			if err := c.loadDictionary(h, body); err != nil {
				return err
			}
		case pageData, pageDataV2:
			if !h.hasSub {
				return c.errorf("row group %d: corrupt page: a data page without its data page header", c.rg+1)
			}
			if h.numValues == 0 {
				continue
			}
			return c.startPage(h, body, -1)
		}
		// index pages and unknown page types are skipped
	}
}

func (c *pqColumn) loadDictionary(h pageHeader, body []byte) error {
	if !h.hasSub {
		return c.errorf("row group %d: corrupt page: a dictionary page without its header", c.rg+1)
	}
	if h.encoding != encPlain && h.encoding != encPlainDict {
		return c.errorf("row group %d: dictionary page encoded %s; only PLAIN dictionaries exist", c.rg+1, encodingName(h.encoding))
	}
	data, err := decompress(c.codec, c.pageBuf, body, int(h.uncompressed))
	if err != nil {
		return c.errorf("row group %d: corrupt dictionary page: %v", c.rg+1, err)
	}
	if c.codec != codecUncompressed {
		c.pageBuf = data
	}
	n := int(h.numValues)
	if n < 0 || n > len(data)*8 {
		return c.errorf("row group %d: corrupt dictionary page: %d entries in %d bytes", c.rg+1, h.numValues, len(data))
	}
	l := c.leaf
	pd := plainDecoder{typ: l.el.typ, width: int(l.el.typeLength), data: data}
	d := &Dict{}
	c.dictMax = 0
	for done := 0; done < n; {
		k := min(4096, n-done)
		if err := pd.decode(&c.vals, k); err != nil {
			return c.errorf("row group %d: corrupt dictionary page: %v", c.rg+1, err)
		}
		if l.kind == kDecimalBytes {
			for _, b := range c.vals.bin[:k] {
				if len(b) > maxDecimalBytes {
					return c.errorf("row group %d: DECIMAL value of %d bytes (the limit is %d)", c.rg+1, len(b), maxDecimalBytes)
				}
			}
		}
		for j := 0; j < k; j++ {
			start := len(d.Text)
			d.Text = l.appendValue(d.Text, &c.vals, j)
			d.Ends = append(d.Ends, int32(len(d.Text)))
			c.dictMax = max(c.dictMax, len(d.Text)-start)
		}
		done += k
		if len(d.Text) > maxPageBytes {
			return c.errorf("row group %d: dictionary larger than %d MiB as text", c.rg+1, maxPageBytes>>20)
		}
	}
	if c.dict != nil && bytes.Equal(c.dict.Text, d.Text) && slices.Equal(c.dict.Ends, d.Ends) {
		d = c.dict // the previous row group's: consumers keep what they derived
	}
	c.hasDict, c.dict = true, d
	return nil
}

// startPage sets up the decoding of a data page. want ≥ 0 (sampleWant)
// decodes only its first want rows' bytes, body being then the start of
// the page's body (samplePage); −1 decodes the whole page.
func (c *pqColumn) startPage(h pageHeader, body []byte, want int) error {
	l := c.leaf
	if h.numValues < 0 || int64(h.numValues) > c.rgRows-c.rgDone {
		return c.errorf("row group %d has more values than its %d rows (a page of %d values after %d)", c.rg+1, c.rgRows, h.numValues, c.rgDone)
	}
	var data []byte // the values
	c.expectNN = -1
	if h.typ == pageData {
		var page []byte
		var err error
		if want >= 0 {
			page, err = c.samplePage(h, body, int(h.uncompressed), false, nil, want)
		} else {
			page, err = decompress(c.codec, c.pageBuf, body, int(h.uncompressed))
		}
		if err != nil {
			return c.sampleError(err)
		}
		if c.codec != codecUncompressed {
			c.pageBuf = page
		}
		data = page
		if l.maxDef > 0 {
			w := pqBitWidth(l.maxDef)
			switch h.defEncoding {
			case encRLE:
				if len(data) < 4 {
					return c.pageError(errPqPageShort)
				}
				n := binary.LittleEndian.Uint32(data)
				if uint64(n) > uint64(len(data)-4) {
					return c.pageError(errPqPageShort)
				}
				c.rle = newRLE(data[4:4+n], w)
				c.levels = &c.rle
				data = data[4+n:]
			case encBitPacked:
				n := (int(h.numValues)*w + 7) / 8
				if n > len(data) {
					return c.pageError(errPqPageShort)
				}
				c.bitPacked = bitPackedLevels{data: data[:n], width: w}
				c.levels = &c.bitPacked
				data = data[n:]
			default:
				return c.errorf("row group %d: definition levels encoded %s", c.rg+1, encodingName(h.defEncoding))
			}
		}
	} else {
		if h.defLen < 0 || h.repLen < 0 || int64(h.defLen)+int64(h.repLen) > int64(len(body)) || int64(h.defLen)+int64(h.repLen) > int64(h.uncompressed) {
			return c.errorf("row group %d: corrupt page: level lengths %d and %d in a page of %d bytes", c.rg+1, h.repLen, h.defLen, h.compressed)
		}
		if h.numNulls < 0 || h.numNulls > h.numValues || (l.maxDef == 0 && h.numNulls != 0) {
			return c.errorf("row group %d: corrupt page: %d nulls in %d values", c.rg+1, h.numNulls, h.numValues)
		}
		levels := body[h.repLen : h.repLen+h.defLen]
		vbody := body[h.repLen+h.defLen:]
		size := int(h.uncompressed - h.repLen - h.defLen)
		if h.isCompressed && c.codec != codecUncompressed {
			var page []byte
			var err error
			if want >= 0 {
				page, err = c.samplePage(h, vbody, size, true, levels, want)
			} else {
				page, err = decompress(c.codec, c.pageBuf, vbody, size)
			}
			if err != nil {
				return c.sampleError(err)
			}
			c.pageBuf = page
			data = page
		} else {
			if len(vbody) != size {
				return c.errorf("row group %d: corrupt page: %d bytes of uncompressed values, the header says %d", c.rg+1, len(vbody), size)
			}
			data = vbody
		}
		if l.maxDef > 0 {
			c.rle = newRLE(levels, pqBitWidth(l.maxDef))
			c.levels = &c.rle
		}
		c.expectNN = int(h.numValues - h.numNulls)
	}
	if err := c.valueDecoder(h.encoding, data); err != nil {
		return err
	}
	c.left = int(h.numValues)
	c.nonNull = 0
	return nil
}

// valueDecoder sets up the decoder of a page's values.
func (c *pqColumn) valueDecoder(enc int32, data []byte) error {
	l := c.leaf
	typ := l.el.typ
	c.dictPage = false
	bad := func() error {
		return c.errorf("row group %d: encoding %s is not valid for %s values", c.rg+1, encodingName(enc), typeName(typ))
	}
	switch enc {
	case encPlain:
		c.plain = plainDecoder{typ: typ, width: int(l.el.typeLength), data: data}
		c.dec = &c.plain
	case encPlainDict, encRLEDict:
		if !c.hasDict {
			return c.errorf("row group %d: a dictionary-encoded page comes without a dictionary page", c.rg+1)
		}
		d, err := newDictDecoder(data, c.dict.Len())
		if err != nil {
			return c.pageError(err)
		}
		c.dec = d
		c.dictPage = true
	case encRLE:
		if typ != ptBoolean {
			return bad()
		}
		if len(data) < 4 {
			return c.pageError(errPqPageShort)
		}
		n := binary.LittleEndian.Uint32(data)
		if uint64(n) > uint64(len(data)-4) {
			return c.pageError(errPqPageShort)
		}
		c.dec = &rleBoolDecoder{rle: newRLE(data[4:4+n], 1)}
	case encDeltaBinary:
		if typ != ptInt32 && typ != ptInt64 {
			return bad()
		}
		d, err := newDeltaDecoder(data)
		if err != nil {
			return c.pageError(err)
		}
		c.dec = &deltaIntDecoder{d: d, int32: typ == ptInt32}
	case encDeltaLength:
		if typ != ptByteArray {
			return bad()
		}
		x, _, err := newDeltaLength(data)
		if err != nil {
			return c.pageError(err)
		}
		c.dec = &deltaLengthByteArray{x: x, all: data}
	case encDeltaByteArray:
		if typ != ptByteArray && typ != ptFixed {
			return bad()
		}
		p, err := newDeltaDecoder(data)
		if err != nil {
			return c.pageError(err)
		}
		end, err := p.end()
		if err != nil {
			return c.pageError(err)
		}
		x, _, err := newDeltaLength(data[end:])
		if err != nil {
			return c.pageError(err)
		}
		width := 0
		if typ == ptFixed {
			width = int(l.el.typeLength)
		}
		c.dec = &deltaByteArray{prefix: p, suffix: x, all: data[end:], width: width, maxBytes: maxPageBytes}
	case encByteStream:
		var w int
		switch typ {
		case ptFloat, ptInt32:
			w = 4
		case ptDouble, ptInt64:
			w = 8
		case ptFixed:
			w = int(l.el.typeLength)
		default:
			return bad()
		}
		if w <= 0 || len(data)%w != 0 {
			return c.errorf("row group %d: corrupt page: BYTE_STREAM_SPLIT data of %d bytes for %d-byte values", c.rg+1, len(data), w)
		}
		c.dec = &byteStreamSplit{typ: typ, data: data, width: w, count: len(data) / w}
	default:
		return c.errorf("row group %d: pages encoded %s are not supported", c.rg+1, encodingName(enc))
	}
	return nil
}

func encodingName(e int32) string {
	names := [...]string{"PLAIN", "GROUP_VAR_INT", "PLAIN_DICTIONARY", "RLE", "BIT_PACKED", "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY", "RLE_DICTIONARY", "BYTE_STREAM_SPLIT"}
	if e >= 0 && int(e) < len(names) {
		return names[e]
	}
	return fmt.Sprintf("encoding %d", e)
}

// ---------------------------------------------------------- chunk reader

// chunkErr is a problem with a column chunk's bytes.
type pqChunkErr string

func (e pqChunkErr) Error() string { return string(e) }

// chunkReader reads a column chunk's pages through windows of the file.
type pqChunkReader struct {
	r        io.ReaderAt
	pos, end int64
	window   int
	buf      []byte
	bufStart int64
	bodyLen  int // the compressed size of the page whose header was read last
}

func (cr *pqChunkReader) reset(r io.ReaderAt, start, end int64, window int) {
	cr.r, cr.pos, cr.end, cr.window = r, start, end, window
	cr.buf = cr.buf[:0]
	cr.bufStart = start
}

// get returns the n bytes at pos (n ≤ end − pos). The slice is valid
// until the next call.
func (cr *pqChunkReader) get(n int) ([]byte, error) {
	off := cr.pos - cr.bufStart
	if off >= 0 && off+int64(n) <= int64(len(cr.buf)) {
		return cr.buf[off : off+int64(n)], nil
	}
	m := int64(max(n, cr.window))
	if rem := cr.end - cr.pos; m > rem {
		m = rem
	}
	cr.buf = pqGrow(cr.buf, int(m))
	cr.bufStart = cr.pos
	if err := readFullAt(cr.r, cr.buf, cr.pos); err != nil {
		cr.buf = cr.buf[:0]
		return nil, err
	}
	return cr.buf[:n], nil
}

// next reads the next page: its header and its (compressed) body.
func (cr *pqChunkReader) next() (pageHeader, []byte, error) {
	h, err := cr.header()
	if err != nil {
		return h, nil, err
	}
	b, err := cr.body(int(h.compressed))
	if err != nil {
		return h, nil, err
	}
	cr.skip()
	return h, b, nil
}

// header reads the next page's header and stops at its body: body reads
// (the start of) the body, skip moves past it.
func (cr *pqChunkReader) header() (pageHeader, error) {
	rem := cr.end - cr.pos
	want := int(min(rem, 4<<10))
	for {
		b, err := cr.get(want)
		if err != nil {
			return pageHeader{}, err
		}
		h, n, err := readPageHeader(b)
		if err == errThriftShort {
			if int64(want) < rem {
				want = int(min(rem, int64(want)*8))
				continue
			}
			return h, pqChunkErr("corrupt or truncated column chunk: a page header runs past its end")
		}
		if err != nil {
			return h, pqChunkErr("corrupt page header: " + err.Error())
		}
		if h.compressed < 0 || h.uncompressed < 0 {
			return h, pqChunkErr(fmt.Sprintf("corrupt page header: page sizes %d and %d", h.compressed, h.uncompressed))
		}
		if int64(h.compressed) > rem-int64(n) {
			return h, pqChunkErr(fmt.Sprintf("corrupt or truncated column chunk: a page of %d bytes runs past its end (%d bytes left)", h.compressed, rem-int64(n)))
		}
		if h.uncompressed > maxPageBytes {
			return h, pqChunkErr(fmt.Sprintf("a page of %d bytes is larger than the %d MiB limit", h.uncompressed, maxPageBytes>>20))
		}
		cr.pos += int64(n)
		cr.bodyLen = int(h.compressed)
		return h, nil
	}
}

// body returns the first n bytes (n ≤ the page's compressed size) of the
// body of the page whose header was read last, valid until the next read.
func (cr *pqChunkReader) body(n int) ([]byte, error) { return cr.get(n) }

// skip moves past the body of the page whose header was read last.
func (cr *pqChunkReader) skip() {
	cr.pos += int64(cr.bodyLen)
	cr.bodyLen = 0
}
