package ingest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// walkQuotedAt runs walk on a record of one selected column whose field
// opens with a quote at data[0], set up as index sets the walker up, and
// says whether walk crossed the field itself (rather than stopping at the
// quote for index to call scanner.quoted).
func walkQuotedAt(s *scanner, data []byte) bool {
	s.setSelection([]*Column{{}})
	w := &s.w
	*w = walker{data: data, win: make([]uint64, 0, 2*64), skipLF: -1, fields: s.fsel, spans: s.spans,
		stop: &s.stop, maxRow: 1, stopAt: len(data), line: 1, recLine: 1}
	w.window(0, len(data)-65, s.dmask)
	return !(w.walk() == walkQuote && w.qpos == 0)
}

// TestWalkQuotedAgrees compares walk's way across a quoted field with
// scanner.quoted's, on random fields: files of a quoted field (often
// closed, often not, quotes, line ends and delimiters inside and after
// it), then a row, must read the same with the fast path as with the
// reference parser alone — cells, line numbers in Info, warnings. And walk
// must cross the common shapes itself.
func TestWalkQuotedAgrees(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(9, 10))
	pad := strings.Repeat("x", 70)
	ref := csvConfig{bufSize: defaultBufSize, maxRecord: MaxRecordBytes, noFast: true}
	for _, delim := range []byte{',', ';', '\t'} {
		alphabet := []byte{'"', '"', '\n', '\r', delim, 'a', 'b', ' ', ',', ';', 0xC3, 0x01}
		opts := Options{Delimiter: delim, Encoding: "utf-8", Columns: []string{"a"}}
		for range 5_000 {
			field := []byte{'"'}
			for range rng.IntN(300) {
				field = append(field, alphabet[rng.IntN(len(alphabet))])
			}
			if rng.IntN(2) == 0 {
				field = append(field, '"', delim) // usually a complete field
			}
			for range rng.IntN(12) {
				field = append(field, alphabet[rng.IntN(len(alphabet))])
			}
			data := fmt.Appendf(nil, "a%cb\n%s%c%s\n1%c2\n", delim, field, delim, pad, delim)
			wh, wrows, winfo, werr := readCSV(data, opts, ref)
			for _, cfg := range []csvConfig{defaultConfig, spansConfig} {
				h, rows, info, err := readCSV(data, opts, cfg)
				if fmt.Sprint(err) != fmt.Sprint(werr) || !reflect.DeepEqual(h, wh) || !reflect.DeepEqual(rows, wrows) || !reflect.DeepEqual(info, winfo) {
					t.Fatalf("delim %q, spans %v, %q:\nfast      %q %q %v %+v\nreference %q %q %v %+v", delim, cfg.cellSpans, data, h, rows, err, info, wh, wrows, werr, winfo)
				}
			}
		}
	}
	// The shapes of free-text answers are crossed by walk.
	s := newScanner(nil, ',', nil, 0, false, 64, MaxRecordBytes)
	for _, f := range []string{`"Slow, but friendly",`, "\"Line one\nline two\"\n", "\"a\r\nb\"\r\n", `"He said ""fine""",x`, `"",`} {
		if !walkQuotedAt(s, append([]byte(f), pad...)) {
			t.Errorf("walk did not cross %q", f)
		}
	}
	// And not one it cannot end in the window, or with text after it.
	for _, f := range []string{`"open` + pad, `"a"b,`} {
		if walkQuotedAt(s, append([]byte(f), pad...)) {
			t.Errorf("walk crossed %q", f)
		}
	}
}

// TestMasksWindowAgrees compares masksWindow (SSE2 on amd64) with masks64
// and with the definition, byte by byte, on random blocks: the delimiter
// masks are equal; the special masks hold exactly the quotes and bytes
// below 0x0E, which masks64's contain (it may add false bits).
func TestMasksWindowAgrees(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(11, 12))
	for _, delim := range []byte{',', ';', '\t', '|', 0x7F, 0x01} {
		dm := uint64(delim) * lo8
		for it := range 2000 {
			blocks := 1 + it%5
			data := make([]byte, 64*blocks+1)
			for i := range data {
				switch rng.IntN(4) {
				case 0:
					data[i] = byte(rng.IntN(256))
				case 1:
					data[i] = []byte{'"', '\n', '\r', delim, 0x0D, 0x0E, 0x00, 0x80, 0x8D, 0xA2}[rng.IntN(10)]
				default:
					data[i] = byte('a' + rng.IntN(26))
				}
			}
			win := make([]uint64, 2*blocks)
			masksWindow(win, data, dm)
			for b := range blocks {
				block := data[64*b:]
				d, s := masks64(block, dm)
				var wantD, wantS uint64
				for j := range 64 {
					if c := block[j]; c == delim {
						wantD |= 1 << j
					}
					if c := block[j]; c == '"' || c < 0x0E {
						wantS |= 1 << j
					}
				}
				if win[2*b] != wantD || d != wantD {
					t.Fatalf("delim %q block %q: delimiters %x (masks64 %x), want %x", delim, block[:64], win[2*b], d, wantD)
				}
				if win[2*b+1] != wantS && win[2*b+1] != s || s&wantS != wantS {
					t.Fatalf("delim %q block %q: specials %x (masks64 %x), want %x", delim, block[:64], win[2*b+1], s, wantS)
				}
			}
		}
	}
}

// TestCopyShortAgrees compares copyShort (hand-written WebAssembly in the
// wasm build) with copyShortGo on random spans around its limits: starts
// below 0 (quoted cells), at and past the end of the buffer less 32,
// lengths of 32 and 33, and destinations that fill up.
func TestCopyShortAgrees(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(13, 14))
	for it := range 3000 {
		buf := make([]byte, 32+rng.IntN(200))
		for i := range buf {
			buf[i] = byte(rng.IntN(256))
		}
		spans := make([]uint64, rng.IntN(40))
		for i := range spans {
			a := rng.IntN(len(buf)+8) - 4
			if rng.IntN(20) == 0 {
				a = len(buf) - 32 + rng.IntN(3) - 1
			}
			b := a + rng.IntN(36)
			if rng.IntN(30) == 0 {
				b = a - 1
			}
			spans[i] = span(a, b)
		}
		dlen := 32 + rng.IntN(400)
		ends := make([]int32, len(spans)-rng.IntN(len(spans)+1)/4)
		o := rng.IntN(dlen - 31)
		d1, d2 := make([]byte, dlen), make([]byte, dlen)
		e1, e2 := slices.Clone(ends), slices.Clone(ends)
		o1, i1 := copyShort(d1, o, e1, spans, buf)
		o2, i2 := copyShortGo(d2, o, e2, spans, buf)
		if o1 != o2 || i1 != i2 || !slices.Equal(e1[:i1], e2[:i2]) || !bytes.Equal(d1[:o1], d2[:o2]) {
			t.Fatalf("iteration %d: copyShort = %d, %d, %v; copyShortGo = %d, %d, %v", it, o1, i1, e1[:i1], o2, i2, e2[:i2])
		}
	}
}

// TestWalkAgrees compares walk (walkAsm, then walkGo for what it leaves,
// on amd64 and wasm) with walkGo alone, from the same walker, on random
// records of a few columns, some selected: rows of the header's count of
// fields or not, empty lines, CRLF and lone CRs, quoted fields with pairs
// and line ends, literal quotes, and control bytes. The walkers must stop
// for the same reason with the same state — spans, window, counters —
// window after window until one stops for index.
func TestWalkAgrees(t *testing.T) {
	t.Parallel()
	checkWalkAgrees(t)
}

// checkWalkAgrees is TestWalkAgrees's check.
func checkWalkAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	pieces := []string{"a", "bc", "12", "", "\"q\"", "\"x,y\"", "\"he said \"\"hi\"\"\"", "\"l1\nl2\"", "\"c\r\nd\"", "5\"", "\x01", "é", "\"open", "\"a\"b"}
	for it := range 4000 {
		delim := []byte{',', ';', '\t'}[it%3]
		ncols := 1 + rng.IntN(9)
		var b []byte
		for range 1 + rng.IntN(40) {
			n := ncols
			if rng.IntN(15) == 0 {
				n = rng.IntN(ncols + 3)
			}
			for j := range n {
				if j > 0 {
					b = append(b, delim)
				}
				b = append(b, pieces[rng.IntN(len(pieces))]...)
			}
			b = append(b, []string{"\n", "\n", "\n", "\r\n", "\r", "\n\n"}[rng.IntN(6)]...)
		}
		b = append(b, strings.Repeat("z", 130)...)
		cols := make([]*Column, ncols)
		for j := range cols {
			if rng.IntN(3) > 0 {
				cols[j] = &Column{}
			}
		}
		s := newScanner(nil, delim, nil, 0, false, 64, MaxRecordBytes)
		s.setSelection(cols)
		limit := len(b) - 65
		// Stop after a few rows, or a few bytes, now and then.
		maxRow, stopAt := s.spanRows, len(b)
		if rng.IntN(4) == 0 {
			maxRow = 1 + rng.IntN(s.spanRows)
		}
		if rng.IntN(4) == 0 {
			stopAt = rng.IntN(len(b))
		}
		start := func() *walker {
			w := &walker{data: b, win: make([]uint64, 0, 2*64), skipLF: -1, fields: s.fsel, spans: slices.Clone(s.spans),
				stop: &s.stop, maxRow: maxRow, stopAt: stopAt, line: 1, recLine: 1}
			w.window(0, limit, s.dmask)
			return w
		}
		w1, w2 := start(), start()
		for step := 0; ; step++ {
			r1, r2 := w1.walk(), w2.walkGo()
			w1.stepped = false                                          // walk's own bookkeeping of its steps in walkGo
			w1.spans[len(w1.spans)-1], w2.spans[len(w2.spans)-1] = 0, 0 // the trash slot
			if r1 != r2 || !reflect.DeepEqual(w1, w2) {
				t.Fatalf("iteration %d, step %d, %q, selected %v: walk %d, walkGo %d%s", it, step, b, s.fsel, r1, r2, walkerDiff(w1, w2))
			}
			if r1 != walkMasks {
				break
			}
			next := w1.mbase + 32*len(w1.win)
			if next > limit {
				break
			}
			w1.window(next, limit, s.dmask)
			w2.window(next, limit, s.dmask)
		}
	}
}

// walkerDiff lists the fields in which two walkers differ.
func walkerDiff(a, b *walker) string {
	var out strings.Builder
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := range va.NumField() {
		if x, y := va.Field(i), vb.Field(i); !reflect.DeepEqual(fmt.Sprint(x), fmt.Sprint(y)) {
			fmt.Fprintf(&out, "\n%s: %v != %v", va.Type().Field(i).Name, x, y)
		}
	}
	return out.String()
}

// TestSpansAfterRecord: in a batch of spans, the fast path appends after
// the rows the reference parser put in the batch before it, whatever
// their number, and leaves those rows alone.
func TestSpansAfterRecord(t *testing.T) {
	data := surveyCSV(300)
	body := data[bytes.IndexByte(data, '\n')+1:]
	_, want, _, err := readCSV(data, Options{}, csvConfig{bufSize: defaultBufSize, maxRecord: MaxRecordBytes, noFast: true})
	if err != nil {
		t.Fatal(err)
	}
	for first := range 4 {
		cols := make([]*Column, len(want[0]))
		for i := range cols {
			if i%2 == 0 {
				cols[i] = new(Column)
			}
		}
		s := newScanner(nil, ',', body, len(body), true, len(body), MaxRecordBytes)
		s.cellSpans = true
		s.setSelection(cols)
		s.openSpans()
		for range first {
			if st := s.record(modeRow, cols, nil); st != recOK {
				t.Fatalf("record: %d", st)
			}
		}
		rows := first + s.fast(BatchRows-first, MaxBatchBytes)
		s.closeSpans()
		if rows < 200 {
			t.Fatalf("first %d: only %d rows", first, rows)
		}
		for i := range rows {
			for j, c := range cols {
				if c != nil && string(c.Cell(i)) != want[i][j] {
					t.Fatalf("first %d: row %d column %d is %q, want %q", first, i, j, c.Cell(i), want[i][j])
				}
			}
		}
	}
}

// TestSpansManyColumns: with more selected columns than maxSpanCols the
// reader copies the cells (a batch of spans would take 32 KiB a column),
// and reads the same.
func TestSpansManyColumns(t *testing.T) {
	for _, ncol := range []int{maxSpanCols, maxSpanCols + 1} {
		var b strings.Builder
		for j := range ncol {
			fmt.Fprintf(&b, "c%d,", j)
		}
		b.WriteString("last\n")
		for i := range 50 {
			for j := range ncol + 1 {
				fmt.Fprintf(&b, "%d,", i*j)
			}
			b.WriteString("x\n")
		}
		data := []byte(b.String())
		var cols []string
		for j := range ncol {
			cols = append(cols, fmt.Sprintf("c%d", j))
		}
		src, err := OpenCSV(bytes.NewReader(data), Options{Columns: cols, CellSpans: true})
		if err != nil {
			t.Fatal(err)
		}
		batch, err := src.Next()
		if err != nil {
			t.Fatal(err)
		}
		if spans := batch.Cols[0].form == formSpans; spans != (ncol <= maxSpanCols) {
			t.Errorf("%d columns: spans %v", ncol, spans)
		}
		if got := string(batch.Cols[ncol-1].Cell(49)); got != fmt.Sprint(49*(ncol-1)) {
			t.Errorf("%d columns: last cell %q", ncol, got)
		}
	}
}

// TestSpansOfText: a column that is not spans of a reader's buffer —
// text, or a form turned into text — gives spans of its arena.
func TestSpansOfText(t *testing.T) {
	cells := []string{"7", "", "in_app", "2024-03-15T10:00:00Z", ""}
	var c Column
	for _, v := range cells {
		c.AppendString(v)
	}
	d := &Dict{Text: []byte("abcd"), Ends: []int32{1, 4}}
	coded := Column{form: formCoded, dict: d, codes: []int32{1, -1, 0}}
	for _, tc := range []struct {
		col  *Column
		want []string
	}{{&c, cells}, {&coded, []string{"bcd", "", "a"}}} {
		for range 2 { // twice: the spans are made again
			buf, spans := tc.col.Spans()
			var got []string
			for _, sp := range spans {
				a, b := SpanBounds(sp)
				got = append(got, string(buf[a:b]))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("spans give %q, want %q", got, tc.want)
			}
		}
	}
}
