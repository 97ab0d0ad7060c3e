package ingest

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// packedRun encodes vals (a multiple of 8) as one bit-packed RLE run of
// the given width, as a dictionary page's indices are written.
func packedRun(vals []int32, width int) []byte {
	out := []byte{}
	h := uint64(len(vals)/8)<<1 | 1
	for ; h >= 0x80; h >>= 7 {
		out = append(out, byte(h)|0x80)
	}
	out = append(out, byte(h))
	var acc uint64
	bitsIn := 0
	for _, v := range vals {
		acc |= uint64(v) << bitsIn
		bitsIn += width
		for bitsIn >= 8 {
			out = append(out, byte(acc))
			acc >>= 8
			bitsIn -= 8
		}
	}
	if bitsIn > 0 {
		out = append(out, byte(acc))
	}
	return out
}

// BenchmarkDictIndices: the indices of a dictionary page of 100 000
// values (one bit-packed run, as writers emit them for a column of few
// values), decoded 8 192 at a time as the reader does for a batch, or
// 8 191 (a column with nulls reads as many values as the batch's rows
// have, so its steps end within a byte).
func BenchmarkDictIndices(b *testing.B) {
	for _, c := range []struct{ width, size, step int }{{3, 5, 8192}, {4, 12, 8192}, {8, 200, 8192}, {3, 5, 8191}} {
		b.Run(fmt.Sprintf("width=%d/step=%d", c.width, c.step), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			vals := make([]int32, 100_000)
			for i := range vals {
				vals[i] = int32(r.IntN(c.size))
			}
			page := append([]byte{byte(c.width)}, packedRun(vals, c.width)...)
			var v pqValues
			b.SetBytes(int64(len(vals)) * 4)
			for b.Loop() {
				d, err := newDictDecoder(page, c.size)
				if err != nil {
					b.Fatal(err)
				}
				for left := len(vals); left > 0; left -= c.step {
					if err := d.decode(&v, min(left, c.step)); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// TestDictIndicesRange: indices decode to what was packed, and any index
// at or past the dictionary's size is refused, wherever it is (first,
// inside a group of eight, last) and whatever the width (the check is
// skipped when no index of the width can be out of range, and exact per
// index from width 31 on).
func TestDictIndicesRange(t *testing.T) {
	for _, c := range []struct{ width, size int }{
		{1, 1}, {1, 2}, {3, 5}, {3, 8}, {4, 12}, {8, 200}, {8, 256}, {17, 70000}, {30, 1 << 29}, {31, 5}, {32, 7},
	} {
		r := rand.New(rand.NewPCG(uint64(c.width), uint64(c.size)))
		vals := make([]int32, 8*40)
		for i := range vals {
			vals[i] = int32(r.IntN(c.size))
		}
		for _, bad := range []int{-1, 0, 5, 8, 163, len(vals) - 1} {
			v := append([]int32(nil), vals...)
			want := ""
			if bad >= 0 {
				max := uint64(1)<<c.width - 1
				if uint64(c.size) > max {
					continue // no index of this width is out of range
				}
				v[bad] = int32(uint32(c.size) + uint32(r.Uint64N(max-uint64(c.size)+1)))
				want = fmt.Sprintf("dictionary index %d out of range", uint32(v[bad]))
			}
			page := append([]byte{byte(c.width)}, packedRun(v, c.width)...)
			d, err := newDictDecoder(page, c.size)
			if err != nil {
				t.Fatal(err)
			}
			var got pqValues
			var all []int32
			for left := len(v); left > 0 && err == nil; left -= 100 {
				if err = d.decode(&got, min(left, 100)); err == nil {
					all = append(all, got.idx...)
				}
			}
			switch {
			case want == "" && err != nil:
				t.Errorf("width %d size %d: %v", c.width, c.size, err)
			case want == "" && !slices.Equal(all, v):
				t.Errorf("width %d size %d: decoded %v, packed %v", c.width, c.size, all, v)
			case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
				t.Errorf("width %d size %d, index %d at %d: error %v, want %q", c.width, c.size, uint32(v[bad]), bad, err, want)
			}
		}
	}
}

// TestPlainCopyLE decodes plain INT32, INT64, FLOAT and DOUBLE values, in
// steps, both as bytes copied (copyLE, this machine being little-endian)
// and converted one by one (as a big-endian machine would), and checks
// both against the values written.
func TestPlainCopyLE(t *testing.T) {
	if !nativeLE {
		t.Skip("a big-endian machine: the values are converted one by one")
	}
	defer func() { nativeLE = true }()
	rng := rand.New(rand.NewPCG(43, 44))
	const n = 1000
	i32, i64 := make([]int32, n), make([]int64, n)
	f32, f64 := make([]float32, n), make([]float64, n)
	var b32, b64, bf32, bf64 []byte
	for i := range n {
		i32[i], i64[i] = int32(rng.Uint32()), int64(rng.Uint64())
		f32[i], f64[i] = float32(rng.NormFloat64()), rng.NormFloat64()
		b32 = binary.LittleEndian.AppendUint32(b32, uint32(i32[i]))
		b64 = binary.LittleEndian.AppendUint64(b64, uint64(i64[i]))
		bf32 = binary.LittleEndian.AppendUint32(bf32, math.Float32bits(f32[i]))
		bf64 = binary.LittleEndian.AppendUint64(bf64, math.Float64bits(f64[i]))
	}
	for _, le := range []bool{true, false} {
		nativeLE = le
		for _, c := range []struct {
			typ  int32
			data []byte
			got  func(*pqValues) any
			want any
		}{
			{ptInt32, b32, func(v *pqValues) any { return v.i32 }, i32},
			{ptInt64, b64, func(v *pqValues) any { return v.i64 }, i64},
			{ptFloat, bf32, func(v *pqValues) any { return v.f32 }, f32},
			{ptDouble, bf64, func(v *pqValues) any { return v.f64 }, f64},
		} {
			d := &plainDecoder{typ: c.typ, data: c.data}
			var all []any
			var v pqValues
			for _, step := range []int{0, 1, 7, 300, 692} {
				if err := d.decode(&v, step); err != nil {
					t.Fatalf("type %d, copied %v: %v", c.typ, le, err)
				}
				all = append(all, c.got(&v))
			}
			var joined any
			switch c.typ {
			case ptInt32:
				joined = slices.Concat(anySlices[int32](all)...)
			case ptInt64:
				joined = slices.Concat(anySlices[int64](all)...)
			case ptFloat:
				joined = slices.Concat(anySlices[float32](all)...)
			default:
				joined = slices.Concat(anySlices[float64](all)...)
			}
			if !reflect.DeepEqual(joined, c.want) {
				t.Fatalf("type %d, copied %v: the values differ", c.typ, le)
			}
			if err := d.decode(&v, 1); err == nil {
				t.Fatalf("type %d, copied %v: a value past the page's end", c.typ, le)
			}
		}
	}
}

// anySlices turns each of xs, a []T held as any, back into a []T.
func anySlices[T any](xs []any) [][]T {
	out := make([][]T, len(xs))
	for i, x := range xs {
		out[i] = slices.Clone(x.([]T))
	}
	return out
}
