package hostile

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// A generic Thrift compact-protocol value: enough to decode a Parquet
// footer or page header, change a field, and encode it again. Field order
// and every value are kept, so decode+encode gives the same bytes back.
//
// Compact types: 1/2 boolean true/false (in a struct field header), 3 i8,
// 4 i16, 5 i32, 6 i64 (zigzag varints), 7 double, 8 binary, 9 list, 10 set,
// 11 map, 12 struct.
type tval struct {
	typ    byte
	i      int64   // booleans (0/1), integers
	raw    []byte  // binary; the 8 bytes of a double
	elem   byte    // list and set element type
	items  []*tval // list, set
	kt, vt byte    // map key and value types
	keys   []*tval
	vals   []*tval
	fields []tfield // struct
}

type tfield struct {
	id int16
	v  *tval
}

const (
	tTrue   = 1
	tFalse  = 2
	tI8     = 3
	tI16    = 4
	tI32    = 5
	tI64    = 6
	tDouble = 7
	tBinary = 8
	tList   = 9
	tSet    = 10
	tMap    = 11
	tStruct = 12
)

var errShort = errors.New("thrift: data ends early")

type tdec struct {
	b   []byte
	pos int
}

func (d *tdec) byte1() (byte, error) {
	if d.pos >= len(d.b) {
		return 0, errShort
	}
	c := d.b[d.pos]
	d.pos++
	return c, nil
}

func (d *tdec) uvarint() (uint64, error) {
	v, n := binary.Uvarint(d.b[d.pos:])
	if n <= 0 {
		return 0, errShort
	}
	d.pos += n
	return v, nil
}

func (d *tdec) varint() (int64, error) {
	u, err := d.uvarint()
	return int64(u>>1) ^ -int64(u&1), err
}

// value decodes one value of type typ. In a collection a boolean is a
// byte of its own (inCollection).
func (d *tdec) value(typ byte, inCollection bool, depth int) (*tval, error) {
	if depth > 32 {
		return nil, errors.New("thrift: nested too deep")
	}
	v := &tval{typ: typ}
	var err error
	switch typ {
	case tTrue, tFalse:
		if inCollection {
			var c byte
			c, err = d.byte1()
			if c == tTrue {
				v.i = 1
			}
			v.raw = []byte{c}
		} else if typ == tTrue {
			v.i = 1
		}
	case tI8:
		var c byte
		c, err = d.byte1()
		v.i = int64(int8(c))
	case tI16, tI32, tI64:
		v.i, err = d.varint()
	case tDouble:
		if d.pos+8 > len(d.b) {
			return nil, errShort
		}
		v.raw = append([]byte(nil), d.b[d.pos:d.pos+8]...)
		d.pos += 8
	case tBinary:
		var n uint64
		if n, err = d.uvarint(); err == nil {
			if n > uint64(len(d.b)-d.pos) {
				return nil, errShort
			}
			v.raw = append([]byte(nil), d.b[d.pos:d.pos+int(n)]...)
			d.pos += int(n)
		}
	case tList, tSet:
		var h byte
		if h, err = d.byte1(); err != nil {
			return nil, err
		}
		v.elem = h & 0x0f
		n := uint64(h >> 4)
		if n == 15 {
			if n, err = d.uvarint(); err != nil {
				return nil, err
			}
		}
		if n > uint64(len(d.b)) {
			return nil, errShort
		}
		for k := uint64(0); k < n; k++ {
			e, err := d.value(v.elem, true, depth+1)
			if err != nil {
				return nil, err
			}
			v.items = append(v.items, e)
		}
	case tMap:
		var n uint64
		if n, err = d.uvarint(); err != nil {
			return nil, err
		}
		if n > 0 {
			var h byte
			if h, err = d.byte1(); err != nil {
				return nil, err
			}
			v.kt, v.vt = h>>4, h&0x0f
		}
		if n > uint64(len(d.b)) {
			return nil, errShort
		}
		for k := uint64(0); k < n; k++ {
			key, err := d.value(v.kt, true, depth+1)
			if err != nil {
				return nil, err
			}
			val, err := d.value(v.vt, true, depth+1)
			if err != nil {
				return nil, err
			}
			v.keys, v.vals = append(v.keys, key), append(v.vals, val)
		}
	case tStruct:
		last := int16(0)
		for {
			h, err := d.byte1()
			if err != nil {
				return nil, err
			}
			if h == 0 {
				break
			}
			ft := h & 0x0f
			id := last + int16(h>>4)
			if h>>4 == 0 {
				x, err := d.varint()
				if err != nil {
					return nil, err
				}
				id = int16(x)
			}
			fv, err := d.value(ft, false, depth+1)
			if err != nil {
				return nil, err
			}
			v.fields = append(v.fields, tfield{id, fv})
			last = id
		}
	default:
		return nil, fmt.Errorf("thrift: unknown type %d", typ)
	}
	return v, err
}

// decodeStruct decodes the struct at the start of b and returns it with
// its encoded length.
func decodeStruct(b []byte) (*tval, int, error) {
	d := &tdec{b: b}
	v, err := d.value(tStruct, false, 0)
	return v, d.pos, err
}

func appendUvarint(b []byte, u uint64) []byte { return binary.AppendUvarint(b, u) }

func appendVarint(b []byte, x int64) []byte {
	return appendUvarint(b, uint64(x<<1)^uint64(x>>63))
}

// encode appends v in the compact protocol.
func (v *tval) encode(b []byte, inCollection bool) []byte {
	switch v.typ {
	case tTrue, tFalse:
		if inCollection {
			b = append(b, v.raw...)
		}
	case tI8:
		b = append(b, byte(v.i))
	case tI16, tI32, tI64:
		b = appendVarint(b, v.i)
	case tDouble:
		b = append(b, v.raw...)
	case tBinary:
		b = appendUvarint(b, uint64(len(v.raw)))
		b = append(b, v.raw...)
	case tList, tSet:
		if n := len(v.items); n < 15 {
			b = append(b, byte(n)<<4|v.elem)
		} else {
			b = append(b, 0xf0|v.elem)
			b = appendUvarint(b, uint64(n))
		}
		for _, e := range v.items {
			b = e.encode(b, true)
		}
	case tMap:
		b = appendUvarint(b, uint64(len(v.keys)))
		if len(v.keys) > 0 {
			b = append(b, v.kt<<4|v.vt)
		}
		for k := range v.keys {
			b = v.keys[k].encode(b, true)
			b = v.vals[k].encode(b, true)
		}
	case tStruct:
		last := int16(0)
		for _, f := range v.fields {
			ft := f.v.typ
			if ft == tTrue || ft == tFalse {
				ft = tFalse
				if f.v.i != 0 {
					ft = tTrue
				}
			}
			if delta := f.id - last; delta > 0 && delta <= 15 {
				b = append(b, byte(delta)<<4|ft)
			} else {
				b = append(b, ft)
				b = appendVarint(b, int64(f.id))
			}
			b = f.v.encode(b, false)
			last = f.id
		}
		b = append(b, 0)
	}
	return b
}

// get returns field id of a struct, or nil.
func (v *tval) get(id int16) *tval {
	if v == nil {
		return nil
	}
	for _, f := range v.fields {
		if f.id == id {
			return f.v
		}
	}
	return nil
}
