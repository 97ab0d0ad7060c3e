package ingest

import (
	"bytes"
	"cmp"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

func TestSniffEncoding(t *testing.T) {
	cases := []struct {
		in    string
		atEOF bool
		enc   string
		bom   int
	}{
		{"a,b\n", true, "utf-8", 0},
		{"", true, "utf-8", 0},
		{"\xEF\xBB\xBFa", true, "utf-8-sig", 3},
		{"\xFF\xFEa\x00", true, "utf-16le", 2},
		{"\xFE\xFF\x00a", true, "utf-16be", 2},
		{"caf\xC3\xA9", true, "utf-8", 0},
		{"caf\xE9", true, "windows-1252", 0},
		{"caf\xC3", false, "utf-8", 0},       // cut in the middle of é: more follows
		{"caf\xC3", true, "windows-1252", 0}, // the file ends there: invalid
		{"caf\xE2\x82", false, "utf-8", 0},   // cut in the middle of €
		{"\x80 5", false, "windows-1252", 0}, // a lone continuation byte
		{"x\xF0\x9F\x98", false, "utf-8", 0}, // cut in the middle of an emoji
		{"x\xF0\x9F\x98\x80", true, "utf-8", 0},
	}
	for _, tc := range cases {
		enc, bom := sniffEncoding([]byte(tc.in), tc.atEOF)
		if enc != tc.enc || bom != tc.bom {
			t.Errorf("%q atEOF=%v: %s %d, want %s %d", tc.in, tc.atEOF, enc, bom, tc.enc, tc.bom)
		}
	}
}

func TestNormEncoding(t *testing.T) {
	for in, want := range map[string]string{
		"UTF-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8-sig", "UTF_16LE": "utf-16le",
		"utf-16": "utf-16le", "UTF-16BE": "utf-16be", "cp1252": "windows-1252", "Windows-1252": "windows-1252",
		"latin-1": "windows-1252", " ISO-8859-1 ": "windows-1252",
	} {
		if got, ok := normEncoding(in); !ok || got != want {
			t.Errorf("%q: %q %v", in, got, ok)
		}
	}
	if _, ok := normEncoding("shift-jis"); ok {
		t.Error("shift-jis accepted")
	}
}

// sample is text with 1-, 2-, 3- and 4-byte characters.
const sample = "id;comment\r\n1;Café “quoted” – 5 € ’\r\n2;日本語 😀 ok\r\n"

func TestDecodeUTF16Chunked(t *testing.T) {
	for _, be := range []bool{false, true} {
		raw := utf16String(sample, be, false)
		conv := decodeUTF16LE
		if be {
			conv = decodeUTF16BE
		}
		for _, r := range []io.Reader{
			strings.NewReader(raw),
			iotest.OneByteReader(strings.NewReader(raw)),
			iotest.HalfReader(strings.NewReader(raw)),
			iotest.DataErrReader(strings.NewReader(raw)),
		} {
			got, err := io.ReadAll(newTranscoder(r, conv))
			if err != nil || string(got) != sample {
				t.Fatalf("be=%v: %q %v", be, got, err)
			}
		}
	}
}

func TestDecode1252(t *testing.T) {
	var all []byte
	for c := 0; c < 256; c++ {
		all = append(all, byte(c))
	}
	got, err := io.ReadAll(newTranscoder(iotest.OneByteReader(bytes.NewReader(all)), decode1252))
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(got) || utf8.RuneCount(got) != 256 {
		t.Fatalf("%d runes", utf8.RuneCount(got))
	}
	runes := []rune(string(got))
	// Reference: the WHATWG index for windows-1252.
	for c, want := range map[int]rune{0x41: 'A', 0x80: '€', 0x81: 0x81, 0x85: '…', 0x92: '’', 0x93: '“', 0x96: '–', 0x9F: 'Ÿ', 0xA0: 0xA0, 0xE9: 'é', 0xFF: 'ÿ'} {
		if runes[c] != want {
			t.Errorf("0x%02X → %U, want %U", c, runes[c], want)
		}
	}
}

// TestUTF8CheckerChunked: the count of invalid sequences does not depend
// on where reads split the stream.
func TestUTF8CheckerChunked(t *testing.T) {
	text := []byte(strings.Repeat(sample, 3) + "bad \xff \xC3( \xE2\x82 \xF0\x9F\x98 \x80" + sample + "end\xE2\x82")
	want := countInvalidUTF8(text)
	if want != 10 { // each byte not part of a valid character
		t.Fatalf("reference count %d", want)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	// Long ASCII runs before and between the bad bytes, and reads of up
	// to 300 bytes, so that asciiPrefix skips whole blocks.
	long := []byte(strings.Repeat("plain ascii text, 64 bytes and more; ", 9) + string(text) + strings.Repeat("x", 200) + "\xff")
	for _, c := range []struct {
		text  []byte
		want  int64
		reads int
	}{{text, want, 8}, {long, want + 1, 300}} {
		for range 200 {
			ch := &utf8Checker{r: &randomChunkReader{b: c.text, rng: rng, max: c.reads}}
			got, err := io.ReadAll(ch)
			if err != nil || !bytes.Equal(got, c.text) {
				t.Fatal("data changed", err)
			}
			if ch.invalid != c.want {
				t.Fatalf("reads of up to %d bytes: invalid %d, want %d", c.reads, ch.invalid, c.want)
			}
		}
	}
}

// TestASCIIPrefix puts one byte of 0x80 or more at every place of a
// buffer of ASCII: the prefix is the whole blocks before its block.
func TestASCIIPrefix(t *testing.T) {
	for n := range 200 {
		b := bytes.Repeat([]byte{0x7F}, n)
		if got := asciiPrefix(b); got != n/64*64 {
			t.Fatalf("%d ASCII bytes: %d, want %d", n, got, n/64*64)
		}
		for at := range n {
			for _, c := range []byte{0x80, 0xC3, 0xFF} {
				b[at] = c
				if got := asciiPrefix(b); got != min(at/64*64, n/64*64) {
					t.Fatalf("%d bytes, 0x%02X at %d: %d, want %d", n, c, at, got, min(at/64*64, n/64*64))
				}
			}
			b[at] = 'a'
		}
	}
}

// randomChunkReader returns random-sized reads (0 to max-1 bytes; max 0:
// 8), then EOF.
type randomChunkReader struct {
	b   []byte
	rng *rand.Rand
	max int
}

func (r *randomChunkReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(r.b), r.rng.IntN(cmp.Or(r.max, 8)))
	copy(p, r.b[:n])
	r.b = r.b[n:]
	return n, nil
}

// TestCSVChunkedReads reads every encoding through a reader that returns
// tiny, random chunks.
func TestCSVChunkedReads(t *testing.T) {
	latin := "id;comment\r\n1;Caf\xe9 \x93quoted\x94 \x96 5 \x80 \x92\r\n"
	inputs := map[string]string{
		"utf-8":        sample,
		"utf-8-sig":    "\xEF\xBB\xBF" + sample,
		"utf-16le":     utf16String(sample, false, true),
		"utf-16be":     utf16String(sample, true, true),
		"windows-1252": latin,
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for enc, in := range inputs {
		for range 20 {
			src, err := OpenCSV(&randomChunkReader{b: []byte(in), rng: rng}, Options{})
			if err != nil {
				t.Fatal(enc, err)
			}
			h, rows, err := ReadAll(src)
			if err != nil {
				t.Fatal(enc, err)
			}
			if info := src.Info(); info.Encoding != enc || info.Delimiter != ";" || info.Bytes != int64(len(in)) {
				t.Fatalf("%s: info %+v", enc, info)
			}
			if len(h) != 2 || h[0] != "id" || len(rows) == 0 || rows[0][1] != "Café “quoted” – 5 € ’" {
				t.Fatalf("%s: %q %q", enc, h, rows)
			}
		}
	}
}
