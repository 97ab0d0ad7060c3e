package ingest

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// skipQuotedAt runs walker.skipQuoted on a field opening at data[0], set
// up as index sets the walker up when walk stops at the quote.
func skipQuotedAt(s *scanner, data []byte) (int, int64, int, bool) {
	w := &walker{data: data, win: make([]uint64, 0, 2*64), skipLF: -1}
	w.window(0, len(data)-65, s.dmask)
	w.sp &= w.sp - 1 // walk has taken the opening quote
	return w.skipQuoted(&s.stop)
}

// TestSkipQuotedAgrees compares walker.skipQuoted, the fast path's way
// across a quoted field, with scanner.quoted on random fields: whenever
// skipQuoted answers, it must give quoted's answer, and it must answer for
// the common shapes.
func TestSkipQuotedAgrees(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(9, 10))
	pad := []byte(strings.Repeat("x", 70))
	for _, delim := range []byte{',', ';', '\t'} {
		s := newScanner(nil, delim, nil, 0, false, 64, MaxRecordBytes)
		alphabet := []byte{'"', '"', '\n', '\r', delim, 'a', 'b', ' ', ',', ';', 0xC3, 0x01}
		answered := 0
		for range 50_000 {
			data := []byte{'"'}
			for range rng.IntN(300) {
				data = append(data, alphabet[rng.IntN(len(alphabet))])
			}
			if rng.IntN(2) == 0 {
				data = append(data, '"', delim) // usually a complete field
			}
			for range rng.IntN(12) {
				data = append(data, alphabet[rng.IntN(len(alphabet))])
			}
			data = append(data, pad...)
			q, lines, flags, ok := skipQuotedAt(s, data)
			if !ok {
				continue
			}
			answered++
			wq, wlines, wflags, st := s.quoted(data, 0, nil, false, 0, 1)
			if st != recOK || q != wq || lines != wlines || flags != wflags {
				t.Fatalf("delim %q, %q: skipQuoted = %d, %d, %d; quoted = %d, %d, %d, status %d", delim, data, q, lines, flags, wq, wlines, wflags, st)
			}
		}
		if answered < 1000 {
			t.Fatalf("delim %q: skipQuoted answered only %d times", delim, answered)
		}
	}
	// The shapes of free-text answers are answered.
	s := newScanner(nil, ',', nil, 0, false, 64, MaxRecordBytes)
	for _, f := range []string{`"Slow, but friendly",`, "\"Line one\nline two\"\n", "\"a\r\nb\"\r\n", `"He said ""fine""",x`, `"",`} {
		if _, _, _, ok := skipQuotedAt(s, append([]byte(f), pad...)); !ok {
			t.Errorf("skipQuoted(%q) did not answer", f)
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
