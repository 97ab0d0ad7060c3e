package ingest

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Sampling a Parquet file. Detection reads the first ~2 000 rows
// (Options.Limit), but the pages holding them are usually whole column
// chunks: a writer such as hyparquet-writer puts a 100 000-row row group
// in one page per column. Decompressing and reading those pages whole was
// a quarter of engine.Prepare on a 1M-row survey, for 2 % of what it
// decoded. A Snappy page (the codec almost every writer defaults to) is
// therefore decoded only as far as the sampled rows' levels and values
// reach: snappyPrefix decodes a block up to a length it
// is asked for, and samplePrefix works out that length from the page's
// layout. Any other codec or encoding decodes the page whole, as before
// (an uncompressed page is not copied, and its decoders read only what
// they are asked for anyway).

// snappyPrefix decodes one Snappy block — the raw block format, without
// the framing format's chunks, as Parquet's SNAPPY codec stores pages
// (https://github.com/google/snappy/blob/main/format_description.txt) —
// as far as asked, and on from there when asked for more.
type snappyPrefix struct {
	src   []byte // the block, or its first bytes (see more)
	total int    // the block's length
	s     int    // offset in src of the next element (or literal byte)
	lit   int    // bytes of a literal at s not yet copied
	dst   []byte // decoded so far: dst[:len(dst)] of the block's size bytes
	size  int    // the block's decoded length, as its preamble says
	// more, when not nil, returns the block's first end bytes or more
	// (all of it when it is shorter): a sample reads a page's start only.
	more  func(end int) ([]byte, error)
	ioErr error // more's error
}

var errSnappy = errors.New("snappy: corrupt input")

// reset starts decoding a block of total bytes, of which src holds the
// first (all of them when more is nil; else more reads on, see
// snappyPrefix.more), into buf (reused when it holds size bytes). The
// block must declare size decoded bytes, as the page header does.
func (z *snappyPrefix) reset(buf, src []byte, total, size int, more func(int) ([]byte, error)) error {
	z.src, z.total, z.more, z.ioErr = src, total, more, nil
	if size > 22*total+64 { // as decompress: refused before the output is allocated
		return fmt.Errorf("%s page of %d bytes cannot decompress to the %d bytes its header declares", codecName(codecSnappy), total, size)
	}
	z.have(binary.MaxVarintLen32)
	if z.ioErr != nil {
		return z.ioErr
	}
	n, k := binary.Uvarint(z.src)
	if k <= 0 || n > uint64(maxPageBytes) {
		return errSnappy
	}
	if int(n) != size {
		return fmt.Errorf("snappy page decompresses to %d bytes, the header says %d", n, size)
	}
	if cap(buf) < size {
		buf = make([]byte, 0, size)
	}
	z.s, z.lit, z.dst, z.size = k, 0, buf[:0], size
	return nil
}

// have reports whether the block's first end bytes are in src, reading
// on through more if they are not.
func (z *snappyPrefix) have(end int) bool {
	if end <= len(z.src) {
		return true
	}
	if z.more == nil || len(z.src) >= z.total || z.ioErr != nil {
		return false
	}
	b, err := z.more(min(z.total, max(end, 2*len(z.src))))
	if err != nil {
		z.ioErr = err
		return false
	}
	z.src = b
	return end <= len(b)
}

// short is the error of a block that ends too soon: corrupt, unless
// reading it failed.
func (z *snappyPrefix) short() error {
	if z.ioErr != nil {
		return z.ioErr
	}
	return errSnappy
}

// extend decodes until at least n bytes are out, or all of the block.
// The bytes decoded are z.dst; they stay valid (and in place) as it
// decodes more. A corrupt element within the bytes asked for is an error;
// one past them is not seen.
func (z *snappyPrefix) extend(n int) error {
	n = min(n, z.size)
	s, lit, d := z.s, z.lit, z.dst
	for len(d) < n {
		if lit > 0 {
			// Only as much of a literal as asked for: incompressible
			// data (ids, timestamps, dictionary indexes) is one literal
			// as long as the page.
			k := min(lit, n-len(d))
			if !z.have(s + k) {
				return z.short()
			}
			d = append(d, z.src[s:s+k]...)
			s += k
			lit -= k
			continue
		}
		// The tag, and the literal length or copy offset after it.
		if !z.have(s+5) && s >= len(z.src) {
			return z.short()
		}
		src := z.src
		tag := src[s]
		var length, offset int
		switch tag & 3 {
		case 0: // a literal: its length-1 in the tag, or in the next 1–4 bytes
			x := uint64(tag >> 2)
			s++
			if x >= 60 {
				k := int(x) - 59
				if k > len(src)-s {
					return z.short()
				}
				x = 0
				for i := range k {
					x |= uint64(src[s+i]) << (8 * i)
				}
				s += k
			}
			if x >= uint64(z.total-s) || x >= uint64(z.size-len(d)) {
				return errSnappy
			}
			lit = int(x) + 1
			continue
		case 1: // copy, 4–11 bytes, 11-bit offset
			if 2 > len(src)-s {
				return z.short()
			}
			length = 4 + int(tag>>2)&7
			offset = int(tag&0xe0)<<3 | int(src[s+1])
			s += 2
		case 2: // copy, 1–64 bytes, 16-bit offset
			if 3 > len(src)-s {
				return z.short()
			}
			length = 1 + int(tag>>2)
			offset = int(binary.LittleEndian.Uint16(src[s+1:]))
			s += 3
		default: // copy, 1–64 bytes, 32-bit offset
			if 5 > len(src)-s {
				return z.short()
			}
			length = 1 + int(tag>>2)
			offset = int(binary.LittleEndian.Uint32(src[s+1:]))
			s += 5
		}
		if offset <= 0 || offset > len(d) || length > z.size-len(d) {
			return errSnappy
		}
		// The copy may overlap what it writes (offset < length): the
		// bytes repeat with period offset, so copying from offset back
		// doubles the run each time.
		start := len(d)
		d = d[:start+length]
		for i := start; i < start+length; {
			i += copy(d[i:start+length], d[start-offset:i])
		}
	}
	z.s, z.lit, z.dst = s, lit, d
	if len(d) == z.size && s != z.total {
		return errSnappy // bytes after the block's end
	}
	return nil
}

// samplePrefix is how many bytes of the values section data (as far as
// decoded; more through more) the page's first v values take. It reports
// all = true when it cannot tell, and the whole section is needed.
func samplePrefix(enc, typ int32, width, v int, more func(n int) ([]byte, error)) (n int, all bool, err error) {
	switch enc {
	case encPlain:
		switch typ {
		case ptBoolean:
			return (v + 7) / 8, false, nil
		case ptInt32, ptFloat:
			return 4 * v, false, nil
		case ptInt64, ptDouble:
			return 8 * v, false, nil
		case ptInt96:
			return 12 * v, false, nil
		case ptFixed:
			return width * v, false, nil
		case ptByteArray:
			pos := 0
			for range v {
				data, err := more(pos + 4)
				if err != nil || len(data) < pos+4 {
					return 0, true, err
				}
				l := binary.LittleEndian.Uint32(data[pos:])
				if uint64(l) > uint64(maxPageBytes) {
					return 0, true, nil
				}
				pos += 4 + int(l)
			}
			return pos, false, nil
		}
	case encPlainDict, encRLEDict:
		// One byte of index width, then RLE/bit-packed runs of indexes.
		data, err := more(1)
		if err != nil || len(data) < 1 || data[0] > 32 {
			return 0, true, err
		}
		w := int(data[0])
		pos, covered := 1, 0
		for covered < v {
			data, err := more(pos + binary.MaxVarintLen64)
			if err != nil {
				return 0, true, err
			}
			h, k := binary.Uvarint(data[min(pos, len(data)):])
			if k <= 0 || h>>1 == 0 || h>>1 > uint64(maxPageBytes) {
				return 0, true, nil
			}
			pos += k
			if h&1 == 1 { // bit-packed: groups of 8 indexes in w bytes each
				// (the decoder reads a run cut short as far as it goes)
				groups := min(int(h>>1), (v-covered+7)/8)
				covered += groups * 8
				pos += groups * w
			} else {
				covered += int(h >> 1)
				pos += (w + 7) / 8
			}
		}
		return pos, false, nil
	}
	return 0, true, nil
}

// sampleWant is how many of the page's rows the sample still needs, or
// -1 when it needs them all (or the source is not a sample).
func (c *pqColumn) sampleWant(h pageHeader) int {
	if c.src.limit <= 0 || c.codec != codecSnappy || (h.typ == pageDataV2 && !h.isCompressed) {
		return -1
	}
	want := c.src.limit - c.taken
	if want >= int64(h.numValues) {
		return -1
	}
	return int(max(want, 0))
}

// samplePage decompresses the Snappy data page src (size bytes once
// decompressed) as far as its first want rows need: levels (in the page
// for v1; v2levels for v2, which keeps them outside the compressed part)
// and values. It returns the bytes decoded, a prefix of the page.
//
// src may be the start of the compressed bytes only (nextDataPage reads
// sampleWindow bytes of a page to sample): the rest is read into
// c.sampleBuf as the decoding reaches it, from the body's place in the
// file (c.cr stands at the body until the page is started).
func (c *pqColumn) samplePage(h pageHeader, src []byte, size int, v2 bool, v2levels []byte, want int) ([]byte, error) {
	z := &c.sample
	lead := int64(0) // bytes of the body before src: v2's levels
	if v2 {
		lead = int64(h.repLen) + int64(h.defLen)
	}
	total := int(int64(h.compressed) - lead)
	at := c.cr.pos + lead
	more := func(end int) ([]byte, error) {
		c.sampleBuf = pqGrow(c.sampleBuf, end)
		if err := readFullAt(c.cr.r, c.sampleBuf, at); err != nil {
			return nil, err
		}
		return c.sampleBuf, nil
	}
	if err := z.reset(c.pageBuf, src[:min(len(src), total)], total, size, more); err != nil {
		return nil, err
	}
	whole := func() ([]byte, error) {
		if err := z.extend(size); err != nil {
			return nil, err
		}
		return z.dst, nil
	}
	l := c.leaf
	off := 0 // where the values start
	var levels pqLevelReader
	if l.maxDef > 0 {
		w := pqBitWidth(l.maxDef)
		switch {
		case v2:
			r := newRLE(v2levels, w)
			levels = &r
		case h.defEncoding == encRLE:
			if err := z.extend(4); err != nil || len(z.dst) < 4 {
				return whole()
			}
			n := binary.LittleEndian.Uint32(z.dst)
			if uint64(n) > uint64(size-4) {
				return whole()
			}
			off = 4 + int(n)
			if err := z.extend(off); err != nil {
				return nil, err
			}
			r := newRLE(z.dst[4:off], w)
			levels = &r
		case h.defEncoding == encBitPacked:
			off = (int(h.numValues)*w + 7) / 8
			if off > size {
				return whole()
			}
			if err := z.extend(off); err != nil {
				return nil, err
			}
			levels = &bitPackedLevels{data: z.dst[:off], width: w}
		default:
			return whole()
		}
	}
	v := want // values in the first want rows
	if levels != nil {
		c.lv = pqGrow(c.lv, want)
		if err := levels.read(c.lv); err != nil {
			return whole() // and the reader reports the error
		}
		v = 0
		for _, x := range c.lv {
			if x == int32(l.maxDef) {
				v++
			}
		}
	}
	values := func(n int) ([]byte, error) {
		if err := z.extend(off + n); err != nil {
			return nil, err
		}
		return z.dst[min(off, len(z.dst)):], nil
	}
	n, all, err := samplePrefix(h.encoding, l.el.typ, int(l.el.typeLength), v, values)
	if err != nil {
		return nil, err
	}
	if all {
		return whole()
	}
	if err := z.extend(off + n); err != nil {
		return nil, err
	}
	return z.dst, nil
}

// sampleError locates an error of decompressing a page: a corrupt page,
// or a failed read of its bytes (samplePage reads as it decodes).
func (c *pqColumn) sampleError(err error) *Error {
	if c.sample.ioErr != nil && err == c.sample.ioErr {
		return c.chunkError(err)
	}
	return c.errorf("row group %d: corrupt page: %v", c.rg+1, err)
}

// sampleWindow is how much of a column chunk a sample reads at a time
// (a variable for the tests, which make it tiny).
var sampleWindow = 64 << 10
