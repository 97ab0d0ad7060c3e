package ingest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unsafe"
)

// Value and level decoders for the Parquet encodings
// (https://github.com/apache/parquet-format/blob/master/Encodings.md).
// Every decoder streams: it decodes the n values asked for into a reused
// buffer, so memory stays one batch per column whatever counts a page
// declares, and a run-length encoded page of a billion nulls costs no
// billion-entry allocation.

var errPqPageShort = errors.New("page data ends early")

// ------------------------------------------------ RLE / bit-packed hybrid

// rleDecoder reads the RLE / bit-packing hybrid of definition levels,
// dictionary indices and RLE booleans (bit width ≤ 32).
type rleDecoder struct {
	data  []byte
	pos   int
	width int
	// current run
	left   int    // values left in it
	packed bool   // bit-packed (else a repeated value)
	val    uint32 // the repeated value
	bitPos int    // bit-packed: bit offset of the next value in data
}

func newRLE(data []byte, width int) rleDecoder {
	return rleDecoder{data: data, width: width}
}

func (d *rleDecoder) nextRun() error {
	var h uint64
	for shift := uint(0); ; shift += 7 {
		if d.pos >= len(d.data) || shift > 63 {
			return errPqPageShort
		}
		c := d.data[d.pos]
		d.pos++
		h |= uint64(c&0x7f) << shift
		if c < 0x80 {
			break
		}
	}
	if h&1 == 1 {
		// groups*8 values in groups*width bytes; unpack checks that the
		// values actually read are there (the last run may be cut short).
		groups := h >> 1
		if groups == 0 || groups > math.MaxInt32/8 {
			return errors.New("bad bit-packed run")
		}
		d.packed = true
		d.left = int(groups * 8)
		d.bitPos = d.pos * 8
		end := uint64(d.pos) + groups*uint64(d.width)
		if end > uint64(len(d.data)) {
			end = uint64(len(d.data))
		}
		d.pos = int(end)
		return nil
	}
	n := h >> 1
	if n == 0 || n > math.MaxInt32 {
		return errors.New("bad RLE run")
	}
	nb := (d.width + 7) / 8
	if nb > len(d.data)-d.pos {
		return errPqPageShort
	}
	var v uint32
	for i := 0; i < nb; i++ {
		v |= uint32(d.data[d.pos+i]) << (8 * i)
	}
	d.pos += nb
	d.packed = false
	d.left = int(n)
	d.val = v
	return nil
}

// take consumes the next n values if they are all v in the current RLE
// run (loading the next run first when the current one is used up), and
// reports whether it did; otherwise it consumes nothing.
func (d *rleDecoder) take(v int32, n int) (bool, error) {
	if d.left == 0 {
		if err := d.nextRun(); err != nil {
			return false, err
		}
	}
	if d.packed || int32(d.val) != v || d.left < n {
		return false, nil
	}
	d.left -= n
	return true, nil
}

// read decodes len(dst) values.
func (d *rleDecoder) read(dst []int32) error {
	for i := 0; i < len(dst); {
		if d.left == 0 {
			if err := d.nextRun(); err != nil {
				return err
			}
		}
		n := min(d.left, len(dst)-i)
		if !d.packed {
			v := int32(d.val)
			for j := i; j < i+n; j++ {
				dst[j] = v
			}
		} else {
			if err := d.unpack(dst[i : i+n]); err != nil {
				return err
			}
		}
		d.left -= n
		i += n
	}
	return nil
}

// unpack reads len(dst) bit-packed values (LSB first) at d.bitPos.
func (d *rleDecoder) unpack(dst []int32) error {
	w := d.width
	if w == 0 {
		for i := range dst {
			dst[i] = 0
		}
		return nil
	}
	if (d.bitPos+len(dst)*w+7)/8 > len(d.data) {
		return errPqPageShort
	}
	mask := uint64(1)<<w - 1
	bp := d.bitPos
	data := d.data
	i := 0
	if w < 8 || w == 8 && bp&7 == 0 {
		// Eight values take w bytes: one load per eight values instead
		// of one per value (dictionary indices of a few bits are the
		// common case; per value, this was ~7 % of a Parquet pass in
		// wasm, which does not merge byte loads). They need not begin
		// at a byte: a column with nulls reads a count of values per
		// batch that is not a multiple of eight, and from then on every
		// value took the slow loop below. The eight shifts are
		// independent (a loop shifting acc by w each step made them a
		// chain): ~2× faster natively.
		s := uint(w)
		for ; i+8 <= len(dst) && bp>>3+8 <= len(data); i += 8 {
			acc := binary.LittleEndian.Uint64(data[bp>>3:]) >> (bp & 7)
			g := (*[8]int32)(dst[i : i+8])
			g[0] = int32(acc & mask)
			g[1] = int32(acc >> s & mask)
			g[2] = int32(acc >> (2 * s) & mask)
			g[3] = int32(acc >> (3 * s) & mask)
			g[4] = int32(acc >> (4 * s) & mask)
			g[5] = int32(acc >> (5 * s) & mask)
			g[6] = int32(acc >> (6 * s) & mask)
			g[7] = int32(acc >> (7 * s) & mask)
			bp += 8 * w
		}
	}
	for ; i < len(dst); i++ {
		byteIdx := bp >> 3
		shift := uint(bp & 7)
		var acc uint64
		if byteIdx+8 <= len(data) {
			acc = binary.LittleEndian.Uint64(data[byteIdx:])
		} else {
			for k := 0; byteIdx+k < len(data); k++ {
				acc |= uint64(data[byteIdx+k]) << (8 * k)
			}
		}
		dst[i] = int32((acc >> shift) & mask)
		bp += w
	}
	d.bitPos = bp
	return nil
}

// bitPackedLevels reads the deprecated BIT_PACKED level encoding: values
// packed most significant bit first, no header.
type bitPackedLevels struct {
	data  []byte
	width int
	i     int
}

func (d *bitPackedLevels) read(dst []int32) error {
	if ((d.i+len(dst))*d.width+7)/8 > len(d.data) {
		return errPqPageShort
	}
	for k := range dst {
		var v int32
		bit := (d.i + k) * d.width
		for b := 0; b < d.width; b++ {
			p := bit + b
			v = v<<1 | int32(d.data[p>>3]>>(7-uint(p&7))&1)
		}
		dst[k] = v
	}
	d.i += len(dst)
	return nil
}

// levelReader is a decoder of definition levels.
type pqLevelReader interface {
	read(dst []int32) error
}

// bitWidth returns the bits needed for values up to max.
func pqBitWidth(max int) int {
	w := 0
	for max > 0 {
		w++
		max >>= 1
	}
	return w
}

// ------------------------------------------------------ value buffers

// values holds decoded values of one physical type.
type pqValues struct {
	i32   []int32
	i64   []int64
	f32   []float32
	f64   []float64
	bools []bool
	bin   [][]byte // BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, INT96: views
	arena []byte   // backing of values rebuilt by DELTA_BYTE_ARRAY
	ends  []int32  // value ends in arena
	idx   []int32  // dictionary indices
}

// valueDecoder decodes the values of a page.
type valueDecoder interface {
	// decode decodes the next n values into v (replacing its slice of
	// the decoder's type), or fails when the page holds fewer.
	decode(v *pqValues, n int) error
}

func pqGrow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// ---------------------------------------------------------------- PLAIN

// nativeLE: this machine keeps numbers in memory as Parquet stores plain
// values, little-endian (amd64, arm64, wasm, …).
var nativeLE = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// copyLE copies the plain little-endian values at the start of data into
// dst, all of it, as bytes, and reports whether it could: only on a
// little-endian machine (elsewhere the caller converts value by value).
// One memmove instead of a conversion per value: the timestamps of a 1M-row
// Parquet survey took 4.6% of a wasm pass to convert one by one.
func copyLE[T int32 | int64 | float32 | float64](dst []T, data []byte) bool {
	if !nativeLE {
		return false
	}
	if len(dst) > 0 {
		size := int(unsafe.Sizeof(dst[0]))
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&dst[0])), len(dst)*size), data[:len(dst)*size])
	}
	return true
}

type plainDecoder struct {
	typ   int32
	width int // FIXED_LEN_BYTE_ARRAY
	data  []byte
	pos   int
	bit   int // BOOLEAN: bit offset
}

func (d *plainDecoder) decode(v *pqValues, n int) error {
	data := d.data
	switch d.typ {
	case ptBoolean:
		if d.bit+n > len(data)*8 {
			return errPqPageShort
		}
		v.bools = pqGrow(v.bools, n)
		for i := 0; i < n; i++ {
			v.bools[i] = data[d.bit>>3]>>(d.bit&7)&1 == 1
			d.bit++
		}
	case ptInt32:
		if n > (len(data)-d.pos)/4 {
			return errPqPageShort
		}
		v.i32 = pqGrow(v.i32, n)
		if copyLE(v.i32, data[d.pos:]) {
			d.pos += 4 * n
			break
		}
		for i := range v.i32 {
			v.i32[i] = int32(binary.LittleEndian.Uint32(data[d.pos:]))
			d.pos += 4
		}
	case ptInt64:
		if n > (len(data)-d.pos)/8 {
			return errPqPageShort
		}
		v.i64 = pqGrow(v.i64, n)
		if copyLE(v.i64, data[d.pos:]) {
			d.pos += 8 * n
			break
		}
		for i := range v.i64 {
			v.i64[i] = int64(binary.LittleEndian.Uint64(data[d.pos:]))
			d.pos += 8
		}
	case ptFloat:
		if n > (len(data)-d.pos)/4 {
			return errPqPageShort
		}
		v.f32 = pqGrow(v.f32, n)
		if copyLE(v.f32, data[d.pos:]) {
			d.pos += 4 * n
			break
		}
		for i := range v.f32 {
			v.f32[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[d.pos:]))
			d.pos += 4
		}
	case ptDouble:
		if n > (len(data)-d.pos)/8 {
			return errPqPageShort
		}
		v.f64 = pqGrow(v.f64, n)
		if copyLE(v.f64, data[d.pos:]) {
			d.pos += 8 * n
			break
		}
		for i := range v.f64 {
			v.f64[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[d.pos:]))
			d.pos += 8
		}
	case ptInt96, ptFixed:
		w := d.width
		if d.typ == ptInt96 {
			w = 12
		}
		if w > 0 && n > (len(data)-d.pos)/w {
			return errPqPageShort
		}
		v.bin = pqGrow(v.bin, n)
		for i := range v.bin {
			v.bin[i] = data[d.pos : d.pos+w : d.pos+w]
			d.pos += w
		}
	case ptByteArray:
		v.bin = pqGrow(v.bin, n)
		for i := range v.bin {
			if len(data)-d.pos < 4 {
				return errPqPageShort
			}
			l := binary.LittleEndian.Uint32(data[d.pos:])
			d.pos += 4
			if uint64(l) > uint64(len(data)-d.pos) {
				return errPqPageShort
			}
			v.bin[i] = data[d.pos : d.pos+int(l) : d.pos+int(l)]
			d.pos += int(l)
		}
	default:
		return fmt.Errorf("physical type %d", d.typ)
	}
	return nil
}

// leftover returns how many whole values remain after the last one read
// (a page that holds more values than its header counts loses them).
func (d *plainDecoder) leftover() int {
	switch d.typ {
	case ptBoolean:
		return 0 // the last byte is padded
	case ptInt32, ptFloat:
		return (len(d.data) - d.pos) / 4
	case ptInt64, ptDouble:
		return (len(d.data) - d.pos) / 8
	case ptInt96:
		return (len(d.data) - d.pos) / 12
	case ptFixed:
		if d.width == 0 {
			return 0
		}
		return (len(d.data) - d.pos) / d.width
	}
	if len(d.data)-d.pos >= 4 {
		return 1
	}
	return 0
}

// ---------------------------------------------------- dictionary indices

type dictDecoder struct {
	rle  rleDecoder
	size int // dictionary entries
}

func newDictDecoder(data []byte, size int) (*dictDecoder, error) {
	if len(data) == 0 {
		return nil, errPqPageShort
	}
	w := int(data[0])
	if w > 32 {
		return nil, fmt.Errorf("dictionary index bit width %d", w)
	}
	return &dictDecoder{rle: newRLE(data[1:], w), size: size}, nil
}

func (d *dictDecoder) decode(v *pqValues, n int) error {
	v.idx = pqGrow(v.idx, n)
	if err := d.rle.read(v.idx); err != nil {
		return err
	}
	if w := d.rle.width; w < 31 && d.size >= 1<<w {
		return nil // no index of w bits is out of range
	} else if w < 31 && indicesBelow(v.idx, int32(d.size-1)) {
		return nil // (the indices are below 2^30, so size-1-x cannot overflow)
	}
	for _, x := range v.idx {
		if uint32(x) >= uint32(d.size) {
			return fmt.Errorf("dictionary index %d out of range (the dictionary has %d entries)", uint32(x), d.size)
		}
	}
	return nil
}

// ---------------------------------------------------------- RLE booleans

type rleBoolDecoder struct {
	rle rleDecoder
	buf []int32
}

func (d *rleBoolDecoder) decode(v *pqValues, n int) error {
	d.buf = pqGrow(d.buf, n)
	if err := d.rle.read(d.buf); err != nil {
		return err
	}
	v.bools = pqGrow(v.bools, n)
	for i, x := range d.buf {
		v.bools[i] = x != 0
	}
	return nil
}

// --------------------------------------------------- DELTA_BINARY_PACKED

// maxDeltaBlock bounds a DELTA_BINARY_PACKED block: writers use 128 (arrow,
// parquet-mr, hyparquet) or 1024; a larger one would only serve to make
// a few bytes expand into a huge miniblock.
const maxDeltaBlock = 1 << 16

// deltaDecoder streams DELTA_BINARY_PACKED values, one miniblock at a time.
type deltaDecoder struct {
	data      []byte
	pos       int
	perMini   int
	minis     int
	total     int // values in the stream
	done      int // values returned
	last      uint64
	minDelta  uint64
	widths    []byte // bit widths of the current block's miniblocks
	mini      int    // next miniblock of the current block
	buf       []uint64
	bufPos    int
	pad       [16]byte
	headerEnd int
}

func (d *deltaDecoder) uvarint() (uint64, error) {
	v, n := binary.Uvarint(d.data[d.pos:])
	if n <= 0 {
		return 0, errPqPageShort
	}
	d.pos += n
	return v, nil
}

func newDeltaDecoder(data []byte) (*deltaDecoder, error) {
	d := &deltaDecoder{data: data}
	block, err := d.uvarint()
	if err != nil {
		return nil, err
	}
	minis, err := d.uvarint()
	if err != nil {
		return nil, err
	}
	total, err := d.uvarint()
	if err != nil {
		return nil, err
	}
	first, err := d.uvarint()
	if err != nil {
		return nil, err
	}
	if block == 0 || block > maxDeltaBlock || block%128 != 0 || minis == 0 || block%minis != 0 || (block/minis)%32 != 0 {
		return nil, fmt.Errorf("bad DELTA_BINARY_PACKED header (block %d, miniblocks %d)", block, minis)
	}
	if total > math.MaxInt32 {
		return nil, fmt.Errorf("DELTA_BINARY_PACKED declares %d values", total)
	}
	d.perMini = int(block / minis)
	d.minis = int(minis)
	d.total = int(total)
	d.last = uint64(int64(first>>1) ^ -int64(first&1))
	d.mini = d.minis // no block yet
	d.headerEnd = d.pos
	return d, nil
}

// loadMiniblock decodes the next miniblock's deltas into d.buf.
func (d *deltaDecoder) loadMiniblock() error {
	if d.mini == d.minis {
		v, err := d.uvarint()
		if err != nil {
			return err
		}
		d.minDelta = uint64(int64(v>>1) ^ -int64(v&1))
		if d.minis > len(d.data)-d.pos {
			return errPqPageShort
		}
		d.widths = d.data[d.pos : d.pos+d.minis]
		d.pos += d.minis
		d.mini = 0
	}
	w := int(d.widths[d.mini])
	d.mini++
	if w > 64 {
		return fmt.Errorf("DELTA_BINARY_PACKED bit width %d", w)
	}
	size := d.perMini * w / 8
	need := d.total - d.done // values still to come, the first excluded
	if d.done == 0 {
		need = d.total - 1
	}
	n := min(d.perMini, need)
	avail := len(d.data) - d.pos
	if (n*w+7)/8 > avail {
		return errPqPageShort
	}
	d.buf = pqGrow(d.buf, n)
	src := d.data[d.pos:min(len(d.data), d.pos+size)]
	mask := uint64(math.MaxUint64)
	if w < 64 {
		mask = 1<<w - 1
	}
	for i := 0; i < n; i++ {
		bp := i * w
		bi := bp >> 3
		shift := uint(bp & 7)
		var lo uint64
		var hi byte
		if bi+9 <= len(src) {
			lo = binary.LittleEndian.Uint64(src[bi:])
			hi = src[bi+8]
		} else {
			var p [9]byte
			copy(p[:], src[bi:])
			lo = binary.LittleEndian.Uint64(p[:])
			hi = p[8]
		}
		x := lo >> shift
		if shift > 0 {
			x |= uint64(hi) << (64 - shift)
		}
		d.buf[i] = x & mask
	}
	d.bufPos = 0
	d.pos += min(size, avail)
	return nil
}

// next returns the next value; the caller checks d.done < d.total.
func (d *deltaDecoder) next() (uint64, error) {
	if d.done == 0 {
		d.done++
		return d.last, nil
	}
	if d.bufPos == len(d.buf) {
		if err := d.loadMiniblock(); err != nil {
			return 0, err
		}
	}
	d.last += d.minDelta + d.buf[d.bufPos]
	d.bufPos++
	d.done++
	return d.last, nil
}

// skipToEnd moves past the whole stream without decoding it and returns
// the offset after it (where DELTA_LENGTH_BYTE_ARRAY data starts).
func (d *deltaDecoder) end() (int, error) {
	pos := d.headerEnd
	left := d.total - 1
	for left > 0 {
		_, n := binary.Uvarint(d.data[pos:])
		if n <= 0 {
			return 0, errPqPageShort
		}
		pos += n
		if d.minis > len(d.data)-pos {
			return 0, errPqPageShort
		}
		widths := d.data[pos : pos+d.minis]
		pos += d.minis
		for _, w := range widths {
			if left <= 0 {
				break
			}
			if w > 64 {
				return 0, fmt.Errorf("DELTA_BINARY_PACKED bit width %d", w)
			}
			pos += d.perMini * int(w) / 8
			left -= d.perMini
		}
		if pos > len(d.data) {
			// the last miniblock may lack its padding
			if left > 0 {
				return 0, errPqPageShort
			}
			pos = len(d.data)
		}
	}
	return pos, nil
}

// deltaIntDecoder decodes DELTA_BINARY_PACKED INT32 or INT64 values.
type deltaIntDecoder struct {
	d     *deltaDecoder
	int32 bool
}

func (x *deltaIntDecoder) decode(v *pqValues, n int) error {
	d := x.d
	if n > d.total-d.done {
		return errPqPageShort
	}
	if x.int32 {
		v.i32 = pqGrow(v.i32, n)
		for i := range v.i32 {
			u, err := d.next()
			if err != nil {
				return err
			}
			v.i32[i] = int32(u)
		}
		return nil
	}
	v.i64 = pqGrow(v.i64, n)
	for i := range v.i64 {
		u, err := d.next()
		if err != nil {
			return err
		}
		v.i64[i] = int64(u)
	}
	return nil
}

// ----------------------------------------------- DELTA_LENGTH_BYTE_ARRAY

type deltaLengthDecoder struct {
	lengths *deltaDecoder
	data    []byte
	pos     int
}

func newDeltaLength(data []byte) (*deltaLengthDecoder, int, error) {
	l, err := newDeltaDecoder(data)
	if err != nil {
		return nil, 0, err
	}
	end, err := l.end()
	if err != nil {
		return nil, 0, err
	}
	return &deltaLengthDecoder{lengths: l, data: data[:end:end], pos: end}, end, nil
}

// next returns the next value, aliasing the page.
func (x *deltaLengthDecoder) next(all []byte) ([]byte, error) {
	if x.lengths.done >= x.lengths.total {
		return nil, errPqPageShort
	}
	u, err := x.lengths.next()
	if err != nil {
		return nil, err
	}
	l := int64(int32(u))
	if l < 0 || l > int64(len(all)-x.pos) {
		return nil, errPqPageShort
	}
	b := all[x.pos : x.pos+int(l) : x.pos+int(l)]
	x.pos += int(l)
	return b, nil
}

type deltaLengthByteArray struct {
	x   *deltaLengthDecoder
	all []byte
}

func (d *deltaLengthByteArray) decode(v *pqValues, n int) error {
	v.bin = pqGrow(v.bin, n)
	for i := range v.bin {
		b, err := d.x.next(d.all)
		if err != nil {
			return err
		}
		v.bin[i] = b
	}
	return nil
}

// ------------------------------------------------------ DELTA_BYTE_ARRAY

// deltaByteArray rebuilds each value from a prefix of the previous one
// and a suffix. A value can be long only if a suffix made it long, so
// the values of one decode call take at most n times the longest value.
type deltaByteArray struct {
	prefix   *deltaDecoder
	suffix   *deltaLengthDecoder
	all      []byte
	prev     []byte
	width    int // FIXED_LEN_BYTE_ARRAY: every value must have it
	maxBytes int
}

func (d *deltaByteArray) decode(v *pqValues, n int) error {
	v.arena = v.arena[:0]
	ends := pqGrow(v.ends, n)
	for i := 0; i < n; i++ {
		if d.prefix.done >= d.prefix.total {
			return errPqPageShort
		}
		u, err := d.prefix.next()
		if err != nil {
			return err
		}
		p := int64(int32(u))
		if p < 0 || p > int64(len(d.prev)) {
			return fmt.Errorf("DELTA_BYTE_ARRAY prefix %d longer than the previous value", p)
		}
		s, err := d.suffix.next(d.all)
		if err != nil {
			return err
		}
		if int(p)+len(s) > d.maxBytes-len(v.arena) {
			return fmt.Errorf("DELTA_BYTE_ARRAY values exceed %d bytes", d.maxBytes)
		}
		start := len(v.arena)
		v.arena = append(v.arena, d.prev[:p]...)
		v.arena = append(v.arena, s...)
		d.prev = append(d.prev[:0], v.arena[start:]...)
		if d.width > 0 && len(d.prev) != d.width {
			return fmt.Errorf("DELTA_BYTE_ARRAY value of %d bytes in a column of %d", len(d.prev), d.width)
		}
		ends[i] = int32(len(v.arena))
	}
	v.ends = ends
	v.bin = pqGrow(v.bin, n)
	start := int32(0)
	for i := range v.bin {
		v.bin[i] = v.arena[start:ends[i]:ends[i]]
		start = ends[i]
	}
	return nil
}

// ----------------------------------------------------- BYTE_STREAM_SPLIT

type byteStreamSplit struct {
	typ   int32
	data  []byte
	width int
	count int // values in the page
	i     int
	buf   []byte
}

func (d *byteStreamSplit) decode(v *pqValues, n int) error {
	if n > d.count-d.i {
		return errPqPageShort
	}
	w := d.width
	gather := func(k int) []byte {
		b := d.buf[:w]
		for s := 0; s < w; s++ {
			b[s] = d.data[s*d.count+d.i+k]
		}
		return b
	}
	d.buf = pqGrow(d.buf, w)
	switch d.typ {
	case ptFloat:
		v.f32 = pqGrow(v.f32, n)
		for k := range v.f32 {
			v.f32[k] = math.Float32frombits(binary.LittleEndian.Uint32(gather(k)))
		}
	case ptDouble:
		v.f64 = pqGrow(v.f64, n)
		for k := range v.f64 {
			v.f64[k] = math.Float64frombits(binary.LittleEndian.Uint64(gather(k)))
		}
	case ptInt32:
		v.i32 = pqGrow(v.i32, n)
		for k := range v.i32 {
			v.i32[k] = int32(binary.LittleEndian.Uint32(gather(k)))
		}
	case ptInt64:
		v.i64 = pqGrow(v.i64, n)
		for k := range v.i64 {
			v.i64[k] = int64(binary.LittleEndian.Uint64(gather(k)))
		}
	case ptFixed:
		// values are copied out of the streams into the arena
		v.arena = pqGrow(v.arena, n*w)
		v.bin = pqGrow(v.bin, n)
		for k := range v.bin {
			b := v.arena[k*w : (k+1)*w : (k+1)*w]
			copy(b, gather(k))
			v.bin[k] = b
		}
	default:
		return fmt.Errorf("BYTE_STREAM_SPLIT for physical type %d", d.typ)
	}
	d.i += n
	return nil
}
