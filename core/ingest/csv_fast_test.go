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
			h, rows, info, err := readCSV(data, opts, defaultConfig)
			wh, wrows, winfo, werr := readCSV(data, opts, ref)
			if fmt.Sprint(err) != fmt.Sprint(werr) || !reflect.DeepEqual(h, wh) || !reflect.DeepEqual(rows, wrows) || !reflect.DeepEqual(info, winfo) {
				t.Fatalf("delim %q, %q:\nfast      %q %q %v %+v\nreference %q %q %v %+v", delim, data, h, rows, err, info, wh, wrows, werr, winfo)
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
