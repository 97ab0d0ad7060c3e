package ingest

import (
	"fmt"
	"math/rand/v2"
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
