package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
)

// readCSV reads input with the given config and returns the header, the
// rows and the Info, or the error of OpenCSV or Next.
func readCSV(input []byte, opts Options, cfg csvConfig) ([]string, [][]string, Info, error) {
	src, err := openCSV(bytes.NewReader(input), opts, cfg)
	if err != nil {
		return nil, nil, Info{}, err
	}
	if cfg.cellSpans {
		h, rows, err := readSpans(src)
		return h, rows, src.Info(), err
	}
	h, rows, err := ReadAll(src)
	return h, rows, src.Info(), err
}

// readSpans is ReadAll for a source opened with CellSpans. It reads each
// cell of a selected column from Spans (unescaping through Cell), then
// checks that Raw, which copies the cells, gives the same text.
func readSpans(src Source) ([]string, [][]string, error) {
	var rows [][]string
	for {
		b, err := src.Next()
		if err == io.EOF {
			return src.Header(), rows, nil
		}
		if err != nil {
			return src.Header(), rows, err
		}
		first := len(rows)
		for range b.Rows {
			rows = append(rows, make([]string, len(b.Cols)))
		}
		for j, c := range b.Cols {
			if c == nil {
				continue
			}
			if c.form != formSpans {
				return nil, nil, fmt.Errorf("column %d: form %d, not spans", j, c.form)
			}
			buf, spans := c.Spans()
			if len(spans) != b.Rows {
				return nil, nil, fmt.Errorf("column %d: %d spans for %d rows", j, len(spans), b.Rows)
			}
			for i, sp := range spans {
				if a, e := SpanBounds(sp); a >= 0 {
					rows[first+i][j] = string(buf[a:e])
				} else {
					rows[first+i][j] = string(c.Cell(i))
				}
			}
			data, ends := c.Raw()
			for i := range b.Rows {
				start := int32(0)
				if i > 0 {
					start = ends[i-1]
				}
				if got := string(data[start:ends[i]]); got != rows[first+i][j] {
					return nil, nil, fmt.Errorf("row %d column %d: Raw %q, Spans %q", b.FirstRow+int64(i), j, got, rows[first+i][j])
				}
			}
		}
	}
}

var defaultConfig = csvConfig{bufSize: defaultBufSize, maxRecord: MaxRecordBytes}

// spansConfig is defaultConfig with the selected columns handed over as
// spans of the buffer (Options.CellSpans).
var spansConfig = csvConfig{bufSize: defaultBufSize, maxRecord: MaxRecordBytes, cellSpans: true}

// configs are the reader set-ups every table case is checked under: the
// default, the reference parser alone, and small buffers that put record
// and field boundaries across refills.
var configs = []csvConfig{
	defaultConfig,
	{bufSize: defaultBufSize, maxRecord: MaxRecordBytes, noFast: true},
	{bufSize: 1, maxRecord: MaxRecordBytes},
	{bufSize: 7, maxRecord: MaxRecordBytes},
	{bufSize: 64, maxRecord: MaxRecordBytes},
	{bufSize: 100, maxRecord: MaxRecordBytes},
	spansConfig,
	{bufSize: 7, maxRecord: MaxRecordBytes, cellSpans: true},
	{bufSize: 100, maxRecord: MaxRecordBytes, noFast: true, cellSpans: true},
}

type csvCase struct {
	name   string
	in     string
	opts   Options
	header []string
	rows   [][]string
	err    string // substring of the error; "" for none
	check  func(t *testing.T, in Info)
}

func runCSVCases(t *testing.T, cases []csvCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, cfg := range configs {
				h, rows, info, err := readCSV([]byte(tc.in), tc.opts, cfg)
				if tc.err != "" {
					if err == nil || !strings.Contains(err.Error(), tc.err) {
						t.Fatalf("buf %d: error %v, want one containing %q", cfg.bufSize, err, tc.err)
					}
					var e *Error
					if !errors.As(err, &e) {
						t.Fatalf("buf %d: error %T, want *Error", cfg.bufSize, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("buf %d nofast %v: %v", cfg.bufSize, cfg.noFast, err)
				}
				if !reflect.DeepEqual(h, tc.header) {
					t.Fatalf("buf %d: header %q, want %q", cfg.bufSize, h, tc.header)
				}
				if len(rows) == 0 && len(tc.rows) == 0 {
					rows = tc.rows
				}
				if !reflect.DeepEqual(rows, tc.rows) {
					t.Fatalf("buf %d nofast %v: rows\n%q\nwant\n%q", cfg.bufSize, cfg.noFast, rows, tc.rows)
				}
				if info.Format != "csv" || info.Rows != int64(len(rows)) || info.Bytes != int64(len(tc.in)) {
					t.Fatalf("buf %d: info %+v", cfg.bufSize, info)
				}
				if tc.check != nil {
					tc.check(t, info)
				}
			}
		})
	}
}

func wantWarning(sub string) func(*testing.T, Info) {
	return func(t *testing.T, in Info) {
		t.Helper()
		for _, w := range in.Warnings {
			if strings.Contains(w, sub) {
				return
			}
		}
		t.Errorf("warnings %q: none contains %q", in.Warnings, sub)
	}
}

func wantInfo(f func(Info) bool, what string) func(*testing.T, Info) {
	return func(t *testing.T, in Info) {
		t.Helper()
		if !f(in) {
			t.Errorf("info %+v: want %s", in, what)
		}
	}
}

func TestCSVQuoting(t *testing.T) {
	runCSVCases(t, []csvCase{
		{name: "plain", in: "a,b\n1,2\n3,4\n",
			header: []string{"a", "b"}, rows: [][]string{{"1", "2"}, {"3", "4"}}},
		{name: "no final newline", in: "a,b\n1,2\n3,4",
			header: []string{"a", "b"}, rows: [][]string{{"1", "2"}, {"3", "4"}}},
		{name: "quoted delimiter", in: "a,b\n\"x,y\",2\n",
			header: []string{"a", "b"}, rows: [][]string{{"x,y", "2"}}},
		{name: "quoted newline", in: "a,b\n\"line 1\nline 2\",2\n3,4\n",
			header: []string{"a", "b"}, rows: [][]string{{"line 1\nline 2", "2"}, {"3", "4"}}},
		{name: "quoted CRLF kept", in: "a,b\r\n\"line 1\r\nline 2\",2\r\n",
			header: []string{"a", "b"}, rows: [][]string{{"line 1\r\nline 2", "2"}}},
		{name: "doubled quotes", in: "a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n",
			header: []string{"a", "b"}, rows: [][]string{{`say "hi"`, `"`}}},
		{name: "empty quoted", in: "a,b\n\"\",\"\"\n",
			header: []string{"a", "b"}, rows: [][]string{{"", ""}}},
		{name: "quote inside unquoted field is literal", in: "a,b\n5\" screen,x\"y\"\n",
			header: []string{"a", "b"}, rows: [][]string{{`5" screen`, `x"y"`}}},
		{name: "space before quote makes it literal", in: "a,b\n \"x\",2\n",
			header: []string{"a", "b"}, rows: [][]string{{` "x"`, "2"}}},
		{name: "text after closing quote kept", in: "a,b\n\"abc\"def,2\n\"x\"\"y\"z\"w,3\n",
			header: []string{"a", "b"}, rows: [][]string{{"abcdef", "2"}, {`x"yz"w`, "3"}},
			check: wantWarning("2 quoted fields have text after the closing quote (first on line 2)")},
		{name: "quoted header", in: "\"a,1\",\"b\"\"\"\n1,2\n",
			header: []string{"a,1", `b"`}, rows: [][]string{{"1", "2"}}},
		{name: "quoted last field at EOF", in: "a,b\n1,\"2\"",
			header: []string{"a", "b"}, rows: [][]string{{"1", "2"}}},
		{name: "trailing delimiter at EOF", in: "a,b\n1,",
			header: []string{"a", "b"}, rows: [][]string{{"1", ""}}},
		{name: "utf-8 cells", in: "name,city\nJosé,Zürich\n李,東京\n",
			header: []string{"name", "city"}, rows: [][]string{{"José", "Zürich"}, {"李", "東京"}}},
		{name: "unterminated quote", in: "a,b\n1,2\n3,\"never closed\n4,5\n", opts: Options{Name: "s.csv"},
			err: `s.csv: row 3: column "b": quoted field is not closed: the quote opened on this line`},
		{name: "unterminated quote in header", in: "a,\"b\n", opts: Options{Name: "h.csv"},
			err: "h.csv: row 1: quoted field is not closed"},
		{name: "unterminated quote at last byte", in: "a,b\n1,\"", err: "row 2"},
		{name: "unterminated quote after lines", in: "a,b\n\"x\ny\",1\n\n2,\"z\n", err: "row 5"},
	})
}

func TestCSVLineEnds(t *testing.T) {
	want := [][]string{{"1", "2"}, {"3", "4"}, {"5", "6"}}
	runCSVCases(t, []csvCase{
		{name: "LF", in: "a,b\n1,2\n3,4\n5,6\n", header: []string{"a", "b"}, rows: want},
		{name: "CRLF", in: "a,b\r\n1,2\r\n3,4\r\n5,6\r\n", header: []string{"a", "b"}, rows: want},
		{name: "CR", in: "a,b\r1,2\r3,4\r5,6\r", header: []string{"a", "b"}, rows: want},
		{name: "mixed", in: "a,b\r\n1,2\n3,4\r5,6", header: []string{"a", "b"}, rows: want},
		{name: "empty lines skipped", in: "\n\r\na,b\n\n1,2\r\n\r\n\r3,4\n\n\n5,6\n\n", header: []string{"a", "b"}, rows: want},
		{name: "line with only spaces is a row", in: "a,b\n1,2\n \n",
			header: []string{"a", "b"}, rows: [][]string{{"1", "2"}, {" ", ""}},
			check: wantInfo(func(in Info) bool { return in.RaggedRows == 1 }, "1 ragged row")},
		{name: "single column with blank lines", in: "score\n1\n\n2\n",
			header: []string{"score"}, rows: [][]string{{"1"}, {"2"}}},
		{name: "line numbers count CRLF once", in: "a,b\r\n1,2\r\n3,\"x\r\n", err: "row 3"},
		{name: "line numbers count lone CR", in: "a,b\r1,2\r3,\"x\r", err: "row 3"},
	})
}

func TestCSVHeader(t *testing.T) {
	runCSVCases(t, []csvCase{
		{name: "trimmed", in: " a , b\t\n1,2\n", header: []string{"a", "b"}, rows: [][]string{{"1", "2"}}},
		{name: "blank and duplicate names", in: "id,,score,score,,score\n1,2,3,4,5,6\n",
			header: []string{"id", "column_2", "score", "score (2)", "column_5", "score (3)"},
			rows:   [][]string{{"1", "2", "3", "4", "5", "6"}},
			check: func(t *testing.T, in Info) {
				want := []string{
					`header: column 2 has no name; named "column_2"`,
					`header: column 4: duplicate name "score" renamed "score (2)"`,
					`header: column 5 has no name; named "column_5"`,
					`header: column 6: duplicate name "score" renamed "score (3)"`,
				}
				if !reflect.DeepEqual(in.Warnings, want) {
					t.Errorf("warnings %q, want %q", in.Warnings, want)
				}
			}},
		{name: "renames avoid existing names", in: "a,a,a (2),,column_4\n1,2,3,4,5\n",
			header: []string{"a", "a (3)", "a (2)", "column_4 (2)", "column_4"},
			rows:   [][]string{{"1", "2", "3", "4", "5"}}},
		{name: "header only", in: "a,b\n", header: []string{"a", "b"}},
		{name: "header only, no newline", in: "a,b", header: []string{"a", "b"}},
		{name: "header and blank lines", in: "a,b\n\n\n", header: []string{"a", "b"}},
		{name: "empty file", in: "", opts: Options{Name: "e.csv"}, err: "e.csv: file is empty"},
		{name: "only blank lines", in: "\n\r\n\n", err: "file is empty"},
		{name: "only a BOM", in: "\xEF\xBB\xBF", err: "file is empty"},
	})
}

func TestCSVRagged(t *testing.T) {
	runCSVCases(t, []csvCase{
		{name: "short and long rows", in: "a,b,c\n1,2,3\n4\n5,6,7,8,9\n10,11\n",
			header: []string{"a", "b", "c"},
			rows:   [][]string{{"1", "2", "3"}, {"4", "", ""}, {"5", "6", "7"}, {"10", "11", ""}},
			check: func(t *testing.T, in Info) {
				if in.RaggedRows != 3 {
					t.Errorf("RaggedRows %d, want 3", in.RaggedRows)
				}
				wantWarning("3 rows have a different number of cells than the header (first on line 3)")(t, in)
			}},
		{name: "pruned ragged", in: "a,b,c\n1\n2,3,4,5\n", opts: Options{Columns: []string{"c"}},
			header: []string{"a", "b", "c"}, rows: [][]string{{"", "", ""}, {"", "", "4"}}},
	})
}

func TestCSVColumns(t *testing.T) {
	runCSVCases(t, []csvCase{
		{name: "select", in: "a,b,c\n1,\"2\",3\n4,5,6\n", opts: Options{Columns: []string{"c", "a"}},
			header: []string{"a", "b", "c"}, rows: [][]string{{"1", "", "3"}, {"4", "", "6"}}},
		{name: "select renamed", in: "a,a\n1,2\n", opts: Options{Columns: []string{"a (2)"}},
			header: []string{"a", "a (2)"}, rows: [][]string{{"", "2"}}},
		{name: "unknown", in: "a,b\n1,2\n", opts: Options{Name: "u.csv", Columns: []string{"a", "x", "y"}},
			err: `u.csv: no columns "x", "y" in the header; the columns are: "a", "b"`},
		{name: "required, not read", in: "a,b\n1,2\n", opts: Options{Columns: []string{"b"}, Require: []string{"a"}},
			header: []string{"a", "b"}, rows: [][]string{{"", "2"}}},
		{name: "required and unknown", in: "a,b\n1,2\n", opts: Options{Name: "u.csv", Columns: []string{"y"}, Require: []string{"x", "a"}},
			err: `u.csv: no columns "x", "y" in the header; the columns are: "a", "b"`},
		{name: "required unknown, all read", in: "a,b\n1,2\n", opts: Options{Name: "u.csv", Require: []string{"x"}},
			err: `u.csv: no column "x" in the header; the columns are: "a", "b"`},
	})
	// Unselected columns are nil, selected ones hold every row.
	src, err := OpenCSV(strings.NewReader("a,b,c\n1,2,3\n"), Options{Columns: []string{"b"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := src.Next()
	if err != nil {
		t.Fatal(err)
	}
	if b.Cols[0] != nil || b.Cols[2] != nil || b.Cols[1] == nil || b.Cols[1].Len() != 1 {
		t.Fatalf("cols %v", b.Cols)
	}
}

func TestCSVEncodings(t *testing.T) {
	rows := [][]string{{"José", "10"}, {"€ 5 – “ok” ’", "9"}}
	text := "name,nps\r\nJosé,10\r\n€ 5 – “ok” ’,9\r\n"
	latin := "name,nps\r\nJos\xe9,10\r\n\x80 5 \x96 \x93ok\x94 \x92,9\r\n"
	runCSVCases(t, []csvCase{
		{name: "utf-8", in: text, header: []string{"name", "nps"}, rows: rows,
			check: wantInfo(func(in Info) bool { return in.Encoding == "utf-8" && len(in.Warnings) == 0 }, "utf-8")},
		{name: "utf-8 BOM", in: "\xEF\xBB\xBF" + text, header: []string{"name", "nps"}, rows: rows,
			check: wantInfo(func(in Info) bool { return in.Encoding == "utf-8-sig" }, "utf-8-sig")},
		{name: "utf-16le BOM", in: utf16String(text, false, true), header: []string{"name", "nps"}, rows: rows,
			check: wantInfo(func(in Info) bool { return in.Encoding == "utf-16le" }, "utf-16le")},
		{name: "utf-16be BOM", in: utf16String(text, true, true), header: []string{"name", "nps"}, rows: rows,
			check: wantInfo(func(in Info) bool { return in.Encoding == "utf-16be" }, "utf-16be")},
		{name: "utf-16le tab", in: utf16String("a\tb\r\n1,5\t2\r\n", false, true), header: []string{"a", "b"},
			rows:  [][]string{{"1,5", "2"}},
			check: wantInfo(func(in Info) bool { return in.Delimiter == "\t" }, "tab")},
		{name: "utf-16 astral and bad surrogates", in: utf16String("a\n😀\n", false, true) + "\x00\xD8x\x00\n\x00",
			header: []string{"a"}, rows: [][]string{{"😀"}, {"\uFFFDx"}}},
		{name: "utf-16 odd final byte", in: utf16String("a\nb", true, true) + "\x00",
			header: []string{"a"}, rows: [][]string{{"b\uFFFD"}}},
		{name: "windows-1252 sniffed", in: latin, header: []string{"name", "nps"}, rows: rows,
			check: wantInfo(func(in Info) bool { return in.Encoding == "windows-1252" }, "windows-1252")},
		{name: "windows-1252 unassigned bytes", in: "a\n\x81\x8d\x8f\x90\x9d\xff\n", header: []string{"a"},
			rows: [][]string{{"\u0081\u008d\u008f\u0090\u009dÿ"}}},
		{name: "forced latin-1", in: "a\ncaf\xe9\n", opts: Options{Encoding: "ISO-8859-1"},
			header: []string{"a"}, rows: [][]string{{"café"}}},
		{name: "forced utf-8 keeps BOM out", in: "\xEF\xBB\xBFa\n1\n", opts: Options{Encoding: "utf8"},
			header: []string{"a"}, rows: [][]string{{"1"}},
			check: wantInfo(func(in Info) bool { return in.Encoding == "utf-8-sig" }, "utf-8-sig")},
		{name: "forced utf-8 on latin", in: "a\ncaf\xe9\n", opts: Options{Encoding: "utf-8"},
			header: []string{"a"}, rows: [][]string{{"caf\xe9"}},
			check: wantWarning("1 invalid UTF-8 sequence in")},
		{name: "unsupported", in: "a\n", opts: Options{Encoding: "ebcdic"}, err: `unsupported encoding "ebcdic"`},
	})
}

// utf16String encodes s as UTF-16 (with a BOM if bom).
func utf16String(s string, be, bom bool) string {
	var b []byte
	put := func(u uint16) {
		if be {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	if bom {
		put(0xFEFF)
	}
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			put(uint16(0xD800 + r>>10))
			put(uint16(0xDC00 + r&0x3FF))
		} else {
			put(uint16(r))
		}
	}
	return string(b)
}

// TestCSVInvalidUTF8Later: a file whose first 64 KiB are UTF-8 is read as
// UTF-8 to the end; later invalid bytes are kept and counted, split across
// reads or not.
func TestCSVInvalidUTF8Later(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,comment\n")
	for i := 0; b.Len() < SniffBytes+1000; i++ {
		fmt.Fprintf(&b, "%d,ok é\n", i)
	}
	b.WriteString("x,caf\xe9 cr\xe8me \xff\xfe\n")
	b.WriteString("y,é\xC3\n") // truncated sequence before the line end
	in := b.String()
	for _, cfg := range configs {
		_, rows, info, err := readCSV([]byte(in), Options{}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if info.Encoding != "utf-8" {
			t.Fatalf("encoding %q", info.Encoding)
		}
		last := rows[len(rows)-2:]
		if last[0][1] != "caf\xe9 cr\xe8me \xff\xfe" || last[1][1] != "é\xC3" {
			t.Fatalf("rows %q", last)
		}
		if !reflect.DeepEqual(info.Warnings, []string{"5 invalid UTF-8 sequences in a file read as UTF-8; their bytes were kept as they are"}) {
			t.Fatalf("buf %d: warnings %q", cfg.bufSize, info.Warnings)
		}
	}
}

func TestCSVLimits(t *testing.T) {
	t.Run("too many columns", func(t *testing.T) {
		in := strings.Repeat("c,", MaxColumns) + "c\n1\n"
		_, _, _, err := readCSV([]byte(in), Options{Name: "w.csv"}, defaultConfig)
		if err == nil || !strings.Contains(err.Error(), "w.csv: row 1: too many columns: the header has more than 16384") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("max columns ok", func(t *testing.T) {
		in := strings.Repeat("c,", MaxColumns-1) + "c\n" + strings.Repeat("1,", MaxColumns+5) + "\n"
		h, rows, info, err := readCSV([]byte(in), Options{}, defaultConfig)
		if err != nil || len(h) != MaxColumns || len(rows) != 1 || info.RaggedRows != 1 {
			t.Fatalf("%v %d %d %+v", err, len(h), len(rows), info.RaggedRows)
		}
	})
	t.Run("record too long", func(t *testing.T) {
		long := strings.Repeat("x", 5000)
		in := "a,b\n1,2\n3," + long + "\n"
		for _, bs := range []int{16, 1000, 4096} {
			cfg := csvConfig{bufSize: bs, maxRecord: 4096}
			_, _, _, err := readCSV([]byte(in), Options{Name: "l.csv"}, cfg)
			if err == nil || err.Error() != `l.csv: row 3: column "b": record longer than 4096 bytes` {
				t.Fatalf("buf %d: error %v", bs, err)
			}
		}
		// Just within the limit.
		in = "a,b\n1,2\n3," + long[:4000] + "\n"
		_, rows, _, err := readCSV([]byte(in), Options{}, csvConfig{bufSize: 16, maxRecord: 4096})
		if err != nil || len(rows) != 2 {
			t.Fatal(err)
		}
	})
	t.Run("unclosed quote swallowing the file", func(t *testing.T) {
		in := "a,b\n1,\"oops\n" + strings.Repeat("2,3\n", 3000)
		_, _, _, err := readCSV([]byte(in), Options{Name: "q.csv"}, csvConfig{bufSize: 64, maxRecord: 4096})
		want := `q.csv: row 2: column "b": record longer than 4096 bytes: the quoted field opened on line 2 is probably never closed`
		if err == nil || err.Error() != want {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("batch byte limit", func(t *testing.T) {
		cell := strings.Repeat("y", 1<<20)
		var b strings.Builder
		b.WriteString("a\n")
		for range 40 {
			b.WriteString(cell + "\n")
		}
		src, err := OpenCSV(strings.NewReader(b.String()), Options{})
		if err != nil {
			t.Fatal(err)
		}
		var sizes []int
		for {
			bt, err := src.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, bt.Rows)
		}
		if !reflect.DeepEqual(sizes, []int{16, 16, 8}) {
			t.Fatalf("batch sizes %v, want [16 16 8]", sizes)
		}
	})
}

// TestCSVBatches checks batch boundaries and numbering: BatchRows rows a
// batch, FirstRow counting data rows from 1 after the extra header rows,
// and the batch reused.
func TestCSVBatches(t *testing.T) {
	n := 2*BatchRows + 5
	var b strings.Builder
	b.WriteString("i,sq\nskip me,x\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d,%d\n", i, i*i)
	}
	src, err := OpenCSV(strings.NewReader(b.String()), Options{SkipRowsAfterHeader: 1})
	if err != nil {
		t.Fatal(err)
	}
	var first []int64
	var sizes []int
	var prev *Batch
	for {
		bt, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if prev != nil && bt != prev {
			t.Error("batch not reused")
		}
		prev = bt
		first = append(first, bt.FirstRow)
		sizes = append(sizes, bt.Rows)
		for i := 0; i < bt.Rows; i++ {
			if got, want := string(bt.Cols[0].Cell(i)), fmt.Sprint(bt.FirstRow+int64(i)); got != want {
				t.Fatalf("row %d: %q", bt.FirstRow+int64(i), got)
			}
		}
	}
	if !reflect.DeepEqual(first, []int64{1, BatchRows + 1, 2*BatchRows + 1}) || !reflect.DeepEqual(sizes, []int{BatchRows, BatchRows, 5}) {
		t.Fatalf("first rows %v sizes %v", first, sizes)
	}
	if _, err := src.Next(); err != io.EOF {
		t.Fatalf("after EOF: %v", err)
	}
	in := src.Info()
	if in.Rows != int64(n) || in.HeaderRows != 2 || in.SkipRowsAfterHeader != 1 {
		t.Fatalf("info %+v", in)
	}
}

// TestCSVErrorAfterRows: rows before a bad record are delivered, then the
// error, which sticks.
func TestCSVErrorAfterRows(t *testing.T) {
	src, err := OpenCSV(strings.NewReader("a\n1\n2\n\"3\n"), Options{Name: "x.csv"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := src.Next()
	if err != nil || b.Rows != 2 {
		t.Fatalf("%v %v", b, err)
	}
	for range 2 {
		_, err = src.Next()
		var e *Error
		if !errors.As(err, &e) || e.Row != 4 || e.Column != "a" || e.File != "x.csv" {
			t.Fatalf("error %#v", err)
		}
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n > 0 {
		n := copy(p, strings.Repeat("a,b\n", len(p)/4+1)[:min(len(p), r.n)])
		r.n -= n
		return n, nil
	}
	return 0, errors.New("disk on fire")
}

func TestCSVReadError(t *testing.T) {
	for _, n := range []int{0, 10, SniffBytes + 10} {
		src, err := OpenCSV(&failingReader{n: n}, Options{Name: "f.csv"})
		if err == nil {
			_, _, err = ReadAll(src)
		}
		if err == nil || !strings.Contains(err.Error(), "f.csv: read error: disk on fire") {
			t.Fatalf("n=%d: %v", n, err)
		}
	}
}

// oneByteReader hands out one byte per Read, the worst case of a host
// that streams small chunks.
type oneByteReader struct{ b []byte }

func (r *oneByteReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = r.b[0]
	r.b = r.b[1:]
	return 1, nil
}

func TestCSVQualtricsExport(t *testing.T) {
	data, err := os.ReadFile("testdata/csv/survey_qualtrics_export.csv")
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"StartDate", "EndDate", "Status", "Progress", "Duration (in seconds)", "Finished", "RecordedDate", "ResponseId", "DistributionChannel", "UserLanguage", "Q1", "Q1_NPS_GROUP", "Q2", "Q3", "Q4"}
	for _, r := range []io.Reader{bytes.NewReader(data), &oneByteReader{data}} {
		src, err := OpenCSV(r, Options{Name: "survey_qualtrics_export.csv", SkipRowsAfterHeader: -1})
		if err != nil {
			t.Fatal(err)
		}
		h, rows, err := ReadAll(src)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(h, wantHeader) {
			t.Fatalf("header %q", h)
		}
		if len(rows) != 420 {
			t.Fatalf("%d rows, want 420", len(rows))
		}
		// First and last data rows as Python's csv module reads them.
		if want := []string{"2024-02-01 00:31:44", "2024-02-01 00:32:30", "IP Address", "100", "46", "True", "2024-02-01 00:32:30", "R_JSFgXUbKMCRSpYY", "anonymous", "EN", "10", "3", "5", "6", "Great support, thanks!"}; !reflect.DeepEqual(rows[0], want) {
			t.Fatalf("row 1 %q", rows[0])
		}
		if got := rows[419][14]; got != "Agent was helpful\nbut the fix took days" {
			t.Fatalf("row 420 Q4 %q", got)
		}
		in := src.Info()
		want := Info{Name: "survey_qualtrics_export.csv", Format: "csv", Bytes: int64(len(data)), Delimiter: ",", Encoding: "utf-8-sig", HeaderRows: 3, SkipRowsAfterHeader: 2, Rows: 420}
		if !reflect.DeepEqual(in, want) {
			t.Fatalf("info %+v", in)
		}
	}
}
