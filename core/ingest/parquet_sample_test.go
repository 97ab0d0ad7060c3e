package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golang/snappy"
)

// snappyBlocks are Snappy blocks of the shapes a page takes: empty, one
// byte, text with long repeats (copies that overlap what they write),
// incompressible bytes (literals with 1- to 3-byte lengths), and a page
// of little-endian integers; all encoded by github.com/golang/snappy.
func snappyBlocks() map[string][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 100_000)
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	var text, ints bytes.Buffer
	words := []string{"great ", "support, ", "slow reply ", "\"quoted\" ", "é ", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}
	for text.Len() < 300_000 {
		text.WriteString(words[r.IntN(len(words))])
	}
	for i := range 50_000 {
		v := uint32(r.IntN(11))
		if i%1000 == 0 {
			v = uint32(i)
		}
		ints.Write([]byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)})
	}
	plain := map[string][]byte{
		"empty":  nil,
		"one":    {'x'},
		"run":    bytes.Repeat([]byte{7}, 70_000),
		"text":   text.Bytes(),
		"random": random,
		"ints":   ints.Bytes(),
	}
	blocks := map[string][]byte{}
	for name, b := range plain {
		blocks[name] = snappy.Encode(nil, b)
	}
	// golang/snappy writes no 4-byte-offset copy and no literal with a
	// 4-byte length; the format has both.
	blocks["copy4"] = []byte{9, 3 << 2, 'a', 'b', 'c', 'd', 4<<2 | 3, 4, 0, 0, 0} // "abcd" + copy 5 from 4 back
	blocks["literal4"] = append([]byte{3, 63 << 2, 2, 0, 0, 0}, "xyz"...)         // a literal of 3 bytes, its length in 4 bytes
	blocks["overlap1"] = []byte{20, 0, 'z', 2<<2 | 2, 1, 0, 15<<2 | 2, 1, 0}      // "z", then 3 and 16 copies of it, each 1 back
	blocks["copy1"] = []byte{12, 1 << 2, 'a', 'b', 3<<2 | 1, 2, 2<<2 | 2, 1, 0}   // "ab", 7 bytes from 2 back, 3 from 1 back
	return blocks
}

// TestSnappyPrefix: every prefix of a block, asked for at once or in
// steps, is the block's decoded bytes up to there, and decoding all of it
// equals github.com/golang/snappy's Decode.
func TestSnappyPrefix(t *testing.T) {
	for name, block := range snappyBlocks() {
		t.Run(name, func(t *testing.T) {
			want, err := snappy.Decode(nil, block)
			if err != nil {
				t.Fatalf("golang/snappy: %v", err)
			}
			var z snappyPrefix
			if err := z.reset(nil, block, len(block), len(want), nil); err != nil {
				t.Fatal(err)
			}
			if err := z.extend(len(want)); err != nil || !bytes.Equal(z.dst, want) {
				t.Fatalf("whole block: %v, %d of %d bytes equal", err, commonPrefix(z.dst, want), len(want))
			}
			// At once, from fresh.
			for _, n := range []int{0, 1, 2, 3, 17, 64, 65, 1000, len(want) / 3, len(want) - 1, len(want), len(want) + 9} {
				var z snappyPrefix
				if err := z.reset(make([]byte, 3), block, len(block), len(want), nil); err != nil {
					t.Fatal(err)
				}
				if err := z.extend(n); err != nil {
					t.Fatalf("extend(%d): %v", n, err)
				}
				if len(z.dst) < min(n, len(want)) || !bytes.Equal(z.dst, want[:len(z.dst)]) {
					t.Fatalf("extend(%d): %d bytes, %d equal", n, len(z.dst), commonPrefix(z.dst, want))
				}
			}
			// Read as it goes: from its first byte on, through more.
			for _, first := range []int{1, 6, 100} {
				reads := 0
				more := func(end int) ([]byte, error) {
					reads++
					if end > len(block) || end <= first {
						t.Fatalf("more(%d) of a block of %d bytes, given %d", end, len(block), first)
					}
					return block[:end], nil
				}
				var z snappyPrefix
				if err := z.reset(nil, block[:min(first, len(block))], len(block), len(want), more); err != nil {
					t.Fatal(err)
				}
				for _, n := range []int{1, 100, len(want) / 2, len(want)} {
					if err := z.extend(n); err != nil || len(z.dst) < min(n, len(want)) || !bytes.Equal(z.dst, want[:len(z.dst)]) {
						t.Fatalf("first %d bytes, extend(%d): %v, %d bytes, %d equal", first, n, err, len(z.dst), commonPrefix(z.dst, want))
					}
				}
				if len(block) > 2*first && reads == 0 {
					t.Fatalf("first %d bytes of %d: never read on", first, len(block))
				}
			}
			// A failing read on is the error, not a corrupt block.
			if len(block) > 8 {
				var z snappyPrefix
				failed := errors.New("disk gone")
				if err := z.reset(nil, block[:6], len(block), len(want), func(int) ([]byte, error) { return nil, failed }); err != nil {
					t.Fatal(err)
				}
				if err := z.extend(len(want)); err != failed {
					t.Fatalf("a failing read: %v", err)
				}
			}
			// In steps, each on from the last: earlier bytes stay in place.
			r := rand.New(rand.NewPCG(5, uint64(len(block))))
			if err := z.reset(nil, block, len(block), len(want), nil); err != nil {
				t.Fatal(err)
			}
			var first []byte
			for n := 0; n <= len(want); n += 1 + r.IntN(4000) {
				if err := z.extend(n); err != nil {
					t.Fatalf("extend(%d) in steps: %v", n, err)
				}
				if first == nil && len(z.dst) > 0 {
					first = z.dst[:1]
				}
				if !bytes.Equal(z.dst, want[:len(z.dst)]) || (first != nil && &first[0] != &z.dst[0]) {
					t.Fatalf("extend(%d) in steps: %d bytes, %d equal", n, len(z.dst), commonPrefix(z.dst, want))
				}
			}
		})
	}
}

func commonPrefix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// TestSnappyPrefixCorrupt: a damaged block is refused where
// github.com/golang/snappy refuses it, once decoding reaches the damage.
func TestSnappyPrefixCorrupt(t *testing.T) {
	cases := map[string][]byte{
		"offset 0":            {4, 0, 'a', 0<<2 | 1, 0},
		"offset past start":   {6, 0, 'a', 1<<2 | 2, 2, 0},
		"copy past the end":   {3, 0, 'a', 3<<2 | 2, 1, 0},
		"literal past input":  {5, 4 << 2, 'a'},
		"literal past output": {1, 1 << 2, 'a', 'b'},
		"trailing bytes":      {1, 0, 'a', 0, 'b'},
		"cut tag":             {4, 0, 'a', 1<<2 | 2, 1},
		"short":               {3, 0, 'a'},
		"size mismatch":       append([]byte{5}, snappy.Encode(nil, []byte("abcd"))[1:]...),
		"size past the ratio": {0x80, 0x80, 0x04, 0, 'a'}, // 65 536 bytes from 5: no Snappy block expands so far
	}
	for name, block := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := snappy.Decode(nil, block); err == nil {
				t.Fatalf("golang/snappy accepts %v", block)
			}
			n, k := uvarint(block)
			var z snappyPrefix
			err := z.reset(nil, block, len(block), n, nil)
			if name == "size past the ratio" && (err == nil || !strings.Contains(err.Error(), "cannot decompress to the 65536 bytes") || z.dst != nil) {
				t.Fatalf("refused before allocating: %v, %d bytes", err, cap(z.dst))
			}
			if k > 0 && err == nil {
				err = z.extend(n)
			}
			if err == nil {
				t.Fatalf("accepted: %q", z.dst)
			}
		})
	}
}

func uvarint(b []byte) (int, int) {
	n, k := 0, 0
	for shift := 0; k < len(b); shift += 7 {
		n |= int(b[k]&0x7f) << shift
		k++
		if b[k-1] < 0x80 {
			return n, k
		}
	}
	return n, 0
}

// FuzzSnappyPrefix: on any bytes, decoding the whole block succeeds
// exactly when github.com/golang/snappy's Decode does, with the same
// bytes; a prefix of a good block is the start of its bytes.
func FuzzSnappyPrefix(f *testing.F) {
	for _, b := range snappyBlocks() {
		if len(b) < 4<<10 {
			f.Add(b, 5)
		}
	}
	f.Fuzz(func(t *testing.T, block []byte, n int) {
		size, k := uvarint(block)
		if k <= 0 || size > maxPageBytes || size < 0 {
			return // before golang/snappy allocates what the block declares
		}
		want, werr := snappy.Decode(nil, block)
		var z snappyPrefix
		err := z.reset(nil, block, len(block), size, nil)
		if err == nil {
			err = z.extend(size)
		}
		if (err == nil) != (werr == nil) {
			t.Fatalf("whole: %v, golang/snappy: %v", err, werr)
		}
		if werr != nil {
			return
		}
		if !bytes.Equal(z.dst, want) {
			t.Fatalf("%d of %d bytes equal", commonPrefix(z.dst, want), len(want))
		}
		if err := z.reset(nil, block, len(block), size, nil); err != nil {
			t.Fatal(err)
		}
		if err := z.extend(n); err != nil || !bytes.Equal(z.dst, want[:len(z.dst)]) || len(z.dst) < min(max(n, 0), size) {
			t.Fatalf("extend(%d): %v, %d bytes", n, err, len(z.dst))
		}
	})
}

// TestParquetLimit: a source with Options.Limit gives exactly the first
// Limit rows of the file (all of them when it has fewer), whatever the
// writer, page version, encoding and codec, and limits that end within a
// page, at a page's or row group's end, and past the file. Reading Snappy
// pages for a sample decodes less than the pages hold.
func TestParquetLimit(t *testing.T) {
	for _, window := range []int{sampleWindow, 7} {
		t.Run(fmt.Sprintf("window=%d", window), func(t *testing.T) {
			defer func(w int) { sampleWindow = w }(sampleWindow)
			sampleWindow = window
			testParquetLimit(t)
		})
	}
}

func testParquetLimit(t *testing.T) {
	// Snappy files whose first rows are a small part of their pages, in
	// encodings the sample cuts (dictionary indexes, plain values; the
	// delta encodings are decoded whole): v1 and v2, nulls or none.
	cutBy := map[string]bool{"hyparquet_mixed_snappy.parquet": true, "arrow_mixed_v2_dict_snappy.parquet": true, "arrow_mixed_v1_dict_snappy.parquet": true, "tickets_main.parquet": true, "survey_main.parquet": true, "events_main.parquet": true}
	var files []string
	for _, e := range loadManifest(t) {
		if e.Error == "" && e.NumRows > 0 {
			files = append(files, filepath.Join("testdata/parquet", e.File))
		}
	}
	oracle, _ := filepath.Glob("../../testdata/oracle/*.parquet")
	files = append(files, oracle...)
	for _, path := range files {
		src, _, err := openFixture(t, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		header, all, err := ReadAll(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, limit := range []int{1, 2, 5, 7, 39, 40, 41, 63, 119, 120, 121, 500, 2000} {
			t.Run(fmt.Sprintf("%s/%d", filepath.Base(path), limit), func(t *testing.T) {
				src, _, err := openFixture(t, path, Options{Limit: limit})
				if err != nil {
					t.Fatal(err)
				}
				h, rows, err := ReadAll(src)
				if err != nil {
					t.Fatal(err)
				}
				n := min(limit, len(all))
				if strings.Join(h, "|") != strings.Join(header, "|") || len(rows) != n || src.Info().Rows != int64(n) {
					t.Fatalf("%d rows (info %d), want %d", len(rows), src.Info().Rows, n)
				}
				for i := range rows {
					if strings.Join(rows[i], "|") != strings.Join(all[i], "|") {
						t.Fatalf("row %d: %q, want %q", i+1, rows[i], all[i])
					}
				}
				decoded, size := 0, 0
				for _, c := range src.(*pqSource).cols {
					decoded += len(c.sample.dst)
					size += c.sample.size
				}
				// The oracle files' pages hold hundreds of rows; the
				// fixtures' 40 rows have levels and headers to decode.
				if most := map[bool]int{true: 4, false: 1}[strings.HasSuffix(path, "_main.parquet")]; limit <= 7 && cutBy[filepath.Base(path)] && (size == 0 || decoded*most >= size) {
					t.Errorf("the sample's pages: %d of their %d bytes decoded, want under 1/%d", decoded, size, most)
				}
			})
		}
	}
}

func hasCodec(codecs []string, c string) bool {
	for _, x := range codecs {
		if x == c {
			return true
		}
	}
	return false
}
