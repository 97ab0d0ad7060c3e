package ingest

import (
	"encoding/binary"
	"io"
	"strings"
	"unicode/utf8"
)

// Text encodings the CSV reader understands. Everything is converted to
// UTF-8 before parsing, so the scanner only ever sees UTF-8 and the cell
// parsers (core/cell) need not care where a file came from.
//
// The decoders are written here rather than taken from golang.org/x/text
// to keep the module's dependencies (and the wasm binary) small: UTF-16 is a
// few lines on top of unicode/utf8, and Windows-1252 is Latin-1 plus a
// 32-entry table.
const (
	encUTF8        = "utf-8"
	encUTF8BOM     = "utf-8-sig"
	encUTF16LE     = "utf-16le"
	encUTF16BE     = "utf-16be"
	encWindows1252 = "windows-1252"
)

// normEncoding maps the names users and tools write for the supported
// encodings to the canonical ones above; ok is false for anything else.
// Latin-1 is read as Windows-1252, as browsers do (WHATWG Encoding
// Standard): the two differ only in 0x80–0x9F, which are C1 control codes
// in Latin-1 and never meant as such in a CSV.
func normEncoding(s string) (string, bool) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = strings.NewReplacer("-", "", "_", "", " ", "").Replace(k)
	switch k {
	case "utf8":
		return encUTF8, true
	case "utf8sig", "utf8bom":
		return encUTF8BOM, true
	case "utf16le", "utf16":
		return encUTF16LE, true
	case "utf16be":
		return encUTF16BE, true
	case "windows1252", "cp1252", "latin1", "iso88591", "l1", "ansi":
		return encWindows1252, true
	}
	return "", false
}

// Byte order marks.
var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// sniffEncoding decides the encoding of a file from its first bytes and
// returns the length of the byte order mark to drop.
//
// Rule: a BOM decides (UTF-8, UTF-16 LE, UTF-16 BE). Without one, the prefix
// is UTF-8 if it is valid UTF-8 (an incomplete character cut off at the end
// of the prefix is ignored unless the file ends there), else Windows-1252 —
// the encoding Excel on Windows writes "CSV" in, and the only common one
// in which any byte sequence is valid, so reading never fails.
func sniffEncoding(prefix []byte, atEOF bool) (enc string, bom int) {
	switch {
	case hasPrefix(prefix, bomUTF8):
		return encUTF8BOM, 3
	case hasPrefix(prefix, bomUTF16LE):
		return encUTF16LE, 2
	case hasPrefix(prefix, bomUTF16BE):
		return encUTF16BE, 2
	}
	p := prefix
	if !atEOF {
		p = p[:completeLen(p)]
	}
	if utf8.Valid(p) {
		return encUTF8, 0
	}
	return encWindows1252, 0
}

// bomLen returns the length of the byte order mark of enc at the start of
// prefix (0 if there is none). A BOM is never data, so it is dropped even
// when the user names the encoding.
func bomLen(enc string, prefix []byte) int {
	switch enc {
	case encUTF8, encUTF8BOM:
		if hasPrefix(prefix, bomUTF8) {
			return 3
		}
	case encUTF16LE:
		if hasPrefix(prefix, bomUTF16LE) {
			return 2
		}
	case encUTF16BE:
		if hasPrefix(prefix, bomUTF16BE) {
			return 2
		}
	}
	return 0
}

func hasPrefix(b, p []byte) bool { return len(b) >= len(p) && string(b[:len(p)]) == string(p) }

// completeLen returns the length of b without a trailing incomplete UTF-8
// sequence (a lead byte whose continuation bytes have not arrived yet).
// Invalid bytes are not cut: they are invalid whatever follows.
func completeLen(b []byte) int {
	n := len(b)
	for i := n - 1; i >= 0 && i >= n-3; i-- {
		if c := b[i]; c&0xC0 != 0x80 { // a lead or ASCII byte
			if !utf8.FullRune(b[i:]) {
				return i
			}
			return n
		}
	}
	return n
}

// asciiPrefix returns the length of b's longest prefix of whole 64-byte
// blocks that are all ASCII. It tests a block with one OR of its eight
// words, where utf8.Valid tests 8 bytes at a time: the check of 256 KiB
// of the bench survey went from 13–18 to 34 GB/s natively (utf8.Valid was
// 2.5% of the native CLI's time on it).
func asciiPrefix(b []byte) int {
	i := 0
	for ; i <= len(b)-64; i += 64 {
		c := (*[64]byte)(b[i : i+64])
		x := binary.LittleEndian.Uint64(c[0:]) | binary.LittleEndian.Uint64(c[8:]) |
			binary.LittleEndian.Uint64(c[16:]) | binary.LittleEndian.Uint64(c[24:]) |
			binary.LittleEndian.Uint64(c[32:]) | binary.LittleEndian.Uint64(c[40:]) |
			binary.LittleEndian.Uint64(c[48:]) | binary.LittleEndian.Uint64(c[56:])
		if x&hi8 != 0 {
			break
		}
	}
	return i
}

// countInvalidUTF8 counts the invalid sequences in b as utf8.DecodeRune
// sees them: each byte that is not part of a valid character counts once.
func countInvalidUTF8(b []byte) int64 {
	var n int64
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			n++
		}
		b = b[size:]
	}
	return n
}

// utf8Checker passes a UTF-8 stream through unchanged while counting its
// invalid sequences. Files are sniffed as UTF-8 from their first 64 KiB
// only; a stray Windows-1252 byte further down must not stop the read, so
// it is counted for one warning and the cell keeps its bytes (the cell
// parsers only look at ASCII).
//
// utf8.Valid runs at several GB/s on ASCII, so the check costs little; a
// character split across two reads is carried over in tail.
type utf8Checker struct {
	r       io.Reader
	tail    [utf8.UTFMax]byte
	nt      int
	invalid int64
}

func (c *utf8Checker) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.check(p[:n], err == io.EOF)
	return n, err
}

func (c *utf8Checker) check(b []byte, atEOF bool) {
	if c.nt > 0 {
		// Finish the character split by the previous read.
		var tmp [2 * utf8.UTFMax]byte
		m := copy(tmp[:], c.tail[:c.nt])
		m += copy(tmp[m:], b)
		t := tmp[:m]
		if !atEOF && !utf8.FullRune(t) {
			// Still incomplete (a tiny read): keep waiting.
			c.nt = copy(c.tail[:], t)
			return
		}
		i := 0
		for i < c.nt {
			r, size := utf8.DecodeRune(t[i:])
			if r == utf8.RuneError && size == 1 {
				c.invalid++
			}
			i += size
		}
		b = b[i-c.nt:]
		c.nt = 0
	}
	cut := len(b)
	if !atEOF {
		cut = completeLen(b)
	}
	if a := asciiPrefix(b[:cut]); !utf8.Valid(b[a:cut]) {
		c.invalid += countInvalidUTF8(b[a:cut])
	}
	c.nt = copy(c.tail[:], b[cut:])
}

// transcoder converts a stream to UTF-8 with conv, which decodes as much of
// src as fits in dst and reports how much it wrote and consumed; at EOF it
// must consume everything. A character split across reads stays in src
// until the rest arrives.
type transcoder struct {
	r      io.Reader
	conv   func(dst, src []byte, atEOF bool) (nDst, nSrc int)
	src    []byte
	ns     int // pending bytes in src[:ns]
	out    []byte
	o0, o1 int // converted bytes not yet returned, out[o0:o1]
	err    error
}

// newTranscoder returns a reader of UTF-8 text. The internal buffers are
// 64 KiB of input and the worst-case output for it (3 bytes per input byte
// for Windows-1252's €, 1.5 for UTF-16).
func newTranscoder(r io.Reader, conv func(dst, src []byte, atEOF bool) (int, int)) *transcoder {
	const n = 64 << 10
	return &transcoder{r: r, conv: conv, src: make([]byte, n), out: make([]byte, 3*n+utf8.UTFMax)}
}

func (t *transcoder) Read(p []byte) (int, error) {
	for t.o0 == t.o1 {
		if t.err != nil {
			return 0, t.err
		}
		n, err := t.r.Read(t.src[t.ns:])
		t.ns += n
		if err != nil {
			t.err = err
		}
		nd, nc := t.conv(t.out, t.src[:t.ns], err == io.EOF)
		t.ns = copy(t.src, t.src[nc:t.ns])
		t.o0, t.o1 = 0, nd
		if n == 0 && nd == 0 && err == nil {
			// A reader returning (0, nil) repeatedly would spin here;
			// io.Reader discourages it, and bounding it costs nothing.
			return 0, nil
		}
	}
	n := copy(p, t.out[t.o0:t.o1])
	t.o0 += n
	return n, nil
}

// cp1252 maps bytes 0x80–0x9F of Windows-1252 to Unicode. The five
// unassigned bytes map to the C1 control with the same value, as in the
// WHATWG Encoding Standard, so decoding never fails.
var cp1252 = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, // 80–87
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F, // 88–8F
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, // 90–97
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178, // 98–9F
}

// decode1252 converts Windows-1252 to UTF-8: ASCII as is, 0x80–0x9F by
// the table, 0xA0–0xFF as the Latin-1 code point of the same value.
func decode1252(dst, src []byte, _ bool) (nDst, nSrc int) {
	for nSrc < len(src) && nDst+3 <= len(dst) {
		c := src[nSrc]
		switch {
		case c < 0x80:
			dst[nDst] = c
			nDst++
		case c < 0xA0:
			nDst += utf8.EncodeRune(dst[nDst:], cp1252[c-0x80])
		default:
			dst[nDst] = 0xC0 | c>>6
			dst[nDst+1] = 0x80 | c&0x3F
			nDst += 2
		}
		nSrc++
	}
	return nDst, nSrc
}

func decodeUTF16LE(dst, src []byte, atEOF bool) (int, int) {
	return decodeUTF16(dst, src, atEOF, false)
}

func decodeUTF16BE(dst, src []byte, atEOF bool) (int, int) {
	return decodeUTF16(dst, src, atEOF, true)
}

// decodeUTF16 converts UTF-16 to UTF-8. Unpaired surrogates and a final odd
// byte become U+FFFD (the replacement character) rather than an error: one
// damaged character should not cost the whole file.
func decodeUTF16(dst, src []byte, atEOF, be bool) (nDst, nSrc int) {
	unit := func(i int) rune {
		if be {
			return rune(src[i])<<8 | rune(src[i+1])
		}
		return rune(src[i+1])<<8 | rune(src[i])
	}
	for nDst+utf8.UTFMax <= len(dst) {
		if nSrc+1 >= len(src) {
			if atEOF && nSrc < len(src) {
				nDst += utf8.EncodeRune(dst[nDst:], utf8.RuneError)
				nSrc++
			}
			break
		}
		u := unit(nSrc)
		switch {
		case u < 0x80:
			dst[nDst] = byte(u)
			nDst++
			nSrc += 2
			continue
		case u >= 0xD800 && u < 0xDC00: // high surrogate: needs a low one
			if nSrc+3 >= len(src) {
				if !atEOF {
					return nDst, nSrc
				}
				u = utf8.RuneError
				nSrc += 2
				break
			}
			if lo := unit(nSrc + 2); lo >= 0xDC00 && lo < 0xE000 {
				u = 0x10000 + (u-0xD800)<<10 + (lo - 0xDC00)
				nSrc += 4
			} else {
				u = utf8.RuneError
				nSrc += 2
			}
		case u >= 0xDC00 && u < 0xE000: // lone low surrogate
			u = utf8.RuneError
			nSrc += 2
		default:
			nSrc += 2
		}
		nDst += utf8.EncodeRune(dst[nDst:], u)
	}
	return nDst, nSrc
}
