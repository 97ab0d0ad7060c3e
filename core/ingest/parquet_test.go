package ingest

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/cell"
)

// The fixtures in testdata/parquet were written by parquet-wasm (arrow-rs)
// and hyparquet-writer — writers that share no code with this reader —
// by scripts/parquet-fixtures/generate.mjs, which also computed the
// expected text of every cell (expected/DATASET.json) from the values it
// wrote. manifest.json lists each file, its dataset, and what its footer
// says it holds (row groups, codecs, page types, encodings), read back
// by hyparquet.

type pqManifestEntry struct {
	File         string   `json:"file"`
	Writer       string   `json:"writer"`
	Dataset      string   `json:"dataset"`
	Error        string   `json:"error"`
	Warning      string   `json:"warning"`
	NumRows      int64    `json:"num_rows"`
	RowGroups    int      `json:"row_groups"`
	RowGroupRows []int64  `json:"row_group_rows"`
	Codecs       []string `json:"codecs"`
	PageTypes    []string `json:"page_types"`
	Encodings    []string `json:"encodings"`
}

type pqDataset struct {
	Header  []string                     `json:"header"`
	Rows    int                          `json:"rows"`
	Columns map[string][]json.RawMessage `json:"columns"`
}

func loadManifest(t testing.TB) []pqManifestEntry {
	t.Helper()
	b, err := os.ReadFile("testdata/parquet/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m []pqManifestEntry
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// expectedCells decodes a dataset's cells: a JSON string, or {"b64": …}
// for bytes that are not UTF-8.
func loadDataset(t *testing.T, name string) (header []string, cols map[string][]string, rows int) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata/parquet/expected", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var d pqDataset
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	cols = map[string][]string{}
	for name, cells := range d.Columns {
		out := make([]string, len(cells))
		for i, raw := range cells {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				out[i] = s
				continue
			}
			var o struct{ B64 string }
			if err := json.Unmarshal(raw, &o); err != nil {
				t.Fatalf("%s.%s[%d]: %s", name, name, i, raw)
			}
			bs, _ := base64.StdEncoding.DecodeString(o.B64)
			out[i] = string(bs)
		}
		cols[name] = out
	}
	return d.Header, cols, d.Rows
}

func openFixture(t testing.TB, path string, opts Options) (Source, []byte, error) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Name == "" {
		opts.Name = filepath.Base(path)
	}
	src, err := OpenParquet(bytes.NewReader(b), int64(len(b)), opts)
	return src, b, err
}

// TestParquetFixtures reads every fixture completely and compares every
// cell of every column with the writer-side expectation.
func TestParquetFixtures(t *testing.T) {
	for _, e := range loadManifest(t) {
		t.Run(e.File, func(t *testing.T) {
			t.Parallel()
			src, _, err := openFixture(t, filepath.Join("testdata/parquet", e.File), Options{})
			if e.Error != "" {
				if err == nil {
					_, _, err = ReadAll(src)
				}
				var pe *Error
				if !errors.As(err, &pe) || !strings.Contains(err.Error(), e.Error) || pe.File != e.File {
					t.Fatalf("want an *Error naming %s and %q, got %v", e.File, e.Error, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			wantHeader, want, wantRows := loadDataset(t, e.Dataset)
			header, rows, err := ReadAll(src)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(header, "|") != strings.Join(wantHeader, "|") {
				t.Fatalf("header %q, want %q", header, wantHeader)
			}
			if len(rows) != wantRows || int64(len(rows)) != e.NumRows {
				t.Fatalf("%d rows, want %d (num_rows %d)", len(rows), wantRows, e.NumRows)
			}
			for j, h := range header {
				col := want[h]
				if len(col) != wantRows {
					t.Fatalf("expected data of %q has %d cells", h, len(col))
				}
				bad := 0
				for i, row := range rows {
					if row[j] != col[i] {
						if bad < 5 {
							t.Errorf("row %d, %q: got %q, want %q", i+1, h, row[j], col[i])
						}
						bad++
					}
				}
				if bad > 0 {
					t.Errorf("%q: %d of %d cells differ", h, bad, wantRows)
				}
			}
			info := src.Info()
			if info.Format != "parquet" || info.Rows != e.NumRows || info.RowGroups != e.RowGroups || info.Name != e.File {
				t.Errorf("info %+v, want %d rows in %d row groups", info, e.NumRows, e.RowGroups)
			}
			if e.Warning != "" && !strings.Contains(strings.Join(info.Warnings, "\n"), e.Warning) {
				t.Errorf("warnings %q, want one naming %q", info.Warnings, e.Warning)
			}
			if _, err := src.Next(); err != io.EOF {
				t.Errorf("Next after the end: %v, want io.EOF", err)
			}
		})
	}
}

// TestParquetFixtureCoverage checks that the fixtures exercise what the
// reader claims to read: both page versions, the dictionary, several row
// groups, every supported codec and encoding, and each writer.
func TestParquetFixtureCoverage(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range loadManifest(t) {
		if e.Error != "" {
			continue
		}
		for _, list := range [][]string{e.Codecs, e.PageTypes, e.Encodings} {
			for _, x := range list {
				seen[x] = true
			}
		}
		seen[strings.Fields(e.Writer)[0]] = true
		if e.RowGroups > 2 {
			seen["3+ row groups"] = true
		}
	}
	for _, want := range []string{
		"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD", "LZ4", "LZ4_RAW",
		"DATA_PAGE", "DATA_PAGE_V2", "DICTIONARY_PAGE",
		"PLAIN", "RLE", "RLE_DICTIONARY", "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY", "BYTE_STREAM_SPLIT",
		"parquet-wasm", "hyparquet-writer", "3+ row groups",
	} {
		if !seen[want] {
			t.Errorf("no fixture has %s", want)
		}
	}
}

// TestParquetOracleTwins compares each oracle case's Parquet twin
// (testdata/oracle/NAME.parquet: every column a STRING, blank = null,
// dictionary-encoded, snappy, 3 row groups) with its CSV read by
// encoding/csv: same header, same cells.
func TestParquetOracleTwins(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/oracle/*.parquet")
	if len(files) == 0 {
		t.Skip("no testdata/oracle/*.parquet")
	}
	for _, pq := range files {
		name := strings.TrimSuffix(filepath.Base(pq), ".parquet")
		t.Run(name, func(t *testing.T) {
			header, rows := readCSVFile(t, strings.TrimSuffix(pq, ".parquet")+".csv")
			if name == "survey_qualtrics_export" {
				rows = rows[2:] // Qualtrics' two extra header rows are not in the twin
			}
			src, _, err := openFixture(t, pq, Options{})
			if err != nil {
				t.Fatal(err)
			}
			compareWithCSV(t, src, header, rows, nil)
		})
	}
	// The typed twin: submitted_at as TIMESTAMP(MICROS, UTC) reads as the
	// canonical form of the CSV's timestamp.
	t.Run("survey_edge_groups_typed", func(t *testing.T) {
		header, rows := readCSVFile(t, "../../testdata/oracle/survey_edge_groups.csv")
		src, _, err := openFixture(t, "testdata/parquet/survey_edge_groups_typed.parquet", Options{})
		if err != nil {
			t.Fatal(err)
		}
		compareWithCSV(t, src, header, rows, map[string]func(string) string{
			"submitted_at": func(s string) string {
				us, r := cell.Timestamp([]byte(s), cell.ISO)
				if r == cell.Blank {
					return ""
				}
				if r != cell.OK {
					t.Fatalf("CSV timestamp %q does not parse", s)
				}
				return cell.FormatTimestamp(us)
			},
		})
	})
}

func readCSVFile(t *testing.T, path string) ([]string, [][]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skip(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[0], recs[1:]
}

func compareWithCSV(t *testing.T, src Source, header []string, rows [][]string, conv map[string]func(string) string) {
	t.Helper()
	gotHeader, got, err := ReadAll(src)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(gotHeader, "|") != strings.Join(header, "|") {
		t.Fatalf("header %q, want %q", gotHeader, header)
	}
	if len(got) != len(rows) {
		t.Fatalf("%d rows, want %d", len(got), len(rows))
	}
	if src.Info().RowGroups < 2 && len(rows) > 3 {
		t.Errorf("%d row groups, want several", src.Info().RowGroups)
	}
	for i, row := range rows {
		for j, h := range header {
			want := ""
			if j < len(row) {
				want = row[j]
			}
			if f := conv[h]; f != nil {
				want = f(want)
			}
			if got[i][j] != want {
				t.Fatalf("row %d, %q: got %q, want %q", i+1, h, got[i][j], want)
			}
		}
	}
}

// TestParquetColumns checks column pruning: unselected columns are nil
// and their chunks are never read.
func TestParquetColumns(t *testing.T) {
	path := "testdata/parquet/arrow_mixed_v1_dict_snappy.parquet"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	full, err := OpenParquet(bytes.NewReader(b), int64(len(b)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, all, err := ReadAll(full)
	if err != nil {
		t.Fatal(err)
	}
	// Poison every byte outside the footer and the selected column's
	// chunks: reading them would fail.
	src, err := OpenParquet(bytes.NewReader(b), int64(len(b)), Options{Name: "x", Columns: []string{"nps", "comment"}})
	if err != nil {
		t.Fatal(err)
	}
	ps := src.(*pqSource)
	keep := make([]bool, len(b))
	for i := int(ps.dataEnd()); i < len(b); i++ {
		keep[i] = true
	}
	markChunks(keep, ps, 0, len(ps.meta.rowGroups))
	poisoned := append([]byte(nil), b...)
	for i := 4; i < len(b); i++ {
		if !keep[i] {
			poisoned[i] = 0xff
		}
	}
	src, err = OpenParquet(&countingReaderAt{r: bytes.NewReader(poisoned), keep: keep}, int64(len(b)), Options{Name: "x", Columns: []string{"comment", "nps"}})
	if err != nil {
		t.Fatal(err)
	}
	header, rows, err := ReadAll(src)
	if err != nil {
		t.Fatal(err)
	}
	npsCol, commentCol := indexOf(header, "nps"), indexOf(header, "comment")
	for i, row := range rows {
		for j := range row {
			want := ""
			if j == npsCol || j == commentCol {
				want = all[i][j]
			}
			if row[j] != want {
				t.Fatalf("row %d col %q: %q, want %q", i+1, header[j], row[j], want)
			}
		}
	}
	if r := src.(*pqSource).r.(*countingReaderAt); r.outside > 0 {
		t.Errorf("%d reads outside the selected column chunks and the footer", r.outside)
	}
	if _, err := OpenParquet(bytes.NewReader(b), int64(len(b)), Options{Name: "x.parquet", Columns: []string{"nps", "nope"}}); err == nil || !strings.Contains(err.Error(), `no column "nope" in the header`) {
		t.Errorf("unknown column: %v", err)
	}
	if _, err := OpenParquet(bytes.NewReader(b), int64(len(b)), Options{Name: "x.parquet", Columns: []string{"nps"}, Require: []string{"zz", "nope"}}); err == nil || !strings.Contains(err.Error(), `x.parquet: no columns "nope", "zz" in the header`) {
		t.Errorf("unknown required columns: %v", err)
	}
	if _, err := OpenParquet(bytes.NewReader(b), int64(len(b)), Options{Columns: []string{"nps"}, Require: []string{header[commentCol]}}); err != nil {
		t.Errorf("required column present: %v", err)
	}
}

// TestParquetFooterGiven: a part opened with the footer an earlier open
// read (Options.ParquetFooter) reads nothing but its row groups' selected
// column chunks — not the magic numbers, not the trailer, not the footer —
// and gives the rows a plain open of the same row groups gives; a footer
// that does not fit the file is an error.
func TestParquetFooterGiven(t *testing.T) {
	b, err := os.ReadFile("testdata/parquet/arrow_mixed_v2_dict_zstd.parquet")
	if err != nil {
		t.Fatal(err)
	}
	first, err := OpenParquet(bytes.NewReader(b), int64(len(b)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	footer := FooterOf(first)
	groups := len(first.(*pqSource).meta.rowGroups)
	if footer == nil || groups < 2 {
		t.Fatalf("fixture: footer %d bytes, %d row groups", len(footer), groups)
	}
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"all columns, all row groups", Options{}},
		{"two columns, last row group", Options{Columns: []string{"nps", "comment"}, RowGroups: RowGroupRange{From: groups - 1, To: groups}}},
		{"one column, first row group", Options{Columns: []string{"nps"}, RowGroups: RowGroupRange{From: 0, To: 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plain, err := OpenParquet(bytes.NewReader(b), int64(len(b)), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			_, want, err := ReadAll(plain)
			if err != nil {
				t.Fatal(err)
			}
			ps := plain.(*pqSource)
			keep := make([]bool, len(b))
			from, to := 0, len(ps.meta.rowGroups)
			if tc.opts.RowGroups.To > 0 {
				from, to = tc.opts.RowGroups.From, tc.opts.RowGroups.To
			}
			markChunks(keep, ps, from, to)
			r := &strictReaderAt{r: bytes.NewReader(b), keep: keep}
			opts := tc.opts
			opts.ParquetFooter = footer
			src, err := OpenParquet(r, int64(len(b)), opts)
			if err != nil {
				t.Fatal(err)
			}
			_, got, err := ReadAll(src)
			if err != nil {
				t.Fatal(err)
			}
			if r.outside > 0 {
				t.Errorf("%d reads outside the part's column chunks (first at byte %d)", r.outside, r.firstOutside)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("rows differ from a plain open: %d vs %d rows", len(got), len(want))
			}
		})
	}
	if _, err := OpenParquet(bytes.NewReader(b), int64(len(b)), Options{ParquetFooter: footer[:len(footer)/2]}); err == nil || !strings.Contains(err.Error(), "corrupt Parquet footer") {
		t.Errorf("half a footer: %v", err)
	}
	if _, err := OpenParquet(bytes.NewReader(b[:20]), 20, Options{ParquetFooter: footer}); err == nil || !strings.Contains(err.Error(), "larger than the file") {
		t.Errorf("a footer longer than the file: %v", err)
	}
}

// markChunks marks in keep the bytes of the selected columns' chunks in
// row groups [from, to).
func markChunks(keep []bool, ps *pqSource, from, to int) {
	for _, rg := range ps.meta.rowGroups[from:to] {
		for _, c := range ps.cols {
			m := rg.columns[c.leaf.index].meta
			start := m.dataPageOffset
			if m.dictPageOffset > 0 && m.dictPageOffset < start {
				start = m.dictPageOffset
			}
			for i := start; i < start+m.totalCompressed; i++ {
				keep[i] = true
			}
		}
	}
}

// strictReaderAt counts reads that touch any byte outside keep (the
// magic numbers included).
type strictReaderAt struct {
	r                     io.ReaderAt
	keep                  []bool
	outside, firstOutside int
}

func (c *strictReaderAt) ReadAt(p []byte, off int64) (int, error) {
	for i := off; i < off+int64(len(p)); i++ {
		if i >= int64(len(c.keep)) || !c.keep[i] {
			if c.outside == 0 {
				c.firstOutside = int(i)
			}
			c.outside++
			break
		}
	}
	return c.r.ReadAt(p, off)
}

func (s *pqSource) dataEnd() int64 {
	var tail [8]byte
	readFullAt(s.r, tail[:], s.size-8)
	return s.size - 8 - int64(uint32(tail[0])|uint32(tail[1])<<8|uint32(tail[2])<<16|uint32(tail[3])<<24)
}

func indexOf(a []string, s string) int {
	for i, x := range a {
		if x == s {
			return i
		}
	}
	return -1
}

// countingReaderAt counts reads that touch bytes outside keep.
type countingReaderAt struct {
	r       io.ReaderAt
	keep    []bool
	outside int
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	for i := off; i < off+int64(len(p)) && i < int64(len(c.keep)); i++ {
		if i >= 4 && !c.keep[i] {
			c.outside++
			break
		}
	}
	return c.r.ReadAt(p, off)
}

// TestParquetBatches checks batch boundaries: FirstRow, at most BatchRows
// rows, and batches that span row groups.
func TestParquetBatches(t *testing.T) {
	src, _, err := openFixture(t, "testdata/parquet/arrow_mixed_v2_dict_zstd.parquet", Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := src.Next()
	if err != nil {
		t.Fatal(err)
	}
	if b.FirstRow != 1 || b.Rows != 120 {
		t.Fatalf("first batch: FirstRow %d, Rows %d; want 1, 120 (three row groups in one batch)", b.FirstRow, b.Rows)
	}
	for _, c := range b.Cols {
		if c.Len() != b.Rows {
			t.Fatalf("column of %d cells in a batch of %d rows", c.Len(), b.Rows)
		}
	}
}

// TestParquetTimestampText checks the reader's timestamp and date text
// against cell.FormatTimestamp, the CSV side's canonical form.
func TestParquetTimestampText(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const maxUS = 253402300799999999 // 9999-12-31T23:59:59.999999Z
	for i := 0; i < 200000; i++ {
		var us int64
		switch i % 3 {
		case 0:
			us = r.Int64N(2*maxUS) - maxUS + 62135596800000000/2
		case 1:
			us = r.Int64N(4e15) - 2e15
		default:
			us = r.Int64N(1e6) * 86_400_000_000
		}
		days := pqFloorDiv(us, 86_400_000_000)
		got := string(appendTimestamp(nil, days, us-days*86_400_000_000))
		y, _, _ := cell.CivilFromDays(days)
		if y < 0 || y > 9999 {
			continue
		}
		if want := cell.FormatTimestamp(us); got != want {
			t.Fatalf("%d: %q, want %q", us, got, want)
		}
	}
	for _, c := range []struct {
		days int64
		want string
	}{{0, "1970-01-01"}, {-1, "1969-12-31"}, {-719528, "0000-01-01"}, {-719529, "-0001-12-31"}, {2932897, "+10000-01-01"}} {
		if got := string(appendDate(nil, c.days)); got != c.want {
			t.Errorf("date %d: %q, want %q", c.days, got, c.want)
		}
	}
	for _, c := range []struct {
		us   int64
		want string
	}{{0, "00:00:00"}, {3_723_000_001, "01:02:03.000001"}, {86_400_000_000, "24:00:00"}, {-1_000_000, "-00:00:01"}, {360_000_000_000_000, "100000:00:00"}} {
		if got := string(appendTimeOfDay(nil, c.us)); got != c.want {
			t.Errorf("time %d: %q, want %q", c.us, got, c.want)
		}
	}
}

func TestParquetDecimalText(t *testing.T) {
	for _, c := range []struct {
		b     []byte
		scale int
		want  string
	}{
		{nil, 2, "0.00"},
		{[]byte{0x04, 0xe2}, 2, "12.50"},
		{[]byte{0xff}, 2, "-0.01"},
		{[]byte{0x80, 0, 0, 0, 0, 0, 0, 0}, 0, "-9223372036854775808"},
		{[]byte{0x00, 0x80, 0, 0, 0, 0, 0, 0, 0}, 0, "9223372036854775808"},
		{[]byte{0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 3, "-9223372036854775.809"},
		{bytes.Repeat([]byte{0xff}, 16), 0, "-1"},
		{[]byte{0x4b, 0x3b, 0x4c, 0xa8, 0x5a, 0x86, 0xc4, 0x7a, 0x09, 0x8a, 0x22, 0x3f, 0xff, 0xff, 0xff, 0xff}, 4, "9999999999999999999999999999999999.9999"},
	} {
		if got := string(appendDecimalBytes(nil, c.b, c.scale)); got != c.want {
			t.Errorf("%x scale %d: %q, want %q", c.b, c.scale, got, c.want)
		}
	}
	if got := string(appendDecimal(nil, math.MinInt64, 2)); got != "-92233720368547758.08" {
		t.Errorf("MinInt64: %q", got)
	}
}

// TestParquetBadFiles: wrong magic, truncation, impossible sizes and
// corrupt pages are *Errors naming the file (and the column when known),
// never panics or short columns.
func TestParquetBadFiles(t *testing.T) {
	good, err := os.ReadFile("testdata/parquet/arrow_mixed_v1_dict_snappy.parquet")
	if err != nil {
		t.Fatal(err)
	}
	footerLen := int(uint32(good[len(good)-8]) | uint32(good[len(good)-7])<<8 | uint32(good[len(good)-6])<<16 | uint32(good[len(good)-5])<<24)
	withFooterLen := func(n uint32) []byte {
		b := append([]byte(nil), good...)
		b[len(b)-8], b[len(b)-7], b[len(b)-6], b[len(b)-5] = byte(n), byte(n>>8), byte(n>>16), byte(n>>24)
		return b
	}
	src, _, err := openFixture(t, "testdata/parquet/arrow_mixed_v1_dict_snappy.parquet", Options{})
	if err != nil {
		t.Fatal(err)
	}
	ps := src.(*pqSource)
	// byte ranges of the column chunks of "comment" in row group 2
	m := ps.meta.rowGroups[1].columns[ps.leaves[indexOf(ps.header, "comment")].index].meta
	chunkStart := m.dictPageOffset
	dataPage := int(m.dataPageOffset)
	cases := []struct {
		name   string
		data   []byte
		want   string // in the message
		column string
	}{
		{"empty", nil, "too short", ""},
		{"csv", []byte("a,b\n1,2\n3,4\n"), "does not start with \"PAR1\"", ""},
		{"wrong head magic", append([]byte("PAR0"), good[4:]...), "does not start with", ""},
		{"truncated", good[:len(good)-100], "does not end with", ""},
		{"truncated half", good[:len(good)/2], "does not end with", ""},
		{"footer too long", withFooterLen(uint32(len(good))), "footer length", ""},
		{"footer huge", withFooterLen(0xffffffff), "footer length", ""},
		{"footer short", withFooterLen(uint32(footerLen - 10)), "corrupt Parquet footer", ""},
		{"encrypted", append(append([]byte(nil), good[:len(good)-4]...), "PARE"...), "encrypted", ""},
		{"footer garbage", func() []byte {
			b := append([]byte(nil), good...)
			for i := len(b) - 8 - footerLen; i < len(b)-8; i++ {
				b[i] = 0x19
			}
			return b
		}(), "corrupt Parquet footer", ""},
		{"page garbage", func() []byte {
			b := append([]byte(nil), good...)
			for i := dataPage; i < dataPage+40; i++ {
				b[i] = 0xff
			}
			return b
		}(), "row group 2", "comment"},
		{"compressed data garbage", func() []byte {
			b := append([]byte(nil), good...)
			h, n, err := readPageHeader(b[dataPage:])
			if err != nil {
				t.Fatal(err)
			}
			for i := dataPage + n; i < dataPage+n+int(h.compressed); i++ {
				b[i] ^= 0x5a
			}
			return b
		}(), "row group 2", "comment"},
		{"dictionary garbage", func() []byte {
			b := append([]byte(nil), good...)
			h, n, err := readPageHeader(b[chunkStart:])
			if err != nil {
				t.Fatal(err)
			}
			for i := int(chunkStart) + n; i < int(chunkStart)+n+int(h.compressed); i++ {
				b[i] = 0
			}
			return b
		}(), "row group 2", "comment"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src, err := OpenParquet(bytes.NewReader(c.data), int64(len(c.data)), Options{Name: "bad.parquet"})
			if err == nil {
				_, _, err = ReadAll(src)
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("want *Error, got %T %v", err, err)
			}
			if pe.File != "bad.parquet" || !strings.Contains(err.Error(), c.want) || pe.Column != c.column {
				t.Fatalf("got %q (column %q), want bad.parquet, column %q and %q", err, pe.Column, c.column, c.want)
			}
		})
	}
}

// TestParquetCountMismatch rewrites footers so that a row group claims
// more or fewer rows than its pages hold: each is an error naming the
// column and the counts.
func TestParquetCountMismatch(t *testing.T) {
	good, err := os.ReadFile("testdata/parquet/arrow_mixed_v2_dict_zstd.parquet")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		delta int64
		want  string
	}{
		{+1, `column "id": row group 2 has 45 values, expected 46`},
		{-1, `column "id": row group 2 has more values than its 44 rows`},
	} {
		b := rewriteRowGroupRows(t, good, 1, c.delta)
		src, err := OpenParquet(bytes.NewReader(b), int64(len(b)), Options{Name: "f.parquet"})
		if err != nil {
			t.Fatal(err)
		}
		_, rows, err := ReadAll(src)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "f.parquet: ") {
			t.Errorf("delta %d: got %v after %d rows, want %q", c.delta, err, len(rows), c.want)
		}
	}
}

// rewriteRowGroupRows adds delta to the row count of row group g (and the
// file's) by patching the footer's varints in place; the footer is
// re-encoded with the same length when the varints keep their size.
func rewriteRowGroupRows(t *testing.T, b []byte, g int, delta int64) []byte {
	t.Helper()
	fl := int(uint32(b[len(b)-8]) | uint32(b[len(b)-7])<<8 | uint32(b[len(b)-6])<<16 | uint32(b[len(b)-5])<<24)
	footer := b[len(b)-8-fl : len(b)-8]
	meta, err := readFileMeta(footer)
	if err != nil {
		t.Fatal(err)
	}
	// Find the encoded num_rows varints by re-scanning the footer's
	// structs: file num_rows is field 3 of the top struct, a row group's
	// is field 3 of its struct.
	out := append([]byte(nil), b...)
	f := out[len(out)-8-fl : len(out)-8]
	patch := func(pos int, old, new int64) {
		enc := func(v int64) []byte {
			u := uint64(v<<1) ^ uint64(v>>63)
			var p []byte
			for u >= 0x80 {
				p = append(p, byte(u)|0x80)
				u >>= 7
			}
			return append(p, byte(u))
		}
		a, c := enc(old), enc(new)
		if len(a) != len(c) || !bytes.Equal(f[pos:pos+len(a)], a) {
			t.Fatalf("cannot patch %d → %d at %d", old, new, pos)
		}
		copy(f[pos:], c)
	}
	tr := &thriftReader{b: f}
	rgIndex := -1
	tr.readStruct(0, func(id int16, typ byte) bool {
		switch id {
		case 3:
			pos := tr.pos
			v := tr.i64(typ)
			patch(pos, v, v+delta)
			return true
		case 4:
			tr.list(typ, tStruct, func() {
				rgIndex++
				tr.readStruct(2, func(id int16, typ byte) bool {
					if id == 3 && rgIndex == g {
						pos := tr.pos
						v := tr.i64(typ)
						patch(pos, v, v+delta)
						return true
					}
					return false
				})
			})
			return true
		}
		return false
	})
	if tr.err != nil || meta.rowGroups[g].numRows+delta < 0 {
		t.Fatal(tr.err)
	}
	return out
}

// TestParquetTruncatedEverywhere cuts the file at many lengths and
// flips bytes everywhere: always an *Error or the exact rows, never a
// panic or a short column.
func TestParquetCorruptEverywhere(t *testing.T) {
	for _, f := range []string{"arrow_mixed_v1_dict_gzip.parquet", "arrow_mixed_v2_delta.parquet", "hyparquet_mixed_encodings.parquet", "arrow_types.parquet"} {
		good, err := os.ReadFile(filepath.Join("testdata/parquet", f))
		if err != nil {
			t.Fatal(err)
		}
		src, err := OpenParquet(bytes.NewReader(good), int64(len(good)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, want, err := ReadAll(src)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(3, 4))
		step := max(1, len(good)/300)
		for i := 0; i < len(good); i += step {
			b := append([]byte(nil), good...)
			b[i] ^= byte(1 + r.IntN(255))
			checkParquetOutcome(t, b, want, fmt.Sprintf("%s byte %d", f, i))
		}
	}
}

// checkParquetOutcome reads b completely: it must fail with an *Error, or
// give exactly as many cells in every column as the footer's num_rows —
// and, when want is given and the footer still says len(want) rows,
// cells that differ only where the flip could reach (values), not counts.
func checkParquetOutcome(t *testing.T, b []byte, want [][]string, what string) {
	t.Helper()
	src, err := OpenParquet(bytes.NewReader(b), int64(len(b)), Options{Name: "f"})
	if err != nil {
		var pe *Error
		if !errors.As(err, &pe) || pe.File != "f" {
			t.Fatalf("%s: open: %T %v", what, err, err)
		}
		return
	}
	numRows := src.(*pqSource).meta.numRows
	n := int64(0)
	for {
		batch, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.File != "f" {
				t.Fatalf("%s: next: %T %v", what, err, err)
			}
			return
		}
		for _, c := range batch.Cols {
			if c != nil && c.Len() != batch.Rows {
				t.Fatalf("%s: a column of %d cells in a batch of %d", what, c.Len(), batch.Rows)
			}
		}
		n += int64(batch.Rows)
		if n > 1<<18 {
			return // a flipped row count; reading on proves nothing
		}
	}
	if n != numRows {
		t.Fatalf("%s: %d rows read without error, the footer says %d", what, n, numRows)
	}
}

// checkSampleAgrees reads b with Options.Limit: an *Error, or — when
// the whole file reads without one — exactly its first limit rows.
func checkSampleAgrees(t *testing.T, b []byte, limit int) {
	t.Helper()
	read := func(opts Options) ([][]string, error) {
		src, err := OpenParquet(bytes.NewReader(b), int64(len(b)), opts)
		if err != nil {
			return nil, err
		}
		var rows [][]string
		for len(rows) <= 1<<18 {
			batch, err := src.Next()
			if err == io.EOF {
				return rows, nil
			}
			if err != nil {
				return rows, err
			}
			rows = batch.appendRows(rows)
		}
		return nil, errors.New("too many rows")
	}
	sample, err := read(Options{Name: "f", Limit: limit})
	var pe *Error
	if err != nil && (!errors.As(err, &pe) || pe.File != "f") {
		t.Fatalf("sample of %d rows: %T %v", limit, err, err)
	}
	all, aerr := read(Options{Name: "f"})
	if aerr != nil {
		return
	}
	if err != nil || len(sample) != min(limit, len(all)) {
		t.Fatalf("sample of %d rows: %d rows, %v; the whole file reads %d", limit, len(sample), err, len(all))
	}
	for i := range sample {
		if strings.Join(sample[i], "\x00") != strings.Join(all[i], "\x00") {
			t.Fatalf("sample row %d: %q, want %q", i+1, sample[i], all[i])
		}
	}
}

// FuzzParquet: no panic; an *Error or exactly num_rows rows in every
// column; a sample (Options.Limit) of the file's first rows. Seeded with the committed fixtures.
func FuzzParquet(f *testing.F) {
	files, _ := filepath.Glob("testdata/parquet/*.parquet")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) < 8<<10 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkParquetOutcome(t, b, nil, "fuzz")
		checkSampleAgrees(t, b, 1+len(b)%61)
	})
}

// TestParquetOptions: selecting a skipped nested column says why; an
// empty selection still counts rows; Open recognises Parquet by content.
func TestParquetOptions(t *testing.T) {
	_, _, err := openFixture(t, "testdata/parquet/arrow_nested.parquet", Options{Columns: []string{"tags"}})
	if err == nil || !strings.Contains(err.Error(), `column "tags": a nested column (LIST)`) {
		t.Errorf("nested column: %v", err)
	}
	src, _, err := openFixture(t, "testdata/parquet/arrow_mixed_v1_dict_zstd.parquet", Options{Columns: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	_, rows, err := ReadAll(src)
	if err != nil || len(rows) != 120 {
		t.Errorf("no columns: %d rows, %v", len(rows), err)
	}
	b, err := os.ReadFile("testdata/parquet/hyparquet_mixed_gzip.parquet")
	if err != nil {
		t.Fatal(err)
	}
	src, err = Open("export.csv", bytes.NewReader(b), int64(len(b)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if in := src.Info(); in.Format != "parquet" || len(in.Warnings) == 0 || !strings.Contains(in.Warnings[0], "holds Parquet") {
		t.Errorf("Open: %+v", in)
	}
}

// TestParquetRowGroupRanges: reading the row groups in ranges, every way
// a file's groups can be cut in two, gives the rows of one pass in order.
func TestParquetRowGroupRanges(t *testing.T) {
	paths, _ := filepath.Glob("testdata/parquet/*.parquet")
	multi := 0
	for _, path := range paths {
		src, data, err := openFixture(t, path, Options{})
		if err != nil {
			continue
		}
		_, want, err := ReadAll(src)
		if err != nil {
			continue
		}
		groups := src.Info().RowGroups
		if groups < 2 {
			continue
		}
		multi++
		for cut := 0; cut <= groups; cut++ {
			var got [][]string
			for _, g := range []RowGroupRange{{0, cut}, {cut, groups}} {
				if g.To <= g.From {
					continue
				}
				part, err := OpenParquet(bytes.NewReader(data), int64(len(data)), Options{RowGroups: g})
				if err != nil {
					t.Fatal(err)
				}
				_, rows, err := ReadAll(part)
				if err != nil {
					t.Fatalf("%s %v: %v", path, g, err)
				}
				got = append(got, rows...)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s cut at group %d: %d rows, want %d", path, cut, len(got), len(want))
			}
		}
	}
	if multi == 0 {
		t.Fatal("no fixture has several row groups")
	}
}

// TestParquetForms: where the reader hands a column over as dictionary
// codes or as timestamps (Column.Coded, Column.Times), those are the very
// cells its text holds — the text every other consumer reads, checked
// against the writers by TestParquetFixtures — and every fixture with a
// dictionary or a TIMESTAMP column gives them (so the fast paths of the
// consumers are exercised, not silently skipped).
func TestParquetForms(t *testing.T) {
	var coded, timed int
	for _, e := range loadManifest(t) {
		if e.Error != "" {
			continue
		}
		src, _, err := openFixture(t, filepath.Join("testdata/parquet", e.File), Options{})
		if err != nil {
			t.Fatal(err)
		}
		for {
			b, err := src.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", e.File, err)
			}
			for j, c := range b.Cols {
				var want []string // the cells as the form gives them
				if d, codes, ok := c.Coded(); ok {
					coded++
					for _, x := range codes {
						if x < 0 {
							want = append(want, "")
						} else {
							want = append(want, string(d.Entry(x)))
						}
					}
				}
				if us, ok := c.Times(); ok {
					timed++
					for _, v := range us {
						if v == NullTime {
							want = append(want, "")
						} else {
							want = append(want, cell.FormatTimestamp(v))
						}
					}
				}
				if want == nil {
					continue
				}
				if len(want) != b.Rows || c.Len() != b.Rows {
					t.Fatalf("%s column %d: %d cells in the form, Len %d, %d rows", e.File, j, len(want), c.Len(), b.Rows)
				}
				for i, w := range want {
					got := c.Cell(i)
					if string(got) != w {
						t.Fatalf("%s column %d row %d: text %q, form %q", e.File, j, i, got, w)
					}
					if _, _, ok := c.Coded(); ok {
						t.Fatalf("%s column %d: still coded after Cell", e.File, j)
					}
					if _, ok := c.Times(); ok {
						t.Fatalf("%s column %d: still times after Cell", e.File, j)
					}
				}
			}
		}
	}
	if coded == 0 || timed == 0 {
		t.Errorf("%d coded and %d timestamp columns in the fixtures' batches; want some of each", coded, timed)
	}
	// A batch across row groups with different dictionaries stays coded
	// (the fixture's 120 rows are three row groups, one batch).
	src, _, err := openFixture(t, "testdata/parquet/arrow_mixed_v1_dict_snappy.parquet", Options{Columns: []string{"channel"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := src.Next()
	if err != nil {
		t.Fatal(err)
	}
	p := src.(*pqSource)
	if d, _, ok := b.Cols[indexOf(src.Header(), "channel")].Coded(); !ok || b.Rows != 120 || len(p.meta.rowGroups) != 3 || p.cols[0].merged != d {
		t.Errorf("rows %d, row groups %d: channel not coded in a merged dictionary (%v)", b.Rows, len(p.meta.rowGroups), ok)
	}
	t.Logf("%d coded and %d timestamp batch columns", coded, timed)
}
