package ingest

import (
	"errors"
	"fmt"
	"math"
)

// The Parquet footer (FileMetaData) and every page header are Thrift
// structs in the compact protocol. This file decodes the part of them the
// reader needs and skips the rest, following
//
//	https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md
//	https://github.com/apache/parquet-format/blob/master/src/main/thrift/parquet.thrift
//
// A hand-written decoder instead of the generated one of
// github.com/xitongsys/parquet-go/parquet + github.com/apache/thrift:
// importing those adds 3.0 MB raw / 0.77 MB gzip to the wasm binary (the
// thrift package pulls in net/http and crypto/tls), this file ~20 KB. Every length and count
// read here is checked against the bytes that remain, so a corrupt footer
// cannot make it allocate more than a small multiple of its own size.

// Compact protocol type codes.
const (
	tStop   = 0
	tTrue   = 1
	tFalse  = 2
	tByte   = 3
	tI16    = 4
	tI32    = 5
	tI64    = 6
	tDouble = 7
	tBinary = 8
	tList   = 9
	tSet    = 10
	tMap    = 11
	tStruct = 12
	tUUID   = 13
)

// maxThriftDepth bounds the nesting of structs and containers.
const maxThriftDepth = 64

// errThriftShort means the struct runs past the end of the bytes given;
// for a page header it means "read more bytes and try again".
var errThriftShort = errors.New("truncated")

type thriftReader struct {
	b   []byte
	pos int
	err error
}

func (t *thriftReader) fail(err error) {
	if t.err == nil {
		t.err = err
	}
}

func (t *thriftReader) failf(format string, args ...any) {
	t.fail(fmt.Errorf(format, args...))
}

func (t *thriftReader) byte1() byte {
	if t.pos >= len(t.b) {
		t.fail(errThriftShort)
		return 0
	}
	c := t.b[t.pos]
	t.pos++
	return c
}

func (t *thriftReader) uvarint() uint64 {
	var v uint64
	for shift := uint(0); shift < 70; shift += 7 {
		c := t.byte1()
		if t.err != nil {
			return 0
		}
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
	t.failf("varint too long")
	return 0
}

func (t *thriftReader) varint() int64 {
	u := t.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

// binary returns a length-prefixed byte string, aliasing the input.
func (t *thriftReader) binary() []byte {
	n := t.uvarint()
	if t.err != nil {
		return nil
	}
	if n > uint64(len(t.b)-t.pos) {
		t.fail(errThriftShort)
		return nil
	}
	s := t.b[t.pos : t.pos+int(n)]
	t.pos += int(n)
	return s
}

// listHeader reads a list or set header. Every element takes at least one
// byte, so a count above the bytes left is corrupt (or truncated).
func (t *thriftReader) listHeader() (int, byte) {
	h := t.byte1()
	n := uint64(h >> 4)
	if n == 15 {
		n = t.uvarint()
	}
	if t.err != nil {
		return 0, 0
	}
	if n > uint64(len(t.b)-t.pos) {
		t.fail(errThriftShort)
		return 0, 0
	}
	return int(n), h & 0x0f
}

// readStruct calls field for each field of a struct; field returns false
// for fields it does not read, which are skipped.
func (t *thriftReader) readStruct(depth int, field func(id int16, typ byte) bool) {
	if depth > maxThriftDepth {
		t.failf("nested too deeply")
		return
	}
	var last int16
	for t.err == nil {
		h := t.byte1()
		if t.err != nil || h == tStop {
			return
		}
		typ := h & 0x0f
		id := last + int16(h>>4)
		if h>>4 == 0 {
			v := t.varint()
			if v < math.MinInt16 || v > math.MaxInt16 {
				t.failf("bad field id %d", v)
				return
			}
			id = int16(v)
		}
		last = id
		if !field(id, typ) {
			t.skip(typ, depth+1)
		}
	}
}

// skip skips one value of type typ.
func (t *thriftReader) skip(typ byte, depth int) {
	if depth > maxThriftDepth {
		t.failf("nested too deeply")
		return
	}
	switch typ {
	case tTrue, tFalse:
	case tByte:
		t.byte1()
	case tI16, tI32, tI64:
		t.uvarint()
	case tDouble:
		t.bytesN(8)
	case tUUID:
		t.bytesN(16)
	case tBinary:
		t.binary()
	case tList, tSet:
		n, et := t.listHeader()
		for i := 0; i < n && t.err == nil; i++ {
			if et == tTrue || et == tFalse {
				t.byte1() // booleans in containers take one byte each
				continue
			}
			t.skip(et, depth+1)
		}
	case tMap:
		n := t.uvarint()
		if t.err != nil || n == 0 {
			return
		}
		if n > uint64(len(t.b)-t.pos) {
			t.fail(errThriftShort)
			return
		}
		kv := t.byte1()
		for i := uint64(0); i < n && t.err == nil; i++ {
			t.skipElem(kv>>4, depth+1)
			t.skipElem(kv&0x0f, depth+1)
		}
	case tStruct:
		t.readStruct(depth, func(int16, byte) bool { return false })
	default:
		t.failf("unknown field type %d", typ)
	}
}

func (t *thriftReader) skipElem(typ byte, depth int) {
	if typ == tTrue || typ == tFalse {
		t.byte1()
		return
	}
	t.skip(typ, depth)
}

func (t *thriftReader) bytesN(n int) {
	if n > len(t.b)-t.pos {
		t.fail(errThriftShort)
		return
	}
	t.pos += n
}

// Typed field readers: a field of an unexpected type is corrupt.

func (t *thriftReader) i32(typ byte) int32 {
	if typ != tI32 && typ != tI16 && typ != tByte {
		t.failf("field of type %d where an integer is expected", typ)
		return 0
	}
	if typ == tByte {
		return int32(int8(t.byte1()))
	}
	v := t.varint()
	if v < math.MinInt32 || v > math.MaxInt32 {
		t.failf("integer %d out of range", v)
		return 0
	}
	return int32(v)
}

func (t *thriftReader) i64(typ byte) int64 {
	if typ != tI64 && typ != tI32 && typ != tI16 {
		t.failf("field of type %d where an integer is expected", typ)
		return 0
	}
	return t.varint()
}

func (t *thriftReader) boolean(typ byte) bool {
	if typ != tTrue && typ != tFalse {
		t.failf("field of type %d where a boolean is expected", typ)
	}
	return typ == tTrue
}

func (t *thriftReader) str(typ byte) string {
	if typ != tBinary {
		t.failf("field of type %d where a string is expected", typ)
		return ""
	}
	return string(t.binary())
}

func (t *thriftReader) structField(typ byte, depth int, field func(id int16, typ byte) bool) {
	if typ != tStruct {
		t.failf("field of type %d where a struct is expected", typ)
		return
	}
	t.readStruct(depth+1, field)
}

// list reads a list of elements of type want, calling elem for each.
func (t *thriftReader) list(typ, want byte, elem func()) {
	if typ != tList && typ != tSet {
		t.failf("field of type %d where a list is expected", typ)
		return
	}
	n, et := t.listHeader()
	if t.err != nil {
		return
	}
	if et != want && !(want == tI32 && (et == tI16 || et == tByte)) {
		t.failf("list of type %d where %d is expected", et, want)
		return
	}
	for i := 0; i < n && t.err == nil; i++ {
		elem()
	}
}

// ---------------------------------------------------------------- metadata

// Parquet enums (parquet.thrift).
const (
	ptBoolean   = 0
	ptInt32     = 1
	ptInt64     = 2
	ptInt96     = 3
	ptFloat     = 4
	ptDouble    = 5
	ptByteArray = 6
	ptFixed     = 7

	repRequired = 0
	repOptional = 1
	repRepeated = 2

	pageData       = 0
	pageIndex      = 1
	pageDictionary = 2
	pageDataV2     = 3

	encPlain          = 0
	encPlainDict      = 2
	encRLE            = 3
	encBitPacked      = 4
	encDeltaBinary    = 5
	encDeltaLength    = 6
	encDeltaByteArray = 7
	encRLEDict        = 8
	encByteStream     = 9

	codecUncompressed = 0
	codecSnappy       = 1
	codecGzip         = 2
	codecLZO          = 3
	codecBrotli       = 4
	codecLZ4          = 5
	codecZstd         = 6
	codecLZ4Raw       = 7
)

// ConvertedType values used by the renderer.
const (
	ctUTF8            = 0
	ctMap             = 1
	ctMapKeyValue     = 2
	ctList            = 3
	ctEnum            = 4
	ctDecimal         = 5
	ctDate            = 6
	ctTimeMillis      = 7
	ctTimeMicros      = 8
	ctTimestampMillis = 9
	ctTimestampMicros = 10
	ctUint8           = 11
	ctUint16          = 12
	ctUint32          = 13
	ctUint64          = 14
	ctInt8            = 15
	ctInt16           = 16
	ctInt32           = 17
	ctInt64           = 18
	ctJSON            = 19
	ctBSON            = 20
	ctInterval        = 21
)

// LogicalType union members (their field ids).
const (
	ltString    = 1
	ltMap       = 2
	ltList      = 3
	ltEnum      = 4
	ltDecimal   = 5
	ltDate      = 6
	ltTime      = 7
	ltTimestamp = 8
	ltInteger   = 10
	ltUnknown   = 11
	ltJSON      = 12
	ltBSON      = 13
	ltUUID      = 14
	ltFloat16   = 15
	ltVariant   = 16
)

// Time units (TimeUnit union members).
const (
	unitMillis = 1
	unitMicros = 2
	unitNanos  = 3
)

type logicalType struct {
	kind             int16 // 0: none
	unit             int16 // TIME and TIMESTAMP
	utc              bool
	scale, precision int32 // DECIMAL
	bitWidth         int32 // INTEGER
	signed           bool
}

type schemaElement struct {
	typ         int32 // -1 for groups
	typeLength  int32
	repetition  int32 // -1 when absent (the root)
	name        string
	numChildren int32
	converted   int32 // -1 when absent
	scale       int32
	precision   int32
	logical     logicalType
}

type columnMeta struct {
	typ             int32
	path            []string
	codec           int32
	numValues       int64
	totalCompressed int64
	dataPageOffset  int64
	dictPageOffset  int64 // 0 when absent
}

type columnChunk struct {
	filePath  string
	meta      *columnMeta
	encrypted bool
}

type rowGroup struct {
	columns []columnChunk
	numRows int64
}

type fileMeta struct {
	schema    []schemaElement
	numRows   int64
	rowGroups []rowGroup
	createdBy string
	encrypted bool
}

func readFileMeta(b []byte) (*fileMeta, error) {
	t := &thriftReader{b: b}
	m := &fileMeta{numRows: -1}
	t.readStruct(0, func(id int16, typ byte) bool {
		switch id {
		case 2:
			t.list(typ, tStruct, func() { m.schema = append(m.schema, t.schemaElement()) })
		case 3:
			m.numRows = t.i64(typ)
		case 4:
			t.list(typ, tStruct, func() { m.rowGroups = append(m.rowGroups, t.rowGroup()) })
		case 6:
			m.createdBy = t.str(typ)
		case 8:
			m.encrypted = true
			return false
		default:
			return false
		}
		return true
	})
	if t.err != nil {
		if t.err == errThriftShort {
			return nil, errors.New("the footer is truncated")
		}
		return nil, t.err
	}
	if m.numRows < 0 {
		return nil, errors.New("the footer has no row count")
	}
	return m, nil
}

func (t *thriftReader) schemaElement() schemaElement {
	e := schemaElement{typ: -1, repetition: -1, converted: -1}
	t.readStruct(2, func(id int16, typ byte) bool {
		switch id {
		case 1:
			e.typ = t.i32(typ)
		case 2:
			e.typeLength = t.i32(typ)
		case 3:
			e.repetition = t.i32(typ)
		case 4:
			e.name = t.str(typ)
		case 5:
			e.numChildren = t.i32(typ)
		case 6:
			e.converted = t.i32(typ)
		case 7:
			e.scale = t.i32(typ)
		case 8:
			e.precision = t.i32(typ)
		case 10:
			t.structField(typ, 2, func(kind int16, typ byte) bool {
				e.logical.kind = kind
				switch kind {
				case ltDecimal:
					t.structField(typ, 3, func(id int16, typ byte) bool {
						switch id {
						case 1:
							e.logical.scale = t.i32(typ)
						case 2:
							e.logical.precision = t.i32(typ)
						default:
							return false
						}
						return true
					})
				case ltTime, ltTimestamp:
					t.structField(typ, 3, func(id int16, typ byte) bool {
						switch id {
						case 1:
							e.logical.utc = t.boolean(typ)
						case 2:
							t.structField(typ, 4, func(unit int16, typ byte) bool {
								e.logical.unit = unit
								return false
							})
						default:
							return false
						}
						return true
					})
				case ltInteger:
					t.structField(typ, 3, func(id int16, typ byte) bool {
						switch id {
						case 1:
							e.logical.bitWidth = t.i32(typ)
						case 2:
							e.logical.signed = t.boolean(typ)
						default:
							return false
						}
						return true
					})
				default:
					return false
				}
				return true
			})
		default:
			return false
		}
		return true
	})
	return e
}

func (t *thriftReader) rowGroup() rowGroup {
	g := rowGroup{numRows: -1}
	t.readStruct(2, func(id int16, typ byte) bool {
		switch id {
		case 1:
			t.list(typ, tStruct, func() { g.columns = append(g.columns, t.columnChunk()) })
		case 3:
			g.numRows = t.i64(typ)
		default:
			return false
		}
		return true
	})
	if g.numRows < 0 {
		t.failf("a row group has no row count")
	}
	return g
}

func (t *thriftReader) columnChunk() columnChunk {
	var c columnChunk
	t.readStruct(3, func(id int16, typ byte) bool {
		switch id {
		case 1:
			c.filePath = t.str(typ)
		case 3:
			m := &columnMeta{typ: -1, codec: -1}
			t.structField(typ, 3, func(id int16, typ byte) bool {
				switch id {
				case 1:
					m.typ = t.i32(typ)
				case 3:
					t.list(typ, tBinary, func() { m.path = append(m.path, string(t.binary())) })
				case 4:
					m.codec = t.i32(typ)
				case 5:
					m.numValues = t.i64(typ)
				case 7:
					m.totalCompressed = t.i64(typ)
				case 9:
					m.dataPageOffset = t.i64(typ)
				case 11:
					m.dictPageOffset = t.i64(typ)
				default:
					return false
				}
				return true
			})
			c.meta = m
		case 8, 9:
			c.encrypted = true
			return false
		default:
			return false
		}
		return true
	})
	return c
}

// pageHeader is a PageHeader with the parts of its data, dictionary and
// v2 headers the reader uses.
type pageHeader struct {
	typ          int32
	uncompressed int32
	compressed   int32
	numValues    int32 // data (v1, v2) and dictionary pages
	encoding     int32
	defEncoding  int32 // v1
	numNulls     int32 // v2
	numRows      int32 // v2
	defLen       int32 // v2
	repLen       int32 // v2
	isCompressed bool  // v2; true unless the header says false
	hasSub       bool  // the header of its type was present
}

// readPageHeader decodes a page header from the start of b and returns
// its length in bytes. errThriftShort means b ends inside the header.
func readPageHeader(b []byte) (pageHeader, int, error) {
	t := &thriftReader{b: b}
	h := pageHeader{typ: -1, uncompressed: -1, compressed: -1, isCompressed: true, encoding: -1, defEncoding: encRLE}
	var seen [4]bool
	t.readStruct(0, func(id int16, typ byte) bool {
		switch id {
		case 1:
			h.typ = t.i32(typ)
		case 2:
			h.uncompressed = t.i32(typ)
		case 3:
			h.compressed = t.i32(typ)
		case 5: // DataPageHeader
			t.structField(typ, 0, func(id int16, typ byte) bool {
				switch id {
				case 1:
					h.numValues = t.i32(typ)
				case 2:
					h.encoding = t.i32(typ)
				case 3:
					h.defEncoding = t.i32(typ)
				default:
					return false
				}
				return true
			})
			seen[pageData] = true
		case 7: // DictionaryPageHeader
			t.structField(typ, 0, func(id int16, typ byte) bool {
				switch id {
				case 1:
					h.numValues = t.i32(typ)
				case 2:
					h.encoding = t.i32(typ)
				default:
					return false
				}
				return true
			})
			seen[pageDictionary] = true
		case 8: // DataPageHeaderV2
			t.structField(typ, 0, func(id int16, typ byte) bool {
				switch id {
				case 1:
					h.numValues = t.i32(typ)
				case 2:
					h.numNulls = t.i32(typ)
				case 3:
					h.numRows = t.i32(typ)
				case 4:
					h.encoding = t.i32(typ)
				case 5:
					h.defLen = t.i32(typ)
				case 6:
					h.repLen = t.i32(typ)
				case 7:
					h.isCompressed = t.boolean(typ)
				default:
					return false
				}
				return true
			})
			seen[pageDataV2] = true
		default:
			return false
		}
		return true
	})
	if t.err != nil {
		return h, 0, t.err
	}
	// hasSub: the sub-header that goes with the page type is there.
	h.hasSub = h.typ >= 0 && h.typ < int32(len(seen)) && seen[h.typ]
	return h, t.pos, nil
}
